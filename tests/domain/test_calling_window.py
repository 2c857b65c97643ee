"""Calling windows in the lead's local time: edges, weekdays, several zones, DST, config parsing."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tmdesk.domain.calling_window import WeeklyWindows, WindowState, window_state

DEFAULT = WeeklyWindows.default()
EVERY_DAY = WeeklyWindows.from_mapping({"mon-sun": "09:00-20:00"})
MSK, KGD, PKC, NYC = "Europe/Moscow", "Europe/Kaliningrad", "Asia/Kamchatka", "America/New_York"


def local(text: str, zone: str) -> datetime:
    """'2026-01-15 08:59' in `zone` as an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_default_windows():
    weekday = ((time(9), time(20)),)
    assert DEFAULT.days == (weekday,) * 5 + (((time(10), time(18)),), ())


# 2026-01-15 is a Thursday, 01-16 Friday, 01-17 Saturday, 01-18 Sunday, 01-19 Monday.
@pytest.mark.parametrize(
    ("now", "allowed", "change"),
    [
        ("2026-01-15 08:59", False, "2026-01-15 09:00"),  # a minute before opening
        ("2026-01-15 09:00", True, "2026-01-15 20:00"),  # the first minute
        ("2026-01-15 19:59", True, "2026-01-15 20:00"),  # the last minute
        ("2026-01-15 20:00", False, "2026-01-16 09:00"),  # closed: end is exclusive
        ("2026-01-16 20:00", False, "2026-01-17 10:00"),  # Friday evening → Saturday's hours
        ("2026-01-17 09:59", False, "2026-01-17 10:00"),
        ("2026-01-17 10:00", True, "2026-01-17 18:00"),
        ("2026-01-17 17:59", True, "2026-01-17 18:00"),
        ("2026-01-17 18:00", False, "2026-01-19 09:00"),  # Saturday evening → Monday
        ("2026-01-18 12:00", False, "2026-01-19 09:00"),  # Sunday: no window
        ("2026-01-19 00:00", False, "2026-01-19 09:00"),
    ],
)
@pytest.mark.parametrize("zone", [MSK, KGD, PKC, "Asia/Novosibirsk"])
def test_default_window_edges_in_local_time(zone, now, allowed, change):
    state = window_state(local(now, zone), (zone,), DEFAULT)
    assert state.allowed is allowed
    assert (state.closes_at if allowed else state.opens_at) == local(change, zone)
    assert (state.opens_at if allowed else state.closes_at) is None
    assert state.local_times == (local(now, zone).astimezone(ZoneInfo(zone)),)
    assert state.local_times[0].strftime("%Y-%m-%d %H:%M") == now


@pytest.mark.parametrize(
    ("now", "kaliningrad", "kamchatka"),
    [
        ("2026-01-15 06:30", False, True),  # Kaliningrad 08:30, Kamchatka 18:30
        ("2026-01-15 16:00", True, False),  # Kaliningrad 18:00, Kamchatka 04:00 Friday
        ("2026-01-15 07:30", True, True),  # Kaliningrad 09:30, Kamchatka 19:30
        ("2026-01-15 12:00", True, False),  # Kaliningrad 14:00, Kamchatka 00:00 Friday
    ],
)
def test_same_instant_different_zones(now, kaliningrad, kamchatka):
    assert window_state(utc(now), (KGD,), DEFAULT).allowed is kaliningrad
    assert window_state(utc(now), (PKC,), DEFAULT).allowed is kamchatka


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # the windows overlap 07:00–08:00 UTC: Kaliningrad opens at 09:00, Kamchatka closes at 20:00
        ("2026-01-15 06:30", WindowState(False, None, utc("2026-01-15 07:00"), ())),
        ("2026-01-15 07:00", WindowState(True, utc("2026-01-15 08:00"), None, ())),
        ("2026-01-15 07:59", WindowState(True, utc("2026-01-15 08:00"), None, ())),
        ("2026-01-15 08:00", WindowState(False, None, utc("2026-01-16 07:00"), ())),
        # Saturday's windows do not overlap (10–18 in each): next is Monday
        ("2026-01-16 08:00", WindowState(False, None, utc("2026-01-19 07:00"), ())),
    ],
)
def test_several_zones_need_every_window(now, expected):
    state = window_state(utc(now), (KGD, PKC), DEFAULT)
    assert (state.allowed, state.closes_at, state.opens_at) == (
        expected.allowed,
        expected.closes_at,
        expected.opens_at,
    )
    assert [t.tzinfo.key for t in state.local_times] == [KGD, PKC]


def test_zones_whose_windows_never_meet_never_open():
    narrow = WeeklyWindows.from_mapping({"mon-sun": "10:00-12:00"})
    state = window_state(utc("2026-01-15 06:00"), (KGD, PKC), narrow)
    assert (state.allowed, state.opens_at) == (False, None)


def test_no_zones_means_moscow_or_the_given_default():
    now = utc("2026-01-15 05:30")  # Moscow 08:30, Novosibirsk 12:30
    assert window_state(now, (), DEFAULT) == window_state(now, (MSK,), DEFAULT)
    assert not window_state(now, (), DEFAULT).allowed
    assert window_state(now, (), DEFAULT, default_zone="Asia/Novosibirsk").allowed


def test_now_must_be_aware():
    with pytest.raises(ValueError, match="aware"):
        window_state(datetime(2026, 1, 15, 12), (MSK,), DEFAULT)


@pytest.mark.parametrize(
    ("windows", "now", "allowed", "change"),
    [
        # spring forward, Sunday 2026-03-08 02:00 EST → 03:00 EDT: 09:00 is 14:00 UTC, then 13:00
        (EVERY_DAY, "2026-03-07 13:30", False, "2026-03-07 14:00"),
        (EVERY_DAY, "2026-03-08 01:30", False, "2026-03-08 13:00"),  # Sat 20:30 EST → Sun 09:00 EDT
        (EVERY_DAY, "2026-03-08 12:59", False, "2026-03-08 13:00"),
        (EVERY_DAY, "2026-03-08 13:00", True, "2026-03-09 00:00"),  # closes 20:00 EDT
        (DEFAULT, "2026-03-07 23:00", False, "2026-03-09 13:00"),  # Sat 18:00 EST → Mon 09:00 EDT
        # fall back, Sunday 2026-11-01 02:00 EDT → 01:00 EST: 09:00 is 13:00 UTC, then 14:00
        (EVERY_DAY, "2026-10-31 13:30", True, "2026-11-01 00:00"),  # 09:30 EDT
        (EVERY_DAY, "2026-11-01 01:00", False, "2026-11-01 14:00"),  # Sat 21:00 EDT → Sun 09:00 EST
        (EVERY_DAY, "2026-11-01 13:30", False, "2026-11-01 14:00"),  # 08:30 EST
        (EVERY_DAY, "2026-11-01 14:00", True, "2026-11-02 01:00"),  # closes 20:00 EST
    ],
)
def test_dst_changes_for_a_foreign_number(windows, now, allowed, change):
    state = window_state(utc(now), (NYC,), windows)
    assert state.allowed is allowed
    assert (state.closes_at if allowed else state.opens_at) == utc(change)


def test_a_window_to_midnight_runs_into_the_next_day():
    windows = WeeklyWindows.from_mapping({"fri": "18:00-24:00", "sat": "00:00-02:00"})
    state = window_state(local("2026-01-16 23:00", MSK), (MSK,), windows)
    assert state.allowed and state.closes_at == local("2026-01-17 02:00", MSK)
    always = WeeklyWindows.from_mapping({"mon-sun": "00:00-24:00"})
    state = window_state(local("2026-01-16 23:59", MSK), (MSK,), always)
    assert state.allowed and state.closes_at is None  # never closes within the horizon


def test_lunch_break():
    windows = WeeklyWindows.from_mapping({"mon": ["09:00-13:00", "14:00-20:00"]})
    assert window_state(local("2026-01-19 12:59", MSK), (MSK,), windows).closes_at == local(
        "2026-01-19 13:00", MSK
    )
    state = window_state(local("2026-01-19 13:30", MSK), (MSK,), windows)
    assert not state.allowed and state.opens_at == local("2026-01-19 14:00", MSK)


# --- configuration ---------------------------------------------------------------------------

T = time


@pytest.mark.parametrize(
    ("mapping", "days"),
    [
        ({"mon-fri": "09:00-20:00", "sat": "10:00-18:00", "sun": ""}, DEFAULT.days),
        ({"mon-fri": "09:00-20:00", "sat": "10:00-18:00"}, DEFAULT.days),  # unnamed day: none
        ({"Mon-Fri": " 9:00 - 20:00 ", "saturday": ["10:00-18:00"], "sun": []}, DEFAULT.days),
        ({"mon": ["14:00-20:00", "09:00-13:00"]}, (((T(9), T(13)), (T(14), T(20))),) + ((),) * 6),
        ({"mon": "09:00-13:00, 14:00-20:00"}, (((T(9), T(13)), (T(14), T(20))),) + ((),) * 6),
        (
            {"mon": ["09:00-13:00", "12:00-15:00", "15:00-16:00"]},  # overlapping/touching: merged
            (((T(9), T(16)),),) + ((),) * 6,
        ),
        (
            {"fri": "09:00-17:00", "mon-fri": "10:00-19:00"},  # the single day wins, in any order
            (((T(10), T(19)),),) * 4 + (((T(9), T(17)),),) + ((),) * 2,
        ),
        (
            {"sat-mon": "10:00-11:00"},  # a range may wrap the week
            (((T(10), T(11)),),) + ((),) * 4 + (((T(10), T(11)),),) * 2,
        ),
        ({"sun": "22:00-24:00"}, ((),) * 6 + (((T(22), T.max),),)),
    ],
)
def test_from_mapping(mapping, days):
    assert WeeklyWindows.from_mapping(mapping).days == days


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (
            {"sat": "25:00-18:00"},
            "calling_window.sat: '25:00-18:00' is not a time range HH:MM-HH:MM",
        ),
        ({"mon": "9-18"}, "calling_window.mon: '9-18' is not a time range HH:MM-HH:MM"),
        ({"mon": "09:00"}, "calling_window.mon: '09:00' is not a time range HH:MM-HH:MM"),
        (
            {"mon": "09:60-10:00"},
            "calling_window.mon: '09:60-10:00' is not a time range HH:MM-HH:MM",
        ),
        (
            {"mon": "09:00-24:30"},
            "calling_window.mon: '09:00-24:30' is not a time range HH:MM-HH:MM",
        ),
        (
            {"mon-fri": ["09:00-13:00", "nope"]},
            "calling_window.mon-fri: 'nope' is not a time range HH:MM-HH:MM",
        ),
        ({"mon": "20:00-09:00"}, "calling_window.mon: '20:00-09:00' does not end after it starts"),
        ({"mon": "09:00-09:00"}, "calling_window.mon: '09:00-09:00' does not end after it starts"),
        (
            {"mon": 9},
            'calling_window.mon: expected a time range like "09:00-20:00" or a list of them, not 9',
        ),
        ({"mon": ["09:00-20:00", 5]}, "calling_window.mon: expected a time range"),
        ({"weekdays": "09:00-20:00"}, "calling_window: unknown day 'weekdays'"),
        ({"mon-": "09:00-20:00"}, "calling_window: unknown day 'mon-'"),
        ("09:00-20:00", "calling_window: expected a table of weekdays"),
    ],
)
def test_from_mapping_errors(mapping, message):
    with pytest.raises(ValueError) as caught:
        WeeklyWindows.from_mapping(mapping)
    assert str(caught.value).startswith(message)
