"""The first schema: every table of the desk."""

# Generated from the models with playhouse.migrations.template, then frozen.
from peewee import *  # noqa: F403 (the generated style)
from tmdesk.store.fields import JsonField
from tmdesk.store.fields import UtcDateTimeField

# Python-side defaults (utc_now) do not belong in the DDL, so they are left out here.


def up(migrator, db):
    class User(Model):
        login = CharField(unique=True)
        name = TextField()
        role = CharField(default="agent")
        password_hash = TextField(null=True)
        time_zone = CharField(default="Europe/Moscow")
        active = BooleanField(default=True)
        created_at = UtcDateTimeField()

        class Meta:
            database = db
            table_name = "user"
            legacy_table_names = False

    db.create_tables([User])

    class CallList(Model):
        name = CharField(unique=True)
        priority = IntegerField(default=0)
        status = CharField(default="active")
        script_key = CharField(null=True)
        default_region = CharField(default="RU")
        created_at = UtcDateTimeField()
        created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")

        class Meta:
            database = db
            table_name = "call_list"
            legacy_table_names = False

    db.create_tables([CallList])

    class ImportRun(Model):
        call_list = ForeignKeyField(CallList, on_delete="CASCADE")
        file_name = TextField()
        file_sha256 = CharField()
        kind = CharField()
        encoding = CharField(null=True)
        delimiter = CharField(null=True)
        sheet = TextField(null=True)
        columns = JsonField(default=dict)
        rows = IntegerField(default=0)
        imported = IntegerField(default=0)
        duplicates = IntegerField(default=0)
        invalid = IntegerField(default=0)
        dnc = IntegerField(default=0)
        empty = IntegerField(default=0)
        rejects_path = TextField(null=True)
        started_at = UtcDateTimeField()
        finished_at = UtcDateTimeField(null=True)
        user = ForeignKeyField(User, null=True, on_delete="SET NULL")

        class Meta:
            database = db
            table_name = "import_run"
            legacy_table_names = False

    db.create_tables([ImportRun])

    class ZoneSet(Model):
        zones = TextField(unique=True)

        class Meta:
            database = db
            table_name = "zone_set"
            legacy_table_names = False

    db.create_tables([ZoneSet])

    class Lead(Model):
        call_list = ForeignKeyField(CallList, on_delete="CASCADE", index=False)
        import_run = ForeignKeyField(ImportRun, null=True, on_delete="SET NULL", index=False)
        source_line = IntegerField(null=True)
        company = TextField(default="")
        contact = TextField(default="")
        position = TextField(default="")
        email = TextField(default="")
        city = TextField(default="")
        region = TextField(default="")
        inn = TextField(default="")
        website = TextField(default="")
        comment = TextField(default="")
        extra = JsonField(null=True)
        phone_raw = TextField(default="")
        phone_e164 = CharField(index=True)
        phone_ext = CharField(null=True)
        alternates = JsonField(null=True)
        phone_region = CharField(null=True)
        phone_kind = CharField(null=True)
        place = TextField(default="")
        zone_set = ForeignKeyField(ZoneSet, on_delete="RESTRICT", index=False)
        zone_source = CharField(default="none")
        status = CharField(default="new")
        list_priority = IntegerField(default=0)
        priority = IntegerField(default=0)
        attempts = IntegerField(default=0)
        last_attempt_at = UtcDateTimeField(null=True)
        next_call_at = UtcDateTimeField(null=True)
        callback_owner = ForeignKeyField(User, null=True, on_delete="SET NULL", index=False)
        callback_note = TextField(null=True)
        claimed_by = ForeignKeyField(User, null=True, on_delete="SET NULL", index=False)
        claimed_at = UtcDateTimeField(null=True)
        lease_until = UtcDateTimeField(null=True)
        claimed_from = CharField(null=True)
        notes_draft = TextField(null=True)
        created_at = UtcDateTimeField()
        updated_at = UtcDateTimeField()

        class Meta:
            database = db
            table_name = "lead"
            legacy_table_names = False
            indexes = (
                (("status", "zone_set", "next_call_at"), False),
                (("call_list", "status"), False),
            )

    db.create_tables([Lead])

    class AuditEvent(Model):
        at = UtcDateTimeField(index=True)
        user = ForeignKeyField(User, null=True, on_delete="SET NULL")
        action = CharField()
        lead = ForeignKeyField(Lead, null=True, on_delete="SET NULL")
        details = JsonField(default=dict)

        class Meta:
            database = db
            table_name = "audit_event"
            legacy_table_names = False

    db.create_tables([AuditEvent])

    class CallAttempt(Model):
        lead = ForeignKeyField(Lead, on_delete="CASCADE")
        agent = ForeignKeyField(User, on_delete="RESTRICT")
        phone_e164 = CharField()
        claimed_at = UtcDateTimeField(null=True)
        dialled_at = UtcDateTimeField(null=True)
        at = UtcDateTimeField(index=True)
        disposition = CharField()
        note = TextField(default="")
        reason = TextField(null=True)
        callback_at = UtcDateTimeField(null=True)
        status_before = CharField()
        status_after = CharField()
        lead_before = JsonField(null=True)
        undone_at = UtcDateTimeField(null=True)

        class Meta:
            database = db
            table_name = "call_attempt"
            legacy_table_names = False
            indexes = ((("agent", "at"), False), (("lead", "at"), False))

    db.create_tables([CallAttempt])
    # partial indexes, kept verbatim from the models (template() cannot render them)
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "lead_fresh" ON "lead" ("list_priority" DESC, '
        '"priority" DESC, "id", "zone_set_id") '
        "WHERE status = 'new' AND claimed_by_id IS NULL"
    )
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "lead_retries" ON "lead" ("list_priority" DESC, '
        '"priority" DESC, "next_call_at", "zone_set_id", "attempts") '
        "WHERE status = 'retry' AND claimed_by_id IS NULL"
    )
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "lead_callbacks" ON "lead" ("next_call_at", '
        '"callback_owner_id", "zone_set_id") '
        "WHERE status IN ('callback', 'nurture') AND claimed_by_id IS NULL"
    )

    class Qualification(Model):
        lead = ForeignKeyField(Lead, on_delete="CASCADE")
        agent = ForeignKeyField(User, on_delete="RESTRICT")
        script_key = CharField()
        script_version = CharField()
        answers = JsonField(default=list)
        fit = BooleanField(null=True)
        knockouts = JsonField(default=list)
        actuality = CharField(default="unknown")
        recall_on = CharField(null=True)
        score = IntegerField(default=0)
        status = CharField(default="draft")
        submitted_at = UtcDateTimeField(index=True, null=True)
        reviewed_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        reviewed_at = UtcDateTimeField(null=True)
        review_comment = TextField(null=True)
        created_at = UtcDateTimeField()
        updated_at = UtcDateTimeField()

        class Meta:
            database = db
            table_name = "qualification"
            legacy_table_names = False

    db.create_tables([Qualification])

    class DecisionMaker(Model):
        qualification = ForeignKeyField(Qualification, on_delete="CASCADE")
        role = CharField(default="other")
        name = TextField(default="")
        position = TextField(default="")
        phone_raw = TextField(default="")
        phone_e164 = CharField(null=True)
        email = TextField(default="")

        class Meta:
            database = db
            table_name = "decision_maker"
            legacy_table_names = False

    db.create_tables([DecisionMaker])

    class DncEntry(Model):
        phone_e164 = CharField(unique=True)
        reason = TextField(default="")
        source = CharField(default="manual")
        added_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        added_at = UtcDateTimeField()

        class Meta:
            database = db
            table_name = "dnc_entry"
            legacy_table_names = False

    db.create_tables([DncEntry])

    class ExportBatch(Model):
        created_at = UtcDateTimeField()
        created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        format = CharField()
        path = TextField(default="")
        lead_count = IntegerField(default=0)
        parameters = JsonField(default=dict)

        class Meta:
            database = db
            table_name = "export_batch"
            legacy_table_names = False

    db.create_tables([ExportBatch])

    class ExportedLead(Model):
        batch = ForeignKeyField(ExportBatch, on_delete="CASCADE")
        lead = ForeignKeyField(Lead, on_delete="CASCADE")

        class Meta:
            database = db
            table_name = "exported_lead"
            legacy_table_names = False
            primary_key = False
            indexes = ((("batch", "lead"), True), (("lead",), False))

    db.create_tables([ExportedLead])

    class Specialist(Model):
        name = TextField()
        email = TextField(null=True)
        phone_e164 = CharField(null=True)
        time_zone = CharField(default="Europe/Moscow")
        working_hours = JsonField(default=dict)
        days_off = JsonField(default=list)
        regions = JsonField(default=list)
        specialisations = JsonField(default=list)
        meeting_minutes = IntegerField(default=60)
        buffer_minutes = IntegerField(default=15)
        max_per_day = IntegerField(null=True)
        active = BooleanField(default=True)
        created_at = UtcDateTimeField()

        class Meta:
            database = db
            table_name = "specialist"
            legacy_table_names = False

    db.create_tables([Specialist])

    class Meeting(Model):
        lead = ForeignKeyField(Lead, on_delete="CASCADE")
        specialist = ForeignKeyField(Specialist, on_delete="RESTRICT")
        qualification = ForeignKeyField(Qualification, null=True, on_delete="SET NULL")
        starts_at = UtcDateTimeField()
        ends_at = UtcDateTimeField()
        kind = CharField(default="video")
        place = TextField(default="")
        agenda = TextField(default="")
        status = CharField(default="booked")
        booked_by = ForeignKeyField(User, on_delete="RESTRICT")
        booked_at = UtcDateTimeField()
        cancelled_at = UtcDateTimeField(null=True)
        cancel_reason = TextField(null=True)
        rescheduled_from = ForeignKeyField("self", null=True, on_delete="SET NULL")

        class Meta:
            database = db
            table_name = "meeting"
            legacy_table_names = False
            indexes = ((("specialist", "starts_at"), False),)

    db.create_tables([Meeting])

    class NumberRange(Model):
        prefix = CharField()
        start = IntegerField()
        end = IntegerField()
        operator = TextField(default="")
        region = TextField(default="")

        class Meta:
            database = db
            table_name = "number_range"
            legacy_table_names = False
            indexes = ((("prefix", "start"), False),)

    db.create_tables([NumberRange])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("number_range"))
    migrator.migrate(migrator.drop_table("meeting"))
    migrator.migrate(migrator.drop_table("specialist"))
    migrator.migrate(migrator.drop_table("exported_lead"))
    migrator.migrate(migrator.drop_table("export_batch"))
    migrator.migrate(migrator.drop_table("dnc_entry"))
    migrator.migrate(migrator.drop_table("decision_maker"))
    migrator.migrate(migrator.drop_table("qualification"))
    migrator.migrate(migrator.drop_table("call_attempt"))
    migrator.migrate(migrator.drop_table("audit_event"))
    migrator.migrate(migrator.drop_table("lead"))
    migrator.migrate(migrator.drop_table("zone_set"))
    migrator.migrate(migrator.drop_table("import_run"))
    migrator.migrate(migrator.drop_table("call_list"))
    migrator.migrate(migrator.drop_table("user"))
