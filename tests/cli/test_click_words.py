"""Click's own sentences (usage errors, "Error:", "[default: …]", "Aborted!") follow the desk's
language: `tmdesk --lang ru` with a mistake answers in Russian, `--lang en` in English."""

from __future__ import annotations

import os
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from tmdesk import i18n
from tmdesk.cli import main
from tmdesk.cli.commands import users


def _run(*arguments: str, input: str | None = None):
    return CliRunner().invoke(main, list(arguments), input=input)


@pytest.mark.parametrize(
    ("arguments", "russian", "english"),
    [
        (
            ["users", "list", "--bogus"],
            ["Ошибка: Нет такого параметра: '--bogus'.", "Справка: «", "list --help»."],
            ["Error: No such option '--bogus'.", "Try '", "list --help' for help."],
        ),
        (
            ["users", "add"],
            ["Ошибка: Не указан аргумент 'LOGIN'."],
            ["Error: Missing argument 'LOGIN'."],
        ),
        (
            ["users", "add", "anna", "--name", "Анна", "--role", "boss"],
            ["Неверное значение '--role': 'boss' — не из вариантов: 'agent', 'supervisor'."],
            ["Invalid value for '--role': 'boss' is not one of 'agent', 'supervisor'."],
        ),
        (
            ["users", "list", "extra", "words"],
            ["Ошибка: Лишние аргументы (extra words)"],
            ["Error: Got unexpected extra arguments (extra words)"],
        ),
        (
            ["users", "add", "anna"],
            ["Ошибка: Не указан параметр '--name'."],
            ["Error: Missing option '--name'."],
        ),
    ],
)
def test_a_mistake_on_the_command_line_is_told_in_the_desks_language(arguments, russian, english):
    said = _run("--lang", "ru", *arguments)
    assert said.exit_code == 2
    for words in russian:
        assert words in said.output, said.output
    for words in ("Error:", "Usage:", "Try '"):
        assert words not in said.output
    assert "Использование:" in said.output

    said = _run("--lang", "en", *arguments)
    assert said.exit_code == 2
    for words in english:
        assert words in said.output, said.output
    assert "Ошибка" not in said.output


def test_help_marks_defaults_and_required_options_in_the_desks_language():
    russian = _run("--lang", "ru", "users", "add", "--help").output
    assert "[по умолчанию: agent]" in russian and "[обязательно]" in russian
    assert "default:" not in russian and "required]" not in russian
    english = _run("--lang", "en", "users", "add", "--help").output
    assert "[default: agent]" in english and "[required]" in english
    assert "по умолчанию:" not in english


def test_an_interrupted_prompt_says_aborted_in_the_desks_language(desk, monkeypatch):
    def ctrl_c_at_the_prompt(from_stdin: bool) -> str:
        raise click.Abort()  # what click.prompt raises on Ctrl+C or end of input

    monkeypatch.setattr(users, "read_new_password", ctrl_c_at_the_prompt)
    arguments = ["users", "add", "boss", "--name", "Ирина", "--role", "supervisor"]
    said = desk("--lang", "ru", *arguments, ok=False)
    assert said.exit_code == 1
    assert "Прервано." in said.output and "Aborted!" not in said.output
    said = desk("--lang", "en", *arguments, ok=False)
    assert said.exit_code == 1 and "Aborted!" in said.output


@pytest.mark.slow
def test_a_real_tmdesk_process_tells_a_mistake_before_the_command_in_russian(tmp_path):
    """A mistake before any command is found while click parses, before --lang's callback:
    the --lang read from the command line before click (cli/language.py) has chosen."""
    env = {k: v for k, v in os.environ.items() if k not in (*i18n.ENVIRONMENT, i18n.OVERRIDE)}
    done = subprocess.run(
        [sys.executable, "-m", "tmdesk", "--lang", "ru", "--bogus"],
        env={**env, "LANG": "en_US.UTF-8"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Ошибка: Нет такого параметра: '--bogus'. Может быть, '--user'?" in done.stderr
    assert "Использование: python -m tmdesk [ПАРАМЕТРЫ] [КОМАНДА] [АРГУМЕНТЫ]..." in done.stderr
