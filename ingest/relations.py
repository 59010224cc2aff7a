"""Relation claims between linked entities: located-in, in-sector, requires-skill, transitions.

Each rule is sentence-level (or a heading's section, or a city-led paragraph) with cue
words, never bare co-occurrence. Evidence is the sentence (or list item) that carries
the fact; for a transition whose duration comes later in the same paragraph, the span
from the sentence naming the starting role to the sentence giving the duration.
"""

from __future__ import annotations

import re
from typing import Callable

from careerkg.model import Claim, Mention
from careerkg.graph.vocab import CKG, SCHEMA, mint
from careerkg.ingest.layout import Layout, Line, MentionList

LOCATED_IN = str(SCHEMA.location)
IN_SECTOR = str(CKG.inSector)
REQUIRES_SKILL = str(CKG.requiresSkill)
TRANSITIONS_TO = str(CKG.transitionsTo)
CITED_AS_SOURCE = str(CKG.citedAsSource)
CAREER_CHANGER = mint("role", "Career Changer")

_CITY_LEAD = re.compile(r"[^—:;.\n]{0,40}?\s*(?:—|–|:)\s")
_LOC_CUE = re.compile(r"\b(?:based|headquartered|located|offices?|teams?|hub|presence|site|campus|"
                      r"operations|cent(?:er|re)s?|labs?|facilit(?:y|ies)|building)\b(?:\s+\S+){0,3}?\s+in\s+$|"
                      r"\b(?:operations|offices?|headquarters|HQ)\s+to\s+$", re.I)
_ORG_CITY_GAP = re.compile(r"^(?:[ \t]+|[ \t]*\([ \t]*|[ \t]+in[ \t]+|,[ \t]*(?:(?:which is|is|are)[ \t]+)?"
                           r"(?:based|headquartered)[ \t]+in[ \t]+|[,:][ \t]*an?[ \t]+)$", re.I)
_ORG_NOUN = re.compile(r"(?:-(?:based|born|created|founded|headquartered))?[ \t]+(?:[\w-]+[ \t]+){0,2}?"
                       r"(?:startup|start-up|company|firm|scale-up|bank|lab|consultancy|business|employer|retailer|"
                       r"insurer|unicorn|spin-out|spin-off|platform|provider|marketplace|agency|charity)\b", re.I)
# "X chose Manchester as the site for its northern headquarters": the city before an office word
_CHOSE_CUE = re.compile(r"\b(?:chose|picked|selected|moved\s+(?:\w+\s+)?to|relocated\s+(?:\w+\s+)?to)\s+$", re.I)
_OFFICE_AFTER = re.compile(r"[^.;\n]{1,50}?\b(?:headquarters|HQ|offices?|base|hub|campus)\b", re.I)
# "Anthropic's London office": the city between an employer's possessive and an office word
_OFFICE_NEXT = re.compile(r"[ \t]+(?:[\w-]+[ \t]+)?(?:office|offices|headquarters|HQ|hub|campus|base|lab|labs|"
                          r"studio|site)\b", re.I)
# "X, a company that has spun out of Bristol University": the city in an apposition's origin clause
_ORIGIN_GAP = re.compile(r"^,[ \t]*an?[ \t]+(?:[\w-]+[ \t]+){0,2}?(?:startup|start-up|company|firm|scale-up|business|"
                         r"spin-out|spin-off|unicorn)[ \t]+(?:that|which)[ \t]+(?:has[ \t]+|was[ \t]+)?"
                         r"(?:spun[ \t]+out[ \t]+of|founded[ \t]+in|started[ \t]+in|born[ \t]+in|grew[ \t]+out[ \t]+of|"
                         r"emerged[ \t]+from|came[ \t]+out[ \t]+of)[ \t]+(?:the[ \t]+)?$", re.I)
# an organisation named as where the figures come from: "according to (a report by) X", "research by X",
# "X's Bright Tech report", "X report", "X found / reveals / estimates"
_SOURCE_WORDS = r"(?:report|reports|research|study|survey|data|dataset|analysis|figures|index|list|ranking|tracker|insights|findings|statistics)"
_SOURCE_BEFORE = re.compile(
    r"(?:\baccording\s+to\s+(?:(?:a|an|the|new|recent|latest)\s+)*(?:" + _SOURCE_WORDS + r"\s+(?:by|from)\s+)?|"
    r"\b" + _SOURCE_WORDS + r"\s+(?:by|from)\s+|\b(?:published|compiled|produced|authored|conducted|commissioned)\s+by\s+"
    r"(?:[\w.-]+\s+){0,3}?(?:at\s+)?|\brefer\s+to\s+|\bsource:\s*)$", re.I)
_SOURCE_AFTER = re.compile(r"^(?:[’']s\s+(?:[\w/-]+\s+){0,4}?" + _SOURCE_WORDS + r"\b|\s+" + _SOURCE_WORDS +
                           r"\b|\s+(?:found|finds|reveals?|revealed|estimates?|estimated|reported|shows?|showed|"
                           r"analy[sz]ed|identified|determined|ranks?|ranked)\b)", re.I)
# "Kariostech, an elite sports management platform in Belfast": the city of the apposition's company noun
_APPOS_IN = re.compile(r"^,[ \t]*an?[ \t]+(?:[\w-]+[ \t]+){0,4}?(?:startup|start-up|company|firm|scale-up|business|"
                       r"platform|provider|consultancy|agency|lab|spin-out|spin-off)[ \t]+(?:(?:based|headquartered)[ \t]+)?"
                       r"in[ \t]+$", re.I)
# "the city", "the south-west city", "the region's capital": the city a guide is about, named again
_THE_CITY = re.compile(r"\b(?i:the)\s+(?!(?i:same|other|another|each|every|next|nearest|capital|biggest|largest)\b)"
                       r"(?:[\w-]+\s+){0,2}?city\b(?!\s+of\b)")  # not London's "the City"
# the city of the organisation named right before it: "Anthropic's London", "Microsoft Research Cambridge"
_OWNED = re.compile(r"(?:[’']s)?[ \t]+")
# a sentence about the whole country or a region, not the guide's city: "Top UK employers include ..."
_WIDER = re.compile(r"\b(?:UK|U\.K\.|Britain|British|United Kingdom|England|Scotland|Wales|Northern Ireland|"
                    r"nationwide|national|regions?|global(?:ly)?|worldwide|international(?:ly)?)\b")
# a sentence that lists examples of what the one before it named ("These include ...")
_THESE = re.compile(r"\s*(?:these|those|examples|among them)\s+(?:include|includes|comprise)\b", re.I)
_HOME_CUE = re.compile(r"\b(?:home to|presence of|headquarters of|headquartered here|base for)\b", re.I)
_LIST_CUE = re.compile(r"^\s*(?:[\w-]+\s+){0,2}(?:companies|firms|startups|employers|players|labs|"
                       r"businesses|organisations|organizations|retailers|banks)\s+(?:like|such as|including)\b",
                       re.I)
_REQ_CUE = re.compile(
    r"\b(?:expect\w*|essential|requir\w*|need\w*|must|mandatory|standard|baseline|table stakes|"
    r"proficien\w*|familiar\w*|knowledge|experience|comfortable|valuable|sought|demand\w*|skills?|"
    r"useful|advantage|know|mastery|dominant|primary|core|important|differentiator|competenc\w*|"
    r"fundamentals|widely used|popular|non-negotiable|go-to|foundational|lingua franca|traction|"
    r"common|widespread|used)\b", re.I)
_NOT_REQUIREMENT = {"Kaggle", "LeetCode", "Heroku", "GitHub"}
_GAP_CUE = re.compile(r"\b(?:gap|transition\w*|become|move into|add)\b", re.I)
_TRANS_CUE = re.compile(r"\b(?:transition\w*|path|background|switch\w*|journey|job-ready|how long|"
                        r"become)\b", re.I)
_DURATION = re.compile(r"\b(\d+)\s*(?:(?:–|-|to)\s*(\d+))?\+?\s*(?:-\s*)?(months?|years?)\b", re.I)
_MOVE = re.compile(r"^\s*(?:transitioning|transition|moving|switching|move|moves)\s+(?:from\s+\S+\s+)?(?:to|into)\s+"
                   r"(?:a\s+|an\s+)?$", re.I)
_ARROW = re.compile(r"^\s*(?:→|->)\s*$")


def _duration(text: str) -> tuple[float, float | None] | None:
    m = _DURATION.search(text)
    if not m:
        return None
    k = 12.0 if m.group(3).lower().startswith("year") else 1.0
    lo = float(m.group(1)) * k
    hi = float(m.group(2)) * k if m.group(2) else None
    return lo, hi


class RelationExtractor:
    """Relation claims of one document.

    Args:
        text: the document text.
        layout: its :class:`Layout`.
        mentions: entity mentions (doc offsets).
        main_role: IRI of the guide's main role.
        chunk_of: maps an evidence span to its chunk id.
    """

    def __init__(self, text: str, layout: Layout, mentions: list[Mention], main_role: str | None,
                 chunk_of: Callable[[int, int], str]) -> None:
        self.text, self.layout, self.main_role, self.chunk_of = text, layout, main_role, chunk_of
        self.mentions = mentions
        self._by_kind: dict[str, MentionList] = {}
        for kind in ("role", "skill", "org", "city", "sector"):
            self._by_kind[kind] = MentionList(m for m in mentions if m.entity.kind == kind)

    def extract(self) -> list[Claim]:
        """All relation claims, deduplicated."""
        sources = self.cited_sources()
        claims = self.located_in(sources) + self.in_sector() + self.requires_skill() + self.transitions() + sources
        seen, out = set(), []
        for c in claims:
            key = (c.kind, c.subject, c.object, c.start, c.end)
            if key not in seen:
                seen.add(key)
                out.append(c)
        return out

    # -- helpers --------------------------------------------------------------------------

    def _in(self, s: int, e: int, kind: str) -> list[Mention]:
        found = self._by_kind.get(kind)
        if found is None:
            return [m for m in self.mentions if m.entity.kind == kind and s <= m.start and m.end <= e]
        return found.within(s, e)

    def _claim(self, kind: str, subj: str, pred: str, obj: str, span: tuple[int, int], how: str,
               months: tuple[float, float | None] | None = None) -> Claim:
        s, e = span
        return Claim(kind=kind, subject=subj, predicate=pred, object=obj, start=s, end=e,
                     evidence=self.text[s:e], extractor=how, chunk_id=self.chunk_of(s, e),
                     min_months=months[0] if months else None, max_months=months[1] if months else None)

    def _sentence_of(self, m: Mention) -> tuple[int, int]:
        return self.layout.sentence_at(m.start) or (m.start, m.end)

    # -- located_in -----------------------------------------------------------------------

    def _main_city(self) -> Mention | None:
        """The one city a guide is about: named in its opening and at least three times, twice as often as any
        other city (a mention of it, for its IRI)."""
        counts: dict[str, list[Mention]] = {}
        for m in self._by_kind["city"]:
            counts.setdefault(m.entity.iri, []).append(m)
        ranked = sorted(counts.values(), key=len, reverse=True)
        if not ranked or len(ranked[0]) < 3 or ranked[0][0].start > 400 or \
                (len(ranked) > 1 and len(ranked[1]) * 2 > len(ranked[0])):
            return None
        return ranked[0][0]

    def _the_city(self) -> list[Claim]:
        """In a guide about one city, employers introduced as the city's own: "The city is also home to startup
        X", "startups located in the south-west city ... These include firm Y and Z"."""
        city = self._main_city()
        if city is None:
            return []
        out, prev_said = [], False
        for line in self.layout.lines:
            for s, e in self.layout.sentences(line):
                said = _THE_CITY.search(self.text, s, e) is not None
                orgs = self._in(s, e, "org")
                if orgs and not self._in(s, e, "city") and (said or prev_said and _THESE.match(self.text, s, e)):
                    out += [self._claim("located_in", o.entity.iri, LOCATED_IN, city.entity.iri, (s, e), "pattern")
                            for o in orgs]
                prev_said = said
        return out

    def located_in(self, sources: list[Claim] | None = None) -> list[Claim]:
        """Located-in claims (``sources``: the cited-source claims, when already made)."""
        out = self._located_in()
        sources = self.cited_sources() if sources is None else sources
        return out + self._scope_city({c.subject for c in out} | self._sources_only(sources))

    def _sources_only(self, sources: list[Claim]) -> set[str]:
        """Organisations the guide only ever names as the source of its figures."""
        as_source = {(m.entity.iri, m.start) for c in sources for m in self._by_kind["org"].within(c.start, c.end)
                     if m.entity.iri == c.subject}
        out: dict[str, bool] = {}
        for m in self._by_kind["org"]:
            out[m.entity.iri] = out.get(m.entity.iri, True) and (m.entity.iri, m.start) in as_source
        return {iri for iri, only in out.items() if only}

    def _scope_city(self, placed: set[str]) -> list[Claim]:
        """An employer no cue places gets the one city of its scope: its sentence when that names one
        city and no other ("We've had Burberry move operations to Leeds"), else the one city the whole
        guide is about, named in its title ("Firms like G-Research ... pay" in "Tech Salaries in London"). The evidence is the
        sentence naming the employer; the extractor says how far the scope reached."""
        out, guide_city = [], self._main_city()
        title = next((ln for ln in self.layout.lines if self.text[ln.start:ln.end].strip()), None)
        if guide_city is not None and (title is None or not any(
                c.entity.iri == guide_city.entity.iri for c in self._in(title.start, title.end, "city"))):
            guide_city = None  # a guide's one city counts only when its title names it
        for org in self._by_kind["org"]:
            if org.entity.iri in placed:
                continue
            s, e = self._sentence_of(org)
            orgs = self._in(s, e, "org")
            # (a city opening a longer name is no place the sentence puts anyone: "Birmingham City University")
            named = [c for c in self._in(s, e, "city") if not re.match(r"[ \t]+[A-Z][a-z]", self.text[c.end:c.end + 3])]
            cities = {c.entity.iri: c for c in named if not any(_OWNED.fullmatch(self.text, o.end, c.start) for o in orgs)}
            if len(cities) != len({c.entity.iri for c in named}):
                continue  # "Anthropic's London office", "Microsoft Research Cambridge": another's city
            if len(cities) == 1:
                city, how = next(iter(cities.values())), "sentence-city"
            elif not cities and guide_city is not None and not _WIDER.search(self.text, s, e):
                city, how = guide_city, "guide-city"
            else:
                continue
            placed.add(org.entity.iri)
            out.append(self._claim("located_in", org.entity.iri, LOCATED_IN, city.entity.iri, (s, e), how))
        return out

    def _city_in_name(self) -> list[Claim]:
        """An organisation whose name holds a city is there: "Imperial College London", "Manchester University
        NHS Foundation Trust"."""
        from careerkg.graph.places import city_in_name

        out = []
        for org in self._by_kind["org"]:
            found = city_in_name(org.entity.label)
            if found is not None:
                out.append(self._claim("located_in", org.entity.iri, LOCATED_IN, mint("city", found[0]),
                                       self.layout.sentence_at(org.start) or (org.start, org.end), "name"))
        return out

    def _located_in(self) -> list[Claim]:
        out = self._org_then_city() + self._the_city() + self._city_in_name()
        for line in self.layout.lines:
            cities = self._in(line.start, line.end, "city")
            if not cities:
                continue
            lead = cities[0]
            if line.kind == "prose" and lead.start == line.start and _CITY_LEAD.match(self.text, lead.end, line.end):
                for org in self._in(line.start, line.end, "org"):  # "Cambridge — ... Darktrace ..."
                    out.append(self._claim("located_in", org.entity.iri, LOCATED_IN, lead.entity.iri,
                                           self._sentence_of(org), "pattern"))
                continue
            for s, e in self.layout.sentences(line):
                orgs = self._in(s, e, "org")
                s_cities = self._in(s, e, "city")
                if not orgs or not s_cities:
                    continue
                prev_end = s
                for city in s_cities:  # "... team in Cambridge", "based in London", "chose Leeds as its base"
                    if _LOC_CUE.search(self.text, max(prev_end, city.start - 60), city.start) or (
                            _CHOSE_CUE.search(self.text, max(prev_end, city.start - 30), city.start)
                            and _OFFICE_AFTER.match(self.text, city.end, e)):
                        for org in orgs:
                            if prev_end <= org.start < city.start:
                                out.append(self._claim("located_in", org.entity.iri, LOCATED_IN,
                                                       city.entity.iri, (s, e), "pattern"))
                    prev_end = city.end
                for cue in _HOME_CUE.finditer(self.text, s, e):  # "London ..., home to DeepMind"
                    before = [c for c in s_cities if c.end <= cue.start()]
                    if before:
                        for org in orgs:
                            if org.start >= cue.end():
                                out.append(self._claim("located_in", org.entity.iri, LOCATED_IN,
                                                       before[-1].entity.iri, (s, e), "pattern"))
        return out

    def _org_then_city(self) -> list[Claim]:
        """An employer's stated city right after its name: "X London", "X (Leeds)", "X in Manchester",
        "X, a Sheffield startup", "X, based in Bristol"."""
        out = []
        cities = self._by_kind["city"]
        for org in self._by_kind["org"]:
            prev = next((c for c in cities.starting(org.start - 40, org.start)
                         if re.fullmatch(r"[’']s[ \t]+", self.text[c.end:org.start])), None)
            if prev is None:  # "Another Bristol University spin-off – Ultrahaptics"
                prev = next((c for c in cities.starting(org.start - 60, org.start)
                             if (n := _ORG_NOUN.match(self.text, c.end)) and n.end() < org.start
                             and re.fullmatch(r"[ \t]*[–—:-][ \t]*", self.text[n.end():org.start])), None)
            if prev is not None:  # "Brighton’s Brandwatch"
                s, e = self._sentence_of(org)
                out.append(self._claim("located_in", org.entity.iri, LOCATED_IN, prev.entity.iri,
                                       (min(s, prev.start), max(e, org.end)), "pattern"))
            nxt = next(iter(cities.starting(org.end, org.end + 81)), None)
            gap = self.text[org.end:nxt.start] if nxt is not None else ""
            if nxt is None or not (
                    len(gap) <= 40 and _ORG_CITY_GAP.match(gap) or _ORIGIN_GAP.match(gap) or _APPOS_IN.match(gap)
                    or re.fullmatch(r"[’']s[ \t]+", gap) and _OFFICE_NEXT.match(self.text, nxt.end)):
                continue
            if re.match(r"^[,:]\s*an?\s+$", gap) and not _ORG_NOUN.match(self.text, nxt.end):
                continue  # "X, a Sheffield startup", "X: an Edinburgh-created unicorn", not "X, a London salary"
            s, e = self._sentence_of(org)
            out.append(self._claim("located_in", org.entity.iri, LOCATED_IN, nxt.entity.iri,
                                   (min(s, org.start), max(e, nxt.end)), "pattern"))
        return out

    def cited_sources(self) -> list[Claim]:
        """An organisation the guide names as the source of its figures ("according to X", "a report
        by X", "X's Tech Talent Tracker", "X found"): a claim with the cue and the name as evidence, so
        a data source or publisher is told apart from an employer."""
        out = []
        for org in self._by_kind["org"]:
            before = _SOURCE_BEFORE.search(self.text, max(0, org.start - 60), org.start)
            after = _SOURCE_AFTER.match(self.text, org.end, min(len(self.text), org.end + 60))
            if before or after:
                s = before.start() if before else org.start
                e = after.end() if after else org.end
                out.append(self._claim("cited_as_source", org.entity.iri, CITED_AS_SOURCE, None, (s, e), "pattern"))
        return out

    # -- in_sector ------------------------------------------------------------------------

    def in_sector(self) -> list[Claim]:
        out = []
        sectors = [m for m in self.mentions if m.entity.kind == "sector"]
        for sec in sectors:  # "fintech (Revolut, Monzo)", "defence AI (Airbus, ...)", "AV companies like X"
            after = self.text[sec.end:sec.end + 40]
            paren = re.match(r"^(?:\s+[\w-]+){0,2}\s*\(", after)
            if paren:
                close = self.text.find(")", sec.end + paren.end())
                span = (sec.end + paren.end(), close if close > 0 else sec.end + paren.end())
            elif _LIST_CUE.match(after):
                sent = self.layout.sentence_at(sec.start) or (sec.start, sec.end)
                stop = re.search(r"\b(?:are|is|have|has|were|was)\b|[.;:]", self.text[sec.end:sent[1]])
                span = (sec.end, sec.end + stop.start() if stop else sent[1])
            else:
                continue
            for org in self._in(span[0], span[1], "org"):
                out.append(self._claim("in_sector", org.entity.iri, IN_SECTOR, sec.entity.iri,
                                       self._sentence_of(sec), "pattern"))
        for line in self.layout.lines:  # section headed by sectors: "Healthcare and life sciences"
            head = self.layout.heading_of(line)
            if head is None or line.kind == "heading" or len(head.content.split()) > 8:
                continue
            head_sectors = self._in(head.start, head.end, "sector")
            if not head_sectors:
                continue
            for org in self._in(line.start, line.end, "org"):
                for sec in head_sectors:
                    out.append(self._claim("in_sector", org.entity.iri, IN_SECTOR, sec.entity.iri,
                                           self._sentence_of(org), "section"))
        return out

    # -- requires_skill -------------------------------------------------------------------

    def _role_for(self, s: int, e: int, line: Line) -> str | None:
        roles = [m.entity.iri for m in self._in(s, e, "role") if m.entity.iri != CAREER_CHANGER]
        if not roles or self.main_role in roles:
            return self.main_role
        head = self.layout.heading_of(line)
        context = self.text[s:e] + " " + (head.content if head else "")
        return self.main_role if _GAP_CUE.search(context) else roles[0]

    def requires_skill(self) -> list[Claim]:
        out = []
        for line in self.layout.lines:
            if line.kind in ("heading", "table"):
                continue
            for s, e in self.layout.sentences(line):
                skills = [m for m in self._in(s, e, "skill") if m.entity.label not in _NOT_REQUIREMENT]
                if not skills:
                    continue
                sent = self.text[s:e]
                skill_list_item = line.kind == "item" and re.match(r"^[^—:]{1,60}\s[—:–]\s", sent) is not None \
                    and s == line.start
                if not (skill_list_item or _REQ_CUE.search(sent)):
                    continue
                role = self._role_for(s, e, line)
                if role is None:
                    continue
                for sk in skills:
                    out.append(self._claim("requires_skill", role, REQUIRES_SKILL, sk.entity.iri, (s, e),
                                           "list" if line.kind == "item" else "prose"))
        return out

    # -- transitions ----------------------------------------------------------------------

    def _from_role(self, s: int, e: int) -> tuple[str, int] | None:
        """(role IRI, offset after it) of the background a sentence transitions from."""
        roles = self._in(s, e, "role")
        for m in roles:
            before = self.text[max(s, m.start - 40):m.start]
            if m.entity.iri == CAREER_CHANGER:
                return m.entity.iri, m.end
            if re.search(r"\bfrom\s+(?:a\s+|an\s+|the\s+)?$", before, re.I) or \
                    re.search(r"\bwith\s+(?:a|an)\s+$", before, re.I) and re.match(r"\s+background", self.text[m.end:e]):
                return m.entity.iri, m.end
            nxt = [r for r in roles if r.start >= m.end]
            if nxt and (_MOVE.match(self.text[m.end:nxt[0].start]) or _ARROW.match(self.text[m.end:nxt[0].start])):
                return m.entity.iri, m.end
        if re.search(r"\bfrom scratch\b", self.text[s:e], re.I):
            m = re.search(r"\bfrom scratch\b", self.text[s:e], re.I)
            return CAREER_CHANGER, s + m.end()
        return None

    def _to_role(self, after: int, e: int, frm: str) -> str | None:
        for m in self._in(after, e, "role"):
            gap = self.text[after:m.start]
            if m.entity.iri not in (frm, CAREER_CHANGER) and re.search(r"(?:\bto|\binto|→|->)\s+(?:a\s+|an\s+)?$", gap):
                return m.entity.iri
        return self.main_role

    def transitions(self) -> list[Claim]:
        out = []
        for line in self.layout.lines:
            if line.kind == "table":
                continue
            para_from: tuple[str, int, int] | None = None  # (role, sentence start, after)
            for s, e in self.layout.sentences(line):
                sent = self.text[s:e]
                months = _duration(sent)
                for frm, after, s0 in self._sentence_transitions(s, e, sent, months, para_from):
                    to = self._to_role(after, e, frm)
                    if to and to != frm:
                        out.append(self._claim("transition", frm, TRANSITIONS_TO, to, (s0, e), "pattern", months))
                found = self._from_role(s, e)
                if found and para_from is None:
                    para_from = (found[0], s, found[1])
        return out

    def _sentence_transitions(self, s: int, e: int, sent: str, months, para_from):
        """Yield (from role, offset after it, evidence start) for one sentence."""
        found = self._from_role(s, e)
        if found:
            frm, after = found
            if months or _TRANS_CUE.search(sent) or sent.lstrip().lower().startswith("from"):
                yield frm, after, s
                # a second arrow in the same sentence: "... then data scientist → ML engineer follows"
                rest = self._from_role(after, e)
                if rest and rest[0] != frm and re.search(r"→|->", self.text[rest[1]:e]):
                    yield rest[0], rest[1], s
            elif para_from is None and months is None:
                return
            return
        if months and re.search(r"\btransition\w*\b", sent, re.I):
            others = [m for m in self._in(s, e, "role") if m.entity.iri not in (self.main_role, CAREER_CHANGER)]
            if len(others) == 1:
                yield others[0].entity.iri, others[0].end, s
            elif not others and para_from is not None:
                yield para_from[0], e, para_from[1]
