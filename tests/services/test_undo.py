"""Undo: its window counts from the last thing the agent did on the lead, and undoing a
qualified lead with a meeting cancels the meeting only when the agent confirms."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_booking import NOW, desk, make_lead, msk, specialist  # noqa: F401 - the fixture

from tmdesk.services.booking import book_meeting
from tmdesk.services.calls import (
    CallError,
    UndoCancelsMeeting,
    record_disposition,
    undo_last_disposition,
)
from tmdesk.store.models import AuditEvent, Lead, Meeting, Qualification

SECOND = timedelta(seconds=1)


def qualified_on_screen(settings, agent) -> int:
    """A lead the agent holds, qualified by its script's verdict at NOW."""
    lead = make_lead(agent=agent, status="in_progress")
    Lead.update(claimed_by=agent, claimed_at=NOW, lease_until=NOW + timedelta(minutes=5)).where(
        Lead.id == lead
    ).execute()
    record_disposition(lead, agent, "qualified", settings, now=NOW, by_script=True)
    return lead


def test_the_undo_window_counts_from_the_booking_after_the_verdict(desk):  # noqa: F811
    settings, agent, _other = desk
    lead = qualified_on_screen(settings, agent)
    booked_at = NOW + 25 * SECOND  # booking takes time: the window goes on from here
    meeting = book_meeting(
        lead, agent, specialist("Орлов"), msk(24, "11:00"), settings, now=booked_at
    )
    late = booked_at + settings.undo_window - SECOND  # past the window of the verdict alone
    assert late > NOW + settings.undo_window
    with pytest.raises(UndoCancelsMeeting) as asked:
        undo_last_disposition(agent, settings, now=late)
    assert asked.value.specialist == "Орлов" and asked.value.starts_at == msk(24, "11:00")
    assert Meeting.get_by_id(meeting.id).status == "booked"  # nothing changed yet
    assert Lead.get_by_id(lead).status == "qualified"

    undone = undo_last_disposition(agent, settings, now=late, cancel_meeting=True)
    assert undone.meetings_cancelled == 1
    row = Meeting.get_by_id(meeting.id)
    assert (row.status, row.cancel_reason) == ("cancelled", "the agent undid the qualified outcome")
    assert AuditEvent.select().where(AuditEvent.action == "meeting.cancel").count() == 1
    back = Lead.get_by_id(lead)
    assert (back.status, back.claimed_by_id) == ("in_progress", agent)
    assert Qualification.get(Qualification.lead == lead).status == "draft"


def test_without_anything_after_the_verdict_the_window_is_the_verdicts(desk):  # noqa: F811
    settings, agent, _other = desk
    qualified_on_screen(settings, agent)
    with pytest.raises(CallError, match="nothing to undo"):
        undo_last_disposition(agent, settings, now=NOW + settings.undo_window + SECOND)
