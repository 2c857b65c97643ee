"""The TUI's key bindings, built from the key table (tmdesk.services.keymap, through
tmdesk.tui.work): one row per action holds its key, Textual action, label, tooltip,
priority and group, so adding a key means adding one row.

Each Binding carries the action's stable id, so the user's [keys] table is applied by
Textual's own keymap (App.set_keymap): one place decides keys, for the footer, the help
panel, the command palette and the key presses alike.

Labels and tooltips of Bindings are English msgids (marked with N_: BINDINGS are built when
a class is defined, before the desk may change its language). They are translated on their
way to the user: every footer, the F1 panel, the call screen's outcome bar and the command
palette read a screen's `active_bindings`, which translate_labels() wraps below.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import ActiveBinding, Binding
from textual.screen import Screen

from tmdesk.domain.keyboard import russian_twin
from tmdesk.i18n import _
from tmdesk.tui.textual_words import translate_group_titles
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


def translated(binding: Binding) -> Binding:
    """The Binding with its label, tooltip and group label in the language spoken now."""
    group = binding.group
    return replace(
        binding,
        description=_(binding.description) if binding.description else "",
        tooltip=_(binding.tooltip) if binding.tooltip else "",
        group=replace(group, description=_(group.description)) if group else None,
    )


def translate_labels() -> None:
    """Make every screen's `active_bindings` (Textual's one source for the footer, the help
    panel and our palette) hand out translated labels; Textual's own keys too (Input,
    TextArea, DataTable), whose words tmdesk.tui.textual_words puts in the catalogue."""
    prop: property = Screen.__dict__["active_bindings"]  # the property, not its value
    if getattr(prop.fget, "translated", False):
        return
    untranslated = prop.fget
    assert untranslated is not None

    def active_bindings(screen: Screen[object]) -> dict[str, ActiveBinding]:
        return {
            key: ActiveBinding(
                active.node,
                translated(active.binding),
                active.enabled,
                _(active.tooltip) if active.tooltip else "",
            )
            for key, active in untranslated(screen).items()
        }

    active_bindings.translated = True  # type: ignore[attr-defined]
    Screen.active_bindings = property(active_bindings)  # type: ignore[method-assign,assignment]
    translate_group_titles()  # the panel's headings of Textual's widgets (Input)


translate_labels()
