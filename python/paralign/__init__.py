"""paralign aligns the en, ru, de, es and fr versions of a statement paragraph by
paragraph (and sentence by sentence) and writes parallel corpora.

- :func:`align` — one statement's N-way units, as units.jsonl's records;
- :func:`qa` — one statement's translation-QA findings, as qa.jsonl's records;
- :class:`Model` — models learned from a corpus (``paralign learn``), loaded and saved;
- :func:`align_corpus` — a whole corpus folder, as ``paralign align`` does.

The work is done with the GIL released: statements aligned from several threads run in
parallel. See docs/python.md.
"""

from ._errors import ArgumentError, CorpusError, ModelError, OutputError, ParalignError
from ._paralign import Model, __version__, align, align_corpus, qa
from ._types import Finding, Side, Unit

__all__ = [
    "align",
    "qa",
    "align_corpus",
    "Model",
    "Unit",
    "Side",
    "Finding",
    "ParalignError",
    "ArgumentError",
    "ModelError",
    "CorpusError",
    "OutputError",
    "__version__",
]
