"""Handoff files in the language chosen for the export: headers, values, the .ics words;
JSON keys and values stay the stable identifiers; the desk's own language is untouched."""

from __future__ import annotations

import csv
import io
import json
import threading
from datetime import UTC, datetime

import pytest
from handoff_helpers import make_handoff_desk
from icalendar import Calendar
from openpyxl import load_workbook

from tmdesk import i18n
from tmdesk.services.export_formats import ExportMeta, table, write_records
from tmdesk.services.handoff import ready_records

BATCH_TIME = datetime(2026, 11, 25, 12, 30, tzinfo=UTC)


@pytest.fixture
def records(workspace, tmp_path):
    make_handoff_desk(workspace, tmp_path)
    return ready_records(workspace.settings)


def written(fmt: str, records, language: str | None) -> bytes:
    buffer = io.BytesIO()
    write_records(fmt, buffer, records, ExportMeta(created_at=BATCH_TIME, language=language))
    return buffer.getvalue()


def csv_table(data: bytes) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_csv_headers_and_values_in_russian(records):
    data = written("csv", records, "ru")
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header[:5] == ["ID лида", "Компания", "Контакт", "Должность", "Телефон"]
    assert "Формат встречи" in header and "Часовой пояс специалиста" in header
    assert len(header) == len(table.columns())
    with i18n.speaking("en"):
        english = [c.header for c in table.columns()]
    assert [name for name, source in zip(header, english, strict=True) if name == source] == []
    full = csv_table(data)[0]
    assert full["Наш клиент"] == "да"
    assert full["Актуальность"] == "сейчас"
    assert full["Формат встречи"] == "выезд"
    assert "(исправил olga; ответ оператора: 250)" in full["Ответы"]
    assert full["ЛПР / ЛВР / АПР"].startswith("лицо, принимающее решение (ЛПР): Иван Петров")
    # the words people typed are never translated
    assert full["Компания"].lstrip("'").startswith("=HYPERLINK(")


def test_xlsx_headers_and_values_in_russian(records):
    sheet = load_workbook(io.BytesIO(written("xlsx", records, "ru")), read_only=True).active
    assert sheet.title == "Лиды"
    rows = list(sheet.iter_rows(values_only=True))
    header, full = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[:2] == ("ID лида", "Компания") and len(header) == len(table.columns())
    assert (full["Наш клиент"], full["Формат встречи"]) == ("да", "выезд")


def test_ics_in_russian(records):
    calendar = Calendar.from_ical(written("ics", records, "ru"))
    assert calendar["X-WR-CALNAME"] == "tmdesk: передача"
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]).startswith("Встреча: =HYPERLINK(")
    description = str(event["DESCRIPTION"])
    assert "Контакт: " in description and "Телефон: " in description
    assert "наш клиент — да, актуальность — сейчас" in description
    assert "\nЛПР / ЛВР / АПР:\n- лицо, принимающее решение (ЛПР): Иван Петров" in description


def test_english_export_from_a_russian_desk_and_the_desk_keeps_its_language(records):
    i18n.use_language("ru")
    data = written("csv", records, "en")
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header[:3] == ["Lead", "Company", "Contact"]
    assert csv_table(data)[0]["Meeting kind"] == "on site"
    assert i18n.current_language() == "ru" and i18n._("Company") == "Компания"
    # no language given: the desk's
    assert next(csv.reader(io.StringIO(written("csv", records, None).decode("utf-8-sig"))))[1] == (
        "Компания"
    )


def test_an_export_language_is_its_own_thread_s(records):
    """The TUI exports in a worker thread: the desk's other threads keep the desk's words."""
    i18n.use_language("en")
    seen = []
    with i18n.speaking("ru"):
        assert i18n._("Company") == "Компания"
        thread = threading.Thread(target=lambda: seen.append(i18n._("Company")))
        thread.start()
        thread.join()
    assert seen == ["Company"] and i18n._("Company") == "Company"


def test_json_keys_and_values_stay_identifiers(records):
    russian, english = written("json", records, "ru"), written("json", records, "en")
    assert russian == english
    full = json.loads(russian)[0]
    assert {"company", "qualification", "decision_makers", "meeting"} <= set(full)
    assert full["meeting"]["kind"] == "on_site"
    assert full["decision_makers"][0]["role"] == "decision_maker"
