"""Numbers, dates and spans of time as the desk's language writes them.

Babel carries the CLDR data of each language, so Russian months and weekdays come out right
("пн 07.12", "7 декабря") on servers whose only system locale is C.UTF-8. Plurals go through
ngettext, whose Russian catalogue has the three forms (1 звонок, 2 звонка, 5 звонков).
"""

from __future__ import annotations

from datetime import date, timedelta

from babel.dates import format_date, format_timedelta
from babel.numbers import format_decimal

from tmdesk.i18n import _, current_language, ngettext


def number(value: float) -> str:
    """1300 → "1 300" in Russian (a non-breaking space between groups), "1,300" in English."""
    return format_decimal(value, locale=current_language())


def weekday_and_date(day: date) -> str:
    """ "пн 07.12" / "Mon 07.12": a day of the coming weeks, short enough for a column."""
    return format_date(day, "EEE dd.MM", locale=current_language())


def day_and_month(day: date) -> str:
    """ "7 декабря" / "7 December": the month in the case a date needs."""
    return format_date(day, "d MMMM", locale=current_language())


def calls(n: int) -> str:
    return ngettext("{n} call", "{n} calls", n).format(n=number(n))


def leads(n: int) -> str:
    return ngettext("{n} lead", "{n} leads", n).format(n=number(n))


def days(n: int) -> str:
    return ngettext("{n} day", "{n} days", n).format(n=number(n))


def duration(span: timedelta) -> str:
    """ "2 ч 15 мин", "3 дня 4 ч", "0 мин": the two largest units, rounded down to minutes."""
    minutes = max(0, int(span.total_seconds() // 60))
    whole_days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    hours_text = _("{n} h").format(n=hours)
    if whole_days:
        return days(whole_days) + (f" {hours_text}" if hours else "")
    minutes_text = _("{n} min").format(n=minutes)
    if hours:
        return hours_text + (f" {minutes_text}" if minutes else "")
    return minutes_text


def relative(span: timedelta) -> str:
    """ "через 3 дня" / "in 3 days" ahead, "3 дня назад" / "3 days ago" behind (rounded)."""
    return format_timedelta(span, add_direction=True, locale=current_language())
