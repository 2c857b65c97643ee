"""Next-lead claim at 1M leads beside a raw `UPDATE … RETURNING` claim on the same database.

    python bench/claim_bench.py [--leads 1000000] [--claims 2000] [--workdir DIR] [--reuse]
                                [--budget SECONDS] [--profile] [--smoke] [--time-limit S]
                                [--db postgresql://…/EMPTY_DATABASE]

Builds a SQLite database shaped like an imported one, bulk-inserted with executemany (ten
call lists with list priorities, ~30 zone sets with Moscow the largest, mostly new leads with
some retries, callbacks, nurtures and finished ones, lead priorities, a 10k-number
do-not-call list a third of which hits leads after their import), or reuses it with --reuse
(rebuild after a schema change). Every measurement works on a fresh copy of it.

Then, in the same run:
  (a) tmdesk: `claim_next_lead` through the service with a fixed `now` (a Wednesday, 12:30 in
      Moscow: with tmdesk's default calling window, open everywhere but the far east and
      mobiles without a region), each claim followed by a `record_disposition` (no answer,
      busy, voicemail, wrong number, not a fit, callback — a qualified verdict comes only from
      a qualification script, so it is left out; mostly no answer, as on a real desk: the retries
      pile up at the head of the list being worked), so the queue moves; only the claim is
      timed, from the call to its return (BEGIN IMMEDIATE … COMMIT included);
  (b) baseline: `UPDATE lead SET status='in_progress', … WHERE id = (SELECT id FROM lead
      NOT INDEXED WHERE status='new' AND claimed_by_id IS NULL ORDER BY id LIMIT 1)
      RETURNING id` between BEGIN IMMEDIATE and COMMIT, through sqlite3 directly with
      tmdesk's pragmas, the lead given back after each claim (untimed);
  (c) the ratio of the medians. Target (docs/architecture.md §11): ≤ 4×.
Both are measured twice, on the same machine moment: in alternating blocks of 100 ("warm":
each connection keeps its page cache) and alternating one by one ("cold": every claim follows
the other connection's commit, which makes SQLite drop the page cache, as an agent's desk
among other desks does).

It also prints the statements one claim runs, with EXPLAIN QUERY PLAN for each, so that a
regression to a full scan or a sort shows, and with --profile where the claim's time goes.
A claim that regressed badly (seconds) stops each measurement after --budget seconds, and the
whole run stops after --time-limit. --smoke: 20k leads, 200 claims (seconds, for CI).
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench_common import WORDS, add_common_arguments, result, time_limit
from bench_schema import current_schema, schema_of

# Wednesday 12:30 in Moscow (09:30 UTC): 19:30 in Vladivostok, 21:30 in Kamchatka (closed).
NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
BUILD_SEED = 20261125

# (zone set, share of leads, area codes, city) — cities as a Russian B2B list has them.
ZONES = [
    ("Europe/Moscow", 40, ("495", "499"), "Москва"),
    ("Europe/Moscow", 12, ("812",), "Санкт-Петербург"),  # same zone set as Moscow
    ("Europe/Kaliningrad", 1, ("401",), "Калининград"),
    ("Europe/Samara", 2, ("846",), "Самара"),
    ("Europe/Volgograd", 1, ("844",), "Волгоград"),
    ("Europe/Saratov", 1, ("845",), "Саратов"),
    ("Europe/Ulyanovsk", 0.5, ("842",), "Ульяновск"),
    ("Europe/Astrakhan", 0.5, ("851",), "Астрахань"),
    ("Europe/Kirov", 0.5, ("833",), "Киров"),
    ("Europe/Simferopol", 0.5, ("365",), "Симферополь"),
    ("Asia/Yekaterinburg", 7, ("343",), "Екатеринбург"),
    ("Asia/Omsk", 1, ("381",), "Омск"),
    ("Asia/Novosibirsk", 3, ("383",), "Новосибирск"),
    ("Asia/Barnaul", 1, ("385",), "Барнаул"),
    ("Asia/Tomsk", 0.5, ("382",), "Томск"),
    ("Asia/Novokuznetsk", 1, ("384",), "Кемерово"),
    ("Asia/Krasnoyarsk", 2, ("391",), "Красноярск"),
    ("Asia/Irkutsk", 1.5, ("395",), "Иркутск"),
    ("Asia/Chita", 0.5, ("302",), "Чита"),
    ("Asia/Yakutsk|Asia/Khandyga|Asia/Ust-Nera|Asia/Srednekolymsk", 0.5, ("411",), "Якутия"),
    ("Asia/Vladivostok", 2, ("423",), "Владивосток"),
    ("Asia/Sakhalin", 0.3, ("424",), "Южно-Сахалинск"),
    ("Asia/Sakhalin|Asia/Srednekolymsk", 0.1, ("424",), "Сахалинская область"),
    ("Asia/Magadan", 0.3, ("413",), "Магадан"),
    ("Asia/Kamchatka", 0.3, ("415",), "Петропавловск-Камчатский"),
    ("Asia/Anadyr", 0.1, ("427",), "Анадырь"),
    ("Europe/Moscow|Europe/Samara", 0.5, ("855",), "Татарстан, Самарская область"),
    ("Asia/Yekaterinburg|Asia/Omsk", 0.3, ("345",), "Тюменская область"),
    (
        "Europe/Kaliningrad|Europe/Moscow|Europe/Samara|Asia/Yekaterinburg|Asia/Omsk|"
        "Asia/Krasnoyarsk|Asia/Irkutsk|Asia/Yakutsk|Asia/Vladivostok|Asia/Magadan|"
        "Asia/Kamchatka",
        0.5,
        ("800",),
        "",
    ),  # nationwide range
    # a mobile number without a city: libphonenumber's sixteen zones
    (
        "Asia/Almaty|Asia/Anadyr|Asia/Aqtobe|Asia/Irkutsk|Asia/Kamchatka|Asia/Krasnoyarsk|"
        "Asia/Magadan|Asia/Novosibirsk|Asia/Omsk|Asia/Sakhalin|Asia/Vladivostok|Asia/Yakutsk|"
        "Asia/Yekaterinburg|Europe/Kaliningrad|Europe/Moscow|Europe/Samara",
        5,
        ("916", "903", "985", "926", "913"),
        "",
    ),
    ("", 0.5, ("900",), ""),  # nothing known: served on Moscow's window
]

# (status, share %); the rest of the statuses' fields are filled in build()
STATUSES = [
    ("new", 88.0),
    ("retry", 5.0),
    ("callback", 1.5),
    ("nurture", 0.5),
    ("qualified", 2.0),
    ("not_fit", 1.5),
    ("wrong_number", 1.0),
    ("dnc", 0.3),
    ("exhausted", 0.2),
]
LISTS = [
    ("Выставка ИННОПРОМ 2026", 3),
    ("Логистика Урал", 2),
    ("Производство ЦФО", 1),
    ("Ритейл Москва", 1),
    ("Стройка Сибирь", 0),
    ("HoReCa СПб", 0),
    ("Агро Юг", 0),
    ("Медицина", 0),
    ("IT-интеграторы", 0),
    ("Холодная база 2025", -1),
]
AGENTS = 20
DNC_NUMBERS = 10_000

FORMS = ["ООО", "АО", "ПАО", "ИП"]


def text(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


# --- building ---------------------------------------------------------------------------------


def build(path: Path, leads: int) -> None:
    """A database with `leads` leads, as `tmdesk import` would leave it after some calling."""
    from tmdesk.services.users import add_user
    from tmdesk.services.workspace import open_workspace
    from tmdesk.store.models import CallList, ImportRun, ZoneSet, database

    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    started = time.perf_counter()
    open_workspace(path)
    rng = random.Random(BUILD_SEED)
    agent_ids = [add_user(f"agent{n:02d}", f"Агент {n}").id for n in range(AGENTS)]
    created = text(NOW - timedelta(days=20))
    with database.atomic():
        zone_ids = {}
        for zones, *_ in ZONES:
            if zones not in zone_ids:
                zone_ids[zones] = ZoneSet.insert(zones=zones).execute()
        lists = []
        for name, priority in LISTS:
            call_list = CallList.create(name=name, priority=priority)
            run = ImportRun.create(
                call_list=call_list,
                file_name=f"{name}.xlsx",
                file_sha256="0" * 64,
                kind="xlsx",
                rows=leads // len(LISTS),
                finished_at=NOW - timedelta(days=20),  # an unfinished import's leads are hidden
            )
            lists.append((call_list.id, run.id, priority))
    zone_weights = [w for _z, w, *_ in ZONES]
    status_names, status_weights = zip(*STATUSES, strict=True)
    columns = (
        "call_list_id",
        "import_run_id",
        "source_line",
        "company",
        "contact",
        "position",
        "email",
        "city",
        "region",
        "inn",
        "website",
        "comment",
        "phone_raw",
        "phone_e164",
        "phone_region",
        "phone_kind",
        "place",
        "zone_set_id",
        "zone_source",
        "status",
        "list_priority",
        "priority",
        "attempts",
        "last_attempt_at",
        "next_call_at",
        "callback_owner_id",
        "callback_note",
        "created_at",
        "updated_at",
    )
    sql = f"INSERT INTO lead ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    per_list = -(-leads // len(lists))
    phones = []
    conn = database.connection()
    with database.atomic():
        batch = []
        for n in range(leads):
            list_id, run_id, list_priority = lists[n // per_list]
            zones, _w, codes, city = rng.choices(ZONES, zone_weights)[0]
            code = rng.choice(codes)
            e164 = f"+7{code}{n:07d}"  # unique by construction
            phones.append(e164)
            status = rng.choices(status_names, status_weights)[0]
            attempts, last, due, owner, note = 0, None, None, None, None
            if status != "new":
                attempts = rng.randint(1, 5)
                last = text(NOW - timedelta(minutes=rng.randint(30, 60 * 24 * 14)))
            if status == "retry":  # half due by now, half later today or tomorrow
                due = text(NOW + timedelta(minutes=rng.randint(-60 * 24, 60 * 24)))
            elif status in ("callback", "nurture"):  # agreed times, mostly ahead
                due = text(NOW + timedelta(minutes=rng.randint(-30, 60 * 24 * 30)))
                owner = rng.choice(agent_ids) if rng.random() < 0.8 else None
                note = "после совещания, спросить Ирину"
            elif status == "exhausted":
                attempts = 6
            local = e164[2:]
            batch.append(
                (
                    list_id,
                    run_id,
                    n + 2,
                    f"{rng.choice(FORMS)} «{rng.choice(WORDS)}{rng.choice(WORDS)}»",
                    f"Контакт {n}",
                    "директор" if n % 4 == 0 else "",
                    "" if n % 3 else f"info{n}@example.ru",
                    city,
                    "",
                    f"{rng.randrange(10**9, 10**10)}",
                    "",
                    "" if n % 3 else "перезвонить после обеда",
                    f"8 ({local[:3]}) {local[3:6]}-{local[6:8]}-{local[8:]}",
                    e164,
                    "RU",
                    "mobile" if code.startswith("9") else "fixed_line",
                    city,
                    zone_ids[zones],
                    "region" if city else "phone",
                    status,
                    list_priority,
                    rng.choices((0, 1, 2, 5), (85, 8, 5, 2))[0],
                    attempts,
                    last,
                    due,
                    owner,
                    note,
                    created,
                    created,
                )
            )
            if len(batch) >= 50_000:
                conn.executemany(sql, batch)
                batch.clear()
        if batch:
            conn.executemany(sql, batch)
        # do-not-call: 2/3 numbers never imported, 1/3 numbers of leads (listed after import)
        dnc = [
            f"+7{rng.choice(('495', '916', '343'))}{9_000_000 + n:07d}"
            for n in range(DNC_NUMBERS * 2 // 3)
        ]
        dnc += rng.sample(phones, DNC_NUMBERS - len(dnc))
        conn.executemany(
            "INSERT OR IGNORE INTO dnc_entry (phone_e164, reason, source, added_at)"
            " VALUES (?, 'просили не звонить', 'import', ?)",
            [(p, created) for p in dnc],
        )
    # no ANALYZE: tmdesk never runs it, so the planner works without sqlite_stat1 as here
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    print(
        f"built {leads:,} leads in {time.perf_counter() - started:.1f} s "
        f"({path.stat().st_size / 2**20:.0f} MiB)"
    )


# --- measuring --------------------------------------------------------------------------------


def figures(samples_ns: list[int]) -> tuple[float, float]:
    ordered = sorted(samples_ns)
    median = statistics.median(ordered) / 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] / 1000
    return median, p99


# "qualified" is the qualification script's verdict (services.qualification), not a key
# press: its share goes to voicemail, which, like it, takes the lead out of today's queue
DISPOSITIONS = (
    ("no_answer", 45),
    ("busy", 10),
    ("voicemail", 5),
    ("wrong_number", 10),
    ("not_fit", 20),
    ("callback", 10),
)


# Written plainly, SQLite (no sqlite_stat1) takes the (status, next_call_at) index for
# status = 'new', believes it matches ~10 rows and sorts all ~900k new leads by id for each
# claim (~0.4 s at 1M). NOT INDEXED makes it walk the table in id order and stop at the
# first new lead: the cost of a claim itself, which is what the baseline is for. The plain
# form's plan and a few timings are printed beside it.
BASELINE_SQL = (
    "UPDATE lead SET status = 'in_progress', claimed_by_id = ?, claimed_at = ?, "
    "lease_until = ?, updated_at = ? "
    "WHERE id = (SELECT id FROM lead NOT INDEXED WHERE status = 'new' AND claimed_by_id IS NULL "
    "ORDER BY id LIMIT 1) RETURNING id"
)
PLAIN_BASELINE_SQL = BASELINE_SQL.replace(" NOT INDEXED", "")
LEASE = timedelta(minutes=5)


class RawClaimer:
    """The baseline: one UPDATE … RETURNING between BEGIN IMMEDIATE and COMMIT, own connection."""

    def __init__(self, path: Path, agent_id: int, sql: str = BASELINE_SQL):
        from tmdesk.store.db import SQLITE_PRAGMAS

        self.conn = sqlite3.connect(str(path), isolation_level=None, timeout=30)
        for name, value in SQLITE_PRAGMAS.items():  # the same connection settings as tmdesk's
            self.conn.execute(f"PRAGMA {name} = {value}")
        self.agent_id, self.sql = agent_id, sql

    def claim(self, clock: datetime) -> tuple[int, int]:
        """(lead id, ns from BEGIN to COMMIT)."""
        conn = self.conn
        started = time.perf_counter_ns()
        conn.execute("BEGIN IMMEDIATE")
        row = conn.execute(
            self.sql, (self.agent_id, text(clock), text(clock + LEASE), text(clock))
        ).fetchone()
        conn.execute("COMMIT")
        elapsed = time.perf_counter_ns() - started
        assert row is not None, "the baseline found no new lead"
        return row[0], elapsed

    def give_back(self, lead_id: int | None = None) -> None:
        where, params = (
            ("id = ?", (lead_id,))
            if lead_id is not None
            else ("claimed_by_id = ?", (self.agent_id,))
        )
        self.conn.execute(
            "UPDATE lead SET status = 'new', claimed_by_id = NULL, claimed_at = "
            f"NULL, lease_until = NULL WHERE {where}",
            params,
        )

    def close(self) -> None:
        self.conn.close()


def alternating_claims(
    n: int,
    warmup: int,
    block: int,
    settings,
    agent_ids: list[int],
    raw: RawClaimer,
    profile: cProfile.Profile | None = None,
    budget: float = float("inf"),
) -> tuple[list[int], list[int], dict]:
    """tmdesk's claims and raw claims in alternating blocks, so both see the same machine.

    Each tmdesk claim is followed by a record_disposition (untimed), so its queue moves as a
    desk's does; each raw claim gives its lead back (untimed), so the baseline stays the
    cost of one claim in a steady queue. With block=1 every claim follows a commit of the
    other connection, which makes SQLite drop that connection's page cache: the situation of
    an agent's desk among other agents' desks.
    """
    from tmdesk.services.calls import claim_next_lead, record_disposition

    rng = random.Random(7)
    names, weights = zip(*DISPOSITIONS, strict=True)
    ours, theirs, buckets, clock = [], [], {}, NOW
    deadline = time.monotonic() + budget
    total, done = warmup + n, 0
    while done < total:
        if time.monotonic() > deadline:
            print(f"!! stopped after {len(ours)} timed claims: over the {budget:.0f} s budget")
            break
        size = min(block, total - done)
        for i in range(done, done + size):
            agent = agent_ids[i % len(agent_ids)]
            clock += timedelta(milliseconds=50)  # stays inside the zone cache's validity
            if profile and i >= warmup:
                profile.enable()
            started = time.perf_counter_ns()
            claim = claim_next_lead(agent, settings, now=clock)
            elapsed = time.perf_counter_ns() - started
            if profile:
                profile.disable()
            if claim is None:
                raise SystemExit("the queue ran dry: build more leads")
            disposition = rng.choices(names, weights)[0]
            extra = (
                {"callback_at": clock + timedelta(days=2), "shared": rng.random() < 0.3}
                if disposition == "callback"
                else {}
            )
            record_disposition(claim.lead_id, agent, disposition, settings, now=clock, **extra)
            if i >= warmup:
                ours.append(elapsed)
                buckets[claim.bucket] = buckets.get(claim.bucket, 0) + 1
        for i in range(done, done + size):
            lead_id, raw_elapsed = raw.claim(clock)
            raw.give_back(lead_id)
            if i >= warmup:
                theirs.append(raw_elapsed)
        done += size
    return ours, theirs, buckets


def raw_claims(raw: RawClaimer, n: int) -> list[int]:
    """n raw claims left in place (not given back), then all given back."""
    samples, clock = [], NOW
    for _ in range(n):
        clock += timedelta(milliseconds=50)
        samples.append(raw.claim(clock)[1])
    raw.give_back()
    return samples


def captured_statements(action) -> list[tuple[str, tuple]]:
    """Every statement `action()` runs on tmdesk's connection, parameters inlined.

    Through SQLite's trace hook, not peewee's: the claim goes to sqlite3 directly.
    """
    from tmdesk.store.models import database

    seen: list[tuple[str, tuple]] = []
    skip = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
    connection = database.connection()
    connection.set_trace_callback(
        lambda sql: None if sql.lstrip().upper().startswith(skip) else seen.append((sql, ()))
    )
    try:
        action()
    finally:
        connection.set_trace_callback(None)
    return seen


def explain(sql: str, params: tuple) -> list[str]:
    from tmdesk.store.models import database

    rows = database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    depth = {0: 0}
    lines = []
    for node, parent, _unused, detail in rows:
        depth[node] = depth.get(parent, 0) + 1
        lines.append("  " * depth[node] + detail)
    return lines


def short(sql: str, width: int = 150) -> str:
    sql = " ".join(sql.split())
    return sql if len(sql) <= width else sql[: width - 1] + "…"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--claims", type=int, default=2_000)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "tmdesk-claim-bench"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the database built by an earlier run (same --leads)",
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=120,
        help="seconds each measurement may take; a regressed claim stops early",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile the claims (cProfile) and print the top functions",
    )
    parser.add_argument(
        "--db",
        help="also measure on PostgreSQL: a URL naming an empty database (bench_postgres.py)",
    )
    add_common_arguments(parser, limit=1200)
    args = parser.parse_args()
    if args.smoke:
        args.leads, args.claims, args.warmup, args.budget = 20_000, 200, 20, 20
        args.time_limit = min(args.time_limit, 120)
    time_limit(args.time_limit)

    from tmdesk.config import Settings
    from tmdesk.services.calls import claim_next_lead, record_disposition
    from tmdesk.services.workspace import open_workspace
    from tmdesk.store.models import User, database

    args.workdir.mkdir(parents=True, exist_ok=True)
    pristine = args.workdir / f"leads-{args.leads}.db"
    if args.reuse and pristine.exists() and schema_of(pristine) != current_schema(args.workdir):
        print(f"{pristine} has another schema than this tmdesk's: building it again")
        build(pristine, args.leads)
    elif args.reuse and pristine.exists():
        print(f"reusing {pristine} ({pristine.stat().st_size / 2**20:.0f} MiB)")
    else:
        build(pristine, args.leads)
    work = args.workdir / "run.db"
    fresh_copy(pristine, work)

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.platform()}"
    )

    import tmdesk

    print(f"tmdesk from {Path(tmdesk.__file__).parent}")
    # tmdesk's defaults, whatever TMDESK_CONFIG says: with NOW fixed, the same zones are open
    settings = Settings()
    open_workspace(work, settings=settings)
    agents = [u.id for u in User.select(User.id).order_by(User.id)]
    counts = dict(database.execute_sql("SELECT status, count(*) FROM lead GROUP BY 1"))
    print(
        f"leads: {sum(counts.values()):,} ("
        + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
        + f"); zone sets {database.execute_sql('SELECT count(*) FROM zone_set').fetchone()[0]}"
        f"; DNC {database.execute_sql('SELECT count(*) FROM dnc_entry').fetchone()[0]:,}"
    )

    # the statements of one claim (zone sets already cached) and one disposition, with plans
    first = claim_next_lead(agents[0], settings, now=NOW)
    record_disposition(first.lead_id, agents[0], "wrong_number", settings, now=NOW)
    held = []
    claim_sql = captured_statements(
        lambda: held.append(claim_next_lead(agents[0], settings, now=NOW))
    )
    dispo_sql = captured_statements(
        lambda: record_disposition(held[0].lead_id, agents[0], "busy", settings, now=NOW)
    )
    print(
        f"\none claim runs {len(claim_sql)} statements (+ BEGIN/COMMIT), one disposition "
        f"{len(dispo_sql)}:"
    )
    for sql, params in claim_sql:
        print(f"- {short(sql)}")
        if sql.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE")):
            for line in explain(sql, params):
                print(f"   {line}")
    for label, sql in (
        ("baseline", BASELINE_SQL),
        ("baseline written plainly", PLAIN_BASELINE_SQL),
    ):
        print(f"{label} plan:")
        for line in explain(sql, (1, "", "", "")):
            print(f"   {line}")
    database.close()

    modes = (
        ("warm: blocks of 100 claims each side", 100),
        ("cold: claims alternate one by one (each follows the other's commit)", 1),
    )
    for label, block in modes:
        fresh_copy(pristine, work)
        open_workspace(work, settings=settings)
        raw = RawClaimer(work, agents[-1])
        profile = cProfile.Profile() if args.profile and block > 1 else None
        ours, theirs, buckets = alternating_claims(
            args.claims, args.warmup, block, settings, agents, raw, profile, args.budget
        )
        piled = raw_claims(raw, len(ours)) if block > 1 else []
        raw.close()
        database.close()

        ours_median, ours_p99 = figures(ours)
        raw_median, raw_p99 = figures(theirs)
        tenth = max(1, len(ours) // 10)
        print(
            f"\n{label}\nclaims: {len(ours):,} each (after {args.warmup} warm-up); "
            f"tmdesk served {buckets}"
        )
        print(
            f"(a) tmdesk claim_next_lead : median {ours_median:8.1f} µs   p99 "
            f"{ours_p99:8.1f} µs   (median of the first tenth {figures(ours[:tenth])[0]:.1f},"
            f" of the last {figures(ours[-tenth:])[0]:.1f})"
        )
        print(f"(b) raw UPDATE … RETURNING : median {raw_median:8.1f} µs   p99 {raw_p99:8.1f} µs")
        if piled:
            piled_median, piled_p99 = figures(piled)
            print(
                f"    (the same, claims left in place: median {piled_median:.1f} µs, p99 "
                f"{piled_p99:.1f} µs: its ORDER BY id walks over its own earlier claims)"
            )
        ratio = ours_median / raw_median
        print(
            f"(c) ratio of medians       : {ratio:.2f}x   (target <= 4x: "
            f"{'met' if ratio <= 4 else 'NOT met'})"
        )
        result(
            f"claim {label.split(':')[0]}",
            f"median {ours_median:.1f} µs",
            f"{raw_median:.1f} µs",
            f"ratio {ratio:.2f}x (target <= 4x: {'met' if ratio <= 4 else 'NOT met'})",
        )
        if profile:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(20)
            print("profile of the claims (tottime; the timings above are without it):")
            print(out.getvalue())

    fresh_copy(pristine, work)
    plain = RawClaimer(work, agents[-1], PLAIN_BASELINE_SQL)
    slow = raw_claims(plain, 3)
    plain.close()
    print(
        f"\nthe baseline written without NOT INDEXED: median {figures(slow)[0]:,.0f} µs over "
        f"{len(slow)} claims (the planner's sort, see its plan above)"
    )
    if args.db:
        import bench_postgres

        bench_postgres.run(args.db, pristine, args, settings, alternating_claims, figures, result)


def fresh_copy(pristine: Path, work: Path) -> None:
    for stale in work.parent.glob(work.name + "*"):
        stale.unlink()
    shutil.copyfile(pristine, work)


if __name__ == "__main__":
    main()
