"""The agent desk's door to the services: the queue, the open lead and its outcome, notes,
search and callbacks, and dialling through the office PBX (see tmdesk.tui.work)."""

from tmdesk.services.calls import (
    CallError,
    LeadCard,
    PastCall,
    Recorded,
    UndoCancelsMeeting,
    Undone,
    lead_card,
    list_calls,
)
from tmdesk.services.desk import (
    AgentChoice,
    Draft,
    OpenLead,
    give_back,
    keep_draft,
    keep_lease,
    look_at_lead,
    record_and_advance,
    resume_open_lead,
    take_found_lead,
    take_next_lead,
    undo_and_reopen,
)
from tmdesk.services.lookup import callbacks_for, search_leads, search_term
from tmdesk.services.queue import QueueEntry, QueueSummary, preview_queue, queue_summary
from tmdesk.services.taking import Takeable
from tmdesk.services.telephony.calls import (
    PhoneCallInfo,
    TelephonyUnavailable,
    call_info,
    last_call,
    request_call,
)

__all__ = [
    "AgentChoice",
    "CallError",
    "Draft",
    "LeadCard",
    "OpenLead",
    "PastCall",
    "PhoneCallInfo",
    "QueueEntry",
    "QueueSummary",
    "Recorded",
    "TelephonyUnavailable",
    "UndoCancelsMeeting",
    "Undone",
    "call_info",
    "callbacks_for",
    "give_back",
    "keep_draft",
    "keep_lease",
    "last_call",
    "lead_card",
    "list_calls",
    "preview_queue",
    "queue_summary",
    "record_and_advance",
    "request_call",
    "resume_open_lead",
    "search_leads",
    "search_term",
    "Takeable",
    "look_at_lead",
    "take_found_lead",
    "take_next_lead",
    "undo_and_reopen",
]
