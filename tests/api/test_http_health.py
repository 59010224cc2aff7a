"""/health, OpenAPI, and the one error shape for unknown routes, wrong methods and validation."""

from __future__ import annotations

import ckg_testdata


def test_health_counts_and_versions(client):
    r = client.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["counts"]["documents"] == len(ckg_testdata.SEED_IDS)
    assert body["counts"]["chunks"] > 50 and body["counts"]["quads"] > 1000
    assert body["counts"]["vectors"] == body["counts"]["chunks"]
    for pkg in ("careerkg", "pyoxigraph", "chromadb", "sentence-transformers"):
        assert body["versions"][pkg][0].isdigit()
    assert body["llm"]["configured"] is False
    assert body["writes_enabled"] is False
    assert body["sparql"]["runner"] == "processes" and body["sparql"]["timeout_s"] == 1.5


def test_openapi_lists_every_route_with_examples(client):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path, methods in {"/ask": {"post"}, "/sparql": {"get", "post"}, "/documents": {"get"},
                          "/documents/{doc_id}": {"get", "put", "delete"}, "/documents/{doc_id}/text": {"get"},
                          "/entities": {"get"}, "/entities/{kind}/{slug}": {"get"}, "/health": {"get"}}.items():
        assert methods <= set(paths[path]), path
    assert "examples" in spec["components"]["schemas"]["AskRequest"]
    assert "application/sparql-query" in paths["/sparql"]["post"]["requestBody"]["content"]
    page = client.get("/docs")
    assert page.status_code == 200 and "cdn" not in page.text.lower()
    assert "/docs-static/swagger-ui-bundle.js" in page.text  # served from the package, works offline
    assert client.get("/docs-static/swagger-ui-bundle.js").status_code == 200


def test_unknown_route_is_json_404(client):
    r = client.get("/no/such/route")
    assert r.status_code == 404
    assert r.json() == {"error": {"code": "not_found", "message": "no route GET /no/such/route"}}


def test_wrong_method_is_json_405(client):
    r = client.delete("/health")
    assert r.status_code == 405
    assert r.json()["error"]["code"] == "method_not_allowed"


def test_cors_allows_browser_sparql_clients(client):
    r = client.options("/sparql", headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "GET"})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"
    r = client.get("/health", headers={"Origin": "https://yasgui.example"})
    assert r.headers["access-control-allow-origin"] == "*"


def test_error_messages_hide_server_paths():
    from careerkg.api.errors import public_message

    msg = public_message("cannot open /work/main/data/oxigraph/LOCK: busy; see https://w3id.org/careerkg/id/x")
    assert "/work" not in msg and "<path>" in msg and "https://w3id.org/careerkg/id/x" in msg
