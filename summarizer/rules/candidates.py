"""The rule-found candidate types: spans of the article and the quotes, figures and names in it.

They live apart from the finders so that :mod:`.text`,
:mod:`.names` and :mod:`.quotes` can all build them without
importing one another; :mod:`.evidence` re-exports them as the public
surface. Every span satisfies ``article[start:end] == text``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..schema import ActorKind, QuoteKind
from .figures import FigureMatch


@dataclass(frozen=True)
class TextSpan:
    """A stretch of the article: ``text == article[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class QuoteCandidate:
    """A quoted passage; ``start``/``end``/``text`` cover the words inside the marks.

    ``kind`` is ``direct`` for words in quote marks, ``indirect`` for reported
    speech (the content, without source and cue) and ``partial`` for reported
    speech holding quoted words.

    When the article splits the quote ("X," he said, "Y") or carries it over
    paragraphs, the span runs from the first to the last piece and
    ``fragments`` lists the pieces; otherwise ``fragments`` is empty.
    """

    ref: str
    start: int
    end: int
    text: str
    fragments: tuple[TextSpan, ...]
    cue: str | None
    speaker: str | None
    speaker_span: TextSpan | None
    via: str | None
    kind: QuoteKind = "direct"


@dataclass(frozen=True)
class FigureCandidate:
    """A figure found by :func:`.figures.find_figures`, numbered."""

    ref: str
    match: FigureMatch


@dataclass(frozen=True)
class NameCandidate:
    """A proper name with every mention of it and its short forms, in text order.

    ``name`` is the longest form seen, without role titles ("President") or
    courtesy titles ("Mr."); ``title`` is the first role title seen with it.
    """

    ref: str
    name: str
    kind: ActorKind
    mentions: tuple[TextSpan, ...]
    title: str | None = None
