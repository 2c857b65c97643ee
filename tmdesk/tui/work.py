"""The TUI's door to the services, for what every feature shares: who is signed in, the
workspace, the key map, signing in, and the busy-database wait.

Only this module and the `work` module of each feature (desk, qualification, booking,
supervisor) import `tmdesk.services`; screens and widgets import from their feature's `work`
module, so every read and write a screen starts is visibly one service call, run in a worker.
The import contract "The TUI reaches the services through its work modules" in pyproject.toml
holds it.
"""

from tmdesk.services import auth
from tmdesk.services.auth import logins_with_password
from tmdesk.services.busy import BusyWait, DatabaseBusy
from tmdesk.services.calls import today
from tmdesk.services.keymap import (
    ACTIONS,
    ACTIONS_BY_ID,
    GROUPS,
    bound_keymap,
    effective_keymap,
    shown_keymap,
)
from tmdesk.services.users import UserInfo, list_users
from tmdesk.services.workspace import Workspace

__all__ = [
    "ACTIONS",
    "ACTIONS_BY_ID",
    "BusyWait",
    "DatabaseBusy",
    "GROUPS",
    "UserInfo",
    "Workspace",
    "auth",
    "bound_keymap",
    "effective_keymap",
    "list_users",
    "logins_with_password",
    "shown_keymap",
    "today",
]
