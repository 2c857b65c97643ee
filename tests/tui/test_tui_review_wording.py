"""The review's audit trail in words: one sentence per kind of event, in the reader's zone,
and an event with no sentence of its own still readable."""

from __future__ import annotations

from datetime import UTC, datetime

from tmdesk.services.review import AuditLine
from tmdesk.tui.supervisor.review_wording import audit_sentence

AT = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
STARTS = datetime(2026, 12, 9, 6, 30, tzinfo=UTC)


def line(action: str, login: str = "anna", **values) -> AuditLine:
    return AuditLine(AT, login, action, "", values)


def test_a_booking_reads_in_the_supervisors_zone():
    booked = line(
        "meeting.book", meeting_id=36, specialist_id=2, specialist="Айгуль", starts_at=STARTS
    )
    assert audit_sentence(booked, "Asia/Yekaterinburg") == (
        "anna booked a meeting with Айгуль for Wed 09.12 11:30."
    )
    assert audit_sentence(booked, "Europe/Moscow").endswith("Wed 09.12 09:30.")


def test_each_kind_has_its_sentence():
    zone = "Europe/Moscow"
    assert audit_sentence(line("review.approve", "sveta"), zone) == (
        "sveta approved the qualification."
    )
    returned = line("review.return", "sveta", agent="boris", comment="кто подписывает?")
    assert audit_sentence(returned, zone) == (
        "sveta returned the qualification to boris: “кто подписывает?”."
    )
    cancelled = line("meeting.cancel", meeting_id=3, reason="the lead's outcome became dnc")
    assert audit_sentence(cancelled, zone) == (
        "anna cancelled the meeting. Reason: the lead's outcome became dnc."
    )
    moved = line("meeting.reschedule", "sveta", specialist="Олег", starts_at=STARTS)
    assert audit_sentence(moved, zone) == "sveta moved the meeting to Wed 09.12 09:30, with Олег."


def test_an_unknown_kind_falls_back_readably():
    odd = line("lead.merge", "", qualification_id=4, into=17, at=STARTS)
    assert audit_sentence(odd, "Europe/Moscow") == (
        "the desk: lead.merge (into: 17; at: Wed 09.12 09:30)."
    )
