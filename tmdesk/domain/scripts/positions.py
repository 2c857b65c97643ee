"""Where each key and value of a TOML document is written: tomllib gives no positions.

`Positions(text)` scans a document that tomllib has already accepted and maps every path
(`("sections", 0, "questions", 2, "show_if", "question")`, array elements by index) to its
line. `line(path)` falls back to the closest enclosing path that is written down, so a key
that is missing from a question is reported on the question's `[[sections.questions]]`
header. The scanner never raises: on anything unexpected it keeps what it found so far.
"""

from __future__ import annotations

import bisect
import re

Path = tuple[str | int, ...]

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_WS = " \t"
_SCALAR = re.compile(r"[^,\]}\r\n#]*")


class Positions:
    def __init__(self, text: str):
        self.text = text
        self.lines: dict[Path, int] = {}
        self.spans: dict[Path, tuple[int, int]] = {}  # value path → source offsets
        self._starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        try:
            _Scanner(self).document()
        except (IndexError, ValueError):  # pragma: no cover - tomllib accepted the text
            pass

    def line_at(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)

    def line(self, path: Path) -> int:
        """The line of `path`, else of its closest written ancestor, else 1."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1

    def line_of_text(self, path: Path, needle: str) -> int:
        """The line where `needle` occurs inside the value at `path` (e.g. a placeholder in
        a multi-line string), else the line of the path."""
        span = self.spans.get(tuple(path))
        if span is not None:
            found = self.text.find(needle, span[0], span[1])
            if found >= 0:
                return self.line_at(found)
        return self.line(path)


class _Scanner:
    def __init__(self, positions: Positions):
        self.p = positions
        self.text = positions.text
        self.i = 0
        self.arrays: dict[Path, int] = {}  # array-of-tables path → elements so far

    # -- helpers --------------------------------------------------------------------------

    def skip(self, newlines: bool) -> None:
        text, n = self.text, len(self.text)
        while self.i < n:
            c = text[self.i]
            if c in _WS or (newlines and c in "\r\n"):
                self.i += 1
            elif c == "#":
                end = text.find("\n", self.i)
                self.i = n if end < 0 else end
            else:
                return

    def mark(self, path: Path, offset: int) -> None:
        self.p.lines.setdefault(path, self.p.line_at(offset))

    def key(self) -> list[str]:
        parts = []
        while True:
            self.skip(False)
            c = self.text[self.i]
            if c in "\"'":
                parts.append(self.string())
            else:
                match = _BARE.match(self.text, self.i)
                if not match:
                    raise ValueError(self.i)
                parts.append(match.group())
                self.i = match.end()
            self.skip(False)
            if self.i < len(self.text) and self.text[self.i] == ".":
                self.i += 1
                continue
            return parts

    def string(self) -> str:
        """Consume a string of any kind; returns its content (escapes left as written)."""
        text = self.text
        for quote in ('"""', "'''"):
            if text.startswith(quote, self.i):
                start = j = self.i + 3
                while True:
                    j = text.index(quote, j)
                    if quote == '"""' and _escaped(text, j):
                        j += 1
                        continue
                    break
                end = j
                while end < len(text) and text[end] == quote[0]:
                    end += 1  # up to two quotes may end the content: """a"""""
                self.i = end
                return text[start : end - 3]
        quote = text[self.i]
        j = self.i + 1
        while True:
            j = text.index(quote, j)
            if quote == '"' and _escaped(text, j):
                j += 1
                continue
            break
        content = text[self.i + 1 : j]
        self.i = j + 1
        return content

    # -- grammar --------------------------------------------------------------------------

    def document(self) -> None:
        table: Path = ()
        n = len(self.text)
        while True:
            self.skip(True)
            if self.i >= n:
                return
            start = self.i
            if self.text[self.i] == "[":
                array = self.text.startswith("[[", self.i)
                self.i += 2 if array else 1
                parts = self.key()
                self.skip(False)
                self.i += 2 if array else 1
                table = self.resolve(parts, array)
                if array:
                    self.mark(table[:-1], start)
                self.mark(table, start)
            else:
                self.pair(table)
            self.skip(False)

    def resolve(self, parts: list[str], array: bool) -> Path:
        path: Path = ()
        for index, part in enumerate(parts):
            path = (*path, part)
            if index < len(parts) - 1 and path in self.arrays:
                path = (*path, self.arrays[path] - 1)
        if array:
            count = self.arrays.get(path, 0)
            self.arrays[path] = count + 1
            path = (*path, count)
        return path

    def pair(self, table: Path) -> None:
        start = self.i
        parts = self.key()
        path = (*table, *parts)
        for depth in range(len(table) + 1, len(path) + 1):
            self.mark(path[:depth], start)
        self.skip(False)
        if self.text[self.i] != "=":
            raise ValueError(self.i)
        self.i += 1
        self.skip(False)
        self.value(path)

    def value(self, path: Path) -> None:
        start = self.i
        self.mark(path, start)
        c = self.text[self.i]
        if c in "\"'":
            self.string()
        elif c == "[":
            self.i += 1
            index = 0
            while True:
                self.skip(True)
                if self.text[self.i] == "]":
                    self.i += 1
                    break
                self.value((*path, index))
                self.skip(True)
                if self.text[self.i] == ",":
                    self.i += 1
                    index += 1
        elif c == "{":
            self.i += 1
            while True:
                self.skip(False)
                if self.text[self.i] == "}":
                    self.i += 1
                    break
                self.pair(path)
                self.skip(False)
                if self.text[self.i] == ",":
                    self.i += 1
        else:  # number, bool, date and time: up to the next delimiter
            match = _SCALAR.match(self.text, self.i)
            assert match is not None  # the pattern matches the empty string too
            self.i = match.end()
        self.p.spans.setdefault(path, (start, self.i))


def _escaped(text: str, j: int) -> bool:
    """Whether the quote at j is escaped by an odd run of backslashes."""
    k = j - 1
    while k >= 0 and text[k] == "\\":
        k -= 1
    return (j - 1 - k) % 2 == 1
