"""Where a meeting happens, as review and the handoff show it: a video meeting with no link
says the link is missing (and whether the agent chose "link later"), never an empty place."""

from __future__ import annotations

from tmdesk.i18n import _


def link_missing(kind: str, place: str) -> bool:
    """A video meeting whose link nobody has given yet."""
    return kind == "video" and not place.strip()


def place_text(kind: str, place: str, link_later: bool) -> str:
    """The place or link; for a video meeting without one, a warning instead of nothing."""
    if not link_missing(kind, place):
        return place.strip()
    if link_later:
        return "⚠ " + _("video link missing: to be sent later")
    return "⚠ " + _("video link missing")
