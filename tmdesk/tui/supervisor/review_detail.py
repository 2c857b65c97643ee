"""One qualification in full, for its review: the lead, every answer with its question (a
correction beside the agent's answer), the people, the meeting, notes, phone calls and the
audit trail as sentences. a approves, r returns with a comment, c corrects an answer, m
(re)books the meeting; each is one call of the supervisor's work module in a worker.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Footer, Header, Static
from textual.worker import Worker

from tmdesk.domain.meeting_place import place_text
from tmdesk.domain.phones import national_format
from tmdesk.i18n import _
from tmdesk.tui.desk.call_display import clock_label
from tmdesk.tui.desk.lead_card import LeadCardView, one_line
from tmdesk.tui.desk.queue_table import clip
from tmdesk.tui.supervisor.dialogs import ChoiceDialog, Field, FormDialog
from tmdesk.tui.supervisor.display import (
    actuality_label,
    review_status_label,
    role_of_person,
    verdict_label,
)
from tmdesk.tui.supervisor.keys import FittingFooter, supervisor_bindings
from tmdesk.tui.supervisor.review_calls import (
    PHONE_CALL_BINDINGS,
    ReviewPhoneCalls,
    phone_calls_section,
)
from tmdesk.tui.supervisor.review_wording import (
    ask_return_comment,
    audit_sentence,
    meeting_kind_label,
    verdict_style,
)
from tmdesk.tui.supervisor.work import (
    ReviewDetail,
    approve,
    correct_answer,
    return_to_agent,
    review_detail,
)
from tmdesk.tui.work import UserInfo


class ReviewDetailScreen(ReviewPhoneCalls, FittingFooter):
    """One qualification in full: the lead, every answer with its question (a correction
    beside the agent's answer), the people, notes, calls, meeting and audit trail."""

    NARROW_HIDDEN = frozenset({"play_recording", "rebook"})

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
        questions = {answer.question_id: answer.text for answer in detail.answers}
        for line in detail.audit:
            lines.append(
                Content.assemble(
                    (clock_label(line.at, self.zone), "$text-muted"),
                    "  ",
                    audit_sentence(line, self.zone, questions),
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
        # one service call each: a correction answers with the qualification as it is now
        now = self.desk.clock()
        if what == "correct":
            detail = correct_answer(
                self.qualification_id,
                self.supervisor.id,
                values["question_id"],
                values["value"],
                now=now,
            )
            self.post_message(self.Read(detail, notice))
            return
        if what == "approve":
            approve(self.qualification_id, self.supervisor.id, now=now)
        else:
            return_to_agent(self.qualification_id, self.supervisor.id, values["comment"], now=now)
        # done with this one: back to the queue, which reads itself again
        self.app.call_from_thread(self.done, notice)

    def done(self, notice: str) -> None:
        self.notify(notice, title=_("Review"), markup=False)
        if self.is_current:
            self.app.pop_screen()

    def work_failed(self, worker: Worker) -> None:
        self.query_one("#review-body").loading = False

    def action_back(self) -> None:
        self.app.pop_screen()
