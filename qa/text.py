"""Tokens for lexical scoring: lower-case words, stop words dropped, a light stemmer."""

from __future__ import annotations

import re
from functools import lru_cache


# "2:2", "08:30": a colon between digits stays inside the token (a degree class, a time of day)
_WORD = re.compile(r"[a-z0-9](?:[a-z0-9+#&'.]|(?<=\d):(?=\d))*[a-z0-9+#]|[a-z0-9]", re.I)
STOP = frozenset("""
a about above after again against all am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers
him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our
out over own same she should so some such than that the their them then there these they this those through to
too under until up very was we were what when where which while who whom why will with would you your yours
also according describe described say says tell told give list name named mention mentioned guide guides
s t don get got make many much kind kinds type types way ways thing things use used using typically usually
""".split())
APOSTROPHES = str.maketrans("’‘", "''")  # "We’ve" in a guide is the "We've" a user types (one for one: offsets stay)
# words that say what a question is *about* but never carry its content
_QUESTION_WORDS = frozenset("""
ml machine learning engineer engineers engineering mle mles uk role roles job jobs work working people person
""".split())


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer  # PyStemmer: Snowball (Porter 2) in C

    return Stemmer.Stemmer("english")


# British and American spellings (and the British verb/noun pair practise/practice) meet before stemming
_SPELLING = [
    (re.compile(r"^(practi|licen|defen|offen)s(e|es|ed|ing)$"), r"\1c\2"),
    (re.compile(r"^(\w{2,})ys(e|es|ed|ing|er|ers)$"), r"\1yz\2"),
    (re.compile(r"^(\w{3,})is(ation|ations|e|es|ed|ing|er|ers)$"), r"\1iz\2"),
    (re.compile(r"^(\w{2,}[^o])our(s|ed|ing|ite|ites|able)?$"), r"\1or\2"),
    (re.compile(r"^(\w{2,}[tb])re(s|d)?$"), r"\1er\2"),
    (re.compile(r"^(program|catalog|dialog)(?:me|ue)(s)?$"), r"\1\2"),
]
# common words in -ise / -our / -re that are spelt so on both sides of the Atlantic
_SAME_SPELLING = frozenset("""advise advised advises advising advisor advisers adviser exercise exercised exercises
expertise promise promised promises premise premises otherwise enterprise enterprises wise rise rises raised raise
raises raising noise compromise surprise surprised surprises franchise cruise praise praised concise precise
revise revised revising supervise supervised supervising televise improvise disguise comprise comprises comprised
arise arises arising devise devised despise apprise chastise excise merchandise paradise poise reprise treatise
analysis synthesis basis crisis thesis emphasis diagnosis hypothesis
detour contour devour velour
genre acre massacre mediocre ogre lucre""".split())


_NUMBER_WORDS = {w: str(i) for i, w in enumerate("""zero one two three four five six seven eight nine ten eleven twelve
thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty""".split()) if i >= 2}
_NUMBER_WORDS.update({"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "hundred": "100"})


def stem(word: str) -> str:
    """Snowball English stem: 'languages' and 'language' meet (so do 'practise' and 'practice',
    'optimise' and 'optimize', 'centre' and 'center')."""
    w = word.lower()
    if w not in _SAME_SPELLING:
        for rx, rep in _SPELLING:
            if rx.match(w):
                w = rx.sub(rep, w)
                break
    return _stemmer().stemWord(w)


def tokens(text: str) -> list[str]:
    """Content tokens (stemmed, stop words removed)."""
    out = []
    for m in _WORD.finditer(text.translate(APOSTROPHES)):
        w = m.group(0).lower().strip("'.-")
        if w.endswith("'s"):  # "what's", "TfL's": the word without its clitic
            w = w[:-2]
        w = _NUMBER_WORDS.get(w, w)  # "five years" meets "5 years" (number words are stop words otherwise)
        if w and w not in STOP and not (len(w) == 1 and not w.isdigit()):
            out.append(stem(w))
    return out


# generic question words, stemmed like every token
QUESTION_WORDS = frozenset(stem(w) for w in _QUESTION_WORDS)


@lru_cache(maxsize=65536)
def token_set(text: str) -> frozenset[str]:
    """:func:`tokens` of a text as a set, remembered (answer candidates and their contexts recur)."""
    return frozenset(tokens(text))
