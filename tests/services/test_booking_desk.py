"""The booking desk's units of work beyond the panel's: the best slot offered first, a video
meeting booked with its link to follow, and the meeting taken back with its qualification."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from test_booking import NOW, make_lead, msk, specialist

from tmdesk.domain.availability import FreeSlot, best_slot
from tmdesk.services.booking import book_meeting
from tmdesk.services.booking_desk import open_booking
from tmdesk.services.users import add_user


def slot(hour: int, inside: bool) -> FreeSlot:
    start = datetime(2026, 11, 25, hour, 0, tzinfo=UTC)
    return FreeSlot(start, start + timedelta(hours=1), inside)


def test_the_best_slot_is_the_earliest_inside_the_leads_hours():
    night, morning, noon = slot(10, False), slot(20, True), slot(21, True)
    assert best_slot([night, morning, noon]) is morning
    assert best_slot([night]) is night  # none inside: the earliest, with its warning
    assert best_slot([]) is None


def test_the_booking_opens_on_the_best_slot_when_earlier_ones_are_at_night(workspace):
    settings = workspace.settings
    agent = add_user("anna", "Анна").id
    # the lead is in Vladivostok (+10): Moscow's afternoon is its night
    lead_id = make_lead(zones="Asia/Vladivostok", agent=agent)
    specialist("Орлов", working_hours="mon-fri 09:00-18:00")
    view = open_booking(lead_id, agent, settings, NOW)
    assert view.first is not None and not view.first.slots[0].in_lead_hours
    assert view.best is not None and view.best.in_lead_hours
    assert view.best == next(s for s in view.first.slots if s.in_lead_hours)
    assert view.best.starts_at == msk(24, "09:00")  # Tuesday 16:00 in Vladivostok


def test_a_video_meeting_keeps_link_later_only_while_its_link_is_missing(workspace):
    settings = workspace.settings
    agent = add_user("anna", "Анна").id
    orlov = specialist("Орлов")
    later = make_lead(agent=agent)
    given = make_lead(agent=agent)
    kwargs = {"kind": "video", "now": NOW, "link_later": True}
    first = book_meeting(later, agent, orlov, msk(24, "10:00"), settings, **kwargs)
    second = book_meeting(
        given, agent, orlov, msk(24, "15:00"), settings, place="https://x.example/m", **kwargs
    )
    assert (first.place, first.link_later) == ("", True)
    assert (second.place, second.link_later) == ("https://x.example/m", False)
