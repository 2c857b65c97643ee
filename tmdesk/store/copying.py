"""Reading and writing whole tables, for `tmdesk db copy` (tmdesk.services.desk_copy).

Rows travel as the databases store them, never through the models' Python values: instants
and JSON are text on both, so they arrive byte for byte; only booleans differ (SQLite's 0/1,
PostgreSQL's boolean), and each driver converts them on the way in. The work runs on each
database's own connection in transactions of its own: the source in one read snapshot, the
target in one transaction that is committed only when every table's count matches.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator
from typing import Any

from peewee import Database, sort_models  # type: ignore[attr-defined]

from tmdesk.i18n import _
from tmdesk.store.dialect import NUL_STAND_IN, is_postgres
from tmdesk.store.models import MODELS

CHUNK = 10_000  # rows read, and written by executemany, at a time
HISTORY_TABLE = "schema_migration"  # each database has its own, written by its migrations


def desk_tables() -> list[str]:
    """Every table of the desk, a table after those its foreign keys point to."""
    return [model._meta.table_name for model in sort_models(list(MODELS))]


def tables_present(db: Database) -> set[str]:
    """The tables the database holds (SQLite's own and the migrations' history aside)."""
    if is_postgres(db):
        rows = db.connection().execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
    else:
        rows = db.connection().execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    return {row[0] for row in rows} - {HISTORY_TABLE}


def columns_of(db: Database, table: str) -> list[str]:
    """The table's columns in their order in the database."""
    if is_postgres(db):
        rows = db.connection().execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = "
            "current_schema() AND table_name = %s ORDER BY ordinal_position",
            (table,),
        )
        return [row[0] for row in rows]
    return [row[1] for row in db.connection().execute(f'PRAGMA table_info("{table}")')]


def count_rows(db: Database, table: str) -> int:
    row = db.connection().execute(f'SELECT count(*) FROM "{table}"').fetchone()
    return int(row[0])


def begin_snapshot(db: Database) -> None:
    """One consistent view of the source for the whole copy, while agents may write."""
    if is_postgres(db):
        db.connection().execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    else:
        connection = db.connection()
        connection.execute("BEGIN")
        connection.execute("SELECT count(*) FROM schema_migration").fetchone()  # starts it


def begin_writing(db: Database) -> None:
    """The target's one transaction. SQLite checks the foreign keys at COMMIT (a meeting
    may point to the one it was moved from; ids keep them in order anyway)."""
    connection = db.connection()
    if is_postgres(db):
        connection.execute("BEGIN")
    else:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("PRAGMA defer_foreign_keys = ON")


def finish(db: Database, *, commit: bool) -> None:
    """Commit or roll back what begin_snapshot / begin_writing started."""
    connection = db.connection()
    if is_postgres(db):
        status = connection.info.transaction_status
        if status == 0:  # IDLE: nothing open (a failed BEGIN)
            return
        if commit:
            connection.execute("COMMIT")
        else:
            connection.rollback()
        return
    if connection.in_transaction:
        connection.execute("COMMIT" if commit else "ROLLBACK")


def read_rows(
    db: Database, table: str, columns: list[str]
) -> Generator[list[tuple[Any, ...]], None, None]:
    """The table's rows in chunks, in id order where it has ids (a row after the rows it
    points to in its own table)."""
    names = ", ".join(f'"{c}"' for c in columns)
    order = ' ORDER BY "id"' if "id" in columns else ""
    sql = f'SELECT {names} FROM "{table}"{order}'
    if is_postgres(db):
        cursor = db.connection().cursor(name=f"tmdesk_copy_{table}")  # server-side
    else:
        cursor = db.connection().cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(CHUNK):
            yield rows
    finally:
        cursor.close()


def write_rows(
    db: Database,
    table: str,
    columns: list[str],
    chunks: Iterable[list[tuple[Any, ...]]],
    done: Callable[[int], None],
) -> None:
    """Insert the rows with their own ids: PostgreSQL by COPY, SQLite by executemany;
    `done(n)` after each chunk."""
    names = ", ".join(f'"{c}"' for c in columns)
    connection = db.connection()
    if not is_postgres(db):
        sql = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'
        for rows in chunks:
            connection.executemany(sql, rows)
            done(len(rows))
        return
    with connection.cursor() as cursor:
        for rows in chunks:  # a COPY per chunk: the foreign keys' checks queue per statement
            with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
            done(len(rows))


def without_nul(chunks: Iterable[list[tuple[Any, ...]]]) -> Iterator[list[tuple[Any, ...]]]:
    """The rows with each NUL character in text as U+FFFD: PostgreSQL's text cannot hold
    one (SQLite keeps what an import wrote verbatim), as tmdesk.store.dialect.storable_rows."""
    for rows in chunks:
        yield [
            tuple(
                v.replace("\x00", NUL_STAND_IN) if isinstance(v, str) and "\x00" in v else v
                for v in row
            )
            for row in rows
        ]


def holds_nul(error: BaseException) -> bool:
    """Whether PostgreSQL refused a row for a NUL character in its text."""
    return "0x00" in str(error)


def savepoint(db: Database, action: str) -> None:
    """SAVEPOINT / RELEASE / ROLLBACK TO one savepoint of the target (PostgreSQL only):
    a table whose COPY met a NUL is written again without it."""
    statement = {
        "set": "SAVEPOINT",
        "release": "RELEASE SAVEPOINT",
        "undo": "ROLLBACK TO SAVEPOINT",
    }
    db.connection().execute(f"{statement[action]} tmdesk_copy_table")


class BrokenForeignKey(Exception):
    """A copied row points to a row the copy does not have."""

    sqlstate = "23503"  # PostgreSQL's foreign_key_violation


ForeignKey = tuple[str, str, str]  # table, constraint's name, its definition


def set_aside_foreign_keys(db: Database) -> list[ForeignKey]:
    """PostgreSQL: drop the foreign keys inside the target's transaction, to add them again
    after the rows (`restore_foreign_keys`): one check of each key over a whole table costs a
    fraction of a check per row (they halved COPY's speed). Nothing is dropped on SQLite, or
    when the role does not own the tables (then the keys check each row, more slowly)."""
    if not is_postgres(db):
        return []
    connection = db.connection()
    keys: list[ForeignKey] = [
        (row[0], row[1], row[2])
        for row in connection.execute(
            "SELECT cl.relname, co.conname, pg_get_constraintdef(co.oid) FROM pg_constraint co "
            "JOIN pg_class cl ON cl.oid = co.conrelid "
            "JOIN pg_namespace ns ON ns.oid = cl.relnamespace "
            "WHERE co.contype = 'f' AND ns.nspname = current_schema() ORDER BY 1, 2"
        )
    ]
    connection.execute("SAVEPOINT tmdesk_copy_keys")
    try:
        for table, name, _definition in keys:
            connection.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    except Exception as error:
        if getattr(error, "sqlstate", None) != "42501":  # insufficient privilege: not owner
            raise
        connection.execute("ROLLBACK TO SAVEPOINT tmdesk_copy_keys")
        return []
    connection.execute("RELEASE SAVEPOINT tmdesk_copy_keys")
    return keys


def restore_foreign_keys(db: Database, keys: list[ForeignKey]) -> None:
    """Add the keys set_aside_foreign_keys dropped, as they were; each checks every row.
    SQLite checks its deferred keys only at COMMIT, with no word on which row: a row
    pointing nowhere is raised here as PostgreSQL would, with the table and the row."""
    connection = db.connection()
    if not is_postgres(db):
        broken = connection.execute("PRAGMA foreign_key_check").fetchone()
        if broken is not None:
            table, rowid, parent, _key = broken
            raise BrokenForeignKey(
                _("{table} row {rowid} points to a missing {parent}").format(
                    table=table, rowid=rowid, parent=parent
                )
            )
        return
    for table, name, definition in keys:
        connection.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')


def reset_id_sequences(db: Database, tables: Iterable[str]) -> None:
    """PostgreSQL: each table's next id follows its largest. SQLite's next id always does
    (no table of the desk is AUTOINCREMENT, so it has no sqlite_sequence to set)."""
    if not is_postgres(db):
        return
    connection = db.connection()
    for table in tables:
        connection.execute(
            f'SELECT setval(seq, coalesce((SELECT max(id) FROM "{table}"), 0) + 1, false) '
            f"FROM pg_get_serial_sequence('\"{table}\"', 'id') AS seq WHERE seq IS NOT NULL"
        )
