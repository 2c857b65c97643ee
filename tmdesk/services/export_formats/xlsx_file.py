"""XLSX through openpyxl's write-only mode (rows stream to disk; 100k leads fit easily).

Cells are typed: numbers as numbers, dates and times as real dates (shown in the zone the
column names: the specialist's for the meeting, UTC for the desk's own times), phones and
INN as text cells formatted "@" so Excel keeps their digits and "+" even after editing.
Text that a spreadsheet would run as a formula is stored verbatim in a text cell marked
quotePrefix — what Excel itself stores for a typed `'=…` (see cells.py) — and openpyxl is
never allowed to turn a leading "=" into a formula.

The file is reproducible: the document dates are the batch's time and every zip entry
carries that time too, so repeating a batch gives the same bytes.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any, BinaryIO
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from tmdesk.i18n import _
from tmdesk.services.export_formats import ExportMeta, table
from tmdesk.services.export_formats.cells import is_formula_like

MAX_CELL = 32_767  # Excel's limit on the text of one cell
WIDTH_SAMPLE = 2_000  # rows looked at to size the columns (widths must precede the rows)
WIDTHS = {table.LONG: (12, 60)}  # kind → (narrowest, widest); others below
DEFAULT_WIDTH = (6, 40)
HEADER_WIDTH = 18
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"


class _StableZip(ZipFile):
    """A zip whose entries all carry one fixed time instead of 'now'."""

    def __init__(self, handle: BinaryIO, stamp: datetime):
        super().__init__(handle, "w", ZIP_DEFLATED, allowZip64=True)
        self._stamp = (
            max(stamp.year, 1980),
            stamp.month,
            stamp.day,
            stamp.hour,
            stamp.minute,
            stamp.second,
        )

    def _info(self, name: str) -> ZipInfo:
        info = ZipInfo(name, date_time=self._stamp)
        info.compress_type = ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        return info

    def writestr(
        self, zinfo_or_arcname: ZipInfo | str, data: Any, *args: Any, **kwargs: Any
    ) -> None:
        if not isinstance(zinfo_or_arcname, ZipInfo):
            zinfo_or_arcname = self._info(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        # openpyxl streams each write-only sheet from a temporary file
        with open(filename, "rb") as source, self.open(self._info(arcname), "w") as target:
            shutil.copyfileobj(source, target, 1 << 20)


def _clean(text: str) -> str:
    # XML 1.0 cannot hold most control characters (a NUL from a call list): U+FFFD marks them
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


class _Cells:
    """Turns typed table values into what the write-only sheet gets."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet

    def text_cell(self, text: str, *, as_text_format: bool = False) -> Any:
        cell = WriteOnlyCell(self.sheet)
        cell.value = text  # may guess a formula or an error code: set the type below
        cell.data_type = "s"
        if is_formula_like(text):
            cell.quotePrefix = True
        if as_text_format:
            cell.number_format = "@"
        return cell

    def convert(self, value: Any, kind: str) -> Any:
        if value is None or value == "":
            return None
        if type(value) is str:
            value = _clean(value)
            if kind == table.PHONE:
                return self.text_cell(value, as_text_format=True)
            if value in ERROR_CODES or is_formula_like(value):
                return self.text_cell(value)
            return value
        if isinstance(value, datetime):
            cell = WriteOnlyCell(self.sheet, value.replace(tzinfo=None))  # the column's zone
            cell.number_format = DATETIME_FORMAT
            return cell
        if isinstance(value, date):
            cell = WriteOnlyCell(self.sheet, value)
            cell.number_format = DATE_FORMAT
            return cell
        return value


def _longest_line(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return max((len(line) for line in str(value).split("\n")), default=0)


def _widths(cols: Sequence[table.Column], sample: list[tuple[Any, ...]]) -> list[float]:
    widths = []
    for i, column in enumerate(cols):
        narrowest, widest = WIDTHS.get(column.kind, DEFAULT_WIDTH)
        # headers wrap (see below), so a long one does not widen its column much
        header = min(len(column.header), HEADER_WIDTH)
        longest = max([header] + [_longest_line(row[i]) for row in sample])
        widths.append(float(min(widest, max(narrowest, longest + 2))))
    return widths


def write(handle: BinaryIO, records: Iterable[Mapping[str, Any]], meta: ExportMeta) -> None:
    cols = table.columns()
    kinds = [c.kind for c in cols]
    stamp = meta.created_at.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    book = Workbook(write_only=True)
    book.properties.creator = "tmdesk"
    book.properties.title = _("Handoff to development specialists")
    book.properties.created = stamp
    book.properties.modified = stamp
    sheet = book.create_sheet(_("Leads"))
    cells = _Cells(sheet)

    rows = table.rows(records, cols)  # streamed; the first rows size the columns
    sample = list(islice(rows, WIDTH_SAMPLE))
    for i, width in enumerate(_widths(cols, sample), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "B2"  # the header and the lead number stay in sight

    bold = Font(bold=True)
    header = []
    for column in cols:
        cell = WriteOnlyCell(sheet, _clean(column.header))
        cell.font = bold
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    for chunk in (sample, rows):
        for row in chunk:
            sheet.append(
                [cells.convert(value, kind) for value, kind in zip(row, kinds, strict=True)]
            )
            count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{count + 1}"

    archive = _StableZip(handle, stamp)
    ExcelWriter(book, archive).save()  # not book.save(): that stamps 'now' as modified
