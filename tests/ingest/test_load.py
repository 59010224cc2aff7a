"""Loading .txt / .md / .html guides: text, title rules, ids, hashes and refusals."""

from __future__ import annotations

import hashlib

import pytest

import ckg_testdata as td
from careerkg.errors import InvalidInput, TooLarge
from careerkg.ingest.load import doc_id_for, html_to_text, load_bytes, load_path, media_type_for


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


# ---------------------------------------------------------------- main content of web pages
GUIDE_PAGE = td.DATA_DIR / "html" / "bristol-ml-jobs-guide.html"
DIV_SOUP_PAGE = td.DATA_DIR / "html" / "edinburgh-data-roles.html"
FURNITURE = ("cookie", "Accept all", "Home", "Jobs | About", "›", "Share on", "Subscribe", "Related guides",
             "ML jobs in London", "©", "All rights reserved", "Privacy policy", "Popular posts", "Sign in",
             "Registered in Scotland", "6 min read")


@pytest.mark.parametrize("page", [GUIDE_PAGE, DIV_SOUP_PAGE], ids=["semantic", "div-soup"])
def test_html_page_furniture_is_gone(page):
    doc = load_path(page)
    for gone in FURNITURE:
        assert gone.lower() not in doc.text.lower(), gone


def test_html_guide_keeps_headings_lists_and_tables_in_order():
    doc = load_path(GUIDE_PAGE)
    lines = doc.text.split("\n")
    expected = ["Machine Learning Jobs in Bristol: Salaries and Skills", "What employers look for",
                "- Python and PyTorch", "- Computer vision or natural language processing", "Salaries in Bristol",
                "ML engineer salaries in Bristol, 2026", "| Level | Salary |",
                "| Junior ML engineer | £38,000 – £50,000 |", "| Mid ML engineer | £55,000 – £75,000 |",
                "| Senior ML engineer | £80,000 – £110,000 |", "How to get hired",
                "- Build a portfolio with one end-to-end project.", "- Apply to graduate schemes in September.",
                "Contract ML engineers in Bristol earn £500 – £650 per day."]
    positions = [lines.index(e) for e in expected]
    assert positions == sorted(positions)
    assert lines[0] == expected[0] and lines[-1] == expected[-1]
    # the title is the page's, without the site name; the head's metadata is still read
    assert doc.title == "Machine Learning Jobs in Bristol: Salaries and Skills"
    assert (doc.publisher, doc.issued) == ("Westcountry Careers", "2026-03-14")
    assert doc.source_url == "https://www.westcountry-careers.example/guides/ml-jobs-bristol"


def test_html_div_soup_keeps_content_and_table():
    doc = load_path(DIV_SOUP_PAGE)
    lines = doc.text.split("\n")
    assert lines[0] == "Data Science Roles in Edinburgh" == doc.title
    for line in ("| Role | Typical salary |", "| Graduate data scientist | £32,000 – £40,000 |", "Pay by level",
                 "- Fintech and banking",
                 "Edinburgh salaries are about 20% lower than in London, but so are living costs."):
        assert line in lines


def test_html_citation_offsets_exact_against_stored_text():
    from careerkg.ingest.chunk import chunk_text

    doc = load_path(GUIDE_PAGE)
    chunks = chunk_text(doc.doc_id, doc.text, sha256=doc.sha256, sentences=2, overlap=0, max_chars=300)
    assert chunks
    for c in chunks:
        assert doc.text[c.start:c.end] == c.text
    quote = "Contract ML engineers in Bristol earn £500 – £650 per day."
    start = doc.text.index(quote)
    assert doc.text[start:start + len(quote)] == quote
    assert doc.sha256 == hashlib.sha256(doc.text.encode("utf-8")).hexdigest()


def test_html_h1_outside_main_is_kept_and_header_without_heading_dropped():
    html = ("<body><header class='site-header'><a href='/'>Logo</a><nav><a>Home</a> | <a>Jobs</a></nav></header>"
            "<div class='hero'><h1>Quant ML Jobs</h1></div><main><p>Hedge funds hire ML researchers.</p></main>"
            "</body>")
    text, _ = html_to_text(html)
    assert text == "Quant ML Jobs\nHedge funds hire ML researchers."
    html = ("<body><header><h1>Quant ML Jobs</h1></header><nav><a>Home</a></nav>"
            "<p>Hedge funds hire ML researchers.</p></body>")
    assert html_to_text(html)[0] == "Quant ML Jobs\nHedge funds hire ML researchers."


def test_html_menu_and_copyright_lines_dropped_but_table_rows_and_prose_kept():
    html = ("<body><p>Home | Jobs | About</p><p>Senior pay is £90k | £110k in London, see below.</p>"
            "<table><tr><td>a</td><td>b</td><td>c</td></tr></table><div>Copyright 2026 Acme Ltd</div>"
            "<div><a>One</a> <a>Two</a> <a>Three</a></div><p>Read our <a>full guide</a> first.</p></body>")
    text, _ = html_to_text(html)
    assert text.split("\n") == ["Senior pay is £90k | £110k in London, see below.", "| a | b | c |",
                                "Read our full guide first."]


def test_html_weak_furniture_words_only_lead_a_class_name():
    html = ("<body><main><h1>Fintech ML</h1><div class='market-share'><p>Banks hold 40% of ML jobs.</p></div>"
            "<div class='share-buttons'><p>Share this guide</p></div>"
            "<div class='related-posts'><p>More guides you may like</p></div></main></body>")
    assert html_to_text(html)[0] == "Fintech ML\nBanks hold 40% of ML jobs."


def test_html_small_main_falls_back_to_the_body_without_furniture():
    guide = "<p>Senior ML engineers in Leeds earn £70,000 to £95,000 a year in most firms.</p>" * 5
    html = (f"<body><nav><a>Home</a> | <a>Jobs</a> | <a>About</a></nav><main><h1>Leeds ML Jobs</h1></main>"
            f"<div class='container'>{guide}</div><script>{'var x = 1;' * 5000}</script>"
            "<footer>© 2026 Leeds Careers</footer></body>")
    lines = html_to_text(html)[0].split("\n")
    assert lines[0] == "Leeds ML Jobs" and len(lines) == 6
    assert lines[1] == "Senior ML engineers in Leeds earn £70,000 to £95,000 a year in most firms."
    # a large inline script does not make a <main> holding the guide look small
    html = (f"<body><nav><a>Home</a></nav><main><h1>Leeds ML Jobs</h1>{guide}</main>"
            f"<script>{'var x = 1;' * 5000}</script><div class='promo-strip'><p>Hire with us</p></div></body>")
    assert html_to_text(html)[0].split("\n")[0] == "Leeds ML Jobs" and "Hire" not in html_to_text(html)[0]
