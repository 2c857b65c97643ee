"""Files to the supervisor's browser (the desk in a browser only): the handoff export, the
rejected rows of the latest import, a backup. The services write them into this desk
process's private folder; Textual's deliver_binary streams them to the browser as downloads.
The refusals are the services' own, the same as the CLI's."""

from __future__ import annotations

import tempfile
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from tmdesk.i18n import N_, _, ngettext
from tmdesk.tui.base import DeskScreen
from tmdesk.tui.supervisor.work import backup_for_download, export_batch, latest_rejects
from tmdesk.tui.work import UserInfo

MIME_TYPES = {
    ".csv": "text/csv",
    ".json": "application/json",
    ".ics": "text/calendar",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".db": "application/vnd.sqlite3",
}


_folder: tempfile.TemporaryDirectory | None = None


def private_folder() -> Path:
    """A new folder for one file, inside this desk process's own temporary folder (removed
    when the process ends, so a download still streaming is never cut short)."""
    global _folder
    if _folder is None:
        _folder = tempfile.TemporaryDirectory(prefix="tmdesk-files-")
    return Path(tempfile.mkdtemp(dir=_folder.name))


def _choices() -> dict[str, str]:
    return {
        "export-csv": _("Export the ready leads · CSV"),
        "export-excel-ru": _("Export the ready leads · CSV for a Russian Excel"),
        "export-xlsx": _("Export the ready leads · XLSX"),
        "rejects": _("Rejected rows of the latest import"),
        "backup": _("Backup of the database"),
    }


class FilesScreen(DeskScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"))]

    class Ready(Message):
        def __init__(self, path: Path | None, note: str) -> None:
            super().__init__()
            self.path = path  # None: nothing to send (the note says why)
            self.note = note

    def __init__(self, supervisor: UserInfo) -> None:
        super().__init__()
        self.supervisor = supervisor

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="workspace"):
            yield Static(Content(_("Files to your browser")), id="workspace-title")
            yield Static(Content(_("↑↓ and Enter: the file arrives as a download.")))
            yield OptionList(
                *(Option(Content(label), id=key) for key, label in _choices().items()),
                id="files-menu",
            )
            yield Static("", id="files-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#files-menu", OptionList).focus()

    @on(OptionList.OptionSelected, "#files-menu")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.say(_("Preparing the file…"))
        self.prepare(event.option.id or "")

    @work(thread=True, exclusive=True, group="files", exit_on_error=False)
    def prepare(self, choice: str) -> None:
        folder = private_folder()
        if choice == "rejects":
            path = latest_rejects(self.supervisor.id)
            self.post_message(self.Ready(path, ""))
        elif choice == "backup":
            self.post_message(self.Ready(backup_for_download(self.supervisor.id, folder), ""))
        else:
            fmt = "xlsx" if choice == "export-xlsx" else "csv"
            files = export_batch(
                self.desk.settings,
                fmt,
                folder,
                user_id=self.supervisor.id,
                excel_ru=choice == "export-excel-ru",
                now=self.desk.clock(),
            )
            if not files:
                self.post_message(self.Ready(None, _("nothing is ready for handoff")))
                return
            (exported,) = files
            note = ngettext(
                "batch {batch}, {n} lead", "batch {batch}, {n} leads", exported.lead_count
            ).format(batch=exported.batch_id, n=exported.lead_count)
            self.post_message(self.Ready(exported.path, note))

    def on_files_screen_ready(self, message: Ready) -> None:
        if message.path is None:
            self.say(message.note)
            return
        path = message.path
        self.app.deliver_binary(
            path,
            save_filename=path.name,
            mime_type=MIME_TYPES.get(path.suffix, "application/octet-stream"),
        )
        sent = _("Sent {name} to your browser").format(name=path.name)
        self.say(f"{sent}: {message.note}" if message.note else sent)

    def work_failed(self, worker) -> None:
        self.say("")

    def say(self, text: str) -> None:
        self.query_one("#files-status", Static).update(Content(text))
