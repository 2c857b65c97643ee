"""Booking a qualified lead's meeting with a development specialist.

The panel asks `booking_options` (who matches the lead, whose turn it is, the agenda and
attendees from the qualification) and `free_slots`; `book_meeting` re-checks the slot
inside one IMMEDIATE write transaction (hours, days off, buffers, daily cap, notice) and
inserts, so two agents taking the same slot one instant apart get one meeting and one
SlotTaken. The store's trigger refuses overlapping booked meetings even for code that
forgets to check; its refusal is the same SlotTaken. Every booking, reschedule and
cancellation leaves an AuditEvent.

Over 400 lines: options, free slots and book/reschedule/cancel read the same lead,
specialist and booked meetings, and booking re-applies the slot rules in its transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from peewee import IntegrityError

from tmdesk.config import Settings
from tmdesk.domain import availability
from tmdesk.domain.choices import MeetingKind
from tmdesk.domain.meeting_place import link_missing
from tmdesk.domain.routing import (
    LeadFacts,
    Load,
    match_region,
    match_specialisation,
    round_robin,
    round_robin_order,
)
from tmdesk.domain.scripts import ROLE_LABELS, Script
from tmdesk.domain.statuses import LeadStatus, MeetingStatus
from tmdesk.domain.timezones import DEFAULT_ZONE
from tmdesk.errors import TmdeskError
from tmdesk.i18n import _
from tmdesk.services.qualification import QualificationRecord, find_script, qualification_for
from tmdesk.services.specialists import (
    SpecialistError,
    SpecialistInfo,
    get_specialist,
    info_of,
)
from tmdesk.store.dialect import EXCLUSION_VIOLATION, is_postgres, lock_rows, sqlstate
from tmdesk.store.fields import utc_text
from tmdesk.store.models import AuditEvent, Lead, Meeting, Specialist, User, database

__all__ = [
    "KINDS",
    "Attendee",
    "BookingError",
    "BookingOptions",
    "Candidate",
    "MeetingInfo",
    "Slot",
    "SlotTaken",
    "SpecialistInfo",
    "book_meeting",
    "booking_options",
    "cancel_meeting",
    "free_slots",
    "meeting_for_lead",
    "meetings_of",
    "reschedule_meeting",
]

KINDS = tuple(MeetingKind)  # the codes stored in meeting.kind
WEEK = timedelta(days=7)


class BookingError(TmdeskError):
    """The meeting cannot be booked as asked: unknown specialist, outside hours, past, …"""


class SlotTaken(BookingError):
    """Another booking holds the time (or filled the day) first: pick another slot."""

    def __init__(self, detail: str = ""):
        super().__init__(_("This slot was just taken — pick another one."))
        self.detail = detail  # what holds it, for logs and tests


@dataclass(frozen=True)
class Candidate:
    """A specialist who matches the lead (or, when nobody does, any active one)."""

    specialist: SpecialistInfo
    matched_on: tuple[str, ...]  # ("region: ЦФО", "specialisation: логистика") or ()
    booked_next_week: int  # meetings booked in the coming 7 days
    last_booked_at: datetime | None
    suggested: bool  # the round-robin pick
    has_free_slot: bool = True  # any free slot over the horizon (not at the cap that day)


@dataclass(frozen=True)
class Slot:
    specialist_id: int
    starts_at: datetime  # aware UTC
    ends_at: datetime  # aware UTC
    in_lead_hours: bool  # inside the lead's business hours (local)


@dataclass(frozen=True)
class Attendee:
    name: str
    role: str  # decision_maker | influencer | approver | other
    position: str
    phone_e164: str | None
    email: str

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "position": self.position,
            "phone_e164": self.phone_e164,
            "email": self.email,
        }


@dataclass(frozen=True)
class MeetingInfo:
    id: int
    lead_id: int
    specialist_id: int
    specialist_name: str
    specialist_zone: str
    starts_at: datetime  # aware UTC
    ends_at: datetime  # aware UTC
    kind: str  # on_site | video | phone
    place: str
    agenda: str
    attendees: tuple[Attendee, ...]
    status: str  # booked | cancelled | done
    booked_by: str  # login
    booked_at: datetime
    cancel_reason: str | None
    rescheduled_from: int | None
    company: str = ""  # the lead's company
    cancelled_at: datetime | None = None
    link_later: bool = False  # video without its link: the agent said it comes later

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "lead_id": self.lead_id,
            "company": self.company,
            "specialist_id": self.specialist_id,
            "specialist": self.specialist_name,
            "specialist_zone": self.specialist_zone,
            "starts_at": self.starts_at.isoformat(),
            "ends_at": self.ends_at.isoformat(),
            "kind": self.kind,
            "place": self.place,
            "agenda": self.agenda,
            "attendees": [a.to_json() for a in self.attendees],
            "status": self.status,
            "booked_by": self.booked_by,
            "booked_at": self.booked_at.isoformat(),
            "cancel_reason": self.cancel_reason,
            "rescheduled_from": self.rescheduled_from,
            "link_later": self.link_later,
        }


@dataclass(frozen=True)
class BookingOptions:
    lead_id: int
    agent_zone: str  # the agent's User.time_zone
    lead_zone: str | None  # the lead's zone (first candidate) or None
    candidates: tuple[Candidate, ...]  # suggested first, then the other matches; if none
    #                                    match, every active specialist (matched_on=())
    agenda: str  # pre-filled from the qualification summary
    attendees: tuple[Attendee, ...]  # from the qualification's decision makers
    current: MeetingInfo | None  # the lead's booked meeting, if any
    lead_zones: tuple[str, ...] = ()  # every candidate zone of the lead

    @property
    def suggested(self) -> Candidate | None:
        return next((c for c in self.candidates if c.suggested), None)


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def _aware(value: datetime, what: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise BookingError(_("{what} needs a time zone").format(what=what))
    return value.astimezone(UTC)


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lead:
    id: int
    status: str
    zones: tuple[str, ...]
    company: str
    places: tuple[str, ...]


def _lead(lead_id: int) -> _Lead:
    row = database.execute_sql(
        "SELECT l.id, l.status, z.zones, l.company, l.region, l.city, l.place FROM lead l "
        "JOIN zone_set z ON z.id = l.zone_set_id WHERE l.id = ?",
        (lead_id,),
    ).fetchone()
    if row is None:
        raise BookingError(_("lead {id} does not exist").format(id=lead_id))
    lead_id, status, zones, company, region, city, place = row
    return _Lead(
        lead_id,
        status,
        tuple(z for z in (zones or "").split("|") if z),
        company,
        tuple(p for p in (region, city, place) if p),
    )


def _specialist(specialist_id: int, *, active: bool = True) -> SpecialistInfo:
    try:
        specialist = get_specialist(specialist_id)
    except SpecialistError as error:
        raise BookingError(str(error)) from None
    if active and not specialist.active:
        raise BookingError(
            _("specialist {name} is inactive: pick another one").format(name=specialist.name)
        )
    return specialist


def _booked(
    specialist_id: int, start: datetime, end: datetime, *, moving: int | None = None
) -> list[tuple[datetime, datetime]]:
    """The specialist's booked meetings touching [start, end), but the one being moved."""
    query = Meeting.select(Meeting.starts_at, Meeting.ends_at).where(
        Meeting.specialist == specialist_id,
        Meeting.status == MeetingStatus.BOOKED,
        Meeting.ends_at > utc_text(start),
        Meeting.starts_at < utc_text(end),
    )
    if moving is not None:
        query = query.where(Meeting.id != moving)
    booked = list(cast(Iterable[tuple[datetime, datetime]], query.tuples()))
    return booked


def _meeting_infos(where: Any, order: Any = None) -> list[MeetingInfo]:
    # the joined models' ids too: without them peewee reads the foreign keys back as None
    query = (
        Meeting.select(
            Meeting,
            Specialist.id,
            Specialist.name,
            Specialist.time_zone,
            User.id,
            User.login,
            Lead.id,
            Lead.company,
        )
        .join(Specialist, on=(Meeting.specialist == Specialist.id))
        .switch(Meeting)
        .join(User, on=(Meeting.booked_by == User.id))
        .switch(Meeting)
        .join(Lead, on=(Meeting.lead == Lead.id))
        .where(where)
        .order_by(*(order or (Meeting.starts_at, Meeting.id)))
    )
    found = []
    for m in query:
        attendees = tuple(
            Attendee(
                str(a.get("name") or ""),
                str(a.get("role") or "other"),
                str(a.get("position") or ""),
                a.get("phone_e164") or None,
                str(a.get("email") or ""),
            )
            for a in (m.attendees or ())
        )
        found.append(
            MeetingInfo(
                id=m.id,
                lead_id=m.lead_id,
                specialist_id=m.specialist_id,
                specialist_name=m.specialist.name,
                specialist_zone=m.specialist.time_zone,
                starts_at=m.starts_at,
                ends_at=m.ends_at,
                kind=m.kind,
                place=m.place,
                agenda=m.agenda,
                attendees=attendees,
                status=m.status,
                booked_by=m.booked_by.login,
                booked_at=m.booked_at,
                cancel_reason=m.cancel_reason,
                rescheduled_from=m.rescheduled_from_id,
                company=m.lead.company,
                cancelled_at=m.cancelled_at,
                link_later=bool(m.link_later),
            )
        )
    return found


def get_meeting(meeting_id: int) -> MeetingInfo:
    found = _meeting_infos(Meeting.id == meeting_id)
    if not found:
        raise BookingError(_("meeting {id} does not exist").format(id=meeting_id))
    return found[0]


def meeting_for_lead(lead_id: int) -> MeetingInfo | None:
    """The lead's booked meeting, else None."""
    found = _meeting_infos((Meeting.lead == lead_id) & (Meeting.status == MeetingStatus.BOOKED))
    return found[0] if found else None


def meetings_of(
    specialist_id: int | None = None,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    statuses: Sequence[str] = (MeetingStatus.BOOKED,),
) -> list[MeetingInfo]:
    """Meetings (booked ones by default) that touch [start, end), earliest first."""
    where = Meeting.status.in_(list(statuses))
    if specialist_id is not None:
        where &= Meeting.specialist == specialist_id
    if start is not None:
        where &= Meeting.ends_at > utc_text(_aware(start, "start"))
    if end is not None:
        where &= Meeting.starts_at < utc_text(_aware(end, "end"))
    return _meeting_infos(where)


# --- free slots ----------------------------------------------------------------------------


def _lead_hours(lead: _Lead | None, settings: Settings) -> availability.LeadHours | None:
    if lead is None:
        return None
    return availability.LeadHours(lead.zones or (DEFAULT_ZONE,), settings.meetings.lead_hours)


def _slots(
    specialist: SpecialistInfo,
    settings: Settings,
    now: datetime,
    lead: _Lead | None,
    days: int | None,
    limit: int | None,
    moving: int | None = None,
) -> list[Slot]:
    if not specialist.active:
        return []
    rules = settings.meetings
    horizon = timedelta(days=days if days is not None else rules.horizon_days)
    # a day's margin each side: buffers reach across, and the cap counts whole local days
    booked = _booked(
        specialist.id, now - timedelta(days=2), now + horizon + timedelta(days=2), moving=moving
    )
    found = availability.free_slots(
        specialist.rules(),
        booked,
        now,
        min_notice=rules.min_notice,
        horizon=horizon,
        step_minutes=rules.step_minutes,
        lead=_lead_hours(lead, settings),
        limit=limit,
    )
    return [Slot(specialist.id, s.starts_at, s.ends_at, s.in_lead_hours) for s in found]


def free_slots(
    specialist_id: int,
    settings: Settings,
    *,
    lead_id: int | None = None,
    now: datetime | None = None,
    days: int | None = None,
    limit: int | None = None,
    moving: int | None = None,
) -> list[Slot]:
    """The specialist's free slots, earliest first (none for an inactive specialist).

    `moving`: the meeting being rescheduled, whose own time counts as free (half an hour
    later is a fine new time for it).
    Steps of settings.meetings.step_minutes on the specialist's clock; working hours minus
    booked meetings ± buffers, minus days off, not sooner than the minimum notice, over the
    horizon (or `days`), skipping days at the daily cap. With `lead_id`, each slot says
    whether it is inside the lead's business hours in every zone the lead may be in.
    """
    now = _now(now)
    specialist = _specialist(specialist_id, active=False)
    lead = _lead(lead_id) if lead_id is not None else None
    return _slots(specialist, settings, now, lead, days, limit, moving)


# --- who gets the meeting ------------------------------------------------------------------


def _answer_texts(record: QualificationRecord | None, question_id: str | None) -> tuple[str, ...]:
    if record is None or not question_id:
        return ()
    for answer in record.answers:
        if answer.id == question_id:
            values = answer.answer if isinstance(answer.answer, list) else [answer.answer]
            return tuple(str(v) for v in (*values, answer.label) if v not in (None, ""))
    return ()


def _script(record: QualificationRecord | None) -> Script | None:
    if record is None:
        return None
    try:
        return find_script(record.script_key)
    except TmdeskError:  # a script renamed or broken since: route on the lead alone
        return None


def _facts(lead: _Lead, record: QualificationRecord | None, script: Script | None) -> LeadFacts:
    routing = script.routing if script is not None else None
    return LeadFacts(
        places=lead.places,
        districts=_answer_texts(record, routing.region if routing else None),
        activities=_answer_texts(record, routing.specialisation if routing else None),
    )


def _loads(ids: Sequence[int], now: datetime) -> dict[int, tuple[int, datetime | None]]:
    """(meetings booked in the coming week, latest booking) per specialist."""
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    week = dict(
        database.execute_sql(
            f"SELECT specialist_id, count(*) FROM meeting WHERE specialist_id IN ({marks}) "
            "AND status = 'booked' AND starts_at >= ? AND starts_at < ? GROUP BY specialist_id",
            (*ids, utc_text(now), utc_text(now + WEEK)),
        ).fetchall()
    )
    latest = dict(
        database.execute_sql(
            f"SELECT specialist_id, max(booked_at) FROM meeting WHERE specialist_id IN ({marks}) "
            "AND status != 'cancelled' GROUP BY specialist_id",
            tuple(ids),
        ).fetchall()
    )
    return {i: (week.get(i, 0), Meeting.booked_at.python_value(latest.get(i))) for i in ids}


def _at_cap(specialist: SpecialistInfo, at: datetime) -> bool:
    if specialist.max_per_day is None:
        return False
    tz = availability.zone(specialist.time_zone)
    day = at.astimezone(tz).date()
    booked = _booked(specialist.id, at - timedelta(days=2), at + timedelta(days=2))
    return availability.meetings_per_day(booked, tz)[day] >= specialist.max_per_day


def _candidates(
    lead: _Lead, facts: LeadFacts, settings: Settings, now: datetime, at: datetime | None
) -> tuple[Candidate, ...]:
    active = [
        info_of(row)
        for row in Specialist.select()
        .where(Specialist.active == True)  # noqa: E712 (peewee expression)
        .order_by(Specialist.id)
    ]
    matched: dict[int, tuple[str, ...]] = {}
    for specialist in active:
        found = []
        if region := match_region(specialist.regions, facts):
            found.append(_("region: {name}").format(name=region))
        if special := match_specialisation(specialist.specialisations, facts):
            found.append(_("specialisation: {name}").format(name=special))
        if found:
            matched[specialist.id] = tuple(found)
    pool = [s for s in active if s.id in matched] or active
    loads = _loads([s.id for s in pool], now)
    free = {s.id: bool(_slots(s, settings, now, lead, None, 1)) for s in pool}
    by_id = {s.id: s for s in pool}
    load_of = {
        s.id: Load(
            s.id, *loads[s.id], available=free[s.id] and not (at is not None and _at_cap(s, at))
        )
        for s in pool
    }
    # round robin among those matching on the most; the next tier only when none is free
    tiers = sorted({len(matched.get(s.id, ())) for s in pool}, reverse=True)
    suggested = None
    for tier in tiers:
        suggested = round_robin([load_of[s.id] for s in pool if len(matched.get(s.id, ())) == tier])
        if suggested is not None:
            break
    ordered = sorted(
        round_robin_order(list(load_of.values())),
        key=lambda load: (
            load.specialist_id != suggested,
            -len(matched.get(load.specialist_id, ())),
        ),
    )
    return tuple(
        Candidate(
            by_id[load.specialist_id],
            matched.get(load.specialist_id, ()),
            load.booked_next_week,
            load.last_booked_at,
            load.specialist_id == suggested,
            load.available,
        )
        for load in ordered
    )


# --- the agenda and the people from the qualification --------------------------------------


def _group(
    record: QualificationRecord, script: Script | None, role: str, fallback: tuple[str, ...]
) -> list[str]:
    """Question ids for one agenda line: by actuality role (need_now, purchase_date) or by
    section (budget), from the script; the shipped ids when the script is gone."""
    if script is None:
        return list(fallback)
    questions = script.questions
    if role == "budget":
        sections = {
            q.section for q in questions if q.id.startswith("budget") or q.section == "budget"
        }
        return [q.id for q in questions if q.section in sections]
    if role == "need_now":  # the need, with the text questions of its section (details)
        need = [q for q in questions if q.actuality == "need_now"]
        sections = {q.section for q in need}
        return [
            q.id for q in questions if q in need or (q.section in sections and q.type == "text")
        ]
    return [q.id for q in questions if q.actuality == role]


def _joined(record: QualificationRecord, ids: list[str]) -> str:
    answers = {a.id: a for a in record.answers}
    parts: list[str] = []
    for qid in ids:
        answer = answers.get(qid)
        if answer is None or not answer.label.strip():
            continue
        if not parts:
            parts.append(answer.label.strip())
        else:
            parts.append(f"{answer.text.strip().rstrip('?:')}: {answer.label.strip()}")
    return "; ".join(parts)


def agenda_from(record: QualificationRecord | None, script: Script | None = None) -> str:
    """Fit, need, timeline, budget and decision makers, one line each, as the agent saw
    them; "" without a qualification."""
    if record is None:
        return ""
    result = record.verdict
    fit = {True: _("yes"), False: _("no"), None: _("not known")}[result.fit]
    actuality = {
        "now": _("actual now"),
        "later": _("later"),
        "unknown": _("actuality not known"),
    }.get(result.actuality, result.actuality)
    if result.actuality == "later" and result.recall_on:
        actuality = _("later (recall {day})").format(day=result.recall_on.isoformat())
    lines = [
        _("Fit: {fit}, score {score}, {actuality}").format(
            fit=fit, score=result.score, actuality=actuality
        )
    ]
    for label, role, fallback in (
        (_("Need"), "need_now", ("need", "need_details")),
        (_("Timeline"), "purchase_date", ("timeline",)),
        (_("Budget"), "budget", ("budget", "budget_amount")),
    ):
        text = _joined(record, _group(record, script, role, fallback))
        if text:
            lines.append(f"{label}: {text}")
    people = []
    for person in record.decision_makers:
        role = ROLE_LABELS.get(person.role, person.role)
        people.append(", ".join(filter(None, (person.name, role, person.position))))
    if people:
        lines.append(_("Decision makers: {people}").format(people="; ".join(people)))
    return "\n".join(lines)


def attendees_from(record: QualificationRecord | None) -> tuple[Attendee, ...]:
    if record is None:
        return ()
    return tuple(
        Attendee(p.name, p.role, p.position, p.phone_e164, p.email)
        for p in record.decision_makers
        if p.name.strip()
    )


def booking_options(
    lead_id: int,
    agent_id: int,
    settings: Settings,
    *,
    now: datetime | None = None,
    at: datetime | None = None,
) -> BookingOptions:
    """What the booking panel opens with. `at`: a slot being considered; specialists at
    their daily cap on its day are then never suggested."""
    now = _now(now)
    agent = User.get_or_none(User.id == agent_id)
    if agent is None:
        raise BookingError(_("user {id} does not exist").format(id=agent_id))
    lead = _lead(lead_id)
    record = qualification_for(lead_id)
    script = _script(record)
    candidates = _candidates(
        lead,
        _facts(lead, record, script),
        settings,
        now,
        _aware(at, "at") if at is not None else None,
    )
    return BookingOptions(
        lead_id=lead_id,
        agent_zone=agent.time_zone,
        lead_zone=lead.zones[0] if lead.zones else None,
        candidates=candidates,
        agenda=agenda_from(record, script),
        attendees=attendees_from(record),
        current=meeting_for_lead(lead_id),
        lead_zones=lead.zones,
    )


# --- booking, rescheduling, cancelling -----------------------------------------------------


def _check_lead(lead: _Lead, record: QualificationRecord | None) -> None:
    submitted_fit = record is not None and record.verdict.fit is True
    if lead.status == LeadStatus.QUALIFIED or (
        lead.status == LeadStatus.IN_PROGRESS and submitted_fit
    ):
        return
    raise BookingError(
        _(
            "lead {id} is not qualified (status {status}): only a qualified lead gets a meeting"
        ).format(id=lead.id, status=lead.status)
    )


def _check_slot(
    specialist: SpecialistInfo, starts_at: datetime, minutes: int, settings: Settings, now: datetime
) -> datetime:
    """The end of the meeting; BookingError / SlotTaken when the slot cannot be had."""
    ends_at = starts_at + timedelta(minutes=minutes)
    booked = _booked(specialist.id, starts_at - timedelta(days=2), starts_at + timedelta(days=2))
    problem = availability.slot_problem(
        specialist.rules(),
        booked,
        starts_at,
        now,
        min_notice=settings.meetings.min_notice,
        minutes=minutes,
    )
    if problem is not None:
        if problem.taken:
            raise SlotTaken(problem.message)
        raise BookingError(
            _("{name}: {problem}").format(name=specialist.name, problem=problem.message)
        )
    return ends_at


def _minutes(minutes: int | None, specialist: SpecialistInfo) -> int:
    if minutes is None:
        return specialist.meeting_minutes
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 5 <= minutes <= 480:
        raise BookingError(_("a meeting lasts 5 to 480 minutes, not {n!r}").format(n=minutes))
    return minutes


def _insert(**values: Any) -> int:
    try:
        if not is_postgres():
            meeting_id: int = Meeting.insert(**values).execute()
            return meeting_id
        with database.atomic():  # a savepoint: the refusal leaves the transaction usable
            meeting_id = Meeting.insert(**values).execute()
            return meeting_id
    except IntegrityError as error:  # the store's own check (0002: trigger, or constraint)
        if sqlstate(error) == EXCLUSION_VIOLATION or "overlaps" in str(error):
            raise SlotTaken(str(error)) from None
        raise


def _audit(action: str, user_id: int, lead_id: int, now: datetime, **details: Any) -> None:
    AuditEvent.create(
        at=now,
        user=user_id,
        action=action,
        lead=lead_id,
        details={k: (utc_text(v) if isinstance(v, datetime) else v) for k, v in details.items()},
    )


def book_meeting(
    lead_id: int,
    agent_id: int,
    specialist_id: int,
    starts_at: datetime,
    settings: Settings,
    *,
    kind: str = "video",
    place: str = "",
    agenda: str = "",
    attendees: Sequence[Attendee] = (),
    minutes: int | None = None,
    now: datetime | None = None,
    link_later: bool = False,
) -> MeetingInfo:
    """Book the lead's meeting; SlotTaken when another booking got the time first.
    `link_later`: a video meeting booked without its link on purpose (kept only while
    the link is missing, so review and the handoff say so)."""
    now = _now(now)
    starts_at = _aware(starts_at, "starts_at")
    if kind not in KINDS:
        raise BookingError(
            _("meeting kind must be one of {kinds}, not {kind!r}").format(
                kinds=", ".join(KINDS), kind=kind
            )
        )
    with database.atomic():  # IMMEDIATE: the write lock first, then the checks
        lock_rows("lead", lead_id)  # PostgreSQL: its one meeting, then the specialist's
        lock_rows("specialist", specialist_id)  # day (cap, overlaps)
        if User.get_or_none(User.id == agent_id) is None:
            raise BookingError(_("user {id} does not exist").format(id=agent_id))
        lead = _lead(lead_id)
        record = qualification_for(lead_id)
        _check_lead(lead, record)
        current = meeting_for_lead(lead_id)
        if current is not None:
            raise BookingError(
                _(
                    "lead {id} already has a meeting (no. {meeting}, {when:%Y-%m-"
                    "%d %H:%M} UTC): reschedule it instead"
                ).format(id=lead_id, meeting=current.id, when=current.starts_at)
            )
        specialist = _specialist(specialist_id)
        length = _minutes(minutes, specialist)
        ends_at = _check_slot(specialist, starts_at, length, settings, now)
        meeting_id = _insert(
            lead=lead_id,
            specialist=specialist.id,
            qualification=record.id if record else None,
            starts_at=starts_at,
            ends_at=ends_at,
            kind=kind,
            place=place.strip(),
            link_later=link_later and link_missing(kind, place),
            agenda=agenda.strip(),
            status=MeetingStatus.BOOKED,
            booked_by=agent_id,
            booked_at=now,
            attendees=[a.to_json() for a in attendees] or None,
        )
        _audit(
            "meeting.book",
            agent_id,
            lead_id,
            now,
            meeting_id=meeting_id,
            specialist_id=specialist.id,
            starts_at=starts_at,
            ends_at=ends_at,
            kind=kind,
        )
    return get_meeting(meeting_id)


def _booked_meeting(meeting_id: int) -> Meeting:
    meeting = Meeting.get_or_none(Meeting.id == meeting_id)
    if meeting is None:
        raise BookingError(_("meeting {id} does not exist").format(id=meeting_id))
    if meeting.status != MeetingStatus.BOOKED:
        raise BookingError(
            _("meeting {id} is {status}, not booked").format(id=meeting_id, status=meeting.status)
        )
    return meeting


def reschedule_meeting(
    meeting_id: int,
    user_id: int,
    starts_at: datetime,
    settings: Settings,
    *,
    specialist_id: int | None = None,
    now: datetime | None = None,
) -> MeetingInfo:
    """Move a booked meeting (to another specialist too): the old row is cancelled
    ("rescheduled") and a new booked one points to it. All or nothing: SlotTaken leaves
    the old meeting as it was."""
    now = _now(now)
    starts_at = _aware(starts_at, "starts_at")
    with database.atomic():
        if User.get_or_none(User.id == user_id) is None:
            raise BookingError(_("user {id} does not exist").format(id=user_id))
        lock_rows("meeting", meeting_id)
        old = _booked_meeting(meeting_id)
        lock_rows("lead", old.lead_id)
        lock_rows("specialist", specialist_id or old.specialist_id, old.specialist_id)
        old = _booked_meeting(meeting_id)  # as it is now that it is ours
        specialist = _specialist(specialist_id or old.specialist_id)
        length = int((old.ends_at - old.starts_at).total_seconds() // 60)
        # the old time is free for the new one: cancel it first, inside this transaction
        Meeting.update(
            status=MeetingStatus.CANCELLED, cancelled_at=now, cancel_reason="rescheduled"
        ).where(Meeting.id == old.id).execute()
        ends_at = _check_slot(specialist, starts_at, length, settings, now)
        new_id = _insert(
            lead=old.lead_id,
            specialist=specialist.id,
            qualification=old.qualification_id,
            starts_at=starts_at,
            ends_at=ends_at,
            kind=old.kind,
            place=old.place,
            link_later=old.link_later,
            agenda=old.agenda,
            status=MeetingStatus.BOOKED,
            booked_by=user_id,
            booked_at=now,
            rescheduled_from=old.id,
            attendees=old.attendees,
        )
        _audit(
            "meeting.reschedule",
            user_id,
            old.lead_id,
            now,
            meeting_id=new_id,
            rescheduled_from=old.id,
            specialist_id=specialist.id,
            starts_at=starts_at,
            ends_at=ends_at,
            previous_specialist_id=old.specialist_id,
            previous_starts_at=old.starts_at,
        )
    return get_meeting(new_id)


def cancel_meeting(
    meeting_id: int, user_id: int, reason: str, *, now: datetime | None = None
) -> MeetingInfo:
    """Cancel a booked meeting; the reason is required and kept."""
    now = _now(now)
    reason = " ".join((reason or "").split())
    if not reason:
        raise BookingError(_("say why the meeting is cancelled (a reason is required)"))
    with database.atomic():
        if User.get_or_none(User.id == user_id) is None:
            raise BookingError(_("user {id} does not exist").format(id=user_id))
        lock_rows("meeting", meeting_id)
        meeting = _booked_meeting(meeting_id)
        Meeting.update(
            status=MeetingStatus.CANCELLED, cancelled_at=now, cancel_reason=reason
        ).where(Meeting.id == meeting.id).execute()
        _audit(
            "meeting.cancel",
            user_id,
            meeting.lead_id,
            now,
            meeting_id=meeting.id,
            specialist_id=meeting.specialist_id,
            starts_at=meeting.starts_at,
            reason=reason,
        )
    return get_meeting(meeting_id)
