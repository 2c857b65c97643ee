"""Tests for tmdesk.services.call_list_files (and call_list_columns): reading call-list files
as rows — encodings, delimiters, quoting, hostile cells, XLSX cells — and header mapping."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import realdata
from tmdesk.services.call_list_columns import FIELDS, ColumnMap, ColumnMapError, map_columns
from tmdesk.services.call_list_files import CallListFileError, SourceRow, open_call_list

HEADER = ["Компания", "Телефон", "Контактное лицо", "Город"]
DATA = [
    ["ООО «Ромашка»", "+7 495 123-45-67", "Иванов Иван Иванович", "Москва"],
    ["ИП Пётр Сергеевич", "8 (916) 123-45-67", "Ёлкин Семён", "Санкт-Петербург"],
    ["АО Щит и меч", "84951234567", "Юлия Эдуардовна Цой", "Нижний Новгород"],
]


def write(tmp_path: Path, data: bytes | str, name: str = "calls.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def read(path: Path, **kw) -> tuple:
    with open_call_list(path, **kw) as source:
        rows = list(source.rows())
    return source, rows


def table(rows: list[list[str]], delimiter: str = ";", newline: str = "\r\n") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return out.getvalue()


def russian(encoding: str) -> tuple[bytes, list[list[str]]]:
    """The Russian sample table in `encoding` (quotes «» only where the code page has them)."""
    rows = [HEADER, *DATA]
    text = table(rows)
    try:
        return text.encode(encoding), rows
    except UnicodeEncodeError:
        rows = [[c.replace("«", '"').replace("»", '"') for c in r] for r in rows]
        return table(rows).encode(encoding), rows


def unerror(exc: pytest.ExceptionInfo) -> str:
    return str(exc.value)


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "encoding, data",
    [
        ("utf-8", None),
        ("utf-8-sig", None),
        ("utf-16", None),  # Python writes a BOM
        ("utf-16-le", None),  # no BOM: told by its NUL bytes
        ("utf-16-be", None),
        ("cp1251", None),
        ("koi8-r", None),
        ("cp866", None),
        ("mac-cyrillic", None),
        ("iso8859-5", None),
    ],
)
def test_encodings_are_detected_and_decoded(tmp_path, encoding, data):
    raw, rows = russian(encoding)
    source, got = read(write(tmp_path, raw))
    assert source.kind == "csv"
    assert source.encoding == codecs.lookup(encoding).name
    assert list(source.headers) == rows[0]
    assert [list(r.cells) for r in got] == rows[1:]
    assert [r.line for r in got] == [2, 3, 4]


def test_utf16_bom_files_are_read_whatever_their_byte_order(tmp_path):
    raw = codecs.BOM_UTF16_BE + table([HEADER, *DATA]).encode("utf-16-be")
    source, got = read(write(tmp_path, raw))
    assert source.encoding == "utf-16" and source.headers[0] == "Компания"
    assert got[0].cells[0] == "ООО «Ромашка»"


def test_western_code_page(tmp_path):
    rows = [
        ["Name", "Straße", "Telefon"],
        ["Müller", "Hauptstraße 5", "+49 30 1234567"],
        ["José Núñez", "Calle Señor 3", "+34 912 345 678"],
    ]
    source, got = read(write(tmp_path, table(rows).encode("cp1252")))
    assert source.encoding == "cp1252"
    assert [list(r.cells) for r in got] == rows[1:]


def test_only_symbols_outside_ascii_read_as_cp1251(tmp_path):
    source, got = read(write(tmp_path, "№;Phone\r\n1;+7 916 123-45-67\r\n".encode("cp1251")))
    assert source.encoding == "cp1251" and source.headers == ("№", "Phone")


@pytest.mark.parametrize(
    "parts, bad_line",
    [
        # UTF-8 first, then a line saved in cp1251: refused at that line, never half-decoded
        (
            [
                ("utf-8", "Компания;Телефон\n"),
                ("utf-8", "Ромашка;1\n"),
                ("cp1251", "Лютик;2\n"),
                ("utf-8", "Василёк;3\n"),
            ],
            3,
        ),
        ([("ascii", "Company;Phone\n"), ("utf-8", "Café;1\n"), ("cp1251", "Лютик;2\n")], 3),
        # cp1251 first, a UTF-8 line later: refused too (cp1251 would turn it into "Р’Р°С")
        ([("ascii", "Company;Phone\n"), ("cp1251", "Лютик;2\n"), ("utf-8", "Василёк;3\n")], 2),
    ],
)
def test_mixed_utf8_and_cp1251_is_refused(tmp_path, parts, bad_line):
    path = write(tmp_path, b"".join(text.encode(enc) for enc, text in parts))
    with pytest.raises(CallListFileError) as exc:
        open_call_list(path)
    assert exc.value.line == bad_line
    assert "mixes encodings" in unerror(exc) and "--encoding" in unerror(exc)
    assert unerror(exc).startswith(f"calls.csv: line {bad_line}: ")


def test_cp1251_that_starts_like_utf8_is_not_mixed(tmp_path):
    # "Пё" (CF B8) is valid UTF-8 by accident; the line it is on is not
    raw = "Name;Phone\r\nПётр Иванов;1\r\nСемён Ёлкин;2\r\n".encode("cp1251")
    source, got = read(write(tmp_path, raw))
    assert source.encoding == "cp1251" and got[0].cells == ("Пётр Иванов", "1")


def test_mixed_file_is_read_with_an_explicit_encoding(tmp_path):
    path = write(tmp_path, "Компания;Телефон\n".encode() + "Лютик;2\n".encode("cp1251"))
    with pytest.raises(CallListFileError, match=r"line 2: bytes .* not valid utf-8"):
        read(path, encoding="utf-8")


def test_undecidable_bytes_ask_for_an_encoding(tmp_path):
    path = write(tmp_path, b"Phone;Name\n1;" + bytes(range(0x80, 0x100)) + b"\n")
    with pytest.raises(CallListFileError, match="cannot tell the text encoding.*--encoding"):
        open_call_list(path)


def test_explicit_encoding_wins_and_is_checked(tmp_path):
    raw, rows = russian("koi8-r")
    source, got = read(write(tmp_path, raw), encoding="KOI8_R")
    assert source.encoding == "koi8-r" and got[0].cells == tuple(rows[1])
    with pytest.raises(CallListFileError, match="unknown encoding 'martian'"):
        open_call_list(write(tmp_path, raw), encoding="martian")
    raw = table([HEADER, *DATA]).encode("cp1251")
    with pytest.raises(CallListFileError) as exc:
        read(write(tmp_path, raw), encoding="utf-8")
    assert exc.value.line == 1 and "not valid utf-8" in unerror(exc)


def test_bom_is_stripped_from_the_header_even_with_an_explicit_encoding(tmp_path):
    path = write(tmp_path, codecs.BOM_UTF8 + " Телефон ;\tИмя\n1;2\n".encode())
    assert read(path, encoding="utf-8")[0].headers == ("Телефон", "Имя")
    assert read(path)[0].headers == ("Телефон", "Имя")


# --------------------------------------------------------------------------- CSV structure


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_sniffed(tmp_path, delimiter):
    rows = [HEADER, *DATA, ["ООО «Лес, поле; река|море»", "+7 (495) 123-45-67", "", "Тверь"]]
    source, got = read(write(tmp_path, table(rows, delimiter)))
    assert source.delimiter == delimiter
    assert [list(r.cells) for r in got] == rows[1:]


def test_russian_excel_decimal_commas_do_not_fool_the_sniffer(tmp_path):
    text = "Товар;Цена;Телефон\r\n" + "".join(
        f"Товар {i};{i},99;+7 916 000-00-0{i}\r\n" for i in range(5)
    )
    assert read(write(tmp_path, text))[0].delimiter == ";"


def test_single_column_files_keep_commas_in_cells(tmp_path):
    source, got = read(write(tmp_path, "Телефон\n8 495 123-45-67, доб. 12\n+7 916 1234567\n"))
    assert source.headers == ("Телефон",)
    assert [r.cells for r in got] == [("8 495 123-45-67, доб. 12",), ("+7 916 1234567",)]


@pytest.mark.parametrize("given, expected", [("tab", "\t"), ("\\t", "\t"), (";", ";")])
def test_explicit_delimiter(tmp_path, given, expected):
    source, got = read(write(tmp_path, "a;b\tc\n1;2\t3\n"), delimiter=given)
    assert source.delimiter == expected and len(got[0].cells) == len(source.headers)


def test_bad_explicit_delimiter(tmp_path):
    with pytest.raises(CallListFileError, match="bad delimiter"):
        open_call_list(write(tmp_path, "a;b\n1;2\n"), delimiter=";;")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_quoted_multiline_fields_keep_line_numbers(tmp_path, newline):
    text = (
        newline.join(
            [
                "Телефон;Комментарий",
                '1;"первая строка',
                "вторая строка",
                'третья"',
                "2;просто",
                '3;"ещё ""одна""',
                'строка"',
                "4;конец",
            ]
        )
        + newline
    )
    source, got = read(write(tmp_path, text))
    assert [r.line for r in got] == [2, 5, 6, 8]
    assert got[0].cells[1] == newline.join(["первая строка", "вторая строка", "третья"])
    assert got[2].cells[1] == f'ещё "одна"{newline}строка'
    assert got[3].cells == ("4", "конец")


def test_doubled_quotes_and_ragged_rows_are_kept_as_read(tmp_path):
    text = 'Телефон;Имя;Город\n1;"Сказал ""да""";Тверь\n2;Иван\n3;Олег;Омск;лишнее;\n'
    got = read(write(tmp_path, text))[1]
    assert [r.cells for r in got] == [
        ("1", 'Сказал "да"', "Тверь"),
        ("2", "Иван"),
        ("3", "Олег", "Омск", "лишнее", ""),
    ]


def test_hostile_cells_are_kept_verbatim(tmp_path):
    cells = [
        '=HYPERLINK("http://evil","x")',
        "+7 916 123-45-67",
        "@SUM(A1)",
        "-2+3",
        "\tтаб\tв\tячейке",
        "  пробелы  ",
        "nul\x00inside",
        "\x00",
    ]
    text = table([[f"c{i}" for i in range(len(cells))], cells], ",", "\n")
    assert "\x00" in text
    source, got = read(write(tmp_path, text))
    assert source.delimiter == "," and got[0].cells == tuple(cells)


def test_blank_rows_inside_are_rows_blank_rows_at_the_end_are_not(tmp_path):
    text = "\n\n  \nТелефон;Имя\n1;а\n\n;\n2;б\n\n;;\n\n"
    source, got = read(write(tmp_path, text))
    assert source.header_line == 4
    assert [(r.line, r.cells) for r in got] == [
        (5, ("1", "а")),
        (6, ()),
        (7, ("", "")),
        (8, ("2", "б")),
    ]


@pytest.mark.parametrize(
    "data", [b"", b"\n\n", b" \r\n\t\r\n", codecs.BOM_UTF8 + b"\n", b";;;\n;;\n"]
)
def test_empty_file(tmp_path, data):
    with pytest.raises(CallListFileError) as exc:
        open_call_list(write(tmp_path, data))
    assert unerror(exc) == "calls.csv: the file is empty"


def test_header_only_file(tmp_path):
    source, got = read(write(tmp_path, "Телефон;Имя\r\n\r\n"))
    assert source.headers == ("Телефон", "Имя") and got == []
    assert source.approximate_rows() == 0


def test_duplicate_header_names_are_kept(tmp_path):
    assert read(write(tmp_path, "Телефон;Телефон;\n1;2;3\n"))[0].headers == (
        "Телефон",
        "Телефон",
        "",
    )


@pytest.mark.parametrize("first", ["79161234567;Иван", "+7 (916) 123-45-67", "ivan@example.ru;1"])
def test_a_file_without_a_header_row_is_refused(tmp_path, first):
    with pytest.raises(CallListFileError) as exc:
        open_call_list(write(tmp_path, f"{first}\n79161234568;Пётр\n"))
    assert unerror(exc).startswith("calls.csv: line 1: no header row")


def test_unclosed_quote_at_the_end(tmp_path):
    with pytest.raises(CallListFileError) as exc:
        read(write(tmp_path, 'Телефон;Имя\n1;Иван\n2;"Пётр\n3;Олег\n'))
    assert exc.value.line == 3 and "not closed" in unerror(exc)


def test_a_last_line_without_newline_is_a_row(tmp_path):
    got = read(write(tmp_path, 'Телефон;Имя\n1;"Иван"\n2;Пётр'))[1]
    assert [r.cells for r in got] == [("1", "Иван"), ("2", "Пётр")]


def test_a_field_over_the_limit_is_an_error_for_its_line(tmp_path):
    path = write(tmp_path, b'Phone;Note\n1;ok\n2;"' + b"x" * (10 * 2**20 + 10) + b'"\n3;ok\n')
    with pytest.raises(CallListFileError) as exc:
        read(path)
    assert exc.value.line == 3 and "longer than 10 MB" in unerror(exc)


def test_rows_can_be_read_again_and_progress_is_reported(tmp_path):
    rows = [HEADER] + [[f"Фирма {i}", f"+7 916 {i:07d}", "Иван", "Москва"] for i in range(3000)]
    path = write(tmp_path, table(rows))
    with open_call_list(path) as source:
        assert abs(source.approximate_rows() - 3000) < 300
        seen, halfway = 0, None
        for _ in source.rows():
            seen += 1
            if seen == 1500:
                halfway = source.bytes_read
        assert 0 < halfway < source.bytes_total == path.stat().st_size
        assert source.bytes_read == source.bytes_total
        assert sum(1 for _ in source.rows()) == seen == 3000


def test_small_files_are_counted_exactly(tmp_path):
    assert read(write(tmp_path, table([HEADER, *DATA, [], []])))[0].approximate_rows() == 3


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["utf-8", "cp1251"])
def test_reading_streams(tmp_path, encoding):
    line = "ООО «Ромашка и партнёры»;+7 (916) 123-45-67;Иванов Иван Иванович;Москва\r\n"
    path = tmp_path / "big.csv"
    with open(path, "w", encoding=encoding, newline="") as f:
        f.write("Компания;Телефон;Контактное лицо;Город\r\n")
        for _ in range(8 * 2**20 // len(line.encode(encoding)) + 1):
            f.write(line)
    tracemalloc.start()
    try:
        with open_call_list(path) as source:
            count = sum(1 for _ in source.rows())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert source.encoding == encoding and count > 50_000
    assert peak < 4 * 2**20 < path.stat().st_size / 2


# --------------------------------------------------------------------------- not CSV at all


def test_old_binary_excel_is_refused(tmp_path):
    path = write(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "calls.xls")
    with pytest.raises(CallListFileError, match=r"calls.xls: .*\.xls.*save it as \.xlsx or CSV"):
        open_call_list(path)


def test_html_saved_as_xls_is_refused(tmp_path):
    path = write(tmp_path, "<html><body><table><tr><td>Телефон</td></tr></table>", "x.xls")
    with pytest.raises(CallListFileError, match="HTML"):
        open_call_list(path)


@pytest.mark.parametrize(
    "members, message",
    [
        ({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}, "OpenDocument"),
        ({"readme.txt": "hello"}, "not an Excel workbook"),
        ({"xl/workbook.xml": "<broken"}, "not a readable .xlsx"),
    ],
)
def test_other_zip_files_are_refused(tmp_path, members, message):
    path = tmp_path / "calls.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)
    with pytest.raises(CallListFileError, match=message):
        open_call_list(path)


def test_missing_file(tmp_path):
    with pytest.raises(CallListFileError, match="nope.csv: no such file"):
        open_call_list(tmp_path / "nope.csv")


# --------------------------------------------------------------------------- XLSX


def make_xlsx(path: Path, sheets: dict[str, list[list]], raw_numbers: dict[int, str] | None = None):
    """A workbook; integers that are keys of raw_numbers are written to the XML as the
    given text (e.g. '7.9161234567E+10'), the way other writers than openpyxl store them."""
    wb = openpyxl.Workbook()
    for n, (title, rows) in enumerate(sheets.items()):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = title
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row, 1):
                if value is None:
                    continue
                cell = ws.cell(r, c, value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # a formula typed as text stays text
    wb.save(path)
    if raw_numbers:
        data = {n: zipfile.ZipFile(path).read(n) for n in zipfile.ZipFile(path).namelist()}
        with zipfile.ZipFile(path, "w") as z:
            for name, blob in data.items():
                for placeholder, text in raw_numbers.items():
                    blob = blob.replace(f"<v>{placeholder}</v>".encode(), f"<v>{text}</v>".encode())
                z.writestr(name, blob)
    return path


def test_xlsx_cells_become_text_and_lossy_numbers_are_marked(tmp_path):
    path = make_xlsx(
        tmp_path / "calls.xlsx",
        {
            "Лиды": [
                ["Телефон", "Компания", "Создан", "Активен", "Сумма"],
                ["+7 916 123-45-67", "Ромашка", dt.datetime(2024, 3, 5), True, 3.5],
                [
                    79161234567,
                    '=HYPERLINK("http://x","y")',
                    dt.datetime(2024, 3, 5, 14, 30),
                    False,
                    10,
                ],
                [79161234567.0, None, dt.date(2024, 1, 2), None, None],
                [111111111, "E-нотация", None, None, None],
                [222222222, "17 цифр", None, None, None],
            ]
        },
        raw_numbers={111111111: "7.9161234567E+10", 222222222: "12345678901234567"},
    )
    source, got = read(path)
    assert (source.kind, source.encoding, source.delimiter) == ("xlsx", None, None)
    assert source.sheet == "Лиды" and source.headers[0] == "Телефон"
    assert [r.line for r in got] == [2, 3, 4, 5, 6]
    assert got[0].cells == ("+7 916 123-45-67", "Ромашка", "2024-03-05", "TRUE", "3.5")
    assert got[0].lossy == {4}
    assert got[1].cells == (
        "79161234567",
        '=HYPERLINK("http://x","y")',
        "2024-03-05 14:30:00",
        "FALSE",
        "10",
    )
    assert got[1].lossy == frozenset()
    assert got[2].cells[:3] == ("79161234567", "", "2024-01-02")
    assert got[3].cells[0] == "79161234567" and got[3].lossy == {0}  # was a float
    assert got[4].cells[0] == "12345678901234567" and got[4].lossy == {0}
    assert source.approximate_rows() == 5


def test_xlsx_rows_keep_sheet_row_numbers_and_header_width(tmp_path):
    path = make_xlsx(
        tmp_path / "calls.xlsx",
        {
            "S": [
                [],
                [None, None],
                ["Телефон", "Имя", None],
                ["1", "Иван"],
                [],
                ["2"],
                ["3", "Олег", None, "за краем"],
                [],
                [],
            ]
        },
    )
    source, got = read(path)
    assert source.header_line == 3 and source.headers == ("Телефон", "Имя")
    assert [(r.line, r.cells) for r in got] == [
        (4, ("1", "Иван")),
        (5, ("", "")),
        (6, ("2", "")),
        (7, ("3", "Олег", "", "за краем")),
    ]


def test_xlsx_is_recognised_by_content_not_extension(tmp_path):
    path = make_xlsx(tmp_path / "export.csv", {"S": [["Телефон"], ["1"]]})
    source, got = read(path)
    assert source.kind == "xlsx" and got[0].cells == ("1",)


def test_xlsx_sheet_choice(tmp_path):
    path = make_xlsx(
        tmp_path / "calls.xlsx",
        {"Первый": [["Телефон"], ["1"]], "Второй": [["Телефон"], ["2"], ["3"]]},
    )
    assert read(path)[1][0].cells == ("1",)
    source, got = read(path, sheet="второй")
    assert source.sheet == "Второй" and [r.cells for r in got] == [("2",), ("3",)]
    with pytest.raises(CallListFileError) as exc:
        open_call_list(path, sheet="Третий")
    assert unerror(exc) == "calls.xlsx: no sheet 'Третий'; sheets: 'Первый', 'Второй'"


def test_xlsx_default_sheet_is_the_first_visible_one(tmp_path):
    path = make_xlsx(
        tmp_path / "calls.xlsx", {"Справочник": [["Код"], ["1"]], "Лиды": [["Телефон"], ["2"]]}
    )
    wb = openpyxl.load_workbook(path)
    wb["Справочник"].sheet_state = "hidden"
    wb.active = 1
    wb.save(path)
    source, got = read(path)
    assert source.sheet == "Лиды" and got[0].cells == ("2",)


def test_a_closed_xlsx_file_reads_no_more(tmp_path):
    source = open_call_list(make_xlsx(tmp_path / "calls.xlsx", {"S": [["Телефон"], ["1"]]}))
    source.close()
    with pytest.raises(CallListFileError, match="closed"):
        list(source.rows())


def test_empty_xlsx_sheet(tmp_path):
    path = make_xlsx(tmp_path / "calls.xlsx", {"Пусто": [], "Данные": [["Телефон"]]})
    with pytest.raises(CallListFileError, match="sheet 'Пусто' is empty"):
        open_call_list(path)


def test_xlsx_without_header_row(tmp_path):
    path = make_xlsx(tmp_path / "calls.xlsx", {"S": [[79161234567, "Иван"]]})
    with pytest.raises(CallListFileError, match="calls.xlsx: line 1: no header row"):
        open_call_list(path)


# --------------------------------------------------------------------------- header mapping


@pytest.mark.parametrize(
    "header, field",
    [
        ("Компания", "company"),
        ("Организация", "company"),
        ("НАИМЕНОВАНИЕ", "company"),
        ("Название компании", "company"),
        ("Юр. лицо", "company"),
        ("Клиент", "company"),
        ("Company name", "company"),
        ("Organisation", "company"),
        ("Account", "company"),
        ("company_name", "company"),
        ("Телефон", "phone"),
        ("Тел.", "phone"),
        ("тел", "phone"),
        ("Телефоны", "phone"),
        ("Мобильный", "phone"),
        ("Моб. телефон", "phone"),
        ("Сотовый", "phone"),
        ("Рабочий телефон", "phone"),
        ("Контактный телефон", "phone"),
        ("Номер", "phone"),
        ("Номер телефона", "phone"),
        ("Телефон 2", "phone"),
        ("Телефон компании", "phone"),
        ("Телефон ЛПР", "phone"),
        ("Phone", "phone"),
        ("Phone number", "phone"),
        ("Telephone", "phone"),
        ("Tel", "phone"),
        ("Mobile", "phone"),
        ("Cell", "phone"),
        ("Work phone", "phone"),
        ("phone_1_number", "phone"),
        ("phone_2_number", "phone"),
        ("Phone 3", "phone"),
        ("phone_work", "phone"),
        ("phone_home", "phone"),
        ("phone_other", "phone"),
        ("Contact phone", "phone"),
        ("Контактное лицо", "contact"),
        ("Контакт", "contact"),
        ("ФИО", "contact"),
        ("ФИО ЛПР", "contact"),
        ("Имя", "contact"),
        ("Фамилия", "contact"),
        ("Name", "contact"),
        ("Contact", "contact"),
        ("Contact name", "contact"),
        ("Full name", "contact"),
        ("first_name", "contact"),
        ("Last Name", "contact"),
        ("Должность", "position"),
        ("Position", "position"),
        ("Title", "position"),
        ("Job title", "position"),
        ("Email", "email"),
        ("E-mail", "email"),
        ("e-mail 2", "email"),
        ("Эл. почта", "email"),
        ("Почта", "email"),
        ("Электронная почта", "email"),
        ("Mail", "email"),
        ("email_work", "email"),
        ("Город", "city"),
        ("City", "city"),
        ("Населённый пункт", "city"),
        ("Регион", "region"),
        ("Область", "region"),
        ("Субъект РФ", "region"),
        ("Region", "region"),
        ("State", "region"),
        ("ИНН", "inn"),
        ("INN", "inn"),
        ("Tax ID", "inn"),
        ("ИНН компании", "inn"),
        ("Сайт", "website"),
        ("Веб-сайт", "website"),
        ("Website", "website"),
        ("Site", "website"),
        ("URL", "website"),
        ("Сайт компании", "website"),
        ("Комментарий", "comment"),
        ("Примечание", "comment"),
        ("Заметки", "comment"),
        ("Comment", "comment"),
        ("Notes", "comment"),
        ("Background", "comment"),
        ("Приоритет", "priority"),
        ("Priority", "priority"),
        ("Часовой пояс", "timezone"),
        ("Timezone", "timezone"),
        ("TZ", "timezone"),
        # not fields: kept as extra data
        ("№", None),
        ("", None),
        ("Цена", None),
        ("id", None),
        ("company_id", None),
        ("linkedin_url", None),
        ("region_type", None),
        ("Номер договора", None),
        ("Telegram", None),
        ("Статус", None),
        ("Адрес", None),
    ],
)
def test_header_synonyms(header, field):
    columns = map_columns([header, "Телефон"], {"Телефон": "phone"} if field is None else None)
    if field is None:
        assert columns.extra == (0,)
    else:
        assert 0 in columns.fields[field]


def test_phone_columns_and_name_parts_feed_one_field_in_column_order():
    headers = ["Фамилия", "Телефон", "Имя", "Мобильный", "Компания", "Телефон 2", "Цена"]
    columns = map_columns(headers)
    assert columns.fields == {"contact": (0, 2), "phone": (1, 3, 5), "company": (4,)}
    assert columns.extra == (6,)
    assert columns.describe(headers) == [
        "Фамилия → contact",
        "Телефон → phone",
        "Имя → contact",
        "Мобильный → phone",
        "Компания → company",
        "Телефон 2 → phone",
        "Цена → extra",
    ]
    assert set(columns.fields) <= set(FIELDS) and isinstance(columns, ColumnMap)


def test_map_overrides():
    headers = ["Клиент", "Номер", "Доп", "Заметка", "", "Цена"]
    columns = map_columns(
        headers, {"доп": "phone", "4": "skip", "Цена": "Comment", "номер": "extra", "5": "extra"}
    )
    assert columns.fields == {"company": (0,), "phone": (2,), "comment": (5,)}
    assert columns.extra == (1, 4)
    assert columns.describe(headers)[3:5] == ["Заметка → skip", "(column 5) → extra"]


@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            {"Тел": "phone"},
            "unknown column 'Тел' in --map Тел=phone; columns: 1 'Компания', 2 'Телефон'",
        ),
        ({"3": "phone"}, "unknown column '3'"),
        (
            {"Телефон": "phon"},
            "unknown field 'phon' in --map Телефон=phon; fields: company, phone,",
        ),
        (
            {"Телефон": "skip"},
            "no phone column; use --map COLUMN=phone (columns: 1 'Компания', 2 'Телефон')",
        ),
    ],
)
def test_map_override_errors(overrides, message):
    with pytest.raises(ColumnMapError) as exc:
        map_columns(["Компания", "Телефон"], overrides)
    assert message in unerror(exc)
    assert isinstance(exc.value, CallListFileError)


def test_no_phone_column():
    with pytest.raises(ColumnMapError, match=r"^no phone column; use --map COLUMN=phone .*'Цена'"):
        map_columns(["№", "Название", "Цена"])


# --------------------------------------------------------------------------- real files


def count_records(path: Path, encoding: str, delimiter: str) -> int:
    with open(path, encoding=encoding, newline="") as f:
        return sum(1 for r in csv.reader(f, delimiter=delimiter) if r) - 1


@pytest.mark.parametrize(
    "name, encoding, delimiter, first_headers",
    [
        ("excel-ru-cp1251.csv", "cp1251", ";", ("№", "Название", "Цена")),
        ("atomic-crm-contacts.csv", "utf-8", ",", ("id", "first_name", "last_name")),
        ("ru-numbering-plan-def9xx-2023.csv", "utf-8-sig", ";", ("АВС/ DEF", "От", "До")),
        ("ru-cities.csv", "utf-8", ",", ("address", "postal_code", "country")),
    ],
)
def test_real_files(name, encoding, delimiter, first_headers):
    path = realdata(name)
    source, got = read(path)
    assert (source.kind, source.encoding, source.delimiter) == ("csv", encoding, delimiter)
    assert source.headers[:3] == first_headers
    assert len(got) == count_records(path, encoding, delimiter)
    assert source.approximate_rows() is not None
    assert all(isinstance(r, SourceRow) and r.line > 1 for r in got)


def test_real_russian_excel_file():
    source, got = read(realdata("excel-ru-cp1251.csv"))
    assert [r.line for r in got] == [2, 3, 5]
    assert got[0].cells == ("1", 'Crash Bandicoot "PS4"', "3,999")
    assert got[1].cells == ("2", "Одни из нас™\nобновленная версия", "2,199")
    assert got[2].cells == ("3", "Орден 1886™", "1,799")
    with pytest.raises(ColumnMapError, match="no phone column"):
        map_columns(source.headers)  # a price list: the importer reports it


def test_real_crm_export_maps_its_three_phone_columns():
    headers = read(realdata("atomic-crm-contacts.csv"))[0].headers
    columns = map_columns(headers)
    name = {f: [headers[i] for i in cols] for f, cols in columns.fields.items()}
    assert name == {
        "company": ["company_name", "company"],
        "phone": ["phone_work", "phone_home", "phone_other"],
        "contact": ["first_name", "last_name"],
        "position": ["title"],
        "email": ["email_work", "email_home", "email_other"],
        "comment": ["background"],
    }
    assert "linkedin_url" in [headers[i] for i in columns.extra]


@pytest.mark.parametrize(
    "name, fields",
    [
        ("ru-cities.csv", {"region": ["region"], "city": ["city"], "timezone": ["timezone"]}),
        ("ru-numbering-plan-def9xx-2023.csv", {"region": ["Регион"], "inn": ["ИНН"]}),
    ],
)
def test_real_reference_tables_map_their_columns_but_have_no_phone(name, fields):
    headers = read(realdata(name))[0].headers
    with pytest.raises(ColumnMapError, match="no phone column"):
        map_columns(headers)
    columns = map_columns(headers, {headers[0]: "phone"})
    got = {f: [headers[i] for i in cols] for f, cols in columns.fields.items() if f != "phone"}
    assert got == fields
