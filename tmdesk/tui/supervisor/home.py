"""The supervisor workspace: where a supervisor lands after signing in.

A glance at today (calls, contacts, meetings, qualifications waiting for review) and the
way to each part: review, figures, call lists, the do-not-call list and the supervisor's
own call queue. Each part is imported when first opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from tmdesk.i18n import _
from tmdesk.tui.base import DeskScreen
from tmdesk.tui.supervisor.display import day_label, percent
from tmdesk.tui.supervisor.keys import supervisor_bindings
from tmdesk.tui.supervisor.work import report, review_queue
from tmdesk.tui.work import UserInfo, today

PARTS = (
    "workspace-review",
    "workspace-figures",
    "workspace-lists",
    "workspace-dnc",
    "workspace-desk",
    "workspace-files",
)


@dataclass(frozen=True)
class Glance:
    day: date
    calls: int
    reached: int
    contact_rate: float | None
    qualified: int
    meetings: int
    waiting: int  # submitted qualifications not reviewed yet


def read_glance(supervisor: UserInfo, now: datetime) -> Glance:
    day = today(supervisor.time_zone, now)
    totals = report(day, time_zone=supervisor.time_zone, now=now).totals
    waiting = review_queue(
        day=None, time_zone=supervisor.time_zone, status="submitted", limit=1
    ).total
    return Glance(
        day,
        totals.calls,
        totals.reached,
        totals.contact_rate,
        totals.qualified,
        totals.meetings,
        waiting,
    )


def glance_text(glance: Glance) -> str:
    return _(
        "Today, {day}: {calls} calls · {reached} reached ({rate}) · {qualified} "
        "qualified · {meetings} meetings · {waiting} waiting for review"
    ).format(
        day=day_label(glance.day),
        calls=glance.calls,
        reached=glance.reached,
        rate=percent(glance.contact_rate),
        qualified=glance.qualified,
        meetings=glance.meetings,
        waiting=glance.waiting,
    )


class SupervisorScreen(DeskScreen):
    """The hub: a letter (or the arrows and Enter) opens each part."""

    BINDINGS = supervisor_bindings(*PARTS)

    @dataclass
    class Glanced(Message):
        glance: Glance

    def __init__(self, supervisor: UserInfo) -> None:
        super().__init__()
        self.supervisor = supervisor
        self._glanced = False

    def part_labels(self) -> dict[str, tuple[str, str]]:
        return {
            "workspace-review": (
                _("Review queue"),
                _("the day's qualifications: approve, return, correct"),
            ),
            "workspace-figures": (
                _("Figures"),
                _("per agent and in total, the funnel, charts, lists"),
            ),
            "workspace-lists": (
                _("Call lists"),
                _("progress, pause, priority, script, import a file"),
            ),
            "workspace-dnc": (_("Do-not-call list"), _("view, add, remove, import")),
            "workspace-desk": (_("My call queue"), _("call leads yourself, as an agent")),
            # in a browser only: a terminal's user has the CLI (tmdesk export, db backup)
            **(
                {"workspace-files": (_("Files"), _("export, rejected rows, backup: downloads"))}
                if self.desk.browser is not None
                else {}
            ),
        }

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="workspace"):
            yield Static(
                Content(_("Supervisor workspace · {name}").format(name=self.supervisor.name)),
                id="workspace-title",
            )
            yield Static(Content(_("Reading today's figures…")), id="workspace-today")
            options = []
            for part_id, (label, what) in self.part_labels().items():
                key = self.desk.keymap[part_id]
                options.append(
                    Option(
                        Content.assemble(
                            (f"{key:>3}  ", "bold $accent"),
                            (label, "bold"),
                            "  ",
                            (what, "$text-muted"),
                        ),
                        id=part_id,
                    )
                )
            yield OptionList(*options, id="workspace-menu")
            yield Static(
                Content(
                    _(
                        "A letter or ↑↓ and Enter opens a part · {key}: back here from anywhere"
                    ).format(key=self.desk.keymap["supervisor-workspace"])
                ),
                id="workspace-hint",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#workspace-menu", OptionList).focus()
        self.glance()

    def on_screen_resume(self) -> None:
        if self._glanced:
            self.glance()  # back from a part: the figures have moved on

    @work(thread=True, exclusive=True, group="glance", exit_on_error=False)
    def glance(self) -> None:
        self.post_message(self.Glanced(read_glance(self.supervisor, self.desk.clock())))

    def on_supervisor_screen_glanced(self, message: Glanced) -> None:
        self._glanced = True
        self.query_one("#workspace-today", Static).update(Content(glance_text(message.glance)))

    def work_failed(self, worker: Worker) -> None:
        self.query_one("#workspace-today", Static).update(
            Content(_("Today's figures could not be read."))
        )

    @on(OptionList.OptionSelected, "#workspace-menu")
    def part_chosen(self, event: OptionList.OptionSelected) -> None:
        actions = {
            "workspace-review": self.action_open_review,
            "workspace-figures": self.action_open_figures,
            "workspace-lists": self.action_open_lists,
            "workspace-dnc": self.action_open_dnc,
            "workspace-desk": self.action_open_desk,
            "workspace-files": self.action_open_files,
        }
        actions[event.option.id or ""]()

    def action_open_review(self) -> None:
        from tmdesk.tui.supervisor.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.supervisor))

    def action_open_figures(self) -> None:
        from tmdesk.tui.supervisor.figures import FiguresScreen

        self.app.push_screen(FiguresScreen(self.supervisor))

    def action_open_lists(self) -> None:
        from tmdesk.tui.supervisor.call_lists import CallListsScreen

        self.app.push_screen(CallListsScreen(self.supervisor))

    def action_open_dnc(self) -> None:
        from tmdesk.tui.supervisor.dnc import DncScreen

        self.app.push_screen(DncScreen(self.supervisor))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_files":
            return self.desk.browser is not None  # hidden (and off) in a terminal
        return True

    def action_open_files(self) -> None:
        from tmdesk.tui.supervisor.files import FilesScreen

        self.app.push_screen(FilesScreen(self.supervisor))

    def action_open_desk(self) -> None:
        from tmdesk.tui.desk.queue import QueueScreen

        self.app.push_screen(QueueScreen(self.supervisor))
