"""Opening the desk: which database, which settings, schema ready.

Both the CLI and the TUI start here, so they agree on defaults: `--db` / TMDESK_DB, else
a SQLite file in the user data directory; `--config` / TMDESK_CONFIG, else the defaults.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from tmdesk.config import Settings, load_settings
from tmdesk.i18n import _, settle_language
from tmdesk.services.busy import BusyRetry
from tmdesk.services.export_staging import remove_unfinished_exports
from tmdesk.services.import_staging import remove_unfinished_imports
from tmdesk.store import schema
from tmdesk.store.db import (
    BUSY_TIMEOUT_MS,
    DatabaseUnavailable,
    explain_failure,
    is_url,
    open_database,
    shown_url,
    sqlite_path,
)
from tmdesk.store.models import database


@dataclass(frozen=True)
class Workspace:
    target: str  # the database path or URL, as opened
    settings: Settings
    schema: schema.SchemaStatus
    # how the desk's outcomes wait out a database another process is writing
    save_retry: BusyRetry = BusyRetry()

    @property
    def sqlite_file(self) -> Path | None:
        return sqlite_path(self.target)


def default_database_path() -> Path:
    return platformdirs.user_data_path("tmdesk", appauthor=False) / "tmdesk.db"


def private_folder(folder: Path) -> None:
    """Create the data folder closed to other users (0700 whatever the umask)."""
    if folder.is_dir():
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
    except OSError as error:
        raise DatabaseUnavailable(
            _("{folder}: cannot create the folder: {reason}").format(
                folder=folder, reason=error.strerror or error
            )
        ) from None


def database_failure(error: BaseException) -> str | None:
    """A sentence for a database error that escaped a command (None: not one)."""
    path = getattr(database.obj, "database", None) or "database"
    seen = 0
    cause: BaseException | None = error
    while cause is not None and seen < 5:  # "cannot rollback" hides the full disk behind it
        explained = explain_failure(cause, path)
        if explained is not None:
            return str(explained)
        cause, seen = cause.__context__, seen + 1
    return None


def init_workspace(path: str | Path) -> Workspace:
    """A new, empty desk at `path` (refused where a file already is), or in the empty
    server database a URL names (refused when it holds a desk already)."""
    if is_url(path) and sqlite_path(path) is None:
        if schema.status(open_database(str(path))).version > 0:
            raise DatabaseUnavailable(
                _("{url} already holds a desk; a new desk needs an empty database").format(
                    url=shown_url(path)
                )
            )
        return open_workspace(str(path))
    path = Path(path).expanduser()
    if path.exists():
        raise DatabaseUnavailable(
            _("{path} already exists; a new desk needs a new file").format(path=path)
        )
    private_folder(path.parent)
    return open_workspace(path)


def open_workspace(
    db: str | Path | None = None,
    config: str | Path | None = None,
    *,
    settings: Settings | None = None,
    migrate: bool = True,
    create: bool = True,
    busy_timeout: float | None = None,
    save_retry: BusyRetry | None = None,
) -> Workspace:
    """Load the settings, bind the store to the database and bring its schema to head.

    With migrate=False the schema is only inspected (for `tmdesk db …` commands). With
    create=False a missing file at an explicit `db` is refused (a mistyped path would
    otherwise become an empty desk); the default location is always created.
    `busy_timeout` (seconds; by default BUSY_TIMEOUT_MS) is how long one write waits for
    another process's; the outcomes of the desk then retry as `save_retry` says.
    """
    settings = settings or load_settings(config)
    settle_language(settings.language or None)
    if db:
        target = str(db)
    else:
        target = str(default_database_path())
        create = True
    path = sqlite_path(target)
    if path is not None and path.expanduser().parent == default_database_path().parent:
        private_folder(default_database_path().parent)  # also for the demo's file there
    timeout_ms = BUSY_TIMEOUT_MS if busy_timeout is None else round(busy_timeout * 1000)
    database = open_database(target, create=create, busy_timeout_ms=timeout_ms)
    status = schema.prepare(database) if migrate else schema.status(database)
    remove_unfinished_imports()  # what a killed import left (a run still alive is kept)
    remove_unfinished_exports()  # the same for a killed export's pending batches
    return Workspace(
        target=target, settings=settings, schema=status, save_retry=save_retry or BusyRetry()
    )
