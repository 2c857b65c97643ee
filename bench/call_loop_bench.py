"""The agent's call loop on a 1M-lead database: from a key to the next screen painted.

    python bench/call_loop_bench.py [--leads 1000000] [--calls 60] [--qualified 20] [--reuse]
                                    [--smoke] [--time-limit S]

What an agent waits for between two calls, measured in the desk itself (headless, 160×48,
run by Pilot, keys pressed as a person presses them):
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
Each key is sent as the terminal driver sends it, and nothing of the benchmark's runs in
the app while it is timed (Pilot's waits post a callback to every widget of the screen:
they run only between keys). The time taken is to the screen settled: the last frame that
changed a cell of the screen, compared cell by cell with what the terminal showed before
it, once the key's work is done (its condition met, a frame painted since, and nothing
painted for 150 ms after). Each frame is timed
as Textual hands it to the terminal, after its layout and rendering (headless, the frame is
then dropped). Also printed, as "last frame": the last frame painted, changed or not
(Textual lays a screen out again once its widgets know their new sizes, and repaints cells
unchanged). Cursors do not blink here (a blink is a frame of its own, whatever the desk
does). The database is bench/claim_bench.py's (agent00's queue); the desk's clock is
pinned to claim_bench's moment (a Wednesday, 12:30 Moscow), so the day and hour of the run
do not matter. Targets (docs/architecture.md §11), on "settled": median <= 100 ms and p95
<= 250 ms for each.
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
QUIET = 0.15  # seconds without a frame after which a key's work is done


async def until(pilot, condition: Callable[[], bool], limit: float = 30.0) -> None:
    deadline = time.perf_counter() + limit
    while not condition():
        if time.perf_counter() > deadline:
            raise SystemExit("the desk did not get there within 30 s")
        await asyncio.sleep(STEP)
    await pilot.pause()


class Frames:
    """What the app paints: every frame Textual hands to the terminal (App._display), and,
    compared afterwards cell by cell with a copy of the terminal's screen, which frames
    changed what is on it. A frame that writes the cells it found (Textual lays a screen out
    again after its widgets learn their new sizes, and repaints what did not move) shows the
    agent nothing."""

    def __init__(self, app) -> None:
        self.times: list[float] = []  # every frame painted
        self.changed: list[float] = []  # the frames that changed a cell on screen
        self._unread: list[tuple[float, object]] = []
        self._cells: dict[tuple[int, int], tuple[str, object]] = {}
        self._console = app.console
        display = app._display

        def timed(screen, renderable) -> None:
            if renderable is not None:
                now = time.perf_counter()
                self.times.append(now)
                self._unread.append((now, renderable))
            display(screen, renderable)

        app._display = timed

    def compare(self) -> None:
        """Lay the frames painted since the last call over the screen, in order (untimed)."""
        for moment, update in self._unread:
            if self._lay(update):
                self.changed.append(moment)
        self._unread.clear()

    def _lay(self, update) -> bool:
        from rich.cells import cell_len
        from rich.segment import ControlType

        x = y = 0
        changed = False
        for segment in update.__rich_console__(self._console, self._console.options):
            if segment.control:
                for code in segment.control:
                    if code[0] is ControlType.CURSOR_MOVE_TO:
                        x, y = code[1], code[2]
                continue
            if segment.text == "\n":
                continue  # every line of an update starts with a move to it
            style = segment.style.clear_meta_and_links() if segment.style else None
            for char in segment.text:
                width = cell_len(char)
                if not width:
                    continue
                if self._cells.get((x, y)) != (char, style):
                    self._cells[(x, y)] = (char, style)
                    changed = True
                x += width
        return changed


def steady_cursors() -> None:
    """A blinking cursor paints a frame of its own twice a second, whatever the desk does
    (the booking panel opens on the meeting's link, an Input): here cursors stay lit, as
    in a terminal with blinking turned off."""
    from textual.widgets import Input, TextArea

    def lit(widget) -> None:
        widget._cursor_visible = True

    Input._toggle_cursor = lit
    TextArea._toggle_cursor_blink_visible = lit


def send_key(app, key: str) -> None:
    """The key as the terminal driver hands it to the app (Pilot's own event), without
    Pilot's waits: Pilot then asks every widget of the screen to answer a callback, hundreds
    on the call screen with its form, which a real terminal never does."""
    import unicodedata

    from textual import events
    from textual.keys import _get_unicode_name_from_key

    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(key))
    except KeyError:
        char = key if len(key) == 1 else None
    event = events.Key(key, char)
    event.set_sender(app)
    app._driver.send_message(event)


@dataclass
class Samples:
    settled: list[float] = field(default_factory=list)  # to the last frame that changed a cell
    painted: list[float] = field(default_factory=list)  # to the last frame, changed or not
    parts: list[tuple[float, float]] = field(default_factory=list)  # a booking's two keys

    async def time(self, pilot, frames: Frames, key: str, condition) -> tuple[float, float]:
        """Send `key`; wait until `condition` holds, a frame has been painted since, and
        nothing for QUIET seconds after; (to the last frame that changed the screen, to the
        last frame)."""
        started = time.perf_counter()
        send_key(pilot.app, key)
        deadline = started + 30.0
        looked = started  # the last look at the desk that found the condition unmet
        held: float | None = None  # since when it holds (at most STEP early)
        while True:
            await asyncio.sleep(STEP)
            now = time.perf_counter()
            if now > deadline:
                raise SystemExit(f"{key}: the desk did not get there within 30 s")
            if held is None:
                if condition():
                    held = looked
                else:
                    looked = now
                continue
            last = frames.times[-1] if frames.times else 0.0
            if last >= held and now - last >= QUIET:
                break
        frames.compare()
        changed = [moment for moment in frames.changed if moment >= started]
        painted = [moment for moment in frames.times if moment >= started]
        if not changed:
            raise SystemExit(
                f"{key}: nothing changed on the screen ({len(painted)} frames painted)"
            )
        await pilot.pause()  # untimed: the next key starts from a desk at rest
        return changed[-1] - started, painted[-1] - started

    def add(self, settled: float, painted: float) -> None:
        self.settled.append(settled)
        self.painted.append(painted)


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
            samples.parts.append((offered[0], shown[0]))
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

    steady_cursors()
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
        (
            "to the screen settled (the last frame that changed it)",
            bare.settled,
            desk.settled,
            booked.settled,
        ),
        ("to the last frame painted (changed or not)", bare.painted, desk.painted, booked.painted),
    ):
        print(f"{label}:")
        print("  " + describe("bare Textual, key to paint       ", bare_times))
        print("  " + describe("F2 to the next lead              ", desk_times))
        print("  " + describe("submit to the booking's best slot", booked_times))
    print("the booking's two keys, to the screen settled:")
    print("  " + describe("ctrl+s to the offer              ", [a for a, _ in booked.parts]))
    print("  " + describe("Enter to the panel on its slot   ", [b for _, b in booked.parts]))
    bare_median, bare_p95 = statistics.median(bare.settled), percentile(bare.settled, 0.95)
    for name, samples in (("next lead", desk.settled), ("submit to booking", booked.settled)):
        median, p95 = statistics.median(samples), percentile(samples, 0.95)
        met = median <= 0.100 and p95 <= 0.250
        result(
            f"{name} (settled)",
            f"median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms",
            f"median {bare_median * 1000:.1f} ms, p95 {bare_p95 * 1000:.1f} ms",
            f"ratio {median / bare_median:.1f}x (targets median <= 100 ms, "
            f"p95 <= 250 ms: {'met' if met else 'NOT met'})",
        )


if __name__ == "__main__":
    main()
