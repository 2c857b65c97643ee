"""`tmdesk review`: the supervisor's review of submitted qualifications."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import click

from tmdesk.cli.context import (
    Context,
    desk_context,
    echo_json,
    pass_context,
    supervisor_only,
    zone_for,
)
from tmdesk.cli.params import DAY, ID, Whole
from tmdesk.domain.choices import REVIEW_STATUS_LABELS, VERDICT_LABELS, label
from tmdesk.domain.dispositions import Disposition
from tmdesk.domain.statuses import QualificationStatus
from tmdesk.i18n import _

# the choices of `review list` (the services import lazily, so the domain names them here)
VERDICTS = (Disposition.QUALIFIED, Disposition.NURTURE, Disposition.NOT_FIT)
REVIEWED = (
    QualificationStatus.SUBMITTED,
    QualificationStatus.APPROVED,
    QualificationStatus.RETURNED,
)


@click.group("review")
def review_group() -> None:
    """Review submitted qualifications: list, show, approve, return, correct."""


@review_group.command("list")
@click.option("--date", "day", type=DAY, help=_("Day submitted (default: today)."))
@click.option("--all-days", is_flag=True, help=_("Every day, not one."))
@click.option("--agent", "login", metavar="LOGIN")
@click.option("--verdict", type=click.Choice([verdict.value for verdict in VERDICTS]))
@click.option(
    "--status",
    default=QualificationStatus.SUBMITTED.value,
    show_default=True,
    type=click.Choice([status.value for status in REVIEWED] + ["all"]),
)
@click.option("--time-zone", "zone", metavar="TZ")
@click.option("--limit", default=50, show_default=True, type=Whole(1, 10_000))
@click.option("--offset", default=0, type=Whole(0, 2**62))
@click.option("--json", "as_json", is_flag=True)
@pass_context
def review_list(
    context: Context,
    day: datetime | None,
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
    zone = zone_for(context, zone)
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
            f"  {item.agent_login:<10} {label(VERDICT_LABELS, item.verdict):<14} "
            f"{label(REVIEW_STATUS_LABELS, item.status):<9} "
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
    desk_context().workspace()
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
        f"({item.agent_login}, {label(VERDICT_LABELS, item.verdict)}, "
        f"{label(REVIEW_STATUS_LABELS, item.status)}, {item.score})"
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


def _each(ids: tuple[int, ...], action: Callable[[int], Any]) -> None:
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
