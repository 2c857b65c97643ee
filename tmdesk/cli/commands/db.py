"""`tmdesk db`: create, upgrade, check and back up the database."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from tmdesk.cli.context import (
    Context,
    pass_context,
)
from tmdesk.cli.params import Whole
from tmdesk.i18n import _


@click.group("db", help=_("The database: schema, integrity, backup."))
def db_group() -> None:
    pass


@db_group.command(
    "init",
    help=_(
        "Create a new, empty desk database at PATH (owner-only), or the desk's tables in "
        "the empty PostgreSQL database a postgresql:// URL names."
    ),
)
@click.argument("path")  # a file, or a postgresql:// URL (click.Path would fold its //)
def db_init(path: str) -> None:
    from tmdesk.services.workspace import init_workspace

    workspace = init_workspace(path)
    click.echo(
        _("created {path} (schema version {version}); use it with --db {path}").format(
            path=workspace.target, version=workspace.schema.version
        )
    )


@db_group.command("upgrade", help=_("Apply pending schema migrations."))
@pass_context
def db_upgrade(context: Context) -> None:
    context.workspace(migrate=False)
    from tmdesk.services.maintenance import upgrade_schema

    applied, version = upgrade_schema()
    if applied:
        click.echo(_("applied: {names}").format(names=", ".join(applied)))
    click.echo(_("schema version {version} (current)").format(version=version))


@db_group.command("check", help=_("Check the database's integrity."))
@pass_context
def db_check(context: Context) -> None:
    context.workspace(migrate=False)
    from tmdesk.services.maintenance import check_database, privacy_warnings

    for warning in privacy_warnings():
        click.echo(warning, err=True)
    problems = check_database()
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.ClickException(_("{n} problem(s) found").format(n=len(problems)))
    click.echo(_("ok"))


@db_group.command(
    "backup",
    help=_("Copy the database to PATH (or a dated file in --dir) while others keep working."),
)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path),
    help=_("Write a dated file tmdesk-YYYYMMDDTHHMMSSZ.db in this folder (for cron)."),
)
@click.option(
    "--keep",
    type=Whole(1, 100_000),
    help=_("With --dir: keep only the newest N dated backups there."),
)
@click.option("--force", is_flag=True, help=_("Replace an existing file (never a database)."))
@pass_context
def db_backup(
    context: Context, path: Path | None, folder: Path | None, keep: int | None, force: bool
) -> None:
    if (path is None) == (folder is None):
        raise click.UsageError(_("give either PATH or --dir FOLDER"))
    if keep is not None and folder is None:
        raise click.UsageError(_("--keep goes with --dir"))
    context.workspace(migrate=False)
    from tmdesk.services.maintenance import backup_database, backup_to_folder

    if folder is not None:
        made = backup_to_folder(folder, keep)
    else:
        assert path is not None  # checked above: PATH or --dir
        made = backup_database(path, force=force)
    click.echo(_("backed up to {path} ({size:,} bytes)").format(path=made.path, size=made.size))
    for old in made.removed:
        click.echo(_("removed the old backup {path}").format(path=old))


@db_group.command(
    "copy",
    help=_(
        "Copy the whole desk at SOURCE into the empty desk at TARGET (SQLite files or "
        "postgresql:// URLs): SQLite to PostgreSQL, and back. Ids, passwords and the audit "
        "trail come along; the counts of every table are compared at the end."
    ),
)
@click.argument("source")  # a file or a URL (click.Path would fold a URL's //)
@click.argument("target")
def db_copy(source: str, target: str) -> None:
    from tmdesk.services.desk_copy import copy_desk

    show_bar = sys.stderr.isatty()
    bar: Any = None
    shown: list[str] = []

    def progress(table: str, done: int, total: int) -> None:
        nonlocal bar
        if table not in shown:  # a new table: close the last one's bar
            shown.append(table)
            if bar is not None:
                bar.__exit__(None, None, None)
                bar = None
            if not show_bar:
                click.echo(
                    _("copying {table}: {total:,} rows").format(table=table, total=total), err=True
                )
            elif total:
                bar = click.progressbar(length=total, label=table, file=sys.stderr, show_pos=True)
                bar.__enter__()
        if bar is not None:
            bar.update(done - bar.pos)

    try:
        report = copy_desk(source, target, progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for table in report.skipped:
        click.echo(
            _("warning: {table} is not a table of tmdesk; it was not copied").format(table=table),
            err=True,
        )
    width = max(len(c.table) for c in report.counts)
    heading, source_heading, target_heading = _("table"), _("source"), _("target")
    width = max(width, len(heading))
    click.echo(f"{heading:<{width}}  {source_heading:>10}  {target_heading:>10}")
    for count in report.counts:
        click.echo(f"{count.table:<{width}}  {count.source:>10,}  {count.target:>10,}")
    click.echo(
        _(
            "copied {rows:,} rows from {source} to {target} in {seconds:.1f} s ({rate:,.0f} rows/s)"
        ).format(
            rows=report.rows,
            source=report.source,
            target=report.target,
            seconds=report.seconds,
            rate=report.rows_per_second,
        )
    )
