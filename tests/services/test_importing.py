"""Importing call lists: every row accounted for, all or nothing, nothing interpreted."""

from __future__ import annotations

import csv

import openpyxl
import pytest

from tests.conftest import realdata
from tmdesk.services import importing
from tmdesk.services.importing import CallListImportError, import_call_list
from tmdesk.store.dialect import NUL_STAND_IN, is_postgres
from tmdesk.store.models import CallList, DncEntry, ImportRun, Lead, database

OUTCOMES = ("imported", "duplicates", "invalid", "dnc", "empty")


def write_csv(path, rows, *, encoding="utf-8", delimiter=";"):
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def accounted(report) -> bool:
    return sum(getattr(report, name) for name in OUTCOMES) == report.rows


def snapshot(db_path) -> dict[str, list]:
    """Every row of the import's tables (`db_path`: the desk's, bound to the models)."""
    assert str(database.obj.database).endswith(str(db_path))
    return {
        table: [
            tuple(row)
            for row in database.execute_sql(f"SELECT * FROM {table} ORDER BY 1").fetchall()
        ]
        for table in ("call_list", "import_run", "lead", "zone_set", "dnc_entry")
    }


HEADER = ["Компания", "Контактное лицо", "Телефон", "Город", "Комментарий"]


def test_every_row_is_accounted_for(workspace, tmp_path):
    DncEntry.create(phone_e164="+74957654321", reason="asked")
    path = write_csv(
        tmp_path / "calls.csv",
        [
            HEADER,
            [
                "ООО Ромашка",
                "Иван Петров",
                "8 (495) 123-45-67, доб. 123; +7 916 123-45-67",
                "Москва",
                "",
            ],
            ["АО Лютик", "", "+7 495 1234567", "Москва", "same number, other form"],
            ["ИП Хлам", "", "123", "", ""],
            ["", "", "", "", ""],
            ["ЗАО Тишина", "", "8 495 765-43-21", "", ""],
            ["ООО Без телефона", "Пётр", "", "Казань", ""],
            ["ООО Калининград", "", "8 (4012) 12-34-56", "Калининград", ""],
        ],
    )
    report = import_call_list(path, list_name="Москва")
    assert (
        report.rows,
        report.imported,
        report.duplicates,
        report.invalid,
        report.dnc,
        report.empty,
    ) == (7, 2, 1, 2, 1, 1)
    assert accounted(report)
    assert [(p.line, p.reason) for p in report.errors] == [
        (3, "+74951234567 repeats line 2"),
        (4, "'123': too short for RU"),
        (7, "no phone number"),
    ]
    romashka = Lead.get(Lead.company == "ООО Ромашка")
    assert (romashka.phone_e164, romashka.phone_ext) == ("+74951234567", "123")
    assert romashka.alternates == [{"e164": "+79161234567", "ext": None, "raw": "+7 916 123-45-67"}]
    assert romashka.phone_raw == "8 (495) 123-45-67, доб. 123; +7 916 123-45-67"
    assert romashka.zone_set.zones == "Europe/Moscow" and romashka.zone_source == "region"
    assert Lead.get(Lead.company == "ЗАО Тишина").status == "dnc"
    kaliningrad = Lead.get(Lead.company == "ООО Калининград")
    assert kaliningrad.zone_set.zones == "Europe/Kaliningrad"
    run = ImportRun.get()
    assert (run.rows, run.imported, run.duplicates, run.invalid, run.dnc, run.empty) == (
        7,
        2,
        1,
        2,
        1,
        1,
    )

    rejects = list(
        csv.reader((tmp_path / "calls.rejects.csv").open(encoding="utf-8-sig"), delimiter=";")
    )
    assert rejects[0] == [*HEADER, "line", "reason"]
    assert [row[-2:] for row in rejects[1:]] == [
        ["3", "+74951234567 repeats line 2"],
        ["4", "'123': too short for RU"],
        ["7", "no phone number"],
    ]
    assert rejects[1][:5] == ["АО Лютик", "", "+7 495 1234567", "Москва", "same number, other form"]


def test_reimporting_the_same_file_adds_nothing(workspace, tmp_path):
    path = write_csv(
        tmp_path / "calls.csv",
        [
            HEADER,
            ["ООО А", "", "8 495 123-45-67", "", ""],
            ["ООО Б", "", "8 916 123-45-67", "", ""],
        ],
    )
    first = import_call_list(path, list_name="L")
    second = import_call_list(path, list_name="L")
    assert (first.imported, second.imported, second.duplicates) == (2, 0, 2)
    assert Lead.select().count() == 2
    assert "already in list 'L'" in second.errors[0].reason


def test_duplicates_against_other_active_lists_but_not_archived_ones(workspace, tmp_path):
    path = write_csv(tmp_path / "calls.csv", [HEADER, ["ООО А", "", "8 495 123-45-67", "", ""]])
    import_call_list(path, list_name="old")
    assert import_call_list(path, list_name="new").duplicates == 1
    CallList.update(status="archived").where(CallList.name == "old").execute()
    assert import_call_list(path, list_name="newer").imported == 1
    with pytest.raises(CallListImportError, match="archived"):
        import_call_list(path, list_name="old")


def test_dry_run_counts_and_writes_nothing(workspace, tmp_path):
    path = write_csv(
        tmp_path / "calls.csv",
        [HEADER, ["ООО А", "", "8 495 123-45-67", "", ""], ["ООО Б", "", "x", "", ""]],
    )
    before = snapshot(workspace.target)
    report = import_call_list(path, list_name="L", dry_run=True)
    assert (report.imported, report.invalid, report.dry_run) == (1, 1, True)
    assert snapshot(workspace.target) == before
    assert not (tmp_path / "calls.rejects.csv").exists()


def test_hostile_cells_are_stored_verbatim(workspace, tmp_path):
    hostile = [
        '=HYPERLINK("http://evil","click")',
        "+cmd|' /C calc'!A0",
        "@SUM(1+1)",
        "\tTAB",
        "nul\x00byte",
        "[bold]markup[/bold]",
    ]
    rows = [HEADER + ["Extra"]]
    for n, text in enumerate(hostile):
        rows.append([text, text, f"8 495 123-45-{n:02d}", "", text, text])
    path = write_csv(tmp_path / "hostile.csv", rows)
    report = import_call_list(path, list_name="H")
    assert report.imported == len(hostile)
    for n, text in enumerate(hostile):
        lead = Lead.get(Lead.phone_e164 == f"+749512345{n:02d}")
        assert lead.extra == {"Extra": text}  # JSON escapes a NUL: kept on both
        if is_postgres():  # its text cannot hold a NUL: the replacement character instead
            text = text.replace("\x00", NUL_STAND_IN)
        assert (lead.company, lead.contact, lead.comment) == (text, text, text)


def test_an_injected_failure_mid_file_leaves_the_database_as_before(
    workspace, tmp_path, monkeypatch
):
    rows = [HEADER] + [[f"ООО {n}", "", f"8 495 1{n:06d}", "", ""] for n in range(5000)]
    path = write_csv(tmp_path / "big.csv", rows)
    import_call_list(
        write_csv(tmp_path / "small.csv", [HEADER, ["ООО", "", "8 916 1234567", "", ""]]),
        list_name="keep",
    )
    before = snapshot(workspace.target)
    write_chunk, written = importing._write_chunk, []

    def failing_write_chunk(sql, batch):  # the second chunk fails, after the first committed
        if written:
            raise RuntimeError("injected failure")
        write_chunk(sql, batch)
        written.append(len(batch))

    monkeypatch.setattr(importing, "_write_chunk", failing_write_chunk)
    with pytest.raises(RuntimeError, match="injected failure"):
        import_call_list(path, list_name="L")
    after = snapshot(workspace.target)
    # zone sets are a shared lookup table: one the import added may stay
    assert {k: v for k, v in after.items() if k != "zone_set"} == {
        k: v for k, v in before.items() if k != "zone_set"
    }
    assert not (tmp_path / "big.rejects.csv").exists()
    assert not list(tmp_path.glob(".rejects-*"))


def test_xlsx_numbers_that_lost_digits_are_rejected_not_repaired(workspace, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Компания", "Телефон"])
    sheet.append(["ООО Текст", "+7 495 123-45-67"])
    sheet.append(["ООО Целое", 79161234567])
    sheet.append(["ООО Дробное", 7.91612345678e16])  # written as 7.91612345678e+16
    sheet.append(["ООО Длинное", 12345678901234567890])
    book.save(tmp_path / "list.xlsx")
    report = import_call_list(tmp_path / "list.xlsx", list_name="X")
    assert (report.imported, report.invalid) == (2, 2)
    reasons = {p.line: p.reason for p in report.errors}
    assert set(reasons) == {4, 5} and all("lost digits" in r for r in reasons.values())
    assert Lead.get(Lead.company == "ООО Целое").phone_e164 == "+79161234567"


def test_map_overrides_and_unmapped_columns(workspace, tmp_path):
    path = write_csv(
        tmp_path / "odd.csv",
        [["Клиент", "Куда звонить", "Менеджер"], ["ООО А", "8 495 123-45-67", "Ольга"]],
    )
    report = import_call_list(path, list_name="L", overrides={"Куда звонить": "phone"})
    assert report.imported == 1
    lead = Lead.get()
    assert lead.company == "ООО А" and lead.extra == {"Менеджер": "Ольга"}


# --- real third-party files -----------------------------------------------------------------


def test_real_excel_cp1251_file_is_read_as_cyrillic(workspace):
    report = import_call_list(realdata("excel-ru-cp1251.csv"), list_name="excel")
    assert accounted(report) and report.rows == 3
    assert report.encoding == "cp1251"
    assert report.imported == 0  # it is a price list: no phones, every row says so
    assert all("phone" in problem.reason for problem in report.errors)


def test_real_crm_contacts_with_us_numbers(workspace):
    report = import_call_list(
        realdata("atomic-crm-contacts.csv"), list_name="crm", default_region="US"
    )
    assert accounted(report) and report.rows == 200  # the extract: the file's first 200
    assert report.imported > 100 and report.invalid > 0
    with_extension = Lead.select().where(Lead.phone_ext.is_null(False)).count()
    assert with_extension > 0
    assert all(lead.phone_e164.startswith("+1") for lead in Lead.select())


@pytest.mark.parametrize(
    ("name", "rows"), [("ru-numbering-plan-def9xx-2023.csv", 113), ("ru-cities.csv", 254)]
)
def test_real_reference_files_import_with_counts_that_add_up(workspace, name, rows):
    report = import_call_list(realdata(name), list_name=name)
    assert accounted(report) and report.rows == rows


def test_a_landline_without_a_city_is_placed_by_its_area_code(workspace, tmp_path):
    path = write_csv(
        tmp_path / "calls.csv",
        [
            HEADER,
            ["ООО Амур", "", "8 (4212) 39-53-38", "", ""],
            ["ООО Мобильный", "", "8 916 123-45-67", "", ""],
        ],
    )
    import_call_list(path, list_name="L")
    assert "Хабаровск" in Lead.get(Lead.company == "ООО Амур").place
    assert Lead.get(Lead.company == "ООО Мобильный").place == ""  # only «Россия» is known
