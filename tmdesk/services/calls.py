"""The call loop: claim the next lead, hold it with a lease, record the outcome, undo it.

A claim is one `UPDATE … RETURNING` inside an IMMEDIATE transaction, so two agents (in
any number of processes) can never take the same lead. The open call screen renews the
lease; a lease that runs out gives the lead back to the pool at the next claim.

Over 400 lines: claiming, recording an outcome and undoing it change the same lead, attempt
and lease under the same rules; the lead card and call history read what they wrote.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from time import monotonic
from typing import Any
from zoneinfo import ZoneInfo

from tmdesk.config import Settings
from tmdesk.domain.dispositions import Disposition, DispositionError, RetryPolicy, decide
from tmdesk.domain.statuses import LeadStatus, MeetingStatus, QualificationStatus
from tmdesk.errors import TmdeskError
from tmdesk.i18n import _
from tmdesk.services.queue import (
    CallableZones,
    bucket_queries,
    callable_zone_sets,
    inactive_list_ids,
    rule_parameters,
)
from tmdesk.services.telephony.calls import link_calls_to_attempt
from tmdesk.store.db import DeskSqliteDatabase
from tmdesk.store.dialect import is_postgres, lock_rows
from tmdesk.store.fields import parse_utc_text, utc_text
from tmdesk.store.models import (
    AuditEvent,
    CallAttempt,
    DncEntry,
    Lead,
    Meeting,
    Qualification,
    Specialist,
    User,
    database,
)


class CallError(TmdeskError):
    """The call action cannot be done (the lead is no longer yours, nothing to undo, …)."""


# The lead fields a disposition changes, saved on the attempt so undo can restore them.
_QUEUE_FIELDS = (
    "status",
    "attempts",
    "last_attempt_at",
    "next_call_at",
    "callback_owner_id",
    "callback_note",
    "notes_draft",
    "claimed_from",
)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def policy_of(settings: Settings) -> RetryPolicy:
    return RetryPolicy(
        settings.retry, settings.max_attempts, settings.max_attempts_per_day, settings.min_gap
    )


@dataclass(frozen=True)
class Claim:
    lead_id: int
    bucket: str
    lease_until: datetime


# Leads whose lease ran out (their agent closed or lost the desk) go back at the next claim.
_EXPIRE = (
    "UPDATE lead SET status = coalesce(claimed_from, 'new'), claimed_by_id = NULL, "
    "claimed_at = NULL, lease_until = NULL, claimed_from = NULL "
    "WHERE status = 'in_progress' AND lease_until < :now"
)
# PostgreSQL: leases another claim is returning are left to it (two claims updating the same
# rows in different orders could deadlock)
_EXPIRE_SKIP_LOCKED = (
    _EXPIRE.replace(
        "WHERE status",
        "WHERE id IN (SELECT id FROM lead WHERE status",
    )
    + " FOR UPDATE SKIP LOCKED)"
)
# each rule's query locks the lead it found; a lead another claim holds is skipped
_SKIP_LOCKED = " FOR UPDATE OF lead SKIP LOCKED"
# PostgreSQL sends the whole claim in one trip, so no statement waits for another's result:
# one renews the lease of the lead the agent holds, and the take finds nothing while the
# agent holds one
_RENEW_OWN = "UPDATE lead SET lease_until = :lease WHERE id = ({own}) RETURNING id"
_UNLESS_HOLDING = (
    " AND NOT EXISTS (SELECT 1 FROM lead WHERE lead.status = 'in_progress' AND "
    "lead.claimed_by_id = :agent)"
)


@dataclass(frozen=True)
class _ClaimPlan:
    """The claim's statements for one state of the queue (open zone sets, paused lists)."""

    own: str  # the agent's own lead (PostgreSQL: its lease renewed, RETURNING id)
    take: str
    expire: str
    zones: CallableZones
    inactive: tuple[int, ...]
    read_at: float  # monotonic


_plans: dict[tuple[Any, ...], _ClaimPlan] = {}
PLAN_SECONDS = 1.0  # how long a claim may reuse which zone sets are open and lists paused


def _claim_plan(settings: Settings, now: datetime) -> _ClaimPlan:
    """The claim's SQL, rebuilt at most once a second: an agent's desk claims many times a
    minute, and reading zone sets and lists each time cost a third of a claim."""
    key = (str(database.obj.database), id(settings))
    plan = _plans.get(key)
    if (
        plan is not None
        and monotonic() - plan.read_at < PLAN_SECONDS
        and now < plan.zones.valid_until
    ):
        return plan
    zones, inactive = callable_zone_sets(settings, now), inactive_list_ids()
    own, *rules = bucket_queries(settings, zones, inactive)
    postgres = is_postgres()
    # PostgreSQL: a literal LIMIT, so that a plan made once for any parameters still
    # knows it wants one row (one_trip's generic plans)
    lock, limit = (_SKIP_LOCKED, "1") if postgres else ("", ":limit")
    # one statement: the first non-empty rule wins (coalesce stops at the first id)
    picks = ", ".join(f"({rule.select('lead.id', lock=lock, limit=limit)})" for rule in rules)
    plan = _ClaimPlan(
        own=(
            _RENEW_OWN.format(own=own.select("lead.id", limit=limit))
            if postgres
            else own.select("lead.id")
        ),
        take=(
            "UPDATE lead SET claimed_from = status, status = 'in_progress', "
            "claimed_by_id = :agent, claimed_at = :now, lease_until = :lease, "
            f"released_by_id = NULL, updated_at = :now WHERE id = coalesce({picks})"
            f"{_UNLESS_HOLDING if postgres else ''} "
            "RETURNING id, claimed_from, callback_owner_id"
        ),
        expire=_EXPIRE_SKIP_LOCKED if lock else _EXPIRE,
        zones=zones,
        inactive=inactive,
        read_at=monotonic(),
    )
    _plans[key] = plan
    return plan


def claim_next_lead(
    agent_id: int, settings: Settings, *, now: datetime | None = None
) -> Claim | None:
    """Atomically take the first lead of the agent's queue, or None when nothing is callable."""
    now = _now(now)
    lease_until = now + settings.lease
    plan = _claim_plan(settings, now)
    parameters = rule_parameters(agent_id, settings, now) | {
        "lease": utc_text(lease_until),
        "limit": 1,
    }
    if is_postgres():
        row = _claim_in_one_trip(plan, parameters)
    elif database.in_transaction():  # a caller's transaction: a savepoint
        with database.atomic():
            row = _claim(database.execute_sql, plan, parameters)
    else:
        # the hot path: sqlite3 directly, one IMMEDIATE transaction (peewee's atomic() costs
        # as much again as the statements)
        connection, begin = _claim_connection()
        begin(connection)
        try:
            row = _claim(connection.execute, plan, parameters)
        except BaseException:
            if connection.in_transaction:  # SQLite rolls back by itself after an I/O error
                connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
    if row is None:
        return None
    lead_id, was, owner = row
    if was is None:  # back after a restart: the same lead, a fresh lease
        return Claim(lead_id, "in_progress", lease_until)
    bucket = {LeadStatus.NEW: "fresh", LeadStatus.RETRY: "retry"}.get(
        was, "callback_own" if owner == agent_id else "callback_shared"
    )
    return Claim(lead_id, bucket, lease_until)


def _claim_connection() -> tuple[sqlite3.Connection, Callable[[sqlite3.Connection], None]]:
    """The connection a claim runs on, and how it begins its transaction (the desk's SQLite
    polls for the write lock: see DeskSqliteDatabase)."""
    db = database.obj
    if isinstance(db, DeskSqliteDatabase):
        return db.claim_connection(), db.begin_polling
    connection: sqlite3.Connection = database.connection()
    return connection, _begin_immediate


def _begin_immediate(connection: sqlite3.Connection) -> None:
    connection.execute("BEGIN IMMEDIATE")


def _claim(
    execute: Callable[[str, dict[str, Any]], Any], plan: _ClaimPlan, parameters: dict[str, Any]
) -> tuple[Any, ...] | None:
    """(lead id, status it had, callback owner); status None for the agent's own lead.
    `execute`: the sqlite3 connection's (the hot path) or the database's."""
    execute(plan.expire, parameters)
    row = execute(plan.own, parameters).fetchone()
    if row is not None:
        execute("UPDATE lead SET lease_until = :lease WHERE id = :id", parameters | {"id": row[0]})
        return row[0], None, None
    taken: tuple[Any, ...] | None = execute(plan.take, parameters).fetchone()
    return taken


def _claim_in_one_trip(plan: _ClaimPlan, parameters: dict[str, Any]) -> tuple[Any, ...] | None:
    """PostgreSQL's claim: its statements lock what they take (SKIP LOCKED) and go to the
    server together, with generic plans (planning the take cost more than running it)."""
    with database.obj.one_trip(generic_plans=True) as execute:
        execute(plan.expire, parameters)
        renewed = execute(plan.own, parameters)
        taken = execute(plan.take, parameters)
    row = renewed.fetchone()
    if row is not None:  # back after a restart: the same lead, a fresh lease
        return row[0], None, None
    took: tuple[Any, ...] | None = taken.fetchone()
    return took


def _own_claim(lead_id: int, agent_id: int) -> Lead:
    lock_rows("lead", lead_id)  # PostgreSQL: held until the caller's transaction ends
    lead = Lead.get_or_none(Lead.id == lead_id)
    if lead is None:
        raise CallError(_("lead {id} does not exist").format(id=lead_id))
    if lead.status != LeadStatus.IN_PROGRESS or lead.claimed_by_id != agent_id:
        raise CallError(
            _(
                "lead {id} is no longer yours: its claim expired and it went back to the queue"
            ).format(id=lead_id)
        )
    return lead


def renew_lease(
    lead_id: int, agent_id: int, settings: Settings, *, now: datetime | None = None
) -> datetime:
    """Extend the claim; CallError when the lead was lost meanwhile."""
    now = _now(now)
    until = now + settings.lease
    with database.atomic():
        changed = database.execute_sql(
            "UPDATE lead SET lease_until = ? WHERE id = ? AND claimed_by_id = ? "
            "AND status = 'in_progress'",
            (utc_text(until), lead_id, agent_id),
        ).rowcount
    if not changed:
        _own_claim(lead_id, agent_id)  # raises the explanation
    return until


def release_lead(lead_id: int, agent_id: int, *, skip: bool = True) -> None:
    """Give the lead back untouched (notes draft kept). With `skip` (the agent's release
    key) this agent is served it again only after every other callable lead (§4)."""
    with database.atomic():
        _own_claim(lead_id, agent_id)
        database.execute_sql(
            "UPDATE lead SET status = coalesce(claimed_from, 'new'), claimed_by_id = NULL, "
            "claimed_at = NULL, lease_until = NULL, claimed_from = NULL, "
            "released_by_id = ? WHERE id = ?",
            (agent_id if skip else None, lead_id),
        )


def save_notes_draft(lead_id: int, agent_id: int, text: str) -> None:
    """Keep what the agent typed, so a crash or a kill loses nothing."""
    with database.atomic():
        database.execute_sql(
            "UPDATE lead SET notes_draft = ? WHERE id = ? AND claimed_by_id = ?",
            (text, lead_id, agent_id),
        )


@dataclass(frozen=True)
class Recorded:
    attempt_id: int
    lead_id: int
    disposition: Disposition
    status: str
    next_call_at: datetime | None


# Outcomes after which a booked meeting cannot stand (the lead said no, is not a fit, is
# not reachable or not ready now). Retries and callbacks keep it: the meeting still holds.
_ENDS_THE_MEETING: frozenset[str] = frozenset(
    {
        Disposition.NOT_INTERESTED,
        Disposition.NOT_FIT,
        Disposition.WRONG_NUMBER,
        Disposition.DNC,
        Disposition.NURTURE,
    }
)


def _cancel_meetings(lead_id: int, agent_id: int, disposition: Disposition, now: datetime) -> None:
    reason = _("the lead's outcome became {outcome}").format(outcome=disposition.value)
    _cancel_booked(lead_id, agent_id, reason, now)


def _cancel_booked(lead_id: int, agent_id: int, reason: str, now: datetime) -> None:
    """Cancel the lead's booked meetings, each with its audit event."""
    for meeting in Meeting.select(Meeting.id).where(
        Meeting.lead == lead_id, Meeting.status == MeetingStatus.BOOKED
    ):
        Meeting.update(
            status=MeetingStatus.CANCELLED, cancelled_at=now, cancel_reason=reason
        ).where(Meeting.id == meeting.id).execute()
        AuditEvent.create(
            at=now,
            user=agent_id,
            lead=lead_id,
            action="meeting.cancel",
            details={"meeting_id": meeting.id, "reason": reason},
        )


def record_disposition(
    lead_id: int,
    agent_id: int,
    disposition: Disposition | str,
    settings: Settings,
    *,
    note: str = "",
    reason: str = "",
    callback_at: datetime | None = None,
    shared: bool = False,
    recall_at: datetime | None = None,
    dialled_at: datetime | None = None,
    now: datetime | None = None,
    by_script: bool = False,
) -> Recorded:
    """Record the outcome of the call on a lead the agent holds, and apply its effects.

    "qualified" comes only from the qualification script's verdict (by_script, passed by
    services.qualification): a lead the script calls not a fit cannot be marked qualified.
    """
    now = _now(now)
    disposition = Disposition(disposition)
    if disposition is Disposition.QUALIFIED and not by_script:
        raise CallError(
            _("a lead is qualified by its qualification script's verdict: fill in the form")
        )
    with database.atomic():
        lead = _own_claim(lead_id, agent_id)
        recent = [
            parse_utc_text(row[0])
            for row in database.execute_sql(
                "SELECT at FROM call_attempt WHERE lead_id = ? AND at > ? AND undone_at IS NULL",
                (lead_id, utc_text(now - timedelta(hours=24))),
            )
        ]
        try:
            outcome = decide(
                disposition,
                now,
                attempts_before=lead.attempts,
                recent_attempts=recent,
                policy=policy_of(settings),
                reason=reason,
                callback_at=callback_at,
                shared=shared,
                recall_at=recall_at,
            )
        except DispositionError as error:
            raise CallError(str(error)) from None
        before = {name: _plain(getattr(lead, name)) for name in _QUEUE_FIELDS}
        before["status"] = lead.claimed_from or "new"
        attempt = CallAttempt.create(
            lead=lead_id,
            agent=agent_id,
            phone_e164=lead.phone_e164,
            claimed_at=lead.claimed_at,
            dialled_at=dialled_at,
            at=now,
            disposition=disposition.value,
            note=note.strip(),
            reason=reason.strip() or None,
            callback_at=outcome.next_call_at
            if disposition in (Disposition.CALLBACK, Disposition.NURTURE)
            else None,
            status_before=before["status"],
            status_after=outcome.status,
            lead_before=before,
        )
        link_calls_to_attempt(lead_id, agent_id, attempt.id)  # PBX calls and their results
        keeps_note = disposition in (Disposition.CALLBACK, Disposition.NURTURE)
        Lead.update(
            status=outcome.status,
            attempts=lead.attempts + 1,
            last_attempt_at=now,
            next_call_at=outcome.next_call_at,
            callback_owner=agent_id if outcome.personal else None,
            # the note travels with a callback, so whoever calls back sees what was agreed
            callback_note=(note.strip() or None) if keeps_note else None,
            claimed_by=None,
            claimed_at=None,
            lease_until=None,
            claimed_from=None,
            notes_draft=None,
            updated_at=now,
        ).where(Lead.id == lead_id).execute()
        if disposition is Disposition.DNC:
            DncEntry.insert(
                phone_e164=lead.phone_e164,
                reason=reason.strip() or note.strip(),
                source=f"call:{attempt.id}",
                added_by=agent_id,
                added_at=now,
            ).on_conflict_ignore().execute()
        if outcome.status in _ENDS_THE_MEETING:
            _cancel_meetings(lead_id, agent_id, disposition, now)
    return Recorded(attempt.id, lead_id, disposition, outcome.status, outcome.next_call_at)


def _plain(value: Any) -> Any:
    return utc_text(value) if isinstance(value, datetime) else value


@dataclass(frozen=True)
class Undone:
    lead_id: int
    disposition: Disposition
    meetings_cancelled: int = 0


class UndoCancelsMeeting(CallError):
    """Undoing this outcome would cancel the lead's booked meeting: ask the agent first, then
    undo again with `cancel_meeting=True`."""

    def __init__(self, company: str, starts_at: datetime, specialist: str) -> None:
        super().__init__(
            _("undoing {company} cancels its meeting with {specialist}").format(
                company=company, specialist=specialist
            )
        )
        self.company, self.starts_at, self.specialist = company, starts_at, specialist


def last_done_on(lead_id: int, agent_id: int, since: datetime) -> datetime:
    """The last thing the agent did on the lead from `since` on: the outcome itself, or what
    followed it (a meeting booked, moved or cancelled, each an audit event). The undo window
    counts from here, so booking a meeting after the verdict does not close it."""
    row = database.execute_sql(
        "SELECT max(at) FROM audit_event WHERE lead_id = ? AND user_id = ? AND at >= ?",
        (lead_id, agent_id, utc_text(since)),
    ).fetchone()
    return max(since, parse_utc_text(row[0])) if row and row[0] else since


def _meeting_to_cancel(lead_id: int) -> Meeting | None:
    found: Meeting | None = (
        Meeting.select(Meeting, Specialist)
        .join(Specialist)
        .where(Meeting.lead == lead_id, Meeting.status == MeetingStatus.BOOKED)
        .order_by(Meeting.starts_at)
        .first()
    )
    return found


def undo_last_disposition(
    agent_id: int,
    settings: Settings,
    *,
    now: datetime | None = None,
    cancel_meeting: bool = False,
) -> Undone:
    """Take back the agent's last disposition within the undo window, which counts from the
    last thing the agent did on that lead (last_done_on).

    Refused when someone else has taken the lead since. The lead comes back to the agent
    in progress (their auto-advanced next lead, if any, goes back to the queue untouched).
    A qualified lead with a booked meeting: UndoCancelsMeeting, unless `cancel_meeting`
    (the agent confirmed), when the meeting is cancelled in the same transaction.
    """
    now = _now(now)
    with database.atomic():
        lock_rows("user", agent_id)  # PostgreSQL: one undo of this agent at a time
        attempt = (
            CallAttempt.select()
            .where(CallAttempt.agent == agent_id, CallAttempt.undone_at.is_null())
            .order_by(CallAttempt.at.desc(), CallAttempt.id.desc())
            .first()
        )
        if attempt is None or (
            last_done_on(attempt.lead_id, agent_id, attempt.at) < now - settings.undo_window
        ):
            raise CallError(
                _("nothing to undo (only the last call, within {s} s)").format(
                    s=int(settings.undo_window.total_seconds())
                )
            )
        lock_rows("lead", attempt.lead_id)
        lead = Lead.get_by_id(attempt.lead_id)
        later = (
            CallAttempt.select()
            .where(CallAttempt.lead == lead.id, CallAttempt.id > attempt.id)
            .exists()
        )
        if later or (lead.claimed_by_id not in (None, agent_id)):
            raise CallError(_("cannot undo: another agent has taken this lead since"))
        meeting = (
            _meeting_to_cancel(lead.id) if attempt.disposition == Disposition.QUALIFIED else None
        )
        if meeting is not None and not cancel_meeting:
            raise UndoCancelsMeeting(lead.company, meeting.starts_at, meeting.specialist.name)
        if meeting is not None:
            _cancel_booked(lead.id, agent_id, _("the agent undid the qualified outcome"), now)
        for other in Lead.select(Lead.id).where(
            Lead.claimed_by == agent_id, Lead.status == LeadStatus.IN_PROGRESS, Lead.id != lead.id
        ):
            release_lead(other.id, agent_id, skip=False)
        before = attempt.lead_before or {}

        def instant(name: str) -> datetime | None:
            return parse_utc_text(before[name]) if before.get(name) else None

        Lead.update(
            {
                Lead.status: "in_progress",
                Lead.claimed_by: agent_id,
                Lead.claimed_at: attempt.claimed_at or now,
                Lead.lease_until: now + settings.lease,
                Lead.claimed_from: before.get("status", attempt.status_before),
                Lead.attempts: before.get("attempts", max(lead.attempts - 1, 0)),
                Lead.last_attempt_at: instant("last_attempt_at"),
                Lead.next_call_at: instant("next_call_at"),
                Lead.callback_owner: before.get("callback_owner_id"),
                Lead.callback_note: before.get("callback_note"),
                Lead.notes_draft: attempt.note or before.get("notes_draft"),
                Lead.updated_at: now,
            }
        ).where(Lead.id == lead.id).execute()
        CallAttempt.update(undone_at=now).where(CallAttempt.id == attempt.id).execute()
        if attempt.disposition == Disposition.DNC:
            DncEntry.delete().where(DncEntry.source == f"call:{attempt.id}").execute()
        # An outcome the script's verdict gave goes back with the answers: the submitted
        # qualification (stamped with the attempt's instant) becomes the agent's draft again.
        Qualification.update(
            status=QualificationStatus.DRAFT, submitted_at=None, updated_at=now
        ).where(
            Qualification.lead == lead.id,
            Qualification.agent == agent_id,
            Qualification.status == QualificationStatus.SUBMITTED,
            Qualification.submitted_at == attempt.at,
        ).execute()
    return Undone(lead.id, Disposition(attempt.disposition), int(meeting is not None))


# --- what the call screen shows ------------------------------------------------------------


@dataclass(frozen=True)
class PastCall:
    at: datetime
    agent: str
    disposition: Disposition
    note: str
    reason: str | None


@dataclass(frozen=True)
class LeadCard:
    lead_id: int
    company: str
    contact: str
    position: str
    email: str
    phone_e164: str
    phone_ext: str | None
    alternates: tuple[tuple[str, str | None], ...]  # (e164, extension)
    city: str
    region: str
    place: str
    zones: tuple[str, ...]
    list_name: str
    status: str
    attempts: int
    comment: str
    extra: dict[str, Any]
    notes_draft: str
    callback_note: str | None
    claimed_at: datetime | None
    lease_until: datetime | None
    history: tuple[PastCall, ...]
    # the supervisor's comment when they returned the lead's qualification (then it is the
    # callback note too, but nothing agreed with the client)
    returned_comment: str | None = None


def lead_card(lead_id: int) -> LeadCard:
    lead = (
        Lead.select(Lead, Lead.call_list, Lead.zone_set)
        .join_from(Lead, Lead.call_list.rel_model)
        .join_from(Lead, Lead.zone_set.rel_model)
        .where(Lead.id == lead_id)
        .get_or_none()
    )
    if lead is None:
        raise CallError(_("lead {id} does not exist").format(id=lead_id))
    history = tuple(
        PastCall(a.at, a.agent.name, Disposition(a.disposition), a.note, a.reason)
        for a in CallAttempt.select(CallAttempt, User)
        .join(User)
        .where(CallAttempt.lead == lead_id, CallAttempt.undone_at.is_null())
        .order_by(CallAttempt.at.desc())
        .limit(50)
    )
    return LeadCard(
        lead_id=lead.id,
        company=lead.company,
        contact=lead.contact,
        position=lead.position,
        email=lead.email,
        phone_e164=lead.phone_e164,
        phone_ext=lead.phone_ext,
        alternates=tuple((a["e164"], a.get("ext")) for a in (lead.alternates or [])),
        city=lead.city,
        region=lead.region,
        place=lead.place,
        zones=tuple(z for z in lead.zone_set.zones.split("|") if z),
        list_name=lead.call_list.name,
        status=lead.status,
        attempts=lead.attempts,
        comment=lead.comment,
        extra=lead.extra or {},
        notes_draft=lead.notes_draft or "",
        callback_note=lead.callback_note,
        claimed_at=lead.claimed_at,
        lease_until=lead.lease_until,
        history=history,
        returned_comment=returned_comment(lead.id) if lead.callback_note else None,
    )


def returned_comment(lead_id: int) -> str | None:
    """What the supervisor said when returning the lead's latest qualification, while it is
    the latest (None when it was not returned, or was submitted again since)."""
    row = (
        Qualification.select(Qualification.status, Qualification.review_comment)
        .where(
            Qualification.lead == lead_id,
            Qualification.status != QualificationStatus.DRAFT,
        )
        .order_by(Qualification.id.desc())
        .first()
    )
    if row is None or row.status != QualificationStatus.RETURNED:
        return None
    return (row.review_comment or "").strip() or None


# --- history views -------------------------------------------------------------------------


@dataclass(frozen=True)
class CallRecord:
    at: datetime
    agent: str
    lead_id: int
    company: str
    phone_e164: str
    disposition: str
    note: str

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "agent": self.agent,
            "lead_id": self.lead_id,
            "phone_e164": self.phone_e164,
            "disposition": self.disposition,
            "note": self.note,
        }


def today(zone: str, now: datetime | None = None) -> date:
    return _now(now).astimezone(ZoneInfo(zone)).date()


def day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """A calendar day in a time zone as a UTC range [start, end)."""
    tz = ZoneInfo(zone)
    try:
        start = datetime.combine(day, time(), tzinfo=tz)
        end = datetime.combine(day + timedelta(days=1), time(), tzinfo=tz)
        return start.astimezone(UTC), end.astimezone(UTC)
    except OverflowError:  # 0001-01-01 or 9999-12-31 given on the command line
        raise CallError(
            _("{day} is outside the calendar the desk can work with").format(day=day.isoformat())
        ) from None


def list_calls(
    day: date, zone: str, *, agent_login: str | None = None, limit: int = 10_000, offset: int = 0
) -> list[CallRecord]:
    """Recorded (not undone) calls of a day in `zone`, oldest first."""
    start, end = day_bounds(day, zone)
    sql = (
        "SELECT a.at, u.login, a.lead_id, l.company, a.phone_e164, a.disposition, a.note "
        'FROM call_attempt a JOIN "user" u ON u.id = a.agent_id JOIN lead l ON l.id = a.lead_id '
        "WHERE a.at >= ? AND a.at < ? AND a.undone_at IS NULL"
    )
    params: list[Any] = [utc_text(start), utc_text(end)]
    if agent_login:
        sql += " AND u.login = ?"
        params.append(agent_login)
    sql += " ORDER BY a.at, a.id LIMIT ? OFFSET ?"
    params += [limit, offset]
    return [
        CallRecord(parse_utc_text(at), login, lead_id, company, phone, dispo, note)
        for at, login, lead_id, company, phone, dispo, note in database.execute_sql(sql, params)
    ]
