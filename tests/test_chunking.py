"""Long articles: the context per backend, chunks cut to fit it, one merged digest.

Model calls go to a ScriptedServer on 127.0.0.1 whose answers are computed
from each request (a fixture that "reads" the chunk it is shown: it answers
every listed candidate by its number, one passage copied from the chunk, and
the names listed), not recordings.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import io
import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai
import pytest
from click.testing import CliRunner
from pydantic import BaseModel, create_model

from summarizer import BackendError, Summarizer
from summarizer import chunking as chunking_module
from summarizer.articles import make_article
from summarizer.chunking import OVERLAP_CHARS, Chunk, ChunkReading, estimate_messages, estimate_tokens, plan_chunks, prompt_budget
from summarizer.cli import chunk_progress_display, main
from summarizer.errors import ConfigurationError
from summarizer.model.backend import CallLog, Extraction, known_context_tokens
from summarizer.model.local import EmbeddedServer
from summarizer.rules import find_evidence
from summarizer.schema import DigestAnswer, StanceAnswer
from summarizer.testing import Reply, ScriptedServer, answer, computed, status

from .offsets import assert_offsets_exact

GUM = Path(__file__).resolve().parent / "data" / "gum-news" / "articles.jsonl"
NO_WAIT = {"Retry-After": "0"}


@pytest.fixture(autouse=True)
def _no_endpoint_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_API_KEY", "SUMMARIZER_BASE_URL", "SUMMARIZER_MODEL", "SUMMARIZER_CONTEXT_TOKENS"):
        monkeypatch.delenv(name, raising=False)


def gum_text(words: int) -> str:
    """The GUM Wikinews articles joined (paragraphs kept), repeated to at least ``words`` words."""
    articles = "\n\n".join(json.loads(line)["text"] for line in GUM.read_text(encoding="utf-8").splitlines())
    return "\n\n".join([articles] * (words // len(articles.split()) + 1))


SIXTY_THOUSAND_WORDS = gum_text(60_000)


def shown_part(request: dict[str, Any]) -> str:
    """The article text a request shows the model."""
    match = re.search(r"<article[^>]*>\n(.*)\n</article>", request["messages"][-1]["content"], re.DOTALL)
    return match.group(1) if match else ""


def is_chunk_call(request: dict[str, Any]) -> bool:
    """A digest request (a chunk of the article), not the final summary of the parts."""
    return "structured digest" in request["messages"][0]["content"]


def reading_reply(request: dict[str, Any]) -> Reply:
    """A model that reads what it is shown: every listed quote and figure by number, the first twelve words as a passage, the names."""
    user = request["messages"][-1]["content"]
    part = shown_part(request)
    if not is_chunk_call(request):
        return answer({"summary": "The whole of the article, read in parts.", "key_points": ["One point."]})
    names = re.search(r"^Names: (.*)$", user, re.MULTILINE)
    return answer(
        {
            "summary": f"A part starting with {part.split()[0]}.",
            "key_points": [],
            "actors": [{"name": name, "kind": "other"} for name in (names.group(1).split("; ") if names else [])],
            "quotes": [{"ref": ref} for ref in re.findall(r"^\[(Q\d+)\]", user, re.MULTILINE)] + [{"text": " ".join(part.split()[:12]), "kind": "indirect"}],
            "figures": [{"ref": ref} for ref in re.findall(r"^\[(F\d+)\]", user, re.MULTILINE)],
            "stances": [],
        },
        usage=(estimate_tokens(user), 40),
    )


@pytest.fixture
def reader() -> Iterator[ScriptedServer]:
    with ScriptedServer(default=computed(reading_reply)) as server:
        yield server


def scripted(server: ScriptedServer, **options: Any) -> Summarizer:
    return Summarizer(base_url=server.base_url, model="fake", **{"context_tokens": 4096, "max_tokens": 1024, "transport_retries": 1, **options})


# --------------------------------------------------------------------------
# The context of each backend
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "tokens"),
    [
        ("gpt-4o-mini", 128_000),
        ("openai/gpt-4o-mini-2024-07-18", 128_000),
        ("gpt-4-0613", 8192),
        ("qwen2.5:7b", 32_768),
        ("llama3:8b", 8192),
        ("llama3.1:8b", 128_000),
        ("SmolLM2-135M-Instruct", 8192),
        ("my-own-model", 8192),
    ],
)
def test_known_models_have_their_context_and_others_8192(model: str, tokens: int) -> None:
    assert known_context_tokens(model) == tokens


def test_the_context_comes_from_the_option_then_the_environment_then_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    endpoint = {"base_url": "http://127.0.0.1:9/v1"}
    assert Summarizer(model="qwen2.5:7b", **endpoint).context_tokens == 32_768
    assert Summarizer(model="anything", **endpoint).context_tokens == 8192
    assert Summarizer(gguf=None).context_tokens == 8192  # the embedded model's n_ctx
    monkeypatch.setenv("SUMMARIZER_CONTEXT_TOKENS", "16000")
    assert Summarizer(model="qwen2.5:7b", **endpoint).context_tokens == 16_000
    assert Summarizer(model="qwen2.5:7b", context_tokens=4096, **endpoint).context_tokens == 4096


@pytest.mark.parametrize("value", ["lots", "0", "-5"])
def test_a_bad_context_in_the_environment_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SUMMARIZER_CONTEXT_TOKENS", value)
    with pytest.raises(ConfigurationError, match="SUMMARIZER_CONTEXT_TOKENS"):
        Summarizer(model="m", base_url="http://127.0.0.1:9/v1")


def test_a_context_too_small_to_hold_anything_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="at least 1,024"):
        Summarizer(model="m", base_url="http://127.0.0.1:9/v1", context_tokens=512)
    with pytest.raises(ConfigurationError, match="concurrency"):
        Summarizer(use_llm=False, concurrency=0)


def test_the_embedded_server_is_started_with_the_context(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    monkeypatch.setattr(EmbeddedServer, "start", lambda self: started.append(self.context_tokens) or "http://127.0.0.1:9/v1")
    Summarizer(context_tokens=16_384)._resolved_backend()
    Summarizer()._resolved_backend()
    assert started == [16_384, 8192]


def test_the_budget_leaves_room_for_the_answer_and_its_schema() -> None:
    budget = prompt_budget(context_tokens=8192, answer_tokens=2048, answer_model=DigestAnswer)
    schema_tokens = estimate_tokens(json.dumps(DigestAnswer.model_json_schema(), separators=(",", ":")))
    assert budget == int((8192 - 2048 - schema_tokens) * 0.9) and budget < 8192 - 2048 - schema_tokens


def test_tokens_are_estimated_from_ascii_and_other_characters() -> None:
    assert estimate_tokens("abcd" * 10) == 10
    assert estimate_tokens("abcde") == 2
    assert estimate_tokens("日本語") == 6
    assert estimate_tokens("café") == 1 + 2


def test_the_answer_schema_is_priced_once_per_answer_model() -> None:
    generated: list[str] = []

    def model_with(field: str) -> type[BaseModel]:
        class Answer(BaseModel):
            @classmethod
            def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> Any:
                generated.append(field)
                return handler(core_schema)

        return create_model("Answer", __base__=Answer, **{field: (str, ...)})

    short, long = model_with("a"), model_with("a_much_longer_field_name_" * 20)
    budgets = [prompt_budget(context_tokens=8192, answer_tokens=1024, answer_model=short) for _ in range(3)]
    assert generated == ["a"] and len(set(budgets)) == 1, "every article asks for the budget: the schema is generated once"
    assert prompt_budget(context_tokens=8192, answer_tokens=1024, answer_model=long) < budgets[0], "another answer model is priced on its own schema"


# --------------------------------------------------------------------------
# Planning
# --------------------------------------------------------------------------


def plan(text: str, *, budget: int = 1500, scope: str = "full") -> list[Chunk]:
    article = make_article(text, id="long")
    return plan_chunks(article, find_evidence(text), scope=scope, budget=budget)


def test_chunks_cover_the_text_in_order_with_a_small_overlap_and_fit() -> None:
    text = gum_text(20_000)
    chunks = plan(text)
    assert len(chunks) > 10
    assert chunks[0].start == 0 and chunks[-1].end == len(text.rstrip())
    for before, after in zip(chunks, chunks[1:]):
        assert before.start < after.start <= before.end  # overlapping or touching, always moving on
        assert before.end - after.start <= OVERLAP_CHARS
        assert not text[after.start].isspace() and not text[before.end - 1].isspace()
    assert all(estimate_messages(chunk.messages) <= 1500 for chunk in chunks)
    assert all(text[chunk.start : chunk.end] == shown_part({"messages": chunk.messages}) for chunk in chunks)


def test_each_chunk_prompt_is_rendered_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # The prompt checked against the budget is the one sent: rendering it again per chunk doubled the planning's work.
    rendered: list[int] = []
    render = chunking_module.render_messages

    def counted(*args: Any, **kwargs: Any) -> Any:
        rendered.append(1)
        return render(*args, **kwargs)

    monkeypatch.setattr(chunking_module, "render_messages", counted)
    chunks = plan(gum_text(20_000))
    assert len(chunks) > 3 and len(rendered) == len(chunks) + 1, "one prompt per chunk, and one to price the instructions"


def test_chunks_end_at_sentence_or_paragraph_ends() -> None:
    text = gum_text(20_000)
    for chunk in plan(text)[:-1]:
        before = text[: chunk.end].rstrip("\"”’')]")
        assert before.endswith((".", "!", "?", "…")) or text[chunk.end : chunk.end + 2] == "\n\n", text[chunk.end - 40 : chunk.end + 5]


def test_each_chunk_lists_the_candidates_that_start_in_it() -> None:
    text = gum_text(20_000)
    evidence = find_evidence(text)
    for chunk in plan(text):
        listed = set(re.findall(r"^\[([QF]\d+)\]", chunk.messages[-1]["content"], re.MULTILINE))
        inside = {q.ref for q in evidence.quotes if chunk.start <= q.start < chunk.end}
        inside |= {f.ref for f in evidence.figures if chunk.start <= f.match.start < chunk.end}
        assert listed == inside


def test_a_sentence_longer_than_a_chunk_is_cut_at_spaces() -> None:
    text = "word " * 6000 + "end."
    chunks = plan(text, scope="summary")
    assert len(chunks) > 2
    assert all(text[chunk.end - 4 : chunk.end] in ("word", "end.") for chunk in chunks)


def test_a_context_without_room_for_the_article_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="raise --context-tokens"):
        plan(gum_text(2000), budget=500)


def test_stances_are_merged_by_holder_target_and_polarity() -> None:
    chunks = [Chunk(0, 0, 10, []), Chunk(1, 5, 20, [])]
    reading = ChunkReading(chunks)
    first = DigestAnswer(summary="a", stances=[StanceAnswer(holder="Jane Doe", target="the plan", polarity="supports")])
    second = DigestAnswer(
        summary="b",
        stances=[
            StanceAnswer(holder="jane doe", target="The plan", polarity="supports", evidence="She backs the plan fully."),
            StanceAnswer(holder="Jane Doe", target="the plan", polarity="opposes"),
        ],
    )
    for chunk, one in zip(chunks, (first, second)):
        reading.record(chunk, Extraction(answer=one, log=CallLog(attempts=1)))
    merged, _ = reading.merged()
    assert [(s.polarity, s.evidence) for s in merged.stances] == [("supports", "She backs the plan fully."), ("opposes", None)]


# --------------------------------------------------------------------------
# A 60,000-word article through a scripted model
# --------------------------------------------------------------------------


def planned(summarizer: Summarizer, text: str) -> list[Chunk]:
    """The chunks ``summarizer`` cuts ``text`` into (for a digest), planned again with the public functions."""
    budget = prompt_budget(context_tokens=summarizer.context_tokens, answer_tokens=summarizer.settings.max_tokens, answer_model=DigestAnswer)
    return plan_chunks(make_article(text, id="x"), find_evidence(text), scope="full", budget=budget)


def test_a_long_article_is_read_one_call_per_chunk_and_merged(reader: ScriptedServer) -> None:
    text = SIXTY_THOUSAND_WORDS
    with scripted(reader) as summarizer:
        result = summarizer.summarize(text, id="long")
        chunks = planned(summarizer, text)
    chunk_calls = [request for request in reader.history if is_chunk_call(request)]
    assert len(text.split()) >= 60_000 and len(chunks) > 50
    assert result.provenance.chunks == len(chunk_calls) == len(chunks)  # one call per chunk
    assert sorted(shown_part(request) for request in chunk_calls) == sorted(text[c.start : c.end] for c in chunks)
    assert not result.provenance.partial and not result.provenance.fallback
    assert result.provenance.attempts == len(reader.history)
    # Merged: every offset exact, no quote or figure twice, the overlaps' repeats removed as duplicates.
    assert assert_offsets_exact(result) > 1000
    spans = [(quote.start, quote.end) for quote in result.quotes]
    assert len(spans) == len(set(spans)) and len({(f.start, f.end) for f in result.figures}) == len(result.figures)
    assert any(warning.startswith("Removed") and "duplicate quotes" in warning for warning in result.provenance.warnings)
    assert all(quote.extracted_by == "model" for quote in result.quotes if quote.kind == "direct")  # every rule quote was listed in a chunk
    # Each chunk's passage (its first words, which the text repeats four times) lands at that chunk's
    # start, not on an earlier repeat (when it opens a rule quote, it is that quote).
    passages = [quote.start for quote in result.quotes if quote.kind == "indirect"]
    assert len(passages) >= 0.75 * len(chunks) and set(passages) <= {chunk.start for chunk in chunks}
    # The summary is a final call over the parts' summaries.
    assert result.summary.text.startswith("The whole of") and result.summary.key_points[0] == "One point."  # then key sentences fill in
    assert result.provenance.summary_source == "model"


def test_a_chunk_that_keeps_failing_leaves_a_partial_digest_with_a_warning(reader: ScriptedServer) -> None:
    text = gum_text(8000)
    words = re.findall(r"[A-Za-z]{9,}", text)
    failing = next(word for word in words[len(words) // 2 :] if text.count(word) == 1)  # a word in one chunk (or two, in an overlap)

    def reply(request: dict[str, Any]) -> Reply:
        return status(500, headers=NO_WAIT) if is_chunk_call(request) and failing in shown_part(request) else reading_reply(request)

    reader.default = computed(reply)
    with scripted(reader, transport_retries=2) as summarizer:
        result = summarizer.summarize(text, id="partial")
    failed = [request for request in reader.history if is_chunk_call(request) and failing in shown_part(request)]
    assert len(failed) == 3 * len({shown_part(r) for r in failed})  # each of its chunks tried 1 + 2 retries times
    assert result.provenance.partial and not result.provenance.fallback
    missing = [w for w in result.provenance.warnings if w.startswith("the model gave no answer for part")]
    assert len(missing) == len({shown_part(r) for r in failed}) and all("HTTP 500" in w for w in missing)
    ranges = [tuple(int(n.replace(",", "")) for n in re.search(r"characters ([\d,]+)-([\d,]+)", w).groups()) for w in missing]  # type: ignore[union-attr]
    assert all(failing in text[start:end] for start, end in ranges)
    assert result.quotes and assert_offsets_exact(result)
    assert any(quote.extracted_by == "model" for quote in result.quotes)  # the other chunks answered


def test_no_chunk_answered_because_the_endpoint_failed_raises_its_error() -> None:
    with ScriptedServer(default=status(503, headers=NO_WAIT)) as server, scripted(server) as summarizer:
        with pytest.raises(BackendError, match="503"):
            summarizer.summarize(gum_text(5000))


def test_when_the_summary_of_the_parts_fails_the_lead_stands_in(reader: ScriptedServer) -> None:
    reader.default = computed(lambda request: reading_reply(request) if is_chunk_call(request) else status(500, headers=NO_WAIT))
    with scripted(reader) as summarizer:
        result = summarizer.summarize(gum_text(5000), id="lead")
    assert result.provenance.summary_source == "lead" and not result.provenance.partial
    assert any("parts could not be written" in warning for warning in result.provenance.warnings)


def test_chunk_calls_stay_within_the_concurrency_and_progress_is_told(reader: ScriptedServer) -> None:
    in_flight, peak, lock = 0, 0, threading.Lock()

    def reply(request: dict[str, Any]) -> Reply:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.05)  # held open, so that calls overlap
        with lock:
            in_flight -= 1
        return reading_reply(request)

    reader.default = computed(reply)
    told: list[tuple[int, int]] = []
    with scripted(reader, concurrency=3) as summarizer:
        result = summarizer.summarize(gum_text(6000), progress=lambda done, total: told.append((done, total)))
    total = result.provenance.chunks
    assert 1 < peak <= 3
    assert told[0] == (0, total) and told[-1] == (total, total) and [done for done, _ in told] == list(range(total + 1))


def test_asummarize_reads_the_chunks_too(reader: ScriptedServer) -> None:
    import asyncio

    async def run() -> Any:
        async with scripted(reader) as summarizer:
            return await summarizer.asummarize(gum_text(5000), id="async")

    result = asyncio.run(run())
    assert result.provenance.chunks > 1 and assert_offsets_exact(result)


def test_an_article_that_fits_is_sent_whole_as_before(reader: ScriptedServer) -> None:
    text = json.loads(GUM.read_text(encoding="utf-8").splitlines()[0])["text"]
    with scripted(reader, context_tokens=32_768) as summarizer:
        result = summarizer.summarize(text)
    assert result.provenance.chunks == 1 and len(reader.history) == 1 and shown_part(reader.history[0]) == text


# --------------------------------------------------------------------------
# Long articles from synchronous code: one loop thread and one async client per summarizer
# --------------------------------------------------------------------------


def chunk_threads() -> int:
    return sum(thread.name == "summarizer-chunks" and thread.is_alive() for thread in threading.enumerate())


def test_long_articles_read_from_synchronous_code_share_one_loop_and_one_client(reader: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    # Building an async openai client costs 30 ms of CPU (the TLS trust store): once per summarizer, not per article.
    built: list[int] = []

    class CountedClient(openai.AsyncOpenAI):
        def __init__(self, **options: Any) -> None:
            built.append(1)
            super().__init__(**options)

    monkeypatch.setattr(openai, "AsyncOpenAI", CountedClient)
    text, before = gum_text(6_000), chunk_threads()
    summarizer = scripted(reader)
    digests = [summarizer.summarize(text, id=f"a{n}") for n in range(3)]
    assert all(digest.provenance.chunks > 1 and not digest.provenance.partial for digest in digests)
    assert len(built) == 1 and chunk_threads() == before + 1
    summarizer.close()
    assert chunk_threads() == before
    assert summarizer.summarize(text, id="after").provenance.chunks > 1, "a closed summarizer reads the next long article on a new loop"
    assert len(built) == 2
    summarizer.close()


def test_closing_a_summarizer_cancels_the_long_article_it_is_reading() -> None:
    # Closed from another thread mid-article, the reading is cancelled: its caller is not left waiting for ever.
    asked = threading.Event()

    class StuckModel:
        async def aextract(self, messages: Any, *, response_model: Any, context: Any = None) -> Any:
            asked.set()
            await asyncio.Event().wait()

    summarizer = Summarizer(base_url="http://127.0.0.1:9/v1", model="fake", context_tokens=4096, max_tokens=1024, model_client=StuckModel())
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            summarizer.summarize(gum_text(6_000), id="stuck")
        except BaseException as exc:  # reported to the test's thread
            outcome.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert asked.wait(30)
    summarizer.close()
    reader.join(10)
    assert not reader.is_alive() and len(outcome) == 1 and isinstance(outcome[0], concurrent.futures.CancelledError)


def test_a_summarizer_dropped_unclosed_leaves_no_loop_thread(reader: ScriptedServer) -> None:
    before = chunk_threads()
    summarizer = scripted(reader)
    summarizer.summarize(gum_text(6_000), id="dropped")
    assert chunk_threads() == before + 1
    del summarizer
    gc.collect()
    deadline = time.monotonic() + 10
    while chunk_threads() > before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert chunk_threads() == before


# --------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------


def test_cli_summarize_reads_a_long_file_in_chunks(reader: ScriptedServer, tmp_path: Path) -> None:
    source = tmp_path / "long.txt"
    source.write_text(gum_text(6000), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["summarize", str(source), "--base-url", reader.base_url, "--model", "fake", "--context-tokens", "6144", "-j", "2"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    digest = json.loads(result.stdout)
    assert digest["provenance"]["chunks"] > 1 and digest["provenance"]["chunks"] == sum(is_chunk_call(r) for r in reader.history)


def test_chunk_progress_is_drawn_on_a_terminal_only() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    show = chunk_progress_display(terminal)
    assert show is not None and chunk_progress_display(io.StringIO()) is None
    for done in range(4):
        show(done, 3)
    assert terminal.getvalue().endswith("\rReading the article in 3 parts: 3 done\n")
    assert terminal.getvalue().count("\r") == 4
