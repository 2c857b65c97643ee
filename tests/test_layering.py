"""The layering of docs/architecture.md §1: domain ← store/services ← tui/cli.

The static rules (which package may import which) are import contracts in pyproject.toml,
checked by `lint-imports` in CI. What they cannot see is checked here, at run time: the
domain, the store, the services and the configuration import in a fresh interpreter without
Textual or click, and the domain without libphonenumber's geocoder (~100 MB: only the
importer may pay for it, lazily).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "tmdesk"


def _modules(*kinds: str) -> list[str]:
    return [
        ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        for kind in kinds
        for path in sorted(
            (PACKAGE / kind).rglob("*.py") if (PACKAGE / kind).is_dir() else [PACKAGE / kind]
        )
        if "migrations" not in path.parts  # numbered files, loaded by path
    ]


def _absent_after_importing(modules: list[str], absent: tuple[str, ...]) -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + f"bad = [m for m in {absent!r} if m in sys.modules]\n"
        + "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_core_runs_without_the_tui_and_the_command_line():
    modules = _modules("domain", "services", "store", "config.py")
    assert len(modules) > 40  # the glob found the packages
    _absent_after_importing(modules, ("textual", "rich", "click"))


def test_the_domain_does_not_load_the_geocoder():
    _absent_after_importing(_modules("domain"), ("phonenumbers.geocoder", "peewee"))
