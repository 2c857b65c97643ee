"""Handoff export throughput to CSV and XLSX beside a bare csv.writer of the same rows.

    python bench/export_bench.py [--leads 100000] [--meetings 0.3] [--workdir DIR] [--smoke]
                                 [--time-limit S]

Builds a fresh SQLite database with N ready leads (approved qualification with a dozen
answers, one or two decision makers, a call note; a booked meeting for a share of them)
through raw executemany, then measures in the same run:
  * baseline: `csv.writer` writing the same table rows, already turned into text, to a file;
  * export CSV:  `export_batch(…, "csv")` — choose the leads, build their records (a few
    queries), write the file (owner-only, atomic rename) and record the batch;
  * export XLSX: the same leads again (`--all --since`) to XLSX through openpyxl write-only;
and the share of each export spent building records vs. writing the file. The qualifications
are dated 2026-11-20 and every step takes no clock of its own, so the day of the run does not
matter. Stops after --time-limit. --smoke: 2,000 leads (seconds, for CI).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_common import NOW, WORDS, add_common_arguments, result, time_limit  # noqa: E402

from tmdesk.services import handoff_records  # noqa: E402
from tmdesk.services.export_formats import ExportMeta, table, write_records  # noqa: E402
from tmdesk.services.export_formats.csv_file import _text  # noqa: E402
from tmdesk.services.handoff import export_batch  # noqa: E402
from tmdesk.services.workspace import open_workspace  # noqa: E402
from tmdesk.store.fields import utc_text  # noqa: E402
from tmdesk.store.models import database  # noqa: E402

NAMES = ["Иван Петров", "Ольга Сидорова", "Сергей Иванов", "Анна Смирнова", "Павел Орлов"]
ANSWERS = [
    ("right_person", "Вы отвечаете за закупку оборудования?", "choice", "self", "Да, это я"),
    (
        "activity",
        "Чем занимается компания?",
        "choice",
        "manufacturing",
        "Производство, машиностроение",
    ),
    ("employees", "Сколько человек работает в компании?", "number", 250, "250"),
    ("district", "Где находится производство?", "choice", "cfo", "Центральный ФО"),
    ("current_solution", "Как сейчас закрываете потребность?", "choice", "none", "Пока никак"),
    ("need", "Есть ли задача по новому оборудованию?", "yes_no", True, "да"),
    ("timeline", "Когда планируете закупку?", "date", "2027-01-15", "15.01.2027"),
    ("budget", "Заложен ли бюджет?", "choice", "approved", "Да, утверждён"),
    ("budget_amount", "Какой бюджет, тыс. руб.?", "number", 2000, "2000"),
    (
        "decision_process",
        "Кто участвует в решении?",
        "multi_choice",
        ["director", "chief_engineer"],
        "Генеральный директор, Главный инженер",
    ),
    ("meeting_agreed", "Согласен на встречу?", "yes_no", True, "да"),
    (
        "comment",
        "Комментарий для специалиста",
        "text",
        "Новый цех в марте; срочно",
        "Новый цех в марте; срочно",
    ),
]
ZONES = ["Europe/Moscow", "Asia/Novosibirsk", "Asia/Yekaterinburg", "Europe/Samara"]


def build(leads: int, meeting_share: float, seed: int = 5) -> None:
    """`leads` ready leads (and an agent anna, a supervisor olga, four specialists) added to
    the bound database, empty or not (bench/floor_bench.py adds them to its 1M leads)."""
    rng = random.Random(seed)
    qualified = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    now = utc_text(qualified)
    cursor = database.cursor()

    def one(sql: str, *params) -> int:
        return database.execute_sql(sql, params).fetchone()[0]

    with database.atomic():
        cursor.executemany(
            "INSERT INTO user (login, name, role, time_zone, active, created_at) "
            "VALUES (?, ?, ?, 'Europe/Moscow', 1, ?)",
            [("anna", "Анна Котова", "agent", now), ("olga", "Ольга Дымова", "supervisor", now)],
        )
        agent, reviewer = (one("SELECT id FROM user WHERE login = ?", n) for n in ("anna", "olga"))
        cursor.execute(
            "INSERT INTO call_list (name, priority, status, default_region, "
            "created_at) VALUES ('bench', 0, 'active', 'RU', ?)",
            (now,),
        )
        list_id = cursor.lastrowid
        cursor.execute("INSERT OR IGNORE INTO zone_set (zones) VALUES ('Europe/Moscow')")
        zone_id = one("SELECT id FROM zone_set WHERE zones = 'Europe/Moscow'")
        cursor.executemany(
            "INSERT INTO specialist (name, email, time_zone, working_hours, days_off, regions, "
            "specialisations, meeting_minutes, buffer_minutes, active, created_at) "
            "VALUES (?, ?, ?, '{}', '[]', '[]', '[]', 60, 15, 1, ?)",
            [(f"Специалист {i}", f"s{i}@vendor.example", ZONES[i], now) for i in range(4)],
        )
        specialists = [
            row[0]
            for row in database.execute_sql(
                "SELECT id FROM specialist WHERE email LIKE 's_@vendor.example' ORDER BY id"
            )
        ]
        # ids after the database's own: the same rows on an empty database and on a full one
        first = one("SELECT coalesce(max(id), 0) FROM lead") + 1
        first_q = one("SELECT coalesce(max(id), 0) FROM qualification") + 1
        ids = range(first, first + leads)
        q = first_q - first  # a lead's qualification id is its id + q
        cursor.executemany(
            "INSERT INTO lead (id, call_list_id, company, contact, position, email, city, "
            "region, inn, website, comment, phone_raw, phone_e164, place, zone_set_id, "
            "zone_source, status, list_priority, priority, attempts, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, 'Директор', ?, 'Москва', 'г. Москва', ?, '', ?, ?, ?, "
            "'г. Москва', ?, 'region', "
            "'qualified', 0, 0, 1, ?, ?)",
            (
                (
                    i,
                    list_id,
                    f"ООО «{rng.choice(WORDS)}{rng.choice(WORDS)}-{i}»",
                    rng.choice(NAMES),
                    f"info{i}@example.ru",
                    f"77{i:08d}",
                    'Просили КП, "срочно"; звонить утром',
                    f"8 (495) {i // 10000 % 1000:03d}-{i // 100 % 100:02d}-{i % 100:02d}",
                    f"+7495{i % 10_000_000:07d}",
                    zone_id,
                    now,
                    now,
                )
                for i in ids
            ),
        )
        answers = json.dumps(
            [
                {"id": a, "text": t, "type": k, "answer": v, "label": lbl}
                for a, t, k, v, lbl in ANSWERS
            ],
            ensure_ascii=False,
        )
        cursor.executemany(
            "INSERT INTO qualification (id, lead_id, agent_id, script_key, script_version, "
            "answers, fit, knockouts, actuality, score, status, submitted_at, reviewed_by_id, "
            "reviewed_at, created_at, updated_at) VALUES (?, ?, ?, 'b2b-ru', '1', ?, 1, '[]', "
            "'now', 90, 'approved', ?, ?, ?, ?, ?)",
            ((i + q, i, agent, answers, now, reviewer, now, now, now) for i in ids),
        )
        # the decision maker on the company's number (with an extension), an influencer
        # on a mobile of their own for every other lead
        cursor.executemany(
            "INSERT INTO decision_maker (qualification_id, role, name, position, phone_raw, "
            "phone_e164, email) VALUES (?, ?, ?, 'Генеральный директор', ?, ?, "
            "'ceo@example.ru')",
            (
                (i + q, role, rng.choice(NAMES), "доб. 12", e164)
                for i in ids
                for role, e164 in (
                    (
                        ("decision_maker", f"+7495{i % 10_000_000:07d}"),
                        ("influencer", f"+7916{i % 10_000_000:07d}"),
                    )
                    if i % 2
                    else (("decision_maker", f"+7495{i % 10_000_000:07d}"),)
                )
            ),
        )
        cursor.executemany(
            "INSERT INTO call_attempt (lead_id, agent_id, phone_e164, at, disposition, note, "
            "status_before, status_after) VALUES (?, ?, '+7', ?, 'qualified', ?, 'new', "
            "'qualified')",
            ((i, agent, now, "ЛПР готов к встрече, ждёт КП") for i in ids),
        )
        # latest first: the store's no-overlap trigger then looks at one neighbour, not at
        # every earlier meeting of the specialist
        day_one = qualified + timedelta(days=3)
        rows = []
        for i in reversed(ids):
            if rng.random() < meeting_share:
                start = day_one + timedelta(hours=i - first + 1)
                rows.append(
                    (
                        i,
                        specialists[i % 4],
                        utc_text(start),
                        utc_text(start + timedelta(hours=1)),
                        "Москва, ул. Ленина, 1",
                        "Показать КП",
                        agent,
                        now,
                    )
                )
        cursor.executemany(
            "INSERT INTO meeting (lead_id, specialist_id, starts_at, ends_at, kind, place, "
            "agenda, status, booked_by_id, booked_at) VALUES (?, ?, ?, ?, 'on_site', ?, ?, "
            "'booked', ?, ?)",
            rows,
        )


def timed(label: str, rows: int, func):
    started = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - started
    print(f"{label:<48} {seconds:7.2f} s  {rows / seconds:>10,.0f} rows/s")
    return result, rows / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--meetings", type=float, default=0.3)
    parser.add_argument("--workdir", type=Path)
    add_common_arguments(parser, limit=900)
    args = parser.parse_args()
    if args.smoke:
        args.leads = 2_000
        args.time_limit = min(args.time_limit, 120)
    time_limit(args.time_limit)
    folder = args.workdir or Path(tempfile.mkdtemp(prefix="tmdesk-export-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    workspace = open_workspace(folder / "bench.db")
    print(
        f"python {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} cores; load {os.getloadavg()[0]:.2f}; {args.leads:,} leads in "
        f"{folder}"
    )
    timed(
        "build the database (raw executemany)", args.leads, lambda: build(args.leads, args.meetings)
    )

    settings = workspace.settings

    def peak_mb() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    _, csv_speed = timed(
        "export_batch csv (all of it, batch recorded)",
        args.leads,
        lambda: export_batch(settings, "csv", folder, now=NOW),
    )
    print(f"  peak RSS so far {peak_mb():.0f} MB")
    _, xlsx_speed = timed(
        "export_batch xlsx (--all --since, batch recorded)",
        args.leads,
        lambda: export_batch(
            settings, "xlsx", folder, include_exported=True, since=date(2026, 11, 1), now=NOW
        ),
    )
    print(f"  peak RSS so far {peak_mb():.0f} MB")

    # the parts, with every record in memory at once (what the exports above avoid)
    selection = handoff_records.Selection(review_required=True, include_exported=True)
    handoff_records.pick_ready(selection)
    records, _ = timed(
        "records alone (choose + queries + national phones)",
        args.leads,
        handoff_records.picked_records,
    )
    handoff_records.release_pick()
    cols = table.columns()
    text_rows = [[_text(v) for v in row] for row in table.rows(records, cols)]

    def bare_csv():
        with (folder / "bare.csv").open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([c.header for c in cols])
            writer.writerows(text_rows)

    _, bare = timed("baseline: bare csv.writer, same rows as text", args.leads, bare_csv)
    meta = ExportMeta(created_at=NOW)
    for fmt in ("csv", "xlsx"):

        def writer_only(fmt=fmt):
            with (folder / f"writer-only.{fmt}").open("wb") as handle:
                write_records(fmt, handle, records, meta)

        timed(f"{fmt} writer alone (table + cells + file)", args.leads, writer_only)
    print(
        f"ratio to the bare csv.writer: CSV export {csv_speed / bare:.2f}×, "
        f"XLSX export {xlsx_speed / bare:.2f}×"
    )
    result(
        "export",
        f"CSV {csv_speed:,.0f} rows/s, XLSX {xlsx_speed:,.0f} rows/s",
        f"bare csv.writer {bare:,.0f} rows/s",
        f"ratios {csv_speed / bare:.2f}x / {xlsx_speed / bare:.2f}x (no target)",
    )
    sizes = {p.name: p.stat().st_size // 1024 for p in folder.glob("handoff-*")}
    print(f"files (KiB): {sizes}; load now {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
