"""The booking panel's units of database work, as its thread workers run them (no widgets):
open the panel for a lead, read a specialist's free time, book or move a meeting, cancel it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tmdesk.config import Settings
from tmdesk.domain.availability import best_slot
from tmdesk.services.booking import (
    Attendee,
    BookingOptions,
    MeetingInfo,
    Slot,
    book_meeting,
    booking_options,
    cancel_meeting,
    free_slots,
    meetings_of,
    reschedule_meeting,
)
from tmdesk.services.calls import lead_card
from tmdesk.services.qualification import qualification_for

# The grid shows whole weeks: booked meetings from the start of this week to a week past
# the horizon, so "busy" cells show where the specialist's time went.
SPAN_BEFORE = timedelta(days=7)
SPAN_AFTER = timedelta(days=8)


@dataclass(frozen=True)
class Availability:
    """A specialist's free slots and booked meetings, as read at one moment."""

    specialist_id: int
    slots: tuple[Slot, ...]
    meetings: tuple[MeetingInfo, ...]
    read_at: datetime


@dataclass(frozen=True)
class BookingView:
    """What the panel opens with: the options, who the lead is, the first specialist's time."""

    options: BookingOptions
    company: str
    contact: str
    lead_zones: tuple[str, ...]
    meeting: MeetingInfo | None  # the booked meeting being moved or cancelled
    first: Availability | None  # of the specialist shown first
    qualified: bool  # a meeting can be booked (else only looked at, e.g. mid-call)
    # offered ready to book: the shown specialist's earliest slot in the lead's hours
    # (None when moving a meeting, or with no free time)
    best: Slot | None = None


@dataclass(frozen=True)
class MeetingRequest:
    """What the agent confirms: a slot and the meeting's details."""

    lead_id: int
    specialist_id: int
    starts_at: datetime
    kind: str
    place: str
    agenda: str
    attendees: tuple[Attendee, ...]
    moving: int | None = None  # the meeting id when rescheduling
    link_later: bool = False  # a video meeting whose link the agent sends later


def availability(
    specialist_id: int, lead_id: int, settings: Settings, now: datetime, moving: int | None = None
) -> Availability:
    slots = tuple(free_slots(specialist_id, settings, lead_id=lead_id, now=now, moving=moving))
    horizon = timedelta(days=settings.meetings.horizon_days)
    meetings = tuple(
        meetings_of(specialist_id, start=now - SPAN_BEFORE, end=now + horizon + SPAN_AFTER)
    )
    return Availability(specialist_id, slots, meetings, now)


def first_specialist(options: BookingOptions, meeting: MeetingInfo | None) -> int | None:
    """The meeting's specialist when moving one; else the suggested; else the first."""
    ids = [candidate.specialist.id for candidate in options.candidates]
    if meeting is not None and meeting.specialist_id in ids:
        return meeting.specialist_id
    for candidate in options.candidates:
        if candidate.suggested:
            return candidate.specialist.id
    return ids[0] if ids else None


def open_booking(lead_id: int, agent_id: int, settings: Settings, now: datetime) -> BookingView:
    options = booking_options(lead_id, agent_id, settings, now=now)
    card = lead_card(lead_id)
    # The lead's booked meeting as it is now: the one the caller knew of may have been
    # moved or cancelled since.
    meeting = options.current
    specialist_id = first_specialist(options, meeting)
    first = (
        availability(
            specialist_id, lead_id, settings, now, meeting.id if meeting is not None else None
        )
        if specialist_id is not None
        else None
    )
    # As book_meeting checks it: a qualified lead, or one reopened with its fit verdict.
    record = qualification_for(lead_id)
    qualified = card.status == "qualified" or (
        card.status == "in_progress" and record is not None and record.verdict.fit is True
    )
    best = best_slot(first.slots) if first is not None and meeting is None else None
    return BookingView(
        options, card.company, card.contact, card.zones, meeting, first, qualified, best
    )


def confirm(
    request: MeetingRequest, agent_id: int, settings: Settings, now: datetime
) -> MeetingInfo:
    """Book the meeting, or move the one booked; SlotTaken when someone was quicker."""
    if request.moving is not None:
        return reschedule_meeting(
            request.moving,
            agent_id,
            request.starts_at,
            settings,
            specialist_id=request.specialist_id,
            now=now,
        )
    return book_meeting(
        request.lead_id,
        agent_id,
        request.specialist_id,
        request.starts_at,
        settings,
        kind=request.kind,
        place=request.place,
        agenda=request.agenda,
        attendees=request.attendees,
        now=now,
        link_later=request.link_later,
    )


def cancel(meeting_id: int, agent_id: int, reason: str) -> MeetingInfo:
    return cancel_meeting(meeting_id, agent_id, reason)


def attendees_of(chosen: Sequence[int], offered: Sequence[Attendee]) -> tuple[Attendee, ...]:
    """The offered attendees the agent left ticked, in their order."""
    return tuple(offered[index] for index in sorted(set(chosen)) if index < len(offered))
