"""Asked after a qualified verdict, while the client is on the line: book the meeting now?"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tmdesk.domain.text import one_line
from tmdesk.i18n import _


class BookingOffer(ModalScreen[bool]):
    """Enter opens the booking panel on the best slot, Escape goes on without a meeting."""

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
