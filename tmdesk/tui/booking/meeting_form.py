"""The booking panel's meeting details: its kind (a key each), the place or the video call's
link, the agenda the qualification gives, and the lead's people invited. The form saves
nothing: the screen reads it when the agent books, and hears of Enter in the place field."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, SelectionList, Static, TextArea

from tmdesk.i18n import _
from tmdesk.tui.booking.display import KINDS, attendee_label, kind_label, place_hint
from tmdesk.tui.booking.work import Attendee, MeetingInfo, attendees_of


class MeetingForm(Vertical):
    """Kind, place or link, agenda, attendees; locked when a booked meeting is moved."""

    DEFAULT_CSS = "MeetingForm { height: auto; }"

    @dataclass
    class PlaceEntered(Message):
        """Enter in the place field: the agent means to book."""

    def __init__(self, kind_keys: dict[str, str], link_later_key: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self._kind_keys = kind_keys  # kind → the key that picks it
        self._link_later_key = link_later_key
        self.kind = "video"
        self._offered: tuple[Attendee, ...] = ()  # in the order of the list

    def compose(self) -> ComposeResult:
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

    def on_mount(self) -> None:
        self.show_kind(self.kind)

    def reset(self) -> None:
        """Empty and open again, for another lead (a moved meeting's form was locked)."""
        self.kind = "video"
        self._offered = ()
        agenda_area = self.query_one("#meeting-agenda", TextArea)
        place = self.query_one("#meeting-place", Input)
        people = self.query_one("#meeting-attendees", SelectionList)
        agenda_area.text = ""
        place.value = ""
        people.clear_options()
        for widget in (agenda_area, place, people):
            widget.disabled = False
        people.display = True
        self.show_kind(self.kind)

    def fill(self, agenda: str, offered: tuple[Attendee, ...], meeting: MeetingInfo | None) -> None:
        """The qualification's agenda and people; or the booked meeting's, locked: moving
        keeps what was agreed, only the time (and the specialist) change."""
        agenda_area = self.query_one("#meeting-agenda", TextArea)
        place = self.query_one("#meeting-place", Input)
        people = self.query_one("#meeting-attendees", SelectionList)
        self._offered = offered
        people.clear_options()
        people.add_options(
            [(Content(attendee_label(person)), n, True) for n, person in enumerate(offered)]
        )
        if offered:
            people.highlighted = 0  # space toggles the first one straight away
        if meeting is not None:
            self.kind = meeting.kind
            agenda_area.text = meeting.agenda
            place.value = meeting.place
            for widget in (agenda_area, place, people):
                widget.disabled = True
        else:
            agenda_area.text = agenda
        if not offered:
            people.display = False
        self.show_kind(self.kind)

    def show_kind(self, kind: str) -> None:
        self.kind = kind
        parts: list[Content | str | tuple[str, str]] = [(_("Kind: "), "bold")]
        for each in KINDS:
            key = self._kind_keys.get(each, "")
            if each == kind:
                parts += [(f" {key} ", "bold reverse"), (f" ● {kind_label(each)} ", "bold")]
            else:
                parts += [(f" {key} ", "bold $text-muted"), f" ○ {kind_label(each)} "]
        self.query_one("#kind-line", Static).update(Content.assemble(*parts))
        self.query_one("#meeting-place", Input).placeholder = place_hint(kind, self._link_later_key)

    @property
    def place(self) -> str:
        return self.query_one("#meeting-place", Input).value.strip()

    @property
    def agenda(self) -> str:
        return self.query_one("#meeting-agenda", TextArea).text.strip()

    @property
    def attendees(self) -> tuple[Attendee, ...]:
        """The offered people the agent left ticked, in their order."""
        chosen = self.query_one("#meeting-attendees", SelectionList).selected
        return attendees_of(chosen, self._offered)

    def focus_place(self) -> None:
        """The focus on the place field, the kind line and the field at the top: at 80
        columns the panel scrolls, and the link is what is typed next."""
        place = self.query_one("#meeting-place", Input)
        place.focus(scroll_visible=False)
        kind = self.query_one("#kind-line", Static)
        self.call_after_refresh(self.screen.scroll_to_widget, kind, animate=False, top=True)

    @on(Input.Submitted, "#meeting-place")
    def place_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.PlaceEntered())
