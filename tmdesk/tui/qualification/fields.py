"""The answer fields of the qualification form: one per question.

Every field is driven by keys alone: typed answers (text, numbers, dates) are read as they
are typed, with what the desk understood echoed under them ("→ 15.01.2027") or why it does
not ("no such date 31.02"); choices are picked by the key shown beside each option, yes/no
by y / n / д / н (tmdesk.tui.qualification.picks). A field posts `QuestionField.Changed`;
the form decides what follows (visibility, verdict, draft, where the focus goes).

User data (question texts, option labels) is shown as Content, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from tmdesk.domain.scripts import (
    AnswerValue,
    Question,
    format_answer,
    picked_options,
    validate_answer,
)
from tmdesk.i18n import _
from tmdesk.tui.qualification.display import echo_label
from tmdesk.tui.qualification.picks import AnswerInput, PickField, YesNoField, show_text


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
        picked: bool = False  # by a key (a choice, yes / no), not typed

    def __init__(
        self,
        question: Question,
        text: str,
        hint: str,
        today: date,
        language: str,
        value: AnswerValue | None = None,
        typed: str = "",
        suggested: int | None = None,
        **kwargs,
    ) -> None:
        super().__init__(classes="question", id=f"question-{question.id}", **kwargs)
        self.suggested = suggested  # the option the lead card suggests (see PickField)
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
                suggested=self.suggested,
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
        if isinstance(widget, PickField):
            if isinstance(widget, YesNoField):
                widget.show(value if isinstance(value, bool) else None)
            else:
                chosen = picked_options(value)
                widget.set_chosen(
                    {i for i, option in enumerate(question.options) if option.value in chosen}
                )
            # an earlier answer that is none of the options (e.g. from an older record)
            self.error = (
                _("earlier answer “{text}”: pick one of the options").format(text=typed)
                if typed
                else None
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
        self.post_message(self.Changed(self, picked=bool(widget.chosen)))

    def on_descendant_focus(self) -> None:
        # the question comes into view with its text, in the middle of the form so what
        # shows or hides around it (and the verdict below growing) leaves it in sight; after
        # the layout, since the answer that moved the focus may have shown new questions
        self.call_after_refresh(self.screen.scroll_to_center, self, animate=False)
