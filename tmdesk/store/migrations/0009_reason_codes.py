"""Not-interested reasons picked from the desk's list are stored as codes, shown in the
desk's language (tmdesk.domain.choices). Older versions stored the label, alone or
followed by ": " and the words the agent typed: in English, or in Russian once the catalogue
translated it; each becomes its code, the typed words kept as they were. Reasons typed by
hand are left alone.

Plain UPDATEs with substr and || (SQLite and PostgreSQL alike); `substr(…) = 'Label: '`
rather than LIKE, which SQLite compares without regard to case."""

# Frozen: the labels as the versions before this one stored them, and their codes.
LABELS = (
    ("no_need", "No need"),
    ("other_supplier", "Already work with another supplier"),
    ("no_budget", "No budget"),
    ("too_expensive", "Too expensive"),
    ("bad_time", "Bad time, busy with other things"),
    ("refused_to_talk", "Refused to talk"),
)
# the same labels as the Russian catalogue gave them before codes (a desk speaking Russian)
RUSSIAN = (
    ("no_need", "Нет потребности"),
    ("other_supplier", "Уже работают с другим поставщиком"),
    ("no_budget", "Нет бюджета"),
    ("too_expensive", "Слишком дорого"),
    ("bad_time", "Неудобно, заняты другим"),
    ("refused_to_talk", "Отказались говорить"),
)
WHERE = "disposition = 'not_interested'"


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _replace(db, old: str, new: str) -> None:
    """A reason that is `old`, or `old` then ": " and typed words, becomes `new` (+ words)."""
    db.execute_sql(
        f"UPDATE call_attempt SET reason = {_quoted(new)} WHERE {WHERE} AND reason = {_quoted(old)}"
    )
    prefix = old + ": "
    db.execute_sql(
        f"UPDATE call_attempt SET reason = {_quoted(new)} || substr(reason, {len(old) + 1}) "
        f"WHERE {WHERE} AND substr(reason, 1, {len(prefix)}) = {_quoted(prefix)}"
    )


def up(migrator, db):
    for code, label in LABELS + RUSSIAN:
        _replace(db, label, code)


def down(migrator, db):
    for code, label in LABELS:
        _replace(db, code, label)
