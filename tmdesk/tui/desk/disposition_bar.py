"""The call screen's second footer line: every outcome with its key, two rows of five.

The keys are read from the screen's active bindings, so a key remapped in the settings is
shown as the key that really works. A click runs the outcome as its key would.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Grid
from textual.content import Content
from textual.widgets import Static

from tmdesk.tui.keys import DISPOSITION_IDS


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
        if not self.has_class("-disabled"):
            self.app.simulate_key(self.key)


class DispositionBar(Grid):
    """The outcome keys, dimmed while an outcome is being recorded."""

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
        # restyled in one pass: the keys share their matched rules (one by one, each key
        # was matched against the whole stylesheet on every outcome)
        for key in self.query(DispositionKey):
            key.set_class(not enabled, "-disabled", update=False)
        self.update_node_styles()
