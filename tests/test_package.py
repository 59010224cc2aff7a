"""The package squats no names: graph/, ingest/, qa/ and api/ install and import as careerkg.*.

The wheel is built from a copy of the sources (no stale ``build/`` of the checkout can leak into it),
offline, with the venv's setuptools.
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FOLDERS = ("careerkg", "graph", "ingest", "qa", "api")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    for name in FOLDERS:
        shutil.copytree(REPO / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                           "-q", "-w", str(out), str(src)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    (whl,) = out.glob("careerkg-*.whl")
    with zipfile.ZipFile(whl) as z:
        yield z


def test_the_wheel_installs_only_careerkg(wheel):
    names = wheel.namelist()
    stray = [n for n in names if n.split("/")[0] != "careerkg" and not
             (n.startswith("careerkg-") and n.split("/")[0].endswith(".dist-info"))]
    assert not stray
    for pkg in ("graph", "ingest", "qa", "api", "api/routers", "api/web"):
        assert any(n.startswith(f"careerkg/{pkg}/") for n in names), pkg
    # package data comes along under the new names
    assert {"careerkg/graph/ontology.ttl", "careerkg/graph/gazetteer.yaml", "careerkg/graph/esco_labels.tsv.gz"} <= set(names)
    assert any(n.startswith("careerkg/api/web/templates/") and n.endswith(".html") for n in names)
    dist = next(n.split("/")[0] for n in names if n.endswith(".dist-info/WHEEL"))
    assert wheel.read(f"{dist}/top_level.txt").decode().split() == ["careerkg"]
    assert "careerkg = careerkg.api.cli:app" in wheel.read(f"{dist}/entry_points.txt").decode()


@pytest.mark.parametrize("module, folder", [("careerkg.graph.store", "graph"), ("careerkg.ingest.load", "ingest"),
                                            ("careerkg.qa.policy", "qa"), ("careerkg.api.errors", "api"),
                                            ("careerkg.api.routers", "api/routers")])
def test_namespaced_modules_import_from_the_checkout(module, folder):
    mod = importlib.import_module(module)
    assert Path(mod.__file__).resolve().is_relative_to(REPO / folder)


def test_the_old_top_level_names_are_gone(tmp_path):
    """Outside the checkout (no folder named graph/ in the cwd), only careerkg.* imports."""
    code = ("import importlib.util as u; import careerkg.graph.vocab; "
            "print([n for n in ('graph', 'ingest', 'qa', 'api') if u.find_spec(n) is not None])")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_careerkg_star_resolves_from_the_repo_root():
    """From the repo root the checkout's own careerkg/ folder is found first; careerkg.graph still maps to graph/."""
    code = "import careerkg, careerkg.graph.vocab as v; print(careerkg.__file__); print(v.__file__)"
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    init, vocab = proc.stdout.split()
    assert Path(init).resolve() == REPO / "careerkg" / "__init__.py"
    assert Path(vocab).resolve() == REPO / "graph" / "vocab.py"
