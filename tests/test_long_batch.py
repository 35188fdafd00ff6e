"""Long articles in a batch: chunks share the batch's limit on model calls, a partial digest is written
with its warning (or as an error line with --fail-on-partial), and a stuck record becomes an error line.

Model calls go to a ScriptedServer on 127.0.0.1 (answers computed from each
request, see tests/test_chunking.py); the stuck rule stage is a stub.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from summarizer import Summarizer
from summarizer import api as api_module
from summarizer.articles import make_article
from summarizer.batch import SummaryCache, asummarize_many, run_batch, summarize_many
from summarizer.batch.workers import WorkerPool
from summarizer.cli import main
from summarizer.testing import Reply, ScriptedServer, computed, hang, status

from .test_chunking import NO_WAIT, gum_text, is_chunk_call, reading_reply, shown_part

LONG = "LONG REPORT. The council published its long report today.\n\n" + gum_text(6000)
SHORT = [json.loads(line) for line in (Path(__file__).resolve().parent / "data" / "gum-news" / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:3]]


@pytest.fixture(autouse=True)
def _no_endpoint_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SUMMARIZER_CACHE", str(tmp_path / "default-cache.sqlite"))
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_API_KEY", "SUMMARIZER_BASE_URL", "SUMMARIZER_MODEL", "SUMMARIZER_CONTEXT_TOKENS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def reader() -> Iterator[ScriptedServer]:
    with ScriptedServer(default=computed(reading_reply)) as server:
        yield server


def scripted(server: ScriptedServer, **options: Any) -> Summarizer:
    return Summarizer(base_url=server.base_url, model="fake", **{"context_tokens": 4096, "max_tokens": 1024, "transport_retries": 0, **options})


def records() -> list[dict[str, Any]]:
    return [{"id": "long", "text": LONG}, *({"id": r["id"], "text": r["text"]} for r in SHORT)]


def failing_in_one_chunk(request: dict[str, Any]) -> Reply:
    """The reading model, except for the first chunk of the long article: HTTP 500 every time."""
    if is_chunk_call(request) and shown_part(request).startswith("LONG REPORT"):
        return status(500, headers=NO_WAIT)
    return reading_reply(request)


# --------------------------------------------------------------------------
# One limit on model calls
# --------------------------------------------------------------------------


def test_a_long_articles_chunks_share_the_batchs_concurrency(reader: ScriptedServer) -> None:
    in_flight, peak, lock = 0, 0, threading.Lock()

    def reply(request: dict[str, Any]) -> Reply:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.03)
        with lock:
            in_flight -= 1
        return reading_reply(request)

    reader.default = computed(reply)
    with scripted(reader, concurrency=50) as summarizer:  # the summarizer's own limit is not the batch's
        outcomes = list(summarize_many(records(), summarizer=summarizer, concurrency=2))
    long = next(outcome for outcome in outcomes if outcome.id == "long")
    assert all(outcome.ok for outcome in outcomes) and long.result is not None and long.result.provenance.chunks > 4
    assert peak == 2


# --------------------------------------------------------------------------
# Partial digests
# --------------------------------------------------------------------------


def test_a_partial_digest_is_written_ok_with_its_warning_and_never_cached(reader: ScriptedServer, tmp_path: Path) -> None:
    reader.default = computed(failing_in_one_chunk)
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(record) + "\n" for record in records()), encoding="utf-8")
    with scripted(reader) as summarizer, SummaryCache(tmp_path / "cache.sqlite") as cache:
        report = run_batch(source, tmp_path / "out.jsonl", summarizer=summarizer, cache=cache)
        assert len(cache) == len(SHORT)  # the partial digest is not cached: a re-run asks again
    lines = {line["id"]: line for line in map(json.loads, (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines())}
    assert report.ok == len(lines) == 4 and report.failed == 0
    provenance = lines["long"]["result"]["provenance"]
    assert provenance["partial"] and any(w.startswith("the model gave no answer for part 1 (characters 0-") for w in provenance["warnings"])


def test_fail_on_partial_makes_it_an_error_line(reader: ScriptedServer, tmp_path: Path) -> None:
    reader.default = computed(failing_in_one_chunk)
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(record) + "\n" for record in records()), encoding="utf-8")
    arguments = ["batch", str(source), "-o", str(tmp_path / "out.jsonl"), "--no-cache", "--base-url", reader.base_url, "--model", "fake"]
    result = CliRunner().invoke(main, [*arguments, "--context-tokens", "6144", "--max-reasks", "0", "--fail-on-partial"], catch_exceptions=False)
    lines = {line["id"]: line for line in map(json.loads, (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines())}
    assert result.exit_code == 1
    assert lines["long"]["ok"] is False and lines["long"]["error"]["type"] == "PartialDigestError"
    assert "characters 0-" in lines["long"]["error"]["message"] and "--fail-on-partial" in lines["long"]["error"]["message"]
    assert all(lines[r["id"]]["ok"] for r in SHORT)


# --------------------------------------------------------------------------
# A stuck record
# --------------------------------------------------------------------------


def test_a_record_stuck_in_the_rules_becomes_an_error_line(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    real = api_module.find_evidence

    def stuck(text: str) -> Any:
        if text.startswith("STUCK"):
            release.wait(30)  # a rule stage that would take half a minute
        return real(text)

    monkeypatch.setattr(api_module, "find_evidence", stuck)
    stuck_text = "STUCK " + "The council met again today. " * 2000  # long enough to run off the event loop
    started = time.monotonic()
    try:
        with Summarizer(use_llm=False) as summarizer:
            outcomes = list(summarize_many([{"id": "stuck", "text": stuck_text}, *SHORT], summarizer=summarizer, record_timeout=0.5))
    finally:
        release.set()
    by_id = {outcome.id: outcome for outcome in outcomes}
    assert type(by_id["stuck"].error).__name__ == "RecordTimeoutError" and "no progress for 0.5 s" in str(by_id["stuck"].error)
    assert all(by_id[r["id"]].ok for r in SHORT)
    assert json.loads(by_id["stuck"].line())["error"]["type"] == "RecordTimeoutError"
    assert time.monotonic() - started < 25  # the batch did not wait for the stuck stage to end


def test_a_record_stuck_on_the_model_becomes_an_error_line_and_the_rest_go_on(reader: ScriptedServer) -> None:
    reader.default = computed(lambda request: hang(20) if "STUCK" in request["messages"][-1]["content"] else reading_reply(request))
    with scripted(reader, timeout_s=60) as summarizer:
        outcomes = list(summarize_many([{"id": "stuck", "text": "STUCK. The mayor spoke today."}, *SHORT], summarizer=summarizer, record_timeout=0.5))
    by_id = {outcome.id: outcome for outcome in outcomes}
    assert type(by_id["stuck"].error).__name__ == "RecordTimeoutError" and all(by_id[r["id"]].ok for r in SHORT)


def test_a_long_article_whose_chunks_keep_coming_is_not_given_up(reader: ScriptedServer) -> None:
    reader.delay_s = 0.1
    with scripted(reader, concurrency=1) as summarizer:
        (outcome,) = list(summarize_many([{"id": "long", "text": LONG}], summarizer=summarizer, concurrency=1, record_timeout=1.0))
    assert outcome.ok and outcome.result is not None
    assert outcome.result.provenance.chunks * 0.1 > 1.0  # longer in all than the limit, which counts from the last chunk answered


def test_record_timeout_is_a_positive_number_or_none() -> None:
    async def collect() -> None:
        async for _ in asummarize_many([], summarizer=Summarizer(use_llm=False), record_timeout=0):
            pass

    with pytest.raises(Exception, match="record_timeout must be a positive number"):
        asyncio.run(collect())


def test_batch_help_documents_the_new_options() -> None:
    text = CliRunner().invoke(main, ["batch", "--help"]).stdout
    assert "--record-timeout" in text and "--fail-on-partial" in text and "--context-tokens" in text


# --------------------------------------------------------------------------
# Worker processes
# --------------------------------------------------------------------------


def test_a_worker_tells_the_caller_how_the_chunks_go(reader: ScriptedServer) -> None:
    told: list[tuple[int, int]] = []

    async def run(pool: WorkerPool) -> Any:
        return await pool.summarize(make_article(LONG, id="long"), progress=lambda done, total: told.append((done, total)))

    with scripted(reader) as summarizer:
        factory = summarizer.replica_factory()
        assert factory is not None
        pool = WorkerPool(1, factory)
        try:
            result = asyncio.run(run(pool))
        finally:
            pool.close()
    total = result.provenance.chunks
    assert total > 1 and told[0] == (0, total) and told[-1] == (total, total)
