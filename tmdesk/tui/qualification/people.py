"""One decision maker on the qualification form: role (picked by a key), name, position,
phone (echoed as the desk will store it), e-mail. A row posts `PersonRow.Changed`.

User data (names) is shown as Content, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from tmdesk.domain.scripts import Person
from tmdesk.i18n import _
from tmdesk.tui.qualification.display import phone_echo, role_label, short_role_label
from tmdesk.tui.qualification.picks import AnswerInput, PickField, show_text


class PersonRow(Vertical):
    """One person: role (1…4), name, position, phone (echoed as stored), e-mail."""

    @dataclass
    class Changed(Message):
        row: PersonRow
        picked: bool = False  # the role, by a key

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
        self.post_message(self.Changed(self, picked=True))

    def focus_first(self) -> None:
        self.query_one(".person-name", Input).focus()

    def focus_first_open(self) -> None:
        """The role while none is chosen (one key chooses it), else the first empty field."""
        role = self.query_one(".person-role", PickField)
        if not role.chosen:
            role.focus()
            return
        for name in self.FIELDS:
            field = self.query_one(f".person-{name}", Input)
            if not field.value.strip():
                field.focus()
                return
        role.focus()

    def on_descendant_focus(self) -> None:
        self.call_after_refresh(self.scroll_visible, animate=False)
