"""Shared fixtures: the repository, the command-line binary, the demo corpus and a model
learned from it by the command line (so that package and command line align with the
same model)."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
from typing import Dict, List

import pytest

REPO = pathlib.Path(os.environ.get("PARALIGN_REPO", pathlib.Path(__file__).resolve().parents[2]))
BIN = pathlib.Path(os.environ.get("PARALIGN_BIN", REPO / "target" / "release" / "paralign"))
DEMO = REPO / "corpora" / "demo"
LANGS = ["en", "ru", "de", "es", "fr"]


def cli(*args: str) -> subprocess.CompletedProcess:
    if not BIN.exists():
        pytest.skip(f"no command-line binary at {BIN} (cargo build --release)")
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, cwd=REPO)


def demo_statements() -> Dict[str, Dict[str, str]]:
    """Each demo statement's versions, as the text of its files."""
    out: Dict[str, Dict[str, str]] = {}
    for lang in LANGS:
        for f in sorted((DEMO / lang).glob("*.txt")):
            out.setdefault(f.stem, {})[lang] = f.read_text(encoding="utf-8")
    return out


def jsonl(paths: List[pathlib.Path]) -> List[dict]:
    return [json.loads(line) for p in sorted(paths) for line in p.read_text().splitlines() if line]


@pytest.fixture(scope="session")
def model_file(tmp_path_factory) -> pathlib.Path:
    """The demo corpus's models at both levels, learned by `paralign learn`."""
    path = tmp_path_factory.mktemp("model") / "demo.model"
    r = cli("learn", str(DEMO), "-o", str(path), "--level", "sentence", "-q")
    assert r.returncode == 0, r.stderr
    return path
