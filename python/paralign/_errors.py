"""The exceptions paralign raises. Each carries where the fault is, as far as it is known:
``path`` and ``line`` for a file (a corpus file, a model file, the output folder), ``lang``
and ``paragraph`` for a version given to :func:`paralign.align` or :func:`paralign.qa`."""

from __future__ import annotations

from typing import Optional


class ParalignError(Exception):
    """Base class of paralign's errors."""

    path: Optional[str]
    line: Optional[int]
    lang: Optional[str]
    paragraph: Optional[int]

    def __init__(
        self,
        message: str,
        *,
        path: Optional[str] = None,
        line: Optional[int] = None,
        lang: Optional[str] = None,
        paragraph: Optional[int] = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.lang = lang
        self.paragraph = paragraph


class ArgumentError(ParalignError, ValueError):
    """An argument paralign cannot use: an unknown language code, an empty version or
    paragraph, a bad option value, a bad ``boilerplate`` file."""


class ModelError(ParalignError):
    """A model file that cannot be read (missing, not a model, of another format version)
    or a model that does not fit (another pivot, languages it was not learned for, no
    sentence models at the sentence level)."""


class CorpusError(ParalignError):
    """A corpus folder with nothing to align: missing, no language folder, nothing
    readable, no statement with two versions."""


class OutputError(ParalignError):
    """An output folder or file that cannot be written or is refused (inside the corpus,
    another run's shard, busy with another paralign process)."""
