"""Migration 0009: a database from before reason codes, with the English labels older desks
stored, comes out with codes; the desk shows those reasons, and exports its leads, in
Russian."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from tmdesk import i18n
from tmdesk.domain.choices import reason_text
from tmdesk.services.calls import lead_card
from tmdesk.services.handoff import export_batch
from tmdesk.services.workspace import open_workspace
from tmdesk.store import schema
from tmdesk.store.db import open_database
from tmdesk.store.models import CallAttempt, Lead
from tmdesk.tui.desk.lead_card import past_call_content

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
from handoff_helpers import make_handoff_desk  # noqa: E402
from test_schema import _insert_bare  # noqa: E402

REAL_MIGRATIONS = schema.MIGRATIONS_DIR

# (disposition, reason as an older desk stored it, as stored after 0009)
REASONS = [
    ("not_interested", "No need", "no_need"),
    ("not_interested", "Already work with another supplier: до весны", "other_supplier: до весны"),
    ("not_interested", "Bad time, busy with other things", "bad_time"),
    # a desk that spoke Russian before codes stored the translated label
    ("not_interested", "Нет бюджета", "no_budget"),
    ("not_interested", "Слишком дорого: и далеко", "too_expensive: и далеко"),
    ("not_interested", "Refused to talk: бросили трубку", "refused_to_talk: бросили трубку"),
    # typed by hand: never touched, in any case or language
    ("not_interested", "дорого", "дорого"),
    ("not_interested", "no need: said twice", "no need: said twice"),
    ("not_interested", "No needles here", "No needles here"),
    ("not_fit", "No budget", "No budget"),  # not a picked reason of this outcome
]


def _migrations_before_0009(tmp_path, monkeypatch) -> None:
    old = tmp_path / "migrations"
    old.mkdir()
    for source in schema.MIGRATIONS_DIR.glob("000*.py"):
        if source.name < "0009":
            (old / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(schema, "MIGRATIONS_DIR", old)


def _database_before_0009(tmp_path, monkeypatch):
    _migrations_before_0009(tmp_path, monkeypatch)
    db = open_database(tmp_path / "old.db")
    assert schema.prepare(db).version == 8
    monkeypatch.undo()
    return db


def _fill(db) -> None:
    db.execute_sql(
        "INSERT INTO user (login, name, role, time_zone, active, created_at) "
        "VALUES ('anna', 'Анна', 'agent', 'Europe/Moscow', 1, '2026-01-01 00:00:00.000000')"
    )
    db.execute_sql("INSERT INTO zone_set (zones) VALUES ('Europe/Moscow')")
    db.execute_sql(
        "INSERT INTO call_list (name, priority, status, default_region, created_at) "
        "VALUES ('l', 0, 'active', 'RU', '2026-01-01 00:00:00.000000')"
    )
    _insert_bare(
        db,
        "lead",
        call_list_id=1,
        zone_set_id=1,
        phone_e164="+74951234567",
        company="Альфа",
        status="not_interested",
        created_at="2026-01-01 00:00:00.000000",
        updated_at="2026-01-01 00:00:00.000000",
    )
    for n, (disposition, reason, _after) in enumerate(REASONS, start=1):
        _insert_bare(
            db,
            "call_attempt",
            lead_id=1,
            agent_id=1,
            phone_e164="+74951234567",
            at=f"2026-01-{n:02d} 10:00:00.000000",
            disposition=disposition,
            reason=reason,
            note="",
            status_before="new",
            status_after=disposition,
        )


def test_0009_maps_stored_english_reasons_to_codes_and_the_desk_shows_them_in_russian(
    tmp_path, monkeypatch
):
    db = _database_before_0009(tmp_path, monkeypatch)
    _fill(db)
    status = schema.prepare(db)
    assert status.current and status.version >= 9
    stored = [row[0] for row in db.execute_sql("SELECT reason FROM call_attempt ORDER BY id")]
    assert stored == [after for _d, _r, after in REASONS]

    i18n.use_language("ru")
    card = lead_card(1)
    shown = {reason_text(call.reason) for call in card.history}
    assert {"Нет потребности", "Уже работают с другим поставщиком: до весны", "дорого"} <= shown
    lines = [past_call_content(call, "Europe/Moscow").plain for call in card.history]
    assert any("причина: Отказались говорить: бросили трубку" in line for line in lines)
    assert any("причина: Неудобно, заняты другим" in line for line in lines)
    i18n.use_language("en")
    assert reason_text("no_need") == "No need"  # the same code, in the desk's language


def test_0009_down_gives_the_english_labels_back(tmp_path, monkeypatch):
    db = _database_before_0009(tmp_path, monkeypatch)
    _fill(db)
    schema.prepare(db)
    from playhouse.migrations import Runner

    Runner(db, directory=str(schema.MIGRATIONS_DIR), table_name=schema.HISTORY_TABLE).down(
        "0009_reason_codes"
    )
    stored = [row[0] for row in db.execute_sql("SELECT reason FROM call_attempt ORDER BY id")]
    # down() speaks English: the labels stored in Russian come back in English
    english = {"Нет бюджета": "No budget", "Слишком дорого: и далеко": "Too expensive: и далеко"}
    assert stored == [english.get(before, before) for _d, before, _a in REASONS]


def test_a_whole_desk_from_before_0009_is_shown_and_exported_in_russian(tmp_path, monkeypatch):
    """A desk at schema 0008 worked as before (leads qualified, a meeting booked, an English
    reason recorded), then upgraded by opening it: the lead card and the handoff file are in
    Russian."""
    _migrations_before_0009(tmp_path, monkeypatch)
    # today's models write every column of the meeting, so the columns later migrations add
    # (0010's link_later) are there too: the reasons are what is still from before 0009
    newest = 0
    for later in REAL_MIGRATIONS.glob("0*.py"):
        if later.name >= "0010":
            (schema.MIGRATIONS_DIR / later.name).write_text(later.read_text(encoding="utf-8"))
            newest = max(newest, int(later.name[:4]))
    old = open_workspace(tmp_path / "desk.db")
    assert old.schema.version == newest  # 0001-0008 and 0010 on: no 0009 yet
    desk = make_handoff_desk(old, tmp_path)
    refused = Lead.get_by_id(desk.plain)
    CallAttempt.create(
        lead=refused,
        agent=desk.agent_id,
        phone_e164=refused.phone_e164,
        at=datetime(2026, 11, 26, 7, 0, tzinfo=UTC),
        disposition="not_interested",
        reason="Already work with another supplier: до весны",
        status_before="new",
        status_after="not_interested",
    )
    monkeypatch.undo()

    workspace = open_workspace(tmp_path / "desk.db", settings=old.settings)
    assert workspace.schema.current and workspace.schema.version >= 9
    i18n.use_language("ru")
    (past,) = [call for call in lead_card(desk.plain).history if call.reason]
    assert past.reason == "other_supplier: до весны"
    assert "причина: Уже работают с другим поставщиком: до весны" in (
        past_call_content(past, "Europe/Moscow").plain
    )
    (made,) = export_batch(workspace.settings, "csv", tmp_path / "handoff.csv")
    text = made.path.read_text(encoding="utf-8-sig")
    header = text.splitlines()[0]
    assert header.startswith("ID лида,Компания,Контакт,Должность,Телефон")
    assert "выезд" in text and "on_site" not in text
    assert "лицо, принимающее решение (ЛПР): Иван Петров" in text
