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

from tmdesk.domain.phones import national_format
from tmdesk.domain.scripts import (
    ROLES,
    AnswerValue,
    DecisionMakerRules,
    Person,
    Question,
    picked_options,
)
from tmdesk.domain.text import one_line
from tmdesk.i18n import _
from tmdesk.tui.desk.work import LeadCard
from tmdesk.tui.qualification.display import (
    people_rules_label,
    phone_echo,
    role_label,
    short_role_label,
)
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
        # (question id, option value) when a picked option added this person
        self.from_option: tuple[str, str] | None = None

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
                (role_label(role), "$text-accent")
                if role
                else (_("the role? press its key"), "bold $text-warning"),
            ),
        )

    def read(self) -> Person:
        role = self.query_one(".person-role", PickField)
        values: dict[str, Any] = {
            name: self.query_one(f".person-{name}", Input).value for name in self.FIELDS
        }
        chosen = self.roles[min(role.chosen)] if role.chosen else ""  # not chosen yet
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
        if event.field.chosen:
            self.focus_first_open()  # on to what is still missing, if anything

    def on_descendant_focus(self) -> None:
        # the whole person comes into view, in the middle of the form; a person just added
        # has no place until the next layout (scrolling to it now would do nothing)
        self.call_after_refresh(self.screen.scroll_to_center, self, animate=False)

    def untouched(self) -> bool:
        """Nothing typed beyond what the form put in (role and position)."""
        person = self.read()
        return not (person.name.strip() or person.phone.strip() or person.email.strip())

    def focus_first(self) -> None:
        self.query_one(".person-name", Input).focus()

    def focus_first_open(self) -> None:
        """The role while none is chosen (one key chooses it), else the first empty field
        (the e-mail only when there is no phone either); else the role."""
        role = self.query_one(".person-role", PickField)
        if not role.chosen:
            role.focus()
            return
        values = {name: self.query_one(f".person-{name}", Input) for name in self.FIELDS}
        for name in ("name", "position", "phone", "email"):
            if name == "email" and values["phone"].value.strip():
                break
            if not values[name].value.strip():
                values[name].focus()
                return
        role.focus()


class PeopleSection(Vertical):
    """The decision makers of the form: the script's rules, one row per person, what is
    still wrong with them. Rows are added by a key, or by an option the script marks with
    `person`; the form reads them (`read`) and listens to `PersonRow.Changed`."""

    def __init__(
        self,
        people: list[Person],
        rules: DecisionMakerRules,
        region: str,
        keys: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(id="qual-people", **kwargs)
        self.people = people
        self.rules = rules
        self.default_region = region
        self.keys = keys

    def compose(self) -> ComposeResult:
        yield Static(
            Content(
                _("Decision makers · {add} add · {remove} remove").format(
                    add=self.keys["add-person"], remove=self.keys["remove-person"]
                )
            ),
            classes="section-title",
        )
        rules = people_rules_label(self.rules)
        if rules:
            yield Static(Content(rules), id="people-rules")
        with Vertical(id="people-rows"):
            for person in self.people:
                yield self.row_for(person)
        yield Static("", id="people-problems")

    def on_mount(self) -> None:
        self.number()

    def row_for(self, person: Person) -> PersonRow:
        return PersonRow(person, self.rules.roles, self.default_region)

    def rows(self) -> list[PersonRow]:
        return list(self.query(PersonRow))

    def read(self) -> list[Person]:
        return [row.read() for row in self.rows()]

    def number(self) -> None:
        for n, row in enumerate(self.rows(), 1):
            row.number(n)

    def show_problems(self, problems: list[str]) -> None:
        show_text(
            self.query_one("#people-problems", Static),
            Content("\n".join("• " + p for p in problems)),
        )

    async def add(self, person: Person) -> PersonRow:
        row = self.row_for(person)
        await self.query_one("#people-rows").mount(row)
        self.number()
        return row

    async def add_next(self) -> None:
        """A new person (the add key), with the first role nobody has yet; focus on the
        name."""
        roles = self.rules.roles
        present = {p.role for p in self.read()}
        role = next(
            (r for r in ROLES if r in roles and r not in present), roles[0] if roles else "other"
        )
        row = await self.add(Person(role=role))
        row.focus_first()

    async def remove_focused(self) -> bool:
        """Remove the person the focus is in; False when the focus is in none."""
        focused = self.screen.focused
        rows = self.rows()
        row = next(
            (r for r in rows if focused is not None and (focused is r or r in focused.ancestors)),
            None,
        )
        if row is None:
            return False
        index = rows.index(row)
        await row.remove()
        self.number()
        rest = self.rows()
        if rest:
            rest[min(index, len(rest) - 1)].focus_first()
        return True

    async def from_options(self, question: Question, value: AnswerValue | None) -> bool:
        """An option the script marks with `person` (e.g. «Собственник»): picked, it adds a
        person with that role and the option as the position; unpicked, that person goes
        again while nothing more was typed for them. True when the rows changed."""
        marked = [o for o in question.options if o.person]
        if not marked:
            return False
        picked = set(picked_options(value))
        changed = False
        for option in marked:
            mine = next(
                (
                    row
                    for row in self.rows()
                    if row.from_option == (question.id, option.value)
                    or (row.read().role, row.read().position) == (option.person, option.label)
                ),
                None,
            )
            if option.value in picked and mine is None:
                row = await self.add(Person(role=option.person or "", position=option.label))
                row.from_option = (question.id, option.value)
                changed = True
            elif option.value not in picked and mine is not None and mine.untouched():
                await mine.remove()
                self.number()
                changed = True
        return changed

    def focus_first_open(self) -> None:
        """The first person's first open field (its role when none is chosen), scrolled into
        view; with nobody listed, the section itself comes into view."""
        rows = self.rows()
        if rows:
            rows[0].focus_first_open()
        if not rows:
            self.call_after_refresh(self.scroll_visible, animate=False, top=True)


def contact_as_person(card: LeadCard) -> list[Person]:
    """The lead's contact, as the first decision maker of a new form: name, position,
    phone and e-mail from the lead card; the role waits for its key (the agent confirms
    who the contact is)."""
    if not card.contact.strip():
        return []
    phone = national_format(card.phone_e164) if card.phone_e164 else ""
    if phone and card.phone_ext:
        phone += " " + _("ext. {ext}").format(ext=card.phone_ext)  # the parser reads both
    return [
        Person(
            role="",
            name=one_line(card.contact),
            position=one_line(card.position),
            phone=phone,
            email=card.email.strip(),
        )
    ]
