"""The states a lead, a call list, a qualification and a meeting can be in.

StrEnums: each member equals the text stored in the database, so rows read back compare equal
to the members and raw SQL on the hot paths can keep its literals. The phone call's states
are `CallState` in tmdesk.domain.telephony, the call outcomes `Disposition`.
"""

from __future__ import annotations

from enum import StrEnum


class LeadStatus(StrEnum):
    NEW = "new"  # never called
    IN_PROGRESS = "in_progress"  # claimed by an agent (claimed_from keeps the status before)
    RETRY = "retry"  # unreached, due again at next_call_at
    CALLBACK = "callback"
    NURTURE = "nurture"  # not now: recall at next_call_at
    EXHAUSTED = "exhausted"  # unreached too many times
    WRONG_NUMBER = "wrong_number"
    NOT_INTERESTED = "not_interested"
    NOT_FIT = "not_fit"
    QUALIFIED = "qualified"
    DNC = "dnc"  # on the do-not-call list


# The statuses the queue serves (when due); every other one is finished or claimed.
SERVABLE = (LeadStatus.NEW, LeadStatus.RETRY, LeadStatus.CALLBACK, LeadStatus.NURTURE)
# Due at a time an agent (or anyone, when shared) agreed with the lead.
CALLBACKS = (LeadStatus.CALLBACK, LeadStatus.NURTURE)


class ListStatus(StrEnum):
    IMPORTING = "importing"  # an import still writes it: not served, not listed
    ACTIVE = "active"
    PAUSED = "paused"
    ARCHIVED = "archived"


class QualificationStatus(StrEnum):
    DRAFT = "draft"  # the agent is still answering
    SUBMITTED = "submitted"  # waits for the supervisor's review
    APPROVED = "approved"
    RETURNED = "returned"  # back to its agent, with a comment


class MeetingStatus(StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    DONE = "done"
