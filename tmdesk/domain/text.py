"""Text from files and forms, shown in one line."""

from __future__ import annotations


def one_line(text: object) -> str:
    """`text` with every run of whitespace (newlines and tabs from a file too) as one space:
    a cell of a call list may hold a whole paragraph, and a table row or a title may not."""
    return " ".join(str(text).split())
