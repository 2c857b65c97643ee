"""`tmdesk export`: hand the ready leads to the development specialists, in batches.

tmdesk export [--format csv|xlsx|json|ics] [--out PATH] [--specialist NAME]
              [--per-specialist] [--all --since DATE] [--include-unreviewed]
              [--excel-ru] [--lang ru|en] [--json]
tmdesk export --batch ID [--format F] [--out PATH]    write a batch again, identical
tmdesk export batches [--json]  (or: tmdesk export --list)
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import click

from tmdesk.cli.context import (
    Context,
    desk_context,
    echo_json,
    pass_context,
    supervisor_only,
)
from tmdesk.cli.params import DAY, ID, Whole
from tmdesk.i18n import LANGUAGES, _

FORMAT_CHOICE = click.Choice(["csv", "xlsx", "json", "ics"])


def _report(files: list[Any], as_json: bool) -> None:
    if as_json:
        echo_json([f.to_json() for f in files])
        return
    for f in files:
        whose = f" ({f.specialist})" if f.specialist else ""
        verb = _("wrote again") if f.repeated else _("wrote")
        click.echo(
            _("{verb} {path}: batch {batch}{whose}, {leads} lead(s), {meetings} meeting(s)").format(
                verb=verb,
                path=f.path,
                batch=f.batch_id,
                whose=whose,
                leads=f.lead_count,
                meetings=f.meeting_count,
            )
        )
        if f.format == "ics" and f.meeting_count < f.lead_count:
            click.echo(
                _(
                    "  {n} lead(s) of the batch have no booked meeting, so no event; "
                    "write them with: tmdesk export --batch {batch} --format csv"
                ).format(n=f.lead_count - f.meeting_count, batch=f.batch_id),
                err=True,
            )


def _list_batches(as_json: bool, limit: int) -> None:
    from tmdesk.services.handoff import list_batches

    found = list_batches(limit=limit)
    if as_json:
        echo_json([b.to_json() for b in found])
        return
    if not found:
        click.echo(_("no export batches yet"))
    for b in found:
        click.echo(
            _("{id:>6}  {at:%Y-%m-%d %H:%M} UTC  {format:<5} {leads:>7}  {who:<12} {path}").format(
                id=b.id,
                at=b.created_at,
                format=b.format,
                leads=b.lead_count,
                who=b.created_by or "-",
                path=b.path,
            )
        )


@click.group("export", invoke_without_command=True)
@click.option(
    "--format",
    "fmt",
    type=FORMAT_CHOICE,
    default=None,
    help=_("File format (default csv; with --batch: the batch's own)."),
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help=_("File to write, or a folder for handoff-<batch>.<ext> (default: here)."),
)
@click.option(
    "--specialist",
    metavar="NAME",
    help=_("Only the leads with a meeting of this specialist (name or id)."),
)
@click.option(
    "--per-specialist",
    is_flag=True,
    help=_("One file (and batch) per specialist; --out is then a folder."),
)
@click.option(
    "--batch",
    "batch_id",
    type=ID,
    metavar="ID",
    help=_("Write this batch again from its records (same bytes)."),
)
@click.option(
    "--all",
    "include_exported",
    is_flag=True,
    help=_("Leads handed off before too (needs --since)."),
)
@click.option(
    "--since",
    type=DAY,
    metavar="DATE",
    help=_("Only leads qualified on or after DATE (YYYY-MM-DD, the desk's zone)."),
)
@click.option(
    "--include-unreviewed",
    is_flag=True,
    help=_("Qualified leads not yet approved by a supervisor too."),
)
@click.option(
    "--excel-ru", is_flag=True, help=_("CSV for a Russian Excel: semicolons and Windows-1251.")
)
@click.option(
    "--lang",
    "language",
    type=click.Choice(LANGUAGES),
    default=None,
    help=_(
        "Language of the file's headers and values (default: the desk's; with --batch: "
        "the batch's own). JSON keys stay English."
    ),
)
@click.option("--force", is_flag=True, help=_("Replace an existing file (never a database)."))
@click.option("--list", "list_only", is_flag=True, help=_("List the batches (as `batches`)."))
@click.option("--json", "as_json", is_flag=True, help=_("One JSON document on stdout."))
@click.pass_context
@supervisor_only(_("export leads"))
def export_group(
    click_context: click.Context,
    fmt: str | None,
    out: Path | None,
    specialist: str | None,
    per_specialist: bool,
    batch_id: int | None,
    include_exported: bool,
    since: datetime | None,
    include_unreviewed: bool,
    excel_ru: bool,
    language: str | None,
    force: bool,
    list_only: bool,
    as_json: bool,
) -> None:
    """Hand the ready leads to the development specialists (a recorded batch)."""
    if click_context.invoked_subcommand is not None:
        return
    context = desk_context(click_context)
    workspace = context.workspace()
    if list_only:
        _list_batches(as_json, 100)
        return
    from tmdesk.services.handoff import export_batch, repeat_batch

    if batch_id is not None:
        if specialist or per_specialist or include_exported or since or include_unreviewed:
            raise click.UsageError(
                _(
                    "--batch writes a recorded batch again: it takes only "
                    "--format, --out, --excel-ru and --lang"
                )
            )
        _report(
            [
                repeat_batch(
                    batch_id,
                    out,
                    fmt=fmt,
                    excel_ru=True if excel_ru else None,
                    user_id=context.acting_user_id,
                    force=force,
                    language=language,
                )
            ],
            as_json,
        )
        return
    files = export_batch(
        workspace.settings,
        fmt or "csv",
        out,
        user_id=context.acting_user_id,
        specialist=specialist,
        per_specialist=per_specialist,
        since=since.date() if since else None,
        include_exported=include_exported,
        include_unreviewed=include_unreviewed,
        excel_ru=excel_ru,
        force=force,
        language=language,
    )
    if not files:
        if as_json:
            echo_json([])
        else:
            click.echo(_("nothing is ready for handoff: no batch recorded"))
        return
    _report(files, as_json)


@export_group.command("batches")
@click.option("--json", "as_json", is_flag=True, help=_("One JSON list on stdout."))
@click.option("--limit", default=100, show_default=True, type=Whole(1, 1_000_000))
@pass_context
def export_batches(context: Context, as_json: bool, limit: int) -> None:
    """The recorded export batches, newest first."""
    context.workspace()
    _list_batches(as_json, limit)
