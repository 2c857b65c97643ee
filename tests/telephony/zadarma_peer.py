"""Zadarma's side for the tests, on 127.0.0.1: the API (callback, recording link) checking
each request's Authorization as the provider does, and a sender of signed call events.

The signatures are built here the way the provider's official PHP client builds them
(zadarma/user-api-v1: Client::_getAuthHeader, Webhook\\Notify*::getSignatureString):
ksort, http_build_query, md5; base64_encode(hash_hmac('sha1', …, secret)) — hash_hmac
without raw output is hex, so it is the hex that goes into base64.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import threading
import urllib.error
import urllib.parse
import urllib.request

from aiohttp import web

KEY, SECRET = "a1b2c3", "s3cret"


def php_hash_hmac_base64(text: str, secret: str = SECRET) -> str:
    return base64.b64encode(
        hmac.new(secret.encode(), text.encode(), hashlib.sha1).hexdigest().encode()
    ).decode()


def php_http_build_query(params: dict) -> str:
    return "&".join(
        f"{urllib.parse.quote_plus(str(key))}={urllib.parse.quote_plus(str(value))}"
        for key, value in sorted(params.items())  # ksort
    )


def authorization(method: str, params: dict) -> str:
    query = php_http_build_query(params)
    return (
        KEY + ":" + php_hash_hmac_base64(method + query + hashlib.md5(query.encode()).hexdigest())
    )


def signed_event(event: dict, secret: str = SECRET) -> str:
    if event["event"] == "NOTIFY_RECORD":
        text = event["pbx_call_id"] + event["call_id_with_rec"]
    else:  # NOTIFY_OUT_START, NOTIFY_OUT_END
        text = event["internal"] + event["destination"] + event["call_start"]
    return php_hash_hmac_base64(text, secret)


def post_event(url: str, event: dict, signature: str | None = None) -> int:
    """POST the event as Zadarma does (form-encoded, Signature header); the HTTP status."""
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(event).encode(),
        headers={"Signature": signature if signature is not None else signed_event(event)},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class ZadarmaPeer:
    def __init__(self) -> None:
        self.callbacks: list[dict] = []
        self.refused = 0
        self.port = 0
        self._ready = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ZadarmaPeer:
        self._thread.start()
        assert self._ready.wait(5)
        return self

    def __exit__(self, *exc) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(5)

    def _checked(self, request: web.Request) -> dict | None:
        params = dict(request.query)
        if request.headers.get("Authorization") != authorization(request.path, params):
            self.refused += 1
            return None
        return params

    async def _callback(self, request: web.Request) -> web.Response:
        params = self._checked(request)
        if params is None:
            return web.json_response({"status": "error", "message": "Not authorized"}, status=401)
        self.callbacks.append(params)
        return web.json_response(
            {"status": "success", "from": params["from"], "to": params["to"], "time": 1733470000}
        )

    async def _record(self, request: web.Request) -> web.Response:
        params = self._checked(request)
        if params is None:
            return web.json_response({"status": "error", "message": "Not authorized"}, status=401)
        return web.json_response(
            {
                "status": "success",
                "link": f"https://api.zadarma.com/v1/pbx/record/download/{params['call_id']}.mp3",
                "lifetime_till": "2026-12-09 10:00:00",
            }
        )

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        app = web.Application()
        app.router.add_get("/v1/request/callback/", self._callback)
        app.router.add_get("/v1/pbx/record/request/", self._record)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        self._ready.set()
        await self._stop.wait()
        await runner.cleanup()
