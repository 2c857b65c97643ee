"""Import throughput and peak memory beside a bare phonenumbers parse+validate loop.

    python bench/import_bench.py [--rows 1000000] [--workdir DIR] [--smoke] [--time-limit S]

Generates a call-list CSV (Russian B2B rows, phones in mixed real-world formats, a few
invalid and duplicate rows), then in the same run measures
  * baseline: `phonenumbers.parse(s, "RU")` + `is_valid_number` over the same phone cells,
    in one process, nothing else;
  * tmdesk: `tmdesk import FILE` in a fresh process, into a fresh SQLite database.
Target (docs/architecture.md §11): import ≥ 0.8× the baseline's rows/s; peak RSS ≤ 300 MB.
The run (and the import
process with its parse workers) stops after --time-limit. --smoke: 20k rows (seconds, for CI).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_common import WORDS, add_common_arguments, result, spawn, stop, time_limit

CITIES = [
    ("Москва", "495"),
    ("Москва", "499"),
    ("Санкт-Петербург", "812"),
    ("Новосибирск", "383"),
    ("Екатеринбург", "343"),
    ("Казань", "843"),
    ("Самара", "846"),
    ("Омск", "3812"),
    ("Красноярск", "391"),
    ("Иркутск", "3952"),
    ("Владивосток", "423"),
    ("Хабаровск", "4212"),
    ("Калининград", "4012"),
    ("Петропавловск-Камчатский", "4152"),
    ("", "916"),
    ("", "903"),
    ("", "985"),
    ("", "926"),
    ("", "913"),
]
FORMATS = [
    "8 ({a}) {b}-{c}-{d}",
    "+7 {a} {b}{c}{d}",
    "8{a}{b}{c}{d}",
    "+7({a}){b}-{c}-{d}",
    "7 {a} {b} {c} {d}",
]
FORMS = ["ООО", "АО", "ПАО", "ИП"]


def phone_cell(rng: random.Random, code: str) -> str:
    rest = "".join(rng.choice("0123456789") for _ in range(10 - len(code)))
    nsn = code + rest
    if len(code) == 4:  # keep the 4-digit area code intact in the written form
        a, rest = code, rest
        b, c, d = rest[:2], rest[2:4], rest[4:]
    else:
        a, b, c, d = nsn[:3], nsn[3:6], nsn[6:8], nsn[8:]
    return rng.choice(FORMATS).format(a=a, b=b, c=c, d=d)


def generate(path: Path, rows: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    phones = []
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Компания", "Контактное лицо", "Телефон", "Город", "ИНН", "Комментарий"])
        for n in range(rows):
            city, code = rng.choice(CITIES)
            if n % 500 == 7:
                phone = "нет"
            elif n % 700 == 11 and phones:
                phone = phones[-1]
            else:
                phone = phone_cell(rng, code)
            phones.append(phone)
            writer.writerow(
                [
                    f"{rng.choice(FORMS)} «{rng.choice(WORDS)}{rng.choice(WORDS)}»",
                    f"Контакт {n}",
                    phone,
                    city,
                    f"{rng.randrange(10**9, 10**10)}",
                    "" if n % 3 else "перезвонить после обеда",
                ]
            )
    return phones


def baseline(phones: list[str]) -> float:
    import phonenumbers

    started = time.perf_counter()
    for text in phones:
        try:
            number = phonenumbers.parse(text, "RU")
        except phonenumbers.NumberParseException:
            continue
        phonenumbers.is_valid_number(number)
    return time.perf_counter() - started


def run_import(csv_path: Path, db_path: Path) -> tuple[float, dict, float, float]:
    code = (
        "import json, resource, sys, time\n"
        "from tmdesk.services.workspace import open_workspace\n"
        "from tmdesk.services.importing import import_call_list\n"
        f"open_workspace({str(db_path)!r})\n"
        "started = time.perf_counter()\n"
        f"report = import_call_list({str(csv_path)!r}, list_name='bench')\n"
        "elapsed = time.perf_counter() - started\n"
        "own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps({'elapsed': elapsed, 'report': report.to_json() | {'errors': "
        "len(report.errors)}, 'own_mb': own, 'workers_mb': workers}))\n"
    )
    process = spawn(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    out, err = process.communicate()
    stop(process)  # with any parse worker left behind
    if process.returncode:
        raise SystemExit(f"the import failed:\n{err[-2000:]}")
    figures = json.loads(out.strip().splitlines()[-1])
    return figures["elapsed"], figures["report"], figures["own_mb"], figures["workers_mb"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path)
    add_common_arguments(parser, limit=900)
    args = parser.parse_args()
    if args.smoke:
        args.rows = 20_000
        args.time_limit = min(args.time_limit, 120)
    time_limit(args.time_limit)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="tmdesk-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    csv_path, db_path = workdir / "calls.csv", workdir / "bench.db"
    for stale in workdir.glob("bench.db*"):
        stale.unlink()

    started = time.perf_counter()
    phones = generate(csv_path, args.rows)
    print(
        f"generated {args.rows:,} rows ({csv_path.stat().st_size / 2**20:.0f} MiB) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    base = baseline(phones)
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    del phones
    elapsed, report, own_mb, workers_mb = run_import(csv_path, db_path)

    base_rate, rate = args.rows / base, args.rows / elapsed
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"baseline parse+validate loop : {base_rate:>10,.0f} rows/s ({base:.1f} s)")
    print(
        f"tmdesk import                : {rate:>10,.0f} rows/s ({elapsed:.1f} s)  "
        f"ratio {rate / base_rate:.2f}x  (target >= 0.80x)"
    )
    result(
        "import",
        f"{rate:,.0f} rows/s, peak RSS {own_mb:.0f} MB",
        f"{base_rate:,.0f} rows/s",
        f"ratio {rate / base_rate:.2f}x (target >= 0.80x, <= 300 MB: "
        f"{'met' if rate / base_rate >= 0.8 and max(own_mb, workers_mb) <= 300 else 'NOT met'})",
    )
    print(
        f"peak RSS: import process {own_mb:.0f} MB, largest worker {workers_mb:.0f} MB "
        f"(target <= 300 MB); this benchmark's own process {base_rss:.0f} MB"
    )
    print(
        "accounting: "
        + ", ".join(
            f"{k} {report[k]:,}"
            for k in ("rows", "imported", "duplicates", "invalid", "dnc", "empty")
        )
    )


if __name__ == "__main__":
    main()
