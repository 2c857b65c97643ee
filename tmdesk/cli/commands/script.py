"""`tmdesk script`: check and list the qualification scripts."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tmdesk.cli.context import (
    echo_json,
)
from tmdesk.i18n import _


@click.group("script", help=_("Qualification scripts (TOML files, see data/scripts/README.md)."))
def script_group() -> None:
    pass


@script_group.command(
    "check", help=_("Check a script file: every problem as FILE:LINE: message, exit 1 if any.")
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def script_check(file: Path) -> None:
    from tmdesk.services.qualification import check_script_file

    script, problems = check_script_file(file)
    if problems:
        for problem in problems:
            click.echo(str(problem))
        click.echo(_("{file}: {n} problem(s)").format(file=file, n=len(problems)), err=True)
        sys.exit(1)
    assert script is not None  # no problems: a script
    click.echo(
        _("ok: {key} v{version}, {n} questions").format(
            key=script.key, version=script.version, n=len(script.questions)
        )
    )


@script_group.command(
    "list", help=_("The shipped scripts: key, version, questions (or how many problems).")
)
@click.option("--json", "as_json", is_flag=True, help=_("One JSON list on stdout."))
def script_list(as_json: bool) -> None:
    from tmdesk.services.qualification import available_scripts

    found = available_scripts()
    if as_json:
        echo_json(
            [
                {
                    "key": s.key,
                    "title": s.title,
                    "version": s.version,
                    "path": str(s.path),
                    "questions": s.questions,
                    "problems": s.problems,
                }
                for s in found
            ]
        )
        return
    for s in found:
        state = (
            _("{n} questions").format(n=s.questions)
            if not s.problems
            else _("{n} problem(s): tmdesk script check {path}").format(n=s.problems, path=s.path)
        )
        click.echo(f"{s.key:<16} v{s.version:<6} {s.title}  ({state})")
