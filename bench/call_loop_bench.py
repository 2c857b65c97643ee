"""The agent's call loop on a 1M-lead database: from a key to the next screen painted.

    python bench/call_loop_bench.py [--leads 1000000] [--calls 60] [--reuse] [--smoke]
                                    [--time-limit S]

What an agent waits for between two calls, measured in the desk itself (headless, 160×48,
driven by Pilot as a person presses keys):
  next lead   from F2 (no answer) on the call screen to the next lead's card painted: the
              outcome saved, the next lead claimed, read and laid out;
  baseline    a bare Textual app where a key replaces a card of the same widgets' text, timed
              the same way in the same run: Textual's own key-to-paint time on this machine.
"Painted" is when the new lead is on screen and Pilot's pause (the app idle, its pending
messages and refresh done) returns. The database is bench/claim_bench.py's (agent00's
queue); the desk's clock is pinned to claim_bench's moment (a Wednesday, 12:30 Moscow), so
the day and hour of the run do not matter. Targets (docs/architecture.md §11): median
<= 100 ms and p95 <= 250 ms. --smoke: 20k leads, 8 calls (seconds, for CI).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_common import add_common_arguments, result, time_limit  # noqa: E402

SIZE = (160, 48)
STEP = 0.001  # how often a wait looks at the screen


async def until(pilot, condition: Callable[[], bool], limit: float = 30.0) -> None:
    deadline = time.perf_counter() + limit
    while not condition():
        if time.perf_counter() > deadline:
            raise SystemExit("the desk did not get there within 30 s")
        await asyncio.sleep(STEP)
    await pilot.pause()


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def baseline(calls: int) -> list[float]:
    from textual.app import App, ComposeResult
    from textual.containers import Vertical
    from textual.widgets import Footer, Header, Static

    class Bare(App[None]):
        BINDINGS = [("f2", "next", "Next")]
        shown = 0

        def compose(self) -> ComposeResult:
            yield Header()
            with Vertical():
                for line in range(12):
                    yield Static(id=f"line{line}")
            yield Footer()

        def action_next(self) -> None:
            self.shown += 1
            for line in range(12):
                self.query_one(f"#line{line}", Static).update(
                    f"Lead {self.shown}: ООО «Вектор» · 8 (495) 123-45-67 · line {line}"
                )

    times = []
    app = Bare()
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(calls):
            before = app.shown
            started = time.perf_counter()
            await pilot.press("f2")
            await until(pilot, lambda before=before: app.shown != before)
            times.append(time.perf_counter() - started)
    return times


async def next_lead(database: Path, calls: int) -> list[float]:
    from claim_bench import NOW

    from tmdesk.config import Settings
    from tmdesk.services.workspace import open_workspace
    from tmdesk.tui.app import DeskApp
    from tmdesk.tui.desk.call import CallScreen

    workspace = open_workspace(database, settings=Settings())
    app = DeskApp(workspace, agent_login="agent00", clock=lambda: NOW)
    times = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+n")
        await until(pilot, lambda: isinstance(app.screen, CallScreen))
        for _ in range(calls):
            screen = app.screen
            assert isinstance(screen, CallScreen)
            before = screen.lead_id
            started = time.perf_counter()
            await pilot.press("f2")
            await until(
                pilot,
                lambda before=before: (
                    isinstance(app.screen, CallScreen) and app.screen.lead_id != before
                ),
            )
            times.append(time.perf_counter() - started)
    return times


def describe(name: str, samples: list[float]) -> str:
    return (
        f"{name}: median {statistics.median(samples) * 1000:6.1f} ms  "
        f"p95 {percentile(samples, 0.95) * 1000:6.1f} ms  max {max(samples) * 1000:6.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=60)
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "tmdesk-claim-bench"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the database built by an earlier run (same --leads)",
    )
    add_common_arguments(parser, limit=900)
    args = parser.parse_args()
    if args.smoke:
        args.leads, args.calls = 20_000, 8
        args.time_limit = min(args.time_limit, 120)
    time_limit(args.time_limit)

    from claim_bench import build

    args.workdir.mkdir(parents=True, exist_ok=True)
    pristine = args.workdir / f"leads-{args.leads}.db"
    if not (args.reuse and pristine.exists()):
        build(pristine, args.leads)
    work = args.workdir / "call-loop.db"
    for stale in args.workdir.glob("call-loop.db*"):
        stale.unlink()
    shutil.copyfile(pristine, work)

    asyncio.run(baseline(2))  # warm up Textual itself
    bare = asyncio.run(baseline(args.calls))
    desk = asyncio.run(next_lead(work, args.calls))
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {args.leads:,} leads, {args.calls} calls"
    )
    print(describe("bare Textual, key to paint", bare))
    print(describe("F2 to the next lead      ", desk))
    median, p95 = statistics.median(desk), percentile(desk, 0.95)
    bare_median, bare_p95 = statistics.median(bare), percentile(bare, 0.95)
    met = median <= 0.100 and p95 <= 0.250
    result(
        "next lead",
        f"median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms",
        f"median {bare_median * 1000:.1f} ms, p95 {bare_p95 * 1000:.1f} ms",
        f"ratio {median / statistics.median(bare):.1f}x (targets median <= 100 ms, "
        f"p95 <= 250 ms: {'met' if met else 'NOT met'})",
    )


if __name__ == "__main__":
    main()
