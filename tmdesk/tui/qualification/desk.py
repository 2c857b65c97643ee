"""The qualification form on the call screen: opening it, restoring a draft, submitting.

CallScreen inherits QualificationDesk. "Qualified" (F10) opens the form in the lead card's
place; submitting it (ctrl+s) records the outcome the script's verdict gives — qualified,
nurture with its recall, or not a fit with the knockout reasons — never one chosen by hand,
and the call loop moves on as after any outcome. A lead the agent had started a form for
(before a restart, a kill, a callback) opens with the form and its answers.

"Not a fit" (F8) keeps its reason dialog, except when the open form already has a knockout:
then it submits the form, so the script's reasons and the answers are recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from textual import work
from textual.message import Message

from tmdesk.domain.dispositions import Disposition
from tmdesk.domain.scripts import Person, Script
from tmdesk.i18n import _
from tmdesk.tui.base import DeskScreen
from tmdesk.tui.desk.work import OpenLead, Recorded
from tmdesk.tui.qualification.display import submitted_notice
from tmdesk.tui.qualification.form import QualificationPanel
from tmdesk.tui.qualification.work import (
    QualificationError,
    QualificationForm,
    Submitted,
    form_with_draft,
    open_form,
    submit_and_advance,
)

if TYPE_CHECKING:
    from tmdesk.tui.desk.notes_panel import NotesPanel
    from tmdesk.tui.work import UserInfo

# The form's binding ids (scope "desk" of the key map); they work while the form is open.
FORM_BINDING_IDS = ("submit-qualification", "add-person", "remove-person", "close-qualification")


class QualificationDesk(DeskScreen):
    """The part of the call screen that runs the qualification form."""

    if TYPE_CHECKING:  # provided by CallScreen
        agent: UserInfo
        lead: OpenLead
        busy: bool
        dialled_at: datetime | None
        lead_id: int
        notes: NotesPanel
        Done: type[Message]
        Saving: type[Message]

        def set_busy(self, busy: bool) -> None: ...

        async def offer_meeting(self, recorded: Recorded, notice: str) -> None: ...

    @dataclass
    class FormReady(Message):
        """A lead's form was read: open it (`restored`: because a draft was found)."""

        form: QualificationForm
        restored: bool

    @dataclass
    class Refused(Message):
        """The service refused the submission (the message says what is missing)."""

        lead_id: int
        text: str

    @dataclass
    class SubmitFailed(Message):
        lead_id: int
        error: Exception

    @dataclass
    class FormSubmitted(Message):
        submitted: Submitted
        recorded: Recorded
        following: OpenLead | None
        advance_error: Exception | None

    @property
    def qualification(self) -> QualificationPanel | None:
        found = self.query(QualificationPanel)
        return found.first() if found else None

    def form_key(self, binding_id: str) -> str:
        return self.desk.keymap.get(binding_id, "")

    # --- the hooks the call screen calls -----------------------------------------------------

    def qualification_takes(self, disposition: Disposition) -> bool:
        """True when the form handles this outcome key instead of the usual dialog."""
        if disposition is Disposition.QUALIFIED:
            panel = self.qualification
            if panel is None:
                self.open_qualification()
            else:
                panel.focus_first_open()
            return True
        if disposition is Disposition.NOT_FIT:
            panel = self.qualification
            if panel is not None and panel.verdict.fit is False:
                self.action_submit_qualification()
                return True
        return False

    async def reset_qualification(self, lead_id: int) -> None:
        """A lead is (re)opened on the screen: close the last one's form, and open this
        one's if the agent had started it."""
        await self.close_qualification(focus_notes=False)
        self.restore_qualification(lead_id, self.agent.id)

    def qualification_then(self, then: Callable[[], None]) -> None:
        """Save the form's last changes (if any), then call `then` (e.g. quit)."""
        panel = self.qualification
        if panel is None:
            then()
        else:
            panel.cancel_pending()
            panel.flush(then)

    # --- opening and closing ---------------------------------------------------------------

    def open_qualification(self) -> None:
        self.load_form(self.lead_id, self.agent.id)

    @work(thread=True, exclusive=True, group="qualification-open", exit_on_error=False)
    def load_form(self, lead_id: int, agent_id: int) -> None:
        self.post_message(self.FormReady(open_form(lead_id, agent_id), restored=False))

    @work(thread=True, exclusive=True, group="qualification-open", exit_on_error=False)
    def restore_qualification(self, lead_id: int, agent_id: int) -> None:
        form = form_with_draft(lead_id, agent_id)
        if form is not None:
            self.post_message(self.FormReady(form, restored=True))

    async def on_qualification_desk_form_ready(self, message: FormReady) -> None:
        if message.form.lead_id != self.lead_id or self.busy:
            return  # the lead changed meanwhile
        panel = self.qualification
        if panel is None:
            today = self.desk.clock().astimezone(ZoneInfo(self.agent.time_zone)).date()
            keys = {binding_id: self.form_key(binding_id) for binding_id in FORM_BINDING_IDS}
            panel = QualificationPanel(
                message.form, self.lead.card, self.agent.id, self.agent.time_zone, today, keys
            )
            card = self.query_one("#lead-card")
            await self.query_one("#call-main").mount(panel, after=card)
            card.display = False
            self.add_class("-qualifying")
            if message.restored:
                self.notify(
                    _("Your qualification answers for {company} are back.").format(
                        company=" ".join(self.lead.card.company.split())
                    ),
                    title=_("Draft restored"),
                )
        panel.focus_first_open()

    async def close_qualification(self, *, focus_notes: bool = True) -> None:
        panel = self.qualification
        if panel is None:
            return
        await panel.remove()  # its last changes are saved as it goes
        self.query_one("#lead-card").display = True
        self.remove_class("-qualifying")
        if focus_notes:
            self.notes.area.focus()

    # --- the form's keys -------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add_person", "remove_person", "close_qualification"):
            return self.qualification is not None
        return True

    async def action_close_qualification(self) -> None:
        if not self.busy:
            await self.close_qualification()

    async def action_add_person(self) -> None:
        panel = self.qualification
        if panel is not None and not self.busy:
            await panel.add_person()

    async def action_remove_person(self) -> None:
        panel = self.qualification
        if panel is None or self.busy:
            return
        if not await panel.remove_person():
            self.notify(_("Move into the person to remove first."), severity="warning")

    def action_submit_qualification(self) -> None:
        if self.busy:
            return
        panel = self.qualification
        if panel is None:
            self.open_qualification()
            return
        invalid = panel.invalid()
        if invalid:
            question, error = invalid[0]
            text = _("Fix the answer first: {question}: {error}").format(
                question=panel.rendered(question), error=error
            )
            panel.show_refusal(text)
            panel.focus_first_problem()
            self.notify(text, title=_("Not submitted"), severity="warning")
            return
        answers, people = panel.submission()
        lock = panel.stop_drafts()
        self.set_busy(True)
        self.submit_form(
            lock,
            self.agent.id,
            self.lead_id,
            panel.script,
            answers,
            people,
            self.notes.text,
            self.dialled_at,
            self.desk.clock(),
        )

    @work(thread=True, exclusive=True, group="record", exit_on_error=False)
    def submit_form(
        self,
        lock,
        agent_id: int,
        lead_id: int,
        script: Script,
        answers: Mapping,
        people: Sequence[Person],
        note: str,
        dialled_at: datetime | None,
        now: datetime,
    ) -> None:
        try:
            with lock:  # a draft save in flight finishes first; none starts after
                submitted, recorded, following, error = submit_and_advance(
                    agent_id,
                    lead_id,
                    script,
                    answers,
                    people,
                    note,
                    dialled_at,
                    self.desk.settings,
                    now,
                    hold_qualified=True,
                    on_busy=lambda wait: self.post_message(self.Saving(lead_id, wait)),
                    retry=self.desk.workspace.save_retry,
                )
        except QualificationError as refusal:
            self.post_message(self.Refused(lead_id, str(refusal)))
        except Exception as failure:  # noqa: BLE001 - reported, the form stays open
            self.post_message(self.SubmitFailed(lead_id, failure))
        else:
            self.post_message(self.FormSubmitted(submitted, recorded, following, error))

    def reopen_form(self) -> QualificationPanel | None:
        self.set_busy(False)
        panel = self.qualification
        if panel is not None:
            panel.resume_drafts()
        return panel

    def on_qualification_desk_refused(self, message: Refused) -> None:
        if message.lead_id != self.lead_id:
            return
        panel = self.reopen_form()
        if panel is not None:
            panel.show_refusal(message.text)
            panel.focus_first_problem()
        self.notify(message.text, title=_("Not submitted"), severity="warning", timeout=10)

    def on_qualification_desk_submit_failed(self, message: SubmitFailed) -> None:
        if message.lead_id == self.lead_id:
            self.reopen_form()
        self.desk.report_failure(message.error)

    async def on_qualification_desk_form_submitted(self, message: FormSubmitted) -> None:
        notice = submitted_notice(message.submitted)
        if message.submitted.status == "qualified":
            # the lead stays on screen while a meeting is offered; the next one comes after
            await self.offer_meeting(message.recorded, notice)
            return
        # the call screen's own "outcome recorded" path: notice, undo hint, next lead
        self.post_message(
            self.Done(message.recorded, message.following, message.advance_error, notice=notice)
        )
