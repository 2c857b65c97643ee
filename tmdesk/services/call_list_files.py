"""Reading call-list files (CSV or XLSX) as rows of text, streaming.

`open_call_list(path)` recognises the kind by content (zip → XLSX, OLE2 → old .xls, rejected),
the text encoding and the delimiter, finds the header row, and returns a `CallListFile` whose
`rows()` yields a `SourceRow` per data row without ever holding the file in memory.

Encoding (when not given): a BOM (UTF-8, UTF-16, UTF-32); else UTF-16 without BOM told by its
NUL bytes; else strict UTF-8 over the whole file (chunked); else a legacy 8-bit code page,
chosen by `_guess_legacy` (see there). A file that mixes UTF-8 lines with lines in another
encoding is refused with the first bad line rather than decoded into mojibake either way.

Rows: `SourceRow.line` is the physical line (CSV) or sheet row (XLSX) where the row starts.
Cells are the text exactly as read (NUL, tabs, '=…', '+7…' kept). Empty rows in the middle
are yielded (the importer counts them); empty rows after the last non-empty one are not.
XLSX rows are padded to the header width, and trailing empty cells beyond it are dropped
(in a sheet, a missing cell is an empty cell; in a CSV, a missing delimiter is ragged).

Column recognition (`FIELDS`, `ColumnMap`, `ColumnMapError`, `map_columns`) lives in
`call_list_columns`, which imports this module (never the other way round).

Over 400 lines: encoding detection (most of it) serves only this reader, and CSV and XLSX
share the header and row rules; column recognition is apart already.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, cast

from tmdesk.errors import TmdeskError
from tmdesk.i18n import N_, _

__all__ = ["CallListFile", "CallListFileError", "SourceRow", "open_call_list"]  # + re-exports

FIELD_LIMIT = 10 * 1024 * 1024  # longest CSV field accepted (csv.field_size_limit is global)
if csv.field_size_limit() < FIELD_LIMIT:
    csv.field_size_limit(FIELD_LIMIT)

_CHUNK = 256 * 1024  # bytes read at a time by the detection passes
_SAMPLE = 64 * 1024
_JUDGED = 16 * 1024  # characters of non-ASCII lines an encoding is guessed from
_EOF = "\uffff<tmdesk:eof>\uffff"  # a last line fed to csv: swallowed iff a quote is left open
_NO_LOSS: frozenset[int] = frozenset()
_DELIMITERS = ";,\t|"  # order = preference on ties (Russian Excel writes ';')
_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
_CYRILLIC = ("cp1251", "koi8_r", "cp866", "mac_cyrillic", "iso8859_5")
_WESTERN = ("cp1252", "latin_1")
MAX_SHEET_BYTES = 512 * 1024 * 1024  # unpacked sheet XML read at most (see _check_sizes)
_EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_NOT_A_WORKBOOK = N_("not an Excel workbook (.xlsx)")  # translated where it is shown
_ZIP, _OLE2 = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class CallListFileError(TmdeskError):
    """A user-facing problem with a call-list file: `str()` is one line naming the file,
    the line and the field where known, e.g. "calls.csv: line 1: no header row"."""

    def __init__(
        self,
        reason: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.reason, self.line, self.field = reason, line, field
        self.path = Path(path) if path is not None else None
        super().__init__(reason)

    def __str__(self) -> str:
        parts = [self.path.name] if self.path is not None else []
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.field is not None:
            parts.append(f"field {self.field!r}")
        return ": ".join([*parts, self.reason])


@dataclass(frozen=True, slots=True)
class SourceRow:
    line: int  # 1-based physical line (CSV) or sheet row (XLSX) where it starts
    cells: tuple[str, ...]  # as read; ragged rows are kept ragged
    lossy: frozenset[int] = _NO_LOSS  # XLSX: cells whose number may have lost digits


# --------------------------------------------------------------------------- encodings


def _detect_encoding(path: Path, head: bytes) -> str:
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if head.startswith(bom):
            return name
    sample = head[: len(head) & ~1]
    nuls = sample.count(0)
    if sample and nuls > len(sample) // 10:  # UTF-16 without BOM: every ASCII char has a NUL
        odd = sample[1::2].count(0)
        if odd >= 0.95 * nuls:
            return "utf-16-le"
        if nuls - odd >= 0.95 * nuls:
            return "utf-16-be"
        raise CallListFileError(
            _("not a text file (binary data); save it as CSV or .xlsx"), path=path
        )
    bad = _first_non_utf8(path)
    if bad is None:
        return "utf-8"
    line, utf8_before = bad
    if utf8_before:
        raise _mixed_error(path, line, None)
    sample, utf8_line = _legacy_scan(path)
    if utf8_line is not None:
        raise _mixed_error(path, line, utf8_line)
    return _guess_legacy(path, sample)


def _mixed_error(path: Path, bad: int, utf8_line: int | None) -> CallListFileError:
    where = f"line {utf8_line} is" if utf8_line else "earlier lines are"
    return CallListFileError(
        f"not valid UTF-8, but {where}: the file mixes encodings; re-save it in one "
        "encoding, or pass --encoding",
        path=path,
        line=bad,
    )


def _first_non_utf8(path: Path) -> tuple[int, bool] | None:
    """None when the whole file is UTF-8; else (line of the first bad byte, whether a line
    before that one had non-ASCII UTF-8 in it)."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    pos = newlines = line_start = 0
    first_non_ascii = -1
    with open(path, "rb") as f:
        while True:
            chunk = f.read(_CHUNK)
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as e:
                at = max(e.start - pending, 0)
                nl = chunk.rfind(b"\n", 0, at)
                line_start = pos + nl + 1 if nl >= 0 else line_start
                if first_non_ascii < 0 and not chunk[:at].isascii():
                    first_non_ascii = pos + _first_high(chunk)
                bad_line = newlines + chunk.count(b"\n", 0, at) + 1
                return bad_line, 0 <= first_non_ascii < line_start
            if not chunk:
                return None
            if first_non_ascii < 0 and not chunk.isascii():
                first_non_ascii = pos + _first_high(chunk)
            if (nl := chunk.rfind(b"\n")) >= 0:
                line_start = pos + nl + 1
            newlines += chunk.count(b"\n")
            pos += len(chunk)


_HIGH = re.compile(rb"[\x80-\xff]")


def _legacy_scan(path: Path) -> tuple[bytes, int | None]:
    """One chunked pass over a file that is not UTF-8: up to 16 KB of its non-ASCII lines
    (the sample to guess from) and the first line that *is* non-ASCII UTF-8, if any."""
    sample: list[str] = []
    size, lines, carry = 0, 0, b""
    with open(path, "rb") as f:
        while True:
            chunk = f.read(_CHUNK)
            data = carry + chunk
            cut = data.rfind(b"\n") + 1 if chunk else len(data)
            if cut == 0 and len(data) > 16 * _CHUNK:
                cut = len(data)
            block, carry = data[:cut], data[cut:]
            for i, line in enumerate(block.decode("utf-8", "surrogateescape").split("\n")):
                if line.isascii():
                    continue
                if not _ESCAPED.search(line):  # valid UTF-8: an accident in a legacy file
                    return b"", lines + i + 1
                if size < _JUDGED:
                    sample.append(line)
                    size += len(line)
            lines += block.count(b"\n")
            if not chunk:
                return "\n".join(sample).encode("utf-8", "surrogateescape"), None


_ESCAPED = re.compile("[\udc80-\udcff]")
_WORD = re.compile(r"[^\W\d_]+")
_RU_TOP = frozenset("оеаинтсрвл")  # ~2/3 of the letters of any Russian text
_ODD_CYRILLIC = frozenset("ЂђЃѓЉљЊњЋћЌќЏџЅѕЈј")  # what wrong code pages produce


def _is_odd(ch: str) -> bool:
    o = ord(ch)
    if o <= 0x9F or 0x2500 <= o <= 0x25FF or ch in _ODD_CYRILLIC:
        return True  # control characters, box drawing, Serbian/Macedonian letters
    cat = unicodedata.category(ch)
    return cat in ("Co", "Cn", "Cs") or (cat == "Sm" and ch not in "±×÷")


def _judge(text: str, odd_chars: str) -> tuple[str, float] | None:
    """How a sample decoded with some code page reads: ('cyr'|'lat'|'none', score), or None
    when it does not read as text (odd characters, mixed-script or odd-case words)."""
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    odd = sum(map(text.count, odd_chars)) / max(non_ascii, 1)
    if odd > 0.02:
        return None
    cyr_words = lat_words = mixed = camel = heavy = cyr_letters = top = 0
    for w in _WORD.findall(text):
        if w.isascii():
            continue
        n_cyr = sum("\u0400" <= c <= "\u04ff" for c in w)
        if n_cyr:
            cyr_words += 1
            cyr_letters += n_cyr
            top += sum(c in _RU_TOP for c in w.lower())
            mixed += n_cyr < len(w)
            camel += any(a.islower() and b.isupper() for a, b in zip(w, w[1:], strict=False))
        else:
            lat_words += 1
            heavy += len(w) >= 3 and sum(c > "\x7f" for c in w) * 2 > len(w)
    if cyr_words and lat_words:
        return None
    if cyr_words:
        freq = top / cyr_letters
        if (mixed + camel) / cyr_words > 0.2 or (cyr_letters >= 40 and freq < 0.45):
            return None
        return "cyr", freq - (mixed + camel) / cyr_words - odd
    if lat_words:
        return None if heavy / lat_words > 0.1 else ("lat", 1 - heavy / lat_words - odd)
    return "none", 1 - odd


def _guess_legacy(path: Path, sample: bytes) -> str:
    """Pick the 8-bit code page of a non-UTF-8 file.

    Every candidate decoding of the sample is judged by `_judge` (charset-normalizer alone
    is not reliable enough here: it calls the real Russian-Excel file cp866). Among Cyrillic
    readings cp1251 wins unless another scores clearly (0.1) better; when both a Cyrillic and
    a Western reading are plausible, charset-normalizer's best guess breaks the tie; when no
    reading is plausible, the file is refused with a request for --encoding.
    """
    verdicts: dict[str, tuple[str, float]] = {}
    for enc in _CYRILLIC + _WESTERN:
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            continue
        high = bytes(range(128, 256)).decode(enc, "ignore")
        verdict = _judge(text, "".join(filter(_is_odd, high)))
        if verdict:
            verdicts[enc] = verdict
    cyr = {
        e: s for e, (k, s) in verdicts.items() if k == "cyr" or (e == "cp1251" and k == "none")
    }  # '№', '«»': cp1251 still wins
    lat = [e for e, (k, _) in verdicts.items() if k == "lat"]
    if cyr and lat:
        from charset_normalizer import from_bytes

        guess = from_bytes(sample, cp_isolation=list(_CYRILLIC + _WESTERN)).best()
        family = guess and ("cyr" if guess.encoding in _CYRILLIC else "lat")
        if family == "cyr":
            lat = []
        elif family == "lat":
            cyr = {}
    if cyr and not lat:
        best = max(cyr, key=cyr.__getitem__)
        return "cp1251" if "cp1251" in cyr and cyr[best] - cyr["cp1251"] < 0.1 else best
    if lat and not cyr:
        return lat[0]
    raise CallListFileError(
        _("cannot tell the text encoding (not UTF-8); pass --encoding, e.g. --encoding cp1251"),
        path=path,
    )


def _first_high(chunk: bytes) -> int:
    """Where the first non-ASCII byte of a chunk that is not all ASCII is."""
    found = _HIGH.search(chunk)
    assert found is not None  # the caller saw a non-ASCII byte
    return found.start()


def _locate_decode_error(path: Path, encoding: str) -> tuple[int, bytes]:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    line = 1
    with open(path, "rb") as f:
        while True:
            chunk = f.read(_CHUNK)
            try:
                line += decoder.decode(chunk, final=not chunk).count("\n")
            except UnicodeDecodeError as e:
                good = e.object[: e.start].decode(encoding, "replace")
                return line + good.count("\n"), e.object[e.start : e.end]
            if not chunk:
                return line, b""


# --------------------------------------------------------------------------- the file


class CallListFile:
    """An opened call list. Use as a context manager; `rows()` may be iterated again.

    Progress: `bytes_total` is the file size; `bytes_read` is how far the current `rows()`
    iteration has got (CSV: bytes consumed; XLSX: estimated from the row number and the
    sheet's row count), reaching `bytes_total` at the end.
    """

    def __init__(self, path: Path, kind: str) -> None:
        self.path, self.kind = path, kind
        self.encoding: str | None = None
        self.delimiter: str | None = None
        self.sheet: str | None = None
        self.headers: tuple[str, ...] = ()
        self.header_line = 0
        self.bytes_total = path.stat().st_size
        self._estimate: int | None = None
        self._handle: io.TextIOWrapper | None = None
        self._progress = 0
        self._wb: Any = None  # openpyxl's workbook and sheet (untyped)
        self._ws: Any = None
        self._fh: BinaryIO | None = None
        self._max_row: int | None = None

    def __enter__(self) -> CallListFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"<CallListFile {self.path.name} {self.kind} encoding={self.encoding} "
            f"delimiter={self.delimiter!r} sheet={self.sheet!r}>"
        )

    def close(self) -> None:
        for thing in (self._handle, self._wb, self._fh):
            if thing is not None:
                thing.close()
        self._handle = self._wb = self._ws = self._fh = None

    def _error(self, reason: str, line: int | None = None) -> CallListFileError:
        return CallListFileError(reason, path=self.path, line=line)

    @property
    def bytes_read(self) -> int:
        if self._handle is not None and not self._handle.closed:
            return cast(io.BufferedReader, self._handle.buffer).tell()
        return self._progress

    def approximate_rows(self) -> int | None:
        """Data rows expected, for a progress bar (exact for small CSV files)."""
        return self._estimate

    def rows(self) -> Iterator[SourceRow]:
        """The data rows after the header row (bad input raises CallListFileError)."""
        return self._csv_rows() if self.kind == "csv" else self._xlsx_rows()

    # -- CSV

    def _open_text(self) -> io.TextIOWrapper:
        return open(self.path, encoding=self.encoding, newline="", errors="strict")

    def _records(self, fh: io.TextIOWrapper) -> Iterator[tuple[int, list[str]]]:
        """(start line, cells) for every CSV record; the EOF sentinel is not yielded."""
        reader = csv.reader(itertools.chain(fh, (_EOF,)), delimiter=cast(str, self.delimiter))
        prev = 0
        try:
            for rec in reader:
                start, prev = prev + 1, reader.line_num
                if rec and rec[-1].endswith(_EOF):
                    if len(rec) == 1 and rec[0] == _EOF:
                        return
                    raise self._error(
                        _("a quoted field is not closed before the end of the file"), start
                    )
                yield start, rec
        except csv.Error as e:
            if "field larger than field limit" in str(e):
                raise self._error(
                    _("a field is longer than {mb} MB (a quote that is never closed?)").format(
                        mb=FIELD_LIMIT // 2**20
                    ),
                    prev + 1,
                ) from None
            raise self._error(
                _("cannot read the CSV: {problem}").format(problem=e), prev + 1
            ) from None
        except UnicodeDecodeError:
            line, raw = _locate_decode_error(self.path, cast(str, self.encoding))
            raise self._error(
                _("bytes {bytes} are not valid {encoding}; pass the right --encoding").format(
                    bytes=raw.hex(" "), encoding=self.encoding
                ),
                line,
            ) from None

    def _csv_rows(self) -> Iterator[SourceRow]:
        fh = self._handle = self._open_text()
        pending: list[SourceRow] = []
        with fh:
            for start, rec in self._records(fh):
                if start <= self.header_line:
                    continue
                row = SourceRow(start, tuple(rec))
                if any(rec):
                    if pending:
                        yield from pending
                        pending.clear()
                    yield row
                else:  # held back: empty rows after the last non-empty one are not rows
                    pending.append(row)
                    if len(pending) >= 10_000:
                        yield from pending
                        pending.clear()
            self._progress = self.bytes_total
        self._handle = None

    def _setup_csv(self, head: bytes, encoding: str | None, delimiter: str | None) -> None:
        if encoding:
            try:
                self.encoding = codecs.lookup(encoding).name
            except LookupError:
                raise self._error(
                    _("unknown encoding {encoding!r}").format(encoding=encoding)
                ) from None
        else:
            self.encoding = codecs.lookup(_detect_encoding(self.path, head)).name
        with self._open_text() as fh:  # a sample: the first 40 non-blank lines, ≤ 256 KB
            lines, size, filled, eof = [], 0, 0, False
            while size < 4 * _SAMPLE and filled < 40:
                line = self._read_line(fh)
                if not line:
                    eof = True
                    break
                lines.append(line)
                size += len(line)
                filled += bool(line.strip())
        text = "".join(lines)
        if text.lstrip(" \t\r\n\ufeff")[:1] == "<" and re.search(
            r"<(html|table|\?xml|!doctype)", text[:2048], re.I
        ):
            raise self._error(
                _("an HTML/XML page, not a spreadsheet; open it in Excel and save as .xlsx or CSV")
            )
        if delimiter:
            delimiter = _DELIMITER_NAMES.get(delimiter.lower(), delimiter)
            if len(delimiter) != 1 or delimiter in '"\r\n':
                raise self._error(
                    _("bad delimiter {delimiter!r}: give one character").format(delimiter=delimiter)
                )
            self.delimiter = delimiter
        else:
            self.delimiter = _sniff_delimiter(text if eof else _whole_lines(text) or text)
        with self._open_text() as fh:
            records = self._records(fh)
            for start, rec in records:
                if any(c.strip() for c in rec):
                    self.header_line, self.headers = start, _clean_header(rec, start)
                    break
            else:
                raise self._error(_("the file is empty"))
            if eof:  # small file: count exactly (trailing empty rows excluded)
                count = last = 0
                for _line, rec in records:
                    count += 1
                    last = count if any(rec) else last
                self._estimate = last
        if not eof:  # a large file: estimate from the size of the sample's records
            whole = _whole_lines(text)
            sampled = sum(
                1 for _ in csv.reader(io.StringIO(whole, newline=""), delimiter=self.delimiter)
            )
            per_record = len(whole.encode(self.encoding)) / max(sampled, 1)
            self._estimate = max(round(self.bytes_total / per_record) - 1, 0)

    def _read_line(self, fh: io.TextIOWrapper) -> str:
        try:
            return fh.readline(FIELD_LIMIT)
        except UnicodeDecodeError:
            line, raw = _locate_decode_error(self.path, cast(str, self.encoding))
            raise self._error(
                _("bytes {bytes} are not valid {encoding}; pass the right --encoding").format(
                    bytes=raw.hex(" "), encoding=self.encoding
                ),
                line,
            ) from None

    # -- XLSX

    def _setup_xlsx(self, sheet: str | None, max_sheet_bytes: int = MAX_SHEET_BYTES) -> None:
        import openpyxl

        fh = self._fh = open(self.path, "rb")
        try:
            entries = zipfile.ZipFile(fh).infolist()
            names = [entry.filename for entry in entries]
            if "xl/workbook.xml" not in names:
                if "mimetype" in names:
                    raise self._error(_("an OpenDocument spreadsheet; save it as .xlsx or CSV"))
                raise self._error(
                    _("{problem}: a zip archive without a workbook").format(
                        problem=_(_NOT_A_WORKBOOK)
                    )
                )
            self._check_sizes(entries, max_sheet_bytes)
            fh.seek(0)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self._wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        except CallListFileError:
            raise
        except Exception as e:  # zipfile, XML and openpyxl errors alike
            raise self._error(
                _("not a readable .xlsx workbook ({problem})").format(problem=e)
            ) from None
        titles = [ws.title for ws in self._wb.worksheets]
        if not titles:
            raise self._error(_("the workbook has no worksheet"))
        if sheet is None:  # the first sheet a user sees
            sheet = next(
                (ws.title for ws in self._wb.worksheets if ws.sheet_state == "visible"), titles[0]
            )
        else:
            match = [t for t in titles if t == sheet] or [
                t for t in titles if t.casefold() == sheet.casefold()
            ]
            if not match:
                raise self._error(
                    _("no sheet {sheet!r}; sheets: {sheets}").format(
                        sheet=sheet, sheets=", ".join(repr(t) for t in titles)
                    )
                )
            sheet = match[0]
        self.sheet, self._ws = sheet, self._wb[sheet]
        max_row = self._ws.max_row
        self._ws.reset_dimensions()  # a wrong <dimension> must not cut rows off
        rows = self._sheet_rows()
        try:
            for n, values in rows:
                cells = self._cells(values, n)[0]
                if any(c.strip() for c in cells):
                    while cells and not cells[-1].strip():
                        cells.pop()
                    self.header_line, self.headers = n, _clean_header(cells, n)
                    break
            else:
                raise self._error(_("sheet {sheet!r} is empty").format(sheet=sheet))
        finally:
            rows.close()
        self._max_row = max_row
        self._estimate = max(max_row - self.header_line, 0) if max_row else None

    def _check_sizes(self, entries: list[zipfile.ZipInfo], limit: int) -> None:
        """Refuse, before unpacking anything, a sheet or shared strings bigger than `limit`
        unpacked (zipfile never unpacks more than an entry declares)."""
        for entry in entries:
            name = entry.filename
            if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml":
                if entry.file_size > limit:
                    raise self._error(
                        _(
                            "{name} unpacks to {size} MB, over the limit of {limit} MB "
                            "(--max-sheet-mb)"
                        ).format(name=name, size=entry.file_size // 2**20, limit=limit // 2**20)
                    )

    def _cells(self, values: tuple[Any, ...], line: int) -> tuple[list[str], list[int]]:
        cells, lossy = _xlsx_cells(values)
        if cells and max(map(len, cells)) > FIELD_LIMIT:  # the CSV limit: no call-list cell
            index = next(i for i, cell in enumerate(cells) if len(cell) > FIELD_LIMIT)
            raise CallListFileError(
                _("the cell is longer than {mb} MB").format(mb=FIELD_LIMIT // 2**20),
                path=self.path,
                line=line,
                field=_column_letter(index),
            )
        return cells, lossy

    def _sheet_rows(self) -> Generator[tuple[int, tuple[Any, ...]], None, None]:
        try:
            yield from enumerate(self._ws.iter_rows(values_only=True), 1)
        except Exception as e:
            raise self._error(
                _("cannot read sheet {sheet!r} ({problem})").format(sheet=self.sheet, problem=e)
            ) from None

    def _xlsx_rows(self) -> Iterator[SourceRow]:
        if self._ws is None:
            raise self._error(_("the file is closed"))
        width = len(self.headers)
        pending: list[SourceRow] = []
        self._progress = 0
        for n, values in self._sheet_rows():
            if n <= self.header_line:
                continue
            if self._max_row:
                self._progress = min(self.bytes_total * n // self._max_row, self.bytes_total)
            cells, lossy = self._cells(values, n)
            while len(cells) > width and not cells[-1]:
                cells.pop()
            cells.extend([""] * (width - len(cells)))
            row = SourceRow(n, tuple(cells), frozenset(lossy) if lossy else _NO_LOSS)
            if any(cells):
                if pending:
                    yield from pending
                    pending.clear()
                yield row
            else:
                pending.append(row)
                if len(pending) >= 10_000:
                    yield from pending
                    pending.clear()
        self._progress = self.bytes_total


def _whole_lines(text: str) -> str:
    return text[: max(text.rfind("\n"), text.rfind("\r")) + 1]


def _clean_header(cells: list[str], line: int) -> tuple[str, ...]:
    headers = tuple(c.strip(" \t\r\n\ufeff\xa0") for c in cells)
    for h in headers:
        if (
            _PHONE_LIKE.fullmatch(h)
            and sum(c.isdigit() for c in h) >= 7
            or _EMAIL_LIKE.fullmatch(h)
        ):
            raise CallListFileError(
                _(
                    "no header row (the first row holds data such as {cell!r}); add a row of "
                    "column names, such as 'Телефон'"
                ).format(cell=h),
                line=line,
            )
    return headers


_PHONE_LIKE = re.compile(r"\+?[\d\s().-]+")
_EMAIL_LIKE = re.compile(r"[^@\s]+@[^@\s]+\.\w+")


def _sniff_delimiter(text: str) -> str:
    """The delimiter giving the most consistent field count (> 1, and the header's) over the
    first 20 non-empty records, quotes honoured; ties go to ';' then ',', tab, '|'."""

    def score(d: str) -> tuple[bool, float, int]:
        records = csv.reader(io.StringIO(text, newline=""), delimiter=d)
        try:
            counts = [
                len(r)
                for r in itertools.islice(
                    (r for r in records if any(c.strip(_DELIMITERS + " ") for c in r)), 20
                )
            ]
        except csv.Error:
            counts = []
        if not counts:
            return False, 0.0, -_DELIMITERS.index(d)
        mode = max(set(counts), key=counts.count)
        return (
            mode > 1 and counts[0] == mode,
            counts.count(mode) / len(counts),
            -_DELIMITERS.index(d),
        )

    return max(_DELIMITERS, key=score)


def _column_letter(index: int) -> str:
    """Excel's name of the 0-based column `index`: A, …, Z, AA, …"""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def _xlsx_cells(values: tuple[Any, ...]) -> tuple[list[str], list[int]]:
    cells: list[str] = []
    lossy: list[int] = []
    for i, v in enumerate(values):
        if v is None:
            cells.append("")
        elif isinstance(v, str):
            cells.append(v)
        elif isinstance(v, bool):
            cells.append("TRUE" if v else "FALSE")
        elif isinstance(v, int):
            text = str(v)
            cells.append(text)
            if len(text.lstrip("-")) > 15:
                lossy.append(i)
        elif isinstance(v, float):
            text = repr(v)
            cells.append(text[:-2] if text.endswith(".0") else text)
            lossy.append(i)  # a phone typed as a number may have been rounded by Excel
        elif isinstance(v, dt.datetime):
            cells.append(
                v.date().isoformat()
                if v.time() == dt.time() and v.tzinfo is None
                else v.isoformat(sep=" ")
            )
        elif isinstance(v, (dt.date, dt.time)):
            cells.append(v.isoformat())
        else:
            cells.append(str(v))
    return cells, lossy


def open_call_list(
    path: Path | str,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_sheet_bytes: int = MAX_SHEET_BYTES,
) -> CallListFile:
    """Open a CSV or XLSX call list; raises CallListFileError for anything unreadable.

    `sheet` (XLSX only; default: the first visible sheet) is matched exactly, then ignoring
    case. `encoding` is any Python codec name; `delimiter` one character, or 'tab', 'comma',
    'semicolon', 'pipe'. Both are detected when not given, and ignored for XLSX.
    `max_sheet_bytes` caps what a sheet (or the shared strings) of an XLSX unpacks to."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            head = f.read(_SAMPLE)
    except FileNotFoundError:
        raise CallListFileError(_("no such file"), path=path) from None
    except IsADirectoryError:
        raise CallListFileError(_("is a directory, not a file"), path=path) from None
    except OSError as e:
        raise CallListFileError(
            _("cannot read: {problem}").format(problem=e.strerror or e), path=path
        ) from None
    if head.startswith(_OLE2):
        raise CallListFileError(
            _(
                "an old binary Excel workbook (.xls) or a password-protected one; save it as "
                ".xlsx or CSV"
            ),
            path=path,
        )
    is_zip = head.startswith(_ZIP)
    if not is_zip and path.suffix.lower() in _EXCEL_SUFFIXES:  # never read a workbook as CSV
        raise CallListFileError(_(_NOT_A_WORKBOOK), path=path)
    if not is_zip and len(head) < _SAMPLE and not head.strip(b" \t\r\n\x00"):
        raise CallListFileError(_("the file is empty"), path=path)
    result = CallListFile(path, "xlsx" if is_zip else "csv")
    try:
        if is_zip:
            result._setup_xlsx(sheet, max_sheet_bytes)
        else:
            result._setup_csv(head, encoding, delimiter)
    except CallListFileError as e:
        result.close()
        if e.path is None:
            e.path = path
        raise
    return result
