"""What a new version of a guide changed in its claims: two versions' quads in, a :class:`ClaimChanges` out.

A claim is identified by what it is about, not by its IRI (which hashes its offsets): a salary by its role,
level, place, unit and currency; a statistic by what it measures, place, period and unit; any other claim
by its subject, predicate and object. Under one such key, claims with the same figure in both versions are
unchanged (wherever the text moved them); the rest pair up in text order as *changed* (old figure -> new
figure, each with its span), and what is left over was *added* or *removed*.

>>> figure_text({"min": 95000.0, "max": 140000.0, "currency": "GBP", "unit": "YEAR"}, "salary")
'£95,000 – £140,000 a year'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib.namespace import RDF, SKOS

from careerkg.model import ClaimChange, ClaimChanges, ClaimSide
from careerkg.graph.vocab import CKG, NIF, SCHEMA

_TYPE, _ANCHOR = str(RDF.type), str(NIF.anchorOf)
_KINDS = {str(CKG.SalaryClaim): "salary", str(CKG.StatisticClaim): "statistic", str(CKG.Claim): "fact"}
_ABOUT = {
    "salary": {"role": str(CKG.role), "seniority": str(CKG.seniority), "location": str(CKG.location),
               "unit": str(SCHEMA.unitText), "currency": str(SCHEMA.currency)},
    "statistic": {"measures": str(CKG.measures), "location": str(CKG.location), "period": str(CKG.period),
                  "unit": str(SCHEMA.unitText)},
    "fact": {"subject": str(RDF.subject), "predicate": str(RDF.predicate), "object": str(RDF.object)},
}
_FIGURE = {"min": str(SCHEMA.minValue), "max": str(SCHEMA.maxValue), "value": str(SCHEMA.value),
           "min_months": str(CKG.minMonths), "max_months": str(CKG.maxMonths)}
_SYMBOL = {"GBP": "£", "USD": "$", "EUR": "€"}
_PER = {"YEAR": " a year", "DAY": " a day"}


def _value(term) -> str:
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)


def _claims(quads: Iterable[ox.Quad]) -> list[dict]:
    """Every claim node in ``quads`` as a dict: kind, about (key), figure values, span."""
    props: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for q in quads:
        if isinstance(q.subject, ox.NamedNode):
            props[q.subject.value][q.predicate.value].append(q.object)
    out = []
    for node, p in props.items():
        kinds = [_KINDS[t.value] for t in p.get(_TYPE, []) if t.value in _KINDS]
        if not kinds or _ANCHOR not in p:
            continue
        kind = "salary" if "salary" in kinds else "statistic" if "statistic" in kinds else "fact"
        about = {name: " | ".join(sorted(_value(t) for t in p.get(iri, []))) for name, iri in _ABOUT[kind].items()}
        figure = {}
        for name, iri in _FIGURE.items():
            if p.get(iri):
                try:
                    figure[name] = float(p[iri][0].value)
                except ValueError:
                    continue
        figure["currency"], figure["unit"] = about.get("currency", ""), about.get("unit", "")
        begin, end = p.get(str(NIF.beginIndex)), p.get(str(NIF.endIndex))
        out.append({"node": node, "kind": kind, "about": {k: v for k, v in about.items() if v}, "figure": figure,
                    "start": int(begin[0].value) if begin else -1, "end": int(end[0].value) if end else -1,
                    "quote": p[_ANCHOR][0].value})
    return sorted(out, key=lambda c: (c["start"], c["end"], c["node"]))


def _money(v: float, currency: str) -> str:
    sym = _SYMBOL.get(currency, "")
    return f"{sym}{v:,.0f}" if sym else f"{v:,.0f} {currency}".strip()


def figure_text(figure: dict, kind: str) -> str:
    """A claim's figure in words: ``£95,000 – £140,000 a year``, ``12%``, ``6-12 months`` ('' when none)."""
    if kind == "salary":
        cur, per = figure.get("currency") or "GBP", _PER.get(figure.get("unit", ""), "")
        lo, hi = figure.get("min"), figure.get("max")
        if lo is not None and hi is not None:
            return f"{_money(lo, cur)} – {_money(hi, cur)}{per}" if lo != hi else f"{_money(lo, cur)}{per}"
        if lo is not None:
            return f"{_money(lo, cur)}+{per}"
        return f"up to {_money(hi, cur)}{per}" if hi is not None else ""
    if kind == "statistic":
        value, hi, unit = figure.get("value"), figure.get("max"), figure.get("unit", "")
        if value is None:
            return ""
        num = f"{value:,.10g}" + (f"–{hi:,.10g}" if hi is not None and hi != value else "")
        return num + "%" if unit == "PERCENT" else _money(value, "GBP") if unit == "GBP" and hi is None \
            else f"{num} {unit.lower()}".strip()
    lo, hi = figure.get("min_months"), figure.get("max_months")
    if lo is None and hi is None:
        return ""
    return f"{lo:g}–{hi:g} months" if lo is not None and hi is not None else f"{(lo if lo is not None else hi):g} months"


def _tail(iri: str) -> str:
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rsplit("/", 1)[-1]


def _label(kind: str, about: dict[str, str], labels: dict[str, str]) -> str:
    def name(v: str) -> str:
        return " | ".join(labels.get(x, _tail(x) if x.startswith("http") else x) for x in v.split(" | "))

    if kind == "salary":
        parts = [name(about["role"]) if "role" in about else "a role"]
        parts += [name(about[k]) for k in ("seniority", "location") if k in about]
        return "salary: " + ", ".join(parts)
    if kind == "statistic":
        parts = [name(about["measures"]) if "measures" in about else "a statistic"]
        parts += [name(about[k]) for k in ("location", "period") if k in about]
        return "statistic: " + ", ".join(parts)
    return " ".join(name(about[k]) for k in ("subject", "predicate", "object") if k in about)


def _side(c: dict) -> ClaimSide:
    return ClaimSide(figure_text(c["figure"], c["kind"]), c["start"], c["end"], c["quote"])


def _same_figure(a: dict, b: dict) -> bool:
    return figure_text(a["figure"], a["kind"]) == figure_text(b["figure"], b["kind"])


def claim_iris(quads: Iterable[ox.Quad]) -> set[str]:
    """The IRIs a version's claims are about (to look up their labels)."""
    return {x for c in _claims(quads) for v in c["about"].values() for x in v.split(" | ") if x.startswith("http")}


def diff_claims(old: Iterable[ox.Quad], new: Iterable[ox.Quad], *, from_version: int, to_version: int,
                labels: dict[str, str] | None = None) -> ClaimChanges:
    """The claims ``new`` added, removed and changed against ``old`` (two versions of one guide's graph).

    Args:
        old, new: the quads of the two versions (graph names are ignored).
        labels: IRI -> label, for the change labels (an IRI's last segment otherwise).
    """
    labels = labels or {}
    groups: dict[tuple, tuple[list, list]] = defaultdict(lambda: ([], []))
    for side, quads in ((0, old), (1, new)):
        for c in _claims(quads):
            groups[(c["kind"], tuple(sorted(c["about"].items())))][side].append(c)
    added, removed, changed, unchanged = [], [], [], 0
    for (kind, _), (olds, news) in groups.items():
        rest_old = []
        for o in olds:
            match = next((n for n in news if _same_figure(o, n)), None)
            if match is None:
                rest_old.append(o)
            else:
                news.remove(match)
                unchanged += 1
        about = (olds or news)[0]["about"]
        label = _label(kind, about, labels)
        for o, n in zip(rest_old, news):
            changed.append(ClaimChange("changed", kind, label, about, _side(o), _side(n)))
        removed += [ClaimChange("removed", kind, label, about, old=_side(o)) for o in rest_old[len(news):]]
        added += [ClaimChange("added", kind, label, about, new=_side(n)) for n in news[len(rest_old):]]

    def by_span(c: ClaimChange):
        s = c.new or c.old
        return (s.start, s.end, c.label)

    return ClaimChanges(from_version, to_version, sorted(added, key=by_span), sorted(removed, key=by_span),
                        sorted(changed, key=by_span), unchanged)


def label_query(iris: Iterable[str]) -> str | None:
    """A SELECT of ``?e ?label`` (``skos:prefLabel``) for these IRIs (checked as IRIs), or None when there are none."""
    values = " ".join(str(ox.NamedNode(i)) for i in sorted(set(iris)))
    if not values:
        return None
    return f"SELECT ?e ?label WHERE {{ VALUES ?e {{ {values} }} ?e <{SKOS.prefLabel}> ?label }}"


def changes_from_dict(d: dict | None) -> ClaimChanges | None:
    """A :class:`ClaimChanges` from its JSON form (``dataclasses.asdict``, as ``PUT /documents`` returns it)."""
    if not d:
        return None

    def side(s: dict | None) -> ClaimSide | None:
        return ClaimSide(**s) if s else None

    def change(c: dict) -> ClaimChange:
        return ClaimChange(c["change"], c["kind"], c["label"], dict(c["about"]), side(c.get("old")), side(c.get("new")))

    return ClaimChanges(d["from_version"], d["to_version"], [change(c) for c in d["added"]],
                        [change(c) for c in d["removed"]], [change(c) for c in d["changed"]], d["unchanged"])
