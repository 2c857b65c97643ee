"""Call lists uploaded from the browser: each import screen in a browser tab opens a box (a
private folder named by a random token) under the upload folder; the server's upload page
puts the file into the box of that token only; the import screen picks it up from there.

The token is the key: only the tab that opened the box knows it (it reaches the browser
in the upload link). The files stay after the import, next to their rejects file, for the
supervisor to download; clear the upload folder by your own retention rules.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from tmdesk.i18n import _

KINDS = (".csv", ".xlsx")  # what the importer reads
MAX_BYTES = 200 * 1024 * 1024
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


def upload_root(configured: str, database_file: Path | None) -> Path:
    """[web] upload_dir, or an "uploads" folder next to the SQLite file."""
    if configured:
        return Path(configured).expanduser().resolve()
    if database_file is None:
        raise ValueError(_("set [web] upload_dir: the database is not a file"))
    return database_file.resolve().parent / "uploads"


def open_box(root: Path) -> tuple[str, Path]:
    token = secrets.token_urlsafe(24)  # 32 characters
    box = root / token
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    box.mkdir(mode=0o700)
    return token, box


def find_box(root: Path, token: str) -> Path | None:
    box = root / token
    return box if _TOKEN.match(token) and box.is_dir() else None


def safe_name(file_name: str) -> str | None:
    """The uploaded file's own name, without any folder; None unless a .csv or .xlsx."""
    name = Path(file_name.replace("\\", "/")).name.strip()
    if not name or name.startswith(".") or Path(name).suffix.lower() not in KINDS:
        return None
    return name


def uploaded_file(box: Path) -> Path | None:
    """The newest complete upload in the box (one being written is a hidden .part)."""
    files = [
        path
        for path in box.iterdir()
        if not path.name.startswith(".")
        and path.suffix.lower() in KINDS
        and not path.name.endswith(".rejects.csv")
    ]
    return max(files, key=lambda path: path.stat().st_mtime_ns, default=None)


def begin(box: Path, name: str) -> tuple[Path, Path]:
    """(the hidden file to write, where it goes when complete)."""
    return box / f".{secrets.token_hex(4)}.part", box / name


def finish(partial: Path, final: Path) -> None:
    os.replace(partial, final)  # the import screen never sees half a file
