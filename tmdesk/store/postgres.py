"""The desk's PostgreSQL database object (tmdesk.store.db opens it for a postgresql:// URL),
and the advisory-lock sessions a long command holds on it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from peewee import PostgresqlDatabase
from peewee import __exception_wrapper__ as as_peewee_errors  # type: ignore[attr-defined]

from tmdesk.store.dialect import translate
from tmdesk.store.models import database


class DeskPostgresDatabase(PostgresqlDatabase):
    """PostgreSQL through psycopg 3. The desk's raw SQL is written in SQLite's form and
    translated here (tmdesk.store.dialect); peewee's own queries go through unchanged.
    `database` is the whole URL (libpq takes it as it is)."""

    dialect = "postgresql"

    def __init__(self, url: str, **kwargs: Any) -> None:
        super().__init__(url, prefer_psycopg3=True, **kwargs)

    def begin(self, isolation_level: Any = None) -> None:
        # SQLite's lock types (`atomic("IMMEDIATE")`) would be read here as an isolation
        # level: PostgreSQL's statements lock the rows they check instead
        if str(isolation_level).upper() in ("DEFERRED", "IMMEDIATE", "EXCLUSIVE"):
            isolation_level = None
        super().begin(isolation_level)

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        return self._execute_cursor(*translate(sql, params))  # type: ignore[attr-defined]

    def execute(self, query: Any, **context_options: Any) -> Any:
        sql, params = self.get_sql_context(**context_options).sql(query).query()
        return self._execute_cursor(sql, params)  # type: ignore[attr-defined]

    @contextlib.contextmanager
    def one_trip(self, *, generic_plans: bool = False) -> Iterator[Callable[[str, Any], Any]]:
        """A short transaction sent to the server in one go, its BEGIN and COMMIT included
        (psycopg's pipeline): one network round trip instead of one per statement. The
        block gets an `execute(sql, params)` whose cursors are read after the block, when
        the transaction has committed. Its statements are prepared on the server; with
        `generic_plans` PostgreSQL plans them once for any parameters (the claim's
        statement took longer to plan than to run). In a caller's transaction the
        statements run one by one in a savepoint, with the usual planning."""
        if self.in_transaction():
            with self.atomic():
                yield self.execute_sql
            return
        connection = self.connection()  # type: ignore[no-untyped-call]

        def execute(sql: str, params: Any) -> Any:
            return connection.execute(*translate(sql, params), prepare=True)

        with as_peewee_errors:  # psycopg's errors as peewee's, as execute_sql raises them
            try:
                with connection.pipeline():
                    connection.execute("BEGIN")
                    if generic_plans:
                        connection.execute("SET LOCAL plan_cache_mode = force_generic_plan")
                    yield execute
                    connection.execute("COMMIT")
            except BaseException:
                from psycopg.pq import TransactionStatus

                status = connection.info.transaction_status
                if status in (TransactionStatus.INTRANS, TransactionStatus.INERROR):
                    connection.execute("ROLLBACK")  # autocommit: rollback() would do nothing
                raise


def advisory_session(key: int, value: int) -> Any:
    """A new session on the bound PostgreSQL server holding the advisory lock (key, value),
    or None when another session holds it. Closing the session releases the lock."""
    import psycopg

    session = psycopg.connect(database.obj.database, autocommit=True)
    row = session.execute("SELECT pg_try_advisory_lock(%s, %s)", (key, value)).fetchone()
    if row is not None and row[0]:
        return session
    session.close()
    return None
