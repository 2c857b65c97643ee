"""`tmdesk users`: agents and supervisors, their passwords and extensions."""

from __future__ import annotations

import click

from tmdesk.cli.context import (
    Context,
    echo_json,
    pass_context,
    read_new_password,
    supervisor_only,
)
from tmdesk.i18n import _


@click.group(help=_("Agents and supervisors."))
def users() -> None:
    pass


@users.command("add", help=_("Add a user (a supervisor with a password)."))
@click.argument("login")
@click.option("--name", required=True, help=_("Full name as shown on the desk."))
@click.option(
    "--role", type=click.Choice(["agent", "supervisor"]), default="agent", show_default=True
)
@click.option("--time-zone", default="Europe/Moscow", show_default=True)
@click.option(
    "--password-stdin",
    is_flag=True,
    help=_("A supervisor's password: read from stdin (default: asked twice)."),
)
@click.option("--extension", help=_("The agent's phone extension on the office PBX, e.g. 101."))
@pass_context
@supervisor_only(_("add users"))
def users_add(
    context: Context,
    login: str,
    name: str,
    role: str,
    time_zone: str,
    password_stdin: bool,
    extension: str | None,
) -> None:
    context.workspace()
    from tmdesk.services.auth import add_supervisor
    from tmdesk.services.users import add_user

    if role == "supervisor":
        user = add_supervisor(
            login,
            name,
            read_new_password(password_stdin),
            time_zone,
            by_user_id=context.acting_user_id,
        )
    else:
        user = add_user(
            login, name, role, time_zone, extension=extension, actor=context.acting_user_id
        )
    if role == "supervisor" and extension:
        from tmdesk.services.users import set_extension

        set_extension(login, extension)
    click.echo(
        _("added {role} {login} ({name})").format(role=user.role, login=user.login, name=user.name)
    )


@users.command("list", help=_("List users."))
@click.option("--json", "as_json", is_flag=True, help=_("One JSON list on stdout."))
@pass_context
def users_list(context: Context, as_json: bool) -> None:
    context.workspace()
    from tmdesk.services.users import list_users

    found = list_users()
    if as_json:
        echo_json([user.to_json() for user in found])
        return
    for user in found:
        state = "" if user.active else _(" (inactive)")
        click.echo(f"{user.login:<16} {user.role:<11} {user.name}{state}")


@users.command(
    "passwd",
    help=_(
        "Set a user's password (only its salted hash is kept); agents need one for the browser."
    ),
)
@click.argument("login")
@click.option(
    "--password-stdin",
    is_flag=True,
    help=_("Read the new password from stdin (default: asked twice)."),
)
@pass_context
@supervisor_only(_("set passwords"))
def users_passwd(context: Context, login: str, password_stdin: bool) -> None:
    from tmdesk.services.auth import set_password

    set_password(login, read_new_password(password_stdin), by_user_id=context.acting_user_id)
    click.echo(_("password set for {login}").format(login=login))


@users.command("deactivate", help=_("Stop a user from signing in (their history stays)."))
@click.argument("login")
@pass_context
@supervisor_only(_("deactivate users"))
def users_deactivate(context: Context, login: str) -> None:
    from tmdesk.services.auth import deactivate_user

    user = deactivate_user(login, by_user_id=context.acting_user_id)
    click.echo(_("{login} deactivated").format(login=user.login))


@users.command("edit", help=_("Change a user's phone extension."))
@click.argument("login")
@click.option(
    "--extension",
    required=True,
    help=_("The agent's phone extension on the office PBX, e.g. 101 ('' removes it)."),
)
@pass_context
@supervisor_only(_("edit users"))
def users_edit(context: Context, login: str, extension: str) -> None:
    context.workspace()
    from tmdesk.services.users import set_extension

    user = set_extension(login, extension)
    click.echo(
        _("{login}: extension {extension}").format(
            login=user.login, extension=user.extension or _("none")
        )
    )
