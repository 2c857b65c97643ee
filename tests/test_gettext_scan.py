"""No user-visible literal bypasses gettext: an AST scan of the package.

A literal with words, passed where a person reads it (notify, click.echo, a widget's text, a
key's footer label, a column header, a help text, an exception a user sees) must be wrapped
in _() or ngettext(). Modules still holding such literals are listed in KNOWN with their
count: their tests are xfail until translated, the others are enforced. After moving or
translating modules, print the new list with `python tests/test_gettext_scan.py`.
"""

from __future__ import annotations

import ast
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "tmdesk"

# calls whose first argument a person reads
TEXT_FIRST = {
    "notify", "echo", "secho", "prompt", "confirm", "ClickException", "UsageError",
    "BadParameter", "Label", "Static", "Button", "Checkbox", "RadioButton", "TabPane", "Tab",
    "Markdown", "Option", "Collapsible", "Link", "update", "add_column", "add_columns",
    "set_title", "Text",
}  # fmt: skip
# keywords a person reads, in any call
TEXT_KEYWORDS = {
    "help", "title", "placeholder", "tooltip", "label", "description", "prompt", "message",
    "border_title", "border_subtitle", "sub_title", "content", "renderable",
}  # fmt: skip
TEXT_ATTRIBUTES = {"title", "sub_title", "border_title", "border_subtitle", "tooltip"}
# bugs, not messages: a programmer reads these
PROGRAMMER_ERRORS = {
    "RuntimeError", "AssertionError", "NotImplementedError", "TypeError", "KeyError",
    "AttributeError", "IndexError",
}  # fmt: skip
TRANSLATED = {"_", "ngettext", "gettext", "pgettext", "N_"}
STRING_METHODS = {"format", "join", "strip", "upper", "lower", "capitalize", "title", "ljust"}
_MARKUP = re.compile(r"\[/?[a-z0-9 #$@=._-]*\]")

# module → literals bypassing gettext, as counted when this list was made (see the docstring)
KNOWN: dict[str, int] = {
    "tmdesk/config.py": 1,  # "keys.": a key's name, may stay
    "tmdesk/domain/availability.py": 3,  # programmers' ValueErrors, may stay
    "tmdesk/domain/calling_window.py": 2,  # programmers' ValueErrors, may stay
}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _has_words(text: str) -> bool:
    return sum(ch.isalpha() for ch in _MARKUP.sub("", text)) >= 2


def _literals(node: ast.expr | None) -> list[ast.expr]:
    """The literals with words that reach the reader through `node`, untranslated."""
    if node is None:
        return []
    if isinstance(node, ast.Constant):
        return [node] if isinstance(node.value, str) and _has_words(node.value) else []
    if isinstance(node, ast.JoinedStr):
        words = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
        inner = [
            found
            for part in node.values
            if isinstance(part, ast.FormattedValue)
            for found in _literals(part.value)
        ]
        return ([node] if _has_words(words) else []) + inner
    if isinstance(node, ast.BinOp):
        return _literals(node.left) + _literals(node.right)
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    if isinstance(node, ast.BoolOp):
        return [found for value in node.values for found in _literals(value)]
    if isinstance(node, ast.Call):
        if _name(node.func) in TRANSLATED:
            return []
        if isinstance(node.func, ast.Attribute) and node.func.attr in STRING_METHODS:
            return _literals(node.func.value)
    return []


def offenders(source: str) -> list[int]:
    """Line numbers of the untranslated user-visible literals in one module's source."""
    found: list[ast.expr] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name in TEXT_FIRST and node.args:
                found += _literals(node.args[0])
            if name == "add_columns":  # every heading
                found += [hit for argument in node.args[1:] for hit in _literals(argument)]
            if name == "Binding" and len(node.args) > 2:  # the footer's label of a key
                found += _literals(node.args[2])
            found += [hit for kw in node.keywords if kw.arg in TEXT_KEYWORDS for hit in
                      _literals(kw.value)]  # fmt: skip
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            if _name(node.exc.func) not in PROGRAMMER_ERRORS and node.exc.args:
                found += _literals(node.exc.args[0])
        elif isinstance(node, ast.Assign):
            if any(_name(target) in TEXT_ATTRIBUTES for target in node.targets):
                if any(isinstance(target, ast.Attribute) for target in node.targets):
                    found += _literals(node.value)
    return sorted(hit.lineno for hit in found)


def _modules() -> list[str]:
    """Every module but the migrations: they name tables and columns, never a person."""
    paths = [path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts]
    return sorted(path.relative_to(PACKAGE.parent).as_posix() for path in paths)


def _count(module: str) -> list[int]:
    return offenders((PACKAGE.parent / module).read_text(encoding="utf-8"))


def _case(module: str):
    if module in KNOWN:
        reason = f"{KNOWN[module]} literals bypass gettext (to translate)"
        return pytest.param(module, marks=pytest.mark.xfail(reason=reason, strict=False))
    return module


@pytest.mark.parametrize("module", [_case(module) for module in _modules()])
def test_no_user_visible_literal_bypasses_gettext(module):
    lines = _count(module)
    assert not lines, f"{module}: literals a person reads, not in _(): lines {lines}"


def test_known_modules_gain_no_new_literals():
    grown = {
        module: len(_count(module))
        for module in KNOWN
        if (PACKAGE.parent / module).exists() and len(_count(module)) > KNOWN[module]
    }
    assert not grown, f"more untranslated literals than listed in KNOWN: {grown}"


def test_the_scan_finds_what_a_person_reads_and_spares_the_rest():
    source = """
self.notify("Saved")
self.notify(_("Saved"))
click.echo(f"{n} problem(s) found")
click.echo(f"{login:<16} {role}")
click.echo(_("{n} found").format(n=n))
Static("Phone:", id="phone")
Static("", id="empty")
Button("OK")
Binding("ctrl+d", "dial", "Dial")
Binding("ctrl+d", "dial", _("Dial"))
raise ImportRefused("bad row")
raise RuntimeError("cannot happen")
self.title = "Desk"
label.update("[b]" + name + "[/b]")
table.add_column("Calls")
table.add_columns(_("Login"), "Name")
click.option("--db", help="Database file")
Input(placeholder=_("name"))
web.Response(text="ok")
"""
    assert offenders(source) == [2, 4, 7, 9, 10, 12, 14, 16, 17, 18]


if __name__ == "__main__":  # print KNOWN as it is now
    counts = Counter({module: len(_count(module)) for module in _modules()})
    print("KNOWN: dict[str, int] = {")
    for module, count in sorted(counts.items()):
        if count:
            print(f'    "{module}": {count},')
    print("}")
    print(
        f"# {sum(counts.values())} literals in {sum(1 for c in counts.values() if c)} of "
        f"{len(counts)} modules",
        file=sys.stderr,
    )
