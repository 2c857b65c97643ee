"""Qualification on the call screen: which script, drafts while typing, the submission.

The verdict is always computed here from the answers by the script's rules; the lead's
outcome follows from it (fit and actual now → qualified, fit but later → nurture with a
recall callback, a knockout → not a fit with its reasons). There is no way to ask for
"qualified" by hand.

Drafts are one Qualification row per lead and agent with status 'draft', updated in place
on every (debounced) save; submitting turns that row into the submitted one.

Over 400 lines: the script choice, drafts, submission and the record read back all work on
the one Qualification row per lead and agent and its decision makers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tmdesk.config import Settings
from tmdesk.domain.calling_window import WeeklyWindows, window_state
from tmdesk.domain.dispositions import Disposition
from tmdesk.domain.phones import parse_phone
from tmdesk.domain.scripts import (
    AnswerValue,
    Person,
    Script,
    ScriptProblem,
    Verdict,
    answers_from_json,
    answers_to_json,
    check_value,
    is_answered,
    load_script,
    missing_required,
    parse_script_file,
    people_from,
    people_problems,
    placeholder_values,
    render_say,
    verdict,
)
from tmdesk.domain.statuses import QualificationStatus
from tmdesk.domain.timezones import data_dir
from tmdesk.errors import TmdeskError
from tmdesk.i18n import _
from tmdesk.services.calls import record_disposition
from tmdesk.store.dialect import execute_many, lock_rows
from tmdesk.store.fields import JsonField, utc_text
from tmdesk.store.models import DecisionMaker, Qualification, database

DEFAULT_SCRIPT_KEY = "b2b-ru"


class QualificationError(TmdeskError):
    """The qualification cannot be saved or submitted as it is (the message says why)."""


def default_scripts_dir() -> Path:
    return data_dir() / "scripts"


# --- scripts -------------------------------------------------------------------------------

_cache: dict[Path, tuple[tuple[int, int], Script]] = {}


def _load_cached(path: Path) -> Script:
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    script = load_script(path)  # ScriptError (a TmdeskError) names every problem
    _cache[path] = (stamp, script)
    return script


def find_script(key: str | None = None) -> Script:
    """The script with this key (default b2b-ru) from the scripts folder (data/scripts):
    the file KEY.toml, else any *.toml in the folder whose `key` is KEY."""
    key = key or DEFAULT_SCRIPT_KEY
    folder = default_scripts_dir()
    path = folder / f"{key}.toml"
    if path.is_file():
        return _load_cached(path.resolve())
    for other in sorted(folder.glob("*.toml")):
        script, _problems = parse_script_file(other)
        if script is not None and script.key == key:
            return _load_cached(other.resolve())
    raise QualificationError(
        _("qualification script {key} not found in {folder}").format(key=key, folder=folder)
    )


@dataclass(frozen=True)
class ScriptInfo:
    key: str
    title: str
    version: str
    path: Path
    questions: int
    problems: int  # 0 for a usable script


def available_scripts() -> list[ScriptInfo]:
    """Every *.toml script in the folder, usable or not (then `problems` > 0)."""
    folder = default_scripts_dir()
    found = []
    for path in sorted(folder.glob("*.toml")):
        script, problems = parse_script_file(path)
        if script is None:
            found.append(ScriptInfo(path.stem, "", "", path, 0, len(problems)))
        else:
            found.append(
                ScriptInfo(script.key, script.title, script.version, path, len(script.questions), 0)
            )
    return found


def check_script_file(path: str | Path) -> tuple[Script | None, list[ScriptProblem]]:
    """For `tmdesk script check`: (the script, []) or (None, every problem with its line)."""
    return parse_script_file(path)


def script_for_lead(lead_id: int) -> Script:
    """The script the lead's call list names, or the default one."""
    row = database.execute_sql(
        "SELECT c.script_key FROM lead l JOIN call_list c ON c.id = l.call_list_id WHERE l.id = ?",
        (lead_id,),
    ).fetchone()
    if row is None:
        raise QualificationError(_("lead {id} does not exist").format(id=lead_id))
    return find_script(row[0])


# --- the lead and agent a form is filled for -----------------------------------------------


@dataclass(frozen=True)
class _Context:
    values: dict[str, str]  # placeholders from the lead and the agent
    region: str  # default region of the lead's list, for typed phones
    zones: tuple[str, ...]  # the lead's candidate time zones
    agent_zone: str


def _context(lead_id: int, agent_id: int) -> _Context:
    row = database.execute_sql(
        "SELECT l.company, l.contact, l.position, l.city, l.region, c.default_region, z.zones, "
        "u.name, u.time_zone FROM lead l JOIN call_list c ON c.id = l.call_list_id "
        'JOIN zone_set z ON z.id = l.zone_set_id JOIN "user" u ON u.id = ? WHERE l.id = ?',
        (agent_id, lead_id),
    ).fetchone()
    if row is None:
        raise QualificationError(
            _("lead {id} or agent {agent} does not exist").format(id=lead_id, agent=agent_id)
        )
    company, contact, position, city, region, default_region, zones, agent, zone = row
    values = {
        "company": company,
        "contact_name": contact,
        "contact_position": position,
        "city": city,
        "region": region,
        "agent_name": agent,
    }
    return _Context(
        values,
        default_region or "RU",
        tuple(z for z in (zones or "").split("|") if z),
        zone or "Europe/Moscow",
    )


def say_values(lead_id: int, agent_id: int, script: Script) -> dict[str, str]:
    """The placeholder values for `render_say` on this lead's form."""
    return placeholder_values(script, _context(lead_id, agent_id).values)


# --- drafts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class QualificationDraft:
    qualification_id: int
    lead_id: int
    agent_id: int
    script_key: str
    script_version: str
    answers: dict[str, AnswerValue]  # accepted answers by question id
    typed: dict[str, str]  # text typed but not (yet) accepted, by question id
    decision_makers: tuple[Person, ...]
    saved_at: datetime


def load_draft(lead_id: int, agent_id: int) -> QualificationDraft | None:
    """The agent's draft for the lead (after a restart, a crash, a kill), or None."""
    row = (
        Qualification.select()
        .where(
            Qualification.lead == lead_id,
            Qualification.agent == agent_id,
            Qualification.status == QualificationStatus.DRAFT,
        )
        .order_by(Qualification.id.desc())
        .first()
    )
    if row is None:
        return None
    people = tuple(
        Person(p.role, p.name, p.position, p.phone_raw, p.email)
        for p in row.decision_makers.order_by(DecisionMaker.id)
    )
    entries = row.answers or []
    typed = {str(e["id"]): str(e["typed"]) for e in entries if e.get("typed")}
    return QualificationDraft(
        row.id,
        lead_id,
        agent_id,
        row.script_key,
        row.script_version,
        answers_from_json(entries),
        typed,
        people,
        row.updated_at,
    )


def save_draft(
    lead_id: int,
    agent_id: int,
    script: Script,
    answers: Mapping[str, Any],
    decision_makers: Iterable[Person | Mapping[str, Any]] | None = None,
    *,
    typed: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> int:
    """Keep what the agent has entered so far; returns the draft's id.

    One row per lead and agent, updated in place. `decision_makers=None` leaves the stored
    people as they are; `typed` keeps text not yet accepted (e.g. "31.02") so nothing typed
    is lost. Answers are stored with the question text as asked.
    """
    now = now or datetime.now(UTC)
    context = _context(lead_id, agent_id)
    values = placeholder_values(script, context.values)
    rows = answers_to_json(script, answers, values, typed)
    payload = JsonField().db_value(rows)
    with database.atomic():
        lock_rows("lead", lead_id)  # PostgreSQL: one draft per lead and agent
        found = database.execute_sql(
            "UPDATE qualification SET answers = ?, script_key = ?, script_version = ?, "
            "updated_at = ? WHERE id = (SELECT max(id) FROM qualification WHERE lead_id = ? "
            "AND agent_id = ? AND status = 'draft') RETURNING id",
            (payload, script.key, script.version, utc_text(now), lead_id, agent_id),
        ).fetchone()
        draft_id: int
        if found:
            draft_id = found[0]
        else:
            draft_id = Qualification.insert(
                lead=lead_id,
                agent=agent_id,
                script_key=script.key,
                script_version=script.version,
                answers=rows,
                status=QualificationStatus.DRAFT,
                created_at=now,
                updated_at=now,
            ).execute()
        if decision_makers is not None:
            _store_people(draft_id, _people(decision_makers), context.region)
    return draft_id


def discard_draft(lead_id: int, agent_id: int) -> None:
    with database.atomic():
        Qualification.delete().where(
            Qualification.lead == lead_id,
            Qualification.agent == agent_id,
            Qualification.status == QualificationStatus.DRAFT,
        ).execute()


def _people(rows: Iterable[Person | Mapping[str, Any]]) -> tuple[Person, ...]:
    rows = list(rows)
    plain = [r for r in rows if not isinstance(r, Person)]
    converted = iter(people_from(plain))
    return tuple(r if isinstance(r, Person) else next(converted) for r in rows)


def _store_people(qualification_id: int, people: Sequence[Person], region: str) -> None:
    database.execute_sql(
        "DELETE FROM decision_maker WHERE qualification_id = ?", (qualification_id,)
    )
    rows = []
    for person in people:
        if person.is_blank():
            continue
        raw = person.phone.strip()
        e164 = parse_phone(raw, region).e164 if raw else None
        rows.append(
            (
                qualification_id,
                person.role,
                person.name.strip(),
                person.position.strip(),
                raw,
                e164,
                person.email.strip(),
            )
        )
    if rows:
        execute_many(
            "INSERT INTO decision_maker (qualification_id, role, name, position, phone_raw, "
            "phone_e164, email) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


# --- submitting ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    qualification_id: int
    status: str  # the lead's status now: qualified | nurture | not_fit
    verdict: Verdict
    next_call_at: datetime | None  # the recall callback of a nurture lead
    attempt_id: int


def submit_qualification(
    lead_id: int,
    agent_id: int,
    settings: Settings,
    script: Script,
    answers: Mapping[str, Any],
    decision_makers: Iterable[Person | Mapping[str, Any]] = (),
    *,
    note: str = "",
    dialled_at: datetime | None = None,
    now: datetime | None = None,
) -> Submitted:
    """Store the answers with the verdict the script gives, and record the call's outcome
    on the lead the agent holds, in one transaction.

    Refused (QualificationError) while a visible required question is unanswered or the
    decision makers do not satisfy the script — unless a knockout already makes the lead
    not a fit, which is recorded at once. CallError when the lead is no longer the agent's.
    """
    now = now or datetime.now(UTC)
    context = _context(lead_id, agent_id)
    values = placeholder_values(script, context.values)
    people = _people(decision_makers)
    wrong = []
    for question in script.questions:
        problem = check_value(question, answers.get(question.id))
        if problem:
            wrong.append(f"{render_say(question.text, values)}: {problem}")
    if wrong:
        raise QualificationError(
            _("fix the answers first: {problems}").format(problems="; ".join(wrong))
        )
    today = now.astimezone(ZoneInfo(context.agent_zone)).date()
    result = verdict(script, answers, today)
    if result.fit is not False:
        missing = missing_required(script, answers)
        if missing:
            raise QualificationError(
                _("answer the required questions first: {questions}").format(
                    questions="; ".join(render_say(q.text, values) for q in missing)
                )
            )
        problems = people_problems(script, people, context.region)
        if problems:
            raise QualificationError(
                _("decision makers: {problems}").format(problems="; ".join(problems))
            )

    recall_at = None
    reason = ""
    if result.fit is False:
        disposition = Disposition.NOT_FIT
        reason = "; ".join(result.knockouts)
    elif result.actuality == "later" and result.recall_on is not None:
        disposition = Disposition.NURTURE
        recall_at = recall_moment(
            result.recall_on, context.zones, context.agent_zone, settings.calling_window
        )
    else:
        disposition = Disposition.QUALIFIED
    stored = answers_to_json(script, {k: v for k, v in answers.items() if is_answered(v)}, values)
    with database.atomic():
        recorded = record_disposition(
            lead_id,
            agent_id,
            disposition,
            settings,
            note=note,
            reason=reason,
            recall_at=recall_at,
            dialled_at=dialled_at,
            now=now,
            by_script=True,
        )
        fields = dict(
            script_key=script.key,
            script_version=script.version,
            answers=stored,
            fit=result.fit,
            knockouts=list(result.knockouts),
            actuality=result.actuality,
            recall_on=result.recall_on.isoformat() if result.recall_on else None,
            score=result.score,
            status=QualificationStatus.SUBMITTED,
            submitted_at=now,
            updated_at=now,
        )
        draft = (
            Qualification.select(Qualification.id)
            .where(
                Qualification.lead == lead_id,
                Qualification.agent == agent_id,
                Qualification.status == QualificationStatus.DRAFT,
            )
            .order_by(Qualification.id.desc())
            .first()
        )
        if draft is not None:
            qualification_id = draft.id
            Qualification.update(**fields).where(Qualification.id == draft.id).execute()
            Qualification.delete().where(
                Qualification.lead == lead_id,
                Qualification.agent == agent_id,
                Qualification.status == QualificationStatus.DRAFT,
                Qualification.id != draft.id,
            ).execute()
        else:
            qualification_id = Qualification.insert(
                lead=lead_id, agent=agent_id, created_at=now, **fields
            ).execute()
        _store_people(qualification_id, people, context.region)
    return Submitted(
        qualification_id, recorded.status, result, recorded.next_call_at, recorded.attempt_id
    )


def recall_moment(
    day: date, lead_zones: Sequence[str], fallback_zone: str, windows: WeeklyWindows | None = None
) -> datetime:
    """10:00 on `day` in the lead's first time zone (the agent's when none is known); when
    the calling window is closed then (a Sunday), its next opening, so the recall comes back
    to its agent on time instead of turning overdue and going to anyone."""
    zones = tuple(lead_zones) or (fallback_zone,)
    moment = datetime.combine(day, time(10, 0), ZoneInfo(zones[0])).astimezone(UTC)
    if windows is not None:
        state = window_state(moment, zones, windows)
        if not state.allowed and state.opens_at is not None:
            return state.opens_at
    return moment


# --- reading back --------------------------------------------------------------------------


@dataclass(frozen=True)
class AnsweredQuestion:
    id: str
    text: str  # as asked at the time
    type: str
    answer: Any  # as stored (JSON: dates as ISO text, multiple choices as lists)
    label: str  # the answer as a person reads it


@dataclass(frozen=True)
class StoredPerson:
    role: str
    name: str
    position: str
    phone_raw: str
    phone_e164: str | None
    email: str


@dataclass(frozen=True)
class QualificationRecord:
    id: int
    lead_id: int
    agent_id: int
    agent_name: str
    script_key: str
    script_version: str
    status: str  # submitted | approved | returned
    answers: tuple[AnsweredQuestion, ...]
    verdict: Verdict
    decision_makers: tuple[StoredPerson, ...]
    submitted_at: datetime | None
    review_comment: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "script_key": self.script_key,
            "script_version": self.script_version,
            "status": self.status,
            "agent": self.agent_name,
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            "fit": self.verdict.fit,
            "knockouts": list(self.verdict.knockouts),
            "actuality": self.verdict.actuality,
            "recall_on": self.verdict.recall_on.isoformat() if self.verdict.recall_on else None,
            "score": self.verdict.score,
            "answers": [
                {"id": a.id, "text": a.text, "type": a.type, "answer": a.answer, "label": a.label}
                for a in self.answers
            ],
            "decision_makers": [
                {
                    "role": p.role,
                    "name": p.name,
                    "position": p.position,
                    "phone": p.phone_e164 or p.phone_raw,
                    "phone_raw": p.phone_raw,
                    "email": p.email,
                }
                for p in self.decision_makers
            ],
        }


def qualification_for(lead_id: int) -> QualificationRecord | None:
    """The lead's latest submitted (or reviewed) qualification, drafts excluded."""
    row = (
        Qualification.select()
        .where(Qualification.lead == lead_id, Qualification.status != QualificationStatus.DRAFT)
        .order_by(Qualification.submitted_at.desc(), Qualification.id.desc())
        .first()
    )
    if row is None:
        return None
    answers = tuple(
        AnsweredQuestion(
            str(e.get("id", "")),
            str(e.get("text", "")),
            str(e.get("type", "text")),
            e.get("answer"),
            str(e.get("label") or _plain(e.get("answer"))),
        )
        for e in row.answers or []
    )
    people = tuple(
        StoredPerson(p.role, p.name, p.position, p.phone_raw, p.phone_e164, p.email)
        for p in row.decision_makers.order_by(DecisionMaker.id)
    )
    result = Verdict(
        row.fit,
        tuple(row.knockouts or ()),
        row.actuality,
        date.fromisoformat(row.recall_on) if row.recall_on else None,
        row.score,
    )
    return QualificationRecord(
        row.id,
        row.lead_id,
        row.agent_id,
        row.agent.name,
        row.script_key,
        row.script_version,
        row.status,
        answers,
        result,
        people,
        row.submitted_at,
        row.review_comment,
    )


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
