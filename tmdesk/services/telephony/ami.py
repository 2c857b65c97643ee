"""A small asyncio client of the Asterisk Manager Interface: the line protocol, login,
actions answered by ActionID, and every event handed to a callback.

AMI is text over TCP: a banner line, then messages of "Key: Value" lines ended by an empty
line. A key may repeat (ChanVariable), so a message keeps every value.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from typing import Any

from tmdesk.i18n import _
from tmdesk.services.telephony.port import TelephonyError


class Message(dict[str, Any]):
    """One AMI message: the first value of each key, and `all(key)` for repeated ones."""

    def __init__(self) -> None:
        super().__init__()
        self.repeated: dict[str, list[str]] = {}

    def add(self, key: str, value: str) -> None:
        self.repeated.setdefault(key, []).append(value)
        self.setdefault(key, value)

    def all(self, key: str) -> list[str]:
        return self.repeated.get(key, [])


def encode(fields: list[tuple[str, str]]) -> bytes:
    # values are ours (numbers, ids, settings): a line break would inject a header
    lines = [
        f"{key}: {str(value).replace(chr(13), ' ').replace(chr(10), ' ')}" for key, value in fields
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


async def read_message(reader: asyncio.StreamReader) -> Message | None:
    """The next message, or None when the connection closed."""
    message = Message()
    while True:
        line = await reader.readline()
        if not line:
            return None
        text = line.decode("utf-8", "replace").rstrip("\r\n")
        if not text:
            if message:
                return message
            continue
        key, _sep, value = text.partition(":")
        message.add(key.strip(), value.strip())


class AmiConnection:
    """One logged-in manager session. `events` gets every event; `close` ends it."""

    def __init__(self, on_event: Callable[[Message], None]) -> None:
        self.on_event = on_event
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.pending: dict[str, asyncio.Future[Any]] = {}
        self.ids = itertools.count(1)
        self.banner = ""

    async def open(self, host: str, port: int, username: str, secret: str, timeout: float) -> None:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
        self.reader, self.writer = reader, writer
        self.banner = (
            (await asyncio.wait_for(reader.readline(), timeout)).decode("utf-8", "replace").strip()
        )
        if not self.banner.startswith("Asterisk Call Manager"):
            raise TelephonyError(
                _("{host}:{port} is not an Asterisk manager (it said {banner!r})").format(
                    host=host, port=port, banner=self.banner[:60]
                )
            )
        action_id = f"login-{next(self.ids)}"
        writer.write(
            encode(
                [
                    ("Action", "Login"),
                    ("ActionID", action_id),
                    ("Username", username),
                    ("Secret", secret),
                    # the call events and the CDR: the least the desk needs
                    ("Events", "call,cdr"),
                ]
            )
        )
        await writer.drain()
        response = await asyncio.wait_for(read_message(reader), timeout)
        if response is None or response.get("Response") != "Success":
            message = response.get("Message", "") if response else _("connection closed")
            raise TelephonyError(
                _("the Asterisk manager refused the login {user!r}: {message}").format(
                    user=username, message=message
                )
            )

    async def follow(self) -> None:
        """Read until the connection closes, handing events out and answering actions."""
        assert self.reader is not None
        try:
            while (message := await read_message(self.reader)) is not None:
                if "Event" in message:
                    self.on_event(message)
                elif "Response" in message:
                    future = self.pending.pop(message.get("ActionID", ""), None)
                    if future is not None and not future.done():
                        future.set_result(message)
        finally:
            for future in self.pending.values():
                if not future.done():
                    future.set_exception(TelephonyError(_("the PBX connection dropped")))
            self.pending.clear()

    async def action(
        self, fields: list[tuple[str, str]], action_id: str, timeout: float
    ) -> Message:
        if self.writer is None or self.writer.is_closing():
            raise TelephonyError(_("the PBX is not connected"))
        future = asyncio.get_running_loop().create_future()
        self.pending[action_id] = future
        self.writer.write(encode([*fields, ("ActionID", action_id)]))
        await self.writer.drain()
        return await asyncio.wait_for(future, timeout)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
