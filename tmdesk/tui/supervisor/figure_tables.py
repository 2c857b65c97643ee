"""The figures screen's tables: per agent (and the total) and the call lists' progress,
their columns and cells, and what they leave out on an 80-column terminal."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

from tmdesk.i18n import _, pgettext
from tmdesk.tui.desk.queue_table import clip
from tmdesk.tui.fit_columns import fit_rows, narrow
from tmdesk.tui.supervisor.display import (
    clock_in,
    handle_time,
    list_status_label,
    percent,
    ratio,
)

# Under 100 columns (an 80×24 terminal) the tables leave these out, so the rest fit without
# scrolling sideways, in Russian's longer words too; a wider terminal shows them again.
# The agents keep who, calls, reached, contact rate, qualified, not fit, meetings and
# handle time.
AGENT_NARROW_LEFT_OUT = frozenset({"nurture", "per_reached", "first", "last", "talk", "ring"})
# the lists: the script (the call lists screen has it), the exhausted and invalid counts
LIST_NARROW_LEFT_OUT = frozenset({"script", "exhausted", "invalid"})


def number(value: int, *, bold: bool = False) -> Text:
    return Text(str(value), justify="right", style="bold" if bold else "")


def right(text: str, *, bold: bool = False) -> Text:
    return Text(text, justify="right", style="bold" if bold else "")


def agent_cells(
    figures, zone: str, *, several_days: bool, total: bool = False, phone: bool = False
) -> list[Text]:
    """One row of the agents table (Text cells: a str cell would be read as markup).
    `phone`: the talk and ring time of the calls through the PBX too."""
    name = _("Total") if total else figures.name or figures.login
    cells = [
        Text(clip(name, 18), style="bold" if total else ""),
        number(figures.calls, bold=total),
        number(figures.reached, bold=total),
        right(percent(figures.contact_rate), bold=total),
        number(figures.qualified, bold=total),
        number(figures.not_fit, bold=total),
        number(figures.nurture, bold=total),
        number(figures.meetings, bold=total),
        right(ratio(figures.meetings_per_reached), bold=total),
        right(handle_time(figures.avg_handle_seconds), bold=total),
        right(clock_in(figures.first_call, zone, with_day=several_days), bold=total),
        right(clock_in(figures.last_call, zone, with_day=several_days), bold=total),
    ]
    if phone:
        cells.append(right(handle_time(figures.talk_seconds), bold=total))
        cells.append(right(handle_time(figures.ring_seconds), bold=total))
    return cells


def agent_columns(phone: bool = False) -> list[tuple[str, str]]:
    # short headings: twelve columns and two day-and-time ones fit in 120 columns
    columns = [
        ("agent", _("Agent")),
        ("calls", _("Calls")),
        ("reached", _("Reached")),
        ("rate", pgettext("contact rate", "Contact")),  # not the lead's contact person
        ("qualified", _("Qualif.")),
        ("not_fit", _("Not fit")),
        ("nurture", _("Nurture")),
        ("meetings", _("Mtgs")),
        ("per_reached", _("Mtg/rch")),
        ("handle", _("Handle")),
        ("first", _("First")),
        ("last", _("Last")),
    ]
    if phone:  # the office dials through the PBX
        columns += [("talk", _("Talk")), ("ring", _("Ring"))]
    return columns


def list_columns() -> list[tuple[str, str]]:
    return [
        ("name", _("List")),
        ("status", _("Status")),
        ("priority", _("Priority")),
        ("script", _("Script")),
        ("total", _("Leads")),
        ("remaining", _("Remaining")),
        ("due", _("Due now")),
        ("callbacks", _("Callbacks")),
        ("exhausted", _("Exhausted")),
        ("invalid", _("Invalid")),
    ]


def fill_table(
    table: DataTable, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Text]]
) -> None:
    """New columns sized to their headings and these rows, then the rows. DataTable would
    measure new rows only when idle, so a busy moment could paint a range's day-and-time
    cells cut to the width of the day before."""
    table.clear(columns=True)
    for index, (key, heading) in enumerate(columns):
        width = max([cell_len(heading), *(row[index].cell_len for row in rows)])
        table.add_column(heading, key=key, width=width)
    for row in rows:
        table.add_row(*row)


def for_width(
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[Text]],
    width: int,
    left_out: frozenset[str],
    shrink: str,
) -> tuple[list[tuple[str, str]], list[list[Text]]]:
    """The columns and rows for a terminal `width` wide: under 100 columns without those
    `left_out`, and the names of the `shrink` column cut to fit ("…")."""
    if not narrow(width):
        return list(columns), [list(row) for row in rows]
    keep = [index for index, (key, _heading) in enumerate(columns) if key not in left_out]
    shown = [columns[index] for index in keep]
    cells = [[row[index] for index in keep] for row in rows]
    headings = [heading for _key, heading in shown]
    return shown, fit_rows(headings, cells, [key == shrink for key, _h in shown], width)


def list_cells(progress) -> list[Text]:
    return [
        Text(clip(progress.name, 30)),
        Text(list_status_label(progress.status)),
        number(progress.priority),
        Text(clip(progress.script_key or _("default"), 14)),
        number(progress.total),
        number(progress.remaining),
        number(progress.due_now),
        number(progress.callbacks),
        number(progress.exhausted),
        number(progress.invalid),
    ]
