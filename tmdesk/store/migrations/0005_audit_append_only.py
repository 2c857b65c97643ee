"""The audit trail append-only in full: no column of a row can change and no row can go.

Migration 0002 let the foreign keys' ON DELETE SET NULL clear a row's user and lead, and
so let any UPDATE that only cleared them through. Users and leads are never deleted (users
are deactivated, call lists archived), so the references now refuse the deletion instead.
SQLite cannot alter a foreign key: the table is rebuilt and every row copied across.
PostgreSQL alters the two foreign keys in place (its guards are already the strict ones,
from 0002).
"""

# Written by hand and frozen: the table and trigger text is copied, not imported, from the
# models (tests/store/test_schema.py checks that the two agree to the letter).
from tmdesk.store.dialect import is_postgres

GUARDS = ("audit_event_no_delete", "audit_event_no_update", "audit_event_no_replace")

TABLE = (
    'CREATE TABLE "audit_event_new" ("id" INTEGER NOT NULL PRIMARY KEY, "at" TEXT NOT NULL, '
    '"user_id" INTEGER, "action" VARCHAR(255) NOT NULL, "lead_id" INTEGER, '
    '"details" TEXT NOT NULL, '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE RESTRICT, '
    'FOREIGN KEY ("lead_id") REFERENCES "lead" ("id") ON DELETE RESTRICT)'
)

OLD_TABLE = TABLE.replace("ON DELETE RESTRICT", "ON DELETE SET NULL")

INDEXES = (
    'CREATE INDEX "audit_event_at" ON "audit_event" ("at")',
    'CREATE INDEX "audit_event_user_id" ON "audit_event" ("user_id")',
    'CREATE INDEX "audit_event_lead_id" ON "audit_event" ("lead_id")',
)

TRIGGERS = (
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END""",
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END""",
    """CREATE TRIGGER audit_event_no_replace BEFORE INSERT ON audit_event
WHEN NEW.id > 0 AND EXISTS (SELECT 1 FROM audit_event WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END""",
)

# the guards of migration 0002, for down()
OLD_TRIGGERS = (
    TRIGGERS[0],
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
WHEN NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.action IS NOT OLD.action
  OR NEW.details IS NOT OLD.details
  OR (NEW.user_id IS NOT OLD.user_id AND NEW.user_id IS NOT NULL)
  OR (NEW.lead_id IS NOT OLD.lead_id AND NEW.lead_id IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END""",
)

COLUMNS = '"id", "at", "user_id", "action", "lead_id", "details"'


def _rebuild(db, table: str, triggers) -> None:
    # the old guards refuse the DELETE that DROP TABLE implies: they go first, inside this
    # migration's transaction, and come back (new) before it commits
    for name in GUARDS:
        db.execute_sql(f'DROP TRIGGER IF EXISTS "{name}"')
    db.execute_sql(table)
    db.execute_sql(
        f'INSERT INTO "audit_event_new" ({COLUMNS}) SELECT {COLUMNS} FROM "audit_event" '
        'ORDER BY "id"'
    )
    copied = db.execute_sql('SELECT count(*) FROM "audit_event_new"').fetchone()[0]
    kept = db.execute_sql('SELECT count(*) FROM "audit_event"').fetchone()[0]
    if copied != kept:  # never drop a row of the trail: abort the migration instead
        raise RuntimeError(f"audit_event: copied {copied} of {kept} rows")
    db.execute_sql('DROP TABLE "audit_event"')
    db.execute_sql('ALTER TABLE "audit_event_new" RENAME TO "audit_event"')
    for sql in INDEXES + tuple(triggers):
        db.execute_sql(sql)


def _references(db, on_delete: str) -> None:
    for column, parent in (("user_id", "user"), ("lead_id", "lead")):
        db.execute_sql(
            f'ALTER TABLE "audit_event" DROP CONSTRAINT "audit_event_{column}_fkey", '
            f'ADD CONSTRAINT "audit_event_{column}_fkey" FOREIGN KEY ("{column}") '
            f'REFERENCES "{parent}" ("id") ON DELETE {on_delete}'
        )


def up(migrator, db):
    if is_postgres(db):
        _references(db, "RESTRICT")
    else:
        _rebuild(db, TABLE, TRIGGERS)


def down(migrator, db):
    if is_postgres(db):
        _references(db, "SET NULL")
    else:
        _rebuild(db, OLD_TABLE, OLD_TRIGGERS)
