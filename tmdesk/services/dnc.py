"""The do-not-call list: numbers in any format, stored as E.164, checked at every claim."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tmdesk.domain.phones import parse_phone_cell
from tmdesk.errors import TmdeskError
from tmdesk.i18n import _
from tmdesk.services import audit
from tmdesk.services.auth import require_supervisor_or_open
from tmdesk.services.call_list_columns import map_columns
from tmdesk.services.call_list_files import open_call_list
from tmdesk.store.models import DncEntry, database


class DncError(TmdeskError):
    pass


@dataclass(frozen=True)
class DncNumber:
    phone_e164: str
    reason: str
    source: str
    added_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "phone_e164": self.phone_e164,
            "reason": self.reason,
            "source": self.source,
            "added_at": self.added_at.isoformat(),
        }


@dataclass(frozen=True)
class DncChange:
    changed: tuple[str, ...]  # E.164 numbers added or removed
    unchanged: tuple[str, ...]  # already on (add) or not on (remove) the list
    invalid: tuple[tuple[str, str | None], ...]  # (text, reason)

    def to_json(self) -> dict[str, Any]:
        return {
            "changed": list(self.changed),
            "unchanged": list(self.unchanged),
            "invalid": [{"text": t, "reason": r} for t, r in self.invalid],
        }


def _numbers(texts: list[str], region: str) -> tuple[list[str], list[tuple[str, str | None]]]:
    numbers: list[str] = []
    invalid: list[tuple[str, str | None]] = []
    for text in texts:
        cell = parse_phone_cell(text, region)
        phones = ([cell.primary] if cell.primary else []) + list(cell.alternates)
        found = [p.e164 for p in phones if p.e164 is not None]  # (all valid: parse_phone_cell)
        if not found:
            reason = cell.rejected[0].reason if cell.rejected else _("not a phone number")
            invalid.append((text, reason))
        numbers.extend(n for n in found if n not in numbers)
    return numbers, invalid


def add_numbers(
    texts: list[str],
    *,
    reason: str = "",
    user_id: int | None = None,
    region: str = "RU",
    source: str = "manual",
    now: datetime | None = None,
) -> DncChange:
    """Put numbers on the list at once: the next claim already skips them."""
    return _put_on_list(texts, reason, user_id, region, source, now)


def _put_on_list(
    texts: list[str],
    reason: str,
    user_id: int | None,
    region: str,
    source: str,
    now: datetime | None,
    file_name: str | None = None,
) -> DncChange:
    """Numbers typed (dnc.add, written when some are new) or read from a file (dnc.import,
    written for every import, naming the file)."""
    require_supervisor_or_open(user_id, _("add numbers to the do-not-call list"))
    now = now or datetime.now(UTC)
    numbers, invalid = _numbers(texts, region)
    added: list[str] = []
    present: list[str] = []
    with database.atomic():
        for number in numbers:
            created = (
                DncEntry.insert(
                    phone_e164=number, reason=reason, source=source, added_by=user_id, added_at=now
                )
                .on_conflict_ignore()
                .as_rowcount()  # lastrowid would be the previous insert's when ignored
                .execute()
            )
            (added if created else present).append(number)
        if file_name is not None:
            audit.record(
                "dnc.import",
                user=user_id,
                at=now,
                file=file_name,
                numbers=added,
                already_listed=len(present),
                invalid=len(invalid),
                reason=reason,
            )
        elif added:
            audit.record(
                "dnc.add", user=user_id, at=now, numbers=added, reason=reason, source=source
            )
    return DncChange(tuple(added), tuple(present), tuple(invalid))


def remove_numbers(
    texts: list[str],
    *,
    reason: str = "",
    user_id: int | None = None,
    region: str = "RU",
    now: datetime | None = None,
) -> DncChange:
    require_supervisor_or_open(user_id, _("remove numbers from the do-not-call list"))
    now = now or datetime.now(UTC)
    numbers, invalid = _numbers(texts, region)
    removed: list[str] = []
    absent: list[str] = []
    with database.atomic():
        for number in numbers:
            gone = DncEntry.delete().where(DncEntry.phone_e164 == number).execute()
            (removed if gone else absent).append(number)
        if removed:
            audit.record("dnc.remove", user=user_id, at=now, numbers=removed, reason=reason)
    return DncChange(tuple(removed), tuple(absent), tuple(invalid))


def list_numbers(*, limit: int = 1000, offset: int = 0, search: str = "") -> list[DncNumber]:
    query = DncEntry.select().order_by(DncEntry.added_at.desc(), DncEntry.id.desc())
    if search:
        query = query.where(DncEntry.phone_e164.contains(search.replace(" ", "")))
    return [
        DncNumber(e.phone_e164, e.reason, e.source, e.added_at)
        for e in query.limit(limit).offset(offset)
    ]


def import_numbers(
    path: Path, *, reason: str = "", user_id: int | None = None, region: str = "RU"
) -> DncChange:
    """Every number in the phone column(s) of a CSV or XLSX file with a header row."""
    with open_call_list(path) as source:
        phone_columns = map_columns(source.headers).fields["phone"]
        texts = [
            row.cells[i]
            for row in source.rows()
            for i in phone_columns
            if i < len(row.cells) and row.cells[i].strip()
        ]
    if not texts:
        raise DncError(_("{path}: no phone numbers found").format(path=path))
    return _put_on_list(
        texts,
        reason or _("imported from {name}").format(name=path.name),
        user_id,
        region,
        "import",
        None,
        file_name=path.name,
    )
