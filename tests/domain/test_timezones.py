"""Region/city texts, numbering plan and phone numbers → the lead's candidate time zones."""

from __future__ import annotations

import csv
import random
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import phonenumbers
import pytest
from phonenumbers import PhoneNumberFormat, PhoneNumberType
from phonenumbers.timezone import time_zones_for_number

from tests.conftest import REALDATA
from tmdesk.domain.numbering_plan import NumberingPlan, NumberRange, read_plan
from tmdesk.domain.timezones import (
    Region,
    RegionDirectory,
    ZoneResolution,
    data_dir,
    default_directory,
    resolve_zones,
    zones_for_number,
)

CITIES_FILE = REALDATA / "ru-cities.csv"
PLAN_FILE = REALDATA / "ru-numbering-plan-def9xx-2023.csv"
WINTER = datetime(2026, 1, 15, 12, 0)  # Russia has kept one offset all year since 2014

YAKUTIA = ("Asia/Yakutsk", "Asia/Khandyga", "Asia/Ust-Nera", "Asia/Srednekolymsk")


@pytest.fixture(scope="module")
def directory() -> RegionDirectory:
    return default_directory()


def offset_hours(zone: str) -> float:
    return ZoneInfo(zone).utcoffset(WINTER).total_seconds() / 3600


@pytest.mark.parametrize(
    ("text", "zones"),
    [
        ("Москва", ("Europe/Moscow",)),
        ("г. Москва", ("Europe/Moscow",)),
        ("г Москва", ("Europe/Moscow",)),
        ("город  МОСКВА ", ("Europe/Moscow",)),
        ("Moscow", ("Europe/Moscow",)),
        ("Калининградская обл.", ("Europe/Kaliningrad",)),
        ("Калининградская область", ("Europe/Kaliningrad",)),
        ("Калининградская", ("Europe/Kaliningrad",)),
        ("Kaliningrad Oblast", ("Europe/Kaliningrad",)),
        ("Камчатский край", ("Asia/Kamchatka",)),
        ("Камчатка", ("Asia/Kamchatka",)),
        ("Респ. Саха (Якутия)", YAKUTIA),
        ("Республика Саха /Якутия/", YAKUTIA),
        ("Саха /Якутия/ Респ", YAKUTIA),
        ("Якутия", YAKUTIA),
        ("Новосибирск", ("Asia/Novosibirsk",)),
        ("НСО", ("Asia/Novosibirsk",)),
        ("Novosibirsk Oblast", ("Asia/Novosibirsk",)),
        ("Екатеринбург", ("Asia/Yekaterinburg",)),
        ("екатеринбург", ("Asia/Yekaterinburg",)),
        ("Yekaterinburg", ("Asia/Yekaterinburg",)),
        ("Владивосток", ("Asia/Vladivostok",)),
        ("Орел", ("Europe/Moscow",)),  # ё/е
        ("Удмуртская Респ.", ("Europe/Samara",)),
        ("Республика Удмуртская", ("Europe/Samara",)),
        ("ХМАО - Югра", ("Asia/Yekaterinburg",)),
        ("Ханты - Мансийский - Югра АО", ("Asia/Yekaterinburg",)),
        ("Еврейская Аобл", ("Asia/Vladivostok",)),
        ("СПб", ("Europe/Moscow",)),
        ("St. Petersburg", ("Europe/Moscow",)),
        ("Республика Крым", ("Europe/Simferopol",)),
        ("Кемеровская область - Кузбасс", ("Asia/Novokuznetsk",)),
        ("Алтайский кр.", ("Asia/Barnaul",)),
        ("Московская обл, г Одинцово", ("Europe/Moscow",)),
        ("Москва, ул. Тверская, 1", ("Europe/Moscow",)),  # the address part is ignored
        ("Якутск, Респ Саха (Якутия)", ("Asia/Yakutsk",)),  # the city narrows its subject
        ("Атлантида", ()),
        ("ул. Тверская", ()),
        ("", ()),
        (" .,- ", ()),
        ("New York", ()),
    ],
)
def test_zones_for_text(directory, text, zones):
    assert directory.zones_for(text) == zones


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("г. Москва", "Москва"),
        ("Калининградская обл.", "Калининградская область"),
        ("Респ. Саха (Якутия)", "Республика Саха (Якутия)"),
        ("Moscow Oblast", "Московская область"),
        ("Moscow", "Москва"),
        ("Новосибирская обл, г Новосибирск", "Новосибирск"),  # a city over its own subject
        ("г. Москва * Московская область", "г. Москва и Московская область"),
        ("г. Сочи|Краснодарский край", "Сочи"),
        ("Чувашия Чувашская Республика", "Чувашская Республика"),
        ("Атлантида", None),
    ],
)
def test_canonical(directory, text, canonical):
    assert directory.canonical(text) == canonical


def test_table_shape(directory):
    by_kind: dict[str, list[Region]] = {}
    for region in directory.regions:
        by_kind.setdefault(region.kind, []).append(region)
        for zone in region.zones:
            ZoneInfo(zone)  # a real IANA zone
    assert len(by_kind["subject"]) == 85
    assert len(by_kind["city"]) >= 150
    subjects = {r.name: r for r in by_kind["subject"]}
    for city in by_kind["city"]:
        assert set(city.zones) <= set(subjects[city.subject].zones), city
    for combined in by_kind["combined"]:
        parts = [subjects[name] for name in combined.subject.split("|")]
        assert set(combined.zones) == {z for p in parts for z in p.zones}, combined
    [country] = by_kind["country"]
    assert sorted({offset_hours(z) for z in country.zones}) == list(range(2, 13))
    assert {offset_hours(z) for r in directory.regions for z in r.zones} <= set(range(2, 13))


def test_every_name_and_alias_resolves_to_its_own_row(directory):
    for region in directory.regions:
        for text in (region.name, *region.aliases):
            assert directory.zones_for(text) == region.zones, text


def test_a_spelling_shared_by_places_in_different_zones_is_refused():
    with pytest.raises(ValueError, match="different time zones"):
        RegionDirectory(
            [
                Region("city", "Благовещенск", ("Asia/Yakutsk",)),
                Region("city", "Благовещенск", ("Asia/Yekaterinburg",)),
            ]
        )


def test_data_dir_holds_the_table():
    assert (data_dir() / "ru_regions.csv").is_file()


def test_domain_imports_neither_store_nor_ui_nor_geocoder():
    code = (
        "import sys, tmdesk.domain.timezones, tmdesk.domain.numbering_plan, "
        "tmdesk.domain.calling_window; print([m for m in "
        "('peewee', 'textual', 'phonenumbers.geocoder') if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# --- the real files -----------------------------------------------------------------------


def test_city_zones_match_ru_cities_offsets(directory):
    """Every city of ours found in ru-cities.csv (same name, same subject) has its UTC offset."""
    cities = {r.name.replace("ё", "е"): r for r in directory.regions if r.kind == "city"}
    checked = set()
    with CITIES_FILE.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            ours = cities.get(row["city"].replace("ё", "е"))
            region_text = f"{row['region']} {row['region_type']}"
            if ours is None or directory.canonical(region_text) != ours.subject:
                continue  # not ours, or a homonym in another subject
            expected = float(row["timezone"].removeprefix("UTC"))
            assert [offset_hours(z) for z in ours.zones] == [expected], (ours.name, row)
            checked.add(ours.name)
    missing = set(r.name for r in cities.values()) - checked
    assert len(checked) >= 150 and len(missing) <= 5, sorted(missing)


def test_subject_zones_cover_ru_cities_offsets(directory):
    offsets: dict[str, set[float]] = {}
    with CITIES_FILE.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            text = f"{row['region_type']} {row['region']}"
            offsets.setdefault(text, set()).add(float(row["timezone"].removeprefix("UTC")))
    assert len(offsets) == 85
    for text, expected in offsets.items():
        ours = {offset_hours(z) for z in directory.zones_for(text)}
        assert ours == expected, text


def test_every_region_of_the_real_plan_resolves(directory):
    regions = {r.region for r in read_plan(PLAN_FILE)}
    assert len(regions) > 100
    unresolved = sorted(r for r in regions if not directory.zones_for(r))
    assert unresolved == []
    assert directory.zones_for("Российская Федерация")  # nationwide ranges: every zone


# --- phone numbers and the order of sources --------------------------------------------------


@pytest.mark.parametrize(
    ("e164", "zones"),
    [
        ("+74951234567", ("Europe/Moscow",)),
        ("+73832123456", ("Asia/Novosibirsk",)),
        ("+74012123456", ("Europe/Kaliningrad",)),  # libphonenumber: Europe/Bucharest (has DST)
        ("+12125551234", ("America/New_York",)),
        ("+442079460000", ("Europe/London",)),
        ("+70000000000", ()),  # invalid: libphonenumber says Etc/Unknown
        ("not a number", ()),
        ("", ()),
    ],
)
def test_zones_for_number(e164, zones):
    assert zones_for_number(e164) == zones


def test_plus7_shortcut_agrees_with_parsing():
    """zones_for_number skips parse() for +7 numbers; the answer must not change."""

    def parsed(e164: str) -> tuple[str, ...]:
        zones = time_zones_for_number(phonenumbers.parse(e164, None))
        return tuple(
            "Europe/Kaliningrad" if z == "Europe/Bucharest" else z
            for z in zones
            if z != "Etc/Unknown"
        )

    rng = random.Random(7)
    numbers = [f"+7{rng.randrange(10**9, 10**10)}" for _ in range(20000)]
    for region in ("RU", "KZ"):
        for kind in PhoneNumberType.values():
            if example := phonenumbers.example_number_for_type(region, kind):
                numbers.append(phonenumbers.format_number(example, PhoneNumberFormat.E164))
    for e164 in numbers:
        assert zones_for_number.__wrapped__(e164) == parsed(e164), e164


def test_any_russian_mobile_gets_many_zones_from_libphonenumber():
    assert len(zones_for_number("+79161234567")) > 10


@pytest.fixture(scope="module")
def plan() -> NumberingPlan:
    return NumberingPlan(
        [
            NumberRange("914", 2000000, 2999999, "X", "Камчатский край"),
            NumberRange("916", 0, 9999999, "X", "г. Москва и Московская область"),
            NumberRange("958", 0, 999, "X", "Российская Федерация"),
            NumberRange("900", 0, 999, "X", "Тмутаракань"),
            NumberRange("495", 0, 9999999, "X", "г. Москва"),
        ]
    )


@pytest.mark.parametrize(
    ("e164", "kwargs", "expected"),
    [
        # the lead's own columns first; the city is more precise than the region
        (
            "+79142000000",
            {"city_text": "Калининград", "region_text": "Калининградская обл."},
            ZoneResolution(("Europe/Kaliningrad",), "region"),
        ),
        (
            "+79142000000",
            {"city_text": "Якутск", "region_text": "Респ. Саха (Якутия)"},
            ZoneResolution(("Asia/Yakutsk",), "region"),
        ),
        ("+79142000000", {"region_text": "Респ. Саха (Якутия)"}, ZoneResolution(YAKUTIA, "region")),
        (
            "+79142000000",
            {"city_text": "Новосибирск"},
            ZoneResolution(("Asia/Novosibirsk",), "region"),
        ),
        # a homonym: city and region disagree, so both zones must allow the call
        (
            "+79142000000",
            {"city_text": "Благовещенск", "region_text": "Башкортостан"},
            ZoneResolution(("Asia/Yakutsk", "Asia/Yekaterinburg"), "region"),
        ),
        # an unknown or country-wide column falls through to the plan
        ("+79142000000", {"city_text": "Тмутаракань"}, ZoneResolution(("Asia/Kamchatka",), "plan")),
        ("+79142000000", {"region_text": "Россия"}, ZoneResolution(("Asia/Kamchatka",), "plan")),
        ("+79161234567", {}, ZoneResolution(("Europe/Moscow",), "plan")),
        ("+74950000000", {}, ZoneResolution(("Europe/Moscow",), "plan")),
        # plan says nationwide: every Russian offset
        ("+79580000000", {}, ZoneResolution(default_directory().zones_for("РФ"), "plan")),
        # not in the plan, or a region we cannot place: libphonenumber
        ("+79990000000", {}, ZoneResolution(zones_for_number("+79990000000"), "phone")),
        ("+79000000000", {}, ZoneResolution(zones_for_number("+79000000000"), "phone")),
        ("+74012123456", {}, ZoneResolution(("Europe/Kaliningrad",), "phone")),
        ("+12125551234", {}, ZoneResolution(("America/New_York",), "phone")),
        ("+70000000000", {}, ZoneResolution((), "none")),
        (None, {}, ZoneResolution((), "none")),
        (None, {"city_text": "Омск"}, ZoneResolution(("Asia/Omsk",), "region")),
    ],
)
def test_resolve_zones_order(plan, e164, kwargs, expected):
    assert resolve_zones(e164, plan=plan, **kwargs) == expected


def test_without_a_plan_mobile_numbers_get_libphonenumbers_zones():
    resolution = resolve_zones("+79142000000")
    assert resolution.source == "phone" and len(resolution.zones) > 10


@pytest.mark.parametrize(
    ("e164", "zones"),
    [
        ("+79140250000", ("Asia/Kamchatka",)),
        ("+79003450000", ("Europe/Kaliningrad",)),
        ("+79130100000", ("Asia/Novosibirsk",)),
        ("+79161234567", ("Europe/Moscow",)),
    ],
)
def test_resolve_zones_with_the_real_plan(e164, zones):
    real = NumberingPlan(read_plan(PLAN_FILE))
    assert resolve_zones(e164, plan=real) == ZoneResolution(zones, "plan")
