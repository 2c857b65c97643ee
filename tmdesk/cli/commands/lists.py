"""`tmdesk lists`: call lists, their progress, pause/resume/archive, priority, script."""

from __future__ import annotations

import click

from tmdesk.cli.context import (
    Context,
    desk_context,
    echo_json,
    pass_context,
    supervisor_only,
)
from tmdesk.cli.params import Whole
from tmdesk.domain.choices import LIST_STATUS_LABELS, label
from tmdesk.i18n import _


@click.group("lists", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def lists_group(ctx: click.Context, as_json: bool) -> None:
    """Call lists and their progress; pause, resume, archive, priority, script."""
    if ctx.invoked_subcommand is not None:
        return
    workspace = desk_context(ctx).workspace()
    from tmdesk.services.reports import list_progress

    found = list_progress(workspace.settings)
    if as_json:
        echo_json([row.to_json() for row in found])
        return
    if not found:
        click.echo(_("no call lists yet; import one with `tmdesk import FILE`"), err=True)
    for row in found:
        click.echo(
            f"{row.list_id:>4} {row.name[:28]:<28} {label(LIST_STATUS_LABELS, row.status):<9} "
            f"{row.priority:>4}  "
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


def _list_change(verb: str, action: str, help_text: str) -> click.Command:
    @lists_group.command(verb, help=help_text)
    @click.argument("name_or_id")
    @pass_context
    @supervisor_only(action)
    def change(context: Context, name_or_id: str) -> None:
        from tmdesk.services import call_lists

        found = call_lists.find_list(name_or_id)
        result = getattr(call_lists, f"{verb}_list")(found.list_id, context.supervisor_id())
        click.echo(
            _("{name}: {status}").format(
                name=result.name, status=label(LIST_STATUS_LABELS, result.status)
            )
        )

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
