"""Footers that show whole keys: Textual's footer cuts what does not fit its width, and what
it cut was the keys at its end, F1 and sign out among them (at 80 columns, in Russian more
than in English: its words are longer). A screen names the keys it can best spare, in the
order to leave them out; while its footer would be wider than the terminal they are left
out one by one. They still work, and the F1 panel and the palette list them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from textual.app import App
from textual.binding import ActiveBinding


def footer_width(shown: Iterable[ActiveBinding], app: App[object], *, compact: bool) -> int:
    """The columns Textual's footer takes for these keys, or a column or two more: one item
    per action (a group of keys with one label is one item), each "key label" with its
    padding (FooterKey's CSS: a column each side, or one column after it when compact; a
    group a column more)."""
    items: dict[object, tuple[str, str]] = {}
    for active in shown:
        binding = active.binding
        group = binding.group
        slot: object = group if group is not None else binding.action
        keys, label = items.get(slot, ("", ""))
        if group is not None:
            items[slot] = (keys + app.get_key_display(binding), group.description)
        elif slot not in items:
            items[slot] = (app.get_key_display(binding), binding.description)
    gap = 1 if compact else 2
    groups = sum(1 for slot in items if not isinstance(slot, str))
    return groups + sum(len(keys) + 1 + len(label) + gap for keys, label in items.values())


def fit_footer(
    active: Mapping[str, ActiveBinding],
    app: App[object],
    spare: Sequence[str | tuple[str, ...]],
    *,
    compact: bool,
) -> dict[str, ActiveBinding]:
    """`active` with the actions of `spare` hidden from the footer, in that order, until the
    keys left fit the app's width (a tuple: actions that go together, "◀ Week ▶")."""
    fitted = dict(active)
    for actions in ((), *spare):
        if actions:
            hide = {actions} if isinstance(actions, str) else set(actions)
            fitted = {
                key: (
                    shown._replace(binding=replace(shown.binding, show=False))
                    if shown.binding.action in hide
                    else shown
                )
                for key, shown in fitted.items()
            }
        shown = [one for one in fitted.values() if one.binding.show]
        if footer_width(shown, app, compact=compact) <= app.size.width:
            break
    return fitted


NARROW = 100  # columns: below it the desk's footers pack their keys (DeskFooter)


class FooterThatFits:
    """A screen (this class before Screen in its bases) whose footer leaves out the keys of
    FOOTER_SPARE, in order, while it would not fit below NARROW columns."""

    FOOTER_SPARE: Sequence[str | tuple[str, ...]] = ("quit",)  # ctrl+q: F1 lists it
    FOOTER_COMPACT = True  # DeskFooter packs its keys under NARROW

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        active: dict[str, ActiveBinding] = super().active_bindings  # type: ignore[misc]
        app: App[object] = self.app  # type: ignore[attr-defined]
        if app.size.width >= NARROW:
            return active
        return fit_footer(active, app, self.FOOTER_SPARE, compact=self.FOOTER_COMPACT)
