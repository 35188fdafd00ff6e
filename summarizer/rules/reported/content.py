"""Reported content: the finding, and the helpers every form uses to cut its span and check it."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..candidates import QuoteCandidate
from ..speakers import Attribution
from ..text import strip_span
from .cues import VERB


@dataclass(frozen=True)
class Reported:
    """Reported content ``text[start:end]``, its kind and its attribution."""

    start: int
    end: int
    kind: Literal["indirect", "partial"]
    attribution: Attribution
    nested: bool = False  # reported inside a direct quote, by someone else ("IRNA said: 'the leader has said ...'")
    pieces: tuple[tuple[int, int], ...] = ()  # the content either side of a tag inside it ("The plan, she said, is dead")


OPENING_MARKS = "\"“‘'«„"
MIN_WORDS = 3
MAX_CONTENT_CHARS = 2000  # longer than any sentence of the 840 PolNeAR articles' reported speech; keeps hostile text linear
QUOTE_MARKS = '"“”„«»'
MARKS_IN = re.compile(r"[\"“”„«»]|''")


def crosses(reported: Reported, direct: Sequence[QuoteCandidate]) -> bool:
    """Whether content starts or ends inside a direct quote: it took in the quote's tag, not reported speech."""
    return any(q.start < reported.start < q.end or q.start < reported.end < q.end for q in direct)


def content_around(text: str, before: tuple[int, int], after: tuple[int, int], attribution: Attribution) -> Reported | None:
    """Content in two pieces either side of its tag, the second up to the next clause of its own."""
    rest = content_span(text, *after, attribution)
    lead = strip_span(text, *before)
    if rest is None or lead[0] >= lead[1]:
        return None
    return Reported(lead[0], rest.end, "indirect", attribution, pieces=(lead, (rest.start, rest.end)))


_NEXT_CLAUSE = re.compile(  # the last form: a clause with a speaker of its own (", and Tom Brown agreed", ", while 60 percent said")
    rf"(?:,\s*|\s+)(?:and|but)\s+(?:also\s+|then\s+|later\s+)?(?:{VERB}|called|calling|described|referred|urged)\b|,\s*(?:{VERB}|describing|calling|citing|accusing|urging)\b|,\s+as\s+(?:he|she|they|it)\s|;\s"
    rf"|,\s+(?:and|but|while|whereas)\s+(?:he|she|they|it|we|I|the|an?|other|others|some|many|most|several|[A-Z0-9][\w.’'-]*)\s+(?:[\w.’'-]+\s+){{0,2}}?(?:{VERB})\b"
)


def content_span(text: str, start: int, end: int, attribution: Attribution) -> Reported | None:
    """The content ``text[start:end]``, up to a coordinated cue of its own (", but insists ...") and without closing punctuation;
    at most ``MAX_CONTENT_CHARS`` long, cut at a space (a run-on "sentence" of cues must not give each cue the rest of it)."""
    if end - start > MAX_CONTENT_CHARS:
        space = text.rfind(" ", start, start + MAX_CONTENT_CHARS)
        end = space if space > start else start + MAX_CONTENT_CHARS
    start, end = strip_span(text, start, end)
    next_clause = _NEXT_CLAUSE.search(text, start, end)
    if next_clause is not None:
        end = next_clause.start()
    while end > start and text[end - 1] in ".!?,;:—–-":
        end -= 1
    if end - start < 2:
        return None
    return Reported(start, end, "indirect", attribution)


def is_content(text: str, start: int, end: int) -> bool:
    """Whether a span can be reported content: a few words, not a lone quote mark's remnant."""
    return len(text[start:end].split()) >= MIN_WORDS


def with_kind(text: str, reported: Reported) -> Reported:
    """Content holding quoted words is partial: quote marks, or two apostrophes standing for them ("said ''there could be'' a line")."""
    has_marks = MARKS_IN.search(text, reported.start, reported.end) is not None
    return dataclasses.replace(reported, kind="partial" if has_marks else "indirect")


def distinct(found: list[Reported]) -> list[Reported]:
    """One finding per content span, the first cue's with a speaker, else the first cue's (a sentence may match two forms)."""
    seen: set[tuple[int, int]] = set()
    kept = []
    for reported in sorted(found, key=lambda r: (r.start, -r.end, r.attribution.speaker is None)):
        if (reported.start, reported.end) not in seen:
            seen.add((reported.start, reported.end))
            kept.append(reported)
    return kept
