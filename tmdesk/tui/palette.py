"""The command palette (ctrl+p) lists the actions of the screen it was opened on, by the
labels and tooltips of the key table, each with its key: a way to find a key, and to run an
action without it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

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
