"""The desk's footers.

SteadyFooter rebuilds its keys only when they change. Textual's footer composes all its
keys again (about twenty widgets, each styled on mount) every time a screen says its
bindings may have changed, which a screen says on every focus move and after every
check_action refresh: the booking panel said it ten times while opening, and rebuilding
the footers was most of the time between the submit and the panel painted. It does not
rebuild while its screen is under another: the screen says its bindings changed again when
it is back on top.

DeskFooter: under 100 columns it packs its keys closer and leaves the command palette's
hint out (ctrl+p still opens it), so the keys an agent needs, F1 among them, fit an
80-column terminal; F1 lists the rest (and its screens leave out what still does not fit:
tmdesk.tui.footer_fit)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tmdesk.tui.footer_fit import NARROW


class SteadyFooter(Footer):
    """A footer that composes its keys again only when what it would show differs."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: Hashable = None  # what the keys were last composed from
        self._waiting = False  # a rebuild is asked for after the next refresh

    def _what_to_show(self) -> Hashable:
        # everything Footer.compose reads: the shown bindings, enabled or not, and how
        keys = tuple(
            (
                binding.key,
                self.app.get_key_display(binding),
                binding.action,
                binding.description,
                binding.tooltip,
                binding.group,
                enabled,
                tooltip,
            )
            for (_node, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show or binding.action == "command_palette"
        )
        return keys, self.show_command_palette, self.compact

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if not (self.is_attached and screen is self.screen and screen.is_active):
            return  # a screen under another: its keys are read again when it is back on top
        if not self._waiting:
            self._waiting = True  # many changes in one go make one rebuild
            # after the next frame (Textual's footer waits so too): rebuilt any sooner, while
            # a form was still being mounted, its keys lost the browser's next key press
            self.call_after_refresh(self._rebuild)

    def compose(self) -> ComposeResult:
        # A FooterKey starts compact (its reactive's default) and is then bound to the
        # footer's value: each key was styled three times as it mounted (on mount, on the
        # class added, on the class taken away) on a footer that is not compact. Each key
        # starts with the value it ends with here, so it is styled once (the palette's key
        # is not bound: it stays compact).
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                compact = self.compact or widget.has_class("-command-palette")
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def rebuild_now(self, then: Callable[[], None]) -> None:
        """The keys composed again now, not after the next frame, for a change the screen
        paints in one frame with its footer (the booking offer); `then` is called once they
        are. They are composed in the footer's own task: its keys bind to it as they are
        made."""
        if not self.is_attached:
            then()
            return

        async def rebuild() -> None:
            try:
                await self._rebuild()
            finally:
                then()

        self.call_next(rebuild)

    async def _rebuild(self) -> None:
        self._waiting = False
        if not (self.is_attached and self.screen.is_active):
            return
        shown = self._what_to_show()
        if shown == self._shown:
            return
        self._shown = shown
        await self.recompose()


class DeskFooter(SteadyFooter):
    # Textual's compact footer glues the label of a group of keys to the next key
    # ("f5f6 Specialistesc Close"): a column after it
    DEFAULT_CSS = """
    DeskFooter.-compact FooterLabel {
        margin: 0 1 0 0;
    }
    """

    def on_resize(self, event: events.Resize) -> None:
        narrow = self.app.size.width < NARROW
        self.compact = narrow
        self.show_command_palette = not narrow
