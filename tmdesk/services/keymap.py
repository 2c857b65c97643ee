"""Every desk action's stable binding id, its default key, and the user's remapping.

The ids are an interface (docs/architecture.md §10): configuration files and scripts name
them, so an id never changes once released. The TUI builds its Bindings from this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from tmdesk.errors import TmdeskError
from tmdesk.i18n import _


class KeymapError(TmdeskError):
    """The [keys] table of the configuration cannot be applied."""


@dataclass(frozen=True)
class Action:
    id: str
    key: str  # Textual key name(s), comma separated
    description: str
    scope: str  # app | desk | queue | signin | booking | the supervisor's: workspace, review,
    # figures, lists, dnc


def _a(id: str, key: str, description: str, scope: str) -> Action:
    return Action(id, key, description, scope)


# Dispositions use function keys so they work while the notes field has the focus.
ACTIONS: tuple[Action, ...] = (
    _a("quit", "ctrl+q", _("Quit"), "app"),
    _a("help", "f1", _("Keys"), "app"),
    _a("sign-out", "ctrl+o", _("Sign out"), "app"),
    _a("supervisor-workspace", "ctrl+w", _("Workspace"), "app"),  # supervisors only
    _a("next-lead", "ctrl+n", _("Next lead"), "queue"),
    _a("refresh", "ctrl+r", _("Refresh"), "queue"),
    _a("page-down", "pagedown", _("Next page"), "queue"),
    _a("page-up", "pageup", _("Previous page"), "queue"),
    _a("dial", "ctrl+d", _("Dial"), "desk"),
    _a("dispo-no-answer", "f2", _("No answer"), "desk"),
    _a("dispo-busy", "f3", _("Busy"), "desk"),
    _a("dispo-voicemail", "f4", _("Voicemail"), "desk"),
    _a("dispo-wrong-number", "f5", _("Wrong number"), "desk"),
    _a("dispo-callback", "f6", _("Callback"), "desk"),
    _a("dispo-not-interested", "f7", _("Not interested"), "desk"),
    _a("dispo-not-fit", "f8", _("Not a fit"), "desk"),
    _a("dispo-nurture", "f9", _("Nurture"), "desk"),
    _a("dispo-qualified", "f10", _("Qualified"), "desk"),
    _a("dispo-dnc", "ctrl+k", _("Do not call"), "desk"),
    _a("undo", "ctrl+z", _("Undo"), "desk"),
    _a("book-meeting", "ctrl+b", _("Book meeting"), "desk"),
    _a("release-lead", "ctrl+l", _("Release lead"), "desk"),
    _a("notes", "ctrl+e", _("Notes"), "desk"),
    _a("submit-qualification", "ctrl+s", _("Submit form"), "desk"),
    _a("add-person", "ctrl+n", _("Add person"), "desk"),
    _a("remove-person", "ctrl+r", _("Remove person"), "desk"),
    _a("close-qualification", "escape", _("Close form"), "desk"),
    # the outcome a busy/unanswered PBX call pre-selects (Esc, close-qualification, stops it)
    _a("record-preselected", "enter", _("Record it"), "desk"),
    _a("callbacks", "f11", _("My callbacks"), "queue"),
    _a("calls-today", "f12", _("Today's calls"), "queue"),
    _a("search", "ctrl+f", _("Search"), "queue"),
    # The booking panel: function keys and ctrl+s, so they work while the agenda is typed.
    _a("confirm-meeting", "ctrl+s", _("Book"), "booking"),
    _a("meeting-on-site", "f2", _("On site"), "booking"),
    _a("meeting-video", "f3", _("Video"), "booking"),
    _a("meeting-phone", "f4", _("Phone"), "booking"),
    _a("previous-specialist", "f5", _("◀ Specialist"), "booking"),
    _a("next-specialist", "f6", _("Specialist ▶"), "booking"),
    _a("previous-week", "f7", _("◀ Week"), "booking"),
    _a("next-week", "f8", _("Week ▶"), "booking"),
    _a("cancel-meeting", "f9", _("Cancel meeting"), "booking"),
    _a("close-booking", "escape", _("Close"), "booking"),
    # The supervisor's workspace: its screens show tables, never a text field, so plain
    # letters are safe there (dialogs have their own keys).
    _a("workspace-review", "r", _("Review"), "workspace"),
    _a("workspace-figures", "f", _("Figures"), "workspace"),
    _a("workspace-lists", "l", _("Lists"), "workspace"),
    _a("workspace-dnc", "d", _("Do-not-call"), "workspace"),
    _a("workspace-desk", "c", _("Call queue"), "workspace"),
    _a("workspace-files", "e", _("Files"), "workspace"),  # in a browser only
    _a("review-approve", "a", _("Approve"), "review"),
    _a("review-return", "r", _("Return"), "review"),
    _a("review-correct", "c", _("Correct"), "review"),
    _a("review-rebook", "m", _("Meeting"), "review"),
    _a("review-agent", "g", _("Agent"), "review"),
    _a("review-verdict", "v", _("Verdict"), "review"),
    _a("review-status", "s", _("All/waiting"), "review"),
    _a("review-previous-day", "left", _("Day before"), "review"),
    _a("review-next-day", "right", _("Day after"), "review"),
    _a("review-today", "t", _("Today"), "review"),
    _a("figures-previous-day", "left", _("Earlier"), "figures"),
    _a("figures-next-day", "right", _("Later"), "figures"),
    _a("figures-today", "t", _("Today"), "figures"),
    _a("figures-range", "d", _("Dates"), "figures"),
    _a("list-pause", "p", _("Pause/resume"), "lists"),
    _a("list-archive", "a", _("Archive"), "lists"),
    _a("list-priority-up", "plus,equals_sign", _("Priority +"), "lists"),
    _a("list-priority-down", "minus", _("Priority −"), "lists"),
    _a("list-script", "s", _("Script"), "lists"),
    _a("list-import", "i", _("Import"), "lists"),
    _a("dnc-add", "a", _("Add"), "dnc"),
    _a("dnc-remove", "r", _("Remove"), "dnc"),
    _a("dnc-import", "i", _("Import"), "dnc"),
    _a("dnc-search", "slash", _("Find"), "dnc"),
)

ACTIONS_BY_ID = {action.id: action for action in ACTIONS}
ALL_SCOPES = frozenset(action.scope for action in ACTIONS)


def effective_keymap(overrides: dict[str, str] | None = None) -> dict[str, str]:
    """{binding id: key} after applying the configuration's [keys] table.

    Unknown ids and two actions of one screen on one key are refused, naming them.
    """
    overrides = overrides or {}
    unknown = sorted(set(overrides) - set(ACTIONS_BY_ID))
    if unknown:
        raise KeymapError(
            _("keys: unknown binding id {ids} (known: {known})").format(
                ids=", ".join(unknown), known=", ".join(ACTIONS_BY_ID)
            )
        )
    keymap = {action.id: overrides.get(action.id, action.key).strip() for action in ACTIONS}
    seen: dict[tuple[str, str], str] = {}
    for action in ACTIONS:
        for key in keymap[action.id].split(","):
            key = key.strip()
            # app-wide keys are live on every screen, so they clash with all scopes
            scopes = ALL_SCOPES if action.scope == "app" else {action.scope, "app"}
            for scope in scopes:
                other = seen.get((scope, key))
                if other and other != action.id:
                    raise KeymapError(
                        _("keys: '{key}' is bound to both {a} and {b}").format(
                            key=key, a=other, b=action.id
                        )
                    )
            seen[(action.scope, key)] = action.id
    return keymap
