"""TUI cold start on a 1M-lead database beside a bare Textual app, in the same run.

    python bench/tui_start_bench.py [--leads 1000000] [--runs 5] [--reuse] [--smoke]
                                    [--time-limit S]

Each start is a fresh Python process, timed from spawn until the first interactive screen
shows data: for tmdesk, the signed-in agent's queue screen with its first page of leads (the
database is the one bench/claim_bench.py builds, shared with it); for the baseline, a bare
Textual app with a header, a 50-row DataTable and a footer. Both run headless and are
polled the same way. Runs alternate so that machine noise hits both alike; the medians are
compared. tmdesk's modules are compiled to bytecode first, as an install does. Target
(docs/architecture.md §11): ≤ 2.5× the bare app, peak RSS ≤ 90 MB.

The desk runs with its clock fixed at claim_bench.py's moment (a Wednesday, 12:30 Moscow) and
tmdesk's default settings (whatever TMDESK_CONFIG says), so its queue has the same leads
whatever the day and hour of the run — as on a weekday at noon: open everywhere but the far
east, not the heavier count of a window open everywhere all week; a start that shows no
data within --start-limit seconds is killed and reported, and the whole run stops after
--time-limit. --smoke: 20k leads, one run each (seconds, for CI).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import select
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_common import add_common_arguments, claim_bench_copy, result, spawn, stop, time_limit  # noqa: E402

POLL = """
import signal, sys
from textual.widgets import DataTable

signal.alarm(int(sys.argv[1]))  # a start that never shows data ends by itself

def report(app):
    # VmHWM, not ru_maxrss: the latter can carry the parent's peak across fork and exec
    with open("/proc/self/status") as status:
        rss = next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
    print(f"ready {rss:.1f}", flush=True)
    app.exit()

def ready(app, screen_type):
    screen = app.screen
    if screen_type is not None and not isinstance(screen, screen_type):
        return False
    tables = screen.query(DataTable)
    return bool(tables) and tables.first().row_count > 0
"""

BASELINE = (
    POLL
    + """
from textual.app import App
from textual.widgets import Footer, Header

class Bare(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("#", "Queue", "Local time", "Phone", "Company", "Contact")
        for n in range(50):
            table.add_row(n, "new", "Wed 10:00", "8 (495) 123-45-67", "ООО Ромашка", "Иван")
        self.set_interval(0.005, lambda: ready(self, None) and report(self))

Bare().run(headless=True)
"""
)

TMDESK = (
    POLL
    + """
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from claim_bench import NOW
from tmdesk.config import Settings
import tmdesk.tui.app as desk_app
from tmdesk.services.workspace import open_workspace
from tmdesk.tui.app import DeskApp
from tmdesk.tui.desk.queue import QueueScreen

class Timed(DeskApp):
    CSS_PATH = [str(Path(desk_app.__file__).parent / path) for path in DeskApp.CSS_PATH]

    def on_mount(self):
        self.set_interval(0.005, lambda: ready(self, QueueScreen) and report(self))

workspace = open_workspace(sys.argv[2], settings=Settings())
Timed(workspace, agent_login=sys.argv[3], clock=lambda: NOW).run(headless=True)
"""
)


def start(code: str, limit: float, *args: str) -> tuple[float, float]:
    """Seconds from spawn to the first screen with data, and the peak RSS in MB then."""
    # a file, not `python -c`: Textual finds an app's stylesheet next to its source file
    digest = hashlib.sha1(code.encode()).hexdigest()[:12]  # one file per version of the code
    script = Path(tempfile.gettempdir()) / f"tmdesk-start-{digest}.py"
    if not script.exists():
        script.write_text(textwrap.dedent(code), encoding="utf-8")
    started = time.perf_counter()
    process = spawn(
        [sys.executable, str(script), str(int(limit)), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # the parent's own deadline too: a child stuck before its alarm is set is killed here
    readable, _, _ = select.select([process.stdout], [], [], limit + 5)
    line = process.stdout.readline() if readable else ""
    elapsed = time.perf_counter() - started
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pass
    stop(process)
    if not line.startswith("ready"):
        raise SystemExit(
            f"the app showed no data within {limit:.0f} s:\n{process.stderr.read()[-2000:]}"
        )
    return elapsed, float(line.split()[1])


def bytecode() -> None:
    """Compile tmdesk's modules as an install does. Textual's come compiled with its wheel;
    tmdesk's, installed editable, are compiled on their first import, unless
    PYTHONDONTWRITEBYTECODE forbids writing them (as on some CI machines): then every start
    would compile them again, a cost no installed desk pays."""
    import compileall

    import tmdesk

    compileall.compile_dir(Path(tmdesk.__file__).parent, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "tmdesk-claim-bench"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the database built by an earlier run (same --leads)",
    )
    parser.add_argument(
        "--start-limit", type=float, default=60, help="seconds one start may take to show data"
    )
    add_common_arguments(parser, limit=900)
    args = parser.parse_args()
    if args.smoke:
        args.leads, args.runs = 20_000, 1
        args.time_limit = min(args.time_limit, 120)
    time_limit(args.time_limit)

    copy = claim_bench_copy(args.workdir, args.leads, args.reuse, "tui-start.db")

    desk_args = (str(copy), "agent00", str(HERE))
    bytecode()
    start(BASELINE, args.start_limit)  # warm the OS file cache for both sides
    start(TMDESK, args.start_limit, *desk_args)
    bare, desk = [], []
    for _ in range(args.runs):
        bare.append(start(BASELINE, args.start_limit))
        desk.append(start(TMDESK, args.start_limit, *desk_args))

    def median(samples, index):
        return statistics.median(sample[index] for sample in samples)

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {args.leads:,} leads, {args.runs} runs each"
    )
    print(
        f"bare Textual app : {median(bare, 0) * 1000:7.0f} ms  peak RSS {median(bare, 1):5.0f} MB"
    )
    print(
        f"tmdesk queue     : {median(desk, 0) * 1000:7.0f} ms  peak RSS "
        f"{max(s[1] for s in desk):5.0f} MB  ratio {median(desk, 0) / median(bare, 0):.2f}x"
        f"  (targets <= 2.5x, <= 90 MB)"
    )
    ratio, peak = median(desk, 0) / median(bare, 0), max(s[1] for s in desk)
    result(
        "tui start",
        f"{median(desk, 0) * 1000:.0f} ms, peak RSS {peak:.0f} MB",
        f"{median(bare, 0) * 1000:.0f} ms, {median(bare, 1):.0f} MB",
        f"ratio {ratio:.2f}x (targets <= 2.5x, <= 90 MB: "
        f"{'met' if ratio <= 2.5 and peak <= 90 else 'NOT met'})",
    )


if __name__ == "__main__":
    main()
