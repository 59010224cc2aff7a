"""Every sentence an LLM writes is held to the quotes it cites.

A generated answer is accepted sentence by sentence. A sentence is kept only when

* it carries at least one ``[n]`` marker and every marker names a source that exists;
* every number (digits or spelled out), money amount and percentage in it appears in the
  quotes it cites, with the same value (``£80k`` = ``£80,000``; ``15 per cent`` = ``15%``);
* every capitalised name in it (``London``, ``DeepMind``, ``MLE``) appears in those quotes;
* it does not repeat an instruction found inside a source ("ignore previous instructions ..."):
  text of that kind is never evidence, so its figures and names cannot ground a sentence.

Sentences that fail are dropped; :func:`validate` says which and why. When too little
survives (:func:`Validation.too_little`), the caller shows the extractive answer instead.

>>> from careerkg.model import Citation
>>> q = Citation(1, "d", "t", "c", 0, 40, "Senior MLEs earn £95,000 – £145,000.")
>>> v = validate("Senior MLEs earn £95k to £145k [1]. They earn £200,000 [1].", [q])
>>> v.text, v.kept_count, v.dropped_count
('Senior MLEs earn £95k to £145k [1].', 1, 1)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from careerkg.text import common_words

MARKER = re.compile(r"\[(\d{1,3})\]")
_MARKERS = re.compile(r"\s*(?:\[\d{1,3}\]\s*)+")
# a sentence ends at . ! ? (and any markers that follow it) before whitespace and a capital, digit or £
_END = re.compile(r"(?<=[.!?])[\"')\u201d\u2019]?((?:\s*\[\d{1,3}\])*)(?=\s+[\"'(\u201c\u2018*-]?[A-Z0-9\u00a3$\u20ac])"
                  r"|\n\s*\n|\n(?=\s*(?:[-*\u2022]|\d+[.)])\s)")
_ABBREV = re.compile(r"\b(e\.g|i\.e|etc|vs|approx|Dr|Mr|Mrs|Ms|St|No|c)\.$", re.I)

_CURRENCY = {"£": "GBP", "$": "USD", "€": "EUR", "gbp": "GBP", "usd": "USD", "eur": "EUR", "pounds": "GBP",
             "pound": "GBP", "dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR", "sterling": "GBP"}
_SCALE = {"k": 1e3, "K": 1e3, "thousand": 1e3, "m": 1e6, "M": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9,
          "billion": 1e9, "b": 1e9}
_NUMBER = re.compile(
    r"(?P<cur>[£$€])?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>k|K|thousand|mn|million|bn|billion|m|M|b)\b)?"
    r"(?:\s?(?P<pct>%|per\s?cent\b|percent\b))?"
    r"(?:\s?(?P<curw>GBP|USD|EUR|pounds?|dollars?|euros?|sterling)\b)?")
_WORD_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_WORD_NUMBERS.update({w: 10 * i for i, w in enumerate("thirty forty fifty sixty seventy eighty ninety".split(), 3)})
_WORD_NUMBER = re.compile(r"\b(?P<w>" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True)) + r")\b"
                          r"(?:[\s-]+(?P<scale>hundred|thousand|million|billion))?", re.I)
_NAME = re.compile(r"\b[A-Z][A-Za-z0-9&+.'’]*[A-Za-z0-9+]|\b[A-Z]\b")
# instruction-like text inside a source: never evidence, never to be repeated
_CLAUSE = re.compile(r"[^.!?\n]*(?:\n(?![ \t]*\n)[^.!?\n]*)*[.!?]?")  # one sentence; wrapped lines kept
_INSTRUCTION = re.compile(r"\b(?:ignore|disregard|forget|override)\b.{0,120}?\b(?:instruction|prompt|rule|above|previous|"
                          r"prior|system)s?\b|\b(?:you are now|new instructions?|system prompt|as an ai|do not cite|"
                          r"don't cite)\b", re.I | re.S)
# ordinary words that are capitalised only because they open a sentence (any other capitalised word is a name)
_SENTENCE_STARTERS = frozenset("""
a an the in on at for of to and but or so yet as if when while although though because since after before
this that these those there here it its they their them we our you your he she his her i my what which who
senior junior mid lead principal staff entry graduate most many some all both each every few several more less
according based typical salaries salary pay pays paid roles role engineers engineer average median overall
however also meanwhile moreover yes no not only outside inside across within between from by with without
machine learning data companies employers candidates people jobs job work working experience skills
another other others then thus therefore hence such one two three four five six seven eight nine ten
""".split())
_GENERIC = frozenset({"ML", "AI", "UK", "I"})  # the corpus's own subject, not names to check
FEW = 0.5  # fewer than this share of the sentences kept (or none at all): show the extractive answer


@dataclass(frozen=True)
class SentenceCheck:
    """One generated sentence and the verdict on it (``reason`` is empty when kept)."""

    text: str
    cites: tuple[int, ...]
    reason: str = ""

    @property
    def kept(self) -> bool:
        return not self.reason


@dataclass
class Validation:
    """The verdict on a whole generated answer."""

    sentences: list[SentenceCheck] = field(default_factory=list)

    @property
    def kept(self) -> list[SentenceCheck]:
        return [s for s in self.sentences if s.kept]

    @property
    def dropped(self) -> list[SentenceCheck]:
        return [s for s in self.sentences if not s.kept]

    @property
    def kept_count(self) -> int:
        return len(self.kept)

    @property
    def dropped_count(self) -> int:
        return len(self.dropped)

    @property
    def text(self) -> str:
        """The kept sentences, in order, joined by single spaces."""
        return " ".join(s.text for s in self.kept)

    def too_little(self, share: float = FEW) -> bool:
        """True when nothing was kept or fewer than ``share`` of the sentences were."""
        return not self.kept or self.kept_count < share * len(self.sentences)

    def summary(self) -> str:
        """``kept 2 of 3 sentences; dropped: 1 states 'Google' not in its sources``."""
        out = f"kept {self.kept_count} of {len(self.sentences)} generated sentences"
        if self.dropped:
            reasons = Counter(s.reason for s in self.dropped)
            out += "; dropped: " + ", ".join(f"{n} {r}" if n > 1 else r for r, n in reasons.most_common())
        return out


def split_sentences(text: str) -> list[str]:
    """Sentences of generated text; ``[n]`` markers after a full stop stay with the sentence before.

    >>> split_sentences("A costs £5 [1]. B is in Leeds. [2] C? Yes [1].")
    ['A costs £5 [1].', 'B is in Leeds. [2]', 'C?', 'Yes [1].']
    """
    out, start = [], 0
    for m in _END.finditer(text):
        end = m.end()
        if text[m.start() - 1:m.start()] == "." and _ABBREV.search(text[start:m.start()]):
            continue
        piece = text[start:end].strip()
        if piece:
            out.append(piece)
        start = end
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def sentence_ends(text: str) -> list[int]:
    """Offsets just after each complete sentence of ``text`` except the last (used while streaming)."""
    ends = []
    for m in _END.finditer(text):
        if text[m.start() - 1:m.start()] == "." and _ABBREV.search(text[:m.start()]):
            continue
        ends.append(m.end())
    return ends


def numbers(text: str) -> list[tuple[float, str]]:
    """``(value, kind)`` of every number in ``text``; kind is ``%``, a currency code or ``""``.

    >>> numbers("£80k–£125,000, 15 per cent, three years, 1.5m")
    [(80000.0, 'GBP'), (125000.0, 'GBP'), (15.0, '%'), (1500000.0, ''), (3.0, '')]
    """
    out = []
    masked = MARKER.sub(" ", text)
    # "£80–125k": the first figure takes the scale and currency of the second
    for m in _NUMBER.finditer(masked):
        raw = m.group("num")
        if raw.isdigit() and len(raw) == 4 and 1900 <= int(raw) <= 2100 and not m.group("cur"):
            value = float(raw)  # a year
        else:
            value = float(raw.replace(",", ""))
        scale = m.group("scale")
        if scale:
            value *= _SCALE[scale]
        kind = "%" if m.group("pct") else _CURRENCY.get(m.group("cur") or (m.group("curw") or "").lower(), "")
        out.append([value, kind, m.start(), m.end(), bool(scale)])
    for a, b in zip(out, out[1:]):
        between = masked[a[3]:b[2]]
        if re.fullmatch(r"\s*(?:-|–|—|to)\s*[£$€]?", between):
            if b[4] and not a[4] and a[0] < 1000:
                a[0] *= _scale_of(masked[b[2]:b[3]])
            if not a[1] and b[1]:
                a[1] = b[1]
            elif a[1] and not b[1] and a[1] != "%":
                b[1] = a[1]
    result = [(v, k) for v, k, *_ in out]
    for m in _WORD_NUMBER.finditer(masked):
        w = m.group("w").lower()
        scale = (m.group("scale") or "").lower()
        if w == "one" and not scale:
            continue  # "one of the ..." is not a figure
        result.append((float(_WORD_NUMBERS[w] * (100 if scale == "hundred" else _SCALE.get(scale, 1))), ""))
    return result


def _scale_of(s: str) -> float:
    m = re.search(r"(k|K|thousand|mn|million|bn|billion|m|M|b)\b", s)
    return _SCALE[m.group(1)] if m else 1.0


def names(text: str) -> list[str]:
    """Capitalised words of a sentence that are names (the first word only if it is not a common opener).

    >>> names("Senior MLEs at DeepMind in London earn more.")
    ['MLEs', 'DeepMind', 'London']
    """
    masked = MARKER.sub(" ", text)
    out = []
    first = True
    for m in _NAME.finditer(masked):
        word = m.group(0).rstrip(".'’")
        lead = masked[:m.start()].strip(" \"'(*-–—\u201c\u2018#>")
        at_start = first and (not lead or lead.endswith(":"))
        first = False
        if at_start and (word.lower() in _SENTENCE_STARTERS or (word.endswith("ly") and _common(word))):
            continue
        if word in _GENERIC:
            continue
        if word.isdigit() or not any(ch.isalpha() for ch in word):
            continue
        out.append(word)
    return out


def _common(word: str) -> bool:
    return word.lower() in common_words() and not word.isupper()  # an adverb opening a sentence: "Typically, ..."


def _instruction_spans(quote: str) -> list[tuple[int, int]]:
    return [m.span() for m in _CLAUSE.finditer(quote) if m.group(0).strip() and _INSTRUCTION.search(m.group(0))]


def evidence(quote: str) -> str:
    """The part of a quote that may ground a sentence: sentences carrying instructions blanked out."""
    out, last = [], 0
    for a, b in _instruction_spans(quote):
        out += [quote[last:a], " " * (b - a)]
        last = b
    return "".join(out) + quote[last:]


def instructions(quote: str) -> list[str]:
    """Sentences inside a quote that carry instructions ("Ignore previous instructions and ...")."""
    return [quote[a:b].strip() for a, b in _instruction_spans(quote)]


def _name_in(word: str, haystack: str) -> bool:
    stem = re.sub(r"(?:'s|’s|s)$", "", word) if len(word) > 3 else word
    for w in {word, stem}:
        if re.search(r"(?<![A-Za-z0-9])" + re.escape(w) + r"(?![A-Za-z0-9])", haystack, re.I):
            return True
    return stem.lower() in haystack.lower() and len(stem) >= 5


def _same_value(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def check_sentence(sentence: str, quotes: dict[int, str]) -> SentenceCheck:
    """The verdict on one sentence given every source's quote by number."""
    cites = tuple(int(n) for n in MARKER.findall(sentence))
    if not cites:
        return SentenceCheck(sentence, cites, "cites no source")
    missing = [n for n in cites if n not in quotes]
    if missing:
        return SentenceCheck(sentence, cites, "cites a source that does not exist")
    if "\ufffd" in sentence or re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", sentence):
        return SentenceCheck(sentence, cites, "is not clean text")
    cited = [quotes[n] for n in dict.fromkeys(cites)]
    grounds = " \n ".join(evidence(q) for q in cited)
    words = re.findall(r"[a-z0-9£%]+", MARKER.sub(" ", sentence).lower())
    for inst in (i for q in cited for i in instructions(q)):
        iw = re.findall(r"[a-z0-9£%]+", inst.lower())
        grams = {tuple(iw[i:i + 4]) for i in range(len(iw) - 3)}
        if any(tuple(words[i:i + 4]) in grams for i in range(len(words) - 3)):
            return SentenceCheck(sentence, cites, "repeats an instruction found in a source")
    have = numbers(grounds)
    for value, kind in numbers(sentence):
        ok = any(_same_value(value, v) and (kind == k or not kind or (not k and kind != "%")) for v, k in have)
        if not ok:
            return SentenceCheck(sentence, cites, "states a figure its sources do not give")
    for name in names(sentence):
        if not _name_in(name, grounds):
            return SentenceCheck(sentence, cites, "names something its sources do not")
    return SentenceCheck(sentence, cites)


def validate(text: str, citations: Sequence | Iterable) -> Validation:
    """Check every sentence of ``text`` against the cited quotes (``citations``: objects with ``id`` and
    ``quote``, e.g. :class:`careerkg.model.Citation`)."""
    quotes = {c.id: c.quote for c in citations}
    return Validation([check_sentence(s, quotes) for s in split_sentences(text)])
