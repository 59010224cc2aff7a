"""Scale benchmark: ingest N generated guides into a fresh data dir, then measure.

For each size (default 100 and 1,000 guides from :mod:`bench.corpus`), in a fresh child
process and a fresh temporary data dir:

- ingest throughput (docs/s, chunks/s), overall and per tenth of the run;
- store sizes on disk (Chroma, Oxigraph, kept sources/texts);
- peak RSS of the process;
- warm in-process ``ask`` p50/p95/max over template questions about the generated
  entities (salaries by level and city, employers in a city, skills, transitions);
- SPARQL p50/p95 of every researcher query (``bench/queries.py``, i.e. ``careerkg.graph.queries.QUERIES``,
  when present, else the built-in ones), serialised as SPARQL JSON like the endpoint does (at most
  ``CAREERKG_SPARQL_ROW_LIMIT`` rows), and ``conflicts`` once more with every row (``conflicts (all rows)``);
  ``--pairwise`` also times the pairwise conflicts self-join the materialised nodes replaced (issue 13, item 4);
- how many ``ckg:Conflict`` nodes ingest materialised;
- salary-claim recall and precision of what the graph holds vs the corpus ground truth
  (match on doc, seniority, location, min, max, unit).

Targets (issue 6): at 1,000 guides ask p95 <= 150 ms; ingest docs/s within 20 % of the
100-guide run; recall >= 0.95. Issue 13: "every conflict with both sources" (``conflicts``) <= 1 s
at 1,000 guides.

Usage::

    .venv/bin/python bench/scale.py                 # 100 and 1000 guides (~15-25 min on 2 cores)
    .venv/bin/python bench/scale.py --quick         # 20 and 100
    .venv/bin/python bench/scale.py --sizes 300 --json out.json
    .venv/bin/python bench/scale.py --sizes 100 --pairwise   # + the pairwise conflicts join (before)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from careerkg.settings import Settings, apply_offline_env  # noqa: E402

apply_offline_env()

from bench.corpus import generate_corpus, read_truth, write_corpus  # noqa: E402

SALARY_QUERY = """
SELECT ?g ?sen ?loc ?min ?max ?unit WHERE {
  GRAPH ?g { ?c a ckg:SalaryClaim ; schema:unitText ?unit .
    OPTIONAL { ?c ckg:seniority ?sen } OPTIONAL { ?c ckg:location ?loc }
    OPTIONAL { ?c schema:minValue ?min } OPTIONAL { ?c schema:maxValue ?max } }
}"""

_PREFIXES = """PREFIX ckg: <https://w3id.org/careerkg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""

# Used when bench/queries.py (the researcher queries) is not there.
FALLBACK_QUERIES = {
    "salaries_with_sources": _PREFIXES + """
SELECT ?role ?level ?loc ?min ?max ?unit ?doc ?quote WHERE {
  ?c a ckg:SalaryClaim ; ckg:role ?r ; schema:unitText ?unit ; prov:wasDerivedFrom ?chunk ; nif:anchorOf ?quote .
  ?r skos:prefLabel ?role . ?chunk dcterms:isPartOf ?doc .
  OPTIONAL { ?c ckg:seniority ?level } OPTIONAL { ?c ckg:location ?loc }
  OPTIONAL { ?c schema:minValue ?min } OPTIONAL { ?c schema:maxValue ?max }
} ORDER BY ?role ?level""",
    "employers_city_sector": _PREFIXES + """
SELECT ?org (SAMPLE(?n) AS ?name) (GROUP_CONCAT(DISTINCT ?cityName; separator=", ") AS ?cities)
       (GROUP_CONCAT(DISTINCT ?sectorName; separator=", ") AS ?sectors) WHERE {
  ?org a schema:Organization ; skos:prefLabel ?n .
  OPTIONAL { ?org schema:location ?city . ?city skos:prefLabel ?cityName }
  OPTIONAL { ?org ckg:inSector ?sector . ?sector skos:prefLabel ?sectorName }
} GROUP BY ?org ORDER BY ?name""",
    "median_senior_london": _PREFIXES + """
SELECT ?role (COUNT(?c) AS ?n) (AVG(?min) AS ?avgMin) (AVG(?max) AS ?avgMax) WHERE {
  ?c a ckg:SalaryClaim ; ckg:role ?r ; ckg:seniority ckg:Senior ; ckg:location <https://w3id.org/careerkg/id/city/london> ;
     schema:minValue ?min ; schema:maxValue ?max .
  ?r skos:prefLabel ?role .
} GROUP BY ?role ORDER BY DESC(?n)""",
    "skills_by_role": _PREFIXES + """
SELECT ?role ?skill (COUNT(DISTINCT ?g) AS ?docs) WHERE {
  GRAPH ?g { ?r ckg:requiresSkill ?s }
  ?r skos:prefLabel ?role . ?s skos:prefLabel ?skill .
} GROUP BY ?role ?skill ORDER BY DESC(?docs) LIMIT 200""",
    "transitions": _PREFIXES + """
SELECT ?from ?to (AVG(?lo) AS ?minMonths) (COUNT(*) AS ?n) WHERE {
  ?c a ckg:Claim ; rdf:predicate ckg:transitionsTo ; rdf:subject ?a ; rdf:object ?b .
  OPTIONAL { ?c ckg:minMonths ?lo }
  ?a skos:prefLabel ?from . ?b skos:prefLabel ?to .
} GROUP BY ?from ?to ORDER BY DESC(?n)""",
}


def researcher_queries() -> dict[str, str]:
    """The researcher queries from ``bench/queries.py`` if it defines them, else :data:`FALLBACK_QUERIES`."""
    try:
        import bench.queries as q  # noqa: PLC0415
    except ImportError:
        return dict(FALLBACK_QUERIES)
    for name in ("QUERIES", "RESEARCHER_QUERIES"):
        found = getattr(q, name, None)
        if isinstance(found, dict) and found:
            return {k: (v if isinstance(v, str) else getattr(v, "query", str(v))) for k, v in found.items()}
        if isinstance(found, (list, tuple)) and found:
            out = {}
            for i, v in enumerate(found):
                if isinstance(v, str):
                    out[f"q{i + 1}"] = v
                elif isinstance(v, (list, tuple)) and len(v) == 2:
                    out[str(v[0])] = str(v[1])
                else:
                    out[getattr(v, "name", f"q{i + 1}")] = getattr(v, "query", str(v))
            return out
    return dict(FALLBACK_QUERIES)


def pct(values: list[float], p: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p * (len(v) - 1))))] if v else float("nan")


def du(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.stat(os.path.join(root, f)).st_blocks * 512
            except OSError:
                pass
    return total


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


N_TEMPLATES = 10


def ask_questions(meta: list[dict], n: int) -> list[str]:
    """Template questions over the entities the generated guides mention (deterministic)."""
    import random

    rng = random.Random(11)
    roles = sorted({m["role"] for m in meta})
    cities = sorted({c for m in meta for c in m["cities"]})
    orgs = sorted({o for m in meta for names in m["cities"].values() for o in names})
    skills = sorted({s for m in meta for s in m["skills"]})
    templates = [
        lambda: f"What does a senior {rng.choice(roles)} earn in London?",
        lambda: f"How much do junior {rng.choice(roles).lower()}s earn in {rng.choice(cities)}?",
        lambda: f"What is the day rate for contract {rng.choice(roles).lower()}s?",
        lambda: f"Which companies hire {rng.choice(roles).lower()}s in {rng.choice(cities)}?",
        lambda: f"Where is {rng.choice(orgs)} based?",
        lambda: f"What skills does a {rng.choice(roles)} need?",
        lambda: f"Do employers expect {rng.choice(skills)} experience?",
        lambda: f"How long does it take to move from data science into {rng.choice(roles).lower()} work?",
        lambda: f"What do principal {rng.choice(roles).lower()}s earn outside London?",
        lambda: "What does the interview process look like?",
    ]
    assert len(templates) == N_TEMPLATES
    return [templates[i % len(templates)]() for i in range(n)]


def run_one(n: int, seed: int, asks: int, sparql_rounds: int, keep: Path | None, pairwise: bool = False) -> dict:
    """Generate, ingest and measure one size in this process; returns the figures."""
    from careerkg.api.runtime import Runtime

    tmp = tempfile.TemporaryDirectory(prefix=f"ckg-scale-{n}-")
    base = keep or Path(tmp.name)
    corpus_dir = base / "corpus"
    guides = generate_corpus(n, seed)
    gdir, _ = write_corpus(guides, corpus_dir)
    settings = Settings(data_dir=base / "data")
    t0 = time.perf_counter()
    rt = Runtime(settings)
    pipeline = rt.pipeline
    _ = rt.qa  # model, linker and intent examples loaded before timing the ingest
    open_s = time.perf_counter() - t0
    files = sorted(gdir.iterdir())
    failed, chunks, claims = [], 0, 0
    tenth = max(1, len(files) // 10)
    segments: list[float] = []
    t_seg = t_ing = time.perf_counter()
    for i, f in enumerate(files, 1):
        res = pipeline.ingest_path(f)
        if not res.ok:
            failed.append(f"{f.name}: {res.reason}")
        chunks += res.chunks
        claims += res.claims
        if i % tenth == 0:
            now = time.perf_counter()
            segments.append(tenth / (now - t_seg))
            t_seg = now
    ingest_s = time.perf_counter() - t_ing
    out: dict = {"docs": n, "failed": failed, "open_s": round(open_s, 1), "ingest_s": round(ingest_s, 1),
                 "docs_per_s": round(n / ingest_s, 2), "chunks": chunks, "chunks_per_s": round(chunks / ingest_s, 1),
                 "claims": claims, "docs_per_s_by_tenth": [round(x, 2) for x in segments],
                 "quads": rt.graph.count(), "chunks_in_index": rt.index.count()}
    measure(rt, base, asks, sparql_rounds, out, pairwise=pairwise)
    tmp.cleanup() if keep is None else None
    return out


def measure(rt, base: Path, asks: int, sparql_rounds: int, out: dict, *, pairwise: bool = False) -> dict:
    """Disk sizes, recall, ask and SPARQL latency of an ingested corpus (``base``/corpus, ``base``/data)."""
    settings = rt.settings
    truth_path = base / "corpus" / "truth.jsonl"
    meta = [json.loads(x) for x in (base / "corpus" / "guides.jsonl").read_text().splitlines()]
    rt.graph.store.flush()
    out["disk_mb"] = {"chroma": round(du(settings.chroma_dir) / 1e6, 1), "oxigraph": round(du(settings.graph_dir) / 1e6, 1),
                      "sources+texts": round((du(settings.sources_dir) + du(settings.data_dir / "texts")) / 1e6, 1)}
    # recall of salary claims vs ground truth
    truth = read_truth(truth_path)
    want = {t.key() for t in truth}
    got = set()
    for row in rt.graph.select(SALARY_QUERY):
        doc_id = row["g"].rsplit("/", 1)[-1]
        sen = row["sen"].rsplit("#", 1)[-1] if row["sen"] else None
        got.add((doc_id, sen, row["loc"], row["min"], row["max"], row["unit"]))
    tp = len(want & got)
    out["recall"] = round(tp / len(want), 4) if want else None
    out["precision"] = round(tp / len(got), 4) if got else None
    out["truth_claims"], out["graph_salary_claims"] = len(want), len(got)
    by_form: dict[str, list[int]] = {}
    for t in truth:
        hit = t.key() in got
        by_form.setdefault(t.form, [0, 0])[0] += hit
        by_form[t.form][1] += 1
    out["recall_by_form"] = {k: round(a / b, 4) for k, (a, b) in sorted(by_form.items())}
    out["missed_examples"] = [list(t.key()) for t in truth if t.key() not in got][:5]
    # ask latency (warm)
    qa = rt.qa
    questions = ask_questions(meta, asks)
    t = time.perf_counter()
    qa.ask(questions[0])  # first ask after ingest builds the BM25 corpus
    out["first_ask_ms"] = round((time.perf_counter() - t) * 1000, 1)
    for q in questions[:10]:
        qa.ask(q)
    lat, abstained, stages, by_template = [], 0, {}, {}
    for i, q in enumerate(questions):
        t = time.perf_counter()
        a = qa.ask(q)
        ms = (time.perf_counter() - t) * 1000
        lat.append(ms)
        by_template.setdefault(i % N_TEMPLATES, []).append(ms)
        abstained += a.abstained
        for k, v in a.timings_ms.items():
            stages.setdefault(k, []).append(v)
    out["ask_ms"] = {"n": len(lat), "p50": round(statistics.median(lat), 1), "p95": round(pct(lat, 0.95), 1),
                     "max": round(max(lat), 1), "abstained": abstained,
                     "stage_p50": {k: round(statistics.median(v), 1) for k, v in stages.items()},
                     "by_template_p50_max": {questions[k]: [round(statistics.median(v), 1), round(max(v), 1)]
                                             for k, v in sorted(by_template.items())}}
    # SPARQL latency: each query in a child on a read-only view of the store, stopped at a hard limit
    rt.graph.store.flush()
    queries = researcher_queries()
    out["sparql_ms"] = {name: sparql_timings(settings.graph_dir, query, sparql_rounds, settings.sparql_row_limit)
                        for name, query in queries.items()}
    if "conflicts" in queries:  # "every conflict with both sources": all rows, not just the endpoint's cap
        out["sparql_ms"]["conflicts (all rows)"] = sparql_timings(settings.graph_dir, queries["conflicts"],
                                                                  sparql_rounds, None)
        out["conflict_nodes"] = int(rt.graph.select(
            "SELECT (COUNT(?k) AS ?n) WHERE { ?k a ckg:Conflict }")[0]["n"])
    if pairwise:  # what the materialised nodes replaced (quadratic; stopped at SPARQL_HARD_LIMIT_S)
        from careerkg.graph.queries import CONFLICTS_PAIRWISE

        out["sparql_ms"]["conflicts_pairwise (before)"] = sparql_timings(settings.graph_dir, CONFLICTS_PAIRWISE,
                                                                         sparql_rounds, settings.sparql_row_limit)
    out["peak_rss_mb"] = round(peak_rss_mb(), 0)
    return out


SPARQL_BUDGET_S = 20.0  # stop repeating a query after this much time (at least one run)
SPARQL_HARD_LIMIT_S = 180.0  # a single run longer than this is stopped and reported as such


def sparql_timings(graph_dir: Path, query: str, rounds: int, row_limit: int | None) -> dict:
    """p50/p95 of a query over ``rounds`` runs (fewer when slow), measured in a child process
    (``row_limit`` None: every row)."""
    job = json.dumps({"dir": str(graph_dir), "query": query, "rounds": rounds, "row_limit": row_limit})
    try:
        proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--sparql-child"], input=job,
                              capture_output=True, text=True, timeout=SPARQL_HARD_LIMIT_S + 30)
    except subprocess.TimeoutExpired:
        return {"p50": None, "p95": None, "rows": None, "runs": 0, "stopped_after_s": SPARQL_HARD_LIMIT_S + 30}
    line = next((x for x in proc.stdout.splitlines() if x.startswith("{")), None)
    if proc.returncode or line is None:
        return {"p50": None, "p95": None, "rows": None, "runs": 0, "error": proc.stderr[-500:]}
    times, rows = json.loads(line)["times"], json.loads(line)["rows"]
    return {"p50": round(statistics.median(times), 1), "p95": round(pct(times, 0.95), 1), "rows": rows,
            "runs": len(times)}


def _sparql_child() -> int:
    from careerkg.graph.store import OxigraphStore

    job = json.loads(sys.stdin.read())
    store = OxigraphStore(Path(job["dir"]), read_only=True)
    times, rows, t_all = [], 0, time.perf_counter()
    for _ in range(job["rounds"]):
        t = time.perf_counter()
        res = store.raw_query(job["query"], "application/sparql-results+json", row_limit=job["row_limit"])
        times.append((time.perf_counter() - t) * 1000)
        rows = len(json.loads(res.body)["results"]["bindings"]) if res.body.startswith(b"{") else 0
        if time.perf_counter() - t_all > SPARQL_BUDGET_S:
            break
    print(json.dumps({"times": times, "rows": rows}))
    return 0


def report(results: list[dict]) -> None:
    for r in results:
        print(f"\n=== {r['docs']} guides ===")
        if r["failed"]:
            print(f"  FAILED: {len(r['failed'])}: {r['failed'][:3]}")
        print(f"  ingest: {r['ingest_s']} s, {r['docs_per_s']} docs/s, {r['chunks_per_s']} chunks/s "
              f"({r['chunks']} chunks, {r['claims']} claims, {r['quads']} quads); open {r['open_s']} s")
        print(f"  docs/s by tenth of the run: {r['docs_per_s_by_tenth']}")
        print(f"  disk: {r['disk_mb']} MB; peak RSS {r['peak_rss_mb']:.0f} MB")
        a = r["ask_ms"]
        print(f"  ask (warm, in-process, {a['n']} questions): p50 {a['p50']} ms, p95 {a['p95']} ms, max {a['max']} ms; "
              f"first ask after ingest {r['first_ask_ms']} ms; abstained {a['abstained']}; stages p50 {a['stage_p50']}")
        for q, (p50, mx) in a.get("by_template_p50_max", {}).items():
            print(f"    p50 {p50:>7} ms  max {mx:>7} ms  e.g. {q}")
        for name, s in r["sparql_ms"].items():
            print(f"  sparql {name:<28} p50 {s['p50']} ms  p95 {s['p95']} ms  rows {s['rows']}  runs {s['runs']}"
                  + (f"  (stopped after {s['stopped_after_s']} s)" if s.get("stopped_after_s") else "")
                  + (f"  error {s['error']}" if s.get("error") else ""))
        if "conflict_nodes" in r:
            print(f"  ckg:Conflict nodes materialised at ingest: {r['conflict_nodes']}")
        print(f"  salary recall {r['recall']} (by form {r['recall_by_form']}), precision {r['precision']} "
              f"({r['truth_claims']} true, {r['graph_salary_claims']} in graph)")
        if r["missed_examples"]:
            print(f"  missed e.g. {r['missed_examples'][:3]}")
    if len(results) >= 2:
        small, big = results[0], results[-1]
        ratio = big["docs_per_s"] / small["docs_per_s"]
        med_small = statistics.median(small["docs_per_s_by_tenth"])
        med_big = statistics.median(big["docs_per_s_by_tenth"])
        print(f"\ntargets at {big['docs']} guides:")
        print(f"  ask p95 {big['ask_ms']['p95']} ms (target <= 150): {'OK' if big['ask_ms']['p95'] <= 150 else 'MISSED'}")
        print(f"  ingest {big['docs_per_s']} vs {small['docs_per_s']} docs/s = {ratio:.2f}x (target >= 0.80): "
              f"{'OK' if ratio >= 0.8 else 'MISSED'}; median tenth {med_big:.2f} vs {med_small:.2f} docs/s = "
              f"{med_big / med_small:.2f}x (less sensitive to other load on the machine)")
        print(f"  recall {big['recall']} (target >= 0.95): {'OK' if (big['recall'] or 0) >= 0.95 else 'MISSED'}")
    for r in results:
        c = r["sparql_ms"].get("conflicts (all rows)")
        if c and c.get("p95") is not None:
            verdict = ("OK" if c["p95"] <= 1000 else "MISSED") if r["docs"] >= 1000 else "the target is at 1,000"
            print(f"  {r['docs']} guides: every conflict with both sources p95 {c['p95']} ms, {c['rows']} rows "
                  f"(target <= 1000 ms at 1,000 guides): {verdict}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    ap.add_argument("--quick", action="store_true", help="sizes 20 and 100")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--asks", type=int, default=100, help="timed ask calls per size")
    ap.add_argument("--sparql-rounds", type=int, default=20)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--pairwise", action="store_true",
                    help="also time the pairwise conflicts self-join (before issue 13; minutes at 1,000 guides)")
    ap.add_argument("--keep", type=Path, help="keep corpora and data dirs under this folder")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child: measure one size, print JSON
    ap.add_argument("--sparql-child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--measure", type=Path, help="only measure a size kept by --keep (e.g. KEEP/1000): "
                                                  "recall, disk, ask and SPARQL, no ingest")
    a = ap.parse_args(argv)
    if a.sparql_child:
        return _sparql_child()
    if a.measure:
        from careerkg.api.runtime import Runtime

        rt = Runtime(Settings(data_dir=a.measure / "data"))
        n = len(rt.pipeline.manifest.docs)
        r = measure(rt, a.measure, a.asks, a.sparql_rounds, pairwise=a.pairwise,
                    out={"docs": n, "failed": [], "ingest_s": None, "docs_per_s": None, "chunks_per_s": None,
                         "chunks": rt.index.count(), "claims": None, "quads": rt.graph.count(), "open_s": None,
                         "docs_per_s_by_tenth": []})
        report([r])
        if a.json:
            a.json.write_text(json.dumps({"machine": machine(), "results": [r]}, indent=1))
        return 0
    if a.one:
        keep = (a.keep / str(a.one)) if a.keep else None
        r = run_one(a.one, a.seed, a.asks, a.sparql_rounds, keep, a.pairwise)
        print("RESULT " + json.dumps(r))
        return 0
    sizes = [20, 100] if a.quick else a.sizes
    results = []
    for n in sizes:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--one", str(n), "--seed", str(a.seed),
               "--asks", str(a.asks), "--sparql-rounds", str(a.sparql_rounds)]
        if a.keep:
            cmd += ["--keep", str(a.keep)]
        if a.pairwise:
            cmd += ["--pairwise"]
        print(f"running {n} guides ...", flush=True)
        proc = subprocess.run(cmd, capture_output=True, text=True)
        line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
        if proc.returncode or line is None:
            sys.stderr.write(proc.stderr[-4000:])
            print(f"size {n} failed (exit {proc.returncode})")
            return 1
        r = json.loads(line[7:])
        results.append(r)
        report([r])
    report(results) if len(results) > 1 else None
    if a.json:
        a.json.write_text(json.dumps({"machine": machine(), "results": results}, indent=1))
    return 0


def machine() -> dict:
    import platform

    import psutil

    return {"cpus": os.cpu_count(), "ram_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform()}


if __name__ == "__main__":
    raise SystemExit(main())
