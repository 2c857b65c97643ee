"""Which language the desk speaks: --lang, [desk] language, the environment, else Russian."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tmdesk import i18n
from tmdesk.cli import main
from tmdesk.cli.language import language_in as cli_language_in
from tmdesk.config import ConfigError, load_settings
from tmdesk.i18n import _, choose_language, ngettext

CREATED_RU = "создана база"  # the start of `db init`'s line in Russian
CREATED_EN = "created "


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "ru"),
        ({"LANG": "C.UTF-8"}, "ru"),  # most servers: no language named, so Russian
        ({"LANG": "POSIX", "LC_ALL": "C"}, "ru"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "ru_RU.UTF-8"}, "ru"),
        ({"LANGUAGE": "ru"}, "ru"),
        ({"LANGUAGE": "de:en", "LANG": "ru_RU.UTF-8"}, "en"),  # a list; German is not ours
        ({"LANG": "de_DE.UTF-8"}, "ru"),  # a language without a catalogue: the default
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "ru_RU.UTF-8"}, "en"),  # LC_ALL before LANG
        ({"LC_MESSAGES": "en_US@euro", "LANG": "ru_RU.UTF-8"}, "en"),
    ],
)
def test_the_environment_chooses_when_it_names_a_language_we_have(environ, expected):
    assert choose_language(environ=environ) == expected


def test_lang_wins_over_the_configuration_which_wins_over_the_environment():
    english = {"LANG": "en_US.UTF-8"}
    assert choose_language(configured="ru", environ=english) == "ru"
    assert choose_language(option="en", configured="ru", environ={"LANG": "ru_RU"}) == "en"
    assert choose_language(configured="en", environ={"TMDESK_LANG": "ru"}) == "ru"
    assert choose_language(option="de", configured="en", environ={}) == "en"  # unknown: skip


def test_russian_plurals_take_all_three_forms():
    i18n.use_language("ru")
    said = {n: ngettext("{n} call", "{n} calls", n).format(n=n) for n in (1, 2, 5, 11, 21, 22, 25)}
    assert said == {
        1: "1 звонок",
        2: "2 звонка",
        5: "5 звонков",
        11: "11 звонков",
        21: "21 звонок",
        22: "22 звонка",
        25: "25 звонков",
    }
    i18n.use_language("en")
    assert ngettext("{n} call", "{n} calls", 21).format(n=21) == "21 calls"
    assert ngettext("{n} call", "{n} calls", 1).format(n=1) == "1 call"


def test_an_untranslated_message_stays_english_in_russian():
    i18n.use_language("ru")
    assert _("a message no catalogue has") == "a message no catalogue has"  # never ""


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="de"):
        i18n.use_language("de")


def _config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "desk.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_the_configuration_names_the_language(tmp_path):
    assert load_settings(_config(tmp_path, '[desk]\nlanguage = "ru"\n')).language == "ru"
    assert load_settings(_config(tmp_path, '[desk]\nlanguage = ""\n')).language == ""
    with pytest.raises(ConfigError) as refused:
        load_settings(_config(tmp_path, '[desk]\nlanguage = "de"\n'))
    assert str(refused.value) == (
        f"{tmp_path / 'desk.toml'}: desk.language: must be one of ru, en, not 'de'"
    )


def _db_init(arguments: list[str], tmp_path: Path, env: dict[str, str | None]) -> str:
    result = CliRunner().invoke(main, [*arguments, "db", "init", str(tmp_path / "new.db")], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_lang_option_switches_the_cli(tmp_path):
    assert _db_init(["--lang", "ru"], tmp_path, {}).startswith(CREATED_RU)


def _new_desk(tmp_path: Path) -> Path:
    """A desk database made by `db init` (which pins English: --lang's TMDESK_LANG), unpinned."""
    _db_init([], tmp_path, {})
    i18n.use_language("en")
    return tmp_path / "new.db"


def test_lang_option_wins_over_the_configuration(tmp_path):
    config = _config(tmp_path, '[desk]\nlanguage = "ru"\n')
    db = _new_desk(tmp_path)
    users = CliRunner().invoke(
        main,
        ["--lang", "en", "--config", str(config), "--db", str(db), "db", "check"],
        env={"TMDESK_LANG": None},
    )
    assert users.exit_code == 0, users.output
    assert i18n.current_language() == "en"


def test_the_configuration_switches_the_desk_when_no_lang_is_given(tmp_path):
    config = _config(tmp_path, '[desk]\nlanguage = "ru"\n')
    db = _new_desk(tmp_path)
    result = CliRunner().invoke(
        main,
        ["--config", str(config), "--db", str(db), "db", "check"],
        env={"TMDESK_LANG": None, "LANG": "en_US.UTF-8"},
    )
    assert result.exit_code == 0, result.output
    assert i18n.current_language() == "ru"


def test_a_wrong_lang_is_one_line_and_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["--lang", "de", "users", "list"])
    assert result.exit_code == 2
    assert "Invalid value for '--lang': 'de' is not one of 'ru', 'en'." in result.output


def _run_tmdesk(tmp_path: Path, *arguments: str, **environ: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in (*i18n.ENVIRONMENT, i18n.OVERRIDE)}
    return subprocess.run(
        [sys.executable, "-m", "tmdesk", *arguments, "db", "init", str(tmp_path / "p.db")],
        env={**env, **environ},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("environ", "arguments", "expected"),
    [
        ({"LANG": "C.UTF-8"}, (), CREATED_RU),  # a server with only C.UTF-8: Russian
        ({"LANG": "en_US.UTF-8"}, (), CREATED_EN),
        ({"LANGUAGE": "ru", "LANG": "en_US.UTF-8"}, (), CREATED_RU),
        ({"LANG": "ru_RU.UTF-8"}, ("--lang", "en"), CREATED_EN),
        ({"TMDESK_LANG": "en"}, (), CREATED_EN),
    ],
)
def test_a_real_tmdesk_process_speaks_the_chosen_language(tmp_path, environ, arguments, expected):
    done = _run_tmdesk(tmp_path, *arguments, **environ)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(expected)


@pytest.mark.slow
def test_help_follows_lang_given_on_the_command_line(tmp_path):
    """Help texts are translated as tmdesk.cli is imported, before click parses: a --lang on
    the command line is already in force then (no help text is translated yet to show it)."""
    code = (
        "import sys; sys.argv[1:] = ['--lang', 'en']; import tmdesk.cli, tmdesk.i18n as i; "
        "print(i.current_language())"
    )
    env = {k: v for k, v in os.environ.items() if k != i18n.OVERRIDE}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "LANG": "ru_RU.UTF-8"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.strip() == "en", done.stderr


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--lang", "en", "users", "list"], "en"),
        (["--db", "x.db", "--lang=ru", "db", "check"], "ru"),
        (["--db", "--lang", "--lang", "en"], "en"),  # a database file named --lang
        (["export", "--lang", "en"], None),  # a command's own option, not the desk's
        (["--lang", "de"], None),
        ([], None),
    ],
)
def test_the_lang_read_before_click_parses_is_the_desks_own(arguments, expected):
    assert cli_language_in(arguments) == expected


@pytest.mark.slow
def test_help_is_russian_to_the_last_word(tmp_path):
    """The commands' own help and click's words (Usage, Options, --help) alike."""
    env = {k: v for k, v in os.environ.items() if k not in (*i18n.ENVIRONMENT, i18n.OVERRIDE)}
    done = subprocess.run(
        [sys.executable, "-m", "tmdesk", "--lang", "ru", "lists", "--help"],
        env={**env, "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    for words in ("Использование:", "Параметры:", "Команды:", "Показать эту справку и выйти.",
                  "Списки обзвона и их ход", "Задать приоритет списка"):  # fmt: skip
        assert words in done.stdout
    for english in ("Usage:", "Options:", "Commands:", "Show this message", "Set a list"):
        assert english not in done.stdout


def test_one_english_word_with_two_meanings_is_two_russian_words():
    """pgettext: the figures' contact rate is «% дозв.», the lead's contact person «Контакт»;
    the chart's group of outcomes "no" has its own entry beside the answer "no"."""
    i18n.use_language("ru")
    assert i18n.pgettext("contact rate", "Contact") == "% дозв."
    assert i18n._("Contact") == "Контакт"
    assert i18n.pgettext("outcome group", "no") == "нет" == i18n._("no")
    i18n.use_language("en")
    assert i18n.pgettext("contact rate", "Contact") == "Contact"
