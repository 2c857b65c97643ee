"""Snapshots of the call screen with the qualification form, at 120×40 and at 80×24 (the
smallest terminal the desk supports): fixed data, a fixed clock, answers typed with keys.

Review a changed snapshot by eye (pytest --snapshot-report) before --snapshot-update.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from qualification_keys import FIT_AND_NOW, answer, submit_fit_and_now
from textual.widgets import Input, TextArea
from tui_helpers import (
    WEDNESDAY_10_MSK,
    Desk,
    Lead,
    make_desk,
    offer_asked,
    settle,
    text_of,
    wait_for,
)


@pytest.fixture
def desk_here(tmp_path: Path, monkeypatch) -> Desk:
    # A relative database path, so the title reads "t.db" on every machine.
    monkeypatch.chdir(tmp_path)
    desk = make_desk(Path("t.db"), tmp_path)
    desk.import_leads(
        [
            Lead(
                "ООО «Уралмаш-Сервис»",
                "+7 343 350-11-22",
                "Павел Громов",
                priority=2,
                position="главный инженер",
                city="Екатеринбург",
            ),
            Lead("Торговый дом Арбат", "+7 495 123-45-67", "Мария Соколова"),
        ],
        list_name="Осень 2026",
    )
    return desk


async def open_the_form(pilot) -> None:
    """The first lead taken (ctrl+n), its notes' cursor still, the form opened (F10)."""
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    pilot.app.screen.query_one("#notes", TextArea).cursor_blink = False
    await pilot.press("f10")
    await settle(pilot)


async def form_half_filled(pilot) -> None:
    """The form opened with F10, the fit questions answered, the focus on the purchase
    date with a natural short form typed and read."""
    await open_the_form(pilot)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await answer(pilot, FIT_AND_NOW[:8])  # up to the purchase date
    await pilot.press("shift+tab")
    await wait_for(pilot, lambda: "saved " in text_of(pilot.app, "#qual-saved"))
    await settle(pilot)


def test_call_screen_with_the_form(desk_here: Desk, snap_compare):
    app = desk_here.app(agent="anna", now=WEDNESDAY_10_MSK)
    assert snap_compare(app, terminal_size=(120, 40), run_before=form_half_filled)


def test_call_screen_with_the_form_at_80_by_24(desk_here: Desk, snap_compare):
    app = desk_here.app(agent="anna", now=WEDNESDAY_10_MSK)
    assert snap_compare(app, terminal_size=(80, 24), run_before=form_half_filled)


async def meeting_offered(pilot) -> None:
    """The form submitted qualified: the meeting is offered above the outcome keys, the
    lead still in view."""
    await open_the_form(pilot)
    await submit_fit_and_now(pilot)
    await wait_for(pilot, lambda: offer_asked(pilot.app))
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_call_screen_offering_the_meeting(desk_here: Desk, snap_compare, size):
    app = desk_here.app(agent="anna", now=WEDNESDAY_10_MSK)
    assert snap_compare(app, terminal_size=size, run_before=meeting_offered)
