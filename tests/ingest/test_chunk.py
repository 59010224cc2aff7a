"""Sentence-aware chunking: exact offsets, tables and list items whole, stable ids."""

from __future__ import annotations

import re

import pytest

import ckg_testdata as td
from careerkg.ingest.chunk import chunk_text, split_units
from careerkg.ingest.load import load_path


def _check_offsets(text: str, chunks) -> None:
    assert chunks, "no chunks"
    for i, c in enumerate(chunks):
        assert c.index == i
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start:c.end] == c.text, (c.chunk_id, c.start, c.end)
        assert c.text == c.text.strip(), "chunks are trimmed"
    # document order, and every non-blank character is covered by some chunk
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)
    covered = bytearray(len(text))
    for c in chunks:
        covered[c.start:c.end] = b"\x01" * (c.end - c.start)
    missing = [i for i, ch in enumerate(text) if not covered[i] and not ch.isspace()]
    assert not missing, f"uncovered text at {missing[:5]}: {text[missing[0]:missing[0] + 40]!r}"


@pytest.mark.parametrize("path", td.SEED_FILES, ids=lambda p: p.stem)
def test_offsets_invariant_on_every_seed_chunk(path):
    doc = load_path(path)
    chunks = chunk_text(doc.doc_id, doc.text, sha256=doc.sha256)
    _check_offsets(doc.text, chunks)
    assert len({c.chunk_id for c in chunks}) == len(chunks)


@pytest.mark.parametrize("path", td.FIXTURES, ids=lambda p: p.name)
def test_offsets_invariant_on_fixtures(path):
    doc = load_path(path)
    _check_offsets(doc.text, chunk_text(doc.doc_id, doc.text, sha256=doc.sha256, sentences=2, overlap=1))


@pytest.mark.parametrize("sentences, overlap, max_chars", [(1, 0, 200), (2, 1, 200), (4, 1, 1200), (8, 3, 3000)])
def test_offsets_invariant_across_parameters(sentences, overlap, max_chars):
    doc = load_path(td.SEED_FILES[0])
    _check_offsets(doc.text, chunk_text(doc.doc_id, doc.text, sentences=sentences, overlap=overlap,
                                        max_chars=max_chars))


def test_offsets_with_awkward_whitespace_and_unicode():
    text = "  Intro line with café — naïve résumé.  \n\n\t- item one 💼 pays £50k\n|a|b|\n| 1 | 2 |\nEnd.  Done!   "
    _check_offsets(text, chunk_text("x", text, sentences=1, overlap=0, max_chars=200))


def test_table_rows_stay_whole_and_together():
    doc = load_path(td.SEED_FILES[td.SEED_IDS.index(td.CAREER_GUIDE)])
    chunks = chunk_text(doc.doc_id, doc.text, sha256=doc.sha256)
    rows = [m for m in re.finditer(r"(?m)^\|.*\|$", doc.text)]
    assert len(rows) >= 5
    for m in rows:
        # each table row lies entirely inside at least one chunk
        assert any(c.start <= m.start() and m.end() <= c.end for c in chunks), m.group()
    table = [m for m in rows if m.start() >= doc.text.index("| Level | Experience |")][:6]
    assert table[-1].group().startswith("| Staff / Principal MLE")
    holders = {c.chunk_id for c in chunks if all(c.start <= m.start() and m.end() <= c.end for m in table)}
    assert len(holders) >= 1, "the whole salary table is kept in one chunk"


def test_list_items_are_not_split():
    doc = load_path(td.FIXTURE_TXT)
    chunks = chunk_text(doc.doc_id, doc.text, sentences=1, overlap=0, max_chars=200)
    for m in re.finditer(r"(?m)^- .*$", doc.text):
        assert any(c.text == m.group() or (c.start <= m.start() and m.end() <= c.end) for c in chunks)


def test_units_are_sentences_items_rows_headings():
    text = "Where to work\nRevolut is in London. Darktrace is in Cambridge.\n- Python\n| a | b |\n"
    kinds = [(u.kind, text[u.start:u.end]) for u in split_units(text)]
    assert kinds == [("heading", "Where to work"), ("sentence", "Revolut is in London."),
                     ("sentence", "Darktrace is in Cambridge."), ("item", "- Python"), ("row", "| a | b |")]


def test_overlap_repeats_the_last_sentence():
    text = " ".join(f"Sentence number {i} is here." for i in range(10))
    chunks = chunk_text("x", text, sentences=3, overlap=1)
    assert len(chunks) >= 4
    for a, b in zip(chunks, chunks[1:]):
        assert b.start < a.end, "consecutive prose chunks overlap"
        assert a.text.endswith(text[b.start:a.end])


def test_chunk_ids_depend_on_doc_and_hash_only():
    doc = load_path(td.FIXTURE_TXT)
    a = chunk_text(doc.doc_id, doc.text, sha256=doc.sha256)
    b = chunk_text(doc.doc_id, doc.text, sha256=doc.sha256)
    assert [c.chunk_id for c in a] == [c.chunk_id for c in b]
    assert a[0].chunk_id == f"{doc.doc_id}-{doc.sha256[:8]}-0000"
    other = chunk_text(doc.doc_id, doc.text + "\nOne more line.", sha256="f" * 64)
    assert not {c.chunk_id for c in a} & {c.chunk_id for c in other}


def test_max_chars_is_a_soft_limit_for_prose():
    text = " ".join("This is a fairly ordinary sentence about machine learning jobs." for _ in range(60))
    chunks = chunk_text("x", text, sentences=50, overlap=0, max_chars=300)
    assert len(chunks) > 5
    assert max(len(c.text) for c in chunks) < 300 + 80


def test_empty_text_has_no_chunks():
    assert chunk_text("x", "") == []
    assert chunk_text("x", "\n \n\t\n") == []
