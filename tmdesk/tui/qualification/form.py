"""The qualification form of the open lead: the script's sections and questions in order,
the decision makers, and the live verdict under them.

The form takes the lead card's place on the call screen (the dial line above it and the
notes beside it stay): a line with the company, the contact and the phone on top, the form
scrolling below, the verdict always visible at the bottom. Which questions show, the
verdict and what submitting would do are recomputed on every change by the script's rules
(tmdesk.domain.scripts); the lead's outcome itself is decided by the service on submission.

The panel never saves: every change is offered as a draft (`DraftChanged`, shortly after
the typing stops; at once for a pick, a person added or removed) and the call screen's
worker saves it and answers `Saved`; the submit key posts `Submitted` and the screen records
it. Text typed but not understood ("31.02") is kept in the draft too.

Over 400 lines: the form's own parts (the decision makers, the verdict bar, the fields) are
widgets of their own; what stays is what ties them together (which questions show, where
the focus goes next, the draft's versions), which reads best in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
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
from tmdesk.domain.routing import district_of, names_district
from tmdesk.domain.scripts import (
    AnswerValue,
    Person,
    Question,
    Verdict,
    effective_answers,
    fit_answers,
    missing_required,
    people_problems,
    render_say,
    verdict,
    visible_questions,
)
from tmdesk.domain.text import one_line
from tmdesk.i18n import _
from tmdesk.tui.desk.work import LeadCard
from tmdesk.tui.qualification.fields import QuestionField
from tmdesk.tui.qualification.people import PeopleSection, PersonRow, contact_as_person
from tmdesk.tui.qualification.picks import Next
from tmdesk.tui.qualification.verdict_bar import VerdictBar
from tmdesk.tui.qualification.work import FormDraft, QualificationForm

if TYPE_CHECKING:
    from tmdesk.tui.app import DeskApp

DRAFT_DELAY = 0.7  # seconds after the last change before the form is saved as a draft


class QualificationPanel(Vertical):
    """The form of one lead. `active` is False while the form is being submitted."""

    @dataclass
    class DraftChanged(Message):
        """Answers to save as a draft (`pending` holds the newest); `then` runs on the UI
        thread after the save."""

        panel: QualificationPanel
        then: Callable[[], None] | None = None

    @dataclass
    class Saved(Message):
        """Told by the screen: the draft of `version` is saved."""

        lead_id: int
        version: int
        at: datetime

    @dataclass
    class SaveFailed(Message):
        error: Exception

    @dataclass
    class Submitted(Message):
        """The agent submits the form: these answers and people (drafts have stopped)."""

        panel: QualificationPanel
        answers: dict[str, AnswerValue]
        people: tuple[Person, ...]

    def __init__(
        self,
        form: QualificationForm,
        card: LeadCard,
        agent_zone: str,
        today: date,
        keys: dict[str, str],
        **kwargs,
    ) -> None:
        super().__init__(id="qualification", **kwargs)
        self.form = form
        self.script = form.script
        self.card = card
        self.agent_zone = agent_zone
        self.today = today
        self.keys = keys
        self.default_region = phone_region(card.phone_e164) or "RU"
        draft = form.draft
        # what the draft holds, as this script's fields can show it (a draft reopened from
        # a returned record may hold answers written otherwise)
        self.answers: dict[str, AnswerValue] = {}
        self.typed: dict[str, str] = {}
        if draft is not None:
            self.answers, self.typed = fit_answers(self.script, draft.answers, draft.typed, today)
        self.people: list[Person] = (
            list(draft.decision_makers) if draft else contact_as_person(card)
        )
        self.restored = draft is not None
        self.verdict: Verdict = verdict(self.script, self.answers, today)
        self.active = True
        self._version = 0  # of the form's content; a save reports the version it wrote
        self._saved_version = 0
        # (version, what to save): the newest answers not saved yet, for the screen's worker
        self.pending: tuple[int, FormDraft] | None = None
        self._timer: Timer | None = None

    def suggestion(self, question: Question) -> int | None:
        """The option the lead card suggests for an unanswered question (its district)."""
        if question.suggest != "district" or question.id in self.answers:
            return None
        card = self.card
        district = district_of((card.region, card.city, card.place))
        if district is None:
            return None
        return next(
            (
                index
                for index, option in enumerate(question.options)
                if names_district((option.value, option.label), district)
            ),
            None,
        )

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
        if self.form.returned:
            # why the supervisor sent it back, above the answers to fix (not "agreed")
            yield Static(
                Content.assemble(
                    (_("Returned by the supervisor: "), "bold $text-warning"),
                    self.form.returned,
                ),
                id="qual-returned",
            )
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
                            suggested=self.suggestion(question),
                        )
            yield PeopleSection(self.people, script.decision_makers, self.default_region, self.keys)
        yield VerdictBar(self.keys["submit-qualification"])

    @property
    def people_section(self) -> PeopleSection:
        return self.query_one(PeopleSection)

    def on_mount(self) -> None:
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
        self.query_one(VerdictBar).show(result, missing, invalid, people)
        self.people_section.show_problems(people)

    def show_refusal(self, text: str) -> None:
        self.query_one(VerdictBar).show_refusal(text)

    def hide_refusal(self) -> None:
        self.query_one(VerdictBar).show_refusal("")

    # --- changes ---------------------------------------------------------------------------

    @on(QuestionField.Changed)
    async def answer_changed(self, event: QuestionField.Changed) -> None:
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
        if await self.people_section.from_options(field.question, field.value):
            self.people = self.people_section.read()
        self.changed(at_once=event.picked)
        if event.picked and not field.question.type == "multi_choice":
            self.advance_from(question_id)  # a one-key answer: on to the next question

    @on(PersonRow.Changed)
    def person_changed(self, event: PersonRow.Changed) -> None:
        event.stop()
        people = self.people_section.read()
        if people == self.people:
            return  # a field filled when the row was mounted
        self.people = people
        self.changed(at_once=event.picked)

    def changed(self, *, at_once: bool = False) -> None:
        """Recompute, and offer the draft: at once for a pick or a person added or removed,
        after the typing stops for text."""
        self.hide_refusal()
        self.recompute()
        self._version += 1
        if not self.active:
            return
        self.show_saved(_("saving…"))
        self.cancel_pending()
        if at_once:
            self.flush()
        else:
            self._timer = self.set_timer(DRAFT_DELAY, self.flush)

    async def add_person(self) -> None:
        await self.people_section.add_next()
        self.people = self.people_section.read()
        self.changed(at_once=True)

    async def remove_person(self) -> bool:
        """Remove the person the focus is in; False when the focus is in none."""
        if not await self.people_section.remove_focused():
            return False
        self.people = self.people_section.read()
        self.changed(at_once=True)
        return True

    # --- focus -----------------------------------------------------------------------------

    def focus_question(self, question_id: str) -> None:
        field = self.field(question_id)
        field.answer_widget.focus(scroll_visible=False)  # the field scrolls itself in

    def advance_from(self, question_id: str) -> None:
        """The next shown question after this one; after the last, the decision makers."""
        shown = [q.id for q in visible_questions(self.script, self.answers)]
        later = shown[shown.index(question_id) + 1 :] if question_id in shown else []
        if later:
            self.focus_question(later[0])
        else:
            self.focus_people()

    def focus_people(self) -> None:
        self.people_section.focus_first_open()

    @on(Next)
    def next_field(self, event: Next) -> None:
        """Enter on a field: the next question, or the next field of a person."""
        event.stop()
        field = next((a for a in event.widget.ancestors if isinstance(a, QuestionField)), None)
        if field is not None:
            self.advance_from(field.question.id)
        else:
            self.screen.focus_next()

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
        self.people_section.focus_first_open()

    # --- submitting ------------------------------------------------------------------------

    def submission(self) -> tuple[dict[str, AnswerValue], tuple[Person, ...]]:
        """The answers that count (those of visible questions) and the people listed."""
        return (
            effective_answers(self.script, self.answers),
            tuple(p for p in self.people if not p.is_blank()),
        )

    def submit(self) -> None:
        """The submit key: post `Submitted` (drafts stop: the submission stores everything),
        or say what to fix first and go there."""
        invalid = self.invalid()
        if invalid:
            question, error = invalid[0]
            text = _("Fix the answer first: {question}: {error}").format(
                question=self.rendered(question), error=error
            )
            self.show_refusal(text)
            self.focus_first_problem()
            self.notify(text, title=_("Not submitted"), severity="warning")
            return
        answers, people = self.submission()
        self.cancel_pending()
        self.active = False
        self.pending = None
        self.post_message(self.Submitted(self, answers, people))

    def resume_drafts(self) -> None:
        """The submission was refused or failed: the form is the agent's again."""
        self.active = True
        if self._version != self._saved_version:
            self.flush()

    # --- drafts (the screen's worker saves them) --------------------------------------------

    def cancel_pending(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def snapshot(self) -> FormDraft:
        return FormDraft(
            self.lead_id, self.script, dict(self.answers), dict(self.typed), tuple(self.people)
        )

    def unsaved(self) -> bool:
        """Put what is not saved yet into `pending`; False when everything is saved."""
        self.cancel_pending()
        if not self.active or self._version == self._saved_version:
            return False
        self.pending = (self._version, self.snapshot())
        return True

    def flush(self, then: Callable[[], None] | None = None) -> None:
        """Ask for what is not saved yet to be saved now; then call `then` (on the UI thread,
        after the save)."""
        self._timer = None
        if self.unsaved():
            self.post_message(self.DraftChanged(self, then))
        elif then is not None:
            then()

    def on_qualification_panel_saved(self, message: Saved) -> None:
        if message.lead_id != self.lead_id:
            return
        self._saved_version = max(self._saved_version, message.version)
        if self._saved_version == self._version:
            local = message.at.astimezone(ZoneInfo(self.agent_zone))
            self.show_saved(_("saved {time}").format(time=f"{local:%H:%M:%S}"))

    def on_qualification_panel_save_failed(self, message: SaveFailed) -> None:
        self.show_saved(_("not saved!"))
        self.desk.report_failure(message.error)

    def show_saved(self, text: str) -> None:
        self.query_one(VerdictBar).show_saved(text)
