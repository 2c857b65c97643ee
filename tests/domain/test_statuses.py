"""The states are StrEnums whose members equal the stored text, and the raw SQL that keeps
literals for speed names only states that exist."""

import re
from pathlib import Path

from tmdesk.domain.dispositions import FINAL_STATUS, Disposition
from tmdesk.domain.statuses import (
    SERVABLE,
    LeadStatus,
    ListStatus,
    MeetingStatus,
    QualificationStatus,
)

SOURCE = Path(__file__).resolve().parents[2] / "tmdesk"
# `status = 'x'`, `status != 'x'`, `status IN ('x', 'y')` in SQL text (any table alias)
SQL_STATUS = re.compile(r"\bstatus\s*(?:=|!=|<>|IN\s*\()\s*('[^)]*?')(?=\s|\)|$|\")", re.I)
LITERAL = re.compile(r"'([a-z_]+)'")


def test_members_equal_the_stored_text():
    assert LeadStatus.IN_PROGRESS == "in_progress"
    assert f"{MeetingStatus.BOOKED}" == "booked"
    assert LeadStatus("callback") is LeadStatus.CALLBACK
    assert {QualificationStatus.DRAFT: 1}["draft"] == 1


def test_every_final_disposition_leads_to_a_lead_status():
    assert set(FINAL_STATUS.values()) <= set(LeadStatus)
    assert all(str(FINAL_STATUS[d]) == d.value for d in FINAL_STATUS)
    assert Disposition.NO_ANSWER not in FINAL_STATUS
    assert LeadStatus.IN_PROGRESS not in SERVABLE


def test_the_sql_literals_name_existing_states():
    known = {
        str(s)
        for enum in (LeadStatus, ListStatus, MeetingStatus, QualificationStatus)
        for s in enum
    }
    found: dict[str, str] = {}
    for path in [*SOURCE.glob("services/**/*.py"), *SOURCE.glob("store/*.py")]:
        for match in SQL_STATUS.finditer(path.read_text(encoding="utf-8")):
            for literal in LITERAL.findall(match.group(1)):
                found[literal] = path.name
    assert len(found) >= 8, found  # the pattern still finds the queue's and the reports' SQL
    unknown = {literal: where for literal, where in found.items() if literal not in known}
    assert not unknown
