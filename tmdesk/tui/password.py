"""A password at sign-in (supervisors; everyone in a browser or with passwords required):
typed masked, checked by services.auth in a thread (scrypt takes a few dozen milliseconds),
refused with a message while the dialog stays."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from tmdesk.errors import TmdeskError
from tmdesk.i18n import N_, _
from tmdesk.tui.display import role_label
from tmdesk.tui.work import UserInfo, auth


class PasswordDialog(ModalScreen[UserInfo | None]):
    """Dismisses with the signed-in user, or None when the supervisor goes back (Esc)."""

    BINDINGS = [Binding("escape", "cancel", N_("Back"), tooltip=N_("Back to the list of users."))]

    @dataclass
    class Checked(Message):
        user: UserInfo | None
        problem: str

    @dataclass
    class Opened(Message):
        """Whether the desk is still open (no supervisor has a password yet)."""

        open_desk: bool

    def __init__(self, user: UserInfo) -> None:
        super().__init__()
        self.user = user
        self._checking = False

    def compose(self) -> ComposeResult:
        with Vertical(id="password-dialog", classes="dialog"):
            yield Static(
                Content(
                    _("{name} ({login}) · {role}").format(
                        name=self.user.name, login=self.user.login, role=role_label(self.user.role)
                    )
                ),
                classes="dialog-title",
            )
            yield Static(Content(_("Password:")))
            yield Input(password=True, id="password", placeholder=_("your password"))
            yield Static("", id="password-error")
            yield Static("", id="password-open")
            yield Static(
                Content(_("Enter: sign in · Esc: back to the list")), classes="dialog-hint"
            )

    def on_mount(self) -> None:
        self.query_one("#password-error", Static).display = False
        self.query_one("#password-open", Static).display = False
        self.query_one("#password", Input).focus()
        self.look_at_desk()

    @work(thread=True, group="password-open", exit_on_error=False)
    def look_at_desk(self) -> None:
        self.post_message(self.Opened(auth.open_desk()))

    def on_password_dialog_opened(self, message: Opened) -> None:
        if self.app.passwords_required or self.user.role != "supervisor":  # type: ignore[attr-defined]
            return  # the open desk's bootstrap does not apply
        hint = self.query_one("#password-open", Static)
        hint.update(
            Content(
                _(
                    "No supervisor has a password yet, so none is checked: set one "
                    "with `tmdesk users passwd {login}`."
                ).format(login=self.user.login)
            )
        )
        hint.display = message.open_desk

    @on(Input.Submitted, "#password")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self._checking:
            self._checking = True
            self.check(event.value)

    @work(thread=True, exclusive=True, group="password", exit_on_error=False)
    def check(self, password: str) -> None:
        try:
            browser = self.app.browser  # type: ignore[attr-defined]
            user = auth.sign_in(
                self.user.login,
                password,
                web=self.app.settings.web,  # type: ignore[attr-defined]
                in_browser=browser is not None,
                address=browser.address if browser is not None else None,
            )
        except TmdeskError as error:
            self.post_message(self.Checked(None, str(error)))
            return
        self.post_message(self.Checked(user, ""))

    def on_password_dialog_checked(self, message: Checked) -> None:
        self._checking = False
        if message.user is not None:
            self.dismiss(message.user)
            return
        field = self.query_one("#password", Input)
        field.value = ""
        field.focus()
        error = self.query_one("#password-error", Static)
        error.update(Content(message.problem[:1].upper() + message.problem[1:] + "."))
        error.display = True

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self._checking = False
            self.dismiss(None)
            self.app.report_failure(event.worker.error)  # type: ignore[attr-defined]

    def action_cancel(self) -> None:
        self.dismiss(None)
