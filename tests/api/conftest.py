"""Fixtures of the HTTP API tests.

* ``client``: a :class:`TestClient` on an app over the shared ``seeded_runtime``
  (read-only: writes are *off* there, no API key), SPARQL timeout 1.5 s.
* ``writer``: a :class:`TestClient` on an app over its own runtime, opened on a copy
  of the seeded data dir (no second ingest), with ``API_KEY`` configured; tests
  that PUT must DELETE what they added.
* ``live_server``: the real uvicorn server on a free 127.0.0.1 port (a thread),
  serving the seeded runtime; its base URL.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from careerkg.api.app import create_app
from careerkg.settings import Settings
from http_testdata import API_KEY, AUTH, RUNAWAY  # noqa: F401

SPARQL_TIMEOUT = 1.5


def app_settings(data_dir: Path, **overrides) -> Settings:
    base = {"data_dir": data_dir, "sparql_timeout": SPARQL_TIMEOUT, "sparql_workers": 2}
    base.update(overrides)
    return Settings(**base)


@pytest.fixture(scope="session")
def read_settings(seeded_runtime) -> Settings:
    return app_settings(seeded_runtime.settings.data_dir, api_key="")


@pytest.fixture(scope="session")
def read_app(seeded_runtime, read_settings):
    return create_app(read_settings, runtime=seeded_runtime)


@pytest.fixture(scope="session")
def client(read_app):
    with TestClient(read_app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="session")
def writable_runtime(seeded_runtime, shared_linker, tmp_path_factory):
    """A runtime of its own on a copy of the seeded data dir (Chroma files copied, Oxigraph backed up)."""
    from careerkg.api.runtime import Runtime

    src = seeded_runtime.settings.data_dir
    dst = tmp_path_factory.mktemp("api-writable") / "data"
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("oxigraph", "snapshots"))
    seeded_runtime.graph.backup(dst / "oxigraph")
    rt = Runtime(app_settings(dst, api_key=API_KEY))
    rt.__dict__["linker"] = shared_linker
    assert len(rt.pipeline.manifest.docs) == len(seeded_runtime.pipeline.manifest.docs)
    yield rt
    for name in ("qa", "network", "pipeline", "index", "graph"):
        rt.__dict__.pop(name, None)


@pytest.fixture(scope="session")
def write_app(writable_runtime):
    return create_app(writable_runtime.settings, runtime=writable_runtime)


@pytest.fixture(scope="session")
def writer(write_app):
    with TestClient(write_app, raise_server_exceptions=False) as c:
        yield c


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(seeded_runtime, read_settings):
    """The real uvicorn server in a thread; yields its base URL and stops it at the end."""
    import uvicorn

    app = create_app(read_settings, runtime=seeded_runtime)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on", access_log=False))
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 90
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped during start-up"
        assert time.monotonic() < deadline, "uvicorn did not start within 90 s"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(30)
    assert not thread.is_alive(), "uvicorn did not stop"


@pytest.fixture(scope="session")
def override():
    """``with override(app, max_document_bytes=100): ...``: per-request settings through ``get_settings``."""
    import contextlib

    from careerkg.api.deps import get_settings

    @contextlib.contextmanager
    def use(app, **changes):
        changed = app.state.settings.model_copy(update=changes)
        app.dependency_overrides[get_settings] = lambda: changed
        try:
            yield changed
        finally:
            app.dependency_overrides.pop(get_settings, None)

    return use
