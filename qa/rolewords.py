"""Words in a question that name a job: roles no list knows become constraints.

The linker knows the machine-learning and data roles; a question may name any other job ("what do
actuaries earn", "ONS statisticians", "a prompt engineer"). :func:`unknown_roles` finds them from the
head nouns of job titles (a closed list of the field's heads, and the head nouns of ESCO's 3,039
occupations that name people), from whoever is paid in "what do X earn", and from posts such as
"Head of ML". :func:`person_nouns` tells a job noun from any other word ("which minister announced ...").
"""

from __future__ import annotations

import re
from functools import lru_cache

from careerkg.qa.spelling import common_words

_Q = re.IGNORECASE

ROLE_HEAD = re.compile(
    r"\b(?<!['’])((?:[A-Za-z][\w/+-]*\s+){0,3})(engineers?|scientists?|analysts?|developers?|architects?|researchers?|"
    r"managers?|consultants?|specialists?|designers?|administrators?|technicians?|apprentices?|programmers?|auditors?|"
    r"officers?|strategists?|ethicists?|directors?)\b", _Q)
# who is paid, in "what do X earn", "how much does an X make"
_PAY_SUBJECT = re.compile(r"\b(?i:what|how much)\s+(?i:do|does|did|can|could|would|will|should)\s+(?i:an?\s+|the\s+)?"
                          r"(?P<x>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2}?)\s+(?i:earn|make|get paid|take home|charge|bring in)\b")
# subjects of pay that are no role: people in general, a level or a way of working
NOT_ROLE_SUBJECT = frozenset("""i you we they he she it one people person someone somebody employees employee staff
workers worker women men folks ppl graduates graduate grads grad apprentices apprentice students student interns intern
freelancers freelancer contractors contractor professionals professional beginners beginner juniors seniors newbies
techies tech it""".split())
_HEAD_OF = re.compile(r"\b(?:head|director|vp|vice president) of (?!(?:the|a|an)\s)([A-Za-z][\w/+&-]*(?:\s+(?!(?:in|at|for|salary|salaries|pay|"
                      r"paid|earn\w*|wages?|jobs?|roles?|positions?|posts?|vacanc\w*|make|makes|get|gets)\b)[A-Za-z][\w/+&-]*)?)", _Q)
GENERIC_ROLE_WORDS = frozenset("""a an the my your our their this that these those each every any some senior junior
mid mid-level lead principal staff graduate entry entry-level experienced new good top best average typical
contract freelance uk london british""".split())
# ESCO occupations' head nouns that name things in this field before people ("AI agents", "a Python
# interpreter", "drivers of pay", "data processors", the "Tier 2" visa), and "contractor", a pay basis here
_NOT_PERSON_HEADS = frozenset("""agent anchor blender burner caller carrier catcher checker clarifier closer compiler
configurator contractor cutter describer driver extra extractor filler grinder integrator interceptor interpreter
judge justice layer logger marker master medium mixer mover observer pair planer principal processor publisher
reader responder sander scheduler screener setter sewer sorter spinner splitter sweep tender tier trimmer
winder worker""".split())  # "workers": people in general


@lru_cache(maxsize=1)
def person_nouns() -> frozenset[str]:
    """Head nouns of ESCO's occupations ("statistician", "economist", "minister" ...) that name people: not among
    the 1,000 most frequent English words ("guide", "model", "head" name things first)."""
    from careerkg.graph.esco import occupation_heads

    common = common_words(1000)
    return frozenset(h for h in occupation_heads() if h not in common and h not in _NOT_PERSON_HEADS
                     and re.fullmatch(r"[a-z-]+", h))


@lru_cache(maxsize=1)
def _occupation_head() -> re.Pattern:
    """:func:`person_nouns` and their plurals (group 1 is empty: the words before one are no part of the role)."""
    heads = sorted(person_nouns())
    forms = [f for h in heads for f in (h, h[:-1] + "ies" if h.endswith("y") else h + ("es" if h.endswith("s") else "s"))]
    return re.compile(r"\b()(" + "|".join(sorted(forms, key=len, reverse=True)) + r")\b(?!\s+of\b)", re.I)


_TIME_WORDS = frozenset("current former future existing previous prospective would-be aspiring".split())

# a post's initials: what someone is, never a name ("whos the ceo of X")
TITLE_INITIALS = frozenset("ceo cto cfo coo cio cmo cpo cso cdo cdio md vp evp svp".split())


NOT_MODIFIER = frozenset("""what which who do does did how is are was for of to as an and or with at in on by from
can could should would will my i me we you they it that this there as be being become becoming hire hires hiring
than then more less most least much many earn earns pay paid get gets make makes newer older younger young old new
better best worse worst higher highest lower lowest bigger biggest larger largest smaller smallest""".split())


def unknown_roles(question: str, known_spans: list[tuple[int, int]], verbs=None) -> list[str]:
    """Role phrases ("prompt engineer", "quantum software developer") the linker did not link. A verb, a place
    or a word of time is no modifier of the role ("workers hold director-level roles", "the current Birmingham
    programmer"): ``verbs`` gives the offsets where verbs start (read only when a role has modifiers)."""
    from careerkg.graph.places import get_places

    out = []
    verb_at: set[int] | None = None
    core = list(ROLE_HEAD.finditer(question))
    # (a job noun written with a capital after "the" is a name: "the Guardian", "the Economist"; "a Quantity
    # Surveyor" is a job)
    more = [m for m in _occupation_head().finditer(question)
            if not any(c.start(2) <= m.start(2) < c.end(2) for c in core)
            and not (m.group(2)[0].isupper() and re.search(r"\bthe\s+$", question[:m.start(2)], re.I))]
    for m in core + more:
        if any(a < m.end() and m.start() < b for a, b in known_spans):
            continue
        words = []
        at = m.start(2)
        for w in reversed(m.group(1).split() if m.re is ROLE_HEAD else ()):  # the modifiers before the head noun
            at = question.rfind(w, 0, at)
            if w.lower() in GENERIC_ROLE_WORDS or w.lower() in NOT_MODIFIER or len(words) == 2 or \
                    w.lower() in _TIME_WORDS or get_places().lookup(w) is not None:
                break
            if verbs is not None:
                verb_at = verb_at if verb_at is not None else verbs()
                if at in verb_at:
                    break
            words.insert(0, w)
        if not words and m.re is ROLE_HEAD:
            continue  # "engineers" alone is every guide's; "statisticians" alone is a role of its own (and its
            # modifiers are as often an employer or a way of working: "ONS statisticians", "remote tech workers")
        head = m.group(2)
        if head.lower().endswith("ies") and m.re is not ROLE_HEAD:
            head = head[:-3] + "y"  # "actuaries"
        elif head.lower().endswith("s") and not head.lower().endswith("ss"):
            head = head[:-1]  # "LLMOps engineers": the role is "LLMOps engineer"
        out.append(" ".join(words + [head]))
    for m in _PAY_SUBJECT.finditer(question):  # "what do actuaries earn": whoever is paid is a role
        words = m.group("x").split()
        while words and (words[0].lower() in GENERIC_ROLE_WORDS or words[0].lower() in NOT_MODIFIER):
            words.pop(0)
        a = m.end("x") - len(" ".join(words))
        if not words or words[-1].lower() in NOT_ROLE_SUBJECT or any(w.lower() in NOT_MODIFIER for w in words) or \
                (len(words) == 1 and ROLE_HEAD.fullmatch(words[0])) or \
                any(x < m.end("x") and a < y for x, y in known_spans) or \
                any(w.lower() in r.lower().split() or w.lower().rstrip("s") in r.lower().split() for r in out for w in words):
            continue
        head = words[-1]
        head = head[:-3] + "y" if head.endswith("ies") else head[:-1] if head.endswith("s") and not head.endswith("ss") \
            else head
        out.append(" ".join(words[:-1] + [head]))
    for m in _HEAD_OF.finditer(question):  # "Head of ML": a post no list knows is a role too
        if not any(a < m.end() and m.start() < b for a, b in known_spans):
            out.append(m.group(0)[0].upper() + m.group(0)[1:])
    return out
