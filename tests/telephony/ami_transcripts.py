"""What Asterisk sends for one originated call, event by event.

The event names, their order and their fields are those of the Asterisk AMI event reference
(docs.asterisk.org, API_Documentation/AMI_Events: OriginateResponse, Newchannel, DialBegin,
DialState, DialEnd, BridgeEnter, BridgeLeave, Hangup, VarSet, Cdr), for an Async Originate
of the agent's PJSIP channel into a context whose extension Dials the trunk:
the agent's leg rings and answers (OriginateResponse, Reason 4 = answered), the dialplan
Dials the lead (DialBegin, DialState, DialEnd with its DialStatus), the two channels are
bridged when answered, then both hang up with their Q.850 cause, and cdr_manager writes the
Cdr. `t` is the event's offset in seconds (manager.conf timestampevents=yes adds Timestamp).
Fields the desk does not read (Language, AccountCode, Priority…) are kept, as Asterisk
sends them, so that the parser meets real messages.
"""

from __future__ import annotations

AGENT = "PJSIP/101-00000001"
TRUNK = "PJSIP/trunk-00000002"
# Asterisk's Uniqueid is epoch.sequence, unique per channel: the call's id stands in here
AGENT_ID = "1733470000.{call}1"
TRUNK_ID = "1733470000.{call}2"


def channel(name: str, uniqueid: str, state: str, prefix: str = "") -> dict:
    code = {"Down": "0", "Ring": "4", "Ringing": "5", "Up": "6", "Busy": "7"}[state]
    return {
        f"{prefix}Channel": name,
        f"{prefix}ChannelState": code,
        f"{prefix}ChannelStateDesc": state,
        f"{prefix}CallerIDNum": "101" if name == AGENT else "{number}",
        f"{prefix}CallerIDName": "<unknown>",
        f"{prefix}ConnectedLineNum": "{number}" if name == AGENT else "{line}",
        f"{prefix}ConnectedLineName": "<unknown>",
        f"{prefix}Language": "ru",
        f"{prefix}AccountCode": "",
        f"{prefix}Context": "from-tmdesk",
        f"{prefix}Exten": "{number}",
        f"{prefix}Priority": "1",
        f"{prefix}Uniqueid": uniqueid,
        f"{prefix}Linkedid": AGENT_ID,
    }


def agent(state: str) -> dict:
    return {**channel(AGENT, AGENT_ID, state), "ChanVariable": "TMDESK_CALL={call}"}


def dial(event: str, trunk_state: str, **fields) -> dict:
    return {
        "Event": event,
        **agent("Up"),
        **channel(TRUNK, TRUNK_ID, trunk_state, "Dest"),
        "DestChanVariable": "TMDESK_CALL={call}",
        **fields,
    }


def hangup(name: str, uniqueid: str, cause: str, text: str) -> dict:
    fields = channel(name, uniqueid, "Up")
    if name == AGENT:  # manager.conf channelvars = TMDESK_CALL,TMDESK_RECORDING
        fields["ChanVariable"] = "TMDESK_CALL={call}"
        fields["ChanVariable "] = "TMDESK_RECORDING=/var/spool/asterisk/monitor/tmdesk-{call}.wav"
    return {"Event": "Hangup", **fields, "Cause": cause, "Cause-txt": text}


def cdr(disposition: str, duration: int, billable: int) -> dict:
    return {
        "Event": "Cdr",
        "AccountCode": "",
        "Source": "101",
        "Destination": "{number}",
        "DestinationContext": "from-tmdesk",
        "CallerID": '"" <{line}>',
        "Channel": AGENT,
        "DestinationChannel": TRUNK,
        "LastApplication": "Dial",
        "LastData": "PJSIP/{number}@trunk,60",
        "StartTime": "2026-12-06 10:00:00",
        "AnswerTime": "",
        "EndTime": "",
        "Duration": str(duration),
        "BillableSeconds": str(billable),
        "Disposition": disposition,
        "AMAFlags": "DOCUMENTATION",
        "UniqueID": AGENT_ID,
        "UserField": "",
    }


def start() -> list[tuple[float, dict]]:
    """The agent's leg: created, rings, answered; the Originate reports success."""
    return [
        (0, {"Event": "Newchannel", **agent("Down")}),
        (
            1,
            {
                "Event": "OriginateResponse",
                "ActionID": "{action}",
                "Response": "Success",
                "Channel": AGENT,
                "Context": "from-tmdesk",
                "Exten": "{number}",
                "Application": "",
                "Data": "",
                "Reason": "4",
                "Uniqueid": AGENT_ID,
                "CallerIDNum": "{line}",
                "CallerIDName": "<unknown>",
            },
        ),
        (
            1,
            {
                "Event": "VarSet",
                **agent("Up"),
                "Variable": "TMDESK_RECORDING",
                "Value": "/var/spool/asterisk/monitor/tmdesk-{call}.wav",
            },
        ),
        (1, {"Event": "Newchannel", **channel(TRUNK, TRUNK_ID, "Down")}),
        (2, dial("DialBegin", "Down", DialString="{number}@trunk")),
        (3, dial("DialState", "Ringing", DialStatus="RINGING")),
    ]


# After start(); offsets continue from its last event.
ANSWERED = [
    (8, dial("DialEnd", "Up", DialStatus="ANSWER")),
    (
        8,
        {
            "Event": "BridgeEnter",
            **agent("Up"),
            "BridgeUniqueid": "b-1",
            "BridgeType": "basic",
            "BridgeTechnology": "simple_bridge",
            "BridgeCreator": "<unknown>",
            "BridgeName": "<unknown>",
            "BridgeNumChannels": "1",
        },
    ),
    (
        230,
        {
            "Event": "BridgeLeave",
            **agent("Up"),
            "BridgeUniqueid": "b-1",
            "BridgeType": "basic",
            "BridgeTechnology": "simple_bridge",
            "BridgeCreator": "<unknown>",
            "BridgeName": "<unknown>",
            "BridgeNumChannels": "1",
        },
    ),
    (230, hangup(TRUNK, TRUNK_ID, "16", "Normal Clearing")),
    (230, hangup(AGENT, AGENT_ID, "16", "Normal Clearing")),
    (230, cdr("ANSWERED", 230, 222)),
]
BUSY = [
    (6, dial("DialEnd", "Busy", DialStatus="BUSY")),
    (6, hangup(AGENT, AGENT_ID, "17", "User busy")),
    (6, cdr("BUSY", 6, 0)),
]
NO_ANSWER = [
    (33, dial("DialEnd", "Ringing", DialStatus="NOANSWER")),
    (33, hangup(AGENT, AGENT_ID, "19", "No answer")),
    (33, cdr("NO ANSWER", 33, 0)),
]
UNREACHABLE = [
    (4, dial("DialEnd", "Down", DialStatus="CHANUNAVAIL")),
    (4, hangup(AGENT, AGENT_ID, "20", "Subscriber absent")),
    (4, cdr("FAILED", 4, 0)),
]
# The agent's own phone never answers: no Dial at all.
AGENT_MISSED = [
    (
        30,
        {
            "Event": "OriginateResponse",
            "ActionID": "{action}",
            "Response": "Failure",
            "Channel": "PJSIP/101",
            "Context": "from-tmdesk",
            "Exten": "{number}",
            "Application": "",
            "Data": "",
            "Reason": "3",
            "Uniqueid": "<null>",
            "CallerIDNum": "<unknown>",
            "CallerIDName": "<unknown>",
        },
    ),
]

ENDINGS = {
    "answered": ANSWERED,
    "busy": BUSY,
    "no_answer": NO_ANSWER,
    "unreachable": UNREACHABLE,
}


def call(ending: str) -> list[tuple[float, dict]]:
    if ending == "agent_missed":
        return list(AGENT_MISSED)
    return start() + ENDINGS[ending]
