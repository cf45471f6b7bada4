"""The native module of paralign (see paralign/__init__.py and docs/python.md)."""

from __future__ import annotations

import os
from typing import Any, Callable, Dict, List, Literal, Mapping, Optional, Sequence, Union

from ._types import Finding, Unit

__version__: str

LangCode = Literal["en", "ru", "de", "es", "fr"]
Level = Literal["paragraph", "sentence"]
SentenceMode = Literal["split", "lines"]
Format = Literal["ladder", "units", "tmx", "moses", "docpairs"]
PathLike = Union[str, "os.PathLike[str]"]
Versions = Mapping[str, Union[str, Sequence[str]]]
"""Language code → the version's paragraphs (a list or tuple of str; indices in the
units are indices in it; an empty paragraph raises ArgumentError), or its whole text (a
str, split into paragraphs at blank lines as a .txt file is)."""

class Model:
    """Models learned from a corpus: each language's length model and lexicon against the
    pivot, and the sentence models when learned at the sentence level. The file is the
    one ``paralign learn CORPUS -o MODEL`` and ``paralign align --save-model`` write."""

    @staticmethod
    def learn(
        corpus_dir: PathLike,
        *,
        level: Level = "paragraph",
        pivot: LangCode = "en",
        langs: Optional[Sequence[LangCode]] = None,
        sentences: SentenceMode = "split",
        sample: int = 2000,
        pair_by: Literal["auto", "stem", "content"] = "auto",
        boilerplate: Optional[PathLike] = None,
        jobs: Optional[int] = None,
    ) -> Model:
        """Learn the models of a corpus folder (CORPUS/<lang>/…) as ``paralign learn``
        does: from a sample of ``sample`` statements; with ``level="sentence"`` the
        sentence models too. Raises CorpusError, ArgumentError, ModelError."""
    @staticmethod
    def load(path: PathLike) -> Model:
        """Read a model file. Raises ModelError (missing, not a model, a model of another
        format version)."""
    def save(self, path: PathLike) -> None:
        """Write the model file (whole or not at all). Raises OutputError."""
    @property
    def pivot(self) -> str: ...
    @property
    def langs(self) -> List[str]: ...
    @property
    def levels(self) -> List[str]:
        """["paragraph"], or ["paragraph", "sentence"] when it holds sentence models."""

def align(
    versions: Versions,
    *,
    level: Level = "paragraph",
    pivot: LangCode = "en",
    model: Optional[Model] = None,
    langs: Optional[Sequence[LangCode]] = None,
    sentences: SentenceMode = "split",
    chrome: bool = True,
    doc: str = "statement",
) -> List[Unit]:
    """Align the versions of one statement: its N-way units, as units.jsonl's records.

    Aligned with ``model`` when given, else with models learned from the statement itself
    (as the command line learns from its corpus). ``langs``: the languages of a run
    (``--langs``), which each unit's ``bead`` names (``x`` where the statement lacks
    one); by default those of ``versions``. ``chrome``: leave page chrome (language
    switchers, share links, photo credits) out of the units, as the command line does.
    ``doc``: the statement's name in the records. The GIL is released while aligning.

    Raises ArgumentError (a ValueError: an unknown language code, fewer than two
    versions, an empty version or paragraph), TypeError (versions not a mapping of str
    to str or list of str), ModelError (a model of another pivot or languages, or with no
    sentence models at the sentence level).
    """

def qa(
    versions: Versions,
    *,
    pivot: LangCode = "en",
    model: Optional[Model] = None,
    level: Level = "paragraph",
    langs: Optional[Sequence[LangCode]] = None,
    sentences: SentenceMode = "split",
    chrome: bool = True,
    doc: str = "statement",
) -> List[Finding]:
    """The translation-QA findings of one statement, as qa.jsonl's records: every version
    checked against the pivot. Arguments and exceptions as :func:`align`'s."""

def align_corpus(
    corpus_dir: PathLike,
    out_dir: PathLike,
    *,
    langs: Optional[Sequence[LangCode]] = None,
    pivot: LangCode = "en",
    level: Level = "paragraph",
    sentences: SentenceMode = "split",
    formats: Optional[Sequence[Format]] = None,
    qa: bool = False,
    batch_size: int = 500,
    sample: int = 2000,
    jobs: Optional[int] = None,
    model: Union[Model, PathLike, None] = None,
    relearn: bool = False,
    save_model: Optional[PathLike] = None,
    pair_by: Literal["auto", "stem", "content"] = "auto",
    boilerplate: Optional[PathLike] = None,
    shard: Optional[str] = None,
    follow_links: bool = False,
    progress: Optional[Callable[[int, int], Any]] = None,
) -> Dict[str, Any]:
    """Align a corpus folder into ``out_dir`` as ``paralign align`` does (the options are
    its options), in batches, resuming a run stopped before. ``progress(done, total)`` is
    called from the calling thread, about ten times a second while statements are done.

    Returns the summary: summary.json's fields, and ``out`` (the output folder) and
    ``resumed`` (finished batches kept). Input that could not be read is listed in its
    ``skipped`` (path, line, reason) and does not raise.

    Ctrl-C (in the main thread) stops the run between statements, keeps the finished
    batches and raises KeyboardInterrupt: the same call resumes. An exception raised by
    ``progress`` stops the run likewise and is raised.

    Raises CorpusError, OutputError, ModelError, ArgumentError (each with ``path`` and,
    where known, ``line``).
    """
