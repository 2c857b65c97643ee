"""`tmdesk import`: a call list from CSV or XLSX."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tmdesk.cli.context import (
    Context,
    echo_json,
    pass_context,
    supervisor_only,
)
from tmdesk.i18n import _


def _parse_maps(values: tuple[str, ...]) -> dict[str, str]:
    overrides = {}
    for value in values:
        column, sep, field = value.partition("=")
        if not sep or not column.strip() or not field.strip():
            raise click.BadParameter(
                _("expected COLUMN=FIELD, not {value!r}").format(value=value), param_hint="--map"
            )
        overrides[column.strip()] = field.strip()
    return overrides


@click.command("import", help=_("Import a call list from CSV or XLSX."))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--list", "list_name", metavar="NAME", help=_("Call list (default: file name)."))
@click.option("--region", metavar="CC", help=_("Region of numbers written without +code."))
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="COLUMN=FIELD",
    help=_("Map a column (header or number) to a field, or to skip/extra."),
)
@click.option("--sheet", help=_("XLSX sheet (default: the first)."))
@click.option("--encoding", help=_("CSV encoding, when detection refuses to guess."))
@click.option(
    "--max-sheet-mb",
    type=click.IntRange(1),
    default=512,
    show_default=True,
    help=_("Refuse an XLSX whose sheet unpacks to more than this."),
)
@click.option(
    "--rejects",
    type=click.Path(dir_okay=False, path_type=Path),
    help=_("Where to write the rejected rows (default: beside the file)."),
)
@click.option("--force", is_flag=True, help=_("Replace an existing --rejects file."))
@click.option("--dry-run", is_flag=True, help=_("Check and count, write nothing."))
@click.option("--json", "as_json", is_flag=True, help=_("One JSON object on stdout."))
@pass_context
@supervisor_only(_("import call lists"))
def import_command(
    context: Context,
    file: Path,
    list_name: str | None,
    region: str | None,
    maps: tuple[str, ...],
    sheet: str | None,
    encoding: str | None,
    max_sheet_mb: int,
    rejects: Path | None,
    force: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    workspace = context.workspace()
    from tmdesk.services.importing import import_call_list

    overrides = _parse_maps(maps)
    show_progress = not as_json and sys.stderr.isatty()
    bar = None

    def progress(done: int, expected: int | None) -> None:
        nonlocal bar
        if not show_progress:
            return
        if bar is None:
            bar = click.progressbar(length=expected or done, label=_("importing"), file=sys.stderr)
            bar.__enter__()
        bar.length = max(bar.length or 0, done)
        bar.update(done - bar.pos)

    try:
        report = import_call_list(
            file,
            list_name=list_name,
            default_region=region or workspace.settings.default_region,
            overrides=overrides,
            sheet=sheet,
            encoding=encoding,
            dry_run=dry_run,
            rejects_path=rejects,
            replace_rejects=force,
            user_id=context.acting_user_id,
            progress=progress,
            max_sheet_mb=max_sheet_mb,
        )
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if as_json:
        echo_json(report.to_json())
        return
    click.echo(
        _("{file} → list {name!r}{dry}").format(
            file=report.file,
            name=report.list_name,
            dry=_(" (dry run: nothing written)") if report.dry_run else "",
        )
    )
    click.echo(
        _("  read as {kind}").format(
            kind=", ".join(
                filter(None, [report.encoding, report.delimiter and repr(report.delimiter)])
            )
        )
    )
    for line in report.columns:
        click.echo(f"  {line}")
    click.echo(
        _(
            "  rows {rows}: imported {imported}, duplicates {duplicates}, invalid "
            "{invalid}, do-not-call {dnc}, empty {empty}"
        ).format(**report.to_json())
    )
    for problem in report.errors[:10]:
        click.echo(_("  line {line}: {reason}").format(line=problem.line, reason=problem.reason))
    if len(report.errors) > 10:
        click.echo(_("  … and {n} more").format(n=len(report.errors) - 10))
    if report.rejects_path:
        click.echo(_("  rejected rows written to {path}").format(path=report.rejects_path))
