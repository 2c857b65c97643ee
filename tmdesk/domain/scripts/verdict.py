"""What the answers say: which questions show, what is missing, fit, actuality, score.

Rules (data/scripts/README.md has them for supervisors):
- a question shows when it has no `show_if` or its condition holds on the answer of the
  earlier question it names; the answers of hidden questions are ignored everywhere — they
  do not make other questions show, do not knock out and do not score;
- fit is False as soon as one knockout holds (all reasons are kept, in script order), True
  when nothing knocks out and every visible required question is answered, else None;
- actuality comes from the first visible answered question of each role, by precedence:
  bought elsewhere = yes → later, recall in `bought_elsewhere_months`; else a purchase
  date within `now_within_days` → now, a later one → later, recall `recall_before_days`
  before it; else need now = yes → now, = no → later, recall in `no_need_months`; else
  unknown. A recall date is never before tomorrow;
- the score is the sum of the points of the visible answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from tmdesk.domain.dates import add_months
from tmdesk.domain.phones import parse_phone
from tmdesk.domain.scripts.model import (
    ROLE_LABELS,
    AnswerValue,
    Person,
    Question,
    Script,
    Verdict,
    is_answered,
)
from tmdesk.i18n import N_, Labels, _


def visible_questions(script: Script, answers: Mapping[str, Any]) -> tuple[Question, ...]:
    """The questions to show for these answers, in script order."""
    shown = []
    seen: dict[str, Any] = {}
    for question in script.questions:
        condition = question.show_if
        if condition is None or condition.holds(seen.get(condition.question or "")):
            shown.append(question)
            value = answers.get(question.id)
            if is_answered(value):
                seen[question.id] = value
    return tuple(shown)


def effective_answers(script: Script, answers: Mapping[str, Any]) -> dict[str, AnswerValue]:
    """The answers that count: those of visible questions, non-blank."""
    return {
        q.id: answers[q.id]
        for q in visible_questions(script, answers)
        if is_answered(answers.get(q.id))
    }


def missing_required(script: Script, answers: Mapping[str, Any]) -> tuple[Question, ...]:
    """Visible required questions without an answer, in script order."""
    return tuple(
        q
        for q in visible_questions(script, answers)
        if q.required and not is_answered(answers.get(q.id))
    )


def verdict(script: Script, answers: Mapping[str, Any], today: date) -> Verdict:
    visible = visible_questions(script, answers)
    counted = {q.id: answers[q.id] for q in visible if is_answered(answers.get(q.id))}
    reasons: list[str] = []
    score = 0
    for question in visible:
        if question.id not in counted:
            continue
        value = counted[question.id]
        score += question.points(value)
        for knockout in question.knockouts:
            if knockout.condition.holds(value) and knockout.reason not in reasons:
                reasons.append(knockout.reason)
    if reasons:
        fit: bool | None = False
    elif any(q.required and q.id not in counted for q in visible):
        fit = None
    else:
        fit = True
    actuality, recall_on = _actuality(script, visible, counted, today)
    return Verdict(fit, tuple(reasons), actuality, recall_on, score)


def _actuality(
    script: Script, visible: Sequence[Question], counted: Mapping[str, Any], today: date
) -> tuple[str, date | None]:
    first: dict[str, Any] = {}
    for question in visible:
        if question.actuality and question.id in counted:
            first.setdefault(question.actuality, counted[question.id])
    rules = script.actuality
    tomorrow = today + timedelta(days=1)
    if first.get("bought_elsewhere") is True:
        return "later", max(add_months(today, rules.bought_elsewhere_months), tomorrow)
    planned = first.get("purchase_date")
    if isinstance(planned, date):
        if planned <= today + timedelta(days=rules.now_within_days):
            return "now", None
        return "later", max(planned - timedelta(days=rules.recall_before_days), tomorrow)
    need = first.get("need_now")
    if need is True:
        return "now", None
    if need is False:
        return "later", max(add_months(today, rules.no_need_months), tomorrow)
    return "unknown", None


# --- placeholders ----------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")
MISSING = "—"


def placeholders_in(text: str) -> list[str]:
    return [m[1] for m in PLACEHOLDER.finditer(text) if m[1]]


def render_say(text: str, values: Mapping[str, Any]) -> str:
    """Fill `{name}` placeholders. A known name with no value leaves a natural sentence
    (see `drop_empty`); an unknown one stays as written ("{compnay}"); `{{` and `}}` are
    literal braces. Never raises."""

    def fill(match: re.Match[str]) -> str:
        whole, name = match[0], match[1]
        if name is None:
            return whole[0]
        if name not in values:
            return whole
        value = values[name]
        text = "" if value is None else str(value).strip()
        return text or MISSING

    return PLACEHOLDER.sub(fill, drop_empty(text or "", values))


_CLAUSE_END = re.compile(r"([,;:.!?\n])")


def drop_empty(text: str, values: Mapping[str, Any]) -> str:
    """Take out what says a known placeholder with no value, so the sentence still reads:
    "Добрый день, {contact_name}!" → "Добрый день!" (the clause after a comma goes),
    "Город {city}, регион …" → "Регион …" (a leading clause goes with its comma),
    "Hello {contact_name}!" → "Hello!" (otherwise the placeholder alone goes)."""

    def empty(match: re.Match[str]) -> bool:
        name = match[1]
        return name is not None and name in values and not str(values[name] or "").strip()

    if not any(empty(m) for m in PLACEHOLDER.finditer(text)):
        return text
    parts = _CLAUSE_END.split(text)  # clause, delimiter, clause, delimiter, …, clause
    for i in range(0, len(parts), 2):
        clause = parts[i]
        if not any(empty(m) for m in PLACEHOLDER.finditer(clause)):
            continue
        before = parts[i - 1] if i > 0 else ""
        after = parts[i + 1] if i + 1 < len(parts) else ""
        if before in (",", ";"):
            parts[i - 1], parts[i] = "", ""
        elif before in ("", ".", "!", "?", "\n") and after in (",", ";", ":"):
            parts[i], parts[i + 1] = "", ""
            if i + 2 < len(parts):  # the next clause starts the sentence now
                following = parts[i + 2].lstrip()
                lead = clause[: len(clause) - len(clause.lstrip())]
                parts[i + 2] = lead + following[:1].upper() + following[1:]
        else:
            kept = PLACEHOLDER.sub(lambda m: "" if empty(m) else m[0], clause)
            kept = re.sub(r"(?<=\S)[ \t]{2,}", " ", kept)
            parts[i] = kept if clause[-1:].isspace() else kept.rstrip(" \t")
    return "".join(parts)


def placeholder_values(script: Script, known: Mapping[str, Any]) -> dict[str, str]:
    """The script's own constants, then the desk's values (lead, agent) over them."""
    values = dict(script.placeholders)
    values.update({k: "" if v is None else str(v) for k, v in known.items()})
    return values


# --- decision makers -------------------------------------------------------------------------

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def people_problems(
    script: Script, people: Iterable[Person], default_region: str = "RU"
) -> list[str]:
    """What keeps these people from satisfying the script's decision-makers block (blank
    rows are ignored): too few, a required role absent, a field missing, a bad phone."""
    rules = script.decision_makers
    listed = [p for p in people if not p.is_blank()]
    problems = []
    if len(listed) < rules.min_count:
        problems.append(_("add at least {n} decision maker(s)").format(n=rules.min_count))
    for role in rules.required_roles:
        if not any(p.role == role for p in listed):
            problems.append(_("add a {role}").format(role=ROLE_LABELS.get(role, role)))
    for number, person in enumerate(listed, 1):
        who = person.name.strip() or _("person {n}").format(n=number)
        if not person.role:
            problems.append(_("{who}: choose the role").format(who=who))
        elif person.role not in rules.roles:
            problems.append(
                _("{who}: role {role} is not allowed by this script").format(
                    who=who, role=person.role
                )
            )
        for name in rules.required_fields:
            if not getattr(person, name).strip():
                problems.append(
                    _("{who}: {field} is required").format(who=who, field=_FIELD_LABELS[name])
                )
        if rules.contact_required and not (person.phone.strip() or person.email.strip()):
            problems.append(_("{who}: a phone or an e-mail is required").format(who=who))
        if person.phone.strip():
            phone = parse_phone(person.phone, default_region)
            if phone.e164 is None:
                problems.append(
                    _("{who}: phone {phone}: {reason}").format(
                        who=who, phone=person.phone.strip(), reason=phone.reason or _("invalid")
                    )
                )
        if person.email.strip() and not _EMAIL.fullmatch(person.email.strip()):
            problems.append(
                _("{who}: {email} is not an e-mail address").format(
                    who=who, email=person.email.strip()
                )
            )
    return problems


_FIELD_LABELS = Labels(
    {"name": N_("name"), "position": N_("position"), "phone": N_("phone"), "email": N_("e-mail")}
)
