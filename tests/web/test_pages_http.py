"""The pages over plain HTTP (no browser): content negotiation with the JSON API, escaping, errors."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import httpx
import pytest
from conftest import HOSTILE_ID

from careerkg.api.web.pages import prefers_html
from careerkg.api.web.views import answer_segments, answer_view, text_segments

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"}


@pytest.fixture(scope="module")
def http(web_server):
    with httpx.Client(base_url=web_server, timeout=60) as c:
        yield c


def test_examples_are_the_bench_queries():
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from bench.queries import QUERIES

    from careerkg.api.web.sparql_examples import EXAMPLES, HISTORY_EXAMPLES

    # every current-graph example is a benchmarked researcher query; history examples need past versions
    assert {k: q for k, (_, q) in EXAMPLES.items() if k not in HISTORY_EXAMPLES} == QUERIES
    assert HISTORY_EXAMPLES <= set(EXAMPLES)


@pytest.mark.parametrize("accept, html", [
    (BROWSER["Accept"], True), ("text/html", True), ("*/*", False), ("", False), ("application/json", False),
    ("application/json, text/html;q=0.5", False), ("application/sparql-results+json,*/*;q=0.9", False),
    ("text/html;q=0", False), ("text/html;q=abc, application/json", False)])
def test_prefers_html(accept, html):
    assert prefers_html(accept) is html


def test_answer_segments_and_text_segments():
    assert answer_segments("a [1] b [7] [2]", {1, 2}) == [{"text": "a "}, {"cite": 1}, {"text": " b [7] "}, {"cite": 2}]
    text = "0123456789"
    segs = text_segments(text, [(2, 5, "salary"), (4, 8, "located_in"), (9, 30, "other"), (6, 6, "other")])
    assert "".join(s["text"] for s in segs) == text
    assert [s for s in segs if s["start"] == 4][0]["kinds"] == ["salary", "located_in"]


def test_answer_view_pairs_conflict_values_with_sources_and_keeps_unmet():
    c = {"id": 1, "doc_id": "a", "title": "A", "chunk_id": "x", "start": 0, "end": 3, "quote": "abc"}
    view = answer_view({"question": "q", "answer": "x [1] y [2]", "abstained": False,
                        "citations": [c, {**c, "id": 2, "doc_id": "b", "start": 5, "end": 9}],
                        "conflicts": [{"about": "pay", "values": ["£1", "£2"], "citations": [1, 2]}],
                        "unmet": [{"constraint": "place", "value": "Inverness"}]}, {})
    assert [col["citations"][0]["doc_id"] for col in view.conflicts[0]["columns"]] == ["a", "b"]
    assert view.citations[1]["href"] == "/guides/b#5-9"
    assert view.unmet == [{"constraint": "place", "value": "Inverness"}]

    facts = [{"subject": "s", "predicate": "p", "object": "£1", "citations": [1]},
             {"subject": "s", "predicate": "p", "object": "£2", "citations": [2]},
             {"subject": "s", "predicate": "p", "object": "£2", "citations": [3]}]
    view = answer_view({"question": "q", "answer": "x [1] [2] [3]", "abstained": False, "facts": facts,
                        "citations": [c, {**c, "id": 2}, {**c, "id": 3}],
                        "conflicts": [{"about": "pay", "values": ["£1 (in London)", "£2 (in London)"],
                                       "citations": [1, 2, 3]}]}, {})
    assert [[x["id"] for x in col["citations"]] for col in view.conflicts[0]["columns"]] == [[1], [2, 3]]


def test_root_is_the_ask_page(http):
    r = http.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<label for="q"' in r.text
    assert http.head("/").status_code == 200


def test_entity_json_stays_json_for_api_clients(http):
    for headers in ({}, {"Accept": "*/*"}, {"Accept": "application/json"}):
        r = http.get("/entities/city/london", headers=headers)
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        assert r.json()["label"] == "London"
    r = http.get("/entities/city/london", headers=BROWSER)
    assert r.headers["content-type"].startswith("text/html") and "<h1>London</h1>" in r.text
    r = http.get("/entities/city/atlantis", headers=BROWSER)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert http.get("/entities/city/atlantis").json()["error"]["code"] == "not_found"


def test_sparql_protocol_unchanged_and_editor_for_browsers(http):
    r = http.get("/sparql")
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_input"
    r = http.get("/sparql", headers=BROWSER)
    assert r.status_code == 200 and "/static/yasgui/yasgui.min.js" in r.text
    assert "ckg:SalaryClaim" in r.text  # the example queries, JSON-encoded in the page
    r = http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=BROWSER)  # a query: the protocol answers
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/sparql-results+")
    r = http.get("/sparql", params={"update": "CLEAR ALL"}, headers=BROWSER)
    assert r.status_code == 403
    r = http.post("/sparql", data={"query": "ASK { ?s ?p ?o }"}, headers=BROWSER)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/sparql-results+")


def test_static_files_are_vendored(http):
    for path in ("/static/yasgui/yasgui.min.js", "/static/yasgui/yasgui.min.css", "/docs-static/swagger-ui-bundle.js",
                 "/docs-static/swagger-ui.css", "/static/app.css", "/static/ask.js"):
        assert http.get(path).status_code == 200, path
    page = http.get("/docs").text
    assert "/docs-static/swagger-ui-bundle.js" in page and "/openapi.json" in page
    for url in ("cdn.jsdelivr", "unpkg.com", "cdnjs"):
        for p in ("/", "/sparql", "/docs", "/guides"):
            assert url not in http.get(p, headers=BROWSER).text


def test_questions_and_guides_are_escaped(http):
    r = http.get("/", params={"q": "<script>alert(1)</script> pay in London?"})
    assert "<script>alert(1)" not in r.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    for path in ("/guides", f"/guides/{HOSTILE_ID}"):
        body = http.get(path).text
        assert "<script>window" not in body and "<img src=x" not in body and "&lt;script&gt;window" in body


def test_guide_text_is_the_document_text(http):
    import html
    import re

    page = http.get("/guides/fintech-ml-roles").text
    inner = re.search(r'<div id="guide-text"[^>]*>(.*?)</div>', page, re.S).group(1)
    text = html.unescape(re.sub(r"<[^>]+>", "", inner))
    assert text == http.get("/documents/fintech-ml-roles/text").text
    assert 'class="claim k-salary"' in inner and 'class="claim k-located_in"' in inner


def test_errors_are_pages_without_traces(http):
    r = http.get("/guides/no-such-guide")
    assert r.status_code == 404 and "No guide" in r.text and "Traceback" not in r.text
    r = http.get("/", params={"q": "x" * 1001})
    assert r.status_code == 400 and "limit" in r.text


def test_entity_page_shows_its_esco_link(http):
    card = http.get("/entities/role/data-scientist").json()
    page = http.get("/entities/role/data-scientist", headers=BROWSER).text
    assert card["esco"]["relation"] == "exactMatch"  # "Data Scientist" is an ESCO preferred label
    assert card["esco"]["iri"] in page and "<dt>ESCO</dt>" in page


def test_answer_fragment_renders_the_answer_it_is_given(http):
    """``POST /fragments/answer`` (the streamed page's last step) renders the posted answer, computing none."""
    cite = {"id": 1, "doc_id": "fintech-ml-roles", "title": "T <i>x</i>", "chunk_id": "c", "start": 3, "end": 9,
            "quote": "<script>window.__pwned = 1</script>"}
    ans = {"question": "q", "answer": "Made up <b>pay</b> [1].", "abstained": False, "mode": "extractive",
           "citations": [cite]}
    r = http.post("/fragments/answer", json=ans)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert 'id="answer-text"' in r.text and 'data-cite="1"' in r.text and 'href="/guides/fintech-ml-roles#3-9"' in r.text
    assert "Made up &lt;b&gt;pay&lt;/b&gt;" in r.text and "<script>" not in r.text and "<i>" not in r.text
    assert "<html" not in r.text  # only the section
    # the same markup as the page of GET /?q= for a real answer
    real = http.post("/ask", json={"question": "What does a senior ML engineer earn in London?"}).json()
    frag = http.post("/fragments/answer", json=real).text
    page = http.get("/", params={"q": real["question"]}).text
    norm = lambda s: re.sub(r">\s+<", "><", s).strip()  # noqa: E731
    assert norm(frag) in norm(page)
    # JSON only (a cross-site form cannot post it), and answers only
    assert http.post("/fragments/answer", content=json.dumps(ans), headers={"Content-Type": "text/plain"}).status_code == 415
    assert http.post("/fragments/answer", json={"answer": 1}).status_code == 422
    assert http.post("/fragments/answer", json={**ans, "question": "x" * 1001}).status_code == 400
