"""claim_bench on PostgreSQL (`--db postgresql://…`): the desk claim_bench built in SQLite,
loaded into the empty database the URL names, and tmdesk's claim beside a raw psycopg
`UPDATE … RETURNING` with `FOR UPDATE SKIP LOCKED` on the same table, in the same run.

Both modes (warm blocks, cold alternation) run on the one loaded database one after the
other (reloading a million leads between them would cost minutes), so the second starts
from the queue the first left.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime, timedelta
from pathlib import Path

# the raw claim: the first new lead by id, skipping what another claim holds
PG_BASELINE_SQL = (
    "UPDATE lead SET status = 'in_progress', claimed_by_id = %s, claimed_at = %s, "
    "lease_until = %s, updated_at = %s WHERE id = (SELECT id FROM lead WHERE status = 'new' "
    "AND claimed_by_id IS NULL ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id"
)
LEASE = timedelta(minutes=5)


def _text(value: datetime) -> str:
    from tmdesk.store.fields import utc_text

    return utc_text(value)


def load(pristine: Path, url: str) -> None:
    """Migrate the database at `url` (it must hold no desk yet) and copy every row of the
    SQLite desk into it with COPY; then the sequences and the planner's statistics."""
    from tmdesk.services.workspace import init_workspace
    from tmdesk.store.dialect import reset_sequences
    from tmdesk.store.models import MODELS, database

    init_workspace(url)  # refuses a database that holds a desk
    source = sqlite3.connect(str(pristine))
    started, rows = time.monotonic(), 0
    connection = database.connection()
    with database.atomic():
        for model in MODELS:
            table = model._meta.table_name
            columns = [row[1] for row in source.execute(f'PRAGMA table_info("{table}")')]
            if not columns:
                continue
            names = ", ".join(f'"{c}"' for c in columns)
            with connection.cursor().copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in source.execute(f'SELECT {names} FROM "{table}"'):
                    copy.write_row(row)
                    rows += 1
        reset_sequences(*(m._meta.table_name for m in MODELS if "id" in m._meta.fields))
    database.execute_sql("ANALYZE")
    source.close()
    print(f"loaded {rows:,} rows into {url} in {time.monotonic() - started:.1f} s")


class PgRawClaimer:
    """The baseline: one UPDATE … RETURNING … SKIP LOCKED and its COMMIT, own connection."""

    def __init__(self, url: str, agent_id: int):
        import psycopg

        self.conn = psycopg.connect(url)
        self.agent_id = agent_id

    def claim(self, clock: datetime) -> tuple[int, int]:
        """(lead id, ns from the statement to the COMMIT)."""
        started = time.perf_counter_ns()
        row = self.conn.execute(
            PG_BASELINE_SQL, (self.agent_id, _text(clock), _text(clock + LEASE), _text(clock))
        ).fetchone()
        self.conn.commit()
        elapsed = time.perf_counter_ns() - started
        assert row is not None, "the baseline found no new lead"
        return row[0], elapsed

    def give_back(self, lead_id: int | None = None) -> None:
        where, params = (
            ("id = %s", (lead_id,))
            if lead_id is not None
            else (
                "claimed_by_id = %s",
                (self.agent_id,),
            )
        )
        self.conn.execute(
            "UPDATE lead SET status = 'new', claimed_by_id = NULL, claimed_at = NULL, "
            f"lease_until = NULL WHERE {where}",
            params,
        )
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()


def run(url: str, pristine: Path, args, settings, alternating_claims, figures, result) -> None:
    """Load, then measure both modes as claim_bench does on SQLite (functions passed in)."""
    from tmdesk.services.workspace import open_workspace
    from tmdesk.store.models import User, database

    load(pristine, url)
    open_workspace(url, settings=settings)
    agents = [u.id for u in User.select(User.id).order_by(User.id)]
    server = database.execute_sql("SHOW server_version").fetchone()[0]
    print(f"PostgreSQL {server} at {url}")
    for label, block in (
        ("warm: blocks of 100 claims each side", 100),
        ("cold: claims alternate one by one (each follows the other's commit)", 1),
    ):
        raw = PgRawClaimer(url, agents[-1])
        ours, theirs, buckets = alternating_claims(
            args.claims, args.warmup, block, settings, agents, raw, None, args.budget
        )
        raw.close()
        ours_median, ours_p99 = figures(ours)
        raw_median, raw_p99 = figures(theirs)
        ratio = ours_median / raw_median
        verdict = "met" if ratio <= 3 else "NOT met"
        print(f"\nPostgreSQL {label}\nclaims: {len(ours):,} each; tmdesk served {buckets}")
        print(f"(a) tmdesk claim_next_lead : median {ours_median:8.1f} µs   p99 {ours_p99:8.1f} µs")
        print(f"(b) raw UPDATE … SKIP LOCKED: median {raw_median:8.1f} µs   p99 {raw_p99:8.1f} µs")
        print(f"(c) ratio of medians       : {ratio:.2f}x   (target <= 3x: {verdict})")
        result(
            f"claim postgresql {label.split(':')[0]}",
            f"median {ours_median:.1f} µs",
            f"{raw_median:.1f} µs",
            f"ratio {ratio:.2f}x (target <= 3x: {verdict})",
        )
    database.close()


class PhaseDatabases:
    """floor_bench on PostgreSQL: the database `url` names (empty, or an empty desk) is
    loaded once from the SQLite desk by `copy_desk` and becomes the template; each phase
    works on a fresh copy of it, `<name>_phase` (CREATE DATABASE … TEMPLATE copies the
    files: seconds, where loading a million leads again takes minutes), dropped before the
    next and at the end. The database `url` names keeps the loaded desk, as claim_bench's.

    The copies are made and dropped from another database of the server (`postgres`, or
    `template1` when `url` names `postgres`): none may be connected to a template."""

    def __init__(self, url: str):
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(url)
        self.name = parts.path.lstrip("/")
        if not self.name:
            raise SystemExit(f"--db {url}: name the database (postgresql://…/DBNAME)")
        self.url = url
        self.copy = f"{self.name[:57]}_phase"  # PostgreSQL's names stop at 63 bytes
        self.copy_url = urlunsplit(parts._replace(path=f"/{self.copy}"))
        other = "template1" if self.name == "postgres" else "postgres"
        self.server_url = urlunsplit(parts._replace(path=f"/{other}"))

    def _server(self):
        import psycopg

        return psycopg.connect(self.server_url, autocommit=True, connect_timeout=10)

    def load(self, pristine: Path) -> str:
        """Copy the SQLite desk in (refused unless the database holds no desk yet), gather
        the planner's statistics (the copies inherit them); the server's version."""
        import psycopg

        from tmdesk.services.desk_copy import DeskCopyError, copy_desk

        started = time.monotonic()
        try:
            report = copy_desk(str(pristine), self.url)
        except DeskCopyError as error:
            raise SystemExit(f"floor_bench --db: {error} (give an empty database)") from None
        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute("ANALYZE")
            version = connection.execute("SHOW server_version").fetchone()[0]
        print(
            f"loaded {report.rows:,} rows into {self.name} (the template of every phase) "
            f"in {time.monotonic() - started:.1f} s"
        )
        return version

    def fresh(self) -> str:
        """The URL of a new copy of the template (the previous copy dropped)."""
        with self._server() as server:
            server.execute(f'DROP DATABASE IF EXISTS "{self.copy}" WITH (FORCE)')
            # FILE_COPY: the files copied between two checkpoints, so a phase does not start
            # with the copy's writes still to flush (WAL_LOG, 15's default, leaves a big
            # database's pages in the WAL for a checkpoint during the phase)
            server.execute(
                f'CREATE DATABASE "{self.copy}" TEMPLATE "{self.name}" STRATEGY FILE_COPY'
            )
        return self.copy_url

    def drop(self) -> None:
        with self._server() as server:
            server.execute(f'DROP DATABASE IF EXISTS "{self.copy}" WITH (FORCE)')
