"""Cutting a table's long texts to fit a narrow terminal (tmdesk.tui.fit_columns)."""

from __future__ import annotations

from rich.text import Text

from tmdesk.tui.fit_columns import clip, fit_rows, fit_widths


def test_the_widest_column_gives_way_first_and_none_below_its_least():
    assert fit_widths([14, 40, 30], [14, 12, 8], 60) == [14, 23, 23]
    assert fit_widths([14, 40, 30], [14, 12, 8], 100) == [14, 40, 30]
    # too narrow even for the least widths: those, and no lower
    assert fit_widths([14, 40, 30], [14, 12, 8], 10) == [14, 12, 8]


def test_rows_are_cut_to_the_terminal_with_room_for_the_scrollbar():
    rows = [
        [Text("Ср 25.11 10:00"), Text("Перезвонить после тендера, спросить про объёмы")],
        [Text("Пт 27.11 11:00", style="bold"), Text("нет")],
    ]
    fitted = fit_rows(["Когда", "Договорились"], rows, [False, True], 40)
    # 40 cells: 2 for the scrollbar, 2 of padding per column, 14 for the time
    assert [cell.plain for cell in fitted[0]] == ["Ср 25.11 10:00", "Перезвонить после т…"]
    assert fitted[0][1].cell_len == 40 - 2 - 4 - 14
    assert fitted[1][0].style == "bold" and fitted[1][1].plain == "нет"


def test_a_cut_text_is_one_line_ending_in_an_ellipsis():
    assert clip("ООО\n«Ромашка»", 20) == "ООО «Ромашка»"
    assert clip("Общество с ограниченной ответственностью", 10) == "Общество …"
