"""The call screen: one lead's card, the notes, dialling, the call timer, one key per outcome.

All database work runs in thread workers (tmdesk.tui.call_flow) that post a message back.
The notes are saved as a draft shortly after the agent stops typing, so killing the desk
loses nothing; the open call screen renews the lead's lease so nobody else gets it.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Footer, Header
from textual.worker import Worker

from tmdesk.domain.dispositions import Disposition
from tmdesk.domain.phones import national_format
from tmdesk.i18n import _
from tmdesk.services.calls import CallError, Recorded, renew_lease
from tmdesk.services.users import UserInfo
from tmdesk.tui.call_display import lead_zone
from tmdesk.tui.call_flow import (
    Draft,
    OpenLead,
    Outcome,
    give_back,
    record_and_advance,
    undo_and_reopen,
)
from tmdesk.tui.dialing import DialError, run_dial_command
from tmdesk.tui.keys import bindings_for
from tmdesk.tui.screens.outcome_dialogs import WhenChoice, WhenContext
from tmdesk.tui.screens.outcomes import dialog_for, outcome_from, recorded_notice, undone_notice
from tmdesk.tui.screens.qualification import FORM_BINDING_IDS, QualificationDesk
from tmdesk.tui.widgets.dial_panel import DialPanel
from tmdesk.tui.widgets.disposition_bar import DispositionBar
from tmdesk.tui.widgets.lead_card import LeadCardView
from tmdesk.tui.widgets.notes_panel import NotesPanel

WINDOW_REFRESH_TICKS = 30  # the local time and the calling window, every 30 s


class CallScreen(QualificationDesk):
    """The lead being called. Leaves to the queue when there is no next lead."""

    BINDINGS = bindings_for("desk", hidden=FORM_BINDING_IDS)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    class Opened(Message):
        """A lead was (re)opened on this screen, e.g. by undo."""

        def __init__(self, opened: OpenLead, notice: str) -> None:
            super().__init__()
            self.opened = opened
            self.notice = notice

    class Done(Message):
        """An outcome was recorded; `following` is the next lead (auto-advance) or None."""

        def __init__(self, recorded: Recorded, following: OpenLead | None,
                     advance_error: Exception | None, notice: str = "") -> None:
            super().__init__()
            self.recorded = recorded
            self.following = following
            self.advance_error = advance_error
            self.notice = notice  # added under the usual "Recorded: …" line

    class Released(Message):
        def __init__(self, company: str) -> None:
            super().__init__()
            self.company = company

    class LeaseLost(Message):
        def __init__(self, lead_id: int, reason: str) -> None:
            super().__init__()
            self.lead_id = lead_id
            self.reason = reason

    class Dialled(Message):
        def __init__(self, lead_id: int, program: str | None, problem: str | None) -> None:
            super().__init__()
            self.lead_id = lead_id
            self.program = program
            self.problem = problem

    def __init__(self, agent: UserInfo, opened: OpenLead) -> None:
        super().__init__()
        self.agent = agent
        self.lead = opened
        self.busy = True  # recording, undoing or leaving: outcome keys wait
        self.dialled_at: datetime | None = None
        self._dial_started: float | None = None
        self._ticks = 0

    # --- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="call-body"):
            with Vertical(id="call-main"):
                yield DialPanel(self.desk.keymap["dial"], id="dial-panel")
                yield LeadCardView(id="lead-card")
            yield NotesPanel(self.agent.id, self.agent.time_zone, id="call-side")
        yield DispositionBar(id="dispositions")
        yield Footer()

    async def on_mount(self) -> None:
        await self.show_lead(self.lead)
        self.set_interval(1, self.tick)
        self.set_interval(max(1.0, self.desk.settings.lease.total_seconds() / 3), self.renew)

    @property
    def notes(self) -> NotesPanel:
        return self.query_one("#call-side", NotesPanel)

    @property
    def agent_zone(self) -> str:
        return self.agent.time_zone

    @property
    def lead_id(self) -> int:
        return self.lead.card.lead_id

    def draft(self) -> Draft:
        return self.notes.draft()

    async def show_lead(self, opened: OpenLead) -> None:
        self.lead = opened
        card, settings = opened.card, self.desk.settings
        view = self.query_one("#lead-card", LeadCardView)
        await view.show(card, opened.bucket, settings.max_attempts, self.agent_zone)
        view.show_window(self.desk.clock(), settings.calling_window, self.agent_zone)
        self.notes.load(card.lead_id, card.notes_draft)
        self.dialled_at, self._dial_started = None, None
        self.query_one("#dial-panel", DialPanel).reset()
        self.set_busy(False)
        self.notes.area.focus()
        await self.reset_qualification(card.lead_id)

    def set_busy(self, busy: bool) -> None:
        """While an outcome, an undo or a release is under way, outcome keys wait and the
        notes are no longer saved as a draft (the outcome takes them with it)."""
        self.busy = busy
        self.notes.active = not busy
        if busy:
            self.notes.cancel_pending()
        self.query_one("#dispositions", DispositionBar).set_enabled(not busy)

    def tick(self) -> None:
        if self._dial_started is not None:
            self.query_one("#dial-panel", DialPanel).elapsed = timedelta(
                seconds=time.monotonic() - self._dial_started)
        self._ticks += 1
        if self._ticks % WINDOW_REFRESH_TICKS == 0:
            self.query_one("#lead-card", LeadCardView).show_window(
                self.desk.clock(), self.desk.settings.calling_window, self.agent_zone)

    def leave(self) -> None:
        """Back to the queue (closing a dialog left open on top of this screen)."""
        self.set_busy(True)
        while len(self.app.screen_stack) > 1 and self.app.screen is not self:
            self.app.pop_screen()
        if self.app.screen is self:
            self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "book_meeting":
            return None  # shown dimmed: meetings come with the booking issue
        return super().check_action(action, parameters)

    def work_failed(self, worker: Worker) -> None:
        if worker.group in ("record", "undo", "release"):
            self.set_busy(False)

    def save_then_quit(self) -> None:
        """Quitting with a lead open: save the notes first (the claim stays, so the same
        lead comes back on the next start)."""
        self.qualification_then(lambda: self.notes.save_then(self.app.exit))

    def action_focus_notes(self) -> None:
        self.notes.area.focus()

    # --- lease -----------------------------------------------------------------------------

    def renew(self) -> None:
        if not self.busy:
            self.renew_lease(self.lead_id, self.desk.clock())

    @work(thread=True, exclusive=True, group="lease", exit_on_error=False)
    def renew_lease(self, lead_id: int, now: datetime) -> None:
        try:
            renew_lease(lead_id, self.agent.id, self.desk.settings, now=now)
        except CallError as error:
            self.post_message(self.LeaseLost(lead_id, str(error)))

    def on_call_screen_lease_lost(self, message: LeaseLost) -> None:
        if self.busy or message.lead_id != self.lead_id:
            return  # an outcome was just recorded: the lead is given back on purpose
        text = self.notes.text.strip()
        notice = message.reason
        if text:
            self.app.copy_to_clipboard(text)
            notice += "\n" + _("Your notes are in the clipboard.")
        self.leave()
        self.app.notify(notice, title=_("This lead is no longer yours"), severity="error",
                        timeout=20)

    # --- dialling --------------------------------------------------------------------------

    def action_dial(self) -> None:
        if self.busy:
            return
        card = self.lead.card
        panel = self.query_one("#dial-panel", DialPanel)
        if self.dialled_at is None:
            self.dialled_at = self.desk.clock()
            self._dial_started = time.monotonic()
            panel.elapsed = timedelta(0)
        panel.show_number(card.phone_e164)
        national = national_format(card.phone_e164)
        if card.phone_ext:
            national += " " + _("ext. {ext}").format(ext=card.phone_ext)
        command = self.desk.settings.dial_command.strip()
        if command:
            panel.say(_("Dialling {number}…").format(number=national))
            self.run_dial(card.lead_id, command, card.phone_e164, card.phone_ext)
        else:
            self.app.copy_to_clipboard(card.phone_e164)
            panel.say(_("Copied {e164} to the clipboard: paste it into your phone, or dial "
                        "{national}.").format(e164=card.phone_e164, national=national))

    @work(thread=True, group="dial", exit_on_error=False)
    def run_dial(self, lead_id: int, command: str, e164: str, ext: str | None) -> None:
        try:
            program = run_dial_command(command, e164, ext)
        except DialError as error:
            self.post_message(self.Dialled(lead_id, None, str(error)))
        else:
            self.post_message(self.Dialled(lead_id, program, None))

    def on_call_screen_dialled(self, message: Dialled) -> None:
        if message.lead_id != self.lead_id:
            return
        panel = self.query_one("#dial-panel", DialPanel)
        if message.problem:
            panel.say(message.problem, problem=True)
            self.notify(message.problem, title=_("Dialling failed"), severity="error",
                        timeout=10)
        else:
            panel.say(_("Dialled {number} with {program}.").format(
                number=national_format(self.lead.card.phone_e164), program=message.program))

    # --- outcomes --------------------------------------------------------------------------

    def when_context(self) -> WhenContext:
        card = self.lead.card
        return WhenContext(self.desk.clock(), card.zones, lead_zone(card.zones),
                           self.agent_zone, self.desk.settings.calling_window)

    def action_dispose(self, value: str) -> None:
        if self.busy:
            return
        disposition = Disposition(value)
        if self.qualification_takes(disposition):
            return
        dialog = dialog_for(disposition, self.lead.card, self.when_context())
        if dialog is None:
            self.start_record(Outcome(disposition))
            return
        lead_id = self.lead_id

        def answered(answer: WhenChoice | str | None) -> None:
            if answer is not None and not self.busy and lead_id == self.lead_id:
                self.start_record(outcome_from(disposition, answer))

        self.app.push_screen(dialog, answered)

    def start_record(self, outcome: Outcome) -> None:
        self.set_busy(True)
        self.record(self.lead_id, outcome, self.notes.text, self.dialled_at, self.desk.clock())

    @work(thread=True, exclusive=True, group="record", exit_on_error=False)
    def record(self, lead_id: int, outcome: Outcome, note: str, dialled_at: datetime | None,
               now: datetime) -> None:
        recorded, following, error = record_and_advance(
            self.agent.id, lead_id, outcome, note, dialled_at, self.desk.settings, now)
        self.post_message(self.Done(recorded, following, error))

    async def on_call_screen_done(self, message: Done) -> None:
        settings = self.desk.settings
        notice = recorded_notice(message.recorded, self.desk.keymap["undo"],
                                 settings.undo_window, self.agent_zone)
        if message.notice:
            notice += "\n" + message.notice
        self.notify(notice, title=_("Recorded"),
                    timeout=min(30, settings.undo_window.total_seconds()))
        if message.following is not None:
            await self.show_lead(message.following)
            return
        self.leave()
        if message.advance_error is not None:
            self.desk.report_failure(message.advance_error)
        elif settings.auto_advance:
            self.app.notify(_("Nothing to call now: the queue says why."),
                            title=_("No next lead"))

    # --- undo, release, meeting --------------------------------------------------------------

    def action_undo(self) -> None:
        if self.busy:
            return
        draft = self.draft()
        self.set_busy(True)
        self.undo(draft, self.desk.clock())

    @work(thread=True, exclusive=True, group="undo", exit_on_error=False)
    def undo(self, draft: Draft, now: datetime) -> None:
        undone, opened = undo_and_reopen(self.agent.id, self.desk.settings, now, draft)
        self.post_message(self.Opened(opened, undone_notice(undone.disposition)))

    async def on_call_screen_opened(self, message: Opened) -> None:
        await self.show_lead(message.opened)
        if message.notice:
            self.notify(message.notice, title=_("Undone"))

    def action_release_lead(self) -> None:
        if self.busy:
            return
        draft = self.draft()
        self.set_busy(True)
        self.release(draft, self.lead.card.company)

    @work(thread=True, exclusive=True, group="release", exit_on_error=False)
    def release(self, draft: Draft, company: str) -> None:
        give_back(self.agent.id, draft)
        self.post_message(self.Released(company))

    def on_call_screen_released(self, message: Released) -> None:
        self.leave()
        self.app.notify(_("{company} is back in the queue, untouched.").format(
            company=" ".join(message.company.split())), title=_("Lead given back"))

    def action_book_meeting(self) -> None:
        self.notify(_("Meeting booking arrives with the next versions of the desk."))
