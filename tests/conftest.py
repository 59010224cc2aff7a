"""Shared fixtures for every test folder.

``seeded_runtime`` (session scope) is the one place the five seed guides are ingested:
an :class:`careerkg.api.runtime.Runtime` on a session temp dir with real Chroma, the real
embedding model and real Oxigraph. Tests that only *read* (queries, QA, API reads)
should use it; tests that *write* should open their own runtime on ``tmp_path`` with
the small fixtures in ``tests/data`` (``runtime_factory``), never mutate the seeded one.

Constants and read helpers live in ``tests/ckg_testdata.py`` (``import ckg_testdata``); opening and
closing runtimes in ``tests/ckg_runtime.py`` (a plain module: each test folder may have its own conftest).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from careerkg.settings import Settings, apply_offline_env, get_settings

apply_offline_env()

import ckg_testdata  # noqa: E402  (after the offline env is set)
from ckg_runtime import caching_embedder, close_runtime, open_runtime  # noqa: E402,F401


@pytest.fixture
def settings_factory(tmp_path: Path) -> Callable[..., Settings]:
    """Build :class:`Settings` whose data dir is ``tmp_path/<name>``.

    >>> s = settings_factory()                      # tmp_path/data
    >>> s = settings_factory("other", max_document_bytes=1000)
    """

    def make(name: str = "data", **overrides) -> Settings:
        return Settings(data_dir=tmp_path / name, **overrides)

    return make


@pytest.fixture(scope="session")
def shared_linker():
    """One entity linker for the whole session (building one takes a while; it is reused read-only)."""
    from careerkg.graph.linker import EntityLinker

    from careerkg.graph.gazetteer import load_gazetteer

    return EntityLinker(load_gazetteer())


@pytest.fixture
def runtime_factory(settings_factory, shared_linker) -> Iterator[Callable]:
    """Open fresh runtimes on ``tmp_path`` (for tests that write); closed at teardown.

    They share the session's entity linker and a per-text memo of the real model's vectors
    (see :func:`caching_embedder`), so opening one and ingesting the fixtures is cheap.

    >>> rt = runtime_factory()                  # tmp_path/data
    >>> rt2 = runtime_factory("other", max_document_bytes=1000)
    """
    opened = []

    def make(name: str = "data", **overrides):
        rt = open_runtime(settings_factory(name, **overrides), shared_linker, cache_vectors=True)
        opened.append(rt)
        return rt

    yield make
    for rt in opened:
        close_runtime(rt)


@pytest.fixture(scope="session")
def seeded_runtime(tmp_path_factory, shared_linker):
    """A Runtime with the five seeds of ``/work/main/seeds`` ingested once per test session.

    Read-only for tests: do not ingest into it or remove from it. ``seeded_runtime.ingest_results``
    holds the :class:`~careerkg.model.IngestResult` of each seed and ``seeded_runtime.ingest_seconds``
    the wall time of that cold ingest.
    """
    data_dir = tmp_path_factory.mktemp("seeded") / "data"
    rt = open_runtime(Settings(data_dir=data_dir), shared_linker)
    t0 = time.perf_counter()
    results = [rt.pipeline.ingest_path(p) for p in ckg_testdata.SEED_FILES]
    rt.ingest_seconds = time.perf_counter() - t0
    rt.ingest_results = results
    failed = [f"{r.source}: {r.reason}" for r in results if not r.ok]
    assert not failed, f"seed ingest failed: {failed}"
    yield rt
    close_runtime(rt)


@pytest.fixture(scope="session")
def seeded_data_copy(seeded_runtime, tmp_path_factory) -> Path:
    """A copy of the seeded data dir (for code that opens its own stores, e.g. the CLI).

    The Oxigraph copy is a consistent backup of the seeded store; the Chroma, manifest and
    source files are copied as they are. Read-only for tests, like ``seeded_runtime``.
    """
    import shutil

    src = seeded_runtime.settings.data_dir
    dst = tmp_path_factory.mktemp("seeded-copy") / "data"
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("oxigraph"))
    seeded_runtime.graph.backup(dst / "oxigraph")
    return dst


@pytest.fixture
def cli_env(monkeypatch) -> Callable[[Path], None]:
    """Point the CLI (``get_settings()``) at a data dir; the settings cache is cleared before and after."""

    def point(data_dir: Path) -> None:
        monkeypatch.setenv("CAREERKG_DATA_DIR", str(data_dir))
        get_settings.cache_clear()

    yield point
    get_settings.cache_clear()
