"""What the pages show, built from what the services return: plain dicts and lists for the templates.

Nothing here renders HTML: templates do that with Jinja2's autoescaping, so every string a
guide or a question brings in reaches the page as text, never as markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from careerkg.graph.vocab import slug_of

_MARKER = re.compile(r"\[(\d{1,3})\]")

#: Claim kinds in the order their colour wins when spans overlap, with the legend's words.
CLAIM_KINDS: dict[str, str] = {
    "salary": "salary",
    "statistic": "statistic",
    "located_in": "employer in city",
    "in_sector": "employer in sector",
    "requires_skill": "role needs skill",
    "transition": "career move",
    "other": "other claim",
}

_CKG = "https://w3id.org/careerkg/ontology#"
_PREDICATE_KIND = {
    "https://schema.org/location": "located_in",
    _CKG + "inSector": "in_sector",
    _CKG + "requiresSkill": "requires_skill",
    _CKG + "transitionsTo": "transition",
}
_TYPE_KIND = {_CKG + "SalaryClaim": "salary", _CKG + "StatisticClaim": "statistic"}


def entity_href(iri: str, kind: str) -> str:
    """The entity page of a minted entity IRI."""
    return f"/entities/{kind}/{slug_of(iri)}"


def guide_href(doc_id: str, start: int | None = None, end: int | None = None) -> str:
    """The guide viewer, with a ``#start-end`` fragment when a span is given."""
    return f"/guides/{doc_id}" + (f"#{start}-{end}" if start is not None and end is not None else "")


def answer_segments(text: str, known: set[int]) -> list[dict]:
    """Split an answer into text pieces and ``[n]`` markers (markers of unknown citations stay text).

    >>> answer_segments("Pay is £90k [1][2].", {1})
    [{'text': 'Pay is £90k '}, {'cite': 1}, {'text': '[2].'}]
    """
    out: list[dict] = []
    pos = 0
    for m in _MARKER.finditer(text):
        n = int(m.group(1))
        if n not in known:
            continue
        if m.start() > pos:
            out.append({"text": text[pos:m.start()]})
        out.append({"cite": n})
        pos = m.end()
    rest = text[pos:]
    if rest:
        if out and "text" in out[-1]:
            out[-1] = {"text": out[-1]["text"] + rest}
        else:
            out.append({"text": rest})
    return out


@dataclass
class AnswerView:
    """An answer as the ask page shows it."""

    question: str
    answer: str
    abstained: bool
    segments: list[dict]
    citations: list[dict]
    conflicts: list[dict]
    entities: list[dict]
    unmet: list[dict]
    notes: list[str]
    nearest: list[dict] = field(default_factory=list)
    mode: str = "extractive"


def _publisher(rec) -> str | None:
    for name in ("publisher", "source_publisher"):
        v = getattr(rec, name, None) if rec is not None else None
        if v:
            return str(v)
    return None


def _conflict_columns(conflict: dict, facts: list[dict], by_id: dict[int, dict]) -> list[dict]:
    """One column per disagreeing value, under it the sources that give that value.

    A value's sources are the conflict's citations of the facts whose object the value starts
    with (``"£90,000 – £130,000 (in London)"`` <- fact ``"£90,000 – £130,000"``); without facts,
    citations pair with values one to one when the counts agree, else all go under the values.
    """
    values = [str(v) for v in conflict.get("values") or []]
    ids = [i for i in conflict.get("citations") or [] if i in by_id]
    per_value: list[list[int]] = []
    for v in values:
        mine = [i for f in facts if str(f.get("object", "")) and v.startswith(str(f["object"]))
                for i in f.get("citations") or [] if i in ids]
        per_value.append(list(dict.fromkeys(mine)))
    if not all(per_value) or {i for p in per_value for i in p} != set(ids):
        if len(values) == len(ids):
            per_value = [[i] for i in ids]
        else:
            per_value = [[] for _ in values]
            if per_value:
                per_value[-1] = ids
    return [{"value": v, "citations": [by_id[i] for i in p]} for v, p in zip(values, per_value)]


def answer_view(ans: dict, records: dict) -> AnswerView:
    """Build the ask page's view of a ``POST /ask``-shaped answer.

    Args:
        ans: the answer as a dict (the JSON shape of ``POST /ask``; ``unmet`` used when present).
        records: ``doc_id -> DocRecord`` of the manifest (for publishers).
    """
    cites = []
    for c in ans.get("citations") or []:
        rec = records.get(c["doc_id"])
        cites.append({**c, "publisher": c.get("publisher") or _publisher(rec),
                      "href": guide_href(c["doc_id"], c["start"], c["end"])})
    by_id = {c["id"]: c for c in cites}
    conflicts = [{"about": k.get("about", ""), "columns": _conflict_columns(k, ans.get("facts") or [], by_id)}
                 for k in ans.get("conflicts") or []]
    entities = []
    for e in ans.get("entities") or []:
        entities.append({**e, "href": entity_href(e["iri"], e["kind"])})
    unmet = []
    for u in ans.get("unmet") or []:
        if isinstance(u, dict):
            unmet.append({"constraint": str(u.get("constraint", "")), "value": str(u.get("value", ""))})
    return AnswerView(question=ans.get("question", ""), answer=ans.get("answer", ""),
                      abstained=bool(ans.get("abstained")), segments=answer_segments(ans.get("answer", ""),
                                                                                      set(by_id)),
                      citations=cites, conflicts=conflicts, entities=entities, unmet=unmet,
                      notes=list(ans.get("notes") or []), mode=ans.get("mode", "extractive"))


def record_view(rec) -> dict:
    """A manifest record as the guide library shows it (unknown future fields such as ``publisher`` tolerated)."""
    source = getattr(rec, "source_url", None) or getattr(rec, "source", None)
    source_url = source if isinstance(source, str) and source.startswith(("http://", "https://")) else None
    return {"doc_id": rec.doc_id, "title": rec.title or rec.doc_id, "publisher": _publisher(rec),
            "source_url": source_url, "source_name": rec.source_name, "version": rec.version,
            "ingested_at": rec.ingested_at, "chunks": rec.chunks, "claims": rec.claims, "chars": rec.chars,
            "media_type": rec.media_type}


def claim_kind(types: set[str], predicate: str | None) -> str:
    """The legend kind of a claim node from its ``rdf:type`` set and ``rdf:predicate``."""
    for t, k in _TYPE_KIND.items():
        if t in types:
            return k
    return _PREDICATE_KIND.get(predicate or "", "other")


def text_segments(text: str, spans: list[tuple[int, int, str]]) -> list[dict]:
    """Split a guide's text at every claim boundary; each piece knows the claim kinds covering it.

    The pieces concatenate back to ``text`` exactly, so the page's text content equals the
    document text and ``#start-end`` offsets can be found in the browser.

    >>> text_segments("abcdef", [(1, 3, "salary"), (2, 5, "transition")])
    [{'start': 0, 'text': 'a', 'kinds': []}, {'start': 1, 'text': 'b', 'kinds': ['salary']}, \
{'start': 2, 'text': 'c', 'kinds': ['salary', 'transition']}, {'start': 3, 'text': 'de', 'kinds': ['transition']}, \
{'start': 5, 'text': 'f', 'kinds': []}]
    """
    n = len(text)
    clean = [(max(0, s), min(n, e), k) for s, e, k in spans if 0 <= s < e]
    cuts = sorted({0, n, *(s for s, _, _ in clean), *(e for _, e, _ in clean)})
    order = list(CLAIM_KINDS)
    out = []
    for a, b in zip(cuts, cuts[1:]):
        if a >= b:
            continue
        kinds = sorted({k for s, e, k in clean if s <= a and b <= e}, key=order.index)
        out.append({"start": a, "text": text[a:b], "kinds": kinds})
    return out
