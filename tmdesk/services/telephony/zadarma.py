"""The Zadarma backend (Novofon speaks the same API): the signed callback request, and the
receiver of the PBX's signed call events.

Signatures, as Zadarma's API documentation and its official client (zadarma/user-api-v1)
specify them:
- a request: the parameters sorted by name, built into a query string (PHP
  http_build_query, RFC 1738: spaces as "+"); then the method path + that string + the MD5
  hex of that string, HMAC-SHA1 with the secret, as hex, and that hex in base64. Header
  `Authorization: KEY:SIGNATURE`.
- an event (header `Signature`): base64 of the hex HMAC-SHA1 of a few of its fields:
  NOTIFY_OUT_START and NOTIFY_OUT_END: internal + destination + call_start;
  NOTIFY_RECORD: pbx_call_id + call_id_with_rec.
Each event is recorded once, keyed by the provider's call id and the event: Zadarma retries
until it gets a 200, so a repeat is answered 200 and dropped.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from tmdesk.config import TelephonySettings
from tmdesk.domain.telephony import CallResult, CallState, result_of_zadarma
from tmdesk.i18n import _
from tmdesk.services.telephony.port import CallUpdate, DialRequest, Sink, Status, TelephonyError

TIMEOUT = 15.0
SIGNED_FIELDS = {
    "NOTIFY_OUT_START": ("internal", "destination", "call_start"),
    "NOTIFY_OUT_END": ("internal", "destination", "call_start"),
    "NOTIFY_RECORD": ("pbx_call_id", "call_id_with_rec"),
}


def _hex_hmac_base64(secret: str, text: str) -> str:
    digest = hmac.new(secret.encode(), text.encode(), hashlib.sha1).hexdigest()
    return base64.b64encode(digest.encode()).decode()


def query_string(params: dict[str, str]) -> str:
    return urlencode(sorted(params.items()))  # quote_plus: PHP's RFC 1738 encoding


def request_signature(method: str, params: dict[str, str], secret: str) -> str:
    query = query_string(params)
    return _hex_hmac_base64(secret, method + query + hashlib.md5(query.encode()).hexdigest())


def event_signature(event: dict[str, str], secret: str) -> str | None:
    """What the Signature header of this event must be; None for events we do not take."""
    fields = SIGNED_FIELDS.get(event.get("event", ""))
    if fields is None:
        return None
    return _hex_hmac_base64(secret, "".join(event.get(name, "") for name in fields))


def verified(event: dict[str, str], signature: str, secret: str) -> bool:
    expected = event_signature(event, secret)
    return expected is not None and hmac.compare_digest(expected, signature.strip())


def _int(value: str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def update_of(event: dict[str, str], now: datetime) -> CallUpdate | None:
    """The CallUpdate of a verified event."""
    kind = event.get("event", "")
    pbx_call_id = event.get("pbx_call_id", "")
    common: dict[str, Any] = {
        "provider": "zadarma",
        "key": f"zadarma:{pbx_call_id}:{kind}",
        "kind": kind,
        "at": now,
        "provider_call_id": pbx_call_id or None,
        "payload": dict(event),
    }
    if kind == "NOTIFY_OUT_START":
        return CallUpdate(
            **common,
            match=(event.get("internal", ""), event.get("destination", "")),
            state=CallState.RINGING,
        )
    if kind == "NOTIFY_OUT_END":
        result = result_of_zadarma(event.get("disposition", ""))
        duration = _int(event.get("duration", ""))
        cause = event.get("disposition", "")
        if event.get("status_code"):
            cause += f" ({event['status_code']})"
        return CallUpdate(
            **common,
            match=(event.get("internal", ""), event.get("destination", "")),
            state=CallState.ENDED,
            result=result,
            cause=cause,
            line=event.get("caller_id") or None,
            talk_seconds=duration if result is CallResult.ANSWERED else None,
        )
    if kind == "NOTIFY_RECORD":
        return CallUpdate(**common, recording=event.get("call_id_with_rec") or None)
    return None


class ZadarmaBackend:
    provider = "zadarma"

    def __init__(self, settings: TelephonySettings, listen: str) -> None:
        self.settings = settings
        self.listen = listen
        self.secret = settings.secret("", settings.api_secret_env)

    # --- the API -----------------------------------------------------------------------------

    async def call_api(self, method: str, params: dict[str, str]) -> dict[str, Any]:
        import aiohttp

        params = {**params, "format": "json"}  # signed too, as the official client does
        headers = {
            "Authorization": f"{self.settings.api_key}:"
            + request_signature(method, params, self.secret)
        }
        url = self.settings.api_url.rstrip("/") + method + "?" + query_string(params)
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT)) as s:
                async with s.get(url, headers=headers) as response:
                    text = await response.text()
        except (aiohttp.ClientError, TimeoutError) as error:
            raise TelephonyError(
                _("cannot reach the PBX API: {error}").format(error=error or "timeout")
            ) from None
        answer: dict[str, Any]
        try:
            answer = json.loads(text)
        except ValueError:
            answer = {}
        if answer.get("status") != "success":
            raise TelephonyError(
                _("the PBX API refused {method}: {message}").format(
                    method=method, message=answer.get("message") or text[:200]
                )
            )
        return answer

    async def dial(self, request: DialRequest) -> None:
        """The callback: the agent's extension first, then the lead's number."""
        await self.call_api(
            "/v1/request/callback/", {"from": request.extension, "to": request.e164.lstrip("+")}
        )

    async def recording_link(self, call_id_with_rec: str) -> str:
        try:
            answer = await self.call_api("/v1/pbx/record/request/", {"call_id": call_id_with_rec})
        except TelephonyError:
            return call_id_with_rec  # the id still finds it in the PBX's statistics
        link: str = answer.get("link") or (answer.get("links") or [call_id_with_rec])[0]
        return link

    # --- the receiver --------------------------------------------------------------------------

    async def run(self, sink: Sink, status: Status) -> None:
        from aiohttp import web

        async def receive(request: web.Request) -> web.StreamResponse:
            if "zd_echo" in request.query:  # Zadarma checks the URL with an echo
                return web.Response(text=request.query["zd_echo"])
            if request.method != "POST":
                return web.Response(status=405)
            event = {key: str(value) for key, value in (await request.post()).items()}
            if not self.secret or not verified(
                event, request.headers.get("Signature", ""), self.secret
            ):
                return web.Response(status=401, text="bad signature")
            update = update_of(event, datetime.now(UTC))
            if update is not None and update.recording and update.kind == "NOTIFY_RECORD":
                link = await self.recording_link(update.recording)
                update = replace(update, recording=link)
            if update is not None:
                sink(update)
            return web.Response(text="ok")

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", receive)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        host, _sep, port = self.listen.rpartition(":")
        try:
            while True:
                try:
                    await web.TCPSite(runner, host or "127.0.0.1", int(port)).start()
                    break
                except OSError as error:
                    status(
                        _("cannot listen on {listen}: {error}").format(
                            listen=self.listen, error=error.strerror or error
                        )
                    )
                    await asyncio.sleep(5)
            status(None if self.secret else _("no API secret: set [telephony] api_secret_env"))
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()
