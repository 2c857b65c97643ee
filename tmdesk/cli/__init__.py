"""The `tmdesk` command: the TUI when run bare, sub-commands for scripts and cron.

This module holds the group and its options; the sub-commands live in `tmdesk.cli.commands`,
one module per topic, and are added to the group below. They talk only to services. Errors a
user can cause print one line on stderr and exit 1; textual is imported only when the TUI
starts, so scripted commands stay quick.
"""

from __future__ import annotations

from typing import Any

import click

from tmdesk.cli.commands import (
    db,
    demo,
    dnc,
    export,
    importing,
    keys,
    lists,
    meetings,
    numbering_plan,
    queue,
    report,
    review,
    script,
    telephony,
    users,
    web,
)
from tmdesk.cli.context import Context, run_tui
from tmdesk.cli.help_format import speak_the_desks_language
from tmdesk.errors import TmdeskError
from tmdesk.i18n import LANGUAGES, _, use_language


def _choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        use_language(value, pin=True)  # before the configuration is read: it wins


__all__ = ["Context", "main"]


class DeskGroup(click.Group):
    """Turns our own errors into a one-line message and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TmdeskError as error:
            raise click.ClickException(str(error)) from None
        except Exception as error:
            problem = _database_failure(error)
            if problem is None:
                raise
            raise click.ClickException(problem) from None


def _database_failure(error: Exception) -> str | None:
    """SQLite failing under a command (locked, full disk, damaged pages) as one sentence."""
    if "sqlite" not in type(error).__module__ and "peewee" not in type(error).__module__:
        return None  # not a database error: a bug, keep its traceback
    from tmdesk.services.workspace import database_failure

    return database_failure(error)


@click.group(
    cls=DeskGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=_("tmdesk: the telemarketer's desk. Without a command it starts the desk."),
)
@click.option(
    "--db",
    envvar="TMDESK_DB",
    metavar="PATH_OR_URL",
    help=_("Database file or URL (default: tmdesk.db in the user data folder)."),
)
@click.option(
    "--config",
    envvar="TMDESK_CONFIG",
    type=click.Path(dir_okay=False),
    help=_("TOML configuration file."),
)
@click.option("--agent", metavar="LOGIN", help=_("Sign in as this user (skips the sign-in)."))
@click.option(
    "--lang",
    envvar="TMDESK_LANG",
    type=click.Choice(LANGUAGES),
    is_eager=True,
    expose_value=False,
    callback=_choose_language,
    help=_("The desk's language (default: [desk] language, the environment, else ru)."),
)
@click.option(
    "--user",
    envvar="TMDESK_USER",
    metavar="LOGIN",
    help=_("Who runs supervisor commands (password: TMDESK_PASSWORD or a prompt)."),
)
@click.version_option(package_name="tmdesk")
@click.pass_context
def main(
    ctx: click.Context, db: str | None, config: str | None, agent: str | None, user: str | None
) -> None:
    ctx.obj = Context(db, config, user)
    if ctx.invoked_subcommand is None:
        run_tui(ctx.obj, agent)


for command in (
    users.users,
    db.db_group,
    importing.import_command,
    numbering_plan.numbering_plan,
    keys.keys_command,
    queue.queue_command,
    queue.calls_command,
    demo.demo_command,
    dnc.dnc_group,
    script.script_group,
    export.export_group,
    meetings.specialists_group,
    meetings.meetings_command,
    meetings.slots_command,
    report.report_command,
    review.review_group,
    lists.lists_group,
    telephony.telephony,
    web.web_command,
    web.web_tab_command,
):
    main.add_command(command)

speak_the_desks_language(main)
