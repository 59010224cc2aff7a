"""What kind of figure a text holds, and whether it is the kind of money a question asks about.

:func:`fits_type` tells whether a text can answer a question wanting an amount, a percentage, a count,
a duration or a date; :func:`figure_sentences`, :func:`only_rates` and :func:`money_kind_missing` hold a
pay question's evidence to the sentence carrying the figure, to a yearly basis and to the kind of money
asked (pay, a stipend, a fee, funding, revenue); :func:`names_place` tells whether a text names a place
of its own.
"""

from __future__ import annotations

import re

from careerkg.graph.places import get_places
from careerkg.text import common_words, sentence_spans
from careerkg.ingest.salary import without_differences
from careerkg.qa.request import AMOUNT, CHANGE, COUNT, DATE, DURATION, PERCENT, PLACE

_MONEY = re.compile(r"[£$€]\s?\d|\d\s?(k|K)\b|\b\d{2,3},\d{3}\b|\b\d+(\.\d+)?\s?(pounds|per hour|an hour|p/h)\b")
# a share: "12%", "seven per cent", "one in five", "a third of"
_PERCENT = re.compile(r"\d\s?%|\d\s?pc\b|\bper ?cent\b|\bpercent|\b(?:one|two|three|four|\d+) in (?:two|three|four|five|six|"
                      r"seven|eight|nine|ten|twenty|a hundred|\d+)\b|\b(?:a|one|two) (?:half|third|quarter|fifth|tenth)s?"
                      r" of\b", re.I)
_DURATION = re.compile(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|eighteen|a|an|few|several)"
                       r"(\s?(–|-|‑|to)\s?\d+)?[\s\u2010\u2011-]*(\+\s*)?"
                       r"((?<=\s)(?<!\ba )(?<!\ban )(?<!\d\d\d\d )(?!of\b)[a-z]{4,}\s+)?"
                       r"(years?|months?|weeks?|days?|hours?|yrs?|minutes?|mins?)\b(?![\s-]+(?:earlier|ago|later|previously|prior|old)\b)", re.I)
# "two‑year" may be written with a non-breaking hyphen (U+2011), "twelve intense weeks" with a word between
# (not after a year: "the 2023 financial year"); "23 years earlier", "a 40-year-old" say when or how old, not how long
_MONEY_SPAN = re.compile(r"[£$€]\s?\d[\d,.]*\s?[kKmMbn]*(\s?(–|-|to)\s?[£$€]?\d[\d,.]*\s?[kKmMbn]*)?"
                         r"|\b\d[\d,.]*\s?[kK]\b")
_PERCENT_SPAN = re.compile(r"\d[\d.,]*\s?(%|pc\b|per ?cent|percent)", re.I)  # "68pc": a newspaper's per cent
_NOT_A_COUNT = re.compile(r"\b\d+(\s?(–|-|to)\s?\d+)?\s*(years?|months?|weeks?|days?|hours?|minutes?)\b|\b\d{1,2}\s+"
                          r"(january|february|march|april|may|june|july|august|september|october|november|december)"
                          r"\b|\b(19|20)\d\d\b|\[\d+\]", re.I)
# a number in words ("more than five million customers", "twelve new internships"), not a time ("five years"), a
# share ("one in five", "two thirds"), a vague "hundreds of", a money amount ("two million pounds") or a place in an order ("one of")
_COUNT_WORDS = re.compile(r"(?<!\bin )\b(?:(?:one|a|two|three|four|five|six|seven|eight|nine|ten) (?:hundred|thousand|million|"
                          r"billion)|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
                          r"forty|fifty|sixty|seventy|eighty|ninety|dozen)\b"
                          r"(?![\s-]+(?:(?:or|and|to)\s+(?:a\s+)?\w+\s+)?(?:years?|months?|weeks?|days?|hours?|minutes?|"
                          r"times|half|thirds?|quarters?|fifths?|tenths?|hundred|thousand|million|billion|per ?cent|"
                          r"percent|pounds|dollars|euros|of (?:the|our|its|their|these|those)\b))", re.I)
_WINDOW = re.compile(r"\b(?:in|over|within|during)\s+the\s+(?:past|last|previous|next|coming)\s+(?:\d+|one|two|three|four|"
                     r"five|six|seven|eight|nine|ten|twelve|eighteen|few|several)?\s*(?:years?|months?|weeks?|days?)\b",
                     re.I)
_DATE = re.compile(r"\b(19|20)\d\d\b|\b(january|february|march|april|may|june|july|august|september|october|"
                   r"november|december)\b|\b\d{1,2}:\d\d\b|\b\d{1,2}\s?[ap]\.?m\b|\bnoon\b|\bmidday\b", re.I)


FIGURE_TYPES = frozenset({AMOUNT, PERCENT, COUNT, DURATION, CHANGE})
# every money figure of a text given per day or per hour ("£450–650/day; £500–750/day")
_MONEY_FIG = re.compile(r"[£$€]\s?\d[\d,.]*\s?[kK]?(?:\s?(?:–|-|to)\s?[£$€]?\d[\d,.]*\s?[kK]?)?(?:\s?(?:/\s?(?:day|d|hr|hour)"
                        r"|per (?:day|hour)|an? (?:day|hour)|p/?[dh]\b))?", re.I)
# a money figure in millions or billions ("£25m", "$2.4 billion", "£1.2bn")
_MILLIONS = re.compile(r"\d\s?(?:m|bn|b|million|billion)\b", re.I)
_RATE = re.compile(r"[£$€]\S*?(?:\s?(?:–|-|to)\s?\S+?)?\s?(?:/\s?(?:day|d|hr|hour)|per (?:day|hour)|an? (?:day|hour)|"
                   r"p/?[dh]\b)", re.I)
_ONLY_RATES = re.compile(r"\s*")
# a question about pay, and a text that speaks of pay (not of funding, fees or prices)
_PAY_Q = re.compile(r"\b(?:salar\w*|pay|pays|paid|earn\w*|wages?|income|compensation|remuneration)\b", re.I)
# other kinds of money a question may ask about, and the words evidence of that kind uses
_MONEY_KINDS = [
    (re.compile(r"\b(?:stipends?|bursar(?:y|ies)|living allowance|allowances?)\b", re.I),
     re.compile(r"\b(?:stipends?|bursar\w*|allowances?|studentships?|living costs?)\b", re.I)),
    (re.compile(r"\b(?:fees?|tuition|how much (?:does|do|is) .{0,40}\bcost)\b", re.I),
     re.compile(r"\b(?:fees?|tuition|costs?|costing|price\w*|charges?|pay|paid|£\d[\d,]*\s?(?:upfront|to apply))\b", re.I)),
    (re.compile(r"\b(?:funding|investment|invested|raised?|funds?|capital)\b", re.I),
     re.compile(r"\b(?:fund\w*|invest\w*|rais\w*|capital|venture|VC|rounds?|backing|backed|grants?)\b", re.I)),
    (re.compile(r"\b(?:acqui\w*|bought|buy|pa(?:y|id) for (?:the )?(?-i:[A-Z]))", re.I),
     re.compile(r"\b(?:acqui\w*|bought|buy\w*|paid|deal|price\w*|takeover|purchase\w*)\b", re.I)),
    (re.compile(r"\b(?:revenue|turnover|sales)\b", re.I),
     re.compile(r"\b(?:revenue|turnover|sales|worth|GVA|output)\b", re.I)),
]
_PAY_TEXT = re.compile(r"\b(?:salar\w*|pay\w*|paid|earn\w*|wages?|income|compensation|remuneration|stipends?|"
                       r"package|bonus\w*|rates?|p\.?a\.?|per (?:year|annum|day|hour|month)|a (?:year|day|month)|"
                       r"base|OTE|gross|starting|median|average|typical|band|range)\b", re.I)

# money that is not pay: funding rounds, investment, revenue, prices and fees
_NOT_PAY = re.compile(r"\b(?:rais\w*|fund\w*|invest\w*|revenue|turnover|valu\w*|fees?|costs?(?![- ]of[- ]living)|price\w*|grants?|"
                      r"seed|series [a-e]|acquir\w*|bought|sold)\b", re.I)


_UK_WIDE = re.compile(r"\b(?:UK|U\.K\.|United Kingdom|Britain|British|England|Scotland|Wales|nationwide|nationally|"
                      r"across the country|national average)\b")


# the UK as a whole (not one of its nations), in any case
_UK_WHOLE = re.compile(r"\b(?:UK|U\.K\.|United Kingdom|Britain|British)\b", re.I)


def names_place(text: str, besides: str = "") -> bool:
    """The text names a place of its own (a city, region or country GeoNames knows, or the UK as a whole),
    other than the UK as a whole when ``besides`` (the question) names it too."""
    if besides and _UK_WHOLE.search(besides):  # "for uk students": "UK: £13,000" is no other place
        text = _UK_WHOLE.sub(" ", text)
    if _UK_WIDE.search(text):
        return True
    from careerkg.graph.places import get_places

    table = get_places()
    words = re.findall(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?", text)
    # abroad, its own name only (an alternate name of Topeka is "Google"), and not an English word opening a sentence
    # ("Enterprise-level companies ..." names no Enterprise, Nevada)
    return any((p := table.lookup(w)) is not None and p.kind in ("city", "region", "country")
               and (p.kind != "city" or p.population >= 50_000)
               and (p.in_uk or p.name.lower() == w.lower() and not (
                   w.lower() in common_words(5000) and re.search(rf"(?:^|[.!?:]\s*|\n\s*){re.escape(w)}\b", text)))
               for w in words)


def fits_type(answer_type: str, text: str, *, windows: bool = True) -> bool:
    """Whether a text can answer a question wanting ``answer_type`` (a number of the right kind ...);
    ``windows=False``: a window of time something happened in ("in the past 8 months alone") is no length."""
    text = re.sub(r"\[\d+\]", "", text)
    if answer_type == AMOUNT:  # "£50 more per day than in 2021" is a change, no amount
        return bool(_MONEY.search(text)) and bool(_MONEY.search(without_differences(text)))
    if answer_type == PERCENT:
        return bool(_PERCENT.search(text))
    if answer_type == COUNT:  # a number that is not a date, a year, a duration, money or a percentage
        rest = _NOT_A_COUNT.sub(" ", _MONEY_SPAN.sub(" ", _PERCENT_SPAN.sub(" ", text)))
        return bool(re.search(r"\d", rest) or _COUNT_WORDS.search(rest))
    if answer_type == CHANGE:
        return bool(_PERCENT.search(text) or _MONEY.search(text) or re.search(r"\d", _NOT_A_COUNT.sub(" ", text)))
    if answer_type == DURATION:
        return bool(_DURATION.search(text if windows else _WINDOW.sub(" ", text)))
    if answer_type == DATE:
        return bool(_DATE.search(text))
    if answer_type == PLACE:  # "where is X based": a sentence that names no place does not say
        return names_any_place(text)
    return True


# "based in Shoreditch", "offices at 6 Pancras Square": a place no gazetteer lists, told by how it is used
_CALENDAR_WORDS = frozenset("""January February March April May June July August September October November December
Monday Tuesday Wednesday Thursday Friday Saturday Sunday""".split())
_LOCATED = re.compile(r"(?i:\b(?:based|located|headquartered|head ?office|hq|offices?|campus|sites?|hub|moved?|moving|"
                      r"relocat\w*|opened|opening)\b[^.\n]{0,40}?\b(?:in|at|to)\s+(?:the\s+)?)(?:\d+\s+)?"
                      r"(?!(?:January|February|March|April|May|June|July|August|September|October|November|December)\b)[A-Z]"
                      r"|\b[A-Z][\w'’]+[- ](?i:based)\b|^\s*(?i:where|location|based|office|site)\s*:", re.M)


def states_location(text: str) -> bool:
    """The text says where something is ("based in Shoreditch", "offices at 6 Pancras Square"; not "Office-based
    data engineers": an English word before "-based" is a way of working, unless it is a place)."""
    for m in _LOCATED.finditer(text):
        word = re.match(r"([A-Z][\w'’]+)[- ](?i:based)\b", m.group(0))
        if word and word.group(1).lower() in common_words(5000) and get_places().lookup(word.group(1)) is None:
            continue
        return True
    return False


def is_location_line(line: str) -> bool:
    """A job advert's location line ("Cambridge, Cambridgeshire, United Kingdom"): two to four comma-separated
    names, the first and the last of them places; an answer to "where is it based", though shaped like a heading."""
    parts = [p.strip() for p in line.strip().split(",")]
    if not 2 <= len(parts) <= 4 or any(not p or len(p.split()) > 3 or not p[0].isupper() for p in parts):
        return False
    table = get_places()
    return table.lookup(parts[0]) is not None and table.lookup(parts[-1]) is not None


def names_any_place(text: str) -> bool:
    """The text names a place: :func:`names_place`, any place GeoNames knows however small, or a name used as a
    place ("based in Shoreditch")."""
    if names_place(text) or states_location(text):
        return True
    table = get_places()
    for m in re.finditer(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?", text):
        if re.search(r"(?:^|[.!?:]\s*|\n\s*)$", text[:m.start()]):
            continue  # a sentence's first word is capitalised anyway
        for w in (m.group(0), *m.group(0).split()):
            place = table.lookup(w) if w not in _CALENDAR_WORDS else None
            # a place abroad only under its own name: GeoNames' alternate names hold "Google" (Topeka)
            if place is not None and (place.in_uk or place.name.lower() == w.lower()):
                return True
    return False


def fits_any(answer_types: tuple[str, ...], text: str, *, windows: bool = True) -> bool:
    """Whether a text can answer one part of a question (:func:`fits_type` of any part's type)."""
    return any(fits_type(t, text, windows=windows) for t in answer_types)


def figure_sentences(figure_type: str, text: str) -> str:
    """Sentences quoted together, cut after the last one holding a figure when what follows is on the same
    line ("... Analytics Engineer £75–110k. London product roles top end."); a caption on the next line of a
    card stays ("£550–750" / "Senior contractor/day")."""
    last = max((b for a, b in sentence_spans(text) if fits_type(figure_type, text[a:b])), default=None)
    return text[:last] if last is not None and "\n" not in text[last:] else text


def asks_pay(question: str) -> bool:
    """The question is about pay (salary, earnings, wages ...); "how much did Google pay for DeepMind" is a
    price, not pay."""
    for m in _PAY_Q.finditer(question):
        bought = re.match(r"\s+for\s+(?:the\s+)?([A-Z][\w.&-]*)", question[m.end():])
        if bought is None or get_places().lookup(bought.group(1)) is not None:
            return True  # "median pay for London jobs": pay in a place
    return False


def only_rates(text: str) -> bool:
    """Every money figure of the text is per day or per hour ("£450–650/day; £500–750/day")."""
    figures = " ".join(m.group(0) for m in _MONEY_FIG.finditer(text))
    return _ONLY_RATES.fullmatch(_RATE.sub("", figures or "x")) is not None


def money_kind_missing(question: str, sentence: str, context: str, title: str) -> str | None:
    """The kind of money a question asks about that the evidence does not speak of, or None: "pay" for a
    pay question answered by a funding round, "stipend" for a stipend question answered by a salary table.
    A pay figure may take its kind from the guide's title ("Data analyst pay in ...") unless its own
    sentence speaks of another kind of money."""
    if asks_pay(question):
        figures = [m.group(0) for m in _MONEY_SPAN.finditer(sentence)]
        if figures and all(_MILLIONS.search(f) for f in figures):
            return "pay"  # "£25m in additional annual salaries": a sum of many people's pay, not one's
        if _PAY_TEXT.search(context) or (not _NOT_PAY.search(sentence) and _PAY_TEXT.search(title)):
            return None
        return "pay"
    for asked, said in _MONEY_KINDS:
        m = asked.search(question)
        if m:
            return None if said.search(context) else m.group(0).lower()
    return None
