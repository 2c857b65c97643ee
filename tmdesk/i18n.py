"""Translation of user-visible text (gettext; English is the source language).

Which language the desk speaks, first match wins:
  1. `--lang ru|en`, or its environment form TMDESK_LANG;
  2. `[desk] language` in the configuration (applied when the settings are read);
  3. LANGUAGE, LC_ALL, LC_MESSAGES, LANG, the first naming a language we have;
  4. Russian, the language of the people the desk is built for.
The system's locales are never consulted (servers often have only C.UTF-8): catalogues are
loaded by explicit language from tmdesk/locale/<lang>/LC_MESSAGES/tmdesk.mo, which the build
compiles from the .po beside it.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "tmdesk"
SOURCE_LANGUAGE = "en"  # the msgids themselves: needs no catalogue
DEFAULT_LANGUAGE = "ru"
LANGUAGES = ("ru", "en")  # what `--lang` and `[desk] language` accept
OVERRIDE = "TMDESK_LANG"  # the environment's `--lang` (also pins child processes in tests)
ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def available_languages() -> tuple[str, ...]:
    """The source language and every language whose compiled catalogue is installed."""
    compiled = sorted(mo.parents[1].name for mo in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return (SOURCE_LANGUAGE, *[code for code in compiled if code != SOURCE_LANGUAGE])


def _language_code(value: str) -> str:
    """'ru_RU.UTF-8' → 'ru', 'en@quot' → 'en', 'C.UTF-8' → 'c'."""
    return value.split(".")[0].split("@")[0].split("_")[0].split("-")[0].strip().lower()


def language_from_environment(environ: Mapping[str, str]) -> str | None:
    """The first language the environment names that we have a catalogue for, if any.

    LANGUAGE is a colon-separated list of preferences; C and POSIX name no language.
    """
    have = available_languages()
    for name in ENVIRONMENT:
        for part in environ.get(name, "").split(":"):
            code = _language_code(part)
            if code in have:
                return code
    return None


def choose_language(
    option: str | None = None,
    configured: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The language by the rules of this module's docstring; unknown codes are skipped."""
    environ = os.environ if environ is None else environ
    for wanted in (option, environ.get(OVERRIDE), configured):
        if wanted and _language_code(wanted) in LANGUAGES:
            return _language_code(wanted)
    return language_from_environment(environ) or DEFAULT_LANGUAGE


def _load(language: str) -> gettext.NullTranslations:
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    # fallback: a checkout whose .po was never compiled still runs, in English
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True)


_language = choose_language()
_translation = _load(_language)
_pinned = False  # chosen by --lang: the configuration must not override it
# A language for one piece of work (an export in `export --lang en`), without changing the
# desk's: a context variable, so other threads (the TUI's workers) keep the desk's language.
_speaking: ContextVar[tuple[str, gettext.NullTranslations] | None] = ContextVar(
    "tmdesk_speaking", default=None
)


def use_language(language: str, *, pin: bool = False) -> None:
    """Speak `language` from now on; `pin` (from --lang) keeps it over the configuration."""
    global _language, _translation, _pinned
    if language not in LANGUAGES:
        known = ", ".join(LANGUAGES)
        raise ValueError(
            _("unknown language {language!r} (known: {known})").format(
                language=language, known=known
            )
        )
    _language, _translation, _pinned = language, _load(language), pin


def settle_language(configured: str | None) -> str:
    """Apply `[desk] language` once the settings are read, unless --lang chose already."""
    if not _pinned:
        use_language(choose_language(configured=configured))
    return _language


@contextmanager
def speaking(language: str | None) -> Iterator[str]:
    """Translate into `language` inside the block, in this thread only; None: the desk's."""
    if language is None:
        yield current_language()
        return
    if language not in LANGUAGES:
        known = ", ".join(LANGUAGES)
        raise ValueError(
            _("unknown language {language!r} (known: {known})").format(
                language=language, known=known
            )
        )
    token = _speaking.set((language, _load(language)))
    try:
        yield language
    finally:
        _speaking.reset(token)


def current_language() -> str:
    override = _speaking.get()
    return _language if override is None else override[0]


def _translator() -> gettext.NullTranslations:
    override = _speaking.get()
    return _translation if override is None else override[1]


def _(message: str) -> str:
    return _translator().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translator().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """A message whose English is shared by different meanings ("no" the answer, "no" the
    chart's group of outcomes): the context tells them apart in the catalogue (msgctxt)."""
    return _translator().pgettext(context, message)


def N_(message: str) -> str:
    """Mark a message for the catalogue without translating it yet (see `Labels`)."""
    return message


class Labels(Mapping[str, str]):
    """Code → label, translated when read (in the language then spoken), never at import.

    A module-level dict of `_()` calls would keep the language of the moment it was imported,
    before `[desk] language` or an export's `--lang` are known.
    """

    def __init__(self, messages: Mapping[str, str]) -> None:
        self._messages = dict(messages)  # code → msgid, marked with N_()

    def __getitem__(self, code: str) -> str:
        return _(self._messages[code])

    def __contains__(self, code: object) -> bool:
        return code in self._messages

    def __iter__(self) -> Iterator[str]:
        return iter(self._messages)

    def __len__(self) -> int:
        return len(self._messages)

    def msgid(self, code: str) -> str:
        """The English label itself (what older versions stored)."""
        return self._messages[code]
