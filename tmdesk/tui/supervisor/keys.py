"""The supervisor workspace's key bindings, from the key table (see tui/keys.py), and the
pairs of keys its footer shows as one item.
"""

from __future__ import annotations

from textual.binding import Binding

from tmdesk.i18n import N_
from tmdesk.tui.keys import binding
from tmdesk.tui.work import ACTIONS

# Two keys, one footer item (the footer of a 120-column terminal has room for ten or so):
# the first id is shown with both keys ("←→ Day", see DeskApp.get_key_display), the
# second works but is not shown.
PAIRS = {
    "review-previous-day": "review-next-day",
    "figures-previous-day": "figures-next-day",
    "list-priority-up": "list-priority-down",
}


# the pair's one footer label (N_: translated with the other labels, see tui/keys.py)
PAIR_LABELS = {
    "review-previous-day": N_("Day"),
    "figures-previous-day": N_("Days"),
    "list-priority-up": N_("Priority"),
}


def supervisor_bindings(*ids: str, hidden: tuple[str, ...] = ()) -> list[Binding]:
    """The Bindings of these ids, in the key table's order, with their default keys; ids in
    `hidden` work but stay out of the footer (the help panel lists them)."""
    partners = {partner for first, partner in PAIRS.items() if first in ids}
    return [
        binding(
            action.id,
            label=PAIR_LABELS[action.id] if action.id in PAIRS and PAIRS[action.id] in ids else "",
            show=action.id not in hidden and action.id not in partners,
        )
        for action in ACTIONS
        if action.id in ids
    ]


def paired_key(binding: Binding, keymap: dict[str, str]) -> str | None:
    """For the shown half of a pair, the key of its partner (DeskApp shows both keys)."""
    partner = PAIRS.get(binding.id or "")
    return keymap[partner].split(",")[0].strip() if partner else None


def workspace_binding(*, show: bool) -> Binding:
    """The key that opens the workspace: shown on a supervisor's queue, and live (hidden)
    on every screen, where DeskApp says why an agent cannot open it."""
    return supervisor_bindings(
        "supervisor-workspace", hidden=() if show else ("supervisor-workspace",)
    )[0]
