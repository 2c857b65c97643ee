"""Tables that fit a narrow terminal without scrolling sideways: below NARROW_COLUMNS a
table leaves out the columns it can spare, and cuts the long texts of the columns it may
shorten (with "…") to the width that is left; the row's detail or a wider terminal shows
them whole."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text

NARROW_COLUMNS = 100  # below it a table leaves out what it can spare (an 80×24 terminal)
SCROLLBAR = 2  # a table's vertical scrollbar: kept free, as a longer page brings it
CELL_PADDING = 2  # DataTable's one cell of padding each side of a column


def narrow(width: int) -> bool:
    return width < NARROW_COLUMNS


def clip(text: str, width: int) -> str:
    """One line of at most `width` cells, cut with "…"."""
    text = " ".join(text.split())  # a cell is one line: newlines and tabs from the file
    if cell_len(text) <= width:
        return text
    while text and cell_len(text) > width - 1:
        text = text[:-1]
    return text + "…"


def fit_widths(natural: Sequence[int], least: Sequence[int], room: int) -> list[int]:
    """Column widths within `room` cells: the widest column that may still shrink (above
    its `least`) gives up a cell, then the next widest, so no one column is cut to nothing
    while another keeps its full length. Columns whose least is their natural width keep
    it; when even the least widths do not fit, they are what is returned."""
    widths = list(natural)
    while sum(widths) > room:
        shrinkable = [i for i, width in enumerate(widths) if width > least[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def fit_rows(
    headings: Sequence[str],
    rows: Sequence[Sequence[Text]],
    shrink: Sequence[bool],
    width: int,
) -> list[list[Text]]:
    """The rows with the cells of the `shrink` columns cut so that every column fits in
    `width` cells (a table as wide as the terminal, its scrollbar kept free). A shrinking
    column keeps at least its heading's width."""
    natural = [
        max([cell_len(heading), *(row[index].cell_len for row in rows)])
        for index, heading in enumerate(headings)
    ]
    least = [
        cell_len(heading) if shrinks else full
        for heading, shrinks, full in zip(headings, shrink, natural, strict=True)
    ]
    room = width - SCROLLBAR - CELL_PADDING * len(headings)
    widths = fit_widths(natural, least, room)
    return [
        [
            cell
            if cell.cell_len <= cut
            else Text(clip(cell.plain, cut), style=cell.style, justify=cell.justify)
            for cell, cut in zip(row, widths, strict=True)
        ]
        for row in rows
    ]
