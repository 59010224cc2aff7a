"""Extraction quality on real guides: recall and precision per fact kind.

Runs the real loader, chunker and extractor on every ``tests/data/realworld/*.txt`` guide
and compares what they extract with the hand-annotated facts in
``tests/data/realworld/facts_*.jsonl`` (README there: conventions):

========== ======================================================================================
kind       an extracted item matches an annotated fact when
========== ======================================================================================
salary     a salary claim of the same document has the same min and max (``max`` None for an
           open-ended figure) and its evidence span overlaps the fact's evidence
employer   an organisation entity mentioned in the document has a fuzzy-equal name; when the
           fact gives a city, a ``schema:location`` claim of that document puts it there (an
           organisation each of whose mentions is in a ``ckg:citedAsSource`` claim, "according
           to X", is a data source, not an employer)
skill      a skill entity mentioned in the document has the fact's name (or an alias),
           case-insensitive (for precision, also a whole-word part of a composite fact name:
           "PyTorch" of "TensorFlow or PyTorch")
statistic  a statistic claim of the same document has the same value (or, for "1 to 2 days",
           the same upper value) and its evidence span overlaps the fact's evidence
========== ======================================================================================

Recall is matched facts / facts; precision is matching extracted items / extracted items
(salary and statistic: claims; employer and skill: distinct entities per document). For
employers, ``name`` recall ignores the city. Salary ``+place``/``+level`` recall also requires the
claim's location (city label, UK, UK outside London) / seniority to equal the fact's where the fact
gives one.

Run: ``.venv/bin/python bench/extraction.py [--json] [--misses KIND] [--extra KIND] [--dir DIR]``
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from careerkg.settings import apply_offline_env  # noqa: E402

apply_offline_env()

from careerkg.model import Claim, Document, Extraction  # noqa: E402
from careerkg.graph.vocab import CKG  # noqa: E402
from careerkg.ingest.chunk import chunk_text  # noqa: E402
from careerkg.ingest.extract import Extractor  # noqa: E402
from careerkg.ingest.load import load_path  # noqa: E402

REALWORLD = ROOT / "tests" / "data" / "realworld"
KINDS = ("salary", "employer", "skill", "statistic")
_PLACE = {str(CKG.UK): "uk", str(CKG.UKOutsideLondon): "uk outside london"}


def norm_name(name: str) -> str:
    """Lower-case, ``&`` as ``and``, punctuation and company suffixes dropped."""
    s = name.lower().replace("&", " and ").replace("’", "'")
    s = re.sub(r"[^\w\s]", " ", s)
    s = re.sub(r"\b(?:the|plc|ltd|limited|inc|llp)\b", " ", s)
    return " ".join(s.split())


def names_match(a: str, b: str) -> bool:
    """Fuzzy-equal organisation names: equal once normalised, or one is the other's part in or
    out of brackets ("TfL (Transport for London)" ~ "TfL"), or a rapidfuzz ratio of at least 90."""
    from rapidfuzz import fuzz

    na, nb = norm_name(a), norm_name(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    for x, y in ((a, b), (b, a)):
        m = re.match(r"^(.*?)\s*\((.*)\)\s*$", x)
        if m and norm_name(y) in (norm_name(m.group(1)), norm_name(m.group(2))):
            return True
    return fuzz.ratio(na, nb) >= 90


def spans_of(text: str, evidence: str) -> list[tuple[int, int]]:
    out, pos = [], text.find(evidence)
    while pos >= 0:
        out.append((pos, pos + len(evidence)))
        pos = text.find(evidence, pos + 1)
    return out


def overlaps(claim: Claim, spans: list[tuple[int, int]]) -> bool:
    return any(claim.start < e and s < claim.end for s, e in spans)


def same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))


@dataclass
class DocResult:
    doc: Document
    extraction: Extraction
    seconds: float
    labels: dict[str, str] = field(default_factory=dict)  # entity IRI -> label


def extract_all(folder: Path, extractor: Extractor) -> dict[str, DocResult]:
    out = {}
    for path in sorted(folder.glob("*.txt")):
        doc = load_path(path)
        t0 = time.perf_counter()
        chunks = chunk_text(doc.doc_id, doc.text, sha256=doc.sha256)
        ex = extractor.extract(doc, chunks)
        res = DocResult(doc, ex, time.perf_counter() - t0)
        for m in ex.mentions:
            res.labels[m.entity.iri] = m.entity.label
        out[doc.doc_id] = res
    return out


def load_facts(folder: Path) -> list[dict]:
    facts = []
    for f in sorted(folder.glob("facts_*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                facts.append(json.loads(line))
    return facts


def _place_label(res: DocResult, iri: str | None) -> str | None:
    if iri is None:
        return None
    return _PLACE.get(iri) or res.labels.get(iri, iri.rsplit("/", 1)[-1]).lower()


def _entities(res: DocResult, kind: str) -> dict[str, list[str]]:
    """IRI -> [label, *aliases] of the entities of one kind mentioned in a document (for ``org``: an
    organisation the document only ever names as the source of its figures is no employer)."""
    out: dict[str, list[str]] = {}
    sources = [c for c in res.extraction.claims if c.kind == "cited_as_source"]
    mentions = [m for m in res.extraction.mentions if m.entity.kind == kind]
    for m in mentions:
        if kind == "org" and all(any(c.subject == n.entity.iri and c.start <= n.start and n.end <= c.end
                                     for c in sources) for n in mentions if n.entity.iri == m.entity.iri):
            continue
        out[m.entity.iri] = [m.entity.label, *m.entity.aliases]
    return out


def _cities_of(res: DocResult, org_iri: str) -> set[str]:
    return {res.labels.get(c.object, c.object.rsplit("/", 1)[-1]).lower()
            for c in res.extraction.claims if c.kind == "located_in" and c.subject == org_iri and c.object}


def evaluate(results: dict[str, DocResult], facts: list[dict]) -> dict:
    """Per kind: facts, matched facts, extracted items, correct items, and the misses/extras."""
    report: dict[str, dict] = {}
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for f in facts:
        if f["doc_id"] in results:
            by_kind[f["kind"]].append(f)

    # salary and statistic: claims
    for kind, claim_kind in (("salary", "salary"), ("statistic", "statistic")):
        fs = by_kind[kind]
        claims = [(d, c) for d, r in results.items() for c in r.extraction.claims if c.kind == claim_kind]
        correct: set[int] = set()
        matched, place_ok, level_ok, misses = 0, 0, 0, []
        for f in fs:
            res = results[f["doc_id"]]
            spans = spans_of(res.doc.text, f["evidence"])
            hits = []
            for i, (d, c) in enumerate(claims):
                if d != f["doc_id"] or not overlaps(c, spans):
                    continue
                if kind == "salary":
                    ok = same(c.min_value, f["min"]) and same(c.max_value, f["max"])
                else:
                    ok = any(same(v, f["value"]) or (f.get("value_max") is not None and same(v, f["value_max"]))
                             for v in (c.value, c.max_value) if v is not None)
                if ok:
                    hits.append(c)
                    correct.add(i)
            if hits:
                matched += 1
                if kind == "salary":
                    place = (f.get("place") or "").lower() or None
                    if place and re.fullmatch(r"rest of (?:the )?uk|(?:uk )?outside (?:of )?london", place):
                        place = "uk outside london"  # one place, written as annotators do
                    if place is None or any(_place_label(res, c.location) == place for c in hits):
                        place_ok += 1
                    if f.get("seniority") is None or any(c.seniority == f["seniority"] for c in hits):
                        level_ok += 1
            else:
                misses.append(f)
        extras = [(d, c) for i, (d, c) in enumerate(claims) if i not in correct]
        report[kind] = {"facts": len(fs), "matched": matched, "extracted": len(claims), "correct": len(correct),
                        "misses": misses, "extras": extras}
        if kind == "salary":
            report[kind]["matched_place"] = place_ok
            report[kind]["matched_level"] = level_ok

    # employers: org entities per document
    fs = by_kind["employer"]
    items = [(d, iri, names) for d, r in results.items() for iri, names in _entities(r, "org").items()]
    correct_items: set[int] = set()
    matched, matched_name, misses = 0, 0, []
    for f in fs:
        res = results[f["doc_id"]]
        hit_name, hit_city = False, False
        for i, (d, iri, names) in enumerate(items):
            if d == f["doc_id"] and any(names_match(n, f["name"]) for n in names):
                hit_name = True
                correct_items.add(i)
                if not f.get("city") or f["city"].lower() in _cities_of(res, iri):
                    hit_city = True
        matched_name += hit_name
        matched += hit_city
        if not hit_city:
            misses.append(f)
    # cities stated for employers that match a fact: right when the fact has that city
    cities_given = cities_right = 0
    wrong_cities = []
    for d, iri, names in items:
        fact = next((f for f in fs if f["doc_id"] == d and any(names_match(n, f["name"]) for n in names)), None)
        if fact is None:
            continue
        for city in _cities_of(results[d], iri):
            cities_given += 1
            if (fact.get("city") or "").lower() == city:
                cities_right += 1
            else:
                wrong_cities.append((d, f"{names[0]} -> {city} (fact: {fact.get('city')})"))
    report["employer"] = {"facts": len(fs), "matched": matched, "matched_name": matched_name,
                          "cities_given": cities_given, "cities_right": cities_right, "wrong_cities": wrong_cities,
                          "extracted": len(items), "correct": len(correct_items), "misses": misses,
                          "extras": [(d, names[0]) for i, (d, _, names) in enumerate(items) if i not in correct_items]}

    # skills: skill entities per document
    fs = by_kind["skill"]
    items = [(d, iri, names) for d, r in results.items() for iri, names in _entities(r, "skill").items()]
    correct_items = set()
    matched, misses = 0, []
    for f in fs:
        want = f["name"].lower().strip()
        hit = False
        for i, (d, iri, names) in enumerate(items):
            if d == f["doc_id"] and any(n.lower().strip() == want for n in names):
                hit = True
                correct_items.add(i)
        matched += hit
        if not hit:
            misses.append(f)
    for i, (d, iri, names) in enumerate(items):  # a part of a composite fact ("TensorFlow or PyTorch")
        if i not in correct_items and any(
                re.search(rf"(?<![\w+#]){re.escape(n.lower())}(?![\w+#])", f["name"].lower())
                for f in fs if f["doc_id"] == d for n in names):
            correct_items.add(i)
    report["skill"] = {"facts": len(fs), "matched": matched, "extracted": len(items), "correct": len(correct_items),
                       "misses": misses,
                       "extras": [(d, names[0]) for i, (d, _, names) in enumerate(items) if i not in correct_items]}
    return report


def ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def summary(report: dict) -> dict[str, dict[str, float]]:
    out = {}
    for kind in KINDS:
        r = report[kind]
        row = {"facts": r["facts"], "recall": round(ratio(r["matched"], r["facts"]), 3),
               "extracted": r["extracted"], "precision": round(ratio(r["correct"], r["extracted"]), 3)}
        if kind == "salary":
            row["recall_place"] = round(ratio(r["matched_place"], r["facts"]), 3)
            row["recall_level"] = round(ratio(r["matched_level"], r["facts"]), 3)
        if kind == "employer":
            row["recall_name"] = round(ratio(r["matched_name"], r["facts"]), 3)
            row["city_precision"] = round(ratio(r["cities_right"], r["cities_given"]), 3)
        out[kind] = row
    return out


def _describe(item) -> str:
    if isinstance(item, dict):
        extra = {k: item.get(k) for k in ("name", "city", "min", "max", "value", "unit", "place", "seniority")
                 if item.get(k) is not None}
        return f"{item['doc_id'][:28]:28} {extra} | {item['evidence'][:70]!r}"
    d, x = item
    if isinstance(x, Claim):
        vals = (x.min_value, x.max_value, x.unit, x.seniority, x.location and x.location.rsplit("/", 1)[-1]) \
            if x.kind == "salary" else (x.value, x.unit, x.measures, x.location and x.location.rsplit("/", 1)[-1],
                                        x.period)
        return f"{d[:28]:28} {vals} {x.extractor} | {x.evidence[:70]!r}"
    return f"{d[:28]:28} {x}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", type=Path, default=REALWORLD, help="folder of *.txt guides and facts_*.jsonl")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    ap.add_argument("--misses", choices=KINDS, action="append", default=[], help="list the facts missed")
    ap.add_argument("--extra", choices=KINDS, action="append", default=[], help="list what matched no fact")
    args = ap.parse_args()
    guides = sorted(args.dir.glob("*.txt"))
    if not guides:
        print(f"no guides in {args.dir}", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    extractor = Extractor()
    load_s = time.perf_counter() - t0
    results = extract_all(args.dir, extractor)
    report = evaluate(results, load_facts(args.dir))
    table = summary(report)
    if args.json:
        print(json.dumps(table, indent=2))
    else:
        secs = sum(r.seconds for r in results.values())
        print(f"{len(results)} guides, {sum(len(r.doc.text) for r in results.values()):,} chars; "
              f"extraction {secs:.2f} s (+{load_s:.1f} s model load)")
        print(f"{'kind':10} {'facts':>5} {'recall':>7} {'extracted':>9} {'precision':>9}  notes")
        for kind, row in table.items():
            notes = ", ".join(f"{k} {v:.3f}" for k, v in row.items() if k.startswith(("recall_", "city_")))
            print(f"{kind:10} {row['facts']:>5} {row['recall']:>7.3f} {row['extracted']:>9} {row['precision']:>9.3f}  {notes}")
    for kind in args.misses:
        print(f"\n-- {kind}: facts missed")
        for f in report[kind]["misses"]:
            print("  " + _describe(f))
    for kind in args.extra:
        print(f"\n-- {kind}: extracted, matching no fact")
        for x in report[kind]["extras"]:
            print("  " + _describe(x))
        if kind == "employer":
            print("\n-- employer: cities stated that the facts do not give")
            for x in report[kind]["wrong_cities"]:
                print("  " + _describe(x))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
