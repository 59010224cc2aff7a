"""SPARQL over history (issue 15, item 3): on a temp data dir, version 1 of the fintech guide ingested on
10 January 2026 and a changed version 2 on 10 March; ``history=true`` finds the old figure in its version graph
and the new one in the current graph, without it only the current one is seen; the dataset stays strict
(``named-graph-uri`` / ``FROM NAMED``), the editor offers the example, and a malformed value is 400."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

import ckg_testdata as td
from test_cli import quick_runtime  # noqa: F401  (autouse: the CLI reuses the session's linker)
from careerkg.api.app import create_app
from careerkg.api.web.sparql_examples import EXAMPLES
from careerkg.graph.release import FIGURE_OVER_VERSIONS
from careerkg.graph.vocab import graph_iri
from careerkg.ingest.history import version_graph
from careerkg.settings import Settings

DOC = "fintech-ml-roles"
FIGURES = {1: ("95000", "140000"), 2: ("100000", "150000")}
WHEN = {1: "2026-01-10T12:00:00+00:00", 2: "2026-03-10T12:00:00+00:00"}
V1, CURRENT = version_graph(DOC, 1), graph_iri(DOC)
# the salary claims of the guide, with the graph each one is in
BY_GRAPH = f"""PREFIX ckg: <https://w3id.org/careerkg/ontology#>
PREFIX schema: <https://schema.org/>
SELECT ?g ?min ?max WHERE {{
  GRAPH ?g {{ ?c a ckg:SalaryClaim ; ckg:role <{td.ROLE_MLE}> ; ckg:seniority ckg:Senior ;
              ckg:location <{td.CITY_LONDON}> ; schema:minValue ?min ; schema:maxValue ?max }}
}}"""


def version_text(v: int) -> str:
    lo, hi = (f"£{int(x):,}" for x in FIGURES[v])
    return td.FIXTURE_TXT.read_text("utf-8").replace("between £95,000 and £140,000", f"between {lo} and {hi}")


@pytest.fixture
def two_versions(runtime_factory, monkeypatch):
    """A client on a runtime of its own with versions 1 and 2 of the fintech guide (the SPARQL worker pool)."""
    import careerkg.ingest.pipeline as pipeline_module

    rt = runtime_factory()
    for v in (1, 2):
        monkeypatch.setattr(pipeline_module, "_now", lambda v=v: WHEN[v])
        res = rt.pipeline.ingest_bytes(version_text(v).encode("utf-8"), f"{DOC}.txt")
        assert res.version == v, res
    settings = Settings(data_dir=rt.settings.data_dir, api_key="", sparql_timeout=20.0, sparql_workers=1)
    app = create_app(settings, runtime=rt)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def rows(client, query: str, method: str = "GET", **params) -> list[dict]:
    if method == "GET":
        r = client.get("/sparql", params={"query": query, **params})
    else:
        r = client.post("/sparql", data={"query": query, **params})
    assert r.status_code == 200, r.text
    return [{k: b[k]["value"] for k in b} for b in r.json()["results"]["bindings"]]


def figures(found: list[dict]) -> set[tuple[str, str, str]]:
    return {(r["g"], r["min"].split(".")[0], r["max"].split(".")[0]) for r in found}


def test_without_history_only_the_current_figure(two_versions):
    assert figures(rows(two_versions, BY_GRAPH)) == {(CURRENT, *FIGURES[2])}
    assert figures(rows(two_versions, BY_GRAPH, history="false")) == {(CURRENT, *FIGURES[2])}


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_with_history_the_old_figure_in_its_version_graph_and_the_new_one(two_versions, method):
    found = figures(rows(two_versions, BY_GRAPH, method, history="true"))
    assert found == {(V1, *FIGURES[1]), (CURRENT, *FIGURES[2])}


def test_figure_over_versions_example_dates_each_version(two_versions):
    found = rows(two_versions, FIGURE_OVER_VERSIONS, history="true")
    assert [(r["version"], r["min"].split(".")[0], r["max"].split(".")[0]) for r in found] == \
        [("1", *FIGURES[1]), ("2", *FIGURES[2])]
    old, new = found
    assert old["from"].startswith("2026-01-10") and old["until"].startswith("2026-03-10")
    assert "from" not in new  # the current graph is not a kept version: no validity interval yet
    assert "140,000" in old["quote"] and "150,000" in new["quote"]
    assert len(rows(two_versions, FIGURE_OVER_VERSIONS)) == 1  # without history: the current version only


def test_the_dataset_stays_strict_with_history(two_versions):
    # named-graph-uri alone: exactly that graph is visible to GRAPH, the default graph is empty
    assert figures(rows(two_versions, BY_GRAPH, **{"history": "true", "named-graph-uri": V1})) == \
        {(V1, *FIGURES[1])}
    assert rows(two_versions, BY_GRAPH, **{"named-graph-uri": V1}) == []  # no such graph without history
    from_named = BY_GRAPH.replace("SELECT ?g ?min ?max", f"SELECT ?g ?min ?max FROM NAMED <{V1}>")
    assert figures(rows(two_versions, from_named, history="true")) == {(V1, *FIGURES[1])}
    assert rows(two_versions, from_named) == []
    # the union default graph merges current and past graphs when history is asked
    union = BY_GRAPH.replace("GRAPH ?g {", "{").replace("SELECT ?g", "SELECT")
    assert len(rows(two_versions, union, history="true")) == 2 and len(rows(two_versions, union)) == 1


def test_a_new_version_is_seen_by_the_next_history_query(two_versions):
    # the history view is rebuilt when the write generation moves: a query before and after a re-ingest
    assert len(rows(two_versions, BY_GRAPH, history="true")) == 2
    two_versions.app.state.runtime.pipeline.ingest_bytes(version_text(1).encode("utf-8"), f"{DOC}.txt")  # back to v1's text: version 3
    found = figures(rows(two_versions, BY_GRAPH, history="true"))
    assert found == {(V1, *FIGURES[1]), (version_graph(DOC, 2), *FIGURES[2]), (CURRENT, *FIGURES[1])}


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_malformed_history_value_is_400(two_versions, value):
    r = two_versions.get("/sparql", params={"query": "ASK {}", "history": value})
    assert r.status_code == 400 and "history must be true or false" in r.text


def test_the_editor_offers_a_history_example_sent_with_history_on(two_versions):
    from careerkg.api.web.sparql_examples import HISTORY_EXAMPLES, SALARIES_OVER_VERSIONS

    [name] = [k for k, (_, q) in EXAMPLES.items() if q == SALARIES_OVER_VERSIONS]
    assert name in HISTORY_EXAMPLES
    page = two_versions.get("/sparql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and f'"name": "{name}"' in page.text and '"history": true' in page.text
    found = [r for r in rows(two_versions, SALARIES_OVER_VERSIONS, "POST", history="true")
             if r.get("role") == "Machine Learning Engineer" and r.get("seniority") == "Senior"
             and r.get("city") == "London"]
    assert [(r["guide"], r["version"], r["min"].split(".")[0]) for r in found] == \
        [(DOC, "1", FIGURES[1][0]), (DOC, "2", FIGURES[2][0])]
    assert found[0]["until"].startswith("2026-03-10") and "until" not in found[1]
    assert rows(two_versions, SALARIES_OVER_VERSIONS) == []  # one version only without history


def test_cli_sparql_history_on_the_data_dir(tmp_path, cli_env):
    """``careerkg sparql --history`` (no service: a history view of this data dir's stores, then removed)."""
    from test_cli import run

    for v in (1, 2):
        f = tmp_path / f"v{v}" / td.FIXTURE_TXT.name
        f.parent.mkdir()
        f.write_text(version_text(v), "utf-8")
    cli_env(tmp_path / "data")
    assert run("ingest", str(tmp_path / "v1" / td.FIXTURE_TXT.name)).code == 0
    assert run("ingest", str(tmp_path / "v2" / td.FIXTURE_TXT.name)).code == 0

    def graphs(*flags: str) -> set[tuple[str, str]]:
        r = run("sparql", BY_GRAPH, "--format", "json", *flags)
        assert r.code == 0, r.err
        return {(b["g"]["value"], b["min"]["value"].split(".")[0]) for b in json.loads(r.out)["results"]["bindings"]}

    assert graphs() == {(CURRENT, FIGURES[2][0])}
    assert graphs("--history") == {(V1, FIGURES[1][0]), (CURRENT, FIGURES[2][0])}
