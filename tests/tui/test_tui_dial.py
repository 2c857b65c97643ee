"""Dialling: the clipboard and the number in large digits, or the configured dial command."""

from __future__ import annotations

import shlex
import sys

import pytest
from textual.widgets import Digits
from tui_helpers import Lead, make_desk, moscow_phone, notifications, settle, text_of, wait_for

from tmdesk.config import Settings
from tmdesk.store.models import CallAttempt
from tmdesk.tui.desk.call import CallScreen
from tmdesk.tui.desk.dialing import DialError, dial_arguments

SIZE = (120, 40)


def desk_with(tmp_path, **settings):
    desk = make_desk(tmp_path / "t.db", tmp_path, settings=Settings().with_(**settings))
    desk.import_leads(
        [Lead("Альфа", moscow_phone(1) + " доб. 77", priority=1), Lead("Бета", moscow_phone(2))]
    )
    return desk


async def dial(pilot) -> None:
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CallScreen)
    assert "Not dialled yet" in text_of(pilot.app, "#call-timer")
    await pilot.press("ctrl+d")
    await settle(pilot)


async def test_without_a_dial_command_the_number_is_copied_and_shown_large(tmp_path):
    desk = desk_with(tmp_path)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await dial(pilot)
        assert app.clipboard == "+74951000001"
        digits = app.screen.query_one("#dial-number", Digits)
        assert digits.display and digits.value == "+74951000001"
        assert text_of(app, "#dial-status") == (
            "Copied +74951000001 to the clipboard: paste it into your phone, or dial "
            "8 (495) 100-00-01 ext. 77."
        )
        assert text_of(app, "#call-timer").startswith("On the call 00:0")
        await pilot.press("f2")
        await settle(pilot)
        # the next lead starts undialled
        assert "Not dialled yet" in text_of(app, "#call-timer")
        assert not app.screen.query_one("#dial-number", Digits).display
    attempt = CallAttempt.get()
    assert attempt.dialled_at is not None and attempt.dialled_at == attempt.at


async def test_the_dial_command_runs_with_the_number(tmp_path):
    out = tmp_path / "dialled.txt"
    command = f"sh -c 'echo {{e164}} {{ext}} > {shlex.quote(str(out))}'"
    desk = desk_with(tmp_path, dial_command=command)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await dial(pilot)
        await wait_for(pilot, lambda: out.exists() and out.read_text().strip())
        assert out.read_text() == "+74951000001 77\n"
        await wait_for(pilot, lambda: "Dialled" in text_of(app, "#dial-status"))
        assert text_of(app, "#dial-status") == "Dialled 8 (495) 100-00-01 with sh."
        assert app.clipboard == ""  # the command dials: nothing copied


@pytest.mark.parametrize(
    "command, problem",
    [
        (
            "/nonexistent/softphone --call {e164}",
            "the dial command '/nonexistent/softphone' was not found",
        ),
        (
            f"{shlex.quote(sys.executable)} -c 'import sys; sys.exit(\"no line\")'",
            "failed (exit status 1): no line",
        ),
    ],
)
async def test_a_failing_dial_command_is_reported(tmp_path, command, problem):
    desk = desk_with(tmp_path, dial_command=command)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await dial(pilot)
        await wait_for(
            pilot, lambda: problem in text_of(app, "#dial-status") and notifications(app)
        )  # a notice arrives as a message of its own
        assert problem in notifications(app)[-1]
        assert isinstance(app.screen, CallScreen)  # the call goes on: dial by hand


def test_the_number_never_reaches_a_shell():
    assert dial_arguments("softphone --dial", "+74951000001") == [
        "softphone",
        "--dial",
        "+74951000001",
    ]
    assert dial_arguments("sip 'call {e164};x'", "+7495$(rm)") == ["sip", "call +7495$(rm);x"]
    with pytest.raises(DialError, match="cannot be read"):
        dial_arguments("sip 'unclosed", "+74951000001")
