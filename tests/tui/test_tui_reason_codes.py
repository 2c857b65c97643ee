"""A not-interested reason picked in a Russian desk is stored as its code, and the lead's
earlier calls show it in the desk's language."""

from __future__ import annotations

from textual.widgets import OptionList
from tui_helpers import Desk, Lead, moscow_phone, settle, type_text

from tmdesk import i18n
from tmdesk.services.calls import lead_card
from tmdesk.store.models import CallAttempt
from tmdesk.tui.desk.call import CallScreen
from tmdesk.tui.desk.lead_card import past_call_content

SIZE = (120, 40)


async def test_a_reason_picked_in_russian_is_stored_as_its_code(desk: Desk):
    desk.import_leads([Lead("Альфа", moscow_phone(1), priority=2)])
    i18n.use_language("ru")
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
        await pilot.press("f7")
        await settle(pilot)
        choices = app.screen.query_one("#reason-choices", OptionList)
        assert str(choices.get_option_at_index(1).prompt) == "Уже работают с другим поставщиком"
        await type_text(pilot, "до весны")
        await pilot.press("down", "down", "enter")
        await settle(pilot)
    lead_id = desk.lead_id("Альфа")
    attempt = CallAttempt.get(CallAttempt.lead == lead_id)
    assert attempt.reason == "other_supplier: до весны"
    (past,) = lead_card(lead_id).history
    assert "причина: Уже работают с другим поставщиком: до весны" in (
        past_call_content(past, "Europe/Moscow").plain
    )
    i18n.use_language("en")  # the same stored code, read by an English desk
    assert "reason: Already work with another supplier: до весны" in (
        past_call_content(past, "Europe/Moscow").plain
    )
