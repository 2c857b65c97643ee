"""The phone_call record: the desk asks for a call and reads its live state; the service
takes the requests, writes what the PBX says, and beats its heartbeat.

Desks and the service meet only in the database: a request is a phone_call row in state
"requested" that the service claims. A desk that dies mid-call loses nothing, and a result
that arrives after the agent moved on still lands on the row, hence on its attempt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from peewee import IntegrityError

from tmdesk.config import Settings
from tmdesk.domain.telephony import CallResult, CallState
from tmdesk.errors import TmdeskError
from tmdesk.i18n import _
from tmdesk.services.telephony.port import CallUpdate, DialRequest
from tmdesk.store.models import (
    CallAttempt,
    CallList,
    Lead,
    PhoneCall,
    TelephonyEvent,
    TelephonyService,
    User,
    database,
)

SERVICE = "serve"
STALE_HEARTBEAT = timedelta(seconds=5)  # the service beats every second
# a request the service did not pick up in time is dropped, not dialled long after the
# agent gave up on it
STALE_REQUEST = timedelta(seconds=30)
# a call the PBX never reported on (the service died between Originate and its events, or
# the PBX dropped it silently) stops showing "your phone rings" after this long
SILENT_CALL = timedelta(seconds=120)


class TelephonyUnavailable(TmdeskError):
    """The call cannot go through the PBX now; the message says why and what to do."""


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _seconds(later: datetime, earlier: datetime | None) -> int | None:
    if earlier is None:
        return None
    return max(0, round((later - earlier).total_seconds()))


@dataclass(frozen=True)
class PhoneCallInfo:
    id: int
    lead_id: int
    state: CallState
    result: CallResult | None
    cause: str | None
    line: str | None
    ring_seconds: int | None
    talk_seconds: int | None
    recording: str | None
    provider: str
    provider_call_id: str | None
    attempt_id: int | None
    requested_at: datetime | None = None
    agent_login: str = ""


def _info(call: PhoneCall, agent_login: str = "") -> PhoneCallInfo:
    return PhoneCallInfo(
        call.id,
        call.lead_id,
        CallState(call.state),
        CallResult(call.result) if call.result else None,
        call.cause,
        call.line,
        call.ring_seconds,
        call.talk_seconds,
        call.recording,
        call.provider,
        call.provider_call_id,
        call.attempt_id,
        call.requested_at,
        agent_login,
    )


def lead_phone_calls(lead_id: int) -> tuple[PhoneCallInfo, ...]:
    """Every call to the lead through the PBX, newest first (the supervisor's review)."""
    query = (
        PhoneCall.select(PhoneCall, User.login)
        .join(User, on=(User.id == PhoneCall.agent))
        .where(PhoneCall.lead == lead_id)
        .order_by(PhoneCall.id.desc())
    )
    return tuple(_info(call, call.agent.login) for call in query)


# --- the desk's side ---------------------------------------------------------------------


def service_problem(now: datetime | None = None) -> str | None:
    """None when the service runs and reaches the PBX; else one line saying what is wrong."""
    row = TelephonyService.get_or_none(TelephonyService.name == SERVICE)
    if row is None or _now(now) - row.beat_at > STALE_HEARTBEAT:
        return _("the telephony service is not running (`tmdesk telephony serve`)")
    return row.problem


def agent_extension(agent_id: int) -> str:
    return (User.get_by_id(agent_id).extension or "").strip()


def request_call(lead_id: int, agent_id: int, settings: Settings) -> PhoneCallInfo:
    """Ask the service to ring the agent's phone, then the lead's number.

    TelephonyUnavailable when it cannot (no extension, no service, PBX unreachable): the
    desk then dials by hand.
    """
    # real time, not the desk's clock: the service's heartbeat and its check of stale
    # requests run on it
    now = datetime.now(UTC)
    telephony = settings.telephony
    extension = agent_extension(agent_id)
    if not extension:
        raise TelephonyUnavailable(
            _(
                "you have no phone extension on the PBX: ask your supervisor for "
                "`tmdesk users edit YOUR_LOGIN --extension NUMBER`"
            )
        )
    problem = service_problem(now)
    if problem:
        raise TelephonyUnavailable(problem)
    lead = Lead.get_by_id(lead_id)
    list_name = CallList.get_by_id(lead.call_list_id).name
    line = telephony.caller_ids.get(list_name, telephony.caller_id)
    with database.atomic():
        call = PhoneCall.create(
            lead=lead_id,
            agent=agent_id,
            phone_e164=lead.phone_e164,
            extension=extension,
            provider=telephony.backend,
            line=line or None,
            requested_at=now,
        )
    return _info(call)


def call_info(call_id: int) -> PhoneCallInfo:
    return _info(PhoneCall.get_by_id(call_id))


def last_call(lead_id: int, agent_id: int) -> PhoneCallInfo | None:
    """The agent's latest call to the lead not yet on an attempt: what the desk shows again
    when the lead reopens after a restart."""
    call = (
        PhoneCall.select()
        .where(
            (PhoneCall.lead == lead_id)
            & (PhoneCall.agent == agent_id)
            & PhoneCall.attempt.is_null()
        )
        .order_by(PhoneCall.id.desc())
        .first()
    )
    return _info(call) if call else None


def link_calls_to_attempt(lead_id: int, agent_id: int, attempt_id: int) -> None:
    """The agent's calls to the lead that are on no attempt yet, or on one that was undone,
    belong to the one being recorded (inside its transaction). A call of a claim given back
    without an outcome joins the agent's next attempt on that lead: it was made, and
    belongs somewhere."""
    undone = CallAttempt.select(CallAttempt.id).where(
        (CallAttempt.lead == lead_id) & CallAttempt.undone_at.is_null(False)
    )
    PhoneCall.update(attempt=attempt_id).where(
        (PhoneCall.lead == lead_id)
        & (PhoneCall.agent == agent_id)
        & (PhoneCall.attempt.is_null() | PhoneCall.attempt.in_(undone))
    ).execute()


# --- the service's side --------------------------------------------------------------------


def beat(backend: str, problem: str | None, now: datetime | None = None) -> None:
    TelephonyService.insert(
        name=SERVICE, backend=backend, beat_at=_now(now), problem=problem
    ).on_conflict_replace().execute()


def take_requests(provider: str, now: datetime | None = None) -> list[DialRequest]:
    """Claim the new requests for this backend; too old ones fail instead of ringing late."""
    now = _now(now)
    taken = []
    with database.atomic():
        waiting = list(
            PhoneCall.select()
            .where((PhoneCall.state == CallState.REQUESTED) & (PhoneCall.provider == provider))
            .order_by(PhoneCall.requested_at)
        )
        for call in waiting:
            if now - call.requested_at > STALE_REQUEST:
                PhoneCall.update(
                    state=CallState.FAILED,
                    result=CallResult.FAILED,
                    cause=_("not dialled: the telephony service was not running"),
                    ended_at=now,
                ).where(PhoneCall.id == call.id).execute()
                continue
            PhoneCall.update(state=CallState.DIALLING).where(PhoneCall.id == call.id).execute()
            taken.append(DialRequest(call.id, call.extension, call.phone_e164, call.line or ""))
    return taken


def fail_silent_calls(provider: str, now: datetime | None = None) -> int:
    """Calls still waiting for the agent's phone long after any PBX would have said
    something end as failed, so no desk waits on them for ever."""
    failed: int = (
        PhoneCall.update(
            state=CallState.FAILED,
            result=CallResult.FAILED,
            cause=_("the PBX never reported on this call"),
            ended_at=_now(now),
        )
        .where(
            (PhoneCall.provider == provider)
            & (PhoneCall.state == CallState.DIALLING)
            & PhoneCall.provider_call_id.is_null()
            & (PhoneCall.requested_at < _now(now) - SILENT_CALL)
        )
        .execute()
    )
    return failed


def _find(update: CallUpdate) -> PhoneCall | None:
    call: PhoneCall | None
    if update.call_id is not None:
        call = PhoneCall.get_or_none(PhoneCall.id == update.call_id)
        if call is not None:
            return call
    if update.provider_call_id:
        call = (
            PhoneCall.select()
            .where(
                (PhoneCall.provider == update.provider)
                & (PhoneCall.provider_call_id == update.provider_call_id)
            )
            .first()
        )
        if call is not None:
            return call
    if update.match:
        extension, e164 = update.match
        digits = e164.lstrip("+")
        dialled: PhoneCall | None = (
            PhoneCall.select()
            .where(
                (PhoneCall.provider == update.provider)
                & PhoneCall.provider_call_id.is_null()
                & (PhoneCall.extension == extension)
                & PhoneCall.phone_e164.in_([digits, "+" + digits])
                & (PhoneCall.state == CallState.DIALLING)
            )
            .order_by(PhoneCall.id.desc())
            .first()
        )
        return dialled
    return None


def record_update(update: CallUpdate) -> bool:
    """Write one PBX event and what it changes on its call. False for a repeat."""
    with database.atomic():
        call = _find(update)
        try:
            with database.atomic():
                TelephonyEvent.create(
                    phone_call=call.id if call else None,
                    key=update.key,
                    kind=update.kind,
                    at=update.at,
                    payload=update.payload,
                )
        except IntegrityError:
            return False
        if call is not None:
            changes = _changes(call, update)
            if changes:
                PhoneCall.update(**changes).where(PhoneCall.id == call.id).execute()
    return True


def _changes(call: PhoneCall, update: CallUpdate) -> dict[str, Any]:
    at = update.at
    changes: dict[str, Any] = {}
    if update.provider_call_id and not call.provider_call_id:
        changes["provider_call_id"] = update.provider_call_id
    if update.line and not call.line:
        changes["line"] = update.line
    if update.recording:
        changes["recording"] = update.recording
    state = CallState(call.state)
    if update.state is not None and state.live:  # an ended call never comes back to life
        new = update.state
        if new is CallState.RINGING and call.ringing_at is None:
            changes.update(state=new, ringing_at=at)
        elif new is CallState.TALKING and call.answered_at is None:
            changes.update(
                state=new,
                answered_at=at,
                ring_seconds=_seconds(at, call.ringing_at or call.requested_at),
            )
        elif new in (CallState.ENDED, CallState.FAILED):
            changes.update(state=new, ended_at=at, result=update.result)
            if call.answered_at is not None:
                changes.update(
                    result=CallResult.ANSWERED, talk_seconds=_seconds(at, call.answered_at)
                )
            elif call.ringing_at is not None:
                changes["ring_seconds"] = _seconds(at, call.ringing_at)
        elif new is CallState.DIALLING and state is CallState.REQUESTED:
            changes["state"] = new
    if update.cause and not call.cause:
        changes["cause"] = update.cause
    # the PBX's own accounting wins over our clock
    if update.talk_seconds is not None:
        changes["talk_seconds"] = update.talk_seconds
    if update.ring_seconds is not None:
        changes["ring_seconds"] = update.ring_seconds
    return changes
