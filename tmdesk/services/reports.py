"""The supervisor's figures: per agent and in total for a day or a range of days, the
conversion funnel, dispositions by hour and by agent, and the call lists' progress.

Days are calendar days in the supervisor's time zone, turned into a UTC range on
call_attempt.at (an index range; never date(at) = ?, which reads every row). One GROUP BY
over a covering index gives every per-agent counter; the hourly chart reads a second
covering index one local hour at a time. Undone attempts do not count anywhere.

Over 400 lines: the report, the workspace's glance and the lists' progress share the
period bounds, the counters and their covering indexes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tmdesk.config import Settings
from tmdesk.domain.dispositions import UNREACHED, Disposition
from tmdesk.domain.statuses import LeadStatus
from tmdesk.errors import TmdeskError
from tmdesk.i18n import _
from tmdesk.services.calls import day_bounds
from tmdesk.services.import_staging import hidden_run_ids
from tmdesk.store.dialect import count_if, native, seconds_between
from tmdesk.store.fields import parse_utc_text, utc_text
from tmdesk.store.models import database


class ReportError(TmdeskError):
    """The report cannot be made for these dates or this time zone."""


@dataclass(frozen=True)
class Figures:
    login: str  # "" for the totals row
    name: str  # "Total" for the totals row
    calls: int
    reached: int  # a person answered: not no answer, busy or voicemail
    contact_rate: float | None  # reached / calls
    qualified: int
    not_fit: int
    nurture: int
    meetings: int  # meetings booked (reschedules and outright cancellations not counted)
    meetings_per_reached: float | None
    avg_handle_seconds: float | None  # from taking the lead to recording the outcome
    first_call: datetime | None
    last_call: datetime | None
    talk_seconds: int = 0  # on the phone with the lead, calls through the PBX
    ring_seconds: int = 0  # waiting for the lead to answer, calls through the PBX

    def to_json(self, zone: ZoneInfo | None = None) -> dict[str, Any]:
        def moment(value: datetime | None) -> str | None:
            if value is None:
                return None
            return (value.astimezone(zone) if zone else value).isoformat()

        return {
            "login": self.login,
            "name": self.name,
            "calls": self.calls,
            "reached": self.reached,
            "contact_rate": _round(self.contact_rate, 4),
            "qualified": self.qualified,
            "not_fit": self.not_fit,
            "nurture": self.nurture,
            "meetings": self.meetings,
            "meetings_per_reached": _round(self.meetings_per_reached, 4),
            "avg_handle_seconds": _round(self.avg_handle_seconds, 1),
            "first_call": moment(self.first_call),
            "last_call": moment(self.last_call),
            "talk_seconds": self.talk_seconds,
            "ring_seconds": self.ring_seconds,
        }


@dataclass(frozen=True)
class Funnel:
    """The period's conversion: calls dialled, calls that reached a person, qualifications
    submitted that are a fit, of those actual now, and meetings booked."""

    dialled: int
    reached: int
    fit: int
    actual: int  # fit and actual now
    meetings: int
    # What else the table's "qualified" calls hold, so that qualified == actual + unknown
    # + returned: a fit whose actuality the answers do not say (the verdict is qualified,
    # but it is not "actual now"), and a qualified one the supervisor returned to its agent
    # (the call stands; the funnel leaves the qualification out until it comes back).
    unknown: int = 0
    returned: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "dialled": self.dialled,
            "reached": self.reached,
            "fit": self.fit,
            "actual": self.actual,
            "meetings": self.meetings,
            "unknown": self.unknown,
            "returned": self.returned,
        }


@dataclass(frozen=True)
class ListProgress:
    list_id: int
    name: str
    status: str  # active | paused | archived
    priority: int
    script_key: str | None
    total: int  # leads in the list (do-not-call rows included)
    remaining: int  # still to be worked: new, retries, callbacks, recalls that came due,
    #                 being called now (not: retries over the attempt cap)
    due_now: int  # of those, due now (fresh leads; retries, callbacks, recalls whose time
    #               came), whatever the calling window says
    callbacks: int  # agreed callbacks waiting
    exhausted: int  # attempt cap reached (or over a lowered cap)
    invalid: int  # rows rejected at import as not a usable phone

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.list_id,
            "name": self.name,
            "status": self.status,
            "priority": self.priority,
            "script_key": self.script_key,
            "total": self.total,
            "remaining": self.remaining,
            "due_now": self.due_now,
            "callbacks": self.callbacks,
            "exhausted": self.exhausted,
            "invalid": self.invalid,
        }


@dataclass(frozen=True)
class Report:
    start: date
    end: date  # inclusive
    time_zone: str
    totals: Figures
    agents: tuple[Figures, ...]
    funnel: Funnel
    by_hour: tuple[tuple[int, dict[str, int]], ...]  # (local hour, {disposition: count})
    by_agent: tuple[tuple[str, dict[str, int]], ...]  # (login, {disposition: count})

    def to_json(self) -> dict[str, Any]:
        """docs/architecture.md §10: {"date", "totals": {...}, "agents": [{"login", ...}]} and
        more."""
        zone = ZoneInfo(self.time_zone)
        return {
            "date": self.start.isoformat() if self.start == self.end else None,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "time_zone": self.time_zone,
            "totals": self.totals.to_json(zone),
            "agents": [figures.to_json(zone) for figures in self.agents],
            "funnel": self.funnel.to_json(),
            "by_hour": [{"hour": hour, "dispositions": counts} for hour, counts in self.by_hour],
            "by_agent": [
                {"login": login, "dispositions": counts} for login, counts in self.by_agent
            ],
        }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def time_zone_info(time_zone: str) -> ZoneInfo:
    """The zone, or ReportError naming the unknown name."""
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ReportError(
            _("unknown time zone {zone!r} (e.g. Europe/Moscow)").format(zone=time_zone)
        ) from None


_DISPOSITIONS_SQL = ", ".join(f"'{d.value}'" for d in Disposition)


# Per disposition and agent over the period: the count and the handle time (claim to
# disposition, where the claim is known). Covering index in GROUP BY order: one index
# range per (disposition, agent) pair, nothing sorted, no row read.
def _figures_sql() -> str:
    return (
        "SELECT disposition, agent_id, count(*), "
        f"sum({seconds_between('at', 'claimed_at')}), count(claimed_at) "
        "FROM call_attempt INDEXED BY call_attempt_report "
        f'WHERE disposition IN ({_DISPOSITIONS_SQL}) AND agent_id IN (SELECT id FROM "user") '
        "AND at >= :start AND at < :end AND undone_at IS NULL GROUP BY 1, 2"
    )


# Each agent's first and last call: two index seeks per agent.
_FIRST_LAST_SQL = (
    "SELECT id, (SELECT at FROM call_attempt INDEXED BY call_attempt_agent_id_at "
    ' WHERE agent_id = "user".id AND at >= :start AND at < :end AND undone_at IS NULL '
    " ORDER BY at LIMIT 1), "
    "(SELECT at FROM call_attempt INDEXED BY call_attempt_agent_id_at "
    ' WHERE agent_id = "user".id AND at >= :start AND at < :end AND undone_at IS NULL '
    ' ORDER BY at DESC LIMIT 1) FROM "user"'
)

# Dispositions of one hour (covering index, in GROUP BY order). One statement per local
# hour is cheaper than grouping a day of rows by an hour expression, which sorts them all.
_HOUR_SQL = (
    "SELECT disposition, count(*) FROM call_attempt INDEXED BY call_attempt_hourly "
    f"WHERE disposition IN ({_DISPOSITIONS_SQL}) AND at >= ? AND at < ? "
    "AND undone_at IS NULL GROUP BY 1"
)

# Meetings booked in the period, by who booked them: a reschedule is the same meeting
# booked again (counted once, by whoever booked it first), and one whose every booking in
# its chain of moves ended cancelled did not happen.
_MEETINGS_SQL = (
    "WITH RECURSIVE chain(root, id, status) AS ("
    " SELECT id, id, status FROM meeting WHERE booked_at >= :start AND booked_at < :end"
    " AND rescheduled_from_id IS NULL"
    # each step an index seek on rescheduled_from_id: left to itself the planner scanned
    # every meeting per step (0.9 s at the bench's 1M attempts instead of 17 ms)
    " UNION ALL SELECT chain.root, m.id, m.status FROM chain CROSS JOIN meeting AS m"
    " INDEXED BY meeting_rescheduled_from_id"
    " ON m.rescheduled_from_id = chain.id) "
    "SELECT booked_by_id, count(*) FROM meeting WHERE id IN ("
    "SELECT root FROM chain WHERE status != 'cancelled') GROUP BY booked_by_id"
)

# Qualifications submitted in the period that are a fit, of those actual now, and those
# whose verdict was qualified without being actual now (actuality unknown). A returned
# one is left out (its lead comes back and is submitted again) but counted apart when its
# verdict was qualified: its call is among the period's qualified calls.
_QUALIFIED_VERDICT = "fit = TRUE AND NOT (actuality = 'later' AND recall_on IS NOT NULL)"
_STANDING = "status IN ('submitted', 'approved')"
_FIT = f"fit = TRUE AND {_STANDING}"
_FIT_NOW = f"fit = TRUE AND actuality = 'now' AND {_STANDING}"
_UNKNOWN = f"{_QUALIFIED_VERDICT} AND actuality != 'now' AND {_STANDING}"
_RETURNED = f"{_QUALIFIED_VERDICT} AND status = 'returned'"


def _qualified_sql() -> str:
    return (
        f"SELECT coalesce({count_if(_FIT)}, 0), coalesce({count_if(_FIT_NOW)}, 0), "
        f"coalesce({count_if(_UNKNOWN)}, 0), coalesce({count_if(_RETURNED)}, 0) "
        "FROM qualification WHERE submitted_at >= :start AND submitted_at < :end "
        "AND status IN ('submitted', 'approved', 'returned')"
    )


# Talk and ring time of the calls placed through the PBX in the period, per agent.
_PHONE_SQL = (
    "SELECT agent_id, coalesce(sum(talk_seconds), 0), coalesce(sum(ring_seconds), 0) "
    "FROM phone_call WHERE requested_at >= :start AND requested_at < :end GROUP BY 1"
)


@dataclass
class _Tally:
    calls: int = 0
    reached: int = 0
    qualified: int = 0
    not_fit: int = 0
    nurture: int = 0
    meetings: int = 0
    handle_seconds: float = 0.0
    handled: int = 0
    first: datetime | None = None
    last: datetime | None = None
    talk_seconds: int = 0
    ring_seconds: int = 0

    def add(self, disposition: str, count: int, handle: float | None, handled: int) -> None:
        self.calls += count
        if disposition not in UNREACHED:
            self.reached += count
        if disposition in (Disposition.QUALIFIED, Disposition.NOT_FIT, Disposition.NURTURE):
            setattr(self, disposition, getattr(self, disposition) + count)
        self.handle_seconds += handle or 0.0
        self.handled += handled

    def merge(self, other: _Tally) -> None:
        for name in (
            "calls",
            "reached",
            "qualified",
            "not_fit",
            "nurture",
            "meetings",
            "handle_seconds",
            "handled",
            "talk_seconds",
            "ring_seconds",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.first is not None:
            self.first = other.first if self.first is None else min(self.first, other.first)
        if other.last is not None:  # set together with `first`
            self.last = other.last if self.last is None else max(self.last, other.last)

    def figures(self, login: str, name: str) -> Figures:
        return Figures(
            login=login,
            name=name,
            calls=self.calls,
            reached=self.reached,
            contact_rate=_ratio(self.reached, self.calls),
            qualified=self.qualified,
            not_fit=self.not_fit,
            nurture=self.nurture,
            meetings=self.meetings,
            meetings_per_reached=_ratio(self.meetings, self.reached),
            avg_handle_seconds=self.handle_seconds / self.handled if self.handled else None,
            first_call=self.first,
            last_call=self.last,
            talk_seconds=self.talk_seconds,
            ring_seconds=self.ring_seconds,
        )


def local_hours(start: date, end: date, time_zone: str) -> list[tuple[int, datetime, datetime]]:
    """(local hour, UTC start, UTC end) of every hour of the days start..end in the zone; a
    day with a clock change has 23 or 25 of them (then one hour number comes twice)."""
    zone = ZoneInfo(time_zone)
    hours = []
    day = start
    while day <= end:
        moment, until = day_bounds(day, time_zone)
        while moment < until:
            step = min(moment + timedelta(hours=1), until)
            hours.append((moment.astimezone(zone).hour, moment, step))
            moment = step
        day += timedelta(days=1)
    return hours


def report(
    start: date, end: date | None = None, *, time_zone: str, now: datetime | None = None
) -> Report:
    """The figures of the days start..end (inclusive; end None = start) in `time_zone`.

    Agents are the active agents (a zero says something too) and anyone else who called
    or booked in the period, by login.
    """
    end = end or start
    if end < start:
        raise ReportError(
            _("the range ends ({end}) before it starts ({start})").format(start=start, end=end)
        )
    time_zone_info(time_zone)
    since, until = day_bounds(start, time_zone)[0], day_bounds(end, time_zone)[1]
    bounds = {"start": utc_text(since), "end": utc_text(until)}

    tallies: dict[int, _Tally] = defaultdict(_Tally)
    by_agent: dict[int, dict[str, int]] = defaultdict(dict)
    for disposition, agent_id, count, handle, handled in database.execute_sql(
        _figures_sql(), bounds
    ):
        tallies[agent_id].add(disposition, count, handle, handled)
        by_agent[agent_id][disposition] = count
    for agent_id, first, last in database.execute_sql(_FIRST_LAST_SQL, bounds):
        if first is not None:
            tallies[agent_id].first = parse_utc_text(first)
            tallies[agent_id].last = parse_utc_text(last)
    for agent_id, count in database.execute_sql(_MEETINGS_SQL, bounds):
        tallies[agent_id].meetings += count
    for agent_id, talk, ring in database.execute_sql(_PHONE_SQL, bounds):
        tallies[agent_id].talk_seconds += talk
        tallies[agent_id].ring_seconds += ring
    fit, actual, unknown, returned = database.execute_sql(_qualified_sql(), bounds).fetchone()

    users = {
        row[0]: row[1:]
        for row in database.execute_sql('SELECT id, login, name, role, active FROM "user"')
    }
    shown = sorted(
        {uid for uid, (_login, _name, role, active) in users.items() if role == "agent" and active}
        | set(tallies),
        key=lambda uid: users[uid][0],
    )
    total = _Tally()
    agents = []
    for uid in shown:
        tally = tallies.get(uid) or _Tally()
        total.merge(tally)
        agents.append(tally.figures(users[uid][0], users[uid][1]))

    # the hourly chart, over the hours between the period's first and last call only
    by_hour: dict[int, dict[str, int]] = {}
    if total.first is not None:
        cursor = database.cursor()
        for hour, hour_start, hour_end in local_hours(start, end, time_zone):
            if hour_end <= total.first or (total.last is not None and hour_start > total.last):
                continue
            counts = by_hour.setdefault(hour, {})
            for disposition, count in cursor.execute(
                native(_HOUR_SQL), (utc_text(hour_start), utc_text(hour_end))
            ):
                counts[disposition] = counts.get(disposition, 0) + count
    hours = sorted(by_hour)
    hourly = tuple(
        (hour, dict(sorted(by_hour.get(hour, {}).items())))
        for hour in (range(hours[0], hours[-1] + 1) if hours else ())
    )
    return Report(
        start=start,
        end=end,
        time_zone=time_zone,
        totals=total.figures("", _("Total")),
        agents=tuple(agents),
        funnel=Funnel(
            dialled=total.calls,
            reached=total.reached,
            fit=fit,
            actual=actual,
            meetings=total.meetings,
            unknown=unknown,
            returned=returned,
        ),
        by_hour=hourly,
        by_agent=tuple(
            (users[uid][0], dict(sorted(by_agent[uid].items()))) for uid in shown if uid in by_agent
        ),
    )


# --- the workspace's glance ----------------------------------------------------------------


@dataclass(frozen=True)
class Glance:
    """Today at a glance, where a supervisor lands: the day's totals and how many
    qualifications wait for review (of every day: what the review queue opens on)."""

    day: date
    totals: Figures
    waiting: int


def glance(day: date, *, time_zone: str, now: datetime | None = None) -> Glance:
    waiting = database.execute_sql(
        "SELECT count(*) FROM qualification WHERE status = 'submitted' AND submitted_at IS NOT NULL"
    ).fetchone()[0]
    return Glance(day, report(day, time_zone=time_zone, now=now).totals, waiting)


# --- the lists' progress -------------------------------------------------------------------

_PROGRESS_INDEX = "lead_call_list_id_status_next_call_at_attempts"
_DUE = "next_call_at <= :now AND NOT (status = 'retry' AND attempts >= :cap)"
_CAPPED = "status = 'retry' AND attempts >= :cap"
_RECALLS = "status = 'nurture' AND next_call_at <= :now"


def list_progress(
    settings: Settings, *, now: datetime | None = None, list_ids: tuple[int, ...] | None = None
) -> tuple[ListProgress, ...]:
    """Every call list (or those of `list_ids`) with where its leads are, highest priority
    first, archived lists last."""
    now_text = utc_text(now or datetime.now(UTC))
    cap = int(settings.max_attempts)
    lists = database.execute_sql(  # a list's first import not finished: not a list yet
        "SELECT id, name, status, priority, script_key FROM call_list WHERE status != "
        "'importing' ORDER BY status = 'archived', priority DESC, id"
    ).fetchall()
    if list_ids is not None:
        wanted = set(list_ids)
        lists = [row for row in lists if row[0] in wanted]
    by_status: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    # one pass over a covering index (call_list_id, status, next_call_at, attempts): no
    # lead row is read
    for list_id, status, count in database.execute_sql(
        f"SELECT call_list_id, status, count(*) FROM lead INDEXED BY {_PROGRESS_INDEX} "
        "GROUP BY 1, 2"
    ):
        by_status[list_id][status] = count
    hidden = hidden_run_ids()
    if hidden:  # leads of imports still being written do not count yet
        for list_id, status, count in database.execute_sql(
            "SELECT call_list_id, status, count(*) FROM lead INDEXED BY lead_import_run "
            f"WHERE import_run_id IN ({','.join(map(str, hidden))}) GROUP BY 1, 2"
        ):
            by_status[list_id][status] -= count
    # retries, callbacks and recalls (index ranges of the same index): which are due,
    # which are over the attempt cap, and which recalls (nurture) came due — work again
    waiting: dict[int, tuple[int, int, int]] = {}
    for list_id, due, capped, recalls in database.execute_sql(
        f"SELECT call_list_id, {count_if(_DUE)}, {count_if(_CAPPED)}, {count_if(_RECALLS)} "
        "FROM lead INDEXED BY "
        f"{_PROGRESS_INDEX} WHERE call_list_id IN (SELECT id FROM call_list) "
        "AND status IN ('retry', 'callback', 'nurture') GROUP BY 1",
        {"now": now_text, "cap": cap},
    ):
        waiting[list_id] = (due or 0, capped or 0, recalls or 0)
    invalid = dict(
        database.execute_sql(
            "SELECT call_list_id, sum(invalid) FROM import_run WHERE finished_at IS NOT NULL "
            "GROUP BY 1"
        ).fetchall()
    )
    result = []
    for list_id, name, status, priority, script_key in lists:
        counts = by_status.get(list_id, {})
        due, capped, recalls = waiting.get(list_id, (0, 0, 0))
        remaining = (
            counts.get(LeadStatus.NEW, 0)
            + counts.get(LeadStatus.RETRY, 0)
            + counts.get(LeadStatus.CALLBACK, 0)
            + counts.get(LeadStatus.IN_PROGRESS, 0)
            + recalls
            - capped
        )
        result.append(
            ListProgress(
                list_id=list_id,
                name=name,
                status=status,
                priority=priority,
                script_key=script_key,
                total=sum(counts.values()),
                remaining=remaining,
                due_now=counts.get(LeadStatus.NEW, 0) + due,
                callbacks=counts.get(LeadStatus.CALLBACK, 0),
                exhausted=counts.get(LeadStatus.EXHAUSTED, 0) + capped,
                invalid=invalid.get(list_id) or 0,
            )
        )
    return tuple(result)
