"""Look-ups beside the queue: the agent's open lead, own callbacks, lead search by phone or name."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta

import pytest

from tmdesk.services.calls import claim_next_lead, record_disposition
from tmdesk.services.importing import import_call_list
from tmdesk.services.lookup import (
    SearchTerm,
    callbacks_for,
    open_lead_of,
    search_leads,
    search_term,
)
from tmdesk.services.users import add_user
from tmdesk.store.models import Lead

# Wednesday 10:00 in Moscow
NOW = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def import_rows(tmp_path, name, rows):
    path = tmp_path / f"{name}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Компания", "Контакт", "Телефон", "Город"])
        writer.writerows(rows)
    report = import_call_list(path, list_name=name)
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
            ["ООО «Ромашка»", "Иван Петров", "8 (495) 100-00-01", "Москва"],
            ["АО Лютик", "Ольга Ромашкина", "8 495 100-00-02; 8 916 123-45-67", "Москва"],
            ["Камчатрыба", "Сергей Котов", "8 4152 41-23-45", "Петропавловск-Камчатский"],
            ["50%_Скидки", "", "8 495 100-00-04", "Москва"],
        ],
    )
    return workspace.settings, anna, boris, leads


def test_open_lead_is_the_agents_own_in_progress_lead(desk):
    settings, anna, boris, _leads = desk
    assert open_lead_of(anna) is None
    claim = claim_next_lead(anna, settings, now=NOW)
    assert open_lead_of(anna) == claim.lead_id
    assert open_lead_of(boris) is None
    record_disposition(claim.lead_id, anna, "busy", settings, now=NOW)
    assert open_lead_of(anna) is None


def take(agent, settings, company, leads):
    """Claim until the named lead comes up; the others are given wrong-number outcomes."""
    while True:
        claim = claim_next_lead(agent, settings, now=NOW)
        assert claim is not None, company
        if claim.lead_id == leads[company]:
            return claim
        record_disposition(claim.lead_id, agent, "wrong_number", settings, now=NOW)


def test_callbacks_are_the_agents_own_due_ones_first(desk):
    settings, anna, boris, leads = desk
    claim = take(anna, settings, "ООО «Ромашка»", leads)
    record_disposition(
        claim.lead_id,
        anna,
        "callback",
        settings,
        callback_at=NOW + 3 * HOUR,
        note="после обеда",
        now=NOW,
    )
    claim = take(anna, settings, "АО Лютик", leads)
    record_disposition(
        claim.lead_id, anna, "nurture", settings, recall_at=NOW + timedelta(days=90), now=NOW
    )
    claim = take(anna, settings, "Камчатрыба", leads)
    record_disposition(
        claim.lead_id, anna, "callback", settings, callback_at=NOW + HOUR, shared=True, now=NOW
    )  # anyone's: not in "my callbacks"

    later = NOW + 4 * HOUR
    mine = callbacks_for(anna, later)
    assert [(e.company, e.kind, e.due, e.note) for e in mine] == [
        ("ООО «Ромашка»", "callback", True, "после обеда"),
        ("АО Лютик", "nurture", False, ""),
    ]
    assert mine[0].due_at == NOW + 3 * HOUR
    assert mine[0].local_time == later and mine[0].zone == "Europe/Moscow"
    assert callbacks_for(boris, later) == []
    # paged
    assert [e.company for e in callbacks_for(anna, later, limit=1, offset=1)] == ["АО Лютик"]


@pytest.mark.parametrize(
    "text, term",
    [
        ("8 (495) 100-00-01", SearchTerm("phone", "+74951000001")),
        ("+7 495 1000001", SearchTerm("phone", "+74951000001")),
        ("84951000001", SearchTerm("phone", "+74951000001")),
        ("100-00", SearchTerm("digits", "10000")),
        ("12", SearchTerm("text", "12")),
        ("  Ромашка  ", SearchTerm("text", "Ромашка")),
        ("", SearchTerm("empty", "")),
    ],
)
def test_how_a_search_is_understood(text, term):
    assert search_term(text, "RU") == term


@pytest.mark.parametrize(
    "text, found",
    [
        ("8 (495) 100-00-01", ["ООО «Ромашка»"]),
        ("+7 495 100 00 01", ["ООО «Ромашка»"]),
        ("89161234567", ["АО Лютик"]),  # an alternate number
        ("41-23", ["Камчатрыба"]),  # part of a number
        ("ромашк", ["АО Лютик", "ООО «Ромашка»"]),  # company, and a contact's name
        ("РОМАШКА", ["ООО «Ромашка»"]),
        ("лютик", ["АО Лютик"]),
        ("50%", ["50%_Скидки"]),  # LIKE wildcards are taken literally
        ("0%_С", ["50%_Скидки"]),
        ("%", ["50%_Скидки"]),
        ("8 (495) 999-99-99", []),
    ],
)
def test_search_by_phone_in_any_format_or_by_name(desk, text, found):
    assert [lead.company for lead in search_leads(text, "RU")] == found


def test_search_is_paged_and_tells_the_state(desk, tmp_path):
    settings, anna, _boris, leads = desk
    import_rows(
        tmp_path,
        "more",
        [[f"Ромашка {n:02d}", "", f"8 495 200-00-{n:02d}", "Москва"] for n in range(1, 31)],
    )
    first = search_leads("Ромашка", "RU", limit=10)
    second = search_leads("Ромашка", "RU", limit=10, offset=10)
    assert len(first) == len(second) == 10
    assert not {f.lead_id for f in first} & {f.lead_id for f in second}
    claim = take(anna, settings, "ООО «Ромашка»", leads)
    record_disposition(claim.lead_id, anna, "no_answer", settings, now=NOW)
    (found,) = search_leads("8 495 100 00 01", "RU")
    assert (found.status, found.attempts, found.list_name) == ("retry", 1, "main")
    assert found.last_attempt_at == NOW and found.next_call_at == NOW + 2 * HOUR
