"""Dialling through the office PBX on the desk: the live state, the pre-selected outcome,
auto-record, an answered call, and the PBX out of reach. A real service (in a thread) talks
to an AMI peer on 127.0.0.1; the desk only reads the database, as in production."""

from __future__ import annotations

import re
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from tui_helpers import Lead, make_desk, moscow_phone, settle, text_of, wait_for

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "telephony"))

from ami_peer import AmiPeer  # noqa: E402
from telephony_helpers import ServiceThread, asterisk_settings, wait_until  # noqa: E402

from tmdesk.services.telephony.calls import service_problem  # noqa: E402
from tmdesk.services.users import set_extension  # noqa: E402
from tmdesk.store.models import CallAttempt, PhoneCall  # noqa: E402
from tmdesk.tui.desk.call import CallScreen  # noqa: E402
from tmdesk.tui.qualification.form import QualificationPanel  # noqa: E402

SIZE = (120, 40)


def pbx_desk(tmp_path, settings):
    desk = make_desk(tmp_path / "t.db", tmp_path, settings=settings)
    desk.import_leads([Lead("Альфа", moscow_phone(1)), Lead("Бета", moscow_phone(2))])
    set_extension("anna", "101")
    return desk


@contextmanager
def pbx_office(tmp_path, ending: str, **telephony):
    """The PBX (an AMI peer), the service running, and a desk for anna on extension 101."""
    with AmiPeer(ending=ending) as peer:
        settings = asterisk_settings(peer.port, **telephony)
        desk = pbx_desk(tmp_path, settings)
        with ServiceThread(settings):
            wait_until(lambda: service_problem() is None)
            yield peer, desk.app(agent="anna")


async def dial(pilot) -> None:
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CallScreen)
    await pilot.press("ctrl+d")


def state(app) -> str:
    return text_of(app, "#pbx-state")


async def test_ringing_then_busy_is_preselected_and_enter_records_it(tmp_path):
    with pbx_office(tmp_path, "busy") as (peer, app):
        peer.hold = threading.Event()
        async with app.run_test(size=SIZE) as pilot:
            await dial(pilot)
            await wait_for(pilot, lambda: state(app).startswith("Ringing "))
            assert not CallAttempt.select().exists()
            peer.hold.set()
            busy_key = app.screen.query_one("#bar-dispo-busy")
            # the line says it at once; the outcome bar hears it by a message, a moment later
            await wait_for(
                pilot,
                lambda: state(app).startswith("Ended: busy") and busy_key.has_class("-preselected"),
            )
            assert state(app) == "Ended: busy · Enter records “busy” · Esc: another outcome"
            assert app.focused.id == "notes"  # Enter goes to the outcome, not the notes
            await pilot.press("enter")
            await wait_for(pilot, lambda: CallAttempt.select().exists())
            await settle(pilot)
            assert app.screen.lead.card.company == "Бета"  # on to the next lead
            assert not app.screen.query_one("#pbx-state").display
    attempt = CallAttempt.get()
    assert attempt.disposition == "busy" and attempt.note == ""
    call = PhoneCall.get()
    assert (call.attempt_id, call.result, call.cause, call.ring_seconds) == (
        attempt.id,
        "busy",
        "BUSY",
        4,
    )


async def test_no_answer_is_recorded_by_itself_after_the_countdown(tmp_path):
    with pbx_office(tmp_path, "no_answer", auto_record_seconds=2) as (peer, app):
        async with app.run_test(size=SIZE) as pilot:
            await dial(pilot)
            await wait_for(pilot, lambda: "recording “no answer” in" in state(app))
            # the countdown may have ticked once already on a loaded machine
            assert re.fullmatch(
                r"Ended: no answer · recording “no answer” in [12] s · Enter now · Esc stops",
                state(app),
            )
            await wait_for(pilot, lambda: CallAttempt.select().exists())  # zero keys
    assert CallAttempt.get().disposition == "no_answer"
    assert PhoneCall.get().attempt_id == CallAttempt.get().id


async def test_esc_stops_the_countdown_and_the_agent_chooses(tmp_path):
    # a countdown long enough for a loaded machine to see it before it records by itself
    with pbx_office(tmp_path, "unreachable", auto_record_seconds=8) as (peer, app):
        async with app.run_test(size=SIZE) as pilot:
            await dial(pilot)
            await wait_for(pilot, lambda: re.search(r"in [2-8] s", state(app)))
            await pilot.press("escape")
            assert state(app) == "Ended: unreachable"
            for _second in range(3):  # the countdown's ticks come and go: nothing
                app.screen.tick()
            await settle(pilot)
            assert not CallAttempt.select().exists()
            assert not app.screen.query_one("#bar-dispo-no-answer").has_class("-preselected")
            await pilot.press("enter")  # a new line in the notes now
            assert app.screen.notes.text == "\n"


async def test_an_answered_call_shows_its_talk_time_and_f10_opens_the_form(tmp_path):
    with pbx_office(tmp_path, "answered", auto_record_seconds=2) as (peer, app):
        peer.hold_talk = threading.Event()
        async with app.run_test(size=SIZE) as pilot:
            await dial(pilot)
            await wait_for(pilot, lambda: state(app).startswith("Talking 0:0"))
            peer.hold_talk.set()
            await wait_for(pilot, lambda: state(app).startswith("Ended"))
            assert state(app) == "Ended: answered, 3:42"  # nothing pre-selected
            await pilot.press("f10")
            await settle(pilot)
            assert app.screen.query_one(QualificationPanel)
            assert not CallAttempt.select().exists()


async def test_without_the_service_the_desk_says_so_and_dials_by_hand(tmp_path):
    settings = asterisk_settings(1)
    desk = pbx_desk(tmp_path, settings)
    app = desk.app(agent="anna")
    async with app.run_test(size=SIZE) as pilot:
        await dial(pilot)
        await wait_for(pilot, lambda: "PBX unavailable" in state(app))
        assert state(app) == (
            "PBX unavailable: the telephony service is not running "
            "(`tmdesk telephony serve`). Dial by hand."
        )
        assert app.clipboard == "+74951000001"  # the manual way, as without a PBX
        assert "Copied +74951000001" in text_of(app, "#dial-status")


async def test_opening_the_form_during_the_countdown_stops_it(tmp_path):
    with pbx_office(tmp_path, "no_answer", auto_record_seconds=2) as (peer, app):
        async with app.run_test(size=SIZE) as pilot:
            await dial(pilot)
            await wait_for(pilot, lambda: "in 2 s" in state(app))
            await pilot.press("f10")  # they picked up after all: the agent qualifies
            await settle(pilot)
            for _second in range(3):
                app.screen.tick()
            await settle(pilot)
            assert state(app) == "Ended: no answer"
            assert not CallAttempt.select().exists()
