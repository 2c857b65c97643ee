"""What every sub-command shares: who runs it, the desk it opens, and the small helpers
of supervisor commands (authorisation, passwords, JSON output)."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from tmdesk.i18n import _

if TYPE_CHECKING:
    from tmdesk.services.workspace import Workspace

CommandFunc = TypeVar("CommandFunc", bound=Callable[..., Any])  # a command's function


class Context:
    """The `tmdesk` options every sub-command sees (click's `ctx.obj`)."""

    def __init__(self, db: str | None, config: str | None, user: str | None = None):
        self.db = db
        self.config = config
        self.user = user  # --user / TMDESK_USER: who runs supervisor commands
        self.acting_user_id: int | None = None  # set by supervisor_only
        self._workspace: Workspace | None = None

    def workspace(self, *, migrate: bool = True, create: bool = False) -> Workspace:
        """The desk; an explicit --db that does not exist is refused unless `create`."""
        if self._workspace is None:
            from tmdesk.services.workspace import open_workspace

            self._workspace = open_workspace(self.db, self.config, migrate=migrate, create=create)
        return self._workspace

    def authorize(self, action: str) -> None:
        """Let a supervisor through (password from TMDESK_PASSWORD or a hidden prompt);
        refuse anyone else. On an open desk (no supervisor has a password yet) everyone
        passes, with a warning: a fresh install has to create its first users somehow."""
        self.workspace()
        from tmdesk.services import auth

        login = (self.user or "").strip()
        if auth.open_desk():
            if login:
                user = auth.sign_in(login, None)
                if user.role != "supervisor":
                    raise auth.NotAllowed(_("only a supervisor can {action}").format(action=action))
                self.acting_user_id = user.id
            click.echo(
                _(
                    "warning: no supervisor has a password yet, so anyone can run "
                    "supervisor commands; set one with `tmdesk users passwd LOGIN`"
                ),
                err=True,
            )
            return
        if not login:
            raise click.ClickException(
                _(
                    "only a supervisor can {action}: say who you are with "
                    "--user LOGIN or TMDESK_USER"
                ).format(action=action)
            )
        limits = self.workspace().settings.web
        if auth.needs_password(login, required=limits.require_passwords):
            password = os.environ.get("TMDESK_PASSWORD")
            if password is None:
                if not sys.stdin.isatty():
                    raise click.ClickException(
                        _(
                            "{login}: password needed (TMDESK_PASSWORD, or run in a terminal)"
                        ).format(login=login)
                    )
                password = click.prompt(
                    _("Password for {login}").format(login=login), hide_input=True, err=True
                )
            user = auth.sign_in(login, password, web=limits)
        else:
            user = auth.sign_in(login, None, web=limits)
        auth.require_supervisor(user.id, action)
        self.acting_user_id = user.id

    def supervisor_id(self) -> int:
        """The supervisor running the command (after supervisor_only)."""
        if self.acting_user_id is None:
            raise click.ClickException(
                _("say which supervisor you are: --user LOGIN or TMDESK_USER")
            )
        return self.acting_user_id


pass_context = click.make_pass_decorator(Context)


def desk_context(ctx: click.Context | None = None) -> Context:
    """The Context `main` put on click's context (for commands that take click's own)."""
    found = (ctx or click.get_current_context()).find_object(Context)
    assert found is not None  # main() sets it before any sub-command runs
    return found


def supervisor_only(action: str) -> Callable[[CommandFunc], CommandFunc]:
    """Decorator for supervisor commands: `action` completes "only a supervisor can …".

    Put it right above the function (below the click decorators) or above @….command.
    """

    def decorate(command: CommandFunc) -> CommandFunc:
        if isinstance(command, click.Command):
            assert command.callback is not None
            command.callback = decorate(command.callback)
            return command

        @functools.wraps(command)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            desk_context().authorize(action)
            return command(*args, **kwargs)

        return cast(CommandFunc, guarded)

    return decorate


def read_new_password(from_stdin: bool) -> str:
    """A new password: one line of stdin, or typed twice at a hidden prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise click.ClickException(
            _("give the new password with --password-stdin, or run in a terminal")
        )
    password: str = click.prompt(
        _("New password"), hide_input=True, confirmation_prompt=True, err=True
    )
    return password


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def run_tui(context: Context, agent: str | None) -> None:
    """Start the desk (the bare `tmdesk` and `tmdesk demo`)."""
    workspace = context.workspace()
    from tmdesk.tui.app import run_desk  # textual only from here on

    run_desk(workspace, agent_login=agent)


def zone_for(context: Context, zone: str | None) -> str:
    """--time-zone, else the zone of the user named by --user, else the desk's."""
    if zone:
        return zone
    if context.user:
        from tmdesk.services.users import find_user

        zone_name: str = find_user(context.user).time_zone
        return zone_name
    return context.workspace().settings.agent_time_zone
