"""The call screen's second footer line: every outcome with its key, two rows of five.

The keys are read from the screen's active bindings, so a key remapped in the settings is
shown as the key that really works. A click runs the outcome as its key would.
"""

from __future__ import annotations

from rich.style import Style
from textual import events
from textual.app import ComposeResult
from textual.containers import Grid
from textual.content import Content
from textual.widgets import Static

from tmdesk.tui.keys import DISPOSITION_IDS

DIM = Style(dim=True)  # a key that waits: made once (a string is parsed on every use)


class DispositionKey(Static):
    """One outcome: its key and its label."""

    def __init__(
        self, binding_id: str, key: str, key_display: str, label: str, tooltip: str
    ) -> None:
        super().__init__(
            Content.assemble((key_display, "bold $footer-key-foreground"), " ", label),
            classes="dispo-key",
            id=f"bar-{binding_id}",
        )
        self.key = key
        if tooltip:
            self.tooltip = tooltip

    def on_click(self, event: events.Click) -> None:
        event.stop()
        bar = self.parent
        if not isinstance(bar, DispositionBar) or bar.enabled:
            self.app.simulate_key(self.key)


class DispositionBar(Grid):
    """The outcome keys, dimmed while an outcome is being recorded."""

    enabled = True

    def compose(self) -> ComposeResult:
        found = {
            active.binding.id: (key, active.binding)
            for key, active in reversed(list(self.screen.active_bindings.items()))
        }
        for binding_id in DISPOSITION_IDS:
            if binding_id in found:
                key, binding = found[binding_id]
                yield DispositionKey(
                    binding_id,
                    key,
                    self.app.get_key_display(binding),
                    binding.description,
                    binding.tooltip,
                )

    def set_enabled(self, enabled: bool) -> None:
        # dimmed by a style of their own, not by a class: a class matched the keys against
        # the stylesheet again, about 13 ms of the booking offer's frame at 160×48
        self.enabled = enabled
        for key in self.query(DispositionKey):
            key.styles.text_style = None if enabled else DIM
