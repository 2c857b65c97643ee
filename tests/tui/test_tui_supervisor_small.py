"""The supervisor workspace on an 80×24 terminal: nothing cut that a supervisor needs."""

from __future__ import annotations

from supervisor_data import WEDNESDAY_18_MSK, fixed_day, painted, settle, sign_in_as_supervisor
from tui_helpers import Desk

from tmdesk.tui.supervisor.review import ReviewScreen

SMALL = (80, 24)
APP_KEYS = "^q Quit  f1 Keys  ^o Sign out"


def footer(app) -> str:
    return painted(app)[-1].rstrip()


async def test_the_summary_shows_the_number_waiting_for_review(desk: Desk):
    fixed_day(desk)
    app = desk.app(now=WEDNESDAY_18_MSK)
    async with app.run_test(size=SMALL) as pilot:
        await sign_in_as_supervisor(pilot)
        lines = painted(app)
        assert any("5 qualifications waiting for review" in line for line in lines)
        assert any("Today, Wed 25.11.2026: 18 calls" in line for line in lines)


async def test_every_footer_ends_with_whole_keys(desk: Desk):
    """Each screen's footer keeps its own main keys and the app's (F1 lists the rest)."""
    fixed_day(desk)
    app = desk.app(now=WEDNESDAY_18_MSK)
    async with app.run_test(size=SMALL) as pilot:
        await sign_in_as_supervisor(pilot)
        assert footer(app).endswith(APP_KEYS)
        expected = {
            "r": "←→ Day  esc Back  a Approve  r Return  ",
            "f": "←→ Days  esc Back  t Today  d Dates  ",
            "l": "esc Back  p Pause/resume  +- Priority  i Import  ",
            "d": "esc Back  a Add  r Remove  i Import  / Find  ",
        }
        for key, keys in expected.items():
            await pilot.press(key)
            await settle(pilot)
            assert footer(app).strip() == (keys + APP_KEYS).strip(), key
            if key == "r":
                await pilot.press("enter")
                await settle(pilot)
                assert footer(app).strip() == (
                    "esc Back  a Approve  r Return  c Correct  " + APP_KEYS
                )
                await pilot.press("escape")
                await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)


async def test_a_key_left_out_of_the_footer_still_works_and_f1_lists_it(desk: Desk):
    fixed_day(desk)
    app = desk.app(now=WEDNESDAY_18_MSK)
    async with app.run_test(size=SMALL) as pilot:
        await sign_in_as_supervisor(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert "t Today" not in footer(app)
        await pilot.press("t")
        await settle(pilot)
        assert any("Review queue · Wed 25.11.2026" in line for line in painted(app))
        # the F1 panel lists the screen's active bindings, the footer's left-outs too
        listed = {b.binding.description for b in app.screen.active_bindings.values()}
        assert {"Today", "All days", "Verdict", "Agent"} <= listed
