"""The answer fields of the qualification form: one per question, and one per person.

Every field is driven by keys alone: typed answers (text, numbers, dates) are read as they
are typed, with what the desk understood echoed under them ("→ 15.01.2027") or why it does
not ("no such date 31.02"); choices are picked by the key shown beside each option, yes/no
by y / n / д / н. A field posts `QuestionField.Changed` or `PersonRow.Changed`; the form
decides what follows (visibility, verdict, draft). Over 400 lines: one small widget per
kind of answer, kept together as the form's field kit.

User data (question texts, option labels, names) is shown as Content, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from tmdesk.domain.keyboard import NO_LETTERS, YES_LETTERS, latin_letter
from tmdesk.domain.scripts import (
    AnswerValue,
    Person,
    Question,
    format_answer,
    option_key,
    validate_answer,
)
from tmdesk.i18n import _
from tmdesk.tui.qualification.display import (
    echo_label,
    phone_echo,
    role_label,
    short_role_label,
)

# Option letters work whichever layout is on: a Cyrillic letter counts as the Latin one of
# its key (tmdesk.domain.keyboard). Yes/no are the answer words' first letters, shown beside
# them (y/д yes, n/н no), as in every yes/no question of the desk.
_YES_KEYS = frozenset((*YES_LETTERS, "1", "+"))
_NO_KEYS = frozenset((*NO_LETTERS, "0", "-"))


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
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.labels = labels
        self.keys = keys or [option_key(i) for i in range(len(labels))]
        self.multiple = multiple
        self.inline = inline  # the options on one line (short ones), not one per line
        self.chosen: set[int] = set()
        self.cursor = 0

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
            items.append(
                Content.assemble(
                    pointer,
                    (f"{mark} ", style),
                    (self.keys[index], "bold $text-accent"),
                    " ",
                    (label, style),
                )
            )
        return Content(" " if self.inline else "\n").join(items)

    def on_focus(self) -> None:
        if self.chosen and not self.multiple:
            self.cursor = min(self.chosen)
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
            self.screen.focus_next()
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
        parts: list[Content | str] = []
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

    def action_submit(self) -> None:
        self.screen.focus_next()


def input_placeholder(question: Question) -> str:
    if question.type == "number":
        bounds = []
        if question.min is not None:
            bounds.append(f"≥ {question.min:g}")
        if question.max is not None:
            bounds.append(f"≤ {question.max:g}")
        return _("a number") + (f" ({', '.join(bounds)})" if bounds else "")
    if question.type == "date":
        return _("a date: 15.03, через 2 месяца, в марте, 2 квартал")
    return _("type the answer")


class QuestionField(Vertical):
    """One question: its text, hint, answer field, the echo or error, a knockout."""

    @dataclass
    class Changed(Message):
        """The answer changed: `value` is the accepted answer (None: none), `typed` what is
        typed but not accepted (with `error`)."""

        field: QuestionField

    def __init__(
        self,
        question: Question,
        text: str,
        hint: str,
        today: date,
        language: str,
        value: AnswerValue | None = None,
        typed: str = "",
        **kwargs,
    ) -> None:
        super().__init__(classes="question", id=f"question-{question.id}", **kwargs)
        self.question = question
        self._text = text
        self._hint = hint
        self.today = today
        self.language = language
        self.value: AnswerValue | None = value
        self.typed = typed
        self.error: str | None = None
        self._shown = ""  # the text put into the input by the form, not typed

    def compose(self) -> ComposeResult:
        question = self.question
        label = Content(self._text)
        if question.required:
            label = Content.assemble(label, (" *", "bold $text-error"))
        yield Static(label, classes="question-text")
        if self._hint:
            yield Static(Content(self._hint), classes="question-hint")
        kind = question.type
        if kind == "yes_no":
            yield YesNoField(
                format_answer(question, True, self.language),
                format_answer(question, False, self.language),
                classes="answer",
                id=f"answer-{question.id}",
            )
        elif kind in ("choice", "multi_choice"):
            yield PickField(
                [option.label for option in question.options],
                multiple=kind == "multi_choice",
                classes="answer",
                id=f"answer-{question.id}",
            )
        else:
            yield AnswerInput(
                placeholder=input_placeholder(question),
                classes="answer",
                id=f"answer-{question.id}",
            )
        yield Static("", classes="question-echo")
        yield Static("", classes="question-knockout")

    def on_mount(self) -> None:
        self.show_answer(self.value, self.typed)

    @property
    def answer_widget(self) -> Widget:
        return self.query_one(".answer")

    def show_answer(self, value: AnswerValue | None, typed: str = "") -> None:
        """Put a stored answer (or the typed text) into the field, without a Changed."""
        question = self.question
        self.value, self.typed = value, typed
        widget = self.answer_widget
        if isinstance(widget, YesNoField):
            widget.show(value if isinstance(value, bool) else None)
        elif isinstance(widget, PickField):
            chosen = (value,) if isinstance(value, str) else tuple(value or ())
            widget.set_chosen(
                {i for i, option in enumerate(question.options) if option.value in chosen}
            )
        elif isinstance(widget, AnswerInput):
            text = typed or (
                format_answer(question, value, self.language) if value is not None else ""
            )
            self._shown = text
            widget.value = text
            widget.cursor_position = len(text)
            if typed:
                self.error = validate_answer(question, typed, self.today).error
        self.show_echo()

    def show_echo(self) -> None:
        echo = self.query_one(".question-echo", Static)
        if self.error:
            text = self.error
        elif isinstance(self.answer_widget, AnswerInput):
            text = echo_label(self.question, self.value, self.language)
        else:
            text = ""
        echo.set_class(bool(self.error), "-error")
        show_text(echo, Content(text))

    def show_knockouts(self, reasons: list[str]) -> None:
        line = self.query_one(".question-knockout", Static)
        show_text(line, Content("✗ " + "; ".join(reasons)) if reasons else Content(""))
        self.set_class(bool(reasons), "-knockout")

    @on(AnswerInput.Changed)
    def typed_changed(self, event: Input.Changed) -> None:
        event.stop()
        text = event.value
        if text == self._shown:
            return  # put there by show_answer
        self._shown = ""
        parsed = validate_answer(self.question, text, self.today)
        self.value = parsed.value
        self.error = parsed.error
        self.typed = text.strip() if parsed.error else ""
        self.show_echo()
        self.post_message(self.Changed(self))

    @on(PickField.Picked)
    def picked(self, event: PickField.Picked) -> None:
        event.stop()
        question, widget = self.question, event.field
        if isinstance(widget, YesNoField):
            self.value = widget.value
        elif question.type == "multi_choice":
            self.value = tuple(question.options[i].value for i in sorted(widget.chosen))
        else:
            self.value = question.options[min(widget.chosen)].value if widget.chosen else None
        self.error, self.typed = None, ""
        self.show_echo()
        self.post_message(self.Changed(self))

    def on_descendant_focus(self) -> None:
        # the question text above the field comes into view with it
        self.call_after_refresh(self.scroll_visible, animate=False)


# --- decision makers -------------------------------------------------------------------------


class PersonRow(Vertical):
    """One person: role (1…4), name, position, phone (echoed as stored), e-mail."""

    @dataclass
    class Changed(Message):
        row: PersonRow

    FIELDS = ("name", "position", "phone", "email")

    def __init__(self, person: Person, roles: tuple[str, ...], region: str, **kwargs) -> None:
        super().__init__(classes="person", **kwargs)
        self.person = person
        self.roles = roles
        self.default_region = region
        self.number_shown = 1

    def labels(self) -> dict[str, str]:
        return {
            "name": _("Name"),
            "position": _("Position"),
            "phone": _("Phone"),
            "email": _("E-mail"),
        }

    def compose(self) -> ComposeResult:
        yield Static("", classes="person-title")
        role = PickField(
            [short_role_label(role) for role in self.roles], inline=True, classes="person-role"
        )
        if self.person.role in self.roles:
            role.chosen = {self.roles.index(self.person.role)}
        yield role
        labels = self.labels()
        for name in self.FIELDS:
            with Horizontal(classes="person-line"):
                yield Static(Content(labels[name]), classes="person-label")
                yield AnswerInput(
                    value=getattr(self.person, name), classes=f"person-field person-{name}"
                )
            if name == "phone":
                yield Static("", classes="person-phone-echo")

    def on_mount(self) -> None:
        self.show_title()
        self.show_phone()

    def number(self, n: int) -> None:
        self.number_shown = n
        self.show_title()

    def show_title(self) -> None:
        role = self.read().role
        show_text(
            self.query_one(".person-title", Static),
            Content.assemble(
                _("Person {n}").format(n=self.number_shown),
                " · ",
                (role_label(role), "$text-accent"),
            ),
        )

    def read(self) -> Person:
        role = self.query_one(".person-role", PickField)
        values: dict[str, Any] = {
            name: self.query_one(f".person-{name}", Input).value for name in self.FIELDS
        }
        chosen = self.roles[min(role.chosen)] if role.chosen else "other"
        return Person(role=chosen, **values)

    def show_phone(self) -> None:
        text, ok = phone_echo(self.query_one(".person-phone", Input).value, self.default_region)
        echo = self.query_one(".person-phone-echo", Static)
        echo.set_class(not ok, "-error")
        show_text(echo, Content(text))

    @on(Input.Changed)
    def field_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.has_class("person-phone"):
            self.show_phone()
        self.post_message(self.Changed(self))

    @on(PickField.Picked)
    def role_picked(self, event: PickField.Picked) -> None:
        event.stop()
        self.show_title()
        self.post_message(self.Changed(self))

    def focus_first(self) -> None:
        self.query_one(".person-name", Input).focus()

    def on_descendant_focus(self) -> None:
        self.call_after_refresh(self.scroll_visible, animate=False)
