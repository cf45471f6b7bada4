"""The records paralign returns: plain dicts, typed here. Their fields are those of the
command line's units.jsonl and qa.jsonl (docs/outputs.md)."""

from __future__ import annotations

import sys
from typing import Any, Dict, List

if sys.version_info >= (3, 11):
    from typing import NotRequired, TypedDict
else:  # pragma: no cover - the stubs of older Pythons
    from typing_extensions import NotRequired, TypedDict


class Side(TypedDict):
    """One language's part of a unit."""

    id: str
    """The version's id: the statement's ``doc`` (a file's stem, for the command line)."""
    url: NotRequired[str]
    date: NotRequired[str]
    """YYYY-MM-DD, from the version's date line, when it has one."""
    paras: List[int]
    """The paragraphs of the unit (at the sentence level, those its sentences lie in),
    0-based indices into the version's paragraphs."""
    sentences: NotRequired[List[int]]
    """At the sentence level: the sentences, counted through the version from 0."""
    text: List[str]
    """The text of each paragraph (or sentence), normalized (NFC, whitespace folded)."""


class Unit(TypedDict):
    """One N-way unit: what each language has of one passage."""

    doc: str
    unit: int
    """The unit's position among the statement's units (page chrome's units are left out,
    so positions may skip)."""
    para_unit: NotRequired[int]
    """At the sentence level: the paragraph unit the unit lies in."""
    bead: str
    """Segments per language, in the run's language order, ``x`` for a language the
    statement lacks: "1-2-1-1-0"."""
    confidence: float
    """In [0, 1]."""
    langs: Dict[str, Side]
    """Each language with text in the unit."""


class Finding(TypedDict):
    """One translation-QA finding."""

    doc: str
    lang: str
    paras: List[int]
    """Paragraphs of the language's version."""
    pivot_paras: List[int]
    """The pivot's paragraphs compared with."""
    sentences: NotRequired[List[int]]
    pivot_sentences: NotRequired[List[int]]
    check: str
    """omission, addition, untranslated, number_mismatch, date_mismatch, length_ratio or
    low_confidence."""
    severity: str
    """error, warning or info."""
    evidence: Dict[str, Any]
    """What was seen, e.g. the numbers on each side."""
