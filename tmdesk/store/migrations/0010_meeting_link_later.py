"""A video meeting booked without its link says so: `link_later` is the agent's explicit
"the link comes later", so review and the handoff show the link as missing rather than an
empty place. Meetings booked before this knew no such choice: they stay false.

Plain ALTER TABLE (portable to PostgreSQL): peewee's SQLite migrator would rebuild the table
for a NOT NULL column, dropping the overlap triggers of the meeting table."""


def up(migrator, db):
    db.execute_sql("ALTER TABLE meeting ADD COLUMN link_later BOOLEAN NOT NULL DEFAULT FALSE")


def down(migrator, db):
    db.execute_sql("ALTER TABLE meeting DROP COLUMN link_later")
