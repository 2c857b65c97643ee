"""The TUI's key bindings, built from the desk's key map (tmdesk.services.keymap).

Each Binding carries the action's stable id, so the user's [keys] table is applied by
Textual's own keymap (App.set_keymap): one place decides keys, for the footer, the help
panel and the key presses alike.
"""

from __future__ import annotations

from textual.binding import Binding

from tmdesk.i18n import _
from tmdesk.tui.work import ACTIONS

DISPOSITION_IDS = {
    "dispo-no-answer": "no_answer",
    "dispo-busy": "busy",
    "dispo-voicemail": "voicemail",
    "dispo-wrong-number": "wrong_number",
    "dispo-callback": "callback",
    "dispo-not-interested": "not_interested",
    "dispo-not-fit": "not_fit",
    "dispo-nurture": "nurture",
    "dispo-qualified": "qualified",
    "dispo-dnc": "dnc",
}

# The Textual action behind each binding id the TUI implements. Ids not listed get no
# Binding (nothing to run yet).
ACTION_NAMES = {
    "quit": "quit",
    "help": "toggle_keys",
    "sign-out": "sign_out",
    "refresh": "refresh",
    "page-down": "next_page",
    "page-up": "previous_page",
    "next-lead": "next_lead",
    "callbacks": "my_callbacks",
    "calls-today": "calls_today",
    "search": "search",
    "dial": "dial",
    "undo": "undo",
    "book-meeting": "book_meeting",
    "release-lead": "release_lead",
    "notes": "focus_notes",
    "submit-qualification": "submit_qualification",
    "add-person": "add_person",
    "remove-person": "remove_person",
    "close-qualification": "close_qualification",
    "record-preselected": "pbx_confirm",
    **{id: f"dispose('{value}')" for id, value in DISPOSITION_IDS.items()},
}

# Checked before the focused widget gets the key: the queue table has its own paging keys,
# quitting must work whatever has the focus, and the notes field (a TextArea) has its own
# ctrl+k, ctrl+z, ctrl+e, ctrl+d, F6 and F7, which must not win over the desk's.
PRIORITY = frozenset(
    {
        "quit",
        "page-down",
        "page-up",
        "dial",
        "undo",
        "book-meeting",
        "release-lead",
        "notes",
        "record-preselected",  # Enter would go into the notes (only while an outcome waits)
        *DISPOSITION_IDS,
    }
)

# Shown by the call screen's own disposition bar, not by the footer.
IN_DISPOSITION_BAR = frozenset(DISPOSITION_IDS)


def _tooltips() -> dict[str, str]:
    return {
        "quit": _("Close the desk and return to the command prompt."),
        "help": _("Show or hide every key of this screen."),
        "sign-out": _("Sign out and return to the list of users."),
        "refresh": _("Load the queue again from the database."),
        "page-down": _("Show the next 50 leads of the queue."),
        "page-up": _("Show the previous 50 leads of the queue."),
        "next-lead": _("Take the next lead of your queue and open the call screen."),
        "callbacks": _("Your callbacks and recalls: due ones first."),
        "calls-today": _("The calls you recorded today."),
        "search": _("Find a lead by phone (any format) or by company or contact name."),
        "dial": _("Dial the lead's number (or copy it when no dial command is set)."),
        "undo": _("Take back your last outcome and reopen that lead."),
        "book-meeting": _("Book a meeting with a specialist, or move or cancel the one booked."),
        "release-lead": _("Give the lead back to the queue untouched and leave the call."),
        "notes": _("Jump to the notes field."),
        "dispo-no-answer": _("Nobody answered: try again later."),
        "dispo-busy": _("The line was busy: try again soon."),
        "dispo-voicemail": _("An answering machine: try again tomorrow."),
        "dispo-wrong-number": _("The number is not this company's."),
        "dispo-callback": _("Call back at an agreed time."),
        "dispo-not-interested": _("They do not want it (a reason is required)."),
        "dispo-not-fit": _("Not our customer (say why)."),
        "dispo-nurture": _("A fit, but not now: recall at a later date."),
        "dispo-qualified": _(
            "Qualified: open the qualification form (its verdict decides the outcome)."
        ),
        "submit-qualification": _(
            "Submit the qualification form: the script's verdict "
            "records qualified, nurture or not a fit."
        ),
        "add-person": _("Add a decision maker, influencer or approver to the form."),
        "remove-person": _("Remove the person the cursor is in from the form."),
        "close-qualification": _("Close the qualification form; the answers stay as a draft."),
        "record-preselected": _(
            "Record the outcome the PBX call's end pre-selected (busy, no answer)."
        ),
        "dispo-dnc": _("Never call this number again (asks first)."),
    }


def bindings_for(scope: str, *also: str, hidden: tuple[str, ...] = ()) -> list[Binding]:
    """Bindings of one key map scope (app, queue, desk …) with their default keys, and
    those of the ids in `also` (an action of another scope this screen offers too).
    Ids in `hidden` work but are left out of the footer (the help panel lists them)."""
    tooltips = _tooltips()
    return [
        Binding(
            action.key,
            ACTION_NAMES[action.id],
            action.description,
            id=action.id,
            tooltip=tooltips.get(action.id, ""),
            priority=action.id in PRIORITY,
            show=action.id not in IN_DISPOSITION_BAR and action.id not in hidden,
        )
        for action in ACTIONS
        if (action.scope == scope or action.id in also) and action.id in ACTION_NAMES
    ]
