"""The booking panel's week grid: a row per start time in the agent's clock, a column per
day, each free cell in the lead's clock. ←/→ past the first or last day turn the week.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from tmdesk.tui.booking.display import BOOKED, THIS_MEETING, WeekGrid, cell_text, day_heading
from tmdesk.tui.booking.work import Slot


class WeekTable(DataTable):
    """Shows one WeekGrid; the cursor starts on its first free cell."""

    @dataclass
    class Turn(Message):
        """The cursor went past the week's edge: turn `weeks` (-1 or 1)."""

        weeks: int

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="cell", zebra_stripes=True, **kwargs)
        self.grid: WeekGrid | None = None

    def show(
        self, grid: WeekGrid, agent_zone: str, lead_zone: str | None, *, turned: int = 0
    ) -> None:
        """Fill the table; after a turn the cursor keeps its time on the day at the edge
        it came from (Monday going on, Sunday going back)."""
        previous = self.grid
        clock = (
            previous.times[self.cursor_row]
            if previous is not None and turned and self.cursor_row < len(previous.times)
            else None
        )
        self.grid = grid
        self.clear(columns=True)
        for day in grid.days:
            self.add_column(day_heading(day), width=6)
        for n, start in enumerate(grid.times):
            self.add_row(
                *(
                    cell(grid.at(n, column), agent_zone, lead_zone)
                    for column in range(len(grid.days))
                ),
                label=Text(f"{start:%H:%M}"),
            )
        self._measure_now()
        if not grid.times:
            return
        if clock is not None:
            row = grid.times.index(clock) if clock in grid.times else 0
            self.move_cursor(row=row, column=len(grid.days) - 1 if turned < 0 else 0, animate=False)
        else:
            row, column = first_free(grid)
            self.move_cursor(row=row, column=column, animate=False)

    def _measure_now(self) -> None:
        """What Textual's DataTable does with new rows when idle (DataTable._on_idle), done
        now. Measured later, the grid was laid out and painted twice as it opened; and a
        frame painted before the measure lacked the times' column, which lines cached then
        kept (one opening in ten showed the grid so)."""
        self._require_update_dimensions = False
        new_rows = self._new_rows.copy()
        self._new_rows.clear()
        self._update_dimensions(new_rows)

    def action_cursor_left(self) -> None:
        if self.cursor_column == 0:
            self.post_message(self.Turn(-1))
        else:
            super().action_cursor_left()

    def action_cursor_right(self) -> None:
        if self.cursor_column >= len(self.columns) - 1:
            self.post_message(self.Turn(1))
        else:
            super().action_cursor_right()


def cell(value: Slot | str | None, agent_zone: str, lead_zone: str | None) -> Text:
    """Free in the lead's hours bold, outside them italic (with its '*'), busy dim."""
    text = cell_text(value, agent_zone, lead_zone)
    if value == BOOKED:
        return Text(text, style="dim")
    if value == THIS_MEETING:
        return Text(text, style="bold")
    if isinstance(value, str) or value is None:
        return Text(text)
    return Text(text, style="bold" if value.in_lead_hours else "italic")


def first_free(grid: WeekGrid) -> tuple[int, int]:
    """Where the cursor starts: the week's first free slot, day by day."""
    for column in range(len(grid.days)):
        for row in range(len(grid.times)):
            value = grid.at(row, column)
            if value is not None and not isinstance(value, str):
                return row, column
    return 0, 0
