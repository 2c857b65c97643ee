"""Killing the desk in the middle of the qualification form loses nothing: the restarted
desk opens the same lead with the form, the answers, the text typed but not understood,
and the people. The desk runs in a real process, killed with SIGKILL."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tui_helpers import WEDNESDAY_10_MSK, Desk, Lead, moscow_phone, said, settle, text_of

from tmdesk.tui.desk.call import CallScreen
from tmdesk.tui.qualification.form import QualificationPanel

SCRIPT = Path(__file__).with_name("qualification_process.py")


def ready_line(process: subprocess.Popen, timeout: float) -> str:
    """The process's first line, once it is ready; on a timeout or an early exit, fail
    with what it wrote on stderr (read after it is gone, so the read cannot block)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        ready, _, _ = select.select([process.stdout], [], [], 0.2)
        if ready:
            return process.stdout.readline()
    process.kill()
    process.wait()
    raise AssertionError(f"the desk process did not get ready: {process.stderr.read()[-2000:]}")


@pytest.mark.slow
async def test_a_killed_desk_comes_back_with_the_form_and_its_answers(desk: Desk):
    desk.import_leads(
        [
            # no contact on the lead: the decision maker is typed in (nothing pre-filled)
            Lead("Альфа", moscow_phone(1), contact="", priority=2),
            Lead("Бета", moscow_phone(2), priority=1),
        ]
    )
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), desk.workspace.target, "anna", WEDNESDAY_10_MSK.isoformat()],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = ready_line(process, timeout=120)
        assert line.startswith("ready"), line
        lead_id = int(line.split()[1])
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL

    app = desk.app(agent="anna")
    told = said(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
        assert app.screen.lead_id == lead_id == desk.lead_id("Альфа")
        panel = app.screen.query_one(QualificationPanel)  # open again, by itself
        assert panel.answers == {
            "right_person": "self",
            "activity": "manufacturing",
            "employees": 250,
            "district": "cfo",
            "current_solution": "none",
            "need": True,
            "need_details": "цех",
        }
        screen = app.screen
        assert screen.query_one("#answer-employees").value == "250"
        assert screen.query_one("#answer-need_details").value == "цех"
        assert screen.query_one("#answer-timeline").value == "31.02"  # as typed
        assert text_of(app, "#question-timeline .question-echo") == "no such date 31.02"
        assert screen.query_one(".person-name").value == "Сидоров Пётр"
        assert screen.query_one(".person-phone").value == "8 495 765-43-21"
        assert "→ +7 495 765-43-21" in text_of(app, ".person-phone-echo")
        assert app.focused.id == "answer-timeline"  # back where the answers stopped
        assert any("qualification answers for Альфа are back" in n for n in told)
