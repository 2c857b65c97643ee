"""Textual's own English that reaches a user of the desk, put in our catalogue.

The labels of the keys of Textual's widgets (Input, TextArea, DataTable, OptionList,
DirectoryTree, the screens and the command palette) show in the F1 panel; tui/keys.py
translates them on their way there like ours, so they only need to be in the catalogue:
this tuple is what pybabel extracts. The command palette's own commands and placeholder are
translated by DeskApp (SYSTEM_COMMANDS, PALETTE_PLACEHOLDER), its "No matches found" by
DeskCommandPalette (tui/palette.py). The headings Textual gives its widgets' keys in the F1
panel (Input's) are class attributes read when the panel is drawn: translate_group_titles()
makes them translate as they are read.
Textual upgrades may add words: `python -m tmdesk.tui.textual_words` lists the labels of
those widgets that are not here.
"""

from __future__ import annotations

from textual.widgets import Input

from tmdesk.i18n import N_, _

KEY_LABELS = (
    # DataTable, OptionList, DirectoryTree: moving in a table or a list
    N_("Cursor up"),
    N_("Cursor down"),
    N_("Cursor left"),
    N_("Cursor right"),
    N_("Cursor Up"),
    N_("Cursor Down"),
    N_("Home"),
    N_("End"),
    N_("Page up"),
    N_("Page down"),
    N_("Page Up"),
    N_("Page Down"),
    N_("Page Left"),
    N_("Page Right"),
    N_("Select"),
    N_("Top"),
    N_("Bottom"),
    N_("Up"),
    N_("Down"),
    N_("First"),
    N_("Last"),
    N_("Scroll Up"),
    N_("Scroll Down"),
    N_("Scroll Left"),
    N_("Scroll Right"),
    N_("Scroll Home"),
    N_("Scroll End"),
    N_("Cursor to parent"),
    N_("Cursor to next ancestor"),
    N_("Cursor to previous sibling"),
    N_("Cursor to next sibling"),
    N_("Toggle"),
    N_("Expand or collapse all"),
    # Input: a one-line field
    N_("Move cursor left"),
    N_("Move cursor right or accept the completion suggestion"),
    N_("Go to start"),
    N_("Go to end"),
    N_("Move cursor left and select"),
    N_("Move cursor left a word"),
    N_("Move cursor left a word and select"),
    N_("Move cursor right and select"),
    N_("Move cursor right a word"),
    N_("Move cursor right a word and select"),
    N_("Delete character left"),
    N_("Delete character right"),
    N_("Select all"),
    N_("Select line start"),
    N_("Select line end"),
    N_("Submit"),
    N_("Delete left to start of word"),
    N_("Delete right to start of word"),
    N_("Delete all to the left"),
    N_("Delete all to the right"),
    N_("Cut selected text"),
    N_("Copy selected text"),
    N_("Paste text from the clipboard"),
    # TextArea: the notes and the agenda
    N_("Cursor line start"),
    N_("Cursor line end"),
    N_("Cursor page up"),
    N_("Cursor page down"),
    N_("Cursor word left"),
    N_("Cursor word right"),
    N_("Cursor left word select"),
    N_("Cursor right word select"),
    N_("Cursor line start select"),
    N_("Cursor line end select"),
    N_("Cursor up select"),
    N_("Cursor down select"),
    N_("Cursor left select"),
    N_("Cursor right select"),
    N_("Select line"),
    N_("Cut"),
    N_("Copy"),
    N_("Paste"),
    N_("Delete to line start"),
    N_("Delete to line end"),
    N_("Delete line"),
    N_("Undo"),
    N_("Redo"),
    # every screen, the app and the command palette
    N_("Focus Next"),
    N_("Focus Previous"),
    N_("Quit"),
    N_("Quit the app and return to the command prompt."),
    N_("Next command"),
    N_("Previous command"),
    N_("Next page"),
    N_("Previous page"),
    N_("Go to top"),
    N_("Go to bottom"),
    N_("Exit the command palette"),
    # the app's ctrl+p, which Textual adds when the app starts (the footer shows it right)
    N_("palette"),
    N_("Open the command palette"),
)


# F1 panel headings: Textual's BINDING_GROUP_TITLE of its widgets the desk uses
GROUP_TITLES = {Input: N_("Input")}

# Textual's own line of the command palette (DeskCommandPalette translates it)
PALETTE_WORDS = (N_("No matches found"),)


class TranslatedTitle:
    """A class attribute in the language spoken when it is read (not when it was set)."""

    def __init__(self, msgid: str) -> None:
        self.msgid = msgid

    def __get__(self, node: object, owner: type | None = None) -> str:
        return _(self.msgid)


def translate_group_titles() -> None:
    for widget, msgid in GROUP_TITLES.items():
        widget.BINDING_GROUP_TITLE = TranslatedTitle(msgid)  # type: ignore[assignment]


def missing() -> list[str]:
    """Labels of Textual's keys on the widgets the desk uses that KEY_LABELS lacks."""
    from textual import widgets
    from textual.app import App
    from textual.command import CommandPalette
    from textual.screen import Screen

    known = set(KEY_LABELS)
    found: list[str] = []
    for kind in (
        widgets.DataTable,
        widgets.DirectoryTree,
        widgets.Input,
        widgets.OptionList,
        widgets.TextArea,
        App,
        Screen,
        CommandPalette,
    ):
        for _key, binding in kind._merged_bindings or ():
            for text in (binding.description, binding.tooltip):
                if text and not binding.system and text not in known and text not in found:
                    found.append(text)
        title = kind.__dict__.get("BINDING_GROUP_TITLE")
        if isinstance(title, str) and title not in GROUP_TITLES.values() and title not in found:
            found.append(title)  # a heading not yet in GROUP_TITLES
    return found


if __name__ == "__main__":
    print("\n".join(missing()) or "every label is in KEY_LABELS")
