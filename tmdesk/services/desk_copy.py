"""`tmdesk db copy SOURCE TARGET`: a whole desk from one database to another (SQLite to
PostgreSQL, and back), ids and all.

The target is brought to the current schema by the migrations and must hold no desk data;
the source must be at the current schema. Every table of the models is copied, in the order
of their foreign keys, from one read snapshot of the source into one transaction on the
target, which is committed only when each table's count equals the source's. Then the
target's id sequences follow the copied ids, so the next lead, call or audit event gets a
new one. The audit trail's guards stay in force: they refuse changes, not inserts.
On PostgreSQL the foreign keys are set aside for the rows and added again after them
(tmdesk.store.copying.set_aside_foreign_keys).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from peewee import Database

from tmdesk.errors import TmdeskError
from tmdesk.i18n import _
from tmdesk.services.workspace import private_folder
from tmdesk.store import copying, schema
from tmdesk.store.db import (
    DatabaseUnavailable,
    is_postgres_url,
    is_url,
    open_database,
    shown_url,
    sqlite_path,
)
from tmdesk.store.dialect import is_postgres


class DeskCopyError(TmdeskError):
    """The copy was refused or failed; nothing was written to the target's tables."""


@dataclass(frozen=True)
class TableCount:
    table: str
    source: int
    target: int
    seconds: float = 0.0  # writing the table (reading the source included)


@dataclass
class CopyReport:
    source: str  # as messages show it (no password)
    target: str
    counts: list[TableCount] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # tables in the source tmdesk does not know
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(c.target for c in self.counts)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


# progress(table, rows of it done, its rows): after each chunk, and once at a table's start
Progress = Callable[[str, int, int], None]


def _same_place(source: str, target: str) -> bool:
    """Whether the two name one database (a file by its real path, a URL by server and name)."""
    source_file, target_file = sqlite_path(source), sqlite_path(target)
    if source_file is not None and target_file is not None:
        one, other = source_file.expanduser(), target_file.expanduser()
        if one.exists() and other.exists():
            return os.path.samefile(one, other)
        return one.resolve() == other.resolve()
    if source_file is not None or target_file is not None:
        return False

    def place(url: str) -> tuple[str, int, str]:
        parts = urlsplit(url.replace("postgres://", "postgresql://", 1))
        return ((parts.hostname or "").lower(), parts.port or 5432, parts.path.strip("/"))

    return place(source) == place(target)


def _open_source(source: str) -> Database:
    path = sqlite_path(source)
    if path is not None and not path.expanduser().exists():
        raise DeskCopyError(
            _("{path}: no such database to copy from; check the path").format(path=path)
        )
    db = open_database(source, create=False)
    try:
        _refuse_other_schema(db, source)
    except BaseException:
        db.close()
        raise
    return db


def _refuse_other_schema(db: Database, source: str) -> None:
    status = schema.status(db)
    if status.unknown:
        raise DeskCopyError(
            _(
                "{source} was written by a newer tmdesk (schema {version}, this one knows "
                "{head}); copy it with that tmdesk"
            ).format(source=shown_url(source), version=status.version, head=status.head)
        )
    if status.version == 0:
        raise DeskCopyError(
            _("{source} holds no desk (no tmdesk tables); check the source").format(
                source=shown_url(source)
            )
        )
    if status.pending:
        raise DeskCopyError(
            _(
                "{source} is at schema {version}, this tmdesk at {head}; upgrade it first: "
                "tmdesk --db {source} db upgrade"
            ).format(source=shown_url(source), version=status.version, head=status.head)
        )


def _open_target(target: str) -> tuple[Database, Path | None]:
    """The target and, when this copy creates its SQLite file, that file (removed again if
    the copy fails)."""
    path = sqlite_path(target)
    created = None
    if path is not None:
        path = path.expanduser()
        if not path.exists():
            private_folder(path.parent)
            created = path
    return open_database(target if path is None else path, create=True), created


def _refuse_desk_data(db: Database, target: str) -> None:
    present = copying.tables_present(db)
    for table in copying.desk_tables():
        if table in present:
            rows = copying.count_rows(db, table)
            if rows:
                raise DeskCopyError(
                    _(
                        "{target} is not empty ({table}: {rows} rows); db copy writes only "
                        "into an empty desk: give a new SQLite file or an empty database"
                    ).format(target=shown_url(target), table=table, rows=rows)
                )


def _copy_table(
    source: Database,
    target: Database,
    table: str,
    columns: list[str],
    total: int,
    progress: Progress,
) -> None:
    done = 0

    def advanced(rows: int) -> None:
        nonlocal done
        done += rows
        progress(table, done, total)

    progress(table, 0, total)
    if not is_postgres(target):
        _write(source, target, table, columns, advanced, nul_free=False)
        return
    copying.savepoint(target, "set")
    try:
        _write(source, target, table, columns, advanced, nul_free=False)
    except Exception as error:
        if not copying.holds_nul(error):
            raise
        copying.savepoint(target, "undo")  # again, with U+FFFD for each NUL
        done = 0
        _write(source, target, table, columns, advanced, nul_free=True)
    copying.savepoint(target, "release")


def _write(
    source: Database,
    target: Database,
    table: str,
    columns: list[str],
    advanced: Callable[[int], None],
    *,
    nul_free: bool,
) -> None:
    chunks = copying.read_rows(source, table, columns)
    try:
        rows = copying.without_nul(chunks) if nul_free else chunks
        copying.write_rows(target, table, columns, rows, advanced)
    finally:
        chunks.close()  # the source's cursor, even when the target refused a row


def copy_desk(source: str, target: str, progress: Progress | None = None) -> CopyReport:
    """Copy the desk at `source` into the empty desk at `target` (paths or URLs)."""
    progress = progress or (lambda table, done, total: None)
    source, target = str(source), str(target)
    if _same_place(source, target):
        raise DeskCopyError(
            _("the source and the target are the same database ({target})").format(
                target=shown_url(target)
            )
        )
    for place in (source, target):
        if is_url(place) and sqlite_path(place) is None and not is_postgres_url(place):
            raise DeskCopyError(
                _("{url}: db copy goes between SQLite files and postgresql:// URLs").format(
                    url=shown_url(place)
                )
            )
    source_db = _open_source(source)
    try:
        target_db, created = _open_target(target)
    except BaseException:
        source_db.close()
        raise
    report = CopyReport(shown_url(source), shown_url(target))
    try:
        _refuse_desk_data(target_db, target)  # before migrating: nothing written if refused
        if not schema.status(target_db).current:  # an application role may not migrate
            schema.upgrade(target_db)
        _copy(source_db, target_db, report, progress)
    except BaseException:
        _discard(target_db, created)
        source_db.close()
        raise
    source_db.close()
    target_db.close()
    return report


def _copy(source: Database, target: Database, report: CopyReport, progress: Progress) -> None:
    started = time.monotonic()
    tables = copying.desk_tables()
    in_source = copying.tables_present(source)
    report.skipped = sorted(in_source - set(tables))
    copying.begin_snapshot(source)
    copying.begin_writing(target)
    committed = False
    try:
        keys = copying.set_aside_foreign_keys(target)
        with_ids = []
        for table in tables:
            columns = copying.columns_of(source, table)
            if set(columns) != set(copying.columns_of(target, table)):
                raise DeskCopyError(
                    _(
                        "{table}: the source's columns differ from the target's; run "
                        "tmdesk db check on both"
                    ).format(table=table)
                )
            total = copying.count_rows(source, table)
            began = time.monotonic()
            _copy_table(source, target, table, columns, total, progress)
            seconds = time.monotonic() - began
            count = TableCount(table, total, copying.count_rows(target, table), seconds)
            report.counts.append(count)
            if "id" in columns:
                with_ids.append(table)
        differ = [c for c in report.counts if c.source != c.target]
        if differ:
            raise DeskCopyError(
                _("the copy's counts differ, nothing was kept: {tables}").format(
                    tables=", ".join(f"{c.table} {c.source} → {c.target}" for c in differ)
                )
            )
        _restore_keys(target, keys)
        copying.reset_id_sequences(target, with_ids)
        copying.finish(target, commit=True)
        committed = True
    finally:
        if not committed:
            copying.finish(target, commit=False)
        copying.finish(source, commit=False)
    report.seconds = time.monotonic() - started


def _restore_keys(target: Database, keys: list[copying.ForeignKey]) -> None:
    try:
        copying.restore_foreign_keys(target, keys)
    except Exception as error:
        if getattr(error, "sqlstate", None) != "23503":  # foreign_key_violation
            raise
        reason = str(error).strip().splitlines()[0]
        raise DeskCopyError(
            _(
                "the source has rows pointing to rows it does not have ({reason}); nothing "
                "was kept: run tmdesk --db SOURCE db check"
            ).format(reason=reason)
        ) from None


def _discard(target: Database, created: Path | None) -> None:
    """After a failed copy: the target's transaction is rolled back; a SQLite file this
    copy created goes with its -wal and -shm."""
    target.close()
    if created is not None:
        for tail in ("", "-wal", "-shm", "-journal"):
            Path(f"{created}{tail}").unlink(missing_ok=True)


__all__ = ["CopyReport", "DatabaseUnavailable", "DeskCopyError", "TableCount", "copy_desk"]
