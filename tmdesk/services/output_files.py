"""Files tmdesk writes for people (exports, rejected rows, backups): never over something.

Every such file holds personal data and is precious to someone, so:
- an existing file is refused unless the user said --force; even then never the open
  database, its -wal/-shm, or any SQLite file, and never through a symlink;
- it is written owner-only (0600 from the first byte) beside its target under a name that
  says whose it is, `.NAME.tmdesk-tmp-PID`, fsynced, and moved into place only when whole
  (a hard link, which cannot replace anything, or a rename when --force allows it);
- a failure removes the temporary file; a kill -9 cannot, so the next run of any of these
  commands removes leftovers in that folder whose process is gone.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from tmdesk.errors import TmdeskError
from tmdesk.i18n import _
from tmdesk.store.models import database

PRIVATE_MODE = 0o600
SQLITE_HEADER = b"SQLite format 3\x00"
TEMP_MARK = ".tmdesk-tmp-"
# .NAME.tmdesk-tmp-PID[.N] plus what SQLite or our scratch folder may add beside it
_LEFTOVER = re.compile(r"^\..+\.tmdesk-tmp-(\d+)(?:\.\d+)?(?:\.d|-journal|-wal|-shm)?$")
_serial = itertools.count()


class OutputFileError(TmdeskError):
    """The file cannot be written: it exists, it is a database, or the file system said no."""


def refused(path: Path, error: OSError) -> OutputFileError:
    reason = error.strerror or str(error)
    if error.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        reason = _("{reason} (free some space or choose another folder)").format(reason=reason)
    return OutputFileError(_("{path}: cannot write: {reason}").format(path=path, reason=reason))


def _database_files() -> set[Path]:
    """The open SQLite database and its companions, as real paths."""
    name = getattr(database.obj, "database", None)
    if not isinstance(name, str) or not name or name == ":memory:":
        return set()
    real = Path(os.path.realpath(name))
    return {real, *(real.with_name(real.name + tail) for tail in ("-wal", "-shm", "-journal"))}


def is_sqlite_file(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def check_target(target: Path, *, force: bool = False) -> Path:
    """Refuse a target we must not write; returns it (with ~ expanded)."""
    target = Path(target).expanduser()
    if Path(os.path.realpath(target)) in _database_files():
        raise OutputFileError(
            _("{path} is the desk's own database; choose another file").format(path=target)
        )
    if target.is_symlink():
        raise OutputFileError(
            _("{path} is a symbolic link; give the real file name").format(path=target)
        )
    if target.is_dir():
        raise OutputFileError(_("{path} is a folder; give a file name").format(path=target))
    if not target.exists():
        return target
    if is_sqlite_file(target):
        raise OutputFileError(
            _(
                "{path} already exists and is a SQLite database; choose a new name "
                "(tmdesk never replaces a database, even with --force)"
            ).format(path=target)
        )
    if not force:
        raise OutputFileError(
            _("{path} already exists; choose a new name or add --force to replace it").format(
                path=target
            )
        )
    return target


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    return True


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove temporary files of killed tmdesk runs in `folder` (never a live one's)."""
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        found = _LEFTOVER.match(name)
        if found is None or _alive(int(found.group(1))):
            continue
        path = Path(folder) / name
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    return removed


def create_temporary(target: Path) -> Path:
    """An empty owner-only file beside `target`, ours by name (cleaning old leftovers)."""
    remove_leftovers(target.parent)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    while True:
        temporary = target.with_name(f".{target.name}{TEMP_MARK}{os.getpid()}.{next(_serial)}")
        try:
            os.close(os.open(temporary, flags, PRIVATE_MODE))
            os.chmod(temporary, PRIVATE_MODE)  # whatever the umask
            return temporary
        except FileExistsError:
            continue
        except OSError as error:
            raise refused(target, error) from None


@contextlib.contextmanager
def scratch_folder(temporary: Path) -> Iterator[Path]:
    """A private folder beside the temporary file that Python's `tempfile` uses meanwhile:
    openpyxl spools each sheet through tempfile, and that copy of the personal data must
    not land in /tmp nor outlive a kill unnoticed."""
    folder = temporary.with_name(temporary.name + ".d")
    folder.mkdir(mode=0o700)
    previous = tempfile.tempdir
    tempfile.tempdir = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = previous
        shutil.rmtree(folder, ignore_errors=True)


def write_temporary(target: Path, produce: Callable[[BinaryIO], None]) -> Path:
    """Write a complete owner-only file beside `target` and return its temporary path;
    `publish` it to put it in place. Nothing is left behind when `produce` fails."""
    temporary = create_temporary(target)
    try:
        with scratch_folder(temporary), open(temporary, "r+b") as handle:
            produce(handle)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:  # a full disk, a removed folder
        discard(temporary)
        raise refused(target, error) from None
    except BaseException:
        discard(temporary)
        raise
    return temporary


def publish(temporary: Path, target: Path, *, force: bool = False) -> None:
    """Put a finished file at `target`: only where nothing is, unless `force` (and even then
    never over a database or a symlink)."""
    check_target(target, force=force)
    try:
        if force and target.exists():
            os.replace(temporary, target)
        else:
            os.link(temporary, target)  # fails if anything appeared there meanwhile
            temporary.unlink()
    except FileExistsError:
        raise OutputFileError(
            _("{path} already exists; choose a new name or add --force to replace it").format(
                path=target
            )
        ) from None
    except OSError as error:
        if error.errno in (errno.EPERM, errno.ENOTSUP, errno.EXDEV) and not target.exists():
            os.replace(temporary, target)  # a file system without hard links (e.g. FAT)
        else:
            raise refused(target, error) from None
    with contextlib.suppress(OSError):  # make the new name durable where the OS allows it
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def discard(temporary: Path) -> None:
    temporary.unlink(missing_ok=True)
    for tail in ("-journal", "-wal", "-shm"):
        temporary.with_name(temporary.name + tail).unlink(missing_ok=True)
    shutil.rmtree(temporary.with_name(temporary.name + ".d"), ignore_errors=True)
