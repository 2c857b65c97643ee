"""The review queue: the submitted qualifications, newest first, a page at a time.

←/→ change the day and t comes back to today; g picks one agent, v one verdict, s shows
the reviewed ones too. Enter opens a qualification in full (ReviewDetailScreen); approve
and return work from the list too, on the highlighted row. Every action goes through
services.review, which checks the role and writes the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Static
from textual.worker import Worker

from tmdesk.i18n import _
from tmdesk.tui.desk.call_display import clock_label
from tmdesk.tui.paged_list import PAGE_SIZE, PagedListScreen, Row
from tmdesk.tui.supervisor.dialogs import ChoiceDialog
from tmdesk.tui.supervisor.display import (
    clock_in,
    day_label,
    review_status_label,
    verdict_label,
)
from tmdesk.tui.supervisor.keys import FittingFooter, supervisor_bindings
from tmdesk.tui.supervisor.review_detail import ReviewDetailScreen
from tmdesk.tui.supervisor.review_wording import ask_return_comment, cell, verdict_style
from tmdesk.tui.supervisor.work import (
    VERDICTS,
    approve,
    return_to_agent,
    review_queue,
)
from tmdesk.tui.work import UserInfo, list_users, today

if TYPE_CHECKING:
    from tmdesk.tui.supervisor.work import ReviewItem


class ReviewScreen(FittingFooter, PagedListScreen):
    """The qualifications of one day or every day, filtered by agent, verdict and review
    status."""

    NARROW_HIDDEN = frozenset(
        {"pick_agent", "next_verdict", "toggle_reviewed", "today", "every_day"}
    )

    BINDINGS = [
        *supervisor_bindings(
            "review-approve",
            "review-return",
            "review-agent",
            "review-verdict",
            "review-status",
            "review-previous-day",
            "review-next-day",
            "review-today",
            "review-every-day",
        ),
    ]

    @dataclass
    class Acted(Message):
        """A review action from the list is done."""

        notice: str

    def __init__(self, supervisor: UserInfo) -> None:
        super().__init__(supervisor)
        self.supervisor = supervisor
        self.zone = supervisor.time_zone
        # None: every day. The queue opens on all that waits, whatever day it came, so it
        # shows the number the workspace gave (a day's queue hid the work of other days).
        self.day: date | None = None
        self.agent_login: str | None = None
        self.agent_name = ""
        self.verdict: str | None = None
        self.status: str | None = "submitted"
        self.total = 0
        self._items_by_offset: dict[int, tuple] = {}
        self.items: tuple[ReviewItem, ...] = ()  # the ReviewItems of the page on screen
        self._in_detail = False

    # --- what PagedListScreen asks ---------------------------------------------------------

    def title_text(self) -> str:
        filters = [_("waiting for review") if self.status == "submitted" else _("all")]
        if self.agent_login:
            filters.append(self.agent_name or self.agent_login)
        if self.verdict:
            filters.append(verdict_label(self.verdict))
        day = day_label(self.day) if self.day is not None else _("every day")
        return _("Review queue · {day} · {filters} · {total} in all").format(
            day=day, filters=" · ".join(filters), total=self.total
        )

    # at 80 columns: the contact and the score are in the detail (Enter)
    NARROW_LEFT_OUT = frozenset({"contact", "score"})

    def columns(self) -> list[tuple[str, str]]:
        return [
            ("at", _("Submitted")),
            ("agent", _("Agent")),
            ("company", _("Company")),
            ("contact", _("Contact")),
            ("verdict", _("Verdict")),
            ("score", _("Score")),
            ("meeting", _("Meeting")),
            ("status", _("Review")),
        ]

    def read(self, limit: int, offset: int, now: datetime) -> list[Row]:
        page = review_queue(
            day=self.day,
            time_zone=self.zone,
            agent_login=self.agent_login,
            verdict=self.verdict,
            status=self.status,
            offset=offset,
            limit=limit,
        )
        self.total = page.total
        self._items_by_offset[offset] = page.items
        return [
            (
                None,
                [
                    # every day: "25.11 14:21", the day beside the time
                    cell(clock_in(item.submitted_at, self.zone, with_day=self.day is None)),
                    cell(item.agent_name, 20),
                    cell(item.company, 34),
                    cell(item.contact, 22),
                    cell(verdict_label(item.verdict), style=verdict_style(item.verdict)),
                    Text(str(item.score), justify="right"),
                    cell(clock_label(item.meeting_at, self.zone) if item.meeting_at else ""),
                    cell(review_status_label(item.status)),
                ],
            )
            for item in page.items
        ]

    def empty_text(self) -> str:
        if self.day is None:
            if self.status == "submitted":
                return _("Nothing is waiting for review. s shows the reviewed ones too.")
            return _("No qualifications submitted yet.")
        if self.status == "submitted":
            return _(
                "Nothing waiting for review on {day}. ←/→ another day, s shows the "
                "reviewed ones too."
            ).format(day=day_label(self.day))
        return _("No qualifications submitted on {day}.").format(day=day_label(self.day))

    def loaded(self, rows: int) -> None:
        self.items = self._items_by_offset.pop(self.page * PAGE_SIZE, ())[:rows]
        self._items_by_offset.clear()
        self.query_one(".list-title", Static).update(Content(self.title_text()))
        # the table was hidden or covered while it read (another day): it takes the keys
        # back, so ↑↓ and Enter work without a Tab first
        table = self.query_one("#list-table", DataTable)
        if table.display and self.focused is None:
            table.focus()

    # --- the highlighted qualification -----------------------------------------------------

    def highlighted(self) -> ReviewItem | None:
        table = self.query_one("#list-table", DataTable)
        if table.display and 0 <= table.cursor_row < len(self.items):
            return self.items[table.cursor_row]
        return None

    @on(DataTable.RowSelected, "#list-table")
    def open_detail(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.items):
            self._in_detail = True
            self.app.push_screen(
                ReviewDetailScreen(self.supervisor, self.items[event.cursor_row].qualification_id)
            )

    def on_screen_resume(self) -> None:
        # back from the detail: what was acted on has moved on (after a dialog, the
        # dialog's own answer reads the page)
        if self._in_detail:
            self._in_detail = False
            self.reload()

    def reload(self) -> None:
        self.load(self.page)

    def action_approve(self) -> None:
        item = self.highlighted()
        if item is None:
            return
        self.act(
            lambda: approve(item.qualification_id, self.supervisor.id, now=self.desk.clock()),
            _("Approved: {company}.").format(company=item.company),
        )

    def action_return_to_agent(self) -> None:
        item = self.highlighted()
        if item is None:
            return
        ask_return_comment(
            self.app,
            item.company,
            item.agent_name,
            lambda comment: self.act(
                lambda: return_to_agent(
                    item.qualification_id, self.supervisor.id, comment, now=self.desk.clock()
                ),
                _("Returned to {agent}: {company}.").format(
                    agent=item.agent_name, company=item.company
                ),
            ),
        )

    def act(self, action, notice: str) -> None:
        self.run_action_in_thread(action, notice)

    @work(thread=True, exclusive=True, group="review-action", exit_on_error=False)
    def run_action_in_thread(self, action, notice: str) -> None:
        action()
        self.post_message(self.Acted(notice))

    def on_review_screen_acted(self, message: Acted) -> None:
        self.notify(message.notice, title=_("Review"), markup=False)
        self.reload()

    def work_failed(self, worker: Worker) -> None:
        if worker.group != "review-action":
            super().work_failed(worker)

    # --- filters and days ------------------------------------------------------------------

    def action_move_day(self, step: int) -> None:
        # from every day, the first step is today
        day = self.day + timedelta(days=step) if self.day is not None else self.today()
        if day > self.today():
            self.notify(_("Nothing is submitted in the future."), severity="warning", markup=False)
            return
        self.day = day
        self.load(0)

    def today(self) -> date:
        return today(self.zone, self.desk.clock())

    def action_today(self) -> None:
        self.day = self.today()
        self.load(0)

    def action_every_day(self) -> None:
        self.day = None
        self.load(0)

    def action_next_verdict(self) -> None:
        order = (None, *VERDICTS)
        self.verdict = order[(order.index(self.verdict) + 1) % len(order)]
        self.notify(
            _("Verdict: {verdict}").format(
                verdict=verdict_label(self.verdict) if self.verdict else _("all")
            ),
            markup=False,
        )
        self.load(0)

    def action_toggle_reviewed(self) -> None:
        self.status = None if self.status == "submitted" else "submitted"
        self.load(0)

    def action_pick_agent(self) -> None:
        self.find_agents()

    @work(thread=True, exclusive=True, group="agents", exit_on_error=False)
    def find_agents(self) -> None:
        agents = [user for user in list_users() if user.role == "agent"]
        self.app.call_from_thread(self.show_agent_picker, agents)

    def show_agent_picker(self, agents: list[UserInfo]) -> None:
        # values are logins, "" for everyone: None is what a cancelled dialog returns
        names = {agent.login: agent.name for agent in agents}
        choices = [
            (_("Every agent"), ""),
            *((f"{agent.name} ({agent.login})", agent.login) for agent in agents),
        ]
        current = next(
            (i for i, (_label, login) in enumerate(choices) if login and login == self.agent_login),
            0,
        )

        def chosen(login: str | None) -> None:
            if login is None:
                return
            self.agent_login = login or None
            self.agent_name = names.get(login, "")
            self.load(0)

        self.app.push_screen(
            ChoiceDialog(_("Whose qualifications?"), choices, highlighted=current), chosen
        )
