"""Extraction stays linear and sane on hostile guides: a 10,000-row table, a 1 MB line without
punctuation, a guide that is one giant list, absurd numbers (issue 10, "Bad input").

Times are generous bounds for a busy 2-core machine; the linearity check compares a size with
twice that size (linear ~2x, quadratic ~4x)."""

from __future__ import annotations

import time

import pytest

from careerkg.model import Document, sha256_text
from careerkg.ingest.chunk import chunk_text
from careerkg.ingest.extract import Extractor

pytestmark = pytest.mark.slow


def table(rows: int) -> str:
    return ("Machine learning engineer salaries in the UK\n\n| Level | London | Share |\n|---|---|---|\n"
            + "".join(f"| Senior ML engineer {i} | £{50 + i % 50},000 – £{90 + i % 50},000 | {i % 90}% |\n"
                      for i in range(rows)))


def giant_list(items: int) -> str:
    return "ML engineer skills\n" + "".join(f"- Tool{i} experience with Widget{i}: £{i % 90 + 10},000 a year\n"
                                            for i in range(items))


def one_line(chars: int) -> str:
    word = "machine learning engineer salary London Python £50000 2345 jobs 12 percent "
    return "ML engineer pay\n" + (word * (chars // len(word) + 1))[:chars]


@pytest.fixture(scope="module")
def extractor(shared_linker) -> Extractor:
    return Extractor(shared_linker)


def run(extractor, text: str):
    doc = Document("hostile", "hostile", text, sha256_text(text), "hostile.txt", "text/plain")
    chunks = chunk_text("hostile", text)
    t0 = time.perf_counter()
    ex = extractor.extract(doc, chunks)
    return ex, time.perf_counter() - t0, doc


def sane(ex, doc) -> None:
    for c in ex.claims:
        assert doc.text[c.start:c.end] == c.evidence
        if c.kind == "salary":
            assert all(v is None or 100 <= v < 1_000_000 for v in (c.min_value, c.max_value))
        if c.kind == "statistic":
            assert abs(c.value) < 1e13


@pytest.mark.parametrize("make, n", [(table, 600), (giant_list, 600), (one_line, 30_000)])
def test_extraction_time_grows_linearly(extractor, make, n):
    run(extractor, make(n // 4))  # warm-up
    _, small, _ = run(extractor, make(n))
    ex, large, doc = run(extractor, make(2 * n))
    sane(ex, doc)
    assert large / max(small, 0.05) < 3.3, (make.__name__, small, large)


def test_ten_thousand_row_table(extractor):
    ex, seconds, doc = run(extractor, table(10_000))
    sane(ex, doc)
    assert seconds < 400
    assert len([c for c in ex.claims if c.kind == "salary"]) >= 10_000


def test_one_megabyte_line_without_punctuation(extractor):
    ex, seconds, doc = run(extractor, one_line(1_000_000))
    sane(ex, doc)
    assert seconds < 600


def test_absurd_numbers_extract_nothing_absurd(extractor):
    text = ("ML engineers earn £99999999999999 a year, 1e309 of them, in 99999999999999999999 roles; "
            "demand grew 1" + "0" * 400 + "% and £" + "9" * 400 + " was paid.\n| Senior | £-5 – £1,000,000,000 |\n")
    ex, _, doc = run(extractor, text)
    sane(ex, doc)
