"""The store on PostgreSQL: the translated SQL, the rules the server keeps (exclusion
constraint, the audit trail's guards), `db check`, and the claim's plans.

The translation tests need no server; the others run on a fresh database copied from the
migrated template (TMDESK_TEST_PG, see tests/postgres_server.py) and skip without one.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from peewee import IntegrityError

from tmdesk.config import Settings
from tmdesk.services.workspace import open_workspace
from tmdesk.store import schema
from tmdesk.store.dialect import EXCLUSION_VIOLATION, sqlstate, translate, translate_sql
from tmdesk.store.models import PG_AUDIT_GUARDS, AuditEvent, database


def test_sqlite_style_sql_is_translated_for_psycopg():
    assert translate_sql(
        "SELECT a FROM lead INDEXED BY lead_fresh CROSS JOIN zone_set ON zone_set.id = ? "
        "WHERE phone LIKE '+7%' AND at < :now AND x::json IS NOT NULL FROM temp.pick"
    ) == (
        "SELECT a FROM lead JOIN zone_set ON zone_set.id = %s "
        "WHERE phone LIKE '+7%%' AND at < %(now)s AND x::json IS NOT NULL FROM pg_temp.pick"
    )
    # quoted names and literals keep their ? and :name; peewee's own SQL passes unchanged
    assert translate_sql("""SELECT '?', ':now', "a:b" FROM t""") == (
        """SELECT '?', ':now', "a:b" FROM t"""
    )
    assert translate("SELECT %s", (1,)) == ("SELECT %s", (1,))


@pytest.fixture
def backend() -> str:
    return "postgresql"


@pytest.fixture
def pg(desk_target):
    open_workspace(desk_target)
    return database.obj


def _people(db) -> tuple[int, int]:
    db.execute_sql(
        'INSERT INTO "user" (login, name, role, time_zone, active, created_at) VALUES '
        "('anna', 'Анна', 'agent', 'Europe/Moscow', TRUE, '2026-11-01 00:00:00.000000')"
    )
    db.execute_sql("INSERT INTO zone_set (zones) VALUES ('Europe/Moscow')")
    db.execute_sql(
        "INSERT INTO call_list (name, priority, status, default_region, created_at) "
        "VALUES ('list', 0, 'active', 'RU', '2026-11-01 00:00:00.000000')"
    )
    db.execute_sql(
        "INSERT INTO specialist (name, time_zone, working_hours, days_off, regions, "
        "specialisations, meeting_minutes, buffer_minutes, active, created_at) VALUES "
        "('Орлов', 'Europe/Moscow', '{}', '[]', '[]', '[]', 60, 0, TRUE, "
        "'2026-11-01 00:00:00.000000')"
    )
    return 1, 1


def _leads(db, count: int, status: str = "new") -> None:
    db.execute_sql(
        "INSERT INTO lead (call_list_id, phone_e164, zone_set_id, status, list_priority, "
        "priority, attempts, created_at, updated_at, company, contact, position, email, city, "
        "region, inn, website, comment, phone_raw, place, zone_source, next_call_at) "
        "SELECT 1, '+7495' || lpad(n::text, 7, '0'), 1, ?, n % 3, n % 5, 0, "
        "'2026-11-01 00:00:00.000000', '2026-11-01 00:00:00.000000', '', '', '', '', '', '', "
        "'', '', '', '', '', 'none', CASE WHEN ? = 'new' THEN NULL "
        "ELSE '2026-11-01 00:00:00.000000' END FROM generate_series(1, ?) AS n",
        (status, status, count),
    )


def _meeting(db, starts: str, ends: str, status: str = "booked", lead: int = 1):
    return db.execute_sql(
        "INSERT INTO meeting (lead_id, specialist_id, starts_at, ends_at, kind, place, agenda, "
        "status, booked_by_id, booked_at) VALUES (?, 1, ?, ?, 'video', '', '', ?, 1, "
        "'2026-11-01 00:00:00.000000')",
        (lead, starts, ends, status),
    )


def test_the_server_refuses_two_booked_meetings_of_a_specialist_that_overlap(pg):
    _people(pg)
    _leads(pg, 4)
    _meeting(pg, "2026-11-24 08:00:00.000000", "2026-11-24 09:00:00.000000")
    _meeting(pg, "2026-11-24 09:00:00.000000", "2026-11-24 10:00:00.000000", lead=2)  # touching
    _meeting(pg, "2026-11-24 08:30:00.000000", "2026-11-24 09:30:00.000000", "cancelled", 3)
    with pytest.raises(IntegrityError) as refused, database.atomic():
        _meeting(pg, "2026-11-24 08:30:00.000000", "2026-11-24 09:30:00.000000", lead=4)
    assert sqlstate(refused.value) == EXCLUSION_VIOLATION
    with pytest.raises(IntegrityError), database.atomic():  # booking a cancelled one again
        pg.execute_sql("UPDATE meeting SET status = 'booked' WHERE status = 'cancelled'")


def test_a_lead_has_at_most_one_booked_meeting(pg):
    _people(pg)
    _leads(pg, 1)
    _meeting(pg, "2026-11-24 08:00:00.000000", "2026-11-24 09:00:00.000000")
    pg.execute_sql("UPDATE meeting SET specialist_id = 1")
    pg.execute_sql(
        "INSERT INTO specialist (name, time_zone, working_hours, days_off, regions, "
        "specialisations, meeting_minutes, buffer_minutes, active, created_at) VALUES "
        "('Белова', 'Europe/Moscow', '{}', '[]', '[]', '[]', 60, 0, TRUE, "
        "'2026-11-01 00:00:00.000000')"
    )
    with pytest.raises(IntegrityError, match="meeting_one_booked_per_lead"), database.atomic():
        pg.execute_sql(  # another specialist, another time: still the same lead
            "INSERT INTO meeting (lead_id, specialist_id, starts_at, ends_at, kind, place, "
            "agenda, status, booked_by_id, booked_at) VALUES (1, 2, '2026-11-25 08:00:00.000000', "
            "'2026-11-25 09:00:00.000000', 'video', '', '', 'booked', 1, "
            "'2026-11-01 00:00:00.000000')"
        )


def test_the_audit_trail_refuses_update_delete_and_truncate(pg):
    _people(pg)
    AuditEvent.create(action="user.add", user=1, details={"login": "anna"})
    for statement in (
        "UPDATE audit_event SET action = 'x'",
        "UPDATE audit_event SET user_id = NULL",
        "DELETE FROM audit_event",
        "TRUNCATE audit_event",
    ):
        with pytest.raises(Exception, match="cannot be changed"), database.atomic():
            pg.execute_sql(statement)
    assert [e.action for e in AuditEvent.select()] == ["user.add"]


def test_db_check_names_a_missing_guard_or_constraint(pg):
    assert schema.check(pg) == []
    assert schema.status(pg).current
    pg.execute_sql(f"DROP TRIGGER {PG_AUDIT_GUARDS[2]} ON audit_event")
    pg.execute_sql("ALTER TABLE meeting DROP CONSTRAINT meeting_no_overlap")
    assert schema.check(pg) == [
        f"the audit trail's guard {PG_AUDIT_GUARDS[2]} (a trigger) is missing",
        "the meetings' rule meeting_no_overlap (no two booked meetings of a specialist "
        "overlap) is missing",
    ]


def _queue_of_every_kind(db) -> None:
    """20,000 leads: new ones, a retry in ten and a callback in a hundred, all due; the
    planner's statistics gathered."""
    _people(db)
    _leads(db, 20_000)
    due = "next_call_at = '2026-11-25 08:00:00.000000'"
    db.execute_sql(f"UPDATE lead SET status = 'retry', {due} WHERE id % 10 = 0")
    db.execute_sql(f"UPDATE lead SET status = 'callback', {due} WHERE id % 100 = 1")
    db.execute_sql("ANALYZE lead")


def test_the_claim_rules_run_on_their_partial_indexes(pg):
    """No INDEXED BY on PostgreSQL: its planner must find the partial indexes itself."""
    from tmdesk.services.calls import _claim_plan
    from tmdesk.services.queue import rule_parameters

    _queue_of_every_kind(pg)
    settings = Settings()
    now = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    plan = _claim_plan(settings, now)
    parameters = rule_parameters(1, settings, now) | {"lease": "x", "limit": 1}
    explained = "\n".join(
        row[0] for row in pg.execute_sql(f"EXPLAIN {plan.take}", parameters).fetchall()
    )
    for index in ("lead_fresh", "lead_callbacks"):
        assert index in explained, explained
    # retries: their partial index, or the (status, zone set, due) one, as the data suggest
    assert "lead_retries" in explained or "lead_status_zone_set_id" in explained, explained
    assert "Seq Scan on lead" not in explained, explained


def test_the_claim_keeps_its_indexes_with_a_plan_made_for_any_parameters(pg):
    """The claim runs with generic plans (one_trip): planned once, without knowing the
    instant or the agent, it must still walk the partial indexes and stop at one row."""
    from tmdesk.services.calls import _claim_plan

    _queue_of_every_kind(pg)
    plan = _claim_plan(Settings(), datetime(2026, 11, 25, 9, 30, tzinfo=UTC))
    types = {"agent": "bigint", "now": "text", "overdue": "text", "lease": "text"}
    for name, sql in (("take", plan.take), ("own", plan.own)):
        names: list[str] = []

        def numbered(match: re.Match[str], names: list[str] = names) -> str:
            if match.group(1) not in names:
                names.append(match.group(1))
            return f"${names.index(match.group(1)) + 1}"

        prepared = re.sub(r"%\((\w+)\)s", numbered, translate_sql(sql))
        arguments = ", ".join("1" if n == "agent" else "'2026-11-25 09:30:00'" for n in names)
        with pg.atomic():
            pg.execute_sql("SET LOCAL plan_cache_mode = force_generic_plan")
            pg.execute_sql(
                f"PREPARE claim_{name} ({', '.join(types[n] for n in names)}) AS {prepared}"
            )
            explained = "\n".join(
                row[0] for row in pg.execute_sql(f"EXPLAIN EXECUTE claim_{name} ({arguments})")
            )
            pg.execute_sql(f"DEALLOCATE claim_{name}")
        # a generic plan: the agent stays a parameter
        assert f"${names.index('agent') + 1}" in explained, explained
        assert "Seq Scan on lead" not in explained, explained
        if name == "take":
            for index in ("lead_fresh", "lead_callbacks", "lead_retries"):
                assert index in explained, explained


def test_a_trip_that_fails_leaves_nothing_and_the_connection_usable(pg):
    _people(pg)
    with pytest.raises(IntegrityError), pg.one_trip(generic_plans=True) as execute:
        execute("UPDATE call_list SET name = :name", {"name": "renamed"})
        execute("INSERT INTO zone_set (id, zones) VALUES (1, 'again')", None)
    assert pg.execute_sql("SELECT name FROM call_list").fetchone()[0] == "list"
    with pg.one_trip() as execute:
        renamed = execute("UPDATE call_list SET name = ? RETURNING name", ("kept",))
    assert renamed.fetchone()[0] == "kept"
    assert pg.execute_sql("SELECT name FROM call_list").fetchone()[0] == "kept"
    # and the generic plans ended with their transaction
    assert pg.execute_sql("SHOW plan_cache_mode").fetchone()[0] == "auto"


def test_a_trip_inside_a_transaction_is_part_of_it(pg):
    _people(pg)
    with pytest.raises(RuntimeError), pg.atomic():
        with pg.one_trip() as execute:
            execute("UPDATE call_list SET name = ?", ("renamed",))
        raise RuntimeError("the caller gives up")
    assert pg.execute_sql("SELECT name FROM call_list").fetchone()[0] == "list"


def test_a_wrong_server_is_one_line(tmp_path):
    from tmdesk.store.db import DatabaseUnavailable

    with pytest.raises(DatabaseUnavailable) as refused:
        open_workspace("postgresql://nobody:secret@127.0.0.1:1/desk")
    message = str(refused.value)
    assert "\n" not in message and "secret" not in message
    assert message.startswith("postgresql://nobody:***@127.0.0.1:1/desk: cannot connect")


def test_a_missing_driver_names_the_extra(monkeypatch):
    from tmdesk.store import db as store_db
    from tmdesk.store.db import DatabaseUnavailable

    monkeypatch.setattr(store_db, "find_spec", lambda name: None)
    with pytest.raises(DatabaseUnavailable, match=r"pip install 'tmdesk\[postgres\]'"):
        store_db.make_database("postgres://desk@db.office/desk")


def test_the_models_rules_are_the_migrations_to_the_letter():
    """Migration 0002 keeps its own frozen copy of PostgreSQL's rules; they must agree."""
    import importlib.util

    from tmdesk.store.models import PG_RULES
    from tmdesk.store.schema import MIGRATIONS_DIR

    path = MIGRATIONS_DIR / "0002_meetings_review_handoff.py"
    spec = importlib.util.spec_from_file_location("migration_0002", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.PG_RULES == PG_RULES
