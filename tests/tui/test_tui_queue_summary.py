"""The queue's not-callable panel on a million-lead desk: counts grouped, one line each."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.app import App, ComposeResult
from textual.widgets import Static

from tmdesk.i18n import use_language
from tmdesk.services.queue import QueueSummary
from tmdesk.tui.desk.queue_summary import NotCallablePanel

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
BIG = QueueSummary(
    callable_now=12_345,
    outside_window=933_707,
    waiting=48_210,
    claimed_by_others=3,
    do_not_call=1_204,
    exhausted=0,
    finished=1_000_000,
    paused_lists=250_000,
    next_window_change=None,
)


class PanelApp(App[None]):
    CSS_PATH = "../../tmdesk/tui/desk/desk.tcss"

    def compose(self) -> ComposeResult:
        yield NotCallablePanel(id="queue-summary")


async def shown_counts(language: str) -> list[tuple[str, int]]:
    use_language(language)
    app = PanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(NotCallablePanel)
        panel.show_summary(BIG, NOW, "Europe/Moscow")
        await pilot.pause()
        await pilot.pause()
        cells = list(app.query(".reason-count").results(Static))
        return [(str(cell.content), cell.size.height) for cell in cells]


async def test_six_digit_counts_are_grouped_and_fit_on_one_line():
    try:
        counts = await shown_counts("en")
        assert [text for text, _height in counts] == [
            "933,707",
            "48,210",
            "3",
            "1,204",
            "0",
            "1,000,000",
            "250,000",
        ]
        assert all(height == 1 for _text, height in counts)
        russian = await shown_counts("ru")
        assert russian[0][0] == "933\xa0707" and russian[5][0] == "1\xa0000\xa0000"
        assert all(height == 1 for _text, height in russian)
    finally:
        use_language("en")
