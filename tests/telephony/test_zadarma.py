"""The Zadarma backend: signatures, the callback request, and the webhook receiver taking
signed events once, refusing unsigned, mis-signed and (harmlessly) replayed ones."""

from __future__ import annotations

import socket
import urllib.request

from telephony_helpers import ServiceThread, desk_with_a_claimed_lead, wait_until
from zadarma_peer import KEY, SECRET, ZadarmaPeer, post_event, signed_event

from tmdesk.config import Settings, TelephonySettings
from tmdesk.services.telephony.calls import call_info, request_call, service_problem
from tmdesk.services.telephony.zadarma import event_signature, request_signature
from tmdesk.store.models import TelephonyEvent

# Worked by hand with openssl, following the documented algorithm, e.g. for the request:
#   Q='format=json&from=101&to=74951000001'; M=$(printf %s "$Q" | openssl dgst -md5 -r)
#   printf %s "/v1/request/callback/$Q${M%% *}" | openssl dgst -sha1 -hmac s3cret -r
#   (the hex digest) | base64
REQUEST_VECTOR = "NTg5ODI2MTJmYjQwZjkyNjUxMjZkNDEzZDk2OTNjODI0NGQ4NzUxYw=="
OUT_END_VECTOR = "N2M0ZmNlZGY1MWY3ZjAwZjQyYzk4NTZjMjk0NTJhYzA1Y2Q3MWJiNg=="
RECORD_VECTOR = "ODY4NzNmZWQzMTA3NGFlOTYwNDc2YWJjYmEyNTFjYzE0MjNmNWRhNw=="

START = "2026-12-06 10:00:00"


def test_signatures_match_the_worked_examples():
    params = {"to": "74951000001", "from": "101", "format": "json"}
    assert request_signature("/v1/request/callback/", params, SECRET) == REQUEST_VECTOR
    event = {
        "event": "NOTIFY_OUT_END",
        "internal": "101",
        "destination": "74951000001",
        "call_start": START,
        "pbx_call_id": "x",
        "duration": "0",
    }
    assert event_signature(event, SECRET) == OUT_END_VECTOR == signed_event(event)
    record = {
        "event": "NOTIFY_RECORD",
        "pbx_call_id": "1733470000.4242",
        "call_id_with_rec": "rec-77",
    }
    assert event_signature(record, SECRET) == RECORD_VECTOR
    assert event_signature({"event": "NOTIFY_START"}, SECRET) is None  # not ours to take


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def zadarma_settings(peer: ZadarmaPeer, port: int) -> Settings:
    return Settings().with_(
        telephony=TelephonySettings(
            backend="zadarma",
            api_key=KEY,
            api_secret_env="TEST_ZADARMA_SECRET",
            api_url=peer.url,
            listen=f"127.0.0.1:{port}",
        )
    )


def events(kind: str) -> int:
    return TelephonyEvent.select().where(TelephonyEvent.kind == kind).count()


def test_a_callback_and_its_signed_events_land_on_the_call_once(tmp_path, monkeypatch):
    monkeypatch.setenv("TEST_ZADARMA_SECRET", SECRET)
    port = free_port()
    receiver = f"http://127.0.0.1:{port}/zadarma"
    with ZadarmaPeer() as peer:
        settings = zadarma_settings(peer, port)
        desk, lead_id = desk_with_a_claimed_lead(tmp_path, settings)
        with ServiceThread(settings):
            wait_until(lambda: service_problem() is None, what="the receiver")
            with urllib.request.urlopen(f"{receiver}?zd_echo=abc", timeout=5) as echo:
                assert echo.read() == b"abc"  # the URL check of the provider's settings
            call = request_call(lead_id, desk.users["anna"].id, settings)
            wait_until(lambda: peer.callbacks, what="the callback request")
            assert peer.callbacks == [{"from": "101", "to": "74951000001", "format": "json"}]
            assert peer.refused == 0  # the provider accepted our signature

            start = {
                "event": "NOTIFY_OUT_START",
                "call_start": START,
                "pbx_call_id": "out_4242",
                "internal": "101",
                "destination": "74951000001",
            }
            end = {
                **start,
                "event": "NOTIFY_OUT_END",
                "duration": "222",
                "disposition": "answered",
                "status_code": "16",
                "is_recorded": "1",
                "call_id_with_rec": "rec-77",
                "caller_id": "74957770000",
            }
            record = {
                "event": "NOTIFY_RECORD",
                "pbx_call_id": "out_4242",
                "call_id_with_rec": "rec-77",
            }

            assert post_event(receiver, end, signature="") == 401  # unsigned
            assert post_event(receiver, end, signature=signed_event(end, "guess")) == 401
            forged = {**end, "disposition": "busy"}  # a signed field kept, another changed:
            assert (
                post_event(
                    receiver, {**forged, "destination": "79990000000"}, signature=signed_event(end)
                )
                == 401
            )
            assert events("NOTIFY_OUT_END") == 0

            assert post_event(receiver, start) == 200
            wait_until(lambda: call_info(call.id).state.value == "ringing")
            assert post_event(receiver, end) == 200
            assert post_event(receiver, end) == 200  # the provider retries: taken once
            assert post_event(receiver, record) == 200
            wait_until(lambda: call_info(call.id).recording is not None)
    info = call_info(call.id)
    assert (info.state.value, info.result.value, info.talk_seconds) == ("ended", "answered", 222)
    assert info.provider_call_id == "out_4242" and info.cause == "answered (16)"
    assert info.recording == "https://api.zadarma.com/v1/pbx/record/download/rec-77.mp3"
    assert events("NOTIFY_OUT_END") == 1


def test_a_refused_callback_fails_the_call_with_the_reason(tmp_path, monkeypatch):
    monkeypatch.setenv("TEST_ZADARMA_SECRET", "not-the-secret")
    port = free_port()
    with ZadarmaPeer() as peer:
        settings = zadarma_settings(peer, port)
        desk, lead_id = desk_with_a_claimed_lead(tmp_path, settings)
        with ServiceThread(settings):
            wait_until(lambda: service_problem() is None)
            call = request_call(lead_id, desk.users["anna"].id, settings)
            wait_until(lambda: not call_info(call.id).state.live)
        assert peer.refused == 1
    info = call_info(call.id)
    assert info.result.value == "failed"
    assert info.cause == "the PBX API refused /v1/request/callback/: Not authorized"
