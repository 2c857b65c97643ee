"""How the supervisor workspace words things: days, rates, handle times, verdicts.

Plain functions over plain values, so the wording is tested without an app.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from tmdesk.formats import days
from tmdesk.i18n import _
from tmdesk.tui.display import weekday_name

NONE = "—"  # a figure that has no value (nothing to divide by)


def day_label(day: date) -> str:
    """'Wed 25.11.2026'."""
    return f"{weekday_name(datetime(day.year, day.month, day.day))} {day:%d.%m.%Y}"


def range_label(start: date, end: date) -> str:
    if start == end:
        return day_label(start)
    return _("{start} – {end} ({days})").format(
        start=day_label(start), end=day_label(end), days=days((end - start).days + 1)
    )


def percent(rate: float | None) -> str:
    return NONE if rate is None else f"{rate * 100:.0f}%"


def ratio(value: float | None) -> str:
    return NONE if value is None else f"{value:.2f}"


def handle_time(seconds: float | None) -> str:
    """'2:35' (minutes:seconds), '1:02:10' past an hour."""
    if seconds is None:
        return NONE
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def clock_in(moment: datetime | None, zone: str, *, with_day: bool = False) -> str:
    if moment is None:
        return NONE
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%d.%m %H:%M}" if with_day else f"{local:%H:%M}"


def verdict_label(verdict: str) -> str:
    return {"qualified": _("qualified"), "nurture": _("nurture"), "not_fit": _("not a fit")}.get(
        verdict, verdict
    )


def review_status_label(status: str) -> str:
    return {
        "submitted": _("waiting"),
        "approved": _("approved"),
        "returned": _("returned"),
        "draft": _("draft"),
    }.get(status, status)


def actuality_label(actuality: str) -> str:
    return {"now": _("actual now"), "later": _("later"), "unknown": _("actuality unknown")}.get(
        actuality, actuality
    )


def list_status_label(status: str) -> str:
    return {"active": _("active"), "paused": _("paused"), "archived": _("archived")}.get(
        status, status
    )


def role_of_person(role: str) -> str:
    return {
        "decision_maker": _("decision maker"),
        "influencer": _("influencer"),
        "approver": _("approver"),
        "other": _("other"),
    }.get(role, role)


_DAY = re.compile(r"^\s*(\d{1,2})[./](\d{1,2})[./](\d{4})\s*$")


def parse_day(text: str) -> date:
    """'2026-11-25', '25.11.2026' or '25/11/2026'; ValueError with a message otherwise."""
    text = text.strip()
    try:
        match = _DAY.match(text)
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            _("{text!r} is not a date like 2026-11-25 or 25.11.2026").format(text=text)
        ) from None
