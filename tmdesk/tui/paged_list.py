"""A list of leads or calls shown a page at a time, read in a thread worker.

The base of the views opened from the queue (my callbacks, today's calls, search): a
subclass says which columns it has and how to read one page; paging, the empty state and
opening a read-only lead card with Enter are here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker

from tmdesk.i18n import N_, _
from tmdesk.tui.base import DeskScreen
from tmdesk.tui.desk.lead_preview import LeadPreviewScreen
from tmdesk.tui.fit_columns import fit_rows, narrow
from tmdesk.tui.keys import bindings_for
from tmdesk.tui.work import UserInfo

PAGE_SIZE = 50

Row = tuple[int | None, Sequence[Text]]  # (lead id, cells)


class PagedListScreen(DeskScreen):
    """One page of rows; PageDown/PageUp move, Enter shows the lead, Escape goes back."""

    BINDINGS = [
        Binding("escape", "back", N_("Back"), tooltip=N_("Back to the queue.")),
        *bindings_for("", "page-down", "page-up"),
    ]
    NARROW_LEFT_OUT: frozenset[str] = frozenset()  # column keys left out under 100 columns
    # under 100 columns, column keys whose long texts are cut ("…") to what the rest leave
    NARROW_SHRINK: frozenset[str] = frozenset()

    @dataclass
    class Loaded(Message):
        request: int
        page: int
        rows: list[Row]
        has_next: bool

    def __init__(self, agent: UserInfo) -> None:
        super().__init__()
        self.agent = agent
        self.page = 0
        self.has_next = False
        self._request = 0
        self._lead_ids: list[int | None] = []
        self._rows: list[Row] = []  # the page's rows, every column
        self._shown_width = 0  # the terminal's width the rows were cut for

    # --- what a subclass says --------------------------------------------------------------

    def title_text(self) -> str:
        raise NotImplementedError

    def columns(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def read(self, limit: int, offset: int, now: datetime) -> list[Row]:
        """Rows [offset, offset + limit); runs in a thread."""
        raise NotImplementedError

    def empty_text(self) -> str:
        raise NotImplementedError

    def compose_top(self) -> ComposeResult:
        yield from ()

    def compose_bottom(self) -> ComposeResult:
        """Under the table (e.g. the highlighted row in full)."""
        yield from ()

    # --- the list --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="list-body"):
            yield Static(Content(self.title_text()), classes="list-title")
            yield from self.compose_top()
            yield Static("", id="list-page")
            yield DataTable(id="list-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="list-empty")
            yield from self.compose_bottom()
        yield Footer()

    def shown_columns(self) -> list[tuple[str, str]]:
        """columns(), less NARROW_LEFT_OUT under NARROW_COLUMNS: what fits 80 columns
        without scrolling sideways (the rest is in the row's detail; wider, shown again)."""
        left_out = self.NARROW_LEFT_OUT if narrow(self.app.size.width) else frozenset()
        return [column for column in self.columns() if column[0] not in left_out]

    def show_columns(self) -> None:
        table = self.query_one("#list-table", DataTable)
        table.clear(columns=True)
        for key, heading in self.shown_columns():
            table.add_column(heading, key=key)

    def show_rows(self) -> None:
        table = self.query_one("#list-table", DataTable)
        every = [key for key, _heading in self.columns()]
        columns = self.shown_columns()
        shown = [every.index(key) for key, _heading in columns]
        rows = [[cells[index] for index in shown] for _lead_id, cells in self._rows]
        width = self._shown_width = self.app.size.width
        if narrow(width) and self.NARROW_SHRINK:
            headings = [heading for _key, heading in columns]
            shrink = [key in self.NARROW_SHRINK for key, _heading in columns]
            rows = fit_rows(headings, rows, shrink, width)
        for cells in rows:
            table.add_row(*cells)

    def on_resize(self) -> None:
        # the width crossed NARROW_COLUMNS, or changed while narrow (the cut cells fit the
        # old one): the columns for it, the same rows, the same row
        table = self.query_one("#list-table", DataTable)
        if [column.key.value for column in table.columns.values()] == [
            key for key, _heading in self.shown_columns()
        ] and not (
            self.NARROW_SHRINK
            and narrow(self.app.size.width)
            and self.app.size.width != self._shown_width
        ):
            return
        row = table.cursor_row
        self.show_columns()
        self.show_rows()
        if self._rows:
            table.move_cursor(row=min(row, len(self._rows) - 1))

    def on_mount(self) -> None:
        self.show_columns()
        self.query_one("#list-empty", Static).display = False
        self.initial_focus().focus()
        self.load(0)

    def initial_focus(self) -> Widget:
        return self.query_one("#list-table", DataTable)

    def load(self, page: int) -> None:
        self._request += 1
        self.query_one("#list-table", DataTable).loading = True
        self.read_page(self._request, page, self.desk.clock())

    @work(thread=True, exclusive=True, group="list", exit_on_error=False)
    def read_page(self, request: int, page: int, now: datetime) -> None:
        rows = self.read(PAGE_SIZE + 1, page * PAGE_SIZE, now)
        self.post_message(self.Loaded(request, page, rows[:PAGE_SIZE], len(rows) > PAGE_SIZE))

    def on_paged_list_screen_loaded(self, message: Loaded) -> None:
        if message.request != self._request:
            return
        if message.page > 0 and not message.rows:
            self.load(message.page - 1)
            return
        self.page, self.has_next = message.page, message.has_next
        table = self.query_one("#list-table", DataTable)
        table.loading = False
        table.clear()
        self._lead_ids = [lead_id for lead_id, _cells in message.rows]
        self._rows = message.rows
        self.show_rows()
        table.display = bool(message.rows)
        empty = self.query_one("#list-empty", Static)
        empty.display = not message.rows
        empty.update(Content(self.empty_text()))
        first = message.page * PAGE_SIZE + 1
        self.query_one("#list-page", Static).update(
            Content(
                _("Page {page} · {first}–{last}").format(
                    page=message.page + 1, first=first, last=first + len(message.rows) - 1
                )
                if message.rows
                else ""
            )
        )
        self.refresh_bindings()
        self.loaded(len(message.rows))

    def loaded(self, rows: int) -> None:
        """A page is on screen (for subclasses)."""

    def work_failed(self, worker: Worker) -> None:
        self.query_one("#list-table", DataTable).loading = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_page":
            return self.has_next
        if action == "previous_page":
            return self.page > 0
        return True

    def action_next_page(self) -> None:
        if self.has_next:
            self.load(self.page + 1)

    def action_previous_page(self) -> None:
        if self.page > 0:
            self.load(self.page - 1)

    def action_back(self) -> None:
        self.app.pop_screen()

    @on(DataTable.RowSelected, "#list-table")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self._lead_ids):
            lead_id = self._lead_ids[event.cursor_row]
            if lead_id is not None:
                self.open_lead(lead_id)

    def open_lead(self, lead_id: int) -> None:
        """Enter on a row: the lead's card to read (the desk's lists offer to take it)."""
        self.app.push_screen(LeadPreviewScreen(lead_id, self.agent.time_zone))
