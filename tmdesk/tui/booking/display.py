"""How the booking panel words a meeting: slots in two zones, specialists, the week grid.

Plain functions over the booking service's values (no widgets), so the wording and the grid
are tested without an app. Times are read in the agent's zone first, with the lead's local
time beside them when the clocks differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from tmdesk.domain.meeting_place import link_missing, place_text
from tmdesk.domain.text import one_line
from tmdesk.i18n import _, ngettext
from tmdesk.tui.desk.call_display import same_offset
from tmdesk.tui.display import weekday_name, zone_abbreviation
from tmdesk.tui.qualification.display import short_role_label

if TYPE_CHECKING:
    from tmdesk.tui.booking.work import Attendee, Candidate, MeetingInfo, Slot

KINDS = ("on_site", "video", "phone")
BOOKED = "booked"  # a grid cell taken by a meeting
THIS_MEETING = "this"  # a grid cell of the meeting being moved


def kind_label(kind: str) -> str:
    return {"on_site": _("on site"), "video": _("video"), "phone": _("phone")}.get(kind, kind)


def place_hint(kind: str, link_later_key: str = "") -> str:
    """What the place field asks for, by kind of meeting."""
    return {
        "on_site": _("Address of the meeting"),
        "video": _("Video call link, or {key}: link later").format(key=link_later_key)
        if link_later_key
        else _("Link to the video call (https://…)"),
        "phone": _("Number the specialist calls"),
    }.get(kind, "")


def _local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def span_label(
    starts_at: datetime, ends_at: datetime, agent_zone: str, lead_zone: str | None
) -> str:
    """'Thu 26.11 12:00–13:00 MSK · lead: 14:00–15:00 +05' (the lead's part only when
    their clock differs; their weekday when it is another day there)."""
    start, end = _local(starts_at, agent_zone), _local(ends_at, agent_zone)
    text = f"{weekday_name(start)} {start:%d.%m %H:%M}–{end:%H:%M} {zone_abbreviation(start)}"
    if lead_zone and not same_offset(starts_at, lead_zone, agent_zone):
        theirs, their_end = _local(starts_at, lead_zone), _local(ends_at, lead_zone)
        day = f"{weekday_name(theirs)} " if theirs.date() != start.date() else ""
        text += " · " + _("lead: {time}").format(
            time=f"{day}{theirs:%H:%M}–{their_end:%H:%M} {zone_abbreviation(theirs)}"
        )
    return text


def slot_label(slot: Slot, agent_zone: str, lead_zone: str | None) -> str:
    """'Thu 26.11 12:00 MSK · lead: 14:00 +05' (the start; the length is the same for all)."""
    start = _local(slot.starts_at, agent_zone)
    text = f"{weekday_name(start)} {start:%d.%m %H:%M} {zone_abbreviation(start)}"
    if lead_zone and not same_offset(slot.starts_at, lead_zone, agent_zone):
        theirs = _local(slot.starts_at, lead_zone)
        day = f"{weekday_name(theirs)} " if theirs.date() != start.date() else ""
        text += " · " + _("lead: {time}").format(
            time=f"{day}{theirs:%H:%M} {zone_abbreviation(theirs)}"
        )
    return text


def outside_hours_note() -> str:
    return _("outside the lead's business hours")


def matched_label(candidate: Candidate) -> str:
    """Why this specialist: 'region: ЦФО · specialisation: логистика', or that none matched."""
    if candidate.matched_on:
        return " · ".join(one_line(reason) for reason in candidate.matched_on)
    return _("no region or specialisation match")


def load_label(candidate: Candidate, agent_zone: str) -> str:
    """'Asia/Almaty · 2 meetings in the next 7 days' (the round robin weighs the count
    first); the zone only when it is not the agent's."""
    n = candidate.booked_next_week
    load = ngettext("{n} meeting in the next 7 days", "{n} meetings in the next 7 days", n).format(
        n=n
    )
    zone = candidate.specialist.time_zone
    return f"{zone} · {load}" if zone != agent_zone else load


def attendee_label(attendee: Attendee) -> str:
    """'Сидоров Пётр · ЛПР · Главный инженер'."""
    parts = [one_line(attendee.name), short_role_label(attendee.role), one_line(attendee.position)]
    return " · ".join(part for part in parts if part)


def meeting_label(meeting: MeetingInfo, agent_zone: str, lead_zone: str | None) -> str:
    """'Thu 26.11 12:00–13:00 MSK · lead: 14:00–15:00 +05 · Иванов Сергей · video', and
    '⚠ video link missing…' after a video meeting that has no link yet."""
    parts = [
        span_label(meeting.starts_at, meeting.ends_at, agent_zone, lead_zone),
        one_line(meeting.specialist_name),
        kind_label(meeting.kind),
    ]
    if link_missing(meeting.kind, meeting.place):
        parts.append(place_text(meeting.kind, meeting.place, meeting.link_later))
    return " · ".join(parts)


def short_list(slots: Sequence[Slot], best: Slot | None, size: int) -> list[Slot]:
    """The first `size` slots, with the best one kept in even when it comes later (its
    earlier ones may all be outside the lead's hours): it takes the last place."""
    shown = list(slots[:size])
    if best is not None and best not in shown and shown:
        shown[-1] = best
    return shown


# --- the week grid ---------------------------------------------------------------------------


def week_of(moment: datetime, zone: str) -> date:
    """The Monday of the week `moment` falls in, in `zone`."""
    day = _local(moment, zone).date()
    return day - timedelta(days=day.weekday())


def week_title(monday: date) -> str:
    sunday = monday + timedelta(days=6)
    return _("Week {first}–{last}").format(first=f"{monday:%d.%m}", last=f"{sunday:%d.%m}")


def day_heading(day: date) -> str:
    """'Thu 26' — short enough for a grid column."""
    return f"{weekday_name(datetime.combine(day, time()))} {day:%d}"


@dataclass(frozen=True)
class WeekGrid:
    """One week of a specialist in the agent's zone: a row per start time, a column a day."""

    monday: date
    days: tuple[date, ...]
    times: tuple[time, ...]
    cells: dict[tuple[int, int], Slot | str]  # (row, column) → a free Slot, BOOKED, THIS

    def at(self, row: int, column: int) -> Slot | str | None:
        return self.cells.get((row, column))

    def find(self, starts_at: datetime, zone: str) -> tuple[int, int] | None:
        """The cell of a start time, when it is in this grid."""
        local = _local(starts_at, zone)
        day, clock = local.date(), local.time().replace(tzinfo=None)
        if day in self.days and clock in self.times:
            return self.times.index(clock), self.days.index(day)
        return None


def week_grid(
    monday: date,
    slots: Sequence[Slot],
    meetings: Sequence[MeetingInfo],
    agent_zone: str,
    *,
    step: timedelta = timedelta(minutes=30),
    this_meeting: int | None = None,
) -> WeekGrid:
    """The free slots and the booked meetings of the week starting `monday` (agent's zone).
    A row is each start time that has something on some day of the week."""
    days = tuple(monday + timedelta(days=n) for n in range(7))
    zone = ZoneInfo(agent_zone)
    found: dict[tuple[date, time], Slot | str] = {}
    for meeting in meetings:
        if meeting.status != "booked":
            continue
        mark = THIS_MEETING if meeting.id == this_meeting else BOOKED
        at = meeting.starts_at
        while at < meeting.ends_at:
            local = at.astimezone(zone)
            if local.date() in days:
                found[(local.date(), local.time().replace(tzinfo=None))] = mark
            at += step
    for slot in slots:
        local = slot.starts_at.astimezone(zone)
        if local.date() in days:
            found.setdefault((local.date(), local.time().replace(tzinfo=None)), slot)
    times = tuple(sorted({clock for _day, clock in found}))
    cells = {(times.index(clock), days.index(day)): value for (day, clock), value in found.items()}
    return WeekGrid(monday, days, times, cells)


def cell_text(value: Slot | str | None, agent_zone: str, lead_zone: str | None) -> str:
    """A free slot shows the lead's local time ('14:00', '✓' when the clocks agree) and '*'
    when it is outside the lead's business hours; a booked one 'busy', the meeting being
    moved '◆'."""
    if value is None:
        return ""
    if value == BOOKED:
        return _("busy")
    if value == THIS_MEETING:
        return "◆"
    slot = value  # a Slot
    if lead_zone and not same_offset(slot.starts_at, lead_zone, agent_zone):
        text = f"{_local(slot.starts_at, lead_zone):%H:%M}"
    else:
        text = "✓"
    return text if slot.in_lead_hours else text + "*"


def grid_legend(
    agent_zone: str, lead_zone: str | None, moment: datetime, *, moving: bool = False
) -> str:
    """What the grid's cells mean: rows in the agent's time, cells in the lead's."""
    mine = zone_abbreviation(_local(moment, agent_zone))
    if lead_zone and not same_offset(moment, lead_zone, agent_zone):
        theirs = zone_abbreviation(_local(moment, lead_zone))
        text = _(
            "rows: your time ({mine}) · free cells: the lead's time ({theirs}) · "
            "* outside their business hours"
        ).format(mine=mine, theirs=theirs)
    else:
        text = _("rows: your time ({mine}) · ✓ free · * outside the lead's business hours").format(
            mine=mine
        )
    return text + " · " + _("◆ the meeting being moved") if moving else text
