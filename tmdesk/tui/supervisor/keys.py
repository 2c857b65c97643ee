"""The supervisor workspace's key bindings, from the desk's key map (services.keymap).

Like tui/keys.py for the desk: each Binding carries its stable id, so the [keys] table of
the configuration remaps it through Textual's keymap, footer and help panel included.
"""

from __future__ import annotations

from textual.binding import Binding

from tmdesk.i18n import _
from tmdesk.tui.work import ACTIONS

# binding id → the Textual action it runs on the screen that offers it
ACTION_NAMES = {
    "supervisor-workspace": "supervisor_workspace",
    "workspace-review": "open_review",
    "workspace-figures": "open_figures",
    "workspace-lists": "open_lists",
    "workspace-dnc": "open_dnc",
    "workspace-desk": "open_desk",
    "review-approve": "approve",
    "review-return": "return_to_agent",
    "review-correct": "correct",
    "review-rebook": "rebook",
    "review-agent": "pick_agent",
    "review-verdict": "next_verdict",
    "review-status": "toggle_reviewed",
    "review-previous-day": "move_day(-1)",
    "review-next-day": "move_day(1)",
    "review-today": "today",
    "figures-previous-day": "move_days(-1)",
    "figures-next-day": "move_days(1)",
    "figures-today": "today",
    "figures-range": "pick_range",
    "list-pause": "pause_or_resume",
    "list-archive": "archive",
    "list-priority-up": "priority(1)",
    "list-priority-down": "priority(-1)",
    "list-script": "pick_script",
    "list-import": "import_file",
    "dnc-add": "add_number",
    "dnc-remove": "remove_number",
    "dnc-import": "import_file",
    "dnc-search": "search",
    # the desk's own ids these screens offer too
    "refresh": "refresh",
    "page-down": "next_page",
    "page-up": "previous_page",
}

# Checked before the focused table gets the key: a DataTable scrolls on the arrows.
PRIORITY = frozenset(
    {
        "review-previous-day",
        "review-next-day",
        "figures-previous-day",
        "figures-next-day",
        "page-down",
        "page-up",
    }
)


# Two keys, one footer item (the footer of a 120-column terminal has room for ten or so):
# the first id is shown with both keys ("←→ Day", see DeskApp.get_key_display), the
# second works but is not shown.
PAIRS = {
    "review-previous-day": "review-next-day",
    "figures-previous-day": "figures-next-day",
    "list-priority-up": "list-priority-down",
}


def _pair_labels() -> dict[str, str]:
    return {
        "review-previous-day": _("Day"),
        "figures-previous-day": _("Days"),
        "list-priority-up": _("Priority"),
    }


def _tooltips() -> dict[str, str]:
    return {
        "supervisor-workspace": _(
            "The supervisor workspace: review, figures, lists and the do-not-call list."
        ),
        "workspace-review": _("The day's submitted qualifications, to approve or return."),
        "workspace-figures": _("Calls, contacts and meetings per agent and in total."),
        "workspace-lists": _("Call lists: progress, pause, priority, script, import."),
        "workspace-dnc": _("The do-not-call list: view, add, remove, import."),
        "workspace-desk": _("Your own call queue, as an agent sees it."),
        "review-approve": _("Approve the qualification: the lead is ready for handoff."),
        "review-return": _(
            "Return it to the agent with a comment: the lead comes back to them as a due callback."
        ),
        "review-correct": _("Correct one answer; the agent's original is kept."),
        "review-rebook": _("Rebook the meeting or give it to another specialist."),
        "review-agent": _("Show one agent's qualifications only, or everyone's."),
        "review-verdict": _("Show qualified, nurture or not-a-fit only, or all."),
        "review-status": _("Show the approved and returned ones too, or only those waiting."),
        "review-previous-day": _("The day before."),
        "review-next-day": _("The day after."),
        "review-today": _("Back to today."),
        "figures-previous-day": _("The day (or the range) before."),
        "figures-next-day": _("The day (or the range) after."),
        "figures-today": _("Today's figures."),
        "figures-range": _("Figures for a range of dates."),
        "list-pause": _("Stop serving the list's leads, or serve them again."),
        "list-archive": _("Archive the list for good (asks first)."),
        "list-priority-up": _("Serve this list before others."),
        "list-priority-down": _("Serve this list after others."),
        "list-script": _("The qualification script of the list's leads."),
        "list-import": _("Import a CSV or XLSX file into a call list."),
        "dnc-add": _("Put a number on the do-not-call list."),
        "dnc-remove": _("Take the highlighted number off the list (a reason is asked)."),
        "dnc-import": _("Put every number of a CSV or XLSX file on the list."),
        "dnc-search": _("Find a number on the list."),
        "refresh": _("Read it again from the database."),
        "page-down": _("The next page."),
        "page-up": _("The previous page."),
    }


def supervisor_bindings(*ids: str, hidden: tuple[str, ...] = ()) -> list[Binding]:
    """The Bindings of these ids, in the key map's order, with their default keys; ids in
    `hidden` work but stay out of the footer (the help panel lists them)."""
    tooltips = _tooltips()
    labels = _pair_labels()
    partners = {partner for first, partner in PAIRS.items() if first in ids}
    bindings = []
    for action in ACTIONS:
        if action.id not in ids:
            continue
        paired = action.id in PAIRS and PAIRS[action.id] in ids
        bindings.append(
            Binding(
                action.key,
                ACTION_NAMES[action.id],
                labels[action.id] if paired else action.description,
                id=action.id,
                tooltip=tooltips.get(action.id, ""),
                priority=action.id in PRIORITY,
                show=action.id not in hidden and action.id not in partners,
            )
        )
    return bindings


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
