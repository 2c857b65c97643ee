"""`tmdesk web`'s options refused in one line; `users passwd` for agents; the command each
tab runs."""

from __future__ import annotations

import shlex
import sys

import click
from click.testing import CliRunner

from tmdesk.cli.commands.web import tab_command
from tmdesk.services import auth


def test_a_bad_listen_address_is_one_line_and_exit_1(desk):
    result = desk("web", "--listen", "8000", ok=False)
    assert result.exit_code == 1
    assert result.stderr == "Error: --listen: expected HOST:PORT like 127.0.0.1:8000, not '8000'\n"
    result = desk("web", "--listen", "0.0.0.0:8000", ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("needs --public-url, the address the browsers use")
    assert len(result.stderr.strip().splitlines()) == 1
    result = desk("web", "--public-url", "desk.example.ru", ok=False)
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert "--public-url: expected an address like https://desk.example.ru" in result.stderr


def test_an_agent_gets_a_password_for_the_browser(desk):
    desk("users", "add", "anna", "--name", "Анна")
    result = desk("users", "passwd", "anna", "--password-stdin", input="anna-password\n")
    assert "password set for anna" in result.stdout
    assert auth.sign_in("anna", "anna-password", in_browser=True).login == "anna"


def test_the_tab_command_runs_this_desk_on_this_database(tmp_path):
    config = tmp_path / "my desk.toml"
    words = shlex.split(tab_command("/srv/tmdesk/t.db", str(config)))
    assert words == ["exec", sys.executable, "-m", "tmdesk", "--db", "/srv/tmdesk/t.db"] + [
        "--config",
        str(config.resolve()),
        "web-tab",
    ]


def test_keys_a_browser_keeps_for_itself_are_named(tmp_path):
    from tmdesk.cli.commands.web import _warn_about_browser_keys

    runner = CliRunner()

    @click.command()
    def warn() -> None:
        _warn_about_browser_keys(
            {"next-lead": "ctrl+g", "add-person": "ctrl+y", "supervisor-workspace": "ctrl+t"}
        )

    result = runner.invoke(warn)
    assert result.stderr.startswith("warning: browsers keep ctrl+t")
    assert result.stderr.strip().endswith(": supervisor-workspace")
    assert "next-lead" not in result.stderr
    # the defaults a browser keeps have browser-safe ones in web mode: nothing to warn about
    default = runner.invoke(click.command()(lambda: _warn_about_browser_keys({})))
    assert default.stderr == ""
