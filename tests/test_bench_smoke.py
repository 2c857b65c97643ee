"""Every benchmark in bench/ still runs: each one, in its smoke size, as a real process.

The benchmarks are found by globbing bench/*.py (bench_*.py are their helper modules), so a
new benchmark is checked without anyone listing it here. Each must exit 0 within its time
and print its summary line: `RESULT name: figure | baseline figure …`, the measured figure
beside the baseline measured in the same run.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import postgres_server
import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
SCRIPTS = sorted(p for p in BENCH.glob("*.py") if not p.name.startswith("bench_"))
RESULT = re.compile(r"^RESULT [^:\n]+: [^|\n]*\d[^|\n]* \| baseline [^\n]*\d", re.MULTILINE)
TIMEOUT = 240  # each smoke run takes seconds; this is for a loaded CI machine


def run_bench(script: Path, workdir: Path, *extra: str, timeout: float = TIMEOUT):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMDESK_")}
    return subprocess.run(
        [sys.executable, str(script), "--smoke", "--workdir", str(workdir), *extra],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=workdir,
        env=env,
    )


@contextlib.contextmanager
def bench_database() -> Iterator[str]:
    """A fresh PostgreSQL database for a benchmark's --db, dropped after; the test is
    skipped, with the reason, without a server."""
    if not postgres_server.SERVER:
        pytest.skip(postgres_server.SKIP_REASON)
    url = postgres_server.fresh_database()
    try:
        yield url
    finally:
        postgres_server.drop_database(url)


def run_floor_bench(url: str, workdir: Path, *extra: str):
    """floor_bench on `url`, and how many of its phase copies it left behind (dropped here
    in any case)."""
    phase = url + "_phase"
    try:
        done = run_bench(BENCH / "floor_bench.py", workdir, "--db", url, *extra)
        with postgres_server._connect() as server:
            left = server.execute(
                "SELECT count(*) FROM pg_database WHERE datname = %s",
                (phase.rsplit("/", 1)[1],),
            ).fetchone()[0]
    finally:
        postgres_server.drop_database(phase)  # left behind only by a failure
    return done, left


def test_the_benchmarks_are_found() -> None:
    names = {p.name for p in SCRIPTS}
    assert {"claim_bench.py", "tui_start_bench.py", "floor_bench.py"} <= names
    assert not any(name.startswith("bench_") for name in names)


@pytest.mark.slow
@pytest.mark.parametrize("script", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_benchmark_runs_in_smoke_size(script: Path, tmp_path: Path) -> None:
    done = run_bench(script, tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"{script.name} exited {done.returncode}:\n{output[-4000:]}"
    assert RESULT.search(done.stdout), f"{script.name} printed no RESULT line:\n{output[-4000:]}"
    assert "Traceback" not in output


@pytest.mark.slow
def test_the_copy_benchmark_runs_into_postgresql(tmp_path: Path) -> None:
    # without --db it copies SQLite to SQLite; its target (issue 15) is PostgreSQL's
    with bench_database() as url:
        done = run_bench(BENCH / "copy_bench.py", tmp_path, "--db", url)
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"copy_bench.py exited {done.returncode}:\n{output[-4000:]}"
    assert RESULT.search(done.stdout), output[-4000:]
    assert "db copy sqlite to postgresql" in done.stdout


@pytest.mark.slow
def test_the_floor_benchmark_runs_on_postgresql(tmp_path: Path) -> None:
    # 8 agents over TCP while the supervisor imports, backs up (pg_dump) and exports: no
    # claim may fail (issue 15), and the phases' copy of the database is dropped after
    with bench_database() as url:
        done, left = run_floor_bench(url, tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"floor_bench.py exited {done.returncode}:\n{output[-4000:]}"
    assert RESULT.search(done.stdout), output[-4000:]
    assert "RESULT floor postgresql:" in done.stdout
    assert "floor on PostgreSQL:" in done.stdout
    failed = re.findall(r"^  (\w+) +p99 .*, failed (\d+): ", done.stdout, re.MULTILINE)
    assert [name for name, _n in failed] == ["quiet", "import", "backup", "export"], output
    assert all(n == "0" for _name, n in failed), output[-4000:]
    assert "Traceback" not in output
    assert left == 0


def own_processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if text in (entry / "cmdline").read_bytes().decode(errors="replace"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.slow
def test_a_benchmark_over_its_time_limit_stops_with_its_children(tmp_path: Path) -> None:
    # the floor benchmark runs agent processes and CLI commands: none may outlive it
    done = run_bench(BENCH / "floor_bench.py", tmp_path, "--time-limit", "4", "--phase", "30")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "over the time limit of 4 s" in done.stderr
    assert own_processes_mentioning(str(tmp_path)) == []


@pytest.mark.slow
def test_the_floor_benchmark_on_postgresql_drops_its_copy_at_the_time_limit(
    tmp_path: Path,
) -> None:
    # 8 s: stopped after the phases' copy is made (about 4 s in), before the end (25 s)
    with bench_database() as url:
        done, left = run_floor_bench(url, tmp_path, "--time-limit", "8")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "over the time limit of 8 s" in done.stderr
    assert left == 0
    assert own_processes_mentioning(str(tmp_path)) == []
