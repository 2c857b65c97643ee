"""Widgets Textual has removed but still keeps alive, let go.

Textual 8 remembers who watches what in two places it cleans only when the watched thing
changes: a reactive's watchers (the app's title and theme, which every Header and TextArea
watches; a footer's `compact`, which each of its keys is bound to) and a screen's signals
(text selection started, which every Input and TextArea subscribes to). So a widget removed
from a screen that stays (the qualification form's fields, a footer's keys after a
rebuild), or the header of a screen that was closed, stays referenced from there with all
it holds for as long as the desk runs: about 45 widgets a booking, and every full garbage
collection had to walk them all (it grew to 750 ms). `let_go` drops those references to
widgets that are closed; the next collection frees them.

A third place keeps what a removed widget painted: the colour cache of Textual's line
renderer (StylesCache.get_inner_outer, a method cached with the renderer itself in its key)
holds the renderers of the last 1,024 widgets it saw, each with every line it painted. A
booking left about seventy there: over ten bookings the desk's heap grew from 257,000 to
375,000 objects, every one of them walked by each full collection (it stays at about
245,000 now). The cache is emptied with the rest: a pair of colours per widget, made again
at its next paint.
"""

from __future__ import annotations

from typing import Any

from textual._styles_cache import StylesCache
from textual.app import App
from textual.dom import DOMNode
from textual.signal import Signal


def _closed(node: object) -> bool:
    # removed and stopped (MessagePump._closed); a widget still being composed is not
    return bool(getattr(node, "_closed", False))


def let_go(app: App[Any]) -> int:
    """Drop the watchers and signal subscriptions of closed widgets; how many were dropped."""
    dropped = 0
    nodes: list[DOMNode] = [app]
    for screen in app.screen_stack:
        nodes.extend(screen.walk_children(with_self=True))
    for node in nodes:
        watchers: dict[str, list[tuple[Any, Any]]] = getattr(node, "__watchers", {})
        for pairs in watchers.values():
            alive = [pair for pair in pairs if not _closed(pair[0])]
            dropped += len(pairs) - len(alive)
            pairs[:] = alive
        for value in vars(node).values():
            if isinstance(value, Signal):
                subscribers = value._subscriptions
                for subscriber in [s for s in subscribers if _closed(s)]:
                    subscribers.pop(subscriber, None)
                    dropped += 1
    StylesCache.get_inner_outer.cache_clear()
    return dropped
