"""A dialog for an unexpected failure: what happened, and that the desk goes on."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tmdesk.i18n import N_, _


class ErrorScreen(ModalScreen[None]):
    """Shows an error that is not the user's doing (a bug, a broken database)."""

    BINDINGS = [
        Binding("escape", "close", N_("Close"), tooltip=N_("Close this message.")),
        Binding("enter", "close", N_("Close"), show=False),
    ]

    def __init__(self, title: str, details: str) -> None:
        super().__init__()
        self._title = title
        self._details = details

    def compose(self) -> ComposeResult:
        with Vertical(id="error-dialog"):
            yield Static(Content(self._title), id="error-title")
            # Content, not markup: the text comes from an exception and may hold "[".
            yield Static(Content(self._details), id="error-details")
            yield Static(
                Content(_("Press Enter or Escape to go back to the desk.")), id="error-hint"
            )

    def action_close(self) -> None:
        self.dismiss(None)
