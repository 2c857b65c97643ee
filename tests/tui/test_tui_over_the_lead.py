"""Search, callbacks and today's calls open over the open lead: Esc goes back to it, and a
lead found there can be taken (the open one given back with its notes, or finished first)."""

from __future__ import annotations

from test_tui_views import NOW, rows, worked_desk
from tui_helpers import Desk, settle, text_of, type_text

from tmdesk.store.models import CallAttempt
from tmdesk.tui.desk.call import CallScreen
from tmdesk.tui.desk.lead_preview import LeadPreviewScreen, SwitchLeadDialog
from tmdesk.tui.desk.lists import CallbacksScreen, CallsTodayScreen, SearchScreen

SIZE = (140, 40)


async def open_gamma(pilot) -> None:
    await settle(pilot)
    await pilot.press("ctrl+n")  # the callbacks are not due yet: Гамма's retry is
    await settle(pilot)
    assert isinstance(pilot.app.screen, CallScreen)
    assert text_of(pilot.app, "#card-company") == "Гамма"


async def open_found(pilot, phone: str) -> None:
    """ctrl+f, the phone, Enter to the results, Enter on the first: its card."""
    await pilot.press("ctrl+f")
    await settle(pilot)
    await type_text(pilot, phone)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, LeadPreviewScreen)


async def test_the_lists_open_over_the_lead_and_esc_returns_to_it(desk: Desk):
    worked_desk(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await open_gamma(pilot)
        await type_text(pilot, "секретарь")  # the notes have the focus: keys still work
        for key, screen in (
            ("ctrl+f", SearchScreen),
            ("f11", CallbacksScreen),
            ("f12", CallsTodayScreen),
        ):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, screen)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, CallScreen)
            assert app.screen.query_one("#notes").text == "секретарь"
    assert desk.lead("Гамма").status == "in_progress"


async def test_a_client_calling_in_is_taken_from_search_giving_back_the_open_lead(desk: Desk):
    worked_desk(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await open_gamma(pilot)
        await type_text(pilot, "не дозвонилась до ЛПР")
        await pilot.press("ctrl+f")
        await settle(pilot)
        await type_text(pilot, "84951000004")  # the client calling in
        await pilot.press("enter")
        await settle(pilot)
        assert rows(app)[0][0] == "[b]Дельта[/b]"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LeadPreviewScreen)
        assert "t: take this lead" in text_of(app, "#preview-hint")
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, SwitchLeadDialog)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
        assert text_of(app, "#card-company") == "[b]Дельта[/b]"
    delta, gamma = desk.lead("[b]Дельта[/b]"), desk.lead("Гамма")
    assert (gamma.status, gamma.claimed_by_id, gamma.notes_draft) == (
        "retry",
        None,
        "не дозвонилась до ЛПР",
    )
    assert (delta.status, delta.claimed_by_id) == ("in_progress", desk.users["anna"].id)


async def test_a_callback_taken_after_finishing_the_open_lead(desk: Desk):
    worked_desk(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await open_gamma(pilot)
        await pilot.press("f11")
        await settle(pilot)
        found = rows(app)[0][5]  # the company of the first callback
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("f")  # finish Гамма first
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
        assert text_of(app, "#card-company") == "Гамма"
        await pilot.press("f2")  # no answer: the callback opens instead of the queue's next
        await settle(pilot)
        assert text_of(app, "#card-company") == found
    gamma = desk.lead("Гамма")
    assert gamma.status == "retry"
    assert (
        CallAttempt.select().where(CallAttempt.lead == gamma.id, CallAttempt.at == NOW).count() == 1
    )
    taken = desk.lead(found)
    assert (taken.status, taken.claimed_from) == ("in_progress", "callback")


async def test_from_the_queue_a_found_lead_opens_at_once_and_a_finished_one_stays_read_only(
    desk: Desk,
):
    worked_desk(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_found(pilot, "84951000004")
        await pilot.press("t")  # no lead open: nothing to ask
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
        assert text_of(app, "#card-company") == "[b]Дельта[/b]"
        await pilot.press("f5")  # wrong number: finished
        await settle(pilot)
        await open_found(pilot, "84951000004")
        assert "Read only: it is finished (wrong_number)" in text_of(app, "#preview-hint")
        await pilot.press("t")  # refused: the card stays
        await settle(pilot)
        assert isinstance(app.screen, LeadPreviewScreen)
    assert desk.lead("[b]Дельта[/b]").status == "wrong_number"
