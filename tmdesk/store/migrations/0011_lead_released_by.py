"""A lead an agent gave back (release) remembers who did, so that agent's next claim serves
it only after every other callable lead (docs/architecture.md §4). Any claim clears it."""

# Written by hand from the models, then frozen.
from peewee import IntegerField


def up(migrator, db):
    migrator.migrate(migrator.add_column("lead", "released_by_id", IntegerField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("lead", "released_by_id"))
