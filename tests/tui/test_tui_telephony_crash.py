"""A desk killed while the lead's number rings loses nothing: the service (a real process)
writes the result, and the restarted desk shows it and records it on the attempt."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from test_tui_crash import read_line
from tui_helpers import WEDNESDAY_10_MSK, Lead, make_desk, moscow_phone, settle, text_of, wait_for

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "telephony"))

from ami_peer import AmiPeer  # noqa: E402
from telephony_helpers import wait_until  # noqa: E402

from tmdesk.services.telephony.calls import service_problem  # noqa: E402
from tmdesk.services.users import set_extension  # noqa: E402
from tmdesk.store.models import CallAttempt, PhoneCall  # noqa: E402
from tmdesk.tui.desk.call import CallScreen  # noqa: E402

SCRIPT = Path(__file__).with_name("pbx_desk_process.py")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)
    for stream in (process.stdout, process.stderr):
        if stream:
            stream.close()


@pytest.mark.slow
async def test_a_desk_killed_while_ringing_gets_the_result_after_restart(tmp_path):
    with AmiPeer(ending="busy") as peer:
        peer.hold = threading.Event()
        config = tmp_path / "desk.toml"
        config.write_text(
            "[telephony]\n"
            'backend = "asterisk"\n'
            f"ami_port = {peer.port}\n"
            'ami_username = "tmdesk"\n'
            'ami_secret_env = "TEST_AMI_SECRET"\n'
            'caller_id = "+74957770000"\n',
            encoding="utf-8",
        )
        db = tmp_path / "t.db"
        desk = make_desk(db, tmp_path, config=config)
        desk.import_leads([Lead("Альфа", moscow_phone(1)), Lead("Бета", moscow_phone(2))])
        set_extension("anna", "101")
        environment = {**os.environ, "TEST_AMI_SECRET": "s3cret"}
        service = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tmdesk",
                "--db",
                str(db),
                "--config",
                str(config),
                "telephony",
                "serve",
            ],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_until(lambda: service_problem() is None, timeout=30, what="the service")
            desk_process = subprocess.Popen(
                [
                    sys.executable,
                    str(SCRIPT),
                    str(db),
                    str(config),
                    "anna",
                    WEDNESDAY_10_MSK.isoformat(),
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            try:
                line = read_line(desk_process, timeout=60)
                assert line.startswith("ringing"), line
                lead_id = int(line.split()[1])
                os.kill(desk_process.pid, signal.SIGKILL)
            finally:
                stop(desk_process)
            assert desk_process.returncode == -signal.SIGKILL
            peer.hold.set()  # the lead's line is busy: the service alone is there to hear it
            wait_until(lambda: PhoneCall.get().state == "ended", what="the result")

            app = desk.app(agent="anna")
            async with app.run_test(size=(120, 40)) as pilot:
                await settle(pilot)
                assert isinstance(app.screen, CallScreen) and app.screen.lead_id == lead_id
                await wait_for(pilot, lambda: "Enter records" in text_of(app, "#pbx-state"))
                assert text_of(app, "#pbx-state").startswith("Ended: busy")
                await pilot.press("enter")
                await wait_for(pilot, lambda: CallAttempt.select().exists())
        finally:
            stop(service)
    attempt = CallAttempt.get()
    call = PhoneCall.get()
    assert attempt.lead_id == lead_id and attempt.disposition == "busy"
    assert (call.attempt_id, call.result, call.ring_seconds, call.line) == (
        attempt.id,
        "busy",
        4,
        "+74957770000",
    )
