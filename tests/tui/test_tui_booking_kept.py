"""The booking panel is made once and shown again for every booking (tmdesk.tui.booking.ready):
each showing must be the lead's own, with nothing left from the one before — not the company,
the agenda, the people, the link typed, the slot chosen, a moved meeting's locked form, nor a
free-time read that comes back late for the earlier lead."""

from __future__ import annotations

from booking_setup import URALMASH, add_specialists, qualify, wait_loaded
from qualification_keys import submit_fit_and_now
from textual.widgets import Input, SelectionList, TextArea
from textual.widgets._footer import FooterKey
from tui_helpers import (
    WEDNESDAY_10_MSK,
    Desk,
    Lead,
    moscow_phone,
    notifications,
    offer_asked,
    settle,
    text_of,
    type_text,
)

from tmdesk.services.booking import book_meeting, meeting_for_lead
from tmdesk.store.models import Meeting
from tmdesk.tui.booking.panel import BookingPanel
from tmdesk.tui.booking.ready import make_ready, open_panel
from tmdesk.tui.desk.call import CallScreen

SIZE = (120, 40)
BETA = Lead("ООО «Бета»", moscow_phone(2), "Ольга Смирнова")


async def book_through_the_offer(pilot) -> BookingPanel:
    """On the call screen: F10, the fit-and-now answers, ctrl+s, Enter on the offer: the
    panel, loaded (the caller types the link, and Enter books)."""
    app = pilot.app
    await pilot.press("f10")
    await settle(pilot)
    await submit_fit_and_now(pilot)
    await settle(pilot)
    assert offer_asked(app)
    await pilot.press("enter")
    return await wait_loaded(pilot)


async def test_the_second_booking_shows_the_second_lead_only(desk: Desk):
    desk.import_leads([URALMASH, BETA])
    add_specialists(desk)
    first, second = desk.lead_id(URALMASH.company), desk.lead_id(BETA.company)
    app = desk.app(agent="anna", now=WEDNESDAY_10_MSK)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen) and app.screen.lead_id == first

        panel = await book_through_the_offer(pilot)
        assert panel.lead_id == first
        assert URALMASH.company in text_of(app, "#booking-head")
        await type_text(pilot, "https://meet.example/ural")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen) and app.screen.lead_id == second
        # the call screen's footer was not rebuilt while the panel was over it: it is now,
        # with the call's keys, not the offer's
        descriptions = {key.description for key in app.screen.query(FooterKey)}
        assert "Book meeting" in descriptions and "Book now" not in descriptions
        assert "Recorded: qualified" in notifications(app)[-1]  # said once answered

        again = await book_through_the_offer(pilot)
        assert again is panel  # the kept one, not a new one
        assert again.lead_id == second and again.chosen is not None
        head = text_of(app, "#booking-head")
        assert BETA.company in head and URALMASH.company not in head
        assert app.screen.query_one("#meeting-place", Input).value == ""
        assert app.focused.id == "meeting-place"
        assert not text_of(app, "#booking-problem")
        assert "цех" in app.screen.query_one("#meeting-agenda", TextArea).text
        await type_text(pilot, "https://meet.example/beta")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, BookingPanel)  # booked: on to the queue

    places = {m.lead_id: m.place for m in Meeting.select()}
    assert places == {first: "https://meet.example/ural", second: "https://meet.example/beta"}


async def test_after_moving_a_meeting_the_next_lead_gets_an_open_form(desk: Desk):
    desk.import_leads([URALMASH, BETA])
    specialists = add_specialists(desk)
    moved = qualify(desk)
    booked = book_meeting(
        moved,
        desk.users["anna"].id,
        specialists["aigul"].id,
        WEDNESDAY_10_MSK.replace(day=26, hour=5),  # Thu 10:00 Almaty
        desk.workspace.settings,
        kind="on_site",
        place="Екатеринбург, ул. Фронтовых бригад, 18",
        agenda="Показ",
        now=WEDNESDAY_10_MSK,
    )
    fresh = qualify(desk)
    app = desk.app(agent="anna", now=WEDNESDAY_10_MSK)
    closed: list[object] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        make_ready(app)
        await settle(pilot)
        open_panel(app, moved, closed.append, meeting_id=booked.id)
        panel = await wait_loaded(pilot)
        assert panel.meeting is not None and panel.form.kind == "on_site"
        assert app.screen.query_one("#meeting-place", Input).disabled  # moving keeps it
        await pilot.press("escape")
        await settle(pilot)
        assert closed == [None]

        open_panel(app, fresh, closed.append)
        again = await wait_loaded(pilot)
        assert again is panel and again.lead_id == fresh and again.meeting is None
        place = app.screen.query_one("#meeting-place", Input)
        assert not place.disabled and place.value == ""
        assert again.form.kind == "video"
        assert not app.screen.query_one("#meeting-agenda", TextArea).disabled
        assert not app.screen.query_one("#meeting-attendees", SelectionList).disabled
        assert not app.screen.query_one("#booking-current").display
        await pilot.press("f10")  # link later: booked for the fresh lead
        await settle(pilot)
        assert not isinstance(app.screen, BookingPanel)

    assert meeting_for_lead(fresh) is not None and meeting_for_lead(fresh).link_later
    assert meeting_for_lead(moved).place == "Екатеринбург, ул. Фронтовых бригад, 18"


async def test_a_late_read_for_the_lead_shown_before_is_ignored(desk: Desk):
    desk.import_leads([URALMASH, BETA])
    add_specialists(desk)
    earlier, now_shown = qualify(desk), qualify(desk)
    app = desk.app(agent="anna", now=WEDNESDAY_10_MSK)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        open_panel(app, earlier, lambda _meeting: None)
        panel = await wait_loaded(pilot)
        stale_free = panel._free[panel.specialist_id]
        stale_view = panel.view
        await pilot.press("escape")
        await settle(pilot)

        open_panel(app, now_shown, lambda _meeting: None)
        await wait_loaded(pilot)
        assert panel.lead_id == now_shown
        shown_view, shown_free = panel.view, dict(panel._free)
        # what the earlier lead's workers would post if they finished only now
        panel.post_message(BookingPanel.Loaded(earlier, stale_view))
        panel.post_message(BookingPanel.FreeTime(earlier, stale_free))
        await settle(pilot)
        assert panel.view is shown_view
        assert all(panel._free[key] is free for key, free in shown_free.items())
        assert stale_free.specialist_id in panel._free
