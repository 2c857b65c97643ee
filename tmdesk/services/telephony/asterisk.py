"""The Asterisk backend: Originate through AMI, then follow the call's events.

The call is originated to the agent's own extension first; when the agent picks up, the
dialplan (`context`) dials the lead's number. The channel variable TMDESK_CALL (inherited,
"__") carries our phone_call id to both legs; with `channelvars = TMDESK_CALL` in
manager.conf every event of those channels names it. Asterisk's Linkedid (the first
channel's Uniqueid) is kept as the provider's call id, so events without the variable
(CDR) still find their call.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from tmdesk.config import TelephonySettings
from tmdesk.domain.telephony import (
    CallResult,
    CallState,
    result_of_dial_status,
    result_of_hangup_cause,
)
from tmdesk.i18n import _
from tmdesk.services.telephony.ami import AmiConnection, Message
from tmdesk.services.telephony.port import (
    CallUpdate,
    DialRequest,
    Sink,
    Status,
    TelephonyError,
)

CALL_VARIABLE = "TMDESK_CALL"
TIMEOUT = 10.0  # seconds for the TCP connect, the login and an action's response
RECONNECT_DELAYS = (0.2, 0.5, 1.0, 2.0, 5.0)


def event_time(message: Message) -> datetime:
    """The PBX's own time of the event (manager.conf timestampevents=yes), else now:
    events re-sent after a reconnect keep their real times."""
    try:
        return datetime.fromtimestamp(float(message["Timestamp"]), UTC)
    except (KeyError, ValueError):
        return datetime.now(UTC)


def channel_variable(message: Message, wanted: str) -> str | None:
    """A variable from "ChanVariable: NAME=value" (Asterisk 12+), the older
    "ChanVariable(chan): NAME: value", or the dialled leg's DestChanVariable."""
    for key, values in message.repeated.items():
        if not key.startswith(("ChanVariable", "DestChanVariable")):
            continue
        for value in values:
            name, _sep, rest = value.replace(": ", "=", 1).partition("=")
            if name.strip().lstrip("_") == wanted and rest.strip():
                return rest.strip()
    return None


def call_id_of(message: Message) -> int | None:
    value = channel_variable(message, CALL_VARIABLE)
    return int(value) if value and value.isdigit() else None


class AsteriskBackend:
    provider = "asterisk"

    def __init__(self, settings: TelephonySettings) -> None:
        self.settings = settings
        self.connection: AmiConnection | None = None
        self.sink: Sink = lambda update: None
        self.by_uniqueid: dict[str, int] = {}  # channel → our call, learnt from its events
        self.answered: set[int] = set()

    # --- connection ------------------------------------------------------------------------

    async def run(self, sink: Sink, status: Status) -> None:
        self.sink = sink
        settings = self.settings
        secret = settings.secret(settings.ami_secret, settings.ami_secret_env)
        failures = 0
        while True:
            connection = AmiConnection(self.on_event)
            try:
                await connection.open(
                    settings.ami_host, settings.ami_port, settings.ami_username, secret, TIMEOUT
                )
            except (OSError, TimeoutError, TelephonyError) as error:
                status(
                    _("cannot reach the PBX at {host}:{port}: {error}").format(
                        host=settings.ami_host, port=settings.ami_port, error=_reason(error)
                    )
                )
                await asyncio.sleep(RECONNECT_DELAYS[min(failures, len(RECONNECT_DELAYS) - 1)])
                failures += 1
                continue
            failures = 0
            self.connection = connection
            status(None)
            try:
                await connection.follow()
            except OSError:
                pass
            finally:
                self.connection = None
                await connection.close()
            status(_("the PBX connection dropped; reconnecting"))

    async def dial(self, request: DialRequest) -> None:
        connection = self.connection
        if connection is None:
            raise TelephonyError(_("the PBX is not connected"))
        settings = self.settings
        fields = [
            ("Action", "Originate"),
            ("Channel", settings.agent_channel.format(extension=request.extension)),
            ("Context", settings.context),
            ("Exten", request.e164.lstrip("+")),
            ("Priority", "1"),
            ("Timeout", str(settings.ring_timeout * 1000)),
            ("Async", "true"),
            ("Variable", f"__{CALL_VARIABLE}={request.call_id}"),
        ]
        if request.line:
            fields.append(("CallerID", f"<{request.line}>"))
        response = await connection.action(fields, f"tmdesk-call-{request.call_id}", TIMEOUT)
        if response.get("Response") != "Success":
            raise TelephonyError(
                _("the PBX refused the call: {message}").format(message=response.get("Message", ""))
            )

    # --- events ----------------------------------------------------------------------------

    def on_event(self, message: Message) -> None:
        name = message.get("Event", "")
        handler = getattr(self, "event_" + name.lower(), None)
        if handler is None:
            return
        call_id = call_id_of(message)
        uniqueid = message.get("Uniqueid") or message.get("UniqueID", "")
        if call_id is None and name == "OriginateResponse":
            action = message.get("ActionID", "")
            if action.startswith("tmdesk-call-") and action[12:].isdigit():
                call_id = int(action[12:])
        if call_id is None:
            call_id = self.by_uniqueid.get(uniqueid)
        if call_id is not None:
            for channel in (uniqueid, message.get("DestUniqueid", "")):
                if channel:
                    self.by_uniqueid[channel] = call_id
        linked = message.get("Linkedid") or (uniqueid if name == "OriginateResponse" else "")
        if call_id is None and not linked:
            return
        handler(message, call_id, linked or None)

    def send(
        self,
        message: Message,
        call_id: int | None,
        linked: str | None,
        detail: str = "",
        **fields: Any,
    ) -> None:
        uniqueid = message.get("Uniqueid") or message.get("UniqueID", "")
        name = message.get("Event", "")
        if "recording" not in fields:  # channelvars = …,TMDESK_RECORDING puts it on events
            fields["recording"] = channel_variable(message, self.settings.recording_variable)
        self.sink(
            CallUpdate(
                provider=self.provider,
                key=f"asterisk:{uniqueid}:{name}:{detail}",
                kind=name,
                at=event_time(message),
                call_id=call_id,
                provider_call_id=linked,
                payload=dict(message),
                **fields,
            )
        )

    def event_originateresponse(
        self, message: Message, call_id: int | None, linked: str | None
    ) -> None:
        action = message.get("ActionID", "")  # Uniqueid is "<null>" when it failed
        if message.get("Response") == "Success":
            self.send(message, call_id, linked, action, state=CallState.DIALLING)
            return
        self.send(  # the agent's own phone did not answer, or could not be rung
            message,
            call_id,
            None,
            action,
            state=CallState.FAILED,
            result=CallResult.FAILED,
            cause=_("your phone did not answer (reason {reason})").format(
                reason=message.get("Reason", "?")
            ),
        )

    def event_dialbegin(self, message: Message, call_id: int | None, linked: str | None) -> None:
        self.send(
            message, call_id, linked, message.get("DestUniqueid", ""), state=CallState.RINGING
        )

    def event_dialend(self, message: Message, call_id: int | None, linked: str | None) -> None:
        status = message.get("DialStatus", "")
        result = result_of_dial_status(status)
        detail = message.get("DestUniqueid", "")
        if result is CallResult.ANSWERED:
            if call_id is not None:
                self.answered.add(call_id)
            self.send(message, call_id, linked, detail, state=CallState.TALKING)
        else:
            self.send(
                message, call_id, linked, detail, state=CallState.ENDED, result=result, cause=status
            )

    def event_bridgeenter(self, message: Message, call_id: int | None, linked: str | None) -> None:
        self.send(
            message, call_id, linked, message.get("BridgeUniqueid", ""), state=CallState.TALKING
        )

    def event_hangup(self, message: Message, call_id: int | None, linked: str | None) -> None:
        cause = message.get("Cause", "")
        text = message.get("Cause-txt", "")
        answered = call_id in self.answered
        self.send(
            message,
            call_id,
            linked,
            state=CallState.ENDED,
            result=result_of_hangup_cause(cause, answered),
            cause=f"{cause} {text}".strip(),
        )

    def event_varset(self, message: Message, call_id: int | None, linked: str | None) -> None:
        if message.get("Variable", "") == self.settings.recording_variable and message.get("Value"):
            self.send(
                message, call_id, linked, message.get("Variable", ""), recording=message["Value"]
            )

    def event_cdr(self, message: Message, call_id: int | None, linked: str | None) -> None:
        """The CDR (cdr_manager): the PBX's own count of the talk time."""
        try:
            billable = int(message.get("BillableSeconds", ""))
        except ValueError:
            return
        answered = message.get("Disposition", "").upper() == "ANSWERED"
        self.send(message, call_id, linked, talk_seconds=billable if answered else None)


def _reason(error: BaseException) -> str:
    if isinstance(error, TimeoutError):
        return _("no answer in time")
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error)
