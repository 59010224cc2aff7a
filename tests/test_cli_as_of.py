"""``careerkg ask --as-of YYYY-MM-DD`` (issue 15, item 3): version 1 of the fintech guide ingested on 10 January
2026 and a changed version 2 on 10 March; asked as of a day, the CLI answers from the version current then, in this
process and through a running service (``--url``); a malformed date is a usage error (exit 2)."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest

import ckg_testdata as td
from test_cli import quick_runtime, run  # noqa: F401  (quick_runtime: autouse fixture)

DOC = "fintech-ml-roles"
QUESTION = "What does a senior ML engineer earn in London?"
FIGURES = {1: ("£95,000", "£140,000"), 2: ("£100,000", "£150,000")}
WHEN = {1: "2026-01-10T12:00:00+00:00", 2: "2026-03-10T12:00:00+00:00"}


def version_text(v: int) -> str:
    lo, hi = FIGURES[v]
    return td.FIXTURE_TXT.read_text("utf-8").replace("between £95,000 and £140,000", f"between {lo} and {hi}")


@pytest.fixture
def dated(tmp_path, cli_env, monkeypatch, runtime_factory):
    """The data dir of the CLI with versions 1 and 2 of the fintech guide (and the healthcare guide), at their
    dates; closed again so that each command opens it."""
    import careerkg.ingest.pipeline as pipeline_module
    from ckg_runtime import close_runtime

    rt = runtime_factory("data")
    for v in (1, 2):
        monkeypatch.setattr(pipeline_module, "_now", lambda v=v: WHEN[v])
        if v == 1:
            assert rt.pipeline.ingest_path(td.FIXTURE_MD).status == "added"
        assert rt.pipeline.ingest_bytes(version_text(v).encode("utf-8"), f"{DOC}.txt").version == v
    monkeypatch.undo()
    close_runtime(rt)
    cli_env(tmp_path / "data")
    return tmp_path / "data"


def ask_json(*args: str) -> dict:
    r = run(*args)
    assert r.code == 0, (r.out, r.err)
    return json.loads(r.out)


def check(ans: dict, day: str, version: int) -> None:
    assert not ans["abstained"], ans["answer"]
    assert ans["as_of"]["date"] == day and ans["as_of"]["versions"][DOC] == version
    assert ans["as_of"]["current"] is (version == 2)
    assert FIGURES[version][0] in ans["answer"]
    assert FIGURES[3 - version][0] not in ans["answer"]


def test_ask_as_of_in_this_process(dated):
    check(ask_json("ask", QUESTION, "--as-of", "2026-02-01", "--json"), "2026-02-01", 1)
    check(ask_json("ask", QUESTION, "--as-of", "2026-04-01", "--json"), "2026-04-01", 2)
    r = run("ask", QUESTION, "--as-of", "2026-02-01")
    assert r.code == 0 and "note: As of 2026-02-01" in r.out and FIGURES[1][0] in r.out
    # without --as-of: the current version, and no as_of in the answer
    now = ask_json("ask", QUESTION, "--json")
    assert now.get("as_of") is None and FIGURES[2][0] in now["answer"]


@pytest.mark.parametrize("value", ["2026-13-01", "01/02/2026", "2026-2-1", "20260201", "yesterday", ""])
def test_a_malformed_date_is_a_usage_error(value):
    r = run("ask", QUESTION, "--as-of", value)
    assert r.code == 2, (r.out, r.err)
    assert "Invalid value for '--as-of'" in r.err and "write it YYYY-MM-DD" in r.err
    assert "Traceback" not in r.out + r.err


def test_as_of_does_not_stream():
    r = run("ask", QUESTION, "--as-of", "2026-02-01", "--stream")
    assert r.code == 2 and "not with --stream" in r.err


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_ask_as_of_through_a_running_service(dated, shared_linker):
    """The CLI sends ``as_of`` in ``POST /ask`` to the service ``--url`` names (a real uvicorn server)."""
    import uvicorn

    from careerkg.api.app import create_app
    from careerkg.settings import Settings
    from ckg_runtime import close_runtime, open_runtime

    rt = open_runtime(Settings(data_dir=dated, api_key="", sparql_workers=1), shared_linker, cache_vectors=True)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(rt.settings, runtime=rt), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on", access_log=False))
    thread = threading.Thread(target=server.run, name="uvicorn-as-of", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 90
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}"
        check(ask_json("--url", url, "ask", QUESTION, "--as-of", "2026-02-01", "--json"), "2026-02-01", 1)
        check(ask_json("--url", url, "ask", QUESTION, "--as-of", "2026-03-10", "--json"), "2026-03-10", 2)
    finally:
        server.should_exit = True
        thread.join(30)
        close_runtime(rt)
