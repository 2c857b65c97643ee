"""The booking panel's wording and week grid, without an app: two clocks side by side, a
lead whose day differs, the marks of slots outside the lead's hours, busy cells."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from tmdesk.services.booking import Attendee, MeetingInfo, Slot
from tmdesk.tui.booking.display import (
    BOOKED,
    THIS_MEETING,
    attendee_label,
    cell_text,
    meeting_label,
    slot_label,
    span_label,
    week_grid,
    week_of,
    week_title,
)

MSK, YEKT, KAMCHATKA = "Europe/Moscow", "Asia/Yekaterinburg", "Asia/Kamchatka"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def slot(start: datetime, *, minutes: int = 60, inside: bool = True, who: int = 1) -> Slot:
    return Slot(who, start, start + timedelta(minutes=minutes), inside)


def meeting(
    start: datetime, minutes: int = 60, *, id: int = 7, status: str = "booked"
) -> MeetingInfo:
    return MeetingInfo(
        id,
        1,
        1,
        "Орлов [Дмитрий]",
        MSK,
        start,
        start + timedelta(minutes=minutes),
        "on_site",
        "",
        "",
        (),
        status,
        "anna",
        start,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("start", "lead_zone", "expected"),
    [
        # the same clock: only the agent's time
        (utc(2026, 11, 25, 10), MSK, "Wed 25.11 13:00 MSK"),
        (utc(2026, 11, 25, 10), None, "Wed 25.11 13:00 MSK"),
        # two hours ahead
        (utc(2026, 11, 25, 10), YEKT, "Wed 25.11 13:00 MSK · lead: 15:00 +05"),
        # nine hours ahead: already Thursday there
        (utc(2026, 11, 25, 16), KAMCHATKA, "Wed 25.11 19:00 MSK · lead: Thu 04:00 +12"),
    ],
)
def test_a_slot_reads_in_the_agents_clock_with_the_leads_beside(start, lead_zone, expected):
    assert slot_label(slot(start), MSK, lead_zone) == expected


def test_a_span_gives_both_ends_in_both_clocks():
    assert span_label(utc(2026, 11, 25, 10), utc(2026, 11, 25, 11), MSK, YEKT) == (
        "Wed 25.11 13:00–14:00 MSK · lead: 15:00–16:00 +05"
    )


def test_a_meeting_and_an_attendee_are_said_as_written():
    assert meeting_label(meeting(utc(2026, 11, 25, 10)), MSK, YEKT) == (
        "Wed 25.11 13:00–14:00 MSK · lead: 15:00–16:00 +05 · Орлов [Дмитрий] · on site"
    )
    assert attendee_label(Attendee("Сидоров  Пётр", "decision_maker", "", None, "")) == (
        "Сидоров Пётр · ЛПР"
    )


def test_weeks_start_on_monday_in_the_agents_zone():
    # Sunday 23:30 in Moscow is still the week of the 23rd; in Kamchatka it is Monday
    sunday_night = utc(2026, 11, 29, 20, 30)
    assert week_of(sunday_night, MSK) == date(2026, 11, 23)
    assert week_of(sunday_night, KAMCHATKA) == date(2026, 11, 30)
    assert week_title(date(2026, 11, 30)) == "Week 30.11–06.12"


def test_the_week_grid_has_a_row_per_start_time_and_marks_busy_cells():
    monday = date(2026, 11, 23)
    free = [
        slot(utc(2026, 11, 25, 6)),
        slot(utc(2026, 11, 25, 6, 30), inside=False),
        slot(utc(2026, 11, 26, 6)),
        slot(utc(2026, 12, 1, 6)),
    ]  # next week: not in this grid
    booked = [
        meeting(utc(2026, 11, 27, 6), 60, id=7),
        meeting(utc(2026, 11, 26, 7), 30, id=8),
        meeting(utc(2026, 11, 24, 6), 60, id=9, status="cancelled"),
    ]
    grid = week_grid(monday, free, booked, MSK, this_meeting=8)
    assert grid.times == (time(9, 0), time(9, 30), time(10, 0))
    assert grid.days[2] == date(2026, 11, 25)
    assert grid.at(0, 2) == free[0] and grid.at(1, 2) == free[1]
    assert grid.at(0, 3) == free[2]
    assert grid.at(0, 4) == BOOKED and grid.at(1, 4) == BOOKED  # an hour: two steps
    assert grid.at(2, 3) == THIS_MEETING
    assert grid.at(0, 1) is None  # a cancelled meeting leaves the time free of marks
    assert grid.find(free[1].starts_at, MSK) == (1, 2)
    assert grid.find(free[3].starts_at, MSK) is None


@pytest.mark.parametrize(
    ("value", "lead_zone", "expected"),
    [
        (slot(utc(2026, 11, 25, 6)), YEKT, "11:00"),
        (slot(utc(2026, 11, 25, 6), inside=False), YEKT, "11:00*"),
        (slot(utc(2026, 11, 25, 6)), MSK, "✓"),
        (slot(utc(2026, 11, 25, 6), inside=False), None, "✓*"),
        (BOOKED, YEKT, "busy"),
        (None, YEKT, ""),
    ],
)
def test_a_cell_shows_the_leads_time_and_its_mark(value, lead_zone, expected):
    assert cell_text(value, MSK, lead_zone) == expected
