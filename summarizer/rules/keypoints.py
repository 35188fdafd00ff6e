"""Extractive key points: the article's own sentences that carry the most.

A body sentence earns its place by what the rules found in it: a quote, a
figure, several actors; the opening sentences count for a little more, as
news puts what matters first. Sentences of the summary, very short and very
long ones are left out. The picks come back in text order, each the
article's own span.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence

from .candidates import TextSpan
from .evidence import Evidence

MIN_WORDS = 6
MAX_WORDS = 60
_OPENING = 4  # sentences that get the lead's bonus


def key_sentences(sentences: Sequence[TextSpan], evidence: Evidence, *, skip: Sequence[TextSpan] = (), limit: int = 5) -> list[TextSpan]:
    """Up to ``limit`` of the body ``sentences`` (in text order) worth a key point, in text order; none of ``skip`` (the summary's)."""
    quotes = _Spans((q.start, q.end) for q in evidence.quotes)
    figures = _Spans((f.match.start, f.match.end) for f in evidence.figures)
    mentions = sorted((m.start, m.end, n.ref) for n in evidence.names for m in n.mentions)
    mention_starts = [start for start, _, _ in mentions]
    longest_mention = max((end - start for start, end, _ in mentions), default=0)
    scored = []
    for index, sentence in enumerate(sentences):
        words = len(sentence.text.split())
        if not MIN_WORDS <= words <= MAX_WORDS or any(_overlap(sentence, s.start, s.end) for s in skip):
            continue
        near = mentions[bisect.bisect_left(mention_starts, sentence.start - longest_mention) : bisect.bisect_left(mention_starts, sentence.end)]
        actors = {ref for start, end, ref in near if _overlap(sentence, start, end)}
        score = 2.0 * quotes.touch(sentence) + 2.0 * figures.touch(sentence) + min(3, len(actors)) + (1.5 if index < _OPENING else 0.0)
        scored.append((score - 0.01 * index, sentence))
    picked = sorted(scored, key=lambda pair: pair[0], reverse=True)[:limit]
    return sorted((sentence for _, sentence in picked), key=lambda sentence: sentence.start)


def _overlap(sentence: TextSpan, start: int, end: int) -> bool:
    return sentence.start < end and start < sentence.end


class _Spans:
    """Spans sorted by start, with the running maximum of their ends: "does any touch this sentence" in log time."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [start for start, _ in ordered]
        self.max_end = list(itertools.accumulate((end for _, end in ordered), max))

    def touch(self, sentence: TextSpan) -> bool:
        k = bisect.bisect_left(self.starts, sentence.end)  # the spans that start before the sentence ends
        return k > 0 and self.max_end[k - 1] > sentence.start
