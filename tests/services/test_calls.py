"""The call loop as services: queue order, atomic claims with leases, dispositions, undo."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta

import pytest

from tmdesk.services.calls import (
    CallError,
    claim_next_lead,
    lead_card,
    list_calls,
    record_disposition,
    release_lead,
    renew_lease,
    save_notes_draft,
    undo_last_disposition,
)
from tmdesk.services.dnc import add_numbers
from tmdesk.services.importing import import_call_list
from tmdesk.services.queue import preview_queue
from tmdesk.services.users import add_user
from tmdesk.store.models import CallList, DncEntry, Lead

# Wednesday 10:00 in Moscow: Moscow, Kaliningrad (09:00) and Kamchatka (19:00) are all open.
NOW = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)
SECOND = timedelta(seconds=1)


def import_rows(tmp_path, name, rows, priority=0):
    path = tmp_path / f"{name}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Компания", "Телефон", "Город", "Приоритет"])
        writer.writerows(rows)
    report = import_call_list(path, list_name=name)
    CallList.update(priority=priority).where(CallList.name == name).execute()
    Lead.update(list_priority=priority).where(Lead.call_list == report.call_list_id).execute()
    return {
        lead.company: lead.id for lead in Lead.select().where(Lead.call_list == report.call_list_id)
    }


@pytest.fixture
def desk(workspace, tmp_path):
    anna = add_user("anna", "Анна").id
    boris = add_user("boris", "Борис").id
    leads = import_rows(
        tmp_path,
        "main",
        [
            ["Москва-1", "8 495 100-00-01", "Москва", "0"],
            ["Москва-2", "8 495 100-00-02", "Москва", "5"],
            ["Калининград", "8 4012 10-00-03", "Калининград", "0"],
            ["Камчатка", "8 4152 10-00-04", "Петропавловск-Камчатский", "0"],
        ],
    )
    return workspace.settings, anna, boris, leads


def claim(agent, settings, now=NOW):
    found = claim_next_lead(agent, settings, now=now)
    return found and Lead.get_by_id(found.lead_id).company


def test_fresh_leads_by_lead_priority_then_age(desk):
    settings, anna, _boris, _leads = desk
    order = []
    while (found := claim_next_lead(anna, settings, now=NOW)) is not None:
        order.append(Lead.get_by_id(found.lead_id).company)
        record_disposition(found.lead_id, anna, "wrong_number", settings, now=NOW)
    assert order == ["Москва-2", "Москва-1", "Калининград", "Камчатка"]


def test_two_agents_never_hold_the_same_lead(desk):
    settings, anna, boris, _leads = desk
    first, second = claim(anna, settings), claim(boris, settings)
    assert (first, second) == ("Москва-2", "Москва-1")
    assert Lead.select().where(Lead.status == "in_progress").count() == 2


def test_list_priority_comes_before_lead_priority(desk, tmp_path):
    settings, anna, _boris, _leads = desk
    import_rows(tmp_path, "urgent", [["Срочно", "8 495 200-00-01", "Москва", "0"]], priority=9)
    assert claim(anna, settings) == "Срочно"


def test_own_in_progress_lead_comes_back_after_a_restart(desk):
    settings, anna, _boris, _leads = desk
    first = claim_next_lead(anna, settings, now=NOW)
    again = claim_next_lead(anna, settings, now=NOW + MIN)
    assert again.lead_id == first.lead_id and again.bucket == "in_progress"
    assert again.lease_until == NOW + MIN + settings.lease
    held = Lead.select().where(Lead.claimed_by == anna)
    assert [(lead.id, lead.lease_until) for lead in held] == [(first.lead_id, again.lease_until)]


def test_an_expired_lease_gives_the_lead_back(desk):
    settings, anna, boris, leads = desk
    first = claim_next_lead(anna, settings, now=NOW)
    renew_lease(first.lead_id, anna, settings, now=NOW + 2 * MIN)
    later = NOW + 2 * MIN + settings.lease + MIN
    taken = claim_next_lead(boris, settings, now=later)
    assert taken.lead_id == first.lead_id and taken.bucket == "fresh"
    with pytest.raises(CallError, match="no longer yours"):
        renew_lease(first.lead_id, anna, settings, now=later)
    with pytest.raises(CallError, match="no longer yours"):
        record_disposition(first.lead_id, anna, "busy", settings, now=later)


def test_release_gives_the_lead_back_untouched(desk):
    settings, anna, boris, _leads = desk
    first = claim_next_lead(anna, settings, now=NOW)
    save_notes_draft(first.lead_id, anna, "секретарь: перезвонить")
    release_lead(first.lead_id, anna)
    lead = Lead.get_by_id(first.lead_id)
    assert (lead.status, lead.attempts, lead.claimed_by_id) == ("new", 0, None)
    assert claim_next_lead(boris, settings, now=NOW).lead_id == first.lead_id


def test_a_released_lead_comes_after_every_other_for_its_agent(desk):
    settings, anna, boris, leads = desk
    first = claim_next_lead(anna, settings, now=NOW)
    release_lead(first.lead_id, anna)
    second = claim_next_lead(anna, settings, now=NOW)
    assert second.lead_id != first.lead_id
    order = [e.lead_id for e in preview_queue(anna, settings, now=NOW)]
    assert order[-1] == first.lead_id and first.lead_id not in order[:-1]
    # another agent is served it in its usual place
    assert preview_queue(boris, settings, now=NOW)[0].lead_id == first.lead_id
    release_lead(second.lead_id, anna)
    served = []
    while (claim := claim_next_lead(anna, settings, now=NOW)) is not None:
        served.append(claim.lead_id)
        record_disposition(claim.lead_id, anna, "wrong_number", settings, now=NOW)
    # every other lead first, then the two given back (each once: no lead held twice)
    assert sorted(served[-2:]) == sorted([first.lead_id, second.lead_id])
    assert len(served) == len(set(served)) == len(leads)


def test_no_answer_retries_after_the_delay(desk):
    settings, anna, _boris, leads = desk
    first = claim_next_lead(anna, settings, now=NOW)
    done = record_disposition(
        first.lead_id, anna, "no_answer", settings, note="гудки", now=NOW + MIN
    )
    assert (done.status, done.next_call_at) == ("retry", NOW + MIN + settings.retry["no_answer"])
    waiting = preview_queue(anna, settings, now=NOW + 2 * MIN)
    assert first.lead_id not in [e.lead_id for e in waiting]
    due = preview_queue(anna, settings, now=done.next_call_at)
    assert (due[0].lead_id, due[0].bucket) == (first.lead_id, "retry")
    card = lead_card(first.lead_id)
    assert card.attempts == 1 and card.history[0].note == "гудки"
    assert card.history[0].agent == "Анна"


def test_retry_is_served_when_due(desk):
    settings, anna, boris, leads = desk
    first = claim_next_lead(anna, settings, now=NOW)
    done = record_disposition(first.lead_id, anna, "busy", settings, now=NOW)
    for _ in range(3):
        lead = claim_next_lead(boris, settings, now=NOW)
        record_disposition(lead.lead_id, boris, "wrong_number", settings, now=NOW)
    assert claim_next_lead(boris, settings, now=NOW + 5 * MIN) is None
    again = claim_next_lead(boris, settings, now=done.next_call_at)
    assert again.lead_id == first.lead_id and again.bucket == "retry"


def test_personal_callback_returns_to_its_agent_only_until_overdue(desk):
    settings, anna, boris, leads = desk
    lead = claim_next_lead(anna, settings, now=NOW)
    at = NOW + timedelta(days=2)
    record_disposition(
        lead.lead_id, anna, "callback", settings, callback_at=at, note="после совещания", now=NOW
    )
    due = preview_queue(anna, settings, now=at, limit=1)[0]
    assert (due.lead_id, due.bucket, due.callback_note) == (
        lead.lead_id,
        "callback_own",
        "после совещания",
    )
    assert all(e.lead_id != lead.lead_id for e in preview_queue(boris, settings, now=at))
    mine = claim_next_lead(anna, settings, now=at)
    assert (mine.lead_id, mine.bucket) == (lead.lead_id, "callback_own")
    release_lead(mine.lead_id, anna)
    overdue = at + settings.callback_grace + MIN
    theirs = claim_next_lead(boris, settings, now=overdue)
    assert (theirs.lead_id, theirs.bucket) == (lead.lead_id, "callback_shared")


def test_shared_callback_goes_to_anyone(desk):
    settings, anna, boris, leads = desk
    lead = claim_next_lead(anna, settings, now=NOW)
    at = NOW + timedelta(hours=3)
    record_disposition(
        lead.lead_id, anna, "callback", settings, callback_at=at, shared=True, now=NOW
    )
    taken = claim_next_lead(boris, settings, now=at)
    assert (taken.lead_id, taken.bucket) == (lead.lead_id, "callback_shared")


def test_dnc_is_checked_at_claim_time_across_lists(desk, tmp_path):
    settings, anna, boris, leads = desk
    CallList.update(status="archived").where(CallList.name == "main").execute()
    copy = import_rows(tmp_path, "copy", [["Копия", "+7 495 100 00 01", "Москва", "0"]])
    CallList.update(status="active").where(CallList.name == "main").execute()
    first = claim_next_lead(anna, settings, now=NOW)
    assert first.lead_id == leads["Москва-2"]
    add_numbers(["8 (495) 100-00-01"], reason="просили не звонить")
    served = []
    while (found := claim_next_lead(boris, settings, now=NOW)) is not None:
        served.append(found.lead_id)
        record_disposition(found.lead_id, boris, "wrong_number", settings, now=NOW)
    assert leads["Москва-1"] not in served and copy["Копия"] not in served
    assert served  # the others were still served


def test_dnc_disposition_lists_the_number_at_once(desk):
    settings, anna, _boris, _leads = desk
    lead = claim_next_lead(anna, settings, now=NOW)
    record_disposition(lead.lead_id, anna, "dnc", settings, reason="грубо", now=NOW)
    entry = DncEntry.get()
    assert entry.phone_e164 == Lead.get_by_id(lead.lead_id).phone_e164
    assert Lead.get_by_id(lead.lead_id).status == "dnc"


def test_calling_window_in_the_leads_local_time(desk):
    settings, anna, _boris, leads = desk
    # 21:30 UTC Tuesday: 00:30 Moscow, 23:30 Kaliningrad, 09:30 Wednesday in Kamchatka
    night = datetime(2026, 11, 24, 21, 30, tzinfo=UTC)
    assert [e.lead_id for e in preview_queue(anna, settings, now=night)] == [leads["Камчатка"]]
    # 06:00 UTC: 09:00 Moscow opens, Kaliningrad is at 08:00 and still closed
    morning = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
    assert leads["Калининград"] not in [
        e.lead_id for e in preview_queue(anna, settings, now=morning)
    ]
    assert leads["Калининград"] in [
        e.lead_id for e in preview_queue(anna, settings, now=morning + timedelta(hours=1))
    ]


def test_attempt_cap_exhausts_the_lead(desk):
    settings, anna, _boris, _leads = desk
    settings = settings.with_(max_attempts=2, max_attempts_per_day=5)
    now = NOW
    first = claim_next_lead(anna, settings, now=now)
    record_disposition(first.lead_id, anna, "busy", settings, now=now)
    Lead.update(next_call_at=now).where(Lead.id == first.lead_id).execute()
    Lead.update(priority=99).where(Lead.id == first.lead_id).execute()
    again = claim_next_lead(anna, settings, now=now + MIN)
    assert again.lead_id == first.lead_id
    done = record_disposition(first.lead_id, anna, "busy", settings, now=now + MIN)
    assert done.status == "exhausted"


def test_undo_restores_the_lead_to_its_agent(desk):
    settings, anna, _boris, _leads = desk
    settings = settings.with_(undo_window=timedelta(minutes=5))
    first = claim_next_lead(anna, settings, now=NOW)
    save_notes_draft(first.lead_id, anna, "draft")
    record_disposition(first.lead_id, anna, "dnc", settings, note="не звонить", now=NOW)
    following = claim_next_lead(anna, settings, now=NOW + MIN)  # auto-advance
    undone = undo_last_disposition(anna, settings, now=NOW + 2 * MIN)
    assert undone.lead_id == first.lead_id
    lead = Lead.get_by_id(first.lead_id)
    assert (lead.status, lead.claimed_by_id, lead.attempts, lead.claimed_from) == (
        "in_progress",
        anna,
        0,
        "new",
    )
    assert lead.notes_draft == "не звонить"
    assert DncEntry.select().count() == 0
    assert Lead.get_by_id(following.lead_id).status == "new"  # given back untouched
    assert list_calls(NOW.date(), "Europe/Moscow") == []  # the undone call is not counted
    with pytest.raises(CallError, match="nothing to undo"):  # only once
        undo_last_disposition(anna, settings, now=NOW + 3 * MIN)


def test_undo_is_refused_late_or_after_someone_else_took_the_lead(desk):
    settings, anna, boris, _leads = desk
    first = claim_next_lead(anna, settings, now=NOW)
    record_disposition(first.lead_id, anna, "busy", settings, now=NOW)
    with pytest.raises(CallError, match="nothing to undo"):
        undo_last_disposition(anna, settings, now=NOW + settings.undo_window + MIN)
    second = claim_next_lead(anna, settings, now=NOW)
    record_disposition(
        second.lead_id,
        anna,
        "callback",
        settings,
        shared=True,
        callback_at=NOW + 10 * SECOND,
        now=NOW,
    )
    taken = claim_next_lead(boris, settings, now=NOW + 10 * SECOND)
    assert taken.lead_id == second.lead_id
    with pytest.raises(CallError, match="another agent"):
        undo_last_disposition(anna, settings, now=NOW + 20 * SECOND)


def test_reasons_and_times_are_required(desk):
    settings, anna, _boris, _leads = desk
    lead = claim_next_lead(anna, settings, now=NOW)
    with pytest.raises(CallError, match="needs a reason"):
        record_disposition(lead.lead_id, anna, "not_interested", settings, now=NOW)
    with pytest.raises(CallError, match="in the past"):
        record_disposition(lead.lead_id, anna, "callback", settings, callback_at=NOW - MIN, now=NOW)
    assert Lead.get_by_id(lead.lead_id).status == "in_progress"  # nothing recorded


def test_qualified_only_comes_from_the_script(desk):
    settings, anna, _boris, _leads = desk
    lead = claim_next_lead(anna, settings, now=NOW)
    with pytest.raises(CallError, match="qualification script"):
        record_disposition(lead.lead_id, anna, "qualified", settings, now=NOW)
    assert Lead.get_by_id(lead.lead_id).status == "in_progress"
