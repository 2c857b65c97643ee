"""The booking panel driven with real keys: offered after a qualified verdict, the suggested
slot taken and booked, and undone with its meeting; a slot taken by another
connection between showing and confirming."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from booking_setup import URALMASH, add_specialists, qualify, slot_texts, wait_loaded
from qualification_keys import submit_fit_and_now
from textual.widgets import Input, OptionList, SelectionList, TextArea
from tui_helpers import (
    WEDNESDAY_10_MSK,
    Desk,
    Lead,
    moscow_phone,
    notifications,
    offer_asked,
    screen_texts,
    settle,
    text_of,
    type_text,
    wait_for,
)

from tmdesk.services.booking import meeting_for_lead, meetings_of
from tmdesk.store.models import Meeting
from tmdesk.tui.booking.panel import BookingPanel
from tmdesk.tui.desk.call import CallScreen
from tmdesk.tui.desk.outcome_dialogs import UndoMeetingDialog

SIZE = (120, 40)
NOW = WEDNESDAY_10_MSK  # Wed 25.11.2026 10:00 Moscow = 12:00 in Almaty and Yekaterinburg
ALMATY = ZoneInfo("Asia/Almaty")
BOOKER = Path(__file__).with_name("booking_process.py")


def first_free_of_aigul(now: datetime) -> datetime:
    """Aigul works 09:00-13:00 and 15:00-19:00 on her clock (Asia/Almaty). The default
    notice of two hours ends in her lunch break, so her first free start is 15:00 her time
    that day."""
    earliest = (now + timedelta(hours=2)).astimezone(ALMATY)
    assert 13 <= earliest.hour < 15, earliest
    return earliest.replace(hour=15, minute=0, second=0, microsecond=0).astimezone(UTC)


async def test_a_qualified_call_books_the_suggested_slot_and_undo_cancels_it(desk: Desk):
    desk.import_leads([URALMASH, Lead("Бета", moscow_phone(2), "Ольга Смирнова")])
    add_specialists(desk)
    lead_id = desk.lead_id(URALMASH.company)
    starts = first_free_of_aigul(NOW)
    assert starts == datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # 15:00 Almaty, 13:00 MSK

    app = desk.app(agent="anna", now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen) and app.screen.lead_id == lead_id
        await pilot.press("f10")
        await settle(pilot)
        # the lead's contact, pre-filled as the first person, is not the one who decides
        # here: removed, and he is added
        await submit_fit_and_now(pilot)
        await settle(pilot)

        # qualified: the meeting is offered before the next lead
        assert desk.lead(URALMASH.company).status == "qualified"
        assert offer_asked(app)
        await pilot.press("enter")
        panel = await wait_loaded(pilot)
        # the suggested specialist first, her next free slot on top, in both clocks
        suggested = str(panel.query_one("#specialists", OptionList).get_option_at_index(0).prompt)
        assert suggested.startswith("★ Сейтказиева Айгуль · suggested")
        assert "region: ЦФО · specialisation: производство" in suggested  # keys said ЦФО
        assert slot_texts(app)[0] == "1 Wed 25.11 13:00 MSK · lead: 15:00 +05"
        assert "Сидоров Пётр" in panel.query_one("#meeting-agenda", TextArea).text

        # it opens at the confirm step: the best slot (inside the lead's hours) chosen,
        # the focus on the video call's link, the one thing still missing
        assert app.focused.id == "meeting-place"
        assert text_of(app, "#chosen-slot") == (
            "Chosen: Wed 25.11 13:00–14:00 MSK · lead: 15:00–16:00 +05 · Сейтказиева Айгуль · video"
        )
        await type_text(pilot, "https://meet.example/uralmash")
        await pilot.press("enter")  # Enter after the link books
        await settle(pilot)

        booked = meeting_for_lead(lead_id)
        assert booked is not None
        assert (booked.starts_at, booked.ends_at) == (starts, starts + timedelta(hours=1))
        assert (booked.booked_by, booked.kind, booked.specialist_name) == (
            "anna",
            "video",
            "Сейтказиева Айгуль",
        )
        assert (booked.place, booked.link_later) == ("https://meet.example/uralmash", False)
        assert [a.name for a in booked.attendees] == ["Сидоров Пётр"]
        assert "Meeting booked" in [n.title for n in app._notifications]
        # then the next lead, as after any outcome
        assert isinstance(app.screen, CallScreen) and app.screen.lead_id != lead_id

        # undo brings the qualified lead back, its window counted from the booking; the
        # meeting is cancelled with it, once the agent confirms (Esc: nothing changes)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert isinstance(app.screen, UndoMeetingDialog)
        assert "Сейтказиева Айгуль" in screen_texts(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen) and app.screen.lead_id != lead_id
        assert meeting_for_lead(lead_id) is not None
        await pilot.press("ctrl+z")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.lead_id == lead_id
        await wait_for(pilot, lambda: not app.screen.query_one("#lead-meeting").display)

    assert meeting_for_lead(lead_id) is None
    cancelled = Meeting.get_by_id(booked.id)
    assert (cancelled.status, cancelled.cancel_reason) == (
        "cancelled",
        "the agent undid the qualified outcome",
    )
    assert desk.lead(URALMASH.company).status == "in_progress"


async def test_a_slot_taken_meanwhile_is_said_and_the_list_refreshed_keeping_the_typing(desk: Desk):
    desk.import_leads([URALMASH, Lead("Бета", "+7 343 350-11-33", "Ольга Смирнова")])
    specialists = add_specialists(desk)
    mine = qualify(desk, "anna")
    theirs = qualify(desk, "boris")
    app = desk.app(agent="anna", now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(BookingPanel(mine))
        panel = await wait_loaded(pilot)
        shown_first = slot_texts(app)[0]
        await pilot.press("f2")  # on site
        place = panel.query_one("#meeting-place", Input)
        place.focus()
        await type_text(pilot, "Екатеринбург, ул. Фронтовых бригад, 18")
        panel.query_one("#meeting-attendees", SelectionList).focus()
        await pilot.press("down", "space")  # Громов Павел out
        panel.query_one("#slots", OptionList).focus()
        await pilot.press("enter")
        assert app.focused.id == "book-button"

        # boris books that very slot for his lead, from a process of his own
        slot = panel.chosen
        done = subprocess.run(
            [
                sys.executable,
                str(BOOKER),
                desk.workspace.target,
                str(theirs),
                str(desk.users["boris"].id),
                str(specialists["aigul"].id),
                slot.starts_at.isoformat(),
                NOW.isoformat(),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "booked"

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BookingPanel)  # not booked, still here
        taken = "This slot was just taken — pick another one."
        assert text_of(app, "#booking-problem") == taken
        assert taken in notifications(app)
        await wait_for(pilot, lambda: slot_texts(app) and slot_texts(app)[0] != shown_first)
        assert not any(text.startswith(shown_first[2:]) for text in slot_texts(app))
        # what was typed and chosen is still there
        assert place.value == "Екатеринбург, ул. Фронтовых бригад, 18"
        assert panel.query_one("#meeting-attendees", SelectionList).selected == [0]
        assert panel.kind == "on_site"
        assert app.focused.id == "slots"

        new_first = slot_texts(app)[0]
        await pilot.press("1", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, BookingPanel)

    booked = meeting_for_lead(mine)
    assert new_first.startswith(
        "1 "
        + booked.starts_at.astimezone(ZoneInfo("Europe/Moscow")).strftime("Wed 25.11 %H:%M MSK")
    )
    assert (booked.kind, booked.place) == ("on_site", "Екатеринбург, ул. Фронтовых бригад, 18")
    assert [a.name for a in booked.attendees] == ["Сидоров Пётр"]
    aigul = meetings_of(specialists["aigul"].id)
    assert [m.lead_id for m in aigul] == [theirs, mine]
    assert aigul[0].ends_at <= aigul[1].starts_at  # never an overlap


async def test_a_lead_not_yet_qualified_shows_the_times_but_cannot_book(desk: Desk):
    desk.import_leads([URALMASH])
    add_specialists(desk)
    app = desk.app(agent="anna", now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("ctrl+b")
        await wait_loaded(pilot)
        assert text_of(app, "#booking-problem").startswith("Only a qualified lead gets a meeting")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BookingPanel)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
    assert Meeting.select().count() == 0


async def test_the_week_grid_turns_weeks_and_switches_specialists_with_keys(desk: Desk):
    desk.import_leads([URALMASH])
    add_specialists(desk)
    lead_id = qualify(desk)
    app = desk.app(agent="anna", now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(BookingPanel(lead_id))
        panel = await wait_loaded(pilot)
        assert text_of(app, "#week-title").startswith("Week 23.11–29.11 · Сейтказиева Айгуль")
        await pilot.press("f8")
        assert text_of(app, "#week-title").startswith("Week 30.11–06.12")
        await pilot.press("f7", "f7")  # the second one: no week before this one
        assert text_of(app, "#week-title").startswith("Week 23.11–29.11")
        assert "This is the current week." in notifications(app)

        await pilot.press("f6")  # the next specialist, with his own free time
        await wait_for(pilot, lambda: "Орлов Дмитрий" in text_of(app, "#slots-title"))
        assert slot_texts(app)[0] == "1 Wed 25.11 12:00 MSK · lead: 14:00 +05"
        assert text_of(app, "#week-title").startswith("Week 23.11–29.11 · Орлов Дмитрий")

        # in the grid the cursor starts on the week's first free cell; → past Sunday
        # turns to the next week, on Monday at the same time; Enter takes it
        panel.query_one("#week-grid").focus()
        assert panel.grid.at(*grid_cursor(panel)).starts_at == datetime(
            2026, 11, 25, 9, 0, tzinfo=UTC
        )
        await pilot.press("right", "right", "right", "right", "right")
        assert text_of(app, "#week-title").startswith("Week 30.11–06.12 · Орлов Дмитрий")
        await pilot.press("enter")
        assert panel.chosen.starts_at == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
        assert app.focused.id == "book-button"
        assert text_of(app, "#chosen-slot") == (
            "Chosen: Mon 30.11 12:00–13:00 MSK · lead: 14:00–15:00 +05 · Орлов Дмитрий · video"
        )


def grid_cursor(panel: BookingPanel) -> tuple[int, int]:
    row, column = panel.query_one("#week-grid").cursor_coordinate
    return row, column


async def test_a_lead_that_cannot_be_read_closes_the_panel_saying_why(desk: Desk):
    app = desk.app(agent="anna", now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(BookingPanel(9999))
        await settle(pilot)
        assert not isinstance(app.screen, BookingPanel)
        assert "lead 9999 does not exist" in notifications(app)[-1]
