"""Build hook: compile the translations (tmdesk/locale/*/LC_MESSAGES/*.po → .mo).

Runs for wheels and for `pip install -e .` alike. The .mo files are written beside their .po
(an editable install reads the package from the source tree) and listed as artifacts, so
the wheel carries them although git ignores them. Fuzzy entries are left out, as gettext
would show a guess.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def compile_catalogues(locale_dir: Path) -> list[Path]:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written: list[Path] = []
    for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as source:
            catalogue = read_po(source, locale=po.parents[1].name)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as target:
            write_mo(target, catalogue, use_fuzzy=False)
        written.append(mo)
    return written


class CatalogueBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        for mo in compile_catalogues(root / "tmdesk" / "locale"):
            build_data["artifacts"].append("/" + mo.relative_to(root).as_posix())
