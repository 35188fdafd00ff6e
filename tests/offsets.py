"""The output invariant, checked whole: every grounded item is the article's own text at its offsets."""

from __future__ import annotations

from summarizer import ArticleSummary


def assert_offsets_exact(result: ArticleSummary) -> int:
    """Assert ``text[start:end] == item.text`` for every grounded span of ``result``; returns how many were checked."""
    text = result.article.text
    assert text is not None, "the result must carry its text"
    spans = [mention for actor in result.actors for mention in actor.mentions]
    spans += [fragment for quote in result.quotes for fragment in quote.fragments]
    spans += [quote.context for quote in result.quotes if quote.context is not None]
    spans += [stance.evidence for stance in result.stances if stance.evidence is not None]
    spans += [span for point in result.summary.points for span in point.spans]
    for span in spans:
        assert text[span.start : span.end] == span.text, span
    items = [item for item in [*result.quotes, *result.figures] if item.grounding != "unmatched"]
    for item in items:
        assert item.start is not None and item.end is not None and text[item.start : item.end] == item.text, item
    return len(spans) + len(items)
