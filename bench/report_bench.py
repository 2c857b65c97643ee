"""The supervisor's day report over 1M call attempts, beside a bare count of the same day.

    python bench/report_bench.py [--attempts 1000000] [--days 60] [--agents 30]
                                 [--runs 15] [--workdir DIR] [--reuse] [--smoke]
                                 [--time-limit S]

Builds a SQLite database with executemany: `--agents` agents calling on weekdays between
09:00 and 18:00 Moscow time for `--days` days before Wednesday 2026-11-25, about a
million attempts in time order (as a desk writes them), with the dispositions of a real
desk (most unanswered), claim times 20 s – 7 min before the outcome, a few undone
attempts, a qualification for every qualified / nurture / not-a-fit outcome and a meeting
for a third of the qualified. --reuse keeps the database of an earlier run (rebuilt when the
schema changed). Every measurement works on a copy of it.

Then, in the same run, each the median of --runs after one warm-up run:
  (a) tmdesk: `services.reports.report(day)` for the last day (figures per agent and total,
      funnel, dispositions by hour and by agent) in Europe/Moscow;
  (b) baseline: `SELECT count(*) FROM call_attempt WHERE at >= ? AND at < ?` over the same
      day, through sqlite3 directly;
  (c) against the target (docs/architecture.md §11): the day report ≤ 50 ms.
Also, for information: a 7-day and a 30-day report, the lists' progress, and the query
plans of the report's statements. "Now" is fixed at 18:00 Moscow on the last day, whenever it
runs; the run stops after --time-limit. --smoke: 20k attempts over 10 days, 3 runs (seconds,
for CI). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

from bench_common import add_common_arguments, time_limit
from bench_common import result as summary
from bench_schema import current_schema, schema_of

ZONE = "Europe/Moscow"
LAST_DAY = date(2026, 11, 25)  # a Wednesday
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # 18:00 in Moscow: the last day's calls done
BUILD_SEED = 20261125
TARGET_MS = 50.0

# (disposition, share %)
DISPOSITIONS = [
    ("no_answer", 45),
    ("busy", 9),
    ("voicemail", 8),
    ("wrong_number", 3),
    ("callback", 8),
    ("not_interested", 12),
    ("not_fit", 6),
    ("nurture", 3),
    ("qualified", 5),
    ("dnc", 1),
]
STATUS_AFTER = {"no_answer": "retry", "busy": "retry", "voicemail": "retry"}


def text(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def work_days(days: int) -> list[date]:
    first = LAST_DAY - timedelta(days=days - 1)
    return [d for n in range(days) if (d := first + timedelta(days=n)).weekday() < 5]


def build(path: Path, attempts: int, days: int, agents: int) -> None:
    from tmdesk.services.users import add_user
    from tmdesk.services.workspace import open_workspace
    from tmdesk.store.models import CallList, ImportRun, Specialist, ZoneSet, database

    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    started = time.perf_counter()
    open_workspace(path)
    rng = random.Random(BUILD_SEED)
    agent_ids = [add_user(f"agent{n:02d}", f"Агент {n}").id for n in range(agents)]
    add_user("supervisor", "Супервайзер", "supervisor")
    leads = max(attempts // 4, 1000)
    with database.atomic():
        zone_id = ZoneSet.insert(zones=ZONE).execute()
        call_list = CallList.create(name="bench", priority=0)
        run = ImportRun.create(
            call_list=call_list,
            file_name="bench.csv",
            file_sha256="0" * 64,
            kind="csv",
            rows=leads,
            imported=leads,
            invalid=leads // 100,
            finished_at=NOW - timedelta(days=days + 1),
        )
        specialist = Specialist.create(name="Специалист", time_zone=ZONE)
        created = text(
            datetime.combine(LAST_DAY - timedelta(days=days + 1), clock(12), ZoneInfo(ZONE))
        )
        database.cursor().executemany(
            "INSERT INTO lead (call_list_id, import_run_id, company, contact, position, email, "
            "city, region, inn, website, comment, phone_raw, phone_e164, place, zone_set_id, "
            "zone_source, status, list_priority, priority, attempts, created_at, updated_at) "
            "VALUES (?, ?, ?, '', '', '', '', '', '', '', '', '', ?, '', ?, 'region', 'new', "
            "0, 0, 0, ?, ?)",
            (
                (
                    call_list.id,
                    run.id,
                    f"ООО Компания {n}",
                    f"+7495{n:07d}",
                    zone_id,
                    created,
                    created,
                )
                for n in range(leads)
            ),
        )
    first_lead = database.execute_sql("SELECT min(id) FROM lead").fetchone()[0]

    names, weights = zip(*DISPOSITIONS, strict=True)
    calendar = work_days(days)
    per_day = attempts // len(calendar)
    zone = ZoneInfo(ZONE)
    rows, qualifications, meetings = [], [], []
    attempt_id = 0
    for day in calendar:
        opens = datetime.combine(day, clock(9), zone).astimezone(UTC)
        seconds = sorted(rng.uniform(0, 9 * 3600) for _ in range(per_day))
        for offset in seconds:
            attempt_id += 1
            at = opens + timedelta(seconds=offset)
            claimed = at - timedelta(seconds=rng.uniform(20, 420))
            disposition = rng.choices(names, weights)[0]
            agent = rng.choice(agent_ids)
            lead = first_lead + rng.randrange(leads)
            undone = text(at + timedelta(seconds=5)) if rng.random() < 0.005 else None
            rows.append(
                (
                    attempt_id,
                    lead,
                    agent,
                    f"+7495{lead:07d}",
                    text(claimed),
                    text(at),
                    disposition,
                    "",
                    "new",
                    STATUS_AFTER.get(disposition, disposition),
                    undone,
                )
            )
            if disposition in ("qualified", "nurture", "not_fit") and undone is None:
                qualifications.append(
                    (
                        lead,
                        agent,
                        "b2b-ru",
                        "1",
                        "[]",
                        0 if disposition == "not_fit" else 1,
                        "later" if disposition == "nurture" else "now",
                        "2027-03-01" if disposition == "nurture" else None,
                        rng.randint(40, 95),
                        "submitted",
                        text(at),
                        text(at),
                        text(at),
                    )
                )
                if disposition == "qualified" and rng.random() < 0.35:
                    starts = at + timedelta(days=3, minutes=30 * len(meetings) % 97)
                    meetings.append(
                        (
                            lead,
                            specialist.id,
                            text(starts),
                            text(starts + timedelta(hours=1)),
                            "video",
                            "cancelled" if rng.random() < 0.05 else "done",
                            agent,
                            text(at),
                        )
                    )
    with database.atomic():
        cursor = database.cursor()
        cursor.executemany(
            "INSERT INTO call_attempt (id, lead_id, agent_id, phone_e164, claimed_at, at, "
            "disposition, note, status_before, status_after, undone_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        cursor.executemany(
            "INSERT INTO qualification (lead_id, agent_id, script_key, script_version, answers, "
            "fit, actuality, recall_on, score, status, submitted_at, created_at, updated_at, "
            "knockouts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]')",
            qualifications,
        )
        # 'done' meetings never overlap-check (only booked ones do)
        cursor.executemany(
            "INSERT INTO meeting (lead_id, specialist_id, starts_at, ends_at, kind, status, "
            "booked_by_id, booked_at, place, agenda) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', '')",
            meetings,
        )
    database.execute_sql("ANALYZE")
    database.close()
    print(
        f"built {path} in {time.perf_counter() - started:.0f} s: {len(rows):,} attempts "
        f"over {len(calendar)} work days, {len(qualifications):,} qualifications, "
        f"{len(meetings):,} meetings, {leads:,} leads"
    )


def median_ms(action, runs: int) -> tuple[float, float]:
    action()  # warm-up: the page cache, the zone and the statement caches
    samples = []
    for _ in range(runs):
        started = time.perf_counter_ns()
        action()
        samples.append((time.perf_counter_ns() - started) / 1e6)
    return statistics.median(samples), min(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--agents", type=int, default=30)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "tmdesk-report-bench"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the database built by an earlier run (same sizes)",
    )
    add_common_arguments(parser, limit=900)
    args = parser.parse_args()
    if args.smoke:
        args.attempts, args.days, args.agents, args.runs = 20_000, 10, 5, 3
        args.time_limit = min(args.time_limit, 120)
    time_limit(args.time_limit)

    args.workdir.mkdir(parents=True, exist_ok=True)
    pristine = args.workdir / f"attempts-{args.attempts}-{args.days}d-{args.agents}a.db"
    if args.reuse and pristine.exists() and schema_of(pristine) != current_schema(args.workdir):
        print(f"{pristine} has another schema than this tmdesk's: building it again")
        build(pristine, args.attempts, args.days, args.agents)
    elif args.reuse and pristine.exists():
        print(f"reusing {pristine} ({pristine.stat().st_size / 2**20:.0f} MiB)")
    else:
        build(pristine, args.attempts, args.days, args.agents)
    work = args.workdir / "run.db"
    for stale in args.workdir.glob("run.db*"):
        stale.unlink()
    shutil.copyfile(pristine, work)

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.platform()}"
    )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    from tmdesk.services import reports
    from tmdesk.services.calls import day_bounds
    from tmdesk.services.workspace import open_workspace
    from tmdesk.store.fields import utc_text
    from tmdesk.store.models import database

    workspace = open_workspace(work)
    total = database.execute_sql("SELECT count(*) FROM call_attempt").fetchone()[0]
    start, end = (utc_text(t) for t in day_bounds(LAST_DAY, ZONE))
    day_rows = database.execute_sql(
        "SELECT count(*) FROM call_attempt WHERE at >= ? AND at < ?", (start, end)
    ).fetchone()[0]
    print(f"call attempts: {total:,}; on {LAST_DAY} ({ZONE}): {day_rows:,}")

    print("query plans of the day report:")
    for name in ("_figures_sql", "_FIRST_LAST_SQL", "_HOUR_SQL", "_MEETINGS_SQL", "_qualified_sql"):
        sql = getattr(reports, name)
        sql = sql() if callable(sql) else sql  # written per dialect since PostgreSQL came
        parameters = (start, end) if "?" in sql else {"start": start, "end": end}
        plan = database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", parameters).fetchall()
        print(f"  {name}: " + "; ".join(row[-1] for row in plan))

    raw = sqlite3.connect(str(work))
    baseline_sql = "SELECT count(*) FROM call_attempt WHERE at >= ? AND at < ?"
    baseline, baseline_min = median_ms(
        lambda: raw.execute(baseline_sql, (start, end)).fetchone(), args.runs
    )
    day, day_min = median_ms(lambda: reports.report(LAST_DAY, time_zone=ZONE, now=NOW), args.runs)
    result = reports.report(LAST_DAY, time_zone=ZONE, now=NOW)
    print(
        f"(a) day report          median {day:7.1f} ms (min {day_min:.1f}); "
        f"{result.totals.calls:,} calls, {len(result.agents)} agents, "
        f"{len(result.by_hour)} hours"
    )
    print(f"(b) baseline count(*)   median {baseline:7.1f} ms (min {baseline_min:.1f})")
    print(
        f"(c) day report / baseline = {day / baseline:.1f}×; target ≤ {TARGET_MS:.0f} ms: "
        f"{'met' if day <= TARGET_MS else 'MISSED'} ({day / TARGET_MS:.2f} of the budget)"
    )
    summary(
        "day report",
        f"median {day:.1f} ms",
        f"count(*) {baseline:.1f} ms",
        f"target <= {TARGET_MS:.0f} ms: {'met' if day <= TARGET_MS else 'MISSED'}",
    )

    for span in (7, 30):
        first = LAST_DAY - timedelta(days=span - 1)
        took, _ = median_ms(
            lambda first=first: reports.report(first, LAST_DAY, time_zone=ZONE, now=NOW),
            max(3, args.runs // 3),
        )
        print(f"    {span}-day report     median {took:7.1f} ms")
    took, _ = median_ms(
        lambda: reports.list_progress(workspace.settings, now=NOW), max(3, args.runs // 3)
    )
    print(f"    lists' progress     median {took:7.1f} ms")
    raw.close()


if __name__ == "__main__":
    main()
