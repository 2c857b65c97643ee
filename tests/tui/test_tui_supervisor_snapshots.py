"""Snapshots of the supervisor workspace (figures at 120×40; the workspace and review at
80×24), on a fixed history with a fixed clock. The figures at 80×24 are left to a Pilot
test (test_tui_supervisor_small): plotext thins a narrow chart's hour labels differently
from one run to the next.

Review a changed snapshot by eye (pytest --snapshot-report) before --snapshot-update.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from supervisor_data import WEDNESDAY_18_MSK, fixed_day, settle, sign_in_as_supervisor
from tui_helpers import Desk, make_desk, type_text

from tmdesk.tui.supervisor.figures import FiguresScreen

SIZE = (120, 40)


@pytest.fixture
def desk_here(tmp_path: Path, monkeypatch) -> Desk:
    # A relative database path, so the title reads "t.db" on every machine.
    monkeypatch.chdir(tmp_path)
    desk = make_desk(Path("t.db"), tmp_path)
    fixed_day(desk, with_tuesday=True)
    return desk


async def open_figures(pilot) -> None:
    await sign_in_as_supervisor(pilot)
    await pilot.press("f")
    await settle(pilot)
    assert isinstance(pilot.app.screen, FiguresScreen)
    pilot.app.clear_notifications()


def test_figures_of_a_day(desk_here: Desk, snap_compare):
    """Wednesday: both agents, the funnel, calls by hour and by agent, the lists."""
    app = desk_here.app(now=WEDNESDAY_18_MSK)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_figures)


def test_figures_of_a_range(desk_here: Desk, snap_compare):
    """Monday to Wednesday, typed in the range dialog: first and last calls with the day."""
    app = desk_here.app(now=WEDNESDAY_18_MSK)

    async def pick_range(pilot) -> None:
        await open_figures(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("ctrl+u")
        await type_text(pilot, "23.11.2026")
        await pilot.press("enter", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=pick_range)


def test_figures_of_a_day_without_calls(desk_here: Desk, snap_compare):
    """Monday: nothing recorded, and the screen says so (no empty charts to puzzle over)."""
    app = desk_here.app(now=WEDNESDAY_18_MSK)

    async def monday(pilot) -> None:
        await open_figures(pilot)
        await pilot.press("left", "left")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=monday)


SMALL = (80, 24)


def test_workspace_at_80_by_24(desk_here: Desk, snap_compare):
    """The summary wraps inside the box, the number waiting on its own line; the footer
    shows whole keys."""
    app = desk_here.app(now=WEDNESDAY_18_MSK)
    assert snap_compare(app, terminal_size=SMALL, run_before=sign_in_as_supervisor)


def test_review_queue_at_80_by_24(desk_here: Desk, snap_compare):
    """Every day's waiting work, the day beside the time."""
    app = desk_here.app(now=WEDNESDAY_18_MSK)

    async def open_review(pilot) -> None:
        await sign_in_as_supervisor(pilot)
        await pilot.press("r")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=open_review)


def test_review_detail_at_80_by_24(desk_here: Desk, snap_compare):
    """One qualification, scrolled to its trail: sentences in the supervisor's time."""
    app = desk_here.app(now=WEDNESDAY_18_MSK)

    async def open_detail(pilot) -> None:
        await sign_in_as_supervisor(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("c", "down", "down", "enter")  # correct the third answer
        await settle(pilot)
        await pilot.press("ctrl+u")
        await type_text(pilot, "300")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("end")  # the answers scroll: down to the trail
        await settle(pilot)
        pilot.app.clear_notifications()

    assert snap_compare(app, terminal_size=SMALL, run_before=open_detail)
