"""Keeping the database healthy: schema upgrades, integrity checks, online backups."""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from peewee import SqliteDatabase

from tmdesk.i18n import _
from tmdesk.services import output_files
from tmdesk.services.export_staging import remove_unfinished_exports
from tmdesk.services.import_staging import remove_unfinished_imports
from tmdesk.store import schema
from tmdesk.store.db import explain_failure
from tmdesk.store.models import database

# tmdesk-20261206T031500Z.db: sorts by time, so the oldest are the first to go
DATED_BACKUP = re.compile(r"^tmdesk-\d{8}T\d{6}Z\.db$")


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int  # bytes
    removed: tuple[Path, ...] = ()  # older dated backups beyond --keep


def upgrade_schema() -> tuple[list[str], int]:
    """Apply pending migrations; returns their names and the schema version after."""
    applied = schema.upgrade(database.obj)
    return applied, schema.status(database.obj).version


def check_database() -> list[str]:
    remove_unfinished_imports()  # what a killed import left, before the checks look
    remove_unfinished_exports()  # and a killed export
    return schema.check(database.obj)


def privacy_warnings() -> list[str]:
    """The database file and its folder should be closed to other users of the machine."""
    if not isinstance(database.obj, SqliteDatabase) or database.obj.database == ":memory:":
        return []  # a server database: its files are the server's business
    path = Path(database.obj.database).resolve()
    warnings = []
    for item, fix in ((path, "600"), (path.parent, "700")):
        try:
            mode = stat.S_IMODE(item.stat().st_mode)
        except OSError:
            continue
        if mode & 0o007:
            warnings.append(
                _(
                    "warning: {path} is open to other users of this machine (mode {mode:o}); "
                    "it holds personal data: chmod {fix} {path}"
                ).format(path=item, mode=mode, fix=fix)
            )
    return warnings


def backup_database(target: Path, *, force: bool = False) -> Backup:
    """Copy the database to a new file while agents keep working: beside the target under a
    temporary name, checked, then moved into place; never an empty or partial file."""
    target = output_files.check_target(Path(target), force=force)
    if not target.parent.is_dir():
        raise output_files.OutputFileError(
            _("{path}: the folder {folder} does not exist").format(
                path=target, folder=target.parent
            )
        )
    temporary = output_files.create_temporary(target)
    try:
        schema.copy_into(database.obj, temporary)
        output_files.publish(temporary, target, force=force)
    except OSError as error:
        output_files.discard(temporary)
        raise output_files.refused(target, error) from None
    except BaseException as error:
        output_files.discard(temporary)
        explained = explain_failure(error, target)  # e.g. the disk filled up
        if explained is not None:
            raise explained from None
        raise
    return Backup(target, target.stat().st_size)


def backup_to_folder(folder: Path, keep: int | None, *, now: datetime | None = None) -> Backup:
    """A dated backup in `folder` (for cron), keeping only the newest `keep` dated ones
    (None: all)."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise output_files.OutputFileError(
            _("{folder}: no such folder; create it first (mkdir -m 700 {folder})").format(
                folder=folder
            )
        )
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    made = backup_database(folder / f"tmdesk-{stamp}.db")
    dated = sorted(p for p in folder.iterdir() if DATED_BACKUP.match(p.name) and p.is_file())
    removed = tuple(dated[: max(len(dated) - keep, 0)]) if keep else ()
    for old in removed:
        old.unlink(missing_ok=True)
    return Backup(made.path, made.size, removed)
