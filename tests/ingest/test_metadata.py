"""Document metadata (title, publisher, source URL, issue date): found in the guide or given."""

from __future__ import annotations

import json

import pytest

import ckg_testdata as td
from careerkg.errors import InvalidInput
from careerkg.ingest.load import load_bytes, load_path
from careerkg.ingest.meta import given, host_of, parse_date, text_title


@pytest.mark.parametrize("value, iso", [("2026-01-28", "2026-01-28"), ("2026-01-28T09:30:00Z", "2026-01-28"),
                                        ("2026-01-28T09:30:00+01:00", "2026-01-28"), ("28 January 2026", "2026-01-28"),
                                        ("May 2, 2026", "2026-05-02"), ("2nd May 2026", "2026-05-02"),
                                        ("yesterday", None), ("2026-02-30", None)])
def test_parse_date(value, iso):
    assert parse_date(value) == iso


def test_host_without_www():
    assert host_of("https://www.applyo.co.uk/salary/data-scientist") == "applyo.co.uk"
    assert host_of("http://joblabs.ai/x") == "joblabs.ai"


def test_source_line_gives_url_and_publisher_defaults_to_host():
    doc = load_bytes(b"Data Scientist Salary UK\nSource: https://www.applyo.co.uk/salary/data-scientist\n\n"
                     b"Data scientists in London earn between 50,000 and 90,000 pounds a year.\n", "a.txt")
    assert doc.source_url == "https://www.applyo.co.uk/salary/data-scientist"
    assert doc.publisher == "applyo.co.uk"
    assert doc.title == "Data Scientist Salary UK"
    assert doc.issued is None


def test_labelled_lines_title_publisher_date():
    doc = load_bytes(b"Title: Graduate Schemes in Tech\nURL: https://example.org/g\nPublisher: Example Careers\n"
                     b"Published: 28 March 2023\n\nGraduate schemes pay well.\n", "g.txt")
    assert (doc.title, doc.publisher, doc.source_url, doc.issued) == (
        "Graduate Schemes in Tech", "Example Careers", "https://example.org/g", "2023-03-28")


def test_markdown_front_matter_is_metadata_not_text():
    raw = ("---\ntitle: \"ML Jobs in Bristol\"\npublisher: Bristol Tech Network\nsource: https://bristol.example/ml\n"
           "date: 2026-04-01\n---\n# A different heading\n\nSenior ML engineers in Bristol earn well.\n")
    doc = load_bytes(raw.encode(), "bristol.md")
    assert (doc.title, doc.publisher, doc.source_url, doc.issued) == (
        "ML Jobs in Bristol", "Bristol Tech Network", "https://bristol.example/ml", "2026-04-01")
    assert doc.text == "# A different heading\n\nSenior ML engineers in Bristol earn well.\n"
    assert "publisher:" not in doc.text


def test_markdown_heading_skips_images_and_markup():
    doc = load_bytes(b"![A person typing at a laptop](img.png)\n\n# **ML Careers** in [Leeds](https://x.y)\n\n"
                     b"Leeds has ML jobs.\n", "leeds.md")
    assert doc.title == "ML Careers in Leeds"


HTML = """<!doctype html><html><head>
<title>Robotics ML Jobs in Oxford | Oxford Tech Jobs</title>
<meta property="og:title" content="Robotics ML Jobs in Oxford">
<meta property="og:site_name" content="Oxford Tech Jobs">
<link rel="canonical" href="https://www.oxfordtechjobs.example/robotics-ml">
<meta property="article:published_time" content="2026-03-05T08:00:00+00:00">
</head><body><figure><img src="x.jpg"><figcaption>Engineers testing a robot arm</figcaption></figure>
<h1>Robotics ML Jobs</h1><p>Perception engineers need PyTorch.</p></body></html>"""


def test_html_head_metadata():
    doc = load_bytes(HTML.encode(), "oxford.html")
    assert doc.title == "Robotics ML Jobs in Oxford"
    assert doc.publisher == "Oxford Tech Jobs"
    assert doc.source_url == "https://www.oxfordtechjobs.example/robotics-ml"
    assert doc.issued == "2026-03-05"


def test_html_title_suffix_of_site_name_removed_without_og_title():
    html = HTML.replace('<meta property="og:title" content="Robotics ML Jobs in Oxford">', "")
    assert load_bytes(html.encode(), "oxford.html").title == "Robotics ML Jobs in Oxford"


def test_html_without_head_title_uses_h1_not_caption():
    html = "<html><body><figure><figcaption>Engineers testing a robot arm</figcaption></figure>" \
           "<h1>Robotics ML Jobs</h1><p>Perception engineers need PyTorch.</p></body></html>"
    assert load_bytes(html.encode(), "oxford.html").title == "Robotics ML Jobs"


@pytest.mark.parametrize("head_title", ["Leeds ML Jobs | CareerHub", "CareerHub - Leeds ML Jobs",
                                        "Leeds ML Jobs – CareerHub"])
def test_html_title_is_the_main_heading_when_the_title_adds_a_site_name(head_title):
    html = (f"<html><head><title>{head_title}</title></head><body><header><h1 class='logo'>CareerHub</h1>"
            "<nav><a>Home</a> | <a>Jobs</a> | <a>About</a></nav></header><main><h1>Leeds ML Jobs</h1>"
            "<p>Leeds employers hire ML engineers.</p></main></body></html>")
    doc = load_bytes(html.encode(), "leeds.html")
    assert doc.title == "Leeds ML Jobs"
    assert doc.text == "Leeds ML Jobs\nLeeds employers hire ML engineers."


def test_html_without_head_title_uses_the_main_contents_h1_not_the_logo():
    html = ("<html><body><header><h1 class='logo'>CareerHub</h1></header><div class='cookie-banner'><h2>Cookies"
            "</h2></div><main><h1>Leeds ML Jobs</h1><p>Leeds employers hire ML engineers.</p></main></body></html>")
    assert load_bytes(html.encode(), "leeds.html").title == "Leeds ML Jobs"


def test_html_title_unrelated_to_the_heading_is_kept():
    html = ("<html><head><title>Machine Learning Careers in Leeds</title></head><body><main><h1>Leeds ML Jobs</h1>"
            "<p>Leeds employers hire ML engineers.</p></main></body></html>")
    assert load_bytes(html.encode(), "leeds.html").title == "Machine Learning Careers in Leeds"


def test_given_metadata_wins_and_is_validated():
    doc = load_bytes(HTML.encode(), "oxford.html", metadata={"source_url": "https://www.other.example/page",
                                                             "title": "Given Title"})
    assert doc.title == "Given Title"
    assert doc.source_url == "https://www.other.example/page"
    assert doc.publisher == "Oxford Tech Jobs"  # found in the page, not overridden
    doc = load_bytes(b"Some Title Here\n\nBody text.\n", "x.txt", metadata={"source": "https://www.applyo.co.uk/a"})
    assert doc.publisher == "applyo.co.uk"
    for bad, match in [({"source_url": "ftp://x.example/a"}, "invalid source URL"),
                       ({"source_url": "not a url"}, "invalid source URL"),
                       ({"issued": "soon"}, "not a date"), ({"colour": "red"}, "unknown metadata key"),
                       ({"title": 3}, "must be a string")]:
        with pytest.raises(InvalidInput, match=match):
            given(bad)


def test_sidecar_file(tmp_path):
    guide = tmp_path / "bath-ml.txt"
    guide.write_text("ML Jobs in Bath\n\nBath has a few ML employers.\n", "utf-8")
    (tmp_path / "bath-ml.meta.json").write_text(json.dumps(
        {"title": "Machine Learning in Bath", "publisher": "Bath Careers", "source_url": "https://bath.example/ml",
         "issued": "2026-02-01"}), "utf-8")
    doc = load_path(guide)
    assert (doc.title, doc.publisher, doc.source_url, doc.issued) == (
        "Machine Learning in Bath", "Bath Careers", "https://bath.example/ml", "2026-02-01")
    assert doc.text.startswith("ML Jobs in Bath")


# ---------------------------------------------------------------- titles of plain texts
def test_title_wrapped_over_two_lines_after_a_caption():
    text = ("Machine learning engineer at work with neural network visualisations\n    Career Advice\n\n"
            "    How to Become a Machine\n    Learning Engineer in the UK (2026)\n\n    Priya Sharma\n\n"
            "    May 2, 2026\n    10 min read\n\n    There are two realistic paths to ML engineering in the UK, and they "
            "require different strategies, which this guide explains in turn.\n")
    assert text_title(text) == "How to Become a Machine Learning Engineer in the UK (2026)"


def test_no_heading_title_is_the_file_name_spelled_as_the_text_spells_it_never_a_cut_sentence():
    body = ("Across the UK, industries are aiming to master artificial intelligence, but there is still a shortage "
            "of ML professionals and recruiters say demand keeps growing.\n")
    doc = load_bytes(body.encode(), "ml-engineer-careers-uk-recruiter-guide.txt")
    assert doc.title == "ML Engineer Careers UK Recruiter Guide"


def test_question_title():
    text = "Salaries\n\nWhat graduate salary can I expect in an IT job?\n\n28 Mar 2023, 09:23\n\n" + "Body. " * 40
    assert text_title(text) == "What graduate salary can I expect in an IT job?"


@pytest.mark.parametrize("path", td.SEED_FILES, ids=lambda p: p.stem)
def test_seed_titles_are_headings_not_paragraphs(path):
    doc = load_path(path)
    assert len(doc.title) <= 90
    assert doc.title in doc.text or doc.title.replace(" ", "") in doc.text.replace("\n", "").replace(" ", "") \
        or doc.title.lower().replace(" ", "-") == doc.doc_id


def test_seed_titles():
    titles = {p.stem: load_path(p).title for p in td.SEED_FILES}
    assert titles["how-to-become-an-ml-engineer-in-the-uk-2026"] == \
        "How to Become a Machine Learning Engineer in the UK (2026)"
    assert titles["ml-engineer-jobs-uk-2026-career-guide"] == "Machine Learning Engineer Jobs UK — 2026 Career Guide"
