"""How the call desk words a lead: statuses, times in two zones, the calling window, calls.

Plain functions over plain values (no widgets), so the wording is tested without an app.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tmdesk.domain.calling_window import WindowState
from tmdesk.domain.dispositions import Disposition
from tmdesk.domain.timezones import DEFAULT_ZONE
from tmdesk.i18n import _
from tmdesk.tui.display import duration_label, weekday_name, zone_abbreviation


def status_label(status: str) -> str:
    labels = {
        "new": _("new"),
        "callback": _("callback"),
        "retry": _("retry"),
        "in_progress": _("in progress"),
        "qualified": _("qualified"),
        "nurture": _("nurture"),
        "not_fit": _("not a fit"),
        "not_interested": _("not interested"),
        "wrong_number": _("wrong number"),
        "dnc": _("do not call"),
        "exhausted": _("attempt cap reached"),
    }
    return labels.get(status, status)


def disposition_label(value: str) -> str:
    try:
        return Disposition(value).label
    except ValueError:
        return value


def lead_zone(zones: tuple[str, ...]) -> str:
    """The zone the desk reads the lead's times in (the first candidate)."""
    return zones[0] if zones else DEFAULT_ZONE


def clock_label(moment: datetime, zone: str) -> str:
    """'Wed 25.11 10:03' in `zone`."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{weekday_name(local)} {local:%d.%m %H:%M}"


def short_time(moment: datetime, zone: str) -> str:
    """'Wed 10:03 MSK' in `zone`."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{weekday_name(local)} {local:%H:%M} {zone_abbreviation(local)}"


def both_times(moment: datetime, agent_zone: str, zone: str) -> str:
    """'Fri 25.11 10:00 MSK · lead: Fri 19:00 +12', the lead's part only when it differs."""
    mine = moment.astimezone(ZoneInfo(agent_zone))
    text = f"{weekday_name(mine)} {mine:%d.%m %H:%M} {zone_abbreviation(mine)}"
    if not same_offset(moment, zone, agent_zone):
        text += " · " + _("lead: {time}").format(time=short_time(moment, zone))
    return text


def window_label(state: WindowState, now: datetime, zone: str, agent_zone: str) -> str:
    """Whether the lead may be called now and until when (or from when), in their time."""
    same_clock = same_offset(now, zone, agent_zone)
    if state.allowed:
        if state.closes_at is None:
            return _("calling allowed now")
        until = state.closes_at.astimezone(ZoneInfo(zone)).strftime("%H:%M")
        span = duration_label(state.closes_at - now)
        if same_clock:
            return _("calling allowed until {time} (in {span})").format(time=until, span=span)
        return _("calling allowed until {time} their time ({mine}, in {span})").format(
            time=until, mine=short_time(state.closes_at, agent_zone), span=span
        )
    if state.opens_at is None:
        return _("calling not allowed now, and not in the next 8 days")
    opens = short_time(state.opens_at, zone)
    span = duration_label(state.opens_at - now)
    if same_clock:
        return _("calling not allowed now · opens {time} (in {span})").format(time=opens, span=span)
    return _("calling not allowed now · opens {time} their time ({mine}, in {span})").format(
        time=opens, mine=short_time(state.opens_at, agent_zone), span=span
    )


def same_offset(moment: datetime, zone: str, other: str) -> bool:
    return (
        moment.astimezone(ZoneInfo(zone)).utcoffset()
        == moment.astimezone(ZoneInfo(other)).utcoffset()
    )


def timer_label(elapsed: timedelta) -> str:
    seconds = max(0, int(elapsed.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"
