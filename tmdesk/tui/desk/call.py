"""The call screen: one lead's card, the notes, dialling, the call timer, one key per outcome.

All database work runs in thread workers (tmdesk.services.desk, through tmdesk.tui.desk.work)
that post a message back.
The notes are saved as a draft shortly after the agent stops typing, so killing the desk
loses nothing; the open call screen renews the lead's lease so nobody else gets it.

Over 400 lines because every unit of work of a call starts here (outcome, undo, release,
lease, notes draft, dialling by hand or through the PBX, meetings, the qualification form's
draft and submission); what is shown lives in the widgets (PbxCallLine, NotesPanel,
LeadCardView, QualificationPanel…), which post messages and never save.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Header, Static
from textual.worker import Worker

from tmdesk.domain.dispositions import Disposition
from tmdesk.domain.phones import national_format
from tmdesk.domain.scripts import Script
from tmdesk.i18n import _
from tmdesk.tui.base import DeskScreen
from tmdesk.tui.booking.display import meeting_label
from tmdesk.tui.booking.offer import BookingOffer
from tmdesk.tui.booking.ready import fill_ahead, make_ready, open_panel
from tmdesk.tui.booking.work import BookingView, MeetingInfo, meeting_for_lead, open_booking
from tmdesk.tui.desk.call_display import lead_zone
from tmdesk.tui.desk.desk_footer import DeskFooter
from tmdesk.tui.desk.dial_panel import DialPanel
from tmdesk.tui.desk.dialing import DialError, dial_link, run_dial_command
from tmdesk.tui.desk.disposition_bar import DispositionBar, DispositionKey
from tmdesk.tui.desk.lead_card import LeadCardView
from tmdesk.tui.desk.notes_panel import NotesPanel
from tmdesk.tui.desk.outcome_dialogs import WhenChoice, WhenContext
from tmdesk.tui.desk.outcomes import (
    dialog_for,
    outcome_from,
    recorded_notice,
    undo_meeting_dialog,
    undone_notice,
)
from tmdesk.tui.desk.pbx_dialling import PbxCallLine
from tmdesk.tui.desk.work import (
    AgentChoice,
    CallError,
    Draft,
    OpenLead,
    Recorded,
    TelephonyUnavailable,
    UndoCancelsMeeting,
    call_info,
    give_back,
    keep_draft,
    keep_lease,
    last_call,
    record_and_advance,
    request_call,
    take_found_lead,
    take_next_lead,
    undo_and_reopen,
)
from tmdesk.tui.footer_fit import FooterThatFits
from tmdesk.tui.keys import DISPOSITION_IDS, bindings_for
from tmdesk.tui.qualification.display import submitted_notice
from tmdesk.tui.qualification.form import QualificationPanel
from tmdesk.tui.qualification.work import (
    QualificationError,
    QualificationForm,
    Submitted,
    form_with_draft,
    open_form,
    store_draft,
    submit_and_advance,
)
from tmdesk.tui.work import BusyWait, DatabaseBusy, UserInfo

OVER_THE_LEAD = ("search", "callbacks", "calls-today")  # lists that open over the call
WINDOW_REFRESH_TICKS = 30  # the local time and the calling window, every 30 s
BOOKING_READ_SECONDS = 60  # how long the slots read with the offer may open the panel
BUSY_SHOWN_AFTER = 0.2  # s: a save that takes longer dims the outcome keys, locks the notes
FOOTER_WAIT = 0.1  # s the offer's frame waits at most for the footer's new keys


# The qualification form's binding ids (scope "desk" of the key map); they work while the
# form is open.
FORM_BINDING_IDS = ("submit-qualification", "add-person", "remove-person", "close-qualification")


class CallScreen(FooterThatFits, DeskScreen):
    """The lead being called. Leaves to the queue when there is no next lead."""

    # the desk's lists open over the lead (priority: the notes' TextArea has its own ctrl+f)
    BINDINGS = [
        *bindings_for("desk", hidden=FORM_BINDING_IDS),
        *(replace(b, priority=True, show=False) for b in bindings_for("", *OVER_THE_LEAD)),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    @dataclass
    class Opened(Message):
        """A lead was (re)opened on this screen, e.g. by undo."""

        opened: OpenLead
        notice: str
        title: str = ""

    @dataclass
    class Done(Message):
        """An outcome was recorded; `following` is the next lead (auto-advance) or None."""

        recorded: Recorded
        following: OpenLead | None
        advance_error: Exception | None
        notice: str = ""  # added under the usual "Recorded: …" line

    @dataclass
    class Saving(Message):
        """The database is busy (another process writes): the outcome is tried again."""

        lead_id: int
        wait: BusyWait

    @dataclass
    class Stalled(Message):
        """The database stayed busy for the whole retry period: the outcome waits."""

        lead_id: int
        outcome: AgentChoice

    @dataclass
    class Advanced(Message):
        """The next lead, taken after the meeting question of a qualified lead."""

        following: OpenLead | None
        advance_error: Exception | None

    @dataclass
    class MeetingShown(Message):
        lead_id: int
        meeting: MeetingInfo | None

    @dataclass
    class UndoAsked(Message):
        """Undoing would cancel the lead's meeting: the agent is asked first."""

        asked: UndoCancelsMeeting
        draft: Draft
        now: datetime

    @dataclass
    class Released(Message):
        company: str

    @dataclass
    class LeaseLost(Message):
        lead_id: int
        reason: str

    @dataclass
    class Dialled(Message):
        lead_id: int
        program: str | None
        problem: str | None

    @dataclass
    class BookingRead(Message):
        """The booking panel's data, read while the offer is asked."""

        lead_id: int
        view: BookingView

    @dataclass
    class FormReady(Message):
        """A lead's qualification form was read: open it (`restored`: a draft was found)."""

        form: QualificationForm
        restored: bool

    @dataclass
    class FormRefused(Message):
        """The service refused the submission (the message says what is missing)."""

        lead_id: int
        text: str

    @dataclass
    class FormFailed(Message):
        lead_id: int
        error: Exception

    @dataclass
    class FormSubmitted(Message):
        submitted: Submitted
        recorded: Recorded
        following: OpenLead | None
        advance_error: Exception | None

    def __init__(self, agent: UserInfo, opened: OpenLead) -> None:
        super().__init__()
        self.agent = agent
        self.lead = opened
        self.busy = True  # recording, undoing or leaving: outcome keys wait
        self._qualification: QualificationPanel | None = None  # the open form, if any
        self.dialled_at: datetime | None = None
        self._dial_started: float | None = None
        self._ticks = 0
        self.meeting: MeetingInfo | None = None  # the lead's booked meeting
        self.pending: AgentChoice | None = None  # chosen, not saved: the database was busy
        self._notes_lock = threading.Lock()  # notes saves never overlap
        self.then_take: int | None = None  # found by search: opens after this lead's outcome
        self._form_lock = threading.Lock()  # nor do the form's draft saves and its submission
        self.offered: int | None = None  # the lead whose meeting the offer asks about
        self._offer_recorded: tuple[Recorded, str] | None = None  # said once it is answered
        self._answered_form: QualificationPanel | None = None  # under the offer, until answered
        self._busy_timer: Timer | None = None  # shows a save that lasts (look_busy)
        self._looks_busy = False
        # the booking panel's data, read while the offer is asked: for which lead, and when
        self._booking_read: tuple[int, BookingView, float] | None = None

    # --- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="call-body"):
            with Vertical(id="call-main"):
                yield DialPanel(self.desk.keymap["dial"], id="dial-panel")
                yield PbxCallLine(self.agent.extension or "", id="pbx-state")
                yield Static("", id="lead-meeting")
                yield LeadCardView(id="lead-card")
            yield NotesPanel(self.agent.id, self.agent.time_zone, id="call-side")
            # over the form and the notes, not beside them: none of them moves as it shows
            yield BookingOffer(id="booking-offer")
        yield Static("", id="save-status")
        yield DispositionBar(id="dispositions")
        yield DeskFooter()

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
        if opened.card.lead_id == self.then_take:
            self.then_take = None
        card, settings = opened.card, self.desk.settings
        view = self.query_one("#lead-card", LeadCardView)
        await view.show(card, opened.bucket, settings.max_attempts, self.agent_zone)
        view.show_window(self.desk.clock(), settings.calling_window, self.agent_zone)
        self.notes.load(card.lead_id, card.notes_draft)
        self.show_meeting(None)
        self.load_meeting(card.lead_id)
        self.dialled_at, self._dial_started = None, None
        self.query_one("#dial-panel", DialPanel).reset()
        self.pending = None
        self.pbx.resume(card.lead_id, self.pbx_enabled)
        self.set_busy(False)
        self.notes.area.can_focus = True  # kept from the focus while a meeting was offered
        self.notes.area.focus()
        await self.reset_qualification(card.lead_id)

    def set_busy(self, busy: bool) -> None:
        """While an outcome, an undo or a release is under way, outcome keys wait and the
        notes are no longer saved as a draft (the outcome takes them with it). It shows
        (`look_busy`) once it lasts: a save of a few tens of milliseconds, the usual one,
        would cost a frame of dimmed keys of its own before the next lead's."""
        self.busy = busy
        self.notes.active = not busy
        if self._busy_timer is not None:
            self._busy_timer.stop()
            self._busy_timer = None
        if busy:
            self.notes.cancel_pending()
            self._busy_timer = self.set_timer(BUSY_SHOWN_AFTER, self.look_busy)
        else:
            self.say_saving("")  # saved, failed or stalled (which says so after this)
            self.look_busy(False)

    def look_busy(self, busy: bool = True) -> None:
        """The outcome keys dimmed and the notes locked: the outcome under way took them as
        they were, and typing now would be lost."""
        if busy == self._looks_busy:
            return
        self._looks_busy = busy
        self.notes.area.read_only = busy
        self.query_one("#dispositions", DispositionBar).set_enabled(not busy)

    def tick(self) -> None:
        if not self.busy and self.pbx.count_down(
            elsewhere=self.qualification is not None
            or self.offered is not None
            or self.app.screen is not self
        ):
            self.action_pbx_confirm()
        if self._dial_started is not None:
            self.query_one("#dial-panel", DialPanel).elapsed = timedelta(
                seconds=time.monotonic() - self._dial_started
            )
        self._ticks += 1
        if self._ticks % WINDOW_REFRESH_TICKS == 0:
            self.query_one("#lead-card", LeadCardView).show_window(
                self.desk.clock(), self.desk.settings.calling_window, self.agent_zone
            )

    def leave(self) -> None:
        """Back to the queue (closing a dialog left open on top of this screen)."""
        self.set_busy(True)
        while len(self.app.screen_stack) > 1 and self.app.screen is not self:
            self.app.pop_screen()
        if self.app.screen is self:
            self.app.pop_screen()

    def work_failed(self, worker: Worker) -> None:
        if worker.group in ("record", "undo", "release"):
            self.set_busy(False)
        elif worker.group == "draft":
            self.notes.save_failed()

    def save_then_quit(self) -> None:
        """Quitting with a lead open: save the notes first (the claim stays, so the same
        lead comes back on the next start)."""
        self.qualification_then(lambda: self.notes.save_then(self.app.exit))

    def action_focus_notes(self) -> None:
        self.notes.area.focus()

    # --- notes draft -----------------------------------------------------------------------

    def on_notes_panel_draft_changed(self, message: NotesPanel.DraftChanged) -> None:
        self.save_notes(message.panel, message.then)

    @work(thread=True, group="draft", exit_on_error=False)
    def save_notes(self, notes: NotesPanel, then: Callable[[], None] | None) -> None:
        saved = True
        with self._notes_lock:  # whichever save runs last writes the newest text
            draft = notes.pending
            if draft is not None:
                saved = keep_draft(draft, self.agent.id)
        if not saved and draft is not None:  # (only a draft can fail to be saved)
            notes.post_message(NotesPanel.Busy(draft))
            return  # `then` (e.g. quitting) waits for notes that are really saved
        if draft is not None:
            notes.post_message(NotesPanel.Saved(draft, self.desk.clock()))
        if then is not None:
            self.app.call_from_thread(then)

    # --- lease -----------------------------------------------------------------------------

    def renew(self) -> None:
        if not self.busy:
            self.renew_lease(self.lead_id, self.desk.clock())

    @work(thread=True, exclusive=True, group="lease", exit_on_error=False)
    def renew_lease(self, lead_id: int, now: datetime) -> None:
        try:
            keep_lease(lead_id, self.agent.id, self.desk.settings, now)
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
        self.app.notify(
            notice, title=_("This lead is no longer yours"), severity="error", timeout=20
        )

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
        if self.pbx_enabled:
            self.pbx.dial(card.lead_id)  # through the office PBX; by hand when it cannot
        else:
            self.dial_by_hand()

    def dial_by_hand(self) -> None:
        """The dial command, or the number in the clipboard."""
        card = self.lead.card
        panel = self.query_one("#dial-panel", DialPanel)
        national = national_format(card.phone_e164)
        if card.phone_ext:
            national += " " + _("ext. {ext}").format(ext=card.phone_ext)
        command = self.desk.settings.dial_command.strip()
        if command and self.desk.browser is not None:
            link = dial_link(self.desk.settings.web.dial_link, card.phone_e164, card.phone_ext)
            self.app.open_url(link)
            panel.say(_("Opened {link} for your softphone.").format(link=link))
        elif command:
            panel.say(_("Dialling {number}…").format(number=national))
            self.run_dial(card.lead_id, command, card.phone_e164, card.phone_ext)
        else:
            self.app.copy_to_clipboard(card.phone_e164)
            panel.say(
                _(
                    "Copied {e164} to the clipboard: paste it into your phone, or dial {national}."
                ).format(e164=card.phone_e164, national=national)
            )

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
            self.notify(message.problem, title=_("Dialling failed"), severity="error", timeout=10)
        else:
            panel.say(
                _("Dialled {number} with {program}.").format(
                    number=national_format(self.lead.card.phone_e164), program=message.program
                )
            )

    # --- dialling through the PBX (the line follows the call, the workers ask) -------------

    @property
    def pbx_enabled(self) -> bool:
        return self.desk.settings.telephony.through_service

    @property
    def pbx(self) -> PbxCallLine:
        return self.query_one("#pbx-state", PbxCallLine)

    def on_pbx_call_line_ask(self, message: PbxCallLine.Ask) -> None:
        self.pbx_request(self.pbx, message.lead_id)

    def on_pbx_call_line_read(self, message: PbxCallLine.Read) -> None:
        self.pbx_read(self.pbx, message.lead_id, message.call_id)

    @work(thread=True, group="pbx", exit_on_error=False)
    def pbx_request(self, line: PbxCallLine, lead_id: int) -> None:
        try:
            info = request_call(lead_id, self.agent.id, self.desk.settings)
        except TelephonyUnavailable as error:
            line.post_message(PbxCallLine.Seen(lead_id, None, str(error)))
        else:
            line.post_message(PbxCallLine.Seen(lead_id, info))

    @work(thread=True, exclusive=True, group="pbx-poll", exit_on_error=False)
    def pbx_read(self, line: PbxCallLine, lead_id: int, call_id: int | None) -> None:
        info = call_info(call_id) if call_id else last_call(lead_id, self.agent.id)
        line.post_message(PbxCallLine.Seen(lead_id, info))

    def on_pbx_call_line_unavailable(self, _message: PbxCallLine.Unavailable) -> None:
        self.dial_by_hand()

    def on_pbx_call_line_ended(self, message: PbxCallLine.Ended) -> None:
        if not self.busy:
            self.pbx.offer(message.choice)
            self.pbx.show_call()

    def on_pbx_call_line_offered(self, message: PbxCallLine.Offered) -> None:
        choice = message.choice
        wanted = f"bar-dispo-{choice.value.replace('_', '-')}" if choice else ""
        for key in self.query(DispositionKey):
            key.set_class(key.id == wanted, "-preselected")
        self.refresh_bindings()

    def pbx_waiting(self) -> bool:
        """An outcome the PBX call's end pre-selected waits for Enter (or Esc)."""
        # none before the screen is composed; query_one remembers what it found (asked on
        # every key, by check_action)
        line = self.query_one_optional("#pbx-state", PbxCallLine)
        return line is not None and line.choice is not None and not self.busy

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.offered is not None:
            return False  # the meeting is asked first: Enter or Esc on the offer
        if action == "pbx_confirm":
            return self.pbx_waiting()
        if action == "close_qualification" and self.pbx_waiting():
            return True
        if action in ("add_person", "remove_person", "close_qualification"):
            return self.qualification is not None
        return True

    async def action_close_qualification(self) -> None:
        if self.pbx.choice is not None:
            self.action_pbx_stop()
        elif not self.busy:
            await self.close_qualification()

    def action_pbx_confirm(self) -> None:
        choice = self.pbx.choice
        if choice is None or self.busy:
            return
        self.pbx.offer(None)
        self.action_dispose(choice.value)

    def action_pbx_stop(self) -> None:
        self.pbx.stop()

    # --- outcomes --------------------------------------------------------------------------

    def when_context(self) -> WhenContext:
        card = self.lead.card
        return WhenContext(
            self.desk.clock(),
            card.zones,
            lead_zone(card.zones),
            self.agent_zone,
            self.desk.settings.calling_window,
        )

    def action_dispose(self, value: str) -> None:
        if self.busy:
            return
        disposition = Disposition(value)
        if self.pending is not None and self.pending.disposition is disposition:
            self.start_record(self.pending)  # as chosen, dialog answers and all
            return
        if self.qualification_takes(disposition):
            return
        dialog = dialog_for(disposition, self.lead.card, self.when_context())
        if dialog is None:
            self.start_record(AgentChoice(disposition))
            return
        lead_id = self.lead_id

        def answered(answer: WhenChoice | str | None) -> None:
            if answer is not None and not self.busy and lead_id == self.lead_id:
                self.start_record(outcome_from(disposition, answer))

        self.app.push_screen(dialog, answered)

    def start_record(self, outcome: AgentChoice) -> None:
        self.pending = None
        self.set_busy(True)
        self.record(
            self.lead_id,
            outcome,
            self.notes.text,
            self.dialled_at,
            self.desk.clock(),
            self.then_take,
        )

    @work(thread=True, exclusive=True, group="record", exit_on_error=False)
    def record(
        self,
        lead_id: int,
        outcome: AgentChoice,
        note: str,
        dialled_at: datetime | None,
        now: datetime,
        next_lead: int | None = None,
    ) -> None:
        try:
            recorded, following, error = record_and_advance(
                self.agent.id,
                lead_id,
                outcome,
                note,
                dialled_at,
                self.desk.settings,
                now,
                on_busy=lambda wait: self.post_message(self.Saving(lead_id, wait)),
                retry=self.desk.workspace.save_retry,
                next_lead=next_lead,
            )
        except DatabaseBusy:
            self.post_message(self.Stalled(lead_id, outcome))
            return
        self.post_message(self.Done(recorded, following, error))

    def say_saving(self, text: str) -> None:
        """The status line above the outcome keys: an outcome waiting for the database."""
        line = self.query_one("#save-status", Static)
        line.update(Content(text))
        line.display = bool(text)

    def on_call_screen_saving(self, message: Saving) -> None:
        if message.lead_id == self.lead_id and self.busy:
            self.look_busy()
            self.say_saving(_("Saving… the database is busy, retrying"))

    def on_call_screen_stalled(self, message: Stalled) -> None:
        """Nothing was saved: the outcome and the notes stay for the agent to try again."""
        if message.lead_id != self.lead_id:
            return
        self.pending = message.outcome
        binding = next(
            id for id, value in DISPOSITION_IDS.items() if value == message.outcome.disposition
        )
        self.set_busy(False)
        self.say_saving(
            _(
                "Not saved yet: the database is still busy (another process is writing, e.g. "
                "a large import). Your outcome and notes are kept: press {key} to try again."
            ).format(key=self.desk.keymap[binding])
        )

    def recorded_text(self, recorded: Recorded, notice: str) -> str:
        text = recorded_notice(
            recorded,
            self.desk.keymap["undo"],
            self.desk.settings.undo_window,
            self.agent_zone,
            lead_zone(self.lead.card.zones),
        )
        return f"{text}\n{notice}" if notice else text

    def say_recorded(self, recorded: Recorded, notice: str) -> None:
        self.notify(
            self.recorded_text(recorded, notice),
            title=_("Recorded"),
            timeout=min(30, self.desk.settings.undo_window.total_seconds()),
        )

    async def on_call_screen_done(self, message: Done) -> None:
        self.say_recorded(message.recorded, message.notice)
        await self.carry_on(message.following, message.advance_error)

    async def carry_on(self, following: OpenLead | None, advance_error: Exception | None) -> None:
        """After an outcome: the next lead, or back to the queue saying why."""
        if following is not None:
            await self.show_lead(following)
            return
        self.leave()
        if advance_error is not None:
            self.desk.report_failure(advance_error)
        elif self.desk.settings.auto_advance:
            self.app.notify(_("Nothing to call now: the queue says why."), title=_("No next lead"))

    # --- undo, release, meeting --------------------------------------------------------------

    def action_undo(self) -> None:
        if self.busy:
            return
        draft = self.draft()
        self.set_busy(True)
        self.undo(draft, self.desk.clock())

    @work(thread=True, exclusive=True, group="undo", exit_on_error=False)
    def undo(self, draft: Draft, now: datetime, cancel_meeting: bool = False) -> None:
        try:
            undone, opened = undo_and_reopen(
                self.agent.id, self.desk.settings, now, draft, cancel_meeting=cancel_meeting
            )
        except UndoCancelsMeeting as asked:
            self.post_message(self.UndoAsked(asked, draft, now))
            return
        self.post_message(self.Opened(opened, undone_notice(undone)))

    def on_call_screen_undo_asked(self, message: UndoAsked) -> None:
        """The undo would cancel a meeting: only once the agent says so."""

        def answered(yes: bool | None) -> None:
            if yes:
                self.undo(message.draft, message.now, cancel_meeting=True)
            else:
                self.set_busy(False)

        self.app.push_screen(undo_meeting_dialog(message.asked, self.agent_zone), answered)

    async def on_call_screen_opened(self, message: Opened) -> None:
        await self.show_lead(message.opened)
        if message.notice:
            self.notify(message.notice, title=message.title or _("Undone"))

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
        self.app.notify(
            _("{company} is back in the queue, untouched, after your other leads.").format(
                company=" ".join(message.company.split())
            ),
            title=_("Lead given back"),
        )

    # --- the desk's lists over the lead, and taking a lead found there ---------------------

    def action_search(self) -> None:
        from tmdesk.tui.desk.lists import SearchScreen

        self.app.push_screen(SearchScreen(self.agent))

    def action_my_callbacks(self) -> None:
        from tmdesk.tui.desk.lists import CallbacksScreen

        self.app.push_screen(CallbacksScreen(self.agent))

    def action_calls_today(self) -> None:
        from tmdesk.tui.desk.lists import CallsTodayScreen

        self.app.push_screen(CallsTodayScreen(self.agent))

    def switch_to(self, lead_id: int) -> None:
        """Give this lead back with its notes saved and open the found one."""
        if self.busy:
            return
        draft = self.draft()
        self.set_busy(True)
        self.switch(draft, lead_id, self.desk.clock())

    @work(thread=True, exclusive=True, group="record", exit_on_error=False)
    def switch(self, draft: Draft, lead_id: int, now: datetime) -> None:
        opened = take_found_lead(self.agent.id, lead_id, draft, self.desk.settings, now)
        notice = _("The lead you had open is back in the queue with your notes.")
        self.post_message(self.Opened(opened, notice, _("Lead taken")))

    def finish_then(self, lead_id: int, found: str) -> None:
        """Record this lead's outcome first; the found lead opens after it."""
        self.then_take = lead_id
        self.notify(
            _("Record this lead's outcome; then {found} opens.").format(found=found),
            title=_("Next: {found}").format(found=found),
        )

    # --- meetings ----------------------------------------------------------------------------

    def action_book_meeting(self) -> None:
        """The booking panel for this lead: book one, or move or cancel the one booked."""
        if self.busy:
            return
        lead_id = self.lead_id

        def closed(_meeting: MeetingInfo | None) -> None:
            if lead_id == self.lead_id:
                self.load_meeting(lead_id)  # booked, moved or cancelled: read it again

        open_panel(self.app, lead_id, closed, meeting_id=self.meeting.id if self.meeting else None)

    async def offer_meeting(self, recorded: Recorded, notice: str) -> None:
        """A qualified verdict: while the client is on the line, offer the booking panel.
        The lead stays on screen (busy: its outcome is recorded); the next one comes after.
        What was recorded (and the undo key) is said on the offer, and as the usual notice
        once the offer is answered: a notice now would be laid out, painted and moved onto
        the booking panel while the agent waits for it."""
        # one frame for the offer and the footer's keys: nothing is painted until the footer
        # has its keys (a tenth of a second at most)
        held = contextlib.ExitStack()
        held.enter_context(self.app.batch_update())
        self.set_timer(FOOTER_WAIT, held.close)
        try:
            await self.close_qualification(focus_notes=False, later=True)
            # The offer keeps the focus (Tab too) and the call's keys wait for its answer
            # (check_action), as the footer shows. Neither the outcome keys nor the notes
            # look busy: dimming the keys and making the notes read-only restyled and
            # painted them again, a quarter of the offer's frame; the notes are only kept
            # out of a click's reach, since what is typed now would be lost.
            self.notes.area.can_focus = False
            if self._busy_timer is not None:  # saved: the keys wait for the answer only
                self._busy_timer.stop()
                self._busy_timer = None
            lead_id, company = recorded.lead_id, self.lead.card.company
            self._booking_read = None
            self.read_booking(lead_id, self.desk.clock())
            self.offered = lead_id
            self._offer_recorded = (recorded, notice)
            self.query_one(BookingOffer).ask(company, self.recorded_text(recorded, notice))
            self.refresh_bindings()
        finally:
            self.query_one(DeskFooter).rebuild_now(held.close)

    def drop_answered_form(self) -> None:
        """The form left in view under the offer: removed now the offer has been answered,
        the lead's card back in its place."""
        answered, self._answered_form = self._answered_form, None
        if answered is not None:
            answered.remove()
            self.query_one("#lead-card").display = True
            self.notes.remove_class("-qualifying")

    def on_booking_offer_answered(self, message: BookingOffer.Answered) -> None:
        self.notes.area.can_focus = True
        lead_id, self.offered = self.offered, None
        said, self._offer_recorded = self._offer_recorded, None
        self.refresh_bindings()
        if lead_id is None:
            self.query_one(BookingOffer).hide()
            self.drop_answered_form()
            return
        if not message.yes:
            self.drop_answered_form()
            if said is not None:
                self.say_recorded(*said)
            self.move_on()
            return

        def booked(meeting: MeetingInfo | None) -> None:
            self.query_one(BookingOffer).hide()
            self.drop_answered_form()
            if said is not None:
                self.say_recorded(*said)
            if meeting is not None and lead_id == self.lead_id:
                self.show_meeting(meeting)
            self.move_on()

        view = None
        if self._booking_read is not None:
            read_for, read, read_at = self._booking_read
            # an earlier lead's read may finish late: only this lead's, and only fresh
            if read_for == lead_id and time.monotonic() - read_at < BOOKING_READ_SECONDS:
                view = read
        open_panel(self.app, lead_id, booked, view=view)

    @work(thread=True, exclusive=True, group="booking-read", exit_on_error=False)
    def read_booking(self, lead_id: int, now: datetime) -> None:
        """While the offer is asked: the panel's specialists and best slot, so that Enter
        opens it on them at once (the panel reads them itself when this failed or is old)."""
        try:
            view = open_booking(lead_id, self.agent.id, self.desk.settings, now)
        except Exception:  # noqa: BLE001 - the panel reads again and reports what fails
            return
        self._booking_read = (lead_id, view, time.monotonic())
        self.post_message(self.BookingRead(lead_id, view))

    def on_call_screen_booking_read(self, message: BookingRead) -> None:
        if self.offered == message.lead_id and self.app.screen is self:
            fill_ahead(self.app, message.lead_id, message.view)

    def move_on(self) -> None:
        """After the meeting question: the next lead (auto-advance) or back to the queue."""
        if self.desk.settings.auto_advance or self.then_take is not None:
            self.take_next(self.desk.clock(), self.then_take)
        else:
            self.leave()

    @work(thread=True, exclusive=True, group="record", exit_on_error=False)
    def take_next(self, now: datetime, found: int | None = None) -> None:
        try:
            following = (
                take_next_lead(self.agent.id, self.desk.settings, now)
                if found is None
                else take_found_lead(self.agent.id, found, None, self.desk.settings, now)
            )
        except Exception as error:  # noqa: BLE001 - reported by carry_on, the outcome stands
            self.post_message(self.Advanced(None, error))
        else:
            self.post_message(self.Advanced(following, None))

    async def on_call_screen_advanced(self, message: Advanced) -> None:
        await self.carry_on(message.following, message.advance_error)

    @work(thread=True, exclusive=True, group="meeting", exit_on_error=False)
    def load_meeting(self, lead_id: int) -> None:
        self.post_message(self.MeetingShown(lead_id, meeting_for_lead(lead_id)))

    def on_call_screen_meeting_shown(self, message: MeetingShown) -> None:
        if message.lead_id == self.lead_id:
            self.show_meeting(message.meeting)

    def show_meeting(self, meeting: MeetingInfo | None) -> None:
        """The lead's booked meeting above its card: when, with whom, how."""
        self.meeting = meeting
        band = self.query_one("#lead-meeting", Static)
        band.display = meeting is not None
        if meeting is not None:
            band.update(
                Content.assemble(
                    (_("Meeting: "), "bold"),
                    meeting_label(meeting, self.agent_zone, lead_zone(self.lead.card.zones)),
                    (
                        "  "
                        + _("{key}: move or cancel").format(key=self.desk.keymap["book-meeting"]),
                        "$text-muted",
                    ),
                )
            )

    # --- the qualification form ------------------------------------------------------------
    # "Qualified" (F10) opens a QualificationPanel in the lead card's place; the panel posts
    # DraftChanged and Submitted, and this screen's workers save and record. Submitting
    # records the outcome the script's verdict gives (qualified, nurture with its recall, not
    # a fit with the knockout reasons), never one chosen by hand. A lead the agent had
    # started a form for (before a restart, a kill, a callback) opens with its answers.
    # "Not a fit" (F8) submits the open form when it already has a knockout.

    @property
    def qualification(self) -> QualificationPanel | None:
        # kept, not queried: check_action asks on every key, and a query walks the form's
        # hundreds of widgets
        return self._qualification

    def qualification_takes(self, disposition: Disposition) -> bool:
        """True when the form handles this outcome key instead of the usual dialog."""
        panel = self.qualification
        if disposition is Disposition.QUALIFIED:
            if panel is None:
                self.load_form(self.lead_id, self.agent.id, restore=False)
            else:
                panel.focus_first_open()
            return True
        if disposition is Disposition.NOT_FIT and panel is not None:
            if panel.verdict.fit is False:
                self.action_submit_qualification()
                return True
        return False

    async def reset_qualification(self, lead_id: int) -> None:
        """A lead is (re)opened: close the last one's form, open this one's if started."""
        await self.close_qualification(focus_notes=False)
        self.load_form(lead_id, self.agent.id, restore=True)

    def qualification_then(self, then: Callable[[], None]) -> None:
        """Save the form's last changes (if any), then call `then` (e.g. quit)."""
        panel = self.qualification
        if panel is None:
            then()
        else:
            panel.flush(then)

    @work(thread=True, exclusive=True, group="qualification-open", exit_on_error=False)
    def load_form(self, lead_id: int, agent_id: int, restore: bool) -> None:
        """The lead's form (`restore`: only when the agent has a draft for it)."""
        form = form_with_draft(lead_id, agent_id) if restore else open_form(lead_id, agent_id)
        if form is not None:
            self.post_message(self.FormReady(form, restored=restore))

    async def on_call_screen_form_ready(self, message: FormReady) -> None:
        if message.form.lead_id != self.lead_id or self.busy:
            return  # the lead changed meanwhile
        panel = self.qualification
        if panel is None:
            today = self.desk.clock().astimezone(ZoneInfo(self.agent.time_zone)).date()
            keys = {
                binding_id: self.desk.keymap.get(binding_id, "") for binding_id in FORM_BINDING_IDS
            }
            panel = QualificationPanel(
                message.form, self.lead.card, self.agent.time_zone, today, keys
            )
            card = self.query_one("#lead-card")
            await self.query_one("#call-main").mount(panel, after=card)
            self._qualification = panel
            card.display = False
            self.notes.add_class("-qualifying")  # narrower notes beside the form
            if message.restored:
                self.notify(
                    _("Your qualification answers for {company} are back.").format(
                        company=" ".join(self.lead.card.company.split())
                    ),
                    title=_("Draft restored"),
                )
        panel.focus_first_open()
        # while the agent qualifies: the booking panel composed, for the offer that may come
        self.call_after_refresh(make_ready, self.app)

    async def close_qualification(self, *, focus_notes: bool = True, later: bool = False) -> None:
        """`later`: the form stays in view, under the offer, and is removed once the offer
        is answered (drop_answered_form). The offer's frame then paints the offer alone:
        hiding the form laid out and painted the whole call screen again, and removing its
        sixty widgets took a frame of its own."""
        panel = self.qualification
        if panel is None:
            return
        if panel.unsaved():  # closed or moved on with changes not saved yet
            self.save_form(panel, None)
        self._qualification = None
        if later:
            self.drop_answered_form()  # an earlier one, should the offer have been skipped
            self._answered_form = panel
            return
        panel.display = False
        await panel.remove()
        self.query_one("#lead-card").display = True
        self.notes.remove_class("-qualifying")
        if focus_notes:
            self.notes.area.focus()

    def on_qualification_panel_draft_changed(
        self, message: QualificationPanel.DraftChanged
    ) -> None:
        self.save_form(message.panel, message.then)

    @work(thread=True, group="qualification-draft", exit_on_error=False)
    def save_form(self, panel: QualificationPanel, then: Callable[[], None] | None) -> None:
        self.store_form(panel, then)

    def store_form(self, panel: QualificationPanel, then: Callable[[], None] | None) -> None:
        """The form's newest answers as its draft (in a worker's thread)."""
        try:
            with self._form_lock:  # whichever save runs last writes the newest answers
                pending, panel.pending = panel.pending, None
                if pending is not None:
                    store_draft(self.agent.id, pending[1], self.desk.clock())
        except Exception as error:  # noqa: BLE001 - shown to the agent, the answers stay
            panel.post_message(QualificationPanel.SaveFailed(error))
            return
        if pending is not None:
            saved = QualificationPanel.Saved(panel.lead_id, pending[0], self.desk.clock())
            panel.post_message(saved)
        if then is not None:
            self.app.call_from_thread(then)

    def on_unmount(self) -> None:
        # left with the form open (lease lost, given back): its last answers are saved by a
        # worker of the app, which outlives this screen
        panel = self.qualification
        if panel is not None and panel.unsaved():
            self.app.run_worker(
                partial(self.store_form, panel, None),
                thread=True,
                group="qualification-draft",
                exit_on_error=False,
            )

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
            self.load_form(self.lead_id, self.agent.id, restore=False)
        else:
            panel.submit()  # it posts Submitted, or shows what to fix first

    def on_qualification_panel_submitted(self, message: QualificationPanel.Submitted) -> None:
        if self.busy or message.panel.lead_id != self.lead_id:
            return
        self.set_busy(True)
        self.submit_form(
            self.agent.id,
            self.lead_id,
            message.panel.script,
            message,
            self.notes.text,
            self.dialled_at,
            self.desk.clock(),
        )

    @work(thread=True, exclusive=True, group="record", exit_on_error=False)
    def submit_form(
        self,
        agent_id: int,
        lead_id: int,
        script: Script,
        form: QualificationPanel.Submitted,
        note: str,
        dialled_at: datetime | None,
        now: datetime,
    ) -> None:
        try:
            with self._form_lock:  # a draft save in flight finishes first
                submitted, recorded, following, error = submit_and_advance(
                    agent_id,
                    lead_id,
                    script,
                    form.answers,
                    form.people,
                    note,
                    dialled_at,
                    self.desk.settings,
                    now,
                    hold_qualified=True,
                    on_busy=lambda wait: self.post_message(self.Saving(lead_id, wait)),
                    retry=self.desk.workspace.save_retry,
                )
        except QualificationError as refusal:
            self.post_message(self.FormRefused(lead_id, str(refusal)))
        except Exception as failure:  # noqa: BLE001 - reported, the form stays open
            self.post_message(self.FormFailed(lead_id, failure))
        else:
            self.post_message(self.FormSubmitted(submitted, recorded, following, error))

    def reopen_form(self) -> QualificationPanel | None:
        self.set_busy(False)
        panel = self.qualification
        if panel is not None:
            panel.resume_drafts()
        return panel

    def on_call_screen_form_refused(self, message: FormRefused) -> None:
        if message.lead_id != self.lead_id:
            return
        panel = self.reopen_form()
        if panel is not None:
            panel.show_refusal(message.text)
            panel.focus_first_problem()
        self.notify(message.text, title=_("Not submitted"), severity="warning", timeout=10)

    def on_call_screen_form_failed(self, message: FormFailed) -> None:
        if message.lead_id == self.lead_id:
            self.reopen_form()
        self.desk.report_failure(message.error)

    async def on_call_screen_form_submitted(self, message: FormSubmitted) -> None:
        notice = submitted_notice(message.submitted)
        if message.submitted.status == "qualified":
            # the lead stays on screen while a meeting is offered; the next one comes after
            await self.offer_meeting(message.recorded, notice)
            return
        # the usual "outcome recorded" path: notice, undo hint, next lead
        self.post_message(
            self.Done(message.recorded, message.following, message.advance_error, notice=notice)
        )
