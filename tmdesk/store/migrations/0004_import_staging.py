"""Imports in short transactions: an import run's leads found without a scan, to hide them
from the lists' progress and the queue summary until the run is finished, to compare their
numbers with the live ones, and to remove them when the import failed; and the unfinished
runs, which every claim leaves out."""
# Written by hand and frozen: the index text is copied, not imported, from the models.

INDEXES = (
    'CREATE INDEX IF NOT EXISTS "lead_import_run" ON "lead" '
    '("import_run_id", "call_list_id", "status", "zone_set_id")',
    # the imports still being written, read by every claim: a handful of rows
    'CREATE INDEX IF NOT EXISTS "import_run_unfinished" ON "import_run" ("id") '
    "WHERE finished_at IS NULL",
)


def up(migrator, db):
    for sql in INDEXES:
        db.execute_sql(sql)


def down(migrator, db):
    for name in ("lead_import_run", "import_run_unfinished"):
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
