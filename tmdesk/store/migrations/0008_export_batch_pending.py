"""Exports in short transactions: a batch is pending (completed_at NULL) while its leads are
recorded, and every reader leaves it out until one short last transaction completes it.
The batches of an older database were all recorded whole: they are complete as of their
creation, so their history stays as it was."""

# Written by hand from the models, then frozen.
from tmdesk.store.fields import UtcDateTimeField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("export_batch", "completed_at", UtcDateTimeField(null=True))
    )
    db.execute_sql("UPDATE export_batch SET completed_at = created_at")


def down(migrator, db):
    migrator.migrate(migrator.drop_column("export_batch", "completed_at"))
