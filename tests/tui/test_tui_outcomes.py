"""Outcomes with a question: callback times, recall dates, and the do-not-call list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.widgets import OptionList
from tui_helpers import (
    WEDNESDAY_10_MSK,
    Desk,
    Lead,
    moscow_phone,
    notifications,
    screen_texts,
    settle,
    text_of,
    type_text,
)

from tmdesk.store.models import CallList, DncEntry
from tmdesk.tui.desk.call import CallScreen
from tmdesk.tui.desk.outcome_dialogs import WhenDialog
from tmdesk.tui.desk.queue import QueueScreen

SIZE = (120, 40)
NOW = WEDNESDAY_10_MSK


def leads(desk: Desk) -> None:
    desk.import_leads(
        [
            Lead("Альфа", moscow_phone(1), priority=3),
            Lead("Бета", moscow_phone(2), priority=2),
            Lead("Гамма", moscow_phone(3), priority=1),
        ]
    )


async def take_lead(pilot) -> None:
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CallScreen)


async def test_callback_in_two_days_comes_back_to_that_agent_only(desk: Desk):
    leads(desk)
    app = desk.app(agent="anna", now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await take_lead(pilot)
        await type_text(pilot, "после совещания")
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, WhenDialog)
        assert app.screen.query_one(OptionList).highlighted == 0
        dialog = screen_texts(app)
        assert "Who calls back: only me" in dialog
        options = app.screen.query_one(OptionList)
        third = str(options.get_option_at_index(2).prompt)
        assert third.startswith("3  In 2 days, same time") and "Fri 27.11 10:00 MSK" in third
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
        assert text_of(app, "#card-company") == "Бета"

    lead = desk.lead("Альфа")
    at = NOW + timedelta(days=2)
    assert (lead.status, lead.callback_owner_id, lead.next_call_at, lead.callback_note) == (
        "callback",
        desk.users["anna"].id,
        at,
        "после совещания",
    )

    # at that time, before the grace period: not for boris (he gets the next lead, the one
    # anna's lapsed claim gave back) …
    other = desk.app(agent="boris", now=at)
    async with other.run_test(size=SIZE) as pilot:
        await take_lead(pilot)
        assert text_of(other, "#card-company") == "Бета"
        await pilot.press("f5")
        await settle(pilot)
        assert text_of(other, "#card-company") == "Гамма"
    # … but anna's next lead
    again = desk.app(agent="anna", now=at)
    async with again.run_test(size=SIZE) as pilot:
        await take_lead(pilot)
        assert text_of(again, "#card-company") == "Альфа"
        assert text_of(again, "#card-bucket") == "my callback"
        assert "после совещания" in screen_texts(again)


async def test_a_shared_callback_at_a_typed_time(desk: Desk):
    leads(desk)
    app = desk.app(agent="anna", now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await take_lead(pilot)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("ctrl+t")
        assert "Who calls back: anyone" in screen_texts(app)
        await type_text(pilot, "завтра 15:30")  # typing starts the typed time
        await settle(pilot)
        assert "→ Thu 26.11 15:30 MSK" in text_of(app, "#when-preview")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
    lead = desk.lead("Альфа")
    assert (lead.status, lead.callback_owner_id, lead.next_call_at) == (
        "callback",
        None,
        datetime(2026, 11, 26, 12, 30, tzinfo=UTC),
    )


async def test_impossible_and_past_dates_are_told_in_the_dialog(desk: Desk):
    leads(desk)
    app = desk.app(agent="anna", now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await take_lead(pilot)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("tab")  # digits pick a preset; Tab goes to the typed time
        for typed, message in (
            ("31.02 10:00", "there is no date 31.02"),
            ("24.11 10:00", "24.11.2026 10:00 has already passed"),
            ("когда-нибудь", "is not a date like"),
        ):
            await pilot.press("ctrl+u")  # clear the field
            await type_text(pilot, typed)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, WhenDialog), typed
            assert message in text_of(app, "#when-preview")
        assert desk.lead("Альфа").status == "in_progress"


async def test_a_time_outside_the_calling_window_is_warned_about(desk: Desk):
    leads(desk)
    app = desk.app(agent="anna", now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await take_lead(pilot)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("tab")
        await type_text(pilot, "29.11 12:00")  # a Sunday
        await settle(pilot)
        assert "Outside the calling window there" in text_of(app, "#when-preview")
        assert "→ Mon 30.11 09:00 MSK" in text_of(app, "#when-preview")  # when it is served
        await pilot.press("enter")
        await settle(pilot)
        assert "Call back: Mon 30.11 09:00 MSK" in notifications(app)[-1]
    served = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)  # the time shown is the time stored
    assert desk.lead("Альфа").next_call_at == served


async def test_callback_in_two_days_same_time_then_the_next_lead_in_two_keys(desk: Desk):
    leads(desk)
    app = desk.app(agent="anna", now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await take_lead(pilot)
        await pilot.press("f6", "3")  # the whole flow: F6, then the preset's digit
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
        assert text_of(app, "#card-company") == "Бета"
    lead = desk.lead("Альфа")
    assert (lead.status, lead.next_call_at) == ("callback", NOW + timedelta(days=2))


async def test_nurture_asks_for_a_recall_date(desk: Desk):
    leads(desk)
    app = desk.app(agent="anna", now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await take_lead(pilot)
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("down", "enter")  # in 3 months
        await settle(pilot)
    lead = desk.lead("Альфа")
    assert (lead.status, lead.callback_owner_id, lead.next_call_at) == (
        "nurture",
        desk.users["anna"].id,
        datetime(2027, 2, 25, 7, 0, tzinfo=UTC),
    )


async def test_dnc_never_serves_the_number_again_also_from_another_list(desk: Desk):
    desk.import_leads(
        [
            Lead("Грубиян", moscow_phone(1), priority=9),
            Lead("Бета", moscow_phone(2)),
            Lead("Гамма", moscow_phone(3)),
        ],
        list_name="Осень",
    )
    # the same number in another list (a list is checked for duplicates unless archived)
    CallList.update(status="archived").where(CallList.name == "Осень").execute()
    desk.import_leads([Lead("Грубиян (копия)", "8 (495) 100-00-01", priority=5)], list_name="Зима")
    CallList.update(status="active").where(CallList.name == "Осень").execute()

    app = desk.app(agent="anna", now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await take_lead(pilot)
        assert text_of(app, "#card-company") == "Грубиян"
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert "Never call 8 (495) 100-00-01 again?" in screen_texts(app)
        await type_text(pilot, "просил не звонить")
        await pilot.press("enter")
        await settle(pilot)
        entry = DncEntry.get()
        assert (entry.phone_e164, entry.reason) == ("+74951000001", "просил не звонить")

        served = []
        while isinstance(app.screen, CallScreen):
            served.append(text_of(app, "#card-company"))
            await pilot.press("f5")
            await settle(pilot)
        assert served == ["Бета", "Гамма"]
        assert isinstance(app.screen, QueueScreen)
        assert "Nothing to call now" in notifications(app)[-1]
    assert desk.lead("Грубиян (копия)").status == "new"
