"""The few places where the desk's SQL differs between SQLite and PostgreSQL.

The desk's raw SQL is written once, in SQLite's form: `?` and `:name` placeholders and
`INDEXED BY` hints (SQLite needs them to keep the hot queries on their indexes,
docs/architecture.md §3). On SQLite it runs verbatim, so SQLite's speed is what it was. On
PostgreSQL the database object hands every raw statement to `translate` first (cached):
placeholders become psycopg's, a literal `%` is doubled, and the hints go: `INDEXED BY`, and
`CROSS JOIN … ON` (SQLite's way to fix the join order) becomes a plain `JOIN … ON`, and
the schema of temporary tables `temp.` is PostgreSQL's `pg_temp.`.
PostgreSQL's planner picks the partial indexes by itself (tests/store/test_postgres.py
checks its plans).

What cannot be translated mechanically has a function here, called where the SQL is built:
counting rows that meet a condition, seconds between two stored instants, membership in a
list of ids given as one parameter, a table's own row address. The user table is always
written quoted, "user": on PostgreSQL a bare `user` is the `current_user` function.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from peewee import Database, DatabaseProxy

# string literals and quoted names are copied as they are; a placeholder or % outside them
# is rewritten (a % inside a literal is doubled too: psycopg reads the whole text)
_TOKENS = re.compile(
    r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|::|\?|:[A-Za-z_]\w*|%|\s+INDEXED\s+BY\s+\w+|\bCROSS\s+JOIN\b|\btemp\.""",
    re.IGNORECASE,
)


def is_postgres(db: Database | DatabaseProxy | None = None) -> bool:
    """Whether `db` (default: the database the models are bound to) is PostgreSQL."""
    if db is None:
        from tmdesk.store.models import database

        db = database
    if isinstance(db, DatabaseProxy):
        db = db.obj
    return getattr(db, "dialect", "sqlite") == "postgresql"


def _rewrite(match: re.Match[str]) -> str:
    token = match.group(0)
    if token[0] in "'\"":
        return token.replace("%", "%%")
    if token == "?":
        return "%s"
    if token == "%":
        return "%%"
    if token == "::":
        return token
    if token == "temp.":  # SQLite's schema of temporary tables
        return "pg_temp."
    if token[0] in "Cc":  # SQLite's CROSS JOIN … ON: an inner join in the order written
        return "JOIN"
    if token[0] == ":":
        return f"%({token[1:]})s"
    return ""  # INDEXED BY name


@lru_cache(maxsize=2048)
def translate_sql(sql: str) -> str:
    """SQLite-style SQL in psycopg's form (see the module's docstring)."""
    return _TOKENS.sub(_rewrite, sql)


def translate(sql: str, params: Any) -> tuple[str, Any]:
    """The statement and its parameters as psycopg takes them. Peewee's own statements
    (already `%s`) pass unchanged."""
    if "%s" in sql or "%(" in sql:
        return sql, params
    return translate_sql(sql), params


def native(sql: str) -> str:
    """`sql` as the bound database's own driver takes it, for a raw cursor."""
    return translate_sql(sql) if is_postgres() else sql


def execute_many(sql: str, rows: Iterable[Sequence[Any]]) -> None:
    """One statement over many rows on the bound database's cursor (sqlite3's executemany;
    psycopg's pipelines them)."""
    from tmdesk.store.models import database

    database.cursor().executemany(native(sql), rows)


def rows_in(table: str, where: str) -> str:
    """A condition on `table` matching the rows of a limited subquery (`where` may end in
    LIMIT ?): SQLite's rowid, PostgreSQL's ctid (a table without an id column has both)."""
    if is_postgres():
        return f"ctid = ANY(ARRAY(SELECT ctid FROM {table} WHERE {where}))"
    return f"rowid IN (SELECT rowid FROM {table} WHERE {where})"


def same_as(expression: str) -> str:
    """`expression` equals the parameter `?`, NULL equal to NULL."""
    if is_postgres():
        return f"{expression} IS NOT DISTINCT FROM ?"
    return f"{expression} IS ?"


def count_if(condition: str) -> str:
    """How many rows of the group meet `condition` (NULL for no rows, as SQLite's sum)."""
    if is_postgres():
        return f"sum(CASE WHEN {condition} THEN 1 ELSE 0 END)"
    return f"sum({condition})"


def seconds_between(later: str, earlier: str) -> str:
    """Seconds from one stored instant (UTC text) to another, as a number."""
    if is_postgres():
        return f"extract(epoch FROM (({later})::timestamp - ({earlier})::timestamp))::float8"
    return f"(julianday({later}) - julianday({earlier})) * 86400.0"


def in_json_ids(expression: str) -> str:
    """`expression` is one of the ids of a JSON list given as one parameter `?`."""
    if is_postgres():
        return f"{expression} IN (SELECT json_array_elements_text(?::json)::bigint)"
    return f"{expression} IN (SELECT value FROM json_each(?))"


EXCLUSION_VIOLATION = "23P01"


def sqlstate(error: BaseException) -> str | None:
    """PostgreSQL's error code behind a peewee error (None on SQLite)."""
    seen: BaseException | None = error
    for _depth in range(4):  # peewee raises its own error while handling psycopg's
        if seen is None:
            break
        code = getattr(seen, "sqlstate", None)
        if code:
            return str(code)
        seen = seen.__cause__ or seen.__context__
    return None


def lock_rows(table: str, *ids: int | None) -> None:
    """Hold these rows until the transaction ends, so a read-check-write block sees no
    change under it. PostgreSQL: SELECT … FOR UPDATE, in id order (two blocks locking the
    same rows never wait for each other crosswise). SQLite: nothing to do, every writing
    transaction holds the database's write lock from its BEGIN IMMEDIATE."""
    if not is_postgres():
        return
    from tmdesk.store.models import database

    wanted = sorted({int(i) for i in ids if i is not None})
    if wanted:
        database.execute_sql(
            f'SELECT id FROM "{table}" WHERE id IN ({",".join(map(str, wanted))}) '
            "ORDER BY id FOR UPDATE"
        )


def lock_desk(what: str) -> None:
    """Only one transaction at a time does `what` (e.g. "handoff"), as every writing
    transaction is alone on SQLite. PostgreSQL: an advisory lock held until the transaction
    ends."""
    if not is_postgres():
        return
    from tmdesk.store.models import database

    database.execute_sql("SELECT pg_advisory_xact_lock(hashtext(?))", (f"tmdesk {what}",))


def reset_sequences(*tables: str) -> None:
    """After rows were written with their own ids: PostgreSQL's next id follows the largest
    (SQLite's always does)."""
    if not is_postgres():
        return
    from tmdesk.store.models import database

    for table in tables:
        database.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'coalesce((SELECT max(id) FROM "{table}"), 0) + 1, false)'
        )


NUL_STAND_IN = "\ufffd"  # what a NUL in a text cell becomes on PostgreSQL


def storable_rows(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows of cells as the bound database can store them. PostgreSQL's text cannot hold a
    NUL character: there a NUL becomes U+FFFD (the replacement character); SQLite keeps
    every cell verbatim."""
    if not is_postgres():
        return rows
    return [
        tuple(
            v.replace("\x00", NUL_STAND_IN) if isinstance(v, str) and "\x00" in v else v
            for v in row
        )
        for row in rows
    ]
