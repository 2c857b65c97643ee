"""The supervisor's review of submitted qualifications: the queue, one qualification in
full, and the review actions (approve, return to the agent, correct an answer).

Every action is checked against the user's role, refused on a qualification that is not
waiting for review, and written to the append-only audit trail with who and when.

Over 400 lines: the queue, the detail and the actions share one item query, the verdict
SQL and the check that a qualification is waiting.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from tmdesk.domain.dispositions import Disposition
from tmdesk.domain.statuses import LeadStatus, QualificationStatus
from tmdesk.errors import TmdeskError
from tmdesk.i18n import _
from tmdesk.services.auth import require_supervisor
from tmdesk.services.calls import LeadCard, PastCall, day_bounds, lead_card
from tmdesk.services.qualification import StoredPerson
from tmdesk.store.dialect import lock_rows
from tmdesk.store.fields import parse_utc_text, utc_text
from tmdesk.store.models import AuditEvent, DecisionMaker, Lead, Qualification, User, database

VERDICTS = (Disposition.QUALIFIED, Disposition.NURTURE, Disposition.NOT_FIT)
STATUSES = (
    QualificationStatus.SUBMITTED,
    QualificationStatus.APPROVED,
    QualificationStatus.RETURNED,
)

# What a qualification led to, as submit_qualification decides it (never typed by hand).
_VERDICT_SQL = (
    "CASE WHEN q.fit = FALSE THEN 'not_fit' WHEN q.actuality = 'later' AND "
    "q.recall_on IS NOT NULL THEN 'nurture' ELSE 'qualified' END"
)


class ReviewError(TmdeskError):
    """The review action cannot be done (wrong state, unknown question, missing comment)."""


@dataclass(frozen=True)
class ReviewItem:
    qualification_id: int
    lead_id: int
    company: str
    contact: str
    agent_login: str
    agent_name: str
    submitted_at: datetime
    fit: bool | None
    actuality: str
    score: int
    status: str  # submitted | approved | returned
    verdict: str  # qualified | nurture | not_fit
    meeting_at: datetime | None
    specialist_name: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "qualification_id": self.qualification_id,
            "lead_id": self.lead_id,
            "company": self.company,
            "contact": self.contact,
            "agent": self.agent_login,
            "submitted_at": self.submitted_at.isoformat(),
            "fit": self.fit,
            "actuality": self.actuality,
            "score": self.score,
            "status": self.status,
            "verdict": self.verdict,
            "meeting_at": self.meeting_at.isoformat() if self.meeting_at else None,
            "specialist": self.specialist_name,
        }


@dataclass(frozen=True)
class ReviewPage:
    items: tuple[ReviewItem, ...]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True)
class ReviewAnswer:
    question_id: str
    text: str
    answer: str  # as the agent answered
    corrected: str | None
    corrected_by: str | None
    corrected_at: datetime | None

    @property
    def value(self) -> str:
        """What the qualification says now: the correction, else the agent's answer."""
        return self.answer if self.corrected is None else self.corrected


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    user_login: str
    action: str  # "meeting.book", "review.return", … (services.audit)
    details: str  # one line for the CLI
    # the event's details for a sentence: instants as datetimes, and "specialist" the name
    # of the specialist_id
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReviewDetail:
    item: ReviewItem
    lead: LeadCard
    answers: tuple[ReviewAnswer, ...]
    decision_makers: tuple[StoredPerson, ...]
    notes: str  # the notes of the lead's calls, oldest first
    calls: tuple[PastCall, ...]  # newest first
    meeting: Any  # services.booking.MeetingInfo | None
    review_comment: str | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    audit: tuple[AuditLine, ...]


# --- the queue -----------------------------------------------------------------------------

_ITEM_COLUMNS = (
    "q.id, q.lead_id, l.company, l.contact, u.login, u.name, q.submitted_at, q.fit, "
    "q.actuality, q.score, q.status, " + _VERDICT_SQL + ", "
    "(SELECT m.starts_at FROM meeting m WHERE m.lead_id = q.lead_id AND m.status = 'booked' "
    " ORDER BY m.starts_at DESC LIMIT 1), "
    "(SELECT s.name FROM meeting m JOIN specialist s ON s.id = m.specialist_id "
    " WHERE m.lead_id = q.lead_id AND m.status = 'booked' ORDER BY m.starts_at DESC LIMIT 1)"
)
_ITEM_FROM = (
    'FROM qualification q JOIN lead l ON l.id = q.lead_id JOIN "user" u ON u.id = q.agent_id'
)


def _item(row: tuple[Any, ...]) -> ReviewItem:
    (
        qid,
        lead_id,
        company,
        contact,
        login,
        name,
        submitted,
        fit,
        actuality,
        score,
        status,
        verdict,
        meeting_at,
        specialist,
    ) = row
    return ReviewItem(
        qid,
        lead_id,
        company,
        contact,
        login,
        name,
        parse_utc_text(submitted),
        None if fit is None else bool(fit),
        actuality,
        score,
        status,
        verdict,
        parse_utc_text(meeting_at) if meeting_at else None,
        specialist,
    )


def review_queue(
    *,
    day: date | None,
    time_zone: str,
    agent_login: str | None = None,
    verdict: str | None = None,
    status: str | None = QualificationStatus.SUBMITTED,
    offset: int = 0,
    limit: int = 50,
) -> ReviewPage:
    """Submitted (or, with `status`, reviewed; None: all) qualifications, newest first,
    of one day in `time_zone` (None: every day), one agent, one verdict."""
    if verdict is not None and verdict not in VERDICTS:
        raise ReviewError(
            _("verdict must be one of {names}, not {value!r}").format(
                names=", ".join(VERDICTS), value=verdict
            )
        )
    if status is not None and status not in STATUSES:
        raise ReviewError(
            _("status must be one of {names}, not {value!r}").format(
                names=", ".join(STATUSES), value=status
            )
        )
    where = ["q.status != 'draft'", "q.submitted_at IS NOT NULL"]
    params: list[Any] = []
    if day is not None:
        start, end = day_bounds(day, time_zone)
        where.append("q.submitted_at >= ? AND q.submitted_at < ?")
        params += [utc_text(start), utc_text(end)]
    if status is not None:
        where.append("q.status = ?")
        params.append(status)
    if agent_login:
        where.append("u.login = ?")
        params.append(agent_login)
    if verdict is not None:
        where.append(f"{_VERDICT_SQL} = ?")
        params.append(verdict)
    condition = " AND ".join(where)
    total = database.execute_sql(
        f"SELECT count(*) {_ITEM_FROM} WHERE {condition}", params
    ).fetchone()[0]
    rows = database.execute_sql(
        f"SELECT {_ITEM_COLUMNS} {_ITEM_FROM} WHERE {condition} "
        "ORDER BY q.submitted_at DESC, q.id DESC LIMIT ? OFFSET ?",
        params + [max(int(limit), 0), max(int(offset), 0)],
    )
    return ReviewPage(tuple(_item(row) for row in rows), total, offset, limit)


def review_item(qualification_id: int) -> ReviewItem:
    row = database.execute_sql(
        f"SELECT {_ITEM_COLUMNS} {_ITEM_FROM} WHERE q.id = ? "
        "AND q.status != 'draft' AND q.submitted_at IS NOT NULL",
        (qualification_id,),
    ).fetchone()
    if row is None:
        raise ReviewError(_("no submitted qualification {id}").format(id=qualification_id))
    return _item(row)


# --- one qualification in full ---------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value)


def _meeting(lead_id: int) -> Any:  # MeetingInfo | None
    try:  # services.booking comes with the meetings; the review works without it
        from tmdesk.services.booking import meeting_for_lead
    except ImportError:
        return None
    return meeting_for_lead(lead_id)


def _answers(row: Qualification) -> tuple[ReviewAnswer, ...]:
    latest: dict[str, dict[str, Any]] = {}
    for correction in row.corrections or []:
        latest[str(correction.get("field"))] = correction
    answers = []
    for entry in row.answers or []:
        qid = str(entry.get("id", ""))
        answer = str(entry.get("label") or _text(entry.get("answer")))
        fix = latest.get(qid)
        answers.append(
            ReviewAnswer(
                qid,
                str(entry.get("text", "")),
                answer,
                None if fix is None else str(fix.get("after", "")),
                None if fix is None else fix.get("by"),
                parse_utc_text(fix["at"]) if fix and fix.get("at") else None,
            )
        )
    return tuple(answers)


def _audit_details(action: str, details: dict[str, Any]) -> str:
    if action == "review.correct":
        return _("{field}: {before!r} → {after!r}").format(
            field=details.get("field"), before=details.get("before"), after=details.get("after")
        )
    if action == "review.return":
        return _("to {agent}: {comment}").format(
            agent=details.get("agent"), comment=details.get("comment")
        )
    shown = {k: v for k, v in details.items() if k != "qualification_id"}
    return json.dumps(shown, ensure_ascii=False) if shown else ""


_INSTANTS = ("starts_at", "ends_at", "at")


def _specialist_names(events: list[AuditEvent]) -> dict[int, str]:
    ids = {
        event.details["specialist_id"]
        for event in events
        if isinstance(event.details, dict) and isinstance(event.details.get("specialist_id"), int)
    }
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    return dict(
        database.execute_sql(f"SELECT id, name FROM specialist WHERE id IN ({marks})", list(ids))
    )


def _audit_values(details: dict[str, Any], specialists: dict[int, str]) -> dict[str, Any]:
    """The details as a sentence needs them: stored UTC text back to instants (shown in the
    reader's zone), the specialist by name."""
    values = dict(details)
    for key in _INSTANTS:
        text = values.get(key)
        if isinstance(text, str):
            try:
                values[key] = parse_utc_text(text)
            except ValueError:
                pass  # not an instant after all: shown as written
    specialist = values.get("specialist_id")
    if isinstance(specialist, int) and specialist in specialists:
        values["specialist"] = specialists[specialist]
    return values


def review_detail(qualification_id: int) -> ReviewDetail:
    """Everything the supervisor checks: the lead, the answers with their question text and
    corrections, the people found, the calls and their notes, the meeting, the trail."""
    item = review_item(qualification_id)
    row = Qualification.get_by_id(qualification_id)
    card = lead_card(item.lead_id)
    people = tuple(
        StoredPerson(p.role, p.name, p.position, p.phone_raw, p.phone_e164, p.email)
        for p in row.decision_makers.order_by(DecisionMaker.id)
    )
    notes = "\n".join(f"{call.agent}: {call.note}" for call in reversed(card.history) if call.note)
    reviewer = User.get_or_none(User.id == row.reviewed_by_id) if row.reviewed_by_id else None
    events = list(
        AuditEvent.select()
        .where(AuditEvent.lead == item.lead_id)
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    specialists = _specialist_names(events)
    audit = tuple(
        AuditLine(
            event.at,
            event.user.login if event.user is not None else "",
            event.action,
            _audit_details(event.action, event.details or {}),
            _audit_values(event.details or {}, specialists),
        )
        for event in events
    )
    return ReviewDetail(
        item=item,
        lead=card,
        answers=_answers(row),
        decision_makers=people,
        notes=notes,
        calls=card.history,
        meeting=_meeting(item.lead_id),
        review_comment=row.review_comment,
        reviewed_by=reviewer.login if reviewer else None,
        reviewed_at=row.reviewed_at,
        audit=audit,
    )


# --- actions -------------------------------------------------------------------------------


def _submitted(qualification_id: int, doing: str) -> Qualification:
    lock_rows("qualification", qualification_id)  # PostgreSQL: until the decision commits
    row = Qualification.get_or_none(Qualification.id == qualification_id)
    if row is None or row.status == QualificationStatus.DRAFT or row.submitted_at is None:
        raise ReviewError(_("no submitted qualification {id}").format(id=qualification_id))
    if row.status != QualificationStatus.SUBMITTED:
        already: dict[str, str] = {
            QualificationStatus.APPROVED: _("already approved"),
            QualificationStatus.RETURNED: _("already returned to its agent"),
        }
        state = already.get(row.status, row.status)
        raise ReviewError(
            _("cannot {doing} qualification {id}: it is {state}").format(
                doing=doing, id=qualification_id, state=state
            )
        )
    return row


def _login(user_id: int) -> str:
    return User.get_by_id(user_id).login


def approve(
    qualification_id: int, supervisor_id: int, *, now: datetime | None = None
) -> ReviewItem:
    """Accept the qualification as it is (with any corrections): the lead is ready for
    the handoff."""
    require_supervisor(supervisor_id, _("approve qualifications"))
    now = now or datetime.now(UTC)
    with database.atomic():
        row = _submitted(qualification_id, _("approve"))
        Qualification.update(
            status=QualificationStatus.APPROVED,
            reviewed_by=supervisor_id,
            reviewed_at=now,
            updated_at=now,
        ).where(Qualification.id == row.id).execute()
        AuditEvent.create(
            at=now,
            user=supervisor_id,
            action="review.approve",
            lead=row.lead_id,
            details={"qualification_id": row.id},
        )
    return review_item(qualification_id)


def _reopen_as_draft(row: Qualification, now: datetime) -> None:
    """The agent finds their answers and people in the form again, to fix what the comment
    says rather than ask the whole script anew (unless they already have a draft)."""
    if (
        Qualification.select()
        .where(
            Qualification.lead == row.lead_id,
            Qualification.agent == row.agent_id,
            Qualification.status == QualificationStatus.DRAFT,
        )
        .exists()
    ):
        return
    draft_id = Qualification.insert(
        lead=row.lead_id,
        agent=row.agent_id,
        script_key=row.script_key,
        script_version=row.script_version,
        answers=row.answers,
        status=QualificationStatus.DRAFT,
        created_at=now,
        updated_at=now,
    ).execute()
    database.execute_sql(
        "INSERT INTO decision_maker (qualification_id, role, name, position, phone_raw, "
        "phone_e164, email) SELECT ?, role, name, position, phone_raw, phone_e164, email "
        "FROM decision_maker WHERE qualification_id = ? ORDER BY id",
        (draft_id, row.id),
    )


def return_to_agent(
    qualification_id: int, supervisor_id: int, comment: str, *, now: datetime | None = None
) -> ReviewItem:
    """Send the qualification back: the lead becomes a due personal callback of the agent
    who submitted it, with the comment as its callback note."""
    require_supervisor(supervisor_id, _("return qualifications"))
    comment = (comment or "").strip()
    if not comment:
        raise ReviewError(_("say what to fix: returning a qualification needs a comment"))
    now = now or datetime.now(UTC)
    with database.atomic():
        row = _submitted(qualification_id, _("return"))
        lead = Lead.get_by_id(row.lead_id)
        if lead.status == LeadStatus.IN_PROGRESS and lead.claimed_by_id is not None:
            raise ReviewError(
                _(
                    "lead {id} is being called by {login} right now; return it "
                    "when the call is over"
                ).format(id=lead.id, login=_login(lead.claimed_by_id))
            )
        Qualification.update(
            status=QualificationStatus.RETURNED,
            reviewed_by=supervisor_id,
            reviewed_at=now,
            review_comment=comment,
            updated_at=now,
        ).where(Qualification.id == row.id).execute()
        Lead.update(
            status=LeadStatus.CALLBACK,
            callback_owner=row.agent_id,
            next_call_at=now,
            callback_note=comment,
            updated_at=now,
        ).where(Lead.id == lead.id).execute()
        _reopen_as_draft(row, now)
        AuditEvent.create(
            at=now,
            user=supervisor_id,
            action="review.return",
            lead=lead.id,
            details={
                "qualification_id": row.id,
                "comment": comment,
                "agent": _login(row.agent_id),
                "lead_status_before": lead.status,
            },
        )
    return review_item(qualification_id)


def correct_answer(
    qualification_id: int,
    supervisor_id: int,
    question_id: str,
    value: str,
    *,
    now: datetime | None = None,
) -> ReviewDetail:
    """Correct one answer. The agent's answer stays as answered; the correction is kept
    beside it (Qualification.corrections) with who and when, and in the audit trail."""
    require_supervisor(supervisor_id, _("correct qualifications"))
    now = now or datetime.now(UTC)
    value = "" if value is None else str(value).strip()
    with database.atomic():
        row = _submitted(qualification_id, _("correct"))
        current = {a.question_id: a for a in _answers(row)}
        if question_id not in current:
            raise ReviewError(
                _("qualification {id} has no answer {question!r} (it has: {known})").format(
                    id=row.id, question=question_id, known=", ".join(current) or "-"
                )
            )
        before = current[question_id].value
        if value == before:
            raise ReviewError(
                _("{question}: the answer is already {value!r}").format(
                    question=question_id, value=value
                )
            )
        login = _login(supervisor_id)
        correction = {
            "field": question_id,
            "before": before,
            "after": value,
            "by": login,
            "at": utc_text(now),
        }
        Qualification.update(
            corrections=[*(row.corrections or []), correction], updated_at=now
        ).where(Qualification.id == row.id).execute()
        AuditEvent.create(
            at=now,
            user=supervisor_id,
            action="review.correct",
            lead=row.lead_id,
            details={
                "qualification_id": row.id,
                "field": question_id,
                "before": before,
                "after": value,
            },
        )
    return review_detail(qualification_id)
