"""The desk's footer: under 100 columns it packs its keys closer and leaves the command
palette's hint out (ctrl+p still opens it), so the keys an agent needs, F1 among them, fit
an 80-column terminal; F1 lists the rest."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

NARROW = 100  # columns, as the desk screens' breakpoints


class DeskFooter(Footer):
    def on_resize(self, event: events.Resize) -> None:
        narrow = self.app.size.width < NARROW
        self.compact = narrow
        self.show_command_palette = not narrow
