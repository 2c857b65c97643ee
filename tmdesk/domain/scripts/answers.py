"""Answers typed on the form: parsing text into typed values, showing and storing them.

`validate_answer(question, text, today)` reads what an agent types in a hurry:
numbers with a comma decimal and spaces between thousands; yes/no in Russian or English
(also typed in the wrong keyboard layout); options by number, letter, value, label or the
start of a label; dates as 28.11, 28.11.2026, 2026-11-28, "28 ноября", "завтра",
"через 2 недели", "in 3 months", "next month", "в марте", "Q2 2027".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from tmdesk.domain.dates import parse_date
from tmdesk.domain.scripts.model import AnswerValue, Question, Script, is_answered
from tmdesk.domain.scripts.verdict import render_say
from tmdesk.i18n import _


@dataclass(frozen=True)
class Parsed:
    """The result of reading one typed answer. value None and no error: no answer (blank)."""

    value: AnswerValue | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def validate_answer(question: Question, text: str, today: date | None = None) -> Parsed:
    """Read `text` typed for `question`; `today` anchors relative dates."""
    text = (text or "").strip()
    if not text:
        return Parsed(None)
    today = today or date.today()
    kind = question.type
    if kind == "text":
        return Parsed(text)
    if kind == "number":
        return _number(question, text)
    if kind == "yes_no":
        value = parse_yes_no(text)
        if value is None:
            return Parsed(None, _("answer yes or no (да / нет, y / n, 1 / 0)"))
        return Parsed(value)
    if kind == "choice":
        option = pick_option(question, text)
        if option is None:
            return Parsed(None, _no_option(question, text))
        return Parsed(option)
    if kind == "multi_choice":
        return _multi(question, text)
    if kind == "date":
        day = parse_date(text, today)
        if isinstance(day, str):
            return Parsed(None, day)
        if question.actuality == "purchase_date" and day < today:
            return Parsed(None, _("{date} is in the past").format(date=day.strftime("%d.%m.%Y")))
        return Parsed(day)
    return Parsed(None, _("unknown question type {type}").format(type=kind))


# --- numbers -------------------------------------------------------------------------------

_THOUSANDS = re.compile(r"(?<=\d)[\s'\u00a0\u202f_](?=\d)")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def parse_number(text: str) -> int | float | None:
    """'1 200' → 1200, '12,5' → 12.5, '−3' → -3; None when it is not a number."""
    text = _THOUSANDS.sub("", text.strip().replace("\u2212", "-"))
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text.replace(",", "."))
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _number(question: Question, text: str) -> Parsed:
    value = parse_number(text)
    if value is None:
        return Parsed(None, _("not a number: {text}").format(text=text))
    if question.min is not None and value < question.min:
        return Parsed(None, _("must be at least {min}").format(min=_plain(question.min)))
    if question.max is not None and value > question.max:
        return Parsed(None, _("must be at most {max}").format(max=_plain(question.max)))
    return Parsed(value)


def _plain(number: int | float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


# --- yes / no ------------------------------------------------------------------------------

_YES = frozenset(
    {"да", "д", "yes", "y", "1", "+", "true", "ага", "угу", "конечно", "lf", "нуы"}
)  # the last two: да / yes typed in the other layout
_NO = frozenset({"нет", "н", "no", "n", "0", "-", "false", "не", "ytn", "тщ"})


def parse_yes_no(text: str) -> bool | None:
    word = text.strip().casefold().rstrip(".!")
    if word in _YES:
        return True
    if word in _NO:
        return False
    return None


# --- choices -------------------------------------------------------------------------------

LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"
CYRILLIC_LETTERS = "абвгдежзиклмнопрстуфхцчшщэюя"  # no ё й ъ ы ь, as in numbered lists


def option_key(index: int) -> str:
    """The key shown beside the option at `index` (0-based): 1…9, then letters."""
    return str(index + 1) if index < 9 else LATIN_LETTERS[index - 9]


def pick_option(question: Question, text: str) -> str | None:
    """The value of the option `text` names: its value or label, its number (1…),
    its letter (a / а = first), or the unique start of its label or value."""
    options = question.options
    word = text.strip().casefold()
    if not word:
        return None
    for option in options:
        if word == option.value.casefold() or word == option.label.casefold():
            return option.value
    if word.isdigit():
        index = int(word) - 1
        return options[index].value if 0 <= index < len(options) else None
    for letters in (LATIN_LETTERS, CYRILLIC_LETTERS):
        if len(word) == 1 and word in letters:
            index = letters.index(word)
            return options[index].value if index < len(options) else None
    starts = [
        o
        for o in options
        if o.label.casefold().startswith(word) or o.value.casefold().startswith(word)
    ]
    if len(word) >= 2 and len(starts) == 1:
        return starts[0].value
    return None


def _no_option(question: Question, text: str) -> str:
    return _("no option {text}: type 1–{n}, a letter or the start of an option").format(
        text=text, n=len(question.options)
    )


_SPLIT = re.compile(r"[,;\s]+")


def _multi(question: Question, text: str) -> Parsed:
    whole = pick_option(question, text)
    tokens = [whole] if whole is not None and not text.strip().isdigit() else None
    chosen: set[str] = set()
    if tokens is None:
        for token in _SPLIT.split(text.strip()):
            if not token:
                continue
            value = pick_option(question, token)
            if value is None:
                return Parsed(None, _no_option(question, token))
            chosen.add(value)
    elif whole is not None:  # the whole text named one option
        chosen.add(whole)
    return Parsed(tuple(o.value for o in question.options if o.value in chosen))


# --- showing and storing ---------------------------------------------------------------------

_YES_NO_WORDS = {"ru": ("да", "нет"), "en": ("yes", "no")}


def format_answer(question: Question, value: Any, language: str = "en") -> str:
    """An answer as a person reads it: option labels, да/нет, 28.11.2026, 12,5."""
    if not is_answered(value):
        return ""
    russian = language.lower().startswith("ru")
    if question.type == "yes_no" and isinstance(value, bool):
        yes, no = _YES_NO_WORDS["ru" if russian else "en"]
        return yes if value else no
    if question.type == "choice":
        option = question.option(value)
        return option.label if option else str(value)
    if question.type == "multi_choice":
        return ", ".join(
            (option.label if (option := question.option(v)) else str(v)) for v in value
        )
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y") if russian else value.isoformat()
    if isinstance(value, float):
        shown = f"{value:g}"
        return shown.replace(".", ",") if russian else shown
    return str(value)


def answer_to_json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list, set, frozenset)):
        return list(value)
    return value


def answer_from_json(kind: str, value: Any) -> AnswerValue | None:
    """A stored answer back as a typed value; None when it cannot be read as `kind`."""
    if value is None:
        return None
    try:
        if kind == "date":
            return date.fromisoformat(value) if isinstance(value, str) else None
        if kind == "multi_choice":
            return tuple(str(v) for v in value) if isinstance(value, list) else None
        if kind == "yes_no":
            return value if isinstance(value, bool) else None
        if kind == "number":
            return (
                value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
            )
        return value if isinstance(value, str) else None
    except (TypeError, ValueError):
        return None


def check_value(question: Question, value: Any) -> str | None:
    """Why a typed value cannot be an answer to `question` (None when it can)."""
    if not is_answered(value):
        return None
    kind = question.type
    if kind == "text" and not isinstance(value, str):
        return _("expected text")
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return _("expected a number")
        if question.min is not None and value < question.min:
            return _("must be at least {min}").format(min=_plain(question.min))
        if question.max is not None and value > question.max:
            return _("must be at most {max}").format(max=_plain(question.max))
    if kind == "yes_no" and not isinstance(value, bool):
        return _("expected yes or no")
    if kind == "date" and not isinstance(value, date):
        return _("expected a date")
    if kind == "choice" and (not isinstance(value, str) or question.option(value) is None):
        return _("no option {value}").format(value=value)
    if kind == "multi_choice":
        if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)):
            return _("expected a list of options")
        unknown = [v for v in value if question.option(v) is None]
        if unknown:
            return _("no option {value}").format(value=unknown[0])
    return None


def answers_to_json(
    script: Script,
    answers: Mapping[str, Any],
    values: Mapping[str, Any] | None = None,
    typed: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Answers as stored: [{"id", "text", "type", "answer", "label"}] in script order, with
    the question text as asked (placeholders filled from `values`) and the answer as read
    (`label`), so they stay readable after the script changes. `typed` adds what was typed
    but not (yet) accepted, under "typed"."""
    typed = typed or {}
    rows = []
    for question in script.questions:
        value = answers.get(question.id)
        raw = typed.get(question.id, "")
        if not is_answered(value) and not raw:
            continue
        row = {
            "id": question.id,
            "text": render_say(question.text, values or {}),
            "type": question.type,
            "answer": answer_to_json(value) if is_answered(value) else None,
            "label": format_answer(question, value, script.language),
        }
        if raw:
            row["typed"] = raw
        rows.append(row)
    return rows


def answers_from_json(rows: Iterable[Mapping[str, Any]]) -> dict[str, AnswerValue]:
    """Typed answers from stored rows (the row's own type decides how to read it)."""
    found: dict[str, AnswerValue] = {}
    for row in rows:
        value = answer_from_json(str(row.get("type", "text")), row.get("answer"))
        if value is not None and is_answered(value):
            found[str(row["id"])] = value
    return found


def fit_answers(
    script: Script, answers: Mapping[str, Any], typed: Mapping[str, str], today: date
) -> tuple[dict[str, AnswerValue], dict[str, str]]:
    """Stored answers as this script's form can show them: an answer that is not one of
    the question's (text kept for a choice, a number stored as text, a reworded option) is
    read again as if typed; what still does not read stays as typed text, shown with why.
    So a form reopened from an older record shows every earlier answer, and counts as
    answered only what it shows."""
    fitted: dict[str, AnswerValue] = {}
    kept = {key: text for key, text in typed.items() if script.has_question(key)}
    for key, value in answers.items():
        if not script.has_question(key) or not is_answered(value) or key in kept:
            continue
        question = script.question(key)
        if check_value(question, value) is None:
            fitted[key] = value
            continue
        text = (
            ", ".join(str(v) for v in value)
            if isinstance(value, (list, tuple, set, frozenset))
            else format_answer(question, value, script.language)
            if isinstance(value, (bool, date))
            else str(value)
        )
        parsed = validate_answer(question, text, today)
        if parsed.error is None and parsed.value is not None:
            fitted[key] = parsed.value
        else:
            kept[key] = text
    return fitted, kept
