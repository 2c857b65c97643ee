"""A development specialist's free time: working hours, days off, and the slots to offer.

Free slots = working hours in the specialist's own zone, minus booked meetings widened by
the specialist's buffer on both sides, minus days off, not in the past and not sooner than
the minimum notice, starting on steps of the local clock (:00 / :30), over a horizon, and
never on a local day that already holds the daily cap of meetings. Each slot also says
whether it falls inside the lead's business hours in the lead's zone(s).

Times are built as local wall-clock times day by day and converted with zoneinfo, so a
DST change moves the UTC times, not the local ones: a wall time that does not exist (the
spring-forward gap) is never offered, and one that happens twice (the autumn fold) is
offered at both instants. Pure stdlib.

Over 400 lines: the hours and days-off parsers produce exactly the rules the slot finder
applies, so the typed format and its meaning stay together.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tmdesk.domain.calling_window import END_OF_DAY, Interval, WeeklyWindows
from tmdesk.domain.calling_window import _intervals as intervals_of
from tmdesk.i18n import _

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_HOURS_TEXT = "mon-fri 09:00-18:00, lunch 13:00-14:00"
Booked = tuple[datetime, datetime]  # a booked meeting: aware start and end


@cache
def zone(name: str) -> ZoneInfo:
    """The zone named; ValueError naming it when there is no such zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            _("{zone!r} is not a time zone like Europe/Moscow").format(zone=name)
        ) from None


# --- working hours as typed ------------------------------------------------------------------

_BREAK_WORDS = ("lunch", "break", "обед", "перерыв")
_WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAYS_TOKEN = re.compile(r"^\s*([^\W\d_][\w,\-–]*)\s+(.*)$", re.S)


def parse_hours(text: str, where: str = "--hours") -> dict[str, list[str]]:
    """Weekly hours as typed → the stored mapping.

    "mon-fri 09:00-18:00, lunch 13:00-14:00; sat 10:00-14:00" →
    {"mon-fri": ["09:00-13:00", "14:00-18:00"], "sat": ["10:00-14:00"]}. Groups are
    separated by ";"; each names its days (mon, mon-fri, or mon,wed,fri) and then time
    ranges separated by commas; "lunch"/"break" ranges are cut out; "off" means no hours.
    """
    mapping: dict[str, list[str]] = {}
    covered: set[int] = set()  # weekdays named so far
    groups = [g.strip() for g in text.replace("\n", ";").split(";") if g.strip()]
    if not groups:
        raise ValueError(
            _("{where}: no working hours given (like {example!r})").format(
                where=where, example=DEFAULT_HOURS_TEXT
            )
        )
    for group in groups:
        match = _DAYS_TOKEN.match(group)
        if not match:
            raise ValueError(
                _("{where}: {group!r} does not start with the days, like {example!r}").format(
                    where=where, group=group, example=DEFAULT_HOURS_TEXT
                )
            )
        days_text, rest = match.group(1).replace("–", "-").lower(), match.group(2)
        keys = [d for d in days_text.split(",") if d]
        for key in keys:  # the days are checked by WeeklyWindows, with its message
            probe = WeeklyWindows.from_mapping({key: ["00:00-01:00"]}, where=where)
            days = {index for index, windows in enumerate(probe.days) if windows}
            twice = days & covered
            if twice:  # "mon-fri …; mon …" would quietly replace Monday
                raise ValueError(
                    _("{where}: {day} is given twice").format(
                        where=where, day=", ".join(_WEEKDAY_NAMES[i] for i in sorted(twice))
                    )
                )
            covered |= days
        work, breaks = [], []
        for piece in (p.strip() for p in rest.split(",")):
            if not piece or piece.lower() in ("off", "выходной"):
                continue
            word, _space, tail = piece.partition(" ")
            if word.lower().rstrip(":") in _BREAK_WORDS:
                if not tail.strip():
                    raise ValueError(
                        _("{where}: {word!r} needs its time, like 'lunch 13:00-14:00'").format(
                            where=where, word=word
                        )
                    )
                breaks.append(tail.strip())
            else:
                work.append(piece)
        label = f"{where} {group!r}"
        ranges, cuts = intervals_of(work, label), intervals_of(breaks, label)
        for cut in cuts:
            if not any(start < cut[1] and cut[0] < end for start, end in ranges):
                raise ValueError(
                    _("{where}: the break {cut} is outside the working hours").format(
                        where=label, cut=_range_text(cut)
                    )
                )
            ranges = _subtract(ranges, cut)
        for key in keys:
            mapping[key] = [_range_text(r) for r in ranges]
    return mapping


def _subtract(ranges: Iterable[Interval], cut: Interval) -> tuple[Interval, ...]:
    kept: list[Interval] = []
    for start, end in ranges:
        if cut[1] <= start or end <= cut[0]:
            kept.append((start, end))
            continue
        if start < cut[0]:
            kept.append((start, cut[0]))
        if cut[1] < end:
            kept.append((cut[1], end))
    return tuple(kept)


def _clock(value: time) -> str:
    return "24:00" if value == END_OF_DAY else f"{value:%H:%M}"


def _range_text(interval: Interval) -> str:
    return f"{_clock(interval[0])}-{_clock(interval[1])}"


def working_week(
    mapping: Mapping[str, str | list[str]], where: str = "working_hours"
) -> WeeklyWindows:
    """The stored mapping → per-weekday windows (ValueError naming `where` when bad)."""
    return WeeklyWindows.from_mapping(mapping, where=where)


def hours_text(mapping: Mapping[str, str | list[str]]) -> str:
    """The stored mapping as a person reads it: "mon-fri 09:00-13:00, 14:00-18:00"."""
    week = working_week(mapping)
    parts: list[str] = []
    day = 0
    while day < 7:  # runs of days with the same hours
        last = day
        while last + 1 < 7 and week.days[last + 1] == week.days[day]:
            last += 1
        if week.days[day]:
            days = DAY_NAMES[day] if last == day else f"{DAY_NAMES[day]}-{DAY_NAMES[last]}"
            parts.append(f"{days} {', '.join(_range_text(r) for r in week.days[day])}")
        day = last + 1
    return "; ".join(parts) or _("no working hours")


# --- days off ----------------------------------------------------------------------------

DayOff = tuple[date, date]  # first and last day, both included


def _date(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            _("{where}: {value!r} is not a date (YYYY-MM-DD)").format(
                where=where, value=text.strip()
            )
        ) from None


def parse_day_off(text: str, where: str = "--days-off") -> DayOff:
    """ "2026-12-31" or "2027-01-01..2027-01-08" (both days included)."""
    first, dots, last = text.strip().partition("..")
    start = _date(first, where)
    end = _date(last, where) if dots else start
    if end < start:
        raise ValueError(
            _("{where}: {value!r} ends before it starts").format(where=where, value=text.strip())
        )
    return start, end


def parse_days_off(texts: str | Iterable[str], where: str = "--days-off") -> tuple[str, ...]:
    """Days off as typed (one text with commas, or several) → the stored texts, sorted."""
    if isinstance(texts, str):
        texts = [texts]
    found: dict[DayOff, str] = {}
    for text in texts:
        for piece in (p.strip() for p in text.replace(";", ",").split(",")):
            if piece:
                start, end = parse_day_off(piece, where)
                found[(start, end)] = (
                    start.isoformat() if start == end else f"{start.isoformat()}..{end.isoformat()}"
                )
    return tuple(found[key] for key in sorted(found))


def days_off_of(texts: Iterable[str], where: str = "days_off") -> tuple[DayOff, ...]:
    return tuple(parse_day_off(text, where) for text in texts)


# --- the specialist's rules and the slots ------------------------------------------------


@dataclass(frozen=True)
class WorkRules:
    """What decides a specialist's free time."""

    zone: str
    hours: WeeklyWindows
    days_off: tuple[DayOff, ...] = ()
    meeting_minutes: int = 60
    buffer_minutes: int = 0
    max_per_day: int | None = None  # None: no cap

    def is_day_off(self, day: date) -> bool:
        return any(start <= day <= end for start, end in self.days_off)


@dataclass(frozen=True)
class LeadHours:
    """The lead's business hours; a slot must hold in every candidate zone of the lead."""

    zones: tuple[str, ...]
    hours: WeeklyWindows


@dataclass(frozen=True)
class FreeSlot:
    starts_at: datetime  # aware UTC
    ends_at: datetime  # aware UTC
    in_lead_hours: bool  # True when no lead is given


@dataclass(frozen=True)
class SlotProblem:
    """Why a time cannot be booked. kind: past | notice | day_off | hours | cap | taken."""

    kind: str
    message: str

    @property
    def taken(self) -> bool:
        """Another meeting holds the time (or filled the day): pick another slot."""
        return self.kind in ("taken", "cap")


def _utc(local_day: date, clock: time, tz: ZoneInfo, fold: int = 0) -> datetime:
    if clock == END_OF_DAY:  # "…-24:00": up to the next midnight
        return datetime.combine(local_day + timedelta(days=1), time(0), tz).astimezone(UTC)
    return datetime.combine(local_day, clock, tz).replace(fold=fold).astimezone(UTC)


def _instants(local_day: date, clock: time, tz: ZoneInfo) -> list[datetime]:
    """The UTC instants a local wall time names: none in a DST gap, two in a fold."""
    found = []
    for fold in (0, 1):
        local = datetime.combine(local_day, clock, tz).replace(fold=fold)
        instant = local.astimezone(UTC)
        back = instant.astimezone(tz)
        if back.replace(tzinfo=None) == local.replace(tzinfo=None) and instant not in found:
            found.append(instant)
    return found


def _minutes(clock: time) -> int:
    return 24 * 60 if clock == END_OF_DAY else clock.hour * 60 + clock.minute


def _conflicts(start: datetime, end: datetime, booked: Iterable[Booked], buffer: timedelta) -> bool:
    return any(start < b_end + buffer and b_start - buffer < end for b_start, b_end in booked)


def meetings_per_day(booked: Iterable[Booked], tz: ZoneInfo) -> Counter[date]:
    """Booked meetings per local day (of their start) in the specialist's zone."""
    return Counter(start.astimezone(tz).date() for start, _end in booked)


def in_lead_hours(start: datetime, end: datetime, lead: LeadHours | None) -> bool:
    """The whole meeting inside one interval of the lead's hours, in each of its zones."""
    if lead is None:
        return True
    for name in lead.zones:
        tz = zone(name)
        local_day = start.astimezone(tz).date()
        if not any(
            _utc(local_day, a, tz) <= start and end <= _utc(local_day, b, tz, 1)
            for a, b in lead.hours.days[local_day.weekday()]
        ):
            return False
    return True


class _Offered(Protocol):
    @property
    def in_lead_hours(self) -> bool: ...


S = TypeVar("S", bound=_Offered)


def best_slot(slots: Sequence[S]) -> S | None:
    """The slot to offer first: the earliest inside the lead's business hours, since an
    earlier one outside them (18:30 their time) is one the client would refuse; the
    earliest of all when none is inside. `slots` earliest first."""
    return next((slot for slot in slots if slot.in_lead_hours), slots[0] if slots else None)


def _working_interval(start: datetime, end: datetime, rules: WorkRules) -> tuple[date, bool]:
    tz = zone(rules.zone)
    local_day = start.astimezone(tz).date()
    inside = any(
        _utc(local_day, a, tz) <= start and end <= _utc(local_day, b, tz, 1)
        for a, b in rules.hours.days[local_day.weekday()]
    )
    return local_day, inside


def free_slots(
    rules: WorkRules,
    booked: Sequence[Booked],
    now: datetime,
    *,
    min_notice: timedelta = timedelta(0),
    horizon: timedelta = timedelta(days=14),
    step_minutes: int = 30,
    minutes: int | None = None,
    lead: LeadHours | None = None,
    limit: int | None = None,
) -> list[FreeSlot]:
    """The free slots of one specialist from `now` (aware) over `horizon`, earliest first.

    `booked`: the specialist's booked meetings (any that may touch the horizon);
    `minutes`: the meeting length (default: the specialist's).
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if step_minutes <= 0:
        raise ValueError("step_minutes must be positive")
    tz = zone(rules.zone)
    now = now.astimezone(UTC)
    length = timedelta(minutes=minutes or rules.meeting_minutes)
    buffer = timedelta(minutes=rules.buffer_minutes)
    earliest, latest = now + max(min_notice, timedelta(0)), now + horizon
    per_day = meetings_per_day(booked, tz)
    found: list[FreeSlot] = []
    local_day, last_day = now.astimezone(tz).date(), latest.astimezone(tz).date()
    while local_day <= last_day:
        capped = rules.max_per_day is not None and per_day[local_day] >= rules.max_per_day
        if not capped and not rules.is_day_off(local_day):
            for a, b in rules.hours.days[local_day.weekday()]:
                stop = _utc(local_day, b, tz, 1)
                first = -(-_minutes(a) // step_minutes) * step_minutes  # up to a step
                for wall in range(first, _minutes(b), step_minutes):
                    clock = time(wall // 60, wall % 60)
                    for start in _instants(local_day, clock, tz):
                        end = start + length
                        if (
                            earliest <= start < latest
                            and end <= stop
                            and not _conflicts(start, end, booked, buffer)
                        ):
                            found.append(FreeSlot(start, end, in_lead_hours(start, end, lead)))
        if limit is not None and len(found) >= limit:
            break  # later days only hold later slots
        local_day += timedelta(days=1)
    found.sort(key=lambda slot: slot.starts_at)
    return found[:limit] if limit is not None else found


def slot_problem(
    rules: WorkRules,
    booked: Sequence[Booked],
    starts_at: datetime,
    now: datetime,
    *,
    min_notice: timedelta = timedelta(0),
    minutes: int | None = None,
) -> SlotProblem | None:
    """Why a meeting cannot start at `starts_at` (aware), or None when it can.

    The same rules as free_slots, except the step and the horizon, which only decide what is
    offered: a meeting agreed at 10:15 next month may still be booked.
    """
    if starts_at.tzinfo is None or starts_at.utcoffset() is None:
        raise ValueError("starts_at must be timezone-aware")
    tz = zone(rules.zone)
    start = starts_at.astimezone(UTC)
    end = start + timedelta(minutes=minutes or rules.meeting_minutes)
    local = start.astimezone(tz)
    shown = f"{local:%Y-%m-%d %H:%M} ({rules.zone})"
    if start < now:
        return SlotProblem("past", _("{when} is in the past").format(when=shown))
    if start < now + min_notice:
        return SlotProblem(
            "notice",
            _("{when} is sooner than the minimum notice of {notice}").format(
                when=shown, notice=_duration(min_notice)
            ),
        )
    local_day, inside = _working_interval(start, end, rules)
    if rules.is_day_off(local_day):
        return SlotProblem("day_off", _("{day} is a day off").format(day=local_day))
    if not inside:
        hours = rules.hours.days[local_day.weekday()]
        return SlotProblem(
            "hours",
            _("{when}–{end:%H:%M} is outside the working hours ({hours})").format(
                when=shown,
                end=end.astimezone(tz),
                hours=", ".join(_range_text(r) for r in hours) or _("none on that day"),
            ),
        )
    tz_booked = meetings_per_day(booked, tz)
    if rules.max_per_day is not None and tz_booked[local_day] >= rules.max_per_day:
        return SlotProblem(
            "cap",
            _("{day} already has {n} meetings, the daily cap").format(
                day=local_day, n=tz_booked[local_day]
            ),
        )
    if _conflicts(start, end, booked, timedelta(minutes=rules.buffer_minutes)):
        return SlotProblem(
            "taken", _("{when} overlaps another meeting or its buffer").format(when=shown)
        )
    return None


def _duration(value: timedelta) -> str:
    minutes = int(value.total_seconds() // 60)
    if minutes % 60 == 0:
        return _("{n} h").format(n=minutes // 60)
    return _("{n} min").format(n=minutes)
