"""An Asterisk manager for the tests: the AMI line protocol on 127.0.0.1, in a thread.

It greets with the banner, checks the Login, answers an Originate with its ActionID and then
plays the call's events from ami_transcripts, in Asterisk's order. A test can hold the call
while the lead's number rings (`hold`), and drop the connection there (`drop_while_ringing`):
the peer then waits for the client to log in again and re-sends the events from DialBegin
on, as the PBX's event history does after a reconnect.
"""

from __future__ import annotations

import asyncio
import threading
import time

import ami_transcripts

BANNER = b"Asterisk Call Manager/9.0.0\r\n"


def encode(fields: dict) -> bytes:
    # a key repeated on the wire (ChanVariable) is kept apart in the dict by trailing spaces
    return (
        "".join(f"{key.strip()}: {value}\r\n" for key, value in fields.items()) + "\r\n"
    ).encode()


async def read_message(reader: asyncio.StreamReader) -> dict | None:
    message: dict = {}
    while True:
        line = await reader.readline()
        if not line:
            return None
        text = line.decode().rstrip("\r\n")
        if not text:
            if message:
                return message
            continue
        key, _sep, value = text.partition(":")
        message.setdefault(key.strip(), value.strip())


class AmiPeer:
    def __init__(self, *, username: str = "tmdesk", secret: str = "s3cret", ending: str = "busy"):
        self.username, self.secret = username, secret
        self.ending = ending
        self.hold: threading.Event | None = None  # set it to let a ringing call end
        self.hold_talk: threading.Event | None = None  # set it to let an answered call end
        self.drop_while_ringing = False
        self.originates: list[dict] = []
        self.logins = 0
        self.sent: list[dict] = []
        self.port = 0
        self._writer: asyncio.StreamWriter | None = None
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    def __enter__(self) -> AmiPeer:
        self._thread.start()
        assert self._ready.wait(5)
        return self

    def __exit__(self, *exc) -> None:
        for gate in (self.hold, self.hold_talk):
            if gate is not None:
                gate.set()
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(5)

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._logged_in = asyncio.Event()
        server = await asyncio.start_server(self._session, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            await self._stop.wait()
            server.close()

    async def _session(self, reader, writer) -> None:
        writer.write(BANNER)
        logged_in = False
        try:
            while (message := await read_message(reader)) is not None:
                action, action_id = message.get("Action", ""), message.get("ActionID", "")
                if action == "Login":
                    if (
                        message.get("Username") == self.username
                        and message.get("Secret") == self.secret
                    ):
                        logged_in = True
                        self.logins += 1
                        self._writer = writer
                        self._logged_in.set()
                        writer.write(
                            encode(
                                {
                                    "Response": "Success",
                                    "ActionID": action_id,
                                    "Message": "Authentication accepted",
                                }
                            )
                        )
                    else:
                        writer.write(
                            encode(
                                {
                                    "Response": "Error",
                                    "ActionID": action_id,
                                    "Message": "Authentication failed",
                                }
                            )
                        )
                        await writer.drain()
                        break
                elif not logged_in:
                    writer.write(
                        encode(
                            {
                                "Response": "Error",
                                "ActionID": action_id,
                                "Message": "Permission denied",
                            }
                        )
                    )
                elif action == "Originate":
                    self.originates.append(message)
                    writer.write(
                        encode(
                            {
                                "Response": "Success",
                                "ActionID": action_id,
                                "Message": "Originate successfully queued",
                            }
                        )
                    )
                    asyncio.create_task(self._play(message))
                await writer.drain()
        finally:
            if self._writer is writer:
                self._writer = None
                self._logged_in.clear()
            writer.close()

    async def _play(self, originate: dict) -> None:
        call = originate["Variable"].partition("=")[2]
        values = {
            "call": call,
            "number": originate["Exten"],
            "line": originate.get("CallerID", "").strip("<>"),
            "action": originate["ActionID"],
        }
        events = ami_transcripts.call(self.ending)
        ringing = len(ami_transcripts.start())
        base = time.time()
        index = 0
        while index < len(events):
            if index == ringing and self.ending != "agent_missed":
                while self.hold is not None and not self.hold.is_set():
                    await asyncio.sleep(0.02)
                if self.drop_while_ringing:
                    self.drop_while_ringing = False
                    if self._writer is not None:
                        self._writer.close()  # the TCP connection drops
                    self._writer = None
                    self._logged_in.clear()
                    await self._logged_in.wait()
                    index = 4  # re-sent from DialBegin: the client must drop the repeats
            if index == ringing + 2 and self.ending == "answered":  # after BridgeEnter
                while self.hold_talk is not None and not self.hold_talk.is_set():
                    await asyncio.sleep(0.02)
            offset, event = events[index]
            fields = {key: value.format(**values) for key, value in event.items()}
            fields = {
                "Event": fields.pop("Event"),
                "Privilege": "call,all",
                "Timestamp": f"{base + offset:.6f}",
                **fields,
            }
            await self._logged_in.wait()
            self._writer.write(encode(fields))
            await self._writer.drain()
            self.sent.append(fields)
            index += 1
