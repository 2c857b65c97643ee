"""The handoff files read back: CSV (csv module), XLSX (openpyxl), JSON, iCalendar
(icalendar) — every field of a fully filled lead, Cyrillic, separators and quotes inside
values, and cells a spreadsheet would run as formulas."""

from __future__ import annotations

import copy
import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from handoff_helpers import (
    AGENDA,
    ANSWER_COMMENT,
    COMMENT,
    CONTACT,
    HOSTILE_COMPANY,
    INDUSTRY,
    NOTE,
    PLACE,
    POSITION,
    make_handoff_desk,
)
from icalendar import Calendar
from openpyxl import load_workbook

from tmdesk.services.export_formats import ExportFormatError, ExportMeta, table, write_records
from tmdesk.services.export_formats.cells import is_formula_like, neutralise
from tmdesk.services.handoff import ready_records

BATCH_TIME = datetime(2026, 11, 25, 12, 30, 15, 123456, tzinfo=UTC)
META = ExportMeta(created_at=BATCH_TIME)
NOVOSIBIRSK = ZoneInfo("Asia/Novosibirsk")
HOSTILE = [
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(A1)",
    " =1+1",
    "\u00a0+1",
]
BENIGN = ["Ромашка", "a=b", "1-2", "ООО «Лютик»", "", "'уже с апострофом"]


@pytest.fixture
def records(workspace, tmp_path):
    desk = make_handoff_desk(workspace, tmp_path)
    found = ready_records(workspace.settings)
    assert [r["lead_id"] for r in found] == [desk.full, desk.other]
    return found


def full_of(records):
    return records[0]


def write(fmt, records, meta=META) -> bytes:
    buffer = io.BytesIO()
    write_records(fmt, buffer, records, meta)
    return buffer.getvalue()


def csv_rows(data: bytes, *, excel_ru=False) -> list[dict[str, str]]:
    if excel_ru:
        text, delimiter = data.decode("cp1251"), ";"
    else:
        assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
        text, delimiter = data.decode("utf-8-sig"), ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    keys = [c.key for c in table.columns()]
    assert rows[0] == [c.header for c in table.columns()]
    return [dict(zip(keys, row, strict=True)) for row in rows[1:]]


# --- formula cells -------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_could_run_is_neutralised_with_an_apostrophe(text):
    assert is_formula_like(text)
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", BENIGN)
def test_ordinary_text_is_left_alone(text):
    assert not is_formula_like(text)
    assert neutralise(text) == text


# --- CSV -----------------------------------------------------------------------------------


def _check_full_row(row: dict[str, str], lead_id: int) -> None:
    assert row["lead_id"] == str(lead_id)
    assert row["company"] == "'" + HOSTILE_COMPANY
    assert row["contact"] == CONTACT  # quotes and a comma, unchanged
    assert row["position"] == "'" + POSITION
    assert row["phone_e164"] == "'+73832100001"  # still recognisable, never a number
    assert row["phone_national"] == "8 (383) 210-00-01"
    assert row["phone_ext"] == "12"
    assert row["other_phones"] == "8 (913) 000-00-02"
    assert row["email"] == "ceo@romashka.example"
    assert (row["city"], row["region"]) == ("Новосибирск", "Новосибирская обл.")
    assert row["time_zone"] == "Asia/Novosibirsk"
    assert row["list"] == "Сибирь; осень"
    assert (row["inn"], row["website"]) == ("5401000001", "romashka.example")
    assert row["comment"] == "'" + COMMENT
    assert (row["fit"], row["knockouts"], row["actuality"], row["recall_on"]) == (
        "yes",
        "",
        "now",
        "",
    )
    assert (row["score"], row["script"], row["script_version"]) == ("105", "b2b-ru", "1")
    answers = row["answers"].split("\n")
    assert (
        "Вы отвечаете за закупку оборудования или подскажете, кто этим занимается?: "
        "Да, это я" == answers[0]
    )
    assert (
        "Сколько человек работает в компании (примерно)?: 300 (corrected by olga; the "
        "agent answered: 250)"
    ) in answers
    assert "Когда планируете закупку?: 15.01.2027" in answers
    assert (
        "Кто участвует в решении о закупке?: Генеральный директор, Главный инженер / "
        "технический директор"
    ) in answers
    assert row["answers"].endswith("Комментарий для специалиста: " + ANSWER_COMMENT)
    assert row["decision_makers"] == (
        "decision maker (ЛПР): Иван Петров, Генеральный директор, 8 (495) 100-00-09 "
        "(+74951000009), i.petrov@example.ru\n"
        "influencer (ЛВР): Ольга Сидорова, Главный инженер, ОГМ, +7 916 123-45-67 доб. 12 "
        "(+79161234567)"
    )
    assert row["notes"] == "2026-11-25 07:05 UTC Анна Котова: " + NOTE
    assert row["agent"] == "Анна Котова"
    assert row["qualified_at"] == "2026-11-25 07:05+00:00"
    assert row["reviewed_by"] == "Ольга Дымова"
    assert (row["specialist"], row["specialist_email"]) == (
        "Игорь Васильев",
        "i.vasiliev@vendor.example",
    )
    assert row["meeting_start"] == "2026-11-27 10:00+07:00"  # the specialist's time
    assert row["meeting_end"] == "2026-11-27 11:00+07:00"
    assert (row["meeting_zone"], row["meeting_offset"]) == ("Asia/Novosibirsk", "UTC+07:00")
    assert (row["meeting_kind"], row["meeting_place"]) == ("on site", PLACE)
    assert row["agenda"] == "'" + AGENDA
    assert row["attendees"] == (
        "decision maker (ЛПР): Иван Петров, Генеральный директор, 8 (495) 100-00-09 "
        "(+74951000009), i.petrov@example.ru\n"
        "influencer (ЛВР): Ольга Сидорова, Главный инженер, 8 (916) 123-45-67 (+79161234567)"
    )
    assert row["extra"] == "Отрасль: " + INDUSTRY


def test_csv_round_trip_keeps_every_field(records):
    rows = csv_rows(write("csv", records))
    assert len(rows) == 2
    _check_full_row(rows[0], records[0]["lead_id"])
    assert rows[1]["company"] == "АО Василёк"
    assert rows[1]["specialist"] == rows[1]["meeting_start"] == ""


def test_csv_for_russian_excel_uses_semicolons_and_windows_1251(records):
    fits = copy.deepcopy(records)
    fits[0]["meeting"]["agenda"] = AGENDA.replace("＝", "=")
    data = write("csv", fits, ExportMeta(created_at=BATCH_TIME, excel_ru=True))
    assert not data.startswith(b"\xef\xbb\xbf")
    assert "Сибирь; осень".encode("cp1251") in data
    rows = csv_rows(data, excel_ru=True)
    assert rows[0]["agenda"] == "'" + AGENDA.replace("＝", "=")
    fits[0]["meeting"]["agenda"] = AGENDA
    rows[0]["agenda"] = "'" + AGENDA  # everything else is read back the same
    assert "бюджет, тыс. руб.?: 2000" in rows[0]["answers"]
    _check_full_row(rows[0], records[0]["lead_id"])


def test_csv_for_russian_excel_refuses_a_character_windows_1251_lacks(records):
    answer = records[0]["qualification"]["answers"][0]
    answer["text"] += " ₽"
    with pytest.raises(ExportFormatError) as refused:
        write("csv", records, ExportMeta(created_at=BATCH_TIME, excel_ru=True))
    message = str(refused.value)
    lead = records[0]["lead_id"]
    assert f"lead {lead} " in message and "“Answers”" in message
    assert "U+20BD" in message and "--excel-ru" in message
    answer["text"] = answer["text"].removesuffix(" ₽")
    with pytest.raises(ExportFormatError, match=r"“Agenda”: the character '＝' \(U\+FF1D\)"):
        write("csv", records, ExportMeta(created_at=BATCH_TIME, excel_ru=True))


@pytest.mark.parametrize("text", HOSTILE + BENIGN)
def test_csv_cells_that_could_run_get_an_apostrophe_and_others_do_not(records, text):
    record = copy.deepcopy(records[0])
    record["company"] = record["contact"] = text
    record["qualification"]["score"] = -5  # a number of ours stays a number
    row = csv_rows(write("csv", [record]))[0]
    expected = "'" + text if text in HOSTILE else text
    assert (row["company"], row["contact"], row["score"]) == (expected, expected, "-5")


# --- XLSX ----------------------------------------------------------------------------------


def xlsx_sheet(data: bytes):
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    keys = [c.key for c in table.columns()]
    header = [cell.value for cell in sheet[1]]
    assert header == [c.header for c in table.columns()]
    rows = [dict(zip(keys, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    return book, sheet, rows


def test_xlsx_round_trip_has_typed_cells_and_every_field(records):
    book, sheet, rows = xlsx_sheet(write("xlsx", records))
    assert len(rows) == 2
    row = rows[0]
    value = {key: cell.value for key, cell in row.items()}
    assert value["lead_id"] == records[0]["lead_id"]
    assert value["company"] == HOSTILE_COMPANY  # verbatim, in a text cell
    assert (row["company"].data_type, row["company"].quotePrefix) == ("s", True)
    assert value["contact"] == CONTACT and value["position"] == POSITION
    assert row["position"].quotePrefix
    for key, text in (
        ("phone_e164", "+73832100001"),
        ("phone_national", "8 (383) 210-00-01"),
        ("phone_ext", "12"),
        ("inn", "5401000001"),
    ):
        assert (row[key].value, row[key].data_type, row[key].number_format) == (text, "s", "@")
    assert row["phone_e164"].quotePrefix
    assert value["other_phones"] == "8 (913) 000-00-02"
    assert (value["email"], value["city"], value["region"], value["time_zone"]) == (
        "ceo@romashka.example",
        "Новосибирск",
        "Новосибирская обл.",
        "Asia/Novosibirsk",
    )
    assert (value["list"], value["website"], value["comment"]) == (
        "Сибирь; осень",
        "romashka.example",
        COMMENT,
    )
    assert (value["fit"], value["knockouts"], value["actuality"], value["recall_on"]) == (
        "yes",
        None,
        "now",
        None,
    )
    assert (value["score"], row["score"].data_type) == (105, "n")
    assert (value["script"], value["script_version"]) == ("b2b-ru", "1")
    assert "300 (corrected by olga; the agent answered: 250)" in value["answers"]
    assert value["answers"].endswith(ANSWER_COMMENT)
    assert value["decision_makers"].startswith("decision maker (ЛПР): Иван Петров, Генеральный")
    assert "i.petrov@example.ru" in value["decision_makers"]
    assert value["notes"] == "2026-11-25 07:05 UTC Анна Котова: " + NOTE
    assert (value["agent"], value["reviewed_by"]) == ("Анна Котова", "Ольга Дымова")
    assert value["qualified_at"] == datetime(2026, 11, 25, 7, 5)  # a real date, UTC
    assert row["qualified_at"].is_date
    # the meeting in the specialist's wall-clock time, with the zone and offset beside it
    assert value["meeting_start"] == datetime(2026, 11, 27, 10, 0)
    assert value["meeting_end"] == datetime(2026, 11, 27, 11, 0)
    assert row["meeting_start"].is_date and row["meeting_start"].number_format == "yyyy-mm-dd hh:mm"
    assert (value["meeting_zone"], value["meeting_offset"]) == ("Asia/Novosibirsk", "UTC+07:00")
    assert (value["specialist"], value["specialist_email"], value["meeting_kind"]) == (
        "Игорь Васильев",
        "i.vasiliev@vendor.example",
        "on site",
    )
    assert (value["meeting_place"], value["agenda"]) == (PLACE, AGENDA)
    assert row["agenda"].quotePrefix
    assert "Ольга Сидорова, Главный инженер" in value["attendees"]
    assert value["extra"] == "Отрасль: " + INDUSTRY
    # no formula anywhere, readable widths, the header frozen
    assert not [c for line in sheet.iter_rows() for c in line if c.data_type == "f"]
    widths = [
        sheet.column_dimensions[letter].width
        for letter in (cell.column_letter for cell in sheet[1])
    ]
    assert all(6 <= width <= 60 for width in widths)
    assert sheet.column_dimensions["B"].width >= len(HOSTILE_COMPANY[:38])
    assert sheet.freeze_panes == "B2"
    assert book.properties.created == book.properties.modified == datetime(2026, 11, 25, 12, 30, 15)


@pytest.mark.parametrize("text", HOSTILE + ["#N/A", '=HYPERLINK("x")'])
def test_xlsx_keeps_hostile_text_verbatim_in_a_text_cell_never_a_formula(records, text):
    record = copy.deepcopy(records[0])
    record["company"] = text
    _book, _sheet, rows = xlsx_sheet(write("xlsx", [record]))
    cell = rows[0]["company"]
    expected = text.replace("\r", "\n") if text.startswith("\r") else text
    assert cell.value in (text, expected)
    assert cell.data_type == "s"
    assert cell.quotePrefix == is_formula_like(text)


def test_xlsx_replaces_characters_xml_cannot_hold(records):
    record = copy.deepcopy(records[0])
    record["contact"] = "Иван\x00Петров\x07"
    _book, _sheet, rows = xlsx_sheet(write("xlsx", [record]))
    assert rows[0]["contact"].value == "Иван\ufffdПетров\ufffd"


def test_xlsx_is_the_same_bytes_when_written_twice(records):
    assert write("xlsx", records) == write("xlsx", records)


# --- JSON ----------------------------------------------------------------------------------


def test_json_is_the_records_verbatim(records):
    data = write("json", records)
    loaded = json.loads(data.decode("utf-8"))
    assert loaded == records
    full = loaded[0]
    for key in (
        "company",
        "contact",
        "phone_e164",
        "qualification",
        "decision_makers",
        "meeting",
        "agent",
        "qualified_at",
    ):
        assert key in full
    assert full["company"] == HOSTILE_COMPANY and full["comment"] == COMMENT
    assert full["meeting"]["agenda"] == AGENDA
    assert full["meeting"]["starts_at"] == "2026-11-27T10:00:00+07:00"
    assert full["meeting"]["starts_at_utc"] == "2026-11-27T03:00:00+00:00"
    assert "Пётр" in data.decode("utf-8")  # Cyrillic unescaped


# --- iCalendar -----------------------------------------------------------------------------


def ics_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    return data.split(b"\r\n")[:-1]


def test_ics_round_trip_has_one_event_per_booked_meeting_with_every_part(records):
    data = write("ics", records)
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1  # "other" has no meeting
    event = events[0]
    meeting = records[0]["meeting"]
    assert str(event["UID"]) == f"meeting-{meeting['id']}@tmdesk"
    assert event.decoded("DTSTAMP") == BATCH_TIME.replace(microsecond=0)
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert event["DTSTART"].params["TZID"] == "Asia/Novosibirsk"
    assert start == datetime(2026, 11, 27, 10, 0, tzinfo=NOVOSIBIRSK)
    assert start.utcoffset() == timedelta(hours=7) and end - start == timedelta(hours=1)
    assert str(event["SUMMARY"]) == f"Meeting: {HOSTILE_COMPANY} — {CONTACT}"  # verbatim
    assert str(event["LOCATION"]) == PLACE
    assert str(event["ORGANIZER"]) == "mailto:i.vasiliev@vendor.example"
    assert event["ORGANIZER"].params["CN"] == "Игорь Васильев"
    attendees = event.get("ATTENDEE")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert [str(a) for a in attendees] == ["mailto:i.petrov@example.ru"]  # Ольга has no email
    description = str(event["DESCRIPTION"])
    for part in (
        HOSTILE_COMPANY,
        CONTACT,
        POSITION,
        "8 (383) 210-00-01 ext. 12 (+73832100001)",
        "8 (913) 000-00-02",
        "ceo@romashka.example",
        "Asia/Novosibirsk",
        "fit yes, actuality now, score 105",
        "300 (corrected by olga; the agent answered: 250)",
        ANSWER_COMMENT,
        "decision maker (ЛПР): Иван Петров, Генеральный директор",
        "i.petrov@example.ru",
        "influencer (ЛВР): Ольга Сидорова",
        NOTE,
        COMMENT,
        AGENDA,
        "Qualified by Анна Котова at 2026-11-25 07:05 UTC",
    ):
        assert part in description, part


def test_ics_passes_the_calendar_checks(records):
    second = copy.deepcopy(records[0])
    second["lead_id"] += 100
    second["meeting"].update(
        id=999,
        time_zone="Europe/Moscow",
        starts_at="2027-04-01T10:00:00+03:00",
        ends_at="2027-04-01T11:00:00+03:00",
        agenda="Очень длинная повестка " * 40,
    )
    data = write("ics", [*records, second])
    lines = ics_lines(data)
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)
    calendar = Calendar.from_ical(data)
    assert (str(calendar["VERSION"]), str(calendar["PRODID"])) == ("2.0", "-//tmdesk//handoff//EN")
    events = calendar.walk("VEVENT")
    for event in events:
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION"):
            assert required in event
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids) == 2
    used = {e[name].params["TZID"] for e in events for name in ("DTSTART", "DTEND")}
    defined = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert used == defined == {"Asia/Novosibirsk", "Europe/Moscow"}
    assert calendar.get_missing_tzids() == set()
    assert str(events[1]["DESCRIPTION"]).count("Очень длинная повестка") == 40


def test_ics_is_the_same_bytes_when_written_twice(records):
    assert write("ics", records) == write("ics", records)


def test_ics_uid_follows_the_meeting_not_the_export(records):
    first = Calendar.from_ical(write("ics", records))
    later = Calendar.from_ical(
        write("ics", records, ExportMeta(created_at=BATCH_TIME + timedelta(days=3)))
    )
    assert [str(e["UID"]) for e in first.walk("VEVENT")] == [
        str(e["UID"]) for e in later.walk("VEVENT")
    ]


def test_a_record_without_optional_parts_writes_in_every_format(records):
    bare = copy.deepcopy(records[1])
    bare.update(other_phones=[], extra={}, notes=[], decision_makers=[], time_zone=None)
    bare["qualification"].update(fit=None, recall_on=date(2027, 1, 1).isoformat(), answers=[])
    for fmt in ("csv", "xlsx", "json", "ics"):
        assert write(fmt, [bare])
    assert csv_rows(write("csv", [bare]))[0]["recall_on"] == "2027-01-01"
    _book, _sheet, rows = xlsx_sheet(write("xlsx", [bare]))
    assert rows[0]["recall_on"].value == datetime(2027, 1, 1)


def test_ics_meeting_in_utc_needs_no_vtimezone(records):
    record = copy.deepcopy(records[0])
    record["meeting"].update(
        time_zone="UTC", starts_at="2026-11-27T03:00:00+00:00", ends_at="2026-11-27T04:00:00+00:00"
    )
    data = write("ics", [record])
    assert b"DTSTART:20261127T030000Z" in data
    calendar = Calendar.from_ical(data)
    assert calendar.walk("VTIMEZONE") == [] and calendar.get_missing_tzids() == set()


def test_json_streamed_is_what_json_dump_writes(records):
    expected = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    assert write("json", iter(records)) == expected.encode("utf-8")
    assert write("json", []) == b"[]\n"
