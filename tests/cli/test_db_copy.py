"""`tmdesk db copy`: a whole desk from SQLite to PostgreSQL and back, every row of every
table the same, the copy usable (sign-in, claims with new ids); and its refusals."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import postgres_server
import pytest
from click.testing import CliRunner

from tmdesk.cli import main
from tmdesk.services import auth
from tmdesk.services.calls import claim_next_lead
from tmdesk.services.demo import DEMO_SUPERVISOR_PASSWORD, ensure_demo
from tmdesk.services.review import correct_answer
from tmdesk.services.workspace import open_workspace
from tmdesk.store.copying import desk_tables
from tmdesk.store.models import (
    AuditEvent,
    CallAttempt,
    ExportBatch,
    ExportedLead,
    Lead,
    Meeting,
    NumberRange,
    PhoneCall,
    Qualification,
    TelephonyEvent,
    TelephonyService,
    User,
    database,
)

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # a Thursday, 15:00 in Moscow


def _every_table_filled(path) -> None:
    """The demo (users with password hashes, lists, leads, calls, qualifications, meetings,
    the do-not-call list, audit events) plus what it leaves empty."""
    workspace = open_workspace(path)
    ensure_demo(workspace, now=NOW)
    supervisor = User.get(User.login == "supervisor")
    qualification = Qualification.select().where(Qualification.status == "submitted").first()
    question = qualification.answers[0]["id"]
    correct_answer(qualification.id, supervisor.id, question, "исправлено", now=NOW)
    lead = Lead.select().order_by(Lead.id).first()
    attempt = CallAttempt.select().first()
    # drafts: the notes an agent is typing, a qualification not yet submitted (fit unknown)
    Lead.update(notes_draft="ЛПР в отпуске,\nперезвонить 3-го").where(Lead.id == lead.id).execute()
    Qualification.create(
        lead=lead.id,
        agent=attempt.agent_id,
        script_key="b2b-ru",
        script_version="1",
        answers=[{"id": "budget", "text": "Бюджет?", "answer": "нет"}],
        fit=None,
        status="draft",
    )
    call = PhoneCall.create(
        lead=lead.id,
        agent=attempt.agent_id,
        attempt=attempt.id,
        phone_e164=lead.phone_e164,
        provider="asterisk",
        state="ended",
        result="answered",
        talk_seconds=42,
        requested_at=NOW,
        ended_at=NOW + timedelta(seconds=50, microseconds=123456),
    )
    TelephonyEvent.create(
        phone_call=call.id, key="asterisk:1:hangup", kind="hangup", payload={"cause": "Нормальный"}
    )
    TelephonyService.create(name="serve", backend="asterisk", beat_at=NOW, problem=None)
    batch = ExportBatch.create(
        created_by=supervisor.id,
        format="csv",
        path="/tmp/x.csv",
        lead_count=1,
        parameters={"list": "Демо", "since": None},
        completed_at=NOW,
    )
    ExportedLead.create(batch=batch.id, lead=lead.id, record={"name": "ООО «Вектор»"})
    NumberRange.create(prefix="916", start=1000000, end=1999999, operator="МТС", region="Москва")
    Meeting.update(link_later=True).where(Meeting.id == Meeting.select().first().id).execute()
    agent = User.select(User.id).where(User.role == "agent").order_by(User.id.desc()).first()
    User.update(active=False).where(User.id == agent.id).execute()  # a boolean both ways
    database.close()


def _rows(target: str) -> dict[str, list[tuple]]:
    """Every row of every table as stored, sorted; booleans as 0/1 (SQLite's form)."""
    if target.startswith("postgresql://"):
        import psycopg

        connection = psycopg.connect(target)
    else:
        connection = sqlite3.connect(target)
    try:
        found = {}
        for table in desk_tables():
            rows = connection.execute(f'SELECT * FROM "{table}"').fetchall()
            found[table] = sorted(
                (tuple(int(v) if isinstance(v, bool) else v for v in row) for row in rows),
                key=repr,
            )
        return found
    finally:
        connection.close()


def _copy(source: str, target: str, ok: bool = True):
    result = CliRunner().invoke(main, ["db", "copy", source, target], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


KEYS_SQL = (
    "SELECT cl.relname, co.conname, pg_get_constraintdef(co.oid), co.convalidated "
    "FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid WHERE co.contype = 'f'"
)


def _foreign_keys(url: str) -> set[tuple]:
    import psycopg

    with psycopg.connect(url) as connection:
        return set(connection.execute(KEYS_SQL).fetchall())


def _template_url() -> str:
    return postgres_server.database_url(postgres_server._ensure_template())


@pytest.fixture
def server_database():
    if not postgres_server.SERVER:
        pytest.skip(postgres_server.SKIP_REASON)
    url = postgres_server.fresh_database()
    yield url
    if getattr(database.obj, "database", None) == url:
        database.obj.close()
    postgres_server.drop_database(url)


def test_a_desk_goes_to_postgresql_and_back_with_every_row(tmp_path, server_database) -> None:
    source = str(tmp_path / "desk.db")
    _every_table_filled(source)
    rows = _rows(source)
    assert all(rows[table] for table in desk_tables()), [t for t in desk_tables() if not rows[t]]

    done = _copy(source, server_database)
    # the counts, table by table, and each table's progress on stderr
    for table in desk_tables():
        n = len(rows[table])
        assert f"\n{table} " in "\n" + done.stdout
        assert f"copying {table}: {n:,} rows" in done.stderr
    assert _rows(server_database) == rows
    # the rules hold on the copy: the audit trail's guards, the meetings' constraint, the keys
    checked = CliRunner().invoke(main, ["--db", server_database, "db", "check"])
    assert checked.exit_code == 0 and checked.stdout.strip() == "ok", checked.output
    import psycopg

    with psycopg.connect(server_database) as connection:
        with pytest.raises(psycopg.errors.RestrictViolation):
            connection.execute("DELETE FROM audit_event")
    # the foreign keys, set aside for the rows, are back as the migrations made them
    assert _foreign_keys(server_database) == _foreign_keys(_template_url())

    # the copy works: the password signs in, a claim and an audit event get new ids
    open_workspace(server_database)
    supervisor = auth.sign_in("supervisor", DEMO_SUPERVISOR_PASSWORD)
    with pytest.raises(auth.AuthError):
        auth.sign_in("supervisor", "wrong")
    workspace = open_workspace(server_database)
    agent = User.select().where(User.role == "agent", User.active).order_by(User.id).first()
    claim = claim_next_lead(agent.id, workspace.settings, now=NOW)
    assert claim is not None
    newest = AuditEvent.create(user=supervisor.id, action="test", details={})
    assert newest.id > max(row[0] for row in rows["audit_event"])
    database.close()

    back = str(tmp_path / "back.db")
    _copy(server_database, back)
    copied = _rows(back)
    assert copied == _rows(server_database)
    assert newest.id in {row[0] for row in copied["audit_event"]}
    assert claim.lead_id in {row[0] for row in copied["lead"] if "in_progress" in row}


def test_the_copy_leaves_no_table_of_the_desk_behind(tmp_path) -> None:
    # every table the migrations make is one the copy copies
    open_workspace(tmp_path / "empty.db")
    tables = {
        name
        for (name,) in database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    database.close()
    assert tables - {"schema_migration"} == set(desk_tables())


def test_sqlite_to_sqlite_keeps_every_row_and_guards(tmp_path) -> None:
    source, target = str(tmp_path / "desk.db"), str(tmp_path / "copy.db")
    _every_table_filled(source)
    _copy(source, target)
    assert _rows(target) == _rows(source)
    connection = sqlite3.connect(target)
    with pytest.raises(sqlite3.DatabaseError, match="audit trail cannot be changed"):
        connection.execute("DELETE FROM audit_event")
    connection.close()


def test_a_target_with_desk_data_is_refused_and_left_alone(tmp_path) -> None:
    source, target = str(tmp_path / "desk.db"), str(tmp_path / "busy.db")
    _every_table_filled(source)
    open_workspace(target)
    User.create(login="someone", name="Кто-то")
    database.close()
    before = _rows(target)
    done = _copy(source, target, ok=False)
    assert done.exit_code == 1
    assert f"{target} is not empty (user: 1 rows)" in done.stderr
    assert _rows(target) == before


def test_the_same_database_twice_is_refused(tmp_path) -> None:
    source = str(tmp_path / "desk.db")
    open_workspace(source)
    database.close()
    done = _copy(source, str(tmp_path / "." / "desk.db"), ok=False)
    assert done.exit_code == 1
    assert "the source and the target are the same database" in done.stderr


def test_a_missing_source_is_refused_and_creates_nothing(tmp_path) -> None:
    done = _copy(str(tmp_path / "typo.db"), str(tmp_path / "copy.db"), ok=False)
    assert done.exit_code == 1
    assert "typo.db: no such database to copy from" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_source_at_an_older_schema_is_sent_to_db_upgrade(tmp_path) -> None:
    source = str(tmp_path / "old.db")
    open_workspace(source)
    database.execute_sql(
        "DELETE FROM schema_migration WHERE name = (SELECT max(name) FROM schema_migration)"
    )
    database.close()
    done = _copy(source, str(tmp_path / "copy.db"), ok=False)
    assert done.exit_code == 1
    assert "upgrade it first: tmdesk --db" in done.stderr
    assert not (tmp_path / "copy.db").exists()


def test_an_unreachable_server_is_one_line(tmp_path) -> None:
    source = str(tmp_path / "desk.db")
    open_workspace(source)
    database.close()
    done = _copy(source, "postgresql://postgres@127.0.0.1:1/nowhere", ok=False)
    assert done.exit_code == 1
    assert "cannot connect to the PostgreSQL server" in done.stderr
    assert "Traceback" not in done.output


def test_a_nul_in_sqlite_text_arrives_as_the_replacement_character(
    tmp_path, server_database
) -> None:
    # PostgreSQL's text cannot hold a NUL (SQLite keeps what an import wrote verbatim)
    source = str(tmp_path / "desk.db")
    open_workspace(source)
    database.close()
    connection = sqlite3.connect(source)
    connection.execute(
        "INSERT INTO user (login, name, role, time_zone, active, created_at) "
        "VALUES ('anna', 'Анна' || char(0) || 'Б', 'agent', 'Europe/Moscow', 1, "
        "'2026-11-26 12:00:00.000000')"
    )
    connection.commit()
    connection.close()
    _copy(source, server_database)
    assert _rows(server_database)["user"][0][2] == "Анна\ufffdБ"


def test_refusals_are_in_russian_too(tmp_path) -> None:
    result = CliRunner().invoke(
        main, ["--lang", "ru", "db", "copy", str(tmp_path / "typo.db"), str(tmp_path / "c.db")]
    )
    assert result.exit_code == 1
    assert "такой базы для копирования нет" in result.stderr


def test_a_server_url_without_the_driver_says_which_extra(tmp_path, monkeypatch) -> None:
    import tmdesk.store.db

    source = str(tmp_path / "desk.db")
    open_workspace(source)
    database.close()
    monkeypatch.setattr(tmdesk.store.db, "find_spec", lambda name: None)
    done = _copy(source, "postgresql://postgres@127.0.0.1:5432/x", ok=False)
    assert done.exit_code == 1
    assert "pip install 'tmdesk[postgres]'" in done.stderr


def _orphan_desk(path) -> str:
    """A SQLite desk with a call pointing to a lead it does not have (foreign keys off)."""
    source = str(path)
    _every_table_filled(source)
    connection = sqlite3.connect(source)
    connection.execute(
        "UPDATE call_attempt SET lead_id = 999999 WHERE id = (SELECT min(id) FROM call_attempt)"
    )
    connection.commit()
    connection.close()
    return source


def test_rows_pointing_nowhere_are_refused_and_nothing_kept(tmp_path) -> None:
    source, target = _orphan_desk(tmp_path / "desk.db"), tmp_path / "copy.db"
    done = _copy(source, str(target), ok=False)
    assert done.exit_code == 1
    assert "the source has rows pointing to rows it does not have" in done.stderr
    assert "call_attempt row" in done.stderr
    assert not target.exists()


def test_rows_pointing_nowhere_are_refused_by_postgresql_too(tmp_path, server_database) -> None:
    done = _copy(_orphan_desk(tmp_path / "desk.db"), server_database, ok=False)
    assert done.exit_code == 1
    assert "the source has rows pointing to rows it does not have" in done.stderr
    assert all(not rows for rows in _rows(server_database).values())
    assert _foreign_keys(server_database) == _foreign_keys(_template_url())


def test_a_role_that_does_not_own_the_tables_copies_with_the_keys_in_place(
    tmp_path, server_database
) -> None:
    # the keys cannot be set aside: each row is checked instead, and the copy is the same
    import psycopg

    role = "tmdesk_test_copier_" + urlsplit(server_database).path.rsplit("_", 1)[-1]
    with psycopg.connect(server_database, autocommit=True) as connection:
        connection.execute(f'CREATE ROLE "{role}" LOGIN')
        connection.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
        connection.execute(f'GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO "{role}"')
        connection.execute(f'GRANT USAGE, UPDATE ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
    try:
        source = str(tmp_path / "desk.db")
        _every_table_filled(source)
        parts = urlsplit(server_database)
        as_role = urlunsplit(parts._replace(netloc=f"{role}@{parts.hostname}:{parts.port}"))
        _copy(source, as_role)
        database.close()
        assert _rows(server_database) == _rows(source)
        assert _foreign_keys(server_database) == _foreign_keys(_template_url())
    finally:
        with psycopg.connect(server_database, autocommit=True) as connection:
            connection.execute(f'DROP OWNED BY "{role}"')
            connection.execute(f'DROP ROLE "{role}"')


def test_counts_that_differ_fail_loudly_and_keep_nothing(tmp_path, monkeypatch) -> None:
    import tmdesk.store.copying as copying

    source, target = str(tmp_path / "desk.db"), tmp_path / "copy.db"
    _every_table_filled(source)
    dnc = len(_rows(source)["dnc_entry"])
    writing = copying.write_rows

    def losing_a_row(db, table, columns, chunks, done):  # a writer that drops one DNC number
        if table == "dnc_entry":
            chunks = [rows[1:] for rows in chunks]
        writing(db, table, columns, chunks, done)

    monkeypatch.setattr(copying, "write_rows", losing_a_row)
    done = _copy(source, str(target), ok=False)
    assert done.exit_code == 1
    assert f"the copy's counts differ, nothing was kept: dnc_entry {dnc} → {dnc - 1}" in (
        done.stderr
    )
    assert not target.exists()
