"""The package against the command line on the demo corpus, like for like: the same model
(learned by `paralign learn` from the corpus) on both sides, since the command line learns
from its whole corpus and `align` alone would learn from one statement."""

from __future__ import annotations

import itertools
import pathlib
from concurrent.futures import ThreadPoolExecutor

import pytest

import paralign
from conftest import DEMO, LANGS, cli, demo_statements, jsonl


def by_doc(records):
    return {doc: list(rs) for doc, rs in itertools.groupby(records, key=lambda r: r["doc"])}


def cli_run(tmp_path: pathlib.Path, *args: str) -> pathlib.Path:
    out = tmp_path / "cli"
    r = cli("align", str(DEMO), "-o", str(out), "-q", *args)
    assert r.returncode == 0, r.stderr
    return out


@pytest.mark.parametrize("level", ["paragraph", "sentence"])
def test_align_gives_the_units_of_the_command_line(tmp_path, model_file, level):
    out = cli_run(tmp_path, "--model", str(model_file), "--level", level, "--qa")
    expected = by_doc(jsonl(list((out / "units").glob("*.jsonl"))))
    model = paralign.Model.load(model_file)
    statements = demo_statements()
    assert len(statements) == 10 and set(expected) == set(statements)
    for doc, versions in statements.items():
        units = paralign.align(versions, model=model, level=level, doc=doc, langs=LANGS)
        assert units == expected[doc], doc


def test_qa_gives_the_findings_of_the_command_line(tmp_path, model_file):
    out = cli_run(tmp_path, "--model", str(model_file), "--qa")
    expected = by_doc(jsonl([out / "qa.jsonl"]))
    model = paralign.Model.load(model_file)
    found = 0
    for doc, versions in demo_statements().items():
        findings = paralign.qa(versions, model=model, doc=doc)
        assert findings == expected.get(doc, []), doc
        found += len(findings)
    assert found > 0, "the demo corpus has findings"


def test_model_learn_writes_the_file_paralign_learn_writes(tmp_path, model_file):
    model = paralign.Model.learn(DEMO, level="sentence")
    model.save(tmp_path / "m.model")
    assert (tmp_path / "m.model").read_bytes() == model_file.read_bytes()
    assert model.pivot == "en" and model.langs == LANGS
    assert model.levels == ["paragraph", "sentence"]
    # Loaded and saved again: the same bytes.
    paralign.Model.load(model_file).save(tmp_path / "again.json")
    assert (tmp_path / "again.json").read_bytes() == model_file.read_bytes()


def tree(root: pathlib.Path):
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "summary.json"
    }


@pytest.mark.parametrize("with_model", [False, True])
def test_align_corpus_writes_what_the_command_line_writes(tmp_path, model_file, with_model):
    args = ["--model", str(model_file)] if with_model else []
    expected = tree(cli_run(tmp_path, "--qa", *args))
    seen = []
    summary = paralign.align_corpus(
        DEMO,
        tmp_path / "py",
        qa=True,
        model=paralign.Model.load(model_file) if with_model else None,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert tree(tmp_path / "py") == expected
    assert summary["documents"] == 10 and summary["resumed"] == 0
    assert summary["out"] == str(tmp_path / "py")
    assert seen and seen[-1] == (10, 10)
    # The same call again finds every batch finished.
    again = paralign.align_corpus(DEMO, tmp_path / "py", qa=True,
                                  model=paralign.Model.load(model_file) if with_model else None)
    assert again["resumed"] == again["batches"] == 1


def test_threads_align_as_one_thread_does(model_file):
    model = paralign.Model.load(model_file)
    statements = list(demo_statements().items()) * 3

    def one(item):
        doc, versions = item
        return paralign.align(versions, model=model, doc=doc)

    alone = [one(s) for s in statements]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(one, statements)) == alone
