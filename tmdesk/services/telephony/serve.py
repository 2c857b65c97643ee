"""`tmdesk telephony serve`: the one process that holds the PBX side for every desk.

It beats a heartbeat row each second (desks see whether it runs and whether the PBX
answers), claims the dial requests desks write, hands them to the backend, and writes every
event the backend reports. The database work is small and local, so it runs on the loop.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from tmdesk.config import Settings
from tmdesk.domain.telephony import CallResult, CallState
from tmdesk.errors import TmdeskError
from tmdesk.i18n import _
from tmdesk.services.telephony import calls
from tmdesk.services.telephony.port import Backend, CallUpdate, DialRequest, TelephonyError

log = logging.getLogger("tmdesk.telephony")

POLL_SECONDS = 0.2  # how soon a desk's request is picked up
BEAT_SECONDS = 1.0


def make_backend(settings: Settings, listen: str | None = None) -> Backend:
    telephony = settings.telephony
    if telephony.backend == "asterisk":
        from tmdesk.services.telephony.asterisk import AsteriskBackend

        return AsteriskBackend(telephony)
    if telephony.backend == "zadarma":
        from tmdesk.services.telephony.zadarma import ZadarmaBackend

        return ZadarmaBackend(telephony, listen or telephony.listen)
    raise TmdeskError(
        _(
            "[telephony] backend is {backend!r}: the service is for asterisk or zadarma; "
            "with command the desk dials by itself"
        ).format(backend=telephony.backend)
    )


async def serve(
    settings: Settings,
    *,
    listen: str | None = None,
    backend: Backend | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Run until `stop` is set (or the task is cancelled)."""
    backend = backend or make_backend(settings, listen)
    stop = stop or asyncio.Event()
    problem: list[str | None] = [_("connecting to the PBX")]

    def status(text: str | None) -> None:
        if text != problem[0]:
            log.info("PBX: %s", text or "connected")
        problem[0] = text
        calls.beat(backend.provider, text)

    def sink(update: CallUpdate) -> None:
        if not calls.record_update(update):
            log.debug("repeat dropped: %s", update.key)

    async def dial(request: DialRequest) -> None:
        try:
            await backend.dial(request)
        except (TelephonyError, OSError, TimeoutError) as error:
            sink(
                CallUpdate(
                    provider=backend.provider,
                    key=f"{backend.provider}:request:{request.call_id}:refused",
                    kind="refused",
                    at=datetime.now(UTC),
                    call_id=request.call_id,
                    state=CallState.FAILED,
                    result=CallResult.FAILED,
                    cause=str(error) or error.__class__.__name__,
                )
            )

    calls.beat(backend.provider, problem[0])
    runner = asyncio.create_task(backend.run(sink, status))
    dials: set[asyncio.Task[None]] = set()
    beaten = 0.0
    loop = asyncio.get_running_loop()
    try:
        while not stop.is_set():
            if runner.done():
                runner.result()  # a backend that stops by itself is a bug: raise it
            if loop.time() - beaten >= BEAT_SECONDS:
                calls.beat(backend.provider, problem[0])
                calls.fail_silent_calls(backend.provider)
                beaten = loop.time()
            for request in calls.take_requests(backend.provider):
                task = asyncio.create_task(dial(request))
                dials.add(task)
                task.add_done_callback(dials.discard)
            try:
                await asyncio.wait_for(stop.wait(), POLL_SECONDS)
            except TimeoutError:
                pass
    finally:
        runner.cancel()
        for task in [runner, *dials]:
            try:
                await task
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - shutting down
                pass
