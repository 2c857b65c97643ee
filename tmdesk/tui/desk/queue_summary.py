"""Why leads are not callable now: the queue's side panel and its empty state."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from tmdesk.formats import number
from tmdesk.i18n import _, ngettext
from tmdesk.tui.desk.work import QueueSummary
from tmdesk.tui.display import moment_label

# queue_summary reports "no change" as a change far away (its look-ahead horizon).
_NO_CHANGE_AFTER = timedelta(days=7)


def not_callable_reasons(summary: QueueSummary) -> list[tuple[str, int]]:
    """The reasons a lead is not served now, with counts."""
    return summary.not_callable()


def window_change_text(
    summary: QueueSummary, now: datetime, time_zone: str, separator: str = " "
) -> str:
    """When some lead's calling window opens or closes next, in the agent's time."""
    change = summary.next_window_change
    if change is None or change - now > _NO_CHANGE_AFTER:
        return ""
    return _("The calling window next changes:") + separator + moment_label(change, now, time_zone)


def total_leads(summary: QueueSummary) -> int:
    return sum(count for _label, count in summary.reasons())


def _reason_row(label: str, count: int, width: int) -> Horizontal:
    cell = Static(Content(number(count)), classes="reason-count")
    cell.styles.width = width
    row = Horizontal(cell, Static(Content(label), classes="reason-label"), classes="reason-row")
    row.set_class(count == 0, "-none")
    return row


class NotCallablePanel(Vertical):
    """Counts of leads by why they are not callable now, and when that changes."""

    def compose(self) -> ComposeResult:
        yield Static(Content(_("Not callable now")), classes="panel-title")
        yield Vertical(id="reason-rows")
        yield Static("", id="callable-now")
        yield Static("", id="window-change")

    def show_summary(self, summary: QueueSummary, now: datetime, time_zone: str) -> None:
        rows = self.query_one("#reason-rows", Vertical)
        reasons = not_callable_reasons(summary)
        # one column as wide as the widest count, grouped ("933 707"): a million-lead desk
        # wrapped six digits over two lines in a fixed width
        width = max([4, *(len(number(count)) for _label, count in reasons)]) + 1
        if len(rows.children) == len(reasons):
            for row, (label, count) in zip(rows.children, reasons, strict=True):
                cell = row.query_one(".reason-count", Static)
                cell.update(Content(number(count)))
                cell.styles.width = width
                row.query_one(".reason-label", Static).update(Content(label))
                row.set_class(count == 0, "-none")
        else:
            rows.remove_children()
            rows.mount_all(_reason_row(label, count, width) for label, count in reasons)
        self.query_one("#callable-now", Static).update(
            Content(_("Callable now: {count}").format(count=number(summary.callable_now)))
        )
        self.query_one("#window-change", Static).update(
            Content(window_change_text(summary, now, time_zone, separator="\n"))
        )


class EmptyQueue(Vertical):
    """Shown instead of the table when nothing can be called: says why."""

    def compose(self) -> ComposeResult:
        yield Static(Content(_("Nothing to call now")), id="empty-title")
        yield Static("", id="empty-reasons")

    def show_summary(self, summary: QueueSummary, now: datetime, time_zone: str) -> None:
        if total_leads(summary) == 0:
            lines = [
                _("There are no leads yet. A supervisor loads call lists with: tmdesk import FILE")
            ]
        else:
            lines = [
                ngettext("{count} lead: {reason}", "{count} leads: {reason}", count).format(
                    count=number(count), reason=reason
                )
                for reason, count in not_callable_reasons(summary)
                if count
            ]
            change = window_change_text(summary, now, time_zone)
            if change:
                lines += ["", change]
        self.query_one("#empty-reasons", Static).update(Content("\n".join(lines)))
