"""Small dialogs of the supervisor workspace: a form of a few fields, a pick from a list,
a yes/no question. Each is a ModalScreen that returns its answer (None when cancelled).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tmdesk.domain.keyboard import NO_LETTERS, YES_LETTERS
from tmdesk.i18n import _

T = TypeVar("T")


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    value: str = ""
    placeholder: str = ""
    required: bool = False


class FormDialog(ModalScreen[dict[str, str] | None]):
    """A title, a few text fields and a hint. Enter moves to the next field and, on the
    last, submits; `check` may refuse the values with a message (the dialog stays)."""

    BINDINGS = [Binding("escape", "cancel", _("Cancel"), tooltip=_("Close without saving."))]

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        *,
        hint: str = "",
        check: Callable[[dict[str, str]], str | None] | None = None,
        dialog_id: str = "form-dialog",
    ) -> None:
        super().__init__()
        self._title = title
        self._fields = tuple(fields)
        self._hint = hint
        self._check = check
        self._dialog_id = dialog_id

    def compose(self) -> ComposeResult:
        with Vertical(id=self._dialog_id, classes="dialog form-dialog"):
            # Content, not markup: titles name companies and numbers typed by people
            yield Static(Content(self._title), classes="dialog-title")
            for field in self._fields:
                yield Static(Content(field.label), classes="form-label")
                yield Input(
                    field.value,
                    placeholder=field.placeholder,
                    id=f"field-{field.key}",
                    classes="form-field",
                )
            yield Static("", id="form-error")
            yield Static(
                Content(self._hint or _("Enter: next field, and save on the last · Esc: cancel")),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#form-error", Static).display = False
        self.query_one(f"#field-{self._fields[0].key}", Input).focus()

    def values(self) -> dict[str, str]:
        return {
            field.key: self.query_one(f"#field-{field.key}", Input).value.strip()
            for field in self._fields
        }

    def refuse(self, message: str) -> None:
        error = self.query_one("#form-error", Static)
        error.update(Content(message))
        error.display = True

    @on(Input.Submitted, ".form-field")
    def field_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        keys = [field.key for field in self._fields]
        at = keys.index((event.input.id or "").removeprefix("field-"))
        if at + 1 < len(keys):
            self.query_one(f"#field-{keys[at + 1]}", Input).focus()
            return
        self.submit()

    def submit(self) -> None:
        values = self.values()
        for field in self._fields:
            if field.required and not values[field.key]:
                self.refuse(_("{label}: required.").format(label=field.label.rstrip(":")))
                self.query_one(f"#field-{field.key}", Input).focus()
                return
        problem = self._check(values) if self._check else None
        if problem:
            self.refuse(problem)
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceDialog(ModalScreen[T | None], Generic[T]):
    """Pick one of a few things with the arrows and Enter (or its first letters)."""

    BINDINGS = [Binding("escape", "cancel", _("Cancel"), tooltip=_("Close without choosing."))]

    def __init__(
        self, title: str, choices: Sequence[tuple[str, T]], *, hint: str = "", highlighted: int = 0
    ) -> None:
        super().__init__()
        self._title = title
        self._choices = tuple(choices)
        self._hint = hint
        self._highlighted = highlighted

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog choice-dialog"):
            yield Static(Content(self._title), classes="dialog-title")
            yield OptionList(
                *(Option(Content(label)) for label, _value in self._choices), id="choice-list"
            )
            yield Static(
                Content(self._hint or _("↑↓ choose · Enter: take it · Esc: cancel")),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        options = self.query_one("#choice-list", OptionList)
        if self._choices:
            options.highlighted = max(0, min(self._highlighted, len(self._choices) - 1))
        options.focus()

    @on(OptionList.OptionSelected, "#choice-list")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._choices[event.option_index][1])

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question: Enter, y or д says yes, Escape, n or н says no (as in the form)."""

    BINDINGS = [
        Binding(
            ",".join(("enter", *YES_LETTERS)), "answer(True)", _("Yes"), tooltip=_("Go ahead.")
        ),
        Binding(
            ",".join(("escape", *NO_LETTERS)),
            "answer(False)",
            _("No"),
            tooltip=_("Leave it as it is."),
        ),
    ]

    def __init__(self, title: str, question: str) -> None:
        super().__init__()
        self._title = title
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm-dialog"):
            yield Static(Content(self._title), classes="dialog-title")
            yield Static(Content(self._question))
            yield Static(Content(_("Enter or y/д: yes · Esc or n/н: no")), classes="dialog-hint")

    def action_answer(self, yes: Any) -> None:
        self.dismiss(bool(yes))
