"""Dates of the domain: the short forms agents type ("28.11", "через 2 недели", "Q2 2027")
and month arithmetic, shared by the answers of a script and the verdict's recall dates."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from tmdesk.i18n import N_, _

# marked here, translated when returned (in the language then spoken)
_DATE_HELP = N_(
    "not a date: try 28.11, 28.11.2026, 2026-11-28, 28 ноября, завтра, "
    "через 2 недели, in 3 months, next month"
)

_NUMERIC = re.compile(r"(\d{1,2})[./](\d{1,2})(?:[./](\d{4}|\d{2}))?")
_DASHED = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_COUNTS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "один": 1,
    "одну": 1,
    "одна": 1,
    "два": 2,
    "две": 2,
    "пару": 2,
    "три": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
}
_UNITS = (
    (("день", "дня", "дней", "day", "days"), "days"),
    (("неделю", "недели", "недель", "неделя", "week", "weeks"), "weeks"),
    (("месяц", "месяца", "месяцев", "month", "months"), "months"),
    (("год", "года", "лет", "year", "years"), "years"),
)
_UNIT = {word: unit for words, unit in _UNITS for word in words}
_RELATIVE = re.compile(r"(?:через|in)\s+(?:(\d+|[a-zа-я]+)\s+)?([a-zа-я]+)(?:\s+later)?")
_NEXT = re.compile(r"(?:next|на следующей|в следующем|в следующий|на следующий)\s+([a-zа-я]+)")
_RU_MONTHS = (
    "январ",
    "феврал",
    "март",
    "апрел",
    "ма",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
)
_EN_MONTHS = tuple(calendar.month_name[m].lower() for m in range(1, 13))
_RU_ORDINAL = {"перв": 1, "втор": 2, "трет": 3, "четверт": 4}
_QUARTER = re.compile(
    r"(?:(?:q|кв\.?\s*)([1-4])|(?:в[о]?\s+)?([1-4]|[а-я]+)(?:-?[йм])?\s*(?:кв\.?|квартал[ае]?))"
    r"(?:\s+(\d{4}))?(?:\s*г(?:ода?)?\.?)?"
)


def parse_date(text: str, today: date) -> date | str:
    """A date from the short forms agents type, relative to `today`; an error message
    (a str) when the text is not a date or names an impossible one (31.02)."""
    t = re.sub(r"\s+", " ", text.strip().casefold().replace("ё", "е")).rstrip(".")
    words = {
        "сегодня": 0,
        "today": 0,
        "завтра": 1,
        "tomorrow": 1,
        "послезавтра": 2,
        "day after tomorrow": 2,
        "the day after tomorrow": 2,
    }
    if t in words:
        return today + timedelta(days=words[t])
    if t in ("через полгода", "in half a year", "in six months"):
        return add_months(today, 6)
    if match := _ISO.fullmatch(t):
        return _make(int(match[1]), int(match[2]), int(match[3]), text)
    if match := (_NUMERIC.fullmatch(t) or _DASHED.fullmatch(t)):
        day, month, year = int(match[1]), int(match[2]), match[3]
        return _make(_year(year), month, day, text) if year else _next(today, month, day, text)
    if match := _RELATIVE.fullmatch(t):
        count_text, unit = match[1] or "1", _UNIT.get(match[2])
        count = int(count_text) if count_text.isdigit() else _COUNTS.get(count_text)
        if unit and count is not None:
            return _shift(today, count, unit)
    if match := _NEXT.fullmatch(t):
        unit = {
            "week": "weeks",
            "неделе": "weeks",
            "неделю": "weeks",
            "month": "months",
            "месяце": "months",
            "месяц": "months",
            "year": "years",
            "году": "years",
            "год": "years",
        }.get(match[1])
        if unit:
            return _shift(today, 1, unit)
    if (found := _day_month(t, today, text)) is not None:
        return found
    if (found := _month_only(t, today)) is not None:
        return found
    if match := _QUARTER.fullmatch(t):
        number = match[1] or match[2]
        quarter = (
            int(number)
            if number.isdigit()
            else next((q for stem, q in _RU_ORDINAL.items() if number.startswith(stem)), None)
        )
        if quarter:
            first = date(int(match[3]) if match[3] else today.year, 3 * quarter - 2, 1)
            if not match[3] and add_months(first, 3) <= today:
                first = first.replace(year=first.year + 1)
            return max(first, today) if not match[3] else first
    return _(_DATE_HELP)


def _month_number(word: str) -> int | None:
    word = word.rstrip(".")
    for number, stem in enumerate(_RU_MONTHS, 1):
        if stem == "ма":
            if word in ("май", "мая", "мае"):
                return number
        elif word.startswith(stem):
            return number
    if len(word) >= 3:
        for number, name in enumerate(_EN_MONTHS, 1):
            if name.startswith(word):
                return number
    return None


def _day_month(t: str, today: date, text: str) -> date | str | None:
    match = re.fullmatch(
        r"(\d{1,2}) ([a-zа-я.]+)(?:,? (\d{4}))?(?: г(?:ода?)?)?", t
    ) or re.fullmatch(r"([a-z.]+) (\d{1,2})(?:st|nd|rd|th)?(?:,? (\d{4}))?", t)
    if not match:
        return None
    first, second, year = match.groups()
    day, word = (first, second) if first.isdigit() else (second, first)
    month = _month_number(word)
    if month is None:
        return None
    return _make(int(year), month, int(day), text) if year else _next(today, month, int(day), text)


def _month_only(t: str, today: date) -> date | None:
    match = re.fullmatch(r"(?:(?:в|in) )?([a-zа-я]+)(?: (\d{4}))?(?: г(?:ода?)?)?", t)
    if not match:
        return None
    month = _month_number(match[1])
    if month is None:
        return None
    if match[2]:
        return date(int(match[2]), month, 1)
    if month == today.month:
        return today
    year = today.year if month > today.month else today.year + 1
    return date(year, month, 1)


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def _make(year: int, month: int, day: int, text: str) -> date | str:
    try:
        return date(year, month, day)
    except ValueError:
        return _no_such_date(day, month, year)


def _next(today: date, month: int, day: int, text: str) -> date | str:
    """day.month without a year: the next such date from today (today included)."""
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return _no_such_date(day, month, None)
    for year in range(today.year, today.year + 9):
        try:
            found = date(year, month, day)
        except ValueError:
            if day > 29 or month != 2:
                return _no_such_date(day, month, None)
            continue  # 29.02: the next leap year
        if found >= today:
            return found
    return _no_such_date(day, month, None)  # pragma: no cover


def _no_such_date(day: int, month: int, year: int | None) -> str:
    shown = f"{day:02d}.{month:02d}" + (f".{year}" if year else "")
    if not 1 <= month <= 12:
        return _("no such date {date}: there are 12 months").format(date=shown)
    if year is not None:
        days = calendar.monthrange(year, month)[1]
        return _("no such date {date}: that month has {days} days").format(date=shown, days=days)
    return _("no such date {date}").format(date=shown)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _shift(today: date, count: int, unit: str) -> date:
    if unit == "days":
        return today + timedelta(days=count)
    if unit == "weeks":
        return today + timedelta(weeks=count)
    return add_months(today, count * (12 if unit == "years" else 1))
