"""A lead's card to read, without taking the lead: opened from search and the call lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from tmdesk.i18n import N_, _
from tmdesk.tui.desk.call_display import status_label
from tmdesk.tui.desk.lead_card import LeadCardView
from tmdesk.tui.desk.work import LeadCard, lead_card

if TYPE_CHECKING:
    from tmdesk.tui.app import DeskApp


class LeadPreviewScreen(ModalScreen[None]):
    """The card and the history of one lead; Escape closes it."""

    BINDINGS = [Binding("escape", "close", N_("Close"), tooltip=N_("Close the card."))]

    @dataclass
    class Read(Message):
        card: LeadCard

    def __init__(self, lead_id: int, agent_zone: str) -> None:
        super().__init__()
        self.lead_id = lead_id
        self.agent_zone = agent_zone

    def compose(self) -> ComposeResult:
        with Vertical(id="preview-dialog", classes="dialog"):
            yield Static("", id="preview-status", classes="dialog-label")
            yield LeadCardView(id="preview-card")
            yield Static(
                Content(_("Read only: the lead stays where it is in the queue. Esc: close")),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#preview-card").loading = True
        self.read()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def read(self) -> None:
        self.post_message(self.Read(lead_card(self.lead_id)))

    async def on_lead_preview_screen_read(self, message: Read) -> None:
        desk = cast("DeskApp", self.app)
        view = self.query_one("#preview-card", LeadCardView)
        view.loading = False
        await view.show(message.card, "", desk.settings.max_attempts, self.agent_zone)
        view.show_window(desk.clock(), desk.settings.calling_window, self.agent_zone)
        self.query_one("#preview-status", Static).update(
            Content(_("Status: {status}").format(status=status_label(message.card.status)))
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.dismiss(None)
            cast("DeskApp", self.app).report_failure(event.worker.error)

    def action_close(self) -> None:
        self.dismiss(None)
