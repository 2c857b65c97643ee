"""Hostile call-list files, CSV and XLSX alike: refused with their reason and where, or
imported without losing a cell — never a traceback, a half import or a swollen database."""

from __future__ import annotations

import csv
import tracemalloc
import zipfile

import openpyxl
import pytest

from tmdesk.services.call_list_files import CallListFileError, open_call_list
from tmdesk.services.importing import import_call_list
from tmdesk.store.models import CallList, Lead

BIG = 10 * 2**20 + 10  # one character over the 10 MB cell limit


def write(path, rows):
    if path.suffix == ".xlsx":
        book = openpyxl.Workbook()
        for row in rows:  # openpyxl cuts text at Excel's 32,767: long cells go in below
            book.active.append([cell if len(cell) < 1000 else "LONG" for cell in row])
        book.save(path)
        long = [cell for row in rows for cell in row if len(cell) >= 1000]
        if long:
            _replace_in_zip(path, b">LONG<", b">" + long[0].encode() + b"<")
    else:
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, delimiter=";").writerows(rows)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_cell_over_10_mb_is_refused_with_its_line(workspace, tmp_path, suffix):
    rows = [["Компания", "Телефон"], ["ООО А", "+7 495 123-45-67"], ["x" * BIG, "+7 495 1"]]
    path = write(tmp_path / f"huge{suffix}", rows)
    assert path.stat().st_size < 2**20 or suffix == ".csv"  # the XLSX: a small file
    with pytest.raises(CallListFileError) as refused:
        import_call_list(path, list_name="L")
    message = str(refused.value)
    assert message.startswith(f"huge{suffix}: line 3") and "longer than 10 MB" in message
    if suffix == ".xlsx":
        assert "field 'A'" in message
    assert not CallList.select().exists() and not Lead.select().exists()


def _replace_in_zip(path, old: bytes, new: bytes) -> None:
    with zipfile.ZipFile(path) as source:
        entries = [(item.filename, source.read(item.filename)) for item in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data.replace(old, new))


def _padded_workbook(path, padding: int):
    """A real one-row workbook whose sheet XML carries `padding` spaces: a small zip that
    unpacks to much more, as a zip bomb does."""
    write(path, [["Компания", "Телефон"], ["ООО А", "+7 495 123-45-67"]])
    _replace_in_zip(path, b"</worksheet>", b" " * padding + b"</worksheet>")
    return path


def test_a_sheet_unpacking_over_the_limit_is_refused_before_it_is_read(workspace, tmp_path):
    path = _padded_workbook(tmp_path / "bomb.xlsx", 3 * 2**20)
    assert path.stat().st_size < 100_000
    tracemalloc.start()
    try:
        with pytest.raises(CallListFileError) as refused:
            import_call_list(path, list_name="L", max_sheet_mb=1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(refused.value) == (
        "bomb.xlsx: xl/worksheets/sheet1.xml unpacks to 3 MB, over the limit of 1 MB "
        "(--max-sheet-mb)"
    )
    assert peak < 2**20  # refused from the zip directory: the 3 MB were never unpacked
    assert import_call_list(path, list_name="L").imported == 1  # the default limit: 512 MB


def test_the_cli_refuses_a_sheet_over_max_sheet_mb_in_one_line(tmp_path):
    from tests.cli.conftest import Desk

    desk = Desk(tmp_path / "desk.db")
    path = _padded_workbook(tmp_path / "bomb.xlsx", 2 * 2**20)
    result = desk("import", str(path), "--max-sheet-mb", "1", ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "Error: bomb.xlsx: xl/worksheets/sheet1.xml unpacks to 2 MB, over the limit of 1 MB "
        "(--max-sheet-mb)"
    ]


@pytest.mark.parametrize(
    "content",
    [b"\xd0\xa2\xd0\xb5\xd0\xbb\xd0\xb5\xd1\x84\xd0\xbe\xd0\xbd\n+7 495 123-45-67\n", "zip"],
    ids=["text", "zip-without-workbook"],
)
def test_a_file_named_xlsx_that_is_no_workbook_is_refused_as_such(tmp_path, content):
    path = tmp_path / "calls.xlsx"
    if content == "zip":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("Телефон.csv", "Телефон\n+7 495 123-45-67\n")
    else:
        path.write_bytes(content)
    with pytest.raises(CallListFileError) as refused:
        open_call_list(path)
    assert str(refused.value).startswith("calls.xlsx: not an Excel workbook (.xlsx)")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_repeated_header_is_kept_under_a_name_of_its_own(workspace, tmp_path, suffix):
    rows = [
        ["Компания", "Телефон", "Компания", "Цена", "Цена"],
        ["ООО А", "+7 495 123-45-67", "ООО Б", "100", "200"],
    ]
    report = import_call_list(write(tmp_path / f"twice{suffix}", rows), list_name="L")
    assert report.imported == 1
    lead = Lead.get()
    assert lead.company == "ООО А"
    assert lead.extra == {"Компания (2)": "ООО Б", "Цена": "100", "Цена (2)": "200"}
    assert "Компания (2) → extra" in report.columns


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_priority_that_cannot_be_stored_is_kept_as_text(workspace, tmp_path, suffix):
    cells = ["7", "99999999999999999999999", "-5", "высокий", "1_000"]
    rows = [["Компания", "Телефон", "Приоритет"]] + [
        [f"ООО {n}", f"+7 495 123-45-{n:02d}", cell] for n, cell in enumerate(cells)
    ]
    report = import_call_list(write(tmp_path / f"priority{suffix}", rows), list_name="L")
    assert report.imported == len(cells)  # the import goes on; no row lost
    leads = {lead.company: lead for lead in Lead.select()}
    assert leads["ООО 0"].priority == 7 and leads["ООО 0"].extra is None
    for n, cell in enumerate(cells[1:], 1):
        lead = leads[f"ООО {n}"]
        assert lead.priority == 0
        assert list(lead.extra.values()) == [cell], lead.extra
    assert list(leads["ООО 2"].extra) == ["priority (out of range 0–1000000000)"]
    assert list(leads["ООО 3"].extra) == ["priority (not a number)"]
