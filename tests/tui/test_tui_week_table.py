"""The booking panel's week grid makes its one-line cells itself (WeekTable._render_cell),
not through Rich as Textual's DataTable does: each cell must come out exactly as
DataTable would make it, cell by cell and style by style, under the cursor, the hover and
the zebra stripes, bold, italic, dim and cut to its width."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from tmdesk.services.booking import MeetingInfo, Slot
from tmdesk.tui.booking.display import week_grid
from tmdesk.tui.booking.week_grid import WeekTable

MSK, YEKT = "Europe/Moscow", "Asia/Yekaterinburg"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def slot(start: datetime, *, inside: bool = True) -> Slot:
    return Slot(1, start, start + timedelta(minutes=60), inside)


def booked(start: datetime) -> MeetingInfo:
    return MeetingInfo(
        7, 1, 1, "Орлов", MSK, start, start + timedelta(hours=1), "on_site", "", "", (),
        "booked", "anna", start, None, None,
    )  # fmt: skip


class Week(App[None]):
    def compose(self) -> ComposeResult:
        yield WeekTable(id="week")


def cells(lines: list[list[Segment]]) -> list[list[tuple[str, object]]]:
    """Each cell of each line, with its style: what the terminal shows, however the
    segments are cut."""
    return [[(char, segment.style) for segment in line for char in segment.text] for line in lines]


async def test_the_week_tables_cells_are_those_datatable_makes():
    free = [
        slot(utc(2026, 11, 25, 6)),
        slot(utc(2026, 11, 25, 6, 30), inside=False),  # outside the lead's hours: italic
        slot(utc(2026, 11, 26, 13)),
    ]
    grid = week_grid(date(2026, 11, 23), free, [booked(utc(2026, 11, 27, 6))], MSK)
    app = Week()
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(WeekTable)
        table.show(grid, MSK, YEKT)
        table.focus()
        await pilot.pause()
        style = table.rich_style
        compared = 0
        for row in range(len(grid.times)):
            for column in range(-1, len(grid.days)):  # -1: the times' column
                for width in (8, 6, 3):  # 3: cut short
                    for cursor, hover in ((False, False), (True, False), (False, True)):
                        table._cell_render_cache.clear()
                        made = table._render_cell(row, column, style, width, cursor, hover)
                        table._cell_render_cache.clear()
                        rich = DataTable._render_cell(
                            table, row, column, style, width, cursor, hover
                        )
                        assert cells(made) == cells(rich), (row, column, width, cursor, hover)
                        compared += 1
        assert compared == len(grid.times) * (len(grid.days) + 1) * 9
        assert any(grid.at(row, 2) is not None for row in range(len(grid.times)))
