"""The message catalogues: compiled from the current .po, placeholders kept, Russian complete.

Update them with the pybabel commands of the README's "Languages".
"""

from __future__ import annotations

import gettext
import io
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tmdesk.i18n import DOMAIN, LOCALE_DIR

REPO = Path(__file__).resolve().parents[1]
PO_FILES = sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
RUSSIAN = LOCALE_DIR / "ru" / "LC_MESSAGES" / f"{DOMAIN}.po"


def _catalogue(po: Path):
    with po.open("rb") as source:
        return read_po(source, locale=po.parents[1].name)


def _placeholders(text: str) -> list[str]:
    """'{n} of {total!r:>4}' → ['n', 'total!r:>4'], sorted; '{{' is a brace, not a field."""
    fields = []
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            fields.append(
                name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            )
    return sorted(fields)


def _forms(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _placeholder_problems(catalogue) -> list[str]:
    """One line per translation that loses, adds or breaks a placeholder of its source."""
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        ids = _forms(message.id)
        source = _placeholders(ids[-1])  # the plural: every Russian form counts ("21 звонок")
        for form in _forms(message.string):
            if not form:
                continue
            try:
                got = _placeholders(form)
            except ValueError as error:
                problems.append(f"{catalogue.locale}: {ids[0]!r}: {form!r}: {error}")
                continue
            if got != source:
                problems.append(f"{catalogue.locale}: {ids[0]!r}: {form!r} has {got}, not {source}")
    return problems


def test_there_is_a_russian_catalogue_with_three_plural_forms():
    catalogue = _catalogue(RUSSIAN)
    assert catalogue.num_plurals == 3
    assert "n%10==1 && n%100!=11" in catalogue.plural_expr


@pytest.mark.parametrize("po", PO_FILES, ids=lambda po: po.parents[1].name)
def test_every_translation_keeps_the_placeholders_of_its_source(po):
    assert _placeholder_problems(_catalogue(po)) == []


def test_the_placeholder_check_catches_a_lost_or_renamed_field():
    from babel.messages.catalog import Catalog

    broken = Catalog(locale="ru")
    broken.add("{n} of {total}", "{n} из {всего}")
    broken.add(("{n} call", "{n} calls"), ("звонок", "{n} звонка", "{n} звонков"))
    broken.add("{name}", "{name")
    broken.add("{{e164}} in {link}", "{{e164}} в {link}")  # kept: not a problem
    assert len(_placeholder_problems(broken)) == 3


@pytest.mark.parametrize("po", PO_FILES, ids=lambda po: po.parents[1].name)
def test_the_installed_catalogue_is_compiled_from_the_current_po(po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} missing: `pip install -e .` or `pybabel compile` compiles it"
    fresh = io.BytesIO()
    write_mo(fresh, _catalogue(po), use_fuzzy=False)
    fresh.seek(0)
    with mo.open("rb") as installed:
        assert gettext.GNUTranslations(installed)._catalog == (
            gettext.GNUTranslations(fresh)._catalog
        ), f"{mo} is older than {po.name}: run `pybabel compile -D tmdesk -d tmdesk/locale`"


def _extracted() -> dict[tuple[str, str | None], str]:
    """(msgid, msgctxt) → where it is used, from the code as it is now (the keywords pybabel
    uses: pgettext's context too)."""
    found = {}
    for filename, _line, message, _comments, context in extract_from_dir(
        REPO / "tmdesk", method_map=[("**.py", "python")]
    ):
        found.setdefault((_forms(message)[0], context), f"tmdesk/{filename}")
    return found


def test_the_russian_catalogue_is_complete():
    """Every message of the code has a Russian translation, not fuzzy, every plural form."""
    catalogue = _catalogue(RUSSIAN)
    extracted = _extracted()
    missing = []
    for (msgid, context), where in extracted.items():
        message = catalogue.get(msgid, context=context)
        if context is not None:
            msgid = f"{context}|{msgid}"
        if message is None:
            missing.append(f"{where}: {msgid!r}: not in the catalogue (pybabel update)")
        elif message.fuzzy or not all(_forms(message.string)):
            missing.append(f"{where}: {msgid!r}: " + ("fuzzy" if message.fuzzy else "untranslated"))
    assert not missing, (
        f"{len(missing)} of {len(extracted)} messages lack Russian (translate them in the "
        ".po, see the README's Development section):\n" + "\n".join(missing)
    )
