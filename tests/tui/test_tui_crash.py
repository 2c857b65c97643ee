"""Killing the desk mid-call loses nothing: the restarted desk opens the same lead with the
notes typed before the kill. The desk runs in a real process, killed with SIGKILL."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from textual.widgets import TextArea
from tui_helpers import WEDNESDAY_10_MSK, Desk, Lead, moscow_phone, notifications, settle, text_of

from tmdesk.tui.desk.call import CallScreen

SCRIPT = Path(__file__).with_name("desk_process.py")
NOTES = "ЛПР Сидоров, бюджет в марте"


def read_line(process: subprocess.Popen, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.2)
        if ready:
            return process.stdout.readline()
        if process.poll() is not None:
            break
    process.kill()  # reading stderr of a live process would wait forever
    process.wait()
    raise AssertionError(f"the desk process did not get ready: {process.stderr.read()[-2000:]}")


@pytest.mark.slow
async def test_a_killed_desk_comes_back_with_the_lead_and_the_notes(desk: Desk):
    desk.import_leads(
        [Lead("Альфа", moscow_phone(1), priority=2), Lead("Бета", moscow_phone(2), priority=1)]
    )
    process = subprocess.Popen(
        [
            sys.executable,
            str(SCRIPT),
            desk.workspace.target,
            "anna",
            NOTES,
            WEDNESDAY_10_MSK.isoformat(),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = read_line(process, timeout=60)
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
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
        assert app.screen.lead_id == lead_id == desk.lead_id("Альфа")
        assert text_of(app, "#card-company") == "Альфа"
        assert app.screen.query_one("#notes", TextArea).text == NOTES
        assert "your notes are back" in notifications(app)[-1]
