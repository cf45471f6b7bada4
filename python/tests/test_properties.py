"""Properties of `align` on generated statements (hypothesis)."""

from __future__ import annotations

from typing import Dict, List

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import paralign

WORDS = {
    "en": "the minister talks trade border peace council vote 2026 report".split(),
    "ru": "министр говорит торговля граница мир совет голосование 2026 доклад".split(),
    "de": "der minister spricht handel grenze frieden rat abstimmung 2026 bericht".split(),
    "es": "el ministro habla comercio frontera paz consejo voto 2026 informe".split(),
    "fr": "le ministre parle commerce frontière paix conseil vote 2026 rapport".split(),
}

# A paragraph: words ending in a full stop, which no page-chrome pattern matches.
def paragraphs(lang: str):
    sentence = st.lists(st.sampled_from(WORDS[lang]), min_size=1, max_size=25).map(
        lambda ws: " ".join(ws).capitalize() + "."
    )
    return st.lists(st.lists(sentence, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=12)


@st.composite
def statements(draw) -> Dict[str, List[str]]:
    langs = draw(st.lists(st.sampled_from(sorted(WORDS)), min_size=2, max_size=5, unique=True))
    return {lang: draw(paragraphs(lang)) for lang in langs}


def assert_each_paragraph_once(versions: Dict[str, List[str]], units) -> None:
    for lang, paras in versions.items():
        seen = [p for u in units if lang in u["langs"] for p in u["langs"][lang]["paras"]]
        assert seen == list(range(len(paras))), (lang, seen)
        texts = [t for u in units if lang in u["langs"] for t in u["langs"][lang]["text"]]
        assert texts == [" ".join(p.split()) for p in paras]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(statements(), st.booleans())
def test_every_paragraph_is_in_exactly_one_unit(versions, chrome):
    units = paralign.align(versions, chrome=chrome)
    assert_each_paragraph_once(versions, units)
    for u in units:
        assert 0.0 <= u["confidence"] <= 1.0
        assert u["bead"].count("-") == len(versions) - 1


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(statements())
def test_every_paragraph_is_in_exactly_one_unit_as_one_text(versions):
    # Each version as one str, paragraphs apart by blank lines, as a .txt file.
    units = paralign.align({lang: "\n\n".join(p) for lang, p in versions.items()})
    assert_each_paragraph_once(versions, units)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(statements())
def test_sentences_lie_in_their_paragraphs_once_each(versions):
    units = paralign.align(versions, level="sentence")
    for lang, paras in versions.items():
        sentences = [s for u in units if lang in u["langs"] for s in u["langs"][lang]["sentences"]]
        assert sentences == list(range(len(sentences)))
        paras_seen = sorted({p for u in units if lang in u["langs"] for p in u["langs"][lang]["paras"]})
        assert paras_seen == list(range(len(paras)))
