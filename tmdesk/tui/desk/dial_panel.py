"""The top of the call screen: the call timer, and the number in large digits once dialled."""

from __future__ import annotations

from datetime import timedelta

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Digits, Static

from tmdesk.i18n import _
from tmdesk.tui.desk.call_display import timer_label


class DialPanel(Vertical):
    """Before dialling: how to dial. After: the timer, the number large, what happened."""

    elapsed: reactive[timedelta | None] = reactive(None)

    def __init__(self, dial_key: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.dial_key = dial_key

    def compose(self) -> ComposeResult:
        yield Static("", id="call-timer")
        yield Digits("", id="dial-number")
        yield Static("", id="dial-status")

    def on_mount(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.elapsed = None
        self.query_one("#dial-number", Digits).display = False
        self.say("")
        self.watch_elapsed(None)

    def watch_elapsed(self, elapsed: timedelta | None) -> None:
        timer = self.query_one("#call-timer", Static)
        if elapsed is None:
            timer.update(Content(_("Not dialled yet · {key} dials").format(key=self.dial_key)))
        else:
            timer.update(Content.assemble(_("On the call") + " ", (timer_label(elapsed), "bold")))
        timer.set_class(elapsed is not None, "-on-call")

    def show_number(self, e164: str) -> None:
        digits = self.query_one("#dial-number", Digits)
        digits.update(e164)
        digits.display = True

    def say(self, text: str, *, problem: bool = False) -> None:
        status = self.query_one("#dial-status", Static)
        status.update(Content(text))
        status.display = bool(text)
        status.set_class(problem, "-problem")
