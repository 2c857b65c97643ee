"""Indexes for the supervisor's figures: the day report and the lists' progress read only
index ranges."""
# Written by hand and frozen: the index text is copied, not imported, from the models.

INDEXES = (
    # per disposition and agent over a range of `at`, covering (handle time included):
    # the figures' GROUP BY follows the index order, so nothing is sorted
    'CREATE INDEX IF NOT EXISTS "call_attempt_report" ON "call_attempt" ("disposition", '
    '"agent_id", "at", "claimed_at", "undone_at")',
    # per disposition over one hour of `at`, covering: the hourly chart
    'CREATE INDEX IF NOT EXISTS "call_attempt_hourly" ON "call_attempt" ("disposition", '
    '"at", "undone_at")',
    # meetings booked in a period
    'CREATE INDEX IF NOT EXISTS "meeting_booked_at" ON "meeting" ("booked_at")',
    # the lists' progress: the leads of a list by status, with what makes them due or
    # capped (replaces the (call_list_id, status) index, which it still serves)
    'CREATE INDEX IF NOT EXISTS "lead_call_list_id_status_next_call_at_attempts" ON "lead" '
    '("call_list_id", "status", "next_call_at", "attempts")',
)


def up(migrator, db):
    for sql in INDEXES:
        db.execute_sql(sql)
    db.execute_sql('DROP INDEX IF EXISTS "lead_call_list_id_status"')


def down(migrator, db):
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "lead_call_list_id_status" ON "lead" ("call_list_id", "status")'
    )
    for name in (
        "call_attempt_report",
        "call_attempt_hourly",
        "meeting_booked_at",
        "lead_call_list_id_status_next_call_at_attempts",
    ):
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
