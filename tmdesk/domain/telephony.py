"""What a PBX says about a call, in the desk's words: its result, and the outcome to offer.

Pure: the Asterisk dial statuses and hangup causes, and Zadarma's dispositions, become one of
a few results; an unanswered result pre-selects the matching disposition.
"""

from __future__ import annotations

from enum import StrEnum

from tmdesk.domain.dispositions import Disposition
from tmdesk.i18n import N_, Labels, _


class CallResult(StrEnum):
    ANSWERED = "answered"
    BUSY = "busy"
    NO_ANSWER = "no_answer"
    UNREACHABLE = "unreachable"
    FAILED = "failed"  # the agent's own phone did not answer, or the PBX refused


class CallState(StrEnum):
    REQUESTED = "requested"  # the desk asked; the service has not picked it up yet
    DIALLING = "dialling"  # the PBX rings the agent's own phone
    RINGING = "ringing"  # the lead's number rings
    TALKING = "talking"
    ENDED = "ended"
    FAILED = "failed"

    @property
    def live(self) -> bool:
        return self not in (CallState.ENDED, CallState.FAILED)


# Asterisk's DIALSTATUS (app_dial): what the lead's leg did.
DIAL_STATUS = {
    "ANSWER": CallResult.ANSWERED,
    "BUSY": CallResult.BUSY,
    "NOANSWER": CallResult.NO_ANSWER,
    "CANCEL": CallResult.NO_ANSWER,  # the agent hung up while it rang
    "CONGESTION": CallResult.UNREACHABLE,
    "CHANUNAVAIL": CallResult.UNREACHABLE,
    "DONTCALL": CallResult.FAILED,
    "TORTURE": CallResult.FAILED,
    "INVALIDARGS": CallResult.FAILED,
}

# Q.850 hangup causes, when no dial status came (e.g. the call failed before Dial).
HANGUP_CAUSE = {
    16: CallResult.ANSWERED,  # normal clearing: decided by whether it was answered
    17: CallResult.BUSY,
    18: CallResult.NO_ANSWER,
    19: CallResult.NO_ANSWER,
    21: CallResult.BUSY,  # call rejected
    1: CallResult.UNREACHABLE,  # unallocated number
    3: CallResult.UNREACHABLE,
    20: CallResult.UNREACHABLE,  # subscriber absent
    27: CallResult.UNREACHABLE,
    28: CallResult.UNREACHABLE,  # invalid number format
    34: CallResult.UNREACHABLE,  # no circuit available
    38: CallResult.UNREACHABLE,
}

# Zadarma's NOTIFY_OUT_END disposition.
ZADARMA_DISPOSITION = {
    "answered": CallResult.ANSWERED,
    "busy": CallResult.BUSY,
    "cancel": CallResult.NO_ANSWER,
    "no answer": CallResult.NO_ANSWER,
    "failed": CallResult.UNREACHABLE,
    "unallocated number": CallResult.UNREACHABLE,
}


def result_of_dial_status(status: str) -> CallResult:
    return DIAL_STATUS.get(status.strip().upper(), CallResult.FAILED)


def result_of_hangup_cause(cause: int | str, answered: bool) -> CallResult:
    try:
        code = int(cause)
    except (TypeError, ValueError):
        code = 0
    if answered:
        return CallResult.ANSWERED
    result = HANGUP_CAUSE.get(code, CallResult.FAILED)
    return CallResult.NO_ANSWER if result is CallResult.ANSWERED else result


def result_of_zadarma(disposition: str) -> CallResult:
    # "no money", "no limit", "line limit"…: the account's problem, not the lead's
    return ZADARMA_DISPOSITION.get(disposition.strip().lower(), CallResult.FAILED)


# The outcome an unanswered end pre-selects; answered calls take the agent's own.
PRESELECTED = {
    CallResult.BUSY: Disposition.BUSY,
    CallResult.NO_ANSWER: Disposition.NO_ANSWER,
    # a number that cannot be reached now is retried like a no-answer: it may be a
    # switched-off phone, and "wrong number" would end the lead for good
    CallResult.UNREACHABLE: Disposition.NO_ANSWER,
}


def preselected(result: CallResult | None) -> Disposition | None:
    return PRESELECTED.get(result) if result else None


def minutes_seconds(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


RESULT_LABELS = Labels(
    {
        CallResult.ANSWERED: N_("answered"),
        CallResult.BUSY: N_("busy"),
        CallResult.NO_ANSWER: N_("no answer"),
        CallResult.UNREACHABLE: N_("unreachable"),
        CallResult.FAILED: N_("did not go through"),
    }
)


def result_label(result: CallResult, talk_seconds: int | None) -> str:
    """ "busy", "no answer", "answered, 3:42"."""
    if result is CallResult.ANSWERED and talk_seconds is not None:
        return _("answered, {time}").format(time=minutes_seconds(talk_seconds))
    return RESULT_LABELS[result]
