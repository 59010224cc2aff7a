"""Named constants and small read helpers shared by the test suites.

Import it as ``import ckg_testdata`` (``tests/`` is on ``sys.path`` because it holds the
root ``conftest.py``). Nothing here writes to a store.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from careerkg.graph.vocab import ID_BASE, graph_iri

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = ROOT / "seeds"
DATA_DIR = Path(__file__).resolve().parent / "data"

SEED_FILES = sorted(SEEDS_DIR.glob("*.txt"))
SEED_IDS = [p.stem for p in SEED_FILES]
CAREER_GUIDE = "ml-engineer-jobs-uk-2026-career-guide"

# synthetic fixtures (see tests/data/README.md)
FIXTURE_TXT = DATA_DIR / "fintech-ml-roles.txt"
FIXTURE_MD = DATA_DIR / "healthcare-ml-notes.md"
FIXTURE_HTML = DATA_DIR / "autonomy-ml-jobs.html"
FIXTURE_HTML_UNTITLED = DATA_DIR / "untitled-page.html"
FIXTURE_NO_ENTITIES = DATA_DIR / "no-entities.txt"
FIXTURES = [FIXTURE_TXT, FIXTURE_MD, FIXTURE_HTML, FIXTURE_HTML_UNTITLED, FIXTURE_NO_ENTITIES]

# IRIs used across tests
DOC = ID_BASE + "doc/"
ROLE_MLE = ID_BASE + "role/machine-learning-engineer"
ROLE_DATA_SCIENTIST = ID_BASE + "role/data-scientist"
ORG_DARKTRACE = ID_BASE + "org/darktrace"
ORG_FEATURESPACE = ID_BASE + "org/featurespace"
CITY_LONDON = ID_BASE + "city/london"
CITY_CAMBRIDGE = ID_BASE + "city/cambridge"


def doc_iri(doc_id: str) -> str:
    return DOC + doc_id


def chunk_ids(index, doc_id: str) -> list[str]:
    """Sorted ids of every chunk of ``doc_id`` in the vector index (any version)."""
    return sorted(index.collection.get(where={"doc_id": doc_id}, include=[])["ids"])


def chunk_records(index, doc_id: str) -> dict[str, tuple[str, dict]]:
    """chunk id -> (text, metadata) for every chunk of ``doc_id`` in the vector index."""
    res = index.collection.get(where={"doc_id": doc_id}, include=["documents", "metadatas"])
    return {cid: (text, meta) for cid, text, meta in zip(res["ids"], res["documents"], res["metadatas"])}


def graph_triples(store, graph: str) -> set[tuple[str, str, str]]:
    """Every triple of one named graph (as N-Triples term strings)."""
    g = ox.NamedNode(graph)
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in store.store.quads_for_pattern(None, None, None, g)}


def doc_triples(store, doc_id: str) -> set[tuple[str, str, str]]:
    return graph_triples(store, graph_iri(doc_id))


def quads_mentioning(store, needle: str) -> list[str]:
    """Every quad (as a string) with a term whose text contains ``needle``."""
    return [str(q) for q in store.store if needle in str(q)]
