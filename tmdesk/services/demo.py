"""The demo database: a ready desk to try tmdesk on (`tmdesk demo`).

Users, development specialists, two call lists and a week of calls, all from the recipe in
data/demo/ (recipe.toml, cities.csv) and one fixed random seed: two fresh demo databases
hold the same companies, people and numbers; only the call history moves with the calendar
("the week before today"). The lists (made in demo_lists) are written as Russian Excel saves
a CSV and go through the real importer, so the demo also shows its report (duplicates,
invalid rows, do-not-call). The call history follows the desk's own rules (queue order,
calling windows in each lead's local time, retry delays, attempt caps) and is written with
executemany. Everything happens in one transaction: a demo is either whole or not there.

Over 400 lines: the week is one _Week that replays the desk's queue, window, retry and
booking rules on in-memory leads from one random stream, then writes them all at once.
"""

from __future__ import annotations

import bisect
import heapq
import json
import random
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

from tmdesk.config import Settings
from tmdesk.domain import availability
from tmdesk.domain.calling_window import END_OF_DAY, WeeklyWindows
from tmdesk.domain.dispositions import Disposition, RetryPolicy, decide
from tmdesk.domain.phones import national_format, parse_phone_cell
from tmdesk.domain.statuses import LeadStatus, QualificationStatus
from tmdesk.domain.timezones import DEFAULT_ZONE, default_directory
from tmdesk.i18n import _
from tmdesk.services.auth import hash_password
from tmdesk.services.demo_lists import (
    DemoError,
    ListMaker,
    Recipe,
    format_phone,
    generate_lists,
    load_recipe,
    translit,
)
from tmdesk.services.importing import ImportReport, import_call_list
from tmdesk.services.users import add_user
from tmdesk.services.workspace import Workspace, default_database_path
from tmdesk.store.dialect import execute_many, reset_sequences
from tmdesk.store.fields import utc_text
from tmdesk.store.models import CallList, Specialist, User, database

SCRIPT_KEY = "b2b-ru"
SCRIPT_VERSION = "1"
REACHED_DISPOSITIONS = (
    Disposition.CALLBACK,
    Disposition.NURTURE,
    Disposition.QUALIFIED,
)  # where the agent's skill shows
CALLBACK_BUCKETS = ("callback_own", "callback_shared")
# the demo supervisor's password (README "Supervisors"); hashed once per process
DEMO_SUPERVISOR_PASSWORD = "demo-supervisor"


@cache
def _demo_supervisor_hash() -> str:
    return hash_password(DEMO_SUPERVISOR_PASSWORD)


def demo_database_path() -> Path:
    """demo.db in the user data folder, beside the desk's own database."""
    return default_database_path().with_name("demo.db")


# --- the week of calls --------------------------------------------------------------------


@dataclass(eq=False)
class _Lead:
    """A lead as the simulated week sees it."""

    id: int
    key: tuple[int, int, int]  # queue order: list priority, priority, age
    phone: str
    zone_set: int
    zones: tuple[str, ...]
    status: str
    city: str
    region: str
    company: str
    contact: str
    position: str
    email: str
    industry: str
    attempts: int = 0
    last_at: datetime | None = None
    next_at: datetime | None = None
    owner: int | None = None
    note: str | None = None
    recent: list[datetime] = field(default_factory=list)
    touched: bool = False


@dataclass
class _Specialist:
    id: int
    zone: ZoneInfo
    hours: WeeklyWindows
    districts: frozenset[str]
    minutes: int
    buffer: timedelta
    max_per_day: int | None
    booked: list[tuple[datetime, datetime]] = field(default_factory=list)


@dataclass(frozen=True)
class _Agent:
    id: int
    login: str
    calls_per_day: tuple[int, int]
    skill: float


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _in_window(local: datetime, windows: WeeklyWindows) -> bool:
    clock = local.time()
    return any(
        start <= clock and (clock < end or end == END_OF_DAY)
        for start, end in windows.days[local.weekday()]
    )


def _parse_hours(texts: Sequence[str]) -> list[tuple[time, time]]:
    return list(WeeklyWindows.from_mapping({"mon": list(texts)}).days[0])


class _Week:
    """Plays the week before `now`: three agents taking leads by the queue rules."""

    def __init__(
        self,
        recipe: Recipe,
        settings: Settings,
        now: datetime,
        agents: Sequence[_Agent],
        supervisor_id: int,
        specialists: Sequence[_Specialist],
    ):
        self.recipe = recipe
        self.history = recipe.data["history"]
        self.notes = recipe.data["notes"]
        self.settings = settings
        self.now = now
        self.rng = random.Random(recipe.seed + 1)
        self.agents = agents
        self.supervisor_id = supervisor_id
        self.specialists = specialists
        self.office = _zone(self.history.get("time_zone", DEFAULT_ZONE))
        self.today = now.astimezone(self.office).date()
        work_days = self.history.get("work_days", ["mon", "tue", "wed", "thu", "fri"])
        weekday_names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        self.days = [
            day
            for offset in range(int(self.history.get("days", 7)), 0, -1)
            if weekday_names[(day := self.today - timedelta(days=offset)).weekday()] in work_days
        ]
        self.hours = _parse_hours(self.history["hours"])
        self.window_cache: dict[tuple[int, int], bool] = {}
        self.ready: list[tuple[tuple[int, int, int], _Lead]] = []
        self.waiting: list[tuple[datetime, int, _Lead]] = []
        self.callbacks: dict[int, _Lead] = {}
        self.leads: list[_Lead] = []
        self.attempts: list[tuple[Any, ...]] = []
        self.qualifications: list[tuple[Any, ...]] = []
        self.decision_makers: list[tuple[Any, ...]] = []
        self.meetings: list[tuple[Any, ...]] = []
        self.dnc: list[tuple[Any, ...]] = []
        # ids given here, so that rows written later can point at them
        self.next_qualification_id = (
            1
            + (database.execute_sql("SELECT coalesce(max(id), 0) FROM qualification").fetchone()[0])
        )
        self.next_attempt_id = (
            1
            + (database.execute_sql("SELECT coalesce(max(id), 0) FROM call_attempt").fetchone()[0])
        )
        self.policy = RetryPolicy(
            settings.retry, settings.max_attempts, settings.max_attempts_per_day, settings.min_gap
        )
        self._district_of_place = self._places()
        self._area_codes = sorted(
            {code for city in recipe.cities for code in city.codes}, key=len, reverse=True
        )
        self.people = ListMaker(recipe, self.rng, set())  # names and numbers of the ЛПР

    # the leads and where they are

    def _places(self) -> dict[str, str]:
        places: dict[str, str] = {}
        for city in self.recipe.cities:
            for text in (city.name, f"г. {city.name}", *city.regions):
                places.setdefault(text.casefold(), city.district)
        return places

    def load_leads(self, list_ids: Sequence[int]) -> None:
        rows = database.execute_sql(
            "SELECT lead.id, lead.list_priority, lead.priority, lead.phone_e164, "
            "lead.zone_set_id, zone_set.zones, lead.status, lead.city, lead.region, "
            "lead.company, lead.contact, lead.position, lead.email, lead.extra FROM lead "
            "JOIN zone_set ON zone_set.id = lead.zone_set_id "
            f"WHERE lead.call_list_id IN ({','.join(str(int(i)) for i in list_ids)}) "
            "ORDER BY lead.id"
        )
        for (
            lead_id,
            list_priority,
            priority,
            phone,
            zone_set,
            zones,
            status,
            city,
            region,
            company,
            contact,
            position,
            email,
            extra,
        ) in rows:
            lead = _Lead(
                lead_id,
                (-list_priority, -priority, lead_id),
                phone,
                zone_set,
                tuple(z for z in zones.split("|") if z),
                status,
                city,
                region,
                company,
                contact,
                position,
                email,
                (json.loads(extra) if extra else {}).get("Отрасль", ""),
            )
            self.leads.append(lead)
            self.people.used_numbers.add(phone)
            if status == LeadStatus.NEW:
                self.ready.append((lead.key, lead))
        self.ready.sort(key=lambda item: item[0])

    def written(self, e164: str) -> str:
        """As an agent types it: "8 (4012) 21-46-35" (libphonenumber would write
        "8 (401) 221-46-35" for the four- and five-digit area codes)."""
        for code in self._area_codes:
            if e164.startswith(f"+7{code}"):
                return format_phone(e164, len(code), 0)
        return national_format(e164)

    def district(self, lead: _Lead) -> str | None:
        for text in (lead.city, lead.region):
            if text and text.casefold() in self._district_of_place:
                return self._district_of_place[text.casefold()]
        return None

    # the queue

    def window_open(self, lead: _Lead, at: datetime) -> bool:
        key = (lead.zone_set, int(at.timestamp()) // 60)
        found = self.window_cache.get(key)
        if found is None:
            windows = self.settings.calling_window
            found = all(
                _in_window(at.astimezone(_zone(z)), windows) for z in lead.zones or (DEFAULT_ZONE,)
            )
            self.window_cache[key] = found
        return found

    def callable(self, lead: _Lead, at: datetime) -> bool:
        settings = self.settings
        if lead.attempts >= settings.max_attempts:
            return False
        if lead.last_at is not None and at - lead.last_at < settings.min_gap:
            return False
        day_ago = at - timedelta(hours=24)
        if sum(1 for t in lead.recent if t > day_ago) >= settings.max_attempts_per_day:
            return False
        return self.window_open(lead, at)

    def take(self, agent: _Agent, at: datetime) -> tuple[_Lead | None, str]:
        """The lead the queue serves this agent at `at` (docs/architecture.md §4), removed
        from the pool."""
        due = [lead for lead in self.callbacks.values() if cast(datetime, lead.next_at) <= at]
        own = [lead for lead in due if lead.owner == agent.id and self.callable(lead, at)]
        overdue = at - self.settings.callback_grace
        shared = [
            lead
            for lead in due
            if (lead.owner is None or cast(datetime, lead.next_at) <= overdue)
            and self.callable(lead, at)
        ]
        for bucket, found in (("callback_own", own), ("callback_shared", shared)):
            if found:
                lead = min(found, key=lambda lead: (lead.next_at, lead.id))
                del self.callbacks[lead.id]
                return lead, bucket
        while self.waiting and self.waiting[0][0] <= at:
            _due, _id, lead = heapq.heappop(self.waiting)
            bisect.insort(self.ready, (lead.key, lead), key=lambda item: item[0])
        for index, (_key, lead) in enumerate(self.ready):
            if self.callable(lead, at):
                del self.ready[index]
                return lead, "fresh" if lead.status == LeadStatus.NEW else "retry"
        return None, ""

    # one call

    def disposition(self, agent: _Agent, bucket: str) -> str:
        weights = self.history[
            "callback_dispositions" if bucket in CALLBACK_BUCKETS else "dispositions"
        ]
        names = list(weights)
        chosen: str = self.rng.choices(
            names, [weights[n] * (agent.skill if n in REACHED_DISPOSITIONS else 1) for n in names]
        )[0]
        return chosen

    _DURATION = {  # seconds from dialling to the disposition key
        "no_answer": (25, 50),
        "busy": (4, 12),
        "voicemail": (20, 45),
        "wrong_number": (20, 70),
        "callback": (50, 180),
        "not_interested": (40, 200),
        "not_fit": (120, 420),
        "nurture": (180, 480),
        "qualified": (480, 1260),
        "dnc": (20, 90),
    }

    def call(self, agent: _Agent, lead: _Lead, claimed: datetime, bucket: str) -> datetime:
        """One call, decided by the desk's own disposition rules (domain.dispositions)."""
        rng = self.rng
        disposition = Disposition(self.disposition(agent, bucket))
        dialled = claimed + timedelta(seconds=rng.randint(4, 25))
        low, high = self._DURATION[disposition.value]
        at = dialled + timedelta(seconds=rng.randint(low, high) + rng.randint(3, 25))
        note = self.note(disposition.value, at)
        reason = ""
        callback_at = recall_at = None
        if disposition is Disposition.CALLBACK:
            callback_at = self.callback_time(lead, at)
        elif disposition is Disposition.NURTURE:
            recall = (at + timedelta(days=rng.randint(30, 92))).astimezone(self.office)
            recall_at = datetime.combine(recall.date(), time(10, 30), self.office)
        elif disposition in (Disposition.NOT_INTERESTED, Disposition.NOT_FIT):
            reason = rng.choice(self.notes[f"reasons_{disposition.value}"])
        shared = rng.random() >= self.history["personal_callbacks"]
        outcome = decide(
            disposition,
            at,
            attempts_before=lead.attempts,
            recent_attempts=[t for t in lead.recent if t > at - timedelta(hours=24)],
            policy=self.policy,
            reason=reason,
            callback_at=callback_at,
            shared=shared,
            recall_at=recall_at,
        )
        attempt_id = self.next_attempt_id
        self.next_attempt_id += 1
        before = lead.status
        lead_before = {
            "status": before,
            "attempts": lead.attempts,
            "last_attempt_at": utc_text(lead.last_at) if lead.last_at else None,
            "next_call_at": utc_text(lead.next_at) if lead.next_at else None,
            "callback_owner_id": lead.owner,
            "callback_note": lead.note,
            "notes_draft": None,
            "claimed_from": before,
        }
        lead.status = outcome.status
        lead.attempts += 1
        lead.last_at = at
        lead.recent.append(at)
        lead.touched = True
        lead.next_at = outcome.next_call_at
        lead.owner = agent.id if outcome.personal else None
        keeps_note = disposition in (Disposition.CALLBACK, Disposition.NURTURE)
        lead.note = (note or None) if keeps_note else None
        if lead.status == LeadStatus.RETRY:
            heapq.heappush(self.waiting, (cast(datetime, lead.next_at), lead.id, lead))
        elif lead.status in (LeadStatus.CALLBACK, LeadStatus.NURTURE):
            self.callbacks[lead.id] = lead
        elif lead.status == LeadStatus.QUALIFIED:
            self.qualify(agent, lead, claimed, at)
        elif lead.status == LeadStatus.DNC:
            # the source names the attempt, as the desk writes it, so an undo could find it
            self.dnc.append((lead.phone, note, f"call:{attempt_id}", agent.id, utc_text(at)))
        self.attempts.append(
            (
                attempt_id,
                lead.id,
                agent.id,
                lead.phone,
                utc_text(claimed),
                utc_text(dialled),
                utc_text(at),
                disposition.value,
                note,
                reason or None,
                utc_text(cast(datetime, lead.next_at)) if keeps_note else None,
                before,
                lead.status,
                json.dumps(lead_before, ensure_ascii=False),
            )
        )
        return at

    def note(self, disposition: str, at: datetime) -> str:
        text: str = self.rng.choice(self.notes.get(disposition, [""]))
        later = (at + timedelta(days=self.rng.randint(2, 6))).astimezone(self.office)
        return text.format(day=later.strftime("%d.%m"), months=self.rng.choice((3, 4, 6)))

    def callback_time(self, lead: _Lead, at: datetime) -> datetime:
        """When the contact asked to be called back: a working hour in their own time."""
        rng = self.rng
        zone = _zone(lead.zones[0]) if len(lead.zones) == 1 else self.office
        local_now = at.astimezone(zone)
        for _try in range(30):
            day = local_now.date() + timedelta(days=rng.choice((0, 1, 1, 2, 3, 5, 7)))
            if day.weekday() >= 5:
                continue
            clock = time(rng.randint(10, 17), rng.choice((0, 15, 30, 45)))
            when = datetime.combine(day, clock, zone).astimezone(UTC)
            if when > at + timedelta(minutes=45) and self.window_open(lead, when):
                return when
        return at + timedelta(days=1)

    # qualified leads: the answers, the people, the meeting

    def qualify(self, agent: _Agent, lead: _Lead, claimed: datetime, at: datetime) -> None:
        rng = self.rng
        qualification_id = self.next_qualification_id
        self.next_qualification_id += 1
        industry = lead.industry or "Производство"
        answers = [
            {
                "id": q["id"],
                "text": q["text"],
                "answer": rng.choice(q["answers"]).format(industry=industry),
            }
            for q in self.recipe.data["qualification"]
        ]
        status, reviewer, reviewed_at = QualificationStatus.SUBMITTED, None, None
        review_day = at.astimezone(self.office).date() + timedelta(days=1)
        while review_day.weekday() >= 5:
            review_day += timedelta(days=1)
        review = datetime.combine(review_day, time(10, rng.randint(0, 59)), self.office)
        if review.astimezone(UTC) < self.now and review_day < self.today:
            status, reviewer, reviewed_at = (
                QualificationStatus.APPROVED,
                self.supervisor_id,
                utc_text(review),
            )
        self.qualifications.append(
            (
                qualification_id,
                lead.id,
                agent.id,
                SCRIPT_KEY,
                SCRIPT_VERSION,
                json.dumps(answers, ensure_ascii=False),
                True,  # fit: a boolean column on PostgreSQL
                "[]",
                "now",
                None,
                rng.randint(55, 95),
                status,
                utc_text(at),
                reviewer,
                reviewed_at,
                None,
                utc_text(claimed),
                utc_text(at),
            )
        )
        self.add_decision_makers(qualification_id, lead)
        if rng.random() < self.history["meetings"]:
            self.book(agent, lead, qualification_id, at)

    def add_decision_makers(self, qualification_id: int, lead: _Lead) -> None:
        rng = self.rng
        roles = self.recipe.data["decision_makers"]
        people = [("decision_maker", rng.choice(roles["decision_maker"]))]
        people += [("influencer", p) for p in rng.sample(roles["influencer"], rng.randint(0, 2))]
        if rng.random() < 0.5:
            people.append(("approver", rng.choice(roles["approver"])))
        maker = self.people
        domain = lead.email.split(",")[0].partition("@")[2].strip()
        for role, position in people:
            if role == "decision_maker" and lead.contact and lead.position == position:
                name, email = lead.contact, lead.email.split(",")[0].strip()
            else:
                person = maker.person()
                name = person.full
                email = (
                    f"{translit(person.first)[0]}.{translit(person.surname)}@{domain}"
                    if domain and rng.random() < 0.7
                    else ""
                )
            shape = rng.random()
            if shape < 0.4:
                e164 = maker.mobile()
                raw = self.written(e164)
            elif shape < 0.8:  # the company's number, with an extension if it is an office
                e164 = lead.phone
                raw = self.written(e164) + (
                    "" if e164.startswith("+79") else f" доб. {rng.randint(100, 499)}"
                )
            else:
                e164, raw = None, ""
            self.decision_makers.append((qualification_id, role, name, position, raw, e164, email))

    def book(self, agent: _Agent, lead: _Lead, qualification_id: int, at: datetime) -> None:
        rng = self.rng
        district = self.district(lead)
        matching = [s for s in self.specialists if district in s.districts] or list(
            self.specialists
        )
        lead_zone = _zone(lead.zones[0]) if len(lead.zones) == 1 else None
        for specialist in sorted(matching, key=lambda s: (len(s.booked), rng.random())):
            slots = self.free_slots(specialist, lead_zone)
            if not slots:
                continue
            start = rng.choice(slots[:6])
            end = start + timedelta(minutes=specialist.minutes)
            specialist.booked.append((start, end))
            kinds = self.recipe.data["meetings"]["kinds"]
            kind = rng.choices(list(kinds), list(kinds.values()))[0]
            city = lead.city or lead.region
            place = {
                "video": "Видеозвонок, ссылка в приглашении",
                "on_site": f"{city}, офис клиента" if city else "Офис клиента",
                "phone": f"По телефону {self.written(lead.phone)}",
            }[kind]
            self.meetings.append(
                (
                    lead.id,
                    specialist.id,
                    qualification_id,
                    utc_text(start),
                    utc_text(end),
                    kind,
                    place,
                    rng.choice(self.recipe.data["meetings"]["agendas"]),
                    "booked",
                    agent.id,
                    utc_text(at),
                )
            )
            return

    def free_slots(self, specialist: _Specialist, lead_zone: ZoneInfo | None) -> list[datetime]:
        """Starts from tomorrow for a week by the desk's own slot rules (domain.availability:
        working hours, buffers, the daily cap), inside the lead's business hours."""
        tomorrow = datetime.combine(
            self.now.astimezone(specialist.zone).date() + timedelta(days=1),
            time(0),
            specialist.zone,
        )
        rules = availability.WorkRules(
            str(specialist.zone),
            specialist.hours,
            meeting_minutes=specialist.minutes,
            buffer_minutes=int(specialist.buffer.total_seconds() // 60),
            max_per_day=specialist.max_per_day,
        )
        meetings = self.settings.meetings
        lead = (
            None
            if lead_zone is None
            else availability.LeadHours((str(lead_zone),), meetings.lead_hours)
        )
        slots = availability.free_slots(
            rules,
            specialist.booked,
            self.now,
            min_notice=tomorrow - self.now,
            horizon=tomorrow + timedelta(days=7) - self.now,
            step_minutes=meetings.step_minutes,
            lead=lead,
        )
        return [slot.starts_at for slot in slots if slot.in_lead_hours]

    # the days

    def run(self) -> None:
        for day in self.days:
            self.run_day(day)

    def run_day(self, day: date) -> None:
        rng = self.rng
        periods = [
            (
                datetime.combine(day, a, self.office).astimezone(UTC),
                datetime.combine(day, b, self.office).astimezone(UTC),
            )
            for a, b in self.hours
        ]
        work = sum((b - a).total_seconds() for a, b in periods)
        pace: dict[int, float] = {}
        queue: list[tuple[datetime, int]] = []
        for agent in self.agents:
            pace[agent.id] = work / rng.randint(*agent.calls_per_day)
            start = periods[0][0] + timedelta(seconds=rng.randint(0, 600))
            heapq.heappush(queue, (start, agent.id))
        by_id = {agent.id: agent for agent in self.agents}
        while queue:
            due, agent_id = heapq.heappop(queue)
            working = self._working(due, periods)
            if working is None:
                continue
            at = working
            lead, bucket = self.take(by_id[agent_id], at)
            if lead is None:
                heapq.heappush(queue, (at + timedelta(seconds=rng.randint(120, 300)), agent_id))
                continue
            done = self.call(by_id[agent_id], lead, at, bucket)
            step = timedelta(seconds=pace[agent_id] * rng.uniform(0.5, 1.5))
            heapq.heappush(
                queue, (max(done + timedelta(seconds=rng.randint(3, 20)), at + step), agent_id)
            )

    def _working(self, at: datetime, periods: list[tuple[datetime, datetime]]) -> datetime | None:
        """`at`, or the start of the next working period (lunch); None after the day."""
        for start, end in periods:
            if at < start:
                return start + timedelta(seconds=self.rng.randint(0, 300))
            if at < end:
                return at
        return None

    # writing

    def write(self) -> None:
        execute_many(
            "INSERT INTO call_attempt (id, lead_id, agent_id, phone_e164, claimed_at, "
            "dialled_at, at, disposition, note, reason, callback_at, status_before, "
            "status_after, lead_before) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self.attempts,
        )
        execute_many(
            "INSERT INTO qualification (id, lead_id, agent_id, script_key, script_version, "
            "answers, fit, knockouts, actuality, recall_on, score, status, submitted_at, "
            "reviewed_by_id, reviewed_at, review_comment, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self.qualifications,
        )
        execute_many(
            "INSERT INTO decision_maker (qualification_id, role, name, position, phone_raw, "
            "phone_e164, email) VALUES (?, ?, ?, ?, ?, ?, ?)",
            self.decision_makers,
        )
        execute_many(
            "INSERT INTO meeting (lead_id, specialist_id, qualification_id, starts_at, "
            "ends_at, kind, place, agenda, status, booked_by_id, booked_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self.meetings,
        )
        execute_many(
            "INSERT INTO dnc_entry (phone_e164, reason, source, added_by_id, added_at) "
            "VALUES (?, ?, ?, ?, ?)",
            self.dnc,
        )
        execute_many(
            "UPDATE lead SET status = ?, attempts = ?, last_attempt_at = ?, next_call_at = ?, "
            "callback_owner_id = ?, callback_note = ?, updated_at = ? WHERE id = ?",
            [
                (
                    lead.status,
                    lead.attempts,
                    utc_text(cast(datetime, lead.last_at)),
                    utc_text(lead.next_at) if lead.next_at else None,
                    lead.owner,
                    lead.note,
                    utc_text(cast(datetime, lead.last_at)),
                    lead.id,
                )
                for lead in self.leads
                if lead.touched
            ],
        )
        reset_sequences("call_attempt", "qualification")  # ids written by hand above


# --- building the demo --------------------------------------------------------------------


@dataclass(frozen=True)
class DemoResult:
    path: str
    users: int
    specialists: int
    leads: int
    lists: int
    imports: tuple[ImportReport, ...]
    calls: int
    days: int
    reused: bool = False

    def import_total(self, name: str) -> int:
        return sum(getattr(report, name) for report in self.imports)

    def summary(self) -> str:
        if self.reused:
            return _("demo database at {path} (reused)").format(path=self.path)
        return _(
            "demo database at {path}: {users} users, {specialists} specialists, "
            "{leads} leads in {lists} lists (import: rows {rows}, imported {imported}, "
            "duplicates {duplicates}, invalid {invalid}, dnc {dnc}, empty {empty}), "
            "{calls} calls over {days} days"
        ).format(
            path=self.path,
            users=self.users,
            specialists=self.specialists,
            leads=self.leads,
            lists=self.lists,
            calls=self.calls,
            days=self.days,
            **{
                name: self.import_total(name)
                for name in ("rows", "imported", "duplicates", "invalid", "dnc", "empty")
            },
        )


def has_demo(recipe: Recipe | None = None) -> bool:
    recipe = recipe or load_recipe()
    return (
        User.select().where(User.login == "supervisor").exists()
        and CallList.select().where(CallList.name == recipe.list_names()[0]).exists()
    )


def ensure_demo(workspace: Workspace, *, now: datetime | None = None) -> str:
    """Create the demo in the workspace's database, or reuse it; a one-line summary."""
    return build_demo(workspace, now=now).summary()


def build_demo(
    workspace: Workspace, *, now: datetime | None = None, files: Path | None = None
) -> DemoResult:
    """The demo in the bound database: created when absent, reused when present.

    The generated call-list files (and the importer's rejects beside them) are kept in
    `files`, by default a folder beside the database file, so the lists' import runs point
    at files that exist.
    """
    recipe = load_recipe()
    if has_demo(recipe):
        return DemoResult(workspace.target, 0, 0, 0, 0, (), 0, 0, reused=True)
    if User.select().exists() or CallList.select().exists():
        raise DemoError(
            _(
                "{path} already holds users or call lists; the demo needs a "
                "database of its own (tmdesk demo --db NEW_FILE)"
            ).format(path=workspace.target)
        )
    now = (now or datetime.now(UTC)).astimezone(UTC)
    files = files or _files_folder(workspace)
    files.mkdir(parents=True, exist_ok=True)
    with database.atomic():
        return _build(recipe, workspace, now, files)


def _files_folder(workspace: Workspace) -> Path:
    path = workspace.sqlite_file
    if path is None or not path.name or path.name == ":memory:":
        return Path(tempfile.mkdtemp(prefix="tmdesk-demo-"))
    path = path.expanduser()
    return path.with_name(f"{path.stem}-files")


def _build(recipe: Recipe, workspace: Workspace, now: datetime, files: Path) -> DemoResult:
    history = recipe.data["history"]
    office = _zone(history.get("time_zone", DEFAULT_ZONE))
    first_day = now.astimezone(office).date() - timedelta(days=int(history.get("days", 7)))
    imported_at = datetime.combine(first_day - timedelta(days=1), time(16), office)
    set_up_at = utc_text(imported_at - timedelta(days=3))

    users = {}
    for spec in recipe.data["users"]:
        users[spec["login"]] = add_user(
            spec["login"],
            spec["name"],
            spec.get("role", "agent"),
            spec.get("time_zone", DEFAULT_ZONE),
        ).id
    User.update(created_at=set_up_at).execute()
    supervisor = users["supervisor"]
    User.update(password_hash=_demo_supervisor_hash()).where(User.id == supervisor).execute()
    agents = [
        _Agent(
            users[spec["login"]],
            spec["login"],
            tuple(spec["calls_per_day"]),
            float(spec.get("skill", 1.0)),
        )
        for spec in recipe.data["users"]
        if spec.get("role", "agent") == "agent"
    ]
    specialists = _add_specialists(recipe, set_up_at)

    lists = generate_lists(recipe)
    execute_many(
        "INSERT INTO dnc_entry (phone_e164, reason, source, added_by_id, added_at) "
        "VALUES (?, ?, 'manual', ?, ?)",
        [(phone, reason, supervisor, set_up_at) for phone, reason in lists.dnc],
    )
    reports, list_ids = [], []
    for demo_list in (lists.main, lists.east):
        path = demo_list.write(files)
        call_list = CallList.create(
            name=demo_list.name,
            priority=demo_list.priority,
            default_region="RU",
            created_by=supervisor,
            created_at=imported_at,
        )
        report = import_call_list(
            path, list_name=demo_list.name, default_region="RU", user_id=supervisor
        )
        reports.append(report)
        list_ids.append(call_list.id)
        # as if imported the afternoon before the week of calls
        database.execute_sql(
            "UPDATE import_run SET started_at = ?, finished_at = ? WHERE id = ?",
            (
                utc_text(imported_at),
                utc_text(imported_at + timedelta(seconds=2)),
                report.import_run_id,
            ),
        )
        database.execute_sql(
            "UPDATE lead SET created_at = ?, updated_at = ? WHERE import_run_id = ?",
            (utc_text(imported_at + timedelta(seconds=2)),) * 2 + (report.import_run_id,),
        )
        imported_at += timedelta(minutes=20)

    week = _Week(recipe, workspace.settings, now, agents, supervisor, specialists)
    week.load_leads(list_ids)
    week.run()
    week.write()
    leads = database.execute_sql("SELECT count(*) FROM lead").fetchone()[0]
    return DemoResult(
        workspace.target,
        len(users),
        len(specialists),
        leads,
        len(list_ids),
        tuple(reports),
        len(week.attempts),
        int(history.get("days", 7)),
    )


def _add_specialists(recipe: Recipe, created_at: str) -> list[_Specialist]:
    directory = default_directory()
    subjects: dict[str, list[str]] = {}
    for city in recipe.cities:
        found = directory.lookup(city.name) or directory.lookup(city.regions[0])
        subject = (found.subject or found.name) if found else city.regions[0]
        names = subjects.setdefault(city.district, [])
        if subject not in names:
            names.append(subject)
    result = []
    for spec in recipe.data["specialists"]:
        phone = parse_phone_cell(spec["phone"], "RU").primary
        regions = [s for district in spec["districts"] for s in subjects.get(district, [])]
        row = Specialist.create(
            name=spec["name"],
            email=spec["email"],
            phone_e164=phone.e164 if phone else None,
            time_zone=spec["time_zone"],
            working_hours=spec["working_hours"],
            regions=regions,
            specialisations=spec["specialisations"],
            meeting_minutes=spec.get("meeting_minutes", 60),
            buffer_minutes=spec.get("buffer_minutes", 15),
            max_per_day=spec.get("max_per_day", 4),
            created_at=created_at,
        )
        result.append(
            _Specialist(
                row.id,
                _zone(row.time_zone),
                WeeklyWindows.from_mapping(row.working_hours),
                frozenset(spec["districts"]),
                row.meeting_minutes,
                timedelta(minutes=row.buffer_minutes),
                row.max_per_day,
            )
        )
    return result
