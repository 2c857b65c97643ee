"""A lead's card, opened from search and the desk's lists: to read, or to take when the agent
may call it now (a client calling back in). Taking it while another lead is open asks
whether to give that one back (notes saved) or to finish it first."""

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
from tmdesk.tui.desk.work import LeadCard, Takeable, lead_card, look_at_lead
from tmdesk.tui.keys import bindings_for

if TYPE_CHECKING:
    from tmdesk.tui.app import DeskApp


class LeadPreviewScreen(ModalScreen[bool]):
    """The card and the history of one lead; Escape closes it. Given the agent, it offers to
    take the lead (dismissed with True) when they may call it now."""

    BINDINGS = [
        Binding("escape", "close", N_("Close"), tooltip=N_("Close the card.")),
        *bindings_for("preview"),
    ]

    @dataclass
    class Read(Message):
        card: LeadCard
        takeable: Takeable | None = None

    def __init__(self, lead_id: int, agent_zone: str, agent_id: int | None = None) -> None:
        super().__init__()
        self.lead_id = lead_id
        self.agent_zone = agent_zone
        self.agent_id = agent_id
        self.takeable: Takeable | None = None
        self.card: LeadCard | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="preview-dialog", classes="dialog"):
            yield Static("", id="preview-status", classes="dialog-label")
            yield LeadCardView(id="preview-card")
            yield Static(
                Content(_("Read only: the lead stays where it is in the queue. Esc: close")),
                classes="dialog-hint",
                id="preview-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#preview-card").loading = True
        self.read()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def read(self) -> None:
        if self.agent_id is None:
            self.post_message(self.Read(lead_card(self.lead_id)))
            return
        desk = cast("DeskApp", self.app)
        card, takeable = look_at_lead(self.agent_id, self.lead_id, desk.settings, desk.clock())
        self.post_message(self.Read(card, takeable))

    async def on_lead_preview_screen_read(self, message: Read) -> None:
        desk = cast("DeskApp", self.app)
        view = self.query_one("#preview-card", LeadCardView)
        view.loading = False
        await view.show(message.card, "", desk.settings.max_attempts, self.agent_zone)
        view.show_window(desk.clock(), desk.settings.calling_window, self.agent_zone)
        self.query_one("#preview-status", Static).update(
            Content(_("Status: {status}").format(status=status_label(message.card.status)))
        )
        self.takeable, self.card = message.takeable, message.card
        if message.takeable is not None:
            self.query_one("#preview-hint", Static).update(Content(self.take_hint()))
        self.refresh_bindings()

    def take_hint(self) -> str:
        takeable = self.takeable
        assert takeable is not None
        if takeable.yours:
            return _("This is the lead you have open. Esc: close")
        if takeable.ok:
            return _("{key}: take this lead and call it now. Esc: close").format(
                key=cast("DeskApp", self.app).keymap["preview-take"]
            )
        return _("Read only: {reason}. Esc: close").format(reason=takeable.reason)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "take":
            return self.takeable is not None and self.takeable.ok and not self.takeable.yours
        return True

    def action_take(self) -> None:
        if self.takeable is not None and self.takeable.ok and not self.takeable.yours:
            self.dismiss(True)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.dismiss(False)
            cast("DeskApp", self.app).report_failure(event.worker.error)

    def action_close(self) -> None:
        self.dismiss(False)


class SwitchLeadDialog(ModalScreen[str | None]):
    """Another lead is open: give it back with its notes ("release"), or record its outcome
    first and then go to the found lead ("finish")."""

    BINDINGS = [*bindings_for("switch"), Binding("escape", "choose('')", N_("Cancel"))]

    def __init__(self, holding: str, found: str) -> None:
        super().__init__()
        self.holding = holding
        self.found = found

    def compose(self) -> ComposeResult:
        keys = cast("DeskApp", self.app).keymap
        with Vertical(id="switch-dialog", classes="dialog"):
            yield Static(
                Content(_("{company} is still open.").format(company=self.holding)),
                classes="dialog-title",
            )
            yield Static(
                Content(
                    _(
                        "{release}: give it back with your notes saved, and call {found} now\n"
                        "{finish}: record its outcome first; {found} opens after it\n"
                        "Esc: stay on {company}"
                    ).format(
                        found=self.found,
                        company=self.holding,
                        release=keys["switch-release"],
                        finish=keys["switch-finish"],
                    )
                ),
                classes="dialog-label",
            )

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)
