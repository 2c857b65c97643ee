"""Translation of user-visible text (gettext; English is the source language).

The language follows the usual LANGUAGE / LC_ALL / LC_MESSAGES / LANG variables; message
catalogues live in tmdesk/locale/<lang>/LC_MESSAGES/tmdesk.mo.
"""

from __future__ import annotations

import gettext
from pathlib import Path

LOCALE_DIR = Path(__file__).with_name("locale")

_translation = gettext.translation("tmdesk", localedir=LOCALE_DIR, fallback=True)


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)
