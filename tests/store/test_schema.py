"""Migrations, schema versions, integrity check and online backup."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
import textwrap

import pytest
from playhouse.schema_diff import diff_models

from tmdesk.store import schema
from tmdesk.store.db import open_database
from tmdesk.store.models import AUDIT_GUARDS, MODELS, TRIGGERS, User, create_schema


def test_empty_database_migrated_to_head_matches_the_models(tmp_path):
    db = open_database(tmp_path / "empty.db")
    before = schema.status(db)
    assert before.version == 0 and before.pending
    after = schema.prepare(db)
    assert after.current and after.version == after.head >= 1
    diff = diff_models(db, list(MODELS))
    assert not diff, f"migrations and models disagree:\n{diff}"


def _schema_sql(db) -> dict[str, str]:
    rows = db.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
        f"AND name NOT LIKE '{schema.HISTORY_TABLE}%'"
    ).fetchall()
    return {name: " ".join(sql.replace('"', "").split()) for name, sql in rows if sql}


def test_migrated_schema_is_the_models_schema_to_the_letter(tmp_path):
    migrated = open_database(tmp_path / "migrated.db")
    schema.prepare(migrated)
    migrated_sql = _schema_sql(migrated)
    fresh = open_database(tmp_path / "fresh.db")
    create_schema(fresh)
    assert migrated_sql == _schema_sql(fresh)
    assert len(TRIGGERS) == 5 and {"meeting_no_overlap_insert", *AUDIT_GUARDS} <= set(migrated_sql)
    assert {"lead_fresh", "lead_retries", "lead_callbacks"} <= set(migrated_sql)


def test_sqlite_is_opened_for_many_processes(tmp_path):
    db = open_database(tmp_path / "pragmas.db")
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 10_000
    assert db._lock_type == "IMMEDIATE"


def test_a_database_newer_than_the_code_is_refused(tmp_path):
    db = open_database(tmp_path / "newer.db")
    schema.prepare(db)
    db.execute_sql(
        f"INSERT INTO {schema.HISTORY_TABLE} (name, applied) VALUES ('0999_future', '2030-01-01')"
    )
    with pytest.raises(schema.SchemaError, match="newer tmdesk"):
        schema.prepare(db)


def test_an_older_database_is_backed_up_before_it_is_migrated(tmp_path, monkeypatch):
    path = tmp_path / "older.db"
    db = open_database(path)
    head = schema.prepare(db).version
    User.create(login="anna", name="Анна")
    # pretend a second migration appeared in a newer version of the code
    extra = tmp_path / "migrations"
    extra.mkdir()
    for source in schema.MIGRATIONS_DIR.glob("[0-9]*.py"):
        (extra / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (extra / "0900_add_flag.py").write_text(
        textwrap.dedent("""
        from peewee import BooleanField
        def up(migrator, db):
            migrator.migrate(migrator.add_column('user', 'flag', BooleanField(default=False)))
    """),
        encoding="utf-8",
    )
    monkeypatch.setattr(schema, "MIGRATIONS_DIR", extra)
    status = schema.prepare(db)
    assert status.version == 900 and status.current
    backups = list(tmp_path.glob(f"older.db.v{head}-*.bak"))
    assert len(backups) == 1
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600  # personal data: owner-only
    with sqlite3.connect(backups[0]) as copy:
        assert copy.execute("SELECT login FROM user").fetchall() == [("anna",)]
        columns = [row[1] for row in copy.execute("PRAGMA table_info(user)")]
        assert "flag" not in columns
    assert "flag" in [row[1] for row in db.execute_sql("PRAGMA table_info(user)")]


def test_check_reports_a_broken_foreign_key(tmp_path):
    db = open_database(tmp_path / "check.db")
    schema.prepare(db)
    assert schema.check(db) == []
    db.execute_sql("PRAGMA foreign_keys = OFF")
    db.execute_sql(
        "INSERT INTO import_run (call_list_id, file_name, file_sha256, kind, columns,"
        " rows, imported, duplicates, invalid, dnc, empty, started_at) "
        "VALUES (42, 'x.csv', '', 'csv', '{}', 0, 0, 0, 0, 0, 0, '2026-01-01')"
    )
    problems = schema.check(db)
    assert problems and "call_list" in problems[0]


def test_backup_while_another_process_writes(tmp_path):
    path = tmp_path / "busy.db"
    db = open_database(path)
    schema.prepare(db)
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        from tmdesk.store.db import open_database
        from tmdesk.store.models import User
        db = open_database({str(path)!r})
        for i in range(400):
            with db.atomic():
                User.create(login=f"u{{i}}", name="x")
    """),
        ]
    )
    copies = []
    try:
        for n in range(3):
            copies.append(schema.backup(db, tmp_path / f"copy{n}.db"))
    finally:
        assert writer.wait(timeout=60) == 0
    for copy in copies:
        with sqlite3.connect(copy) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with pytest.raises(schema.SchemaError, match="already exists"):
        schema.backup(db, copies[0])


def _meeting_fixture(db):
    from datetime import UTC, datetime

    from tmdesk.store.models import CallList, Lead, Meeting, Specialist, ZoneSet

    agent = User.create(login="olga", name="Ольга")
    spec = Specialist.create(name="Пётр")
    lead = Lead.create(
        call_list=CallList.create(name="l"),
        phone_e164="+74951234567",
        zone_set=ZoneSet.create(zones="Europe/Moscow"),
    )

    def book(start_hour, end_hour, **extra):
        return Meeting.create(
            lead=lead,
            specialist=spec,
            booked_by=agent,
            starts_at=datetime(2026, 12, 1, start_hour, tzinfo=UTC),
            ends_at=datetime(2026, 12, 1, end_hour, tzinfo=UTC),
            **extra,
        )

    return book


def test_the_store_refuses_overlapping_meetings_of_one_specialist(tmp_path):
    from peewee import IntegrityError

    from tmdesk.store.models import Meeting

    db = open_database(tmp_path / "meet.db")
    schema.prepare(db)
    book = _meeting_fixture(db)
    first = book(9, 10)
    book(10, 11)  # touching is not overlapping
    with pytest.raises(IntegrityError, match="overlaps"):
        book(9, 11)
    cancelled = book(8, 12, status="cancelled")  # a cancelled meeting holds no time
    with pytest.raises(IntegrityError, match="overlaps"):
        Meeting.update(status="booked").where(Meeting.id == cancelled.id).execute()
    with pytest.raises(IntegrityError, match="overlaps"):
        Meeting.update(ends_at=first.ends_at.replace(hour=10, minute=30)).where(
            Meeting.id == first.id
        ).execute()
    Meeting.update(status="cancelled").where(Meeting.id == first.id).execute()
    book(9, 10)  # its time is free again


AUDIT_COLUMNS = {
    "id": "999",
    "at": "'2030-01-01 00:00:00.000000'",
    "user_id": "NULL",
    "action": "'other'",
    "lead_id": "NULL",
    "details": "'{}'",
}


def _audited(tmp_path):
    """A migrated database with one audit row pointing at a user and a lead."""
    from tmdesk.store.models import AuditEvent, CallList, Lead, ZoneSet

    db = open_database(tmp_path / "audit.db")
    schema.prepare(db)
    user = User.create(login="sv", name="Светлана")
    lead = Lead.create(
        call_list=CallList.create(name="l"),
        phone_e164="+74951234567",
        zone_set=ZoneSet.create(zones="Europe/Moscow"),
    )
    event = AuditEvent.create(user=user, lead=lead, action="approve", details={"q": 1})
    return db, user, lead, event


def _row(db, event_id):
    return db.execute_sql("SELECT * FROM audit_event WHERE id = ?", (event_id,)).fetchone()


@pytest.mark.parametrize("column", list(AUDIT_COLUMNS))
def test_no_column_of_an_audit_row_can_be_changed(tmp_path, column):
    from peewee import IntegrityError

    db, _user, _lead, event = _audited(tmp_path)
    before = _row(db, event.id)
    with pytest.raises(IntegrityError, match="audit trail"):
        db.execute_sql(f"UPDATE audit_event SET {column} = {AUDIT_COLUMNS[column]}")
    assert _row(db, event.id) == before


def test_audit_rows_cannot_be_deleted_replaced_or_unlinked(tmp_path):
    from peewee import IntegrityError

    db, user, lead, event = _audited(tmp_path)
    before = _row(db, event.id)
    # the tester's statement: clearing the links, which migration 0002 let through
    with pytest.raises(IntegrityError, match="audit trail"):
        db.execute_sql("UPDATE audit_event SET user_id = NULL, lead_id = NULL")
    with pytest.raises(IntegrityError, match="audit trail"):
        db.execute_sql("DELETE FROM audit_event")
    # REPLACE deletes the old row without firing delete triggers
    with pytest.raises(IntegrityError, match="audit trail"):
        db.execute_sql(
            "INSERT OR REPLACE INTO audit_event (id, at, action, details) "
            "VALUES (?, '2030-01-01', 'x', '{}')",
            (event.id,),
        )
    with pytest.raises(IntegrityError, match="audit trail"):
        db.execute_sql(
            "INSERT INTO audit_event (id, at, action, details) VALUES (?, '2030-01-01', 'x', '{}') "
            "ON CONFLICT (id) DO UPDATE SET action = 'x'",
            (event.id,),
        )
    # a user or lead the trail points at cannot be deleted either
    with pytest.raises(IntegrityError):
        user.delete_instance()
    with pytest.raises(IntegrityError):
        db.execute_sql("DELETE FROM call_list")  # would cascade to the lead
    assert _row(db, event.id) == before
    # appending still works
    from tmdesk.store.models import AuditEvent

    AuditEvent.create(user=user, action="approve", details={})
    assert AuditEvent.select().count() == 2


def test_check_fails_when_the_audit_table_is_dropped(tmp_path):
    db = open_database(tmp_path / "dropped.db")
    schema.prepare(db)
    assert schema.check(db) == []
    db.execute_sql("DROP TABLE audit_event")
    problems = schema.check(db)
    assert problems == ["the audit trail (table audit_event) is missing"]


@pytest.mark.parametrize("guard", AUDIT_GUARDS)
def test_check_fails_when_a_guard_of_the_audit_trail_is_dropped(tmp_path, guard):
    db = open_database(tmp_path / "unguarded.db")
    schema.prepare(db)
    db.execute_sql(f"DROP TRIGGER {guard}")
    assert schema.check(db) == [f"the audit trail's guard {guard} (a trigger) is missing"]


def test_check_fails_when_a_guard_is_replaced_by_a_weaker_one(tmp_path):
    db = open_database(tmp_path / "weak.db")
    schema.prepare(db)
    db.execute_sql("DROP TRIGGER audit_event_no_update")
    db.execute_sql(
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event WHEN 0 "
        "BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END"
    )
    assert schema.check(db) == [
        "the audit trail's guard audit_event_no_update (a trigger) was changed"
    ]


def _insert_bare(db, table: str, **values) -> None:
    """A row with `values` and a zero or empty text in every other NOT NULL column (raw
    SQL: the models may have columns this old schema lacks)."""
    for _cid, name, kind, notnull, default, pk in db.execute_sql(f"PRAGMA table_info({table})"):
        if notnull and default is None and not pk and name not in values:
            values[name] = 0 if kind.upper() in ("INTEGER", "REAL") else ""
    columns = ", ".join(values)
    marks = ", ".join("?" * len(values))
    db.execute_sql(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values()))


def test_migration_0005_keeps_every_audit_row_of_a_0003_database(tmp_path, monkeypatch):
    """A database at schema 0003 with audit rows (one of them unlinked by a user deleted
    under 0002's SET NULL) comes through the rebuild with every row as it was."""
    path = tmp_path / "old.db"
    old = tmp_path / "migrations"
    old.mkdir()
    for source in schema.MIGRATIONS_DIR.glob("000[123]_*.py"):
        (old / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(schema, "MIGRATIONS_DIR", old)
    db = open_database(path)
    assert schema.prepare(db).version == 3
    db.execute_sql(
        "INSERT INTO user (login, name, role, time_zone, active, created_at) "
        "VALUES ('sv', 'Света', 'supervisor', 'Europe/Moscow', 1, '2026-01-01'), "
        "('gone', 'Ушёл', 'agent', 'Europe/Moscow', 1, '2026-01-01')"
    )
    db.execute_sql("INSERT INTO zone_set (zones) VALUES ('Europe/Moscow')")
    db.execute_sql(
        "INSERT INTO call_list (name, priority, status, default_region, created_at) "
        "VALUES ('l', 0, 'active', 'RU', '2026-01-01')"
    )
    _insert_bare(db, "lead", call_list_id=1, zone_set_id=1, phone_e164="+74951234567")
    for n in range(1, 201):
        db.execute_sql(
            "INSERT INTO audit_event (at, user_id, action, lead_id, details) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                f"2026-01-01 00:00:{n % 60:02d}.000000",
                1 + n % 2,
                f"act.{n}",
                1 if n % 3 else None,
                f'{{"n": {n}, "text": "строка {n}"}}',
            ),
        )
    db.execute_sql("DELETE FROM user WHERE login = 'gone'")  # 0002 cleared its links
    before = db.execute_sql("SELECT * FROM audit_event ORDER BY id").fetchall()
    assert len(before) == 200 and any(row[2] is None for row in before)

    monkeypatch.undo()  # the real migrations again: 0005 (and later) are pending
    status = schema.prepare(db)
    assert status.current and status.version >= 5
    assert db.execute_sql("SELECT * FROM audit_event ORDER BY id").fetchall() == before
    assert schema.check(db) == []
    migrated = _schema_sql(db)
    fresh = open_database(tmp_path / "fresh.db")
    create_schema(fresh)
    assert {k: v for k, v in migrated.items() if "audit_event" in k} == {
        k: v for k, v in _schema_sql(fresh).items() if "audit_event" in k
    }
