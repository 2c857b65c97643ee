"""Time zones of a lead: from its region/city text, the numbering plan, or the phone number.

The order of sources is docs/architecture.md §4: the lead's own city and region columns,
then the national numbering plan (Russian ranges, when loaded), then libphonenumber's zones
for the number.
Pure domain code: stdlib and phonenumbers (never phonenumbers.geocoder: ~215 ms, ~100 MB).
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import phonenumbers
from phonenumbers.timezone import UNKNOWN_TIMEZONE, time_zones_for_number

import tmdesk
from tmdesk.i18n import _

if TYPE_CHECKING:
    from tmdesk.domain.numbering_plan import NumberingPlan

# The zone of a lead no source can place, and of the office when none is configured.
DEFAULT_ZONE = "Europe/Moscow"
KINDS = ("city", "subject", "combined", "country")  # most precise first


def data_dir() -> Path:
    """The shipped data folder: tmdesk/_data in a wheel install, else the repository's data/."""
    package = Path(tmdesk.__file__).resolve().parent
    shipped = package / "_data"
    return shipped if shipped.is_dir() else package.parent / "data"


@dataclass(frozen=True, slots=True)
class Region:
    kind: str  # one of KINDS
    name: str  # canonical name
    zones: tuple[str, ...]
    subject: str = ""  # a city's subject; the |-separated subjects of a combined row
    aliases: tuple[str, ...] = ()


# Words that only say what kind of place follows. They are folded to one marker each, so that
# "обл."/"область"/"Oblast" compare equal, and dropped altogether in the second, looser key
# (so "Калининградская" alone still resolves). "г."/"город" never tell places apart.
_TYPE_WORDS = {
    **dict.fromkeys(("обл", "область", "oblast", "obl", "province"), ("обл",)),
    **dict.fromkeys(("респ", "республика", "republic", "resp"), ("респ",)),
    **dict.fromkeys(("край", "кр", "krai", "kray", "territory"), ("край",)),
    **dict.fromkeys(
        ("ао", "автономный", "автономная", "округ", "ao", "autonomous", "okrug"), ("ао",)
    ),
    "аобл": ("ао", "обл"),
    **dict.fromkeys(("район", "районы", "district", "raion", "rayon"), ("район",)),
    **dict.fromkeys(("регион", "region"), ("регион",)),
}
_MARKERS = frozenset(m for markers in _TYPE_WORDS.values() for m in markers)
_NOISE = frozenset({"г", "гор", "город", "city", "и", "and", "the", "of"})
_WORD = re.compile(r"[^\W_]+")
_DISTRICT = re.compile(r"\bр-н(?:ы)?\b")
# Fallback for texts naming several places ("г. Норильск|Красноярский край", "Москва, ул. ...").
_SEPARATORS = re.compile(r"[|*,;/]|\s+и\s+")


@functools.lru_cache(maxsize=1 << 16)
def _keys(text: str) -> tuple[str, str]:
    """(strict key, loose key): sorted distinct words, type words folded / dropped."""
    text = _DISTRICT.sub(" район ", text.lower().replace("ё", "е"))
    words: set[str] = set()
    for word in _WORD.findall(text):
        if word not in _NOISE:
            words.update(_TYPE_WORDS.get(word, (word,)))
    return " ".join(sorted(words)), " ".join(sorted(words - _MARKERS))


def _most_precise(found: Iterable[Region | None]) -> Region | None:
    """One region for several matches: the narrowest zone sets win (on a tie the city), and
    disjoint ones are united.

    A city inside its subject keeps only the city; "Благовещенск" with "Башкортостан" (a
    homonym elsewhere) keeps both zones, so the call waits until the window holds in each.
    """
    regions = sorted((r for r in found if r is not None), key=lambda r: KINDS.index(r.kind))
    if len(regions) > 1:  # "Москва, Россия": the country adds nothing
        regions = [r for r in regions if r.kind != "country"] or regions[:1]
    kept: list[Region] = []
    for region in regions:
        zones = set(region.zones)
        if any(set(k.zones) <= zones for k in kept):
            continue
        kept = [k for k in kept if not zones < set(k.zones)]
        kept.append(region)
    if len(kept) <= 1:
        return kept[0] if kept else None
    union = tuple(dict.fromkeys(z for r in kept for z in r.zones))
    return Region("combined", " | ".join(r.name for r in kept), union)


class RegionDirectory:
    """Russian subjects and cities by any of their spellings (data/ru_regions.csv)."""

    def __init__(self, regions: Iterable[Region]):
        self.regions = tuple(regions)
        self._strict: dict[str, Region] = {}
        self._loose: dict[str, Region] = {}
        for region in self.regions:
            for text in (region.name, *region.aliases):
                strict, loose = _keys(text)
                self._add(self._strict, strict, region, text)
                if loose:
                    self._add(self._loose, loose, region, text)
        # Per instance, so that a test directory never answers from the default one's cache.
        self.lookup = functools.lru_cache(maxsize=1 << 16)(self._lookup)

    @staticmethod
    def _add(index: dict[str, Region], key: str, region: Region, text: str) -> None:
        other = index.setdefault(key, region)
        if other is not region and set(other.zones) != set(region.zones):
            raise ValueError(
                _(
                    "{text!r} names both {one!r} and {other!r}, which are in different time zones"
                ).format(text=text, one=other.name, other=region.name)
            )

    @classmethod
    def load(cls, path: Path | None = None) -> RegionDirectory:
        path = path or data_dir() / "ru_regions.csv"
        with path.open(encoding="utf-8", newline="") as file:
            rows = csv.DictReader(line for line in file if not line.startswith("#"))
            regions = []
            for row in rows:
                if row["kind"] not in KINDS or not row["zone"]:
                    raise ValueError(
                        _(
                            "{path}: {name!r}: kind must be one of {kinds} and zone must not "
                            "be empty"
                        ).format(path=path, name=row["name"], kinds=", ".join(KINDS))
                    )
                regions.append(
                    Region(
                        kind=row["kind"],
                        name=row["name"],
                        subject=row["subject"],
                        zones=tuple(row["zone"].split("|")),
                        aliases=tuple(a for a in row["aliases"].split("|") if a),
                    )
                )
        return cls(regions)

    def _lookup(self, text: str) -> Region | None:
        strict, loose = _keys(text)
        if not strict:
            return None
        found = self._strict.get(strict) or (self._loose.get(loose) if loose else None)
        if found is not None:
            return found
        parts = [p for p in _SEPARATORS.split(text) if p.strip()]
        return _most_precise(map(self.lookup, parts)) if len(parts) > 1 else None

    def zones_for(self, text: str) -> tuple[str, ...]:
        """IANA zones for a free-text region or city; () when unknown."""
        found = self.lookup(text)
        return found.zones if found else ()

    def canonical(self, text: str) -> str | None:
        found = self.lookup(text)
        return found.name if found else None


@functools.cache
def default_directory() -> RegionDirectory:
    """The shipped table, loaded once (~7 ms)."""
    return RegionDirectory.load()


@functools.lru_cache(maxsize=1 << 16)
def zones_for_number(e164: str) -> tuple[str, ...]:
    """libphonenumber's zones for a number; () for an unparsable, invalid or unknown one."""
    digits = e164[2:]
    if (
        e164[:2] == "+7"
        and len(digits) == 10
        and digits.isascii()
        and digits.isdigit()
        and digits[0] != "0"
    ):
        # parse() is a third of the cost (~14 µs) and does nothing for a plain +7 number:
        # Russian and Kazakh national numbers have no leading zero to keep.
        number = phonenumbers.PhoneNumber(country_code=7, national_number=int(digits))
    else:
        try:
            number = phonenumbers.parse(e164, None)
        except phonenumbers.NumberParseException:
            return ()
    zones: Iterable[str] = time_zones_for_number(number)
    if number.country_code == 7:
        # libphonenumber names Europe/Bucharest for Kaliningrad (+7 401…) and in every +79…
        # list; Bucharest keeps DST, so in summer it would open the window an hour early.
        zones = ["Europe/Kaliningrad" if z == "Europe/Bucharest" else z for z in zones]
    return tuple(z for z in zones if z != UNKNOWN_TIMEZONE)


@dataclass(frozen=True, slots=True)
class ZoneResolution:
    zones: tuple[str, ...]
    source: str  # 'region' (the lead's city/region columns), 'plan', 'phone' or 'none'


_NONE = ZoneResolution((), "none")


def resolve_zones(
    e164: str | None,
    *,
    region_text: str = "",
    city_text: str = "",
    plan: NumberingPlan | None = None,
    directory: RegionDirectory | None = None,
) -> ZoneResolution:
    """The lead's candidate zones, from the first source that knows them (docs/architecture.md §4).

    The city column comes first (more precise); the region column narrows or widens it (see
    _most_precise). A column that only says "Россия" is skipped: the number knows better.
    """
    directory = directory or default_directory()
    if city_text or region_text:
        found = _most_precise(
            (
                directory.lookup(city_text) if city_text else None,
                directory.lookup(region_text) if region_text else None,
            )
        )
        if found is not None and found.kind != "country":
            return ZoneResolution(found.zones, "region")
    if not e164:
        return _NONE
    if plan is not None:
        region = plan.region_for(e164)
        zones = directory.zones_for(region) if region else ()
        if zones:
            return ZoneResolution(zones, "plan")
    zones = zones_for_number(e164)
    return ZoneResolution(zones, "phone") if zones else _NONE
