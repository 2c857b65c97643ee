"""CSV for Excel: UTF-8 with a BOM and commas, or (--excel-ru) what a Russian Excel opens
with a double click: semicolons and Windows-1251, refused when a character does not fit.

Text that a spreadsheet would run as a formula gets a leading apostrophe (see cells.py);
so does the E.164 phone ("'+74951234567"), which Excel would otherwise turn into the
number 74951234567. The national form ("8 (495) 123-45-67") needs nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, BinaryIO

from tmdesk.i18n import _
from tmdesk.services.export_formats import ExportFormatError, ExportMeta, table
from tmdesk.services.export_formats.cells import TRIGGERS, is_formula_like

# Blanks that may hide a trigger after them (cells.is_formula_like looks behind them).
_BLANKS = frozenset(" \u00a0\u3000")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if type(value) is str:
        if value and (value[0] in TRIGGERS or (value[0] in _BLANKS and is_formula_like(value))):
            return "'" + value
        return value
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")  # 2026-12-01 10:00+03:00
    if isinstance(value, date):
        return value.isoformat()
    return str(value)  # numbers written by the desk itself


def write(handle: BinaryIO, records: Iterable[Mapping[str, Any]], meta: ExportMeta) -> None:
    cols = table.columns()
    if meta.excel_ru:
        text = io.TextIOWrapper(handle, encoding="cp1251", errors="strict", newline="")
        delimiter = ";"
    else:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        delimiter = ","
    try:
        writer = csv.writer(text, delimiter=delimiter)
        writer.writerow([_text(c.header) for c in cols])
        getters = [c.value for c in cols]
        for record in records:  # streamed: one lead at a time
            cells = [_text(get(record)) for get in getters]
            try:
                writer.writerow(cells)
            except UnicodeEncodeError:
                raise _refusal(record, cols, cells) from None
        text.flush()
    finally:
        text.detach()  # the caller owns (and closes) the binary file


def _refusal(
    record: Mapping[str, Any], cols: Sequence[table.Column], cells: Sequence[str]
) -> ExportFormatError:
    """Which lead and which field hold a character Windows-1251 lacks."""
    for column, cell in zip(cols, cells, strict=True):
        for char in cell:
            try:
                char.encode("cp1251")
            except UnicodeEncodeError:
                return ExportFormatError(
                    _(
                        "lead {lead} ({company}), column “{column}”: the character {char!r} "
                        "(U+{code:04X}) has no Windows-1251 form; export without --excel-ru "
                        "(UTF-8 keeps every character)"
                    ).format(
                        lead=record.get("lead_id"),
                        company=record.get("company", ""),
                        column=column.header,
                        char=char,
                        code=ord(char),
                    )
                )
    return ExportFormatError(
        _("lead {lead}: cannot be written in Windows-1251").format(lead=record.get("lead_id"))
    )
