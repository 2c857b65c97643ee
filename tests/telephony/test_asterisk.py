"""The Asterisk backend and the service against an AMI peer on 127.0.0.1: what is sent to
the PBX, and what each kind of call leaves on the record."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from ami_peer import AmiPeer
from telephony_helpers import (
    WEDNESDAY_10_MSK,
    ServiceThread,
    asterisk_settings,
    desk_with_a_claimed_lead,
    wait_until,
)

from tmdesk.domain.dispositions import Disposition
from tmdesk.domain.telephony import preselected
from tmdesk.services.calls import record_disposition
from tmdesk.services.telephony.ami import Message
from tmdesk.services.telephony.asterisk import call_id_of, channel_variable
from tmdesk.services.telephony.calls import (
    TelephonyUnavailable,
    beat,
    call_info,
    fail_silent_calls,
    request_call,
    service_problem,
    take_requests,
)
from tmdesk.store.models import PhoneCall, TelephonyEvent


def ended(call_id: int):
    return lambda: not call_info(call_id).state.live


@pytest.mark.parametrize(
    "ending, result, cause, ring, talk",
    [
        ("answered", "answered", "16 Normal Clearing", 6, 222),
        ("busy", "busy", "BUSY", 4, None),
        ("no_answer", "no_answer", "NOANSWER", 31, None),
        ("unreachable", "unreachable", "CHANUNAVAIL", 2, None),
    ],
)
def test_each_kind_of_call_comes_back_with_its_result(tmp_path, ending, result, cause, ring, talk):
    with AmiPeer(ending=ending) as peer:
        settings = asterisk_settings(peer.port)
        desk, lead_id = desk_with_a_claimed_lead(tmp_path, settings)
        anna = desk.users["anna"].id
        with ServiceThread(settings):
            wait_until(lambda: service_problem() is None, what="the service to log in")
            call = request_call(lead_id, anna, settings)
            wait_until(ended(call.id), what="the call to end")
        info = call_info(call.id)
        assert (info.result.value, info.cause) == (result, cause)
        # from the PBX's own timestamps: DialBegin → DialEnd, and the CDR's billable seconds
        assert (info.ring_seconds, info.talk_seconds) == (ring, talk)
        assert info.line == "+74957770000"
        assert info.provider == "asterisk" and info.provider_call_id == f"1733470000.{call.id}1"
        assert info.recording == f"/var/spool/asterisk/monitor/tmdesk-{call.id}.wav"
        (originate,) = peer.originates
        assert originate == {
            "Action": "Originate",
            "Channel": "PJSIP/101",  # the agent's own phone first
            "Context": "from-tmdesk",
            "Exten": "74951000001",  # then the lead, through the dialplan
            "Priority": "1",
            "Timeout": "30000",
            "Async": "true",
            "Variable": f"__TMDESK_CALL={call.id}",
            "CallerID": "<+74957770000>",
            "ActionID": f"tmdesk-call-{call.id}",
        }
    # the outcome recorded afterwards carries the call
    disposition = preselected(info.result) or Disposition.NOT_INTERESTED
    assert disposition == {"busy": "busy", "answered": "not_interested"}.get(ending, "no_answer")
    recorded = record_disposition(
        lead_id, anna, disposition, settings, reason="has a supplier", now=WEDNESDAY_10_MSK
    )
    assert PhoneCall.get_by_id(call.id).attempt_id == recorded.attempt_id


def test_the_agents_phone_not_answering_fails_the_call(tmp_path):
    with AmiPeer(ending="agent_missed") as peer:
        settings = asterisk_settings(peer.port)
        desk, lead_id = desk_with_a_claimed_lead(tmp_path, settings)
        with ServiceThread(settings):
            wait_until(lambda: service_problem() is None)
            call = request_call(lead_id, desk.users["anna"].id, settings)
            wait_until(ended(call.id))
    info = call_info(call.id)
    assert info.state.value == "failed" and info.result.value == "failed"
    assert info.cause == "your phone did not answer (reason 3)"


def test_a_wrong_secret_is_shown_and_the_desk_dials_by_hand(tmp_path):
    with AmiPeer(secret="other") as peer:
        settings = asterisk_settings(peer.port)
        desk, lead_id = desk_with_a_claimed_lead(tmp_path, settings)
        with ServiceThread(settings):
            wait_until(lambda: "refused the login" in (service_problem() or ""))
            assert service_problem() == (
                f"cannot reach the PBX at 127.0.0.1:{peer.port}: the Asterisk manager "
                "refused the login 'tmdesk': Authentication failed"
            )
            with pytest.raises(TelephonyUnavailable, match="refused the login"):
                request_call(lead_id, desk.users["anna"].id, settings)
    assert not peer.originates


def test_without_the_service_the_desk_is_told(tmp_path):
    settings = asterisk_settings(1)
    desk, lead_id = desk_with_a_claimed_lead(tmp_path, settings)
    with pytest.raises(TelephonyUnavailable, match="telephony service is not running"):
        request_call(lead_id, desk.users["anna"].id, settings)


def test_an_agent_without_an_extension_is_told_what_to_ask_for(tmp_path):
    settings = asterisk_settings(1)
    desk, lead_id = desk_with_a_claimed_lead(tmp_path, settings, extension=None)
    with pytest.raises(TelephonyUnavailable, match="users edit YOUR_LOGIN --extension"):
        request_call(lead_id, desk.users["anna"].id, settings)


def test_the_connection_drops_mid_call_and_the_resent_result_lands_once(tmp_path):
    with AmiPeer(ending="busy") as peer:
        peer.hold = threading.Event()
        peer.drop_while_ringing = True
        settings = asterisk_settings(peer.port)
        desk, lead_id = desk_with_a_claimed_lead(tmp_path, settings)
        with ServiceThread(settings):
            wait_until(lambda: service_problem() is None)
            call = request_call(lead_id, desk.users["anna"].id, settings)
            wait_until(lambda: call_info(call.id).state.value == "ringing")
            peer.hold.set()  # the PBX drops the line here, then re-sends from DialBegin
            wait_until(ended(call.id), what="the result after the reconnect")
        assert peer.logins == 2
    info = call_info(call.id)
    assert (info.result.value, info.cause, info.ring_seconds) == ("busy", "BUSY", 4)
    kinds = [event.kind for event in TelephonyEvent.select().order_by(TelephonyEvent.id)]
    assert kinds.count("DialBegin") == 1 and kinds.count("DialEnd") == 1  # repeats dropped
    assert sum(1 for sent in peer.sent if sent["Event"] == "DialBegin") == 2


def test_channel_variables_are_read_in_old_and_new_formats():
    new = Message()
    new.add("ChanVariable", "TMDESK_CALL=42")
    new.add("ChanVariable", "TMDESK_RECORDING=/var/spool/asterisk/monitor/x.wav")
    assert call_id_of(new) == 42
    assert channel_variable(new, "TMDESK_RECORDING") == "/var/spool/asterisk/monitor/x.wav"
    old = Message()  # Asterisk 1.8–11: the channel in the key, "name: value"
    old.add("ChanVariable(PJSIP/101-00000001)", "TMDESK_CALL: 7")
    assert call_id_of(old) == 7
    assert call_id_of(Message()) is None


def test_the_line_is_chosen_per_call_list(tmp_path):
    settings = asterisk_settings(1, caller_ids={"Осень": "+74957770001"})
    desk, lead_id = desk_with_a_claimed_lead(tmp_path, settings)  # imported as "Осень"
    beat("asterisk", None)  # a running service that reaches the PBX
    call = request_call(lead_id, desk.users["anna"].id, settings)
    assert call.line == "+74957770001" and call.state.value == "requested"
    other = asterisk_settings(1, caller_ids={"Весна": "+74957770002"})
    assert request_call(lead_id, desk.users["anna"].id, other).line == "+74957770000"


def test_a_call_the_pbx_never_reports_on_fails_instead_of_ringing_for_ever(tmp_path):
    settings = asterisk_settings(1)
    desk, lead_id = desk_with_a_claimed_lead(tmp_path, settings)
    beat("asterisk", None)
    call = request_call(lead_id, desk.users["anna"].id, settings)
    (taken,) = take_requests("asterisk")  # the service took it, then died before Originate
    assert taken.call_id == call.id and call_info(call.id).state.value == "dialling"
    requested = PhoneCall.get_by_id(call.id).requested_at
    assert fail_silent_calls("asterisk", now=requested + timedelta(seconds=119)) == 0
    assert fail_silent_calls("asterisk", now=requested + timedelta(seconds=121)) == 1
    info = call_info(call.id)
    assert (info.state.value, info.cause) == ("failed", "the PBX never reported on this call")
