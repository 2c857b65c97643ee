"""Imports in short transactions: an import run's leads found without a scan, to hide them
from the lists' progress and the queue summary until the run is finished, to compare their
numbers with the live ones, and to remove them when the import failed."""
# Written by hand and frozen: the index text is copied, not imported, from the models.

INDEX = (
    'CREATE INDEX IF NOT EXISTS "lead_import_run" ON "lead" '
    '("import_run_id", "call_list_id", "status", "zone_set_id")'
)


def up(migrator, db):
    db.execute_sql(INDEX)


def down(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS "lead_import_run"')
