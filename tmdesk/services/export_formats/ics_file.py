"""iCalendar (.ics): one VEVENT per booked meeting, for the specialist's calendar program.

Built with `icalendar` (RFC 5545 escaping and 75-octet folding are its job, never ours):
UID `meeting-<id>@tmdesk` (stable across re-exports, so importing a batch twice updates the
event instead of doubling it), DTSTAMP = the batch's time, DTSTART/DTEND in the
specialist's zone with TZID and one VTIMEZONE per zone (built from zoneinfo, in a fixed
order), SUMMARY, DESCRIPTION with the whole handoff brief, LOCATION, ORGANIZER (the
specialist) and ATTENDEEs (the lead's people) where an email is known. No METHOD: the file
is imported, not sent as an invitation. Values are kept verbatim (no formula escaping).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress

from tmdesk.domain import choices
from tmdesk.i18n import _
from tmdesk.services.export_formats import ExportMeta, table

PRODID = "-//tmdesk//handoff//EN"


def uid_of(meeting_id: int) -> str:
    return f"meeting-{meeting_id}@tmdesk"


def _local(text: str, zone: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(ZoneInfo(zone))


def brief(record: Mapping[str, Any]) -> str:
    """The handoff as plain text: everything the specialist needs before the meeting."""
    q = record.get("qualification") or {}
    lines = [record.get("company", "")]
    contact = ", ".join(p for p in (record.get("contact"), record.get("position")) if p)
    if contact:
        lines.append(_("Contact: {contact}").format(contact=contact))
    phone = table.phone_text(
        {
            "national": record.get("phone_national"),
            "e164": record.get("phone_e164"),
            "ext": record.get("phone_ext"),
        }
    )
    lines.append(_("Phone: {phone} ({e164})").format(phone=phone, e164=record.get("phone_e164")))
    others = "; ".join(table.phone_text(p) for p in record.get("other_phones") or ())
    if others:
        lines.append(_("Other phones: {phones}").format(phones=others))
    for label, key in (
        (_("Email: {value}"), "email"),
        (_("Website: {value}"), "website"),
        (_("INN: {value}"), "inn"),
    ):
        if record.get(key):
            lines.append(label.format(value=record[key]))
    place = ", ".join(p for p in (record.get("city"), record.get("region")) if p)
    lines.append(
        _("Where: {place}; local time zone {zone}").format(
            place=place or "—", zone=record.get("time_zone") or "—"
        )
    )
    lines.append("")
    fit = q.get("fit")
    lines.append(
        _(
            "Qualification ({script} v{version}): fit {fit}, actuality {actuality}, score {score}"
        ).format(
            script=q.get("script_key", ""),
            version=q.get("script_version", ""),
            fit=choices.yes_no(fit) or "—",
            actuality=choices.label(choices.ACTUALITY_LABELS, q.get("actuality"), "—"),
            score=q.get("score", ""),
        )
    )
    if q.get("recall_on"):
        lines.append(_("Recall on {day}").format(day=q["recall_on"]))
    if q.get("knockouts"):
        lines.append(_("Knockouts: {reasons}").format(reasons="; ".join(q["knockouts"])))
    lines += [f"- {table.answer_line(a)}" for a in q.get("answers") or ()]
    if record.get("decision_makers"):
        lines += ["", _("Decision makers:")]
        lines += [f"- {table.person_line(p)}" for p in record["decision_makers"]]
    if record.get("notes"):
        lines += ["", _("Call notes:")]
        lines += [f"- {table.note_line(n)}" for n in record["notes"]]
    if record.get("comment"):
        lines += ["", _("Comment from the call list: {text}").format(text=record["comment"])]
    meeting = record.get("meeting") or {}
    if meeting.get("agenda"):
        lines += ["", _("Agenda: {text}").format(text=meeting["agenda"])]
    agent = record.get("agent") or {}
    lines += [
        "",
        _("Qualified by {agent} at {when} UTC; lead {lead}, list {list}").format(
            agent=agent.get("name") or agent.get("login") or "",
            when=(record.get("qualified_at") or "")[:16].replace("T", " "),
            lead=record.get("lead_id"),
            list=record.get("list", ""),
        ),
    ]
    return "\n".join(lines)


def _event(record: Mapping[str, Any], meeting: Mapping[str, Any], stamp: datetime) -> Event:
    zone = meeting["time_zone"]
    event = Event()
    event.add("uid", uid_of(meeting["id"]))
    event.add("dtstamp", stamp)
    event.add("dtstart", _local(meeting["starts_at"], zone))
    event.add("dtend", _local(meeting["ends_at"], zone))
    who = record.get("contact") or ""
    event.add(
        "summary",
        _("Meeting: {company}").format(company=record.get("company", ""))
        + (f" — {who}" if who else ""),
    )
    event.add("description", brief(record))
    place = table.meeting_place(meeting)  # a missing video link says so
    if place:
        event.add("location", place)
        if place.startswith(("https://", "http://")):
            event.add("url", place)
    event.add("status", "CONFIRMED")
    specialist = meeting.get("specialist") or {}
    if specialist.get("email"):
        event.add(
            "organizer", vCalAddress.new(specialist["email"], cn=specialist.get("name") or None)
        )
    for person in _attendees(record, meeting):
        event.add(
            "attendee",
            vCalAddress.new(person["email"], cn=person.get("name") or None, role="REQ-PARTICIPANT"),
        )
    return event


def _attendees(record: Mapping[str, Any], meeting: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The invited people with an email; the lead's contact when nobody is listed."""
    people = [p for p in meeting.get("attendees") or () if p.get("email")]
    if not meeting.get("attendees") and record.get("email"):
        people = [{"name": record.get("contact"), "email": record["email"]}]
    seen, unique = set(), []
    for person in people:
        if person["email"].lower() not in seen:
            seen.add(person["email"].lower())
            unique.append(person)
    return unique


def has_booked_meeting(record: Mapping[str, Any]) -> bool:
    meeting = record.get("meeting")
    return bool(meeting and meeting.get("status") == "booked" and meeting.get("starts_at"))


def booked(
    records: Iterable[Mapping[str, Any]],
) -> Iterator[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """(record, meeting) for every record with a booked meeting, in record order."""
    for record in records:
        if has_booked_meeting(record):
            yield record, record["meeting"]


def write(handle: BinaryIO, records: Iterable[Mapping[str, Any]], meta: ExportMeta) -> None:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("tmdesk handoff"))
    stamp = meta.created_at.astimezone(UTC).replace(microsecond=0)
    events: list[Any] = []
    years: set[int] = set()
    for record, meeting in booked(records):
        events.append(_event(record, meeting, stamp))
        years.update(datetime.fromisoformat(meeting[key]).year for key in ("starts_at", "ends_at"))
    # one VTIMEZONE per TZID the events use (UTC is written as "Z" and needs none),
    # spanning the meetings' years, sorted: the same bytes on every run
    used = sorted(
        {
            event[name].params["TZID"]
            for event in events
            for name in ("DTSTART", "DTEND")
            if "TZID" in event[name].params
        }
    )
    if used:
        first, last = date(min(years), 1, 1), date(max(years) + 2, 1, 1)
        for zone in used:
            calendar.add_component(Timezone.from_tzinfo(ZoneInfo(zone), zone, first, last))
    for event in events:
        calendar.add_component(event)
    handle.write(calendar.to_ical())
