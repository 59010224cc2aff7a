"""One contract suite over both VectorIndex backends: embedded Chroma and a real ``chroma run`` server.

The server is ``chroma run --path TMP --host 127.0.0.1 --port FREE`` (the same ``chromadb``
pip package), started once for this module, waited for through its heartbeat and killed at
teardown. It runs in its own process group with a parent-death signal (Linux ``prctl``) and
an ``atexit`` hook, so it stops by itself even if the test process dies. Each test starts
from an empty collection.

The vectors are fixed pseudo-random unit vectors of the model's dimension (384), derived
from a seed: the suite tests what the index stores and returns, not what the embedding model
computes, so the model is never loaded (``embedder.model_calls`` stays 0).
"""

from __future__ import annotations

import atexit
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import zlib
from pathlib import Path

import httpx
import numpy as np
import pytest

from careerkg.errors import InvalidInput, StoreError
from careerkg.ingest.embed import Embedder
from careerkg.ingest.index import COLLECTION, ChromaIndex
from careerkg.model import Chunk

DIM = 384
DOC_A, DOC_B = "guide-a", "guide-b"
SHA1, SHA2 = "1" * 64, "2" * 64


def vec(seed: int) -> list[float]:
    v = np.random.default_rng(seed).standard_normal(DIM)
    return (v / np.linalg.norm(v)).tolist()


def chunks(doc_id: str, n: int, tag: str = "v1", first: int = 0) -> list[Chunk]:
    return [Chunk(chunk_id=f"{doc_id}-{tag}-{i}", doc_id=doc_id, index=i, start=i * 100, end=i * 100 + 90,
                  text=f"{doc_id} {tag} chunk {i}: £45,000 \"quoted\" ünï") for i in range(first, first + n)]


def vecs(items: list[Chunk], salt: int = 0) -> list[list[float]]:
    return [vec(zlib.crc32(f"{c.chunk_id}/{salt}".encode())) for c in items]


# --- the server -----------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:  # runs in the child before exec
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass  # not Linux: the atexit hook and the teardown still stop it


def _kill_group(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)


def _start_server(root: Path) -> tuple[subprocess.Popen, str]:
    """Start ``chroma run`` on ``root/db`` and wait for its heartbeat; the caller kills it."""
    binary = Path(sys.executable).with_name("chroma")
    if not binary.exists():
        pytest.skip(f"no `chroma` CLI beside {sys.executable} (it comes with the chromadb package)")
    port = _free_port()
    with open(root / "server.log", "ab") as log:
        proc = subprocess.Popen([str(binary), "run", "--path", str(root / "db"), "--host", "127.0.0.1", "--port", str(port)],
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                                preexec_fn=_die_with_parent, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    atexit.register(_kill_group, proc)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(url + "/api/v2/heartbeat", timeout=1).status_code == 200:
                    return proc, url
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"`chroma run` did not answer its heartbeat (exit {proc.poll()}): "
                            + (root / "server.log").read_text(errors="replace")[-2000:])
            time.sleep(0.1)
    except BaseException:
        _kill_group(proc)
        raise


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory) -> str:
    proc, url = _start_server(tmp_path_factory.mktemp("chroma-server"))
    try:
        yield url
    finally:
        _kill_group(proc)


@pytest.fixture(params=["embedded", "server"])
def backend(request, tmp_path):
    """``(open_index, kind)``: ``open_index()`` opens a ChromaIndex on this test's (empty) index."""
    embedder = Embedder()
    if request.param == "embedded":
        def open_index() -> ChromaIndex:
            return ChromaIndex(embedder, path=tmp_path / "chroma")
    else:
        url = request.getfixturevalue("chroma_server")
        import chromadb

        client = chromadb.HttpClient(host="127.0.0.1", port=int(url.rsplit(":", 1)[1]))
        if COLLECTION in [c if isinstance(c, str) else c.name for c in client.list_collections()]:
            client.delete_collection(COLLECTION)

        def open_index() -> ChromaIndex:
            return ChromaIndex(embedder, url=url)
    yield open_index, request.param
    assert embedder.model_calls == 0  # the contract never needs the model


@pytest.fixture
def index(backend) -> ChromaIndex:
    return backend[0]()


# --- the contract ---------------------------------------------------------------------------

def test_empty_index(index):
    assert index.count() == 0
    assert index.query(vec(1), 5) == []
    assert index.all_chunks() == [] and index.doc_versions() == {}
    assert index.delete_doc(DOC_A) == 0 and index.delete_doc(DOC_A, keep_sha256=SHA1) == 0
    index.add([], [], sha256=SHA1, title="nothing")  # no-op
    assert index.count() == 0


def test_add_is_an_upsert(index):
    a = chunks(DOC_A, 3)
    index.add(a, vecs(a), sha256=SHA1, title="Guide A")
    index.add(a, vecs(a), sha256=SHA1, title="Guide A")
    assert index.count() == 3 and index.doc_versions() == {(DOC_A, SHA1): 3}
    changed = [Chunk(c.chunk_id, c.doc_id, c.index, c.start, c.end, c.text + " (edited)") for c in a[:1]]
    index.add(changed, vecs(changed, salt=1), sha256=SHA1, title="Guide A, retitled")
    assert index.count() == 3
    got = {h.chunk_id: h for h in index.all_chunks()}
    assert got[a[0].chunk_id].text.endswith("(edited)") and got[a[0].chunk_id].title == "Guide A, retitled"
    assert got[a[1].chunk_id].title == "Guide A"


def test_metadata_round_trips(index):
    a = chunks(DOC_A, 2)
    index.add(a, vecs(a), sha256=SHA1, title="Guide « A »")
    hits = sorted(index.all_chunks(), key=lambda h: h.chunk_id)
    assert [(h.chunk_id, h.doc_id, h.sha256, h.start, h.end, h.text, h.title) for h in hits] == \
        [(c.chunk_id, c.doc_id, SHA1, c.start, c.end, c.text, "Guide « A »") for c in a]
    assert all(isinstance(h.start, int) and isinstance(h.end, int) for h in hits)


def test_query_ranks_by_cosine_similarity(index):
    a, b = chunks(DOC_A, 4), chunks(DOC_B, 4)
    index.add(a, vecs(a), sha256=SHA1, title="A")
    index.add(b, vecs(b), sha256=SHA2, title="B")
    target = b[2]
    hits = index.query(vecs([target])[0], 3)
    assert len(hits) == 3 and hits[0].chunk_id == target.chunk_id
    assert hits[0].score == pytest.approx(1.0, abs=1e-4)
    assert hits[0].doc_id == DOC_B and hits[0].sha256 == SHA2 and hits[0].text == target.text
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert len(index.query(vec(7), 100)) == 8  # k above the count: everything, no error


def test_query_hits_carry_the_version_for_current_version_filtering(index):
    """``query`` may return any version; the caller keeps the hits whose sha256 is current."""
    old, new = chunks(DOC_A, 3, "v1"), chunks(DOC_A, 3, "v2")
    index.add(old, vecs(old), sha256=SHA1, title="A")
    index.add(new, vecs(new), sha256=SHA2, title="A")
    current = {DOC_A: SHA2}
    hits = index.query(vecs(old[:1])[0], 6)
    assert {h.sha256 for h in hits} == {SHA1, SHA2}
    kept = [h for h in hits if current.get(h.doc_id) == h.sha256]
    assert sorted(h.chunk_id for h in kept) == sorted(c.chunk_id for c in new)


def test_replace_a_version(index):
    old, new, other = chunks(DOC_A, 3, "v1"), chunks(DOC_A, 2, "v2"), chunks(DOC_B, 2)
    index.add(old, vecs(old), sha256=SHA1, title="A")
    index.add(other, vecs(other), sha256=SHA1, title="B")
    index.add(new, vecs(new), sha256=SHA2, title="A")
    assert index.doc_versions() == {(DOC_A, SHA1): 3, (DOC_A, SHA2): 2, (DOC_B, SHA1): 2}
    assert index.delete_doc(DOC_A, keep_sha256=SHA2) == 3
    assert index.delete_doc(DOC_A, keep_sha256=SHA2) == 0  # repeatable
    assert index.doc_versions() == {(DOC_A, SHA2): 2, (DOC_B, SHA1): 2}
    assert index.count() == 4
    assert {h.sha256 for h in index.query(vecs(old[:1])[0], 10) if h.doc_id == DOC_A} == {SHA2}


def test_delete_a_documents_vectors(index):
    a, b = chunks(DOC_A, 3), chunks(DOC_B, 2)
    index.add(a, vecs(a), sha256=SHA1, title="A")
    index.add(b, vecs(b), sha256=SHA1, title="B")
    assert index.delete_doc(DOC_A) == 3
    assert index.delete_doc(DOC_A) == 0  # missing: no-op
    assert index.delete_doc("never-ingested") == 0
    assert index.count() == 2 and {h.doc_id for h in index.all_chunks()} == {DOC_B}
    assert {h.doc_id for h in index.query(vecs(a[:1])[0], 5)} == {DOC_B}
    assert index.delete_doc(DOC_B) == 2 and index.count() == 0 and index.query(vec(3), 5) == []


def test_batches_larger_than_one_request(index):
    many = chunks(DOC_A, 1100)
    index.add(many, vecs(many), sha256=SHA1, title="big")
    assert index.count() == 1100 and index.doc_versions() == {(DOC_A, SHA1): 1100}
    assert len(index.all_chunks()) == 1100
    assert index.delete_doc(DOC_A) == 1100 and index.count() == 0


def test_persists_across_reopen(backend):
    open_index, _ = backend
    first = open_index()
    a = chunks(DOC_A, 3)
    first.add(a, vecs(a), sha256=SHA1, title="A")
    again = open_index()
    assert again.count() == 3 and again.doc_versions() == {(DOC_A, SHA1): 3}
    assert again.query(vecs(a[1:2])[0], 1)[0].chunk_id == a[1].chunk_id


def test_a_second_client_sees_writes(backend):
    """Several processes may share a Chroma server; an embedded index has one writer (this process)."""
    open_index, kind = backend
    if kind == "embedded":
        pytest.skip("embedded: one process writes the index (its count is cached between its own writes)")
    one, two = open_index(), open_index()
    assert one.count() == 0 and two.count() == 0
    a = chunks(DOC_A, 3)
    one.add(a, vecs(a), sha256=SHA1, title="A")
    assert two.count() == 3 and len(two.query(vec(5), 10)) == 3
    two.delete_doc(DOC_A)
    assert one.count() == 0 and one.query(vec(5), 10) == []


def test_bad_input_is_invalid_input(index):
    a = chunks(DOC_A, 3)
    with pytest.raises(InvalidInput):
        index.add(a, vecs(a)[:2], sha256=SHA1, title="A")  # one vector short
    assert index.count() == 0
    index.add(a, vecs(a), sha256=SHA1, title="A")
    with pytest.raises(InvalidInput):
        index.add(chunks(DOC_B, 1), [[0.5] * (DIM // 2)], sha256=SHA1, title="B")  # wrong dimension
    with pytest.raises(InvalidInput):
        index.query([0.5] * (DIM // 2), 3)
    with pytest.raises(InvalidInput):
        index.query(vec(1), 0)
    with pytest.raises(InvalidInput):
        index.add(chunks(DOC_B, 1), [[float("nan")] * DIM], sha256=SHA1, title="B")
    with pytest.raises(InvalidInput):
        index.add(chunks(DOC_B, 1) * 2, vecs(chunks(DOC_B, 1)) * 2, sha256=SHA1, title="B")  # a chunk id twice
    assert index.count() == 3 and index.doc_versions() == {(DOC_A, SHA1): 3}


def test_server_restart_keeps_the_data_and_an_outage_is_a_store_error(tmp_path):
    """Server only: the data lives in ``chroma run --path``; a server gone away is ``StoreError`` (503)."""
    proc, url = _start_server(tmp_path)
    try:
        index = ChromaIndex(Embedder(), url=url)
        a = chunks(DOC_A, 3)
        index.add(a, vecs(a), sha256=SHA1, title="A")
    finally:
        _kill_group(proc)
    for call in (index.count, lambda: index.query(vec(1), 3), index.doc_versions, lambda: index.delete_doc(DOC_A)):
        with pytest.raises(StoreError):
            call()
    with pytest.raises(StoreError):
        ChromaIndex(Embedder(), url=url)
    proc, url = _start_server(tmp_path)
    try:
        again = ChromaIndex(Embedder(), url=url)
        assert again.count() == 3 and again.query(vecs(a[:1])[0], 1)[0].chunk_id == a[0].chunk_id
    finally:
        _kill_group(proc)
