"""Dispositions (the recorded outcome of a call) and what each does to the lead.

Pure rules: given the outcome, the lead's attempt history and the retry policy, decide
the lead's next status and when it is due again. The store applies the decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from tmdesk.domain.statuses import LeadStatus
from tmdesk.i18n import N_, Labels, _


class Disposition(StrEnum):
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    VOICEMAIL = "voicemail"
    WRONG_NUMBER = "wrong_number"
    CALLBACK = "callback"
    NOT_INTERESTED = "not_interested"
    NOT_FIT = "not_fit"
    NURTURE = "nurture"
    QUALIFIED = "qualified"
    DNC = "dnc"

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def reached(self) -> bool:
        """A person answered (for contact-rate figures)."""
        return self not in UNREACHED


UNREACHED = frozenset({Disposition.NO_ANSWER, Disposition.BUSY, Disposition.VOICEMAIL})
RETRYING = UNREACHED

# translated when read, in the language then spoken (never frozen at import)
LABELS = Labels(
    {
        Disposition.NO_ANSWER: N_("no answer"),
        Disposition.BUSY: N_("busy"),
        Disposition.VOICEMAIL: N_("voicemail"),
        Disposition.WRONG_NUMBER: N_("wrong number"),
        Disposition.CALLBACK: N_("callback"),
        Disposition.NOT_INTERESTED: N_("not interested"),
        Disposition.NOT_FIT: N_("not a fit"),
        Disposition.NURTURE: N_("nurture"),
        Disposition.QUALIFIED: N_("qualified"),
        Disposition.DNC: N_("do not call"),
    }
)

# The lead status each disposition leads to, when it does not retry.
FINAL_STATUS = {
    Disposition.WRONG_NUMBER: LeadStatus.WRONG_NUMBER,
    Disposition.CALLBACK: LeadStatus.CALLBACK,
    Disposition.NOT_INTERESTED: LeadStatus.NOT_INTERESTED,
    Disposition.NOT_FIT: LeadStatus.NOT_FIT,
    Disposition.NURTURE: LeadStatus.NURTURE,
    Disposition.QUALIFIED: LeadStatus.QUALIFIED,
    Disposition.DNC: LeadStatus.DNC,
}


class DispositionError(ValueError):
    """The disposition cannot be recorded as given (missing reason, past date, …)."""


@dataclass(frozen=True)
class RetryPolicy:
    delays: dict[str, timedelta]  # no_answer / busy / voicemail → delay
    max_attempts: int = 6
    max_attempts_per_day: int = 3
    min_gap: timedelta = timedelta(minutes=10)


@dataclass(frozen=True)
class Outcome:
    status: LeadStatus
    next_call_at: datetime | None
    personal: bool  # the callback/recall belongs to the agent who recorded it


def decide(
    disposition: Disposition,
    now: datetime,
    *,
    attempts_before: int,
    recent_attempts: Sequence[datetime],
    policy: RetryPolicy,
    reason: str = "",
    callback_at: datetime | None = None,
    shared: bool = False,
    recall_at: datetime | None = None,
) -> Outcome:
    """The lead's next state after `disposition`, recorded at `now`.

    recent_attempts: when the earlier attempts of the last 24 hours were made.
    """
    attempts = attempts_before + 1
    if disposition in RETRYING:
        if attempts >= policy.max_attempts:
            return Outcome(LeadStatus.EXHAUSTED, None, False)
        due = now + max(policy.delays[disposition.value], policy.min_gap)
        day = [at for at in recent_attempts if at > now - timedelta(hours=24)] + [now]
        if len(day) >= policy.max_attempts_per_day:
            # the per-day cap frees a slot 24 h after the oldest attempt of the window
            due = max(due, sorted(day)[-policy.max_attempts_per_day] + timedelta(hours=24))
        return Outcome(LeadStatus.RETRY, due, False)
    if disposition is Disposition.CALLBACK:
        if callback_at is None:
            raise DispositionError(_("a callback needs a time"))
        if callback_at <= now:
            raise DispositionError(_("the callback time is in the past"))
        return Outcome(LeadStatus.CALLBACK, callback_at, not shared)
    if disposition is Disposition.NURTURE:
        if recall_at is None:
            raise DispositionError(_("nurture needs a recall date"))
        if recall_at <= now:
            raise DispositionError(_("the recall date is in the past"))
        return Outcome(LeadStatus.NURTURE, recall_at, True)
    if disposition is Disposition.NOT_INTERESTED and not reason.strip():
        raise DispositionError(_("not interested needs a reason"))
    return Outcome(FINAL_STATUS[disposition], None, False)
