"""Every supervisor action outside a call leaves its row in the audit trail, naming who did it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tmdesk.services import auth, call_lists, dnc, specialists
from tmdesk.services.audit import record
from tmdesk.services.users import add_user
from tmdesk.store.models import (
    AuditEvent,
    CallList,
    Lead,
    Meeting,
    Specialist,
    ZoneSet,
    database,
)


@pytest.fixture
def chief(workspace):
    """A supervisor with a password: from now on only a supervisor may act."""
    user = add_user("chief", "Главный", "supervisor")
    auth.set_password("chief", "chief-password")
    return user


def rows(action: str) -> list[AuditEvent]:
    return list(AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id))


def only(action: str) -> AuditEvent:
    (event,) = rows(action)
    return event


def test_record_appends_one_row_with_who_and_details(workspace):
    at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    record("note.test", at=at, number=3, names=["a", "b"])
    event = only("note.test")
    assert (event.at, event.user_id, event.lead_id) == (at, None, None)
    assert event.details == {"number": 3, "names": ["a", "b"]}


def test_users_added_deactivated_and_given_passwords(chief):
    agent = add_user("anna", "Анна", actor=chief.id)
    auth.add_supervisor("olga", "Ольга", "olga-password", by_user_id=chief.id)
    auth.set_password("olga", "olga-password-2", by_user_id=chief.id)
    auth.deactivate_user("anna", by_user_id=chief.id)

    added = rows("user.add")
    assert [(e.user_id, e.details) for e in added] == [
        (None, {"login": "chief", "role": "supervisor"}),  # the fixture's, on an open desk
        (chief.id, {"login": "anna", "role": "agent"}),
        (chief.id, {"login": "olga", "role": "supervisor"}),
    ]
    assert [(e.user_id, e.details) for e in rows("user.password")][1:] == [
        (chief.id, {"login": "olga"}),
        (chief.id, {"login": "olga"}),
    ]
    event = only("user.deactivate")
    assert (event.user_id, event.details) == (chief.id, {"login": agent.login})


def test_a_refused_user_leaves_no_audit_row(chief):
    add_user("anna", "Анна", actor=chief.id)
    with pytest.raises(Exception, match="already exists"):
        add_user("anna", "Анна вторая", actor=chief.id)
    assert len(rows("user.add")) == 2  # chief and anna


def test_specialists_added_edited_removed_and_deactivated(chief):
    kept = specialists.add_specialist("Пётр Орлов", regions="ЦФО", actor=chief.id)
    gone = specialists.add_specialist("Иван Сидоров", actor=chief.id)
    specialists.edit_specialist("Орлов", regions="ЦФО, СЗФО", max_per_day=4, actor=chief.id)
    specialists.edit_specialist("Орлов", max_per_day=4, actor=chief.id)  # no change: no row
    lead = Lead.create(
        call_list=CallList.create(name="l"),
        phone_e164="+74951234567",
        zone_set=ZoneSet.create(zones="Europe/Moscow"),
    )
    Meeting.create(
        lead=lead,
        specialist=kept.id,
        booked_by=chief.id,
        starts_at=datetime(2026, 12, 1, 9, tzinfo=UTC),
        ends_at=datetime(2026, 12, 1, 10, tzinfo=UTC),
    )
    assert specialists.remove_specialist(gone.id, actor=chief.id).deleted
    assert not specialists.remove_specialist(kept.id, actor=chief.id).deleted

    assert [(e.user_id, e.details["name"]) for e in rows("specialist.add")] == [
        (chief.id, "Пётр Орлов"),
        (chief.id, "Иван Сидоров"),
    ]
    edit = only("specialist.edit")
    assert edit.user_id == chief.id
    assert edit.details["before"] == {"regions": ["ЦФО"], "max_per_day": None}
    assert edit.details["after"] == {"regions": ["ЦФО", "СЗФО"], "max_per_day": 4}
    removed = only("specialist.remove")
    assert (removed.user_id, removed.details["specialist_id"]) == (chief.id, gone.id)
    assert not Specialist.select().where(Specialist.id == gone.id).exists()
    deactivated = only("specialist.deactivate")
    assert (deactivated.user_id, deactivated.details["meetings"]) == (chief.id, 1)


def test_do_not_call_added_removed_and_imported(chief, tmp_path):
    dnc.add_numbers(["+7 495 111-22-33"], reason="просили", user_id=chief.id)
    dnc.add_numbers(["+7 495 111-22-33"], user_id=chief.id)  # already listed: no row
    dnc.remove_numbers(["84951112233"], reason="ошибка", user_id=chief.id)
    source = tmp_path / "отказники.csv"
    source.write_text("Телефон\n+7 495 222-33-44\n+7 495 222-33-44\nне номер\n", encoding="utf-8")
    dnc.import_numbers(source, user_id=chief.id)

    added = only("dnc.add")
    assert (added.user_id, added.details["numbers"]) == (chief.id, ["+74951112233"])
    removed = only("dnc.remove")
    assert (removed.user_id, removed.details) == (
        chief.id,
        {"numbers": ["+74951112233"], "reason": "ошибка"},
    )
    imported = only("dnc.import")
    assert imported.user_id == chief.id
    assert imported.details["file"] == "отказники.csv"
    assert imported.details["numbers"] == ["+74952223344"]
    assert imported.details["invalid"] == 1


def test_list_changes(chief):
    listed = CallList.create(name="Осень")
    call_lists.pause_list(listed.id, chief.id)
    call_lists.resume_list(listed.id, chief.id)
    call_lists.set_list_priority(listed.id, chief.id, 5)
    call_lists.archive_list(listed.id, chief.id)
    events = list(
        AuditEvent.select().where(AuditEvent.action.startswith("list.")).order_by(AuditEvent.id)
    )
    assert [(e.action, e.user_id, e.details["before"], e.details["after"]) for e in events] == [
        ("list.paused", chief.id, "active", "paused"),
        ("list.active", chief.id, "paused", "active"),
        ("list.priority", chief.id, 0, 5),
        ("list.archived", chief.id, "active", "archived"),
    ]


def test_a_failed_change_writes_no_audit_row(chief):
    """The row is written in the change's own transaction: a refusal rolls both back."""
    before = AuditEvent.select().count()
    with pytest.raises(specialists.SpecialistError):
        specialists.add_specialist("", actor=chief.id)
    with database.atomic() as transaction:
        specialists.add_specialist("Анна Крылова", actor=chief.id)
        transaction.rollback()
    assert AuditEvent.select().count() == before
