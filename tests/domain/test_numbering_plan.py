"""The numbering-plan reader and lookup, on the real DEF-9xx registry extract and on small files."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REALDATA
from tmdesk.domain.numbering_plan import NumberingPlan, NumberRange, PlanFormatError, read_plan

PLAN_FILE = REALDATA / "ru-numbering-plan-def9xx-2023.csv"
HEADER = "АВС/ DEF;От;До;Емкость;Оператор;Регион;ИНН"


@pytest.fixture(scope="module")
def real_plan() -> NumberingPlan:
    return NumberingPlan(read_plan(PLAN_FILE))


def test_real_plan_loads_without_errors():
    errors: list[tuple[int, str]] = []
    ranges = list(read_plan(PLAN_FILE, errors))
    assert errors == []
    assert len(ranges) == 113  # the extract's lines minus the header
    assert ranges[0] == NumberRange("900", 0, 61999, 'ООО "Т2 Мобайл"', "Краснодарский край")
    with PLAN_FILE.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file, delimiter=";"))[1:]
    assert [r.region for r in ranges] == [row[5] for row in rows]


def test_real_plan_ranges_do_not_overlap(real_plan):
    assert len(real_plan) == 113
    for ranges in real_plan._ranges.values():
        for before, after in zip(ranges, ranges[1:], strict=False):
            assert before.end < after.start, (before, after)


@pytest.mark.parametrize(
    ("e164", "region"),
    [
        ("+79000000000", "Краснодарский край"),  # 900;0;61999: first number
        ("+79000061999", "Краснодарский край"),  # … and last
        ("+79000062000", "Ростовская обл."),  # 900;62000;62999
        ("+79161234567", "г. Москва и Московская область"),  # 916;0;9999999
        ("+79130100000", "Новосибирская обл."),  # 913;0;199999
        ("+79130250000", "Алтайский край"),  # 913;200000;299999
        ("+79140250000", "Камчатский край"),  # 914;200000;299999
        ("+79810007000", "Чеченская Республика"),  # 981;5000;9999
        ("+79001750000", "Камчатский край"),  # 900;1750000;1759999
        ("+79003450000", "Калининградская обл."),  # 900;3450000;3549999
        ("+79010238500", None),  # a gap between 901 ranges
        ("+79010238499", "Ростовская обл."),  # 901;210000;238499: the last before the gap
    ],
)
def test_real_plan_lookups(real_plan, e164, region):
    assert real_plan.region_for(e164) == region


@pytest.mark.parametrize(
    "e164",
    [
        "+7916123456",
        "+791612345678",
        "+19161234567",
        "89161234567",
        "+7916123456x",
        "+7916१२३४५६७",
        "",
        "+7",
    ],
)
def test_only_plus7_and_ten_digits_are_looked_up(real_plan, e164):
    assert real_plan.region_for(e164) is None


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


@pytest.mark.parametrize(
    ("encoding", "header", "delimiter"),
    [
        ("utf-8-sig", HEADER, ";"),
        ("utf-8", HEADER, ";"),
        ("cp1251", HEADER, ";"),
        ("cp1251", "ABC/ DEF,От,До,Емкость,Оператор,Регион,ИНН", ","),  # Latin lookalikes
        ("utf-8", "АВС/ DEF;От;До;Емкость;Оператор;Регион;Территория ГАР;ИНН", ";"),  # 2024 ABC
    ],
)
def test_editions_encodings_and_delimiters(tmp_path, encoding, header, delimiter):
    extra = delimiter + "г. Казань" if "ГАР" in header else ""
    rows = [
        ["495", "0", "99999", "100000", '"ПАО ""МГТС"""', "г. Москва"],
        [
            "843",
            "2000000",
            "2999999",
            "1000000",
            '"ПАО ""Таттелеком"", филиал"',
            "Республика Татарстан",
        ],
    ]
    lines = [header] + [delimiter.join(r) + extra + delimiter + "7710016640" for r in rows]
    path = write(tmp_path / "ABC-3xx.csv", "\n".join(lines) + "\n\n", encoding)
    ranges = list(read_plan(path))
    assert ranges == [
        NumberRange("495", 0, 99999, 'ПАО "МГТС"', "г. Москва"),
        NumberRange("843", 2000000, 2999999, 'ПАО "Таттелеком", филиал', "Республика Татарстан"),
    ]
    plan = NumberingPlan(ranges)
    assert plan.region_for("+78432500000") == "Республика Татарстан"
    assert plan.region_for("+74950099999") == "г. Москва"
    assert plan.region_for("+74950100000") is None


def test_reading_streams(tmp_path):
    path = write(tmp_path / "p.csv", f"{HEADER}\n900;0;9;10;X;Y;1\n")
    assert isinstance(read_plan(path), Iterator)


BAD_ROWS = [
    ("90;0;9;10;X;Край;1", "field 'АВС/ DEF': '90' is not a 3-digit code"),
    ("900;a;9;10;X;Край;1", "field 'От': 'a' is not a 7-digit number"),
    ("900;0;10000000;10;X;Край;1", "field 'До': '10000000' is not a 7-digit number"),
    ("900;9;0;10;X;Край;1", "field 'До': 0 is before 9"),
    ("900;0;9;10;X;;1", "field 'Регион': empty"),
    ("900;0;9", "expected at least 6 fields, found 3"),
]


@pytest.mark.parametrize(("row", "reason"), BAD_ROWS)
def test_bad_row_raises_naming_file_line_and_field(tmp_path, row, reason):
    path = write(tmp_path / "plan.csv", f"{HEADER}\n900;10;19;10;X;Y;1\n{row}\n")
    with pytest.raises(PlanFormatError) as caught:
        list(read_plan(path))
    assert str(caught.value) == f"{path}: line 3: {reason}"


def test_bad_rows_are_collected_and_skipped(tmp_path):
    text = "\n".join(
        [HEADER, "900;10;19;10;X;Y;1", *(r for r, _ in BAD_ROWS), "", "901;0;9;10;X;Z;1"]
    )
    errors: list[tuple[int, str]] = []
    ranges = list(read_plan(write(tmp_path / "plan.csv", text), errors))
    assert [r.region for r in ranges] == ["Y", "Z"]
    assert errors == [(3 + i, reason) for i, (_row, reason) in enumerate(BAD_ROWS)]


def test_header_without_needed_columns_raises(tmp_path):
    path = write(tmp_path / "plan.csv", "DEF;От;Емкость;Оператор\n900;0;10;X\n")
    with pytest.raises(PlanFormatError, match=r"plan\.csv: line 1: no column До, Регион"):
        list(read_plan(path, errors=[]))


def test_plan_from_several_files(tmp_path):
    first = write(tmp_path / "a.csv", f"{HEADER}\n900;0;9;10;X;A;1\n")
    second = write(tmp_path / "b.csv", f"{HEADER}\n495;0;9;10;X;B;1\n")
    plan = NumberingPlan.from_files(first, second)
    assert len(plan) == 2
    assert (plan.region_for("+79000000009"), plan.region_for("+74950000000")) == ("A", "B")
