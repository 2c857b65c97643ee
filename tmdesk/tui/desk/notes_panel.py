"""The notes field of the call screen, saved as a draft shortly after the typing stops.

The panel never saves: it posts `DraftChanged` and the call screen's worker saves, then
tells the panel `Saved` or `Busy`. Saves never overlap, and whichever runs last writes the
newest text (`pending`), so a kill at any moment loses at most the last pause.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, cast
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static, TextArea

from tmdesk.i18n import _
from tmdesk.tui.desk.work import Draft

if TYPE_CHECKING:
    from tmdesk.tui.app import DeskApp

DRAFT_DELAY = 0.7  # seconds after the last keystroke before the notes are saved
BUSY_RETRY = 2.0  # seconds before a save the busy database refused is tried again


class NotesPanel(Vertical):
    """The notes of the open lead; `active` is False while an outcome is being recorded."""

    @dataclass
    class DraftChanged(Message):
        """Notes to save (`pending` holds the newest); `then` runs on the UI thread after."""

        panel: NotesPanel
        then: Callable[[], None] | None = None

    @dataclass
    class Saved(Message):
        draft: Draft
        at: datetime

    @dataclass
    class Busy(Message):
        """The database was busy with another process's write: the draft is not saved yet."""

        draft: Draft

    def __init__(self, agent_id: int, agent_zone: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.agent_id = agent_id
        self.agent_zone = agent_zone
        self.lead_id = 0
        self.active = False
        self._saved = Draft(0, "")
        self.pending: Draft | None = None  # the newest notes not saved yet
        self._timer: Timer | None = None

    @property
    def desk(self) -> DeskApp:
        return cast("DeskApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(
            Content(_("Notes · {key}").format(key=self.desk.keymap["notes"])),
            classes="panel-title",
            id="notes-title",
        )
        yield TextArea(
            id="notes",
            soft_wrap=True,
            show_line_numbers=False,
            tab_behavior="focus",
            placeholder=_(
                "What was said, who decides, what to send… Saved as you type; "
                "goes with the outcome."
            ),
        )
        yield Static("", id="draft-status")

    @property
    def area(self) -> TextArea:
        return self.query_one("#notes", TextArea)

    @property
    def text(self) -> str:
        return self.area.text

    def draft(self) -> Draft:
        return Draft(self.lead_id, self.text)

    def load(self, lead_id: int, text: str) -> None:
        """Show a lead's notes (its saved draft)."""
        self.cancel_pending()
        self.lead_id = lead_id
        self._saved = Draft(lead_id, text)
        self.pending = None
        self.area.load_text(text)
        self.area.move_cursor(self.area.document.end)
        self.show_state(_("Notes restored from the saved draft.") if text.strip() else "")
        self.active = True

    def show_state(self, text: str) -> None:
        self.query_one("#draft-status", Static).update(Content(text))

    def cancel_pending(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    @on(TextArea.Changed, "#notes")
    def changed(self) -> None:
        if not self.active or self.draft() == self._saved:
            return
        self.show_state(_("Not saved yet…"))
        self.cancel_pending()
        self._timer = self.set_timer(DRAFT_DELAY, self.flush)

    def flush(self) -> None:
        self._timer = None
        draft = self.draft()
        if draft != self._saved:
            self.pending = draft
            self.save()

    def save(self, then: Callable[[], None] | None = None) -> None:
        self.post_message(self.DraftChanged(self, then))

    def save_then(self, then: Callable[[], None]) -> None:
        """Save what is typed now (if not saved yet), then call `then` on the UI thread."""
        self.cancel_pending()
        draft = self.draft()
        if draft == self._saved:
            then()
            return
        self.pending = draft
        self.save(then)

    def on_notes_panel_saved(self, message: Saved) -> None:
        if message.draft.lead_id != self.lead_id:
            return
        self._saved = message.draft
        if self.draft() == message.draft:
            local = message.at.astimezone(ZoneInfo(self.agent_zone))
            self.show_state(_("Draft saved at {time}").format(time=f"{local:%H:%M:%S}"))

    def on_notes_panel_busy(self, message: Busy) -> None:
        if message.draft.lead_id != self.lead_id:
            return
        self.show_state(_("Not saved yet: the database is busy. Your notes are here; retrying…"))
        if self.active and self._timer is None:
            self._timer = self.set_timer(BUSY_RETRY, self.flush)

    def save_failed(self) -> None:
        self.show_state(_("The notes could not be saved; they are still here."))
