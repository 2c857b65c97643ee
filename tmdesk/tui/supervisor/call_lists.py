"""Call lists for the supervisor: progress, pause/resume, archive, priority, script, and
importing a file (list_import.py).

Each change goes through services.call_lists (role check, audit trail) in a thread
worker; the table is read again afterwards with the cursor kept on the same list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker

from tmdesk.i18n import N_, _, ngettext
from tmdesk.tui.fit_columns import fit_rows
from tmdesk.tui.supervisor.dialogs import ChoiceDialog, ConfirmDialog
from tmdesk.tui.supervisor.figure_tables import (
    LIST_NARROW_LEFT_OUT,
    list_cells,
    list_columns,
)
from tmdesk.tui.supervisor.keys import FittingFooter, supervisor_bindings
from tmdesk.tui.supervisor.work import available_scripts, call_lists, list_progress
from tmdesk.tui.work import UserInfo

if TYPE_CHECKING:
    from tmdesk.tui.supervisor.work import ListProgress

ACTIONS = ("pause_or_resume", "archive", "priority", "pick_script")


# the columns left out under 100 columns: the script (s shows it), the exhausted and the
# invalid counts (the figures screen has them too)
NARROW_LEFT_OUT = LIST_NARROW_LEFT_OUT


class CallListsScreen(FittingFooter):
    """Every call list with where its leads are; keys act on the highlighted list."""

    NARROW_HIDDEN = frozenset({"archive", "pick_script"})

    BINDINGS = [
        Binding("escape", "back", N_("Back"), tooltip=N_("Back to the workspace.")),
        *supervisor_bindings(
            "list-pause",
            "list-archive",
            "list-priority-up",
            "list-priority-down",
            "list-script",
            "list-import",
            "refresh",
            hidden=("refresh",),
        ),
    ]

    @dataclass
    class Loaded(Message):
        lists: tuple[ListProgress, ...]
        notice: str
        keep: int | None  # the list id to put the cursor on

    def __init__(self, supervisor: UserInfo) -> None:
        super().__init__()
        self.supervisor = supervisor
        self.lists: tuple[ListProgress, ...] = ()
        self._busy = False  # a change is under way: another key waits for it
        self._importing = False
        self._shown_width = 0  # the terminal's width the names were cut for

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="list-body"):
            yield Static(
                Content(_("Call lists · served by priority, highest first")), classes="list-title"
            )
            yield DataTable(id="lists-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="lists-empty")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#lists-empty", Static).display = False
        self.query_one("#lists-table", DataTable).focus()
        self.reload()

    def columns(self) -> list[tuple[str, str]]:
        """The table's columns; under NARROW columns (80, in Russian's longer words) those a
        supervisor can do without are left out, so the rest fit without scrolling sideways
        (wider, the table shows them again)."""
        return [
            (key, heading)
            for key, heading in list_columns()
            if not (self.narrow() and key in NARROW_LEFT_OUT)
        ]

    def on_resize(self) -> None:
        # (Textual calls FittingFooter's on_resize as well: it is not an override)
        table = self.query_one("#lists-table", DataTable)
        shown = [column.key.value for column in table.columns.values()]
        width = self.app.size.width
        if self.lists and (
            shown != [key for key, _heading in self.columns()]
            or (self.narrow() and width != self._shown_width)  # the names cut for another
        ):
            self.show_lists(keep=self.highlighted_id())

    def show_lists(self, keep: int | None) -> None:
        """The lists in the table, with the columns for the terminal's width."""
        table = self.query_one("#lists-table", DataTable)
        columns = self.columns()
        table.clear(columns=True)
        for key, heading in columns:
            table.add_column(heading, key=key)
        every = [key for key, _heading in list_columns()]
        rows = []
        for progress in self.lists:
            cells = dict(zip(every, list_cells(progress), strict=True))
            if progress.status != "active":
                cells = {
                    key: Text(cell.plain, style="dim", justify=cell.justify)
                    for key, cell in cells.items()
                }
            rows.append([cells[key] for key, _heading in columns])
        self._shown_width = self.app.size.width
        if self.narrow():  # a long list name cut to the width the other columns leave
            headings = [heading for _key, heading in columns]
            names = [key == "name" for key, _heading in columns]
            rows = fit_rows(headings, rows, names, self._shown_width)
        for row in rows:
            table.add_row(*row)
        ids = [progress.list_id for progress in self.lists]
        if keep in ids:
            table.move_cursor(row=ids.index(keep))

    def on_screen_resume(self) -> None:
        # Back from an import: the lists have changed. (Not after a dialog: the change it
        # asked for is on its way, and a reload now would cancel it.)
        if self._importing:
            self._importing = False
            self.reload(keep=self.highlighted_id())

    def reload(self, notice: str = "", keep: int | None = None) -> None:
        self.query_one("#lists-table", DataTable).loading = True
        self.read_lists(notice, keep)

    @work(thread=True, exclusive=True, group="lists", exit_on_error=False)
    def read_lists(self, notice: str, keep: int | None) -> None:
        now: datetime = self.desk.clock()
        self.post_message(self.Loaded(list_progress(self.desk.settings, now=now), notice, keep))

    @work(thread=True, exclusive=True, group="list-change", exit_on_error=False)
    def changing(self, change: Callable[[], object], notice: str, keep: int | None) -> None:
        """One service call; the lists are read again by a worker of their own."""
        change()
        self.app.call_from_thread(self.read_lists, notice, keep)

    def on_call_lists_screen_loaded(self, message: Loaded) -> None:
        self._busy = False
        self.lists = message.lists
        table = self.query_one("#lists-table", DataTable)
        table.loading = False
        self.show_lists(message.keep)
        empty = self.query_one("#lists-empty", Static)
        empty.update(
            Content(
                _("No call lists yet. Press {key} to import a file.").format(
                    key=self.desk.keymap["list-import"]
                )
            )
        )
        empty.display = not self.lists
        table.display = bool(self.lists)
        if message.notice:
            self.notify(message.notice, title=_("Call lists"), markup=False)

    def work_failed(self, worker: Worker) -> None:
        self._busy = False
        self.query_one("#lists-table", DataTable).loading = False

    def highlighted(self) -> ListProgress | None:
        table = self.query_one("#lists-table", DataTable)
        if self.lists and 0 <= table.cursor_row < len(self.lists):
            return self.lists[table.cursor_row]
        return None

    def highlighted_id(self) -> int | None:
        progress = self.highlighted()
        return progress.list_id if progress else None

    def change(self, change: Callable[[], object], notice: str) -> None:
        if self._busy:
            return
        self._busy = True
        keep = self.highlighted_id()
        self.query_one("#lists-table", DataTable).loading = True
        self.changing(change, notice, keep)

    # --- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ACTIONS:
            return self.highlighted() is not None or None  # None: shown, dimmed
        return True

    def action_pause_or_resume(self) -> None:
        progress = self.highlighted()
        if progress is None:
            return
        me = self.supervisor.id
        if progress.status == "active":
            self.change(
                lambda: call_lists.pause_list(progress.list_id, me),
                _("Paused: {name}. Its leads are not served until it is resumed.").format(
                    name=progress.name
                ),
            )
        else:
            self.change(
                lambda: call_lists.resume_list(progress.list_id, me),
                _("Resumed: {name}.").format(name=progress.name),
            )

    def action_archive(self) -> None:
        progress = self.highlighted()
        if progress is None:
            return
        if progress.status == "archived":
            self.notify(
                _("{name} is archived already; {key} serves it again.").format(
                    name=progress.name, key=self.desk.keymap["list-pause"]
                ),
                markup=False,
            )
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.change(
                    lambda: call_lists.archive_list(progress.list_id, self.supervisor.id),
                    _("Archived: {name}.").format(name=progress.name),
                )

        self.app.push_screen(
            ConfirmDialog(
                _("Archive “{name}”?").format(name=progress.name),
                _(
                    "Its {remaining} remaining leads will not be served and nothing more can be "
                    "imported into it. Its history stays."
                ).format(remaining=progress.remaining),
            ),
            answered,
        )

    def action_priority(self, step: int) -> None:
        progress = self.highlighted()
        if progress is None:
            return
        priority = progress.priority + int(step)
        self.change(
            lambda: call_lists.set_list_priority(progress.list_id, self.supervisor.id, priority),
            _("{name}: priority {priority}.").format(name=progress.name, priority=priority),
        )

    def action_pick_script(self) -> None:
        if self.highlighted() is not None:
            self.find_scripts()

    @work(thread=True, exclusive=True, group="scripts", exit_on_error=False)
    def find_scripts(self) -> None:
        scripts = [script for script in available_scripts() if not script.problems]
        self.app.call_from_thread(self.show_script_picker, scripts)

    def show_script_picker(self, scripts: list) -> None:
        progress = self.highlighted()
        if progress is None:
            return
        # values are keys, "" for the default script: None is what a cancelled dialog returns
        choices = [(_("The default script"), "")]
        choices += [
            (
                _("{title} ({key} v{version}, {questions})").format(
                    title=script.title,
                    key=script.key,
                    version=script.version,
                    questions=ngettext("{n} question", "{n} questions", script.questions).format(
                        n=script.questions
                    ),
                ),
                script.key,
            )
            for script in scripts
        ]
        current = next(
            (i for i, (_label, key) in enumerate(choices) if key == (progress.script_key or "")), 0
        )

        def chosen(key: str | None) -> None:
            if key is None:
                return
            self.change(
                lambda: call_lists.set_list_script(
                    progress.list_id, self.supervisor.id, key or None
                ),
                _("{name}: script {script}.").format(
                    name=progress.name, script=key or _("the default one")
                ),
            )

        self.app.push_screen(
            ChoiceDialog(
                _("Script for “{name}” (now: {status})").format(
                    name=progress.name, status=progress.script_key or _("default")
                ),
                choices,
                highlighted=current,
            ),
            chosen,
        )

    def action_import_file(self) -> None:
        from tmdesk.tui.supervisor.list_import import CallListImportScreen

        self._importing = True
        self.app.push_screen(CallListImportScreen(self.supervisor))

    def action_refresh(self) -> None:
        self.reload(keep=self.highlighted_id())

    def action_back(self) -> None:
        self.app.pop_screen()
