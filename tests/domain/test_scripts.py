"""Qualification scripts: the file format and its checks, answers typed on the form, and
the verdict (fit, knockouts, actuality, score) the answers give."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from tmdesk.domain.scripts import (
    ActualityRules,
    Person,
    ScriptError,
    answers_from_json,
    answers_to_json,
    check_script,
    check_script_text,
    format_answer,
    load_script,
    missing_required,
    parse_script,
    people_problems,
    render_say,
    validate_answer,
    verdict,
    visible_questions,
)
from tmdesk.domain.scripts.positions import Positions

REPO = Path(__file__).resolve().parents[2]
SHIPPED = sorted((REPO / "data" / "scripts").glob("*.toml"))
BROKEN = Path(__file__).with_name("broken_scripts")
TODAY = date(2026, 11, 25)  # a Wednesday

# A small script that exercises every rule; the tables below answer it.
SCRIPT_TOML = """
key = "test"
title = "Test script"
version = "2.1"
language = "en"

[actuality]
now_within_days = 30
recall_before_days = 14
bought_elsewhere_months = 6
no_need_months = 3

[decision_makers]
min = 1
required_roles = ["decision_maker"]
required_fields = ["name", "position"]
contact_required = true

[[sections]]
id = "fit"
title = "Fit"
say = "Hello {contact_name}, this is {agent_name}."

[[sections.questions]]
id = "industry"
text = "Industry of {company}?"
type = "choice"
required = true
options = [
  { value = "retail", label = "Retail" },
  { value = "factory", label = "Factory" },
  { value = "bank", label = "Bank" },
]
knockout = [{ equals = "bank", reason = "Banks are not ours" }]
score = { factory = 10, retail = 5 }

[[sections.questions]]
id = "staff"
text = "Staff?"
type = "number"
required = true
min = 1
max = 100000
knockout = [{ lt = 10, reason = "Too small" }]
score = [{ gte = 100, points = 20 }, { gte = 10, points = 5 }]

[[sections.questions]]
id = "uses_crm"
text = "Do you use a CRM?"
type = "yes_no"
required = true

[[sections.questions]]
id = "crm_name"
text = "Which CRM?"
type = "choice"
required = true
options = ["amo", "bitrix", "other"]
show_if = { question = "uses_crm", equals = "yes" }
knockout = [{ equals = "other", reason = "Unsupported CRM" }]

[[sections.questions]]
id = "bought"
text = "Bought a CRM lately?"
type = "yes_no"
show_if = { question = "uses_crm", equals = "yes" }
actuality = "bought_elsewhere"
score = { no = 3 }

[[sections]]
id = "need"
title = "Need"

[[sections.questions]]
id = "need"
text = "Need now?"
type = "yes_no"
actuality = "need_now"
score = { yes = 10 }

[[sections.questions]]
id = "when"
text = "When?"
type = "date"
show_if = { question = "need", equals = "yes" }
actuality = "purchase_date"

[[sections.questions]]
id = "tools"
text = "Tools used?"
type = "multi_choice"
options = ["sheets", "mail", "paper", "none"]
show_if = { question = "need", answered = true }
knockout = [{ in = ["paper"], reason = "Still on paper" }]
score = { sheets = 1, mail = 4 }
"""

SCRIPT, _problems = parse_script(SCRIPT_TOML, "test.toml")
assert not _problems, _problems
BASE = {"industry": "factory", "staff": 150, "uses_crm": False}


# --- shipped scripts -----------------------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_scripts_are_clean(path):
    assert check_script(path) == []
    script = load_script(path)
    assert script.key == path.stem and script.version == "1"
    assert len(script.questions) >= 10


def test_the_default_script_and_its_english_twin_ask_the_same():
    ru, en = (load_script(REPO / "data" / "scripts" / f"b2b-{lang}.toml") for lang in ("ru", "en"))
    assert ru.language == "ru" and en.language == "en"

    def shape(script):
        return [
            (
                q.id,
                q.type,
                q.required,
                tuple(o.value for o in q.options),
                q.show_if,
                tuple(k.condition for k in q.knockouts),
                q.actuality,
                q.score_points,
                q.score_rules,
            )
            for q in script.questions
        ]

    assert shape(ru) == shape(en)
    assert (ru.actuality, ru.decision_makers) == (en.actuality, en.decision_makers)


def test_the_default_script_qualifies_a_good_lead_and_knocks_out_a_bad_one():
    script = load_script(REPO / "data" / "scripts" / "b2b-ru.toml")
    good = {
        "right_person": "self",
        "activity": "manufacturing",
        "employees": 250,
        "district": "ufo",
        "current_solution": "none",
        "need": True,
        "timeline": date(2027, 1, 15),
        "budget": "approved",
        "budget_amount": 2000,
    }
    assert verdict(script, good, TODAY) == verdict(script, good, TODAY)
    result = verdict(script, good, TODAY)
    assert (result.fit, result.knockouts, result.actuality) == (True, (), "now")
    assert result.score == 10 + 15 + 10 + 10 + 20 + 20 + 10
    bad = {**good, "budget": "none"}
    assert verdict(script, bad, TODAY).knockouts == ("Нет бюджета в этом году",)
    # no budget: the amount question disappears, so its knockout no longer counts
    assert "budget_amount" not in [q.id for q in visible_questions(script, bad)]


# --- verdict tables ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers, fit, knockouts",
    [
        ({}, None, ()),
        (BASE, True, ()),
        # a knockout decides at once, even with required questions still open
        ({"industry": "bank"}, False, ("Banks are not ours",)),
        ({**BASE, "staff": 5}, False, ("Too small",)),
        # every reason, in script order
        ({**BASE, "staff": 5, "industry": "bank"}, False, ("Banks are not ours", "Too small")),
        # a shown required question without an answer: not known yet
        ({**BASE, "uses_crm": True}, None, ()),
        ({**BASE, "uses_crm": True, "crm_name": "amo"}, True, ()),
        ({**BASE, "uses_crm": True, "crm_name": "other"}, False, ("Unsupported CRM",)),
        # hidden questions never count: the CRM answer stays from before "no" was chosen
        ({**BASE, "uses_crm": False, "crm_name": "other"}, True, ()),
        # a multiple choice knocks out when it includes the value
        ({**BASE, "need": True, "tools": ("sheets", "paper")}, False, ("Still on paper",)),
        ({**BASE, "need": True, "tools": ("sheets",)}, True, ()),
        # ... but not while hidden (tools shows only once need is answered)
        ({**BASE, "tools": ("paper",)}, True, ()),
        # blank answers are no answers
        ({**BASE, "staff": None}, None, ()),
        ({**BASE, "uses_crm": True, "crm_name": ""}, None, ()),
    ],
)
def test_fit_and_knockouts(answers, fit, knockouts):
    result = verdict(SCRIPT, answers, TODAY)
    assert (result.fit, result.knockouts) == (fit, knockouts)


@pytest.mark.parametrize(
    "answers, actuality, recall_on",
    [
        (BASE, "unknown", None),
        ({**BASE, "need": True}, "now", None),
        # no need now: recall in no_need_months
        ({**BASE, "need": False}, "later", date(2027, 2, 25)),
        # a purchase date within now_within_days (30) is now, the boundary included
        ({**BASE, "need": True, "when": date(2026, 12, 5)}, "now", None),
        ({**BASE, "need": True, "when": date(2026, 12, 25)}, "now", None),
        # later: recall recall_before_days (14) before the planned date
        ({**BASE, "need": True, "when": date(2026, 12, 26)}, "later", date(2026, 12, 12)),
        ({**BASE, "need": True, "when": date(2027, 6, 1)}, "later", date(2027, 5, 18)),
        # a date in the past means the purchase is on now
        ({**BASE, "need": True, "when": date(2026, 11, 1)}, "now", None),
        # the date question is hidden when there is no need: its date does not count
        ({**BASE, "need": False, "when": date(2026, 12, 1)}, "later", date(2027, 2, 25)),
        # bought elsewhere wins over a need and a date: recall in bought_elsewhere_months
        (
            {
                **BASE,
                "uses_crm": True,
                "crm_name": "amo",
                "bought": True,
                "need": True,
                "when": date(2026, 12, 1),
            },
            "later",
            date(2027, 5, 25),
        ),
        ({**BASE, "uses_crm": True, "crm_name": "amo", "bought": False, "need": True}, "now", None),
        # ... but only while the question shows
        ({**BASE, "uses_crm": False, "bought": True, "need": True}, "now", None),
    ],
)
def test_actuality(answers, actuality, recall_on):
    result = verdict(SCRIPT, answers, TODAY)
    assert (result.actuality, result.recall_on) == (actuality, recall_on)


def test_recall_dates_clamp_to_month_ends_and_never_come_before_tomorrow():
    bought = {**BASE, "uses_crm": True, "crm_name": "amo", "bought": True}
    assert verdict(SCRIPT, bought, date(2026, 8, 31)).recall_on == date(2027, 2, 28)
    eager = replace(SCRIPT, actuality=ActualityRules(now_within_days=0, recall_before_days=14))
    soon = {**BASE, "need": True, "when": date(2026, 11, 30)}
    assert verdict(eager, soon, TODAY).recall_on == date(2026, 11, 26)


@pytest.mark.parametrize(
    "answers, score",
    [
        ({}, 0),
        (BASE, 10 + 20),
        ({**BASE, "industry": "retail", "staff": 99}, 5 + 5),
        ({**BASE, "staff": 9}, 10),  # below every rule
        ({**BASE, "need": True}, 30 + 10),
        ({**BASE, "need": True, "tools": ("sheets", "mail")}, 30 + 10 + 1 + 4),
        ({**BASE, "uses_crm": True, "crm_name": "amo", "bought": False}, 30 + 3),
        # hidden answers score nothing
        ({**BASE, "bought": False}, 30),
        ({**BASE, "tools": ("mail",)}, 30),
        # a knocked-out lead still has its score
        ({**BASE, "industry": "bank"}, 20),
    ],
)
def test_score(answers, score):
    assert verdict(SCRIPT, answers, TODAY).score == score


def test_conditions_show_and_hide_questions():
    def shown(answers):
        return [q.id for q in visible_questions(SCRIPT, answers)]

    assert shown({}) == ["industry", "staff", "uses_crm", "need"]
    assert shown({"uses_crm": True}) == [
        "industry",
        "staff",
        "uses_crm",
        "crm_name",
        "bought",
        "need",
    ]
    assert shown({"need": True}) == ["industry", "staff", "uses_crm", "need", "when", "tools"]
    assert shown({"need": False}) == ["industry", "staff", "uses_crm", "need", "tools"]
    assert [q.id for q in missing_required(SCRIPT, {"uses_crm": True})] == [
        "industry",
        "staff",
        "crm_name",
    ]
    assert missing_required(SCRIPT, BASE) == ()


def test_a_condition_on_a_hidden_question_is_false():
    text = (
        SCRIPT_TOML
        + """
[[sections.questions]]
id = "crm_users"
text = "How many CRM users?"
type = "number"
show_if = { question = "crm_name", equals = "amo" }
"""
    )
    script, problems = parse_script(text)
    assert not problems
    shown = [q.id for q in visible_questions(script, {"uses_crm": False, "crm_name": "amo"})]
    assert "crm_users" not in shown


# --- typed answers -------------------------------------------------------------------------


def q(question_id):
    return SCRIPT.question(question_id)


NUMBER = replace(q("staff"), min=None, max=None)


@pytest.mark.parametrize(
    "text, value",
    [
        ("12", 12),
        (" 12 ", 12),
        ("12,5", 12.5),
        ("12.5", 12.5),
        ("12,0", 12),
        ("1 200", 1200),
        ("1\u00a0200,50", 1200.5),
        ("1'000'000", 1000000),
        ("-3", -3),
        ("\u22123", -3),
        ("+7", 7),
        ("0", 0),
    ],
)
def test_numbers(text, value):
    parsed = validate_answer(NUMBER, text)
    assert parsed.ok and parsed.value == value and type(parsed.value) is type(value)


@pytest.mark.parametrize(
    "text, error",
    [
        ("abc", "not a number"),
        ("12 шт", "not a number"),
        ("1,2,3", "not a number"),
        ("1.200.000", "not a number"),
        ("12,", "not a number"),
    ],
)
def test_not_numbers(text, error):
    assert error in validate_answer(NUMBER, text).error


@pytest.mark.parametrize(
    "text, error", [("0", "at least 1"), ("100001", "at most 100000"), ("-5", "at least 1")]
)
def test_number_bounds(text, error):
    assert error in validate_answer(q("staff"), text).error


@pytest.mark.parametrize(
    "text, value",
    [
        ("да", True),
        ("Да", True),
        ("ДА", True),
        ("д", True),
        ("yes", True),
        ("Y", True),
        ("1", True),
        ("+", True),
        ("ага", True),
        ("lf", True),
        ("нет", False),
        ("Нет.", False),
        ("н", False),
        ("no", False),
        ("N", False),
        ("0", False),
        ("-", False),
        ("ytn", False),
    ],
)
def test_yes_no(text, value):
    assert validate_answer(q("uses_crm"), text).value is value


@pytest.mark.parametrize("text", ["может быть", "maybe", "2", "yess"])
def test_not_yes_no(text):
    assert "yes or no" in validate_answer(q("uses_crm"), text).error


@pytest.mark.parametrize(
    "text, value",
    [
        ("2", "factory"),
        ("b", "factory"),
        ("B", "factory"),
        ("б", "factory"),
        ("factory", "factory"),
        ("Factory", "factory"),
        ("fac", "factory"),
        ("ba", "bank"),
        ("1", "retail"),
        ("a", "retail"),
        ("а", "retail"),
        ("3", "bank"),
        ("в", "bank"),
    ],
)
def test_choices(text, value):
    assert validate_answer(q("industry"), text).value == value


@pytest.mark.parametrize("text", ["4", "0", "z", "г", "shop", "r e"])
def test_not_choices(text):
    assert "no option" in validate_answer(q("industry"), text).error


@pytest.mark.parametrize(
    "text, value",
    [
        ("1,3", ("sheets", "paper")),
        ("3 1", ("sheets", "paper")),
        ("a c", ("sheets", "paper")),
        ("mail; sheets", ("sheets", "mail")),
        ("2, 2", ("mail",)),
        ("4", ("none",)),
    ],
)
def test_multiple_choices(text, value):
    assert validate_answer(q("tools"), text).value == value


def test_a_bad_option_in_a_multiple_choice_is_named():
    assert "no option 9" in validate_answer(q("tools"), "1, 9").error


@pytest.mark.parametrize(
    "text, value",
    [
        ("28.11", date(2026, 11, 28)),
        ("25.11", date(2026, 11, 25)),  # today
        ("20.11", date(2027, 11, 20)),  # without a year: the next such day
        ("1.2", date(2027, 2, 1)),
        ("28/11", date(2026, 11, 28)),
        ("28.11.2026", date(2026, 11, 28)),
        ("28.11.26", date(2026, 11, 28)),
        ("28/11/2026", date(2026, 11, 28)),
        ("28-11-2026", date(2026, 11, 28)),
        ("2026-11-28", date(2026, 11, 28)),
        ("2027-01-05", date(2027, 1, 5)),
        ("сегодня", TODAY),
        ("today", TODAY),
        ("завтра", date(2026, 11, 26)),
        ("Завтра", date(2026, 11, 26)),
        ("tomorrow", date(2026, 11, 26)),
        ("послезавтра", date(2026, 11, 27)),
        ("day after tomorrow", date(2026, 11, 27)),
        ("через 3 дня", date(2026, 11, 28)),
        ("через неделю", date(2026, 12, 2)),
        ("через 2 недели", date(2026, 12, 9)),
        ("через пару недель", date(2026, 12, 9)),
        ("через месяц", date(2026, 12, 25)),
        ("через 3 месяца", date(2027, 2, 25)),
        ("через полгода", date(2027, 5, 25)),
        ("через год", date(2027, 11, 25)),
        ("in 10 days", date(2026, 12, 5)),
        ("in 2 weeks", date(2026, 12, 9)),
        ("in a month", date(2026, 12, 25)),
        ("in 3 months", date(2027, 2, 25)),
        ("in one year", date(2027, 11, 25)),
        ("next week", date(2026, 12, 2)),
        ("next month", date(2026, 12, 25)),
        ("next year", date(2027, 11, 25)),
        ("на следующей неделе", date(2026, 12, 2)),
        ("в следующем месяце", date(2026, 12, 25)),
        ("в следующем году", date(2027, 11, 25)),
        ("28 ноября", date(2026, 11, 28)),
        ("15 марта", date(2027, 3, 15)),
        ("15 марта 2028", date(2028, 3, 15)),
        ("3 мая", date(2027, 5, 3)),
        ("March 15", date(2027, 3, 15)),
        ("15 mar", date(2027, 3, 15)),
        ("march 15, 2028", date(2028, 3, 15)),
        ("в марте", date(2027, 3, 1)),
        ("март", date(2027, 3, 1)),
        ("в мае", date(2027, 5, 1)),
        ("in march", date(2027, 3, 1)),
        ("март 2028", date(2028, 3, 1)),
        ("ноябрь", TODAY),  # this month: from today
        ("декабрь", date(2026, 12, 1)),
        ("Q1", date(2027, 1, 1)),
        ("q4", TODAY),  # the quarter we are in: from today
        ("Q2 2027", date(2027, 4, 1)),
        ("2 квартал", date(2027, 4, 1)),
        ("во 2 квартале", date(2027, 4, 1)),
        ("во втором квартале", date(2027, 4, 1)),
        ("1-й квартал 2027", date(2027, 1, 1)),
        ("29.02", date(2028, 2, 29)),  # the next leap year
    ],
)
def test_dates(text, value):
    parsed = validate_answer(q("when"), text, today=TODAY)
    assert parsed.ok, parsed.error
    assert parsed.value == value


@pytest.mark.parametrize(
    "text, error",
    [
        ("31.02", "no such date 31.02"),
        ("30.02.2027", "no such date 30.02.2027: that month has 28 days"),
        ("29.02.2027", "that month has 28 days"),
        ("31.04.2027", "that month has 30 days"),
        ("2027-02-30", "no such date 30.02.2027"),
        ("32.01", "no such date 32.01"),
        ("00.01", "no such date 00.01"),
        ("12.13", "there are 12 months"),
        ("12.13.2027", "there are 12 months"),
        ("31 апреля", "no such date 31.04"),
        ("someday", "not a date"),
        ("через много лет", "not a date"),
        ("5 квартал", "not a date"),
        ("28..11", "not a date"),
    ],
)
def test_impossible_dates(text, error):
    parsed = validate_answer(q("when"), text, today=TODAY)
    assert not parsed.ok and error in parsed.error


def test_a_planned_purchase_cannot_be_in_the_past():
    assert "in the past" in validate_answer(q("when"), "01.11.2026", today=TODAY).error
    plain = replace(q("when"), actuality=None)
    assert validate_answer(plain, "01.11.2026", today=TODAY).value == date(2026, 11, 1)


@pytest.mark.parametrize("question", ["industry", "staff", "uses_crm", "when", "tools"])
def test_blank_is_no_answer(question):
    parsed = validate_answer(q(question), "   ")
    assert parsed.ok and parsed.value is None


def test_text_is_kept_as_typed():
    text = replace(q("industry"), type="text", options=())
    assert (
        validate_answer(text, "  Любой текст, {даже} со скобками ").value
        == "Любой текст, {даже} со скобками"
    )


@pytest.mark.parametrize(
    "question, value, language, shown",
    [
        ("uses_crm", True, "ru", "да"),
        ("uses_crm", False, "en", "no"),
        ("industry", "bank", "en", "Bank"),
        ("tools", ("sheets", "mail"), "en", "sheets, mail"),
        ("when", date(2027, 3, 1), "ru", "01.03.2027"),
        ("when", date(2027, 3, 1), "en", "2027-03-01"),
        ("staff", 12.5, "ru", "12,5"),
        ("staff", 12, "ru", "12"),
        ("staff", None, "ru", ""),
    ],
)
def test_answers_as_people_read_them(question, value, language, shown):
    assert format_answer(q(question), value, language) == shown


def test_answers_survive_json_with_the_question_text_as_asked():
    answers = {
        "industry": "factory",
        "staff": 150,
        "uses_crm": True,
        "crm_name": "amo",
        "need": True,
        "when": date(2027, 3, 1),
        "tools": ("sheets", "mail"),
        "bought": None,
    }
    rows = answers_to_json(
        SCRIPT, answers, {"company": "ООО Ромашка"}, typed={"staff": "150", "bought": "може"}
    )
    assert rows[0] == {
        "id": "industry",
        "text": "Industry of ООО Ромашка?",
        "type": "choice",
        "answer": "factory",
        "label": "Factory",
    }
    assert {
        "id": "when",
        "text": "When?",
        "type": "date",
        "answer": "2027-03-01",
        "label": "2027-03-01",
    } in rows
    assert [r for r in rows if r["id"] == "bought"][0]["typed"] == "може"
    assert answers_from_json(rows) == {k: v for k, v in answers.items() if v is not None}


# --- placeholders --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, values, shown",
    [
        ("Hello {contact_name}!", {"contact_name": "Иван"}, "Hello Иван!"),
        # a placeholder with no value leaves a natural sentence, never a dash
        ("Hello {contact_name}!", {"contact_name": ""}, "Hello!"),
        ("Hello {contact_name}!", {"contact_name": None}, "Hello!"),
        ("Hello {contact_name}!", {"contact_name": "  "}, "Hello!"),
        (
            "Добрый день, {contact_name}! Меня зовут {agent_name}.",
            {"contact_name": "", "agent_name": "Анна"},
            "Добрый день! Меня зовут Анна.",
        ),
        (
            "Город {city}, регион {region}: уточните, если площадка в другом месте",
            {"city": "", "region": "Тверская обл."},
            "Регион Тверская обл.: уточните, если площадка в другом месте",
        ),
        (
            "Город {city}, регион {region}: уточните, если площадка в другом месте",
            {"city": "Тверь", "region": ""},
            "Город Тверь: уточните, если площадка в другом месте",
        ),
        (
            "Город {city}, регион {region}: уточните, если площадка в другом месте",
            {"city": "", "region": ""},
            "Уточните, если площадка в другом месте",
        ),
        ("Итак.\nГород {city}, регион X.", {"city": None}, "Итак.\nРегион X."),
        ("Hello {contact_name}!", {}, "Hello {contact_name}!"),  # unknown stays visible
        ("From {compnay}", {"company": "X"}, "From {compnay}"),
        ("{company}{company}", {"company": "X"}, "XX"),
        ("{company}", {"company": "{agent_name}"}, "{agent_name}"),  # values are not re-read
        ("{{company}} is {company}", {"company": "X"}, "{company} is X"),
        ("{0} {} {a.b} {a[0]} { company }", {"company": "X"}, "{0} {} {a.b} {a[0]} { company }"),
        ("an { unbalanced", {}, "an { unbalanced"),
        ("100% {company}", {"company": 42}, "100% 42"),
        ("", {}, ""),
        (None, {}, ""),
    ],
)
def test_render_say(text, values, shown):
    assert render_say(text, values) == shown


# --- decision makers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "people, problems",
    [
        ([], ["add at least 1", "add a decision maker"]),
        ([Person("influencer", "Ann", "CTO", "+7 495 100-00-01")], ["add a decision maker"]),
        ([Person("decision_maker", "Ann", "CEO", "8 (495) 100-00-01")], []),
        ([Person("decision_maker", "Ann", "CEO", email="ann@example.com")], []),
        ([Person("decision_maker", "Ann", "CEO")], ["Ann: a phone or an e-mail is required"]),
        ([Person("decision_maker", "", "CEO", "+74951000001")], ["person 1: name is required"]),
        ([Person("decision_maker", "Ann", "CEO", "12345")], ["Ann: phone 12345"]),
        ([Person("decision_maker", "Ann", "CEO", email="ann@")], ["ann@ is not an e-mail"]),
        (
            [
                Person("boss", "Ann", "CEO", "+74951000001"),
                Person("decision_maker", "Bob", "CEO", "+74951000002"),
            ],
            ["Ann: role boss is not allowed"],
        ),
        # blank rows (an empty form line) are ignored
        ([Person("decision_maker", "Ann", "CEO", "+74951000001"), Person()], []),
    ],
)
def test_decision_makers(people, problems):
    found = people_problems(SCRIPT, people)
    assert len(found) == len(problems), found
    for message, expected in zip(found, problems, strict=True):
        assert expected in message


# --- checking script files -----------------------------------------------------------------

# Each broken script has one kind of problem (several_problems.toml has many): the exact
# lines reported, and a piece of each message.
BROKEN_CASES = {
    "syntax_error.toml": [(12, "TOML syntax: a string is not closed")],
    "not_utf8.toml": [(8, "not UTF-8")],
    "unknown_type.toml": [(13, 'unknown type "numbr" (did you mean number?')],
    "duplicate_id.toml": [(20, "duplicate question id size (first at line 10)")],
    "missing_keys.toml": [
        (1, "title is missing"),
        (9, "question size: text is missing"),
        (9, "question size: type is missing"),
    ],
    "show_if_later.toml": [
        (14, "show_if refers to question uses_crm, which comes later (line 16)")
    ],
    "show_if_unknown.toml": [(19, "unknown question use_crm (did you mean uses_crm?)")],
    "knockout_not_an_option.toml": [(21, '"nothing" is not among the options of budget')],
    "options_on_text.toml": [(14, "options are only for choice and multi_choice")],
    "min_above_max.toml": [(15, "min 100 is greater than max 10")],
    "unknown_actuality.toml": [(14, 'unknown actuality role "purchase_when"')],
    "unknown_placeholder.toml": [(15, "unknown placeholder {compnay}")],
    "bad_version.toml": [(3, 'version "first" is not a version')],
    "unknown_key.toml": [(14, "unknown key requried (did you mean required?)")],
    "wrong_operator.toml": [(20, "gt compares numbers, but size is a choice question")],
    "bad_decision_makers.toml": [(8, 'roles: unknown "ceo"')],
    "option_person_role.toml": [
        (
            19,
            "question who: option person must be one of the decision makers' roles "
            '(decision_maker, influencer), not "approver"',
        )
    ],
    "bad_suggest.toml": [
        (14, 'unknown suggest "city" (known: district)'),
        (21, "suggest district needs a choice question, not text"),
        (27, "suggest district, but no option names a federal district"),
    ],
    "several_problems.toml": [
        (4, "version 0 is not a version"),
        (9, "unknown placeholder {contact}"),
        (16, 'duplicate option "retail"'),
        (17, '"bank" is not among the options of industry'),
        (18, 'score for "shop", which is not among the answers'),
        (24, "min 50 is greater than max 5"),
        (26, "a knockout needs reason"),
        (29, "duplicate section id intro (first at line 8)"),
        (33, "duplicate question id industry (first at line 12)"),
        (41, "actuality purchase_date needs a date question, not yes_no"),
        (42, 'staff is a number question: "many" is not a number'),
        (43, 'need is a yes_no question: compare with "yes" or "no", not "maybe"'),
    ],
}


def test_every_broken_script_is_covered():
    assert sorted(p.name for p in BROKEN.glob("*.toml")) == sorted(BROKEN_CASES)


@pytest.mark.parametrize("name", sorted(BROKEN_CASES))
def test_broken_scripts_report_every_problem_on_its_line(name):
    path = BROKEN / name
    problems = check_script(path)
    assert [(p.line, p.file) for p in problems] == [
        (line, str(path)) for line, _ in BROKEN_CASES[name]
    ]
    for problem, (_line, message) in zip(problems, BROKEN_CASES[name], strict=True):
        assert message in problem.message, problem
    with pytest.raises(ScriptError) as raised:
        load_script(path)
    assert raised.value.problems == tuple(problems)
    assert str(raised.value).startswith(f"{path}:{problems[0].line}: ")


def test_a_missing_file_is_a_problem_not_a_crash(tmp_path):
    problems = check_script(tmp_path / "nope.toml")
    assert len(problems) == 1 and "cannot read" in problems[0].message


QUESTION_TEMPLATE = """key = "t"
title = "T"
version = 1
language = "en"
[[sections]]
id = "s"
title = "S"
[[sections.questions]]
id = "first"
text = "First"
type = "text"
[[sections.questions]]
id = "pick"
text = "Pick"
type = "choice"
"""  # 15 lines; then options (unless the snippet has its own), then the snippet


@pytest.mark.parametrize(
    "snippet, offset, message",
    [
        # dotted keys, multi-line arrays of inline tables, multi-line strings
        ('show_if.question = "ghost"\nshow_if.equals = "x"', 0, "unknown question ghost"),
        (
            'knockout = [\n  { equals = "a", reason = "A" },\n\n  { gt = 1, reason = "B" },\n]',
            3,
            "gt compares numbers",
        ),
        ('hint = """\n{company}\n\n  {contact}\n"""', 3, "unknown placeholder {contact}"),
        ("score = { yes = 1 }", 0, 'score for "yes"'),
        ('required = "yes"', 0, "required must be true or false"),
        ('options = ["a", { value = "b", lable = "B" }]', 0, "unknown key lable"),
        ('options = ["a"]', 0, "at least 2 options"),
        ('show_if = { question = "first", answered = "yes" }', 0, "answered must be true"),
        ('show_if = { question = "first" }', 0, "show_if needs an operator"),
        ('show_if = { question = "pick", equals = "a" }', 0, "the question itself"),
        ('show_if = { question = "first", eq = "a" }', 0, "unknown operator eq"),
        ('knockout = { equals = "a" }', 0, "a knockout needs reason"),
        ('type = "date"', 0, "TOML syntax"),  # TOML itself refuses a key written twice
    ],
)
def test_problem_lines_inside_a_question(snippet, offset, message):
    options = "" if snippet.startswith("options") else 'options = ["a", "b"]\n'
    text = QUESTION_TEMPLATE + options + snippet + "\n"
    first_line = 16 + bool(options)
    problems = check_script_text(text)
    assert len(problems) == 1, problems
    assert message in problems[0].message
    assert problems[0].line == first_line + offset


def test_positions_are_not_fooled_by_strings_and_comments():
    text = '''# [[sections]] in a comment
a = """
[[sections]]
b = 1
"""  # "quoted" [comment]
'c.d' = 'x # not a comment'
[[sections]]
id = "one"  # [[sections]]
[[sections.questions]]
id = "q"
show_if = { question = "z", in = [
  "a",
  'b',
] }
[[sections]]
"id" = "two"
[sections.extra]
deep.er = 1
'''
    positions = Positions(text)
    assert positions.line(("a",)) == 2
    assert positions.line(("c.d",)) == 6
    assert positions.line(("sections", 0)) == 7
    assert positions.line(("sections", 0, "id")) == 8
    assert positions.line(("sections", 0, "questions", 0)) == 9
    assert positions.line(("sections", 0, "questions", 0, "show_if", "in", 1)) == 13
    assert positions.line(("sections", 0, "questions", 0, "show_if", "question")) == 11
    assert positions.line(("sections", 1, "id")) == 16
    assert positions.line(("sections", 1, "extra", "deep", "er")) == 18
    # not written: the closest written ancestor, else line 1
    assert positions.line(("sections", 0, "questions", 0, "type")) == 9
    assert positions.line(("nowhere",)) == 1
    assert positions.line_of_text(("a",), "b = 1") == 4


def test_an_option_can_add_a_decision_maker():
    script = load_script(Path(__file__).parents[2] / "data" / "scripts" / "b2b-ru.toml")
    owner = script.question("decision_process").option("owner")
    assert (owner.label, owner.person) == ("Собственник", "decision_maker")
    assert script.question("decision_process").option("director").person is None
