"""`tmdesk report`: the agents' figures of a day or a range."""

from __future__ import annotations

import csv
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

import click

from tmdesk.cli.context import (
    Context,
    echo_json,
    pass_context,
    zone_for,
)
from tmdesk.cli.params import DAY
from tmdesk.i18n import _

_COLUMNS = (
    "login",
    "name",
    "calls",
    "reached",
    "contact_rate",
    "qualified",
    "not_fit",
    "nurture",
    "meetings",
    "meetings_per_reached",
    "avg_handle_seconds",
    "first_call",
    "last_call",
    "talk_seconds",
    "ring_seconds",
)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    seconds = round(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


def _clock(value: datetime | None, zone: ZoneInfo) -> str:
    return "-" if value is None else value.astimezone(zone).strftime("%H:%M")


@click.command("report", help=_("Figures per agent and in total for a day or a date range."))
@click.option("--date", "day", type=DAY, help=_("One day (YYYY-MM-DD); default: today."))
@click.option("--from", "start", type=DAY, help=_("First day of a range."))
@click.option("--to", "end", type=DAY, help=_("Last day of a range (default: today)."))
@click.option(
    "--time-zone",
    "zone",
    metavar="TZ",
    help=_("Whose days (default: the --user's zone, else the desk's)."),
)
@click.option("--json", "as_json", is_flag=True, help=_("One JSON object on stdout."))
@click.option("--csv", "as_csv", is_flag=True, help=_("CSV: one row per agent and a total."))
@pass_context
def report_command(
    context: Context,
    day: datetime | None,
    start: datetime | None,
    end: datetime | None,
    zone: str | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    context.workspace()
    from tmdesk.services.calls import today
    from tmdesk.services.reports import report, time_zone_info

    if day and (start or end):
        raise click.UsageError(_("give either --date or --from/--to"))
    if as_json and as_csv:
        raise click.UsageError(_("give either --json or --csv"))
    zone = zone_for(context, zone)
    tz = time_zone_info(zone)
    first: date | None
    if day:
        first = last = day.date()
    else:
        first = start.date() if start else None
        last = end.date() if end else today(zone)
        first = first or last
    result = report(first, last, time_zone=zone)
    if as_json:
        echo_json(result.to_json())
        return
    rows = [*result.agents, result.totals]
    if as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(_COLUMNS)
        for figures in rows:
            data = figures.to_json(tz)
            writer.writerow(["" if data[c] is None else data[c] for c in _COLUMNS])
        return
    period = first.isoformat() if first == last else f"{first} … {last}"
    click.echo(_("{period} ({zone})").format(period=period, zone=zone))
    # talk and ring time only where calls went through the PBX
    phone = bool(result.totals.talk_seconds or result.totals.ring_seconds)
    click.echo(
        f"{'':<14}{_('calls'):>7}{_('reached'):>9}{_('rate'):>6}{_('qual'):>6}"
        f"{_('no fit'):>7}{_('nurt'):>6}{_('meet'):>6}{_('m/r'):>6}{_('handle'):>8}"
        f"{_('first'):>7}{_('last'):>7}" + (f"{_('talk'):>9}{_('ring'):>8}" if phone else "")
    )
    for figures in rows:
        label = figures.login or figures.name
        click.echo(
            f"{label[:13]:<14}{figures.calls:>7}{figures.reached:>9}"
            f"{_percent(figures.contact_rate):>6}{figures.qualified:>6}"
            f"{figures.not_fit:>7}{figures.nurture:>6}{figures.meetings:>6}"
            f"{_percent(figures.meetings_per_reached):>6}"
            f"{_duration(figures.avg_handle_seconds):>8}"
            f"{_clock(figures.first_call, tz):>7}{_clock(figures.last_call, tz):>7}"
            + (
                f"{_duration(figures.talk_seconds):>9}{_duration(figures.ring_seconds):>8}"
                if phone
                else ""
            )
        )
    funnel = result.funnel
    click.echo(
        _(
            "funnel (leads): dialled {dialled} → reached {reached} → fit {fit} → "
            "actual {actual} → meetings {meetings}"
        ).format(**funnel.to_json())
    )
