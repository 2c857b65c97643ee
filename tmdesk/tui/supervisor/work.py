"""The supervisor workspace's door to the services: review, figures, call lists and the
do-not-call list (see tmdesk.tui.work).

The reports, the review queue and the importers load on first use, as the screens did
before: an agent's desk never needs them and the supervisor's start stays quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tmdesk.services import call_lists, dnc
from tmdesk.services.dnc import import_numbers
from tmdesk.services.downloads import backup_for_download, latest_rejects
from tmdesk.services.handoff import export_batch
from tmdesk.services.qualification import available_scripts
from tmdesk.services.review import (
    VERDICTS,
    AuditLine,
    ReviewDetail,
    approve,
    correct_answer,
    return_to_agent,
    review_detail,
    review_queue,
)
from tmdesk.services.telephony.calls import PhoneCallInfo, lead_phone_calls

if TYPE_CHECKING:
    from tmdesk.services.reports import Glance, ListProgress, Report

__all__ = [
    "VERDICTS",
    "AuditLine",
    "PhoneCallInfo",
    "ReviewDetail",
    "approve",
    "backup_for_download",
    "available_scripts",
    "call_lists",
    "correct_answer",
    "dnc",
    "export_batch",
    "glance",
    "import_call_list",
    "import_numbers",
    "latest_rejects",
    "lead_phone_calls",
    "list_progress",
    "report",
    "return_to_agent",
    "review_detail",
    "review_queue",
]


def report(*args: Any, **kwargs: Any) -> Report:
    from tmdesk.services.reports import report

    return report(*args, **kwargs)


def glance(*args: Any, **kwargs: Any) -> Glance:
    from tmdesk.services.reports import glance

    return glance(*args, **kwargs)


def list_progress(*args: Any, **kwargs: Any) -> list[ListProgress]:
    from tmdesk.services.reports import list_progress

    return list_progress(*args, **kwargs)


def import_call_list(*args: Any, **kwargs: Any) -> Any:
    from tmdesk.services.importing import import_call_list

    return import_call_list(*args, **kwargs)
