"""Asked after a qualified verdict, while the client is on the line: book the meeting now?

A bar on the call screen rather than a dialog over it: the lead stays in view, and Enter goes
straight to the booking panel. As a dialog it cost a dimmed repaint of the whole call screen
to open and another to close, about a third of the time from the submit to the panel. It
lies on a layer of its own over the bottom of the call's body (booking.tcss), so that the
submitted form and the notes under it neither move nor are painted again as it shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from tmdesk.domain.text import one_line
from tmdesk.i18n import N_, _


class BookingOffer(Vertical, can_focus=True):
    """Enter opens the booking panel on the best slot, Escape goes on without a meeting.
    Hidden until `ask`; it answers with `Answered`, and hides at once on "not now". On "book
    now" it stays, focused, under the panel until the screen is done with it (`hide`): the
    call screen is not laid out and painted again, its focus not moved, as the panel opens."""

    BINDINGS = [
        Binding("enter", "answer(True)", N_("Book now"), tooltip=N_("Open the booking panel.")),
        Binding(
            "escape",
            "answer(False)",
            N_("Not now"),
            tooltip=N_("Go on without a meeting; it can be booked later from the lead."),
        ),
        # the submitted form stays in view under the offer, but it is done with: Tab does not
        # take the focus into it
        Binding("tab", "stay", show=False),
        Binding("shift+tab", "stay", show=False),
    ]

    @dataclass
    class Answered(Message):
        yes: bool

    def compose(self) -> ComposeResult:
        yield Static("", classes="dialog-title", id="offer-title")
        yield Static("", classes="dialog-label", id="offer-recorded")
        yield Static(
            Content(_("Enter: open the booking panel · Esc: not now")), classes="dialog-hint"
        )

    _answered = False

    @property
    def asking(self) -> bool:
        return bool(self.display)

    def ask(self, company: str, recorded: str) -> None:
        """`recorded`: what the desk recorded, and the key that undoes it."""
        self.query_one("#offer-title", Static).update(
            Content(
                _("Qualified: book a meeting for {company} now?").format(company=one_line(company))
            )
        )
        self.query_one("#offer-recorded", Static).update(Content(recorded))
        self._answered = False
        self.display = True
        # at once, not after the messages waiting (Widget.focus): the footer's keys are read
        # once, with the focus here
        self.screen.set_focus(self)

    def action_answer(self, yes: bool) -> None:
        if self.asking and not self._answered:
            self._answered = True
            if not yes:
                self.hide()
            self.post_message(self.Answered(yes))

    def action_stay(self) -> None:
        pass

    def hide(self) -> None:
        self.display = False
