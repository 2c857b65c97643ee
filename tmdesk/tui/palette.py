"""The command palette (ctrl+p) lists the actions of the screen it was opened on, by the
labels and tooltips of the key table, each with its key: a way to find a key, and to run an
action without it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets.option_list import Option

from tmdesk.i18n import _
from tmdesk.tui.work import ACTIONS_BY_ID


class ScreenActions(Provider):
    """The key table's actions live on the current screen (its scope, and the app's)."""

    def actions(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not active.enabled or binding.id not in ACTIONS_BY_ID or binding.id in seen:
                continue
            seen.add(binding.id)
            row = ACTIONS_BY_ID[binding.id]
            key = self.app.get_key_display(binding)
            hint = _("{key} · {tooltip}").format(key=key, tooltip=_(row.tooltip))
            yield (
                _(row.description),
                hint,
                partial(self.app.run_action, binding.action, active.node),
            )

    async def discover(self) -> Hits:
        for label, hint, run in self.actions():
            yield DiscoveryHit(label, run, help=hint)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, hint, run in self.actions():
            if (score := matcher.match(label)) > 0:
                yield Hit(score, matcher.highlight(label), run, help=hint)


class DeskCommandPalette(CommandPalette):
    """Textual's palette, saying "No matches found" in the desk's language.

    Textual writes that line as a literal inside _start_no_matches_countdown; this is that
    method as Textual 8.2 has it, with the line translated (tests/tui check it still shows).
    """

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def _show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(_("No matches found"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False  # discovery mode: nothing to say

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, _show_no_matches)
