"""Sign-in: pick yourself from the active users with the arrows and Enter; typing filters."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Input, Static

from tmdesk.i18n import _
from tmdesk.tui.base import DeskScreen
from tmdesk.tui.display import role_label
from tmdesk.tui.work import UserInfo, list_users, logins_with_password


@dataclass(frozen=True)
class SignInChoice:
    """What the sign-in worker found: the users to pick from, or the user already named."""

    users: tuple[UserInfo, ...]
    named: UserInfo | None  # the --agent user, when given, found and active
    problem: str  # why the --agent login cannot be used, or ""
    with_password: frozenset[str] = frozenset()  # logins asked for a password


def resolve_sign_in(agent_login: str | None) -> SignInChoice:
    """The active users, and the --agent login checked against all users."""
    everyone = list_users(include_inactive=True)
    active = tuple(user for user in everyone if user.active)
    with_password = logins_with_password()
    if not agent_login:
        return SignInChoice(active, None, "", with_password)
    match = next((user for user in everyone if user.login == agent_login), None)
    if match is None:
        problem = _("There is no user {login!r}. Pick your name from the list.").format(
            login=agent_login
        )
    elif not match.active:
        problem = _("User {login!r} is switched off. Pick your name from the list.").format(
            login=agent_login
        )
    else:
        return SignInChoice(active, match, "", with_password)
    return SignInChoice(active, None, problem, with_password)


def matches(user: UserInfo, text: str) -> bool:
    text = text.strip().casefold()
    return not text or text in user.login.casefold() or text in user.name.casefold()


class SignInScreen(DeskScreen):
    """The first screen of the desk (skipped when the command line names the agent)."""

    BINDINGS = [
        # The filter field keeps the focus, so the arrows are passed on to the list.
        Binding("up", "move_cursor(-1)", show=False),
        Binding("down", "move_cursor(1)", show=False),
    ]

    @dataclass
    class Resolved(Message):
        """The sign-in worker finished looking the users up."""

        choice: SignInChoice

    def __init__(self, agent_login: str | None = None) -> None:
        super().__init__()
        self._agent_login = agent_login
        self._users: tuple[UserInfo, ...] = ()
        self._shown: list[UserInfo] = []
        self._with_password: frozenset[str] = frozenset()
        self._signed_in = False  # an agent went on from here (so a resume is a sign-out)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="sign-in"):
            yield Static(Content(_("Who is at the desk?")), id="sign-in-title")
            yield Static("", id="sign-in-error")
            yield Input(
                placeholder=_("Your login")
                if self.desk.browser is not None
                else _("Type to filter by login or name"),
                id="sign-in-filter",
            )
            yield DataTable(id="sign-in-users", cursor_type="row", zebra_stripes=True)
            yield Static(Content(_("↑↓ choose · Enter sign in")), id="sign-in-hint")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#sign-in-users", DataTable)
        table.add_columns(_("Login"), _("Name"), _("Role"))
        table.loading = True
        self.query_one("#sign-in-filter", Input).focus()
        self.look_up_users(self._agent_login)

    def on_screen_resume(self) -> None:
        # Back from a sign-out: start from a clean filter and today's users.
        if self._signed_in and self.desk.agent is None:
            self._signed_in = False
            self.query_one("#sign-in-filter", Input).value = ""
            self.show_problem("")
            self.query_one("#sign-in-filter", Input).focus()
            self.look_up_users(None)

    @work(thread=True, exclusive=True, group="sign-in", exit_on_error=False)
    def look_up_users(self, agent_login: str | None) -> None:
        self.post_message(self.Resolved(resolve_sign_in(agent_login)))

    def on_sign_in_screen_resolved(self, message: Resolved) -> None:
        choice = message.choice
        self._with_password = choice.with_password
        # the spinner stops either way: left spinning under the desk, it woke the screen up
        # sixteen times a second for the whole session
        self.query_one("#sign-in-users", DataTable).loading = False
        if choice.named is not None and not self.asks_password(choice.named):
            self.sign_in(choice.named)
            return
        self._users = choice.users
        self.show_problem(choice.problem)
        if not self._users:
            self.show_problem(_("No users yet. Add one with: tmdesk users add LOGIN --name NAME"))
        self.show_users(self.query_one("#sign-in-filter", Input).value)
        if choice.named is not None:  # named with --agent, but the password comes first
            self.sign_in(choice.named)

    def show_problem(self, text: str) -> None:
        error = self.query_one("#sign-in-error", Static)
        error.update(Content(text))
        error.display = bool(text)

    def show_users(self, filter_text: str) -> None:
        table = self.query_one("#sign-in-users", DataTable)
        table.clear()
        if self.desk.browser is not None:
            # over a network the list of people is nobody's business: the exact login only
            typed = filter_text.strip().casefold()
            self._shown = [user for user in self._users if user.login.casefold() == typed]
        else:
            self._shown = [user for user in self._users if matches(user, filter_text)]
        for user in self._shown:
            # Text, not str: a DataTable reads a str cell as markup.
            table.add_row(Text(user.login), Text(user.name), Text(role_label(user.role)))

    @on(Input.Changed, "#sign-in-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.show_users(event.value)

    def action_move_cursor(self, step: int) -> None:
        table = self.query_one("#sign-in-users", DataTable)
        if self._shown:
            table.move_cursor(row=max(0, min(len(self._shown) - 1, table.cursor_row + step)))

    @on(Input.Submitted, "#sign-in-filter")
    def filter_submitted(self) -> None:
        self.choose(self.query_one("#sign-in-users", DataTable).cursor_row)

    @on(DataTable.RowSelected, "#sign-in-users")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        self.choose(event.cursor_row)

    def asks_password(self, user: UserInfo) -> bool:
        return (
            user.role == "supervisor"
            or user.login in self._with_password
            or self.desk.passwords_required
        )

    def sign_in(self, user: UserInfo) -> None:
        if self.asks_password(user):
            # Supervisors, users with a password, everyone in a browser prove who they are
            # (with --agent too); the dialog checks the password through services.auth
            # and returns the user, or None for "back".
            from tmdesk.tui.password import PasswordDialog

            self.app.push_screen(PasswordDialog(user), self.password_given)
            return
        self._signed_in = True
        self.desk.sign_in(user)

    def password_given(self, user: UserInfo | None) -> None:
        if user is None:
            self.query_one("#sign-in-filter", Input).focus()
            return
        self._signed_in = True
        self.desk.sign_in(user)

    def choose(self, row: int) -> None:
        if 0 <= row < len(self._shown):
            self.sign_in(self._shown[row])
        elif self._users:
            self.show_problem(_("No user matches the filter."))
