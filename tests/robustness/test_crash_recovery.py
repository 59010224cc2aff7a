"""Crash recovery under real SIGKILLs (issue 6, item 4).

A child process (``crash_child.py``) re-ingests changed guides and kills itself with
SIGKILL at an exact point of the commit — after the write-ahead note, exactly between
the vector write and the graph write, after the graph switch, after the manifest switch,
after the old chunks are gone, in the middle of the second document — or the test kills
it at a random moment while it re-ingests in a loop. Each crashed data dir is then
reopened (Runtime -> pipeline -> repair) and must be consistent:

- for every document, the manifest, its chunks in Chroma (metadata sha256 and ids) and
  its named graph (``ckg:sha256``, ``ckg:version``, chunk nodes) are of one version, and
  that version is the one the crash point implies (old before the switch, new after);
- no orphan: no chunk, named graph, quad in the default graph, or kept source/text file
  belongs to anything but a current document version; no pending note is left;
- the old version still answers (ask cites the old figure, and every quote is the text);
- ``careerkg rebuild`` restores everything from the kept sources, even with both stores gone;
- history (issue 15) is consistent too: the manifest's kept versions, the version graphs of the
  versions store (each of its version, with its ``prov:`` times) and the kept texts name the same
  versions, every kept claim's span indexes its version's text, and the history the crash point
  implies is there (none before the switch, the superseded version after it, pruned versions gone).

The children are forked (two at a time) from one server process that pays the ~5-10 s of
imports once; each child opens its own stores and model, ingests, and is killed for real.
"""

from __future__ import annotations

import gc
import json
import random
import shutil
import signal
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

import ckg_testdata as td
from careerkg.graph.vocab import GAZETTEER_GRAPH, GRAPH_BASE, ONTOLOGY_GRAPH, graph_iri
from careerkg.ingest.history import version_graph
from careerkg.ingest.chunk import chunk_text
from careerkg.ingest.load import load_path

pytestmark = pytest.mark.slow

CHILD = Path(__file__).with_name("crash_child.py")
PY = sys.executable
FIGURES = {1: ("£95,000", "£140,000"), 2: ("£97,000", "£145,000"), 3: ("£99,000", "£150,000")}
DOCS = ["fintech-ml-roles", "healthcare-ml-notes", "autonomy-ml-jobs"]
NEW_DOC = "leeds-ml-jobs"
QUESTION = "What does a senior ML engineer earn in London?"


# ------------------------------------------------------------------------------ fixtures

def _variant(src: Path, v: int) -> bytes:
    """Version ``v`` of a fixture guide: the fintech salary figures change, every file gets an edition line."""
    text = src.read_text("utf-8")
    if v == 1:
        return text.encode()
    lo, hi = FIGURES[v]
    text = text.replace("£95,000 and £140,000", f"{lo} and {hi}")
    note = f"Edition {v}: figures checked again for this edition."
    if src.suffix == ".html":
        text = text.replace("</body>", f"<p>{note}</p>\n</body>")
    else:
        text = text.rstrip("\n") + f"\n{note}\n"
    return text.encode()


def _run_jobs(jobs: list[dict]) -> dict[str, dict]:
    """Run jobs through the fork server (crash_child.py); returns name -> result."""
    proc = subprocess.run([PY, str(CHILD)], input="".join(json.dumps(j) + "\n" for j in jobs),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = {}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            r = json.loads(line)
            results[r["name"]] = r
    assert set(results) == {j["name"] for j in jobs}, proc.stderr[-3000:]
    return results


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Variant files, the shas of every version, a base data dir with v1 of three guides, and every crash.

    Returns a dict: ``root``, ``variants``, ``shas`` (doc_id -> {sha256: version}), ``base``,
    ``results`` (job name -> fork-server result; each job's data dir is ``root/<name>``).
    """
    root = tmp_path_factory.mktemp("crash")
    variants = root / "variants"
    shas: dict[str, dict[str, int]] = {}
    sources = [td.FIXTURE_TXT, td.FIXTURE_MD, td.FIXTURE_HTML]
    for v in (1, 2, 3):
        (variants / f"v{v}").mkdir(parents=True)
        for src in sources:
            f = variants / f"v{v}" / src.name
            f.write_bytes(_variant(src, v))
            doc = load_path(f)
            shas.setdefault(doc.doc_id, {})[doc.sha256] = v
    assert all(len(s) == 3 for s in shas.values()), "every version must have its own text"
    new_doc = root / "new" / (NEW_DOC + ".md")
    new_doc.parent.mkdir()
    shutil.copy(td.DATA_DIR / (NEW_DOC + ".md"), new_doc)
    base = root / "base"
    in_order = [str(variants / "v2" / s.name) for s in sources]  # fintech first, then healthcare, autonomy
    jobs = [{"name": "base", "data_dir": str(base), "mode": "ingest", "spec": "none",
             "args": [str(variants / "v1" / s.name) for s in sources]}]
    fintech = [str(variants / f"v{v}" / td.FIXTURE_TXT.name) for v in (2, 3)]
    for name, mode, spec, what, _ in SCENARIOS:
        args = [what] if mode == "remove" else [str(new_doc)] if what == "new" else fintech if what == V23 \
            else in_order
        job = {"name": name, "data_dir": str(root / name), "copy_from": str(base), "mode": mode, "spec": spec,
               "args": args, **JOB_EXTRAS.get(name, {})}
        jobs.append(job)
    rng = random.Random(20261122)
    for i in range(RANDOM_KILLS):
        jobs.append({"name": f"random-{i}", "data_dir": str(root / f"random-{i}"), "copy_from": str(base),
                     "mode": "loop", "args": [str(variants)], "delay": round(rng.uniform(0.3, 3.0), 2)})
    jobs[1]["barrier"] = True
    results = _run_jobs(jobs)
    b = results["base"]
    assert b["exit"] == 0, "\n".join(b["lines"])
    assert [json.loads(x)["status"] for x in b["lines"] if x.startswith("{")] == ["added"] * 3
    return {"root": root, "variants": variants, "shas": shas, "base": base, "results": results}


# ------------------------------------------------------------------------------ checks

def consistency_problems(rt, shas: dict[str, dict[str, int]]) -> list[str]:
    """Everything that disagrees between manifest, Chroma, Oxigraph and the kept files (empty = consistent)."""
    p, problems = rt.pipeline, []
    m = p.manifest
    if m.pending:
        problems.append(f"pending notes left: {sorted(m.pending)}")
    res = rt.index.collection.get(include=["metadatas"])
    chunks: dict[str, dict[str, str]] = {}
    for cid, meta in zip(res["ids"], res["metadatas"]):
        chunks.setdefault(meta["doc_id"], {})[cid] = meta["sha256"]
    graphs = set(rt.graph.graph_names())
    for doc_id in set(chunks) - set(m.docs):
        problems.append(f"{doc_id}: {len(chunks[doc_id])} orphan chunks (not in the manifest)")
    for g in graphs - {ONTOLOGY_GRAPH, GAZETTEER_GRAPH}:
        if not g.startswith(GRAPH_BASE) or g[len(GRAPH_BASE):] not in m.docs:
            problems.append(f"orphan named graph {g}")
    default = list(rt.graph.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    if default:
        problems.append(f"{len(default)} quads in the default graph")
    for doc_id, rec in m.docs.items():
        if rec.sha256 not in shas.get(doc_id, {}):
            problems.append(f"{doc_id}: manifest names an unknown version {rec.sha256[:8]}")
        text = p.text(doc_id)
        want = {c.chunk_id for c in chunk_text(doc_id, text, sha256=rec.sha256, sentences=p.settings.chunk_sentences,
                                               overlap=p.settings.chunk_overlap, max_chars=p.settings.chunk_max_chars)}
        have = chunks.get(doc_id, {})
        if set(have) != want:
            problems.append(f"{doc_id}: chunk ids {len(set(have) - want)} extra, {len(want - set(have))} missing")
        if {s for s in have.values()} - {rec.sha256}:
            problems.append(f"{doc_id}: chunks of another version in Chroma")
        if len(want) != rec.chunks:
            problems.append(f"{doc_id}: manifest says {rec.chunks} chunks, text gives {len(want)}")
        g = graph_iri(doc_id)
        rows = rt.graph.select(f"SELECT ?sha ?v WHERE {{ GRAPH <{g}> {{ ?d ckg:sha256 ?sha ; ckg:version ?v }} }}")
        if [(r["sha"], int(r["v"])) for r in rows] != [(rec.sha256, rec.version)]:
            problems.append(f"{doc_id}: graph has {[(str(r['sha'])[:8], r['v']) for r in rows]}, manifest "
                            f"{rec.sha256[:8]} v{rec.version}")
        graph_chunks = {r["c"].rsplit("/", 1)[-1] for r in rt.graph.select(
            f"SELECT ?c WHERE {{ GRAPH <{g}> {{ ?c a ckg:Chunk }} }}")}
        if graph_chunks != want:
            problems.append(f"{doc_id}: graph chunk nodes differ from the current chunks")
    for sub in ("sources", "texts"):
        folder = p.data_dir / sub
        for d in sorted(folder.iterdir()) if folder.is_dir() else ():
            rec = m.docs.get(d.name)
            keep = tuple(({rec.sha256} if rec else set()) | {h.sha256 for h in m.history.get(d.name, [])})
            for f in sorted(d.iterdir()):
                if not keep or not f.name.startswith(keep) or f.name.endswith(".tmp"):
                    problems.append(f"orphan file {sub}/{d.name}/{f.name}")
            if rec is not None and not (p.data_dir / (rec.source_file if sub == "sources" else rec.text_file)).is_file():
                problems.append(f"{d.name}: kept {sub[:-1]} file missing")
    for f in p.data_dir.glob(".manifest-*"):
        problems.append(f"orphan manifest temp file {f.name}")
    return problems + history_problems(rt, shas)


def _when(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def history_problems(rt, shas: dict[str, dict[str, int]]) -> list[str]:
    """Everything that disagrees between the manifest's kept versions, the versions store and the kept texts."""
    p, problems = rt.pipeline, []
    m = p.manifest
    has_store = p.settings.versions_dir.is_dir()
    if not has_store:
        return [f"{d}: {len(hs)} kept versions but no versions store" for d, hs in m.history.items() if hs]
    store = p.history.store
    wanted = {version_graph(d, h.version): (d, h) for d, hs in m.history.items() for h in hs}
    have = set(store.graph_names())
    problems += [f"orphan version graph {g}" for g in sorted(have - set(wanted))]
    problems += [f"kept version without its graph {g}" for g in sorted(set(wanted) - have)]
    for d, hs in m.history.items():
        versions = [h.version for h in hs]
        if versions != sorted(set(versions)):
            problems.append(f"{d}: kept versions out of order {versions}")
        if d in m.docs and versions and versions[-1] >= m.docs[d].version:
            problems.append(f"{d}: a kept version {versions[-1]} is not older than the current one")
        if len(hs) > p.settings.history_versions:
            problems.append(f"{d}: {len(hs)} kept versions, more than {p.settings.history_versions}")
    for g, (d, h) in sorted(wanted.items()):
        if h.sha256 not in shas.get(d, {}):
            problems.append(f"{g}: names an unknown text {h.sha256[:8]}")
        try:
            text = (p.data_dir / h.text_file).read_text("utf-8")
        except OSError:
            problems.append(f"{g}: kept text missing")
            continue
        if not (p.data_dir / h.source_file).is_file():
            problems.append(f"{g}: kept source missing")
        quads = list(store.store.quads_for_pattern(None, None, None, ox.NamedNode(g)))
        by_node: dict = {}
        for q in quads:
            by_node.setdefault(q.subject, {})[q.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]] = q.object.value
        doc = by_node.get(ox.NamedNode(td.doc_iri(d)), {})
        if (doc.get("sha256"), doc.get("version")) != (h.sha256, str(h.version)):
            problems.append(f"{g}: graph of {str(doc.get('sha256'))[:8]} v{doc.get('version')}, manifest "
                            f"{h.sha256[:8]} v{h.version}")
        meta = by_node.get(ox.NamedNode(g), {})
        if "invalidatedAtTime" not in meta or _when(meta["invalidatedAtTime"]) != _when(h.invalidated_at) \
                or _when(meta.get("generatedAtTime", "1970-01-01T00:00:00Z")) != _when(h.generated_at):
            problems.append(f"{g}: prov times {meta} disagree with the manifest")
        spans = [(int(v["beginIndex"]), int(v["endIndex"]), v["anchorOf"]) for v in by_node.values()
                 if "anchorOf" in v and "beginIndex" in v]
        if not spans or any(text[a:b] != quote for a, b, quote in spans):
            problems.append(f"{g}: kept claims do not index the kept text")
    return problems


def kept_versions(rt) -> dict[str, list[int]]:
    return {d: [h.version for h in hs] for d, hs in rt.pipeline.manifest.history.items()}


def versions(rt, shas) -> dict[str, int]:
    return {d: shas[d].get(r.sha256, -1) for d, r in rt.pipeline.manifest.docs.items()}


def snapshot(rt) -> dict:
    """Chunk ids and graph triples per document, and every materialised conflict with its triples (to compare
    before/after a rebuild). Which guide's graph holds a conflict depends on the order the guides were written
    in (a rebuild writes them in id order), not on what they say, so conflicts are compared as one set."""
    out: dict = {}
    conflicts: set = set()
    for d in rt.pipeline.manifest.docs:
        triples = td.doc_triples(rt.graph, d)
        held = {t for t in triples if "/id/conflict/" in t[0]}
        conflicts |= held
        out[d] = (td.chunk_ids(rt.index, d), triples - held)
    # a node about a claim a re-ingest replaced is left in place and counts for nothing (graph/conflicts.py):
    # the live conflicts are those whose claims are all current
    claims = {s for _, (_, triples) in out.items() for s, _, _ in triples}
    between = "<https://w3id.org/careerkg/ontology#between>"
    dead = {s for s, p, o in conflicts if p == between and o not in claims}
    out[" conflicts"] = {t for t in conflicts if t[0] not in dead}
    return out


def check_answers_current_version(rt, shas) -> None:
    """The fintech figure in answers is the current version's; every quote is the current text."""
    v = versions(rt, shas).get("fintech-ml-roles")
    a = rt.qa.ask(QUESTION)
    for c in a.citations:
        assert rt.pipeline.text(c.doc_id)[c.start:c.end] == c.quote
    if v is None:
        assert all(c.doc_id != "fintech-ml-roles" for c in a.citations)
        return
    fintech = [c.quote for c in a.citations if c.doc_id == "fintech-ml-roles"]
    if not fintech:  # the composer chose other guides: the retrieved fintech passage must still be current
        u = rt.qa.understanding.understand(QUESTION, rt.embedder.encode_one(QUESTION))
        passages = rt.qa.retriever.retrieve(QUESTION, rt.embedder.encode_one(QUESTION),
                                            entity_iris=[m.entity.iri for m in u.mentions], k=20)
        fintech = [p.text for p in passages if p.doc_id == "fintech-ml-roles"]
    assert fintech, f"fintech-ml-roles neither cited nor retrieved for {QUESTION!r}: {a.answer!r}"
    assert any(FIGURES[v][0] in q for q in fintech), (v, fintech)
    others = [FIGURES[o][0] for o in FIGURES if o != v]
    assert not any(f in a.answer for f in others), (v, a.answer)


# ------------------------------------------------------------------------------ scenarios

# (name, mode, spec, files-or-doc, expected versions after recovery; None = document absent)
V2 = "v2"
V23 = "fintech v2 then v3"
# in a re-ingest the first OxigraphStore.replace_graph is the superseded version's copy into the versions
# store, the second the switch of the current graph
SCENARIOS = [
    ("after-write-ahead-note", "ingest", "after:Manifest.save:1", V2, {"fintech-ml-roles": 1}),
    ("between-vector-and-graph", "ingest", "after:ChromaIndex.add:1", V2, {"fintech-ml-roles": 1}),
    ("after-history-graph", "ingest", "after:OxigraphStore.replace_graph:1", V2, {"fintech-ml-roles": 1}),
    ("after-graph-switch", "ingest", "after:OxigraphStore.replace_graph:2", V2, {"fintech-ml-roles": 1}),
    ("after-manifest-switch", "ingest", "after:Manifest.save:2", V2, {"fintech-ml-roles": 2}),
    ("after-old-chunks-deleted", "ingest", "after:ChromaIndex.delete_doc:1", V2, {"fintech-ml-roles": 2}),
    ("second-doc-between-vector-and-graph", "ingest", "after:ChromaIndex.add:2", V2,
     {"fintech-ml-roles": 2, "healthcare-ml-notes": 1}),
    ("new-doc-between-vector-and-graph", "ingest", "after:ChromaIndex.add:1", "new", {NEW_DOC: None}),
    ("remove-after-manifest-switch", "remove", "after:Manifest.save:1", "fintech-ml-roles",
     {"fintech-ml-roles": None}),
    ("remove-keeping-history-after-history-graph", "remove", "after:OxigraphStore.replace_graph:1",
     "fintech-ml-roles", {"fintech-ml-roles": 1}),
    ("remove-keeping-history-after-manifest-switch", "remove", "after:Manifest.save:1", "fintech-ml-roles",
     {"fintech-ml-roles": None}),
    # retention 1: the v3 switch prunes v1; killed before v1's graph and files are gone
    ("prune-after-manifest-switch", "ingest", "after:Manifest.save:4", V23, {"fintech-ml-roles": 3}),
]
JOB_EXTRAS = {"remove-keeping-history-after-history-graph": {"history": "keep"},
              "remove-keeping-history-after-manifest-switch": {"history": "keep"},
              "prune-after-manifest-switch": {"settings": {"history_versions": 1}}}
# the versions each scenario keeps as history after recovery (none where absent)
HISTORY = {"after-manifest-switch": {"fintech-ml-roles": [1]}, "after-old-chunks-deleted": {"fintech-ml-roles": [1]},
           "second-doc-between-vector-and-graph": {"fintech-ml-roles": [1]},
           "remove-keeping-history-after-manifest-switch": {"fintech-ml-roles": [1]},
           "prune-after-manifest-switch": {"fintech-ml-roles": [2]}}
RANDOM_KILLS = 3


@pytest.mark.parametrize("name,mode,spec,what,expected", SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_kill_at_a_precise_point_recovers_consistently(world, runtime_factory, name, mode, spec, what, expected):
    r = world["results"][name]
    assert r["signal"] == signal.SIGKILL, f"child was not killed at {spec}: {r}"
    rt = runtime_factory(str(world["root"] / name), **JOB_EXTRAS.get(name, {}).get("settings", {}))
    assert consistency_problems(rt, world["shas"]) == []  # opening the pipeline ran repair()
    got = versions(rt, world["shas"])
    want = {d: 1 for d in DOCS}
    want.update(expected)
    assert got == {d: v for d, v in want.items() if v is not None}
    assert kept_versions(rt) == HISTORY.get(name, {})
    check_answers_current_version(rt, world["shas"])
    assert rt.pipeline.repair() == [], "a repaired store needs no second repair"


@pytest.mark.parametrize("i", range(RANDOM_KILLS))
def test_kill_at_a_random_moment_recovers_consistently(world, runtime_factory, i):
    r = world["results"][f"random-{i}"]
    assert r["signal"] == signal.SIGKILL, r
    done = [json.loads(x) for x in r["lines"] if x.startswith("{")]
    rt = runtime_factory(str(world["root"] / f"random-{i}"))
    assert consistency_problems(rt, world["shas"]) == []
    got = versions(rt, world["shas"])
    assert set(got) == set(DOCS) and all(v in (1, 2, 3) for v in got.values()), got
    keep = rt.pipeline.settings.history_versions
    for d, rec in rt.pipeline.manifest.docs.items():  # every superseded version kept, up to the retention
        assert kept_versions(rt).get(d, []) == list(range(max(1, rec.version - keep), rec.version)), (d, rec.version)
    check_answers_current_version(rt, world["shas"])
    print(f"random kill {i}: {r.get('delay')} s after READY, {len(done)} ingests completed, versions {got}")


def _rebuild_cli(data_dir: Path, cli_env) -> tuple[int, str]:
    from careerkg.api.cli import app

    cli_env(data_dir)
    result = CliRunner().invoke(app, ["rebuild"])
    gc.collect()
    return result.exit_code, result.output


@pytest.mark.parametrize("name", ["between-vector-and-graph", "random-0"])
def test_rebuild_after_crash_restores_the_same_state(world, runtime_factory, cli_env, name):
    from ckg_runtime import close_runtime

    data_dir = world["root"] / name
    rt = runtime_factory(str(data_dir))
    before = snapshot(rt)
    close_runtime(rt)
    code, output = _rebuild_cli(data_dir, cli_env)
    assert code == 0, output
    rt = runtime_factory(str(data_dir))
    assert consistency_problems(rt, world["shas"]) == []
    assert snapshot(rt) == before


def test_rebuild_restores_everything_when_both_stores_are_lost(world, runtime_factory, cli_env):
    from ckg_runtime import close_runtime

    src = world["root"] / "after-manifest-switch"
    data_dir = world["root"] / "disaster"
    rt = runtime_factory(str(src))
    before = snapshot(rt)
    close_runtime(rt)
    shutil.copytree(src, data_dir)
    shutil.rmtree(data_dir / "chroma")
    shutil.rmtree(data_dir / "oxigraph")
    code, output = _rebuild_cli(data_dir, cli_env)
    assert code == 0, output
    rt = runtime_factory(str(data_dir))
    assert consistency_problems(rt, world["shas"]) == []
    assert snapshot(rt) == before
    check_answers_current_version(rt, world["shas"])


def test_base_state_is_consistent(world, runtime_factory):
    shutil.copytree(world["base"], world["root"] / "base-copy")
    rt = runtime_factory(str(world["root"] / "base-copy"))
    assert consistency_problems(rt, world["shas"]) == []
    assert versions(rt, world["shas"]) == {d: 1 for d in DOCS}
    check_answers_current_version(rt, world["shas"])
