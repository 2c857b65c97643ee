"""Which leads are ready for handoff, and each one as a plain record (a JSON-able dict).

A lead is ready when its status is `qualified` and its latest qualification (drafts aside)
is approved by a supervisor — or merely submitted when review is switched off or the
supervisor asks for unreviewed leads too. The meeting handed over is the lead's latest one
that is not cancelled (a booked one first).

Records are built with a constant number of queries, whatever the number of leads: the
chosen leads go into a temporary table (one INSERT … SELECT), and four joins over it read
the leads with their qualification, agent, reviewer and meeting; the decision makers; the
call notes; the users named in corrections. 100k leads are read in a few seconds.

The record is what the development specialist receives and what the batch stores
(ExportedLead.record), so its keys are an interface (docs/architecture.md §10): company, contact,
phone_e164, qualification, decision_makers, meeting, agent, qualified_at, and more.
Instants are ISO 8601 with their UTC offset; meeting times are in the specialist's zone.

Over 400 lines: most of it is the SQL joins and turning their rows into the record; the
record's keys are an interface, so they are built in one place.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from phonenumbers import PhoneNumber, PhoneNumberFormat, format_number

from tmdesk.domain.phones import national_format
from tmdesk.domain.statuses import QualificationStatus
from tmdesk.services.export_staging import handed_off
from tmdesk.store.dialect import in_json_ids, same_as
from tmdesk.store.fields import parse_utc_text, utc_text
from tmdesk.store.models import database

PICK = "temp.handoff_pick"


@dataclass(frozen=True)
class Selection:
    """Which ready leads to take."""

    review_required: bool = True
    include_unreviewed: bool = False  # submitted but not yet approved ones too
    include_exported: bool = False  # --all: leads handed off before as well
    since: datetime | None = None  # qualified at or after this instant
    specialist_id: int | None = None  # only leads with a meeting of this specialist
    lead_ids: tuple[int, ...] | None = None  # only these leads (still only the ready ones)
    booked_only: bool = False  # only leads with a booked meeting (an .ics carries no other)

    @property
    def statuses(self) -> tuple[str, ...]:
        if self.review_required and not self.include_unreviewed:
            return (QualificationStatus.APPROVED,)
        return (QualificationStatus.APPROVED, QualificationStatus.SUBMITTED)


def _pick_sql(selection: Selection) -> tuple[str, list[Any]]:
    # Statuses are constants of ours, written as literals (docs/architecture.md §3); values
    # are bound.
    statuses = ", ".join(f"'{s}'" for s in selection.statuses)
    where = ["l.status = 'qualified'", f"q.status IN ({statuses})"]
    params: list[Any] = []
    if selection.since is not None:
        where.append("q.submitted_at >= ?")
        params.append(utc_text(selection.since))
    if not selection.include_exported:
        where.append("NOT " + handed_off("l.id"))  # a pending batch holds no lead yet
    if selection.specialist_id is not None:
        where.append("m.specialist_id = ?")
        params.append(selection.specialist_id)
    if selection.booked_only:
        where.append("m.status = 'booked'")
    if selection.lead_ids is not None:
        where.append(in_json_ids("l.id"))
        params.append(json.dumps(list(selection.lead_ids)))
    sql = (
        f"INSERT INTO {PICK} (lead_id, qualification_id, meeting_id, specialist_id) "
        "SELECT l.id, q.id, m.id, m.specialist_id FROM ("
        "  SELECT id, lead_id, status, submitted_at, row_number() OVER ("
        "    PARTITION BY lead_id ORDER BY submitted_at DESC, id DESC) AS n"
        "  FROM qualification WHERE status != 'draft') AS q "
        "JOIN lead l ON l.id = q.lead_id "
        "LEFT JOIN ("
        "  SELECT id, lead_id, specialist_id, status, row_number() OVER ("
        "    PARTITION BY lead_id ORDER BY status = 'booked' DESC, starts_at DESC, id DESC) AS n"
        "  FROM meeting WHERE status != 'cancelled') AS m ON m.lead_id = l.id AND m.n = 1 "
        "WHERE q.n = 1 AND " + " AND ".join(where)
    )
    return sql, params


def pick_ready(selection: Selection) -> int:
    """Put the ready leads of `selection` in this connection's pick table; how many."""
    database.execute_sql(
        "CREATE TEMP TABLE IF NOT EXISTS handoff_pick (lead_id INTEGER PRIMARY KEY, "
        "qualification_id INTEGER NOT NULL, meeting_id INTEGER, specialist_id INTEGER)"
    )
    database.execute_sql(f"DELETE FROM {PICK}")
    sql, params = _pick_sql(selection)
    database.execute_sql(sql, params)
    picked: int = database.execute_sql(f"SELECT count(*) FROM {PICK}").fetchone()[0]
    return picked


def picked_specialists() -> dict[int | None, int]:
    """Specialist id (None: no meeting) → how many picked leads."""
    rows = database.execute_sql(
        f"SELECT specialist_id, count(*) FROM {PICK} GROUP BY specialist_id"
    )
    return dict(rows.fetchall())


def already_exported() -> list[int]:
    """Picked leads that a complete batch holds by now (another export may have run meanwhile)."""
    rows = database.execute_sql(
        f"SELECT p.lead_id FROM {PICK} p WHERE {handed_off('p.lead_id')} ORDER BY p.lead_id"
    )
    return [row[0] for row in rows]


def release_pick() -> None:
    database.execute_sql(f"DROP TABLE IF EXISTS {PICK}")


# --- the records -------------------------------------------------------------------------

# {only}: the specialist filter of iter_picked_records (text of ours, not data)
_MAIN = f"""
SELECT l.id, l.company, l.contact, l.position, l.email, l.city, l.region, l.place, l.inn,
       l.website, l.comment, l.extra, l.phone_raw, l.phone_e164, l.phone_ext, l.alternates,
       z.zones, c.name,
       q.id, q.script_key, q.script_version, q.status, q.answers, q.fit, q.knockouts,
       q.actuality, q.recall_on, q.score, q.submitted_at, q.reviewed_at, q.review_comment,
       q.corrections, a.login, a.name, r.login, r.name,
       m.id, m.status, m.starts_at, m.ends_at, m.kind, m.place, m.link_later, m.agenda,
       m.attendees,
       m.booked_at, b.login, b.name,
       s.id, s.name, s.email, s.phone_e164, s.time_zone, p.specialist_id
FROM {PICK} p
JOIN lead l ON l.id = p.lead_id
JOIN call_list c ON c.id = l.call_list_id
JOIN zone_set z ON z.id = l.zone_set_id
JOIN qualification q ON q.id = p.qualification_id
JOIN "user" a ON a.id = q.agent_id
LEFT JOIN "user" r ON r.id = q.reviewed_by_id
LEFT JOIN meeting m ON m.id = p.meeting_id
LEFT JOIN "user" b ON b.id = m.booked_by_id
LEFT JOIN specialist s ON s.id = m.specialist_id
WHERE p.lead_id BETWEEN ? AND ? {{only}}
ORDER BY p.lead_id
"""

_PEOPLE = f"""
SELECT d.qualification_id, d.role, d.name, d.position, d.phone_raw, d.phone_e164, d.email
FROM {PICK} p JOIN decision_maker d ON d.qualification_id = p.qualification_id
WHERE p.lead_id BETWEEN ? AND ? {{only}}
ORDER BY d.qualification_id, d.id
"""

_NOTES = f"""
SELECT ca.lead_id, ca.at, u.login, u.name, ca.disposition, ca.note
FROM {PICK} p JOIN call_attempt ca ON ca.lead_id = p.lead_id JOIN "user" u ON u.id = ca.agent_id
WHERE p.lead_id BETWEEN ? AND ? {{only}} AND ca.note != '' AND ca.undone_at IS NULL
ORDER BY ca.lead_id, ca.at, ca.id
"""


# The PBX calls of the qualifying call (the lead's latest "qualified" attempt): their line,
# times and recording references go with the lead.
_PHONE_CALLS = f"""
SELECT ca.lead_id, pc.provider, pc.provider_call_id, pc.line, pc.result, pc.ring_seconds,
  pc.talk_seconds, pc.recording, pc.requested_at
FROM {PICK} p JOIN call_attempt ca ON ca.id = (
  SELECT MAX(q.id) FROM call_attempt q WHERE q.lead_id = p.lead_id
  AND q.disposition = 'qualified' AND q.undone_at IS NULL)
JOIN phone_call pc ON pc.attempt_id = ca.id
WHERE p.lead_id BETWEEN ? AND ? {{only}}
ORDER BY ca.lead_id, pc.id
"""


def _utc(text: str) -> datetime:
    """A stored instant; fromisoformat reads the store's fixed width ten times faster than
    strptime (parse_utc_text)."""
    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    except ValueError:
        return parse_utc_text(text)


def _iso(text: str | None) -> str | None:
    """Stored UTC text ("2026-11-25 07:00:00.000000") as ISO 8601 with its offset."""
    if not text:
        return None
    if len(text) >= 19 and text[10] == " ":  # the store's fixed width: no parsing needed
        return f"{text[:10]}T{text[11:19]}+00:00"
    return parse_utc_text(text).isoformat(timespec="seconds")


def _iso_text(value: Any) -> Any:
    """A stored instant ("2026-11-25 07:00:00.000000") as ISO 8601; anything else as is."""
    if isinstance(value, str):
        try:
            return _iso(value)
        except ValueError:
            return value
    return value


def _json(text: str | None, empty: Any) -> Any:
    return json.loads(text) if text else empty


@functools.lru_cache(maxsize=1 << 16)  # people often share the company's number
def _national(e164: str | None) -> str:
    """national_format(e164), twice as fast for +7 numbers (most of a Russian desk): the
    number is built from its digits instead of parsed (a +7 number has no leading zero)."""
    if not e164:
        return ""
    if len(e164) == 12 and e164.startswith("+7") and e164[2:].isdigit():
        number = PhoneNumber(country_code=7, national_number=int(e164[2:]))
        return format_number(number, PhoneNumberFormat.NATIONAL)
    return national_format(e164)


def _user(login: str | None, name: str | None) -> dict[str, Any] | None:
    return {"login": login, "name": name} if login is not None else None


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _answers(
    stored: list[Any], corrections: list[Any], users: dict[int, str]
) -> list[dict[str, Any]]:
    """The answers as the specialist should read them: a supervisor's correction replaces
    the agent's answer, which stays beside it (answered, answered_label)."""
    answers = [
        {
            "id": str(a.get("id", "")),
            "text": a.get("text", ""),
            "type": a.get("type", "text"),
            "answer": a.get("answer"),
            "label": a.get("label") if a.get("label") is not None else _label(a.get("answer")),
        }
        for a in stored
    ]
    by_id = {a["id"]: a for a in answers}
    for correction in corrections:
        field = str(correction.get("field", ""))
        field = field.removeprefix("answers.").removeprefix("answer:")
        answer = by_id.get(field)
        if answer is None:  # a question the agent left unanswered
            answer = {"id": field, "text": field, "type": "text", "answer": None, "label": ""}
            answers.append(answer)
            by_id[field] = answer
        if "answered" not in answer:
            answer["answered"], answer["answered_label"] = answer["answer"], answer["label"]
        by = correction.get("by")
        answer["answer"] = correction.get("after")
        answer["label"] = _label(correction.get("after"))
        answer["corrected_by"] = users.get(by, by) if isinstance(by, int) else by
        answer["corrected_at"] = _iso_text(correction.get("at"))
    return answers


def _label(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _phones(alternates: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "e164": p.get("e164"),
            "national": _national(p.get("e164")),
            "ext": p.get("ext"),
            "raw": p.get("raw", ""),
        }
        for p in alternates
    ]


ANY = object()  # every picked lead, whatever their specialist
CHUNK = 2_000  # leads read per round of queries: memory stays flat at 100k leads


def picked_records(specialist_id: Any = ANY) -> list[dict[str, Any]]:
    """The record of every picked lead (of one specialist: None for no meeting), by id."""
    return list(iter_picked_records(specialist_id))


def iter_picked_records(
    specialist_id: Any = ANY, chunk: int | None = None
) -> Iterator[dict[str, Any]]:
    """The records of the picked leads by lead id, read `chunk` (CHUNK) leads at a time:
    four queries per chunk, whatever the number of decision makers, notes and meetings."""
    chunk = chunk or CHUNK
    only, extra = (
        ("", []) if specialist_id is ANY else (f"AND {same_as('p.specialist_id')}", [specialist_id])
    )
    users: dict[int, str] = {}
    last = -1
    while True:
        ids = [
            row[0]
            for row in database.execute_sql(
                f"SELECT p.lead_id FROM {PICK} p WHERE p.lead_id > ? {only} "
                "ORDER BY p.lead_id LIMIT ?",
                [last, *extra, chunk],
            )
        ]
        if not ids:
            return
        bounds = [ids[0], ids[-1], *extra]
        last = ids[-1]
        yield from _chunk_records(bounds, only, users)


def _chunk_records(bounds: list[Any], only: str, users: dict[int, str]) -> Iterator[dict[str, Any]]:
    people: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for qualification_id, role, name, position, raw, e164, email in database.execute_sql(
        _PEOPLE.format(only=only), bounds
    ):
        people[qualification_id].append(
            {
                "role": role,
                "name": name,
                "position": position,
                "phone_raw": raw,
                "phone_e164": e164,
                "phone_national": _national(e164),
                "email": email,
            }
        )
    notes: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for lead_id, at, login, name, disposition, text in database.execute_sql(
        _NOTES.format(only=only), bounds
    ):
        notes[lead_id].append(
            {
                "at": _iso(at),
                "agent": name,
                "agent_login": login,
                "disposition": disposition,
                "text": text,
            }
        )
    phone_calls: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for lead_id, provider, call_id, line, result, ring, talk, recording, at in database.execute_sql(
        _PHONE_CALLS.format(only=only), bounds
    ):
        phone_calls[lead_id].append(
            {
                "at": _iso(at),
                "provider": provider,
                "call_id": call_id,
                "line": line,
                "result": result,
                "ring_seconds": ring,
                "talk_seconds": talk,
                "recording": recording,
            }
        )

    for row in database.execute_sql(_MAIN.format(only=only), bounds).fetchall():
        (
            lead_id,
            company,
            contact,
            position,
            email,
            city,
            region,
            place,
            inn,
            website,
            comment,
            extra,
            phone_raw,
            phone_e164,
            phone_ext,
            alternates,
            zones,
            list_name,
            q_id,
            script_key,
            script_version,
            q_status,
            answers,
            fit,
            knockouts,
            actuality,
            recall_on,
            score,
            submitted_at,
            reviewed_at,
            review_comment,
            corrections,
            agent_login,
            agent_name,
            reviewer_login,
            reviewer_name,
            m_id,
            m_status,
            starts_at,
            ends_at,
            kind,
            m_place,
            link_later,
            agenda,
            attendees,
            booked_at,
            booker_login,
            booker_name,
            s_id,
            s_name,
            s_email,
            s_phone,
            s_zone,
            _sid,
        ) = row
        corrections = _json(corrections, [])
        if corrections and not users:
            users.update(database.execute_sql('SELECT id, login FROM "user"').fetchall())
        zone_list = [z for z in (zones or "").split("|") if z]
        meeting = None
        if m_id is not None:
            zone = _zone(s_zone)
            start, end = _utc(starts_at), _utc(ends_at)
            meeting = {
                "id": m_id,
                "status": m_status,
                "specialist": {
                    "id": s_id,
                    "name": s_name,
                    "email": s_email,
                    "phone_e164": s_phone,
                    "time_zone": zone.key,
                },
                "starts_at": start.astimezone(zone).isoformat(timespec="seconds"),
                "ends_at": end.astimezone(zone).isoformat(timespec="seconds"),
                "time_zone": zone.key,
                "starts_at_utc": start.isoformat(timespec="seconds"),
                "ends_at_utc": end.isoformat(timespec="seconds"),
                "kind": kind,
                "place": m_place,
                "link_later": bool(link_later),
                "agenda": agenda,
                "attendees": [
                    {**person, "phone_national": _national(person.get("phone_e164"))}
                    for person in _json(attendees, [])
                ],
                "booked_by": _user(booker_login, booker_name),
                "booked_at": _iso(booked_at),
            }
        yield {
            "lead_id": lead_id,
            "company": company,
            "contact": contact,
            "position": position,
            "phone_e164": phone_e164,
            "phone_national": _national(phone_e164),
            "phone_ext": phone_ext,
            "phone_raw": phone_raw,
            "other_phones": _phones(_json(alternates, [])),
            "email": email,
            "city": city,
            "region": region,
            "place": place,
            "time_zone": zone_list[0] if zone_list else None,
            "time_zones": zone_list,
            "inn": inn,
            "website": website,
            "comment": comment,
            "extra": _json(extra, {}),
            "list": list_name,
            "qualification": {
                "id": q_id,
                "status": q_status,
                "script_key": script_key,
                "script_version": script_version,
                "fit": None if fit is None else bool(fit),
                "knockouts": _json(knockouts, []),
                "actuality": actuality,
                "recall_on": recall_on,
                "score": score,
                "answers": _answers(_json(answers, []), corrections, users),
                "corrections": corrections,
                "submitted_at": _iso(submitted_at),
                "reviewed_by": _user(reviewer_login, reviewer_name),
                "reviewed_at": _iso(reviewed_at),
                "review_comment": review_comment,
            },
            "decision_makers": people.get(q_id, []),
            "notes": notes.get(lead_id, []),
            "agent": {"login": agent_login, "name": agent_name},
            "qualified_at": _iso(submitted_at),
            "meeting": meeting,
            "phone_calls": phone_calls.get(lead_id, []),
            "recordings": [
                call["recording"] for call in phone_calls.get(lead_id, []) if call["recording"]
            ],
        }
