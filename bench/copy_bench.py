"""`tmdesk db copy` of claim_bench's desk (1M leads) beside a raw copy of its leads.

    python bench/copy_bench.py [--leads 1000000] [--workdir DIR] [--reuse] [--smoke]
                               [--time-limit S] [--db postgresql://…/EMPTY_DATABASE]

Takes claim_bench's SQLite desk (built, or reused with --reuse), then in the same run:
  (a) tmdesk: `copy_desk` (what `tmdesk db copy SOURCE TARGET` runs) from the SQLite desk into
      the empty database --db names (PostgreSQL), or into a new SQLite file without --db;
      every table, with the counts compared before the commit; rows/s over every row copied,
      migrations of the target not counted;
  (b) baseline: the same leads, and only them, read with sqlite3 and written raw into a copy
      of the lead table with its indexes: psycopg's COPY on PostgreSQL (a table made LIKE
      lead INCLUDING ALL, dropped after), executemany into a migrated empty desk on SQLite;
      rows/s.
Target (issue 15): (a) at >= 20k rows/s on the 1M-lead desk, on PostgreSQL.
--smoke: 20k leads (seconds, for CI). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
import time
from pathlib import Path

from bench_common import add_common_arguments, claim_bench_copy, result, time_limit

TARGET_ROWS_PER_SECOND = 20_000


def _target_path(workdir: Path, name: str) -> Path:
    path = workdir / name
    for stale in workdir.glob(name + "*"):
        stale.unlink()
    return path


def _lead_rows(source: Path) -> tuple[list[str], sqlite3.Cursor]:
    connection = sqlite3.connect(str(source))
    columns = [row[1] for row in connection.execute('PRAGMA table_info("lead")')]
    names = ", ".join(f'"{c}"' for c in columns)
    return columns, connection.execute(f'SELECT {names} FROM "lead" ORDER BY "id"')


def baseline_postgres(source: Path, url: str) -> tuple[int, float]:
    """(rows, seconds): the leads by one raw COPY into a table shaped like lead."""
    import psycopg

    columns, rows = _lead_rows(source)
    names = ", ".join(f'"{c}"' for c in columns)
    with psycopg.connect(url) as connection:
        connection.execute("DROP TABLE IF EXISTS bench_lead_baseline")
        connection.execute("CREATE TABLE bench_lead_baseline (LIKE lead INCLUDING ALL)")
        connection.commit()
        started, count = time.perf_counter(), 0
        with connection.cursor() as cursor:
            with cursor.copy(f"COPY bench_lead_baseline ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        connection.commit()
        seconds = time.perf_counter() - started
        connection.execute("DROP TABLE bench_lead_baseline")
        connection.commit()
    return count, seconds


def baseline_sqlite(source: Path, workdir: Path) -> tuple[int, float]:
    """(rows, seconds): the leads by executemany into a migrated empty desk's lead table
    (its foreign keys off: the lists and zone sets are not there)."""
    from tmdesk.services.workspace import open_workspace
    from tmdesk.store.models import database

    empty = _target_path(workdir, "copy-baseline.db")
    open_workspace(empty)
    database.close()
    columns, rows = _lead_rows(source)
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f'INSERT INTO "lead" ({names}) VALUES ({", ".join("?" * len(columns))})'
    connection = sqlite3.connect(str(empty), isolation_level=None)
    connection.execute("PRAGMA journal_mode = wal")
    connection.execute("PRAGMA synchronous = normal")
    connection.execute("PRAGMA foreign_keys = off")
    started, count = time.perf_counter(), 0
    connection.execute("BEGIN")
    while chunk := rows.fetchmany(10_000):
        connection.executemany(sql, chunk)
        count += len(chunk)
    connection.execute("COMMIT")
    seconds = time.perf_counter() - started
    connection.close()
    return count, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "tmdesk-claim-bench"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="reuse claim_bench's database (same --leads)"
    )
    parser.add_argument(
        "--db", help="copy into PostgreSQL: a URL naming an empty database (or an empty desk)"
    )
    add_common_arguments(parser, limit=1800)
    args = parser.parse_args()
    if args.smoke:
        args.leads = 20_000
        args.time_limit = min(args.time_limit, 180)
    time_limit(args.time_limit)

    from tmdesk.services.desk_copy import copy_desk

    source = claim_bench_copy(args.workdir, args.leads, args.reuse, "copy-source.db")
    target = args.db or str(_target_path(args.workdir, "copy-target.db"))
    kind = "postgresql" if args.db else "sqlite"
    print(f"machine: {os.cpu_count()} cores, load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    started = time.perf_counter()
    report = copy_desk(str(source), target)
    wall = time.perf_counter() - started
    print(f"{'table':<18} {'rows':>12} {'seconds':>8} {'rows/s':>10}")
    for count in report.counts:
        rate = f"{count.target / count.seconds:>10,.0f}" if count.target else ""
        print(f"{count.table:<18} {count.target:>12,} {count.seconds:>8.2f} {rate}")
    print(
        f"(a) tmdesk db copy sqlite → {kind}: {report.rows:,} rows in {report.seconds:.2f} s "
        f"= {report.rows_per_second:,.0f} rows/s ({wall:.2f} s with the target's migrations)"
    )
    if args.db:
        rows, seconds = baseline_postgres(source, args.db)
        how = "raw psycopg COPY"
    else:
        rows, seconds = baseline_sqlite(source, args.workdir)
        how = "raw sqlite3 executemany"
    print(
        f"(b) {how} of the leads: {rows:,} rows in {seconds:.2f} s = {rows / seconds:,.0f} rows/s"
    )
    verdict = "met" if report.rows_per_second >= TARGET_ROWS_PER_SECOND else "NOT met"
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    result(
        f"db copy sqlite to {kind} ({args.leads:,} leads)",
        f"{report.rows_per_second:,.0f} rows/s",
        f"{how} {rows / seconds:,.0f} rows/s",
        f"target >= {TARGET_ROWS_PER_SECOND:,} rows/s: {verdict}"
        + ("" if args.db else " (the target is PostgreSQL's; give --db)"),
    )


if __name__ == "__main__":
    main()
