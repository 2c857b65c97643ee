"""Module size: no module over ~400 lines without a reason stated at its top.

A module longer than LIMIT lines must say why in its docstring, as "Over 400 lines: <why>".
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "tmdesk"
LIMIT = 420
REASON = "Over 400 lines"


def unexplained_long_modules(root: Path) -> list[str]:
    """Each module under root longer than LIMIT whose docstring gives no reason, with its size."""
    found = []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines <= LIMIT:
            continue
        docstring = ast.get_docstring(ast.parse(text, filename=str(path))) or ""
        if REASON not in docstring:
            found.append(f"{path.relative_to(root.parent)} ({lines} lines)")
    return found


def test_every_long_module_states_why() -> None:
    unexplained = unexplained_long_modules(PACKAGE)
    assert not unexplained, (
        f'over {LIMIT} lines with no "{REASON}: <why>" in the module docstring: '
        + ", ".join(unexplained)
    )


def test_a_long_module_without_a_reason_is_named(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    body = "x = 1\n" * LIMIT
    (package / "short.py").write_text('"""Short."""\n' + "x = 1\n" * (LIMIT - 1))
    (package / "silent.py").write_text('"""Long, no reason."""\n' + body)
    (package / "comment.py").write_text(f"# {REASON}: said in a comment only\n" + body)
    (package / "explained.py").write_text(f'"""Long.\n\n{REASON}: one table.\n"""\n' + body)
    assert unexplained_long_modules(package) == [
        f"pkg/comment.py ({LIMIT + 1} lines)",
        f"pkg/silent.py ({LIMIT + 1} lines)",
    ]
