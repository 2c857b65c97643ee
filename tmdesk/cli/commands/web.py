"""`tmdesk web`: the desk in a browser, one desk process per tab (`tmdesk web-tab`, hidden)."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

import click

from tmdesk.cli.context import Context, pass_context
from tmdesk.i18n import _
from tmdesk.web import ADDRESS_VARIABLE
from tmdesk.web.uploads import upload_root as upload_root_of

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def parse_listen(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise click.ClickException(
            _("--listen: expected HOST:PORT like 127.0.0.1:8000, not {value!r}").format(value=text)
        )
    return host.strip("[]"), int(port)


def tab_command(database: str, config: str | None) -> str:
    """The shell command textual-serve runs for each tab: this desk, this database."""
    words = [sys.executable, "-m", "tmdesk", "--db", database]
    if config:
        words += ["--config", str(Path(config).resolve())]
    # exec: the shell textual-serve starts becomes the desk, one process per tab, not two
    return "exec " + shlex.join([*words, "web-tab"])


@click.command("web")
@click.option(
    "--listen",
    default="127.0.0.1:8000",
    show_default=True,
    metavar="HOST:PORT",
    help=_("Where to accept browsers (put nginx with TLS in front)."),
)
@click.option(
    "--public-url",
    metavar="URL",
    help=_("The address browsers use, e.g. https://desk.example.ru (behind a proxy)."),
)
@pass_context
def web_command(context: Context, listen: str, public_url: str | None) -> None:
    """Serve the desk to browsers: everyone signs in with a password."""
    host, port = parse_listen(listen)
    if public_url is not None:
        public_url = public_url.rstrip("/")
        if not public_url.startswith(("http://", "https://")):
            raise click.ClickException(
                _(
                    "--public-url: expected an address like https://desk.example.ru, not {value!r}"
                ).format(value=public_url)
            )
    if public_url is None and host not in LOOPBACK:
        raise click.ClickException(
            _("--listen {listen} needs --public-url, the address the browsers use").format(
                listen=listen
            )
        )
    workspace = context.workspace()
    database = str(workspace.sqlite_file or workspace.target)
    try:
        upload_root = upload_root_of(workspace.settings.web.upload_dir, workspace.sqlite_file)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    _warn_about_users_without_password()
    _warn_about_browser_keys(workspace.settings.keys)
    from tmdesk.web.server import DeskServer  # aiohttp only from here on

    command = tab_command(database, context.config)
    DeskServer(command, host, port, public_url, upload_root).serve()


def _warn_about_users_without_password() -> None:
    from tmdesk.services.auth import logins_with_password
    from tmdesk.services.users import list_users

    with_password = logins_with_password()
    missing = [user.login for user in list_users() if user.login not in with_password]
    if missing:
        click.echo(
            _(
                "warning: {logins} cannot sign in from a browser without a password; "
                "set one with `tmdesk users passwd LOGIN`"
            ).format(logins=", ".join(missing)),
            err=True,
        )


def _warn_about_browser_keys(overrides: dict[str, str]) -> None:
    """Name the [keys] entries a browser keeps (the defaults it keeps are replaced already)."""
    from tmdesk.services.keymap import BROWSER_KEYS, effective_keymap

    taken = {
        binding: key
        for binding, keys in effective_keymap(overrides, browser=True).items()
        for key in keys.split(",")
        if key.strip() in BROWSER_KEYS
    }
    if taken:
        click.echo(
            _(
                "warning: browsers keep {keys} for themselves, so these actions need other "
                "keys in [keys] for browser users: {ids}"
            ).format(keys=", ".join(sorted(set(taken.values()))), ids=", ".join(sorted(taken))),
            err=True,
        )


@click.command("web-tab", hidden=True)
@pass_context
def web_tab_command(context: Context) -> None:
    """One browser tab's desk (started by `tmdesk web`)."""
    workspace = context.workspace()
    from tmdesk.tui.app import BrowserTab, run_desk

    run_desk(workspace, browser=BrowserTab(os.environ.get(ADDRESS_VARIABLE, "")))
