"""Figures: per agent and in total for a day or a range of days, the conversion funnel,
dispositions by hour and by agent as charts, and the call lists' progress.

Everything is read by one thread worker (services.reports) while the screen shows a
loading state; the answer of an older request (the supervisor pressed ← twice) is
dropped. Days are the supervisor's own (their time zone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

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

from tmdesk.i18n import N_, _
from tmdesk.tui.desk.queue_table import clip
from tmdesk.tui.fit_columns import narrow
from tmdesk.tui.supervisor.charts import (
    draw_stacked_bars,
    funnel_content,
    legend,
    qualified_note,
)
from tmdesk.tui.supervisor.dialogs import Field, FormDialog
from tmdesk.tui.supervisor.display import (
    NONE,
    parse_day,
    range_label,
)
from tmdesk.tui.supervisor.figure_tables import (
    AGENT_NARROW_LEFT_OUT,
    LIST_NARROW_LEFT_OUT,
    agent_cells,
    agent_columns,
    fill_table,
    for_width,
    list_cells,
    list_columns,
)
from tmdesk.tui.supervisor.keys import FittingFooter, supervisor_bindings
from tmdesk.tui.supervisor.work import list_progress, report
from tmdesk.tui.work import UserInfo, today

if TYPE_CHECKING:
    from tmdesk.tui.supervisor.work import Report

MOST_AGENTS_CHARTED = 12  # the by-agent chart has room for this many bars


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
        self._agent_rows: list[list[Text]] = []  # the tables' rows, every column
        self._list_rows: list[list[Text]] = []
        self._shown_width = 0  # the terminal's width the tables were made for
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

    def show_agents(self) -> None:
        columns, rows = for_width(
            agent_columns(self.phone),
            self._agent_rows,
            self.app.size.width,
            AGENT_NARROW_LEFT_OUT,
            shrink="agent",
        )
        fill_table(self.query_one("#figures-agents", DataTable), columns, rows)
        self._shown_width = self.app.size.width

    def show_lists(self) -> None:
        columns, rows = for_width(
            list_columns(), self._list_rows, self.app.size.width, LIST_NARROW_LEFT_OUT, "name"
        )
        fill_table(self.query_one("#figures-lists", DataTable), columns, rows)

    def on_resize(self) -> None:
        # (FittingFooter's on_resize runs too.) Narrow or wide, or another narrow width:
        # the tables' columns and cuts for it.
        width = self.app.size.width
        if width != self._shown_width and (narrow(width) or narrow(self._shown_width)):
            self.show_agents()
            self.show_lists()

    def on_mount(self) -> None:
        agents = self.query_one("#figures-agents", DataTable)
        lists = self.query_one("#figures-lists", DataTable)
        self.show_agents()
        self.show_lists()
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
        rows = [
            agent_cells(figures, self.zone, several_days=several_days, phone=self.phone)
            for figures in report.agents
        ]
        rows.append(
            agent_cells(
                report.totals, self.zone, several_days=several_days, total=True, phone=self.phone
            )
        )
        self._agent_rows = rows
        self.show_agents()
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
        self._list_rows = rows
        self.show_lists()

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
