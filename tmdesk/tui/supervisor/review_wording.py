"""How the review words a qualification: verdict colours, meeting kinds, cells, and the
audit trail as sentences in the supervisor's time zone.

Plain functions over plain values (tested without an app), shared by the review queue
(review.py) and one qualification in full (review_detail.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from rich.text import Text
from textual.app import App

from tmdesk.i18n import _
from tmdesk.tui.desk.call_display import clock_label
from tmdesk.tui.desk.lead_card import one_line
from tmdesk.tui.desk.queue_table import clip
from tmdesk.tui.supervisor.dialogs import Field, FormDialog
from tmdesk.tui.supervisor.work import AuditLine


def cell(text: str, width: int = 40, style: str = "") -> Text:
    return Text(clip(text, width), style=style)  # Text: a str cell is read as markup


def meeting_kind_label(kind: str) -> str:
    return {"on_site": _("on site"), "video": _("video"), "phone": _("phone")}.get(kind, kind)


def verdict_style(verdict: str) -> str:
    return {"qualified": "green", "nurture": "yellow", "not_fit": "red"}.get(verdict, "")


def ask_return_comment(
    app: App[Any], company: str, agent_name: str, then: Callable[[str], None]
) -> None:
    """The return dialog: a comment is required (the agent sees it on the callback)."""
    app.push_screen(
        FormDialog(
            _("Return “{company}” to {agent}").format(company=company, agent=agent_name),
            [
                Field(
                    "comment",
                    _("What should the agent fix? (they see it on the callback)"),
                    placeholder=_("e.g. ask who signs the contract"),
                    required=True,
                )
            ],
            hint=_("Enter: return with this comment · Esc: cancel"),
            dialog_id="return-dialog",
        ),
        lambda values: then(values["comment"]) if values else None,
    )


# --- the audit trail -----------------------------------------------------------------------


def _value(value: Any, zone: str) -> str:
    if isinstance(value, datetime):
        return clock_label(value, zone)
    if isinstance(value, list | tuple):
        return ", ".join(_value(item, zone) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_value(item, zone)}" for key, item in value.items())
    return one_line(str(value))


def _meeting_sentence(action: str, who: str, values: Mapping[str, Any], zone: str) -> str:
    when = values.get("starts_at")
    when_text = clock_label(when, zone) if isinstance(when, datetime) else ""
    specialist = str(values.get("specialist") or "")
    if action == "meeting.book":
        if specialist:
            return _("{who} booked a meeting with {specialist} for {when}.").format(
                who=who, specialist=specialist, when=when_text
            )
        return _("{who} booked a meeting for {when}.").format(who=who, when=when_text)
    if action == "meeting.reschedule":
        if specialist:
            return _("{who} moved the meeting to {when}, with {specialist}.").format(
                who=who, specialist=specialist, when=when_text
            )
        return _("{who} moved the meeting to {when}.").format(who=who, when=when_text)
    # meeting.cancel: a cancellation by the call loop names no specialist or time
    sentence = (
        _("{who} cancelled the meeting of {when}.").format(who=who, when=when_text)
        if when_text
        else _("{who} cancelled the meeting.").format(who=who)
    )
    reason = one_line(str(values.get("reason") or ""))
    return f"{sentence} {_('Reason: {reason}.').format(reason=reason)}" if reason else sentence


def audit_sentence(line: AuditLine, zone: str, questions: Mapping[str, str] | None = None) -> str:
    """One audit event as a sentence, its instants in `zone`; `questions` gives the text
    of a corrected answer's question. An action with no sentence of its own still reads:
    who, the action's name and its details."""
    who = line.user_login or _("the desk")
    values = line.values
    action = line.action
    if action in ("meeting.book", "meeting.reschedule", "meeting.cancel"):
        return _meeting_sentence(action, who, values, zone)
    if action == "review.approve":
        return _("{who} approved the qualification.").format(who=who)
    if action == "review.return":
        return _("{who} returned the qualification to {agent}: “{comment}”.").format(
            who=who,
            agent=values.get("agent") or "?",
            comment=one_line(str(values.get("comment") or "")),
        )
    if action == "review.correct":
        field = str(values.get("field") or "")
        return _("{who} corrected “{question}”: {before} → {after}.").format(
            who=who,
            question=clip(one_line((questions or {}).get(field) or field), 60),
            before=_value(values.get("before") or "—", zone),
            after=_value(values.get("after") or "—", zone),
        )
    shown = {key: value for key, value in values.items() if key != "qualification_id"}
    details = "; ".join(f"{key}: {_value(value, zone)}" for key, value in shown.items())
    if details:
        return _("{who}: {action} ({details}).").format(who=who, action=action, details=details)
    return _("{who}: {action}.").format(who=who, action=action)
