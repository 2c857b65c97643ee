"""`tmdesk dnc`: the do-not-call list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from tmdesk.cli.context import (
    Context,
    echo_json,
    pass_context,
    supervisor_only,
)
from tmdesk.cli.params import Whole
from tmdesk.i18n import _


@click.group("dnc", help=_("The do-not-call list."))
def dnc_group() -> None:
    pass


def _echo_change(change: Any, verb: str, as_json: bool) -> None:
    if as_json:
        echo_json(change.to_json())
    else:
        for number in change.changed:
            click.echo(f"{verb} {number}")
        for number in change.unchanged:
            click.echo(_("unchanged {number}").format(number=number))
    for text, reason in change.invalid:
        click.echo(
            _("not a number: {text!r} ({reason})").format(text=text, reason=reason), err=True
        )
    if change.invalid and not change.changed and not change.unchanged:
        raise click.ClickException(_("no valid phone number given"))


@dnc_group.command("add", help=_("Put numbers (any format) on the do-not-call list."))
@click.argument("phones", nargs=-1, required=True)
@click.option("--reason", default="", help=_("Why (kept with the number)."))
@click.option("--json", "as_json", is_flag=True)
@pass_context
@supervisor_only(_("change the do-not-call list"))
def dnc_add(context: Context, phones: tuple[str, ...], reason: str, as_json: bool) -> None:
    workspace = context.workspace()
    from tmdesk.services.dnc import add_numbers

    change = add_numbers(
        list(phones),
        reason=reason,
        user_id=context.acting_user_id,
        region=workspace.settings.default_region,
    )
    _echo_change(change, _("added"), as_json)


@dnc_group.command("remove", help=_("Take numbers off the do-not-call list."))
@click.argument("phones", nargs=-1, required=True)
@click.option("--reason", default="")
@click.option("--json", "as_json", is_flag=True)
@pass_context
@supervisor_only(_("change the do-not-call list"))
def dnc_remove(context: Context, phones: tuple[str, ...], reason: str, as_json: bool) -> None:
    workspace = context.workspace()
    from tmdesk.services.dnc import remove_numbers

    change = remove_numbers(
        list(phones),
        reason=reason,
        user_id=context.acting_user_id,
        region=workspace.settings.default_region,
    )
    _echo_change(change, _("removed"), as_json)


@dnc_group.command("list", help=_("The numbers on the do-not-call list, newest first."))
@click.option("--json", "as_json", is_flag=True)
@click.option("--limit", default=1000, show_default=True, type=Whole(1, 1_000_000))
@pass_context
def dnc_list(context: Context, as_json: bool, limit: int) -> None:
    context.workspace()
    from tmdesk.services.dnc import list_numbers

    found = list_numbers(limit=limit)
    if as_json:
        echo_json([entry.to_json() for entry in found])
        return
    for entry in found:
        click.echo(
            f"{entry.phone_e164:<16} {entry.added_at:%Y-%m-%d}  {entry.source:<10} "
            f"{entry.reason}".rstrip()
        )


@dnc_group.command("import", help=_("Add every number of a CSV/XLSX file's phone column(s)."))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--reason", default="")
@click.option("--json", "as_json", is_flag=True)
@pass_context
@supervisor_only(_("change the do-not-call list"))
def dnc_import(context: Context, file: Path, reason: str, as_json: bool) -> None:
    workspace = context.workspace()
    from tmdesk.services.dnc import import_numbers

    change = import_numbers(
        file,
        reason=reason,
        user_id=context.acting_user_id,
        region=workspace.settings.default_region,
    )
    if as_json:
        echo_json(change.to_json())
        return
    click.echo(
        _("{added} added, {present} already listed, {bad} not numbers").format(
            added=len(change.changed), present=len(change.unchanged), bad=len(change.invalid)
        )
    )
