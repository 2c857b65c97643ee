"""The booking panel: a meeting with a development specialist, booked during the call.

The matching specialists come first (the suggested one on top, with why they match and how
busy their week is); the picked specialist's next free slots are a short list (arrows or a
digit, Enter), and the week grid shows any week of any of them. Every time is in the agent's
zone with the lead's local time beside it, and a mark when it is outside the lead's business
hours. Picking a time moves to the confirm step: Enter (or ctrl+s anywhere) books it.

Opened on a lead that has a booked meeting, the panel moves it (pick a new time) or cancels
it (with a reason). Database work runs in thread workers (tmdesk.services.booking_desk); when
another agent takes the slot first, the panel says so and reads the free time again, keeping
whatever was typed. Dismisses with the meeting booked or moved, or None.

Over 400 lines: the slot list and the meeting form are still parts of this screen (the week
grid is a widget of its own, week_grid.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, cast
from zoneinfo import ZoneInfo

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    OptionList,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from tmdesk.i18n import _
from tmdesk.tui.booking.display import (
    KINDS,
    WeekGrid,
    attendee_label,
    grid_legend,
    kind_label,
    load_label,
    matched_label,
    meeting_label,
    one_line,
    outside_hours_note,
    place_hint,
    short_list,
    slot_label,
    span_label,
    week_grid,
    week_of,
    week_title,
)
from tmdesk.tui.booking.week_grid import WeekTable
from tmdesk.tui.booking.work import (
    Availability,
    BookingError,
    BookingView,
    Candidate,
    MeetingInfo,
    MeetingRequest,
    Slot,
    SlotTaken,
    attendees_of,
    availability,
    cancel,
    confirm,
    open_booking,
)
from tmdesk.tui.desk.call_display import short_time
from tmdesk.tui.desk.outcome_dialogs import ReasonDialog
from tmdesk.tui.keys import bindings_for

if TYPE_CHECKING:
    from tmdesk.tui.app import DeskApp

NEXT_SLOTS = 8  # the short list: enough for "this afternoon or tomorrow", one digit each

KIND_IDS = {"on_site": "meeting-on-site", "video": "meeting-video", "phone": "meeting-phone"}


class BookingOffer(ModalScreen[bool]):
    """Asked after a qualified verdict: book the meeting now? Enter yes, Escape not now."""

    BINDINGS = [
        Binding("enter", "answer(True)", _("Book now"), tooltip=_("Open the booking panel.")),
        Binding(
            "escape",
            "answer(False)",
            _("Not now"),
            tooltip=_("Go on without a meeting; it can be booked later from the lead."),
        ),
    ]

    def __init__(self, company: str) -> None:
        super().__init__()
        self._company = company

    def compose(self) -> ComposeResult:
        with Vertical(id="offer-dialog", classes="dialog"):
            yield Static(
                Content(
                    _("Qualified: book a meeting for {company} now?").format(
                        company=one_line(self._company)
                    )
                ),
                classes="dialog-title",
            )
            yield Static(
                Content(
                    _(
                        "While the client is on the line: pick a specialist's "
                        "free time, say how and where, and book."
                    )
                ),
                classes="dialog-label",
            )
            yield Static(
                Content(_("Enter: open the booking panel · Esc: not now")), classes="dialog-hint"
            )

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class BookingPanel(Screen["MeetingInfo | None"]):
    """Book a meeting for one lead, or move or cancel the one it has."""

    # function keys and ctrl+s, priority ones: they work while the agenda is typed; keys of
    # one kind share one footer label ("f5 f6 Specialist"), so it fits 80 columns
    BINDINGS = bindings_for("booking")
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    @dataclass
    class Loaded(Message):
        view: BookingView

    @dataclass
    class FreeTime(Message):
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

    def __init__(self, lead_id: int, *, meeting_id: int | None = None) -> None:
        super().__init__()
        self.lead_id = lead_id
        self.meeting_id = meeting_id  # the meeting the caller knew of (to move or cancel)
        self.view: BookingView | None = None
        self.meeting: MeetingInfo | None = None  # the booked one, as read now
        self.kind = "video"
        self.specialist_id: int | None = None
        self.week: date | None = None
        self.grid: WeekGrid | None = None
        self.chosen: Slot | None = None
        self.link_later = False  # a video meeting booked without its link, on purpose
        self.working = False  # a booking, a move or a cancel is under way
        self._free: dict[int, Availability] = {}
        self._shown: list[Slot] = []  # the short list, in order
        self._attendees: tuple = ()  # offered, in the order of the list

    @property
    def desk(self) -> DeskApp:
        return cast("DeskApp", self.app)

    def key_of(self, binding_id: str) -> str:
        key = self.desk.keymap.get(binding_id, "")
        return self.app.get_key_display(Binding(key, "")) if key else ""

    # --- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="booking"):
            yield Static(Content(_("Reading the specialists' free time…")), id="booking-head")
            yield Static("", id="booking-current")
            with Horizontal(id="booking-columns"):
                with VerticalScroll(id="booking-left"):
                    yield Static(
                        Content(
                            _("Specialists · {back} ◀ ▶ {on}").format(
                                back=self.key_of("previous-specialist"),
                                on=self.key_of("next-specialist"),
                            )
                        ),
                        classes="booking-title",
                    )
                    yield OptionList(id="specialists", compact=True)
                    yield Static("", id="slots-title", classes="booking-title")
                    yield OptionList(id="slots", compact=True)
                    yield Static("", id="slots-legend")
                    yield Static(Content(_("Meeting")), classes="booking-title")
                    yield Static("", id="kind-line")
                    yield Static(Content(_("Place or link")), classes="booking-label")
                    yield Input(id="meeting-place", compact=True, select_on_focus=False)
                    yield Static(Content(_("Agenda")), classes="booking-label")
                    yield TextArea(
                        id="meeting-agenda",
                        soft_wrap=True,
                        compact=True,
                        show_line_numbers=False,
                        tab_behavior="focus",
                    )
                    yield Static(Content(_("Attendees · space: in / out")), classes="booking-label")
                    yield SelectionList[int](id="meeting-attendees", compact=True)
                with Vertical(id="booking-right"):
                    yield Static("", id="week-title", classes="booking-title")
                    yield Static("", id="week-legend")
                    yield WeekTable(id="week-grid")
            with Horizontal(id="booking-confirm"):
                yield Static("", id="chosen-slot")
                yield Button("", id="book-button", variant="primary", compact=True)
            yield Static("", id="booking-problem")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#booking-current", Static).display = False
        self.query_one("#booking-problem", Static).display = False
        self.query_one("#slots-legend", Static).display = False
        self.show_kind()
        self.show_chosen()
        self.load(self.lead_id, self.desk.agent.id, self.desk.clock())

    # --- loading ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="booking-open", exit_on_error=False)
    def load(self, lead_id: int, agent_id: int, now: datetime) -> None:
        self.post_message(self.Loaded(open_booking(lead_id, agent_id, self.desk.settings, now)))

    @work(thread=True, group="booking-free", exit_on_error=False)
    def load_free_time(self, specialist_id: int, now: datetime) -> None:
        moving = self.meeting.id if self.meeting is not None else None
        self.post_message(
            self.FreeTime(
                availability(specialist_id, self.lead_id, self.desk.settings, now, moving)
            )
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.working = False
            self.desk.report_failure(event.worker.error)
            if event.worker.group == "booking-open" and self.is_current:
                self.dismiss(None)  # nothing to show: back where the agent was

    @property
    def agent_zone(self) -> str:
        return self.view.options.agent_zone if self.view else self.desk.agent.time_zone

    @property
    def lead_zone(self) -> str | None:
        return self.view.options.lead_zone if self.view else None

    def candidate(self, specialist_id: int | None) -> Candidate | None:
        for candidate in self.view.options.candidates if self.view else ():
            if candidate.specialist.id == specialist_id:
                return candidate
        return None

    def on_booking_panel_loaded(self, message: Loaded) -> None:
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
        self.fill_details()
        if view.first is not None:
            self._free[view.first.specialist_id] = view.first
        specialists = self.query_one("#specialists", OptionList)
        specialists.clear_options()
        specialists.add_options(
            self.specialist_option(candidate) for candidate in view.options.candidates
        )
        if not view.options.candidates:
            self.query_one("#slots-title", Static).update(
                Content(_("No active specialist: ask your supervisor to add one."))
            )
            return
        first = view.first.specialist_id if view.first else None
        self.show_specialist(first)
        specialists.highlighted = next(
            (n for n, c in enumerate(view.options.candidates) if c.specialist.id == first), 0
        )
        self.query_one("#slots", OptionList).focus()
        if view.best is not None and view.qualified:
            self.offer_best(view.best)

    def offer_best(self, best: Slot) -> None:
        """Open ready to book: the best slot chosen, the focus where the one thing still
        missing is typed (a video call's link), else on the Book button."""
        slots = self.query_one("#slots", OptionList)
        if best in self._shown:
            slots.highlighted = self._shown.index(best)
        self.choose(best)
        if self.kind == "video":
            place = self.query_one("#meeting-place", Input)
            place.focus(scroll_visible=False)
            # once the lists just filled are laid out: the kind and the link at the top
            kind = self.query_one("#kind-line", Static)
            self.call_after_refresh(self.scroll_to_widget, kind, animate=False, top=True)

    def specialist_option(self, candidate: Candidate) -> Option:
        """'★ Орлов Дмитрий · suggested', why they match, how busy their week is."""
        parts: list[str | tuple[str, str]] = [
            ("★ ", "bold $text-warning") if candidate.suggested else "  ",
            (one_line(candidate.specialist.name), "bold"),
        ]
        if candidate.suggested:
            parts += [" · ", (_("suggested"), "$text-warning")]
        parts += [
            "\n  ",
            (matched_label(candidate), "$text-muted"),
            "\n  ",
            (load_label(candidate, self.agent_zone), "$text-muted"),
        ]
        if not candidate.has_free_slot:
            parts += [" · ", (_("no free time"), "$text-warning")]
        return Option(Content.assemble(*parts), id=str(candidate.specialist.id))

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
        self.query_one("#book-button", Button).label = Content(
            (_("Move here · {key}") if meeting else _("Book · {key}")).format(
                key=self.key_of("confirm-meeting")
            )
        )
        self.refresh_bindings()

    def fill_details(self) -> None:
        """The agenda and attendees the qualification gives (or the booked meeting's)."""
        view, meeting = self.view, self.meeting
        assert view is not None
        agenda = self.query_one("#meeting-agenda", TextArea)
        place = self.query_one("#meeting-place", Input)
        people = self.query_one("#meeting-attendees", SelectionList)
        offered = meeting.attendees if meeting else view.options.attendees
        self._attendees = offered
        people.clear_options()
        people.add_options(
            [(Content(attendee_label(person)), n, True) for n, person in enumerate(offered)]
        )
        if offered:
            people.highlighted = 0  # space toggles the first one straight away
        if meeting is not None:
            self.kind = meeting.kind
            agenda.text = meeting.agenda
            place.value = meeting.place
            # Moving keeps what was agreed: only the time (and the specialist) change.
            for widget in (agenda, place, people):
                widget.disabled = True
        else:
            agenda.text = view.options.agenda
        if not offered:
            people.display = False
        self.show_kind()

    # --- the specialist, the short list and the grid ---------------------------------------

    def show_specialist(self, specialist_id: int | None) -> None:
        if specialist_id is None or self.view is None:
            return
        changed = specialist_id != self.specialist_id
        self.specialist_id = specialist_id
        candidate = self.candidate(specialist_id)
        name = one_line(candidate.specialist.name) if candidate else ""
        free = self._free.get(specialist_id)
        if free is None:
            self.query_one("#slots-title", Static).update(
                Content(_("Reading the free time of {name}…").format(name=name))
            )
            self.query_one("#slots", OptionList).clear_options()
            self.load_free_time(specialist_id, self.desk.clock())
            return
        if changed or self.week is None:
            self.week = week_of(
                free.slots[0].starts_at if free.slots else free.read_at, self.agent_zone
            )
        self.show_slots(free, name)
        self.show_week()

    def on_booking_panel_free_time(self, message: FreeTime) -> None:
        self._free[message.free.specialist_id] = message.free
        if message.free.specialist_id == self.specialist_id:
            self.specialist_id = None  # shown afresh, from its first free week
            self.show_specialist(message.free.specialist_id)

    def show_slots(self, free: Availability, name: str) -> None:
        candidate = self.candidate(free.specialist_id)
        minutes = candidate.specialist.meeting_minutes if candidate else 0
        self.query_one("#slots-title", Static).update(
            Content(_("Next free time · {name} · {minutes} min").format(name=name, minutes=minutes))
        )
        slots = self.query_one("#slots", OptionList)
        keep = slots.highlighted or 0
        slots.clear_options()
        best = self.view.best if self.view else None
        self._shown = short_list(free.slots, best, NEXT_SLOTS)
        if not self._shown:
            slots.add_option(
                Option(
                    Content(_("No free time in the coming days: try another specialist.")),
                    disabled=True,
                )
            )
            return
        for n, slot in enumerate(self._shown, start=1):
            prompt = Content.assemble(
                (f"{n} ", "bold $text-accent"), slot_label(slot, self.agent_zone, self.lead_zone)
            )
            if not slot.in_lead_hours:
                prompt = Content.assemble(prompt, ("  ⚠", "$text-warning"))
            slots.add_option(Option(prompt))
        slots.highlighted = min(keep, len(self._shown) - 1)
        legend = self.query_one("#slots-legend", Static)
        legend.display = not all(slot.in_lead_hours for slot in self._shown)
        legend.update(Content("⚠ " + outside_hours_note()))

    def show_week(self, *, turned: int = 0) -> None:
        free = self._free.get(self.specialist_id) if self.specialist_id else None
        if free is None or self.week is None:
            return
        candidate = self.candidate(free.specialist_id)
        step = timedelta(minutes=self.desk.settings.meetings.step_minutes)
        grid = self.grid = week_grid(
            self.week,
            free.slots,
            free.meetings,
            self.agent_zone,
            step=step,
            this_meeting=self.meeting.id if self.meeting else None,
        )
        name = one_line(candidate.specialist.name) if candidate else ""
        self.query_one("#week-title", Static).update(
            Content(
                _("{week} · {name} · {back} ◀ ▶ {on}").format(
                    week=week_title(grid.monday),
                    name=name,
                    back=self.key_of("previous-week"),
                    on=self.key_of("next-week"),
                )
            )
        )
        moment = datetime.combine(grid.monday, datetime.min.time(), ZoneInfo(self.agent_zone))
        legend = grid_legend(
            self.agent_zone, self.lead_zone, moment, moving=self.meeting is not None
        )
        if not grid.times:
            legend = _("No free time this week.") + " " + legend
        self.query_one("#week-legend", Static).update(Content(legend))
        self.query_one("#week-grid", WeekTable).show(
            grid, self.agent_zone, self.lead_zone, turned=turned
        )

    def first_week(self) -> date | None:
        free = self._free.get(self.specialist_id) if self.specialist_id else None
        if free is None:
            return None
        return week_of(free.read_at, self.agent_zone)

    def last_week(self) -> date | None:
        free = self._free.get(self.specialist_id) if self.specialist_id else None
        if free is None:
            return None
        horizon = timedelta(days=self.desk.settings.meetings.horizon_days)
        last = max([free.read_at + horizon] + [slot.starts_at for slot in free.slots[-1:]])
        return week_of(last, self.agent_zone)

    def turn_week(self, weeks: int, *, turned_in_grid: bool = False) -> bool:
        first, last = self.first_week(), self.last_week()
        if self.week is None or first is None or last is None:
            return False
        week = self.week + timedelta(weeks=weeks)
        if not first <= week <= last:
            self.notify(
                _("No free time is offered beyond this week.")
                if weeks > 0
                else _("This is the current week."),
                severity="warning",
                timeout=3,
            )
            return False
        self.week = week
        self.show_week(turned=weeks if turned_in_grid else 0)
        return True

    def on_week_table_turn(self, message: WeekTable.Turn) -> None:
        self.turn_week(message.weeks, turned_in_grid=True)

    # --- picking a time --------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#specialists")
    def specialist_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self.show_specialist(int(event.option.id))

    @on(OptionList.OptionSelected, "#specialists")
    def specialist_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#slots", OptionList).focus()

    @on(OptionList.OptionSelected, "#slots")
    def slot_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_index < len(self._shown):
            self.choose(self._shown[event.option_index])

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

    def on_key(self, event: events.Key) -> None:
        # A digit on the short list takes that slot at once.
        slots = self.query_one("#slots", OptionList)
        if slots.has_focus and event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self._shown):
                event.stop()
                event.prevent_default()
                slots.highlighted = index
                self.choose(self._shown[index])

    def choose(self, slot: Slot) -> None:
        self.chosen = slot
        if self.view is None or self.view.qualified or self.meeting is not None:
            self.say_problem("")
        self.show_chosen()
        self.query_one("#book-button", Button).focus()

    def show_chosen(self) -> None:
        chosen = self.query_one("#chosen-slot", Static)
        slot = self.chosen
        if slot is None:
            chosen.update(
                Content(
                    _(
                        "Pick a time: ↑↓ and Enter (or its digit) in the list, "
                        "or Enter on a free cell of the grid."
                    )
                )
            )
            chosen.set_class(False, "-chosen")
            return
        candidate = self.candidate(slot.specialist_id)
        parts = [
            span_label(slot.starts_at, slot.ends_at, self.agent_zone, self.lead_zone),
            one_line(candidate.specialist.name) if candidate else "",
            kind_label(self.kind),
        ]
        text = Content.assemble((_("Chosen: "), "bold"), " · ".join(p for p in parts if p))
        if not slot.in_lead_hours:
            text = Content.assemble(text, "  ", ("⚠ " + outside_hours_note(), "$text-warning"))
        chosen.update(text)
        chosen.set_class(True, "-chosen")

    # --- the meeting's details --------------------------------------------------------------

    def show_kind(self) -> None:
        parts: list[Content | str | tuple[str, str]] = [(_("Kind: "), "bold")]
        for kind in KINDS:
            key = self.key_of(KIND_IDS[kind])
            if kind == self.kind:
                parts += [(f" {key} ", "bold reverse"), (f" ● {kind_label(kind)} ", "bold")]
            else:
                parts += [(f" {key} ", "bold $text-muted"), f" ○ {kind_label(kind)} "]
        self.query_one("#kind-line", Static).update(Content.assemble(*parts))
        self.query_one("#meeting-place", Input).placeholder = place_hint(
            self.kind, self.key_of("link-later")
        )

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
        self.kind = kind
        self.show_kind()
        self.show_chosen()

    def action_specialist(self, step: int) -> None:
        specialists = self.query_one("#specialists", OptionList)
        count = specialists.option_count
        if count:
            specialists.highlighted = ((specialists.highlighted or 0) + step) % count

    def action_week(self, weeks: int) -> None:
        self.turn_week(weeks)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_meeting":
            return self.meeting is not None
        if action == "specialist":
            return self.view is None or len(self.view.options.candidates) > 1
        if action == "link_later":
            return self.meeting is None and self.kind == "video"
        return True

    # --- confirming ------------------------------------------------------------------------

    @on(Button.Pressed, "#book-button")
    def book_pressed(self) -> None:
        self.action_confirm()

    @on(Input.Submitted, "#meeting-place")
    def place_submitted(self) -> None:
        self.action_confirm()  # Enter after the typed link books, as ctrl+s does

    def action_link_later(self) -> None:
        """Book the video meeting without its link: the agent says it comes later."""
        if self.meeting is None and self.kind == "video":
            self.link_later = True
            self.action_confirm()

    def missing_link(self) -> bool:
        """A new video meeting with neither its link nor the agent's "link later"."""
        place = self.query_one("#meeting-place", Input)
        return (
            self.meeting is None
            and self.kind == "video"
            and not place.value.strip()
            and not self.link_later
        )

    def action_confirm(self) -> None:
        if self.working or self.view is None:
            return
        if not self.view.qualified and self.meeting is None:
            self.say_problem(self.not_yet_text(), warning=True)
            return
        slot = self.chosen
        if slot is None:
            self.say_problem(_("Pick a time first: ↑↓ and Enter in the list or the grid."))
            self.query_one("#slots", OptionList).focus()
            return
        if self.missing_link():
            self.say_problem(
                _(
                    "A video meeting needs its link: type it in the place field, "
                    "or press {key} to book it with the link later."
                ).format(key=self.key_of("link-later")),
                warning=True,
            )
            self.query_one("#meeting-place", Input).focus()
            return
        chosen = self.query_one("#meeting-attendees", SelectionList).selected
        request = MeetingRequest(
            self.lead_id,
            slot.specialist_id,
            slot.starts_at,
            self.kind,
            self.query_one("#meeting-place", Input).value.strip(),
            self.query_one("#meeting-agenda", TextArea).text.strip(),
            attendees_of(chosen, self._attendees),
            moving=self.meeting.id if self.meeting else None,
            link_later=self.link_later,
        )
        self.working = True
        self.say_problem("")
        self.run_confirm(request, self.desk.agent.id, self.desk.clock())

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
        self.query_one("#slots", OptionList).focus()

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
                self.run_cancel(meeting.id, self.desk.agent.id, reason)

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
