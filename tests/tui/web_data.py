"""Leads qualified "now" (the real clock, as `tmdesk web` runs it), for the Files tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from booking_setup import FIT_URALS, PEOPLE
from tui_helpers import Desk

from tmdesk.services.calls import claim_next_lead
from tmdesk.services.qualification import find_script, submit_qualification


def qualify_now(desk: Desk, agent: str = "anna") -> int:
    """`agent` takes the next lead and submits a fit qualification, timed now."""
    now = datetime.now(UTC)
    settings = desk.workspace.settings
    agent_id = desk.users[agent].id
    lead_id = claim_next_lead(agent_id, settings, now=now).lead_id
    answers = FIT_URALS | {"timeline": (now + timedelta(days=30)).date()}
    submitted = submit_qualification(
        lead_id, agent_id, settings, find_script("b2b-ru"), answers, PEOPLE, now=now
    )
    assert submitted.status == "qualified", submitted.status
    return lead_id
