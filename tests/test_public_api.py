from __future__ import annotations

import inspect

import summarizer
from summarizer.errors import SummarizerError

EXPECTED = {
    "PROMPT_VERSION", "SCHEMA_VERSION", "Actor", "Article", "ArticleSummary", "AuthenticationError", "BackendError",
    "ConfigurationError", "ExtractionError", "Figure", "InputError", "LocalModelError", "Quote", "RateLimitError",
    "RequestRejectedError",
    "Stance", "Summarizer", "SummarizerError", "asummarize", "make_article", "read_article", "summarize",
}  # fmt: skip


def test_exports_are_exactly_the_intended_names() -> None:
    assert set(summarizer.__all__) == EXPECTED
    assert all(hasattr(summarizer, name) for name in summarizer.__all__)


def test_every_error_derives_from_the_one_base() -> None:
    errors = [getattr(summarizer, n) for n in summarizer.__all__ if n.endswith("Error")]
    assert all(issubclass(e, SummarizerError) for e in errors)


def test_public_functions_take_options_by_keyword_only() -> None:
    for function in (summarizer.Summarizer.__init__, summarizer.Summarizer.summarize, summarizer.make_article):
        params = list(inspect.signature(function).parameters.values())
        positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        assert positional in (["self"], ["self", "article"], ["text"]), function
