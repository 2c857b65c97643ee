"""The figures screen's charts: dispositions by hour and by agent (plotext stacked bars)
and the conversion funnel (text bars).

Ten dispositions are too many colours to tell apart in a terminal, so the charts stack
four groups a supervisor reads at a glance: not reached, no (declined, not a fit, wrong
number, do-not-call), later (callback, nurture) and qualified.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from textual.content import Content
from textual_plotext import Plot, PlotextPlot

from tmdesk.i18n import _, ngettext, pgettext

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class DispositionGroup:
    key: str
    label: str
    dispositions: frozenset[str]
    color: RGB


def disposition_groups() -> tuple[DispositionGroup, ...]:
    return (
        DispositionGroup(
            "not_reached",
            _("not reached"),
            frozenset({"no_answer", "busy", "voicemail"}),
            (128, 132, 150),
        ),
        DispositionGroup(
            "no",
            pgettext("outcome group", "no"),  # not the answer "no" (choices.yes_no)
            frozenset({"wrong_number", "not_interested", "not_fit", "dnc"}),
            (205, 92, 80),
        ),
        DispositionGroup("later", _("later"), frozenset({"callback", "nurture"}), (222, 170, 60)),
        DispositionGroup("qualified", _("qualified"), frozenset({"qualified"}), (84, 182, 104)),
    )


def grouped(counts: Mapping[str, int]) -> list[int]:
    """A disposition → count map as counts per group (unknown dispositions count as no)."""
    groups = disposition_groups()
    totals = [0] * len(groups)
    for disposition, count in counts.items():
        at = next((i for i, group in enumerate(groups) if disposition in group.dispositions), 1)
        totals[at] += count
    return totals


def nice_ticks(top: int) -> list[int]:
    """0 and a few round steps up to at least `top` (whole calls, never 8.3)."""
    top = max(1, top)
    if top <= 5:
        step = 1
    else:
        raw = top / 4
        magnitude = 10 ** math.floor(math.log10(raw))
        step = next(int(s * magnitude) for s in (1, 2, 5, 10) if s * magnitude >= raw)
    return list(range(0, top + step, step))  # the last tick is at or above top


def draw_stacked_bars(
    chart: PlotextPlot,
    labels: Sequence[str],
    counts: Sequence[Mapping[str, int]],
    *,
    horizontal: bool = False,
) -> None:
    """One stacked bar per label (an hour, an agent), a segment per disposition group."""
    plt = chart.plt
    plt.clear_figure()
    if not labels:  # plotext cannot draw no bars: an empty frame says "nothing"
        chart.refresh()
        return
    groups = disposition_groups()
    per_bar = [grouped(c) for c in counts]
    series = [[bar[i] for bar in per_bar] for i in range(len(groups))]
    ticks = nice_ticks(max((sum(bar) for bar in per_bar), default=0))
    plt.stacked_bar(
        list(labels),
        series,
        # one colour per series: textual-plotext's stub allows only one for all of them
        color=[group.color for group in groups],  # type: ignore[arg-type]
        width=0.6,
        orientation="horizontal" if horizontal else "vertical",
    )
    if horizontal:
        plt.xticks(list[float](ticks))  # the stub wants floats; whole numbers are fine
        plt.xlim(0, ticks[-1])
    else:
        plt.yticks(list[float](ticks))
        plt.ylim(0, ticks[-1])
    ticks_in_order(plt)
    chart.refresh()


def ticks_in_order(plt: Plot) -> None:
    """Sort the plot's ticks by position. plotext keeps them in the order of a set of
    (tick, label) pairs, which changes with each process's string hashing; where the labels
    do not all fit (the hour axis at 80×24) the first ones placed win, so the axis showed
    other hours from run to run. In order, the same hours show every time."""
    monitor = plt.monitor  # type: ignore[attr-defined]  # the stub leaves the subplot out
    for ticks, labels in ((monitor.xticks, monitor.xlabels), (monitor.yticks, monitor.ylabels)):
        for side, (at, said) in enumerate(zip(ticks, labels, strict=True)):
            if at is not None and said is not None:
                pairs = sorted(zip(at, said, strict=True))
                ticks[side] = [tick for tick, _label in pairs]
                labels[side] = [label for _tick, label in pairs]


def legend() -> Content:
    parts: list[str | tuple[str, str]] = []
    for group in disposition_groups():
        r, g, b = group.color
        parts += [("██", f"rgb({r},{g},{b})"), f" {group.label}   "]
    return Content.assemble(*parts)


def funnel_content(steps: Sequence[tuple[str, int]], width: int = 14) -> Content:
    """'Reached    45 ██████  38%' per step, bars and shares relative to the first step."""
    first = steps[0][1] if steps else 0
    label_width = max((len(label) for label, _count in steps), default=0)
    count_width = max((len(str(count)) for _label, count in steps), default=1)
    lines = []
    for label, count in steps:
        share = count / first if first else 0.0
        bar = "█" * round(share * width) if count else ""
        lines.append(
            Content.assemble(
                f"{label:<{label_width}} ",
                (f"{count:>{count_width}} ", "bold"),
                (f"{bar:<{width}}", "$accent"),
                f" {share * 100:>3.0f}%" if first else "",
            )
        )
    return Content("\n").join(lines)


def qualified_note(qualified: int, actual: int, unknown: int, returned: int) -> Content:
    """What the table's "Qualif." holds beside the funnel's "Actual": they differ by the
    fit ones whose actuality is unknown and those returned to their agent (the call
    stands, the funnel leaves the qualification out)."""
    if not qualified:
        return Content("")
    parts = [(actual, _("fit and actual (the funnel)"))]
    if unknown:
        parts.append((unknown, _("fit, actuality unknown")))
    if returned:
        parts.append(
            (returned, ngettext("returned to the agent", "returned to the agents", returned))
        )
    width = max(len(str(count)) for count, _label in parts)
    lines = [
        Content(
            ngettext(
                "Qualif. in the table: {count} call",
                "Qualif. in the table: {count} calls",
                qualified,
            ).format(count=qualified)
        ),
        *(Content.assemble((f"  {count:>{width}} ", "bold"), label) for count, label in parts),
    ]
    return Content("\n").join(lines)
