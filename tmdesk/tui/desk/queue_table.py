"""The table of leads on one page of an agent's queue."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

from tmdesk.domain.phones import national_format
from tmdesk.i18n import _
from tmdesk.tui.desk.work import QueueEntry
from tmdesk.tui.display import bucket_label, local_time_label
from tmdesk.tui.fit_columns import fit_rows, narrow


def queue_columns() -> list[tuple[str, str]]:
    """(key, heading) of each column, in order."""
    return [
        ("position", _("#")),
        ("bucket", _("Queue")),
        ("local_time", _("Local time")),
        # the phone before the names: it has a fixed width and must be visible even at
        # 120 columns, where the names may need scrolling
        ("phone", _("Phone")),
        ("company", _("Company")),
        ("contact", _("Contact")),
        ("list", _("List")),
        ("note", _("Callback note")),
    ]


# under 100 columns: on the lead card, as the note the agent sees once the lead is open
NARROW_LEFT_OUT = frozenset({"contact", "list", "note"})

# Longest text shown per column: a full legal name ("Общество с ограниченной
# ответственностью …") would push the phone off the screen.
_WIDEST = {"company": 30, "contact": 22, "list": 16, "note": 40}


def clip(text: str, width: int) -> str:
    text = " ".join(text.split())  # a cell is one line: newlines and tabs from the file
    return text if len(text) <= width else text[: width - 1] + "…"


def queue_row(position: int, entry: QueueEntry) -> list[Text]:
    # Every cell is Text: a str cell would be read as markup, and company names and notes
    # are typed by people ("[bold]Acme[/]", "ООО [Ромашка]").
    return [
        Text(str(position), justify="right"),
        Text(bucket_label(entry.bucket)),
        Text(local_time_label(entry.local_time, entry.zones)),
        Text(national_format(entry.phone_e164)),
        Text(clip(entry.company, _WIDEST["company"])),
        Text(clip(entry.contact, _WIDEST["contact"])),
        Text(clip(entry.list_name, _WIDEST["list"])),
        Text(clip(entry.callback_note or "", _WIDEST["note"])),
    ]


class LeadQueueTable(DataTable):
    """One page of the queue; rows are keyed by lead id for the screens that open a lead.
    At 80 columns it shows what the agent calls by (the queue, local time, phone and the
    company, cut to fit): the contact, list and note are on the lead card and come back on
    a terminal of 100 columns or more."""

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._entries: list[QueueEntry] = []
        self._first_position = 1
        self._shown_width = 0  # the terminal's width the rows were made for

    def shown_columns(self) -> list[tuple[str, str]]:
        left_out = NARROW_LEFT_OUT if narrow(self.app.size.width) else frozenset()
        return [column for column in queue_columns() if column[0] not in left_out]

    def on_mount(self) -> None:
        self.show_columns()

    def show_columns(self) -> None:
        self.clear(columns=True)
        for key, heading in self.shown_columns():
            self.add_column(heading, key=key)

    def show_rows(self) -> None:
        columns = self.shown_columns()
        every = [key for key, _heading in queue_columns()]
        shown = [every.index(key) for key, _heading in columns]
        rows = [
            [cells[index] for index in shown]
            for cells in (
                queue_row(self._first_position + offset, entry)
                for offset, entry in enumerate(self._entries)
            )
        ]
        width = self._shown_width = self.app.size.width
        if narrow(width):
            headings = [heading for _key, heading in columns]
            rows = fit_rows(headings, rows, [key == "company" for key, _h in columns], width)
        for entry, cells in zip(self._entries, rows, strict=True):
            self.add_row(*cells, key=str(entry.lead_id))

    def on_resize(self) -> None:
        # (DataTable's own _on_resize runs too.) Narrow or wide, or another narrow width:
        # the columns and the cuts for it, the cursor on the same row.
        width = self.app.size.width
        if width == self._shown_width or not (narrow(width) or narrow(self._shown_width)):
            return
        row = self.cursor_row
        self.show_columns()
        self.show_rows()
        if self._entries:
            self.move_cursor(row=min(row, len(self._entries) - 1))

    def show_page(
        self, entries: Sequence[QueueEntry], first_position: int, keep_cursor: bool = False
    ) -> None:
        """Replace the rows; on a refresh the cursor stays on its line where there still is one."""
        row = self.cursor_row if keep_cursor else 0
        self.clear()
        self._entries, self._first_position = list(entries), first_position
        if [column.key.value for column in self.columns.values()] != [
            key for key, _heading in self.shown_columns()
        ]:
            self.show_columns()
        self.show_rows()
        if entries:
            self.move_cursor(row=min(row, len(entries) - 1))
