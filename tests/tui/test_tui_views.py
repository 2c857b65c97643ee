"""Views from the queue: my callbacks (F11), today's calls (F12), search (ctrl+f)."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import DataTable
from tui_helpers import (
    WEDNESDAY_10_MSK,
    Desk,
    Lead,
    moscow_phone,
    screen_texts,
    settle,
    text_of,
    type_text,
)

from tmdesk.services.calls import claim_next_lead, record_disposition
from tmdesk.tui.desk.lead_preview import LeadPreviewScreen
from tmdesk.tui.desk.lists import CallbacksScreen, CallsTodayScreen, SearchScreen
from tmdesk.tui.desk.queue import QueueScreen

SIZE = (140, 40)
NOW = WEDNESDAY_10_MSK


def rows(app) -> list[list[str]]:
    table = app.screen.query_one("#list-table", DataTable)
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


def worked_desk(desk: Desk) -> None:
    """Anna made three calls today: a callback, a busy and a wrong number."""
    desk.import_leads(
        [
            Lead("Альфа", moscow_phone(1), priority=5),
            Lead("Бета", "+7 4152 41-23-45", priority=4),
            Lead("Гамма", moscow_phone(3), priority=3),
            Lead("[b]Дельта[/b]", moscow_phone(4)),
        ]
    )
    anna, settings = desk.users["anna"].id, desk.workspace.settings
    outcomes = [
        ("callback", dict(callback_at=NOW + timedelta(hours=3), note="после обеда")),
        (
            "callback",
            dict(
                callback_at=NOW - timedelta(minutes=1) + timedelta(minutes=2), note="[i]срочно[/i]"
            ),
        ),
        ("busy", dict(note="занято")),
    ]
    for minute, (disposition, extra) in enumerate(outcomes):
        now = NOW - timedelta(minutes=30 - minute)
        claim = claim_next_lead(anna, settings, now=now)
        record_disposition(claim.lead_id, anna, disposition, settings, now=now, **extra)


async def test_my_callbacks_due_first_with_the_leads_local_time(desk: Desk):
    worked_desk(desk)
    app = desk.app(agent="anna", now=NOW + timedelta(minutes=5))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f11")
        await settle(pilot)
        assert isinstance(app.screen, CallbacksScreen)
        assert rows(app) == [
            [
                "Wed 25.11 10:01",
                "due",
                "Иван Петров",
                "8 (415) 241-23-45",
                "[i]срочно[/i]",
                "Бета",
                "Wed 19:01 +12",
                "callback",
            ],
            [
                "Wed 25.11 13:00",
                "",
                "Иван Петров",
                "8 (495) 100-00-01",
                "после обеда",
                "Альфа",
                "Wed 13:00 MSK",
                "callback",
            ],
        ]
        # the highlighted one in full under the list
        assert text_of(app, "#callback-detail") == (
            "Бета · Иван Петров · 8 (415) 241-23-45\nAgreed: [i]срочно[/i]"
        )
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)


async def test_todays_calls(desk: Desk):
    worked_desk(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, CallsTodayScreen)
        assert rows(app) == [
            ["Wed 25.11 09:30", "Альфа", "8 (495) 100-00-01", "callback", "после обеда"],
            ["Wed 25.11 09:31", "Бета", "8 (415) 241-23-45", "callback", "[i]срочно[/i]"],
            ["Wed 25.11 09:32", "Гамма", "8 (495) 100-00-03", "busy", "занято"],
        ]
    other = desk.app(agent="boris")
    async with other.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        assert "No calls recorded today yet." in text_of(other, "#list-empty")


async def test_search_by_phone_in_another_format_then_read_the_card(desk: Desk):
    worked_desk(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert "Type a phone number" in text_of(app, "#list-empty")
        await type_text(pilot, "84951000003")
        await pilot.press("enter")
        await settle(pilot)
        assert [row[:5] for row in rows(app)] == [
            ["Гамма", "Иван Петров", "8 (495) 100-00-03", "retry", "Осень"]
        ]
        assert app.screen.query_one("#list-table").has_focus
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LeadPreviewScreen)
        card = screen_texts(app)
        assert "Status: retry" in card and "занято" in card and "busy" in card
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)


async def test_search_by_name_as_you_type_and_nothing_found(desk: Desk):
    worked_desk(desk)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        await type_text(pilot, "дельта")
        await pilot.pause(0.8)  # the search waits for a pause in the typing
        await settle(pilot)
        assert [row[0] for row in rows(app)] == ["[b]Дельта[/b]"]
        await pilot.press(*["backspace"] * 6)
        await type_text(pilot, "Омега")
        await pilot.press("enter")
        await settle(pilot)
        assert "No company or contact contains “Омега”." in text_of(app, "#list-empty")


async def test_lists_are_paged(desk: Desk):
    desk.import_leads(Lead(f"Ромашка {n:03d}", moscow_phone(n)) for n in range(1, 61))
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        await type_text(pilot, "ромашка")
        await pilot.press("enter")
        await settle(pilot)
        assert len(rows(app)) == 50 and text_of(app, "#list-page") == "Page 1 · 1–50"
        await pilot.press("pagedown")
        await settle(pilot)
        assert [row[0] for row in rows(app)] == [f"Ромашка {n:03d}" for n in range(51, 61)]
        assert text_of(app, "#list-page") == "Page 2 · 51–60"
        await pilot.press("pageup")
        await settle(pilot)
        assert rows(app)[0][0] == "Ромашка 001"
