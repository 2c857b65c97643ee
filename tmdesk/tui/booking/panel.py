"""The booking panel: a meeting with a development specialist, booked during the call.

A screen composed of three parts, each its own widget posting messages up: the slot list
(slot_list.py: the matching specialists, the suggested one on top, and the shown one's next
free slots), the week grid (week_view.py: any week of any of them) and the meeting form
(meeting_form.py: kind, place or link, agenda, attendees). Every time is in the agent's zone
with the lead's local time beside it, and a mark when it is outside the lead's business
hours. It opens at the confirm step, the best slot chosen (the suggested specialist's
earliest inside the lead's hours); Enter on the button, or ctrl+s anywhere, books it. A video
meeting needs its link or the agent's explicit "link later" (its own key, which books).

Opened on a lead that has a booked meeting, the panel moves it (pick a new time) or cancels
it (with a reason). Database work runs in thread workers through tmdesk.tui.booking.work;
when another agent takes the slot first, the panel says so and reads the free time again,
keeping whatever was typed. Dismisses with the meeting booked or moved, or None.

Over 400 lines: what is left here is the screen's own work, the four units of work (open,
free time, book or move, cancel) in workers and the answers they post, and what ties the
parts together (which specialist, which slot, which week); each part is a widget of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static
from textual.worker import Worker, WorkerState

from tmdesk.domain.text import one_line
from tmdesk.i18n import _
from tmdesk.tui.booking.confirm_bar import ConfirmBar
from tmdesk.tui.booking.display import (
    WeekGrid,
    meeting_label,
)
from tmdesk.tui.booking.meeting_form import MeetingForm
from tmdesk.tui.booking.slot_list import SlotList
from tmdesk.tui.booking.week_view import WeekSetting, WeekView
from tmdesk.tui.booking.work import (
    Availability,
    BookingError,
    BookingView,
    Candidate,
    MeetingInfo,
    MeetingRequest,
    Slot,
    SlotTaken,
    availability,
    cancel,
    confirm,
    open_booking,
)
from tmdesk.tui.desk.call_display import short_time
from tmdesk.tui.desk.desk_footer import DeskFooter
from tmdesk.tui.desk.outcome_dialogs import ReasonDialog
from tmdesk.tui.footer_fit import FooterThatFits
from tmdesk.tui.keys import bindings_for
from tmdesk.tui.styled_once import StyledOnce, breakpoint_classes

if TYPE_CHECKING:
    from tmdesk.tui.app import DeskApp

KIND_IDS = {"on_site": "meeting-on-site", "video": "meeting-video", "phone": "meeting-phone"}


class BookingPanel(FooterThatFits, StyledOnce, Screen["MeetingInfo | None"]):
    """Book a meeting for one lead, or move or cancel the one it has."""

    # at 80 columns the footer packs its keys (DeskFooter) and leaves out, in this order, the
    # keys a booking can do without until Close, F1 and sign out fit; F1 lists them all
    FOOTER_SPARE = (
        "quit",
        "link_later",
        ("week(-1)", "week(1)"),
        ("specialist(-1)", "specialist(1)"),
    )

    # function keys and ctrl+s, priority ones: they work while the agenda is typed; keys of
    # one kind share one footer label ("f5 f6 Specialist"), so it fits 80 columns
    BINDINGS = [*bindings_for("booking")]
    AUTO_FOCUS = None  # the focus goes where the panel's answer puts it, once (offer_best)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    @dataclass
    class Loaded(Message):
        lead_id: int
        view: BookingView

    @dataclass
    class FreeTime(Message):
        lead_id: int
        free: Availability

    @dataclass
    class Booked(Message):
        meeting: MeetingInfo
        moved: bool

    @dataclass
    class Taken(Message):
        """Someone booked the slot between showing and confirming."""

        specialist_id: int
        text: str

    @dataclass
    class Refused(Message):
        text: str

    @dataclass
    class Cancelled(Message):
        meeting: MeetingInfo

    def __init__(
        self,
        lead_id: int | None = None,
        *,
        meeting_id: int | None = None,
        view: BookingView | None = None,
    ) -> None:
        """`view`: what open_booking read for this lead a moment ago, if the caller has it.
        Without a lead the panel is made ready, to be opened later (`reopen`)."""
        super().__init__()
        self._for(lead_id, meeting_id, view)

    def _for(self, lead_id: int | None, meeting_id: int | None, view: BookingView | None) -> None:
        # what the kept panel was filled for while off screen (tmdesk.tui.booking.ready);
        # None once it has been shown, and its lists and form moved
        self.filled_for: tuple[int | None, int | None, BookingView | None] | None = None
        self.lead_id = lead_id
        self._read = view
        self.meeting_id = meeting_id  # the meeting the caller knew of (to move or cancel)
        self.view: BookingView | None = None
        self.meeting: MeetingInfo | None = None  # the booked one, as read now
        self.specialist_id: int | None = None
        self.chosen: Slot | None = None
        self.link_later = False  # a video meeting booked without its link, on purpose
        self.working = False  # a booking, a move or a cancel is under way
        self._free: dict[int, Availability] = {}

    @property
    def desk(self) -> DeskApp:
        return cast("DeskApp", self.app)

    def key_of(self, binding_id: str) -> str:
        key = self.desk.keymap.get(binding_id, "")
        return self.app.get_key_display(Binding(key, "")) if key else ""

    # The panel's parts, found once: it is kept and shown again for every booking, and a
    # query walks its sixty widgets (a reopen asked for them about thirty times).
    @cached_property
    def slot_list(self) -> SlotList:
        return self.query_one(SlotList)

    @cached_property
    def form(self) -> MeetingForm:
        return self.query_one(MeetingForm)

    @cached_property
    def week_view(self) -> WeekView:
        return self.query_one(WeekView)

    @cached_property
    def confirm_bar(self) -> ConfirmBar:
        return self.query_one(ConfirmBar)

    @property
    def kind(self) -> str:
        if not self.is_mounted:  # asked by check_action before the form is there
            return "video"
        return self.form.kind

    @property
    def grid(self) -> WeekGrid | None:
        return self.week_view.grid

    @property
    def _shown(self) -> list[Slot]:  # the short list, in order
        return self.slot_list.shown

    # --- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="booking"):
            yield Static(Content(_("Reading the specialists' free time…")), id="booking-head")
            yield Static("", id="booking-current")
            with Horizontal(id="booking-columns"):
                with VerticalScroll(id="booking-left"):
                    yield SlotList(
                        (self.key_of("previous-specialist"), self.key_of("next-specialist"))
                    )
                    yield MeetingForm(
                        {kind: self.key_of(key) for kind, key in KIND_IDS.items()},
                        self.key_of("link-later"),
                    )
                yield WeekView(id="booking-right")
            yield ConfirmBar(id="booking-confirm")
            yield Static("", id="booking-problem")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.query_one("#booking-current", Static).display = False
        self.query_one("#booking-problem", Static).display = False
        if self.lead_id is not None:
            self._start(self.lead_id)

    def _start(self, lead_id: int) -> None:
        self.show_chosen()
        if self._read is not None:
            # read with the offer: shown now, before the panel's first frame, rather than
            # by a message after it (its widgets then asked for a second layout and frame)
            self.on_booking_panel_loaded(self.Loaded(lead_id, self._read))
        else:
            self.load(lead_id, self.desk.signed_in.id, self.desk.clock())

    def reopen(
        self, lead_id: int, *, meeting_id: int | None = None, view: BookingView | None = None
    ) -> None:
        """The panel kept ready (tmdesk.tui.booking.ready), for this lead: what it showed
        last is cleared before it is shown again."""
        self._for(lead_id, meeting_id, view)  # the focus stays until the answer moves it
        self.filled_for = (lead_id, meeting_id, view)
        self.query_one("#booking-head", Static).update(
            Content(_("Reading the specialists' free time…"))
        )
        self.query_one("#booking-current", Static).display = False
        self.say_problem("")
        self.slot_list.reset()
        self.form.reset()
        self.week_view.reset()
        self.query_one("#booking-left", VerticalScroll).scroll_home(animate=False)
        self.query_one("#booking-columns", Horizontal).scroll_home(animate=False)
        self.update_classes(breakpoint_classes(self, self.app), animate=False)
        self.restyle_on_resume = False  # styled as it mounted; its focus restyles itself
        self._start(lead_id)

    # --- loading ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="booking-open", exit_on_error=False)
    def load(self, lead_id: int, agent_id: int, now: datetime) -> None:
        view = open_booking(lead_id, agent_id, self.desk.settings, now)
        self.post_message(self.Loaded(lead_id, view))

    @work(thread=True, group="booking-free", exit_on_error=False)
    def load_free_time(self, lead_id: int, specialist_id: int, now: datetime) -> None:
        moving = self.meeting.id if self.meeting is not None else None
        free = availability(specialist_id, lead_id, self.desk.settings, now, moving)
        self.post_message(self.FreeTime(lead_id, free))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.working = False
            self.desk.report_failure(event.worker.error)
            if event.worker.group == "booking-open" and self.is_current:
                self.dismiss(None)  # nothing to show: back where the agent was

    @property
    def agent_zone(self) -> str:
        return self.view.options.agent_zone if self.view else self.desk.signed_in.time_zone

    @property
    def lead_zone(self) -> str | None:
        return self.view.options.lead_zone if self.view else None

    def candidate(self, specialist_id: int | None) -> Candidate | None:
        for candidate in self.view.options.candidates if self.view else ():
            if candidate.specialist.id == specialist_id:
                return candidate
        return None

    def on_booking_panel_loaded(self, message: Loaded) -> None:
        if message.lead_id != self.lead_id:
            return  # read for the lead this panel showed before
        view = self.view = message.view
        self.meeting = view.meeting
        now = self.desk.clock()
        head = _("Meeting for {company}").format(
            company=one_line(view.company) or _("(no company name)")
        )
        if view.contact.strip():
            head += f" · {one_line(view.contact)}"
        if self.lead_zone:
            head += " · " + _("their time now {time}").format(time=short_time(now, self.lead_zone))
        self.query_one("#booking-head", Static).update(Content(head))
        if self.meeting_id is not None and self.meeting is None:
            self.notify(
                _("That meeting is no longer booked: book a new one."),
                title=_("Meeting changed"),
                severity="warning",
            )
        self.show_current()
        if not view.qualified and self.meeting is None:
            self.say_problem(self.not_yet_text(), warning=True)
        meeting = self.meeting
        if meeting is not None:  # moving keeps what was agreed
            self.form.fill(meeting.agenda, meeting.attendees, meeting)
        else:
            self.form.fill(view.options.agenda, view.options.attendees, None)
        if view.first is not None:
            self._free[view.first.specialist_id] = view.first
        first = view.first.specialist_id if view.first else None
        candidates = view.options.candidates
        if not candidates:
            self.slot_list.show_candidates(candidates, self.agent_zone, first)
            self.slot_list.focus_slots()
            return
        self.show_specialist(first)
        self.slot_list.show_candidates(candidates, self.agent_zone, first)
        if view.best is not None and view.qualified:
            self.offer_best(view.best)
        else:
            self.slot_list.focus_slots()

    def offer_best(self, best: Slot) -> None:
        """Open ready to book: the best slot chosen, the focus where the one thing still
        missing is typed (a video call's link), else on the Book button. The focus moves
        once: each move changes the keys the footer shows, and it rebuilds them."""
        self.slot_list.highlight(best)
        self.choose(best, focus=False)
        if self.kind == "video":
            self.form.focus_place()
        else:
            self.confirm_bar.focus_button()

    def show_current(self) -> None:
        current = self.query_one("#booking-current", Static)
        meeting = self.meeting
        current.display = meeting is not None
        if meeting is not None:
            current.update(
                Content.assemble(
                    (_("Booked: "), "bold"),
                    meeting_label(meeting, self.agent_zone, self.lead_zone),
                    (
                        "  "
                        + _("pick a new time to move it · {key}: cancel it").format(
                            key=self.key_of("cancel-meeting")
                        ),
                        "$text-muted",
                    ),
                )
            )
        self.confirm_bar.show_button(moving=meeting is not None, key=self.key_of("confirm-meeting"))
        self.refresh_bindings()

    # --- the specialist, the short list and the grid ---------------------------------------

    def show_specialist(self, specialist_id: int | None) -> None:
        if specialist_id is None or self.view is None:
            return
        changed = specialist_id != self.specialist_id
        free = self._free.get(specialist_id)
        if not changed and free is not None and free is self.week_view.free:
            return  # shown already (highlighting the first specialist says it again)
        self.specialist_id = specialist_id
        candidate = self.candidate(specialist_id)
        name = one_line(candidate.specialist.name) if candidate else ""
        if free is None:
            self.slot_list.say(_("Reading the free time of {name}…").format(name=name), clear=True)
            self.load_free_time(self.lead_id, specialist_id, self.desk.clock())
            return
        minutes = candidate.specialist.meeting_minutes if candidate else 0
        title = _("Next free time · {name} · {minutes} min").format(name=name, minutes=minutes)
        best = self.view.best if self.view else None
        self.slot_list.show_slots(free, title, best, self.agent_zone, self.lead_zone)
        settings = self.desk.settings.meetings
        setting = WeekSetting(
            self.agent_zone,
            self.lead_zone,
            timedelta(minutes=settings.step_minutes),
            timedelta(days=settings.horizon_days),
            self.meeting.id if self.meeting else None,
            (self.key_of("previous-week"), self.key_of("next-week")),
        )
        self.week_view.show_free(free, name, setting, from_start=changed)

    def on_booking_panel_free_time(self, message: FreeTime) -> None:
        if message.lead_id != self.lead_id:
            return
        self._free[message.free.specialist_id] = message.free
        if message.free.specialist_id == self.specialist_id:
            self.specialist_id = None  # shown afresh, from its first free week
            self.show_specialist(message.free.specialist_id)

    # --- picking a time --------------------------------------------------------------------

    def on_slot_list_specialist_shown(self, message: SlotList.SpecialistShown) -> None:
        self.show_specialist(message.specialist_id)

    def on_slot_list_picked(self, message: SlotList.Picked) -> None:
        self.choose(message.slot)

    @on(DataTable.CellSelected, "#week-grid")
    def cell_selected(self, event: DataTable.CellSelected) -> None:
        if self.grid is None:
            return
        value = self.grid.at(event.coordinate.row, event.coordinate.column)
        if isinstance(value, str) or value is None:
            self.notify(
                _("That time is not free: pick a cell with a time or ✓."),
                severity="warning",
                timeout=4,
            )
            return
        self.choose(value)

    def choose(self, slot: Slot, *, focus: bool = True) -> None:
        self.chosen = slot
        if self.view is None or self.view.qualified or self.meeting is not None:
            self.say_problem("")
        self.show_chosen()
        if focus:
            self.confirm_bar.focus_button()

    def show_chosen(self) -> None:
        slot = self.chosen
        candidate = self.candidate(slot.specialist_id) if slot else None
        name = one_line(candidate.specialist.name) if candidate else ""
        self.confirm_bar.show(slot, name, self.kind, self.agent_zone, self.lead_zone)

    # --- the meeting's details --------------------------------------------------------------

    def action_kind(self, kind: str) -> None:
        if self.meeting is not None:
            self.notify(
                _(
                    "Moving a meeting keeps its kind, place and agenda: cancel it and "
                    "book a new one to change them."
                ),
                severity="warning",
                timeout=6,
            )
            return
        self.form.show_kind(kind)
        self.show_chosen()
        self.refresh_bindings()

    def action_specialist(self, step: int) -> None:
        self.slot_list.step_specialist(step)

    def action_week(self, weeks: int) -> None:
        self.week_view.turn(weeks)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_meeting":
            return self.meeting is not None
        if action == "specialist":
            return self.view is None or len(self.view.options.candidates) > 1
        if action == "link_later":
            return self.meeting is None and self.kind == "video"
        return True

    # --- confirming ------------------------------------------------------------------------

    def on_confirm_bar_book_pressed(self, message: ConfirmBar.BookPressed) -> None:
        self.action_confirm()

    def on_meeting_form_place_entered(self, message: MeetingForm.PlaceEntered) -> None:
        self.action_confirm()  # Enter after the typed link books, as ctrl+s does

    def action_link_later(self) -> None:
        """Book the video meeting without its link: the agent says it comes later."""
        if self.meeting is None and self.kind == "video":
            self.link_later = True
            self.action_confirm()

    def missing_link(self) -> bool:
        """A new video meeting with neither its link nor the agent's "link later"."""
        return (
            self.meeting is None
            and self.kind == "video"
            and not self.form.place
            and not self.link_later
        )

    def action_confirm(self) -> None:
        if self.working or self.view is None or self.lead_id is None:
            return
        if not self.view.qualified and self.meeting is None:
            self.say_problem(self.not_yet_text(), warning=True)
            return
        slot = self.chosen
        if slot is None:
            self.say_problem(_("Pick a time first: ↑↓ and Enter in the list or the grid."))
            self.slot_list.focus_slots()
            return
        if self.missing_link():
            self.say_problem(
                _(
                    "A video meeting needs its link: type it in the place field, "
                    "or press {key} to book it with the link later."
                ).format(key=self.key_of("link-later")),
                warning=True,
            )
            self.form.focus_place()
            return
        request = MeetingRequest(
            self.lead_id,
            slot.specialist_id,
            slot.starts_at,
            self.kind,
            self.form.place,
            self.form.agenda,
            self.form.attendees,
            moving=self.meeting.id if self.meeting else None,
            link_later=self.link_later,
        )
        self.working = True
        self.say_problem("")
        self.run_confirm(request, self.desk.signed_in.id, self.desk.clock())

    @work(thread=True, exclusive=True, group="booking-confirm", exit_on_error=False)
    def run_confirm(self, request: MeetingRequest, agent_id: int, now: datetime) -> None:
        try:
            meeting = confirm(request, agent_id, self.desk.settings, now)
        except SlotTaken as taken:
            self.post_message(self.Taken(request.specialist_id, str(taken)))
        except BookingError as refusal:
            self.post_message(self.Refused(str(refusal)))
        else:
            self.post_message(self.Booked(meeting, moved=request.moving is not None))

    def on_booking_panel_booked(self, message: Booked) -> None:
        meeting = message.meeting
        self.app.notify(
            meeting_label(meeting, self.agent_zone, self.lead_zone),
            title=_("Meeting moved") if message.moved else _("Meeting booked"),
            timeout=10,
            markup=False,
        )
        self.dismiss(meeting)

    def on_booking_panel_taken(self, message: Taken) -> None:
        """Someone was quicker: say so, read the free time again; the typing stays."""
        self.working = False
        self.link_later = False
        self.chosen = None
        self.show_chosen()
        self.say_problem(message.text)
        self.notify(
            message.text, title=_("Just taken"), severity="warning", timeout=8, markup=False
        )
        self._free.pop(message.specialist_id, None)
        if message.specialist_id == self.specialist_id:
            self.show_specialist(message.specialist_id)
        self.slot_list.focus_slots()

    def on_booking_panel_refused(self, message: Refused) -> None:
        self.working = False
        self.link_later = False
        self.say_problem(message.text)
        self.notify(message.text, title=_("Not booked"), severity="error", timeout=10, markup=False)

    def say_problem(self, text: str, *, warning: bool = False) -> None:
        problem = self.query_one("#booking-problem", Static)
        problem.update(Content(text))
        problem.display = bool(text)
        problem.set_class(warning, "-warning")

    def not_yet_text(self) -> str:
        return _(
            "Only a qualified lead gets a meeting: close this ({close}) and submit the "
            "qualification ({submit}) first; the desk then offers this panel again. "
            "Until then the free times are here to agree one with the client."
        ).format(close=self.key_of("close-booking"), submit=self.key_of("submit-qualification"))

    # --- cancelling, closing ---------------------------------------------------------------

    def action_cancel_meeting(self) -> None:
        meeting = self.meeting
        if meeting is None or self.working:
            return

        def answered(reason: str | None) -> None:
            if reason and not self.working:
                self.working = True
                self.run_cancel(meeting.id, self.desk.signed_in.id, reason)

        self.app.push_screen(
            ReasonDialog(
                _("Cancel the meeting: why?"),
                cancel_reasons(),
                note=meeting_label(meeting, self.agent_zone, self.lead_zone),
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="booking-confirm", exit_on_error=False)
    def run_cancel(self, meeting_id: int, agent_id: int, reason: str) -> None:
        try:
            cancelled = cancel(meeting_id, agent_id, reason)
        except BookingError as refusal:
            self.post_message(self.Refused(str(refusal)))
        else:
            self.post_message(self.Cancelled(cancelled))

    def on_booking_panel_cancelled(self, message: Cancelled) -> None:
        self.app.notify(
            _("{meeting} — reason: {reason}").format(
                meeting=meeting_label(message.meeting, self.agent_zone, self.lead_zone),
                reason=one_line(message.meeting.cancel_reason or ""),
            ),
            title=_("Meeting cancelled"),
            timeout=10,
            markup=False,
        )
        self.dismiss(None)

    def action_close(self) -> None:
        if not self.working:
            self.dismiss(None)


def cancel_reasons() -> list[str]:
    return [
        _("The client asked to cancel"),
        _("The client wants another date later"),
        _("The specialist cannot make it"),
        _("Booked by mistake"),
    ]
