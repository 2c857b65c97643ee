"""Russian grammar and formats: plurals, dates, spans of time, numbers — and their English."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tmdesk import formats, i18n

MONDAY = date(2026, 12, 7)
NBSP = "\u00a0"
COUNTS = (1, 2, 5, 11, 21, 22, 25)


@pytest.fixture
def russian():
    i18n.use_language("ru")


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (formats.calls, ["1 звонок", "2 звонка", "5 звонков", "11 звонков", "21 звонок",
                         "22 звонка", "25 звонков"]),
        (formats.leads, ["1 лид", "2 лида", "5 лидов", "11 лидов", "21 лид", "22 лида",
                         "25 лидов"]),
        (formats.days, ["1 день", "2 дня", "5 дней", "11 дней", "21 день", "22 дня",
                        "25 дней"]),
    ],
)  # fmt: skip
def test_russian_counts_take_the_form_of_their_number(russian, words, expected):
    assert [words(n) for n in COUNTS] == expected


def test_the_teens_and_hundreds_keep_to_the_rule(russian):
    assert formats.calls(111) == "111 звонков"
    assert formats.calls(101) == "101 звонок"
    assert formats.calls(104) == "104 звонка"
    assert formats.calls(0) == "0 звонков"


def test_english_counts():
    assert [formats.calls(n) for n in (0, 1, 2, 21)] == ["0 calls", "1 call", "2 calls", "21 calls"]
    assert formats.days(1) == "1 day"


def test_large_counts_are_grouped(russian):
    assert formats.calls(1301) == f"1{NBSP}301 звонок"


def test_numbers_are_grouped_with_a_non_breaking_space_in_russian(russian):
    assert formats.number(1300) == f"1{NBSP}300"
    assert formats.number(1234567) == f"1{NBSP}234{NBSP}567"
    assert formats.number(2.5) == "2,5"
    assert formats.number(999) == "999"


def test_numbers_in_english():
    assert formats.number(1300) == "1,300"
    assert formats.number(2.5) == "2.5"


def test_russian_weekdays_and_months(russian):
    assert formats.weekday_and_date(MONDAY) == "пн 07.12"
    assert formats.weekday_and_date(datetime(2026, 12, 13, 15, 0)) == "вс 13.12"
    assert formats.day_and_month(MONDAY) == "7 декабря"  # the genitive a date needs
    assert formats.day_and_month(date(2027, 3, 1)) == "1 марта"
    assert formats.day_and_month(date(2027, 5, 9)) == "9 мая"


def test_english_weekdays_and_months():
    assert formats.weekday_and_date(MONDAY) == "Mon 07.12"
    assert formats.day_and_month(MONDAY) == "7 December"


@pytest.mark.parametrize(
    ("span", "russian_text", "english_text"),
    [
        (timedelta(hours=2, minutes=15), "2 ч 15 мин", "2 h 15 min"),
        (timedelta(hours=2), "2 ч", "2 h"),
        (timedelta(minutes=45, seconds=59), "45 мин", "45 min"),
        (timedelta(0), "0 мин", "0 min"),
        (timedelta(seconds=-30), "0 мин", "0 min"),
        (timedelta(days=3, hours=4, minutes=5), "3 дня 4 ч", "3 days 4 h"),
        (timedelta(days=21), "21 день", "21 days"),
        (timedelta(days=5, minutes=59), "5 дней", "5 days"),
    ],
)
def test_durations(span, russian_text, english_text):
    assert formats.duration(span) == english_text
    i18n.use_language("ru")
    assert formats.duration(span) == russian_text


@pytest.mark.parametrize(
    ("span", "russian_text", "english_text"),
    [
        (timedelta(days=3), "через 3 дня", "in 3 days"),
        (timedelta(days=1), "через 1 день", "in 1 day"),
        (timedelta(days=5), "через 5 дней", "in 5 days"),
        (timedelta(hours=2), "через 2 часа", "in 2 hours"),
        (timedelta(minutes=21), "через 21 минуту", "in 21 minutes"),
        (timedelta(days=-3), "3 дня назад", "3 days ago"),
    ],
)
def test_relative_spans(span, russian_text, english_text):
    assert formats.relative(span) == english_text
    i18n.use_language("ru")
    assert formats.relative(span) == russian_text
