"""The booking panel's right column: one week of the shown specialist (title, legend, grid),
turned with keys or by moving past the grid's edge, never beyond the weeks with free time.
Picking a cell is the grid's own DataTable.CellSelected; the screen decides what it means."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from tmdesk.i18n import _
from tmdesk.tui.booking.display import WeekGrid, grid_legend, week_grid, week_of, week_title
from tmdesk.tui.booking.week_grid import WeekTable
from tmdesk.tui.booking.work import Availability


@dataclass(frozen=True)
class WeekSetting:
    """What the week needs to know beside the free time: zones, steps, horizon, keys."""

    agent_zone: str
    lead_zone: str | None
    step: timedelta
    horizon: timedelta
    moving: int | None  # the booked meeting being moved (its cells marked)
    turn_keys: tuple[str, str]  # previous / next week


class WeekView(Vertical):
    """Shows `week` of `free`; `grid` is what the table shows, cell by cell."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.free: Availability | None = None
        self.name_shown = ""
        self.setting: WeekSetting | None = None
        self.week: date | None = None
        self.grid: WeekGrid | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="week-title", classes="booking-title")
        yield Static("", id="week-legend")
        yield WeekTable(id="week-grid")

    def reset(self) -> None:
        """Empty, for another lead."""
        self.free, self.name_shown, self.setting, self.week, self.grid = None, "", None, None, None
        self.query_one("#week-title", Static).update("")
        self.query_one("#week-legend", Static).update("")
        table = self.query_one("#week-grid", WeekTable)
        table.grid = None
        table.clear(columns=True)

    def show_free(
        self, free: Availability, name: str, setting: WeekSetting, *, from_start: bool
    ) -> None:
        """A specialist's free time; `from_start`: on the week of their first free slot
        (else the week shown stays)."""
        self.free, self.name_shown, self.setting = free, name, setting
        if from_start or self.week is None:
            first = free.slots[0].starts_at if free.slots else free.read_at
            self.week = week_of(first, setting.agent_zone)
        self.show()

    def show(self, *, turned: int = 0) -> None:
        free, setting = self.free, self.setting
        if free is None or setting is None or self.week is None:
            return
        grid = self.grid = week_grid(
            self.week,
            free.slots,
            free.meetings,
            setting.agent_zone,
            step=setting.step,
            this_meeting=setting.moving,
        )
        back, on_ = setting.turn_keys
        self.query_one("#week-title", Static).update(
            Content(
                _("{week} · {name} · {back} ◀ ▶ {on}").format(
                    week=week_title(grid.monday), name=self.name_shown, back=back, on=on_
                )
            )
        )
        moment = datetime.combine(grid.monday, datetime.min.time(), ZoneInfo(setting.agent_zone))
        legend = grid_legend(
            setting.agent_zone, setting.lead_zone, moment, moving=setting.moving is not None
        )
        if not grid.times:
            legend = _("No free time this week.") + " " + legend
        self.query_one("#week-legend", Static).update(Content(legend))
        self.query_one("#week-grid", WeekTable).show(
            grid, setting.agent_zone, setting.lead_zone, turned=turned
        )

    def bounds(self) -> tuple[date, date] | None:
        """The first week (now) and the last with free time offered (the horizon)."""
        free, setting = self.free, self.setting
        if free is None or setting is None:
            return None
        last = max([free.read_at + setting.horizon] + [slot.starts_at for slot in free.slots[-1:]])
        return week_of(free.read_at, setting.agent_zone), week_of(last, setting.agent_zone)

    def turn(self, weeks: int, *, turned_in_grid: bool = False) -> bool:
        bounds = self.bounds()
        if self.week is None or bounds is None:
            return False
        week = self.week + timedelta(weeks=weeks)
        if not bounds[0] <= week <= bounds[1]:
            self.notify(
                _("No free time is offered beyond this week.")
                if weeks > 0
                else _("This is the current week."),
                severity="warning",
                timeout=3,
            )
            return False
        self.week = week
        self.show(turned=weeks if turned_in_grid else 0)
        return True

    def on_week_table_turn(self, message: WeekTable.Turn) -> None:
        message.stop()
        self.turn(message.weeks, turned_in_grid=True)
