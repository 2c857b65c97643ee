"""The layering of DESIGN §4: domain ← store/services ← tui/cli.

Checked twice: statically (no module of a lower layer imports a higher one) and at run
time (the domain and the services import in a fresh interpreter without textual).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "tmdesk"

# layer → what it must never import
FORBIDDEN = {
    "domain": (
        "peewee",
        "playhouse",
        "textual",
        "rich",
        "click",
        "tmdesk.store",
        "tmdesk.services",
        "tmdesk.tui",
        "tmdesk.cli",
        "phonenumbers.geocoder",
    ),
    "store": ("textual", "click", "tmdesk.services", "tmdesk.tui", "tmdesk.cli"),
    "services": ("textual", "click", "tmdesk.tui", "tmdesk.cli"),
    "tui": ("peewee", "playhouse", "tmdesk.store", "tmdesk.cli", "phonenumbers.geocoder"),
    # the web server only starts desk processes: it never reads the database itself
    "web": ("peewee", "playhouse", "tmdesk.store", "tmdesk.services", "tmdesk.tui", "tmdesk.cli"),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _layer_files():
    for layer, forbidden in FORBIDDEN.items():
        for path in sorted((PACKAGE / layer).rglob("*.py")):
            yield pytest.param(path, forbidden, id=str(path.relative_to(PACKAGE)))


@pytest.mark.parametrize("path, forbidden", list(_layer_files()))
def test_no_module_imports_a_higher_layer(path, forbidden):
    bad = sorted(
        name
        for name in _imports(path)
        for prefix in forbidden
        if name == prefix or name.startswith(prefix + ".")
    )
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize(
    "path", sorted((PACKAGE / "cli").rglob("*.py")), ids=lambda path: path.name
)
def test_cli_talks_only_to_services(path):
    bad = sorted(
        name
        for name in _imports(path)
        if name.startswith(("tmdesk.store", "peewee", "playhouse", "textual"))
    )
    assert not bad


def test_the_core_runs_without_the_tui():
    modules = [
        ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        for kind in ("domain", "services", "store", "config.py")
        for path in sorted(
            (PACKAGE / kind).rglob("*.py") if (PACKAGE / kind).is_dir() else [PACKAGE / kind]
        )
        if "migrations" not in path.parts
    ]  # numbered files, loaded by path
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "bad = [m for m in ('textual', 'rich') if m in sys.modules]\n"
        + "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
