"""Supervisor commands: passwords and deactivation, the figures report, the review of
qualifications, and call-list management."""

from __future__ import annotations

import csv
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

import click

from tmdesk.cli import (
    DAY,
    ID,
    Context,
    Whole,
    echo_json,
    main,
    pass_context,
    read_new_password,
    supervisor_only,
    users,
)
from tmdesk.i18n import _


def _zone_for(context: Context, zone: str | None) -> str:
    """--time-zone, else the zone of the user named by --user, else the desk's."""
    if zone:
        return zone
    if context.user:
        from tmdesk.services.users import find_user

        return find_user(context.user).time_zone
    return context.workspace().settings.agent_time_zone


# --- users ---------------------------------------------------------------------------------


@users.command("passwd")
@click.argument("login")
@click.option(
    "--password-stdin",
    is_flag=True,
    help=_("Read the new password from stdin (default: asked twice)."),
)
@pass_context
@supervisor_only(_("set passwords"))
def users_passwd(context: Context, login: str, password_stdin: bool) -> None:
    """Set a user's password (only its salted hash is kept); agents need one for the browser."""
    from tmdesk.services.auth import set_password

    set_password(login, read_new_password(password_stdin), by_user_id=context.acting_user_id)
    click.echo(_("password set for {login}").format(login=login))


@users.command("deactivate")
@click.argument("login")
@pass_context
@supervisor_only(_("deactivate users"))
def users_deactivate(context: Context, login: str) -> None:
    """Stop a user from signing in (their history stays)."""
    from tmdesk.services.auth import deactivate_user

    user = deactivate_user(login, by_user_id=context.acting_user_id)
    click.echo(_("{login} deactivated").format(login=user.login))


# --- report --------------------------------------------------------------------------------

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


@main.command("report")
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
    context: Context, day, start, end, zone: str | None, as_json: bool, as_csv: bool
) -> None:
    """Figures per agent and in total for a day or a date range."""
    context.workspace()
    from tmdesk.services.calls import today
    from tmdesk.services.reports import report, time_zone_info

    if day and (start or end):
        raise click.UsageError(_("give either --date or --from/--to"))
    if as_json and as_csv:
        raise click.UsageError(_("give either --json or --csv"))
    zone = _zone_for(context, zone)
    tz = time_zone_info(zone)
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


# --- review --------------------------------------------------------------------------------


@main.group("review")
def review_group() -> None:
    """Review submitted qualifications: list, show, approve, return, correct."""


@review_group.command("list")
@click.option("--date", "day", type=DAY, help=_("Day submitted (default: today)."))
@click.option("--all-days", is_flag=True, help=_("Every day, not one."))
@click.option("--agent", "login", metavar="LOGIN")
@click.option("--verdict", type=click.Choice(["qualified", "nurture", "not_fit"]))
@click.option(
    "--status",
    default="submitted",
    show_default=True,
    type=click.Choice(["submitted", "approved", "returned", "all"]),
)
@click.option("--time-zone", "zone", metavar="TZ")
@click.option("--limit", default=50, show_default=True, type=Whole(1, 10_000))
@click.option("--offset", default=0, type=Whole(0, 2**62))
@click.option("--json", "as_json", is_flag=True)
@pass_context
def review_list(
    context: Context,
    day,
    all_days: bool,
    login: str | None,
    verdict: str | None,
    status: str,
    zone: str | None,
    limit: int,
    offset: int,
    as_json: bool,
) -> None:
    """Qualifications waiting for review (or reviewed), newest first."""
    context.workspace()
    from tmdesk.services.calls import today
    from tmdesk.services.reports import time_zone_info
    from tmdesk.services.review import review_queue
    from tmdesk.services.users import find_user

    if login:
        find_user(login)
    zone = _zone_for(context, zone)
    time_zone_info(zone)  # a clear message for an unknown zone
    chosen: date | None = None if all_days else (day.date() if day else today(zone))
    page = review_queue(
        day=chosen,
        time_zone=zone,
        agent_login=login,
        verdict=verdict,
        status=None if status == "all" else status,
        offset=offset,
        limit=limit,
    )
    if as_json:
        echo_json([item.to_json() for item in page.items])
        return
    tz = ZoneInfo(zone)
    for item in page.items:
        meeting = (
            _(" meeting {at:%d.%m %H:%M}").format(at=item.meeting_at.astimezone(tz))
            if item.meeting_at
            else ""
        )
        click.echo(
            f"{item.qualification_id:>7}  {item.submitted_at.astimezone(tz):%d.%m %H:%M}"
            f"  {item.agent_login:<10} {item.verdict:<9} {item.status:<9} "
            f"{item.score:>3}  {item.company}{meeting}"
        )
    click.echo(
        _("{shown} of {total} shown").format(shown=len(page.items), total=page.total), err=True
    )


@review_group.command("show")
@click.argument("qualification_id", type=ID)
@click.option("--json", "as_json", is_flag=True)
def review_show(qualification_id: int, as_json: bool) -> None:
    """One qualification in full: answers, corrections, people, calls, trail."""
    click.get_current_context().find_object(Context).workspace()
    from tmdesk.services.review import review_detail

    detail = review_detail(qualification_id)
    if as_json:
        echo_json(
            {
                **detail.item.to_json(),
                "answers": [
                    {
                        "id": a.question_id,
                        "text": a.text,
                        "answer": a.answer,
                        "corrected": a.corrected,
                        "corrected_by": a.corrected_by,
                    }
                    for a in detail.answers
                ],
                "decision_makers": [
                    {
                        "role": p.role,
                        "name": p.name,
                        "position": p.position,
                        "phone": p.phone_e164 or p.phone_raw,
                        "email": p.email,
                    }
                    for p in detail.decision_makers
                ],
                "notes": detail.notes,
                "review_comment": detail.review_comment,
                "reviewed_by": detail.reviewed_by,
                "audit": [
                    {
                        "at": line.at.isoformat(),
                        "user": line.user_login,
                        "action": line.action,
                        "details": line.details,
                    }
                    for line in detail.audit
                ],
            }
        )
        return
    item = detail.item
    click.echo(
        f"#{item.qualification_id} {item.company} — {item.contact} "
        f"({item.agent_login}, {item.verdict}, {item.status}, {item.score})"
    )
    for answer in detail.answers:
        fixed = (
            _("  [corrected by {by}: {value}]").format(
                by=answer.corrected_by, value=answer.corrected
            )
            if answer.corrected is not None
            else ""
        )
        click.echo(f"  {answer.question_id}: {answer.text}\n      {answer.answer}{fixed}")
    for person in detail.decision_makers:
        click.echo(
            f"  {person.role}: {person.name}, {person.position} "
            f"{person.phone_e164 or person.phone_raw} {person.email}".rstrip()
        )
    if detail.notes:
        click.echo(detail.notes)


def _each(ids: tuple[int, ...], action) -> None:
    from tmdesk.errors import TmdeskError

    failed = 0
    for qid in ids:
        try:
            action(qid)
        except TmdeskError as error:
            failed += 1
            click.echo(str(error), err=True)
    if failed:
        raise click.ClickException(_("{n} of {total} not done").format(n=failed, total=len(ids)))


@review_group.command("approve")
@click.argument("qualification_ids", nargs=-1, required=True, type=ID)
@pass_context
@supervisor_only(_("approve qualifications"))
def review_approve(context: Context, qualification_ids: tuple[int, ...]) -> None:
    """Approve qualifications: their leads are ready for the handoff."""
    from tmdesk.services.review import approve

    supervisor = context.supervisor_id()

    def one(qid: int) -> None:
        item = approve(qid, supervisor)
        click.echo(_("approved {id} ({company})").format(id=qid, company=item.company))

    _each(qualification_ids, one)


@review_group.command("return")
@click.argument("qualification_id", type=ID)
@click.option("--comment", required=True, help=_("What the agent should fix."))
@pass_context
@supervisor_only(_("return qualifications"))
def review_return(context: Context, qualification_id: int, comment: str) -> None:
    """Return a qualification: the lead comes back to its agent as a due callback."""
    from tmdesk.services.review import return_to_agent

    item = return_to_agent(qualification_id, context.supervisor_id(), comment)
    click.echo(_("returned {id} to {agent}").format(id=qualification_id, agent=item.agent_login))


@review_group.command("correct")
@click.argument("qualification_id", type=ID)
@click.argument("question")
@click.argument("value")
@pass_context
@supervisor_only(_("correct qualifications"))
def review_correct(context: Context, qualification_id: int, question: str, value: str) -> None:
    """Correct one answer (the agent's original is kept beside it)."""
    from tmdesk.services.review import correct_answer

    correct_answer(qualification_id, context.supervisor_id(), question, value)
    click.echo(_("corrected {question} of {id}").format(question=question, id=qualification_id))


# --- call lists ----------------------------------------------------------------------------


@main.group("lists", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def lists_group(ctx: click.Context, as_json: bool) -> None:
    """Call lists and their progress; pause, resume, archive, priority, script."""
    if ctx.invoked_subcommand is not None:
        return
    workspace = ctx.find_object(Context).workspace()
    from tmdesk.services.reports import list_progress

    found = list_progress(workspace.settings)
    if as_json:
        echo_json([row.to_json() for row in found])
        return
    if not found:
        click.echo(_("no call lists yet; import one with `tmdesk import FILE`"), err=True)
    for row in found:
        click.echo(
            f"{row.list_id:>4} {row.name[:28]:<28} {row.status:<9} {row.priority:>4}  "
            + _(
                "{total} leads, {remaining} left, {due} due now, {callbacks} callbacks, "
                "{exhausted} exhausted, {invalid} invalid"
            ).format(
                total=row.total,
                remaining=row.remaining,
                due=row.due_now,
                callbacks=row.callbacks,
                exhausted=row.exhausted,
                invalid=row.invalid,
            )
            + (f"  [{row.script_key}]" if row.script_key else "")
        )


def _list_change(verb: str, action: str, help_text: str):
    @lists_group.command(verb, help=help_text)
    @click.argument("name_or_id")
    @pass_context
    @supervisor_only(action)
    def change(context: Context, name_or_id: str) -> None:
        from tmdesk.services import call_lists

        found = call_lists.find_list(name_or_id)
        result = getattr(call_lists, f"{verb}_list")(found.list_id, context.supervisor_id())
        click.echo(_("{name}: {status}").format(name=result.name, status=result.status))

    return change


lists_pause = _list_change(
    "pause", _("pause call lists"), _("Stop serving a list's leads until it is resumed.")
)
lists_resume = _list_change(
    "resume", _("resume call lists"), _("Serve a paused (or archived) list's leads again.")
)
lists_archive = _list_change(
    "archive", _("archive call lists"), _("Put a list away: never served, no more imports into it.")
)


@lists_group.command("priority")
@click.argument("name_or_id")
@click.argument("priority", type=Whole(-1_000_000, 1_000_000))
@pass_context
@supervisor_only(_("change list priorities"))
def lists_priority(context: Context, name_or_id: str, priority: int) -> None:
    """Set a list's priority (higher is served first)."""
    from tmdesk.services.call_lists import find_list, set_list_priority

    result = set_list_priority(find_list(name_or_id).list_id, context.supervisor_id(), priority)
    click.echo(_("{name}: priority {priority}").format(name=result.name, priority=result.priority))


@lists_group.command("script")
@click.argument("name_or_id")
@click.argument("key")
@pass_context
@supervisor_only(_("change list scripts"))
def lists_script(context: Context, name_or_id: str, key: str) -> None:
    """Set the qualification script of a list (`default` for the default one)."""
    from tmdesk.services.call_lists import find_list, set_list_script

    result = set_list_script(
        find_list(name_or_id).list_id, context.supervisor_id(), None if key == "default" else key
    )
    click.echo(
        _("{name}: script {key}").format(name=result.name, key=result.script_key or _("default"))
    )
