"""`tmdesk queue` and `tmdesk calls`: what an agent is served next, what was called."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import click

from tmdesk.cli.context import (
    Context,
    echo_json,
    pass_context,
)
from tmdesk.cli.params import DAY, Whole
from tmdesk.domain.choices import QUEUE_BUCKET_LABELS, label
from tmdesk.domain.dispositions import LABELS as DISPOSITION_LABELS
from tmdesk.i18n import _


@click.command("queue")
@click.option("--agent", "login", metavar="LOGIN", help=_("Whose queue (default: first agent)."))
@click.option("--limit", default=20, show_default=True, type=Whole(1, 10_000))
@click.option("--json", "as_json", is_flag=True)
@pass_context
def queue_command(context: Context, login: str | None, limit: int, as_json: bool) -> None:
    """What an agent would be served next, in order."""
    workspace = context.workspace()
    from tmdesk.services.queue import preview_queue, queue_agent

    agent = queue_agent(login)
    entries = preview_queue(agent.id, workspace.settings, limit=limit)
    if as_json:
        echo_json([entry.to_json() for entry in entries])
        return
    if not entries:
        click.echo(_("nothing to call now for {login}").format(login=agent.login))
    for entry in entries:
        click.echo(
            f"{entry.lead_id:>8}  {entry.local_time:%a %H:%M}  "
            f"{label(QUEUE_BUCKET_LABELS, entry.bucket):<18} "
            f"{entry.phone_e164:<14} {entry.company}"
        )


@click.command("calls")
@click.option(
    "--date",
    "day",
    type=DAY,
    help=_("Day (YYYY-MM-DD) in the desk's time zone; default: today."),
)
@click.option("--agent", "login", metavar="LOGIN")
@click.option("--json", "as_json", is_flag=True)
@pass_context
def calls_command(context: Context, day: datetime | None, login: str | None, as_json: bool) -> None:
    """Recorded call attempts of a day."""
    workspace = context.workspace()
    from tmdesk.services.calls import list_calls, today
    from tmdesk.services.users import find_user

    if login:
        find_user(login)  # a typo gets "no user", not an empty list
    zone = workspace.settings.agent_time_zone
    found = list_calls(day.date() if day else today(zone), zone, agent_login=login)
    if as_json:
        echo_json([call.to_json() for call in found])
        return
    for call in found:
        local = call.at.astimezone(ZoneInfo(zone))
        click.echo(
            f"{local:%H:%M}  {call.agent:<12} {label(DISPOSITION_LABELS, call.disposition):<15} "
            f"{call.phone_e164:<14}"
            f" {call.company}  {call.note}".rstrip()
        )
    if not found:
        click.echo(_("no calls"), err=True)
