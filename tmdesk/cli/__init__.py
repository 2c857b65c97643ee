"""The `tmdesk` command: the TUI when run bare, sub-commands for scripts and cron.

Talks only to services. Errors a user can cause print one line on stderr and exit 1;
textual is imported only when the TUI starts, so scripted commands stay quick.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from tmdesk.errors import TmdeskError
from tmdesk.i18n import LANGUAGES, _, use_language


def _language_in(arguments: list[str]) -> str | None:
    """The `--lang` given to tmdesk itself (before the command: `export --lang` is the
    export's own), if it names a language we speak."""
    words = iter(arguments)
    for word in words:
        if word == "--lang" or word.startswith("--lang="):
            value = word.partition("=")[2] or next(words, "")
            return value if value in LANGUAGES else None
        if word in ("--db", "--config", "--agent", "--user"):
            next(words, None)  # their value
        elif not word.startswith("-"):
            return None  # the command: its options are its own
    return None


# The help texts below are translated as this package is imported, before click parses
# anything: a `--lang` on the command line must already hold for them.
if (_early := _language_in(sys.argv[1:])) is not None:
    use_language(_early, pin=True)


def _choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        use_language(value, pin=True)  # before the configuration is read: it wins


class _DeskGroup(click.Group):
    """Turns our own errors into a one-line message and exit status 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except TmdeskError as error:
            raise click.ClickException(str(error)) from None
        except Exception as error:
            problem = _database_failure(error)
            if problem is None:
                raise
            raise click.ClickException(problem) from None


def _database_failure(error: Exception) -> str | None:
    """SQLite failing under a command (locked, full disk, damaged pages) as one sentence."""
    if "sqlite" not in type(error).__module__ and "peewee" not in type(error).__module__:
        return None  # not a database error: a bug, keep its traceback
    from tmdesk.services.workspace import database_failure

    return database_failure(error)


class _Context:
    def __init__(self, db: str | None, config: str | None, user: str | None = None):
        self.db = db
        self.config = config
        self.user = user  # --user / TMDESK_USER: who runs supervisor commands
        self.acting_user_id: int | None = None  # set by supervisor_only
        self._workspace = None

    def workspace(self, *, migrate: bool = True, create: bool = False):
        """The desk; an explicit --db that does not exist is refused unless `create`."""
        if self._workspace is None:
            from tmdesk.services.workspace import open_workspace

            self._workspace = open_workspace(self.db, self.config, migrate=migrate, create=create)
        return self._workspace

    def authorize(self, action: str) -> None:
        """Let a supervisor through (password from TMDESK_PASSWORD or a hidden prompt);
        refuse anyone else. On an open desk (no supervisor has a password yet) everyone
        passes, with a warning: a fresh install has to create its first users somehow."""
        self.workspace()
        from tmdesk.services import auth

        login = (self.user or "").strip()
        if auth.open_desk():
            if login:
                user = auth.sign_in(login, None)
                if user.role != "supervisor":
                    raise auth.NotAllowed(_("only a supervisor can {action}").format(action=action))
                self.acting_user_id = user.id
            click.echo(
                _(
                    "warning: no supervisor has a password yet, so anyone can run "
                    "supervisor commands; set one with `tmdesk users passwd LOGIN`"
                ),
                err=True,
            )
            return
        if not login:
            raise click.ClickException(
                _(
                    "only a supervisor can {action}: say who you are with "
                    "--user LOGIN or TMDESK_USER"
                ).format(action=action)
            )
        limits = self.workspace().settings.web
        if auth.needs_password(login, required=limits.require_passwords):
            password = os.environ.get("TMDESK_PASSWORD")
            if password is None:
                if not sys.stdin.isatty():
                    raise click.ClickException(
                        _(
                            "{login}: password needed (TMDESK_PASSWORD, or run in a terminal)"
                        ).format(login=login)
                    )
                password = click.prompt(
                    _("Password for {login}").format(login=login), hide_input=True, err=True
                )
            user = auth.sign_in(login, password, web=limits)
        else:
            user = auth.sign_in(login, None, web=limits)
        auth.require_supervisor(user.id, action)
        self.acting_user_id = user.id

    def supervisor_id(self) -> int:
        """The supervisor running the command (after supervisor_only)."""
        if self.acting_user_id is None:
            raise click.ClickException(
                _("say which supervisor you are: --user LOGIN or TMDESK_USER")
            )
        return self.acting_user_id


pass_context = click.make_pass_decorator(_Context)


def supervisor_only(action: str):
    """Decorator for supervisor commands: `action` completes "only a supervisor can …".

    Put it right above the function (below the click decorators) or above @….command.
    """

    def decorate(command):
        if isinstance(command, click.Command):
            command.callback = decorate(command.callback)
            return command

        @functools.wraps(command)
        def guarded(*args, **kwargs):
            click.get_current_context().find_object(_Context).authorize(action)
            return command(*args, **kwargs)

        return guarded

    return decorate


def read_new_password(from_stdin: bool) -> str:
    """A new password: one line of stdin, or typed twice at a hidden prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise click.ClickException(
            _("give the new password with --password-stdin, or run in a terminal")
        )
    return click.prompt(_("New password"), hide_input=True, confirmation_prompt=True, err=True)


def _echo_json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


# for the command modules of this package (tmdesk/cli/*.py)
echo_json = _echo_json
Context = _Context

FIRST_YEAR, LAST_YEAR = 1900, 2999  # beyond these a date is a typo, and overflows time zones


class InputOutOfRange(TmdeskError):
    """A date or number the desk cannot use, named with its option (one line, exit 1)."""


def _refuse(param: click.Parameter | None, value, reason: str) -> InputOutOfRange:
    name = "/".join(param.opts) if param is not None and param.opts else ""
    if isinstance(param, click.Argument):
        name = param.human_readable_name
    return InputOutOfRange(
        _("{name} {value} {reason}").format(name=name, value=value, reason=reason).strip()
    )


class Day(click.DateTime):
    """YYYY-MM-DD within years the desk can compute with."""

    name = "date"

    def __init__(self) -> None:
        super().__init__(formats=["%Y-%m-%d"])

    def convert(self, value, param, ctx):
        day = super().convert(value, param, ctx)
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise _refuse(
                param,
                value,
                _("is outside the calendar (years {first}–{last})").format(
                    first=FIRST_YEAR, last=LAST_YEAR
                ),
            )
        return day


class Whole(click.IntRange):
    """A whole number within bounds; SQLite holds 64-bit integers, so a larger number
    would crash the query instead of being refused."""

    def __init__(self, low: int, high: int = 2**63 - 1) -> None:
        super().__init__(low, high)

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            raise _refuse(
                param,
                value,
                _("must be a whole number from {low} to {high}").format(
                    low=self.min, high=self.max
                ),
            ) from None


DAY = Day()
ID = Whole(1)


@click.group(
    cls=_DeskGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    envvar="TMDESK_DB",
    metavar="PATH_OR_URL",
    help=_("Database file or URL (default: tmdesk.db in the user data folder)."),
)
@click.option(
    "--config",
    envvar="TMDESK_CONFIG",
    type=click.Path(dir_okay=False),
    help=_("TOML configuration file."),
)
@click.option("--agent", metavar="LOGIN", help=_("Sign in as this user (skips the sign-in)."))
@click.option(
    "--lang",
    envvar="TMDESK_LANG",
    type=click.Choice(LANGUAGES),
    is_eager=True,
    expose_value=False,
    callback=_choose_language,
    help=_("The desk's language (default: [desk] language, the environment, else ru)."),
)
@click.option(
    "--user",
    envvar="TMDESK_USER",
    metavar="LOGIN",
    help=_("Who runs supervisor commands (password: TMDESK_PASSWORD or a prompt)."),
)
@click.version_option(package_name="tmdesk")
@click.pass_context
def main(
    ctx: click.Context, db: str | None, config: str | None, agent: str | None, user: str | None
) -> None:
    """tmdesk: the telemarketer's desk. Without a command it starts the desk."""
    ctx.obj = _Context(db, config, user)
    if ctx.invoked_subcommand is None:
        _run_tui(ctx.obj, agent)


def _run_tui(context: _Context, agent: str | None) -> None:
    workspace = context.workspace()
    from tmdesk.tui.app import run_desk  # textual only from here on

    run_desk(workspace, agent_login=agent)


# --- users --------------------------------------------------------------------------------


@main.group()
def users() -> None:
    """Agents and supervisors."""


@users.command("add")
@click.argument("login")
@click.option("--name", required=True, help=_("Full name as shown on the desk."))
@click.option(
    "--role", type=click.Choice(["agent", "supervisor"]), default="agent", show_default=True
)
@click.option("--time-zone", default="Europe/Moscow", show_default=True)
@click.option(
    "--password-stdin",
    is_flag=True,
    help=_("A supervisor's password: read from stdin (default: asked twice)."),
)
@click.option("--extension", help=_("The agent's phone extension on the office PBX, e.g. 101."))
@pass_context
@supervisor_only(_("add users"))
def users_add(
    context: _Context,
    login: str,
    name: str,
    role: str,
    time_zone: str,
    password_stdin: bool,
    extension: str | None,
) -> None:
    """Add a user (a supervisor with a password)."""
    context.workspace()
    from tmdesk.services.auth import add_supervisor
    from tmdesk.services.users import add_user

    if role == "supervisor":
        user = add_supervisor(
            login,
            name,
            read_new_password(password_stdin),
            time_zone,
            by_user_id=context.acting_user_id,
        )
    else:
        user = add_user(
            login, name, role, time_zone, extension=extension, actor=context.acting_user_id
        )
    if role == "supervisor" and extension:
        from tmdesk.services.users import set_extension

        set_extension(login, extension)
    click.echo(
        _("added {role} {login} ({name})").format(role=user.role, login=user.login, name=user.name)
    )


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help=_("One JSON list on stdout."))
@pass_context
def users_list(context: _Context, as_json: bool) -> None:
    """List users."""
    context.workspace()
    from tmdesk.services.users import list_users

    found = list_users()
    if as_json:
        _echo_json([user.to_json() for user in found])
        return
    for user in found:
        state = "" if user.active else _(" (inactive)")
        click.echo(f"{user.login:<16} {user.role:<11} {user.name}{state}")


# --- database -----------------------------------------------------------------------------


@main.group("db")
def db_group() -> None:
    """The database: schema, integrity, backup."""


@db_group.command("init")
@click.argument("path", type=click.Path(path_type=Path))
def db_init(path: Path) -> None:
    """Create a new, empty desk database at PATH (owner-only)."""
    from tmdesk.services.workspace import init_workspace

    workspace = init_workspace(path)
    click.echo(
        _("created {path} (schema version {version}); use it with --db {path}").format(
            path=workspace.target, version=workspace.schema.version
        )
    )


@db_group.command("upgrade")
@pass_context
def db_upgrade(context: _Context) -> None:
    """Apply pending schema migrations."""
    context.workspace(migrate=False)
    from tmdesk.services.maintenance import upgrade_schema

    applied, version = upgrade_schema()
    if applied:
        click.echo(_("applied: {names}").format(names=", ".join(applied)))
    click.echo(_("schema version {version} (current)").format(version=version))


@db_group.command("check")
@pass_context
def db_check(context: _Context) -> None:
    """Check the database's integrity."""
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


@db_group.command("backup")
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
    context: _Context, path: Path | None, folder: Path | None, keep: int | None, force: bool
) -> None:
    """Copy the database to PATH (or a dated file in --dir) while others keep working."""
    if (path is None) == (folder is None):
        raise click.UsageError(_("give either PATH or --dir FOLDER"))
    if keep is not None and folder is None:
        raise click.UsageError(_("--keep goes with --dir"))
    context.workspace(migrate=False)
    from tmdesk.services.maintenance import backup_database, backup_to_folder

    if folder is not None:
        made = backup_to_folder(folder, keep)
    else:
        made = backup_database(path, force=force)
    click.echo(_("backed up to {path} ({size:,} bytes)").format(path=made.path, size=made.size))
    for old in made.removed:
        click.echo(_("removed the old backup {path}").format(path=old))


# --- import -------------------------------------------------------------------------------


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


@main.command("import")
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
    context: _Context,
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
    """Import a call list from CSV or XLSX."""
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
        _echo_json(report.to_json())
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


# --- numbering plan -----------------------------------------------------------------------


@main.group("numbering-plan")
def numbering_plan() -> None:
    """The national numbering plan (regions of mobile ranges)."""


@numbering_plan.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--json", "as_json", is_flag=True)
@pass_context
@supervisor_only(_("load the numbering plan"))
def numbering_plan_import(context: _Context, files: tuple[Path, ...], as_json: bool) -> None:
    """Load registry extracts (ABC/DEF CSV files) and re-resolve the leads' time zones."""
    context.workspace()
    from tmdesk.services.numbering import import_numbering_plan

    result = import_numbering_plan(list(files))
    if as_json:
        _echo_json(result.to_json())
        return
    click.echo(
        _(
            "{ranges} ranges loaded from {files} file(s); {skipped} bad lines skipped; "
            "{leads} leads got new time zones"
        ).format(
            ranges=result.ranges,
            files=len(files),
            skipped=len(result.errors),
            leads=result.leads_updated,
        )
    )
    for line, reason in result.errors[:10]:
        click.echo(f"  {line}: {reason}", err=True)


# --- keys, queue --------------------------------------------------------------------------


@main.command("keys")
@click.option("--json", "as_json", is_flag=True)
@pass_context
def keys_command(context: _Context, as_json: bool) -> None:
    """The effective key map: binding id → key."""
    from tmdesk.config import load_settings
    from tmdesk.services.keymap import ACTIONS_BY_ID, effective_keymap

    keymap = effective_keymap(load_settings(context.config).keys)
    if as_json:
        _echo_json(keymap)
        return
    for binding, key in keymap.items():
        click.echo(f"{binding:<22} {key:<12} {ACTIONS_BY_ID[binding].description}")


@main.command("queue")
@click.option("--agent", "login", metavar="LOGIN", help=_("Whose queue (default: first agent)."))
@click.option("--limit", default=20, show_default=True, type=Whole(1, 10_000))
@click.option("--json", "as_json", is_flag=True)
@pass_context
def queue_command(context: _Context, login: str | None, limit: int, as_json: bool) -> None:
    """What an agent would be served next, in order."""
    workspace = context.workspace()
    from tmdesk.services.queue import preview_queue, queue_agent

    agent = queue_agent(login)
    entries = preview_queue(agent.id, workspace.settings, limit=limit)
    if as_json:
        _echo_json([entry.to_json() for entry in entries])
        return
    if not entries:
        click.echo(_("nothing to call now for {login}").format(login=agent.login))
    for entry in entries:
        click.echo(
            f"{entry.lead_id:>8}  {entry.local_time:%a %H:%M}  {entry.bucket:<18} "
            f"{entry.phone_e164:<14} {entry.company}"
        )


# --- demo ---------------------------------------------------------------------------------


@main.command("demo")
@click.option(
    "--db",
    "demo_db",
    metavar="PATH",
    help=_("Demo database file (default: demo.db in the user data folder)."),
)
@click.option("--no-tui", is_flag=True, help=_("Only create the database."))
@click.option("--agent", metavar="LOGIN", help=_("Sign in as this user."))
@pass_context
def demo_command(context: _Context, demo_db: str | None, no_tui: bool, agent: str | None) -> None:
    """Create (or reuse) a demo database and start the desk on it."""
    from tmdesk.services.demo import demo_database_path, ensure_demo

    target = demo_db or context.db or str(demo_database_path())
    context.db = target
    workspace = context.workspace(create=True)
    summary = ensure_demo(workspace)
    click.echo(summary, err=True)
    if not no_tui:
        _run_tui(context, agent)


# --- calls, do-not-call list --------------------------------------------------------------


@main.command("calls")
@click.option(
    "--date",
    "day",
    type=DAY,
    help=_("Day (YYYY-MM-DD) in the desk's time zone; default: today."),
)
@click.option("--agent", "login", metavar="LOGIN")
@click.option("--json", "as_json", is_flag=True)
@pass_context
def calls_command(context: _Context, day, login: str | None, as_json: bool) -> None:
    """Recorded call attempts of a day."""
    workspace = context.workspace()
    from tmdesk.services.calls import list_calls, today
    from tmdesk.services.users import find_user

    if login:
        find_user(login)  # a typo gets "no user", not an empty list
    zone = workspace.settings.agent_time_zone
    found = list_calls(day.date() if day else today(zone), zone, agent_login=login)
    if as_json:
        _echo_json([call.to_json() for call in found])
        return
    for call in found:
        local = call.at.astimezone(ZoneInfo(zone))
        click.echo(
            f"{local:%H:%M}  {call.agent:<12} {call.disposition:<15} {call.phone_e164:<14}"
            f" {call.company}  {call.note}".rstrip()
        )
    if not found:
        click.echo(_("no calls"), err=True)


@main.group("dnc")
def dnc_group() -> None:
    """The do-not-call list."""


def _echo_change(change, verb: str, as_json: bool) -> None:
    if as_json:
        _echo_json(change.to_json())
    else:
        for number in change.changed:
            click.echo(f"{verb} {number}")
        for number in change.unchanged:
            click.echo(_("unchanged {number}").format(number=number))
    for text, reason in change.invalid:
        click.echo(
            _("not a number: {text!r} ({reason})").format(text=text, reason=reason), err=True
        )
    if change.invalid and not change.changed and not change.unchanged:
        raise click.ClickException(_("no valid phone number given"))


@dnc_group.command("add")
@click.argument("phones", nargs=-1, required=True)
@click.option("--reason", default="", help=_("Why (kept with the number)."))
@click.option("--json", "as_json", is_flag=True)
@pass_context
@supervisor_only(_("change the do-not-call list"))
def dnc_add(context: _Context, phones: tuple[str, ...], reason: str, as_json: bool) -> None:
    """Put numbers (any format) on the do-not-call list."""
    workspace = context.workspace()
    from tmdesk.services.dnc import add_numbers

    change = add_numbers(
        list(phones),
        reason=reason,
        user_id=context.acting_user_id,
        region=workspace.settings.default_region,
    )
    _echo_change(change, _("added"), as_json)


@dnc_group.command("remove")
@click.argument("phones", nargs=-1, required=True)
@click.option("--reason", default="")
@click.option("--json", "as_json", is_flag=True)
@pass_context
@supervisor_only(_("change the do-not-call list"))
def dnc_remove(context: _Context, phones: tuple[str, ...], reason: str, as_json: bool) -> None:
    """Take numbers off the do-not-call list."""
    workspace = context.workspace()
    from tmdesk.services.dnc import remove_numbers

    change = remove_numbers(
        list(phones),
        reason=reason,
        user_id=context.acting_user_id,
        region=workspace.settings.default_region,
    )
    _echo_change(change, _("removed"), as_json)


@dnc_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.option("--limit", default=1000, show_default=True, type=Whole(1, 1_000_000))
@pass_context
def dnc_list(context: _Context, as_json: bool, limit: int) -> None:
    """The numbers on the do-not-call list, newest first."""
    context.workspace()
    from tmdesk.services.dnc import list_numbers

    found = list_numbers(limit=limit)
    if as_json:
        _echo_json([entry.to_json() for entry in found])
        return
    for entry in found:
        click.echo(
            f"{entry.phone_e164:<16} {entry.added_at:%Y-%m-%d}  {entry.source:<10} "
            f"{entry.reason}".rstrip()
        )


@dnc_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--reason", default="")
@click.option("--json", "as_json", is_flag=True)
@pass_context
@supervisor_only(_("change the do-not-call list"))
def dnc_import(context: _Context, file: Path, reason: str, as_json: bool) -> None:
    """Add every number of a CSV/XLSX file's phone column(s)."""
    workspace = context.workspace()
    from tmdesk.services.dnc import import_numbers

    change = import_numbers(
        file,
        reason=reason,
        user_id=context.acting_user_id,
        region=workspace.settings.default_region,
    )
    if as_json:
        _echo_json(change.to_json())
        return
    click.echo(
        _("{added} added, {present} already listed, {bad} not numbers").format(
            added=len(change.changed), present=len(change.unchanged), bad=len(change.invalid)
        )
    )


# --- qualification scripts ----------------------------------------------------------------


@main.group("script")
def script_group() -> None:
    """Qualification scripts (TOML files, see data/scripts/README.md)."""


@script_group.command("check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def script_check(file: Path) -> None:
    """Check a script file: every problem as FILE:LINE: message, exit 1 if any."""
    from tmdesk.services.qualification import check_script_file

    script, problems = check_script_file(file)
    if problems:
        for problem in problems:
            click.echo(str(problem))
        click.echo(_("{file}: {n} problem(s)").format(file=file, n=len(problems)), err=True)
        sys.exit(1)
    click.echo(
        _("ok: {key} v{version}, {n} questions").format(
            key=script.key, version=script.version, n=len(script.questions)
        )
    )


@script_group.command("list")
@click.option("--json", "as_json", is_flag=True, help=_("One JSON list on stdout."))
def script_list(as_json: bool) -> None:
    """The shipped scripts: key, version, questions (or how many problems)."""
    from tmdesk.services.qualification import available_scripts

    found = available_scripts()
    if as_json:
        _echo_json(
            [
                {
                    "key": s.key,
                    "title": s.title,
                    "version": s.version,
                    "path": str(s.path),
                    "questions": s.questions,
                    "problems": s.problems,
                }
                for s in found
            ]
        )
        return
    for s in found:
        state = (
            _("{n} questions").format(n=s.questions)
            if not s.problems
            else _("{n} problem(s): tmdesk script check {path}").format(n=s.problems, path=s.path)
        )
        click.echo(f"{s.key:<16} v{s.version:<6} {s.title}  ({state})")


# Command groups kept in modules of their own register themselves on `main` when imported.
from tmdesk.cli import export  # noqa: E402,F401,I001
from tmdesk.cli import meetings  # noqa: E402,F401
from tmdesk.cli import supervision  # noqa: E402,F401
from tmdesk.cli import telephony  # noqa: E402,F401
from tmdesk.cli import web  # noqa: E402,F401
