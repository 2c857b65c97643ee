"""Opening the supervisor's figures screen on the 1M-attempt database of report_bench.py.

    python bench/figures_screen_bench.py [--runs 7] [--workdir DIR] [--attempts 1000000]
                                         [--days 60] [--agents 30] [--smoke]
                                         [--time-limit S]

Uses (or builds, with report_bench.py's own builder) the same database as
bench/report_bench.py: DIR/attempts-1000000-60d-30a.db, 30 agents over 60 days before
Wednesday 2026-11-25, about a million call attempts. Works on a copy.

Then, in one headless Textual app at 120×40 with the clock fixed at 18:00 Moscow time
on the last day, each the median of --runs after one warm-up:
  (a) open: push the FiguresScreen until the day's figures, funnel, both charts and the
      lists' progress are on screen (after the refresh that paints them);
  (b) ← : the day before, from the key press until painted;
  (c) a 30-day range, from the dialog's answer until painted;
  (d) baseline: the same reads without the screen (services.reports.report +
      list_progress) in the same process, so (a) − (d) is what the screen adds.
Stops after --time-limit. --smoke: 20k attempts over 10 days, 2 runs (seconds, for CI).
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import platform
import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench_common import add_common_arguments, result, time_limit
from bench_schema import current_schema, schema_of

HERE = Path(__file__).resolve().parent
SIZE = (120, 40)


def report_bench():
    """bench/report_bench.py as a module (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("report_bench", HERE / "report_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def prepare(args) -> Path:
    rb = report_bench()
    args.workdir.mkdir(parents=True, exist_ok=True)
    pristine = args.workdir / f"attempts-{args.attempts}-{args.days}d-{args.agents}a.db"
    if pristine.exists() and schema_of(pristine) == current_schema(args.workdir):
        print(
            f"reusing {pristine} ({pristine.stat().st_size / 2**20:.0f} MiB), "
            "built by bench/report_bench.py"
        )
    else:
        print(f"building {pristine} with report_bench.py's builder")
        rb.build(pristine, args.attempts, args.days, args.agents)
    work = args.workdir / "figures-run.db"
    for stale in args.workdir.glob("figures-run.db*"):
        stale.unlink()
    shutil.copyfile(pristine, work)
    return work


async def measure(work: Path, runs: int, last_day, zone: str) -> dict[str, list[float]]:
    from tmdesk.services.reports import list_progress, report
    from tmdesk.services.users import find_user
    from tmdesk.services.workspace import open_workspace
    from tmdesk.tui.app import make_app
    from tmdesk.tui.supervisor.figures import FiguresScreen

    workspace = open_workspace(work)
    supervisor = find_user("supervisor")
    now = datetime(last_day.year, last_day.month, last_day.day, 15, 0, tzinfo=UTC)  # 18 MSK
    painted: list[float] = []

    class TimedFigures(FiguresScreen):
        def on_figures_screen_loaded(self, message) -> None:
            # runs before FiguresScreen's handler: note the time after the paint it causes
            self.call_after_refresh(lambda: painted.append(time.perf_counter()))

    app = make_app(workspace, clock=lambda: now)
    samples: dict[str, list[float]] = {
        "open": [],
        "previous day": [],
        "30 days": [],
        "baseline": [],
    }
    async with app.run_test(size=SIZE) as pilot:
        app.agent = supervisor

        async def painted_after(count: int) -> None:
            while len(painted) < count:
                await asyncio.sleep(0.0005)
            await pilot.pause()

        for run in range(runs + 1):
            started = time.perf_counter()
            screen = TimedFigures(supervisor)
            await app.push_screen(screen)
            await painted_after(len(painted) + 1)
            opened = painted[-1] - started

            started = time.perf_counter()
            count = len(painted)
            await pilot.press("left")
            await painted_after(count + 1)
            previous = painted[-1] - started

            started = time.perf_counter()
            count = len(painted)
            screen.show_range(last_day - timedelta(days=29), last_day)
            await painted_after(count + 1)
            month = painted[-1] - started

            app.pop_screen()
            await pilot.pause()

            started = time.perf_counter()
            report(last_day, time_zone=zone, now=now)
            list_progress(workspace.settings, now=now)
            baseline = time.perf_counter() - started
            if run:  # the first is the warm-up
                for key, value in (
                    ("open", opened),
                    ("previous day", previous),
                    ("30 days", month),
                    ("baseline", baseline),
                ):
                    samples[key].append(value * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--agents", type=int, default=30)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "tmdesk-report-bench"
    )
    add_common_arguments(parser, limit=900)
    args = parser.parse_args()
    if args.smoke:
        args.attempts, args.days, args.agents, args.runs = 20_000, 10, 5, 2
        args.time_limit = min(args.time_limit, 120)
    time_limit(args.time_limit)

    work = prepare(args)
    rb = report_bench()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.platform()}"
    )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    samples = asyncio.run(measure(work, args.runs, rb.LAST_DAY, rb.ZONE))
    labels = {
        "open": "(a) open the figures screen (day)",
        "previous day": "(b) ← the day before",
        "30 days": "(c) a 30-day range",
        "baseline": "(d) baseline: report + list_progress, no screen",
    }
    for key, label in labels.items():
        values = samples[key]
        print(
            f"{label:<50} median {statistics.median(values):7.1f} ms "
            f"(min {min(values):.1f}, max {max(values):.1f})"
        )
    screen_cost = statistics.median(samples["open"]) - statistics.median(samples["baseline"])
    opened, reads = statistics.median(samples["open"]), statistics.median(samples["baseline"])
    result(
        "figures screen",
        f"open {opened:.1f} ms",
        f"reads without the screen {reads:.1f} ms",
        f"ratio {opened / reads:.1f}x (no target)",
    )
    print(f"    the screen adds {screen_cost:.1f} ms to the reads (layout, tables, charts, paint)")


if __name__ == "__main__":
    main()
