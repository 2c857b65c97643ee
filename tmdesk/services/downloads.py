"""Files a supervisor takes away from the desk in a browser: the rejected rows of the latest
import, a backup of the database. (The handoff export is services.handoff's export_batch.)
Supervisors only, checked here as well as by the screen that offers them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tmdesk.errors import TmdeskError
from tmdesk.i18n import _
from tmdesk.services.auth import require_supervisor
from tmdesk.services.maintenance import backup_database
from tmdesk.store.models import ImportRun


class NothingToDownload(TmdeskError):
    """The file asked for does not exist (yet); str() says why."""


def latest_rejects(user_id: int) -> Path:
    """The rejects file of the latest import that rejected rows (named as the CLI wrote it,
    `<file>.rejects.csv`)."""
    require_supervisor(user_id, _("download rejected rows"))
    run = (
        ImportRun.select()
        .where(ImportRun.rejects_path.is_null(False))
        .order_by(ImportRun.started_at.desc(), ImportRun.id.desc())
        .first()
    )
    if run is None:
        raise NothingToDownload(_("no import has rejected a row yet"))
    path = Path(run.rejects_path)
    if not path.is_file():
        raise NothingToDownload(
            _("the rejects file of {name} is no longer at {path}").format(
                name=run.file_name, path=path
            )
        )
    return path


def backup_for_download(user_id: int, folder: Path, now: datetime | None = None) -> Path:
    """An online backup of the database into `folder`, named by the time it was taken."""
    require_supervisor(user_id, _("download a backup"))
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    return backup_database(folder / f"tmdesk-backup-{stamp}.db").path
