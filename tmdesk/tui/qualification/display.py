"""How the qualification form words things: the verdict, the outcome a submission gives, the
echo of a typed answer, a person's phone.

Plain functions over plain values (no widgets), so the wording is tested without an app.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from tmdesk.domain.phones import international_format, parse_phone
from tmdesk.domain.scripts import (
    ROLE_LABELS,
    DecisionMakerRules,
    Question,
    Verdict,
    format_answer,
)
from tmdesk.i18n import _
from tmdesk.tui.qualification.work import Submitted


def day_label(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def fit_label(verdict: Verdict, missing: int) -> tuple[str, str]:
    """('Fit: yes', 'ok') — the second item says how to colour it: ok, bad, pending."""
    if verdict.fit is False:
        return _("Not a fit: {reasons}").format(reasons="; ".join(verdict.knockouts)), "bad"
    if verdict.fit:
        return _("Fit: yes"), "ok"
    return _("Fit: ? ({n} required left)").format(n=missing), "pending"


def actuality_label(verdict: Verdict) -> str:
    if verdict.actuality == "now":
        return _("Actual now")
    if verdict.actuality == "later":
        if verdict.recall_on is not None:
            return _("Later: recall {date}").format(date=day_label(verdict.recall_on))
        return _("Later")
    return _("Actuality: ?")


def score_label(verdict: Verdict) -> str:
    return _("Score {score}").format(score=verdict.score)


def first_and_more(items: Sequence[str]) -> str:
    """'Когда планируете закупку?' or 'Когда планируете закупку? (+2 more)'."""
    if len(items) <= 1:
        return "".join(items)
    return _("{first} (+{n} more)").format(first=items[0], n=len(items) - 1)


def outcome_label(
    verdict: Verdict,
    missing: Sequence[str],
    invalid: Sequence[str],
    people: Sequence[str],
    submit_key: str,
) -> tuple[str, str]:
    """What the submit key would do now: record an outcome, or what blocks it first."""
    if invalid:
        return _("{key}: fix first: {what}").format(
            key=submit_key, what=first_and_more(invalid)
        ), "pending"
    if verdict.fit is False:
        return _("{key} → not a fit (the script refuses “qualified”)").format(key=submit_key), "bad"
    if missing:
        return _("{key}: answer first: {what}").format(
            key=submit_key, what=first_and_more(missing)
        ), "pending"
    if people:
        return _("{key}: decision makers: {what}").format(
            key=submit_key, what=first_and_more(people)
        ), "pending"
    if verdict.actuality == "later" and verdict.recall_on is not None:
        return _("{key} → nurture, recall {date}").format(
            key=submit_key, date=day_label(verdict.recall_on)
        ), "ok"
    return _("{key} → qualified").format(key=submit_key), "ok"


def echo_label(question: Question, value: Any, language: str) -> str:
    """The typed answer as the desk read it: '→ 15.01.2027', '→ 1200'; '' for text."""
    if value is None or question.type == "text":
        return ""
    return "→ " + format_answer(question, value, language)


def phone_echo(text: str, region: str) -> tuple[str, bool]:
    """('→ +7 495 123-45-67', True) for a number the desk can store; the reason if not."""
    if not text.strip():
        return "", True
    phone = parse_phone(text, region)
    if phone.e164 is None:
        return phone.reason or _("not a phone number"), False
    shown = international_format(phone.e164)
    if phone.extension:
        shown += " " + _("ext. {ext}").format(ext=phone.extension)
    return "→ " + shown, True


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


def short_role_label(role: str) -> str:
    """The role as the desk's people say it: ЛПР, ЛВР, АПР (see the glossary)."""
    return {
        "decision_maker": "ЛПР",
        "influencer": "ЛВР",
        "approver": "АПР",
        "other": _("other"),
    }.get(role, role)


def submitted_notice(submitted: Submitted) -> str:
    """What the script decided, under the 'Recorded: …' line of the call screen."""
    verdict = submitted.verdict
    if submitted.status == "not_fit":
        return _(
            "The script says not a fit: {reasons}. “Qualified” is not possible; "
            "recorded as not a fit."
        ).format(reasons="; ".join(verdict.knockouts))
    parts = [actuality_label(verdict), score_label(verdict)]
    return _("Qualification submitted: {verdict}").format(verdict=" · ".join(parts))


def people_rules_label(rules: DecisionMakerRules) -> str:
    """What the script asks of the people: 'at least 1 · a decision maker (ЛПР) · …'."""
    field_names = {
        "name": _("name"),
        "position": _("position"),
        "phone": _("phone"),
        "email": _("e-mail"),
    }
    parts = []
    if rules.min_count:
        parts.append(_("at least {n}").format(n=rules.min_count))
    parts += [role_label(role) for role in rules.required_roles]
    if rules.required_fields:
        parts.append(
            _("each with {fields}").format(
                fields=", ".join(field_names.get(f, f) for f in rules.required_fields)
            )
        )
    if rules.contact_required:
        parts.append(_("a phone or an e-mail"))
    return _("Required: {what}").format(what=" · ".join(parts)) if parts else ""
