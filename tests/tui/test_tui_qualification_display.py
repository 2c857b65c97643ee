"""How the qualification form words the verdict, the outcome of submitting, typed answers
and phones; and which key picks which option (plain values, no app)."""

from __future__ import annotations

from datetime import date

import pytest

from tmdesk.domain.scripts import Option, Question, Verdict
from tmdesk.tui.qualification.display import (
    actuality_label,
    echo_label,
    first_and_more,
    fit_label,
    outcome_label,
    phone_echo,
)
from tmdesk.tui.qualification.picks import PickField, YesNoField, yes_no_key

FIT_NOW = Verdict(True, (), "now", None, 40)
LATER = Verdict(True, (), "later", date(2027, 2, 25), 10)
KNOCKED = Verdict(False, ("Нет бюджета", "Меньше 20 сотрудников"), "unknown", None, 0)
OPEN = Verdict(None, (), "unknown", None, 5)


@pytest.mark.parametrize(
    "verdict, missing, expected",
    [
        (FIT_NOW, 0, ("Fit: yes", "ok")),
        (KNOCKED, 0, ("Not a fit: Нет бюджета; Меньше 20 сотрудников", "bad")),
        (OPEN, 3, ("Fit: ? (3 required left)", "pending")),
    ],
)
def test_fit(verdict, missing, expected):
    assert fit_label(verdict, missing) == expected


@pytest.mark.parametrize(
    "verdict, expected",
    [
        (FIT_NOW, "Actual now"),
        (LATER, "Later: recall 25.02.2027"),
        (OPEN, "Actuality: ?"),
    ],
)
def test_actuality(verdict, expected):
    assert actuality_label(verdict) == expected


@pytest.mark.parametrize(
    "verdict, missing, invalid, people, expected",
    [
        (FIT_NOW, [], [], [], ("ctrl+s → qualified", "ok")),
        (LATER, [], [], [], ("ctrl+s → nurture, recall 25.02.2027", "ok")),
        (OPEN, [], [], [], ("ctrl+s → qualified", "ok")),  # no actuality answer: qualified
        # a knockout decides, whatever is missing
        (
            KNOCKED,
            ["Когда?"],
            [],
            ["add a decision maker"],
            ("ctrl+s → not a fit (the script refuses “qualified”)", "bad"),
        ),
        (
            OPEN,
            ["Когда?", "Сколько?", "Где?"],
            [],
            [],
            ("ctrl+s: answer first: Когда? (+2 more)", "pending"),
        ),
        (
            FIT_NOW,
            [],
            [],
            ["add a decision maker (ЛПР)"],
            ("ctrl+s: decision makers: add a decision maker (ЛПР)", "pending"),
        ),
        (
            KNOCKED,
            [],
            ["Когда?: no such date 31.02"],
            [],
            ("ctrl+s: fix first: Когда?: no such date 31.02", "pending"),
        ),
    ],
)
def test_what_submitting_would_do(verdict, missing, invalid, people, expected):
    assert outcome_label(verdict, missing, invalid, people, "ctrl+s") == expected


def test_first_and_more():
    assert first_and_more([]) == "" and first_and_more(["a"]) == "a"
    assert first_and_more(["a", "b"]) == "a (+1 more)"


DATE = Question("timeline", "Когда?", "date", "need")
NUMBER = Question("employees", "Сколько?", "number", "fit")
TEXT = Question("comment", "Комментарий", "text", "next")


@pytest.mark.parametrize(
    "question, value, language, expected",
    [
        (DATE, date(2027, 1, 15), "ru", "→ 15.01.2027"),
        (DATE, date(2027, 1, 15), "en", "→ 2027-01-15"),
        (NUMBER, 1200, "ru", "→ 1200"),
        (NUMBER, 12.5, "ru", "→ 12,5"),
        (TEXT, "что угодно", "ru", ""),
        (DATE, None, "ru", ""),
    ],
)
def test_the_echo_of_a_typed_answer(question, value, language, expected):
    assert echo_label(question, value, language) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("8 (495) 765-43-21", ("→ +7 495 765-43-21", True)),
        ("8 495 765 43 21 доб. 12", ("→ +7 495 765-43-21 ext. 12", True)),
        ("", ("", True)),
    ],
)
def test_phone_echo(text, expected):
    assert phone_echo(text, "RU") == expected


def test_a_wrong_phone_says_why():
    text, ok = phone_echo("12", "RU")
    assert not ok and text


@pytest.mark.parametrize(
    "key, expected",
    [
        ("y", True),
        ("Y", True),
        ("д", True),
        ("1", True),
        ("+", True),
        ("n", False),
        ("н", False),
        ("0", False),
        ("-", False),
        ("x", None),
    ],
)
def test_yes_no_keys(key, expected):
    assert yes_no_key(key) is expected


def test_option_keys_are_the_ones_shown_in_either_layout():
    labels = [f"option {n}" for n in range(12)]  # 1…9, then a, b, c
    field = PickField(labels)
    assert field.keys == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c"]
    assert [field.index_for(k) for k in ("1", "9", "a", "C", "ф", "и", "z", "0")] == [
        0,
        8,
        9,
        11,
        9,
        10,
        None,
        None,
    ]  # ф and и are on the keys of a and b
    yes_no = YesNoField("да", "нет")
    assert [yes_no.index_for(k) for k in ("д", "n", "q")] == [0, 1, None]


def test_multiple_choice_options_keep_their_order():
    question = Question("q", "?", "multi_choice", "s", options=(Option("a", "A"), Option("b", "B")))
    assert echo_label(question, ("a", "b"), "ru") == "→ A, B"
