"""The desk's tables as peewee models.

All instants are UTC (see fields.py). Statuses are plain text columns holding the values
of the enums in tmdesk.domain.statuses, so raw SQL on the hot paths can use literals.
Nothing here connects: `database` is a proxy bound by tmdesk.store.db.open_database.

Over 400 lines: every table of the desk with its indexes and triggers, so the schema reads
in one place.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from peewee import (
    SQL,
    AutoField,
    BooleanField,
    CharField,
    Database,
    DatabaseProxy,
    ForeignKeyField,
    IntegerField,
    Model,
    ModelSelect,
    TextField,
)

from tmdesk.domain.statuses import LeadStatus, ListStatus, MeetingStatus, QualificationStatus
from tmdesk.domain.telephony import CallState
from tmdesk.store.fields import JsonField, UtcDateTimeField

database = DatabaseProxy()


def utc_now() -> datetime:
    return datetime.now(UTC)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class User(BaseModel):
    """An agent (telemarketer) or a supervisor."""

    id = AutoField()
    login = CharField(unique=True)
    name = TextField()
    role = CharField(default="agent")  # agent | supervisor
    password_hash = TextField(null=True)
    time_zone = CharField(default="Europe/Moscow")
    active = BooleanField(default=True)
    created_at = UtcDateTimeField(default=utc_now)
    extension = CharField(null=True)  # the agent's own phone on the office PBX, e.g. "101"


class Specialist(BaseModel):
    """A development specialist: the field sales rep who receives the meetings."""

    id = AutoField()
    name = TextField()
    email = TextField(null=True)
    phone_e164 = CharField(null=True)
    time_zone = CharField(default="Europe/Moscow")
    # {"mon": ["09:00-13:00", "14:00-18:00"], ...}
    working_hours = JsonField(default=dict)
    days_off = JsonField(default=list)  # ["2026-12-31", "2027-01-01..2027-01-08"]
    regions = JsonField(default=list)
    specialisations = JsonField(default=list)
    meeting_minutes = IntegerField(default=60)
    buffer_minutes = IntegerField(default=15)
    max_per_day = IntegerField(null=True)
    active = BooleanField(default=True)
    created_at = UtcDateTimeField(default=utc_now)


class CallList(BaseModel):
    """An imported file of leads."""

    id = AutoField()
    name = CharField(unique=True)
    priority = IntegerField(default=0)  # higher is served first
    status = CharField(default=ListStatus.ACTIVE)
    script_key = CharField(null=True)  # qualification script; None → the default one
    default_region = CharField(default="RU")
    created_at = UtcDateTimeField(default=utc_now)
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")

    if TYPE_CHECKING:  # what peewee adds beside each foreign key (and backref)
        created_by_id: int | None


class ImportRun(BaseModel):
    """One import of one file into one list, with the accounting of every row."""

    id = AutoField()
    call_list = ForeignKeyField(CallList, backref="imports", on_delete="CASCADE")
    file_name = TextField()
    file_sha256 = CharField()
    kind = CharField()  # csv | xlsx
    encoding = CharField(null=True)
    delimiter = CharField(null=True)
    sheet = TextField(null=True)
    columns = JsonField(default=dict)  # field -> header names used
    rows = IntegerField(default=0)
    imported = IntegerField(default=0)
    duplicates = IntegerField(default=0)
    invalid = IntegerField(default=0)
    dnc = IntegerField(default=0)
    empty = IntegerField(default=0)
    rejects_path = TextField(null=True)
    started_at = UtcDateTimeField(default=utc_now)
    finished_at = UtcDateTimeField(null=True)
    user = ForeignKeyField(User, null=True, on_delete="SET NULL")

    if TYPE_CHECKING:  # what peewee adds beside each foreign key (and backref)
        call_list_id: int
        user_id: int | None


class ZoneSet(BaseModel):
    """A distinct set of candidate time zones ("Asia/Omsk|Asia/Novosibirsk").

    Leads point here instead of carrying the text, so the queue can compute which sets are
    inside their calling window now (a few dozen) and filter leads by id.
    """

    id = AutoField()
    zones = TextField(unique=True)  # "" when nothing is known


class Lead(BaseModel):
    """One company contact with one primary phone, and its place in the call flow."""

    id = AutoField()
    # Foreign keys without their own index where a composite index below leads with
    # them or rows are never deleted: every index costs the importer time per row.
    call_list = ForeignKeyField(CallList, backref="leads", on_delete="CASCADE", index=False)
    import_run = ForeignKeyField(ImportRun, null=True, on_delete="SET NULL", index=False)
    source_line = IntegerField(null=True)

    company = TextField(default="")
    contact = TextField(default="")
    position = TextField(default="")
    email = TextField(default="")
    city = TextField(default="")
    region = TextField(default="")  # as written in the file
    inn = TextField(default="")
    website = TextField(default="")
    comment = TextField(default="")
    extra = JsonField(null=True)  # unmapped columns: {header: value}

    phone_raw = TextField(default="")
    phone_e164 = CharField(index=True)
    phone_ext = CharField(null=True)
    alternates = JsonField(null=True)  # [{"e164", "ext", "raw"}]
    phone_region = CharField(null=True)  # ISO code of the number
    phone_kind = CharField(null=True)
    place = TextField(default="")  # region description computed at import (geocoder)
    zone_set = ForeignKeyField(ZoneSet, on_delete="RESTRICT", index=False)
    zone_source = CharField(default="none")  # region | plan | phone | none

    status = CharField(default=LeadStatus.NEW)
    # a copy of call_list.priority, so that one index orders the whole queue
    list_priority = IntegerField(default=0)
    priority = IntegerField(default=0)
    attempts = IntegerField(default=0)
    last_attempt_at = UtcDateTimeField(null=True)
    next_call_at = UtcDateTimeField(null=True)  # due time of a retry / callback / recall
    callback_owner = ForeignKeyField(
        User,
        null=True,
        on_delete="SET NULL",
        backref="+",
        column_name="callback_owner_id",
        index=False,
    )
    callback_note = TextField(null=True)

    claimed_by = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", column_name="claimed_by_id", index=False
    )
    claimed_at = UtcDateTimeField(null=True)
    lease_until = UtcDateTimeField(null=True)
    claimed_from = CharField(null=True)  # the status to go back to when the lease expires
    notes_draft = TextField(null=True)  # what the agent typed, saved as they type

    created_at = UtcDateTimeField(default=utc_now)
    updated_at = UtcDateTimeField(default=utc_now)
    # the agent who last gave the lead back: their claims serve it after every other lead
    released_by_id = IntegerField(null=True)

    if TYPE_CHECKING:  # what peewee adds beside each foreign key (and backref)
        call_list_id: int
        import_run_id: int | None
        zone_set_id: int
        callback_owner_id: int | None
        claimed_by_id: int | None

    class Meta:
        indexes = (
            # the queue: callbacks by status, callable zone sets and due time; an agent's
            # in-progress lead (few are: an index of their own cost the importer 20 %);
            # and, covering, the queue summary's count of a million leads
            (("status", "zone_set", "next_call_at"), False),
            # a list's leads by status (paused lists); covering for the lists' progress
            (("call_list", "status", "next_call_at", "attempts"), False),
        )


# The queue's main index: fresh leads and retries in serving order. Partial, with the
# predicate written as literals so SQLite can match it to the claim query (docs/architecture.md §3).
# Fresh leads in serving order; the filter column rides along, so leads of a closed zone
# are skipped without reading their row.
Lead.add_index(
    Lead.index(
        Lead.list_priority.desc(),
        Lead.priority.desc(),
        Lead.id,
        Lead.zone_set,
        name="lead_fresh",
        where=SQL("status = 'new' AND claimed_by_id IS NULL"),
    )
)
# Retries in serving order, the longest due first within a priority: a claim stops at the
# first due one instead of sorting every due retry.
Lead.add_index(
    Lead.index(
        Lead.list_priority.desc(),
        Lead.priority.desc(),
        Lead.next_call_at,
        Lead.zone_set,
        Lead.attempts,
        name="lead_retries",
        where=SQL("status = 'retry' AND claimed_by_id IS NULL"),
    )
)
# Callbacks and recalls by due time: small, so new leads (most of an import) never touch it.
Lead.add_index(
    Lead.index(
        Lead.next_call_at,
        Lead.callback_owner,
        Lead.zone_set,
        name="lead_callbacks",
        where=SQL("status IN ('callback', 'nurture') AND claimed_by_id IS NULL"),
    )
)
# An import run's leads (covering for the counts that leave an unfinished import out): the
# importer hides, checks and removes its leads by run.
Lead.add_index(
    Lead.index(Lead.import_run, Lead.call_list, Lead.status, Lead.zone_set, name="lead_import_run")
)
# The imports still being written, which every claim leaves out: a handful of rows.
ImportRun.add_index(
    ImportRun.index(ImportRun.id, name="import_run_unfinished", where=SQL("finished_at IS NULL"))
)


class CallAttempt(BaseModel):
    """One recorded call: who, when, the outcome and the status change it caused."""

    id = AutoField()
    lead = ForeignKeyField(Lead, backref="attempts_made", on_delete="CASCADE")
    agent = ForeignKeyField(User, on_delete="RESTRICT")
    phone_e164 = CharField()
    claimed_at = UtcDateTimeField(null=True)
    dialled_at = UtcDateTimeField(null=True)
    at = UtcDateTimeField(default=utc_now, index=True)  # when the disposition was recorded
    disposition = CharField()
    note = TextField(default="")
    reason = TextField(null=True)
    callback_at = UtcDateTimeField(null=True)
    status_before = CharField()
    status_after = CharField()
    lead_before = JsonField(null=True)  # the lead's queue fields before, for undo
    undone_at = UtcDateTimeField(null=True)

    if TYPE_CHECKING:  # what peewee adds beside each foreign key (and backref)
        lead_id: int
        agent_id: int

    class Meta:
        indexes = ((("agent", "at"), False), (("lead", "at"), False))


# The supervisor's figures (services/reports.py): per disposition and agent over a range
# of `at`, covering, in the order of the report's GROUP BY (nothing to sort); and per
# disposition over an hour of `at`, for the hourly chart.
CallAttempt.add_index(
    CallAttempt.index(
        CallAttempt.disposition,
        CallAttempt.agent,
        CallAttempt.at,
        CallAttempt.claimed_at,
        CallAttempt.undone_at,
        name="call_attempt_report",
    )
)
CallAttempt.add_index(
    CallAttempt.index(
        CallAttempt.disposition, CallAttempt.at, CallAttempt.undone_at, name="call_attempt_hourly"
    )
)


class PhoneCall(BaseModel):
    """One click-to-call through the office PBX, from the dial key to its result.

    Created by the desk at dial time (state "requested": the telephony service picks it up),
    written by the service as the PBX reports, and linked to its attempt when the agent
    records the outcome. A result arriving later still lands here, hence on the attempt.
    """

    id = AutoField()
    lead = ForeignKeyField(Lead, on_delete="CASCADE", index=False)
    agent = ForeignKeyField(User, on_delete="RESTRICT", index=False)
    attempt = ForeignKeyField(CallAttempt, null=True, on_delete="SET NULL", backref="phone_calls")
    phone_e164 = CharField()
    extension = CharField(default="")  # the agent's phone rung first
    provider = CharField()  # asterisk | zadarma
    provider_call_id = CharField(null=True)  # Asterisk Linkedid, Zadarma pbx_call_id
    line = CharField(null=True)  # the caller id the call went out with
    state = CharField(default=CallState.REQUESTED)
    result = CharField(null=True)  # answered | busy | no_answer | unreachable | failed
    cause = TextField(null=True)  # the PBX's dial status / hangup cause, as it said it
    ring_seconds = IntegerField(null=True)
    talk_seconds = IntegerField(null=True)
    recording = TextField(null=True)  # file name or URL of the recording
    requested_at = UtcDateTimeField(default=utc_now)
    ringing_at = UtcDateTimeField(null=True)
    answered_at = UtcDateTimeField(null=True)
    ended_at = UtcDateTimeField(null=True)

    if TYPE_CHECKING:  # what peewee adds beside each foreign key (and backref)
        lead_id: int
        agent_id: int
        attempt_id: int | None

    class Meta:
        indexes = (
            (("state", "requested_at"), False),  # the service's poll for new requests
            (("lead", "agent"), False),  # linking to the attempt
            (("provider", "provider_call_id"), False),
        )


class TelephonyEvent(BaseModel):
    """Every PBX event the service took, once: providers retry, AMI re-sends after a
    reconnect, so the unique key drops the repeats."""

    id = AutoField()
    phone_call = ForeignKeyField(PhoneCall, null=True, on_delete="CASCADE", backref="events")
    key = CharField(unique=True)  # provider:call id:event:distinguishing fields
    kind = CharField()
    at = UtcDateTimeField(default=utc_now)
    payload = JsonField(default=dict)

    if TYPE_CHECKING:  # what peewee adds beside each foreign key (and backref)
        phone_call_id: int | None


class TelephonyService(BaseModel):
    """The running `tmdesk telephony serve`: its heartbeat, and whether the PBX answers."""

    name = CharField(primary_key=True)  # "serve"
    backend = CharField()
    beat_at = UtcDateTimeField()
    problem = TextField(null=True)  # "cannot reach the PBX: …", None when connected


class Qualification(BaseModel):
    """The answers to a qualification script for a lead, with the verdict they give."""

    id = AutoField()
    lead = ForeignKeyField(Lead, backref="qualifications", on_delete="CASCADE")
    agent = ForeignKeyField(User, on_delete="RESTRICT")
    script_key = CharField()
    script_version = CharField()
    answers = JsonField(default=list)  # [{"id", "text", "answer"}] as answered
    fit = BooleanField(null=True)
    knockouts = JsonField(default=list)
    actuality = CharField(default="unknown")  # now | later | unknown
    recall_on = CharField(null=True)  # ISO date
    score = IntegerField(default=0)
    status = CharField(default=QualificationStatus.DRAFT)
    submitted_at = UtcDateTimeField(null=True, index=True)
    reviewed_by = ForeignKeyField(
        User, null=True, on_delete="SET NULL", backref="+", column_name="reviewed_by_id"
    )
    reviewed_at = UtcDateTimeField(null=True)
    review_comment = TextField(null=True)
    created_at = UtcDateTimeField(default=utc_now)
    updated_at = UtcDateTimeField(default=utc_now)
    # a supervisor's corrections over the agent's answers, which stay as answered:
    # [{"field", "before", "after", "by", "at"}]
    corrections = JsonField(null=True)

    if TYPE_CHECKING:  # what peewee adds beside each foreign key (and backref)
        lead_id: int
        agent_id: int
        reviewed_by_id: int | None
        decision_makers: ModelSelect[DecisionMaker]


class DecisionMaker(BaseModel):
    """A person found during qualification: ЛПР, ЛВР, АПР or other."""

    id = AutoField()
    qualification = ForeignKeyField(Qualification, backref="decision_makers", on_delete="CASCADE")
    role = CharField(default="other")  # decision_maker | influencer | approver | other
    name = TextField(default="")
    position = TextField(default="")
    phone_raw = TextField(default="")
    phone_e164 = CharField(null=True)
    email = TextField(default="")

    if TYPE_CHECKING:  # what peewee adds beside each foreign key (and backref)
        qualification_id: int


class AddedFlagField(BooleanField):
    """A boolean column added by ALTER TABLE: BOOLEAN in SQLite and PostgreSQL alike."""

    field_type = "BOOLEAN"


class Meeting(BaseModel):
    """A meeting booked for a development specialist."""

    id = AutoField()
    lead = ForeignKeyField(Lead, backref="meetings", on_delete="CASCADE")
    specialist = ForeignKeyField(Specialist, backref="meetings", on_delete="RESTRICT")
    qualification = ForeignKeyField(Qualification, null=True, on_delete="SET NULL")
    starts_at = UtcDateTimeField()
    ends_at = UtcDateTimeField()
    kind = CharField(default="video")  # on_site | video | phone
    place = TextField(default="")
    agenda = TextField(default="")
    status = CharField(default=MeetingStatus.BOOKED)
    booked_by = ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    booked_at = UtcDateTimeField(default=utc_now)
    cancelled_at = UtcDateTimeField(null=True)
    cancel_reason = TextField(null=True)
    rescheduled_from = ForeignKeyField("self", null=True, on_delete="SET NULL")
    # [{"name", "role", "position", "phone_e164", "email"}]: the lead's people invited
    attendees = JsonField(null=True)
    # a video meeting booked without its link, the agent having said "link later"
    # (last, typed and defaulted as migration 0010's ALTER TABLE wrote it)
    link_later = AddedFlagField(default=False, constraints=[SQL("DEFAULT FALSE")])

    if TYPE_CHECKING:  # what peewee adds beside each foreign key (and backref)
        lead_id: int
        specialist_id: int
        qualification_id: int | None
        booked_by_id: int
        rescheduled_from_id: int | None

    class Meta:
        indexes = ((("specialist", "starts_at"), False),)


# meetings booked in a period, for the figures
Meeting.add_index(Meeting.index(Meeting.booked_at, name="meeting_booked_at"))


class DncEntry(BaseModel):
    """A number that must never be called."""

    id = AutoField()
    phone_e164 = CharField(unique=True)
    reason = TextField(default="")
    source = CharField(default="manual")  # manual | call | import
    added_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    added_at = UtcDateTimeField(default=utc_now)

    if TYPE_CHECKING:  # what peewee adds beside each foreign key (and backref)
        added_by_id: int | None


class ExportBatch(BaseModel):
    """One handoff of ready leads to the development specialists."""

    id = AutoField()
    created_at = UtcDateTimeField(default=utc_now)
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    format = CharField()
    path = TextField(default="")
    lead_count = IntegerField(default=0)
    parameters = JsonField(default=dict)
    # NULL while the batch is pending: its leads are being recorded, and no reader sees it
    completed_at = UtcDateTimeField(null=True)

    if TYPE_CHECKING:  # what peewee adds beside each foreign key (and backref)
        created_by_id: int | None


class ExportedLead(BaseModel):
    batch = ForeignKeyField(ExportBatch, backref="items", on_delete="CASCADE")
    lead = ForeignKeyField(Lead, backref="exports", on_delete="CASCADE")
    # the lead as it was handed off, so that repeating the batch writes the same file
    record = JsonField(null=True)

    if TYPE_CHECKING:  # what peewee adds beside each foreign key (and backref)
        batch_id: int
        lead_id: int

    class Meta:
        primary_key = False
        indexes = ((("batch", "lead"), True), (("lead",), False))


class NumberRange(BaseModel):
    """A range of the national numbering plan with the region it is assigned to."""

    id = AutoField()
    prefix = CharField()  # ABC/DEF code, e.g. "916"
    start = IntegerField()
    end = IntegerField()
    operator = TextField(default="")
    region = TextField(default="")

    class Meta:
        indexes = ((("prefix", "start"), False),)


class AuditEvent(BaseModel):
    """Who did what outside a call: supervisor actions, imports, DNC changes. Append-only:
    no row is ever changed or deleted (see TRIGGERS). Users and leads are never deleted
    (users are deactivated, lists archived), so a user or lead with audit rows cannot be."""

    id = AutoField()
    at = UtcDateTimeField(default=utc_now, index=True)
    user = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    action = CharField()
    lead = ForeignKeyField(Lead, null=True, on_delete="RESTRICT")
    details = JsonField(default=dict)

    if TYPE_CHECKING:  # what peewee adds beside each foreign key (and backref)
        user_id: int | None
        lead_id: int | None


# Rules the store keeps even for code that forgets them. SQLite has no exclusion
# constraint, so triggers do it; instants are fixed-width UTC text and compare as strings.
TRIGGERS = (
    # A specialist is never in two booked meetings at once.
    """CREATE TRIGGER meeting_no_overlap_insert BEFORE INSERT ON meeting
WHEN NEW.status = 'booked' AND EXISTS (
  SELECT 1 FROM meeting AS m WHERE m.specialist_id = NEW.specialist_id
  AND m.status = 'booked' AND m.starts_at < NEW.ends_at AND m.ends_at > NEW.starts_at)
BEGIN SELECT RAISE(ABORT, 'meeting overlaps another booked meeting of the specialist'); END""",
    """CREATE TRIGGER meeting_no_overlap_update BEFORE UPDATE ON meeting
WHEN NEW.status = 'booked' AND EXISTS (
  SELECT 1 FROM meeting AS m WHERE m.specialist_id = NEW.specialist_id AND m.id != NEW.id
  AND m.status = 'booked' AND m.starts_at < NEW.ends_at AND m.ends_at > NEW.starts_at)
BEGIN SELECT RAISE(ABORT, 'meeting overlaps another booked meeting of the specialist'); END""",
    # The audit trail is append-only: no row is deleted, no column changed, and no row is
    # replaced (INSERT OR REPLACE deletes without firing delete triggers). A BEFORE INSERT
    # trigger sees NEW.id = -1 when no id is given, hence "> 0".
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END""",
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END""",
    """CREATE TRIGGER audit_event_no_replace BEFORE INSERT ON audit_event
WHEN NEW.id > 0 AND EXISTS (SELECT 1 FROM audit_event WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END""",
)


# The triggers that keep the audit trail append-only; `tmdesk db check` names a missing one.
AUDIT_GUARDS = ("audit_event_no_delete", "audit_event_no_update", "audit_event_no_replace")

# The same rules on PostgreSQL, in its own terms (migrations 0002 and 0005 create them):
# - no overlap: an exclusion constraint over the specialist and the meeting's time range,
#   for booked meetings only. Instants are UTC text, so the range is over text in the "C"
#   collation (byte order is time order for the fixed-width form); btree_gist gives GiST
#   the specialist's equality.
# - the audit trail: one function refusing every change, fired before UPDATE and DELETE of
#   each row and before TRUNCATE (which fires no row trigger). PostgreSQL has no INSERT OR
#   REPLACE; INSERT … ON CONFLICT DO UPDATE fires the UPDATE guard.
PG_OVERLAP = "meeting_no_overlap"
PG_RULES = (
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    'CREATE TYPE instant_range AS RANGE (subtype = text, collation = "C")',
    "ALTER TABLE meeting ADD CONSTRAINT meeting_no_overlap EXCLUDE USING gist "
    "(specialist_id WITH =, instant_range(starts_at, ends_at) WITH &&) WHERE (status = 'booked')",
    """CREATE FUNCTION audit_event_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the audit trail cannot be changed' USING ERRCODE = 'restrict_violation'; END
$$""",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse()",
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse()",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse()",
)
PG_AUDIT_GUARDS = ("audit_event_no_delete", "audit_event_no_update", "audit_event_no_truncate")


def create_schema(db: Database) -> None:
    """Tables, indexes and triggers of the current models, as the migrations build them."""
    db.create_tables(list(MODELS))
    for sql in TRIGGERS:
        db.execute_sql(sql)


MODELS = (
    User,
    Specialist,
    CallList,
    ImportRun,
    ZoneSet,
    Lead,
    CallAttempt,
    PhoneCall,
    TelephonyEvent,
    TelephonyService,
    Qualification,
    DecisionMaker,
    Meeting,
    DncEntry,
    ExportBatch,
    ExportedLead,
    NumberRange,
    AuditEvent,
)
