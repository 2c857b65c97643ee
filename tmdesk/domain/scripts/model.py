"""The qualification script as loaded: sections, questions, conditions and rules.

Plain frozen values; the TOML format they come from is described in data/scripts/README.md
and read by tmdesk.domain.scripts.loader.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeAlias

from tmdesk.i18n import N_, Labels

QUESTION_TYPES = ("text", "number", "yes_no", "choice", "multi_choice", "date")
CHOICE_TYPES = ("choice", "multi_choice")
ACTUALITY_ROLES = ("need_now", "purchase_date", "bought_elsewhere")
# The question type each actuality role needs.
ACTUALITY_TYPES = {"need_now": "yes_no", "purchase_date": "date", "bought_elsewhere": "yes_no"}

ROLES = ("decision_maker", "influencer", "approver", "other")
# translated when read: the people's roles are stored as these codes
ROLE_LABELS = Labels(
    {
        "decision_maker": N_("decision maker (ЛПР)"),
        "influencer": N_("influencer (ЛВР)"),
        "approver": N_("approver (АПР)"),
        "other": N_("other"),
    }
)
PERSON_FIELDS = ("name", "position", "phone", "email")

# Filled by the desk from the lead and the agent; a script adds its own in [placeholders].
BUILTIN_PLACEHOLDERS = (
    "agent_name",
    "company",
    "contact_name",
    "contact_position",
    "city",
    "region",
)

# Condition operators: all of a condition's operators must hold.
VALUE_OPERATORS = ("equals", "not_equals", "in", "not_in")
NUMBER_OPERATORS = ("gt", "gte", "lt", "lte")
OPERATORS = (*VALUE_OPERATORS, *NUMBER_OPERATORS, "answered")

# An answer: text → str, number → int | float, yes_no → bool, choice → the option value,
# multi_choice → the chosen option values (in option order), date → date.
AnswerValue: TypeAlias = str | int | float | bool | tuple[str, ...] | list[str] | date
Answers: TypeAlias = Mapping[str, AnswerValue]


def is_answered(value: Any) -> bool:
    """None, blank text and an empty selection are no answer."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple, set, frozenset)):
        return bool(value)
    return True


def picked_options(value: AnswerValue | None) -> tuple[str, ...]:
    """The option values a choice (one) or multiple choice (several) answer holds."""
    if isinstance(value, str):
        return (value,)
    return tuple(value) if isinstance(value, (tuple, list)) else ()


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    person: str | None = None  # picking it adds a person with this role (a decision maker…)


@dataclass(frozen=True)
class Condition:
    """Operators on one question's answer; `question` is None inside a knockout or a score
    rule (the question they belong to)."""

    question: str | None
    operators: tuple[tuple[str, Any], ...]

    def holds(self, value: Any) -> bool:
        answered = is_answered(value)
        for op, arg in self.operators:
            if op == "answered":
                ok = answered is arg
            elif not answered:
                ok = False
            elif op in VALUE_OPERATORS:
                ok = _value_test(op, arg, value)
            else:
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    return False
                ok = {
                    "gt": value > arg,
                    "gte": value >= arg,
                    "lt": value < arg,
                    "lte": value <= arg,
                }[op]
            if not ok:
                return False
        return True


def _fold(value: Any) -> Any:
    return value.casefold().strip() if isinstance(value, str) else value


def _value_test(op: str, arg: Any, value: Any) -> bool:
    if isinstance(value, (list, tuple)):  # a multiple choice: "equals" means "includes"
        chosen = {_fold(v) for v in value}
        if op in ("equals", "not_equals"):
            hit = _fold(arg) in chosen
        else:
            hit = any(_fold(a) in chosen for a in arg)
    elif op in ("equals", "not_equals"):
        hit = _same(value, arg)
    else:
        hit = any(_same(value, a) for a in arg)
    return hit if op in ("equals", "in") else not hit


def _same(value: Any, arg: Any) -> bool:
    if isinstance(value, bool) or isinstance(arg, bool):
        return isinstance(value, bool) and isinstance(arg, bool) and value is arg
    return bool(_fold(value) == _fold(arg))


@dataclass(frozen=True)
class Knockout:
    condition: Condition
    reason: str


@dataclass(frozen=True)
class ScoreRule:
    condition: Condition
    points: int


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    type: str
    section: str
    required: bool = False
    hint: str = ""
    options: tuple[Option, ...] = ()
    min: int | float | None = None
    max: int | float | None = None
    show_if: Condition | None = None
    knockouts: tuple[Knockout, ...] = ()
    actuality: str | None = None
    # "district": the form offers the option naming the federal district of the lead's
    # region, city or phone's place, confirmed with one key (Enter)
    suggest: str | None = None
    # yes_no: {"yes": n, "no": n}; choice / multi_choice: {option value: n} (summed over the
    # chosen options); number: rules, the first that holds gives its points.
    score_points: tuple[tuple[str, int], ...] = ()
    score_rules: tuple[ScoreRule, ...] = ()

    def option(self, value: str) -> Option | None:
        for option in self.options:
            if option.value == value:
                return option
        return None

    def points(self, value: AnswerValue) -> int:
        if not is_answered(value):
            return 0
        table = dict(self.score_points)
        if self.type == "yes_no" and isinstance(value, bool):
            return table.get("yes" if value else "no", 0)
        if self.type == "choice" and isinstance(value, str):
            return table.get(value, 0)
        if self.type == "multi_choice" and isinstance(value, tuple | list):
            return sum(table.get(v, 0) for v in value)
        for rule in self.score_rules:
            if rule.condition.holds(value):
                return rule.points
        return 0


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    say: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class ActualityRules:
    now_within_days: int = 90  # a purchase date within this many days → actual now
    recall_before_days: int = 30  # a later purchase date → recall this many days before it
    bought_elsewhere_months: int = 6  # just bought elsewhere → recall in this many months
    no_need_months: int = 3  # no need now (and no date) → recall in this many months


@dataclass(frozen=True)
class DecisionMakerRules:
    min_count: int = 0
    roles: tuple[str, ...] = ROLES
    required_roles: tuple[str, ...] = ()
    required_fields: tuple[str, ...] = ("name",)
    contact_required: bool = False  # each person needs a phone or an e-mail


@dataclass(frozen=True)
class Routing:
    """[routing]: which answers route the lead to a development specialist (question ids)."""

    region: str | None = None  # matched against the specialists' regions
    specialisation: str | None = None  # matched against their specialisations


@dataclass(frozen=True)
class Script:
    key: str
    title: str
    version: str
    language: str
    sections: tuple[Section, ...]
    actuality: ActualityRules = ActualityRules()
    decision_makers: DecisionMakerRules = DecisionMakerRules()
    placeholders: tuple[tuple[str, str], ...] = ()  # the script's own constant values
    description: str = ""
    path: Path | None = field(default=None, compare=False)
    routing: Routing = Routing()

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for section in self.sections for q in section.questions)

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def has_question(self, question_id: str) -> bool:
        return any(q.id == question_id for q in self.questions)


@dataclass(frozen=True)
class Person:
    """A decision maker (or influencer, approver, …) as typed on the form."""

    role: str = "decision_maker"
    name: str = ""
    position: str = ""
    phone: str = ""  # as typed; normalised to E.164 when stored
    email: str = ""

    def is_blank(self) -> bool:
        return not any(v.strip() for v in (self.name, self.position, self.phone, self.email))


@dataclass(frozen=True)
class Verdict:
    fit: bool | None  # None: not known until the required questions are answered
    knockouts: tuple[str, ...]  # the reasons, in script order
    actuality: str  # now | later | unknown
    recall_on: date | None  # for "later": when to call again
    score: int


def people_from(rows: Sequence[Mapping[str, Any]]) -> tuple[Person, ...]:
    """Persons from plain mappings (JSON, a form)."""
    return tuple(
        Person(
            role=str(r.get("role") or "other"),
            name=str(r.get("name") or ""),
            position=str(r.get("position") or ""),
            phone=str(r.get("phone") or r.get("phone_raw") or ""),
            email=str(r.get("email") or ""),
        )
        for r in rows
    )
