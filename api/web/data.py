"""Reads the pages need that the JSON API does not already serve: a guide's claim spans, nearest passages.

Both go through the stores' public protocols (``GraphStore.select`` with bound values,
``VectorIndex.query``) under the pipeline's read lock, like the API routes.
"""

from __future__ import annotations

from careerkg.errors import CareerKGError
from careerkg.graph.vocab import graph_iri

from careerkg.api.web.views import claim_kind

# every claim node of one document's current named graph, with its evidence span
_DOC_CLAIMS = """
SELECT ?claim ?type ?p ?start ?end WHERE {
  GRAPH ?g { ?claim a ?type ; prov:wasDerivedFrom ?chunk ; nif:beginIndex ?start ; nif:endIndex ?end .
             OPTIONAL { ?claim rdf:predicate ?p } }
}
"""


def document_claims(store, doc_id: str) -> list[tuple[int, int, str]]:
    """``(start, end, kind)`` of every claim extracted from a guide, ordered by position."""
    rows = store.select(_DOC_CLAIMS, {"g": graph_iri(doc_id)})
    claims: dict[str, dict] = {}
    for r in rows:
        c = claims.setdefault(r["claim"], {"types": set(), "p": None, "start": r["start"], "end": r["end"]})
        c["types"].add(r["type"])
        c["p"] = c["p"] or r.get("p")
    out = []
    for c in claims.values():
        try:
            start, end = int(c["start"]), int(c["end"])
        except (TypeError, ValueError):
            continue
        out.append((start, end, claim_kind(c["types"], c["p"])))
    return sorted(out)


def nearest_passages(rt, question: str, k: int = 3, max_chars: int = 400) -> list[dict]:
    """The guide passages closest to a question (for an abstention), current versions only.

    Each is ``{doc_id, title, start, end, quote, href}`` where ``quote`` is the passage
    text (cut to ``max_chars`` with its end offset moved to match).
    """
    from careerkg.api.web.views import guide_href

    vec = rt.embedder.encode_one(question)
    p = rt.pipeline
    out: list[dict] = []
    with p.lock.read():
        docs = p.manifest.docs
        for h in rt.index.query(vec, k * 3):
            rec = docs.get(h.doc_id)
            if rec is None or rec.sha256 != h.sha256:
                continue
            try:
                text = p.text(h.doc_id)
            except CareerKGError:
                continue
            if text[h.start:h.end] != h.text:
                continue
            end = h.start + min(len(h.text), max_chars)
            out.append({"doc_id": h.doc_id, "title": rec.title or h.doc_id, "start": h.start, "end": end,
                        "quote": text[h.start:end], "cut": end < h.end, "href": guide_href(h.doc_id, h.start, end)})
            if len(out) >= k:
                break
    return out
