"""Callback and recall times: quick choices in the lead's time, typed dates, clear refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tmdesk.tui.desk.moments import (
    MomentError,
    callback_choices,
    parse_moment,
    recall_choices,
    typing_examples,
)

# Wednesday 25.11.2026 10:00:30 in Moscow (07:00:30 UTC), 19:00:30 in Kamchatka
NOW = datetime(2026, 11, 25, 7, 0, 30, tzinfo=UTC)
MSK, KAMCHATKA = "Europe/Moscow", "Asia/Kamchatka"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_callback_choices():
    choices = callback_choices(NOW, KAMCHATKA)
    assert [c.at for c in choices] == [
        utc(2026, 11, 25, 8, 0),  # in 1 h, to the minute
        utc(2026, 11, 26, 7, 0),  # Thursday, same time
        utc(2026, 11, 27, 7, 0),  # Friday, same time
        utc(2026, 11, 25, 22, 0),  # Thursday 10:00 in Kamchatka (UTC+12)
        utc(2026, 11, 29, 22, 0),  # Monday 30.11 10:00 in Kamchatka
        utc(2026, 12, 2, 7, 0),  # a week on, same time
    ]
    assert [c.label for c in choices] == [
        "In 1 hour",
        "Tomorrow, same time",
        "In 2 days, same time",
        "Tomorrow 10:00, lead's time",
        "Next Monday 10:00, lead's time",
        "In a week, same time",
    ]


def test_next_monday_is_never_today_and_examples_are_in_the_future():
    monday = utc(2026, 11, 30, 7, 0)  # Monday 10:00 in Moscow
    assert callback_choices(monday, MSK)[4].at == utc(2026, 12, 7, 7, 0)
    examples = typing_examples(utc(2026, 12, 30, 7, 0), MSK)
    assert examples == "02.01 15:30 · завтра 11:00 · 2027-01-06 15:30"
    for example in examples.split(" · "):
        assert parse_moment(example, utc(2026, 12, 30, 7, 0), MSK) > utc(2026, 12, 30, 7, 0)


def test_tomorrow_is_the_leads_tomorrow():
    # 13:00 UTC: 16:00 Wednesday in Moscow, already 01:00 Thursday in Kamchatka
    late = utc(2026, 11, 25, 13, 0)
    assert callback_choices(late, KAMCHATKA)[3].at == utc(2026, 11, 26, 22, 0)  # Fri 10:00
    assert callback_choices(late, MSK)[3].at == utc(2026, 11, 26, 7, 0)  # Thu 10:00


def test_recall_choices_add_calendar_months():
    end_of_month = utc(2027, 1, 31, 9, 0)
    assert [c.at for c in recall_choices(end_of_month, MSK)] == [
        utc(2027, 2, 28, 7, 0),
        utc(2027, 4, 30, 7, 0),
        utc(2027, 7, 31, 7, 0),
    ]
    assert [c.label for c in recall_choices(NOW, MSK)] == [
        "In 1 month",
        "In 3 months",
        "In 6 months",
    ]


@pytest.mark.parametrize(
    "text, zone, expected",
    [
        ("28.11 15:30", MSK, utc(2026, 11, 28, 12, 30)),
        ("28.11.2026 15:30", MSK, utc(2026, 11, 28, 12, 30)),
        ("28.11.26 15:30", MSK, utc(2026, 11, 28, 12, 30)),
        ("2026-11-28 15:30", MSK, utc(2026, 11, 28, 12, 30)),
        ("2026-11-28", MSK, utc(2026, 11, 28, 7, 0)),  # a date alone: 10:00
        ("завтра 11:00", MSK, utc(2026, 11, 26, 8, 0)),
        ("Завтра в 11:00", MSK, utc(2026, 11, 26, 8, 0)),
        ("tomorrow 11:00", MSK, utc(2026, 11, 26, 8, 0)),
        ("11:00 завтра", MSK, utc(2026, 11, 26, 8, 0)),
        ("послезавтра 9:15", MSK, utc(2026, 11, 27, 6, 15)),
        ("сегодня 18:00", MSK, utc(2026, 11, 25, 15, 0)),
        ("18:00", MSK, utc(2026, 11, 25, 15, 0)),
        ("18.00", MSK, utc(2026, 11, 25, 15, 0)),
        ("10.12", MSK, utc(2026, 12, 10, 7, 0)),
        ("в пятницу 12:00", MSK, utc(2026, 11, 27, 9, 0)),
        ("ср 12:00", MSK, utc(2026, 12, 2, 9, 0)),  # Wednesday today: the next one
        ("monday 09:30", MSK, utc(2026, 11, 30, 6, 30)),
        ("05.01 10:00", MSK, utc(2027, 1, 5, 7, 0)),  # January, typed in late November
        ("завтра 11:00", KAMCHATKA, utc(2026, 11, 25, 23, 0)),  # the lead's time
    ],
)
def test_typed_moments(text, zone, expected):
    assert parse_moment(text, NOW, zone) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "type a date and time"),
        ("31.02 10:00", "there is no date 31.02"),
        ("28.11 25:00", "there is no time 25:00"),
        ("24.11 10:00", "24.11.2026 10:00 has already passed"),
        ("сегодня 09:00", "25.11.2026 09:00 has already passed"),
        ("2025-11-28 10:00", "28.11.2025 10:00 has already passed"),
        ("когда-нибудь", "is not a date like 28.11"),
        ("завтра 11:00 или 12:00", "one date and one time"),
        ("завтра полдень", "is not a time like 15:30"),
    ],
)
def test_impossible_or_past_moments_are_refused_with_the_reason(text, message):
    with pytest.raises(MomentError, match=message):
        parse_moment(text, NOW, MSK)


def test_the_examples_in_a_refusal_are_in_the_future():
    december = utc(2026, 12, 30, 7, 0)
    with pytest.raises(MomentError, match="like 02.01, 2027-01-06 or завтра"):
        parse_moment("когда-нибудь", december, MSK)
    with pytest.raises(MomentError, match="like 02.01 15:30"):
        parse_moment("", december, MSK)


def test_a_time_in_the_dst_gap_of_a_foreign_zone_resolves():
    # 29.03.2026 02:30 does not exist in Berlin: it is read with the offset before the change
    spring = utc(2026, 3, 28, 12, 0)
    assert parse_moment("29.03 02:30", spring, "Europe/Berlin") == utc(2026, 3, 29, 1, 30)
    assert parse_moment("29.03 02:30", spring, "Europe/Berlin") - spring > timedelta(0)
