"""The README quick start against a live ``careerkg serve`` (issue 11).

``careerkg serve`` runs as its own process on a copy of the seeded data dir and a free
127.0.0.1 port; the README's "in another shell" commands run as written (only the port
differs), then the CLI's read and write commands beside the running service. The
service is stopped at the end and must take its ``service.json`` with it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

import ckg_testdata as td

ROOT = Path(__file__).resolve().parents[1]
CAREERKG = str(Path(sys.executable).with_name("careerkg"))
KEY = "quickstart-key-7a2c"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def readme_block_after(marker: str) -> str:
    text = (ROOT / "README.md").read_text("utf-8")
    after = text.split(marker, 1)[1]
    return re.search(r"```bash\n(.*?)```", after, re.S).group(1)


@pytest.fixture(scope="module")
def served(seeded_data_copy, tmp_path_factory):
    data = tmp_path_factory.mktemp("quickstart") / "data"
    shutil.copytree(seeded_data_copy, data)
    port = free_port()
    env = {**os.environ, "CAREERKG_DATA_DIR": str(data), "CAREERKG_API_KEY": KEY, "CAREERKG_SPARQL_WORKERS": "1",
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    log = open(data.parent / "serve.log", "wb")
    proc = subprocess.Popen([CAREERKG, "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    announced = data / "service.json"
    deadline = time.monotonic() + 180
    while not announced.exists():
        assert proc.poll() is None, (data.parent / "serve.log").read_text()
        assert time.monotonic() < deadline, "careerkg serve did not announce itself within 180 s"
        time.sleep(0.2)
    yield {"data": data, "port": port, "env": env, "proc": proc}
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
    log.close()


def cli(served, *args: str, key: bool = False, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(served["env"])
    if not key:
        env.pop("CAREERKG_API_KEY")
    r = subprocess.run([CAREERKG, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    if check:
        assert r.returncode == 0, (args, r.stdout, r.stderr)
    return r


def test_announcement(served):
    info = json.loads((served["data"] / "service.json").read_text())
    assert info["pid"] == served["proc"].pid and info["url"] == f"http://127.0.0.1:{served['port']}"
    assert Path(info["data_dir"]) == served["data"].resolve()


@pytest.mark.skipif(shutil.which("curl") is None, reason="the README's commands use curl")
def test_readme_quick_start_commands_in_order(served):
    script = readme_block_after("Then, in another shell:").replace("localhost:8000", f"127.0.0.1:{served['port']}")
    assert ".venv/bin/careerkg ask" in script and "curl" in script
    env = {k: v for k, v in served["env"].items() if k != "CAREERKG_API_KEY"}
    env["PATH"] = f"{Path(sys.executable).parent}:{env.get('PATH', '')}"
    r = subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, (r.stdout, r.stderr)
    assert '"answer"' in r.stdout and '"citations"' in r.stdout  # /ask, pretty-printed by json.tool
    assert '"bindings"' in r.stdout and '"min"' in r.stdout  # /sparql results
    assert "Featurespace is based in Cambridge" in r.stdout  # careerkg ask, through the service
    assert "LOCK" not in r.stderr and "Loading weights" not in r.stdout + r.stderr


def test_read_commands_beside_the_service(served):
    listed = json.loads(cli(served, "docs", "list", "--json").stdout)
    assert sorted(d["doc_id"] for d in listed) == sorted(td.SEED_IDS)
    assert "Graduate" not in cli(served, "docs", "show", td.CAREER_GUIDE).stdout
    assert cli(served, "sparql", "ASK { ?s ?p ?o }").stdout.strip() == "true"
    out = cli(served, "entities", "--kind", "org", "--q", "dark").stdout
    assert td.ORG_DARKTRACE in out
    assert "Python" in cli(served, "graph", "neighbours", "MLE").stdout
    exported = cli(served, "export", "--format", "nq").stdout
    assert exported.count("\n") > 1000 and "/graph/ontology" in exported
    t0 = time.perf_counter()
    ans = json.loads(cli(served, "ask", "Where is Featurespace based?", "--json").stdout)
    assert "Cambridge" in ans["answer"]
    assert time.perf_counter() - t0 < 10  # no model load in the CLI process


def test_write_commands_beside_the_service(served, tmp_path):
    r = cli(served, "ingest", str(td.FIXTURE_TXT), check=False)
    assert r.returncode == 1 and "CAREERKG_API_KEY" in r.stderr and "Traceback" not in r.stderr
    guide = tmp_path / "fintech-ml-roles.txt"
    shutil.copy(td.FIXTURE_TXT, guide)
    (tmp_path / "fintech-ml-roles.meta.json").write_text(json.dumps({"issued": "2026-03-01"}))
    r = cli(served, "ingest", str(tmp_path), "--publisher", "Fintech Notes", key=True)
    assert "1 added, 0 updated, 0 unchanged, 0 failed" in r.stdout, r.stderr
    rec = json.loads(cli(served, "docs", "show", "fintech-ml-roles").stdout)
    assert (rec["publisher"], rec["issued"]) == ("Fintech Notes", "2026-03-01")
    assert "0 added, 0 updated, 1 unchanged" in cli(served, "ingest", str(guide), key=True).stdout
    r = cli(served, "docs", "remove", "fintech-ml-roles", check=False)
    assert r.returncode == 1 and "CAREERKG_API_KEY" in r.stderr
    assert "removed fintech-ml-roles" in cli(served, "docs", "remove", "fintech-ml-roles", key=True).stdout
    r = cli(served, "repair", check=False)
    assert r.returncode == 1 and "stop it" in r.stderr


def test_stop_removes_the_announcement(served):
    proc = served["proc"]
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(60) in (0, -signal.SIGTERM)  # uvicorn shuts down cleanly, then re-raises the signal
    assert not (served["data"] / "service.json").exists()
    # without the service the CLI opens the data dir itself again
    listed = json.loads(cli(served, "docs", "list", "--json").stdout)
    assert len(listed) == len(td.SEED_IDS)
