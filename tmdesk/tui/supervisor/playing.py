"""Playing a call recording with `[telephony] play_command` (e.g. "mpv {url}").

Split like a shell would and run without one, as the dial command is: "{url}" is replaced
inside the arguments after splitting (appended when absent). The player runs on its own;
the desk does not wait for it.
"""

from __future__ import annotations

import shlex
import subprocess

from tmdesk.errors import TmdeskError
from tmdesk.i18n import _


class PlayError(TmdeskError):
    """No player configured, or it could not start."""


def play_arguments(command: str, url: str) -> list[str]:
    try:
        words = shlex.split(command)
    except ValueError as error:
        raise PlayError(
            _("the play command in the settings cannot be read: {error}").format(error=error)
        ) from None
    if not words:
        raise PlayError(
            _("no [telephony] play_command in the settings (e.g. mpv {example})").format(
                example="{url}"
            )
        )
    if not any("{url}" in word for word in words):
        words.append("{url}")
    return [word.replace("{url}", url) for word in words]


def play_recording(command: str, url: str) -> str:
    """Start the player; returns its name."""
    arguments = play_arguments(command, url)
    try:
        subprocess.Popen(
            arguments,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # closing the desk does not stop the playback
        )
    except OSError as error:
        raise PlayError(
            _("the play command {program!r} could not start: {error}").format(
                program=arguments[0], error=error.strerror or error
            )
        ) from None
    return arguments[0]
