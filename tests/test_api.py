"""The pipeline around the model, with a fake model client (no HTTP)."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

from summarizer import ArticleSummary, ConfigurationError, ExtractionError, InputError, Summarizer, summarize
from summarizer.model.prompts import PROMPT_VERSION

from .fakes import FakeModel, answer

KOREA_QUOTE = "Kim Jong-un issued an order of the supreme commander"


def grounded_spans_hold(result: ArticleSummary) -> bool:
    text = result.article.text or ""
    spans = [(q.start, q.end, q.text) for q in result.quotes if q.grounding != "unmatched"]
    spans += [(f.start, f.end, f.text) for f in result.figures if f.grounding != "unmatched"]
    spans += [(m.start, m.end, m.text) for a in result.actors for m in a.mentions]
    return all(text[start:end] == span for start, end, span in spans)


def test_model_answer_becomes_a_grounded_summary(korea_text: str) -> None:
    fake = FakeModel(
        answer(
            summary="North Korea put its army on alert.",
            key_points=["Alert", "Alert", " "],
            quotes=[{"text": KOREA_QUOTE, "speaker": "KCNA"}],
            actors=[{"name": "Kim Jong-un", "kind": "person", "role": "supreme commander"}],
        )
    )
    result = Summarizer(model_client=fake, model="fake").summarize(korea_text, id="korea")
    assert result.summary.text == "North Korea put its army on alert." and result.provenance.summary_source == "model"
    # The model's point (repeats and blanks dropped) first, then the rules' sentences up to three.
    assert result.summary.key_points[0] == "Alert" and 3 <= len(result.summary.key_points) <= 5
    assert [p.extracted_by for p in result.summary.points][:2] == ["model", "rules"]
    assert all(p.spans and all(korea_text.replace("\r\n", "\n")[s.start : s.end] == s.text for s in p.spans) for p in result.summary.points)
    assert result.article.id == "korea" and result.article.text == korea_text.replace("\r\n", "\n")
    assert any(KOREA_QUOTE in q.text and q.extracted_by == "model" for q in result.quotes)
    assert any(a.name == "Kim Jong-un" and a.role == "supreme commander" and a.mentions for a in result.actors)
    assert grounded_spans_hold(result)
    assert result.provenance.model == "fake" and result.provenance.prompt_version == PROMPT_VERSION
    assert result.provenance.attempts == 1 and result.provenance.usage.prompt_tokens == 100
    assert not result.provenance.fallback


def test_invented_quote_is_reasked_then_dropped_with_a_warning(korea_text: str) -> None:
    invented = {"text": "We will export more than 10% of our oil revenue", "speaker": "Kim Jong-un"}
    fake = FakeModel(answer(quotes=[invented]), answer(quotes=[invented]), max_reasks=1)
    result = Summarizer(model_client=fake, model="fake", max_reasks=1).summarize(korea_text)
    assert len(fake.history) == 2, "the invented quote must be re-asked once"
    assert "not" in fake.history[1][-1]["content"] and "10%" in fake.history[1][-1]["content"]
    assert all("10%" not in q.text for q in result.quotes)
    assert any("10%" in w for w in result.provenance.warnings)
    assert result.provenance.attempts == 2 and result.provenance.usage.prompt_tokens == 200


def test_lenient_mode_keeps_the_invented_quote_as_unmatched(korea_text: str) -> None:
    invented = {"text": "We will export more than 10% of our oil revenue", "speaker": "Kim Jong-un"}
    fake = FakeModel(answer(quotes=[invented]), max_reasks=0)
    result = Summarizer(model_client=fake, model="fake", max_reasks=0, lenient=True).summarize(korea_text)
    unmatched = [q for q in result.quotes if q.grounding == "unmatched"]
    assert [q.text for q in unmatched] == [invented["text"]] and unmatched[0].start is None


def test_unusable_answer_falls_back_to_rule_evidence(korea_text: str) -> None:
    fake = FakeModel(ExtractionError("cut off", last_completion='{"summary": "Salvaged: the military is on high alert.", "key_points": ["a", "a", "a'))
    result = Summarizer(model_client=fake, model="fake").summarize(korea_text)
    assert result.summary.text == "Salvaged: the military is on high alert." and result.provenance.fallback
    assert result.quotes and all(q.extracted_by == "rules" for q in result.quotes)
    assert any("unusable" in w for w in result.provenance.warnings)


def test_rules_only_needs_no_model(korea_text: str) -> None:
    result = summarize(korea_text, use_llm=False)
    assert result.provenance.model == "rules" and result.provenance.attempts == 0
    assert result.summary.text and result.quotes and result.figures and result.actors
    assert grounded_spans_hold(result)


def test_text_can_be_left_out_and_records_are_accepted(korea_text: str) -> None:
    result = summarize({"id": "k1", "text": korea_text, "title": "T"}, use_llm=False, include_text=False)
    assert result.article.text is None and result.article.id == "k1" and result.article.title == "T"
    assert result.article.chars == len(korea_text) and len(result.article.sha256) == 64


def test_async_twin_gives_the_same_digest(korea_text: str) -> None:
    sync = Summarizer(model_client=FakeModel(answer(summary="S.")), model="fake").summarize(korea_text)
    result = asyncio.run(Summarizer(model_client=FakeModel(answer(summary="S.")), model="fake").asummarize(korea_text))
    assert result.model_dump(exclude={"provenance"}) == sync.model_dump(exclude={"provenance"})


def test_bad_input_and_configuration_are_typed_errors() -> None:
    with pytest.raises(InputError):
        summarize("   ", use_llm=False)
    with pytest.raises(ConfigurationError, match="--model"):
        Summarizer(base_url="http://127.0.0.1:9/v1")
    with pytest.raises(ConfigurationError, match="scope"):
        Summarizer(scope="everything")


@pytest.mark.parametrize(
    ("option", "value"),
    [("concurrency", 0), ("max_chars", 0), ("max_tokens", -5), ("max_reasks", -1), ("transport_retries", -1), ("timeout_s", 0), ("timeout_s", float("nan"))],
)
def test_limits_no_run_can_honour_are_refused_at_construction(option: str, value: float) -> None:
    """A timeout of 0 s used to read as 'cannot reach' a running endpoint; a negative max_tokens was sent to it."""
    with pytest.raises(ConfigurationError, match=option):
        Summarizer(base_url="http://127.0.0.1:9/v1", model="m", **{option: value})


def test_backend_resolution_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SUMMARIZER_MODEL", "SUMMARIZER_BASE_URL", "SUMMARIZER_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    embedded = Summarizer()
    assert embedded.settings.embedded and embedded.settings.resolved_scope == "summary"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-123")
    hosted = Summarizer()
    assert not hosted.settings.embedded and hosted.model_name == "gpt-4o-mini" and hosted.backend_host == "api.openai.com"
    assert "sk-test-123" not in repr(hosted.settings)
    monkeypatch.setenv("SUMMARIZER_BASE_URL", "http://127.0.0.1:11434/v1")
    monkeypatch.setenv("SUMMARIZER_MODEL", "qwen2.5:7b")
    ollama = Summarizer()
    assert ollama.backend_host == "127.0.0.1:11434" and ollama.settings.resolved_scope == "full"


def test_key_points_lose_labels_and_repeats_contained_in_others() -> None:
    from summarizer.api import _distinct

    points = ["North Korea is on alert.", "Key points: North Korea is on alert, and the South too.", "War is near.", "Warfare resumed.", " "]
    assert _distinct(points) == ["North Korea is on alert.", "War is near.", "Warfare resumed."]


def test_a_runaway_summary_and_key_point_are_cut_short_with_a_warning(korea_text: str) -> None:
    sentences = " ".join("North Korea fired shells across the border." for _ in range(60))
    fake = FakeModel(answer(summary=sentences, key_points=["alert " * 100, "North Korea put its military on alert."]))
    result = Summarizer(model_client=fake, model="fake", base_url="http://127.0.0.1:1/v1").summarize(korea_text)
    assert len(result.summary.text) <= 1000 and result.summary.text.endswith("across the border.")
    assert sentences.startswith(result.summary.text)
    assert len(result.summary.key_points[0]) <= 200 and result.summary.key_points[0].endswith("…")
    assert result.summary.key_points[1] == "North Korea put its military on alert."
    assert any(w.startswith(f"the model's summary ran to {len(sentences):,} characters; cut to") for w in result.provenance.warnings)
    assert any(w.startswith("the model's key point ran to 599 characters") for w in result.provenance.warnings)


def test_a_malformed_base_url_is_refused_at_construction() -> None:
    with pytest.raises(ConfigurationError):
        Summarizer(base_url="not a url", model="m")
    with pytest.raises(ConfigurationError):
        Summarizer(base_url="http://127.0.0.1:9/v1", model="m", mode="xml")


def test_rule_actors_carry_their_other_forms_as_aliases_and_their_title_as_role() -> None:
    text = 'President Masoud Pezeshkian met the Emir in Tehran on Monday.\n\n"We will expand ties," Mr. Pezeshkian said. Later, Pezeshkian left for Doha.'
    result = summarize(text, use_llm=False)
    actor = next(a for a in result.actors if a.name == "Masoud Pezeshkian")
    assert actor.role == "President" and actor.extracted_by == "rules"
    assert "Pezeshkian" in actor.aliases and "Masoud Pezeshkian" not in actor.aliases
    assert len(actor.mentions) == 3


def test_the_reask_check_and_grounding_share_one_aligner_per_article(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its word index is the costly part; with many articles in flight a shared cache would evict it between the two."""
    from summarizer import api
    from summarizer.testing import ScriptedServer
    from summarizer.testing import answer as scripted

    built: list[str] = []

    class CountingAligner(api.TextAligner):
        def __init__(self, text: str) -> None:
            built.append(text)
            super().__init__(text)

    monkeypatch.setattr(api, "TextAligner", CountingAligner)
    texts = [f'Mayor Ann Lee said: "The bridge opens in May, on time." Copy {n}.' for n in range(12)]
    quote = {"summary": "A bridge.", "quotes": [{"text": "The bridge opens in May, on time.", "speaker": "Ann Lee"}]}
    with ScriptedServer(default=scripted(quote)) as server, Summarizer(base_url=server.base_url, model="m") as summarizer:

        async def all_at_once() -> list[ArticleSummary]:
            results = await asyncio.gather(*(summarizer.asummarize(text) for text in texts))
            await summarizer.aclose_http()
            return results

        results = asyncio.run(all_at_once())
    assert sorted(built) == sorted(texts)
    assert all(result.quotes and result.quotes[0].grounding == "exact" for result in results)


def test_a_context_size_below_the_least_names_where_it_came_from(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigurationError, match=r"^context_tokens must be at least 1,024, got 100$"):
        Summarizer(model_client=FakeModel(), model="fake", context_tokens=100)
    monkeypatch.setenv("SUMMARIZER_CONTEXT_TOKENS", "100")
    with pytest.raises(ConfigurationError, match=r"^the environment variable SUMMARIZER_CONTEXT_TOKENS must be at least 1,024, got 100$"):
        Summarizer(model_client=FakeModel(), model="fake")


def test_the_first_async_call_builds_its_model_client_off_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    # Loading openai and Instructor (1–2 s), or starting the embedded server (up to a minute), must not stall the caller's loop.
    from summarizer.testing import ScriptedServer
    from summarizer.testing import answer as scripted_answer

    built_on: list[threading.Thread] = []
    real = Summarizer._backend_config

    def recording(self: Summarizer) -> Any:
        built_on.append(threading.current_thread())
        time.sleep(0.2)  # as an embedded server starting up: the second call comes meanwhile
        return real(self)

    monkeypatch.setattr(Summarizer, "_backend_config", recording)

    async def twice(summarizer: Summarizer) -> tuple[threading.Thread, list[ArticleSummary]]:
        digests = await asyncio.gather(*(summarizer.asummarize("It rained in Paris.") for _ in range(2)))
        return threading.current_thread(), list(digests)

    with (
        ScriptedServer(default=scripted_answer(answer(summary="It rained in Paris."))) as server,
        Summarizer(base_url=server.base_url, model="fake") as summarizer,
    ):
        loop_thread, digests = asyncio.run(twice(summarizer))
    assert [d.summary.text for d in digests] == ["It rained in Paris."] * 2
    assert len(built_on) == 1, "two first calls at once build one client"
    assert built_on[0] is not loop_thread
