"""The booking panel's confirm step: the time chosen, in both clocks, with whom and how, and
the Book (or Move here) button. It shows; the screen books when `BookPressed` comes up."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

from tmdesk.i18n import _
from tmdesk.tui.booking.display import kind_label, outside_hours_note, span_label
from tmdesk.tui.booking.work import Slot


class ConfirmBar(Horizontal):
    @dataclass
    class BookPressed(Message):
        """The button (Enter on it, or a click): book the chosen time."""

    def compose(self) -> ComposeResult:
        yield Static("", id="chosen-slot")
        yield Button("", id="book-button", variant="primary", compact=True)

    def show_button(self, *, moving: bool, key: str) -> None:
        label = _("Move here · {key}") if moving else _("Book · {key}")
        self.query_one("#book-button", Button).label = Content(label.format(key=key))

    def show(
        self,
        slot: Slot | None,
        specialist: str,
        kind: str,
        agent_zone: str,
        lead_zone: str | None,
    ) -> None:
        chosen = self.query_one("#chosen-slot", Static)
        chosen.set_class(slot is not None, "-chosen")
        if slot is None:
            chosen.update(
                Content(
                    _(
                        "Pick a time: ↑↓ and Enter (or its digit) in the list, "
                        "or Enter on a free cell of the grid."
                    )
                )
            )
            return
        parts = [
            span_label(slot.starts_at, slot.ends_at, agent_zone, lead_zone),
            specialist,
            kind_label(kind),
        ]
        text = Content.assemble((_("Chosen: "), "bold"), " · ".join(p for p in parts if p))
        if not slot.in_lead_hours:
            text = Content.assemble(text, "  ", ("⚠ " + outside_hours_note(), "$text-warning"))
        chosen.update(text)

    def focus_button(self) -> None:
        # at once, not after the messages waiting (Widget.focus): the footer's keys are read
        # once, with the focus where it ends
        self.screen.set_focus(self.query_one("#book-button", Button))

    @on(Button.Pressed, "#book-button")
    def book_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.BookPressed())
