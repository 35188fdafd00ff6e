"""Integration tests replaying real traffic with the embedded model (SmolLM2-135M).

The cassettes in cassettes/test_cassettes/ were recorded from llama-cpp-python's
server running the embedded GGUF over HTTP; replay uses record mode ``none``,
so these tests never touch the network. Re-record (after a prompt change):

    SUMMARIZER_RECORD=all .venv/bin/python -m pytest tests/test_cassettes.py
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from summarizer import ArticleSummary, Summarizer
from summarizer.model.local import EmbeddedServer

from .cassette import CASSETTES, SECRET_HEADERS, make_vcr, record_mode, recorded

pytestmark = pytest.mark.cassette
recorder = make_vcr("test_cassettes")
REPLAY_URL = "http://127.0.0.1:1/v1"  # never contacted: vcrpy answers, and matching ignores the port


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    if record_mode() == "none":
        yield REPLAY_URL
        return
    with EmbeddedServer() as server:
        assert server.base_url
        yield server.base_url


def embedded(base_url: str, *, scope: str) -> Summarizer:
    """Configured exactly as the embedded default, so recorded bodies match."""
    return Summarizer(base_url=base_url, model=EmbeddedServer().model_name, mode="llama_cpp", scope=scope)


def assert_grounded(result: ArticleSummary) -> None:
    text = result.article.text or ""
    for item in [*result.quotes, *result.figures]:
        if item.grounding != "unmatched":
            assert item.start is not None and item.end is not None and text[item.start : item.end] == item.text
    for actor in result.actors:
        assert actor.mentions, f"{actor.name} is not mentioned in the article"
        assert all(text[m.start : m.end] == m.text for m in actor.mentions)


@recorded(recorder, "korea_summary_scope")
def test_embedded_default_summary_scope(base_url: str, korea_text: str) -> None:
    with embedded(base_url, scope="summary") as summarizer:
        result = summarizer.summarize(korea_text, id="korea")
    assert result.provenance.model == "SmolLM2-135M-Instruct" and result.provenance.attempts >= 1
    assert result.provenance.usage.prompt_tokens > 0 and result.provenance.usage.completion_tokens > 0
    assert result.summary.text and "Korea" in result.summary.text
    assert len(result.quotes) >= 4 and all(q.extracted_by == "rules" for q in result.quotes)
    assert any(f.text == "36 shells" and f.value == 36 for f in result.figures)
    assert_grounded(result)


@recorded(recorder, "korea_full_scope")
def test_embedded_full_scope_keeps_only_grounded_items(base_url: str, korea_text: str) -> None:
    with embedded(base_url, scope="full") as summarizer:
        result = summarizer.summarize(korea_text, id="korea")
    assert result.provenance.attempts >= 1
    assert result.quotes and result.figures
    assert_grounded(result)
    assert all(q.grounding != "unmatched" for q in result.quotes)


@recorded(recorder, "asylum_summary_scope")
def test_embedded_on_a_second_article(base_url: str, gum_articles: dict[str, dict]) -> None:
    record = gum_articles["GUM_news_asylum"]
    with embedded(base_url, scope="summary") as summarizer:
        result = summarizer.summarize(record)
    assert result.article.id == "GUM_news_asylum" and result.article.title == record["title"]
    assert result.summary.text
    assert_grounded(result)


@recorder.use_cassette("three_chunk_summary_scope")
def test_embedded_model_over_a_three_chunk_article(base_url: str, gum_articles: dict[str, dict]) -> None:
    """Three GUM articles joined, read by the embedded model in a 2,048-token context: three chunks, then the summary of the parts.

    One call at a time: the embedded server answers one request at a time, and recording on a busy
    machine would otherwise see the queued requests time out.
    """
    text = "\n\n".join(gum_articles[name]["text"] for name in ("GUM_news_afghan", "GUM_news_asylum", "GUM_news_clock"))
    with Summarizer(base_url=base_url, model=EmbeddedServer().model_name, mode="llama_cpp", scope="summary", context_tokens=2048, concurrency=1) as summarizer:
        result = summarizer.summarize(text, id="three")
    assert result.provenance.chunks == 3 and not result.provenance.partial and not result.provenance.fallback
    assert result.provenance.attempts == 4  # one call per chunk, one for the summary of the parts
    assert result.provenance.summary_source == "model" and result.summary.text
    assert {"Afghanistan", "Kabul"} & {actor.name for actor in result.actors}  # the rules read the whole text
    assert_grounded(result)


def test_cassettes_exist_and_hold_no_secrets() -> None:
    files = sorted(CASSETTES.rglob("*.json"))
    assert files, "no cassettes recorded"
    for path in files:
        raw = path.read_text(encoding="utf-8")
        cassette = json.loads(raw)
        for interaction in cassette["interactions"]:
            for part in (interaction["request"], interaction["response"]):
                names = {name.lower() for name in part.get("headers", {})}
                assert not names & set(SECRET_HEADERS), f"{path.name}: secret header {names & set(SECRET_HEADERS)}"
        assert not re.search(r"sk-[A-Za-z0-9_-]{8,}|Bearer\s+\S+", raw), f"{path.name} holds something like a key"


# --------------------------------------------------------------------------
# Recorded from summarizer.testing.ScriptedServer, not from a model: the
# answers are hand-written (the 135M model never returns usable quotes), the
# traffic is real (the openai client, Instructor's request and its re-ask).
# --------------------------------------------------------------------------

KOREA_ANSWER = {
    "summary": "North Korea put its military on a war footing after an exchange of fire with South Korea.",
    "key_points": ["North Korea declared a quasi-state of war."],
    "actors": [{"name": "Korean Central News Agency", "kind": "organization", "aliases": ["KCNA"]}],
    "quotes": [
        {"ref": "Q4", "speaker": "Korean Central News Agency"},
        {"text": "Foolhardy provocation deserves harsh punishment", "speaker": "Korean Central News Agency"},
    ],
    "figures": [{"ref": "F1", "describes": "shells fired"}],
    "stances": [],
}
INVENTED = {**KOREA_ANSWER, "quotes": [{"text": "We will never talk to Seoul again, whatever happens", "speaker": "Kim Jong-un"}]}


def scripted(base_url: str) -> Summarizer:
    return Summarizer(base_url=base_url, model="scripted", mode="json_schema", scope="full", max_reasks=1)


@pytest.fixture
def scripted_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A ScriptedServer with the test's answers queued while recording; the replay address otherwise."""
    if record_mode() == "none":
        yield REPLAY_URL
        return
    from summarizer.testing import ScriptedServer, answer

    with ScriptedServer() as server:
        server.enqueue(*(answer(a) for a in request.param))
        yield server.base_url


@pytest.mark.parametrize("scripted_url", [[KOREA_ANSWER]], indirect=True)
@recorded(recorder, "scripted_grounded_quotes")
def test_a_recorded_answer_with_quotes_by_number_and_by_text_is_grounded(scripted_url: str, korea_text: str) -> None:
    with scripted(scripted_url) as summarizer:
        result = summarizer.summarize(korea_text, id="korea")
    model_quotes = [q for q in result.quotes if q.extracted_by == "model"]
    assert len(model_quotes) == 2 and all(q.grounding == "exact" for q in model_quotes)
    assert {q.speaker for q in model_quotes} == {"Korean Central News Agency"}
    assert any(q.text.startswith("War maniacs of the South Korean puppet military") for q in model_quotes)  # Q4, by number
    assert any(q.text == "Foolhardy provocation deserves harsh punishment" for q in model_quotes)  # by text
    assert result.provenance.attempts == 1 and not result.provenance.warnings
    assert_grounded(result)


@pytest.mark.parametrize("scripted_url", [[INVENTED, KOREA_ANSWER]], indirect=True)
@recorded(recorder, "scripted_reask")
def test_a_recorded_reask_tells_the_model_which_quote_is_not_in_the_article(scripted_url: str, korea_text: str) -> None:
    with scripted(scripted_url) as summarizer:
        result = summarizer.summarize(korea_text, id="korea")
    assert result.provenance.attempts == 2
    assert not any("never talk to Seoul" in q.text for q in result.quotes)
    assert any(q.extracted_by == "model" for q in result.quotes)


def test_the_recorded_reask_carries_the_reason() -> None:
    """What the replay above matched on: Instructor's second request names the invented quote and why it failed."""
    cassette = json.loads((CASSETTES / "test_cassettes" / "scripted_reask.json").read_text(encoding="utf-8"))
    first, second = (json.dumps(i["request"]["body"]) for i in cassette["interactions"])
    assert "is not in the article" not in first
    assert "is not in the article" in second and "never talk to Seoul" in second
