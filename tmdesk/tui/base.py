"""What every desk screen shares: one place where failed database work is reported."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tmdesk.tui.styled_once import StyledOnce

if TYPE_CHECKING:
    from tmdesk.tui.app import DeskApp


class DeskScreen(StyledOnce, Screen[None]):
    """A full screen of the desk. Its thread workers are started with exit_on_error=False:
    a failure becomes a message to the user here, never a crash of the whole desk."""

    @property
    def desk(self) -> DeskApp:
        return cast("DeskApp", self.app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.work_failed(event.worker)
            self.desk.report_failure(event.worker.error)

    def work_failed(self, worker: Worker) -> None:
        """Put the screen in a state the user can go on from (e.g. stop a spinner)."""
