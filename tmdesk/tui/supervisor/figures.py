"""Figures: per agent and in total for a day or a range of days, the conversion funnel,
dispositions by hour and by agent as charts, and the call lists' progress.

Everything is read by one thread worker (services.reports) while the screen shows a
loading state; the answer of an older request (the supervisor pressed ← twice) is
dropped. Days are the supervisor's own (their time zone).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker
from textual_plotext import PlotextPlot

from tmdesk.i18n import N_, _, pgettext
from tmdesk.tui.desk.queue_table import clip
from tmdesk.tui.supervisor.charts import (
    draw_stacked_bars,
    funnel_content,
    legend,
    qualified_note,
)
from tmdesk.tui.supervisor.dialogs import Field, FormDialog
from tmdesk.tui.supervisor.display import (
    NONE,
    clock_in,
    handle_time,
    list_status_label,
    parse_day,
    percent,
    range_label,
    ratio,
)
from tmdesk.tui.supervisor.keys import FittingFooter, supervisor_bindings
from tmdesk.tui.supervisor.work import list_progress, report
from tmdesk.tui.work import UserInfo, today

if TYPE_CHECKING:
    from tmdesk.tui.supervisor.work import Report

MOST_AGENTS_CHARTED = 12  # the by-agent chart has room for this many bars


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


class FiguresScreen(FittingFooter):
    """A day's (or a range's) figures; ←/→ move by the range's length, t is today."""

    NARROW_HIDDEN = frozenset({"refresh"})

    BINDINGS = [
        Binding("escape", "back", N_("Back"), tooltip=N_("Back to the workspace.")),
        *supervisor_bindings(
            "figures-previous-day", "figures-next-day", "figures-today", "figures-range", "refresh"
        ),
    ]

    @property
    def phone(self) -> bool:
        """Talk and ring time columns, when the office dials through the PBX."""
        return self.desk.settings.telephony.through_service

    @dataclass
    class Loaded(Message):
        """The figures of the range."""

        request: int
        report: Report

    @dataclass
    class ListsLoaded(Message):
        """The lists' progress (read after the figures: it counts every lead)."""

        request: int
        lists: tuple

    def __init__(self, supervisor: UserInfo) -> None:
        super().__init__()
        self.supervisor = supervisor
        self.zone = supervisor.time_zone
        self.start: date | None = None
        self.end: date | None = None
        self.shown: Report | None = None  # the Report on screen
        self._request = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="figures-title")
        with VerticalScroll(id="figures-body"):
            yield DataTable(id="figures-agents", cursor_type="none", zebra_stripes=True)
            yield Static("", id="figures-no-calls")
            with Horizontal(id="figures-charts"):
                with Vertical(id="figures-funnel-box", classes="figures-panel"):
                    yield Static(Content(_("Funnel")), classes="panel-title")
                    yield Static("", id="figures-funnel")
                    yield Static("", id="figures-qualified-note")
                with Vertical(classes="figures-panel figures-chart-box"):
                    yield Static(Content(_("Calls by hour")), classes="panel-title")
                    yield PlotextPlot(id="chart-hours", classes="figures-chart")
                with Vertical(classes="figures-panel figures-chart-box"):
                    yield Static(Content(_("Calls by agent")), classes="panel-title")
                    yield PlotextPlot(id="chart-agents", classes="figures-chart")
            yield Static(legend(), id="figures-legend")
            yield Static(Content(_("Call lists")), classes="panel-title", id="figures-lists-title")
            yield DataTable(id="figures-lists", cursor_type="none", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        agents = self.query_one("#figures-agents", DataTable)
        fill_table(agents, agent_columns(self.phone), [])
        lists = self.query_one("#figures-lists", DataTable)
        fill_table(lists, list_columns(), [])
        self.query_one("#figures-no-calls", Static).display = False
        # the tables have nothing to pick: the arrows and PageUp/PageDown scroll the page
        for table in (agents, lists):
            table.can_focus = False
        self.query_one("#figures-body").focus()
        self.action_today()

    # --- reading ---------------------------------------------------------------------------

    def show_range(self, start: date, end: date) -> None:
        self.start, self.end = start, end
        self._request += 1
        self.query_one("#figures-title", Static).update(
            Content(
                _("Figures · {range} · {zone} · reading…").format(
                    range=range_label(start, end), zone=self.zone
                )
            )
        )
        self.query_one("#figures-body").loading = True
        self.query_one("#figures-lists", DataTable).loading = True
        self.read_figures(self._request, start, end, self.desk.clock())

    @work(thread=True, exclusive=True, group="figures", exit_on_error=False)
    def read_figures(self, request: int, start: date, end: date, now: datetime) -> None:
        self.post_message(self.Loaded(request, report(start, end, time_zone=self.zone, now=now)))
        # after the figures, in a worker of its own: it counts every lead
        self.app.call_from_thread(self.read_lists, request, now)

    @work(thread=True, exclusive=True, group="lists", exit_on_error=False)
    def read_lists(self, request: int, now: datetime) -> None:
        self.post_message(self.ListsLoaded(request, list_progress(self.desk.settings, now=now)))

    def on_figures_screen_loaded(self, message: Loaded) -> None:
        if message.request != self._request:
            return
        report = message.report
        self.shown = report
        several_days = report.start != report.end
        self.query_one("#figures-title", Static).update(
            Content(
                _("Figures · {range} · {zone}").format(
                    range=range_label(report.start, report.end), zone=self.zone
                )
            )
        )
        agents = self.query_one("#figures-agents", DataTable)
        rows = [
            agent_cells(figures, self.zone, several_days=several_days, phone=self.phone)
            for figures in report.agents
        ]
        rows.append(
            agent_cells(
                report.totals, self.zone, several_days=several_days, total=True, phone=self.phone
            )
        )
        fill_table(agents, agent_columns(self.phone), rows)
        no_calls = self.query_one("#figures-no-calls", Static)
        no_calls.update(Content(_("No calls recorded on these days.")))
        no_calls.display = report.totals.calls == 0
        for selector in ("#figures-charts", "#figures-legend"):
            self.query_one(selector).display = report.totals.calls > 0
        funnel = report.funnel
        self.query_one("#figures-funnel", Static).update(
            funnel_content(
                [
                    (_("Dialled"), funnel.dialled),
                    (_("Reached"), funnel.reached),
                    (_("Fit"), funnel.fit),
                    (_("Actual"), funnel.actual),
                    (_("Meetings"), funnel.meetings),
                ]
            )
        )
        self.query_one("#figures-qualified-note", Static).update(
            qualified_note(report.totals.qualified, funnel.actual, funnel.unknown, funnel.returned)
        )
        # from the first hour with calls to the last (a range lists all 24 hours)
        busy = [hour for hour, counts in report.by_hour if sum(counts.values())]
        hours = [
            (f"{hour:02d}", counts)
            for hour, counts in report.by_hour
            if busy and busy[0] <= hour <= busy[-1]
        ]
        draw_stacked_bars(
            self.query_one("#chart-hours", PlotextPlot),
            [label for label, _c in hours],
            [c for _label, c in hours],
        )
        # the busiest agents, top down (plotext draws horizontal bars bottom up)
        by_agent = sorted(report.by_agent, key=lambda item: -sum(item[1].values()))
        by_agent = list(reversed(by_agent[:MOST_AGENTS_CHARTED]))
        draw_stacked_bars(
            self.query_one("#chart-agents", PlotextPlot),
            [clip(login, 10) for login, _c in by_agent],
            [c for _login, c in by_agent],
            horizontal=True,
        )
        self.query_one("#figures-body").loading = False

    def on_figures_screen_lists_loaded(self, message: ListsLoaded) -> None:
        if message.request != self._request:
            return
        lists = self.query_one("#figures-lists", DataTable)
        lists.loading = False
        rows = [list_cells(progress) for progress in message.lists]
        if not rows:
            rows.append([Text(_("No call lists yet.")), *(Text(NONE) for _i in range(9))])
        fill_table(lists, list_columns(), rows)

    def work_failed(self, worker: Worker) -> None:
        self.query_one("#figures-body").loading = False
        self.query_one("#figures-lists", DataTable).loading = False
        self.query_one("#figures-title", Static).update(
            Content(
                _("The figures could not be read. Press {key} to try again.").format(
                    key=self.desk.keymap["refresh"]
                )
            )
        )

    # --- keys ------------------------------------------------------------------------------

    def action_today(self) -> None:
        day = today(self.zone, self.desk.clock())
        self.show_range(day, day)

    def action_move_days(self, step: int) -> None:
        if self.start is None or self.end is None:
            return
        span = timedelta(days=(self.end - self.start).days + 1)
        start, end = self.start + step * span, self.end + step * span
        if start > today(self.zone, self.desk.clock()):
            self.notify(_("No figures for days to come."), severity="warning", markup=False)
            return
        self.show_range(start, end)

    def action_refresh(self) -> None:
        if self.start is not None and self.end is not None:
            self.show_range(self.start, self.end)

    def action_pick_range(self) -> None:
        start = self.start or today(self.zone, self.desk.clock())
        end = self.end or start

        def check(values: dict[str, str]) -> str | None:
            try:
                first, last = parse_day(values["from"]), parse_day(values["to"])
            except ValueError as error:
                return str(error)
            if last < first:
                return _("The last day comes before the first.")
            if (last - first).days > 366:
                return _("At most a year at a time.")
            return None

        def chosen(values: dict[str, str] | None) -> None:
            if values:
                self.show_range(parse_day(values["from"]), parse_day(values["to"]))

        self.app.push_screen(
            FormDialog(
                _("Figures for a range of days (yours: {zone})").format(zone=self.zone),
                [
                    Field("from", _("From:"), start.isoformat(), "2026-11-01", required=True),
                    Field("to", _("To (inclusive):"), end.isoformat(), "2026-11-30", required=True),
                ],
                hint=_(
                    "Dates like 2026-11-25 or 25.11.2026 · Enter: next field, then show · "
                    "Esc: cancel"
                ),
                check=check,
                dialog_id="range-dialog",
            ),
            chosen,
        )

    def action_back(self) -> None:
        self.app.pop_screen()
