"""What every benchmark shares: a pinned clock and calling window, a time limit that stops the
benchmark and its child processes, and the one summary line CI looks for.

A benchmark must give the same work on any day at any hour, so none of them reads the real
clock for the desk's rules: they pass NOW (a Wednesday, 12:00 in Moscow) as `now=`, and where
a calling window matters, one open all week, in settings or in a configuration file for the
CLI. (Modules named bench_*.py are helpers; every other bench/*.py is a benchmark and is run
in smoke size by tests/test_bench_smoke.py.)
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

# Wednesday 2026-11-25, 12:00 in Moscow
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
OPEN_ALL_WEEK = {"mon-sun": "00:00-24:00"}
# company names of the generated call lists: "ООО «ВекторСибирь»"
WORDS = [
    "Вектор",
    "Сибирь",
    "Техно",
    "Строй",
    "Логистик",
    "Альфа",
    "Гарант",
    "Север",
    "Восток",
    "Ресурс",
    "Инжиниринг",
    "Трейд",
    "Агро",
    "Мед",
    "Энерго",
]
CONFIG_TOML = '[calling_window]\n"mon-sun" = "00:00-24:00"\n'

_children: list[subprocess.Popen] = []
_on_stop: list = []  # what a benchmark made outside its workdir (a database), undone


def open_all_week(settings=None):
    """The settings (default: tmdesk's defaults) with the calling window open all week."""
    from tmdesk.config import Settings
    from tmdesk.domain.calling_window import WeeklyWindows

    return (settings or Settings()).with_(calling_window=WeeklyWindows.from_mapping(OPEN_ALL_WEEK))


def write_config(folder: Path) -> Path:
    """A configuration file with the calling window open all week, for `--config`."""
    path = folder / "bench-config.toml"
    path.write_text(CONFIG_TOML, encoding="utf-8")
    return path


def add_common_arguments(parser: argparse.ArgumentParser, limit: float) -> None:
    parser.add_argument(
        "--smoke", action="store_true", help="a small size that runs in seconds (for CI)"
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=limit,
        help=f"stop (and stop the child processes) after this many seconds (default {limit:.0f})",
    )


def spawn(args: list[str], **kwargs) -> subprocess.Popen:
    """A child process in a session of its own, stopped with its own children (an import's
    parse workers) when the benchmark ends or runs out of time."""
    process = subprocess.Popen(args, start_new_session=True, **kwargs)
    _children.append(process)
    return process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
    elif process.returncode is not None:
        try:  # the leader exited; workers it left behind in its group still go
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def stop_children() -> None:
    for process in _children:
        stop(process)
    _children.clear()


def on_stop(undo) -> None:
    """Call `undo()` when the time limit stops the benchmark, after its children."""
    _on_stop.append(undo)


def time_limit(seconds: float) -> None:
    """Stop the benchmark after `seconds`: its children are killed, what on_stop was given
    is undone, it exits with status 2."""

    def over(_signum, _frame):
        stop_children()
        for undo in _on_stop:
            try:
                undo()
            except Exception as error:  # the exit must come; say what stays behind
                print(f"!! on stopping: {error}", file=sys.stderr, flush=True)
        print(f"!! over the time limit of {seconds:.0f} s: stopped", file=sys.stderr, flush=True)
        os._exit(2)

    signal.signal(signal.SIGALRM, over)
    signal.alarm(max(1, int(seconds)))


def result(name: str, figure: str, baseline: str, verdict: str = "") -> None:
    """The summary line: `RESULT name: figure | baseline … | verdict` (CI checks for it)."""
    line = f"RESULT {name}: {figure} | baseline {baseline}"
    print(line + (f" | {verdict}" if verdict else ""), flush=True)


def claim_bench_copy(workdir: Path, leads: int, reuse: bool, name: str) -> Path:
    """A fresh copy, `workdir/name`, of bench/claim_bench.py's database of `leads` leads:
    built, or reused when --reuse finds one with this tmdesk's schema and migrations. The
    desk migrates and writes (WAL), so it works on a copy and the shared one stays pristine;
    copyfile streams, so a child's peak RSS stays its own."""
    import shutil

    from bench_schema import current_schema, schema_of
    from claim_bench import build

    workdir.mkdir(parents=True, exist_ok=True)
    pristine = workdir / f"leads-{leads}.db"
    if not (reuse and pristine.exists() and schema_of(pristine) == current_schema(workdir)):
        build(pristine, leads)
    copy = workdir / name
    for stale in workdir.glob(name + "*"):
        stale.unlink()
    shutil.copyfile(pristine, copy)
    return copy
