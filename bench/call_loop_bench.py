"""The agent's call loop on a 1M-lead database: from a key to the next screen painted.

    python bench/call_loop_bench.py [--leads 1000000] [--calls 60] [--qualified 20] [--reuse]
                                    [--smoke] [--time-limit S]

What an agent waits for between two calls, measured in the desk itself (headless, 160×48,
driven by Pilot as a person presses keys):
  next lead   from F2 (no answer) on the call screen to the next lead's card painted: the
              outcome saved, the next lead claimed, read and laid out;
  booking     from ctrl+s on a filled fit-and-actual form to the booking panel painted with
              its best slot chosen: the submit (saved, the meeting offered) plus Enter on the
              offer (the specialists' calendars read, the best slot found and chosen), the
              agent's own pause between the two keys left out. The form is filled from a
              saved draft (the script's answers of a fit lead that needs it now), which F10
              opens, untimed; three specialists take meetings on weekdays;
  baseline    a bare Textual app where a key replaces a card of the same widgets' text, timed
              the same way in the same run: Textual's own key-to-paint time on this machine.
"Painted" is the last frame the desk painted between the key and the moment it went idle
with the new lead on screen (Pilot's pause returned: its pending messages and refresh done):
what the agent sees settle. Each frame is timed as Textual hands it to the terminal, after
its layout and rendering (headless, the frame is then dropped). Also printed, as "returned":
when Pilot's pause returned, which adds Pilot's own idle detection (at least three 20 ms
sleeps per key, whatever the app does) to the app's time. The database is
bench/claim_bench.py's (agent00's queue); the desk's clock is pinned to claim_bench's moment
(a Wednesday, 12:30 Moscow), so the day and hour of the run do not matter. Targets
(docs/architecture.md §11), on "painted": median <= 100 ms and p95 <= 250 ms for each.
--smoke: 20k leads, 8 calls, 3 bookings (seconds, for CI).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_common import add_common_arguments, claim_bench_copy, result, time_limit  # noqa: E402

SIZE = (160, 48)
STEP = 0.001  # how often a wait looks at the screen


async def until(pilot, condition: Callable[[], bool], limit: float = 30.0) -> None:
    deadline = time.perf_counter() + limit
    while not condition():
        if time.perf_counter() > deadline:
            raise SystemExit("the desk did not get there within 30 s")
        await asyncio.sleep(STEP)
    await pilot.pause()


class Frames:
    """When the app paints: every frame Textual hands to the terminal (App._display)."""

    def __init__(self, app) -> None:
        self.times: list[float] = []
        display = app._display

        def timed(screen, renderable) -> None:
            if renderable is not None:
                self.times.append(time.perf_counter())
            display(screen, renderable)

        app._display = timed


@dataclass
class Samples:
    painted: list[float] = field(default_factory=list)  # to the last frame before idle
    returned: list[float] = field(default_factory=list)  # to Pilot's return

    async def time(self, pilot, frames: Frames, key: str, condition) -> tuple[float, float]:
        """Press `key`, wait for `condition` and idle; (to the last frame, to the return)."""
        started = time.perf_counter()
        await pilot.press(key)
        await until(pilot, condition)
        returned = time.perf_counter() - started
        painted = [moment for moment in frames.times if moment >= started]
        if not painted:
            raise SystemExit(f"{key}: the app painted nothing")
        return painted[-1] - started, returned

    def add(self, painted: float, returned: float) -> None:
        self.painted.append(painted)
        self.returned.append(returned)


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

    samples = Samples()
    app = Bare()
    frames = Frames(app)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(calls):
            before = app.shown
            samples.add(
                *await samples.time(pilot, frames, "f2", lambda before=before: app.shown != before)
            )
    return samples


async def take_the_first_lead(pilot) -> None:
    """The call screen: a lead the agent still holds opens at sign-in; else ctrl+n once the
    agent sees the queue (a key pressed while the desk signs in would be lost, as an
    agent's would)."""
    from tmdesk.tui.desk.call import CallScreen
    from tmdesk.tui.desk.queue import QueueScreen

    app = pilot.app

    def queue_shown() -> bool:
        screen = app.screen
        return isinstance(screen, QueueScreen) and any(
            table.row_count > 0 for table in screen.query("#queue-table")
        )

    await until(pilot, lambda: isinstance(app.screen, CallScreen) or queue_shown())
    if not isinstance(app.screen, CallScreen):
        await pilot.press("ctrl+n")
        await until(pilot, lambda: isinstance(app.screen, CallScreen))


async def next_lead(database: Path, calls: int) -> Samples:
    from claim_bench import NOW

    from tmdesk.config import Settings
    from tmdesk.services.workspace import open_workspace
    from tmdesk.tui.app import DeskApp
    from tmdesk.tui.desk.call import CallScreen

    workspace = open_workspace(database, settings=Settings())
    app = DeskApp(workspace, agent_login="agent00", clock=lambda: NOW)
    samples = Samples()
    frames = Frames(app)
    async with app.run_test(size=SIZE) as pilot:
        await take_the_first_lead(pilot)
        for _ in range(calls):
            screen = app.screen
            assert isinstance(screen, CallScreen)
            before = screen.lead_id
            samples.add(
                *await samples.time(
                    pilot,
                    frames,
                    "f2",
                    lambda before=before: (
                        isinstance(app.screen, CallScreen) and app.screen.lead_id != before
                    ),
                )
            )
    return samples


# a fit lead that needs the equipment now, as the default script (b2b-ru) asks it
FIT_AND_NOW = {
    "right_person": "self",
    "activity": "manufacturing",
    "employees": 250,
    "district": "cfo",
    "current_solution": "none",
    "need": True,
    "need_details": "новый цех",
    "timeline": date(2027, 1, 25),
    "budget": "approved",
    "budget_amount": 5000,
    "decision_process": ("director", "chief_engineer"),
    "meeting_agreed": True,
    "comment": "после обеда",
}


def add_specialists() -> None:
    from tmdesk.services.specialists import add_specialist

    for name, zone in (("Орлов Дмитрий", "Europe/Moscow"), ("Айгуль С.", "Asia/Almaty")):
        add_specialist(
            name,
            time_zone=zone,
            working_hours="mon-fri 09:00-13:00, 14:00-18:00",
            meeting_minutes=60,
            buffer_minutes=15,
        )
    add_specialist("Белов Игорь", time_zone="Europe/Moscow", working_hours="mon-fri 10:00-17:00")


async def booking(database: Path, qualified: int) -> Samples:
    from claim_bench import NOW

    from tmdesk.config import Settings
    from tmdesk.domain.scripts import Person
    from tmdesk.services.qualification import save_draft, script_for_lead
    from tmdesk.services.workspace import open_workspace
    from tmdesk.tui.app import DeskApp
    from tmdesk.tui.booking.offer import BookingOffer
    from tmdesk.tui.booking.panel import BookingPanel
    from tmdesk.tui.desk.call import CallScreen

    workspace = open_workspace(database, settings=Settings())
    add_specialists()
    app = DeskApp(workspace, agent_login="agent00", clock=lambda: NOW)
    person = Person("decision_maker", "Сидоров Пётр", "Главный инженер", "8 (495) 765-43-21", "")
    samples = Samples()
    frames = Frames(app)
    async with app.run_test(size=SIZE) as pilot:
        await take_the_first_lead(pilot)
        for _ in range(qualified):
            screen = app.screen
            assert isinstance(screen, CallScreen)
            lead_id = screen.lead_id
            save_draft(
                lead_id,
                screen.agent.id,
                script_for_lead(lead_id),
                FIT_AND_NOW,
                [person],
                now=NOW,
            )
            await pilot.press("f10")
            await until(pilot, lambda screen=screen: screen.qualification is not None)
            offered = await samples.time(
                pilot, frames, "ctrl+s", lambda: isinstance(app.focused, BookingOffer)
            )
            shown = await samples.time(
                pilot,
                frames,
                "enter",
                lambda: isinstance(app.screen, BookingPanel) and app.screen.chosen is not None,
            )
            samples.add(offered[0] + shown[0], offered[1] + shown[1])
            await pilot.press("escape")  # no meeting after all: on to the next lead
            await until(
                pilot,
                lambda lead_id=lead_id: (
                    isinstance(app.screen, CallScreen) and app.screen.lead_id != lead_id
                ),
            )
    return samples


def describe(name: str, samples: list[float]) -> str:
    return (
        f"{name}: median {statistics.median(samples) * 1000:6.1f} ms  "
        f"p95 {percentile(samples, 0.95) * 1000:6.1f} ms  max {max(samples) * 1000:6.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=60)
    parser.add_argument("--qualified", type=int, default=20)
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
        args.leads, args.calls, args.qualified = 20_000, 8, 3
        args.time_limit = min(args.time_limit, 120)
    time_limit(args.time_limit)

    work = claim_bench_copy(args.workdir, args.leads, args.reuse, "call-loop.db")

    asyncio.run(baseline(2))  # warm up Textual itself
    bare = asyncio.run(baseline(args.calls))
    desk = asyncio.run(next_lead(work, args.calls))
    booked = asyncio.run(booking(work, args.qualified))
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {args.leads:,} leads, {args.calls} calls, "
        f"{args.qualified} bookings"
    )
    for label, bare_times, desk_times, booked_times in (
        ("to the last frame painted", bare.painted, desk.painted, booked.painted),
        (
            "to Pilot's return (its idle waits included)",
            bare.returned,
            desk.returned,
            booked.returned,
        ),
    ):
        print(f"{label}:")
        print("  " + describe("bare Textual, key to paint       ", bare_times))
        print("  " + describe("F2 to the next lead              ", desk_times))
        print("  " + describe("submit to the booking's best slot", booked_times))
    bare_median, bare_p95 = statistics.median(bare.painted), percentile(bare.painted, 0.95)
    for name, samples in (("next lead", desk.painted), ("submit to booking", booked.painted)):
        median, p95 = statistics.median(samples), percentile(samples, 0.95)
        met = median <= 0.100 and p95 <= 0.250
        result(
            f"{name} (painted)",
            f"median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms",
            f"median {bare_median * 1000:.1f} ms, p95 {bare_p95 * 1000:.1f} ms",
            f"ratio {median / bare_median:.1f}x (targets median <= 100 ms, "
            f"p95 <= 250 ms: {'met' if met else 'NOT met'})",
        )


if __name__ == "__main__":
    main()
