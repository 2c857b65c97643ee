"""From the qualification's submit to a booked meeting in two keys: the booking opens with the
best slot chosen (the suggested specialist's earliest inside the lead's business hours, not
an earlier one at night their time), and a video meeting asks for its link or for an
explicit "link later", which review and the handoff then show as missing.

The lead is in Vladivostok (+10): at Wednesday 10:00 Moscow it is 17:00 there. The suggested
specialist (Almaty, +05) is first free at 15:00 her time, 20:00 in Vladivostok; her first
slot inside the lead's hours (09:00-18:00) is Thursday 09:00 Almaty, 14:00 Vladivostok.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from booking_setup import (
    add_specialists,
    offer_for_the_next_lead,
    qualify,
    slot_texts,
    wait_loaded,
)
from icalendar import Calendar
from qualification_keys import submit_fit_and_now
from supervisor_data import sign_in_as_supervisor, supervisor_desk
from textual.widgets import OptionList
from tui_helpers import (
    WEDNESDAY_10_MSK,
    Desk,
    Lead,
    moscow_phone,
    offer_asked,
    settle,
    text_of,
    type_text,
    wait_for,
)

from tmdesk.services.booking import book_meeting, meeting_for_lead
from tmdesk.services.export_formats import ExportMeta, write_records
from tmdesk.services.handoff import ready_records
from tmdesk.store.models import Meeting
from tmdesk.tui.booking.panel import BookingPanel
from tmdesk.tui.desk.call import CallScreen
from tmdesk.tui.supervisor.review import ReviewDetailScreen, ReviewScreen

SIZE = (120, 40)
NOW = WEDNESDAY_10_MSK
PRIMORYE = Lead(
    "ООО «Приморская рыба»", "+7 423 222-33-44", "Олег Ким", priority=2, city="Владивосток"
)
EARLIEST = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # Wed 15:00 Almaty, 20:00 Vladivostok
BEST = datetime(2026, 11, 26, 4, 0, tzinfo=UTC)  # Thu 09:00 Almaty, 14:00 Vladivostok
LINK_LATER = "⚠ video link missing: to be sent later"


async def test_after_the_submit_enter_the_link_and_enter_book_the_best_slot(desk: Desk):
    desk.import_leads([PRIMORYE, Lead("Бета", moscow_phone(2), "Ольга Смирнова")])
    add_specialists(desk)
    lead_id = desk.lead_id(PRIMORYE.company)
    app = desk.app(agent="anna", now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen) and app.screen.lead_id == lead_id
        await pilot.press("f10")
        await settle(pilot)
        await submit_fit_and_now(pilot)  # qualified: the booking is offered
        await settle(pilot)
        assert offer_asked(app)

        # key 1: open the booking, the best slot chosen and the focus on the link
        await pilot.press("enter")
        panel = await wait_loaded(pilot)
        shown = slot_texts(app)
        assert shown[0] == "1 Wed 25.11 13:00 MSK · lead: 20:00 +10  ⚠"  # earlier, at night
        assert panel.chosen.starts_at == BEST and panel.chosen.in_lead_hours
        assert shown[panel.query_one("#slots", OptionList).highlighted].startswith(
            "8 Thu 26.11 07:00 MSK · lead: 14:00 +10"
        )
        assert text_of(app, "#chosen-slot") == (
            "Chosen: Thu 26.11 07:00–08:00 MSK · lead: 14:00–15:00 +10 · Сейтказиева Айгуль · video"
        )
        assert app.focused.id == "meeting-place"
        # the link (typed text), then key 2: Enter books
        await type_text(pilot, "https://meet.example/primorye")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen) and app.screen.lead_id != lead_id

    meeting = Meeting.get(Meeting.lead == lead_id)
    assert (meeting.starts_at, meeting.ends_at) == (BEST, BEST + timedelta(hours=1))
    assert meeting.starts_at > EARLIEST
    assert (meeting.kind, meeting.place, meeting.link_later, meeting.status) == (
        "video",
        "https://meet.example/primorye",
        False,
        "booked",
    )
    assert meeting.specialist.name == "Сейтказиева Айгуль"
    assert meeting.booked_by.login == "anna"


async def test_a_video_meeting_asks_for_its_link_or_one_key_books_it_link_later(desk: Desk):
    desk.import_leads([PRIMORYE])
    add_specialists(desk)
    lead_id = qualify(desk)
    app = desk.app(agent="anna", now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(BookingPanel(lead_id))
        panel = await wait_loaded(pilot)
        assert panel.chosen.starts_at == BEST

        await pilot.press("ctrl+s")  # no link: not booked, the panel asks
        await settle(pilot)
        assert isinstance(app.screen, BookingPanel)
        assert text_of(app, "#booking-problem") == (
            "A video meeting needs its link: type it in the place field, "
            "or press f10 to book it with the link later."
        )
        assert app.focused.id == "meeting-place"
        assert Meeting.select().count() == 0

        await pilot.press("f10")  # link later: booked at once
        await settle(pilot)
        assert not isinstance(app.screen, BookingPanel)

    booked = meeting_for_lead(lead_id)
    assert booked is not None and booked.starts_at == BEST
    assert (booked.kind, booked.place, booked.link_later) == ("video", "", True)

    # the handoff says the link is missing: the place column and the ICS LOCATION
    records = ready_records(desk.workspace.settings, include_unreviewed=True)
    assert [r["lead_id"] for r in records] == [lead_id]
    assert records[0]["meeting"]["link_later"] is True
    meta = ExportMeta(created_at=NOW)
    csv_file = io.BytesIO()
    write_records("csv", csv_file, records, meta)
    assert LINK_LATER in csv_file.getvalue().decode("utf-8-sig")
    ics_file = io.BytesIO()
    write_records("ics", ics_file, records, meta)
    (event,) = Calendar.from_ical(ics_file.getvalue()).walk("VEVENT")
    assert str(event["LOCATION"]) == LINK_LATER


async def test_the_review_shows_a_video_link_to_be_sent_later_as_missing(desk: Desk):
    supervisor_desk(desk)
    desk.import_leads([PRIMORYE])
    specialists = add_specialists(desk)
    lead_id = qualify(desk)
    book_meeting(
        lead_id,
        desk.users["anna"].id,
        specialists["aigul"].id,
        BEST,
        desk.workspace.settings,
        now=NOW,
        link_later=True,
    )
    app = desk.app(now=NOW + timedelta(minutes=30))
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as_supervisor(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewDetailScreen)
        assert LINK_LATER in text_of(app, "#review-meeting")


@pytest.mark.parametrize(
    ("read_seconds", "late_read_of_another_lead", "panel_reads"),
    [(60, False, False), (0, False, True), (60, True, True)],
    ids=["fresh", "too-old", "another-lead"],
)
async def test_the_panel_opens_on_the_slots_read_while_the_offer_was_asked(
    desk: Desk, monkeypatch, read_seconds, late_read_of_another_lead, panel_reads
):
    """One read when Enter follows the offer; a second one when the first is too old, or
    when what was read last was an earlier lead's (its read finished late)."""
    import tmdesk.tui.booking.panel as panel_module
    import tmdesk.tui.desk.call as call_module

    reads: list[str] = []

    def counted(where, original):
        def read(*args, **kwargs):
            reads.append(where)
            return original(*args, **kwargs)

        return read

    monkeypatch.setattr(call_module, "open_booking", counted("offer", call_module.open_booking))
    monkeypatch.setattr(panel_module, "open_booking", counted("panel", panel_module.open_booking))
    monkeypatch.setattr(call_module, "BOOKING_READ_SECONDS", read_seconds)
    desk.import_leads([PRIMORYE])
    add_specialists(desk)
    app = desk.app(agent="anna", now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        call = await offer_for_the_next_lead(pilot)
        await wait_for(pilot, lambda: call._booking_read is not None)
        if late_read_of_another_lead:
            _lead, view, at = call._booking_read
            call._booking_read = (_lead + 1, view, at)
        await pilot.press("enter")
        panel = await wait_loaded(pilot)
        assert panel.chosen.starts_at == BEST
        assert PRIMORYE.company in text_of(app, "#booking-head")
    assert reads == (["offer", "panel"] if panel_reads else ["offer"])
