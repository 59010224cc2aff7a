"""What one piece of evidence says, read on its own: what its figures are about, the label lines above a short
label, whether it counts what a "how many" question counts, whether it labels a length. The answer policy
(:mod:`careerkg.qa.policy`) holds evidence to a question's constraints with these."""

from __future__ import annotations

import re

from careerkg.text import ANAPHOR, previous_sentence, sentence_spans
from careerkg.qa.figures import fits_type
from careerkg.qa.request import COUNT_KINDS, levels_named
from careerkg.qa.rolewords import ROLE_HEAD, person_nouns

# a label line giving the length of what the guide is about: "How long: 2 years", "| Duration | 12 months |",
# "- Duration: Typically 2–3 years"
LENGTH_LABEL = re.compile(r"\s*(?:[-•*·]\s+)?\|?\s*(?:how long|duration|length|course length|programme length)\s*[:|]", re.I)

# a plural naming people by what they are or do (servants, workers, statisticians, trainees, women ...)
_PERSON_PLURAL = re.compile(r"(?:ants|ers|ists|ians|ees|men|people)$")
_NUMBER = r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|forty|fifty|hundred|" \
          r"(?:half )?an? (?:hundred|thousand|million|billion)|dozens|hundreds|thousands)" \
          r"(?:\s*(?:k|m|million|thousand|bn|billion))?\+?(?:\s*(?:%|per ?cent)\s+of(?:\s+the)?)?"


def _names_people(noun: str) -> bool:
    """A noun for people by what they do ("bioinformaticians", "civil servants", "engineers")."""
    return noun in person_nouns() or ROLE_HEAD.fullmatch(noun) is not None or _PERSON_PLURAL.search(noun) is not None


def counted_job(noun: str) -> str | None:
    """The singular of a counted noun that names people by what they do ("bioinformaticians" ->
    "bioinformatician"), which :func:`counts` lets a count of people of any job stand for; None for other nouns
    and for people in general ("people", "staff", "employees")."""
    if any(noun in k for k in COUNT_KINDS) or not _names_people(noun):
        return None
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def counts(noun: str, text: str, names: str = "") -> bool:
    """``text`` counts what ``noun`` names: a number before the noun, a word of its kind ("103 new digital
    start-ups" for "how many companies"; people of any job for people) or the name the question gives them
    (``names``: a text cut mid-word after the name), or after "employing" when people are counted."""
    kind = next((k for k in COUNT_KINDS if noun in k), None)
    if kind is None and _names_people(noun):
        kind = COUNT_KINDS[2] | {noun}  # people by any name: "how many civil servants" is "22,050 people in ..."
    kind = kind or frozenset((noun,))
    forms = {w for k in kind for w in (k, k[:-1] if k.endswith("s") else k + "s",
                                        k[:-3] + "y" if k.endswith("ies") else k)}
    forms |= set(re.findall(r"\b[A-Z][\w&-]+", names))
    alt = "|".join(re.escape(w) for w in sorted(forms, key=len, reverse=True))
    # ("20,000 of the most advanced graphic processors (GPUs)": the noun as the acronym glossing the words)
    if re.search(rf"(?<![\w.]){_NUMBER}\s+(?:of\s+(?:the\s+)?)?(?:[\u201c\x22\u2018']?[\w&/'’-]+\s+){{0,4}}?[(\u201c\x22\u2018']?(?:{alt})\b", text, re.I):
        return True
    # the counted words by their initials, as the guide writes them ("15 Data Analyst HAs" for "how many data
    # analyst higher apprenticeships"): capitals only, so that "has" is no "HAs"
    words = re.findall(r"[A-Za-z]+", names)[-1:] + [noun]
    initials = "".join(w[0].upper() for w in words)
    if len(initials) >= 2 and re.search(rf"(?<![\w.]){_NUMBER}\s+(?:[\w&/'’-]+\s+){{0,4}}?{initials}s?\b", text):
        return True
    # the noun, then what its number did or is: "vacancies ... have increased from 5,099 ... to 9,287", "the
    # number of start-ups stood at 1,308"
    if re.search(rf"\b(?:{alt})\b[^.;\n]{{0,60}}?\b(?:increased|rose|risen|grew|grown|fell|fallen|dropped|"
                 rf"declined|jumped|climbed|doubled|reached|totall?ed|numbered|stood at|hit)\b[^.;\n]{{0,30}}?"
                 rf"(?<![\w.£$€])(?!(?:19|20)\d\d\b)(?!\d{{1,2}}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))"
                 rf"{_NUMBER}(?![\d%])(?!\s*(?:%|per ?cent|years?|months?))", text, re.I):
        return True
    return "employ" in kind and re.search(rf"\bemploy\w*\s+(?:[\w-]+\s+){{0,2}}?{_NUMBER}", text, re.I) is not None


def figure_context(doc_text: str, start: int, text: str, figure_type: str) -> str:
    """What the figures of ``text`` (quoted from ``start`` in ``doc_text``) are about: its sentences that hold a
    figure of the asked type (each with the sentence before it when it points back to it: "This is ..."), and
    its labels and captions (a line that is no sentence: "Starter Salary", "Senior contractor/day"); a whole
    sentence without such a figure says something of its own. All of ``text`` when no sentence holds one."""
    parts, found = [], False
    for a, b in sentence_spans(text):
        piece = text[a:b]
        if fits_type(figure_type, piece):
            found = True
            parts.append(piece)
            if ANAPHOR.match(piece):
                parts.append(previous_sentence(doc_text, start + a))
        elif not re.search(r"[.!?][\"”’)]?\s*$", piece):
            parts.append(piece)
    return "\n".join(parts) if found else text


def lines_above_label(doc_text: str, start: int, sentence: str, before: str) -> str | None:
    """For a short label line ("UK: £13,000"), the line above it and the other label lines between ("Fees for
    2024-25" / "UK: £13,000" / "International: £28,750"), under which it is read; None for a sentence."""
    if len(sentence) >= 40 or "\n" in sentence.strip() or re.search(r"[.!?]\s*$", sentence):
        return None
    line, pos = before, start
    above = line
    for _ in range(5):
        if not re.fullmatch(r"[^:\n]{1,25}:[^\n]{1,30}", line.strip()):
            break
        pos = doc_text.rfind(line, 0, pos)
        if pos <= 0:
            break
        line = previous_sentence(doc_text, pos)
        above = f"{line}\n{above}"
    return above


def _cells(row: str) -> list[str]:
    cells = [x.strip() for x in row.strip().split("|")]
    if cells and not cells[0] and row.strip().startswith("|"):
        cells = cells[1:]
    if cells and not cells[-1]:
        cells = cells[:-1]
    return cells


def level_cell_has_figure(header: str, row: str, level: str) -> bool:
    """Whether the cell of ``row`` under the header column naming ``level`` holds a figure. The header may lack
    the row's label column (a corner cell dropped when HTML was flattened). True when the columns cannot be
    lined up, or no column names a level alone (the level is then the row's or the table's)."""
    head, cells = _cells(header), _cells(row)
    for cs in (head, cells):  # trailing empty cells on either side ("| Region | Junior | |")
        while cs and not cs[-1]:
            cs.pop()
    if len(cells) == len(head) + 1:
        head = [""] + head
    if len(cells) != len(head):
        return True
    cols = [i for i, h in enumerate(head) if h and levels_named(h) == {level}]
    if not cols or sum(1 for h in head if h and levels_named(h)) < 2:
        return True
    return any(re.search(r"\d", cells[i]) for i in cols)


_YEARS_OF = re.compile(r"\b(\d{1,2})\s*(?:[-–—]\s*(\d{1,2})\s*|(\+)\s*|to\s+(\d{1,2})\s+)?(?:years?|yrs?)\b"
                       r"(?!\s+(?:ago|old|later|earlier|time))", re.I)


def experience_years(text: str) -> list[tuple[float, float]]:
    """The spans of years a text states ("2-5 yrs", "9+ years", "after 20 years": (20, 20)), lowest and highest."""
    out = []
    for m in _YEARS_OF.finditer(text):
        lo = float(m.group(1))
        hi = float("inf") if m.group(3) else float(m.group(2) or m.group(4) or lo)
        out.append((lo, hi))
    return out


def years_fit(asked: list[tuple[float, float]], stated: list[tuple[float, float]]) -> bool:
    """Some span of years the evidence states overlaps the one the question asks about (True when either
    states none): "after 10 years" is not answered by pay "after 20 years"."""
    if not asked or not stated:
        return True
    lo, hi = asked[0]
    return any(a <= hi and lo <= b for a, b in stated)
