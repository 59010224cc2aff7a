"""HTTP as clients expect it: 400 for malformed JSON, 415 for the wrong media type, HEAD wherever GET
works, and every error in the one JSON shape. Operations are taken from the app's own OpenAPI document,
so routes added later are checked too."""

from __future__ import annotations

import re

import pytest

import ckg_testdata as td

PATH_VALUES = {"doc_id": td.CAREER_GUIDE, "kind": "role", "slug": "machine-learning-engineer",
               "job_id": "0123456789abcdef"}


def assert_error_shape(r, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


@pytest.mark.parametrize("body, where", [(b'{"question": ', "line 1, column 14"),
                                         (b'{"question": "x",\n "top_k": 3 x}', "line 2, column 13"),
                                         (b"{'question': 'x'}", "line 1, column 2")])
def test_malformed_json_is_400_with_the_parser_message(client, body, where):
    err = assert_error_shape(client.post("/ask", content=body, headers={"Content-Type": "application/json"}), 400,
                             "invalid_json")
    assert err["message"].startswith("malformed JSON body: ") and where in err["message"]


@pytest.mark.parametrize("headers", [{"Content-Type": "text/plain"}, {"Content-Type": "application/x-www-form-urlencoded"},
                                     {"Content-Type": "application/xml"}, {}])
def test_json_route_with_another_media_type_is_415(client, headers):
    err = assert_error_shape(client.post("/ask", content=b'{"question": "Where is Featurespace based?"}',
                                         headers=headers), 415, "unsupported_media_type")
    assert "application/json" in err["message"]


def test_json_with_charset_and_plus_json_accepted_schema_errors_stay_422(client):
    ok = client.post("/ask", content=b'{"question": "Where is Featurespace based?"}',
                     headers={"Content-Type": "application/json; charset=utf-8"})
    assert ok.status_code == 200, ok.text
    assert_error_shape(client.post("/ask", json={"question": "x", "top_k": 0}), 422, "validation_error")
    assert_error_shape(client.post("/ask", json=[1, 2]), 422, "validation_error")


def get_operations(client) -> list[str]:
    paths = client.get("/openapi.json").json()["paths"]
    out = []
    for path, ops in paths.items():
        if "get" in ops:
            out.append(re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m.group(1)], path))
    return out


def test_head_wherever_get_works(client):
    paths = get_operations(client) + ["/docs", "/openapi.json"]
    assert "/health" in paths and f"/documents/{td.CAREER_GUIDE}/text" in paths
    for path in paths:
        params = {"query": "ASK { ?s ?p ?o }"} if path == "/sparql" else None
        got = client.get(path, params=params)
        head = client.head(path, params=params)
        assert head.status_code == got.status_code, (path, head.status_code, got.status_code)
        assert head.content == b"", path
        assert head.headers.get("content-type") == got.headers.get("content-type"), path
        if "content-length" in got.headers and path != "/health":  # health counts may differ between calls
            assert head.headers["content-length"] == got.headers["content-length"], path


def test_head_where_get_is_not_allowed_is_405_naming_head(client):
    r = client.head("/ask")
    assert r.status_code == 405 and r.content == b""
    assert "POST" in r.headers["allow"]
    err = assert_error_shape(client.post("/health"), 405, "method_not_allowed")
    assert err["message"] == "method POST not allowed on /health"
    assert client.post("/health").headers["allow"] == "GET, HEAD"
    assert client.head("/no-such-route").status_code == 404


def test_every_error_has_the_one_shape(client, writer):
    assert_error_shape(client.get("/no-such-route"), 404, "not_found")
    assert_error_shape(client.get("/documents/no-such-doc"), 404, "not_found")
    assert_error_shape(client.delete("/health"), 405, "method_not_allowed")
    assert_error_shape(client.put("/documents/x", content=b"x", headers={"Content-Type": "text/plain"}), 403)
    assert_error_shape(writer.put("/documents/x", content=b"x", headers={"Content-Type": "text/plain"}), 401)
    assert_error_shape(writer.put("/documents/x", content=b"x", headers={"Content-Type": "image/png",
                                                                        "Authorization": "Bearer test-key-0c1d5e"}),
                       415, "unsupported_media_type")
    assert_error_shape(client.get("/sparql", params={"query": "SELEC nope"}), 400)
    assert_error_shape(client.get("/entities", params={"kind": "planet"}), 422)
    assert_error_shape(client.post("/ask", content=b"{" * 10, headers={"Content-Type": "application/json"}), 400)
