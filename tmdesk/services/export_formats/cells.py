"""Spreadsheet cells that cannot run: formula injection in CSV and XLSX.

Excel, LibreOffice and Google Sheets read a cell that starts with = + - @ (or a tab or a
carriage return, or the full-width ＝ ＋ － ＠ they fold to ASCII) as a formula, so a company
name like `=HYPERLINK("http://evil", "click")` in a call list would run on the specialist's
machine. Such text is written so that it stays text:

- CSV: a leading apostrophe, the OWASP advice (`'=HYPERLINK(…)`, `'+74951234567`): the
  value is still readable and an E.164 phone is still recognisable with its "+";
- XLSX: the value unchanged in a text cell marked quotePrefix, which is exactly what Excel
  stores when a person types `'=…` — shown without the apostrophe, never evaluated, and
  still text after F2 + Enter.

Only text is checked: numbers and dates written by the desk itself (a score of -5) are safe.
JSON and .ics are data formats nobody evaluates: they keep every value verbatim.
"""

from __future__ import annotations

TRIGGERS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
# Spreadsheets skip these before deciding that a cell is a formula.
_LEADING_BLANKS = " \u00a0\u3000"


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet read this text as (the start of) a formula?"""
    if not text:
        return False
    if text[0] in TRIGGERS:
        return True
    stripped = text.lstrip(_LEADING_BLANKS)
    return len(stripped) < len(text) and bool(stripped) and stripped[0] in TRIGGERS


def neutralise(text: str) -> str:
    """The text for a CSV cell: with a leading apostrophe when it could run."""
    return "'" + text if is_formula_like(text) else text
