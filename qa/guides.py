"""A current guide as the answer policy sees it, and the text tests it needs.

:class:`DocView` is one version of a guide: its title, publisher, text (folded once), the
headings above spans, how often it names a thing, the year it is about and whether it
writes a word as a name. :func:`contains` is the whole-word, case- and accent-insensitive
containment every constraint test uses; :func:`names_organisation` tells a sentence that
names an organisation from one that names only places, months or nations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from careerkg.graph.places import fold, get_places
from careerkg.text import is_heading_line, is_table_row, spelled_out
from careerkg.qa.request import DEMONYMS, YEAR


def contains(haystack: str, needle: str, *, folded: bool = False) -> bool:
    """Whole-word, case- and accent-insensitive containment (plural 's' tolerated).

    ``folded=True`` says the haystack is already :func:`fold`-ed (a guide's cached text)."""
    return _needle(fold(needle)).search(haystack if folded else fold(haystack)) is not None


@lru_cache(maxsize=4096)
def _needle(folded: str) -> re.Pattern:
    n = re.escape(folded).replace(r"\ ", r"[\s-]+")
    if re.fullmatch(r"[a-z]{6,}", folded):
        n = "|".join([n, *_open_compounds(folded)])  # "bootcamp" is also written "boot camp" or "boot-camp"
    return re.compile(rf"(?<![\w])(?:{n})(s|es)?(?![\w])")


def _open_compounds(word: str) -> list[str]:
    """A closed compound written open: "bootcamp" -> "boot[\\s-]+camp", "dataset" -> "data[\\s-]+set", where
    both halves are English words of three letters or more and neither is a function word ("therapist" is no
    "the rapist")."""
    from careerkg.text import english_counts

    english = english_counts()
    return [rf"{word[:i]}[\s-]+{word[i:]}" for i in range(3, len(word) - 2)
            if word[:i] in english and word[i:] in english and not {word[:i], word[i:]} & _FUNCTION_HALVES]


_FUNCTION_HALVES = frozenset("the and for her his our you are was not but all any can one out who how its off "
                             "per via yet nor".split())


def proper_nouns(docs: dict[str, "DocView"]) -> dict[str, str]:
    """Names the guides only ever write with a capital ("TfL", "Northcoders", "WANdisco"), by their lower-case
    form: a question typed in lower case ("how long is the tfl scheme") still names them. English words and
    words the guides also write in lower case are left out. A name the guides write with a possessive ("Dyson’s")
    is also known by that possessive typed without its apostrophe ("dysons chief engineer"), English word or not."""
    from careerkg.text import english_counts

    english = english_counts()
    seen: dict[str, dict[str, int]] = {}
    lower: set[str] = set()
    owners: dict[str, str] = {}
    for v in docs.values():
        for m in re.finditer(r"(?<![\w.&-])[A-Za-z][A-Za-z0-9]*(?:[.&-][A-Za-z0-9]+)*", v.text):
            w = m.group(0)
            if w.islower():
                lower.add(w)
            elif len(w) >= 3 and not w.isupper() or 3 <= len(w) <= 6 and w.isupper():
                forms = seen.setdefault(w.lower(), {})
                forms[w] = forms.get(w, 0) + 1
                if v.text.startswith(("'s", "’s"), m.end()) and not w.endswith("s"):
                    owners.setdefault(w.lower(), w)
    out = {k: max(forms, key=forms.get) for k, forms in seen.items() if k not in lower and k not in english}
    out.update({k + "s": w for k, w in owners.items() if k not in lower and k + "s" not in lower and k + "s" not in out})
    return out


def word_keys(text: str) -> set[str]:
    """The folded words of a text, each also without a plural 's'/'es' (for the guides' word index)."""
    out = set()
    for w in re.findall(r"\w+", fold(text)):
        out.add(w)
        if w.endswith("es"):
            out.add(w[:-2])
        if w.endswith("s"):
            out.add(w[:-1])
    return out


def heading_before(text: str, pos: int, reach: int = 3000) -> str:
    """The nearest heading line above ``pos`` (a Markdown heading or a short unpunctuated line)."""
    start = max(0, pos - reach)
    lines = text[start:pos].split("\n")[:-1]
    eol = text.find("\n", pos)
    if is_table_row(text[pos:eol if eol >= 0 else len(text)]):
        header = ""  # a table row: its table's header row is its context
        for line in reversed(lines):
            if not is_table_row(line) and not re.fullmatch(r"\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*", line):
                break
            header = line
        if header:
            return header + "\n" + _plain_heading(lines)
    return _plain_heading(lines)


def _plain_heading(lines: list[str]) -> str:
    for line in reversed(lines):
        s = line.strip()
        if not s:
            continue
        if s.startswith("#"):
            return s.lstrip("# ")
        if is_heading_line(s) and s[:1].isupper():
            return s
    return ""


_MID_NAME = re.compile(r"(?<=[\w,;’'(] )[A-Z][\w&.’'-]*")
_CALENDAR = frozenset("""January February March April May June July August September October November December
Monday Tuesday Wednesday Thursday Friday Saturday Sunday""".split())
_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(?:[01]?\d|[a-z]{3})/")
_REFERENCE_YEAR = re.compile(r"\b(?:since|before|after|until|till|from|by|to|than)\s+$", re.I)


@dataclass
class DocView:
    """What the scope needs of one current guide."""

    doc_id: str
    title: str
    text: str
    publisher: str = ""
    source_url: str = ""
    main_role: str | None = None  # the role IRI the guide mentions most
    _headings: dict[int, str] = field(default_factory=dict, repr=False)
    _counts: dict[str, int] = field(default_factory=dict, repr=False)  # folded name -> times the text names it

    def count(self, name: str) -> int:
        """How often the text names ``name`` (whole words, plural tolerated), remembered per version."""
        key = fold(name)
        n = self._counts.get(key)
        if n is None:
            n = self._counts[key] = len(_needle(key).findall(self.folded))
        return n

    @cached_property
    def spelled_out(self) -> dict[str, str]:
        """Its names of three words or more by their acronyms (:func:`careerkg.text.spelled_out`), read once."""
        return spelled_out(self.text)

    @cached_property
    def year(self) -> str | None:
        """The year the guide is about: the one its title names, else the one its text names most often, not
        counting a year named as a point of reference ("since 2019"); None on a tie (a guide comparing 2021
        with 2022 is about neither alone)."""
        named = YEAR.findall(self.title)
        if len(set(named)) == 1:
            return named[0]
        counts: dict[str, int] = {}
        for m in YEAR.finditer(self.text):  # "since 2019", "up from 2021": a point of reference, not the period
            if not _REFERENCE_YEAR.search(self.text, max(0, m.start() - 8), m.start()):
                counts[m.group(0)] = counts.get(m.group(0), 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        if not ranked:  # a text naming no year: the date its address is filed under ("/2012/nov/20/")
            dated = _URL_DATE.search(self.source_url)
            return dated.group(1) if dated else None
        if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
            return None
        return ranked[0][0]

    def names_as_name(self, name: str) -> bool:
        """The text writes ``name`` capitalised inside a sentence ("the job site Indeed"), as a name and not
        as the common word ("indeed", or "Indeed," opening a sentence)."""
        rx = re.compile(rf"(?<=[\w,’'] )(?-i:{re.escape(name[:1].upper() + name[1:])})\b")
        return name[:1].isalpha() and rx.search(self.text) is not None

    @cached_property
    def folded(self) -> str:
        """The text :func:`fold`-ed once (offsets may shift; used only to test containment)."""
        return fold(self.text)

    def heading(self, start: int) -> str:
        """:func:`heading_before` a span, remembered for this version of the guide."""
        h = self._headings.get(start)
        if h is None:
            h = self._headings[start] = heading_before(self.text, start)
        return h


_PLACE_MODIFIERS = frozenset("""inner outer greater north south east west northern southern eastern western central
upper lower mid""".split())


def names_organisation(text: str, org_names: dict[str, tuple[str, ...]], besides: str = "") -> bool:
    """The text names an organisation: one the guides name (``org_names``: folded names by first word), or a
    name no list or discovery knows ("We've had Burberry, Channel 4 ..."), a capitalised word inside a
    sentence that is no place, no month and no nation's adjective. Names the question itself holds
    (``besides``: "which company offered the Data Fellowship Apprenticeship") are no answer to it."""
    folded = fold(text)
    asked = set(re.findall(r"\w+", fold(besides)))
    if any(contains(folded, n, folded=True) for w in set(re.findall(r"\w+", folded)) for n in org_names.get(w, ())
           if len(n) > 1 and not set(re.findall(r"\w+", n)) <= asked):  # (an organisation named "A" is no name)
        return True
    places = get_places()
    skip_to = 0
    for m in _MID_NAME.finditer(text):
        word = m.group(0).rstrip(".")
        if m.start() < skip_to or (word.isupper() and len(word) <= 3) or word in _CALENDAR or \
                word.lower() in DEMONYMS or fold(word) in asked or re.match(r"I['’]", word):  # "I've"
            continue
        after = text[m.end():m.end() + 40].split()
        k = next((k for k in range(2, -1, -1)
                  if places.lookup(" ".join([word, *after[:k]]).strip(" ,.;:()")) is not None), None)
        if k is None and after and word.lower() in _PLACE_MODIFIERS and \
                places.lookup(after[0].strip(" ,.;:()")) is not None:
            k = 1  # a part of a place ("Inner London", "Greater Manchester", "South Wales"; not "College London")
        if k is not None:  # a place ("Cardiff", "United Kingdom"): its words are no name
            skip_to = m.end() + len(" ".join(after[:k])) + 1
            continue
        if re.match(r"\s+in\s+[A-Z]", text[m.end():]) or re.search(r"\bin\s+$", text[:m.start()]):
            continue  # "Bude in Cornwall", "in Leeds": a place no gazetteer lists
        return True
    return False
