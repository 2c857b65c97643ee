"""Screens styled once as they open.

Textual applies the stylesheet to every widget as it mounts, and then twice more to the
whole screen: when the first Resize gives the screen its breakpoint class (-narrow, -wide),
and when the pushed screen resumes (ScreenResume asks for its styles to be refreshed): on
the booking panel, about sixty widgets, the stylesheet was applied about 700 times per
booking (the submit and Enter), 380 without the two passes. A screen with this class
(before Screen in its bases) has its breakpoint class from the start, so the Resize changes
nothing, and skips the refresh on the resume that follows its mount: nothing its styles
depend on changed between the two (a focus move restyles what it moves by itself). Later
resumes refresh as Textual does, unless the screen says otherwise (`restyle_on_resume`).
"""

from __future__ import annotations

from typing import Any, cast

from textual import events
from textual._context import active_app
from textual.app import App
from textual.screen import Screen


def breakpoint_classes(screen: Screen[Any], app: App[object]) -> dict[str, bool]:
    """The breakpoint classes the screen has at the app's size, as Textual's Resize handler
    sets them (Screen._on_resize): the largest breakpoint that fits, of each kind."""
    width, height = app.size
    classes: dict[str, bool] = {}
    for size, own, apps in (
        (width, screen.HORIZONTAL_BREAKPOINTS, app.HORIZONTAL_BREAKPOINTS),
        (height, screen.VERTICAL_BREAKPOINTS, app.VERTICAL_BREAKPOINTS),
    ):
        breakpoints = (apps if own is None else own) or []
        fitting = [name for limit, name in sorted(breakpoints, reverse=True) if size >= limit]
        for _limit, name in breakpoints:
            classes[name] = bool(fitting) and name == fitting[0]
    return classes


class StyledOnce:
    restyle_on_resume: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.restyle_on_resume = False  # the first resume, after the mount, needs none
        try:
            app: App[object] = active_app.get()  # Textual's own: DOMNode.app reads it
        except LookupError:  # made outside a running app: the Resize sets the class
            return
        screen = cast("Screen[Any]", self)
        screen.update_classes(breakpoint_classes(screen, app), update=False)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual calls the handler of each class in the MRO, this one before Screen's
        # own (which reads refresh_styles): neither replaces the other
        if not self.restyle_on_resume:
            self.restyle_on_resume = True
            event.refresh_styles = False
