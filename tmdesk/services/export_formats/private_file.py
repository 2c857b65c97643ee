"""Export files hold personal data: owner-only from the first byte, and never half written.

The file is created with mode 0600 by os.open (not chmod'ed afterwards, which would leave
a moment when others could open it), written beside its target under a hidden temporary
name, and only renamed over the target (os.replace: atomic on one file system) once
complete. A failure while writing removes the temporary file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from tmdesk.errors import TmdeskError
from tmdesk.i18n import _

PRIVATE_MODE = 0o600


class ExportFileError(TmdeskError):
    """The file system said no: no such folder, no permission, a full disk."""


def _refused(path: Path, error: OSError) -> ExportFileError:
    return ExportFileError(
        _("{path}: cannot write the export file: {reason}").format(
            path=path, reason=error.strerror or error
        )
    )


def _create(target: Path) -> tuple[int, Path]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(temporary, flags, PRIVATE_MODE), temporary
        except FileExistsError:  # astronomically rare: draw another name
            continue


def write_temporary(target: Path, produce: Callable[[BinaryIO], None]) -> Path:
    """Write a complete owner-only file next to `target` and return its temporary path;
    `publish` it to put it in place. Nothing is left behind when `produce` fails."""
    try:
        descriptor, temporary = _create(target)
    except OSError as error:
        raise _refused(target, error) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            produce(handle)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:  # a full disk, a removed folder
        temporary.unlink(missing_ok=True)
        raise _refused(target, error) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def publish(temporary: Path, target: Path) -> None:
    """Put a finished file in place of `target` at once (replacing any file there)."""
    try:
        os.replace(temporary, target)
    except OSError as error:  # e.g. the target is a folder
        raise _refused(target, error) from None
    with contextlib.suppress(OSError):  # make the rename durable where the OS allows it
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def discard(temporary: Path) -> None:
    temporary.unlink(missing_ok=True)
