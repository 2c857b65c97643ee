"""Calling windows: may a lead be called now, in its local time, and when does that change.

Weekly windows are wall-clock intervals in the lead's zone (docs/architecture.md §4). With
several candidate zones, calling is allowed only when the window holds in every one of them.
Pure stdlib.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from tmdesk.domain.timezones import DEFAULT_ZONE
from tmdesk.i18n import _

END_OF_DAY = time.max  # written "24:00"; a window ending there runs into the next day's 00:00
HORIZON = timedelta(days=8)

Interval = tuple[time, time]
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class WeeklyWindows:
    """Per weekday (0 = Monday) the allowed local-time intervals [start, end), sorted."""

    days: tuple[tuple[Interval, ...], ...]

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise ValueError("WeeklyWindows needs 7 days, Monday first")

    @classmethod
    def default(cls) -> WeeklyWindows:
        weekday = ((time(9), time(20)),)
        return cls((weekday,) * 5 + (((time(10), time(18)),), ()))

    @classmethod
    def from_mapping(
        cls, mapping: Mapping[str, str | list[str]], where: str = "calling_window"
    ) -> WeeklyWindows:
        """From the TOML table: {"mon-fri": "09:00-20:00", "sat": ["10:00-14:00"], "sun": ""}.

        Days not named have no window. A single day overrides a range that covers it
        ("mon-fri" with "fri": "09:00-17:00"), whatever their order.
        """
        if not isinstance(mapping, Mapping):
            raise ValueError(
                _('{where}: expected a table of weekdays, like mon-fri = "09:00-20:00"').format(
                    where=where
                )
            )
        parsed = [(_weekdays(key, where), key, value) for key, value in mapping.items()]
        days: list[tuple[Interval, ...]] = [()] * 7
        for weekdays, key, value in sorted(parsed, key=lambda p: -len(p[0])):
            intervals = _intervals(value, f"{where}.{key}")
            for day in weekdays:
                days[day] = intervals
        return cls(tuple(days))


def _weekdays(key: str, where: str) -> list[int]:
    def day(name: str) -> int:
        name = name.strip().lower()
        for names in (_DAYS, _FULL_DAYS):
            if name in names:
                return names.index(name)
        raise ValueError(
            _("{where}: unknown day {key!r} (use mon … sun, or a range like mon-fri)").format(
                where=where, key=key
            )
        )

    first, dash, last = key.partition("-")
    start = day(first)
    end = day(last) if dash else start
    return [(start + i) % 7 for i in range((end - start) % 7 + 1)]  # "sat-mon" wraps


def _intervals(value: object, where: str) -> tuple[Interval, ...]:
    if isinstance(value, str):
        texts = [t for t in value.split(",") if t.strip()]
    elif isinstance(value, list) and all(isinstance(t, str) for t in value):
        texts = [t for t in value if t.strip()]
    else:
        raise ValueError(
            _(
                '{where}: expected a time range like "09:00-20:00" or a list of them, not {value!r}'
            ).format(where=where, value=value)
        )
    intervals = sorted(_interval(t, where) for t in texts)
    merged: list[Interval] = []
    for start, end in intervals:  # overlapping or touching ranges make one
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def _interval(text: str, where: str) -> Interval:
    match = _RANGE.match(text)
    h1, m1, h2, m2 = map(int, match.groups()) if match else (99,) * 4
    if not (h1 < 24 and m1 < 60 and m2 < 60 and (h2 < 24 or (h2, m2) == (24, 0))):
        raise ValueError(
            _("{where}: {text!r} is not a time range HH:MM-HH:MM").format(
                where=where, text=text.strip()
            )
        )
    start, end = time(h1, m1), END_OF_DAY if h2 == 24 else time(h2, m2)
    if end <= start:
        raise ValueError(
            _("{where}: {text!r} does not end after it starts").format(
                where=where, text=text.strip()
            )
        )
    return start, end


@dataclass(frozen=True)
class WindowState:
    allowed: bool
    closes_at: datetime | None  # UTC; when allowed: when the first zone's window closes
    opens_at: datetime | None  # UTC; when not allowed: when every zone's window holds
    local_times: tuple[datetime, ...]  # now in each zone, in the order given


def _interval_at(local: datetime, windows: WeeklyWindows) -> Interval | None:
    clock = local.time()
    for start, end in windows.days[local.weekday()]:
        if start <= clock and (clock < end or end == END_OF_DAY):
            return start, end
    return None


def _at(day: date, clock: time, zone: tzinfo | None) -> datetime:
    # A wall-clock time in a DST gap or fold resolves as zoneinfo does (fold=0: the offset
    # before the change), so the answer stays consistent with _interval_at.
    return datetime.combine(day, clock, zone).astimezone(UTC)


def _closes(local: datetime, end: time, windows: WeeklyWindows) -> datetime | None:
    day, zone = local.date(), local.tzinfo
    for _day in range(HORIZON.days):
        if end != END_OF_DAY:
            return _at(day, end, zone)
        day += timedelta(days=1)  # "…-24:00" runs on if the next day starts at 00:00
        following = windows.days[day.weekday()]
        if not following or following[0][0] != time(0):
            return _at(day, time(0), zone)
        end = following[0][1]
    return None


def window_state(
    now: datetime, zones: tuple[str, ...], windows: WeeklyWindows, default_zone: str = DEFAULT_ZONE
) -> WindowState:
    """Whether a lead with these candidate zones may be called at `now` (timezone-aware).

    No zones (nothing known about the lead) means `default_zone`, Moscow by default: the
    zone most Russian leads are in. opens_at is searched up to 8 days ahead; None if never.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    tzs = [ZoneInfo(z) for z in (zones or (default_zone,))]
    local = tuple(now.astimezone(tz) for tz in tzs)
    hits = [_interval_at(t, windows) for t in local]
    if all(hits):
        closes = [_closes(t, hit[1], windows) for t, hit in zip(local, hits, strict=True) if hit]
        return WindowState(True, min(filter(None, closes), default=None), None, local)
    return WindowState(False, None, _next_opening(now, tzs, windows), local)


def _next_opening(now: datetime, tzs: list[ZoneInfo], windows: WeeklyWindows) -> datetime | None:
    # The intersection of the zones' windows opens when the last of them opens, so the first
    # candidate (some zone's window start) at which every zone is inside its window is it.
    horizon = now + HORIZON
    candidates = set()
    for tz in tzs:
        today = now.astimezone(tz).date()
        for offset in range(HORIZON.days + 1):
            day = today + timedelta(days=offset)
            for start, _end in windows.days[day.weekday()]:
                if now < (at := _at(day, start, tz)) <= horizon:
                    candidates.add(at)
    for at in sorted(candidates):
        if all(_interval_at(at.astimezone(tz), windows) for tz in tzs):
            return at
    return None
