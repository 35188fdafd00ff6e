"""Extractive key points: the article's own sentences that carry the most.

A body sentence earns its place by what the rules found in it: a quote, a
figure, several actors; the opening sentences count for a little more, as
news puts what matters first. Sentences of the summary, very short and very
long ones are left out. The picks come back in text order, each the
article's own span.
"""

from __future__ import annotations

from collections.abc import Sequence

from .candidates import TextSpan
from .evidence import Evidence
from .text import body_sentences

MIN_WORDS = 6
MAX_WORDS = 60
_OPENING = 4  # sentences that get the lead's bonus


def key_sentences(text: str, evidence: Evidence, *, title: str | None = None, skip: Sequence[TextSpan] = (), limit: int = 5) -> list[TextSpan]:
    """Up to ``limit`` body sentences worth a key point, in text order; none of ``skip`` (the summary's)."""
    quotes = sorted((q.start, q.end) for q in evidence.quotes)
    figures = sorted((f.match.start, f.match.end) for f in evidence.figures)
    mentions = sorted((m.start, m.end, n.ref) for n in evidence.names for m in n.mentions)
    scored = []
    for index, sentence in enumerate(body_sentences(text, title=title)):
        words = len(sentence.text.split())
        if not MIN_WORDS <= words <= MAX_WORDS or any(_overlap(sentence, s.start, s.end) for s in skip):
            continue
        actors = {ref for start, end, ref in mentions if _overlap(sentence, start, end)}
        score = 2.0 * _holds(sentence, quotes) + 2.0 * _holds(sentence, figures) + min(3, len(actors)) + (1.5 if index < _OPENING else 0.0)
        scored.append((score - 0.01 * index, sentence))
    picked = sorted(scored, key=lambda pair: pair[0], reverse=True)[:limit]
    return sorted((sentence for _, sentence in picked), key=lambda sentence: sentence.start)


def _overlap(sentence: TextSpan, start: int, end: int) -> bool:
    return sentence.start < end and start < sentence.end


def _holds(sentence: TextSpan, spans: Sequence[tuple[int, int]]) -> bool:
    return any(_overlap(sentence, start, end) for start, end in spans)
