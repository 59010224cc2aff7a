"""Fixtures of the page tests: a real uvicorn server over a small data dir, and headless Chromium.

* ``web_server``: the app on a free 127.0.0.1 port (a thread), over its own temporary data
  dir with two small synthetic guides of ``tests/data`` and a hostile one (``<script>`` in
  its title and text) ingested, writes on with ``API_KEY``; its base URL. Stopped at the end.
* ``browser``: headless Chromium from Debian (``/usr/bin/chromium``) driven by Selenium
  through the system ``/usr/bin/chromedriver`` (no driver download); skipped when they are
  not installed (``make install`` installs them as root).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

import browser as chromium
from careerkg.settings import Settings
from ckg_runtime import close_runtime, open_runtime

API_KEY = "web-test-key-7f3a"
DATA = Path(__file__).resolve().parents[1] / "data"
GUIDES = ["fintech-ml-roles.txt", "healthcare-ml-notes.md"]
HOSTILE_ID = "hostile-guide"
HOSTILE = """# Pay <script>window.__pwned = 1</script> in London <img src=x onerror="window.__pwned = 2">

A senior ML engineer in London earns between £90,000 and £130,000 a year <b onmouseover="window.__pwned=3">here</b>.
DeepMind is based in London. <script>window.__pwned = 4</script>
"""
MAX_DOCUMENT_BYTES = 200_000


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def web_runtime(tmp_path_factory, shared_linker):
    root = tmp_path_factory.mktemp("web")
    settings = Settings(data_dir=root / "data", api_key=API_KEY, sparql_timeout=5.0, sparql_workers=1,
                        max_document_bytes=MAX_DOCUMENT_BYTES)
    rt = open_runtime(settings, shared_linker, cache_vectors=True)
    hostile = root / f"{HOSTILE_ID}.md"
    hostile.write_text(HOSTILE, encoding="utf-8")
    for path in [DATA / g for g in GUIDES] + [hostile]:
        res = rt.pipeline.ingest_path(path)
        assert res.ok, f"{path.name}: {res.reason}"
    yield rt
    close_runtime(rt)


@pytest.fixture(scope="session")
def web_server(web_runtime):
    """The real server on 127.0.0.1 (uvicorn in a thread); yields its base URL."""
    import uvicorn

    from careerkg.api.app import create_app

    app = create_app(web_runtime.settings, runtime=web_runtime)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on", access_log=False))
    thread = threading.Thread(target=server.run, name="uvicorn-web", daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped during start-up"
        assert time.monotonic() < deadline, "uvicorn did not start within 120 s"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(30)
    assert not thread.is_alive(), "uvicorn did not stop"


@pytest.fixture(scope="session")
def _chrome():
    if not chromium.available():
        pytest.skip("headless Chromium is not installed: apt-get install -y chromium chromium-driver (make install)")
    driver = chromium.chrome()
    yield driver
    driver.quit()


@pytest.fixture
def browser(_chrome, web_server):
    """The session's Chromium at a desktop size, with this origin's storage cleared after each test."""
    _chrome.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    yield _chrome
    try:
        _chrome.get(web_server + "/guides")
        _chrome.execute_script("window.sessionStorage.clear(); window.localStorage.clear();")
    finally:
        _chrome.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
