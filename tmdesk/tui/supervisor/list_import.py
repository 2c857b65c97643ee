"""Importing a file from the workspace: a call list (with a progress bar) or numbers for
the do-not-call list.

The file is picked by typing its path (→ or End takes the completion offered) or in the
tree below (arrows, Enter), which shows folders and .csv/.xlsx files only. The import
runs in a thread worker; the importer's progress callback reaches the bar through
call_from_thread, so the screen stays responsive. The report is the CLI's.

Over 400 lines: the two imports (a call list, do-not-call numbers) are one screen with two
endings, sharing the file picker, the progress and the report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import DirectoryTree, Footer, Header, Input, ProgressBar, Static
from textual.worker import Worker

from tmdesk.formats import number
from tmdesk.i18n import _, ngettext
from tmdesk.tui.base import DeskScreen
from tmdesk.tui.supervisor.work import import_call_list, import_numbers
from tmdesk.tui.work import UserInfo

FILE_KINDS = (".csv", ".xlsx")


def shown_in_picker(path: Path) -> bool:
    if path.name.startswith("."):
        return False
    try:
        return path.is_dir() or path.suffix.lower() in FILE_KINDS
    except OSError:
        return False


class PathSuggester(Suggester):
    """Completes a typed path with the first folder or call-list file that fits."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        typed = Path(value).expanduser()
        folder, start = (typed, "") if value.endswith("/") else (typed.parent, typed.name)
        try:
            names = sorted(
                entry
                for entry in folder.iterdir()
                if entry.name.casefold().startswith(start.casefold()) and shown_in_picker(entry)
            )
        except OSError:
            return None
        if not names:
            return None
        found = names[0]
        rest = found.name[len(start) :] + ("/" if found.is_dir() else "")
        return value + rest if rest else None


class CallListFiles(DirectoryTree):
    """A DirectoryTree of folders and .csv/.xlsx files."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [path for path in paths if shown_in_picker(path)]


class FilePicker(Vertical):
    """A path field with completion over a filtered tree; posts Chosen with a file."""

    @dataclass
    class Chosen(Message):
        path: Path

    def __init__(self, root: Path, **kwargs) -> None:
        super().__init__(**kwargs)
        self.root = root

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder=_("Path of a .csv or .xlsx file (→ completes) — or pick it below"),
            suggester=PathSuggester(),
            id="picker-path",
        )
        yield CallListFiles(self.root, id="picker-tree")
        yield Static("", id="picker-error")

    def on_mount(self) -> None:
        self.query_one("#picker-error", Static).display = False

    def say(self, problem: str) -> None:
        error = self.query_one("#picker-error", Static)
        error.update(Content(problem))
        error.display = bool(problem)

    @on(Input.Submitted, "#picker-path")
    def typed(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:  # Enter on an empty path: browse
            tree = self.query_one("#picker-tree")
            tree.display = True
            tree.focus()
            return
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = self.root / path
        if path.is_dir():
            self.say(_("{path} is a folder: type the file's name after it.").format(path=path))
        elif not path.exists():
            self.say(_("There is no file {path}.").format(path=path))
        else:
            self.say("")
            self.chosen(path)

    @on(DirectoryTree.FileSelected, "#picker-tree")
    def picked(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.query_one("#picker-path", Input).value = str(event.path)
        self.say("")
        self.chosen(event.path)

    def chosen(self, path: Path) -> None:
        # the tree makes room for the report (Enter on an empty path shows it again)
        self.query_one("#picker-tree").display = False
        self.post_message(self.Chosen(path))


class FileImportScreen(DeskScreen):
    """Pick a file, say what to do with it, watch it go in, read the report."""

    BINDINGS = [
        Binding("escape", "back", _("Back"), tooltip=_("Back (not while importing).")),
        Binding("f2", "upload", _("Upload"), tooltip=_("Send a file from your computer.")),
    ]

    @dataclass
    class Progress(Message):
        done: int
        total: int | None

    @dataclass
    class Finished(Message):
        report: Content
        rows: int

    def __init__(self, supervisor: UserInfo, root: Path | None = None) -> None:
        super().__init__()
        self.supervisor = supervisor
        self.root = root or Path.cwd()
        self.path: Path | None = None
        self.running = False
        self.finished = False
        self.progress_seen: list[tuple[int, int | None]] = []  # what the bar was told
        self.upload_box: tuple[str, Path] | None = None  # in a browser: (token, folder)
        self._uploaded: Path | None = None

    # --- what a subclass says --------------------------------------------------------------

    def title_text(self) -> str:
        raise NotImplementedError

    def second_field(self) -> tuple[str, str]:
        """(label, placeholder) of the field typed after the file."""
        raise NotImplementedError

    def second_value(self, path: Path) -> str:
        return ""

    def run_import(self, path: Path, value: str) -> tuple[Content, int]:
        """Runs in a thread: import and word the report; returns it and the rows read."""
        raise NotImplementedError

    # --- the screen ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="import-body"):
            yield Static(Content(self.title_text()), classes="list-title")
            yield Static("", id="import-upload")
            yield FilePicker(self.root, id="import-picker")
            label, placeholder = self.second_field()
            yield Static(Content(label), id="import-second-label")
            yield Input(placeholder=placeholder, id="import-second")
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Static("", id="import-status")
            yield Static("", id="import-report")
        yield Footer()

    def on_mount(self) -> None:
        for selector in (
            "#import-second-label",
            "#import-second",
            "#import-progress",
            "#import-report",
        ):
            self.query_one(selector).display = False
        self.query_one("#picker-path", Input).focus()
        self.open_upload_box()

    # --- a file from the browser (tmdesk.web.uploads) -------------------------------------

    def open_upload_box(self) -> None:
        hint = self.query_one("#import-upload", Static)
        hint.display = self.desk.browser is not None
        if self.desk.browser is None:
            return
        from tmdesk.web import uploads

        settings, database = self.desk.settings.web, self.desk.workspace.sqlite_file
        self.upload_box = uploads.open_box(uploads.upload_root(settings.upload_dir, database))
        hint.update(
            Content(
                _(
                    "From your computer: F2 opens the upload page; the file comes here by "
                    "itself. Or give a path on the server below."
                )
            )
        )
        self.set_interval(1.0, self.look_for_upload)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.upload_box is not None if action == "upload" else True

    def action_upload(self) -> None:
        if self.upload_box is not None:
            self.app.open_url(f"/upload/{self.upload_box[0]}", new_tab=True)

    def look_for_upload(self) -> None:
        from tmdesk.web.uploads import uploaded_file

        path = uploaded_file(self.upload_box[1]) if self.upload_box else None
        if path is not None and path != self._uploaded and not self.running:
            self._uploaded = path
            self.query_one("#picker-path", Input).value = str(path)
            self.on_file_picker_chosen(FilePicker.Chosen(path))

    def on_file_picker_chosen(self, message: FilePicker.Chosen) -> None:
        if self.running:
            return
        self.path = message.path
        second = self.query_one("#import-second", Input)
        self.query_one("#import-second-label").display = True
        second.display = True
        second.value = self.second_value(message.path)
        second.focus()
        self.say(_("File: {path}. Enter starts the import.").format(path=message.path))

    @on(Input.Submitted, "#import-second")
    def start(self, event: Input.Submitted) -> None:
        event.stop()
        if self.running or self.path is None:
            return
        self.running, self.finished = True, False
        self.progress_seen.clear()
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.query_one("#import-report").display = False
        for widget in self.query("#import-picker, #import-second").results(Widget):
            widget.disabled = True
        self.say(_("Importing {name}…").format(name=self.path.name))
        self.importing(self.path, event.value.strip())

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def importing(self, path: Path, value: str) -> None:
        report, rows = self.run_import(path, value)
        self.post_message(self.Finished(report, rows))

    def progress(self, done: int, total: int | None) -> None:
        """The importer's callback, in the worker thread: waits for the bar to move."""
        self.app.call_from_thread(self.show_progress, done, total)

    def show_progress(self, done: int, total: int | None) -> None:
        self.progress_seen.append((done, total))
        bar = self.query_one("#import-progress", ProgressBar)
        # the expected rows are an estimate from the file size: never let done pass it
        bar.update(total=max(total, done) if total else None, progress=done)
        self.say(ngettext("{done} row read…", "{done} rows read…", done).format(done=number(done)))

    def on_file_import_screen_finished(self, message: Finished) -> None:
        self.running, self.finished = False, True
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=max(message.rows, 1), progress=max(message.rows, 1))
        report = self.query_one("#import-report", Static)
        report.update(message.report)
        report.display = True
        self.say(_("Done. Esc: back."))
        self.enable()
        self.query_one("#import-body").scroll_end(animate=False)

    def work_failed(self, worker: Worker) -> None:
        self.running = False
        self.query_one("#import-progress").display = False
        self.say(_("Nothing was imported: {problem}").format(problem=worker.error))
        self.enable()

    def enable(self) -> None:
        for widget in self.query("#import-picker, #import-second").results(Widget):
            widget.disabled = False
        self.query_one("#picker-path", Input).focus()

    def say(self, text: str) -> None:
        self.query_one("#import-status", Static).update(Content(text))

    def action_back(self) -> None:
        if self.running:
            self.notify(
                _("The import is still running; it is all or nothing, so wait for it to finish."),
                severity="warning",
                markup=False,
            )
            return
        self.app.pop_screen()


def import_report_content(report) -> Content:
    """The CLI's import report (tmdesk import), line for line."""
    lines = [
        _("{file} → list {name!r}").format(file=report.file, name=report.list_name),
        _("  read as {kind}").format(
            kind=", ".join(
                filter(None, [report.encoding, report.delimiter and repr(report.delimiter)])
            )
        ),
        *(f"  {line}" for line in report.columns),
        _(
            "  rows {rows}: imported {imported}, duplicates {duplicates}, invalid {invalid}, "
            "do-not-call {dnc}, empty {empty}"
        ).format(
            rows=report.rows,
            imported=report.imported,
            duplicates=report.duplicates,
            invalid=report.invalid,
            dnc=report.dnc,
            empty=report.empty,
        ),
        *(
            _("  line {line}: {reason}").format(line=problem.line, reason=problem.reason)
            for problem in report.errors[:10]
        ),
    ]
    if len(report.errors) > 10:
        lines.append(_("  … and {n} more").format(n=len(report.errors) - 10))
    if report.rejects_path:
        lines.append(_("  rejected rows written to {path}").format(path=report.rejects_path))
    return Content("\n".join(lines))


class CallListImportScreen(FileImportScreen):
    """A CSV or XLSX file into a call list (new, or more leads for an existing one)."""

    def title_text(self) -> str:
        return _(
            "Import a call list · every row is accounted for; a failed import leaves nothing behind"
        )

    def second_field(self) -> tuple[str, str]:
        return _("Into the call list (a new name makes a new list):"), _("list name")

    def second_value(self, path: Path) -> str:
        return path.stem

    def run_import(self, path: Path, value: str) -> tuple[Content, int]:
        report = import_call_list(
            path,
            list_name=value or None,
            default_region=self.desk.settings.default_region,
            user_id=self.supervisor.id,
            progress=self.progress,
        )
        self.report = report
        return import_report_content(report), report.rows


class DncImportScreen(FileImportScreen):
    """Every phone number of a CSV or XLSX file onto the do-not-call list."""

    def title_text(self) -> str:
        return _("Import numbers onto the do-not-call list · from the file's phone column(s)")

    def second_field(self) -> tuple[str, str]:
        return _("Reason (kept with each number):"), _("e.g. the client's refusal list")

    def second_value(self, path: Path) -> str:
        return _("imported from {name}").format(name=path.name)

    def run_import(self, path: Path, value: str) -> tuple[Content, int]:
        change = import_numbers(
            path, reason=value, user_id=self.supervisor.id, region=self.desk.settings.default_region
        )
        self.change = change
        lines = [
            " · ".join(
                text.format(n=number(count))
                for text, count in (
                    (
                        ngettext("{n} number added", "{n} numbers added", len(change.changed)),
                        len(change.changed),
                    ),
                    (
                        ngettext("{n} already listed", "{n} already listed", len(change.unchanged)),
                        len(change.unchanged),
                    ),
                    (
                        ngettext("{n} not a number", "{n} not numbers", len(change.invalid)),
                        len(change.invalid),
                    ),
                )
            )
        ]
        lines += [
            _("  not a number: {text!r} ({reason})").format(text=text, reason=reason)
            for text, reason in change.invalid[:10]
        ]
        if len(change.invalid) > 10:
            lines.append(_("  … and {n} more").format(n=number(len(change.invalid) - 10)))
        rows = len(change.changed) + len(change.unchanged) + len(change.invalid)
        return Content("\n".join(lines)), rows
