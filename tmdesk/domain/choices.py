"""Preset choices as stable codes, and their labels in the language being spoken.

The database, the handoff records and the JSON outputs keep the codes; a person reads the
label, translated when it is shown (so an export can speak another language than the desk).
Text a person typed is never a code and is never translated.
"""

from __future__ import annotations

from enum import StrEnum

from tmdesk.i18n import N_, Labels, _


class NotInterestedReason(StrEnum):
    """The common reasons offered when a lead is not interested (a typed one is free text)."""

    NO_NEED = "no_need"
    OTHER_SUPPLIER = "other_supplier"
    NO_BUDGET = "no_budget"
    TOO_EXPENSIVE = "too_expensive"
    BAD_TIME = "bad_time"
    REFUSED_TO_TALK = "refused_to_talk"


# The msgids are the English labels that versions before codes stored (migration 0009).
REASON_LABELS = Labels(
    {
        NotInterestedReason.NO_NEED: N_("No need"),
        NotInterestedReason.OTHER_SUPPLIER: N_("Already work with another supplier"),
        NotInterestedReason.NO_BUDGET: N_("No budget"),
        NotInterestedReason.TOO_EXPENSIVE: N_("Too expensive"),
        NotInterestedReason.BAD_TIME: N_("Bad time, busy with other things"),
        NotInterestedReason.REFUSED_TO_TALK: N_("Refused to talk"),
    }
)
_DETAIL = ": "  # a picked reason and the words typed with it: "no_budget: до весны"


def stored_reason(code: NotInterestedReason | str, detail: str = "") -> str:
    """What the call attempt keeps for a picked reason: its code, then the typed details."""
    detail = " ".join(detail.split())
    return f"{code}{_DETAIL}{detail}" if detail else str(code)


def reason_text(stored: str | None) -> str:
    """A stored reason as a person reads it: a code's label (with its details), or the
    text as typed."""
    if not stored:
        return ""
    code, separator, detail = stored.partition(_DETAIL)
    if code not in REASON_LABELS:
        return stored
    return REASON_LABELS[code] + (separator + detail if separator else "")


class MeetingKind(StrEnum):
    ON_SITE = "on_site"
    VIDEO = "video"
    PHONE = "phone"


MEETING_KIND_LABELS = Labels(
    {
        MeetingKind.ON_SITE: N_("on site"),
        MeetingKind.VIDEO: N_("video call"),
        MeetingKind.PHONE: N_("phone call"),
    }
)

# A qualification's actuality (tmdesk.domain.scripts.verdict): is the need there now?
ACTUALITY_LABELS = Labels({"now": N_("now"), "later": N_("later"), "unknown": N_("unknown")})

# The verdict of a qualification script, as the review queue and the figures say it.
VERDICT_LABELS = Labels(
    {"qualified": N_("qualified"), "nurture": N_("nurture"), "not_fit": N_("not a fit")}
)

# Lead statuses (tmdesk.domain.statuses.LeadStatus) as an agent says them.
LEAD_STATUS_LABELS = Labels(
    {
        "new": N_("new"),
        "in_progress": N_("in progress"),
        "retry": N_("retry"),
        "callback": N_("callback"),
        "nurture": N_("nurture"),
        "exhausted": N_("attempt cap reached"),
        "wrong_number": N_("wrong number"),
        "not_interested": N_("not interested"),
        "not_fit": N_("not a fit"),
        "qualified": N_("qualified"),
        "dnc": N_("do not call"),
    }
)

LIST_STATUS_LABELS = Labels(
    {"importing": N_("importing"), "active": N_("active"), "paused": N_("paused"),
     "archived": N_("archived")}
)  # fmt: skip
# A qualification's review, as the supervisor says it: "submitted" waits for them.
REVIEW_STATUS_LABELS = Labels(
    {"draft": N_("draft"), "submitted": N_("waiting"), "approved": N_("approved"),
     "returned": N_("returned")}
)  # fmt: skip
MEETING_STATUS_LABELS = Labels(
    {"booked": N_("booked"), "cancelled": N_("cancelled"), "done": N_("done")}
)
# Which queue rule serves a lead (tmdesk.services.queue), seen by a supervisor.
QUEUE_BUCKET_LABELS = Labels(
    {"in_progress": N_("in progress"), "callback_own": N_("own callback"),
     "callback_shared": N_("callback"), "retry": N_("retry"), "fresh": N_("new")}
)  # fmt: skip


def label(labels: Labels, code: str | None, missing: str = "") -> str:
    """The label of `code`; an unknown code as it is (data from a newer desk), None as
    `missing`."""
    if code is None or code == "":
        return missing
    return labels[code] if code in labels else code


def yes_no(value: bool | None) -> str:
    """'yes', 'no', or '' when not known."""
    return "" if value is None else (_("yes") if value else _("no"))
