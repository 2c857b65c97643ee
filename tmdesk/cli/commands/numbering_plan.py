"""`tmdesk numbering-plan import`: the regions of the mobile ranges."""

from __future__ import annotations

from pathlib import Path

import click

from tmdesk.cli.context import (
    Context,
    echo_json,
    pass_context,
    supervisor_only,
)
from tmdesk.i18n import _


@click.group("numbering-plan", help=_("The national numbering plan (regions of mobile ranges)."))
def numbering_plan() -> None:
    pass


@numbering_plan.command(
    "import",
    help=_("Load registry extracts (ABC/DEF CSV files) and re-resolve the leads' time zones."),
)
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--json", "as_json", is_flag=True)
@pass_context
@supervisor_only(_("load the numbering plan"))
def numbering_plan_import(context: Context, files: tuple[Path, ...], as_json: bool) -> None:
    context.workspace()
    from tmdesk.services.numbering import import_numbering_plan

    result = import_numbering_plan(list(files))
    if as_json:
        echo_json(result.to_json())
        return
    click.echo(
        _(
            "{ranges} ranges loaded from {files} file(s); {skipped} bad lines skipped; "
            "{leads} leads got new time zones"
        ).format(
            ranges=result.ranges,
            files=len(files),
            skipped=len(result.errors),
            leads=result.leads_updated,
        )
    )
    for line, reason in result.errors[:10]:
        click.echo(f"  {line}: {reason}", err=True)
