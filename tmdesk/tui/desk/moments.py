"""When to call again: the quick choices of the callback and recall dialogs, and typed dates.

Pure functions over aware datetimes (no Textual), so the wording and the arithmetic are
tested without an app. Typed times are read in the lead's local time: "call me tomorrow at
11" is said by the client, in their time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tmdesk.domain.dates import add_months as _add_months
from tmdesk.i18n import _

MORNING = time(10, 0)  # "tomorrow morning", and the time of a date typed without one

_WORDS = {
    "today": 0,
    "сегодня": 0,
    "tomorrow": 1,
    "завтра": 1,
    "послезавтра": 2,
}
_WEEKDAYS = {
    0: ("mon", "monday", "пн", "понедельник"),
    1: ("tue", "tuesday", "вт", "вторник"),
    2: ("wed", "wednesday", "ср", "среда", "среду"),
    3: ("thu", "thursday", "чт", "четверг"),
    4: ("fri", "friday", "пт", "пятница", "пятницу"),
    5: ("sat", "saturday", "сб", "суббота", "субботу"),
    6: ("sun", "sunday", "вс", "воскресенье"),
}
_WEEKDAY_OF = {name: day for day, names in _WEEKDAYS.items() for name in names}
_FILLER = {"в", "во", "on", "at", "at:", "к"}
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_DOTTED = re.compile(r"^(\d{1,2})[./](\d{1,2})(?:[./](\d{2}|\d{4}))?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# A date without a year that is this far in the past means next year (typed in December
# for January); closer than that it is a mistake worth saying.
_NEXT_YEAR_AFTER = timedelta(days=60)


class MomentError(ValueError):
    """A typed date or time that cannot be used; the message says why."""


@dataclass(frozen=True)
class Choice:
    label: str
    at: datetime  # aware


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _at(day: date, clock: time, zone: str) -> datetime:
    return datetime.combine(day, clock, ZoneInfo(zone)).astimezone(UTC)


def callback_choices(now: datetime, lead_zone: str) -> list[Choice]:
    """The callback dialog's presets, one digit key each (1 to 6): in 1 hour; in 2 days at the
    same time; tomorrow at the same time; tomorrow 10:00 and next Monday 10:00 in the lead's
    time; in a week at the same time. "In 2 days, same time" stays third (the old ↓ ↓ Enter)."""
    today = now.astimezone(ZoneInfo(lead_zone)).date()
    monday = today + timedelta(days=7 - today.weekday())  # never today
    return [
        Choice(_("In 1 hour"), _minute(now + timedelta(hours=1))),
        Choice(_("Tomorrow, same time"), _minute(now + timedelta(days=1))),
        Choice(_("In 2 days, same time"), _minute(now + timedelta(days=2))),
        Choice(
            _("Tomorrow 10:00, lead's time"), _at(today + timedelta(days=1), MORNING, lead_zone)
        ),
        Choice(_("Next Monday 10:00, lead's time"), _at(monday, MORNING, lead_zone)),
        Choice(_("In a week, same time"), _minute(now + timedelta(days=7))),
    ]


def typing_examples(now: datetime, zone: str) -> str:
    """The typed-date hint, always in the future: '28.11 15:30 · завтра 11:00 · 2026-12-02 15:30'
    for a `now` of 25.11 in `zone`."""
    soon, later = _example_days(now.astimezone(ZoneInfo(zone)).date())
    return f"{soon} 15:30 · завтра 11:00 · {later} 15:30"


def _example_days(today: date) -> tuple[str, str]:
    """Dates for examples, in the future: '28.11' and '2026-12-02' on 25.11.2026."""
    return f"{today + timedelta(days=3):%d.%m}", f"{today + timedelta(days=7):%Y-%m-%d}"


def recall_choices(now: datetime, lead_zone: str) -> list[Choice]:
    """In 1, 3 or 6 months, at 10:00 in the lead's time."""
    today = now.astimezone(ZoneInfo(lead_zone)).date()
    return [
        Choice(_("In 1 month"), _at(_add_months(today, 1), MORNING, lead_zone)),
        Choice(_("In 3 months"), _at(_add_months(today, 3), MORNING, lead_zone)),
        Choice(_("In 6 months"), _at(_add_months(today, 6), MORNING, lead_zone)),
    ]


def _clock(text: str) -> time:
    match = _TIME.match(text)
    if not match:
        raise MomentError(_("{text!r} is not a time like 15:30").format(text=text))
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise MomentError(_("there is no time {text}").format(text=text))
    return time(hour, minute)


def _calendar_date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise MomentError(_("there is no date {text}").format(text=text)) from None


def _day(text: str, today: date) -> tuple[date, bool]:
    """The day a word or a date names, and whether its year was given."""
    word = text.lower()
    if word in _WORDS:
        return today + timedelta(days=_WORDS[word]), True
    if word in _WEEKDAY_OF:
        ahead = (_WEEKDAY_OF[word] - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead), True
    if match := _ISO.match(text):
        year, month, day = map(int, match.groups())
        return _calendar_date(year, month, day, text), True
    if match := _DOTTED.match(text):
        day, month = int(match.group(1)), int(match.group(2))
        year_text = match.group(3)
        if year_text is None:
            return _calendar_date(today.year, month, day, text), False
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        return _calendar_date(year, month, day, text), True
    soon, later = _example_days(today)
    raise MomentError(
        _("{text!r} is not a date like {soon}, {later} or завтра").format(
            text=text, soon=soon, later=later
        )
    )


def parse_moment(text: str, now: datetime, zone: str) -> datetime:
    """A typed date and/or time in `zone`: "28.11 15:30", "завтра 11:00", "2026-11-28 15:30",
    "пятница 12:00", "15:30" (today). A date alone means 10:00. Must lie after `now`."""
    words = [word for word in text.replace(",", " ").split() if word.lower() not in _FILLER]
    today = now.astimezone(ZoneInfo(zone)).date()
    soon, _later = _example_days(today)  # examples always in the future
    if not words:
        raise MomentError(
            _("type a date and time, like {soon} 15:30 or завтра 11:00").format(soon=soon)
        )
    if len(words) > 2:
        raise MomentError(_("type one date and one time, like {soon} 15:30").format(soon=soon))
    day_text = clock_text = None
    if len(words) == 2:
        day_text, clock_text = words
        if ":" in day_text and ":" not in clock_text:  # "15:30 завтра"
            day_text, clock_text = clock_text, day_text
    elif ":" in words[0]:
        clock_text = words[0]
    else:
        try:
            _day(words[0], today)
            day_text = words[0]
        except MomentError:
            if not _TIME.match(words[0]):  # "15.30" alone is a time, "10.12" a date
                raise
            clock_text = words[0]
    clock = _clock(clock_text) if clock_text else MORNING
    day, year_given = _day(day_text, today) if day_text else (today, True)
    moment = _at(day, clock, zone)
    if moment <= now and not year_given and now - moment > _NEXT_YEAR_AFTER:
        day = _calendar_date(day.year + 1, day.month, day.day, day_text or "")
        moment = _at(day, clock, zone)
    if moment <= now:
        raise MomentError(
            _("{when} has already passed").format(
                when=moment.astimezone(ZoneInfo(zone)).strftime("%d.%m.%Y %H:%M")
            )
        )
    return moment
