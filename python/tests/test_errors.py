"""Bad input raises the documented exceptions, never a crash."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

import pytest

import paralign
from conftest import DEMO, demo_statements

EN = ["The minister met his counterpart on 3 March.", "They spoke about trade."]
RU = ["Министр встретился с коллегой 3 марта.", "Они говорили о торговле."]


def test_an_unknown_language_code():
    with pytest.raises(paralign.ArgumentError, match="xx") as e:
        paralign.align({"en": EN, "xx": RU})
    assert isinstance(e.value, ValueError)
    with pytest.raises(ValueError, match="pivot|qq"):
        paralign.align({"en": EN, "ru": RU}, pivot="qq")
    with pytest.raises(ValueError, match="level"):
        paralign.align({"en": EN, "ru": RU}, level="word")


def test_an_empty_version_or_paragraph():
    with pytest.raises(paralign.ArgumentError, match="empty") as e:
        paralign.align({"en": EN, "ru": []})
    assert e.value.lang == "ru"
    with pytest.raises(paralign.ArgumentError, match="empty"):
        paralign.align({"en": EN, "ru": " \n\n \t"})
    with pytest.raises(paralign.ArgumentError, match="paragraph 1") as e:
        paralign.qa({"en": EN, "ru": [RU[0], "   "]})
    assert (e.value.lang, e.value.paragraph) == ("ru", 1)


def test_fewer_than_two_versions():
    with pytest.raises(paralign.ArgumentError, match="two languages"):
        paralign.align({"en": EN})
    with pytest.raises(paralign.ArgumentError):
        paralign.align({})


def test_what_is_not_text():
    with pytest.raises(TypeError, match=r"\[1\].*int"):
        paralign.align({"en": EN, "ru": [RU[0], 3]})
    with pytest.raises(TypeError, match="bytes"):
        paralign.align({"en": EN, "ru": b"text"})
    with pytest.raises(TypeError, match="mapping"):
        paralign.align([EN, RU])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="language code"):
        paralign.align({1: EN, "ru": RU})  # type: ignore[dict-item]


def test_a_model_file_of_another_version(tmp_path, model_file):
    # The format number is the varint after the magic line: 99 is one byte.
    magic = b"paralign model\n"
    data = model_file.read_bytes()
    assert data.startswith(magic)
    path = tmp_path / "future.model"
    path.write_bytes(magic + bytes([99]) + data[len(magic) + 1 :])
    with pytest.raises(paralign.ModelError, match="format 99") as e:
        paralign.Model.load(path)
    assert e.value.path == str(path)
    (tmp_path / "junk.model").write_text("{not json")
    with pytest.raises(paralign.ModelError, match="not a paralign model"):
        paralign.Model.load(tmp_path / "junk.model")
    with pytest.raises(paralign.ModelError, match="cannot read"):
        paralign.Model.load(tmp_path / "missing.model")
    with pytest.raises(paralign.ModelError):
        paralign.align_corpus(DEMO, tmp_path / "out", model=path)


def test_a_model_that_does_not_fit(model_file, tmp_path):
    model = paralign.Model.load(model_file)
    with pytest.raises(paralign.ModelError, match="pivot"):
        paralign.align({"en": EN, "ru": RU}, model=model, pivot="ru")
    paragraphs_only = paralign.Model.learn(DEMO)
    assert paragraphs_only.levels == ["paragraph"]
    with pytest.raises(paralign.ModelError, match="sentence"):
        paralign.align({"en": EN, "ru": RU}, model=paragraphs_only, level="sentence")


def test_corpus_errors_carry_the_path(tmp_path):
    with pytest.raises(paralign.CorpusError) as e:
        paralign.align_corpus(tmp_path / "nowhere", tmp_path / "out")
    assert e.value.path == str(tmp_path / "nowhere")
    with pytest.raises(paralign.ArgumentError, match="batch"):
        paralign.align_corpus(DEMO, tmp_path / "out", batch_size=0)
    with pytest.raises(paralign.ArgumentError, match="formats"):
        paralign.align_corpus(DEMO, tmp_path / "out", formats=["pdf"])
    bad = tmp_path / "boilerplate.txt"
    bad.write_text("# comment\nok\n(unclosed\n")
    with pytest.raises(paralign.ArgumentError) as e:
        paralign.align_corpus(DEMO, tmp_path / "out", boilerplate=bad)
    assert (e.value.path, e.value.line) == (str(bad), 3)


def test_skipped_input_is_in_the_summary(tmp_path):
    corpus = tmp_path / "corpus"
    for lang in ("en", "ru"):
        (corpus / lang).mkdir(parents=True)
        (corpus / lang / "a.txt").write_text("\n\n".join(EN if lang == "en" else RU))
    (corpus / "ru" / "b.txt").write_bytes(b"\xff\xfe\x00\xd8 broken")
    (corpus / "en" / "b.txt").write_text("Some text.")
    summary = paralign.align_corpus(corpus, tmp_path / "out")
    assert [s["path"] for s in summary["skipped"]] == [str(corpus / "ru" / "b.txt")]


def test_ctrl_c_stops_a_run_that_the_same_call_resumes(tmp_path):
    # 600 statements in batches of 10, on one thread: long enough to be interrupted.
    corpus = tmp_path / "corpus"
    for doc, versions in demo_statements().items():
        for lang, text in versions.items():
            (corpus / lang).mkdir(parents=True, exist_ok=True)
            for k in range(60):
                (corpus / lang / f"{doc}-{k}.txt").write_text(text)
    script = textwrap.dedent(
        """
        import signal, sys, paralign
        # Python leaves Ctrl-C ignored when it starts ignored (a shell's background job,
        # some CI runners): the test is of paralign, not of how it was started.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            s = paralign.align_corpus(sys.argv[1], sys.argv[2], batch_size=10, jobs=1,
                                      progress=lambda d, t: print(d, t, flush=True))
            print("finished", s["resumed"], flush=True)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(130)
        """
    )
    out = tmp_path / "out"
    run = subprocess.Popen([sys.executable, "-c", script, str(corpus), str(out)],
                           stdout=subprocess.PIPE, text=True)
    assert run.stdout is not None
    for line in run.stdout:
        done, _ = map(int, line.split())
        if done > 0:
            break
    run.send_signal(signal.SIGINT)
    rest, _ = run.communicate(timeout=120)
    assert run.returncode == 130, rest
    assert "interrupted" in rest
    summary = paralign.align_corpus(corpus, out, batch_size=10)
    assert summary["resumed"] > 0 and summary["documents"] == 600
    fresh = paralign.align_corpus(corpus, tmp_path / "fresh", batch_size=10)
    assert (out / "units").exists()
    for name in ("units", "moses"):
        for f in sorted((tmp_path / "fresh" / name).iterdir()):
            assert (out / name / f.name).read_bytes() == f.read_bytes(), f.name
    assert fresh["resumed"] == 0
