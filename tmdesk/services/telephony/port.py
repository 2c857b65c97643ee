"""The port every PBX backend implements, and what flows through it.

A backend dials (`dial`) and reports what the PBX says as CallUpdates (`run`, forever,
reconnecting by itself). The service writes the updates to the database; a backend never
touches the database, so it can be tested against a peer alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from tmdesk.domain.telephony import CallResult, CallState
from tmdesk.errors import TmdeskError


class TelephonyError(TmdeskError):
    """The PBX refused, or cannot be reached; the message says which."""


@dataclass(frozen=True)
class DialRequest:
    call_id: int  # PhoneCall.id: travels with the call as a channel variable
    extension: str  # the agent's own phone, rung first
    e164: str  # the lead's number
    line: str  # the caller id to go out with ("" = the PBX's default)


@dataclass(frozen=True)
class CallUpdate:
    """One event of one call. `key` is unique per event: a repeat (provider retry, AMI
    re-send after a reconnect) carries the same key and is dropped."""

    provider: str
    key: str
    kind: str
    at: datetime
    call_id: int | None = None  # ours, when the event carries it
    provider_call_id: str | None = None  # theirs: found by it when ours is missing
    match: tuple[str, str] | None = None  # (extension, e164) of a call not yet identified
    state: CallState | None = None
    result: CallResult | None = None
    cause: str | None = None
    line: str | None = None
    recording: str | None = None
    ring_seconds: int | None = None  # from the PBX's own accounting (CDR), when it has it
    talk_seconds: int | None = None
    payload: dict[str, Any] = field(default_factory=dict[str, Any])


Sink = Callable[[CallUpdate], None]
Status = Callable[[str | None], None]  # None: connected; text: why the PBX is unreachable


class Backend(Protocol):
    provider: str

    async def run(self, sink: Sink, status: Status) -> None:
        """Hold the PBX side until cancelled: connect, follow events, reconnect."""

    async def dial(self, request: DialRequest) -> None:
        """Ask the PBX to ring the agent's phone, then the lead. TelephonyError if refused."""
