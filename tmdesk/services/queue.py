"""The queue: which lead an agent is served next, and why the others are not callable now.

Order (docs/architecture.md §4, first match wins): the agent's own in-progress lead; the
agent's own due callbacks; shared due callbacks and other agents' callbacks overdue past
the grace period; then due retries and fresh leads by list priority, lead priority and age.
Only leads that may be called now are served: inside the calling window in every candidate
zone, not on the do-not-call list, in an active list, under the attempt cap.

The calling window is decided per zone set (a few dozen), not per lead, so the lead
queries filter on a short list of literal ids and stay on their indexes.

Over 400 lines: the preview, the summary and the claim (calls.py) must serve by the same
bucket queries and callable zones, which are built here once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tmdesk.config import Settings
from tmdesk.domain.calling_window import window_state
from tmdesk.domain.statuses import SERVABLE, LeadStatus
from tmdesk.domain.timezones import DEFAULT_ZONE
from tmdesk.i18n import _
from tmdesk.services.import_staging import hidden_run_ids, live_lead_condition
from tmdesk.services.users import UserError, UserInfo, find_user, list_users
from tmdesk.store.dialect import count_if
from tmdesk.store.fields import parse_utc_text, utc_text
from tmdesk.store.models import ZoneSet, database

BUCKETS = ("in_progress", "callback_own", "callback_shared", "retry", "fresh")

# The indexes the rules are pinned to (see store/models.py).
BY_STATUS = "lead_status_zone_set_id_next_call_at"
BY_FRESH = "lead_fresh"
BY_RETRY = "lead_retries"
BY_CALLBACK = "lead_callbacks"
SERVING_ORDER = "lead.list_priority DESC, lead.priority DESC, lead.id"


@dataclass(frozen=True)
class QueueEntry:
    lead_id: int
    company: str
    contact: str
    phone_e164: str
    status: str
    bucket: str
    list_name: str
    zones: tuple[str, ...]
    local_time: datetime  # now in the lead's (first) zone
    next_call_at: datetime | None
    callback_note: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "lead_id": self.lead_id,
            "company": self.company,
            "phone_e164": self.phone_e164,
            "local_time": self.local_time.isoformat(),
            "bucket": self.bucket,
        }


@dataclass(frozen=True)
class CallableZones:
    allowed_ids: tuple[int, ...]
    blocked_ids: tuple[int, ...]
    max_id: int
    valid_until: datetime  # the next moment some zone set opens or closes


_zone_cache: dict[tuple[str, int, int], CallableZones] = {}


def _zones_of(text: str) -> tuple[str, ...]:
    return tuple(zone for zone in text.split("|") if zone)


def callable_zone_sets(settings: Settings, now: datetime) -> CallableZones:
    """Which zone sets are inside the calling window now (cached until the next change)."""
    max_id = database.execute_sql("SELECT coalesce(max(id), 0) FROM zone_set").fetchone()[0]
    key = (str(database.obj.database), id(settings.calling_window), max_id)
    cached = _zone_cache.get(key)
    if cached is not None and now < cached.valid_until:
        return cached
    allowed: list[int] = []
    blocked: list[int] = []
    horizon = now + timedelta(days=8)
    valid_until = horizon
    for zone_set in ZoneSet.select(ZoneSet.id, ZoneSet.zones):
        zones = _zones_of(zone_set.zones) or (DEFAULT_ZONE,)
        state = window_state(now, zones, settings.calling_window)
        (allowed if state.allowed else blocked).append(zone_set.id)
        change = state.closes_at if state.allowed else state.opens_at
        if change is not None:
            valid_until = min(valid_until, change)
    result = CallableZones(tuple(allowed), tuple(blocked), max_id, valid_until)
    _zone_cache.clear()
    _zone_cache[key] = result
    return result


def _id_list(ids: tuple[int, ...]) -> str:
    # literals, not bound parameters: SQLite plans IN (?, ?) worse (docs/architecture.md §3)
    return ",".join(str(int(i)) for i in ids) or "NULL"


def inactive_list_ids() -> tuple[int, ...]:
    rows = database.execute_sql("SELECT id FROM call_list WHERE status != 'active'")
    return tuple(row[0] for row in rows)


@dataclass(frozen=True)
class BucketQuery:
    """One queue rule as SQL over `lead`, with named parameters :agent, :now, :overdue.

    A rule with `parts` merges their rows in its own order (fresh leads and due retries:
    each has its own index, so retries waiting for their time are never walked over).
    """

    bucket: str
    where: str
    order: str
    index: str  # forced: left alone, SQLite may drive from zone_set and sort 1M leads
    parts: tuple[BucketQuery, ...] = ()

    def source(self, lock: str = "", limit: str = ":limit") -> str:
        if not self.parts:
            return f"lead INDEXED BY {self.index}"
        merged = " UNION ALL ".join(
            f"SELECT * FROM (SELECT lead.* FROM {part.source()} WHERE {part.where} "
            f"ORDER BY {part.order} LIMIT {limit}{lock}) AS part"
            for part in self.parts
        )
        return f"({merged}) AS lead"

    def select(
        self, columns: str, joins: str = "", *, lock: str = "", limit: str = ":limit"
    ) -> str:
        """The rule's leads in order, at most `limit` of them. `lock` (PostgreSQL's claim:
        FOR UPDATE … SKIP LOCKED) goes on each part's own query: PostgreSQL refuses it on
        a UNION."""
        where = f" WHERE {self.where}" if self.where else ""
        return (
            f"SELECT {columns} FROM {self.source(lock, limit)} {joins}{where} "
            f"ORDER BY {self.order} LIMIT {limit}{'' if self.parts else lock}"
        )


def rule_parameters(agent_id: int, settings: Settings, now: datetime) -> dict[str, object]:
    return {
        "agent": agent_id,
        "now": utc_text(now),
        "overdue": utc_text(now - settings.callback_grace),
    }


def bucket_queries(
    settings: Settings, zones: CallableZones, inactive: tuple[int, ...]
) -> list[BucketQuery]:
    """The queue rules in serving order, for the zone sets open now and the paused lists.

    The rules after the agent's own lead run twice: first leaving out the leads this agent
    gave back, then with them, so a released lead comes after every other callable one
    (and still comes, when it is the only one)."""
    common = (
        f"lead.claimed_by_id IS NULL AND lead.zone_set_id IN ({_id_list(zones.allowed_ids)})"
        " AND NOT EXISTS (SELECT 1 FROM dnc_entry WHERE dnc_entry.phone_e164 = "
        "lead.phone_e164)"
    )
    if inactive:
        common += f" AND lead.call_list_id NOT IN ({_id_list(inactive)})"
    common += f" AND {live_lead_condition()}"  # imports still being written: not served yet
    not_released = "(lead.released_by_id IS NULL OR lead.released_by_id != :agent)"
    return [
        BucketQuery(
            "in_progress",
            "lead.status = 'in_progress' AND lead.claimed_by_id = :agent",
            "lead.claimed_at",
            BY_STATUS,
        ),
        *_waiting_rules(settings, f"{common} AND {not_released}"),
        *_waiting_rules(settings, common),
    ]


def _waiting_rules(settings: Settings, common: str) -> list[BucketQuery]:
    """Callbacks, then retries and fresh leads, each meeting `common`."""
    callback = "lead.status IN ('callback', 'nurture') AND lead.next_call_at <= :now"
    return [
        BucketQuery(
            "callback_own",
            f"{callback} AND lead.callback_owner_id = :agent AND {common}",
            "lead.next_call_at",
            BY_CALLBACK,
        ),
        BucketQuery(
            "callback_shared",
            f"{callback} AND (lead.callback_owner_id IS NULL OR "
            f"lead.next_call_at <= :overdue) AND {common}",
            "lead.next_call_at",
            BY_CALLBACK,
        ),
        BucketQuery(
            "retry|fresh",
            "",
            SERVING_ORDER,
            "",
            parts=(
                BucketQuery("fresh", f"lead.status = 'new' AND {common}", SERVING_ORDER, BY_FRESH),
                # callbacks were agreed with a person: only dials count against the cap
                # among retries of one priority, the longest due first (its index's order)
                BucketQuery(
                    "retry",
                    "lead.status = 'retry' AND lead.next_call_at <= :now AND "
                    f"lead.attempts < {int(settings.max_attempts)} AND {common}",
                    "lead.list_priority DESC, lead.priority DESC, lead.next_call_at",
                    BY_RETRY,
                ),
            ),
        ),
    ]


_ENTRY_COLUMNS = (
    "lead.id, lead.company, lead.contact, lead.phone_e164, lead.status, "
    "call_list.name, zone_set.zones, lead.next_call_at, lead.callback_note"
)


def _entry(row: tuple[Any, ...], bucket: str, now: datetime) -> QueueEntry:
    lead_id, company, contact, phone, status, list_name, zones_text, next_at, note = row
    zones = _zones_of(zones_text)
    if bucket == "retry|fresh":
        bucket = "fresh" if status == LeadStatus.NEW else "retry"
    return QueueEntry(
        lead_id=lead_id,
        company=company,
        contact=contact,
        phone_e164=phone,
        status=status,
        bucket=bucket,
        list_name=list_name,
        zones=zones,
        local_time=now.astimezone(ZoneInfo(zones[0] if zones else DEFAULT_ZONE)),
        next_call_at=parse_utc_text(next_at) if next_at else None,
        callback_note=note,
    )


def preview_queue(
    agent_id: int, settings: Settings, *, limit: int = 20, now: datetime | None = None
) -> list[QueueEntry]:
    """The next `limit` leads the agent would be served, in order, without claiming any."""
    now = now or datetime.now(UTC)
    entries: list[QueueEntry] = []
    seen: set[int] = set()
    rules = bucket_queries(settings, callable_zone_sets(settings, now), inactive_list_ids())
    parameters = rule_parameters(agent_id, settings, now)
    for query in rules:
        remaining = limit - len(entries)
        if remaining <= 0:
            break
        rows = database.execute_sql(
            query.select(
                _ENTRY_COLUMNS,
                "CROSS JOIN call_list ON call_list.id = lead.call_list_id "
                "CROSS JOIN zone_set ON zone_set.id = lead.zone_set_id",
            ),
            parameters | {"limit": remaining + len(seen)},
        )
        for row in rows:
            if row[0] in seen or len(entries) >= limit:
                continue
            seen.add(row[0])
            entries.append(_entry(row, query.bucket, now))
    return entries


@dataclass(frozen=True)
class QueueSummary:
    """Counts of leads by why they are (not) callable now, for the queue screen."""

    callable_now: int
    outside_window: int
    waiting: int  # retry or callback time not reached yet
    claimed_by_others: int
    do_not_call: int
    exhausted: int
    finished: int  # qualified, not a fit, not interested, wrong number
    paused_lists: int
    next_window_change: datetime | None

    def reasons(self) -> list[tuple[str, int]]:
        return [(_("callable now"), self.callable_now), *self.not_callable()]

    def not_callable(self) -> list[tuple[str, int]]:
        """Why the other leads are not served now: (label, count)."""
        return [
            (_("outside the calling window in the lead's local time"), self.outside_window),
            (_("waiting for a retry or callback time"), self.waiting),
            (_("being called by another agent"), self.claimed_by_others),
            (_("on the do-not-call list"), self.do_not_call),
            (_("attempt cap reached"), self.exhausted),
            (_("finished"), self.finished),
            (_("in paused or archived lists"), self.paused_lists),
        ]


def _tally(
    counts: dict[str, int], rows: Iterable[tuple[Any, ...]], allowed: set[int], sign: int = 1
) -> None:
    """Add (status, zone set, leads, due leads) groups to the categories of QueueSummary."""
    for status, zone_id, count, due in rows:
        if status == LeadStatus.DNC:
            counts["do_not_call"] += sign * count
        elif status == LeadStatus.EXHAUSTED:
            counts["exhausted"] += sign * count
        elif status == LeadStatus.IN_PROGRESS:
            counts["callable_now"] += sign * count  # split by owner afterwards
        elif status not in SERVABLE:
            counts["finished"] += sign * count
        else:
            counts["waiting"] += sign * (count - due)
            counts["callable_now" if zone_id in allowed else "outside_window"] += sign * due


def queue_summary(
    agent_id: int, settings: Settings, *, now: datetime | None = None
) -> QueueSummary:
    """Why leads are (not) callable now. One pass over a covering index plus a few small
    corrections (paused lists, numbers put on the DNC list after import, capped retries), so
    it stays well under a second at a million leads."""
    now = now or datetime.now(UTC)
    zones = callable_zone_sets(settings, now)
    allowed = set(zones.allowed_ids)
    inactive = inactive_list_ids()
    now_text = utc_text(now)
    counts = dict(
        callable_now=0,
        outside_window=0,
        waiting=0,
        claimed_by_others=0,
        do_not_call=0,
        exhausted=0,
        finished=0,
        paused_lists=0,
    )
    group = (
        "SELECT lead.status, lead.zone_set_id, count(*), "
        f"{count_if('lead.next_call_at IS NULL OR lead.next_call_at <= ?')} FROM {{source}} "
        "WHERE {where} GROUP BY 1, 2"
    )
    _tally(
        counts,
        database.execute_sql(
            group.format(source=f"lead INDEXED BY {BY_STATUS}", where="TRUE"), (now_text,)
        ),
        allowed,
    )
    hidden = hidden_run_ids()
    live = live_lead_condition() if hidden else "TRUE"
    if hidden:  # an import still being written: its leads are nobody's yet
        # all due: an importer never sets next_call_at, so the run's index is enough
        staged = database.execute_sql(
            "SELECT status, zone_set_id, count(*), count(*) FROM lead INDEXED BY "
            f"lead_import_run WHERE import_run_id IN ({_id_list(hidden)}) GROUP BY 1, 2"
        ).fetchall()
        _tally(counts, staged, allowed, -1)
    if inactive:
        paused = database.execute_sql(
            group.format(
                source="lead",
                where=f"lead.call_list_id IN ({_id_list(inactive)}) AND {live}",
            ),
            (now_text,),
        ).fetchall()
        _tally(counts, paused, allowed, -1)
        counts["paused_lists"] += sum(row[2] for row in paused)
    active = f"lead.call_list_id NOT IN ({_id_list(inactive)})" if inactive else "TRUE"
    active = f"{active} AND {live}"
    servable = "lead.status IN ('new', 'retry', 'callback', 'nurture')"
    # numbers put on the do-not-call list after their import (checked at claim time)
    on_dnc = database.execute_sql(
        group.format(
            source="dnc_entry CROSS JOIN lead INDEXED BY lead_phone_e164 "
            "ON lead.phone_e164 = dnc_entry.phone_e164",
            where=f"{servable} AND {active}",
        ),
        (now_text,),
    ).fetchall()
    _tally(counts, on_dnc, allowed, -1)
    counts["do_not_call"] += sum(row[2] for row in on_dnc)
    # retries past a lowered attempt cap wait for a supervisor, like exhausted leads
    capped = database.execute_sql(
        group.format(
            source=f"lead INDEXED BY {BY_STATUS}",
            where=f"lead.status = 'retry' AND lead.attempts >= {int(settings.max_attempts)} "
            f"AND {active}",
        ),
        (now_text,),
    ).fetchall()
    _tally(counts, capped, allowed, -1)
    counts["exhausted"] += sum(row[2] for row in capped)
    others = database.execute_sql(
        f"SELECT count(*) FROM lead INDEXED BY {BY_STATUS} WHERE lead.status = "
        f"'in_progress' AND lead.claimed_by_id != ? AND {active}",
        (agent_id,),
    ).fetchone()[0]
    counts["callable_now"] -= others
    counts["claimed_by_others"] += others
    return QueueSummary(**counts, next_window_change=zones.valid_until)


def queue_agent(login: str | None) -> UserInfo:
    """The agent named, or the first active agent when none is named."""
    if login:
        return find_user(login)
    agents = [user for user in list_users(include_inactive=False) if user.role == "agent"]
    if not agents:
        raise UserError(_("no agents yet; add one with `tmdesk users add LOGIN --name NAME`"))
    return agents[0]
