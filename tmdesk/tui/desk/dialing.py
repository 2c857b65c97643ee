"""Running the configured dial command (a softphone's command line) with the lead's number.

The command is split like a shell would (shlex) and run without a shell, so nothing in a
number or a setting is ever interpreted: "{e164}" (and "{ext}") are replaced inside the
arguments after splitting. A command without "{e164}" gets the number as its last argument.
"""

from __future__ import annotations

import shlex
import subprocess
import tempfile
from urllib.parse import quote

from tmdesk.errors import TmdeskError
from tmdesk.i18n import _

# A softphone may keep running for the whole call: after this long we stop waiting and
# take it as started.
WAIT_SECONDS = 5.0


class DialError(TmdeskError):
    """The dial command could not be run or reported a failure."""


def dial_arguments(command: str, e164: str, ext: str | None = None) -> list[str]:
    try:
        words = shlex.split(command)
    except ValueError as error:
        raise DialError(
            _("the dial command in the settings cannot be read: {error}").format(error=error)
        ) from None
    if not words:
        raise DialError(_("the dial command in the settings is empty"))
    if not any("{e164}" in word for word in words):
        words.append("{e164}")
    return [word.replace("{e164}", e164).replace("{ext}", ext or "") for word in words]


def run_dial_command(
    command: str, e164: str, ext: str | None = None, *, wait: float = WAIT_SECONDS
) -> str:
    """Start the dial command; returns the program's name. DialError when it fails."""
    arguments = dial_arguments(command, e164, ext)
    program = arguments[0]
    # stderr to a file, not a pipe: a softphone that keeps running and logging must not
    # block on a pipe nobody reads any more
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(
                arguments, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors
            )
        except FileNotFoundError:
            raise DialError(
                _("the dial command {program!r} was not found").format(program=program)
            ) from None
        except OSError as error:
            raise DialError(
                _("the dial command {program!r} could not start: {error}").format(
                    program=program, error=error.strerror or error
                )
            ) from None
        try:
            status = process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            return program  # still running: a softphone holding the call
        if status != 0:
            errors.seek(0)
            lines = errors.read().decode("utf-8", "replace").strip().splitlines()
            raise DialError(
                _("the dial command {program!r} failed (exit status {status}){detail}").format(
                    program=program, status=status, detail=": " + lines[-1] if lines else ""
                )
            )
    return program


def dial_link(template: str, e164: str, ext: str | None = None) -> str:
    """The link a browser hands to the agent's softphone ([web] dial_link): in a browser
    the desk never runs the dial command, which would ring on the server, not the PC."""
    return template.replace("{e164}", quote(e164, safe="+")).replace(
        "{ext}", quote(ext or "", safe="")
    )
