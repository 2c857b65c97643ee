"""Phone numbers: parse call-list cells into E.164 numbers with extensions, and format them.

Pure domain code: stdlib and phonenumbers only. Never import phonenumbers.geocoder here (it
costs ~215 ms and ~100 MB); region descriptions are computed elsewhere, at import time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers as pn
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType
from phonenumbers.phonemetadata import PhoneMetadata

# is_valid_number() = region_code_for_number() + number type != UNKNOWN, and number_type()
# recomputes the region. Calling the type helper ourselves gets region, type and validity in
# one pass, at the bare is_valid_number() cost. The phonenumbers version is pinned and
# tests/domain/test_phones.py checks the equivalence over every region's example numbers.
from phonenumbers.phonenumberutil import _number_type_helper

from tmdesk.i18n import _


class PhoneType(StrEnum):
    MOBILE = "mobile"
    FIXED_LINE = "fixed_line"
    FIXED_LINE_OR_MOBILE = "fixed_line_or_mobile"
    TOLL_FREE = "toll_free"
    PREMIUM_RATE = "premium_rate"
    SHARED_COST = "shared_cost"
    VOIP = "voip"
    PERSONAL_NUMBER = "personal_number"
    PAGER = "pager"
    UAN = "uan"
    VOICEMAIL = "voicemail"
    UNKNOWN = "unknown"


_KINDS = {getattr(PhoneNumberType, t.name): t for t in PhoneType}


@dataclass(frozen=True, slots=True)
class Phone:
    raw: str  # this number's piece of the cell, stripped
    e164: str | None  # None unless libphonenumber calls the number valid
    extension: str | None
    region: str | None  # for an invalid number: the main region of the country it was read in
    kind: PhoneType
    reason: str | None  # why e164 is None, in words a user can act on

    @property
    def valid(self) -> bool:
        return self.e164 is not None


@dataclass(frozen=True, slots=True)
class PhoneCell:
    primary: Phone | None
    alternates: tuple[Phone, ...]
    rejected: tuple[Phone, ...]

    @property
    def empty(self) -> bool:
        # Every piece with a digit ends up as primary, alternate (or its duplicate) or rejected.
        return self.primary is None and not self.rejected


_EMPTY = PhoneCell(None, (), ())

# The common cell is one plain number: digits, spaces, + ( ) . and dashes. It skips all the
# splitting below. Tabs and other whitespace are left out: libphonenumber rejects them.
_PLAIN = re.compile(r"[ \u00a0+().\-\u2010-\u2015\u2212]*\d[\d \u00a0+().\-\u2010-\u2015\u2212]*")
_DIGIT = re.compile(r"\d")
# Between numbers in one cell. A comma before "доб." is handled by re-joining, see _pieces().
_SEP = re.compile(r"([,;/|\n\r]|\s+(?:или|or|и|and)\s+)", re.I)
# Extension markers; Cyrillic "х" looks exactly like "x" and does get typed. A marker must not
# end a word ("max 12"), and text after the extension digits (a name, a bracket) is ignored.
_MARK = (
    r"(?<![^\W\d_])(?:до[бп](?:авочный)?|вн(?:утр(?:енний)?)?|ext(?:ension)?|[xх]|#)"
    r"\.?\s*:?\s*"
)
_EXT = re.compile(r"[\s,;(]*" + _MARK + r"(\d{1,10})\D*$", re.I)
_EXT_ONLY = re.compile(r"\s*\(?\s*" + _MARK + r"\d{1,10}\D*$", re.I)
# From the first "+" or digit to the last digit: labels ("тел.:") and notes around are dropped.
_SPAN = re.compile(r"[+\uff0b\d](?:.*\d)?", re.S)
_LETTER = re.compile(r"[^\W\d_]")
_SPACES = re.compile(r"\s+")

_POSSIBLE = pn.ValidationResult


def parse_phone(text: str, default_region: str = "RU") -> Phone:
    """One number (with an optional extension) from free text."""
    raw = text.strip()
    if _PLAIN.fullmatch(raw):
        return _parse(raw, raw, None, default_region)
    return _parse_text(raw, default_region)


def parse_phone_cell(cell: str, default_region: str = "RU") -> PhoneCell:
    """All numbers in one spreadsheet cell: the first valid one is primary."""
    if _PLAIN.fullmatch(cell):
        # Fast path: the importer calls this for every row of million-row lists.
        phone = _parse(cell.strip(), cell, None, default_region)
        return PhoneCell(phone, (), ()) if phone.e164 else PhoneCell(None, (), (phone,))
    if not _DIGIT.search(cell):
        return _EMPTY
    primary, alternates, rejected, seen = None, [], [], set()
    for piece in _pieces(cell):
        phone = _parse_text(piece, default_region)
        if phone.e164 is None:
            rejected.append(phone)
        elif phone.e164 not in seen:
            seen.add(phone.e164)
            if primary is None:
                primary = phone
            else:
                alternates.append(phone)
    return PhoneCell(primary, tuple(alternates), tuple(rejected))


def normalise(text: str, default_region: str = "RU") -> str | None:
    """E.164 of one number typed by a user (DNC entry, search), or None."""
    return parse_phone(text, default_region).e164


def national_format(e164: str) -> str:
    """As dialled inside the country, e.g. '8 (495) 123-45-67'; unparseable input unchanged."""
    return _format(e164, PhoneNumberFormat.NATIONAL)


def international_format(e164: str) -> str:
    """E.g. '+7 495 123-45-67'; unparseable input unchanged."""
    return _format(e164, PhoneNumberFormat.INTERNATIONAL)


def phone_region(e164: str) -> str | None:
    """ISO region of a number, e.g. 'KZ' for +7 7xx, or None."""
    try:
        return pn.region_code_for_number(pn.parse(e164, None))
    except NumberParseException:
        return None


def _format(e164: str, fmt: int) -> str:
    # Display code must not crash on a bad stored value: show it as it is.
    try:
        return pn.format_number(pn.parse(e164, None), fmt)
    except NumberParseException:
        return e164


def _pieces(cell: str) -> list[str]:
    """Split a cell into one text per number; an extension joins the number before it."""
    parts = _SEP.split(cell)
    pieces = [parts[0]]
    for sep, part in zip(parts[1::2], parts[2::2], strict=True):
        prev = pieces[-1]
        if _EXT_ONLY.match(part) and _DIGIT.search(prev) and not _EXT.search(prev):
            pieces[-1] += sep + part  # "8 495 123-45-67, доб. 123" is one number
        else:
            pieces.append(part)
    # A piece without digits ("нет", "моб.") is a note, not a rejected number.
    return [p.strip() for p in pieces if _DIGIT.search(p)]


def _parse_text(raw: str, region: str) -> Phone:
    """Slow path for one number: extension, labels, letters and odd whitespace."""
    text, ext = raw, None
    m = _EXT.search(text)
    if m:
        ext = pn.normalize_digits_only(m[1])  # full-width extension digits to ASCII
        text = text[: m.start()]
    m = _SPAN.search(text)
    if m is None:
        return Phone(raw, None, ext, None, PhoneType.UNKNOWN, _("not a phone number"))
    text = m.group()
    if _LETTER.search(text):
        # libphonenumber would read letters as a vanity number ("8 495 abc 45 67" is valid to
        # it); in a call list they are a typo or a note, so the number needs a human look.
        return Phone(raw, None, ext, None, PhoneType.UNKNOWN, "letters mixed in the number")
    return _parse(raw, _SPACES.sub(" ", text), ext, region)


# Characters a plain Russian number is written with besides digits; removed before the
# fast path below looks at the digits.
_PUNCTUATION = str.maketrans("", "", " \u00a0().-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
_ASCII_DIGITS = frozenset("0123456789")


def _russian_fast(raw: str, text: str, ext: str | None) -> Phone | None:
    """A valid +7 number written in one of the usual ways, without libphonenumber's parse.

    parse() is two thirds of the cost of an import row; for "8 (495) 123-45-67",
    "+7 495 1234567", "74951234567" and "4951234567" the national number is plain to see.
    Only valid results are returned (the slow path words the reasons), and a test checks
    that the answer equals parse()'s for every format.
    """
    digits = text.translate(_PUNCTUATION)
    if digits.startswith("+"):
        nsn = digits[2:] if len(digits) == 12 and digits[1] == "7" else ""
    elif len(digits) == 11 and digits[0] in "78":
        nsn = digits[1:]
    else:
        nsn = digits if len(digits) == 10 else ""
    if not nsn or nsn[0] == "0" or not _ASCII_DIGITS.issuperset(nsn):
        return None
    num = pn.PhoneNumber(country_code=7, national_number=int(nsn))
    where = pn.region_code_for_number(num)
    if where is None:
        return None
    meta = PhoneMetadata.metadata_for_region_or_calling_code(7, where)
    kind = _number_type_helper(nsn, meta) if meta else PhoneNumberType.UNKNOWN
    if kind == PhoneNumberType.UNKNOWN:
        return None
    return Phone(raw, f"+7{nsn}", ext, where, _KINDS[kind], None)


def _parse(raw: str, text: str, ext: str | None, region: str) -> Phone:
    if region == "RU":  # with KZ as default, "7 …" is not read as +7 by parse()
        fast = _russian_fast(raw, text, ext)
        if fast is not None:
            return fast
    try:
        num = pn.parse(text, region)
    except NumberParseException as e:
        return Phone(raw, None, ext, None, PhoneType.UNKNOWN, _parse_error(e, text, region))
    cc = num.country_code or 0  # parse() always sets it
    where = pn.region_code_for_number(num)
    if where is not None:
        nsn = pn.national_significant_number(num)
        meta = PhoneMetadata.metadata_for_region_or_calling_code(cc, where)
        kind = _number_type_helper(nsn, meta) if meta else PhoneNumberType.UNKNOWN
        if kind != PhoneNumberType.UNKNOWN:
            # E.164 is "+", country code and national significant number: no need to format.
            return Phone(raw, f"+{cc}{nsn}", ext or num.extension, where, _KINDS[kind], None)
    where = pn.region_code_for_country_code(cc)
    return Phone(raw, None, ext or num.extension, where, PhoneType.UNKNOWN, _invalid(num, where))


def _parse_error(e: NumberParseException, text: str, region: str) -> str:
    if e.error_type == NumberParseException.INVALID_COUNTRY_CODE:
        return _("unknown country code")
    if e.error_type == NumberParseException.TOO_LONG:
        return _("too long")
    if e.error_type == NumberParseException.NOT_A_NUMBER and len(_DIGIT.findall(text)) > 3:
        return _("not a phone number")
    # Too few digits to even parse ("1", "+7", "68"), or nothing after the international prefix.
    if text.lstrip().startswith(("+", "\uff0b")):
        return _("too short")
    return _("too short for {region}").format(region=region)


def _invalid(num: pn.PhoneNumber, where: str) -> str:
    why = pn.is_possible_number_with_reason(num)
    if why == _POSSIBLE.TOO_SHORT:
        return _("too short for {region}").format(region=where)
    if why == _POSSIBLE.TOO_LONG:
        return _("too long for {region}").format(region=where)
    if why == _POSSIBLE.INVALID_LENGTH:
        return _("wrong number of digits for {region}").format(region=where)
    if why == _POSSIBLE.INVALID_COUNTRY_CODE:
        return _("unknown country code")
    # The right length, but no such range is allocated (e.g. US 555, an unassigned area code).
    return _("no such number range in {region}").format(region=where)
