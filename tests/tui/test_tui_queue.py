"""The queue screen: paging, the calling window, the side panel, markup, the empty state."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import DataTable
from tui_helpers import (
    SUNDAY_NOON_MSK,
    WEDNESDAY_08_MSK,
    Desk,
    Lead,
    column,
    moscow_phone,
    settle,
    text_of,
)

from tmdesk.errors import TmdeskError
from tmdesk.tui.desk import queue as queue_screen
from tmdesk.tui.desk.queue import QueueScreen
from tmdesk.tui.error import ErrorScreen

SIZE = (160, 48)
KAMCHATKA = "+7 4152 41-23-45"  # Petropavlovsk-Kamchatsky, UTC+12
KALININGRAD = "+7 4012 55-66-77"  # UTC+2


def reason_counts(app) -> dict[str, int]:
    """The side panel as {reason: count}."""
    counts = {}
    for row in app.screen.query(".reason-row"):
        count, label = (str(static.content) for static in row.query("Static"))
        counts[label] = int(count)
    return counts


async def test_page_down_and_up_move_by_fifty_leads(desk: Desk):
    desk.import_leads(Lead(f"Компания {n:03d}", moscow_phone(n)) for n in range(1, 121))
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#queue-table", DataTable)
        assert text_of(app, "#queue-page") == "Page 1 · leads 1–50"
        assert table.row_count == 50
        assert table.has_focus  # the table's own page keys must not swallow ours

        await pilot.press("pagedown")
        await settle(pilot)
        assert text_of(app, "#queue-page") == "Page 2 · leads 51–100"
        assert table.row_count == 50
        assert column(app, "position")[0] == "51"
        assert column(app, "company")[0] == "Компания 051"

        await pilot.press("pagedown")
        await settle(pilot)
        assert text_of(app, "#queue-page") == "Page 3 · leads 101–120"
        assert column(app, "company")[-1] == "Компания 120"

        await pilot.press("pagedown")  # no page 4: stays
        await settle(pilot)
        assert text_of(app, "#queue-page") == "Page 3 · leads 101–120"

        await pilot.press("pageup")
        await settle(pilot)
        assert text_of(app, "#queue-page") == "Page 2 · leads 51–100"


async def test_only_leads_inside_their_calling_window_are_listed(desk: Desk):
    desk.import_leads([Lead("Камчатрыба", KAMCHATKA), Lead("Янтарь", KALININGRAD)])
    app = desk.app(agent="anna", now=WEDNESDAY_08_MSK)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert column(app, "company") == ["Камчатрыба"]
        assert column(app, "local_time") == ["Wed 17:00 +12"]
        counts = reason_counts(app)
        assert counts["outside the calling window in the lead's local time"] == 1
        assert counts["waiting for a retry or callback time"] == 0
        assert text_of(app, "#callable-now") == "Callable now: 1"
        # Kaliningrad opens at 09:00 its time, shown in the agent's (Moscow) time
        assert text_of(app, "#window-change") == (
            "The calling window next changes:\nWed 10:00 MSK (in 2 h)"
        )


async def test_markup_in_user_data_is_shown_literally(desk: Desk):
    desk.import_leads([Lead("[bold]Acme[/]", moscow_phone(1), contact="[red]Bob")])
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert column(app, "company") == ["[bold]Acme[/]"]
        assert column(app, "contact") == ["[red]Bob"]
        screen = app.export_screenshot()
        assert "[bold]Acme[/]" in screen and "[red]Bob" in screen


async def test_nothing_to_call_says_why(desk: Desk):
    desk.import_leads([Lead("Альфа", moscow_phone(1)), Lead("Бета", moscow_phone(2))])
    app = desk.app(agent="anna", now=SUNDAY_NOON_MSK)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#queue-table").display
        assert app.screen.query_one("#queue-empty").display
        assert text_of(app, "#empty-title") == "Nothing to call now"
        reasons = text_of(app, "#empty-reasons")
        assert "2 leads: outside the calling window in the lead's local time" in reasons
        assert "Mon 09:00 MSK" in reasons


async def test_an_empty_database_says_to_import_a_list(desk: Desk):
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "There are no leads yet" in text_of(app, "#empty-reasons")


async def test_a_failed_read_is_a_notification_not_a_crash(desk: Desk, monkeypatch):
    def refuse(*args, **kwargs):
        raise TmdeskError("the database is being upgraded")

    monkeypatch.setattr(queue_screen, "preview_queue", refuse)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert [n.message for n in app._notifications] == ["the database is being upgraded"]
        assert not app.screen.query_one("#queue-table").loading
        assert text_of(app, "#queue-page") == (
            "The queue could not be read. Press ctrl+r to try again."
        )


async def test_a_bug_in_a_read_opens_the_error_dialog(desk: Desk, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("no such column: [lead.x]")

    monkeypatch.setattr(queue_screen, "preview_queue", broken)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert "RuntimeError: no such column: [lead.x]" in text_of(app, "#error-details")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)


async def test_the_queue_reads_itself_again_after_a_while(desk: Desk, monkeypatch):
    monkeypatch.setattr(queue_screen, "AUTO_REFRESH", timedelta(seconds=1))
    desk.import_leads([Lead("Альфа", moscow_phone(1))])
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        desk.import_leads([Lead("Бета", moscow_phone(2))], list_name="Зима")
        assert column(app, "company") == ["Альфа"]
        await pilot.pause(1.5)
        await settle(pilot)
        assert column(app, "company") == ["Альфа", "Бета"]
