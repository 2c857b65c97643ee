"""The Russian numbering plan (Россвязь registry extracts): read its files, find a number's region.

The registry publishes ABC-3xx/4xx/8xx (fixed) and DEF-9xx (mobile) files with the columns
`АВС/ DEF;От;До;Емкость;Оператор;Регион;ИНН` (newer editions add columns). Pure stdlib.
"""

from __future__ import annotations

import codecs
import csv
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tmdesk.errors import TmdeskError
from tmdesk.i18n import _


@dataclass(frozen=True, slots=True)
class NumberRange:
    prefix: str  # the ABC/DEF code, e.g. '916'
    start: int  # first 7-digit subscriber number ('От')
    end: int  # last one, inclusive ('До')
    operator: str
    region: str


class PlanFormatError(TmdeskError, ValueError):
    """A numbering-plan file cannot be read; the message names the file, line and field."""


# Header names are matched after folding: the real files spell 'АВС' in Cyrillic, others in
# Latin, so Latin letters that look like Cyrillic ones are read as Cyrillic.
_LOOKALIKE = str.maketrans("abcehkmoptxy", "авсенкмортху")


def _fold(name: str) -> str:
    name = name.lower().replace("ё", "е").translate(_LOOKALIKE)
    return "".join(ch for ch in name if ch.isalpha())


_COLUMNS = {  # field -> accepted header names
    "prefix": ("АВС/ DEF", "ABC", "DEF", "Код"),
    "start": ("От", "From"),
    "end": ("До", "To"),
    "operator": ("Оператор", "Operator"),
    "region": ("Регион", "Region"),
}
_ACCEPTED = {field: {_fold(n) for n in names} for field, names in _COLUMNS.items()}


def _encoding(path: Path) -> str:
    """utf-8-sig, utf-8 or (what Russian-locale Excel writes) cp1251."""
    with path.open("rb") as file:
        if file.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
        file.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := file.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1251"
    return "utf-8"


def read_plan(
    path: Path | str, errors: list[tuple[int, str]] | None = None
) -> Iterator[NumberRange]:
    """Stream the ranges of one registry file.

    A bad row raises PlanFormatError, or, when `errors` is a list, is appended to it as
    (line, reason) and skipped. A header without the needed columns always raises.
    """
    path = Path(path)
    with path.open(encoding=_encoding(path), newline="") as file:
        first = file.readline()
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        header = next(csv.reader([first], delimiter=delimiter), [])
        index: dict[str, int] = {}
        for i, name in enumerate(header):
            for field, accepted in _ACCEPTED.items():
                if _fold(name) in accepted:
                    index.setdefault(field, i)
        if missing := [_COLUMNS[f][0] for f in _COLUMNS if f not in index]:
            raise PlanFormatError(
                _("{path}: line 1: no column {columns} in the header {header!r}").format(
                    path=path, columns=", ".join(missing), header=first.strip()
                )
            )
        names = {field: header[i].strip() for field, i in index.items()}
        width = max(index.values()) + 1
        reader = csv.reader(file, delimiter=delimiter)
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            line = reader.line_num + 1  # the header was read before the reader started
            try:
                found = _parse_row(row, index, names, width)
            except _RowError as error:
                if errors is None:
                    raise PlanFormatError(
                        _("{path}: line {line}: {problem}").format(
                            path=path, line=line, problem=error
                        )
                    ) from None
                errors.append((line, str(error)))
                continue
            yield found


class _RowError(Exception):
    pass


def _parse_row(
    row: list[str], index: dict[str, int], names: dict[str, str], width: int
) -> NumberRange:
    if len(row) < width:
        raise _RowError(
            _("expected at least {width} fields, found {found}").format(width=width, found=len(row))
        )
    cell = {field: row[i].strip() for field, i in index.items()}
    prefix = cell["prefix"]
    if not (len(prefix) == 3 and prefix.isascii() and prefix.isdigit()):
        raise _RowError(
            _("field {field!r}: {value!r} is not a 3-digit code").format(
                field=names["prefix"], value=prefix
            )
        )
    bounds = []
    for field in ("start", "end"):
        text = cell[field]
        if not (text.isascii() and text.isdigit() and int(text) <= 9_999_999):
            raise _RowError(
                _("field {field!r}: {value!r} is not a 7-digit number").format(
                    field=names[field], value=text
                )
            )
        bounds.append(int(text))
    if bounds[0] > bounds[1]:
        raise _RowError(
            _("field {field!r}: {end} is before {start}").format(
                field=names["end"], end=bounds[1], start=bounds[0]
            )
        )
    if not cell["region"]:
        raise _RowError(_("field {field!r}: empty").format(field=names["region"]))
    return NumberRange(prefix, bounds[0], bounds[1], cell["operator"], cell["region"])


class NumberingPlan:
    """Ranges by code, each code's ranges sorted by start: a lookup is one bisect."""

    def __init__(self, ranges: Iterable[NumberRange]):
        by_prefix: dict[str, list[NumberRange]] = defaultdict(list)
        for number_range in ranges:
            by_prefix[number_range.prefix].append(number_range)
        self._ranges = {p: sorted(rs, key=lambda r: r.start) for p, rs in by_prefix.items()}
        self._starts = {p: [r.start for r in rs] for p, rs in self._ranges.items()}
        self._count = sum(map(len, self._ranges.values()))

    @classmethod
    def from_files(cls, *paths: Path | str) -> NumberingPlan:
        return cls(r for path in paths for r in read_plan(path))

    def range_for(self, e164: str) -> NumberRange | None:
        """The range holding a '+7' + 10-digit number, or None."""
        digits = e164[2:]
        if len(e164) != 12 or e164[:2] != "+7" or not (digits.isascii() and digits.isdigit()):
            return None
        starts = self._starts.get(e164[2:5])
        if starts is None:
            return None
        subscriber = int(e164[5:])
        i = bisect_right(starts, subscriber) - 1
        if i >= 0 and subscriber <= (found := self._ranges[e164[2:5]][i]).end:
            return found
        return None

    def region_for(self, e164: str) -> str | None:
        found = self.range_for(e164)
        return found.region if found else None

    def __len__(self) -> int:
        return self._count
