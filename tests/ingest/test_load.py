"""Loading .txt / .md / .html guides: text, title rules, ids, hashes and refusals."""

from __future__ import annotations

import hashlib

import pytest

import ckg_testdata as td
from careerkg.errors import InvalidInput, TooLarge
from ingest.load import doc_id_for, html_to_text, load_bytes, load_path, media_type_for


def test_txt_keeps_text_verbatim_and_titles_by_first_line():
    doc = load_path(td.FIXTURE_TXT)
    raw = td.FIXTURE_TXT.read_text("utf-8")
    assert doc.text == raw
    assert doc.title == "Fintech ML Roles in the UK: A Short Field Note"
    assert doc.doc_id == "fintech-ml-roles"
    assert doc.media_type == "text/plain"
    assert doc.source_name == "fintech-ml-roles.txt"
    assert doc.sha256 == hashlib.sha256(raw.encode("utf-8")).hexdigest()


def test_markdown_keeps_its_text_and_titles_by_first_heading():
    doc = load_path(td.FIXTURE_MD)
    assert doc.text == td.FIXTURE_MD.read_text("utf-8")  # markdown is kept as written
    # the first heading wins over the first line ("Draft notes, ...")
    assert doc.title == "Healthcare ML Careers: Notes for 2026"
    assert doc.media_type == "text/markdown"
    assert "| Senior MLE | £90,000 – £130,000 | £75,000 – £110,000 |" in doc.text


def test_markdown_without_heading_titles_by_first_line():
    doc = load_bytes(b"\n\n  First real line here\nsecond line\n", "notes.md")
    assert doc.title == "First real line here"


def test_html_title_scripts_styles_and_tables():
    doc = load_path(td.FIXTURE_HTML)
    assert doc.title == "Autonomy & Robotics ML Jobs in Oxford"  # <title>, entities decoded
    assert doc.media_type == "text/html"
    for gone in ("UA-SHOULD-NOT-APPEAR", "secret script text", "injected by script", "font-family",
                 "late-style", "enable JavaScript", "<", ">"):
        assert gone not in doc.text, gone
    lines = doc.text.split("\n")
    # table rows kept as "| a | b |" lines, header row included
    assert "| Level | Salary |" in lines
    assert "| Mid MLE | £70,000 – £95,000 |" in lines
    assert "| Senior MLE | £100,000 – £135,000 |" in lines
    # list items become "- item" lines, inline markup is flattened into its sentence
    assert "- Computer vision" in lines
    assert "Perception engineers need PyTorch, C++ and strong computer vision skills." in lines
    assert "Contractors earn £600 – £750 per day." in lines
    assert "Robotics and Autonomy ML Jobs" in lines


def test_html_without_title_uses_first_line():
    doc = load_path(td.FIXTURE_HTML_UNTITLED)
    assert doc.title == "Graduate ML Schemes"
    assert doc.text.startswith("Graduate ML Schemes\n")


def test_html_deeply_nested_does_not_recurse():
    html = "<div>" * 5000 + "<p>deep text</p>" + "</div>" * 5000
    text, _ = html_to_text(html)
    assert text == "deep text"


def test_crlf_and_bom_normalised():
    doc = load_bytes("\ufeffTitle line\r\nBody line one.\rBody two.\r\n".encode("utf-8"), "x.txt")
    assert doc.text == "Title line\nBody line one.\nBody two.\n"
    assert doc.title == "Title line"


@pytest.mark.parametrize("name, expected", [("My Guide.md", "my-guide"), ("UK_ML-Boom 2026.TXT", "uk-ml-boom-2026"),
                                            ("Café Jobs.html", "cafe-jobs")])
def test_doc_id_is_slug_of_stem(name, expected):
    assert doc_id_for(name) == expected


def test_media_types():
    assert media_type_for("a.TXT") == "text/plain"
    assert media_type_for("a.markdown") == "text/markdown"
    assert media_type_for("a.htm") == "text/html"
    with pytest.raises(InvalidInput, match="unsupported file type"):
        media_type_for("guide.pdf")
    with pytest.raises(InvalidInput, match="unsupported"):
        media_type_for("README")


@pytest.mark.parametrize("data, match", [
    (b"", "empty"),
    (b"   \n\t\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"Salary \xa3 50,000 in latin-1\n", "not valid UTF-8"),
])
def test_bad_bytes_are_refused(data, match):
    with pytest.raises(InvalidInput, match=match):
        load_bytes(data, "bad.txt")


def test_html_with_no_text_is_refused():
    with pytest.raises(InvalidInput, match="no text"):
        load_bytes(b"<html><head><script>var a = 1;</script></head><body><style>p{}</style></body></html>", "x.html")


def test_size_limit_checked_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:  # sparse: 50 MB without writing 50 MB
        fh.truncate(50 * 1024 * 1024)
    read = []
    monkeypatch.setattr(type(big), "read_bytes", lambda self: read.append(self) or b"")
    with pytest.raises(TooLarge, match="52,428,800 bytes"):
        load_path(big, max_bytes=5_000_000)
    assert read == []
    with pytest.raises(TooLarge):
        load_bytes(b"x" * 101, "a.txt", max_bytes=100)


def test_explicit_doc_id_is_validated():
    assert load_bytes(b"hello there", "x.txt", doc_id="ok-id-2").doc_id == "ok-id-2"
    with pytest.raises(InvalidInput, match="invalid document id"):
        load_bytes(b"hello there", "x.txt", doc_id="../etc/passwd")


@pytest.mark.parametrize("path", td.SEED_FILES, ids=lambda p: p.stem)
def test_seeds_load(path):
    doc = load_path(path)
    assert doc.doc_id == path.stem
    assert doc.text == path.read_text("utf-8").replace("\r\n", "\n")
    assert doc.title and len(doc.title) <= 200
