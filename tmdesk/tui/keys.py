"""The TUI's key bindings, built from the desk's key map (tmdesk.services.keymap).

Each Binding carries the action's stable id, so the user's [keys] table is applied by
Textual's own keymap (App.set_keymap): one place decides keys, for the footer, the help
panel and the key presses alike.
"""

from __future__ import annotations

from textual.binding import Binding

from tmdesk.i18n import _
from tmdesk.services.keymap import ACTIONS

# The Textual action behind each binding id the TUI implements so far; the call desk adds
# its own ids here as it is built. Ids not listed get no Binding (nothing to run yet).
ACTION_NAMES = {
    "quit": "quit",
    "help": "toggle_keys",
    "sign-out": "sign_out",
    "refresh": "refresh",
    "page-down": "next_page",
    "page-up": "previous_page",
}

# Checked before the focused widget gets the key: the queue table has its own paging keys,
# and quitting must work whatever has the focus.
PRIORITY = frozenset({"quit", "page-down", "page-up"})


def _tooltips() -> dict[str, str]:
    return {
        "quit": _("Close the desk and return to the command prompt."),
        "help": _("Show or hide every key of this screen."),
        "sign-out": _("Sign out and return to the list of users."),
        "refresh": _("Load the queue again from the database."),
        "page-down": _("Show the next 50 leads of the queue."),
        "page-up": _("Show the previous 50 leads of the queue."),
    }


def bindings_for(scope: str) -> list[Binding]:
    """Bindings of one key map scope (app, queue, desk …) with their default keys."""
    tooltips = _tooltips()
    return [
        Binding(action.key, ACTION_NAMES[action.id], action.description, id=action.id,
                tooltip=tooltips.get(action.id, ""), priority=action.id in PRIORITY)
        for action in ACTIONS
        if action.scope == scope and action.id in ACTION_NAMES
    ]
