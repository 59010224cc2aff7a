"""Who a question asks about: the relation a "who ..." question names (founder, head, author, speaker) and
whether a sentence names a person in it."""

from __future__ import annotations

import re

from careerkg.graph.places import get_places
from careerkg.text import ANAPHOR, acronyms, common_words
from careerkg.qa.request import Request

# how a person is tied to a thing, by family: a "who founded X" question is answered by a sentence that
# says who founded something, not by one that names X's head of insights (a word joined by a hyphen,
# as in "Edinburgh-created", is part of an adjective, not the relation)
_PERSON_RELATIONS = {
    # a post before a founding ("the founding chair" is a chair)
    "leads": r"ceo|md|chief|director|head(?:s|ed)?|led|leads?|runs?|ran|managing|president|chair\w*|boss|owner\w*|owns?",
    "founded": r"found(?:ed|er|ers|ing)?|co-?found\w*|started|set up|established",
    "wrote": r"author\w*|wrote|writes|written|by|editor|reporter|journalist",  # AUTHORSHIP
    "said": r"said|says|told|according to|quoted",
}
_PERSON_ANY = "|".join(_PERSON_RELATIONS.values())
FOUNDING = _PERSON_RELATIONS["founded"]  # "when was X founded": the evidence says X was founded then
AUTHORSHIP = _PERSON_RELATIONS["wrote"]  # "who wrote X": X is a guide, so X need not be in the sentence


def person_relation(question: str) -> str:
    """The pattern of the relation a "who ..." question asks about (any known relation when it names none)."""
    for pat in _PERSON_RELATIONS.values():
        if re.search(rf"(?<![\w-])(?:{pat})(?![\w-])", question, re.I):
            return pat
    return _PERSON_ANY


def states_relation(pattern: str, text: str) -> bool:
    """``text`` states the relation ``pattern`` (as a word of its own)."""
    return re.search(rf"(?<![\w-])(?:{pattern})(?![\w-])", text, re.I) is not None


def _named_by_kind(name: str, text: str) -> bool:
    """The text points back to an organisation by what it is ("the institute’s chief executive" for the Alan Turing
    Institute, "the bank's CEO" for a name ending in Bank): the last word of a name of two words or more."""
    words = name.split()
    return len(words) >= 2 and words[-1].lower() in _ORG_KINDS and \
        re.search(rf"\bthe {re.escape(words[-1].lower())}\b", text.lower()) is not None


def _named_short(name: str, text: str) -> bool:
    """The text names an organisation by the first word of its name when that word is no English word ("XTX, led
    by founder ..." for XTX Markets)."""
    first = name.split()[0] if len(name.split()) > 1 else ""
    # (standing alone: "UK Finance" is no short "UK Research and Innovation"; and no place)
    return bool(first) and first.lower() not in common_words() and get_places().lookup(first) is None and \
        re.search(rf"(?<![\w-]){re.escape(first)}(?![\w-])(?!\s+[A-Z])", text) is not None


# the last word of a name that says it is an organisation ("Alan Turing Institute"; not "Women in Data")
_ORG_KINDS = frozenset("""institute institution university college school bank council agency foundation trust society
association company corporation group authority commission board office service lab laboratory centre center
charity partnership consortium network academy ministry department""".split())


def names_person(req: Request, text: str, ner, before: str = "") -> bool:
    """``text`` names a person (``ner(text).ents``) in the relation the question asks about (founder,
    chief executive, author ...), in the same sentence as the organisation or name it asks about ("who
    founded X"; for "who wrote X", X is the guide itself), or in the sentence ``before`` it that a sentence
    opening with "Its", "Their" ... points back to ("X, which represents ... . Its chief executive, Y, said")."""
    relation = person_relation(req.text)
    if not states_relation(relation, text):
        return False
    named = [c.value for c in req.constraints if c.kind in ("employer", "name")]
    about = f"{before}\n{text}" if before and ANAPHOR.match(text) else text
    said = [v.lower() in about.lower() or any(re.search(rf"\b{re.escape(a)}\b", about) for a in acronyms(v))
            or _named_by_kind(v, about) or _named_short(v, about) for v in named]
    # of several names, one is whose post it is ("the regional director of Hays Recruitment quoted on Version 1's
    # jobs": Hays Recruitment); the guide names the others
    if relation != AUTHORSHIP and named and not any(said):
        return False
    return any(e.label_ == "PERSON" for e in ner(text).ents)
