"""Snapshots of the booking panel at 120×40 and at 80×24: a Yekaterinburg lead qualified
through the services, two matching specialists (the suggested one in Almaty), a fixed
clock. The panel opens at the confirm step: the best slot chosen, the focus on the link.

Review a changed snapshot by eye (pytest --snapshot-report) before --snapshot-update.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from booking_setup import URALMASH, add_specialists, qualify
from textual.widgets import Input, TextArea
from tui_helpers import WEDNESDAY_10_MSK, Desk, make_desk, settle, wait_for

from tmdesk.tui.booking.panel import BookingPanel


@pytest.fixture
def desk_here(tmp_path: Path, monkeypatch) -> Desk:
    # A relative database path, so the title reads "t.db" on every machine.
    monkeypatch.chdir(tmp_path)
    desk = make_desk(Path("t.db"), tmp_path)
    desk.import_leads([URALMASH], list_name="Осень 2026")
    add_specialists(desk)
    qualify(desk)
    return desk


async def panel_with_the_suggested_slot(pilot) -> None:
    app = pilot.app
    await settle(pilot)
    app.push_screen(BookingPanel(app.desk_lead_id))
    await wait_for(
        pilot,
        lambda: (
            isinstance(app.screen, BookingPanel)
            and app.screen.specialist_id is not None
            and app.screen._shown
        ),
    )
    for field in app.screen.query(Input):
        field.cursor_blink = False
    for area in app.screen.query(TextArea):
        area.cursor_blink = False
    await settle(pilot)
    # the link field has the focus, scrolled into view after the first layout
    left, place = app.screen.query_one("#booking-left"), app.screen.query_one("#meeting-place")
    await wait_for(pilot, lambda: left.region.contains_region(place.region))
    await settle(pilot)
    # where "in view" leaves the scroll depends on when the agenda was laid out: put the
    # meeting's kind line at the top, so the picture is the same in every run
    # (at 80 columns the panel's columns scroll, not the left one)
    app.screen.scroll_to_widget(app.screen.query_one("#kind-line"), animate=False, top=True)
    await settle(pilot)


def booking_app(desk: Desk):
    app = desk.app(agent="anna", now=WEDNESDAY_10_MSK)
    app.desk_lead_id = desk.lead_id(URALMASH.company)
    return app


def test_booking_panel(desk_here: Desk, snap_compare):
    assert snap_compare(
        booking_app(desk_here), terminal_size=(120, 40), run_before=panel_with_the_suggested_slot
    )


def test_booking_panel_at_80_by_24(desk_here: Desk, snap_compare):
    assert snap_compare(
        booking_app(desk_here), terminal_size=(80, 24), run_before=panel_with_the_suggested_slot
    )
