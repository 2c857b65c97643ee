"""The booking panel's week grid: a row per start time in the agent's clock, a column per
day, each free cell in the lead's clock. ←/→ past the first or last day turn the week.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
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

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        """A cell of one line made straight into its segments. DataTable has Rich lay out
        every cell (padded, styled, cut into lines): about 15 ms for the week's 150 cells,
        half the frame that opens the booking panel, each time it is filled. What comes out
        is the same: the padding and the rest of the line in the cell's style, the text in
        its own style over it (tests/tui/test_tui_week_table.py compares the two)."""
        row_key = self._row_locations.get_key(row_index) if row_index >= 0 else None
        row = self.rows.get(row_key) if row_key is not None else None
        if row is None or row.height != 1:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        column_key = self._column_locations.get_key(column_index)
        # DataTable's own key for the cell (the times' column has none), so that what
        # clears its cache clears these cells too
        key: Any = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cache = self._cell_render_cache
        if key not in cache:
            label, cells = self._get_row_renderables(row_index)
            cell = (
                (label if label is not None else Text())
                if column_index < 0
                else cells[column_index]
            )
            if not isinstance(cell, Text) or cell.spans or "\n" in cell.plain:
                return super()._render_cell(
                    row_index, column_index, base_style, width, cursor, hover
                )
            component, post = self._get_styles_to_render_cell(
                False,
                column_index < 0,
                column_index >= 0
                and (row_index < self.fixed_rows or column_index < self.fixed_columns),
                hover,
                cursor,
                self.show_cursor,
                self._show_hover_cursor,
                self.cursor_foreground_priority == "css",
                self.cursor_background_priority == "css",
            )
            pre = base_style + Style.from_meta({"row": row_index, "column": column_index})
            pre += component
            edge = pre + post if post else pre
            own = pre + self.app.console.get_style(cell.style)
            if post:
                own += post
            inner = max(0, width - 2 * self.cell_padding)
            text = cell.plain
            if cell_len(text) > inner:
                text = set_cell_size(text, inner)
            rest = width - cell_len(text) - self.cell_padding
            line = [Segment(" " * self.cell_padding, edge)] if self.cell_padding else []
            if text:
                line.append(Segment(text, own))
            if rest > 0:
                line.append(Segment(" " * rest, edge))
            cache[key] = [line]
        return cache[key]

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
