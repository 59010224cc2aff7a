"""Statistic claims (ckg:StatisticClaim): figures, units, what they measure, periods, RDF."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from careerkg.model import Document, sha256_text
from careerkg.graph.rdf import document_quads
from careerkg.graph.vocab import CKG, NIF, SCHEMA
from careerkg.ingest.chunk import chunk_text
from careerkg.ingest.extract import Extractor
from careerkg.ingest.statistics import figures


def stats(extractor, text):
    doc = Document("s", "s", text, sha256_text(text), "s.txt", "text/plain")
    chunks = chunk_text("s", text)
    ex = extractor.extract(doc, chunks)
    return doc, chunks, ex, [c for c in ex.claims if c.kind == "statistic"]


@pytest.fixture(scope="module")
def extractor(shared_linker) -> Extractor:
    return Extractor(shared_linker)


@pytest.mark.parametrize("text, expected", [
    ("1,234 permanent job ads cited Python in the six months to March 2026", [(1234, None, "COUNT")]),
    ("London had 3,400 AI job openings in 2025", [(3400, None, "COUNT")]),
    ("42% of ML engineers come from data science", [(42, None, "PERCENT")]),
    ("demand fell (-47%) while pay rose 15 per cent", [(-47, None, "PERCENT"), (15, None, "PERCENT")]),
    ("The apprenticeship typically takes 24 months; the screen lasts 30 minutes.", [(24, None, "MONTH"),
                                                                                   (30, None, "MINUTE")]),
    ("most candidates have 3 to 4 good offers and 1.2m people work in tech", [(3, 4, "COUNT"),
                                                                             (1_200_000, None, "COUNT")]),
    ("postings rose from 1,213 to 6,699", [(1213, None, "COUNT"), (6699, None, "COUNT")]),
])
def test_figures(text, expected):
    assert [(v, hi, u) for v, hi, u, _ in figures(text, count_context=True)] == expected


@pytest.mark.parametrize("text", [
    "Published 28 January 2026, updated in 2025.",
    "1. Executive summary",
    "Level 4 apprenticeship, SOC 2134, see Figure 1.1",
    "Junior: 0–2 years of experience; Staff: 8+ years",
    "salary data from 18 months ago",
    "It covers the 6 months to 29 December 2025.",
    "£99999999999999 and 1e309 and 99999999999999999999999999%",
])
def test_not_statistics(text):
    assert figures(text, count_context=True) == []


def test_statistic_claims_with_provenance_and_rdf(extractor):
    text = ("UK machine learning jobs\n\nIn London, 1,008 permanent job ads cited machine learning engineers in the "
            "six months to 29 December 2025, 7.35% of all jobs. The median salary of ML engineers is £90,000.\n\n"
            "6 months to\n29 Dec 2025\nSame period 2024 Same period 2023\nRank 26 59 82\n"
            "Permanent jobs citing Python 1,008 720 654\n")
    doc, chunks, ex, got = stats(extractor, text)
    by_value = {(c.value, c.unit): c for c in got if c.extractor == "sentence"}
    ads = by_value[(1008, "COUNT")]
    assert ads.location.endswith("/city/london") and "permanent job ads" in ads.measures
    assert ads.period and "29 December 2025" in ads.period and ads.extractor == "sentence"
    assert (7.35, "PERCENT") in by_value
    assert (90000, "GBP") not in by_value  # a salary, not a statistic
    assert any(c.subject.endswith("/role/machine-learning-engineer") for c in got if c.value == 1008)
    rank = [c for c in got if c.unit == "RANK"]
    assert [(c.value, c.period) for c in rank] == [(26, "6 months to 29 Dec 2025"), (59, "Same period 2024"),
                                                   (82, "Same period 2023")]
    python = [c for c in got if c.extractor == "table" and c.unit == "COUNT"]
    assert [c.value for c in python] == [1008, 720, 654] and all("Python" in c.measures for c in python)
    for c in got:
        assert doc.text[c.start:c.end] == c.evidence and c.chunk_id
    store = ox.Store()
    store.extend(document_quads(doc, 1, chunks, ex))
    rows = list(store.query(
        f"SELECT ?c ?v ?u ?m ?b ?e ?a WHERE {{ ?c a <{CKG.StatisticClaim}>, <{SCHEMA.Observation}> ; "
        f"<{SCHEMA.value}> ?v ; <{SCHEMA.unitText}> ?u ; <{CKG.measures}> ?m ; <{NIF.beginIndex}> ?b ; "
        f"<{NIF.endIndex}> ?e ; <{NIF.anchorOf}> ?a ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?ch ; "
        f"<{CKG.extractor}> ?x FILTER(isLiteral(?m)) }}"))
    assert len(rows) == len(got)
    for r in rows:
        assert doc.text[int(r["b"].value):int(r["e"].value)] == r["a"].value


def test_cards_give_counts_and_percentages(extractor):
    text = "Machine learning engineer skills\n\n9\nEssential Skills\n8\nDesirable Skills\n\nPython\nEssential\n92%\n"
    _, _, _, got = stats(extractor, text)
    assert {(c.value, c.unit, c.measures) for c in got} == {(9, "COUNT", "Essential Skills"),
                                                              (8, "COUNT", "Desirable Skills"),
                                                              (92, "PERCENT", "Essential")}
