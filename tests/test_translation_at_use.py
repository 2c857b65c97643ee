"""Text is translated where it is shown, never when a module or class is defined, so the
desk can change its language after the import (a Russian test in the English suite, an
export in another language than the desk's).

Tables and BINDINGS written at module or class level mark their text with N_() (or hold it
in an i18n.Labels table) and translate it where a person reads it. Two checks: an AST scan
for _() / ngettext() evaluated at import time (module and class bodies, decorators, default
values), and an import of every module with a recording catalogue, which also catches a
function called at import time that translates inside (e.g. BINDINGS = helper()).

The command line is the exception: its help texts are read from decorators when its modules
are imported, after tmdesk.cli.language applied the --lang of the command line (one process
speaks one language; `export --lang` changes only the export's own words). So do click's
own words in those decorators (--help's, a click.Path's "file"), which tmdesk.cli routes
to our catalogue before it imports the commands (tmdesk.cli.click_words).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tmdesk import i18n
from tmdesk.i18n import N_, Labels

PACKAGE = Path(__file__).resolve().parents[1] / "tmdesk"
TRANSLATING = {"_", "ngettext", "gettext", "pgettext"}
COMMAND_LINE = "tmdesk/cli/"  # see the docstring


def _calls(node: ast.AST) -> list[int]:
    """Lines of translating calls inside `node`, an expression evaluated right away."""
    return [
        found.lineno
        for found in ast.walk(node)
        if isinstance(found, ast.Call)
        and isinstance(found.func, ast.Name)
        and found.func.id in TRANSLATING
        and not _inside_a_lambda(node, found)
    ]


def _inside_a_lambda(root: ast.AST, target: ast.AST) -> bool:
    """Whether `target` sits in a lambda under root: translated when the lambda is called."""
    for node in ast.walk(root):
        if isinstance(node, ast.Lambda) and any(found is target for found in ast.walk(node.body)):
            return True
    return False


def import_time_translations(source: str) -> list[int]:
    """Lines where _() or ngettext() runs when the module is imported."""
    lines: list[int] = []

    def body(statements: list[ast.stmt]) -> None:
        for statement in statements:
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                arguments = statement.args
                for evaluated in [
                    *statement.decorator_list,
                    *arguments.defaults,
                    *(default for default in arguments.kw_defaults if default is not None),
                ]:
                    lines.extend(_calls(evaluated))
            elif isinstance(statement, ast.ClassDef):
                for evaluated in [*statement.decorator_list, *statement.bases]:
                    lines.extend(_calls(evaluated))
                body(statement.body)
            elif isinstance(statement, ast.If | ast.For | ast.While | ast.With | ast.Try):
                for field, value in ast.iter_fields(statement):
                    if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                        body(value)
                    elif isinstance(value, list) and field == "handlers":
                        for handler in value:
                            body(handler.body)
                    elif isinstance(value, ast.expr):
                        lines.extend(_calls(value))
            else:
                lines.extend(_calls(statement))

    body(ast.parse(source).body)
    return sorted(lines)


def _modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts)


def test_no_text_is_translated_when_a_module_or_class_is_defined():
    found = {}
    for path in _modules():
        name = path.relative_to(PACKAGE.parent).as_posix()
        if name.startswith(COMMAND_LINE):
            continue
        lines = import_time_translations(path.read_text(encoding="utf-8"))
        if lines:
            found[name] = lines
    assert not found, (
        "translated at import time, so stuck in the language of the import: mark them with "
        f"N_() (or i18n.Labels) and translate them where they are shown: {found}"
    )


def test_the_scan_finds_module_class_decorator_and_default_translations():
    source = """
LABELS = {"busy": _("busy")}
FINE = {"busy": N_("busy")}
class Screen:
    BINDINGS = [Binding("escape", "back", _("Back"))]
    OK = [Binding("escape", "back", N_("Back"))]
    def shown(self, text=_("default")):
        return _("inside a function is fine")
@decorate(help=_("help"))
def command():
    pass
if True:
    WORD = ngettext("one", "many", 2)
LATER = lambda: _("in a lambda: translated when called")
"""
    assert import_time_translations(source) == [2, 5, 7, 9, 13]


def test_importing_every_module_translates_nothing():
    """Imports each module with a catalogue that records every lookup and the module that
    asked; only the command line may ask (see the docstring)."""
    code = """
import gettext, importlib, json, sys
import tmdesk
from tmdesk import i18n

asked = []

def caller():
    frame = sys._getframe(2)
    while frame and frame.f_globals.get("__name__") in ("tmdesk.i18n", __name__):
        frame = frame.f_back
    return frame.f_globals.get("__name__", "?") if frame else "?"

class Recording(gettext.NullTranslations):
    def gettext(self, message):
        asked.append([caller(), message])
        return message

    def ngettext(self, singular, plural, n):
        asked.append([caller(), singular])
        return singular if n == 1 else plural

i18n._translation = Recording()
i18n.use_language = lambda *args, **kwargs: None  # keep recording
for name in json.loads(sys.stdin.read()):
    importlib.import_module(name)
print(json.dumps([pair for pair in asked if not pair[0].startswith(("tmdesk.cli", "click."))]))
"""
    names = [
        ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        for path in _modules()
        if path.name != "__main__.py"  # runs the command line
    ]
    result = subprocess.run(  # the names on stdin: tmdesk.cli.language reads sys.argv
        [sys.executable, "-c", code], input=json.dumps(names), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_labels_are_translated_each_time_they_are_read():
    labels = Labels({"busy": N_("busy"), "no": N_("no answer")})
    assert labels["busy"] == "busy"
    i18n.use_language("ru")
    assert labels["busy"] == "занято"
    assert dict(labels) == {"busy": "занято", "no": "недозвон"}
    assert labels.get("other", "?") == "?"
    i18n.use_language("en")
    assert labels["no"] == "no answer"


@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_disposition_is_named_in_the_language_spoken_now(language):
    from tmdesk.domain.dispositions import Disposition

    i18n.use_language(language)
    assert Disposition.BUSY.label == {"ru": "занято", "en": "busy"}[language]
