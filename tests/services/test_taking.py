"""Taking a lead found by search or in the callbacks list: a client calling back in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_calls import NOW, desk  # noqa: F401 - the fixture

from tmdesk.services.calls import CallError, claim_next_lead, record_disposition
from tmdesk.services.dnc import add_numbers
from tmdesk.services.taking import can_take, switch_lead, take_lead
from tmdesk.store.models import Lead


def test_a_found_lead_is_taken_even_before_its_callback_time(desk):  # noqa: F811
    settings, anna, _boris, leads = desk
    lead = claim_next_lead(anna, settings, now=NOW).lead_id
    at = NOW + timedelta(days=2)
    record_disposition(lead, anna, "callback", settings, callback_at=at, now=NOW)
    assert can_take(lead, anna, settings, NOW).ok
    assert take_lead(lead, anna, settings, NOW) == "callback_own"
    taken = Lead.get_by_id(lead)
    assert (taken.status, taken.claimed_by_id, taken.claimed_from) == (
        "in_progress",
        anna,
        "callback",
    )


def test_what_cannot_be_taken_says_why(desk):  # noqa: F811
    settings, anna, boris, leads = desk
    held = claim_next_lead(boris, settings, now=NOW).lead_id
    assert can_take(held, anna, settings, NOW).reason == "another agent is calling it"
    with pytest.raises(CallError, match="another agent is calling it"):
        take_lead(held, anna, settings, NOW)
    assert Lead.get_by_id(held).claimed_by_id == boris  # never held twice
    record_disposition(
        held, boris, "callback", settings, callback_at=NOW + timedelta(hours=1), now=NOW
    )
    assert can_take(held, anna, settings, NOW).reason == "it is another agent's callback"
    other = next(i for i in leads.values() if i != held)
    phone = Lead.get_by_id(other).phone_e164
    add_numbers([phone], reason="просили", source="test")
    assert "do-not-call" in can_take(other, anna, settings, NOW).reason


def test_switching_gives_back_the_held_lead_with_its_notes(desk):  # noqa: F811
    settings, anna, boris, leads = desk
    holding = claim_next_lead(anna, settings, now=NOW).lead_id
    found = next(i for i in leads.values() if i != holding)
    assert switch_lead(found, anna, holding, "перезвонит сам", settings, NOW) == "fresh"
    given = Lead.get_by_id(holding)
    assert (given.status, given.claimed_by_id, given.notes_draft) == ("new", None, "перезвонит сам")
    assert Lead.get_by_id(found).claimed_by_id == anna
    # a lead that cannot be taken leaves the held one with the agent
    taken = claim_next_lead(boris, settings, now=NOW).lead_id
    with pytest.raises(CallError):
        switch_lead(taken, anna, found, "", settings, NOW)
    assert Lead.get_by_id(found).claimed_by_id == anna
