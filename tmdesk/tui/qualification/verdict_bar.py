"""The bottom of the qualification form, always in sight: the live verdict, what the submit
key would do now (or what blocks it), whether the draft is saved, a refused submission."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from tmdesk.domain.scripts import Verdict
from tmdesk.tui.qualification.display import (
    actuality_label,
    fit_label,
    outcome_label,
    score_label,
)
from tmdesk.tui.qualification.picks import show_text

STYLES = {"ok": "bold $text-success", "bad": "bold $text-error", "pending": "$text-warning"}


class VerdictBar(Vertical):
    def __init__(self, submit_key: str, **kwargs) -> None:
        super().__init__(id="qual-verdict", **kwargs)
        self.submit_key = submit_key

    def compose(self) -> ComposeResult:
        yield Static("", id="verdict-line")
        with Horizontal(id="verdict-bottom"):
            yield Static("", id="verdict-outcome")
            yield Static("", id="qual-saved")
        yield Static("", id="verdict-refusal")

    def show(
        self,
        verdict: Verdict,
        missing: Sequence[str],
        invalid: Sequence[str],
        people: Sequence[str],
    ) -> None:
        fit, fit_kind = fit_label(verdict, len(missing))
        show_text(
            self.query_one("#verdict-line", Static),
            Content.assemble(
                (fit, STYLES[fit_kind]),
                " · ",
                (actuality_label(verdict), "bold"),
                " · ",
                score_label(verdict),
            ),
        )
        outcome, kind = outcome_label(verdict, missing, invalid, people, self.submit_key)
        show_text(
            self.query_one("#verdict-outcome", Static), Content(outcome).stylize(STYLES[kind])
        )

    def show_refusal(self, text: str) -> None:
        show_text(self.query_one("#verdict-refusal", Static), Content(text))

    def show_saved(self, text: str) -> None:
        show_text(self.query_one("#qual-saved", Static), Content(text))
