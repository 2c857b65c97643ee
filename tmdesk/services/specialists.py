"""Development specialists: the people who receive the meetings (add, edit, list, remove).

Names are unique among active specialists, case aside, so "Орлов" finds one person; a
specialist with meetings is never deleted (the meetings keep pointing at them) but made
inactive, and offered no more slots.

Over 400 lines: about half is checking each typed field (name, email, phone, zone, hours,
days off, caps), shared by add and edit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from tmdesk.domain.availability import (
    DEFAULT_HOURS_TEXT,
    WorkRules,
    days_off_of,
    hours_text,
    parse_days_off,
    parse_hours,
    working_week,
    zone,
)
from tmdesk.domain.phones import parse_phone
from tmdesk.domain.statuses import MeetingStatus
from tmdesk.errors import TmdeskError
from tmdesk.i18n import _
from tmdesk.services import audit
from tmdesk.store.models import Meeting, Specialist, database


class SpecialistError(TmdeskError):
    """A specialist cannot be added or changed as asked (the message says why)."""


@dataclass(frozen=True)
class SpecialistInfo:
    id: int
    name: str
    email: str | None
    phone_e164: str | None
    time_zone: str
    working_hours: dict[str, list[str]]  # {"mon-fri": ["09:00-13:00", "14:00-18:00"], ...}
    days_off: tuple[str, ...]  # ("2026-12-31", "2027-01-01..2027-01-08")
    regions: tuple[str, ...]
    specialisations: tuple[str, ...]
    meeting_minutes: int
    buffer_minutes: int
    max_per_day: int | None
    active: bool

    @property
    def hours_text(self) -> str:
        """ "mon-fri 09:00-13:00, 14:00-18:00": the working hours as a person reads them."""
        return hours_text(self.working_hours)

    def rules(self) -> WorkRules:
        """The rules its free slots follow (tmdesk.domain.availability)."""
        return WorkRules(
            zone=self.time_zone,
            hours=working_week(self.working_hours),
            days_off=days_off_of(self.days_off),
            meeting_minutes=self.meeting_minutes,
            buffer_minutes=self.buffer_minutes,
            max_per_day=self.max_per_day,
        )

    def to_json(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data.update(
            days_off=list(self.days_off),
            regions=list(self.regions),
            specialisations=list(self.specialisations),
        )
        return data


def info_of(row: Specialist) -> SpecialistInfo:
    return SpecialistInfo(
        id=row.id,
        name=row.name,
        email=row.email or None,
        phone_e164=row.phone_e164,
        time_zone=row.time_zone,
        working_hours=dict(row.working_hours or {}),
        days_off=tuple(row.days_off or ()),
        regions=tuple(row.regions or ()),
        specialisations=tuple(row.specialisations or ()),
        meeting_minutes=row.meeting_minutes,
        buffer_minutes=row.buffer_minutes,
        max_per_day=row.max_per_day,
        active=bool(row.active),
    )


# --- checking what was typed ---------------------------------------------------------------

_UNSET: Any = object()


def _name(value: str) -> str:
    name = " ".join(str(value).split())
    if not name:
        raise SpecialistError(_("a specialist needs a name"))
    if name.isdigit():
        raise SpecialistError(
            _("a name cannot be only digits ({name!r}): ids are written that way").format(name=name)
        )
    return name


def _email(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    email = value.strip()
    local, at, domain = email.partition("@")
    if not at or not local or "." not in domain or any(c.isspace() for c in email):
        raise SpecialistError(_("--email: {value!r} is not an e-mail address").format(value=email))
    return email


def _phone(value: str | None, region: str) -> str | None:
    if value is None or not value.strip():
        return None
    phone = parse_phone(value, region)
    if phone.e164 is None:
        raise SpecialistError(
            _("--phone: {value!r} is not a valid number ({reason})").format(
                value=value.strip(), reason=phone.reason
            )
        )
    return phone.e164


def _zone(value: str) -> str:
    try:
        zone(value.strip())
    except ValueError as error:
        raise SpecialistError(_("--time-zone: {error}").format(error=error)) from None
    return value.strip()


def _hours(value: str | Mapping[str, Any]) -> dict[str, list[str]]:
    try:
        if isinstance(value, str):
            mapping = parse_hours(value)
        else:
            mapping = {str(k): ([v] if isinstance(v, str) else list(v)) for k, v in value.items()}
        week = working_week(mapping, where="--hours")
    except ValueError as error:
        raise SpecialistError(str(error)) from None
    if not any(week.days):
        raise SpecialistError(_("--hours: no working hours on any day"))
    return mapping


def _days_off(value: str | Iterable[str]) -> list[str]:
    try:
        return list(parse_days_off(value))
    except ValueError as error:
        raise SpecialistError(str(error)) from None


def _names(value: str | Iterable[str]) -> list[str]:
    """ "ЦФО, СЗФО" or ["ЦФО", "СЗФО"] → distinct names, in order."""
    items = (
        value.split(",")
        if isinstance(value, str)
        else [piece for item in value for piece in str(item).split(",")]
    )
    seen: dict[str, str] = {}
    for item in items:
        text = " ".join(item.split())
        if text and text.casefold() not in seen:
            seen[text.casefold()] = text
    return list(seen.values())


def _whole(value: int, option: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SpecialistError(
            _("{option}: must be a whole number from {low} to {high}, not {value!r}").format(
                option=option, low=low, high=high, value=value
            )
        )
    return value


def _cap(value: int | None) -> int | None:
    if value is None or value == 0:  # 0: no cap
        return None
    return _whole(value, "--max-per-day", 1, 48)


def _fields(
    *,
    name: Any = _UNSET,
    email: Any = _UNSET,
    phone: Any = _UNSET,
    time_zone: Any = _UNSET,
    working_hours: Any = _UNSET,
    days_off: Any = _UNSET,
    regions: Any = _UNSET,
    specialisations: Any = _UNSET,
    meeting_minutes: Any = _UNSET,
    buffer_minutes: Any = _UNSET,
    max_per_day: Any = _UNSET,
    active: Any = _UNSET,
    region: str = "RU",
) -> dict[str, Any]:
    checks: dict[str, Callable[[Any], Any]] = {
        "name": _name,
        "email": _email,
        "phone_e164": lambda v: _phone(v, region),
        "time_zone": _zone,
        "working_hours": _hours,
        "days_off": _days_off,
        "regions": _names,
        "specialisations": _names,
        "meeting_minutes": lambda v: _whole(v, "--meeting-minutes", 5, 480),
        "buffer_minutes": lambda v: _whole(v, "--buffer-minutes", 0, 240),
        "max_per_day": _cap,
        "active": bool,
    }
    given = {
        "name": name,
        "email": email,
        "phone_e164": phone,
        "time_zone": time_zone,
        "working_hours": working_hours,
        "days_off": days_off,
        "regions": regions,
        "specialisations": specialisations,
        "meeting_minutes": meeting_minutes,
        "buffer_minutes": buffer_minutes,
        "max_per_day": max_per_day,
        "active": active,
    }
    return {key: checks[key](value) for key, value in given.items() if value is not _UNSET}


def _check_unique(name: str, except_id: int | None = None) -> None:
    # casefold in Python: SQLite's lower() leaves Cyrillic as it is
    for row in Specialist.select(Specialist.id, Specialist.name).where(Specialist.active == True):  # noqa: E712 (peewee expression)
        if row.id != except_id and row.name.casefold() == name.casefold():
            raise SpecialistError(
                _("an active specialist is already called {name!r} (id {id})").format(
                    name=row.name, id=row.id
                )
            )


# --- the use cases -------------------------------------------------------------------------


def add_specialist(
    name: str,
    *,
    email: str | None = None,
    phone: str | None = None,
    time_zone: str = "Europe/Moscow",
    working_hours: str | Mapping[str, Any] = DEFAULT_HOURS_TEXT,
    days_off: str | Sequence[str] = (),
    regions: str | Sequence[str] = (),
    specialisations: str | Sequence[str] = (),
    meeting_minutes: int = 60,
    buffer_minutes: int = 15,
    max_per_day: int | None = None,
    region: str = "RU",
    now: datetime | None = None,
    actor: int | None = None,
) -> SpecialistInfo:
    """A new active specialist; `region`: how phones without +code are read; `actor`: the
    supervisor adding them (for the audit trail)."""
    values = _fields(
        name=name,
        email=email,
        phone=phone,
        time_zone=time_zone,
        working_hours=working_hours,
        days_off=days_off,
        regions=regions,
        specialisations=specialisations,
        meeting_minutes=meeting_minutes,
        buffer_minutes=buffer_minutes,
        max_per_day=max_per_day,
        region=region,
    )
    with database.atomic():
        _check_unique(values["name"])
        row = Specialist.create(created_at=now or datetime.now(UTC), **values)
        audit.record("specialist.add", user=actor, at=now, specialist_id=row.id, name=row.name)
    return info_of(row)


def _row(name_or_id: str | int) -> Specialist:
    text = str(name_or_id).strip()
    if text.isdigit():
        row = Specialist.get_or_none(Specialist.id == int(text))
        if row is None:
            raise SpecialistError(
                _("no specialist with id {id}; see `tmdesk specialists list`").format(id=text)
            )
        return row
    key = " ".join(text.split()).casefold()
    rows = list(Specialist.select().order_by(Specialist.id))
    found = [row for row in rows if row.name.casefold() == key]
    active = [row for row in found if row.active]
    if active:
        return active[0]  # names are unique among the active ones
    if len(found) > 1:
        raise SpecialistError(
            _("several inactive specialists are called {name!r} (ids {ids}); use the id").format(
                name=text, ids=", ".join(str(r.id) for r in found)
            )
        )
    if found:
        return found[0]
    # a part of the name ("орлов") that names one active specialist
    found = [row for row in rows if row.active and key and key in row.name.casefold()]
    if len(found) > 1:
        raise SpecialistError(
            _("{name!r} could be {names}: say which").format(
                name=text, names=", ".join(f"{r.name} (id {r.id})" for r in found)
            )
        )
    if found:
        return found[0]
    raise SpecialistError(
        _("no specialist called {name!r}; see `tmdesk specialists list`").format(name=text)
    )


def find_specialist(name_or_id: str | int) -> SpecialistInfo:
    """By id (digits) or by name, case aside (the active one first)."""
    return info_of(_row(name_or_id))


def get_specialist(specialist_id: int) -> SpecialistInfo:
    row = Specialist.get_or_none(Specialist.id == specialist_id)
    if row is None:
        raise SpecialistError(_("no specialist with id {id}").format(id=specialist_id))
    return info_of(row)


def edit_specialist(
    name_or_id: str | int, *, region: str = "RU", actor: int | None = None, **changes: Any
) -> SpecialistInfo:
    """Change the given fields (the keywords of add_specialist, and active=True/False);
    the audit trail keeps each changed field before and after."""
    unknown = set(changes) - {
        "name",
        "email",
        "phone",
        "time_zone",
        "working_hours",
        "days_off",
        "regions",
        "specialisations",
        "meeting_minutes",
        "buffer_minutes",
        "max_per_day",
        "active",
    }
    if unknown:
        raise TypeError(f"edit_specialist: unknown fields {sorted(unknown)}")
    values = _fields(region=region, **changes)
    with database.atomic():
        row = _row(name_or_id)
        if values.get("active", row.active) and (not row.active or "name" in values):
            _check_unique(values.get("name", row.name), except_id=row.id)
        changed = {key: value for key, value in values.items() if getattr(row, key) != value}
        if changed:
            Specialist.update(**changed).where(Specialist.id == row.id).execute()
            audit.record(
                "specialist.edit",
                user=actor,
                specialist_id=row.id,
                name=row.name,
                before={key: getattr(row, key) for key in changed},
                after=changed,
            )
        return info_of(Specialist.get_by_id(row.id))


def list_specialists(*, include_inactive: bool = True) -> list[SpecialistInfo]:
    query = Specialist.select().order_by(Specialist.active.desc(), Specialist.name, Specialist.id)
    if not include_inactive:
        query = query.where(Specialist.active == True)  # noqa: E712 (peewee expression)
    return [info_of(row) for row in query]


@dataclass(frozen=True)
class Removed:
    specialist: SpecialistInfo
    deleted: bool  # False: made inactive, because meetings point at them
    meetings: int  # all their meetings
    upcoming: int  # booked meetings still ahead: someone must reschedule or cancel them

    def message(self) -> str:
        if self.deleted:
            return _("deleted specialist {name} (id {id})").format(
                name=self.specialist.name, id=self.specialist.id
            )
        text = _(
            "made specialist {name} (id {id}) inactive: {n} meeting(s) point at them, "
            "so they are kept"
        ).format(name=self.specialist.name, id=self.specialist.id, n=self.meetings)
        if self.upcoming:
            text += _("; {n} booked meeting(s) ahead still need rescheduling or cancelling").format(
                n=self.upcoming
            )
        return text


def remove_specialist(
    name_or_id: str | int, *, now: datetime | None = None, actor: int | None = None
) -> Removed:
    """Delete a specialist without meetings; make one with meetings inactive."""
    now = now or datetime.now(UTC)
    with database.atomic():
        row = _row(name_or_id)
        meetings = Meeting.select().where(Meeting.specialist == row.id).count()
        if meetings == 0:
            info = info_of(row)
            row.delete_instance()
            audit.record(
                "specialist.remove", user=actor, at=now, specialist_id=row.id, name=row.name
            )
            return Removed(info, True, 0, 0)
        upcoming = (
            Meeting.select()
            .where(
                Meeting.specialist == row.id,
                Meeting.status == MeetingStatus.BOOKED,
                Meeting.starts_at >= now,
            )
            .count()
        )
        Specialist.update(active=False).where(Specialist.id == row.id).execute()
        audit.record(
            "specialist.deactivate",
            user=actor,
            at=now,
            specialist_id=row.id,
            name=row.name,
            meetings=meetings,
            upcoming=upcoming,
        )
        return Removed(info_of(Specialist.get_by_id(row.id)), False, meetings, upcoming)
