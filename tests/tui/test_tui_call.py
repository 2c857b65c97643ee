"""The call loop driven with real keys: take, note, dispose, auto-advance, undo, release, quit."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import TextArea
from tui_helpers import (
    WEDNESDAY_10_MSK,
    Desk,
    Lead,
    make_desk,
    moscow_phone,
    notifications,
    screen_texts,
    settle,
    text_of,
    type_text,
    wait_for,
)

from tmdesk.config import Settings
from tmdesk.services.calls import claim_next_lead, save_notes_draft
from tmdesk.store.models import CallAttempt
from tmdesk.store.models import Lead as LeadRecord
from tmdesk.tui.desk.call import CallScreen
from tmdesk.tui.desk.lead_card import LeadCardView
from tmdesk.tui.desk.queue import QueueScreen

SIZE = (120, 40)
NOW = WEDNESDAY_10_MSK


def three_leads(desk: Desk) -> None:
    desk.import_leads(
        [
            Lead("Альфа", moscow_phone(1), priority=3),
            Lead("Бета", moscow_phone(2), priority=2),
            Lead("Гамма", moscow_phone(3), priority=1),
        ]
    )


def shown_company(app) -> str:
    return text_of(app, "#card-company")


def notes(app) -> TextArea:
    return app.screen.query_one("#notes", TextArea)


async def take_lead(pilot) -> None:
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CallScreen)


async def test_no_answer_moves_on_to_the_next_lead_by_itself(desk: Desk):
    three_leads(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await take_lead(pilot)
        assert shown_company(app) == "Альфа"
        assert notes(app).has_focus  # typing goes straight into the notes
        await type_text(pilot, "гудки, секретарь не берёт")
        await pilot.press("f2")
        await settle(pilot)

        assert isinstance(app.screen, CallScreen)
        assert shown_company(app) == "Бета"
        assert notes(app).text == ""
        assert "Recorded: no answer — ctrl+z to undo (30 s)" in notifications(app)[-1]

    first = desk.lead("Альфа")
    (attempt,) = CallAttempt.select().where(CallAttempt.lead == first.id)
    assert (attempt.disposition, attempt.note, attempt.at) == (
        "no_answer",
        "гудки, секретарь не берёт",
        NOW,
    )
    assert attempt.agent_id == desk.users["anna"].id
    assert (first.status, first.next_call_at, first.attempts) == (
        "retry",
        NOW + timedelta(hours=2),
        1,
    )
    assert desk.lead("Бета").status == "in_progress"  # the desk was closed with it open


async def test_the_card_shows_the_lead_and_escapes_markup(desk: Desk):
    desk.import_leads(
        [
            Lead(
                "[bold]Acme[/]",
                "+7 4152 41-23-45, доб. 12; 8 914 123-45-67",
                contact="[red]Bob",
                position="директор",
                email="bob@acme.ru",
                city="Петропавловск-Камчатский",
                comment="просили [позже]",
                industry="Рыба",
            )
        ]
    )
    app = desk.app(agent="anna", now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await take_lead(pilot)
        assert shown_company(app) == "[bold]Acme[/]"
        card = screen_texts(app)
        assert "[red]Bob · директор · bob@acme.ru" in card
        assert "8 (415) 241-23-45 · ext. 12\n+7 415 241-23-45" in card
        assert "Also\n8 (914) 123-45-67\n" in card
        # 10:00 in Moscow is 19:00 in Kamchatka, an hour before the window closes
        assert (
            "Wed 19:00 +12 · calling allowed until 20:00 their time (Wed 11:00 MSK, in 1 h)"
        ) in card
        assert "просили [позже]" in card and "Рыба" in card
        assert "No earlier calls." in card
        assert "[bold]Acme[/]" in app.export_screenshot()


async def test_undo_brings_back_the_lead_and_gives_back_the_next(desk: Desk):
    three_leads(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await take_lead(pilot)
        await type_text(pilot, "занято")
        await pilot.press("f3")
        await settle(pilot)
        assert shown_company(app) == "Бета"

        await pilot.press("ctrl+z")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
        assert shown_company(app) == "Альфа"
        assert notes(app).text == "занято"
        assert "Busy was taken back" in notifications(app)[-1]
        first, second = desk.lead("Альфа"), desk.lead("Бета")
        assert (first.status, first.attempts, first.claimed_by_id) == (
            "in_progress",
            0,
            desk.users["anna"].id,
        )
        assert (second.status, second.claimed_by_id, second.attempts) == ("new", None, 0)

        await pilot.press("ctrl+z")  # only once
        await settle(pilot)
        assert "nothing to undo" in notifications(app)[-1]
        assert shown_company(app) == "Альфа"


async def test_undo_from_the_queue_when_auto_advance_is_off(tmp_path):
    desk = make_desk(tmp_path / "t.db", tmp_path, settings=Settings().with_(auto_advance=False))
    three_leads(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await take_lead(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert desk.lead("Альфа").status == "retry"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen) and shown_company(app) == "Альфа"
        assert desk.lead("Альфа").status == "in_progress"


async def test_not_interested_needs_a_reason(desk: Desk):
    three_leads(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await take_lead(pilot)
        await pilot.press("f7")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "A reason is required" in text_of(app, "#reason-error")
        assert not isinstance(app.screen, CallScreen)  # the dialog stays
        assert desk.lead("Альфа").status == "in_progress"

        await type_text(pilot, "дорого")
        await pilot.press("enter")
        await settle(pilot)
        assert shown_company(app) == "Бета"
        attempt = CallAttempt.get(CallAttempt.lead == desk.lead_id("Альфа"))
        assert (attempt.disposition, attempt.reason) == ("not_interested", "дорого")
        assert desk.lead("Альфа").status == "not_interested"

        # or a common reason from the list, with the typed words as details
        await pilot.press("f7")
        await settle(pilot)
        await type_text(pilot, "до весны")
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        attempt = CallAttempt.get(CallAttempt.lead == desk.lead_id("Бета"))
        assert attempt.reason == "other_supplier: до весны"  # the code, then the words typed


async def test_escape_closes_a_dialog_without_recording(desk: Desk):
    three_leads(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await take_lead(pilot)
        for key in ("f6", "f7", "f8", "f9", "ctrl+k"):
            await pilot.press(key)
            await settle(pilot)
            assert not isinstance(app.screen, CallScreen), key
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, CallScreen) and shown_company(app) == "Альфа"
        assert CallAttempt.select().count() == 0


async def test_not_a_fit_and_qualified(desk: Desk):
    three_leads(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await take_lead(pilot)
        await pilot.press("f8")
        await settle(pilot)
        await type_text(pilot, "розница, не наш сегмент")
        await pilot.press("enter")
        await settle(pilot)
        assert desk.lead("Альфа").status == "not_fit"
        assert CallAttempt.get(CallAttempt.lead == desk.lead_id("Альфа")).reason == (
            "розница, не наш сегмент"
        )

        await pilot.press("f10")  # the qualification form: its verdict decides, not the key
        await settle(pilot)
        assert desk.lead("Бета").status == "in_progress"
        assert app.screen.query("#qualification")


async def test_release_gives_the_lead_back_with_its_notes(desk: Desk):
    three_leads(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await take_lead(pilot)
        await type_text(pilot, "не тот отдел")
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert "Альфа is back in the queue" in notifications(app)[-1]
    lead = desk.lead("Альфа")
    assert (lead.status, lead.claimed_by_id, lead.attempts, lead.notes_draft) == (
        "new",
        None,
        0,
        "не тот отдел",
    )


async def test_a_released_lead_is_skipped_by_the_next_lead_key(desk: Desk):
    three_leads(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await take_lead(pilot)
        assert shown_company(app) == "Альфа"
        await pilot.press("ctrl+l")
        await settle(pilot)
        await take_lead(pilot)
        assert shown_company(app) == "Бета"  # not Альфа again
    assert desk.lead("Бета").status == "in_progress"
    assert (desk.lead("Альфа").status, desk.lead("Альфа").claimed_by_id) == ("new", None)


async def test_notes_are_saved_as_a_draft_while_typing(desk: Desk):
    three_leads(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await take_lead(pilot)
        await type_text(pilot, "ЛПР Иванов")
        assert desk.lead("Альфа").notes_draft is None  # not on every key press
        await wait_for(pilot, lambda: desk.lead("Альфа").notes_draft == "ЛПР Иванов")
        await wait_for(pilot, lambda: "Draft saved at" in text_of(app, "#draft-status"))


async def test_quit_saves_the_notes_and_keeps_the_lead(desk: Desk):
    three_leads(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await take_lead(pilot)
        await type_text(pilot, "перезвонить в 15")
        await pilot.press("ctrl+q")  # at once, before the typing pause saves it
        await wait_for(pilot, lambda: not app.is_running)
    lead = desk.lead("Альфа")
    assert (lead.status, lead.claimed_by_id, lead.notes_draft) == (
        "in_progress",
        desk.users["anna"].id,
        "перезвонить в 15",
    )


async def test_a_lead_left_open_comes_back_at_sign_in(desk: Desk):
    three_leads(desk)
    anna = desk.users["anna"].id
    claim = claim_next_lead(anna, desk.workspace.settings, now=NOW)
    save_notes_draft(claim.lead_id, anna, "ЛПР в отпуске до понедельника")
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
        assert shown_company(app) == "Альфа"
        assert notes(app).text == "ЛПР в отпуске до понедельника"
        assert "your notes are back" in notifications(app)[-1]
        assert app.screen.query_one(LeadCardView)  # the card, not an empty screen


async def test_sign_out_waits_until_the_lead_is_dealt_with(desk: Desk):
    three_leads(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await take_lead(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen) and app.agent is not None
        assert "before signing out" in notifications(app)[-1]


async def test_a_lost_lease_returns_to_the_queue(tmp_path):
    desk = make_desk(
        tmp_path / "t.db", tmp_path, settings=Settings().with_(lease=timedelta(seconds=3))
    )
    three_leads(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await take_lead(pilot)
        await type_text(pilot, "важное")
        # meanwhile the claim expired and another agent took the lead
        LeadRecord.update(claimed_by=desk.users["boris"].id).where(
            LeadRecord.id == desk.lead_id("Альфа")
        ).execute()
        # the notice is a message of its own: on a loaded machine it can land a moment
        # after the screen has changed
        await wait_for(
            pilot, lambda: isinstance(app.screen, QueueScreen) and notifications(app), timeout=5
        )
        assert "no longer yours" in notifications(app)[-1]
        assert "notes are in the clipboard" in notifications(app)[-1]
        assert app.clipboard == "важное"


async def test_the_outcome_keys_work_while_the_notes_have_the_focus(desk: Desk):
    """F6/F7 and ctrl+k/ctrl+z are also TextArea keys: the desk's must win."""
    three_leads(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await take_lead(pilot)
        await type_text(pilot, "abc")
        assert notes(app).has_focus
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert not isinstance(app.screen, CallScreen)  # the DNC question, not "kill line"
        await pilot.press("escape")
        await settle(pilot)
        assert notes(app).text == "abc"
