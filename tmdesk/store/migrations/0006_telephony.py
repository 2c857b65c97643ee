"""Click-to-call through the office PBX: the agents' extensions, each call placed through the
PBX with its result, the events the telephony service took (once each), and its heartbeat."""

# Written by hand from the models, then frozen.
from peewee import *  # noqa: F403 (the generated style)
from tmdesk.store.fields import JsonField
from tmdesk.store.fields import UtcDateTimeField


def up(migrator, db):
    migrator.migrate(migrator.add_column("user", "extension", CharField(null=True)))

    class Ref(Model):  # only the names the foreign keys point at
        class Meta:
            database = db

    class Lead(Ref):
        class Meta:
            table_name = "lead"

    class User(Ref):
        class Meta:
            table_name = "user"

    class CallAttempt(Ref):
        class Meta:
            table_name = "call_attempt"

    class PhoneCall(Model):
        lead = ForeignKeyField(Lead, on_delete="CASCADE", index=False)
        agent = ForeignKeyField(User, on_delete="RESTRICT", index=False)
        attempt = ForeignKeyField(CallAttempt, null=True, on_delete="SET NULL")
        phone_e164 = CharField()
        extension = CharField(default="")
        provider = CharField()
        provider_call_id = CharField(null=True)
        line = CharField(null=True)
        state = CharField(default="requested")
        result = CharField(null=True)
        cause = TextField(null=True)
        ring_seconds = IntegerField(null=True)
        talk_seconds = IntegerField(null=True)
        recording = TextField(null=True)
        requested_at = UtcDateTimeField()
        ringing_at = UtcDateTimeField(null=True)
        answered_at = UtcDateTimeField(null=True)
        ended_at = UtcDateTimeField(null=True)

        class Meta:
            database = db
            table_name = "phone_call"
            legacy_table_names = False
            indexes = (
                (("state", "requested_at"), False),
                (("lead", "agent"), False),
                (("provider", "provider_call_id"), False),
            )

    class TelephonyEvent(Model):
        phone_call = ForeignKeyField(PhoneCall, null=True, on_delete="CASCADE")
        key = CharField(unique=True)
        kind = CharField()
        at = UtcDateTimeField()
        payload = JsonField(default=dict)

        class Meta:
            database = db
            table_name = "telephony_event"
            legacy_table_names = False

    class TelephonyService(Model):
        name = CharField(primary_key=True)
        backend = CharField()
        beat_at = UtcDateTimeField()
        problem = TextField(null=True)

        class Meta:
            database = db
            table_name = "telephony_service"
            legacy_table_names = False

    db.create_tables([PhoneCall, TelephonyEvent, TelephonyService])


def down(migrator, db):
    for table in ("telephony_service", "telephony_event", "phone_call"):
        migrator.migrate(migrator.drop_table(table))
    migrator.migrate(migrator.drop_column("user", "extension"))
