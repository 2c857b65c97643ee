"""The TUI's key bindings, built from the key table (tmdesk.services.keymap, through
tmdesk.tui.work): one row per action holds its key, Textual action, label, tooltip,
priority and group, so adding a key means adding one row.

Each Binding carries the action's stable id, so the user's [keys] table is applied by
Textual's own keymap (App.set_keymap): one place decides keys, for the footer, the help
panel, the command palette and the key presses alike.
"""

from __future__ import annotations

from textual.binding import Binding

from tmdesk.domain.keyboard import russian_twin
from tmdesk.tui.work import ACTIONS, ACTIONS_BY_ID, GROUPS

# binding id → the disposition its key records (shown by the call screen's own bar)
DISPOSITION_IDS = {
    action.id: action.action.removeprefix("dispose('").removesuffix("')")
    for action in ACTIONS
    if action.action.startswith("dispose(")
}

# Shown by the call screen's own disposition bar, not by the footer.
IN_DISPOSITION_BAR = frozenset(DISPOSITION_IDS)


def binding(id: str, *, label: str = "", show: bool = True) -> Binding:
    """The Binding of one row of the key table, with its default key."""
    action = ACTIONS_BY_ID[id]
    group = GROUPS.get(action.group)
    return Binding(
        action.key,
        action.action,
        label or action.description,
        id=action.id,
        tooltip=action.tooltip,
        priority=action.priority,
        show=show,
        group=Binding.Group(group, compact=True) if group else None,
    )


def bindings_for(scope: str, *also: str, hidden: tuple[str, ...] = ()) -> list[Binding]:
    """Bindings of one key map scope (app, queue, desk …), in the table's order, and those
    of the ids in `also` (an action of another scope this screen offers too). Ids in
    `hidden` work but are left out of the footer (the help panel lists them)."""
    return [
        binding(action.id, show=action.id not in IN_DISPOSITION_BAR and action.id not in hidden)
        for action in ACTIONS
        if action.scope == scope or action.id in also
    ]


def letter_key(key: str) -> str:
    """A key outside the key table ('p') with its Russian-layout twin ('p,з'): the table's
    own keys get theirs from the key map (DeskApp.set_keymap)."""
    twin = russian_twin(key)
    return f"{key},{twin}" if twin else key
