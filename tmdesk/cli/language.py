"""`--lang` before anything is translated: the commands' help texts are translated as their
modules are imported, before click parses the command line, so the language given to
tmdesk itself is read from sys.argv first (tmdesk.cli.commands imports this module)."""

from __future__ import annotations

import sys

from tmdesk.i18n import LANGUAGES, use_language


def language_in(arguments: list[str]) -> str | None:
    """The `--lang` given to tmdesk itself (before the command: `export --lang` is the
    export's own), if it names a language we speak."""
    words = iter(arguments)
    for word in words:
        if word == "--lang" or word.startswith("--lang="):
            value = word.partition("=")[2] or next(words, "")
            return value if value in LANGUAGES else None
        if word in ("--db", "--config", "--agent", "--user"):
            next(words, None)  # their value
        elif not word.startswith("-"):
            return None  # the command: its options are its own
    return None


if (_early := language_in(sys.argv[1:])) is not None:
    use_language(_early, pin=True)
