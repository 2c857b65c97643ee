"""The key table: every desk action's stable id, scope, default key, Textual action, label,
tooltip, priority and group; and the user's remapping.

The ids are an interface (docs/architecture.md §10): configuration files and scripts name
them, so an id never changes once released. The TUI builds its Bindings from this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from tmdesk.domain.keyboard import russian_twin
from tmdesk.errors import TmdeskError
from tmdesk.i18n import N_, _


class KeymapError(TmdeskError):
    """The [keys] table of the configuration cannot be applied."""


@dataclass(frozen=True)
class Action:
    """One row of the key table: everything the footer, the F1 panel, the command palette,
    `tmdesk keys` and the [keys] remapping need to know about an action."""

    id: str  # stable: configuration files name it
    key: str  # the default: Textual key name(s), comma separated
    description: str  # the label, in the footer and the help panel (N_: _() where shown)
    scope: str  # app | desk | queue | signin | booking | preview | switch | the supervisor's:
    # workspace, review, figures, lists, dnc
    action: str  # the Textual action it runs on the screen (or app) that offers it
    tooltip: str  # a sentence saying what it does (N_, as the description)
    priority: bool = False  # checked before the focused widget gets the key
    group: str = ""  # keys of one kind share one footer label (GROUPS)


def _a(
    id: str,
    key: str,
    description: str,
    scope: str,
    action: str,
    tooltip: str,
    *,
    priority: bool = False,
    group: str = "",
) -> Action:
    return Action(id, key, description, scope, action, tooltip, priority, group)


# Dispositions use function keys so they work while the notes field has the focus. Priority
# keys: the queue table has its own paging keys, quitting must work whatever has the focus,
# the notes field (a TextArea) has its own ctrl+k, ctrl+z, ctrl+e, ctrl+d, F6 and F7, which
# must not win over the desk's, Enter would go into the notes (only while an outcome waits),
# the booking panel's keys work while the agenda is typed, and a DataTable scrolls on the
# arrows the review and figures use for days.
# fmt: off
ACTIONS: tuple[Action, ...] = (
    _a("quit", "ctrl+q", N_("Quit"), "app", "quit",
       N_("Close the desk and return to the command prompt."), priority=True),
    _a("help", "f1", N_("Keys"), "app", "toggle_keys",
       N_("Show or hide every key of this screen.")),
    _a("sign-out", "ctrl+o", N_("Sign out"), "app", "sign_out",
       N_("Sign out and return to the list of users.")),
    _a("supervisor-workspace", "ctrl+w", N_("Workspace"), "app", "supervisor_workspace",
       N_("The supervisor workspace: review, figures, lists and the do-not-call list.")),
    _a("next-lead", "ctrl+n", N_("Next lead"), "queue", "next_lead",
       N_("Take the next lead of your queue and open the call screen.")),
    _a("refresh", "ctrl+r", N_("Refresh"), "queue", "refresh",
       N_("Read it again from the database.")),
    _a("page-down", "pagedown", N_("Next page"), "queue", "next_page",
       N_("The next page."), priority=True),
    _a("page-up", "pageup", N_("Previous page"), "queue", "previous_page",
       N_("The previous page."), priority=True),
    _a("dial", "ctrl+d", N_("Dial"), "desk", "dial",
       N_("Dial the lead's number (or copy it when no dial command is set)."), priority=True),
    _a("dispo-no-answer", "f2", N_("No answer"), "desk", "dispose('no_answer')",
       N_("Nobody answered: try again later."), priority=True),
    _a("dispo-busy", "f3", N_("Busy"), "desk", "dispose('busy')",
       N_("The line was busy: try again soon."), priority=True),
    _a("dispo-voicemail", "f4", N_("Voicemail"), "desk", "dispose('voicemail')",
       N_("An answering machine: try again tomorrow."), priority=True),
    _a("dispo-wrong-number", "f5", N_("Wrong number"), "desk", "dispose('wrong_number')",
       N_("The number is not this company's."), priority=True),
    _a("dispo-callback", "f6", N_("Callback"), "desk", "dispose('callback')",
       N_("Call back at an agreed time."), priority=True),
    _a("dispo-not-interested", "f7", N_("Not interested"), "desk", "dispose('not_interested')",
       N_("They do not want it (a reason is required)."), priority=True),
    _a("dispo-not-fit", "f8", N_("Not a fit"), "desk", "dispose('not_fit')",
       N_("Not our customer (say why)."), priority=True),
    _a("dispo-nurture", "f9", N_("Nurture"), "desk", "dispose('nurture')",
       N_("A fit, but not now: recall at a later date."), priority=True),
    _a("dispo-qualified", "f10", N_("Qualified"), "desk", "dispose('qualified')",
       N_("Qualified: open the qualification form (its verdict decides the outcome)."),
       priority=True),
    _a("dispo-dnc", "ctrl+k", N_("Do not call"), "desk", "dispose('dnc')",
       N_("Never call this number again (asks first)."), priority=True),
    _a("undo", "ctrl+z", N_("Undo"), "desk", "undo",
       N_("Take back your last outcome and reopen that lead."), priority=True),
    _a("book-meeting", "ctrl+b", N_("Book meeting"), "desk", "book_meeting",
       N_("Book a meeting with a specialist, or move or cancel the one booked."), priority=True),
    _a("release-lead", "ctrl+l", N_("Release lead"), "desk", "release_lead",
       N_("Give the lead back to the queue untouched and leave the call."), priority=True),
    _a("notes", "ctrl+e", N_("Notes"), "desk", "focus_notes",
       N_("Jump to the notes field."), priority=True),
    _a("submit-qualification", "ctrl+s", N_("Submit form"), "desk", "submit_qualification",
       N_("Submit the qualification form: the script's verdict records qualified, nurture or not"
         " a fit.")),
    _a("add-person", "ctrl+n", N_("Add person"), "desk", "add_person",
       N_("Add a decision maker, influencer or approver to the form.")),
    _a("remove-person", "ctrl+r", N_("Remove person"), "desk", "remove_person",
       N_("Remove the person the cursor is in from the form.")),
    _a("close-qualification", "escape", N_("Close form"), "desk", "close_qualification",
       N_("Close the qualification form; the answers stay as a draft.")),
    # the outcome a busy/unanswered PBX call pre-selects (Esc, close-qualification, stops it)
    _a("record-preselected", "enter", N_("Record it"), "desk", "pbx_confirm",
       N_("Record the outcome the PBX call's end pre-selected (busy, no answer)."), priority=True),
    _a("callbacks", "f11", N_("My callbacks"), "queue", "my_callbacks",
       N_("Your callbacks and recalls: due ones first.")),
    _a("calls-today", "f12", N_("Today's calls"), "queue", "calls_today",
       N_("The calls you recorded today.")),
    _a("search", "ctrl+f", N_("Search"), "queue", "search",
       N_("Find a lead by phone (any format) or by company or contact name.")),
    # The booking panel: function keys and ctrl+s, so they work while the agenda is typed.
    _a("confirm-meeting", "ctrl+s", N_("Book"), "booking", "confirm",
       N_("Book the meeting at the time picked (or move the booked one there)."), priority=True),
    _a("meeting-on-site", "f2", N_("On site"), "booking", "kind('on_site')",
       N_("The specialist comes to the client."), priority=True, group="kind"),
    _a("meeting-video", "f3", N_("Video"), "booking", "kind('video')",
       N_("A video call: put the link in the place field."), priority=True, group="kind"),
    _a("meeting-phone", "f4", N_("Phone"), "booking", "kind('phone')",
       N_("A phone call with the specialist."), priority=True, group="kind"),
    _a("previous-specialist", "f5", N_("◀ Specialist"), "booking", "specialist(-1)",
       N_("Show the previous matching specialist."), priority=True, group="specialist"),
    _a("next-specialist", "f6", N_("Specialist ▶"), "booking", "specialist(1)",
       N_("Show the next matching specialist."), priority=True, group="specialist"),
    _a("previous-week", "f7", N_("◀ Week"), "booking", "week(-1)",
       N_("Show the week before in the grid."), priority=True, group="week"),
    _a("next-week", "f8", N_("Week ▶"), "booking", "week(1)",
       N_("Show the week after in the grid."), priority=True, group="week"),
    _a("link-later", "f10", N_("Link later"), "booking", "link_later",
       N_("Book the video meeting now and send its link later (shown as missing until then)."),
       priority=True),
    _a("cancel-meeting", "f9", N_("Cancel meeting"), "booking", "cancel_meeting",
       N_("Cancel the booked meeting (asks for the reason)."), priority=True),
    _a("close-booking", "escape", N_("Close"), "booking", "close",
       N_("Close the panel without booking.")),
    # A lead's card opened from search or a list, and the question asked when another lead
    # is open: no text field there, so plain letters (t, not ctrl+t: browsers keep it).
    _a("preview-take", "t", N_("Take this lead"), "preview", "take",
       N_("Call this lead now.")),
    _a("switch-release", "r", N_("Give it back"), "switch", "choose('release')",
       N_("Give the open lead back with its notes saved, and call the found one now.")),
    _a("switch-finish", "f", N_("Finish it first"), "switch", "choose('finish')",
       N_("Record the open lead's outcome first; the found lead opens after it.")),
    # The supervisor's workspace: its screens show tables, never a text field, so plain
    # letters are safe there (dialogs have their own keys).
    _a("workspace-review", "r", N_("Review"), "workspace", "open_review",
       N_("The day's submitted qualifications, to approve or return.")),
    _a("workspace-figures", "f", N_("Figures"), "workspace", "open_figures",
       N_("Calls, contacts and meetings per agent and in total.")),
    _a("workspace-lists", "l", N_("Lists"), "workspace", "open_lists",
       N_("Call lists: progress, pause, priority, script, import.")),
    _a("workspace-dnc", "d", N_("Do-not-call"), "workspace", "open_dnc",
       N_("The do-not-call list: view, add, remove, import.")),
    _a("workspace-desk", "c", N_("Call queue"), "workspace", "open_desk",
       N_("Your own call queue, as an agent sees it.")),
    _a("workspace-files", "e", N_("Files"), "workspace", "open_files",  # in a browser only
       N_("Exports, rejected rows and backups, downloaded to your browser.")),
    _a("review-approve", "a", N_("Approve"), "review", "approve",
       N_("Approve the qualification: the lead is ready for handoff.")),
    _a("review-return", "r", N_("Return"), "review", "return_to_agent",
       N_("Return it to the agent with a comment: the lead comes back to them as a due callback.")),
    _a("review-correct", "c", N_("Correct"), "review", "correct",
       N_("Correct one answer; the agent's original is kept.")),
    _a("review-rebook", "m", N_("Meeting"), "review", "rebook",
       N_("Rebook the meeting or give it to another specialist.")),
    _a("review-agent", "g", N_("Agent"), "review", "pick_agent",
       N_("Show one agent's qualifications only, or everyone's.")),
    _a("review-verdict", "v", N_("Verdict"), "review", "next_verdict",
       N_("Show qualified, nurture or not-a-fit only, or all.")),
    _a("review-status", "s", N_("All/waiting"), "review", "toggle_reviewed",
       N_("Show the approved and returned ones too, or only those waiting.")),
    _a("review-previous-day", "left", N_("Day before"), "review", "move_day(-1)",
       N_("The day before."), priority=True),
    _a("review-next-day", "right", N_("Day after"), "review", "move_day(1)",
       N_("The day after."), priority=True),
    _a("review-today", "t", N_("Today"), "review", "today",
       N_("Back to today.")),
    _a("review-every-day", "w", N_("All days"), "review", "every_day",
       N_("Every day at once: all that waits for review, whatever day it came.")),
    _a("figures-previous-day", "left", N_("Earlier"), "figures", "move_days(-1)",
       N_("The day (or the range) before."), priority=True),
    _a("figures-next-day", "right", N_("Later"), "figures", "move_days(1)",
       N_("The day (or the range) after."), priority=True),
    _a("figures-today", "t", N_("Today"), "figures", "today",
       N_("Today's figures.")),
    _a("figures-range", "d", N_("Dates"), "figures", "pick_range",
       N_("Figures for a range of dates.")),
    _a("list-pause", "p", N_("Pause/resume"), "lists", "pause_or_resume",
       N_("Stop serving the list's leads, or serve them again.")),
    _a("list-archive", "a", N_("Archive"), "lists", "archive",
       N_("Archive the list for good (asks first).")),
    _a("list-priority-up", "plus,equals_sign", N_("Priority +"), "lists", "priority(1)",
       N_("Serve this list before others.")),
    _a("list-priority-down", "minus", N_("Priority −"), "lists", "priority(-1)",
       N_("Serve this list after others.")),
    _a("list-script", "s", N_("Script"), "lists", "pick_script",
       N_("The qualification script of the list's leads.")),
    _a("list-import", "i", N_("Import"), "lists", "import_file",
       N_("Import a CSV or XLSX file into a call list.")),
    _a("dnc-add", "a", N_("Add"), "dnc", "add_number",
       N_("Put a number on the do-not-call list.")),
    _a("dnc-remove", "r", N_("Remove"), "dnc", "remove_number",
       N_("Take the highlighted number off the list (a reason is asked).")),
    _a("dnc-import", "i", N_("Import"), "dnc", "import_file",
       N_("Put every number of a CSV or XLSX file on the list.")),
    _a("dnc-search", "slash", N_("Find"), "dnc", "search",
       N_("Find a number on the list.")),
)
# fmt: on

# The footer label of each group: "f5 f6 Specialist" fits an 80-column footer.
GROUPS = {"kind": N_("Kind"), "specialist": N_("Specialist"), "week": N_("Week")}

ACTIONS_BY_ID = {action.id: action for action in ACTIONS}
ALL_SCOPES = frozenset(action.scope for action in ACTIONS)


# Keys a desktop browser keeps for itself before the page sees them (the page cannot stop
# them): new window or tab, close tab, reopen tab, switch tab, the ctrl+shift set, reload,
# full screen and the developer tools. Headless Chromium, as the browser tests drive it,
# hands every one of them to the page (ctrl+n, ctrl+t, ctrl+w, F5, F11 and F12 reach the
# desk there; nothing reloads or opens), so this list is what desktop browsers do with a
# window on screen, not what a test can observe.
BROWSER_KEYS = frozenset(
    {
        "ctrl+n",
        "ctrl+t",
        "ctrl+w",
        "ctrl+tab",
        "ctrl+shift+tab",
        "ctrl+pageup",
        "ctrl+pagedown",
        "ctrl+shift+n",
        "ctrl+shift+t",
        "ctrl+shift+w",
        "ctrl+shift+q",
        "f5",
        "f11",
        "f12",
    }
)
# In a browser (`tmdesk web`) an action whose default key the browser keeps gets the same
# key with alt instead of ctrl, or alt added to a function key: easy to find from the
# terminal's key, and free in every scope. [keys] still wins over these.
BROWSER_SAFE = {
    "ctrl+n": "alt+n",
    "ctrl+t": "alt+t",
    "ctrl+w": "alt+w",
    "f5": "alt+f5",
    "f11": "alt+f11",
    "f12": "alt+f12",
}


def default_key(action: Action, *, browser: bool = False) -> str:
    """The action's default key(s), or in a browser their browser-safe ones."""
    keys = [key.strip() for key in action.key.split(",")]
    return ",".join(BROWSER_SAFE.get(key, key) if browser else key for key in keys)


def _scopes(action: Action) -> frozenset[str]:
    """The scopes whose keys this action's key must not share: app-wide keys are live on
    every screen, so they clash with all scopes."""
    return ALL_SCOPES if action.scope == "app" else frozenset({action.scope, "app"})


def effective_keymap(
    overrides: dict[str, str] | None = None, *, browser: bool = False
) -> dict[str, str]:
    """{binding id: key} after applying the configuration's [keys] table; `browser`: the
    desk runs in a browser tab, where the defaults browsers keep are replaced.

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
    keymap = {
        action.id: overrides.get(action.id, default_key(action, browser=browser)).strip()
        for action in ACTIONS
    }
    seen: dict[tuple[str, str], str] = {}
    for action in ACTIONS:
        for key in keymap[action.id].split(","):
            key = key.strip()
            for scope in _scopes(action):
                other = seen.get((scope, key))
                if other and other != action.id:
                    raise KeymapError(
                        _("keys: '{key}' is bound to both {a} and {b}").format(
                            key=key, a=other, b=action.id
                        )
                    )
            seen[(action.scope, key)] = action.id
    return keymap


def layout_twins(keymap: dict[str, str]) -> dict[str, str]:
    """{binding id: the Russian-layout twins of its keys, comma separated} (workspace-review
    'r' → 'к'): the same physical key works whichever layout is on. A twin another action
    of the same screen already uses (a [keys] entry naming a Cyrillic letter) is left out."""
    taken = {
        (scope, key.strip())
        for action in ACTIONS
        for key in keymap[action.id].split(",")
        for scope in _scopes(action)
    }
    twins: dict[str, str] = {}
    for action in ACTIONS:
        found = [
            twin
            for key in keymap[action.id].split(",")
            if (twin := russian_twin(key.strip()))
            and not any((scope, twin) in taken for scope in _scopes(action))
        ]
        if found:
            twins[action.id] = ",".join(found)
    return twins


def shown_keymap(keymap: dict[str, str], language: str) -> dict[str, str]:
    """The keys as the footer, the help panel and the hints show them. In Russian a letter
    key is shown as its Cyrillic twin: the desk speaks Russian to people who type Russian
    most of the day, and one letter fits the 80-column footer where "r/к" would not; the
    Latin letter works as well, and `tmdesk keys` lists both. Other keys read the same."""
    if language != "ru":
        return dict(keymap)
    twins = layout_twins(keymap)
    shown = {}
    for id, keys in keymap.items():
        parts = [key.strip() for key in keys.split(",")]
        shown[id] = ",".join(
            twin
            if (twin := russian_twin(key)) in twins.get(id, "").split(",") and twin.isalpha()
            else key
            for key in parts
        )
    return shown


def bound_keymap(keymap: dict[str, str], language: str) -> dict[str, str]:
    """Every key that works, per binding id: the shown keys first (the footer shows the first
    one of a binding), then the rest of the keys and their layout twins."""
    twins = layout_twins(keymap)
    shown = shown_keymap(keymap, language)
    bound = {}
    for id, keys in shown.items():
        every = [*keys.split(","), *keymap[id].split(","), *twins.get(id, "").split(",")]
        bound[id] = ",".join(dict.fromkeys(key.strip() for key in every if key.strip()))
    return bound
