"""Loading the national numbering plan and re-resolving the leads' time zones with it.

libphonenumber places every Russian mobile number in «Россия» with sixteen candidate
zones; the registry extract says which region each mobile range belongs to, and so which
zone. Loading a file replaces the ranges of the codes it covers (a newer edition wins).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tmdesk.domain.numbering_plan import NumberingPlan, NumberRange, PlanFormatError, read_plan
from tmdesk.domain.timezones import default_directory, resolve_zones
from tmdesk.errors import TmdeskError
from tmdesk.i18n import _
from tmdesk.services.importing import zone_set_ids
from tmdesk.store.dialect import execute_many
from tmdesk.store.models import NumberRange as RangeRow
from tmdesk.store.models import database

BATCH = 5_000


class NumberingPlanError(TmdeskError):
    pass


@dataclass(frozen=True)
class PlanImportResult:
    ranges: int
    errors: tuple[tuple[str, str], ...]  # ("file:line", reason)
    leads_updated: int

    def to_json(self) -> dict[str, Any]:
        return {
            "ranges": self.ranges,
            "leads_updated": self.leads_updated,
            "errors": [{"line": line, "reason": reason} for line, reason in self.errors],
        }


def load_plan() -> NumberingPlan | None:
    """The stored plan, or None when none has been loaded."""
    ranges = [
        NumberRange(r.prefix, r.start, r.end, r.operator, r.region)
        for r in RangeRow.select().iterator()
    ]
    return NumberingPlan(ranges) if ranges else None


def import_numbering_plan(files: list[Path]) -> PlanImportResult:
    ranges: list[NumberRange] = []
    errors: list[tuple[str, str]] = []
    for path in files:
        problems: list[Any] = []
        try:
            ranges.extend(read_plan(Path(path), errors=problems))
        except PlanFormatError as error:
            raise NumberingPlanError(str(error)) from None
        errors.extend((f"{path}:{line}", reason) for line, reason in problems)
    if not ranges:
        raise NumberingPlanError(
            _("no number ranges found in {files}").format(files=", ".join(map(str, files)))
        )
    prefixes = sorted({r.prefix for r in ranges})
    with database.atomic():
        database.execute_sql(
            f"DELETE FROM number_range WHERE prefix IN ({','.join('?' * len(prefixes))})", prefixes
        )
        execute_many(
            'INSERT INTO number_range (prefix, start, "end", operator, region) '
            "VALUES (?, ?, ?, ?, ?)",
            [(r.prefix, r.start, r.end, r.operator, r.region) for r in ranges],
        )
        updated = reresolve_leads(load_plan())
    return PlanImportResult(len(ranges), tuple(errors), updated)


def reresolve_leads(plan: NumberingPlan | None) -> int:
    """Recompute zones of Russian leads whose zones did not come from their own columns."""
    directory = default_directory()
    cursor = database.execute_sql(
        "SELECT lead.id, lead.phone_e164, lead.city, lead.region, zone_set.zones, lead.place "
        "FROM lead JOIN zone_set ON zone_set.id = lead.zone_set_id "
        "WHERE lead.zone_source != 'region' AND lead.phone_e164 LIKE '+7%'"
    )
    changes = []
    for lead_id, e164, city, region, zones, place in cursor.fetchall():
        resolution = resolve_zones(
            e164, region_text=region, city_text=city, plan=plan, directory=directory
        )
        new_zones = "|".join(resolution.zones)
        new_place = plan.region_for(e164) if plan and resolution.source == "plan" else None
        if new_zones != zones or (new_place and new_place != place):
            changes.append((new_zones, resolution.source, new_place or place, lead_id))
    ids = zone_set_ids(zones for zones, *_rest in changes)
    rows = [(ids[zones], source, place, lead_id) for zones, source, place, lead_id in changes]
    for start in range(0, len(rows), BATCH):
        execute_many(
            "UPDATE lead SET zone_set_id = ?, zone_source = ?, place = ? WHERE id = ?",
            rows[start : start + BATCH],
        )
    return len(rows)
