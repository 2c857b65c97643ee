"""The dialogs some outcomes need: when to call back or recall, why not, and "never call?".

Each is a ModalScreen that returns what the outcome needs, or None when cancelled. A wrong
answer (no reason, an impossible or past date) is said inside the dialog, which stays open.
A time outside the lead's calling window becomes the moment it opens: the dialog, the
"Recorded" notice and the callbacks list all show the time the lead will be served.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tmdesk.domain.calling_window import WeeklyWindows, window_state
from tmdesk.i18n import _
from tmdesk.tui.desk.call_display import both_times, same_offset, short_time
from tmdesk.tui.desk.moments import Choice, MomentError, parse_moment, typing_examples
from tmdesk.tui.display import zone_abbreviation


@dataclass(frozen=True)
class WhenChoice:
    at: datetime
    shared: bool = False  # a callback anyone may make, not only the agent


@dataclass(frozen=True)
class WhenContext:
    """What the time dialogs need to know about the lead and the agent."""

    now: datetime
    zones: tuple[str, ...]  # the lead's candidate zones
    lead_zone: str  # the one times are typed and shown in
    agent_zone: str
    windows: WeeklyWindows


def _hint(text: str) -> Static:
    return Static(Content(text), classes="dialog-hint")


def served_at(at: datetime, context: WhenContext) -> datetime:
    """When the lead will really be served for a time asked: that time, or the moment the
    calling window next opens (unchanged when it never opens in the week after)."""
    state = window_state(at, context.zones, context.windows)
    return at if state.allowed or state.opens_at is None else state.opens_at


def dialog_times(at: datetime, context: WhenContext) -> str:
    """'Fri 27.11 10:00 MSK · lead: Fri 19:00 +12': the agent's time and the client's."""
    text = both_times(at, context.agent_zone, context.lead_zone)
    if same_offset(at, context.lead_zone, context.agent_zone):
        text += " · " + _("lead: the same")
    return text


class WhenDialog(ModalScreen[WhenChoice | None]):
    """Pick a preset with its digit, or type a date and time (in the lead's local time)."""

    BINDINGS = [
        Binding("escape", "cancel", _("Cancel"), tooltip=_("Close without recording.")),
        Binding("ctrl+t", "toggle_shared", _("Me / anyone"), show=False),
    ]

    def __init__(
        self, title: str, choices: list[Choice], context: WhenContext, *, ask_who: bool
    ) -> None:
        super().__init__()
        self._title = title
        # a preset outside the calling window is offered at the moment the lead is served
        self._asked = choices
        self._choices = [Choice(c.label, served_at(c.at, context)) for c in choices]
        self._when = context
        self._ask_who = ask_who
        self.shared = False

    def compose(self) -> ComposeResult:
        context = self._when
        lead_now = context.now.astimezone(ZoneInfo(context.lead_zone))
        with Vertical(id="when-dialog", classes="dialog"):
            yield Static(Content(self._title), classes="dialog-title")
            width = max(len(choice.label) for choice in self._choices) + 5
            yield OptionList(
                *(
                    Option(self.choice_prompt(number, choice, asked.at, width))
                    for number, (choice, asked) in enumerate(
                        zip(self._choices, self._asked, strict=True), 1
                    )
                ),
                id="when-choices",
            )
            yield Static(
                Content(
                    _(
                        "Or type a date and time in the lead's local time ({zone}, now {time}):"
                    ).format(zone=zone_abbreviation(lead_now), time=f"{lead_now:%H:%M}")
                ),
                classes="dialog-label",
            )
            yield Input(
                placeholder=typing_examples(context.now, context.lead_zone),
                id="when-typed",
                select_on_focus=False,
            )
            yield Static("", id="when-preview")
            if self._ask_who:
                yield Static("", id="when-who")
            yield _hint(
                _("1–{n}: choose · Tab: type another time · Esc: cancel").format(
                    n=len(self._choices)
                )
            )

    def choice_prompt(self, number: int, choice: Choice, asked: datetime, width: int) -> Content:
        context = self._when
        prompt = Content.assemble(
            f"{number}  {choice.label}".ljust(width),
            (dialog_times(choice.at, context), "$text-muted"),
        )
        if choice.at != asked:
            note = _("outside their calling window: served when it opens")
            prompt = Content.assemble(prompt, "\n", " " * width, ("⚠ " + note, "$text-warning"))
        elif not window_state(choice.at, context.zones, context.windows).allowed:
            note = _("no calling window there in the week after")
            prompt = Content.assemble(prompt, "\n", " " * width, ("⚠ " + note, "$text-warning"))
        return prompt

    def on_mount(self) -> None:
        self.query_one("#when-preview", Static).display = False
        self.show_who()
        self.query_one("#when-choices", OptionList).focus()

    def show_who(self) -> None:
        if not self._ask_who:
            return
        text = (
            _("Who calls back: anyone · ctrl+t: only me")
            if self.shared
            else _("Who calls back: only me · ctrl+t: anyone")
        )
        self.query_one("#when-who", Static).update(Content(text))

    def action_toggle_shared(self) -> None:
        if self._ask_who:
            self.shared = not self.shared
            self.show_who()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_key(self, event: events.Key) -> None:
        # A digit while the list has the focus picks that preset; other typing starts the
        # typed time (a numeric date after Tab).
        typed = self.query_one("#when-typed", Input)
        if typed.has_focus:
            return
        if event.character and event.character.isdigit():
            event.stop()
            event.prevent_default()
            index = int(event.character) - 1
            if 0 <= index < len(self._choices):
                self.dismiss(WhenChoice(self._choices[index].at, self.shared))
            return
        if event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            typed.focus()
            typed.insert_text_at_cursor(event.character)

    @on(OptionList.OptionSelected, "#when-choices")
    def choice_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(WhenChoice(self._choices[event.option_index].at, self.shared))

    def parse(self, text: str) -> datetime:
        context = self._when
        return parse_moment(text, context.now, context.lead_zone)

    def preview(self, text: str) -> None:
        preview = self.query_one("#when-preview", Static)
        preview.display = bool(text.strip())
        if not text.strip():
            return
        try:
            at = self.parse(text)
        except MomentError as error:
            preview.update(Content(str(error)))
            preview.set_class(True, "-problem")
            return
        context = self._when
        line = "→ " + dialog_times(served_at(at, context), context)
        closed = closed_note(at, context)
        if closed:
            line += "\n" + _("Outside the calling window there: {closed}").format(closed=closed)
        preview.update(Content(line))
        preview.set_class(False, "-problem")

    @on(Input.Changed, "#when-typed")
    def typed_changed(self, event: Input.Changed) -> None:
        self.preview(event.value)

    @on(Input.Submitted, "#when-typed")
    def typed_submitted(self, event: Input.Submitted) -> None:
        try:
            at = self.parse(event.value)
        except MomentError:
            self.preview(event.value or " ")
            return
        self.dismiss(WhenChoice(served_at(at, self._when), self.shared))


def closed_note(at: datetime, context: WhenContext) -> str:
    """'' when the lead may be called at `at`; else when it will be served instead."""
    state = window_state(at, context.zones, context.windows)
    if state.allowed:
        return ""
    if state.opens_at is None:
        return _("no calling window there in the week after")
    mine = short_time(state.opens_at, context.agent_zone)
    if same_offset(state.opens_at, context.lead_zone, context.agent_zone):
        return _("served when it opens, {when}").format(when=mine)
    return _("served when it opens, {theirs} their time ({mine})").format(
        theirs=short_time(state.opens_at, context.lead_zone), mine=mine
    )


class ReasonDialog(ModalScreen[str | None]):
    """A reason, typed or picked from common ones; an empty one is refused."""

    BINDINGS = [
        Binding("escape", "cancel", _("Cancel"), tooltip=_("Close without recording.")),
        Binding("down", "to_choices", show=False),
    ]

    def __init__(self, title: str, choices: list[str], *, note: str = "") -> None:
        super().__init__()
        self._title = title
        self._choices = choices
        self._note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="reason-dialog", classes="dialog"):
            yield Static(Content(self._title), classes="dialog-title")
            if self._note:
                yield Static(Content(self._note), classes="dialog-label")
            yield Input(placeholder=_("Type the reason"), id="reason-text")
            yield Static("", id="reason-error")
            if self._choices:
                yield Static(Content(_("Or pick a common one (↓):")), classes="dialog-label")
                yield OptionList(
                    *(Option(Content(choice)) for choice in self._choices), id="reason-choices"
                )
            yield _hint(_("Enter: record · Esc: cancel"))

    def on_mount(self) -> None:
        self.query_one("#reason-error", Static).display = False
        self.query_one("#reason-text", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_to_choices(self) -> None:
        if self._choices and self.query_one("#reason-text", Input).has_focus:
            self.query_one("#reason-choices", OptionList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_choices":  # the list's own down key moves its cursor
            return self.query_one("#reason-text", Input).has_focus
        return True

    @on(Input.Submitted, "#reason-text")
    def submitted(self, event: Input.Submitted) -> None:
        reason = " ".join(event.value.split())
        if not reason:
            error = self.query_one("#reason-error", Static)
            error.update(
                Content(
                    _("A reason is required: type it, or pick one below (↓).")
                    if self._choices
                    else _("A reason is required: type it.")
                )
            )
            error.display = True
            return
        self.dismiss(reason)

    @on(OptionList.OptionSelected, "#reason-choices")
    def picked(self, event: OptionList.OptionSelected) -> None:
        reason = self._choices[event.option_index]
        detail = " ".join(self.query_one("#reason-text", Input).value.split())
        self.dismiss(f"{reason}: {detail}" if detail else reason)


class DncDialog(ModalScreen[str | None]):
    """Confirm that a number must never be called again; an optional reason."""

    BINDINGS = [
        Binding("escape", "cancel", _("No"), tooltip=_("Do not put the number on the list.")),
    ]

    def __init__(self, phone: str, company: str) -> None:
        super().__init__()
        self._phone = phone
        self._company = company

    def compose(self) -> ComposeResult:
        with Vertical(id="dnc-dialog", classes="dialog"):
            yield Static(
                Content(_("Never call {phone} again?").format(phone=self._phone)),
                classes="dialog-title",
            )
            yield Static(
                Content(
                    _(
                        "The number of {company} goes on the do-not-call list at once: no lead "
                        "with this number, in any list, will be called again. Only undo (within "
                        "its time) or a supervisor can take it back."
                    ).format(company=self._company)
                ),
                classes="dialog-label",
            )
            yield Input(placeholder=_("Reason (optional), e.g. asked not to call"), id="dnc-reason")
            yield _hint(_("Enter: yes, never call · Esc: no"))

    def on_mount(self) -> None:
        self.query_one("#dnc-reason", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#dnc-reason")
    def confirmed(self, event: Input.Submitted) -> None:
        self.dismiss(" ".join(event.value.split()))


class UndoMeetingDialog(ModalScreen[bool]):
    """Undoing a qualified lead cancels its meeting: Enter undoes both, Esc neither."""

    BINDINGS = [
        Binding("enter", "answer(True)", _("Undo and cancel"), priority=True),
        Binding("escape", "answer(False)", _("Keep both")),
    ]

    def __init__(self, company: str, meeting: str) -> None:
        super().__init__()
        self._company = company
        self._meeting = meeting

    def compose(self) -> ComposeResult:
        with Vertical(id="undo-dialog", classes="dialog"):
            yield Static(
                Content(
                    _("Undo the qualified outcome of {company}?").format(company=self._company)
                ),
                classes="dialog-title",
            )
            yield Static(
                Content(_("Its meeting is cancelled: {meeting}.").format(meeting=self._meeting)),
                classes="dialog-label",
            )
            yield _hint(_("Enter: undo and cancel the meeting · Esc: keep both"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
