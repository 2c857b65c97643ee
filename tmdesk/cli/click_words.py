"""Click's own sentences (usage errors, "Error: …", "[default: …]", "Aborted!") in the desk's
language.

Click's modules do `from gettext import gettext as _` (and ngettext): they ask the system's
gettext domain, which holds no catalogue of ours, so in Russian mode a mistyped option still
said "Error: No such option". `route_click_words()` points those module-level names at
tmdesk.i18n's, which translate in the language spoken at the moment of the call.
Click only looks its msgids up; they must be in our catalogue, so they are listed here for
pybabel exactly as click's source writes them (click 8.x: check them after an upgrade).
Programmer errors (a bad option declaration) are left out: no user of the desk meets them.
"""

from __future__ import annotations

import importlib

from tmdesk import i18n
from tmdesk.i18n import N_, ngettext

# the modules of click that translate a user-visible word
CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
)

CLICK_SENTENCES = (
    # click.exceptions: every error of the command line
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("Could not open file {filename!r}: {message}"),
    N_("unknown error"),
    # click.core: the command line as a whole and the help's markers
    N_("Aborted!"),
    N_("Missing command."),
    N_("Value must be an iterable."),
    N_("default: {default}"),
    N_("required"),
    N_("env var: {var}"),
    N_("(dynamic)"),
    N_("deprecated"),
    N_("Positional arguments"),
    # click.parser
    N_("Option {name!r} does not take a value."),
    N_("Argument {name!r} takes {nargs} values."),
    # click.types: a value that is not what the option takes
    N_("Choose from:\n\t{choices}"),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{value!r} is not a valid UUID."),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("{name} {filename!r} is not executable."),
    # click.termui: prompts (the supervisor's password)
    N_("Repeat for confirmation"),
    N_("Error: The two entered values do not match."),
    N_("Error: invalid input"),
    N_("Press any key to continue..."),
    # click.decorators
    N_("%(prog)s, version %(version)s"),
    N_("Do you want to continue?"),
    N_("Confirm the action without prompting."),
)


def _click_plurals(n: int) -> list[str]:
    """Never called: click's plural sentences, written as ngettext calls so that pybabel
    extracts them with their plural forms."""
    return [
        ngettext("Got unexpected extra argument ({args})",
                 "Got unexpected extra arguments ({args})", n),
        ngettext("Takes {nargs} values but 1 was given.",
                 "Takes {nargs} values but {len} were given.", n),
        ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", n),
        ngettext("Option {name!r} requires an argument.",
                 "Option {name!r} requires {nargs} arguments.", n),
        ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", n),
        ngettext("{value!r} does not match the format {format}.",
                 "{value!r} does not match the formats {formats}.", n),
        ngettext("{len_type} values are required, but {len_value} was given.",
                 "{len_type} values are required, but {len_value} were given.", n),
    ]  # fmt: skip


def route_click_words() -> None:
    """Click's `_` and `ngettext` become the desk's (idempotent; before any command runs)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = i18n._  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = i18n.ngettext  # type: ignore[attr-defined]
