"""`tmdesk web`: textual-serve with the desk's own page, one desk process per browser tab.

What we add to textual-serve's server: the page (title, favicon, no third-party fonts), the
browser's address handed to its desk process (wrong passwords are counted per address),
websockets refused from other sites' pages, and headers that keep the page out of frames.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import aiohttp_jinja2
import jinja2
import textual_serve
from aiohttp import BodyPartReader, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from tmdesk.i18n import _
from tmdesk.web import ADDRESS_VARIABLE, uploads

HERE = Path(__file__).resolve().parent
TEXTUAL_STATIC = Path(textual_serve.__file__).resolve().parent / "static"
log = logging.getLogger("tmdesk.web")
CONTENT_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'"
)


def client_address(request: web.Request) -> str:
    """The browser's address. Behind a proxy on the same machine (nginx) the peer is the
    loopback, and the proxy's X-Real-IP names the browser; from anywhere else the header
    is ignored, since a browser could send it itself."""
    peer = request.remote or ""
    forwarded = request.headers.get("X-Real-IP", "").strip()
    try:
        behind_proxy = ipaddress.ip_address(peer).is_loopback
    except ValueError:
        behind_proxy = False
    return forwarded if behind_proxy and forwarded else peer


def attachment(file_name: str) -> str:
    """Content-Disposition for any file name (RFC 6266): an ASCII fallback, and the real
    name in UTF-8 — "зима.rejects.csv" must arrive as itself, not as garbage or inline."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in file_name
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"


def same_origin(request: web.Request, public_url: str) -> bool:
    """A websocket opened by our own page (or by no page at all, as scripts do): another
    site's page in the agent's browser must not drive a desk."""
    origin = request.headers.get("Origin")
    if not origin:
        return True
    netloc = urlsplit(origin).netloc
    return netloc in (request.host, urlsplit(public_url).netloc)


class DeskTab(AppService):
    """One browser tab's desk process, told the browser's address."""

    def __init__(self, *args: Any, address: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.address = address

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        environment[ADDRESS_VARIABLE] = self.address
        return environment


@web.middleware
async def _page_headers(request: web.Request, handler):
    response = await handler(request)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    # nothing from anywhere else, even if a page were tampered with (152-ФЗ: the data stays)
    response.headers.setdefault("Content-Security-Policy", CONTENT_POLICY)
    return response


class DeskServer(Server):
    """Serves `command` (a desk process for one tab) to browsers."""

    def __init__(
        self, command: str, host: str, port: int, public_url: str | None, upload_root: Path
    ) -> None:
        super().__init__(
            command,
            host=host,
            port=port,
            title=_("tmdesk"),
            public_url=public_url,
            statics_path=TEXTUAL_STATIC,
            templates_path=HERE / "templates",
        )
        self.upload_root = upload_root

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[_page_headers])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.get("/favicon.svg", self.handle_favicon, name="favicon"),
                web.get("/upload/{token}", self.handle_upload_page, name="upload"),
                web.post("/upload/{token}", self.handle_upload),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        return app

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        """textual-serve's, with a Content-Disposition that carries any file name."""
        key = request.match_info["key"]
        try:
            meta = await self.download_manager.get_download_metadata(key)
        except KeyError:
            raise web.HTTPNotFound(text=_("This download is over or was never there.")) from None
        response = web.StreamResponse()
        content_type = meta.mime_type
        if meta.encoding:
            content_type += f"; charset={meta.encoding}"
        response.headers["Content-Type"] = content_type
        response.headers["Content-Disposition"] = attachment(meta.file_name)
        await response.prepare(request)
        async for chunk in self.download_manager.download(key):
            await response.write(chunk)
        await response.write_eof()
        return response

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(_("tmdesk is serving the desk on {url}").format(url=self.public_url))
        self.console.print(_("Press Ctrl+C to stop."))

    async def handle_favicon(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(HERE / "static" / "favicon.svg")

    async def handle_index(self, request: web.Request) -> web.Response:
        # textual-serve's data: its handler unwrapped from aiohttp_jinja2.template (functools.wraps)
        context = await Server.handle_index.__wrapped__(self, request)  # type: ignore[attr-defined]
        context["desk"] = {
            "favicon_url": f"{self.public_url}/favicon.svg",
            "starting": _("Starting the desk…"),
            "start": _("Start"),
            "ended": _("The desk in this tab has closed."),
            "restart": _("Open it again"),
        }
        return aiohttp_jinja2.render_template("desk.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's handler, with the origin check and the browser's address."""
        if not same_origin(request, self.public_url):
            raise web.HTTPForbidden(text=_("Refused: the desk opens only from its own page."))
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        tab: DeskTab | None = None
        try:
            await websocket.prepare(request)
            tab = DeskTab(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
                address=client_address(request),
            )
            await tab.start(width, height)
            await self._process_messages(websocket, tab)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            log.exception(error)
        finally:
            if tab is not None:
                await tab.stop()  # the desk quits; a lead it held comes back with its lease
        return websocket

    # --- uploads (see tmdesk.web.uploads) ---------------------------------------------------

    def _upload_page(self, request: web.Request, problem: str = "", done: str = "") -> web.Response:
        context = {
            "title": _("tmdesk · upload a call list"),
            "hint": _("Choose the .csv or .xlsx file; the desk's import screen takes it."),
            "send": _("Upload"),
            "problem": problem,
            "done": done,
        }
        status = 400 if problem else 200
        return aiohttp_jinja2.render_template("upload.html", request, context, status=status)

    def _box(self, request: web.Request) -> Path:
        box = uploads.find_box(self.upload_root, request.match_info["token"])
        if box is None:
            raise web.HTTPNotFound(
                text=_("This upload link is not valid: open it from the desk's import screen.")
            )
        return box

    async def handle_upload_page(self, request: web.Request) -> web.Response:
        self._box(request)
        return self._upload_page(request)

    async def handle_upload(self, request: web.Request) -> web.Response:
        """Streams the file into the box (never all in memory), under its own name."""
        if not same_origin(request, self.public_url):
            raise web.HTTPForbidden(text=_("Refused: the desk opens only from its own page."))
        box = self._box(request)
        reader = await request.multipart()
        field = await reader.next()
        while field is not None and getattr(field, "name", None) != "file":
            field = await reader.next()
        name = uploads.safe_name(getattr(field, "filename", None) or "")
        # (a nested multipart has no name, so the loop above passed over it)
        if not isinstance(field, BodyPartReader) or name is None:
            return self._upload_page(request, problem=_("Only .csv and .xlsx files are imported."))
        partial, final = uploads.begin(box, name)
        size = 0
        with partial.open("wb") as output:
            while chunk := await field.read_chunk():
                size += len(chunk)
                if size > uploads.MAX_BYTES:
                    output.close()
                    partial.unlink()
                    return self._upload_page(
                        request,
                        problem=_("The file is larger than {mb} MB.").format(
                            mb=uploads.MAX_BYTES // 2**20
                        ),
                    )
                output.write(chunk)
        uploads.finish(partial, final)
        log.info("upload %s (%d bytes) from %s", final, size, client_address(request))
        return self._upload_page(
            request,
            done=_(
                "{name} is uploaded. Go back to the desk's tab: the import takes it from here."
            ).format(name=name),
        )
