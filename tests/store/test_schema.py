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
from tmdesk.store.models import MODELS, TRIGGERS, User, create_schema


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
    assert len(TRIGGERS) == 4 and {"meeting_no_overlap_insert", "audit_event_no_update"} <= set(
        migrated_sql
    )
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
    status = schema.prepare(db, backup_dir=tmp_path / "backups")
    assert status.version == 900 and status.current
    backups = list((tmp_path / "backups").glob(f"older.db.v{head}-*.bak"))
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


def test_the_audit_trail_cannot_be_edited_or_deleted(tmp_path):
    from peewee import IntegrityError

    from tmdesk.store.models import AuditEvent

    db = open_database(tmp_path / "audit.db")
    schema.prepare(db)
    user = User.create(login="sv", name="Светлана")
    event = AuditEvent.create(user=user, action="approve", details={"q": 1})
    with pytest.raises(IntegrityError, match="audit trail"):
        AuditEvent.update(action="return").where(AuditEvent.id == event.id).execute()
    with pytest.raises(IntegrityError, match="audit trail"):
        AuditEvent.delete().execute()
    user.delete_instance()  # the link to a deleted user may be cleared, nothing else
    assert AuditEvent.get_by_id(event.id).user is None
