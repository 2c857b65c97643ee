"""The handoff as a table, one row per lead: the columns of the CSV and XLSX files.

Cells are typed (text, number, date, aware datetime) so that each writer can render them its
own way: CSV as text with the UTC offset, XLSX as real dates. Lists (answers, decision
makers, notes) become one multi-line cell each, so a lead stays one row in Excel.
Everything is read from the lead record (the snapshot stored with the batch), never from
the database, so a repeated batch gives the same table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tmdesk.domain.choices import ACTUALITY_LABELS, MEETING_KIND_LABELS, label, yes_no
from tmdesk.domain.meeting_place import place_text
from tmdesk.domain.scripts import ROLE_LABELS
from tmdesk.i18n import _

TEXT, PHONE, NUMBER, DATE, DATETIME, LONG = "text", "phone", "number", "date", "datetime", "long"


@dataclass(frozen=True)
class Column:
    key: str  # stable name, for tests and scripts
    header: str  # as shown (translated)
    kind: str  # TEXT | PHONE | NUMBER | DATE | DATETIME | LONG (multi-line text)
    value: Callable[[Mapping[str, Any]], Any]


def _instant(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _get(*path: str) -> Callable[[Mapping[str, Any]], Any]:
    """record[a] or record[a][b] (None when a part is missing): called for every cell."""
    if len(path) == 1:
        (key,) = path
        return lambda record: record.get(key)
    first, second = path
    return lambda record: (record.get(first) or _EMPTY).get(second)


_EMPTY: Mapping[str, Any] = {}


def _meeting(key: str) -> Callable[[Mapping[str, Any]], Any]:
    return _get("meeting", key)


def phone_text(phone: Mapping[str, Any]) -> str:
    """'8 (495) 123-45-67 ext. 12' — the national form a specialist dials."""
    shown = phone.get("national") or phone.get("e164") or phone.get("raw") or ""
    if phone.get("ext"):
        shown += " " + _("ext. {ext}").format(ext=phone["ext"])
    return shown


def person_line(person: Mapping[str, Any]) -> str:
    """'decision maker (ЛПР): Иван Петров, Генеральный директор, 8 (495) …, mail'."""
    role = ROLE_LABELS.get(person.get("role") or "other", person.get("role") or "")
    phone = person.get("phone_raw") or person.get("phone_national") or ""
    if person.get("phone_e164") and person["phone_e164"] not in phone:
        phone = f"{phone} ({person['phone_e164']})" if phone else person["phone_e164"]
    parts = [person.get("name"), person.get("position"), phone, person.get("email")]
    return f"{role}: " + ", ".join(p for p in parts if p)


def answer_line(answer: Mapping[str, Any]) -> str:
    line = f"{answer.get('text', '')}: {answer.get('label', '')}"
    if "answered" in answer:
        line += " " + _("(corrected by {who}; the agent answered: {before})").format(
            who=answer.get("corrected_by") or "?", before=answer.get("answered_label", "")
        )
    return line


def note_line(note: Mapping[str, Any]) -> str:
    at = _instant(note.get("at"))
    when = f"{at:%Y-%m-%d %H:%M} UTC" if at else ""
    return f"{when} {note.get('agent', '')}: {note.get('text', '')}".strip()


def _lines(
    key: str, render: Callable[[Mapping[str, Any]], str]
) -> Callable[[Mapping[str, Any]], str]:
    def value(record: Mapping[str, Any]) -> str:
        return "\n".join(render(item) for item in record.get(key) or ())

    return value


def _qualification(key: str) -> Callable[[Mapping[str, Any]], Any]:
    return _get("qualification", key)


def _q(record: Mapping[str, Any], key: str) -> Any:
    return (record.get("qualification") or _EMPTY).get(key)


def _m(record: Mapping[str, Any], key: str) -> Any:
    return (record.get("meeting") or _EMPTY).get(key)


def meeting_place(meeting: Mapping[str, Any]) -> str:
    """The place or link; a video meeting without its link says it is missing. Records
    handed off before `link_later` existed keep their place as written (byte for byte)."""
    place = str(meeting.get("place") or "")
    if "link_later" not in meeting:
        return place
    return place_text(str(meeting.get("kind") or ""), place, bool(meeting["link_later"]))


def _answers(record: Mapping[str, Any]) -> str:
    return "\n".join(answer_line(a) for a in _q(record, "answers") or ())


def _attendees(record: Mapping[str, Any]) -> str:
    return "\n".join(person_line(p) for p in _m(record, "attendees") or ())


def _other_phones(record: Mapping[str, Any]) -> str:
    return "; ".join(phone_text(p) for p in record.get("other_phones") or ())


def _extra(record: Mapping[str, Any]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in (record.get("extra") or {}).items())


def _offset(record: Mapping[str, Any]) -> str:
    start = _instant(_m(record, "starts_at"))
    offset = start.utcoffset() if start else None
    if offset is None:
        return ""
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _person_name(value: Any) -> str:
    return (value.get("name") or value.get("login") or "") if value else ""


def columns() -> tuple[Column, ...]:
    """The columns in file order, headers in the current language."""
    return (
        Column("lead_id", _("Lead"), NUMBER, _get("lead_id")),
        Column("company", _("Company"), TEXT, _get("company")),
        Column("contact", _("Contact"), TEXT, _get("contact")),
        Column("position", _("Position"), TEXT, _get("position")),
        Column("phone_e164", _("Phone"), PHONE, _get("phone_e164")),
        Column("phone_national", _("Phone (national)"), PHONE, _get("phone_national")),
        Column("phone_ext", _("Extension"), PHONE, _get("phone_ext")),
        Column("other_phones", _("Other phones"), TEXT, _other_phones),
        Column("email", _("Email"), TEXT, _get("email")),
        Column("city", _("City"), TEXT, _get("city")),
        Column("region", _("Region"), TEXT, _get("region")),
        Column("time_zone", _("Lead's time zone"), TEXT, _get("time_zone")),
        Column("list", _("Call list"), TEXT, _get("list")),
        Column("inn", _("INN"), PHONE, _get("inn")),  # digits that must stay text
        Column("website", _("Website"), TEXT, _get("website")),
        Column("comment", _("Comment"), LONG, _get("comment")),
        Column("fit", _("Fit"), TEXT, lambda r: yes_no(_q(r, "fit"))),
        Column(
            "knockouts", _("Knockout reasons"), TEXT, lambda r: "; ".join(_q(r, "knockouts") or ())
        ),
        Column(
            "actuality",
            _("Actuality"),
            TEXT,
            lambda r: label(ACTUALITY_LABELS, _q(r, "actuality")),
        ),
        Column("recall_on", _("Recall on"), DATE, lambda r: _day(_q(r, "recall_on"))),
        Column("score", _("Score"), NUMBER, _qualification("score")),
        Column("script", _("Script"), TEXT, _qualification("script_key")),
        Column("script_version", _("Script version"), TEXT, _qualification("script_version")),
        Column("answers", _("Answers"), LONG, _answers),
        Column(
            "decision_makers", _("Decision makers"), LONG, _lines("decision_makers", person_line)
        ),
        Column("notes", _("Call notes"), LONG, _lines("notes", note_line)),
        Column("agent", _("Agent"), TEXT, lambda r: _person_name(r.get("agent"))),
        Column(
            "qualified_at",
            _("Qualified at (UTC)"),
            DATETIME,
            lambda r: _instant(r.get("qualified_at")),
        ),
        Column("reviewed_by", _("Reviewed by"), TEXT, lambda r: _person_name(_q(r, "reviewed_by"))),
        Column("review_comment", _("Review comment"), LONG, _qualification("review_comment")),
        Column("specialist", _("Specialist"), TEXT, lambda r: _person_name(_m(r, "specialist"))),
        Column(
            "specialist_email",
            _("Specialist's email"),
            TEXT,
            lambda r: (_m(r, "specialist") or _EMPTY).get("email"),
        ),
        Column(
            "meeting_start",
            _("Meeting start (specialist's time)"),
            DATETIME,
            lambda r: _instant(_m(r, "starts_at")),
        ),
        Column(
            "meeting_end",
            _("Meeting end (specialist's time)"),
            DATETIME,
            lambda r: _instant(_m(r, "ends_at")),
        ),
        Column("meeting_zone", _("Specialist's time zone"), TEXT, _meeting("time_zone")),
        Column("meeting_offset", _("UTC offset"), TEXT, _offset),
        Column(
            "meeting_kind",
            _("Meeting kind"),
            TEXT,
            lambda r: label(MEETING_KIND_LABELS, _m(r, "kind")),
        ),
        Column(
            "meeting_place",
            _("Place or link"),
            TEXT,
            lambda r: meeting_place(r.get("meeting") or _EMPTY),
        ),
        Column("agenda", _("Agenda"), LONG, _meeting("agenda")),
        Column("attendees", _("Attendees"), LONG, _attendees),
        # the PBX's recordings of the qualifying call (none without telephony, or in batches
        # handed off before it)
        Column(
            "recordings", _("Call recordings"), LONG, lambda r: "\n".join(r.get("recordings") or ())
        ),
        Column("extra", _("Other columns of the call list"), LONG, _extra),
    )


def rows(
    records: Iterable[Mapping[str, Any]], cols: tuple[Column, ...]
) -> Iterator[tuple[Any, ...]]:
    """One tuple of typed cells per record, in column order."""
    getters = [c.value for c in cols]
    for record in records:
        yield tuple(get(record) for get in getters)
