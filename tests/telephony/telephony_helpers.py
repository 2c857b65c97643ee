"""Helpers of the telephony tests: the service in a thread, a claimed lead, waiting."""

from __future__ import annotations

import asyncio
import threading
import time

from tui_helpers import WEDNESDAY_10_MSK, Lead, make_desk, moscow_phone

from tmdesk.config import Settings, TelephonySettings
from tmdesk.services.calls import claim_next_lead
from tmdesk.services.telephony.serve import serve
from tmdesk.services.users import set_extension
from tmdesk.store.models import CallAttempt, PhoneCall


def asterisk_settings(port: int, **changes) -> Settings:
    telephony = TelephonySettings(
        backend="asterisk",
        ami_port=port,
        ami_username="tmdesk",
        ami_secret="s3cret",
        caller_id="+74957770000",
        **changes,
    )
    return Settings().with_(telephony=telephony)


class ServiceThread:
    """`tmdesk telephony serve` in a thread of this process, stopped on exit."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.started = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        async def main() -> None:
            self.loop = asyncio.get_running_loop()
            self.stop = asyncio.Event()
            self.started.set()
            await serve(self.settings, stop=self.stop)

        try:
            asyncio.run(main())
        except BaseException as error:  # noqa: BLE001 - reported by the test
            self.error = error

    def __enter__(self) -> ServiceThread:
        self.thread.start()
        assert self.started.wait(5)
        return self

    def __exit__(self, *exc) -> None:
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(10)
        assert self.error is None, self.error


def wait_until(condition, timeout: float = 10.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(0.02)


def desk_with_a_claimed_lead(tmp_path, settings: Settings, extension: str | None = "101"):
    """A desk, anna with her extension, one lead she holds. Returns (desk, lead_id)."""
    desk = make_desk(tmp_path / "t.db", tmp_path, settings=settings)
    desk.import_leads([Lead("Альфа", moscow_phone(1))])
    if extension:
        set_extension("anna", extension)
    claim = claim_next_lead(desk.users["anna"].id, settings, now=WEDNESDAY_10_MSK)
    assert claim is not None
    return desk, claim.lead_id


def linked_phone_call(attempt: CallAttempt, **fields) -> PhoneCall:
    """An ended PBX call on a recorded attempt, as the service and the outcome leave it."""
    return PhoneCall.create(
        lead=attempt.lead_id,
        agent=attempt.agent_id,
        attempt=attempt.id,
        phone_e164=attempt.phone_e164,
        extension="101",
        provider="asterisk",
        requested_at=attempt.at,
        state="ended",
        **fields,
    )
