"""What the desk looks up beside the queue: the agent's open lead, callbacks, lead search.

Read-only queries, a page at a time (LIMIT/OFFSET): a search over a million leads never
loads a whole list. Results are plain frozen dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from tmdesk.domain.phones import normalise
from tmdesk.domain.timezones import DEFAULT_ZONE
from tmdesk.services.import_staging import live_lead_condition
from tmdesk.store.fields import parse_utc_text
from tmdesk.store.models import database

# Digits typed without a valid number around them search inside the stored numbers, but
# only from this many on: "12" would match half the list.
MIN_PHONE_DIGITS = 4


def _zones(text: str | None) -> tuple[str, ...]:
    return tuple(zone for zone in (text or "").split("|") if zone)


def _instant(text: str | None) -> datetime | None:
    return parse_utc_text(text) if text else None


def open_lead_of(agent_id: int) -> int | None:
    """The lead the agent holds in progress (after a crash or a restart), if any."""
    row = database.execute_sql(
        "SELECT id FROM lead WHERE status = 'in_progress' AND claimed_by_id = ? "
        "ORDER BY claimed_at LIMIT 1",
        (agent_id,),
    ).fetchone()
    return row[0] if row else None


@dataclass(frozen=True)
class CallbackEntry:
    """One of the agent's own callbacks or nurture recalls."""

    lead_id: int
    company: str
    contact: str
    phone_e164: str
    kind: str  # callback | nurture
    due_at: datetime
    due: bool  # due now (or overdue)
    zones: tuple[str, ...]
    local_time: datetime  # now in the lead's (first) zone
    note: str
    list_name: str

    @property
    def zone(self) -> str:
        return self.zones[0] if self.zones else DEFAULT_ZONE


def callbacks_for(
    agent_id: int, now: datetime, *, limit: int = 50, offset: int = 0
) -> list[CallbackEntry]:
    """The agent's own callbacks and recalls, due ones first, then by due time."""
    rows = database.execute_sql(
        "SELECT lead.id, lead.company, lead.contact, lead.phone_e164, lead.status, "
        "lead.next_call_at, zone_set.zones, lead.callback_note, call_list.name "
        "FROM lead JOIN zone_set ON zone_set.id = lead.zone_set_id "
        "JOIN call_list ON call_list.id = lead.call_list_id "
        "WHERE lead.status IN ('callback', 'nurture') AND lead.callback_owner_id = ? "
        "ORDER BY lead.next_call_at, lead.id LIMIT ? OFFSET ?",
        (agent_id, limit, offset),
    )
    entries = []
    for lead_id, company, contact, phone, status, due_text, zones_text, note, list_name in rows:
        zones = _zones(zones_text)
        due_at = _instant(due_text) or now
        entries.append(
            CallbackEntry(
                lead_id=lead_id,
                company=company,
                contact=contact,
                phone_e164=phone,
                kind=status,
                due_at=due_at,
                due=due_at <= now,
                zones=zones,
                local_time=now.astimezone(ZoneInfo(zones[0] if zones else DEFAULT_ZONE)),
                note=note or "",
                list_name=list_name,
            )
        )
    return entries


@dataclass(frozen=True)
class SearchTerm:
    """How a typed search is understood."""

    kind: str  # phone (a whole number) | digits (part of a number) | text | empty
    value: str  # the E.164 number, the digits, or the text


def search_term(text: str, region: str = "RU") -> SearchTerm:
    text = " ".join(text.split())
    if not text:
        return SearchTerm("empty", "")
    digits = "".join(ch for ch in text if ch.isdigit())
    phone_like = digits and all(ch.isdigit() or ch in " +-()." for ch in text)
    if phone_like:
        e164 = normalise(text, region)
        if e164:
            return SearchTerm("phone", e164)
        if len(digits) >= MIN_PHONE_DIGITS:
            return SearchTerm("digits", digits)
    return SearchTerm("text", text)


@dataclass(frozen=True)
class FoundLead:
    lead_id: int
    company: str
    contact: str
    phone_e164: str
    status: str
    list_name: str
    attempts: int
    last_attempt_at: datetime | None
    next_call_at: datetime | None
    zones: tuple[str, ...]


_FOUND_COLUMNS = (
    "lead.id, lead.company, lead.contact, lead.phone_e164, lead.status, "
    "call_list.name, lead.attempts, lead.last_attempt_at, lead.next_call_at, "
    "zone_set.zones"
)
_FOUND_FROM = (
    "FROM lead JOIN call_list ON call_list.id = lead.call_list_id "
    "JOIN zone_set ON zone_set.id = lead.zone_set_id"
)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _case_variants(text: str) -> list[str]:
    # SQLite's LIKE folds ASCII letters only; these spellings cover how names are written
    # ("ромашка" finds "Ромашка" and "РОМАШКА") without a scan in Python.
    variants = [text, text.lower(), text.upper(), text.capitalize(), text.title()]
    return list(dict.fromkeys(variants))


def search_leads(
    text: str, region: str = "RU", *, limit: int = 50, offset: int = 0
) -> list[FoundLead]:
    """Leads whose number is the one typed (in any format, primary or alternate), whose
    number contains the digits typed, or whose company or contact contains the text."""
    term = search_term(text, region)
    if term.kind == "empty":
        return []
    if term.kind == "phone":
        # the primary number through its index, the alternates (JSON text) by a scan
        where = (
            "lead.id IN (SELECT id FROM lead WHERE phone_e164 = ? UNION "
            "SELECT id FROM lead WHERE alternates LIKE ? ESCAPE '\\')"
        )
        # quoted, so "+7495…1" does not match "+7495…12"; written by the importer and JsonField
        # with and without spaces after the colon, so only the value is matched
        params: list[Any] = [term.value, _like(f'"{term.value}"')]
    elif term.kind == "digits":
        where = "(lead.phone_e164 LIKE ? ESCAPE '\\' OR lead.alternates LIKE ? ESCAPE '\\')"
        params = [_like(term.value)] * 2
    else:
        variants = _case_variants(term.value)
        where = (
            "("
            + " OR ".join(
                ["lead.company LIKE ? ESCAPE '\\'", "lead.contact LIKE ? ESCAPE '\\'"]
                * len(variants)
            )
            + ")"
        )
        params = [_like(v) for v in variants for _field in range(2)]
    where += f" AND {live_lead_condition()}"  # not the leads of imports still running
    rows = database.execute_sql(
        f"SELECT {_FOUND_COLUMNS} {_FOUND_FROM} WHERE {where} "
        "ORDER BY lead.company, lead.id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return [
        FoundLead(
            lead_id,
            company,
            contact,
            phone,
            status,
            list_name,
            attempts,
            _instant(last),
            _instant(following),
            _zones(zones),
        )
        for (
            lead_id,
            company,
            contact,
            phone,
            status,
            list_name,
            attempts,
            last,
            following,
            zones,
        ) in rows
    ]
