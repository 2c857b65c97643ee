"""Keeping the database healthy: schema upgrades, integrity checks, online backups."""

from __future__ import annotations

from pathlib import Path

from tmdesk.services.import_staging import remove_unfinished_imports
from tmdesk.store import schema
from tmdesk.store.models import database


def upgrade_schema() -> tuple[list[str], int]:
    """Apply pending migrations; returns their names and the schema version after."""
    applied = schema.upgrade(database.obj)
    return applied, schema.status(database.obj).version


def check_database() -> list[str]:
    remove_unfinished_imports()  # what a killed import left, before the checks look
    return schema.check(database.obj)


def backup_database(target: Path) -> Path:
    return schema.backup(database.obj, target)
