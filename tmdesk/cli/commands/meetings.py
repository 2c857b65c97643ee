"""Development specialists and their meetings from the command line.

tmdesk specialists add NAME [--email E] [--phone P] [--time-zone Z] [--hours TEXT]
                           [--days-off D…] [--regions R…] [--specialisations S…]
                           [--meeting-minutes N] [--buffer-minutes N] [--max-per-day N]
tmdesk specialists edit NAME_OR_ID [the same options] [--name NEW] [--active/--inactive]
tmdesk specialists list [--json]
tmdesk specialists remove NAME_OR_ID
tmdesk meetings [--specialist NAME] [--from D] [--to D] [--all] [--json]
tmdesk slots SPECIALIST [--lead ID] [--days N] [--limit N] [--json]
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import click

from tmdesk.cli.context import (
    CommandFunc,
    Context,
    echo_json,
    pass_context,
    supervisor_only,
)
from tmdesk.cli.params import DAY, ID, Whole
from tmdesk.domain.choices import MEETING_KIND_LABELS, MEETING_STATUS_LABELS, label
from tmdesk.domain.statuses import MeetingStatus
from tmdesk.i18n import _

HOURS_HELP = _('Weekly hours, e.g. "mon-fri 09:00-18:00, lunch 13:00-14:00; sat 10:00-14:00".')


def _specialist_options(command: CommandFunc) -> CommandFunc:
    """The options add and edit share (edit: all optional, only the given ones change)."""
    options = [
        click.option("--email", help=_("E-mail for the invitations.")),
        click.option("--phone", help=_("Phone, any format.")),
        click.option(
            "--time-zone", help=_("IANA zone, e.g. Asia/Yekaterinburg (add: Europe/Moscow).")
        ),
        click.option("--hours", help=HOURS_HELP),
        click.option(
            "--days-off",
            multiple=True,
            metavar="DATES",
            help=_(
                'Days off: "2026-12-31, 2027-01-01..2027-01-08" (repeatable; '
                'edit: replaces the list, "" empties it).'
            ),
        ),
        click.option(
            "--regions",
            multiple=True,
            metavar="NAMES",
            help=_('Regions covered: "ЦФО, Новосибирская область" (repeatable).'),
        ),
        click.option(
            "--specialisations",
            multiple=True,
            metavar="NAMES",
            help=_('Specialisations: "логистика, металлообработка" (repeatable).'),
        ),
        click.option(
            "--meeting-minutes",
            type=Whole(1, 24 * 60),
            help=_("Default meeting length (add: 60)."),
        ),
        click.option(
            "--buffer-minutes",
            type=Whole(0, 24 * 60),
            help=_("Free time kept between meetings (add: 15)."),
        ),
        click.option(
            "--max-per-day",
            type=Whole(0, 1_000),
            help=_("At most this many meetings a day; 0: no cap (add: none)."),
        ),
        click.option("--json", "as_json", is_flag=True, help=_("The specialist as JSON.")),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _given(values: dict[str, Any]) -> dict[str, Any]:
    """The options actually typed: None and empty repeatable options are left out."""
    return {k: v for k, v in values.items() if v is not None and v != ()}


def _show(info: Any, as_json: bool, verb: str) -> None:
    if as_json:
        echo_json(info.to_json())
        return
    click.echo(
        _("{verb} specialist {name} (id {id})").format(verb=verb, name=info.name, id=info.id)
    )
    _describe(info)


def _describe(info: Any) -> None:
    cap = info.max_per_day if info.max_per_day is not None else _("no cap")
    click.echo(
        _("  {zone}; {hours}; meetings {minutes} min, buffer {buffer} min, per day {cap}").format(
            zone=info.time_zone,
            hours=info.hours_text,
            minutes=info.meeting_minutes,
            buffer=info.buffer_minutes,
            cap=cap,
        )
    )
    contacts = ", ".join(filter(None, (info.email, info.phone_e164)))
    if contacts:
        click.echo(f"  {contacts}")
    if info.regions:
        click.echo(_("  regions: {names}").format(names=", ".join(info.regions)))
    if info.specialisations:
        click.echo(_("  specialisations: {names}").format(names=", ".join(info.specialisations)))
    if info.days_off:
        click.echo(_("  days off: {days}").format(days=", ".join(info.days_off)))


@click.group("specialists")
def specialists_group() -> None:
    """Development specialists: who receives the meetings."""


@specialists_group.command("add")
@click.argument("name")
@_specialist_options
@pass_context  # type: ignore[arg-type]  # mypy: **options vs. the Context first
@supervisor_only(_("add development specialists"))
def specialists_add(context: Context, name: str, as_json: bool, **options: Any) -> None:
    """Add a development specialist."""
    workspace = context.workspace()
    from tmdesk.services.specialists import add_specialist

    values = _given(options)
    if "hours" in values:
        values["working_hours"] = values.pop("hours")
    info = add_specialist(
        name, region=workspace.settings.default_region, actor=context.acting_user_id, **values
    )
    _show(info, as_json, _("added"))


@specialists_group.command("edit")
@click.argument("name_or_id")
@click.option("--name", "new_name", help=_("A new name."))
@_specialist_options
@click.option("--active/--inactive", default=None, help=_("Offer slots again, or no more."))
@pass_context  # type: ignore[arg-type]  # mypy: **options vs. the Context first
@supervisor_only(_("change development specialists"))
def specialists_edit(
    context: Context, name_or_id: str, new_name: str | None, as_json: bool, **options: Any
) -> None:
    """Change a specialist's details (only the options given)."""
    workspace = context.workspace()
    from tmdesk.services.specialists import edit_specialist

    values = _given(options)
    if "hours" in values:
        values["working_hours"] = values.pop("hours")
    if new_name is not None:
        values["name"] = new_name
    if not values:
        raise click.UsageError(_("nothing to change: give at least one option"))
    info = edit_specialist(
        name_or_id,
        region=workspace.settings.default_region,
        actor=context.acting_user_id,
        **values,
    )
    _show(info, as_json, _("changed"))


@specialists_group.command("list")
@click.option("--json", "as_json", is_flag=True, help=_("One JSON list on stdout."))
@pass_context
def specialists_list(context: Context, as_json: bool) -> None:
    """The specialists, active first."""
    context.workspace()
    from tmdesk.services.specialists import list_specialists

    found = list_specialists()
    if as_json:
        echo_json([info.to_json() for info in found])
        return
    if not found:
        click.echo(_("no specialists yet: tmdesk specialists add NAME …"))
    for info in found:
        state = "" if info.active else _(" (inactive)")
        click.echo(f"{info.id:>4}  {info.name}{state}")
        _describe(info)


@specialists_group.command("remove")
@click.argument("name_or_id")
@pass_context
@supervisor_only(_("remove development specialists"))
def specialists_remove(context: Context, name_or_id: str) -> None:
    """Delete a specialist, or make them inactive when meetings point at them."""
    context.workspace()
    from tmdesk.services.specialists import remove_specialist

    click.echo(remove_specialist(name_or_id, actor=context.acting_user_id).message())


# --- meetings and free slots ------------------------------------------------------------------


def _local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


@click.command("meetings")
@click.option("--specialist", metavar="NAME", help=_("Only this specialist's (name or id)."))
@click.option("--from", "first", type=DAY, help=_("From this day (default: today)."))
@click.option("--to", "last", type=DAY, help=_("Up to this day, included."))
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help=_("Cancelled and done meetings too, not only booked ones."),
)
@click.option("--json", "as_json", is_flag=True, help=_("One JSON list on stdout."))
@pass_context
def meetings_command(
    context: Context,
    specialist: str | None,
    first: datetime | None,
    last: datetime | None,
    everything: bool,
    as_json: bool,
) -> None:
    """Booked meetings, in the desk's time zone (the specialist's time beside it)."""
    workspace = context.workspace()
    from tmdesk.services.booking import meetings_of
    from tmdesk.services.specialists import find_specialist

    zone = workspace.settings.agent_time_zone
    tz = ZoneInfo(zone)
    specialist_id = find_specialist(specialist).id if specialist else None
    start_day = first.date() if first else datetime.now(tz).date()
    start = datetime.combine(start_day, time(0), tz)
    end = datetime.combine(last.date() + timedelta(days=1), time(0), tz) if last else None
    if end is not None and end <= start:
        raise click.BadParameter(_("--to is before --from"), param_hint="--to")
    statuses = (
        (MeetingStatus.BOOKED, MeetingStatus.CANCELLED, MeetingStatus.DONE)
        if everything
        else (MeetingStatus.BOOKED,)
    )
    found = meetings_of(specialist_id, start=start, end=end, statuses=statuses)
    if as_json:
        echo_json([meeting.to_json() for meeting in found])
        return
    if not found:
        click.echo(_("no meetings"), err=True)
    for m in found:
        begin, finish = _local(m.starts_at, zone), _local(m.ends_at, zone)
        theirs = _local(m.starts_at, m.specialist_zone)
        beside = (
            ""
            if theirs.utcoffset() == begin.utcoffset()
            else _(" ({time} their time)").format(time=f"{theirs:%H:%M}")
        )
        state = (
            ""
            if m.status == MeetingStatus.BOOKED
            else f" [{label(MEETING_STATUS_LABELS, m.status)}]"
        )
        kind = label(MEETING_KIND_LABELS, m.kind)
        click.echo(
            f"{m.id:>5}  {begin:%Y-%m-%d %a %H:%M}-{finish:%H:%M}{beside}  "
            f"{m.specialist_name:<20} {kind:<11} {_('lead')} {m.lead_id} "
            f"{m.company}  ({m.booked_by}){state}"
        )


@click.command("slots")
@click.argument("specialist")
@click.option("--lead", "lead_id", type=ID, help=_("Mark the slots inside this lead's hours."))
@click.option(
    "--days",
    type=Whole(1, 92),
    help=_("How many days ahead (default: the configured horizon)."),
)
@click.option("--limit", type=Whole(1, 1_000_000), default=40, show_default=True)
@click.option("--json", "as_json", is_flag=True, help=_("One JSON list on stdout."))
@pass_context
def slots_command(
    context: Context,
    specialist: str,
    lead_id: int | None,
    days: int | None,
    limit: int,
    as_json: bool,
) -> None:
    """A specialist's free slots, in the desk's time zone (their time beside it)."""
    workspace = context.workspace()
    from tmdesk.services.booking import free_slots
    from tmdesk.services.specialists import find_specialist

    info = find_specialist(specialist)
    found = free_slots(info.id, workspace.settings, lead_id=lead_id, days=days, limit=limit)
    if as_json:
        echo_json(
            [
                {
                    "specialist_id": s.specialist_id,
                    "starts_at": s.starts_at.isoformat(),
                    "ends_at": s.ends_at.isoformat(),
                    "in_lead_hours": s.in_lead_hours,
                }
                for s in found
            ]
        )
        return
    if not info.active:
        click.echo(_("{name} is inactive: no slots are offered").format(name=info.name), err=True)
    elif not found:
        click.echo(_("no free slots"), err=True)
    zone = workspace.settings.agent_time_zone
    for slot in found:
        mine, theirs = _local(slot.starts_at, zone), _local(slot.starts_at, info.time_zone)
        outside = "" if slot.in_lead_hours else _("  outside the lead's hours")
        click.echo(f"{mine:%Y-%m-%d %a %H:%M}  ({theirs:%H:%M} {info.time_zone}){outside}")
