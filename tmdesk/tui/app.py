"""The desk's Textual application: sign-in, then the agent's queue and the call screen.

make_app() builds it for the CLI and for the tests alike; `clock` fixes "now" for every
service call, so tests and snapshots see a deterministic calling window.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, cast

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from tmdesk.errors import TmdeskError
from tmdesk.i18n import N_, _, current_language
from tmdesk.tui.dead_widgets import let_go
from tmdesk.tui.desk.queue import QueueScreen
from tmdesk.tui.display import database_label
from tmdesk.tui.error import ErrorScreen
from tmdesk.tui.idle_collection import IdleCollection
from tmdesk.tui.keys import bindings_for
from tmdesk.tui.palette import DeskCommandPalette, ScreenActions
from tmdesk.tui.sign_in import SignInScreen
from tmdesk.tui.supervisor.keys import paired_key, workspace_binding
from tmdesk.tui.work import UserInfo, Workspace, bound_keymap, effective_keymap, shown_keymap

if TYPE_CHECKING:
    from tmdesk.tui.desk.call import CallScreen

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class BrowserTab:
    """The desk runs in a browser tab (`tmdesk web`): who is on the other end."""

    address: str  # the browser's address, for counting wrong passwords per address


# what counts as the user being at the desk (a mouse merely passing over it does not)
_ACTIVITY = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)


class DeskApp(App[None]):
    """The telemarketer's desk."""

    # the theme and shared rules, then each feature's (in the order the cascade relies on)
    CSS_PATH = [
        "tmdesk.tcss",
        "desk/desk.tcss",
        "qualification/qualification.tcss",
        "booking/booking.tcss",
        "supervisor/supervisor.tcss",
    ]
    COMMANDS = App.COMMANDS | {ScreenActions}  # ctrl+p: the keys of the screen, by name
    TITLE = "tmdesk"
    # the workspace key is live everywhere (hidden): an agent who presses it is told why
    # the workspace key: live (hidden) on every screen, where DeskApp says why an agent
    # cannot open it; a supervisor's queue shows it
    BINDINGS = [
        *(b for b in bindings_for("app") if b.id != "supervisor-workspace"),
        workspace_binding(show=False),
    ]

    def __init__(
        self,
        workspace: Workspace,
        *,
        agent_login: str | None = None,
        clock: Clock | None = None,
        browser: BrowserTab | None = None,
    ) -> None:
        super().__init__()
        self.browser = browser
        self._last_activity = time.monotonic()
        self._collection = IdleCollection(lambda: self._last_activity)
        self._timing_out = False
        self.workspace = workspace
        self.settings = workspace.settings
        self.clock: Clock = clock or utc_now
        self.agent: UserInfo | None = None
        self._agent_login = agent_login
        self.sub_title = database_label(workspace.target, workspace.sqlite_file)
        # Bindings carry the key map's ids; Textual swaps in the user's keys by id, on every
        # screen, so the footer and the help panel show the keys that really work.
        # effective_keymap refuses unknown ids and clashes before the desk starts. In a
        # browser the keys browsers keep give way to browser-safe ones; every letter works
        # in the Russian layout too, and is shown in the desk's language.
        keymap = effective_keymap(self.settings.keys, browser=browser is not None)
        language = current_language()
        self.keymap = shown_keymap(keymap, language)  # {binding id: key}, for hints
        self.set_keymap(bound_keymap(keymap, language))
        self._quit_anyway = False

    @property
    def _background_screens(self) -> list[Screen[object]]:
        # Textual counts the screen just under the top one as visible, whatever covers it,
        # so each of its repaints (the push itself, the call's clock every second) repainted
        # the screen over it: the booking panel painted twice more after it showed. Nothing
        # shows through an opaque screen; a dialog's see-through one keeps Textual's way.
        stack = self._screen_stack
        if stack and stack[-1].styles.background.a == 1:
            return []
        return cast("list[Screen[object]]", super()._background_screens)

    @property
    def passwords_required(self) -> bool:
        """Everyone signs in with a password: in a browser, or by [web] require_passwords."""
        return self.browser is not None or self.settings.web.require_passwords

    def on_mount(self) -> None:
        self._collection.start()
        self.set_interval(1.0, self.housekeeping)
        if self.browser is not None:
            idle = self.settings.web.idle_minutes * 60
            self.set_interval(min(5.0, idle / 4), self.sign_out_when_idle)

    def on_unmount(self) -> None:
        self._collection.stop()

    def housekeeping(self) -> None:
        """Every second: let go of the widgets Textual removed but still references, and
        collect garbage when nobody waits for the desk."""
        let_go(self)
        self._collection.tick()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, _ACTIVITY):
            self._last_activity = time.monotonic()
        if isinstance(event, events.Key) and event.key.startswith("alt+") and event.character:
            # A terminal, and the browser's terminal, send alt+n as escape and "n", which
            # reaches us with the character "n": a focused field would type it and a choice
            # would pick it. Alt makes a command (web mode's keys are alt+…), never text.
            event = events.Key(event.key, None)
        await super().on_event(event)

    def sign_out_when_idle(self) -> None:
        """A browser tab left alone signs out: an open lead is given back first (its notes
        and answers stay as the draft), then the sign-in screen."""
        if self.agent is None:
            self._timing_out = False
            return
        idle = time.monotonic() - self._last_activity
        if not self._timing_out and idle < self.settings.web.idle_minutes * 60:
            return
        self._timing_out = True
        call = self.open_call()
        if call is not None:
            call.action_release_lead()  # busy recording: tried again on the next check
            return
        self._timing_out = False
        self.action_sign_out()
        self.notify(
            _("Signed out after {minutes:g} minutes without a key press.").format(
                minutes=self.settings.web.idle_minutes
            ),
            title=_("Session timed out"),
            severity="warning",
            timeout=60,
        )

    def get_default_screen(self) -> SignInScreen:
        return SignInScreen(agent_login=self._agent_login)

    @property
    def signed_in(self) -> UserInfo:
        """The user signed in, for screens that open only after the sign-in."""
        if self.agent is None:
            raise RuntimeError("no one is signed in")
        return self.agent

    def sign_in(self, agent: UserInfo) -> None:
        self.agent = agent
        self._agent_login = None  # after a sign-out the list is shown, not the same agent
        self.title = _("tmdesk · {name} ({login})").format(name=agent.name, login=agent.login)
        # The sign-in screen stays at the bottom of the stack: signing out goes back to it.
        if agent.role == "supervisor":
            from tmdesk.tui.supervisor.home import SupervisorScreen  # agents never need it

            self.push_screen(SupervisorScreen(agent))
        else:
            self.push_screen(QueueScreen(agent))

    def action_supervisor_workspace(self) -> None:
        """Open the supervisor workspace (back to it when it is already in the stack)."""
        if self.agent is None:
            return
        if self.agent.role != "supervisor":
            self.notify(
                _("Only a supervisor can open the supervisor workspace: ask your supervisor."),
                title=_("Not for agents"),
                severity="warning",
            )
            return
        if self.open_call() is not None:
            self.notify(
                _("Record an outcome or give the lead back ({key}) first.").format(
                    key=self.keymap["release-lead"]
                ),
                title=_("A lead is open"),
                severity="warning",
            )
            return
        from tmdesk.tui.supervisor.home import SupervisorScreen

        if any(isinstance(screen, SupervisorScreen) for screen in self.screen_stack):
            while not isinstance(self.screen, SupervisorScreen):
                self.pop_screen()
        else:
            self.push_screen(SupervisorScreen(self.agent))

    def open_call(self) -> CallScreen | None:
        """The call screen, when a lead is open (possibly under a dialog)."""
        from tmdesk.tui.desk.call import CallScreen  # imported on first use, see queue

        for screen in reversed(self.screen_stack):
            if isinstance(screen, CallScreen):
                return screen
        return None

    async def action_quit(self) -> None:
        call = self.open_call()
        if call is None or self._quit_anyway:
            self.exit()
            return
        # The notes are saved before the desk closes; the lead stays claimed, so the next
        # start opens it again. A second quit key does not wait for the save.
        self._quit_anyway = True
        call.save_then_quit()

    def action_sign_out(self) -> None:
        if self.open_call() is not None:
            self.notify(
                _("Record an outcome or give the lead back ({key}) before signing out.").format(
                    key=self.keymap["release-lead"]
                ),
                title=_("A lead is open"),
                severity="warning",
            )
            return
        self.agent = None
        self.title = self.TITLE
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            placeholder = _("Type what you want to do…")
            self.push_screen(DeskCommandPalette(id="--command-palette", placeholder=placeholder))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's own commands of the palette, in the desk's language."""
        for command in super().get_system_commands(screen):
            words = SYSTEM_COMMANDS.get(command.title, {}).get(command.help)
            if words is not None:
                title, help = words
                yield command._replace(title=_(title), help=_(help))
            else:
                yield command

    def action_toggle_keys(self) -> None:
        # by its name: importing HelpPanel imports Markdown's parser, 10 ms of every start
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("sign_out", "supervisor_workspace"):
            return self.agent is not None  # False hides the key on the sign-in screen
        return True

    def get_key_display(self, binding: Binding) -> str:
        # one footer item for a pair of keys of the supervisor's screens: "←→ Day"
        partner = paired_key(binding, self.keymap)
        shown = super().get_key_display(binding)
        return shown + super().get_key_display(binding.with_key(partner)) if partner else shown

    def report_failure(self, error: BaseException) -> None:
        """The one place a failed background job reaches the user."""
        if isinstance(error, TmdeskError):
            # the message may carry names and text users typed: never read as markup
            self.notify(
                str(error), title=_("Cannot do that"), severity="error", timeout=10, markup=False
            )
            return
        self.log.error(repr(error))
        self.push_screen(
            ErrorScreen(
                _("Something went wrong"),
                _(
                    "{kind}: {message}\n\nThe desk is still running. If this happens again, "
                    "tell your supervisor."
                ).format(kind=type(error).__name__, message=error),
            )
        )


# Textual's palette commands: {title: {help: (our title, our help)}} (msgids, see N_)
SYSTEM_COMMANDS = {
    "Theme": {"Change the current theme": (N_("Theme"), N_("Change the colours of the desk."))},
    "Quit": {
        "Quit the application as soon as possible": (
            N_("Quit"),
            N_("Close the desk and return to the command prompt."),
        )
    },
    "Keys": {
        "Hide the keys and widget help panel": (N_("Keys"), N_("Hide the panel of keys.")),
        "Show help for the focused widget and a summary of available keys": (
            N_("Keys"),
            N_("Show every key of this screen."),
        ),
    },
    "Maximize": {
        "Maximize the focused widget": (N_("Maximize"), N_("Show the focused part full screen."))
    },
    "Minimize": {
        "Minimize the widget and restore to normal size": (
            N_("Minimize"),
            N_("Back to the usual size."),
        )
    },
    "Screenshot": {
        "Save an SVG 'screenshot' of the current screen": (
            N_("Screenshot"),
            N_("Save a picture of this screen (an SVG file)."),
        )
    },
}


def make_app(
    workspace: Workspace,
    *,
    agent_login: str | None = None,
    clock: Clock | None = None,
    browser: BrowserTab | None = None,
) -> DeskApp:
    """The desk on an opened workspace; raises KeymapError for a bad [keys] table."""
    return DeskApp(workspace, agent_login=agent_login, clock=clock, browser=browser)


def run_desk(
    workspace: Workspace, agent_login: str | None = None, browser: BrowserTab | None = None
) -> None:
    make_app(workspace, agent_login=agent_login, browser=browser).run()
