"""Meetings that cannot overlap, an append-only audit trail, review corrections, and the
handed-off record of each exported lead.

SQLite: triggers that RAISE(ABORT). PostgreSQL: an exclusion constraint (btree_gist) on the
specialist and the meeting's time range, and a plpgsql function refusing UPDATE, DELETE and
TRUNCATE of the audit trail. A PostgreSQL desk never held rows under this migration's
looser audit guard (PostgreSQL came later), so it gets the final, strict guards here, and
0005 only changes the foreign keys."""

# Written by hand and frozen: the trigger text is copied, not imported, from the models.
from peewee import *  # noqa: F403
from tmdesk.store.dialect import is_postgres
from tmdesk.store.fields import JsonField

TRIGGERS = (
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
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END""",
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
WHEN NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.action IS NOT OLD.action
  OR NEW.details IS NOT OLD.details
  OR (NEW.user_id IS NOT OLD.user_id AND NEW.user_id IS NOT NULL)
  OR (NEW.lead_id IS NOT OLD.lead_id AND NEW.lead_id IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END""",
)

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


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("meeting", "attendees", JsonField(null=True)),
        migrator.add_column("qualification", "corrections", JsonField(null=True)),
        migrator.add_column("exported_lead", "record", JsonField(null=True)),
    )
    for sql in PG_RULES if is_postgres(db) else TRIGGERS:
        db.execute_sql(sql)


def down(migrator, db):
    if is_postgres(db):
        for sql in (
            "DROP TRIGGER IF EXISTS audit_event_no_delete ON audit_event",
            "DROP TRIGGER IF EXISTS audit_event_no_update ON audit_event",
            "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",
            "DROP FUNCTION IF EXISTS audit_event_refuse()",
            "ALTER TABLE meeting DROP CONSTRAINT IF EXISTS meeting_no_overlap",
            "DROP TYPE IF EXISTS instant_range",
        ):
            db.execute_sql(sql)
    for name in (
        "meeting_no_overlap_insert",
        "meeting_no_overlap_update",
        "audit_event_no_delete",
        "audit_event_no_update",
    ):
        if not is_postgres(db):
            db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    migrator.migrate(
        migrator.drop_column("meeting", "attendees"),
        migrator.drop_column("qualification", "corrections"),
        migrator.drop_column("exported_lead", "record"),
    )
