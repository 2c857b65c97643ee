"""The qualification form of the open lead: the script's sections and questions in order,
the decision makers, and the live verdict under them.

The form takes the lead card's place on the call screen (the dial line above it and the
notes beside it stay): a line with the company, the contact and the phone on top, the form
scrolling below, the verdict always visible at the bottom. Which questions show, the
verdict and what submitting would do are recomputed on every change by the script's rules
(tmdesk.domain.scripts); the lead's outcome itself is decided by the service on submission.
Over 400 lines: the form, its keys and its draft keeping belong together.

Every change is saved as a draft shortly after the typing stops, in a thread worker owned
by the app (so a save started as the form closes still completes); saves never overlap and
the last one writes the newest state. Text typed but not understood ("31.02") is kept too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, cast
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from tmdesk.domain.phones import national_format, phone_region
from tmdesk.domain.scripts import (
    AnswerValue,
    Person,
    Question,
    Verdict,
    effective_answers,
    missing_required,
    people_problems,
    render_say,
    verdict,
    visible_questions,
)
from tmdesk.domain.text import one_line
from tmdesk.i18n import _
from tmdesk.tui.desk.work import LeadCard
from tmdesk.tui.qualification.display import (
    actuality_label,
    fit_label,
    outcome_label,
    people_rules_label,
    score_label,
)
from tmdesk.tui.qualification.fields import PersonRow, QuestionField, show_text
from tmdesk.tui.qualification.work import FormDraft, QualificationForm, store_draft

if TYPE_CHECKING:
    from tmdesk.tui.app import DeskApp

DRAFT_DELAY = 0.7  # seconds after the last change before the form is saved as a draft

STYLES = {"ok": "bold $text-success", "bad": "bold $text-error", "pending": "$text-warning"}


class QualificationPanel(Vertical):
    """The form of one lead. `active` is False while the form is being submitted."""

    @dataclass
    class Saved(Message):
        lead_id: int
        version: int
        at: datetime

    def __init__(
        self,
        form: QualificationForm,
        card: LeadCard,
        agent_id: int,
        agent_zone: str,
        today: date,
        keys: dict[str, str],
        **kwargs,
    ) -> None:
        super().__init__(id="qualification", **kwargs)
        self.form = form
        self.script = form.script
        self.card = card
        self.agent_id = agent_id
        self.agent_zone = agent_zone
        self.today = today
        self.keys = keys
        self.default_region = phone_region(card.phone_e164) or "RU"
        draft = form.draft
        self.answers: dict[str, AnswerValue] = dict(draft.answers) if draft else {}
        self.typed: dict[str, str] = dict(draft.typed) if draft else {}
        self.people: list[Person] = list(draft.decision_makers) if draft else []
        self.restored = draft is not None
        self.verdict: Verdict = verdict(self.script, self.answers, today)
        self.active = True
        self._version = 0  # of the form's content; a save reports the version it wrote
        self._saved_version = 0
        self._pending: tuple[int, FormDraft] | None = None  # (version, what to save)
        self._timer: Timer | None = None
        self._lock = threading.Lock()

    @property
    def desk(self) -> DeskApp:
        return cast("DeskApp", self.app)

    @property
    def lead_id(self) -> int:
        return self.form.lead_id

    # --- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        script, values = self.script, self.form.values
        card = self.card
        who = " · ".join(one_line(part) for part in (card.company, card.contact) if part.strip())
        phone = national_format(card.phone_e164)
        with Horizontal(id="qual-head"):
            yield Static(Content(phone), id="qual-phone")
            yield Static(Content(who), id="qual-lead")
        with VerticalScroll(id="qual-form"):
            yield Static(
                Content.assemble(
                    (one_line(script.title), "bold"),
                    " ",
                    (_("v{version}").format(version=script.version), "$text-muted"),
                    "\n",
                    (
                        _(
                            "Tab / shift+tab: next / previous question · {close}: close, "
                            "the answers stay"
                        ).format(close=self.keys["close-qualification"]),
                        "$text-muted",
                    ),
                ),
                id="qual-title",
            )
            for section in script.sections:
                with Vertical(classes="qual-section", id=f"section-{section.id}"):
                    yield Static(
                        Content(one_line(render_say(section.title, values))),
                        classes="section-title",
                    )
                    say = render_say(section.say, values).strip()
                    if say:
                        yield Static(Content(say), classes="section-say")
                    for question in section.questions:
                        yield QuestionField(
                            question,
                            render_say(question.text, values),
                            render_say(question.hint, values),
                            self.today,
                            script.language,
                            value=self.answers.get(question.id),
                            typed=self.typed.get(question.id, ""),
                        )
            with Vertical(id="qual-people"):
                yield Static(
                    Content(
                        _("Decision makers · {add} add · {remove} remove").format(
                            add=self.keys["add-person"], remove=self.keys["remove-person"]
                        )
                    ),
                    classes="section-title",
                )
                rules = people_rules_label(script.decision_makers)
                if rules:
                    yield Static(Content(rules), id="people-rules")
                with Vertical(id="people-rows"):
                    for person in self.people:
                        yield self.person_row(person)
                yield Static("", id="people-problems")
        with Vertical(id="qual-verdict"):
            yield Static("", id="verdict-line")
            with Horizontal(id="verdict-bottom"):
                yield Static("", id="verdict-outcome")
                yield Static("", id="qual-saved")
            yield Static("", id="verdict-refusal")

    def person_row(self, person: Person) -> PersonRow:
        return PersonRow(person, self.script.decision_makers.roles, self.default_region)

    def on_mount(self) -> None:
        self.number_people()
        self.recompute()
        if self.restored:
            self.show_saved(_("restored"))

    # --- what the answers say ----------------------------------------------------------------

    def fields(self) -> list[QuestionField]:
        return list(self.query(QuestionField))

    def field(self, question_id: str) -> QuestionField:
        return self.query_one(f"#question-{question_id}", QuestionField)

    def rendered(self, question: Question) -> str:
        return one_line(render_say(question.text, self.form.values))

    def invalid(self) -> list[tuple[Question, str]]:
        """Visible questions whose typed text is not an answer, with why."""
        shown = {q.id for q in visible_questions(self.script, self.answers)}
        return [(f.question, f.error) for f in self.fields() if f.error and f.question.id in shown]

    def problems_with_people(self) -> list[str]:
        return people_problems(self.script, self.people, self.default_region)

    def recompute(self) -> None:
        script = self.script
        shown = {q.id for q in visible_questions(script, self.answers)}
        result = verdict(script, self.answers, self.today)
        self.verdict = result
        for field in self.fields():
            question = field.question
            if field.display != (question.id in shown):
                field.display = question.id in shown
            value = self.answers.get(question.id)
            field.show_knockouts(
                [
                    k.reason
                    for k in question.knockouts
                    if question.id in shown and value is not None and k.condition.holds(value)
                ]
            )
        for section in script.sections:
            container = self.query_one(f"#section-{section.id}")
            showing = bool(section.say.strip()) or any(q.id in shown for q in section.questions)
            if container.display != showing:
                container.display = showing
        missing = [self.rendered(q) for q in missing_required(script, self.answers)]
        invalid = [f"{self.rendered(q)}: {error}" for q, error in self.invalid()]
        people = self.problems_with_people()
        fit, fit_kind = fit_label(result, len(missing))
        show_text(
            self.query_one("#verdict-line", Static),
            Content.assemble(
                (fit, STYLES[fit_kind]),
                " · ",
                (actuality_label(result), "bold"),
                " · ",
                score_label(result),
            ),
        )
        outcome, kind = outcome_label(
            result, missing, invalid, people, self.keys["submit-qualification"]
        )
        show_text(
            self.query_one("#verdict-outcome", Static), Content(outcome).stylize(STYLES[kind])
        )
        show_text(
            self.query_one("#people-problems", Static), Content("\n".join("• " + p for p in people))
        )

    def show_refusal(self, text: str) -> None:
        show_text(self.query_one("#verdict-refusal", Static), Content(text))

    def hide_refusal(self) -> None:
        show_text(self.query_one("#verdict-refusal", Static), Content(""))

    # --- changes ---------------------------------------------------------------------------

    @on(QuestionField.Changed)
    def answer_changed(self, event: QuestionField.Changed) -> None:
        event.stop()
        field = event.field
        question_id = field.question.id
        if field.value is None:
            self.answers.pop(question_id, None)
        else:
            self.answers[question_id] = field.value
        if field.typed:
            self.typed[question_id] = field.typed
        else:
            self.typed.pop(question_id, None)
        self.changed()

    @on(PersonRow.Changed)
    def person_changed(self, event: PersonRow.Changed) -> None:
        event.stop()
        people = [row.read() for row in self.query(PersonRow)]
        if people == self.people:
            return  # a field filled when the row was mounted
        self.people = people
        self.changed()

    def changed(self) -> None:
        self.hide_refusal()
        self.recompute()
        self._version += 1
        if not self.active:
            return
        self.show_saved(_("saving…"))
        self.cancel_pending()
        self._timer = self.set_timer(DRAFT_DELAY, self.flush)

    def number_people(self) -> None:
        for number, row in enumerate(self.query(PersonRow), 1):
            row.number(number)

    async def add_person(self) -> None:
        roles = self.script.decision_makers.roles
        present = {p.role for p in self.people}
        role = next(
            (
                r
                for r in ("decision_maker", "influencer", "approver", "other")
                if r in roles and r not in present
            ),
            roles[0] if roles else "other",
        )
        row = self.person_row(Person(role=role))
        await self.query_one("#people-rows").mount(row)
        self.number_people()
        self.people = [r.read() for r in self.query(PersonRow)]
        self.changed()
        row.focus_first()

    async def remove_person(self) -> bool:
        """Remove the person the focus is in; False when the focus is in none."""
        focused = self.screen.focused
        row = next(
            (
                r
                for r in self.query(PersonRow)
                if focused is not None and (focused is r or r in focused.ancestors)
            ),
            None,
        )
        if row is None:
            return False
        rows = list(self.query(PersonRow))
        index = rows.index(row)
        await row.remove()
        self.number_people()
        self.people = [r.read() for r in self.query(PersonRow)]
        self.changed()
        rest = list(self.query(PersonRow))
        if rest:
            rest[min(index, len(rest) - 1)].focus_first()
        return True

    # --- focus -----------------------------------------------------------------------------

    def focus_question(self, question_id: str) -> None:
        field = self.field(question_id)
        field.answer_widget.focus()
        field.call_after_refresh(field.scroll_visible, animate=False)

    def focus_first_open(self) -> None:
        """The first visible question with no answer (or a wrong one); else the first."""
        shown = visible_questions(self.script, self.answers)
        for question in shown:
            field = self.field(question.id)
            if field.error or question.id not in self.answers:
                self.focus_question(question.id)
                return
        if shown:
            self.focus_question(shown[0].id)

    def focus_first_problem(self) -> None:
        """Where a refused submission sends the agent: a wrong or missing answer, else the
        people."""
        invalid = self.invalid()
        if invalid:
            self.focus_question(invalid[0][0].id)
            return
        missing = missing_required(self.script, self.answers)
        if missing:
            self.focus_question(missing[0].id)
            return
        rows = list(self.query(PersonRow))
        if rows:
            rows[0].focus_first()

    # --- submitting ------------------------------------------------------------------------

    def submission(self) -> tuple[dict[str, AnswerValue], tuple[Person, ...]]:
        """The answers that count (those of visible questions) and the people listed."""
        return (
            effective_answers(self.script, self.answers),
            tuple(p for p in self.people if not p.is_blank()),
        )

    def stop_drafts(self) -> threading.Lock:
        """Submitting: no more draft saves (the submission stores everything). Returns the
        lock a save holds, for the submission to wait on one in flight."""
        self.cancel_pending()
        self.active = False
        self._pending = None
        return self._lock

    def resume_drafts(self) -> None:
        self.active = True
        if self._version != self._saved_version:
            self.flush()

    # --- drafts ----------------------------------------------------------------------------

    def cancel_pending(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def snapshot(self) -> FormDraft:
        return FormDraft(
            self.lead_id, self.script, dict(self.answers), dict(self.typed), tuple(self.people)
        )

    def flush(self, then: Callable[[], None] | None = None) -> None:
        """Save now what is not saved yet (in a thread); then call `then` on the UI thread."""
        self._timer = None
        if not self.active or self._version == self._saved_version:
            if then is not None:
                then()
            return
        self._pending = (self._version, self.snapshot())
        self.app.run_worker(
            partial(self._save, then), thread=True, group="qualification-draft", exit_on_error=False
        )

    def _save(self, then: Callable[[], None] | None) -> None:
        app = self.desk
        try:
            with self._lock:  # whichever save runs last writes the newest state
                pending, self._pending = self._pending, None
                if pending is not None:
                    store_draft(self.agent_id, pending[1], app.clock())
            if pending is not None:
                self.post_message(self.Saved(self.lead_id, pending[0], app.clock()))
        except Exception as error:  # noqa: BLE001 - shown to the agent, the answers stay
            app.call_from_thread(self.save_failed, error)
        if then is not None:
            app.call_from_thread(then)

    def save_failed(self, error: Exception) -> None:
        if self.is_attached:
            self.show_saved(_("not saved!"))
        self.desk.report_failure(error)

    def on_qualification_panel_saved(self, message: Saved) -> None:
        if message.lead_id != self.lead_id:
            return
        self._saved_version = max(self._saved_version, message.version)
        if self._saved_version == self._version:
            local = message.at.astimezone(ZoneInfo(self.agent_zone))
            self.show_saved(_("saved {time}").format(time=f"{local:%H:%M:%S}"))

    def show_saved(self, text: str) -> None:
        show_text(self.query_one("#qual-saved", Static), Content(text))

    def on_unmount(self) -> None:
        # closed, left, or moved on with changes not saved yet: save them (the worker
        # belongs to the app and outlives this widget)
        self.cancel_pending()
        if self.active and self._version != self._saved_version:
            self._pending = (self._version, self.snapshot())
            self.app.run_worker(
                partial(self._save, None),
                thread=True,
                group="qualification-draft",
                exit_on_error=False,
            )
