"""Typo tolerance for questions: unknown words corrected to close words of the guides.

A question word is left alone when it is a known English word (symspellpy's frequency
dictionary), a word of the guides or of an entity alias, a place, or looks like a name
(capitalised inside the sentence). Otherwise it is replaced by the guides' word at the
smallest optimal-string-alignment distance (1 for short words, 2 for words of 7+
letters), the most frequent on a tie; when two different words are equally close and
equally common, nothing is changed: a weak match never turns a word into another one.
"""

from __future__ import annotations

import re

from rapidfuzz import process
from rapidfuzz.distance import OSA

from careerkg.text import common_words, english_counts  # noqa: F401  (re-exported)

_WORD = re.compile(r"[A-Za-z][A-Za-z']*[A-Za-z]|[A-Za-z]")


def english_words():
    return english_counts().keys()


class Speller:
    """Corrects question words against a vocabulary (word -> frequency in the guides).

    Args:
        vocab: lower-case words of the guides with their counts.
        protected: words never corrected and always known (entity aliases, place names).
    """

    def __init__(self, vocab: dict[str, int], protected: set[str] = frozenset()) -> None:
        self.vocab = {w: n for w, n in vocab.items() if len(w) >= 3 and w.isalpha()}
        self.words = list(self.vocab)
        self.protected = {w.lower() for w in protected}
        self.english = english_words()

    def known(self, word: str) -> bool:
        w = word.lower()
        return w in self.vocab or w in self.protected or w in self.english or len(w) < 4

    def suggest(self, word: str) -> str | None:
        """The correction of one unknown lower-case word, or None."""
        w = word.lower()
        limit = 1 if len(w) < 7 else 2
        found = process.extract(w, self.words, scorer=OSA.distance, score_cutoff=limit, limit=8)
        if not found:
            return None
        best = min(d for _, d, _ in found)
        english = english_counts()
        cands = sorted(((self.vocab[c], c) for c, d, _ in found if d == best), reverse=True)
        if len(cands) > 1:
            common = sorted((english.get(c, 0) for _, c in cands), reverse=True)
            if cands[1][0] * 2 > cands[0][0] or (common[1] and common[1] * 3 > common[0]):
                return None  # two different words are about as likely ("employes": employers or employees?)
        return cands[0][1]

    def correct(self, text: str, is_place=lambda w: False) -> tuple[str, list[tuple[str, str]]]:
        """``text`` with unknown words corrected, and the ``(wrong, right)`` pairs."""
        out, pos, fixes = [], 0, []
        for m in _WORD.finditer(text):
            word = m.group(0)
            inner_cap = word[:1].isupper() and m.start() > 0 and not text[:m.start()].rstrip().endswith((".", "?", "!"))
            if self.known(word) or inner_cap or word.isupper() or is_place(word):
                continue
            fix = self.suggest(word)
            if fix and fix != word.lower():
                out.append(text[pos:m.start()])
                out.append(fix if word.islower() else fix.capitalize())
                pos = m.end()
                fixes.append((word, fix))
        out.append(text[pos:])
        return "".join(out), fixes
