"""The supervisor workspace: where a supervisor lands after signing in.

A glance at today (calls, contacts, meetings, qualifications waiting for review) and the
way to each part: review, figures, call lists, the do-not-call list and the supervisor's
own call queue. Each part is imported when first opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from tmdesk.formats import calls, number
from tmdesk.i18n import _, ngettext
from tmdesk.tui.supervisor.display import day_label, percent
from tmdesk.tui.supervisor.keys import FittingFooter, supervisor_bindings
from tmdesk.tui.supervisor.work import glance
from tmdesk.tui.work import UserInfo, today

if TYPE_CHECKING:
    from tmdesk.tui.supervisor.work import Glance

PARTS = (
    "workspace-review",
    "workspace-figures",
    "workspace-lists",
    "workspace-dnc",
    "workspace-desk",
    "workspace-files",
)


def glance_text(glance: Glance) -> Content:
    """Today's figures on one line, and what waits for review on a line of its own: at 80
    columns the figures wrap, and the number waiting is the one a supervisor acts on."""
    totals = glance.totals
    figures = _("Today, {day}: {calls} · {reached} ({rate}) · {qualified} · {meetings}").format(
        day=day_label(glance.day),
        calls=calls(totals.calls),
        reached=ngettext("{n} reached", "{n} reached", totals.reached).format(
            n=number(totals.reached)
        ),
        rate=percent(totals.contact_rate),
        qualified=ngettext("{n} qualified", "{n} qualified", totals.qualified).format(
            n=number(totals.qualified)
        ),
        meetings=ngettext("{n} meeting", "{n} meetings", totals.meetings).format(
            n=number(totals.meetings)
        ),
    )
    waiting = ngettext(
        "{n} qualification waiting for review",
        "{n} qualifications waiting for review",
        glance.waiting,
    ).format(n=number(glance.waiting))
    return Content.assemble(figures, "\n", (waiting, "bold" if glance.waiting else ""))


class SupervisorScreen(FittingFooter):
    """The hub: a letter (or the arrows and Enter) opens each part."""

    # the menu shows each part's letter
    NARROW_HIDDEN = frozenset(
        {"open_review", "open_figures", "open_lists", "open_dnc", "open_desk", "open_files"}
    )

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
        now = self.desk.clock()
        zone = self.supervisor.time_zone
        self.post_message(self.Glanced(glance(today(zone, now), time_zone=zone, now=now)))

    def on_supervisor_screen_glanced(self, message: Glanced) -> None:
        self._glanced = True
        self.query_one("#workspace-today", Static).update(glance_text(message.glance))

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
