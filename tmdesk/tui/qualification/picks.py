"""The pickers of the qualification form: a list of choices picked by the key shown beside
each (1…9, a…), yes / no by y / n / д / н, and the one-line typed answer.

Enter on a picker (and on a typed answer) posts `Done`: the form moves the focus on.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from tmdesk.domain.keyboard import NO_LETTERS, YES_LETTERS, latin_letter
from tmdesk.domain.scripts import option_key
from tmdesk.i18n import _

# Option letters work whichever layout is on: a Cyrillic letter counts as the Latin one of
# its key (tmdesk.domain.keyboard). Yes/no are the answer words' first letters, shown beside
# them (y/д yes, n/н no), as in every yes/no question of the desk.
_YES_KEYS = frozenset((*YES_LETTERS, "1", "+"))
_NO_KEYS = frozenset((*NO_LETTERS, "0", "-"))


@dataclass
class Next(Message):
    """Enter on a field: the agent is done with it, the form moves the focus on."""

    widget: Widget


def show_text(static: Static, content: Content) -> None:
    """Update a Static only when its text changes (each update costs a layout pass), and
    show it only when it has something to say."""
    shown = static.visual
    if not (
        isinstance(shown, Content) and shown.plain == content.plain and shown.spans == content.spans
    ):
        static.update(content)
    if static.display != bool(content):
        static.display = bool(content)


def yes_no_key(character: str) -> bool | None:
    key = character.casefold()
    if key in _YES_KEYS:
        return True
    if key in _NO_KEYS:
        return False
    return None


class PickField(Widget, can_focus=True):
    """A focusable list of choices picked by the key shown beside each (1…9, a…), space on
    the one under the cursor (↑↓); `chosen` holds the indexes picked."""

    @dataclass
    class Picked(Message):
        field: PickField

    def __init__(
        self,
        labels: list[str],
        *,
        multiple: bool = False,
        keys: list[str] | None = None,
        inline: bool = False,
        suggested: int | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.labels = labels
        # what the desk knows (the lead's district): the cursor starts there, Enter confirms
        self.suggested = suggested
        self.keys = keys or [option_key(i) for i in range(len(labels))]
        self.multiple = multiple
        self.inline = inline  # the options on one line (short ones), not one per line
        self.chosen: set[int] = set()
        self.cursor = suggested or 0

    def render(self) -> Content:
        items = []
        focused = self.has_focus
        for index, label in enumerate(self.labels):
            picked = index in self.chosen
            if self.multiple:
                mark = "[x]" if picked else "[ ]"
            else:
                mark = "(•)" if picked else "( )"
            pointer = "›" if focused and index == self.cursor else " "
            style = "bold $text-success" if picked else ""
            if focused and index == self.cursor:
                style = (style + " reverse").strip()
            line = Content.assemble(
                pointer,
                (f"{mark} ", style),
                (self.keys[index], "bold $text-accent"),
                " ",
                (label, style),
            )
            if index == self.suggested and not self.chosen:
                hint = _("← from the lead card, Enter confirms")
                line = Content.assemble(line, " ", (hint, "italic $text-muted"))
            items.append(line)
        return Content(" " if self.inline else "\n").join(items)

    def on_focus(self) -> None:
        if self.chosen and not self.multiple:
            self.cursor = min(self.chosen)
        elif not self.chosen and self.suggested is not None:
            self.cursor = self.suggested
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def set_chosen(self, chosen: set[int]) -> None:
        self.chosen = set(chosen)
        self.refresh()

    def pick(self, index: int) -> None:
        self.cursor = index
        if self.multiple:
            self.chosen ^= {index}
        else:
            self.chosen = {index}
        self.refresh()
        self.post_message(self.Picked(self))

    def clear(self) -> None:
        if self.chosen:
            self.chosen = set()
            self.refresh()
            self.post_message(self.Picked(self))

    def index_for(self, character: str) -> int | None:
        key = latin_letter(character)
        return self.keys.index(key) if key in self.keys else None

    def on_key(self, event: events.Key) -> None:
        handled = True
        if event.key in ("up", "left") and (self.inline or event.key == "up"):
            self.cursor = max(0, self.cursor - 1)
            self.refresh()
        elif event.key in ("down", "right") and (self.inline or event.key == "down"):
            self.cursor = min(len(self.labels) - 1, self.cursor + 1)
            self.refresh()
        elif event.key == "space":
            if self.multiple or self.cursor not in self.chosen:
                self.pick(self.cursor)
        elif event.key in ("backspace", "delete"):
            self.clear()
        elif event.key == "enter":
            if not self.multiple and not self.chosen:
                self.pick(self.cursor)
            else:
                self.post_message(Next(self))
        elif event.character and event.is_printable:
            index = self.index_for(event.character)
            if index is not None:
                self.pick(index)
            else:
                self.app.bell()
        else:
            handled = False
        if handled:
            event.stop()
            event.prevent_default()


class YesNoField(PickField):
    """Yes / no: y or д (also 1, +) for yes, n or н (also 0, -) for no."""

    def __init__(self, yes: str, no: str, **kwargs) -> None:
        super().__init__([yes, no], keys=["y", "n"], **kwargs)

    @property
    def value(self) -> bool | None:
        return None if not self.chosen else 0 in self.chosen

    def show(self, value: bool | None) -> None:
        self.set_chosen(set() if value is None else {0 if value else 1})

    def render(self) -> Content:
        focused = self.has_focus
        parts: list[Content | str | tuple[str, str]] = []
        for index, label in enumerate(self.labels):
            picked = index in self.chosen
            style = "bold $text-success" if picked else ""
            if focused and index == self.cursor:
                style = (style + " reverse").strip()
            parts += [
                ("(•) " if picked else "( ) ", style),
                (label, style),
                " ",
                (("y/д", "n/н")[index], "$text-accent"),
                "   ",
            ]
        return Content.assemble(*parts)

    def index_for(self, character: str) -> int | None:
        value = yes_no_key(character)
        return None if value is None else (0 if value else 1)

    def on_key(self, event: events.Key) -> None:
        if event.key in ("left", "right"):
            self.cursor = 0 if event.key == "left" else 1
            self.refresh()
            event.stop()
            event.prevent_default()
            return
        if event.key in ("up", "down"):
            return  # nothing to move through: let the form scroll
        super().on_key(event)


class AnswerInput(Input):
    """A typed answer (text, number, date) on one line."""

    def __init__(self, **kwargs) -> None:
        super().__init__(compact=True, select_on_focus=False, **kwargs)

    async def action_submit(self) -> None:  # async like Input's own, which it replaces
        self.post_message(Next(self))
