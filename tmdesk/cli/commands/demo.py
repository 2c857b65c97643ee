"""`tmdesk demo`: a demo database and the desk on it."""

from __future__ import annotations

import click

from tmdesk.cli.context import (
    Context,
    pass_context,
    run_tui,
)
from tmdesk.i18n import _


@click.command("demo", help=_("Create (or reuse) a demo database and start the desk on it."))
@click.option(
    "--db",
    "demo_db",
    metavar="PATH",
    help=_("Demo database file (default: demo.db in the user data folder)."),
)
@click.option("--no-tui", is_flag=True, help=_("Only create the database."))
@click.option("--agent", metavar="LOGIN", help=_("Sign in as this user."))
@pass_context
def demo_command(context: Context, demo_db: str | None, no_tui: bool, agent: str | None) -> None:
    from tmdesk.services.demo import demo_database_path, ensure_demo

    target = demo_db or context.db or str(demo_database_path())
    context.db = target
    workspace = context.workspace(create=True)
    summary = ensure_demo(workspace)
    click.echo(summary, err=True)
    if not no_tui:
        run_tui(context, agent)
