"""Schema versions and migrations, integrity check and online backup.

Migrations are numbered files in tmdesk/store/migrations, run by peewee's own migration
runner (playhouse.migrations), which records each applied file by name. The schema version
is the number of the newest applied file. A database that has applied a file this code does
not know is newer than the code: we refuse it rather than guess.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from peewee import Database, DatabaseError, SqliteDatabase
from playhouse.migrations import Runner

from tmdesk.errors import TmdeskError
from tmdesk.i18n import _
from tmdesk.store.db import explain_failure
from tmdesk.store.dialect import is_postgres
from tmdesk.store.models import AUDIT_GUARDS, PG_AUDIT_GUARDS, PG_OVERLAP, TRIGGERS

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
HISTORY_TABLE = "schema_migration"


class SchemaError(TmdeskError):
    """The database cannot be used by this version of tmdesk."""


@dataclass(frozen=True)
class SchemaStatus:
    version: int  # newest applied migration number, 0 for an empty database
    head: int  # newest migration this code knows
    pending: tuple[str, ...]
    unknown: tuple[str, ...]  # applied in the database, unknown to this code

    @property
    def current(self) -> bool:
        return not self.pending and not self.unknown


def _runner(db: Database) -> Runner:
    return Runner(db, directory=str(MIGRATIONS_DIR), table_name=HISTORY_TABLE)


def status(db: Database) -> SchemaStatus:
    rows = _runner(db).status()
    applied = [m for m in rows if m.applied]
    return SchemaStatus(
        version=max((m.idx for m in applied), default=0),
        head=max((m.idx for m in rows if m.path), default=0),
        pending=tuple(m.name for m in rows if m.path and not m.applied),
        unknown=tuple(m.name for m in rows if m.applied and not m.path),
    )


def upgrade(db: Database) -> list[str]:
    """Apply every pending migration, each in its own transaction."""
    current = status(db)
    if current.unknown:
        raise SchemaError(
            _(
                "the database was written by a newer tmdesk (schema {version}, this one knows "
                "{head}); upgrade tmdesk"
            ).format(version=current.version, head=current.head)
        )
    applied: list[str] = _runner(db).up()
    return applied


def prepare(db: Database) -> SchemaStatus:
    """Make the database usable at start-up.

    An empty database is migrated to head; an older one is backed up first (SQLite only)
    and then migrated; a newer one is refused.
    """
    before = status(db)
    if before.unknown:
        upgrade(db)  # raises SchemaError with the explanation
    if before.pending:
        if before.version > 0 and isinstance(db, SqliteDatabase):
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            source = Path(db.database)
            backup(db, source.parent / f"{source.name}.v{before.version}-{stamp}.bak")
        upgrade(db)
    return status(db)


def copy_into(db: Database, destination: Path) -> None:
    """Copy the database into `destination` (an empty file of ours) and prove the copy sound.

    sqlite3's backup with pages=-1 copies every page in one step under one read snapshot:
    in WAL mode writers go on meanwhile and cannot restart it (copying a few pages at a
    time restarted on every commit of another process, so under ~10 writes/s it never
    finished). The copy is fsynced and must pass `PRAGMA integrity_check`.
    """
    if is_postgres(db):
        _pg_dump(str(db.database), destination)
        return
    if not isinstance(db, SqliteDatabase):
        raise SchemaError(_("backup is only built in for SQLite; use your server's tools"))
    copy = sqlite3.connect(str(destination))
    try:
        with copy:
            db.connection().backup(copy, pages=-1)
        verdict = copy.execute("PRAGMA integrity_check").fetchall()
    finally:
        copy.close()
    if verdict != [("ok",)]:
        raise SchemaError(
            _("{path}: the copy failed its integrity check ({problem}); nothing was kept").format(
                path=destination, problem=verdict[0][0]
            )
        )
    descriptor = os.open(destination, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _pg_dump(url: str, destination: Path) -> None:
    """PostgreSQL: `pg_dump -Fc` (one consistent snapshot while agents work), proved
    readable by `pg_restore --list`. The password goes through the environment, never the
    command line (which `ps` shows)."""
    dump, restore = shutil.which("pg_dump"), shutil.which("pg_restore")
    if dump is None or restore is None:
        raise SchemaError(
            _(
                "pg_dump is not installed here: install PostgreSQL's client programs (e.g. "
                "apt install postgresql-client), or back up on the server with "
                "pg_dump -Fc -f FILE DBNAME"
            )
        )
    parts = urlsplit(url)
    environment = dict(os.environ)
    if parts.password is not None:
        environment["PGPASSWORD"] = unquote(parts.password)
        host = parts.hostname or ""
        user = f"{parts.username}@" if parts.username else ""
        url = urlunsplit(
            parts._replace(netloc=f"{user}{host}" + (f":{parts.port}" if parts.port else ""))
        )
    for command in (
        [dump, "--format=custom", f"--file={destination}", f"--dbname={url}"],
        [restore, "--list", str(destination)],
    ):
        done = subprocess.run(command, capture_output=True, text=True, env=environment)
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[0]
            raise SchemaError(
                _("{path}: the backup failed ({reason}); nothing was kept").format(
                    path=destination, reason=reason
                )
            )


def backup(db: Database, target: Path) -> Path:
    """A copy at a new file `target` (the pre-migration copy): owner-only from creation,
    removed again when the copy fails. `tmdesk db backup` uses services.maintenance."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise SchemaError(
            _("{path} already exists; choose a new file").format(path=target)
        ) from None
    try:
        os.chmod(target, 0o600)
        copy_into(db, target)
    except BaseException:
        target.unlink(missing_ok=True)
        Path(f"{target}-journal").unlink(missing_ok=True)
        raise
    return target


def check(db: Database) -> list[str]:
    """Problems found by SQLite's integrity and foreign-key checks (on PostgreSQL: the
    rules the server keeps are all there); empty when all is well."""
    if is_postgres(db):
        return postgres_rule_problems(db)
    if not isinstance(db, SqliteDatabase):
        return []
    try:
        problems = [row[0] for row in db.execute_sql("PRAGMA integrity_check").fetchall()]
    except (DatabaseError, sqlite3.DatabaseError) as error:  # pages too damaged to check
        return [str(explain_failure(error, db.database) or error)]
    if problems != ["ok"]:
        return problems  # a damaged file: the checks below would only trip over it
    problems = []
    for table, rowid, parent, _fk in db.execute_sql("PRAGMA foreign_key_check").fetchall():
        problems.append(
            _("{table} row {rowid} points to a missing {parent}").format(
                table=table, rowid=rowid, parent=parent
            )
        )
    problems += audit_trail_problems(db)
    return problems


def _plain_sql(sql: str) -> str:
    return " ".join(sql.replace('"', "").split())


def audit_trail_problems(db: Database) -> list[str]:
    """What is missing from the audit trail's protection: the table itself, or one of the
    triggers that refuse changes (any SQL can drop them; the integrity check would not
    notice). A guard whose text differs from ours counts as missing: it may let changes
    through."""
    present = dict(
        db.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'audit_event' "
            "AND type IN ('table', 'trigger')"
        ).fetchall()
    )
    if "audit_event" not in present:
        return [_("the audit trail (table audit_event) is missing")]
    expected = {
        name: _plain_sql(sql) for name in AUDIT_GUARDS for sql in TRIGGERS if f" {name} " in sql
    }
    problems = []
    for name in AUDIT_GUARDS:
        if name not in present:
            problems.append(
                _("the audit trail's guard {name} (a trigger) is missing").format(name=name)
            )
        elif _plain_sql(present[name]) != expected[name]:
            problems.append(
                _("the audit trail's guard {name} (a trigger) was changed").format(name=name)
            )
    return problems


def postgres_rule_problems(db: Database) -> list[str]:
    """On PostgreSQL the server checks pages and foreign keys itself; what can go missing
    is a rule: the audit trail's guards (enabled, calling the refusing function), the
    meetings' exclusion constraint, or a foreign key left unvalidated."""
    if db.execute_sql("SELECT to_regclass('audit_event')").fetchone()[0] is None:
        return [_("the audit trail (table audit_event) is missing")]
    guards = dict(
        db.execute_sql(
            "SELECT t.tgname, t.tgenabled != 'D' AND p.proname = 'audit_event_refuse' "
            "FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE t.tgrelid = 'audit_event'::regclass AND NOT t.tgisinternal"
        ).fetchall()
    )
    problems = []
    for name in PG_AUDIT_GUARDS:
        if name not in guards:
            problems.append(
                _("the audit trail's guard {name} (a trigger) is missing").format(name=name)
            )
        elif not guards[name]:
            problems.append(
                _("the audit trail's guard {name} (a trigger) was changed").format(name=name)
            )
    overlap = db.execute_sql(
        "SELECT count(*) FROM pg_constraint WHERE conname = ? AND contype = 'x' "
        "AND conrelid = 'meeting'::regclass",
        (PG_OVERLAP,),
    ).fetchone()[0]
    if not overlap:
        problems.append(
            _(
                "the meetings' rule {name} (no two booked meetings of a specialist overlap) "
                "is missing"
            ).format(name=PG_OVERLAP)
        )
    for table, name in db.execute_sql(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint "
        "WHERE contype = 'f' AND NOT convalidated"
    ).fetchall():
        problems.append(
            _("{table}: the foreign key {name} is not validated").format(table=table, name=name)
        )
    return problems
