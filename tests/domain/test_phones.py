"""Tests for tmdesk.domain.phones: parsing cells into E.164 numbers, extensions, formatting."""

import csv
import re
import subprocess
import sys

import phonenumbers as pn
import pytest
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from tests.conftest import REALDATA
from tmdesk.domain.phones import (
    Phone,
    PhoneCell,
    PhoneType,
    international_format,
    national_format,
    normalise,
    parse_phone,
    parse_phone_cell,
    phone_region,
)

MOSCOW, MOBILE = "+74951234567", "+79161234567"

# text, default region, e164, extension, region, kind
VALID = [
    # Russian landline in every usual spelling is the same number.
    ("8 (495) 123-45-67", "RU", MOSCOW, None, "RU", "fixed_line"),
    ("+7 495 1234567", "RU", MOSCOW, None, "RU", "fixed_line"),
    ("+7 (495) 123-45-67", "RU", MOSCOW, None, "RU", "fixed_line"),
    ("84951234567", "RU", MOSCOW, None, "RU", "fixed_line"),
    ("74951234567", "RU", MOSCOW, None, "RU", "fixed_line"),
    ("7 495 123 45 67", "RU", MOSCOW, None, "RU", "fixed_line"),
    ("495 123-45-67", "RU", MOSCOW, None, "RU", "fixed_line"),
    ("4951234567", "RU", MOSCOW, None, "RU", "fixed_line"),
    ("+7(495)123-45-67", "RU", MOSCOW, None, "RU", "fixed_line"),
    ("8 495 123–45–67", "RU", MOSCOW, None, "RU", "fixed_line"),  # en dashes from Word
    ("+74951234567", "US", MOSCOW, None, "RU", "fixed_line"),  # "+" wins over default region
    # Mobile.
    ("8-916-123-45-67", "RU", MOBILE, None, "RU", "mobile"),
    ("+7 916 123 45 67", "RU", MOBILE, None, "RU", "mobile"),
    ("89161234567", "RU", MOBILE, None, "RU", "mobile"),
    ("916 123-45-67", "RU", MOBILE, None, "RU", "mobile"),
    # Whitespace of all kinds, full-width digits.
    ("  8 495 123 45 67  ", "RU", MOSCOW, None, "RU", "fixed_line"),
    ("8\u00a0495\u00a0123\u00a045\u00a067", "RU", MOSCOW, None, "RU", "fixed_line"),
    ("8\t495\t123 45 67", "RU", MOSCOW, None, "RU", "fixed_line"),
    ("\n+7 495 123-45-67\n", "RU", MOSCOW, None, "RU", "fixed_line"),
    ("８ ４９５ １２３ ４５ ６７", "RU", MOSCOW, None, "RU", "fixed_line"),
    ("＋７ ９１６ １２３ ４５ ６７", "RU", MOBILE, None, "RU", "mobile"),
    # Extensions in every style.
    ("8 (495) 123-45-67 доб. 123", "RU", MOSCOW, "123", "RU", "fixed_line"),
    ("8 (495) 123-45-67 доб 123", "RU", MOSCOW, "123", "RU", "fixed_line"),
    ("8 (495) 123-45-67 добавочный 45", "RU", MOSCOW, "45", "RU", "fixed_line"),
    ("8 (495) 123-45-67 Доб.123", "RU", MOSCOW, "123", "RU", "fixed_line"),
    ("8 (495) 123-45-67 доп. 123", "RU", MOSCOW, "123", "RU", "fixed_line"),
    ("8 (495) 123-45-67 вн. 12", "RU", MOSCOW, "12", "RU", "fixed_line"),
    ("8 (495) 123-45-67 (доб. 123)", "RU", MOSCOW, "123", "RU", "fixed_line"),
    ("8 (495) 123-45-67, доб. 123", "RU", MOSCOW, "123", "RU", "fixed_line"),
    ("+7 495 123-45-67 ext 12", "RU", MOSCOW, "12", "RU", "fixed_line"),
    ("+7 495 123-45-67 ext. 12", "RU", MOSCOW, "12", "RU", "fixed_line"),
    ("+7 495 123-45-67 ext.5", "RU", MOSCOW, "5", "RU", "fixed_line"),
    ("+7 495 123-45-67 EXT 12", "RU", MOSCOW, "12", "RU", "fixed_line"),
    ("+7 495 123-45-67 x4781", "RU", MOSCOW, "4781", "RU", "fixed_line"),
    ("+7 495 123-45-67 X 4781", "RU", MOSCOW, "4781", "RU", "fixed_line"),
    ("+7 495 123-45-67 х 4781", "RU", MOSCOW, "4781", "RU", "fixed_line"),  # Cyrillic х
    ("+7 495 123-45-67 #12", "RU", MOSCOW, "12", "RU", "fixed_line"),
    ("+7 495 123-45-67 доб. １２", "RU", MOSCOW, "12", "RU", "fixed_line"),
    # Labels and notes around the number are not part of it.
    ("тел.: 8 916 123-45-67", "RU", MOBILE, None, "RU", "mobile"),
    ("8 916 123-45-67 (Иван)", "RU", MOBILE, None, "RU", "mobile"),
    ("моб. 8 916 123-45-67 доб. 7 Иван", "RU", MOBILE, "7", "RU", "mobile"),
    # Kazakhstan shares +7.
    ("+7 701 123 4567", "RU", "+77011234567", None, "KZ", "mobile"),
    ("8 701 123 45 67", "RU", "+77011234567", None, "KZ", "mobile"),
    ("+7 7172 58 75 43", "RU", "+77172587543", None, "KZ", "fixed_line"),
    # Foreign numbers.
    ("+375 29 123-45-67", "RU", "+375291234567", None, "BY", "mobile"),
    ("+1 415 293 3313", "RU", "+14152933313", None, "US", "fixed_line_or_mobile"),
    ("+44 20 7946 0958", "RU", "+442079460958", None, "GB", "fixed_line"),
    ("+380 44 123 4567", "RU", "+380441234567", None, "UA", "fixed_line"),
    # US numbers with default region US.
    ("(415) 293-3313", "US", "+14152933313", None, "US", "fixed_line_or_mobile"),
    ("1-365-756-9410 x4781", "US", "+13657569410", "4781", "CA", "fixed_line_or_mobile"),
    ("262.397.7937", "US", "+12623977937", None, "US", "fixed_line_or_mobile"),
    ("415-293-3313 ext. 22", "US", "+14152933313", "22", "US", "fixed_line_or_mobile"),
    ("+1 (415) 293-3313", "US", "+14152933313", None, "US", "fixed_line_or_mobile"),
    ("1-800-555-0199", "US", "+18005550199", None, "US", "toll_free"),
]


@pytest.mark.parametrize(("text", "default", "e164", "ext", "region", "kind"), VALID)
def test_valid_number(text, default, e164, ext, region, kind):
    phone = parse_phone(text, default)
    assert (phone.e164, phone.extension, phone.region, phone.kind) == (e164, ext, region, kind)
    assert phone.valid and phone.reason is None
    assert phone.raw == text.strip()
    assert normalise(text, default) == e164
    # A cell holding just this number gives the same Phone as its primary.
    cell = parse_phone_cell(text, default)
    assert cell.primary == phone and cell.alternates == cell.rejected == ()
    assert not cell.empty


# text, default region, reason (exact, or a regex when it starts with "^")
INVALID = [
    ("нет", "RU", "not a phone number"),
    ("n/a", "RU", "not a phone number"),
    ("-", "RU", "not a phone number"),
    ("", "RU", "not a phone number"),
    ("доб. 123", "RU", "not a phone number"),
    ("123", "RU", "too short for RU"),
    ("68", "RU", "too short for RU"),
    ("1", "RU", "too short for RU"),
    ("+7", "RU", "too short"),
    ('=HYPERLINK("tel:1")', "RU", "too short for RU"),
    ("+0 000", "RU", "unknown country code"),
    ("+999 123 456", "RU", "unknown country code"),
    ("1" * 20, "RU", "too long"),
    ("8 495 123 45 67 8", "RU", "^(too long|wrong number of digits) for RU$"),
    ("8 495 abc 45 67", "RU", "letters mixed in the number"),
    ("8 495 123 4five 67", "RU", "letters mixed in the number"),
    ("1-800-FLOWERS", "US", "too short for US"),  # vanity letters are notes, not digits
    ("8 (111) 123-45-67", "RU", "no such number range in RU"),
    ("+7 495 123 45", "RU", "^(too short|wrong number of digits) for RU$"),
    ("(555) 123-4567", "US", "no such number range in US"),  # fictional but possible
    ("1-955-371-0847 x371", "US", "no such number range in US"),  # unassigned area code
    ("+1 555 123 4567", "RU", "no such number range in US"),
]


@pytest.mark.parametrize(("text", "default", "reason"), INVALID)
def test_invalid_number(text, default, reason):
    phone = parse_phone(text, default)
    assert phone.e164 is None and not phone.valid
    assert phone.kind is PhoneType.UNKNOWN
    if reason.startswith("^"):
        assert re.match(reason, phone.reason)
    else:
        assert phone.reason == reason
    assert normalise(text, default) is None


def test_invalid_number_keeps_its_extension():
    phone = parse_phone("1-955-371-0847 x371", "US")
    assert (phone.extension, phone.region) == ("371", "US")


# cell, primary (e164, ext), alternates [e164], rejected [(raw, reason)]
CELLS = [
    (
        "8 (495) 123-45-67, доб. 123; +7 916 123-45-67",
        (MOSCOW, "123"),
        [MOBILE],
        [],
    ),
    ("+7 (495) 123-45-67 / 68", (MOSCOW, None), [], [("68", "too short for RU")]),
    ("8 495 123-45-67\n8 916 123-45-67", (MOSCOW, None), [MOBILE], []),
    ("8 495 123-45-67\r\n8 916 123-45-67", (MOSCOW, None), [MOBILE], []),
    ("8 495 123-45-67 или 8 916 123-45-67", (MOSCOW, None), [MOBILE], []),
    ("8 495 123-45-67 or 8 916 123-45-67", (MOSCOW, None), [MOBILE], []),
    ("8 495 123-45-67 | 8 916 123-45-67", (MOSCOW, None), [MOBILE], []),
    ("8 495 123-45-67 / 8 916 123-45-67", (MOSCOW, None), [MOBILE], []),
    ("8 495 123-45-67 ext 5, 8 916 123-45-67 доб 6", (MOSCOW, "5"), [MOBILE], []),
    # A second extension is not guessed onto the first number.
    ("8 495 123-45-67 доб. 1, доб. 2", (MOSCOW, "1"), [], [("доб. 2", "not a phone number")]),
    # The first *valid* number is primary, whatever comes before it.
    ("123; 8 916 123-45-67", (MOBILE, None), [], [("123", "too short for RU")]),
    ("нет; 8 916 123-45-67", (MOBILE, None), [], []),  # a note, not a rejected number
    # The same number twice is one number.
    ("84951234567, +7 495 123-45-67, 8 916 1234567, 89161234567", (MOSCOW, None), [MOBILE], []),
    ("+7 701 123 4567; +375 29 123-45-67", ("+77011234567", None), ["+375291234567"], []),
    ("123, 45", None, [], [("123", "too short for RU"), ("45", "too short for RU")]),
    ("8 495 abc 45 67", None, [], [("8 495 abc 45 67", "letters mixed in the number")]),
]


@pytest.mark.parametrize(("cell", "primary", "alternates", "rejected"), CELLS)
def test_cell(cell, primary, alternates, rejected):
    got = parse_phone_cell(cell)
    assert (got.primary and (got.primary.e164, got.primary.extension)) == primary
    assert [p.e164 for p in got.alternates] == alternates
    assert [(p.raw, p.reason) for p in got.rejected] == rejected
    assert not got.empty


def test_comma_before_extension_stays_with_its_number():
    got = parse_phone_cell("8 (495) 123-45-67, доб. 123; +7 916 123-45-67")
    assert got.primary.raw == "8 (495) 123-45-67, доб. 123"
    assert got.alternates[0].raw == "+7 916 123-45-67"


@pytest.mark.parametrize("cell", ["", "   ", "\t\n", "нет", "n/a", "-", "—", "не звонить"])
def test_cell_without_digits_is_empty(cell):
    assert parse_phone_cell(cell) == PhoneCell(None, (), ())
    assert parse_phone_cell(cell).empty


@pytest.mark.parametrize("cell", ["123", "+0 000", "1" * 20, '=HYPERLINK("tel:1")'])
def test_cell_with_only_garbage_is_rejected_not_empty(cell):
    got = parse_phone_cell(cell)
    assert got.primary is None and not got.empty
    assert got.rejected and all(p.reason for p in got.rejected)


FORMATS = [
    (MOSCOW, "8 (495) 123-45-67", "+7 495 123-45-67", "RU"),
    (MOBILE, "8 (916) 123-45-67", "+7 916 123-45-67", "RU"),
    ("+77011234567", "8 (701) 123 4567", "+7 701 123 4567", "KZ"),
    ("+14152933313", "(415) 293-3313", "+1 415-293-3313", "US"),
    ("+375291234567", "8 029 123-45-67", "+375 29 123-45-67", "BY"),
]


@pytest.mark.parametrize(("e164", "national", "international", "region"), FORMATS)
def test_formats(e164, national, international, region):
    assert national_format(e164) == national
    assert international_format(e164) == international
    assert phone_region(e164) == region


@pytest.mark.parametrize("bad", ["", "not a number", "+0"])
def test_display_functions_tolerate_bad_values(bad):
    assert national_format(bad) == bad
    assert international_format(bad) == bad
    assert phone_region(bad) is None


def test_phone_type_mirrors_libphonenumber():
    names = {k.lower() for k, v in vars(PhoneNumberType).items() if isinstance(v, int)}
    assert {t.value for t in PhoneType} == names


def _examples(region):
    types = [v for k, v in vars(PhoneNumberType).items() if k.isupper() and v != 99]
    found = (pn.example_number_for_type(region, t) for t in types)
    return [n for n in found if n is not None]


REGIONS = sorted(pn.SUPPORTED_REGIONS)


@pytest.mark.parametrize("region", REGIONS)
def test_every_example_number_round_trips(region):
    examples = _examples(region)
    assert examples
    for num in examples:
        e164 = pn.format_number(num, PhoneNumberFormat.E164)
        kind = PhoneType[_type_name(pn.number_type(num))]
        # Ranges shared by a calling code belong to its main region: the KZ toll-free example
        # is +7 800 (RU), the CA one +1 800 (US). Geographic examples keep their own region.
        owner = pn.region_code_for_number(num)
        assert owner == region or owner in pn.region_codes_for_country_code(num.country_code)
        national = pn.format_number(num, PhoneNumberFormat.NATIONAL)
        # Both as stored (E.164) and as a local would type it (national, region default).
        for text, default in ((e164, "RU"), (national, region)):
            phone = parse_phone(text, default)
            assert (phone.e164, phone.region, phone.kind) == (e164, owner, kind), text
        assert national_format(e164) == national
        assert phone_region(e164) == owner


@pytest.mark.parametrize("region", REGIONS)
def test_invalid_example_number_is_rejected(region):
    num = pn.invalid_example_number(region)
    if num is None:
        pytest.skip(f"libphonenumber has no invalid example for {region}")
    phone = parse_phone(pn.format_number(num, PhoneNumberFormat.E164))
    assert phone.e164 is None and phone.reason


def _type_name(value):
    return next(k for k, v in vars(PhoneNumberType).items() if k.isupper() and v == value)


@pytest.mark.parametrize("region", REGIONS)
def test_validity_from_number_type_equals_is_valid_number(region):
    # phones.py derives validity from the number type to avoid computing it twice.
    nums = _examples(region) + [n for n in [pn.invalid_example_number(region)] if n]
    for num in nums:
        from_type = (
            pn.region_code_for_number(num) is not None
            and pn.number_type(num) != PhoneNumberType.UNKNOWN
        )
        assert from_type == pn.is_valid_number(num)
        assert parse_phone(pn.format_number(num, PhoneNumberFormat.E164)).valid == from_type


def test_non_geographic_numbers():
    for code in pn.COUNTRY_CODES_FOR_NON_GEO_REGIONS:
        num = pn.example_number_for_non_geo_entity(code)
        if num is not None:
            e164 = pn.format_number(num, PhoneNumberFormat.E164)
            assert parse_phone(e164).e164 == e164


def test_phone_is_frozen():
    phone = parse_phone(MOSCOW)
    assert isinstance(phone, Phone)
    with pytest.raises(AttributeError):
        phone.e164 = MOBILE  # type: ignore[misc]


def test_module_stays_pure():
    code = (
        "import sys, tmdesk.domain.phones; "
        "bad = {'peewee', 'textual', 'phonenumbers.geocoder'} & set(sys.modules); "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_atomic_crm_contacts():
    path = REALDATA / "atomic-crm-contacts.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    cells = [r[k] for r in rows for k in ("phone_work", "phone_home", "phone_other") if r[k]]
    assert len(cells) > 300  # 330 cells in the extract's 200 rows
    valid = 0
    for text in cells:
        got = parse_phone_cell(text, "US")
        assert got.primary or (got.rejected and all(p.reason for p in got.rejected)), text
        valid += got.primary is not None
        phone = got.primary or got.rejected[0]
        m = re.search(r"x(\d+)$", text)
        assert phone.extension == (m and m[1]), text
        assert phone.e164 is None or phone.e164.startswith("+1")
    # The file has fictional area codes on purpose; most numbers are still real ranges.
    assert valid > len(cells) / 2


def test_the_russian_fast_path_agrees_with_libphonenumber(monkeypatch):
    """The fast path skips parse() for plain +7 numbers; it must never change an answer."""
    import random

    from tmdesk.domain import phones

    rng = random.Random(11)
    forms = [
        "8 ({}) {}-{}-{}",
        "+7 {} {}{}{}",
        "8{}{}{}{}",
        "+7({}){}-{}-{}",
        "7 {} {} {} {}",
        "{}{}{}{}",
        "{} {}-{}-{}",
        "+7 {}\u00a0{}-{}-{}",
        "8\u2013{}\u2013{}\u2013{}\u2013{}",
        "+7 {}.{}.{}.{}",
    ]
    cells = []
    for _ in range(6000):
        first = rng.choice("9934871056")
        nsn = first + "".join(rng.choice("0123456789") for _ in range(rng.choice([9, 9, 9, 8, 10])))
        cells.append(rng.choice(forms).format(nsn[:3], nsn[3:6], nsn[6:8], nsn[8:]))
    for region in ("RU", "KZ", "BY"):
        fast = [phones.parse_phone_cell(cell, region) for cell in cells]
        with monkeypatch.context() as patch:
            patch.setattr(phones, "_russian_fast", lambda *args: None)
            slow = [phones.parse_phone_cell(cell, region) for cell in cells]
        assert [f for f, s in zip(fast, slow, strict=True) if f != s] == []
        assert sum(1 for cell in fast if cell.primary) > 500  # many valid numbers
