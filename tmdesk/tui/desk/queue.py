"""The queue: the leads the signed-in agent would be served next, a page at a time.

The table shows one page (50 leads) of preview_queue; the side panel says how many leads
cannot be called now and why. The next-lead key claims a lead and opens the call screen;
at sign-in a lead the agent still holds (after a crash) opens by itself. Database work
runs in a thread worker that posts a QueueScreen.Loaded message; the table never holds
more than a page (docs/architecture.md §11: a DataTable row costs ~115 µs to first paint).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Header, Static
from textual.worker import Worker

from tmdesk.config import Settings
from tmdesk.i18n import _
from tmdesk.tui.base import DeskScreen
from tmdesk.tui.desk.desk_footer import DeskFooter
from tmdesk.tui.desk.queue_summary import EmptyQueue, NotCallablePanel
from tmdesk.tui.desk.queue_table import LeadQueueTable
from tmdesk.tui.desk.work import (
    OpenLead,
    QueueEntry,
    QueueSummary,
    UndoCancelsMeeting,
    preview_queue,
    queue_summary,
    resume_open_lead,
    take_next_lead,
    undo_and_reopen,
)
from tmdesk.tui.footer_fit import FooterThatFits
from tmdesk.tui.keys import bindings_for
from tmdesk.tui.supervisor.keys import workspace_binding
from tmdesk.tui.work import UserInfo

PAGE_SIZE = 50
# Local times on screen go stale and leads become callable as windows open: read again
# this often, and at the moment the calling window of some lead changes.
AUTO_REFRESH = timedelta(minutes=1)


@dataclass(frozen=True)
class QueuePage:
    """One page of an agent's queue as loaded at `now` (page 0 is the first)."""

    page: int
    entries: tuple[QueueEntry, ...]
    has_next: bool
    summary: QueueSummary | None  # counted after the page is shown: it reads every lead
    now: datetime

    @property
    def first_position(self) -> int:
        return self.page * PAGE_SIZE + 1


def load_queue_page(
    agent: UserInfo, settings: Settings, page: int, now: datetime, *, with_summary: bool = True
) -> QueuePage:
    """Page `page` of the agent's queue (and the summary), read at `now`."""
    end = (page + 1) * PAGE_SIZE
    # preview_queue is LIMIT-based: one lead past the page says whether another page exists.
    entries = preview_queue(agent.id, settings, limit=end + 1, now=now)
    summary = queue_summary(agent.id, settings, now=now) if with_summary else None
    return QueuePage(page, tuple(entries[page * PAGE_SIZE : end]), len(entries) > end, summary, now)


def page_label(page: QueuePage) -> str:
    if not page.entries:
        return ""  # the empty state says it all
    return _("Page {page} · leads {first}–{last}").format(
        page=page.page + 1,
        first=page.first_position,
        last=page.first_position + len(page.entries) - 1,
    )


class QueueScreen(FooterThatFits, DeskScreen):
    """The signed-in agent's queue; the call screen opens from here."""

    # undo too: with auto-advance off (or nothing left to call) an outcome ends here; the
    # "Recorded" notification names its key, so it stays out of the crowded footer
    # refresh too: the queue reads itself again every minute and after each call
    BINDINGS = [
        *bindings_for("queue", "undo", hidden=("undo", "refresh")),
        workspace_binding(show=True),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    @dataclass
    class Loaded(Message):
        """A queue page was read from the database."""

        request: int
        page: QueuePage

    @dataclass
    class LeadTaken(Message):
        """A lead was claimed (or resumed, or reopened by undo); None: nothing to call."""

        opened: OpenLead | None
        notice: str = ""
        quiet: bool = False  # None is no news (the check at sign-in)

    def __init__(self, agent: UserInfo) -> None:
        super().__init__()
        self.agent = agent
        self.shown: QueuePage | None = None
        self._request = 0  # answers to older requests are dropped
        # (not `_auto_refresh`/`auto_refresh`: Textual's DOMNode has those, with other types)
        self._refresh_timer: Timer | None = None
        self._taking = False  # a claim is under way: a second key press waits for it

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="queue-body"):
            with Vertical(id="queue-main"):
                yield Static("", id="queue-page")
                yield LeadQueueTable(id="queue-table")
                yield EmptyQueue(id="queue-empty")
            yield NotCallablePanel(id="queue-summary")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.query_one("#queue-empty", EmptyQueue).display = False
        self.query_one("#queue-table", LeadQueueTable).loading = True
        self.query_one("#queue-page", Static).update(Content(_("Loading the queue…")))
        self.load_page(0)
        self._taking = True
        self.resume(self.desk.clock())

    def on_screen_resume(self) -> None:
        # back from the call screen or a list: the queue has moved on meanwhile
        if self.shown is not None:
            self.action_refresh()

    # --- taking a lead -------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="take", exit_on_error=False)
    def resume(self, now: datetime) -> None:
        opened = resume_open_lead(self.agent.id, self.desk.settings, now)
        notice = ""
        if opened is not None:
            notice = (
                _("This lead was still open when the desk closed; your notes are back.")
                if opened.card.notes_draft.strip()
                else _("This lead was still open when the desk closed.")
            )
        self.post_message(self.LeadTaken(opened, notice, quiet=True))

    def action_next_lead(self) -> None:
        if not self._taking:
            self._taking = True
            self.take(self.desk.clock())

    @work(thread=True, exclusive=True, group="take", exit_on_error=False)
    def take(self, now: datetime) -> None:
        self.post_message(self.LeadTaken(take_next_lead(self.agent.id, self.desk.settings, now)))

    def action_undo(self) -> None:
        if not self._taking:
            self._taking = True
            self.undo(self.desk.clock())

    @work(thread=True, exclusive=True, group="take", exit_on_error=False)
    def undo(self, now: datetime, cancel_meeting: bool = False) -> None:
        from tmdesk.tui.desk.outcomes import undone_notice

        try:
            undone, opened = undo_and_reopen(
                self.agent.id, self.desk.settings, now, None, cancel_meeting=cancel_meeting
            )
        except UndoCancelsMeeting as asked:
            self.post_message(self.UndoAsked(asked, now))
            return
        self.post_message(self.LeadTaken(opened, undone_notice(undone)))

    @dataclass
    class UndoAsked(Message):
        """Undoing would cancel the lead's meeting: the agent is asked first."""

        asked: UndoCancelsMeeting
        now: datetime

    def on_queue_screen_undo_asked(self, message: UndoAsked) -> None:
        from tmdesk.tui.desk.outcomes import undo_meeting_dialog

        def answered(yes: bool | None) -> None:
            if yes:
                self.undo(message.now, cancel_meeting=True)
            else:
                self._taking = False

        self.app.push_screen(undo_meeting_dialog(message.asked, self.agent.time_zone), answered)

    def on_queue_screen_lead_taken(self, message: LeadTaken) -> None:
        self._taking = False
        if message.opened is not None:
            # The call screen and the lists are imported when first needed: the queue is
            # the desk's first screen, and its start-up time counts (bench/tui_start_bench.py;
            # the call screen's modules took a third of it, imported when no lead was open)
            from tmdesk.tui.desk.call import CallScreen

            self.app.push_screen(CallScreen(self.agent, message.opened))
            if message.notice:
                self.notify(message.notice)
        elif not message.quiet:
            self.notify(_("Nothing to call now: the queue says why."), title=_("No lead"))
            self.action_refresh()

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def import_call_screen(self) -> None:
        """Import the call screen's modules before the first lead is taken, so it opens at
        once (importing it on the first key took as long as the desk's start)."""
        import tmdesk.tui.desk.call  # noqa: F401

    def action_my_callbacks(self) -> None:
        from tmdesk.tui.desk.lists import CallbacksScreen

        self.app.push_screen(CallbacksScreen(self.agent))

    def action_calls_today(self) -> None:
        from tmdesk.tui.desk.lists import CallsTodayScreen

        self.app.push_screen(CallsTodayScreen(self.agent))

    def action_search(self) -> None:
        from tmdesk.tui.desk.lists import SearchScreen

        self.app.push_screen(SearchScreen(self.agent))

    def load_page(self, page: int) -> None:
        self._request += 1
        self.read_page(self._request, page, self.desk.clock())

    @work(thread=True, exclusive=True, group="queue", exit_on_error=False)
    def read_page(self, request: int, page: int, now: datetime) -> None:
        # Runs in a thread: reads the database and posts the answer, touches no widget.
        # The page first (milliseconds), then the summary (it counts every lead: at a
        # million leads, half a second the agent need not wait for).
        shown = load_queue_page(self.agent, self.desk.settings, page, now, with_summary=False)
        self.post_message(self.Loaded(request, shown))
        summary = queue_summary(self.agent.id, self.desk.settings, now=now)
        self.post_message(self.Loaded(request, replace(shown, summary=summary)))

    def on_queue_screen_loaded(self, message: Loaded) -> None:
        if message.request != self._request:
            return
        page = message.page
        if page.page > 0 and not page.entries:
            # The queue got shorter since the last page was shown: step back.
            self.load_page(page.page - 1)
            return
        same_page = self.shown is not None and self.shown.page == page.page
        if self.shown is None:
            self.import_call_screen()  # while the agent reads the queue
        self.shown = page
        table = self.query_one("#queue-table", LeadQueueTable)
        table.loading = False
        table.show_page(page.entries, page.first_position, keep_cursor=same_page)
        empty = self.query_one("#queue-empty", EmptyQueue)
        table.display, empty.display = bool(page.entries), not page.entries
        self.query_one("#queue-page", Static).update(Content(page_label(page)))
        self.refresh_bindings()
        if page.summary is None:
            return
        time_zone = self.agent.time_zone
        empty.show_summary(page.summary, page.now, time_zone)
        self.query_one("#queue-summary", NotCallablePanel).show_summary(
            page.summary, page.now, time_zone
        )
        self.schedule_auto_refresh(page)

    def work_failed(self, worker: Worker) -> None:
        if worker.group == "take":
            self._taking = False
            return
        self.query_one("#queue-table", LeadQueueTable).loading = False
        self.query_one("#queue-page", Static).update(
            Content(
                _("The queue could not be read. Press {key} to try again.").format(
                    key=self.desk.keymap["refresh"]
                )
            )
        )

    def schedule_auto_refresh(self, page: QueuePage) -> None:
        if self._refresh_timer is not None:
            self._refresh_timer.stop()
        delay = AUTO_REFRESH
        # a page shown before its summary was counted: the summary's own page reschedules
        change = page.summary.next_window_change if page.summary is not None else None
        if change is not None:
            delay = min(delay, change - page.now + timedelta(seconds=1))
        self._refresh_timer = self.set_timer(
            max(1.0, delay.total_seconds()), self.refresh_by_itself
        )

    def refresh_by_itself(self) -> None:
        if self.is_current:  # not while a dialog or the call desk is on top
            self.action_refresh()
        elif self.shown is not None:
            self.schedule_auto_refresh(self.shown)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False leaves the key out of the footer while there is no such page: the footer
        # has more important keys to show.
        if action == "next_page":
            return bool(self.shown and self.shown.has_next)
        if action == "previous_page":
            return bool(self.shown and self.shown.page > 0)
        if action == "supervisor_workspace":
            # a supervisor's queue shows the way back; an agent's key reaches the app's,
            # which says why not
            return self.agent.role == "supervisor"
        return True

    def action_supervisor_workspace(self) -> None:
        self.desk.action_supervisor_workspace()

    def action_refresh(self) -> None:
        self.load_page(self.shown.page if self.shown else 0)

    def action_next_page(self) -> None:
        if self.shown and self.shown.has_next:
            self.load_page(self.shown.page + 1)

    def action_previous_page(self) -> None:
        if self.shown and self.shown.page > 0:
            self.load_page(self.shown.page - 1)
