"""At most one booked meeting per lead, kept by PostgreSQL itself.

PostgreSQL: a partial unique index on meeting (lead_id) for booked meetings, beside the
booking service's own check (which runs with the lead's row locked). SQLite: nothing; every
booking runs alone in its IMMEDIATE transaction, and an older SQLite desk could hold a lead
with two booked meetings that the index would refuse, stopping the upgrade.
"""

# Written by hand and frozen.
from tmdesk.store.dialect import is_postgres

INDEX = (
    'CREATE UNIQUE INDEX IF NOT EXISTS "meeting_one_booked_per_lead" ON "meeting" ("lead_id") '
    "WHERE status = 'booked'"
)


def up(migrator, db):
    if is_postgres(db):
        db.execute_sql(INDEX)


def down(migrator, db):
    if is_postgres(db):
        db.execute_sql('DROP INDEX IF EXISTS "meeting_one_booked_per_lead"')
