"""The review queue: a day's submitted qualifications, newest first, a page at a time.

←/→ change the day and t comes back to today; g picks one agent, v one verdict, s shows
the reviewed ones too. Enter opens a qualification in full (ReviewDetailScreen); approve
and return work from the list too, on the highlighted row. Every action goes through
services.review, which checks the role and writes the audit trail.

Over 400 lines: two screens (the list and one qualification in full) that share their
wording, columns and dialogs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker

from tmdesk.domain.meeting_place import place_text
from tmdesk.domain.phones import national_format
from tmdesk.i18n import _
from tmdesk.tui.base import DeskScreen
from tmdesk.tui.desk.call_display import clock_label
from tmdesk.tui.desk.lead_card import LeadCardView, one_line
from tmdesk.tui.desk.queue_table import clip
from tmdesk.tui.paged_list import PAGE_SIZE, PagedListScreen, Row
from tmdesk.tui.supervisor.dialogs import ChoiceDialog, Field, FormDialog
from tmdesk.tui.supervisor.display import (
    actuality_label,
    clock_in,
    day_label,
    review_status_label,
    role_of_person,
    verdict_label,
)
from tmdesk.tui.supervisor.keys import supervisor_bindings
from tmdesk.tui.supervisor.review_calls import (
    PHONE_CALL_BINDINGS,
    ReviewPhoneCalls,
    phone_calls_section,
)
from tmdesk.tui.supervisor.work import (
    VERDICTS,
    ReviewDetail,
    approve,
    correct_answer,
    latest_waiting_day,
    return_to_agent,
    review_detail,
    review_queue,
)
from tmdesk.tui.work import UserInfo, list_users, today


def _cell(text: str, width: int = 40, style: str = "") -> Text:
    return Text(clip(text, width), style=style)  # Text: a str cell is read as markup


def meeting_kind_label(kind: str) -> str:
    return {"on_site": _("on site"), "video": _("video"), "phone": _("phone")}.get(kind, kind)


def verdict_style(verdict: str) -> str:
    return {"qualified": "green", "nurture": "yellow", "not_fit": "red"}.get(verdict, "")


def ask_return_comment(app, company: str, agent_name: str, then) -> None:
    """The return dialog: a comment is required (the agent sees it on the callback)."""
    app.push_screen(
        FormDialog(
            _("Return “{company}” to {agent}").format(company=company, agent=agent_name),
            [
                Field(
                    "comment",
                    _("What should the agent fix? (they see it on the callback)"),
                    placeholder=_("e.g. ask who signs the contract"),
                    required=True,
                )
            ],
            hint=_("Enter: return with this comment · Esc: cancel"),
            dialog_id="return-dialog",
        ),
        lambda values: then(values["comment"]) if values else None,
    )


class ReviewScreen(PagedListScreen):
    """The qualifications of one day, filtered by agent, verdict and review status."""

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
        self.day: date | None = None
        self.agent_login: str | None = None
        self.agent_name = ""
        self.verdict: str | None = None
        self.status: str | None = "submitted"
        self.total = 0
        self._items_by_offset: dict[int, tuple] = {}
        self.items: tuple = ()  # the ReviewItems of the page on screen
        self._in_detail = False

    def on_mount(self) -> None:
        # runs before PagedListScreen.on_mount (Textual calls each class's handler), which
        # reads the first page. Nothing waiting today (the morning after): open on the
        # newest day that has work waiting.
        self.day = today(self.zone, self.desk.clock())
        waiting = latest_waiting_day(self.zone)
        if waiting is not None and waiting < self.day:
            self.day = waiting

    # --- what PagedListScreen asks ---------------------------------------------------------

    def title_text(self) -> str:
        if self.day is None:
            return _("Review queue")
        filters = [_("waiting for review") if self.status == "submitted" else _("all")]
        if self.agent_login:
            filters.append(self.agent_name or self.agent_login)
        if self.verdict:
            filters.append(verdict_label(self.verdict))
        return _("Review queue · {day} · {filters} · {total} in all").format(
            day=day_label(self.day), filters=" · ".join(filters), total=self.total
        )

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
                    _cell(clock_in(item.submitted_at, self.zone)),
                    _cell(item.agent_name, 20),
                    _cell(item.company, 34),
                    _cell(item.contact, 22),
                    _cell(verdict_label(item.verdict), style=verdict_style(item.verdict)),
                    Text(str(item.score), justify="right"),
                    _cell(clock_label(item.meeting_at, self.zone) if item.meeting_at else ""),
                    _cell(review_status_label(item.status)),
                ],
            )
            for item in page.items
        ]

    def empty_text(self) -> str:
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

    # --- the highlighted qualification -----------------------------------------------------

    def highlighted(self):
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
        if self.day is None:
            return
        day = self.day + timedelta(days=step)
        if day > today(self.zone, self.desk.clock()):
            self.notify(_("Nothing is submitted in the future."), severity="warning", markup=False)
            return
        self.day = day
        self.load(0)

    def action_today(self) -> None:
        self.day = today(self.zone, self.desk.clock())
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


class ReviewDetailScreen(ReviewPhoneCalls, DeskScreen):
    """One qualification in full: the lead, every answer with its question (a correction
    beside the agent's answer), the people, notes, calls, meeting and audit trail."""

    BINDINGS = [
        Binding("escape", "back", _("Back"), tooltip=_("Back to the review queue.")),
        *supervisor_bindings("review-approve", "review-return", "review-correct", "review-rebook"),
        *PHONE_CALL_BINDINGS,
    ]

    @dataclass
    class Read(Message):
        detail: ReviewDetail
        notice: str = ""

    def __init__(self, supervisor: UserInfo, qualification_id: int) -> None:
        super().__init__()
        self.supervisor = supervisor
        self.zone = supervisor.time_zone
        self.qualification_id = qualification_id
        self.detail: ReviewDetail | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="review-head")
        with Horizontal(id="review-body"):
            yield LeadCardView(id="review-lead")
            with VerticalScroll(id="review-side"):
                yield Static(Content(_("Answers")), classes="panel-title")
                yield Vertical(id="review-answers")
                yield Static(Content(_("People")), classes="panel-title review-section")
                yield Static("", id="review-people")
                yield Static(Content(_("Meeting")), classes="panel-title review-section")
                yield Static("", id="review-meeting")
                yield Static(Content(_("Notes")), classes="panel-title review-section")
                yield Static("", id="review-notes")
                yield from phone_calls_section()
                yield Static(Content(_("Review and trail")), classes="panel-title review-section")
                yield Static("", id="review-trail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#review-body").loading = True
        self.query_one("#review-side").focus()  # the arrows scroll the answers; Tab: the lead
        self.read()

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def read(self, notice: str = "") -> None:
        self.post_message(self.Read(review_detail(self.qualification_id), notice))

    async def on_review_detail_screen_read(self, message: Read) -> None:
        detail = self.detail = message.detail
        item = detail.item
        self.query_one("#review-body").loading = False
        self.query_one("#review-head", Static).update(
            Content.assemble(
                (verdict_label(item.verdict), f"bold {verdict_style(item.verdict)}"),
                " · ",
                actuality_label(item.actuality),
                " · ",
                _("score {score}").format(score=item.score),
                " · ",
                _("by {agent}, {when}").format(
                    agent=item.agent_name, when=clock_label(item.submitted_at, self.zone)
                ),
                " · ",
                (review_status_label(item.status), "bold"),
            )
        )
        self.load_phone_calls(item.lead_id)
        card = self.query_one("#review-lead", LeadCardView)
        await card.show(detail.lead, "", self.desk.settings.max_attempts, self.zone)
        card.show_window(self.desk.clock(), self.desk.settings.calling_window, self.zone)
        answers = self.query_one("#review-answers", Vertical)
        await answers.remove_children()
        await answers.mount_all(
            Static(self.answer_content(n, answer), classes="review-answer")
            for n, answer in enumerate(detail.answers, 1)
        )
        self.query_one("#review-people", Static).update(self.people_content())
        self.query_one("#review-meeting", Static).update(self.meeting_content())
        self.query_one("#review-notes", Static).update(
            Content(detail.notes.strip() or _("No notes."))
        )
        self.query_one("#review-trail", Static).update(self.trail_content())
        if message.notice:
            self.notify(message.notice, title=_("Review"), markup=False)

    def answer_content(self, number: int, answer) -> Content:
        head = Content.assemble((f"{number}. ", "$text-muted"), one_line(answer.text))
        if answer.corrected is None:
            return Content.assemble(head, "\n   ", (answer.answer or "—", "bold"))
        who = _("corrected by {login}, {when}").format(
            login=answer.corrected_by or "?",
            when=clock_label(answer.corrected_at, self.zone) if answer.corrected_at else "",
        )
        return Content.assemble(
            head,
            "\n   ",
            (answer.answer or "—", "strike $text-muted"),
            "  →  ",
            (answer.corrected, "bold $text-warning"),
            ("  " + who, "$text-muted"),
        )

    def people_content(self) -> Content:
        people = self.detail.decision_makers if self.detail else ()
        if not people:
            return Content(_("No decision makers recorded."))
        lines = []
        for person in people:
            phone = national_format(person.phone_e164) if person.phone_e164 else person.phone_raw
            parts = [part for part in (person.position, phone, person.email) if part]
            lines.append(
                Content.assemble(
                    (role_of_person(person.role), "$text-muted"),
                    "  ",
                    (one_line(person.name), "bold"),
                    "  ",
                    " · ".join(one_line(part) for part in parts),
                )
            )
        return Content("\n").join(lines)

    def meeting_content(self) -> Content:
        meeting = self.detail.meeting if self.detail else None
        if meeting is None:
            item = self.detail.item if self.detail else None
            if item is not None and item.meeting_at is not None:
                return Content(
                    _("{when} with {specialist}").format(
                        when=clock_label(item.meeting_at, self.zone),
                        specialist=item.specialist_name or "?",
                    )
                )
            return Content(_("No meeting booked."))
        # a services.booking.MeetingInfo
        parts = [
            _("{when} with {specialist}").format(
                when=clock_label(meeting.starts_at, self.zone), specialist=meeting.specialist_name
            ),
            meeting_kind_label(meeting.kind),
            # a video meeting's missing link is said, never an empty place
            one_line(place_text(meeting.kind, meeting.place, meeting.link_later)),
            _("booked by {login}").format(login=meeting.booked_by),
        ]
        return Content(" · ".join(part for part in parts if part))

    def trail_content(self) -> Content:
        detail = self.detail
        lines: list[Content] = []
        if detail.review_comment:
            lines.append(
                Content.assemble((_("Comment to the agent: "), "bold"), detail.review_comment)
            )
        for line in detail.audit:
            lines.append(
                Content.assemble(
                    (clock_label(line.at, self.zone), "$text-muted"),
                    "  ",
                    line.user_login or "—",
                    "  ",
                    (line.action, "bold"),
                    "  ",
                    one_line(line.details),
                )
            )
        return Content("\n").join(lines) if lines else Content(_("Nothing yet."))

    # --- actions ---------------------------------------------------------------------------

    def waiting(self) -> bool:
        """Approve, return and correct are for a qualification waiting for review."""
        if self.detail is None:
            return False
        if self.detail.item.status != "submitted":
            self.notify(
                _("This qualification is {status} already.").format(
                    status=review_status_label(self.detail.item.status)
                ),
                severity="warning",
                markup=False,
            )
            return False
        return True

    def action_approve(self) -> None:
        if self.waiting():
            self.act("approve", _("Approved: {company}.").format(company=self.detail.item.company))

    def action_return_to_agent(self) -> None:
        if not self.waiting():
            return
        item = self.detail.item
        ask_return_comment(
            self.app,
            item.company,
            item.agent_name,
            lambda comment: self.act(
                "return",
                _("Returned to {agent}: {company}.").format(
                    agent=item.agent_name, company=item.company
                ),
                comment=comment,
            ),
        )

    def action_correct(self) -> None:
        if not self.waiting():
            return
        answers = self.detail.answers
        if not answers:
            self.notify(_("This qualification has no answers to correct."), markup=False)
            return
        choices = [
            (clip(f"{one_line(answer.text)} — {answer.value}", 76), answer) for answer in answers
        ]

        def picked(answer) -> None:
            if answer is None:
                return
            self.app.push_screen(
                FormDialog(
                    one_line(answer.text),
                    [
                        Field(
                            "value",
                            _("The right answer (the agent said: {answer})").format(
                                answer=answer.answer or "—"
                            ),
                            answer.value,
                            required=True,
                        )
                    ],
                    hint=_("Enter: save the correction (the agent's answer is kept) · Esc: cancel"),
                    dialog_id="correct-dialog",
                ),
                lambda values: (
                    self.act(
                        "correct",
                        _("Corrected: {question}").format(question=clip(one_line(answer.text), 60)),
                        question_id=answer.question_id,
                        value=values["value"],
                    )
                    if values
                    else None
                ),
            )

        self.app.push_screen(ChoiceDialog(_("Which answer is wrong?"), choices), picked)

    def action_rebook(self) -> None:
        if self.detail is None:
            return
        try:
            from tmdesk.tui.booking.panel import BookingPanel
        except ImportError:  # a desk built without meeting booking
            self.notify(
                _("Meeting booking is not available in this desk yet."),
                title=_("Meeting"),
                severity="warning",
                markup=False,
            )
            return
        meeting = self.detail.meeting
        # dismissed with the MeetingInfo booked (or moved), None when left as it was
        self.app.push_screen(
            BookingPanel(
                self.detail.item.lead_id, meeting_id=meeting.id if meeting is not None else None
            ),
            lambda booked: self.read(_("Meeting booked.")) if booked else self.read(),
        )

    def act(self, what: str, notice: str, **values: str) -> None:
        self.query_one("#review-body").loading = True
        self.do(what, notice, values)

    @work(thread=True, exclusive=True, group="review-action", exit_on_error=False)
    def do(self, what: str, notice: str, values: dict[str, str]) -> None:
        now = self.desk.clock()
        if what == "approve":
            approve(self.qualification_id, self.supervisor.id, now=now)
        elif what == "return":
            return_to_agent(self.qualification_id, self.supervisor.id, values["comment"], now=now)
        elif what == "correct":
            correct_answer(
                self.qualification_id,
                self.supervisor.id,
                values["question_id"],
                values["value"],
                now=now,
            )
        if what in ("approve", "return"):
            # done with this one: back to the queue, which reads itself again
            self.app.call_from_thread(self.done, notice)
            return
        self.post_message(self.Read(review_detail(self.qualification_id), notice))

    def done(self, notice: str) -> None:
        self.notify(notice, title=_("Review"), markup=False)
        if self.is_current:
            self.app.pop_screen()

    def work_failed(self, worker: Worker) -> None:
        self.query_one("#review-body").loading = False

    def action_back(self) -> None:
        self.app.pop_screen()
