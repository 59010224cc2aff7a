"""The ``careerkg`` CLI through Typer's CliRunner, on real stores in temp data dirs."""

from __future__ import annotations

import gc
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

import ckg_testdata as td
from careerkg.api.cli import app
from ckg_runtime import close_runtime, open_runtime

runner = CliRunner()


@dataclass
class Run:
    code: int
    out: str
    err: str
    exception: BaseException | None


def run(*args: str) -> Run:
    """Invoke the CLI; the result is copied out and dropped so the stores it opened are closed."""
    res = runner.invoke(app, list(args))
    out = Run(res.exit_code, res.stdout, res.stderr, res.exception)
    if isinstance(out.exception, SystemExit):
        out.exception = None
    del res
    gc.collect()  # the command's Runtime (and its Oxigraph lock) goes away with it
    return out


def assert_one_line_error(r: Run, *needles: str) -> str:
    assert r.code == 1, (r.out, r.err)
    assert r.exception is None, f"unexpected exception {r.exception!r}"
    assert "Traceback" not in r.out + r.err
    lines = [ln for ln in r.err.splitlines() if ln.strip()]
    assert len(lines) == 1, lines
    for n in needles:
        assert n.lower() in lines[0].lower(), (n, lines[0])
    return lines[0]


@pytest.fixture(autouse=True)
def quick_runtime(monkeypatch, shared_linker):
    """Each command still builds ``Runtime(get_settings())`` from CAREERKG_DATA_DIR, but reuses the
    session's entity linker and memoised model vectors instead of rebuilding them per invocation."""
    import careerkg.api.cli
    import careerkg.api.cli_graph
    from careerkg.settings import get_settings

    def quick():
        return open_runtime(get_settings(), shared_linker, cache_vectors=True)

    monkeypatch.setattr(careerkg.api.cli, "runtime", quick)
    monkeypatch.setattr(careerkg.api.cli_graph, "runtime", quick)


@pytest.fixture
def seeded_cli(seeded_data_copy, cli_env):
    cli_env(seeded_data_copy)
    return seeded_data_copy


# ----------------------------------------------------------------------------- ingest
def _state(data_dir, linker) -> dict:
    """Manifest records, chunk ids and graph triples of a data dir (opened and closed again)."""
    from careerkg.settings import Settings

    rt = open_runtime(Settings(data_dir=data_dir), linker, cache_vectors=True)
    try:
        p = rt.pipeline
        return {d: {"record": vars(r).copy(), "chunks": td.chunk_ids(rt.index, d), "graph": td.doc_triples(rt.graph, d)}
                for d, r in p.manifest.docs.items()}
    finally:
        p = None
        close_runtime(rt)


def test_ingest_folder_mixing_good_and_bad_files(tmp_path, cli_env, shared_linker, monkeypatch):
    data = tmp_path / "data"
    cli_env(data)
    first = tmp_path / "first"
    first.mkdir()
    shutil.copy(td.FIXTURE_TXT, first)
    r = run("ingest", str(first))
    assert r.code == 0, r.err
    assert "added" in r.out and "fintech-ml-roles" in r.out
    assert "1 added, 0 updated, 0 unchanged, 0 failed" in r.out
    before = _state(data, shared_linker)

    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(td.FIXTURE_MD, folder)  # good, new
    shutil.copy(td.FIXTURE_HTML, folder)  # good, new
    (folder / "fintech-ml-roles.txt").write_bytes(b"Fintech \xff\xfe not utf-8")  # bad new version of an ingested doc
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)))
    (folder / "slides.pdf").write_bytes(b"%PDF-1.7")
    with (folder / "huge.md").open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: refused by size, never read
    (folder / ".hidden.txt").write_text("ignored dot file")
    r = run("ingest", str(folder), str(tmp_path / "does-not-exist"))
    assert r.code == 1
    assert r.exception is None and "Traceback" not in r.out + r.err
    failed = [ln for ln in r.err.splitlines() if ln.startswith("failed")]
    reasons = {"fintech-ml-roles.txt": "UTF-8", "empty.txt": "empty", "binary.txt": "binary",
               "slides.pdf": "unsupported", "huge.md": "limit", "does-not-exist": "no such file"}
    assert len(failed) == len(reasons), failed
    for name, why in reasons.items():
        lines = [ln for ln in failed if name in ln]
        assert len(lines) == 1 and why.lower() in lines[0].lower(), (name, failed)
    assert ".hidden" not in r.out + r.err
    assert "2 added, 0 updated, 0 unchanged, 5 failed, 1 missing" in r.out
    assert "healthcare-ml-notes" in r.out and "autonomy-ml-jobs" in r.out

    after = _state(data, shared_linker)
    assert after["fintech-ml-roles"] == before["fintech-ml-roles"], "the ingested guide must not change"
    assert sorted(after) == ["autonomy-ml-jobs", "fintech-ml-roles", "healthcare-ml-notes"]

    # unchanged re-run: exit 0, nothing re-done
    r = run("ingest", str(first))
    assert r.code == 0 and "0 added, 0 updated, 1 unchanged, 0 failed" in r.out
    # --force re-derives the good guide, and still refuses the big file by its size alone
    with (first / "huge.md").open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    reads = []
    real_read = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self.name) or real_read(self))
    r = run("ingest", "--force", str(first))
    monkeypatch.undo()
    assert "huge.md" not in reads, "refused by size before reading"
    assert r.code == 1 and "0 added, 1 updated, 0 unchanged, 1 failed" in r.out, (r.out, r.err)
    assert "huge.md" in r.err and "limit" in r.err


def test_docs_list_show_remove(tmp_path, cli_env):
    data = tmp_path / "data"
    cli_env(data)
    assert run("ingest", str(td.FIXTURE_TXT), str(td.FIXTURE_HTML_UNTITLED)).code == 0
    r = run("docs", "list", "--json")
    assert r.code == 0
    listed = json.loads(r.out)
    assert [d["doc_id"] for d in listed] == ["fintech-ml-roles", "untitled-page"]
    r = run("docs", "show", "untitled-page", "--text")
    assert r.code == 0 and "Graduate schemes at Arm and Ocado" in r.out
    r = run("docs", "remove", "untitled-page")
    assert r.code == 0 and "removed untitled-page" in r.out
    assert [d["doc_id"] for d in json.loads(run("docs", "list", "--json").out)] == ["fintech-ml-roles"]
    assert_one_line_error(run("docs", "show", "untitled-page"), "no document")
    assert_one_line_error(run("docs", "remove", "nope"), "no document")
    r = run("repair")
    assert r.code == 0 and "consistent" in r.out


def test_duplicate_guides_refused_allowed_and_listed(tmp_path, cli_env):
    data = tmp_path / "data"
    cli_env(data)
    guides = tmp_path / "guides"
    guides.mkdir()
    text = td.FIXTURE_TXT.read_text("utf-8")
    (guides / "fintech-copy.txt").write_text(text, "utf-8")
    (guides / "fintech-edited.txt").write_text(text + "\nUpdated in May with new Leeds vacancies.\n", "utf-8")
    assert run("ingest", str(td.FIXTURE_TXT)).code == 0
    r = run("ingest", str(guides / "fintech-copy.txt"))
    assert r.code == 1 and "0 added, 0 updated, 0 unchanged, 1 failed" in r.out, (r.out, r.err)
    assert "'fintech-ml-roles'" in r.err and "--allow-duplicate" in r.err
    r = run("ingest", "--allow-duplicate", str(guides))
    assert r.code == 0 and "2 added" in r.out, (r.out, r.err)
    r = run("docs", "duplicates", "--json")
    assert r.code == 0, r.err
    pairs = json.loads(r.out)
    assert [(p["doc_a"], p["doc_b"], p["kind"]) for p in pairs] == [
        ("fintech-copy", "fintech-ml-roles", "exact"), ("fintech-copy", "fintech-edited", "near"),
        ("fintech-edited", "fintech-ml-roles", "near")]
    assert pairs[0]["similarity"] == 1.0 and 0.8 <= pairs[1]["similarity"] < 1
    r = run("docs", "duplicates", "--threshold", "0.99")
    assert r.code == 0
    assert r.out.splitlines() == ["doc_a\tdoc_b\tsimilarity\tkind", "fintech-copy\tfintech-ml-roles\t1\texact"]


def test_seeds_have_no_duplicates(seeded_cli):
    r = run("docs", "duplicates", "--json")
    assert r.code == 0 and json.loads(r.out) == []


# ----------------------------------------------------------------------------- sparql
def test_sparql_parse_error_is_one_line(seeded_cli):
    line = assert_one_line_error(run("sparql", "SELEC"), "error", "syntax")
    assert line.startswith("error:")
    assert_one_line_error(run("sparql", "SELECT ?s WHERE { ?s ?p }"), "syntax")


def test_sparql_update_is_refused(seeded_cli):
    assert_one_line_error(run("sparql", "DELETE WHERE { ?s ?p ?o }"), "not allowed")
    assert_one_line_error(run("sparql", "  "), "empty")
    r = run("sparql", "SELECT * { ?s ?p ?o }", "--format", "yaml")  # a usage error listing the choices
    assert r.code == 2 and "'table', 'json', 'csv'" in r.err
    r = run("sparql", "ASK { ?s ?p ?o }")
    assert r.code == 0 and r.out.strip() == "true", "the store is untouched"


def test_sparql_formats(seeded_cli, tmp_path):
    q = ("PREFIX schema: <https://schema.org/> SELECT ?org WHERE { ?org schema:location "
         "<https://w3id.org/careerkg/id/city/cambridge> } ORDER BY ?org")
    r = run("sparql", q, "--format", "json")
    assert r.code == 0, r.err
    orgs = [b["org"]["value"] for b in json.loads(r.out)["results"]["bindings"]]
    assert td.ORG_DARKTRACE in orgs and td.ORG_FEATURESPACE in orgs
    r = run("sparql", q, "--format", "csv")
    assert r.code == 0 and r.out.splitlines()[0] == "org" and td.ORG_DARKTRACE in r.out
    f = tmp_path / "q.rq"
    f.write_text(q)
    r = run("sparql", str(f), "--format", "table")  # piped: TSV with a header line
    assert r.code == 0 and r.out.splitlines()[0] == "org" and td.ORG_DARKTRACE in r.out.splitlines()
    r = run("sparql", "CONSTRUCT { ?o a <http://x/Org> } WHERE { ?o a <https://schema.org/Organization> } LIMIT 3")
    assert r.code == 0
    assert len(list(ox.parse(r.out.encode(), format=ox.RdfFormat.TURTLE))) == 3


# ----------------------------------------------------------------------------- graph, entities, export
def test_graph_neighbours_darktrace(seeded_cli):
    r = run("graph", "neighbours", "Darktrace")
    assert r.code == 0, r.err
    assert f"neighbours of {td.ORG_DARKTRACE}" in r.err
    row = [ln for ln in r.out.splitlines() if "Cambridge" in ln]
    assert row and "located_in" in row[0]
    assert_one_line_error(run("graph", "neighbours", "Atlantis Robotics Ltd"), "no entity")


def test_entity_arguments_accept_any_alias(seeded_cli):
    r = run("graph", "neighbours", "MLE", "--json")
    assert r.code == 0, r.err
    labels = {n["label"] for n in json.loads(r.out)}
    assert "Python" in labels
    r = run("graph", "path", "data scientist", "MLE")
    assert r.code == 0 and "Machine Learning Engineer" in r.out


def test_graph_path_data_scientist_to_mle(seeded_cli):
    r = run("graph", "path", "Data Scientist", "Machine Learning Engineer")
    assert r.code == 0, r.err
    assert "Data Scientist --transitions_to--> Machine Learning Engineer" in " ".join(r.out.split())
    r = run("graph", "central", "--kind", "skill", "--n", "5")
    assert r.code == 0 and "Python" in r.out


def test_entities_listing(seeded_cli):
    r = run("entities", "--kind", "org", "--q", "dark")
    assert r.code == 0 and "Darktrace" in r.out and "Cambridge" not in r.out
    r = run("entities", "--kind", "planet")
    assert r.code == 2 and "'role', 'skill', 'org', 'city', 'sector'" in r.err
    rows = json.loads(run("entities", "--kind", "org", "--q", "dark", "--json").out)
    assert rows[0]["iri"] == td.ORG_DARKTRACE and rows[0]["label"] == "Darktrace"


@pytest.mark.parametrize("fmt, rdf_format", [("nq", ox.RdfFormat.N_QUADS), ("ttl", ox.RdfFormat.TURTLE),
                                             ("jsonld", ox.RdfFormat.JSON_LD), ("trig", ox.RdfFormat.TRIG)])
def test_export_parses_back(seeded_cli, seeded_runtime, tmp_path, fmt, rdf_format):
    out = tmp_path / f"export.{fmt}"
    r = run("export", "--format", fmt, "-o", str(out))
    assert r.code == 0, r.err
    parsed = list(ox.parse(path=str(out), format=rdf_format))
    store = seeded_runtime.graph.store
    if fmt == "ttl":  # a triple format: the union of all graphs
        assert {(str(t.subject), str(t.predicate), str(t.object)) for t in parsed} == \
            {(str(q.subject), str(q.predicate), str(q.object)) for q in store}
    else:
        assert len(parsed) == len(store)
        assert {str(q.graph_name) for q in parsed} == {f"<{g.value}>" for g in store.named_graphs()}
    r = run("export", "--format", "rdfxml")
    assert r.code == 2 and "'ttl'" in r.err


# ----------------------------------------------------------------------------- output, help, version
def test_docs_list_tsv_when_piped_never_cuts_ids(seeded_cli):
    r = run("docs", "list")
    assert r.code == 0
    lines = r.out.splitlines()
    assert lines[0].split("\t") == ["doc_id", "version", "chunks", "claims", "publisher", "title"]
    assert sorted(ln.split("\t")[0] for ln in lines[1:]) == sorted(td.SEED_IDS)
    assert "…" not in r.out


def test_table_on_a_terminal_keeps_whole_ids(monkeypatch):
    import io

    from rich.console import Console

    import careerkg.api.cli_output as out

    buf = io.StringIO()
    monkeypatch.setattr(out, "is_terminal", lambda: True)
    monkeypatch.setattr(out, "console", Console(file=buf, width=60, force_terminal=False))
    long_id = "how-to-become-an-ml-engineer-in-the-uk-2026-and-beyond"
    out.emit([{"doc_id": long_id, "title": "A rather long title " * 4}], ["doc_id", "title"])
    assert long_id in buf.getvalue()


def test_version():
    from importlib import metadata

    r = run("--version")
    assert r.code == 0 and r.out.strip() == f"careerkg {metadata.version('careerkg')}"


@pytest.mark.parametrize("command, option, setting", [(["serve"], "--port", "port"), (["serve"], "--host", "host"),
                                                      (["ask"], "--top-k", "top_k"),
                                                      (["serve"], "--log-level", "log_level")])
def test_help_shows_the_real_defaults(command, option, setting):
    from careerkg.settings import Settings

    r = run(*command, "--help")
    assert r.code == 0
    text = " ".join(r.out.split())
    default = Settings.model_fields[setting].default
    assert option in text
    after = text.split(option, 1)[1]
    assert f"[default: ({default} from CAREERKG_{setting.upper()})" in after, after[:200]
    assert "[default: 0]" not in text and "<bool>" not in text


def test_kind_option_lists_its_choices():
    r = run("graph", "central", "--help")
    assert "role|skill|org|city|sector" in " ".join(r.out.split())


def test_readme_cli_section_names_every_command():
    import typer.main

    readme = (td.ROOT / "README.md").read_text("utf-8")
    section = readme.split("## CLI\n", 1)[1].split("\n## ", 1)[0]
    group = typer.main.get_command(app)
    names = []
    for name, cmd in group.commands.items():
        subs = getattr(cmd, "commands", None)
        names += [f"{name} {s}" for s in subs] if subs else [name]
    missing = [n for n in names if not any(form in section for form in (f"careerkg {n}", f"`{n} ", f"`{n}`"))]
    assert not missing, missing


def test_remote_ingest_sends_allow_duplicate(tmp_path):
    from careerkg.api.cli_remote import ingest_via

    sent = []

    class FakeClient:
        url = "http://127.0.0.1:1"

        def json(self, method, path, **kw):
            sent.append((method, path, kw["params"]))
            return {"doc_id": "fintech-ml-roles", "status": "added", "version": 1, "chunks": 1, "claims": 0}

    ingest_via(FakeClient(), [td.FIXTURE_TXT], allow_duplicate=True)
    ingest_via(FakeClient(), [td.FIXTURE_TXT])
    assert sent == [("PUT", "/documents/fintech-ml-roles", {"allow_duplicate": "true"}),
                    ("PUT", "/documents/fintech-ml-roles", {})]


def test_docs_duplicates_through_a_service_reads_texts_over_http(monkeypatch):
    import careerkg.api.cli
    from careerkg.api.service import Service

    text = td.FIXTURE_TXT.read_text("utf-8")
    texts = {"a-guide": text, "b-guide": text, "c-other": td.FIXTURE_MD.read_text("utf-8")}
    calls = []

    class FakeClient:
        def json(self, method, path, **kw):
            calls.append(path)
            return {"documents": [{"doc_id": d} for d in texts]}

        def request(self, method, path, **kw):
            calls.append(path)
            return type("R", (), {"text": texts[path.split("/")[2]]})()

    monkeypatch.setattr(careerkg.api.cli, "service", lambda: Service("http://127.0.0.1:1", pid=1))
    monkeypatch.setattr(careerkg.api.cli, "client", lambda svc: FakeClient())
    r = run("docs", "duplicates", "--json")
    assert r.code == 0, r.err
    assert [(p["doc_a"], p["doc_b"], p["kind"]) for p in json.loads(r.out)] == [("a-guide", "b-guide", "exact")]
    assert calls == ["/documents", "/documents/a-guide/text", "/documents/b-guide/text", "/documents/c-other/text"]


def test_readme_cli_reference_is_generated_from_the_commands():
    from careerkg.api.cli_docs import block, readme_block

    readme = (td.ROOT / "README.md").read_text("utf-8")
    assert readme_block(readme) == block(), "run: .venv/bin/python -m careerkg.api.cli_docs --write"


def test_loading_the_model_prints_no_progress_bar(tmp_path):
    """No "Loading weights 0%|...|" on stderr: apply_offline_env turns huggingface_hub's bars off."""
    import subprocess
    import sys as _sys

    code = ("from careerkg.settings import apply_offline_env; apply_offline_env()\n"
            "from careerkg.ingest.embed import Embedder\nEmbedder().encode_one('x')\n")
    env = {k: v for k, v in __import__("os").environ.items() if k != "HF_HUB_DISABLE_PROGRESS_BARS"}
    r = subprocess.run([_sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env,
                       cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Loading weights" not in r.stderr and "it/s]" not in r.stderr, r.stderr
