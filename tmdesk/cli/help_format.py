"""Click's own words in the help (Usage, Options, Commands, "Show this message and exit.")
in the desk's language: click asks the system's gettext, which knows no catalogue of ours.
(click_words.py routes the rest of click's sentences: its errors, "[default: …]".)

Every command of the group gets DeskContext (speak_the_desks_language), whose formatter
translates the headings and the help of click's own options by our catalogue.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import click

from tmdesk.i18n import N_, _

# click's words, as click writes them (the msgids of our catalogue)
CLICK_WORDS = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Arguments"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
)
# the usage line's placeholders, which click writes without asking gettext
USAGE_WORDS = {
    "[OPTIONS]": N_("[OPTIONS]"),
    "COMMAND [ARGS]...": N_("COMMAND [ARGS]..."),
    "[COMMAND] [ARGS]...": N_("[COMMAND] [ARGS]..."),
}


class DeskHelpFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix if prefix is not None else _("Usage:") + " ")

    def write_heading(self, heading: str) -> None:
        super().write_heading(_(heading))

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        # our options' help is translated already; click's own (--help, --version) is not
        super().write_dl([(term, _(text) if text else text) for term, text in rows], col_max,
                         col_spacing)  # fmt: skip


class DeskContext(click.Context):
    formatter_class = DeskHelpFormatter


def _commands(command: click.Command) -> Iterator[click.Command]:
    yield command
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from _commands(sub)


def speak_the_desks_language(group: click.Group) -> None:
    """Every command of `group` (and the group) formats its help with DeskHelpFormatter,
    and its usage line's placeholders are in the desk's language (the help texts' own: that
    of the import, which `--lang` on the command line chose)."""
    for command in _commands(group):
        command.context_class = DeskContext
        if command.options_metavar in USAGE_WORDS:
            command.options_metavar = _(USAGE_WORDS[command.options_metavar])
        if isinstance(command, click.Group) and command.subcommand_metavar in USAGE_WORDS:
            command.subcommand_metavar = _(USAGE_WORDS[command.subcommand_metavar])
