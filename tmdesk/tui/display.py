"""How the desk shows things in words: queue buckets, local times, the database.

Plain functions over plain values, so screens stay about layout and tests can check the
wording without running an app.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from tmdesk.i18n import _


def bucket_label(bucket: str) -> str:
    """Which queue rule serves a lead, as an agent says it."""
    labels = {
        "in_progress": _("in progress"),
        "callback_own": _("my callback"),
        "callback_shared": _("callback"),
        "retry": _("retry"),
        "fresh": _("new"),
        "undone": _("back after undo"),
    }
    return labels.get(bucket, bucket)


def role_label(role: str) -> str:
    return {"agent": _("agent"), "supervisor": _("supervisor")}.get(role, role)


def weekday_name(moment: datetime) -> str:
    # Our own names rather than strftime("%a"), which follows the C locale, not gettext.
    names = (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))
    return names[moment.weekday()]


def zone_abbreviation(moment: datetime) -> str:
    # tzdata has no letters for many Russian zones ("+12"): keep what it gives.
    return moment.strftime("%Z")


def local_time_label(moment: datetime, zones: tuple[str, ...] = ()) -> str:
    """'Wed 17:00 +12'; with several candidate zones the span, 'Wed 14:00–17:00'."""
    if len(zones) > 1:
        times = sorted({moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None) for zone in zones})
        if len(times) > 1:
            first, last = times[0], times[-1]
            return f"{weekday_name(first)} {first:%H:%M}–{last:%H:%M}"
    return f"{weekday_name(moment)} {moment:%H:%M} {zone_abbreviation(moment)}"


def duration_label(span: timedelta) -> str:
    minutes = max(0, int(span.total_seconds() // 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return (
            _("{days} d {hours} h").format(days=days, hours=hours)
            if hours
            else _("{days} d").format(days=days)
        )
    if hours and not minutes:
        return _("{hours} h").format(hours=hours)
    if hours:
        return _("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
    return _("{minutes} min").format(minutes=minutes)


def moment_label(moment: datetime, now: datetime, time_zone: str) -> str:
    """'Wed 20:00 MSK (in 3 h 0 min)' in the agent's own zone."""
    local = moment.astimezone(ZoneInfo(time_zone))
    return _("{when} (in {span})").format(
        when=local_time_label(local), span=duration_label(moment - now)
    )


def database_label(target: str, sqlite_file: Path | None) -> str:
    """The database as the title shows it: the file (home as ~), or the URL sans password."""
    if sqlite_file is not None:
        text = str(sqlite_file)
        home = str(Path.home())
        if text.startswith(home + "/"):
            text = "~" + text[len(home) :]
        return text
    parts = urlsplit(target)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return target
