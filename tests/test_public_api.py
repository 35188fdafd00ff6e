from __future__ import annotations

import inspect
import json
from pathlib import Path

import summarizer
from summarizer import Summarizer
from summarizer.batch import read_done_ids
from summarizer.errors import SummarizerError
from summarizer.evaluate import load_gold, load_predictions
from summarizer.results import read_results

EXPECTED = {
    "PROMPT_VERSION", "SCHEMA_VERSION", "Actor", "Article", "ArticleSummary", "ArticleTooLongError", "AuthenticationError", "BackendError",
    "ConfigurationError", "DigestBatches", "ExtractionError", "Figure", "InputError", "LocalModelError", "PartialDigestError", "Quote", "RateLimitError",
    "RecordTimeoutError", "RequestRejectedError",
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


def test_functions_that_read_files_take_plain_string_paths(tmp_path: Path) -> None:
    """Users pass strings as often as Paths; a str must never reach ``.read_text`` (an AttributeError)."""
    with Summarizer(use_llm=False) as rules:
        result = rules.summarize('Rain fell on Paris, Mayor Anne Hidalgo said. "It was a lot," she said.', id="a")
    article_file = tmp_path / "a.txt"
    article_file.write_text("Rain fell on Paris.\n", encoding="utf-8")
    output = tmp_path / "out.jsonl"
    output.write_text(json.dumps({"id": "a", "ok": True, "result": json.loads(result.model_dump_json())}) + "\n", encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "a", "text": result.article.text, "actors": [{"name": "Anne Hidalgo"}]}) + "\n", encoding="utf-8")

    assert summarizer.read_article(str(article_file)).text.startswith("Rain fell")
    assert read_done_ids(str(output)) == {"a"}
    assert list(load_predictions(str(output))) == ["a"]
    assert [g.id for g in load_gold(str(gold), articles=None)] == ["a"]
    assert [record.id for record in read_results(str(output))] == ["a"]


def test_summarize_and_asummarize_take_the_summarizers_options_typed() -> None:
    """The one-call functions offer exactly Summarizer's options (plus the article's id, title, date, url), each typed, keyword-only."""
    options = {name: p for name, p in inspect.signature(Summarizer.__init__).parameters.items() if name != "self"}
    for function in (summarizer.summarize, summarizer.asummarize):
        params = inspect.signature(function).parameters
        assert [p.name for p in params.values() if p.kind is not p.KEYWORD_ONLY] == ["article"], function
        keywords = {name: p for name, p in params.items() if p.kind is p.KEYWORD_ONLY}
        assert set(keywords) == set(options) | {"id", "title", "date", "url"}, function
        for name, parameter in options.items():
            assert (keywords[name].annotation, keywords[name].default) == (parameter.annotation, parameter.default), (function, name)
        assert all(p.annotation is not inspect.Parameter.empty for p in params.values()), function


def test_summarize_passes_its_options_through() -> None:
    result = summarizer.summarize("Rain fell on Paris, Mayor Anne Hidalgo said.", use_llm=False, include_text=False, id="x", title="Rain")
    assert (result.article.id, result.article.title, result.article.text, result.provenance.model) == ("x", "Rain", None, "rules")
