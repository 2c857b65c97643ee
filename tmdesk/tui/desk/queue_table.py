"""The table of leads on one page of an agent's queue."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

from tmdesk.domain.phones import national_format
from tmdesk.i18n import _
from tmdesk.tui.desk.work import QueueEntry
from tmdesk.tui.display import bucket_label, local_time_label


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
    """One page of the queue; rows are keyed by lead id for the screens that open a lead."""

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)

    def on_mount(self) -> None:
        for key, heading in queue_columns():
            self.add_column(heading, key=key)

    def show_page(
        self, entries: Sequence[QueueEntry], first_position: int, keep_cursor: bool = False
    ) -> None:
        """Replace the rows; on a refresh the cursor stays on its line where there still is one."""
        row = self.cursor_row if keep_cursor else 0
        self.clear()
        for offset, entry in enumerate(entries):
            self.add_row(*queue_row(first_position + offset, entry), key=str(entry.lead_id))
        if entries:
            self.move_cursor(row=min(row, len(entries) - 1))
