"""The sub-commands live in tmdesk.cli.commands and `tmdesk.cli` adds each one to the group:
a command module that is written but never added, or that registers itself on `main` when
imported, is caught here."""

import ast
import importlib
import pkgutil
from pathlib import Path

import click

import tmdesk.cli.commands as commands_package
from tmdesk.cli import main


def _command_modules():
    for info in pkgutil.iter_modules(commands_package.__path__):
        yield importlib.import_module(f"{commands_package.__name__}.{info.name}")


def _reachable(group: click.Group) -> set[int]:
    found = set()
    for command in group.commands.values():
        found.add(id(command))
        if isinstance(command, click.Group):
            found |= _reachable(command)
    return found


def test_every_command_of_the_command_modules_is_reachable_from_tmdesk():
    reachable = _reachable(main)
    defined = {
        (module.__name__, name): value
        for module in _command_modules()
        for name, value in vars(module).items()
        if isinstance(value, click.Command)
    }
    assert len(defined) >= 30  # every topic's commands, not an empty package
    missing = [where for where, command in defined.items() if id(command) not in reachable]
    assert not missing


def test_the_command_modules_do_not_import_the_group():
    for module in _command_modules():
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        imported = {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module is not None
        }
        assert "tmdesk.cli" not in imported, module.__name__  # no `from tmdesk.cli import main`
