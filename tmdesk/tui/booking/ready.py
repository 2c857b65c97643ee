"""The booking panel kept ready: made once, while the agent still qualifies the lead, and
shown again for every booking.

A new panel is about sixty widgets to compose, mount and style before its first frame: on a
2-core machine that took about 100 ms of the 450-530 ms from Enter on the offer to the
panel painted, and the new screen was laid out and painted twice more (empty, then with the
slots). The kept panel is filled before it shows, and laid out once. It is installed
(Textual keeps an installed screen when it is closed) and emptied before it shows another
lead (BookingPanel.reopen). If it is on screen already (a panel over a panel), a new one is
made, as before.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App

from tmdesk.tui.booking.panel import BookingPanel
from tmdesk.tui.booking.work import BookingView, MeetingInfo

NAME = "booking-panel"


def make_ready(app: App[object]) -> None:
    """Compose the kept panel now, off screen, unless it is there already."""
    if not app.is_screen_installed(NAME):
        panel = BookingPanel()
        app.install_screen(panel, NAME)
        app._register(app, panel)  # Textual's own start of a screen (App._get_screen)


def _free(app: App[object]) -> BookingPanel | None:
    """The kept panel, if it is made and not on screen."""
    if not app.is_screen_installed(NAME):
        return None
    kept = app.get_screen(NAME)
    if not isinstance(kept, BookingPanel) or kept in app.screen_stack or not kept.is_mounted:
        return None
    return kept


def fill_ahead(app: App[object], lead_id: int, view: BookingView) -> None:
    """While the offer is asked: the kept panel filled for this lead now, off screen, so
    that Enter only shows it (filling it took about 10 ms of that key)."""
    kept = _free(app)
    if kept is not None:
        kept.reopen(lead_id, view=view)


def open_panel(
    app: App[object],
    lead_id: int,
    closed: Callable[[MeetingInfo | None], None],
    *,
    meeting_id: int | None = None,
    view: BookingView | None = None,
) -> None:
    """The booking panel for this lead, the kept one if it is free."""
    if not app.is_screen_installed(NAME):  # the first: made now, kept for the next
        panel = BookingPanel(lead_id, meeting_id=meeting_id, view=view)
        app.install_screen(panel, NAME)
        app.push_screen(panel, closed)
        return
    kept = _free(app)
    if kept is None:  # on screen already (a panel over a panel): a new one
        app.push_screen(BookingPanel(lead_id, meeting_id=meeting_id, view=view), closed)
        return
    if kept.filled_for != (lead_id, meeting_id, view):  # filled ahead only with a read
        kept.reopen(lead_id, meeting_id=meeting_id, view=view)
    kept.filled_for = None  # shown now: the next opening fills it again
    app.push_screen(kept, closed)
