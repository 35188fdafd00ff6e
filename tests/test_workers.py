"""Worker processes: the same digests as inline, errors and logs carried back, and a dead worker loses no record."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from summarizer.api import Summarizer
from summarizer.batch import run_batch, summarize_many, workers
from summarizer.batch.workers import WorkerLost, WorkerPool
from summarizer.cli import main
from summarizer.errors import AuthenticationError, ConfigurationError
from summarizer.testing import Hang, ScriptedServer, Status, answer

GUM = Path(__file__).resolve().parent / "data" / "gum-news" / "articles.jsonl"
ARTICLES = [json.loads(line) for line in GUM.read_text(encoding="utf-8").splitlines()]
NASA = next(a for a in ARTICLES if a["id"] == "GUM_news_nasa")
# Real quotes of one article plus an invented one: grounding places, links and drops in the workers.
ANSWER = {
    "summary": "The shuttle program ended.",
    "key_points": ["Atlantis flew last."],
    "actors": [{"name": "NASA", "kind": "organization"}, {"name": "Charles Bolden", "kind": "person"}],
    "quotes": [{"text": "I took the bribes", "speaker": "Charles Bolden"}],
    "figures": [],
    "stances": [{"holder": "NASA", "target": "Space Shuttle Program", "polarity": "supports", "evidence": "retire"}],
}


def comparable(result: dict[str, Any]) -> dict[str, Any]:
    result["provenance"].pop("latency_s")
    return result


def run_records(records: list[dict[str, Any]], tmp_path: Path, *, server: ScriptedServer, workers: int, name: str) -> dict[str, dict[str, Any]]:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with Summarizer(base_url=server.base_url, model="fake", max_reasks=0) as summarizer:
        report = run_batch(source, tmp_path / name, summarizer=summarizer, concurrency=4, workers=workers)
        # With workers, this process never talked to the model: the workers did.
        assert (summarizer._own_client is None) == bool(workers)
    assert report.ok == len(records)
    lines = [json.loads(line) for line in (tmp_path / name).read_text(encoding="utf-8").splitlines()]
    return {line["id"]: comparable(line["result"]) for line in lines}


def test_digests_from_worker_processes_equal_the_inline_ones(tmp_path: Path) -> None:
    articles = [NASA, *(a for a in ARTICLES[:5] if a is not NASA)]
    records = [{"id": a["id"], "text": a["text"]} for a in articles] + [{"id": "short", "text": "Rain fell in Paris on Monday, officials said."}]
    with ScriptedServer(default=answer(ANSWER)) as server:
        inline = run_records(records, tmp_path, server=server, workers=0, name="inline.jsonl")
        pooled = run_records(records, tmp_path, server=server, workers=2, name="pooled.jsonl")
    assert pooled == inline
    nasa = pooled["GUM_news_nasa"]
    assert any(actor["name"] == "Charles Bolden" for actor in nasa["actors"]) and nasa["quotes"], "grounding ran on the model's answer"
    assert any("I took the bribes" in warning for warning in nasa["provenance"]["warnings"])
    assert nasa["provenance"]["usage"] == {"prompt_tokens": 10, "completion_tokens": 10}


def test_the_workers_stop_with_the_run(tmp_path: Path) -> None:
    import multiprocessing

    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "text": NASA["text"]}) + "\n", encoding="utf-8")
    with Summarizer(use_llm=False) as summarizer:
        assert run_batch(source, tmp_path / "out.jsonl", summarizer=summarizer, workers=2).ok == 1
    assert [child for child in multiprocessing.active_children() if child.name == "summarizer-worker"] == []


def test_a_killed_worker_is_reported_lost() -> None:
    async def summarize_all(pool: WorkerPool) -> list[int]:
        results = await asyncio.gather(*(pool.summarize(Summarizer(use_llm=False).prepare(a["text"])) for a in ARTICLES[:3]))
        return [len(result.actors) for result in results]

    with Summarizer(use_llm=False) as summarizer:
        factory = summarizer.replica_factory()
        assert factory is not None
        pool = WorkerPool(1, factory)
        try:
            assert all(asyncio.run(summarize_all(pool)))
            for worker in pool._workers:
                os.kill(worker._process.pid, signal.SIGKILL)
            with pytest.raises(WorkerLost, match=r"exit code -9"):
                asyncio.run(summarize_all(pool))
        finally:
            pool.close()


def test_a_lost_worker_costs_no_record(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    async def lost(self: WorkerPool, article: Any, **_: Any) -> Any:
        raise WorkerLost("a worker process died (exit code -9)")

    monkeypatch.setattr(WorkerPool, "summarize", lost)
    records = [{"id": a["id"], "text": a["text"]} for a in ARTICLES[:4]]
    with Summarizer(use_llm=False) as summarizer, caplog.at_level(logging.WARNING, logger="summarizer"):
        outcomes = list(summarize_many(records, summarizer=summarizer, workers=1))
    assert sorted(o.id for o in outcomes if o.ok) == sorted(r["id"] for r in records)
    assert caplog.text.count("articles are summarized in this process from now on") == 1


def test_a_script_without_a_main_guard_still_gets_every_digest(tmp_path: Path) -> None:
    """Without the guard every worker re-runs the script first (multiprocessing's spawn rule); the parent still gets every digest."""
    script = tmp_path / "noguard.py"
    script.write_text(
        textwrap.dedent(f"""
            import logging
            logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
            from summarizer import Summarizer
            from summarizer.batch import summarize_many
            text = {NASA["text"]!r}
            with Summarizer(use_llm=False) as summarizer:
                outcomes = list(summarize_many([{{"id": str(n), "text": text}} for n in range(3)], summarizer=summarizer, workers=1))
            print(len(outcomes), all(outcome.ok and outcome.result.actors for outcome in outcomes))
        """),
        encoding="utf-8",
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["3", "True"]  # the parent's line comes last (a worker re-running the script may print too)


def test_negative_workers_are_a_configuration_error() -> None:
    with Summarizer(use_llm=False) as summarizer, pytest.raises(ConfigurationError, match="workers"):
        list(summarize_many(["Rain fell."], summarizer=summarizer, workers=-1))


def test_cli_batch_runs_with_workers_and_explains_them(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": a["id"], "text": a["text"]}) + "\n" for a in ARTICLES[:3]), encoding="utf-8")
    runner = CliRunner()
    assert "--workers" in runner.invoke(main, ["batch", "--help"]).output
    result = runner.invoke(main, ["batch", str(source), "-o", str(tmp_path / "out.jsonl"), "--no-llm", "--no-cache", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(json.loads(line)["id"] for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == sorted(a["id"] for a in ARTICLES[:3])


def pool_of(summarizer: Summarizer) -> WorkerPool:
    factory = summarizer.replica_factory()
    assert factory is not None
    return WorkerPool(1, factory)


def test_backend_errors_and_log_records_come_back_from_the_workers(caplog: pytest.LogCaptureFixture) -> None:
    """The batch's circuit breaker and the CLI's -v need both, whichever process made the call."""
    with ScriptedServer() as server, Summarizer(base_url=server.base_url, model="fake", transport_retries=1, max_reasks=0) as summarizer:
        pool = pool_of(summarizer)
        article = summarizer.prepare(NASA["text"])
        server.enqueue(Status(503, headers={"Retry-After": "0"}), answer(ANSWER), Status(401))
        try:
            with caplog.at_level(logging.INFO, logger="summarizer"):
                result = asyncio.run(pool.summarize(article))
                with pytest.raises(AuthenticationError) as refused:
                    asyncio.run(pool.summarize(article))
        finally:
            pool.close()
    assert result.provenance.attempts == 2
    assert refused.value.attempts == 1
    assert "HTTP 503; retrying" in caplog.text and "answered (" in caplog.text
    assert any(record.processName == "summarizer-worker" for record in caplog.records)


def test_a_cancelled_call_leaves_the_worker_serving() -> None:
    """A batch stopped by --fail-fast or Ctrl-C cancels its calls; the worker drops them and takes the next."""

    async def cancel_then_ask(pool: WorkerPool, article: Any, server: ScriptedServer) -> int:
        stuck = asyncio.create_task(pool.summarize(article))
        while not server.history:  # the worker has started and sent the request
            await asyncio.sleep(0.05)
        stuck.cancel()
        with pytest.raises(asyncio.CancelledError):
            await stuck
        return len((await pool.summarize(article)).actors)

    with ScriptedServer(default=answer(ANSWER)) as server, Summarizer(base_url=server.base_url, model="fake", max_reasks=0) as summarizer:
        pool = pool_of(summarizer)
        server.enqueue(Hang(30))
        try:
            assert asyncio.run(asyncio.wait_for(cancel_then_ask(pool, summarizer.prepare(NASA["text"]), server), timeout=25)) > 0
        finally:
            pool.close()
    assert len(server.history) == 2


def test_an_injected_model_client_runs_in_this_process() -> None:
    """A fake client cannot cross to another process: workers are ignored, not broken."""

    class Fake:
        calls = 0

        async def aextract(self, messages: Any, *, response_model: Any, context: Any = None) -> Any:
            from summarizer.model.backend import CallLog, Extraction

            Fake.calls += 1
            return Extraction(answer=response_model.model_validate(ANSWER), log=CallLog(attempts=1))

    with Summarizer(model_client=Fake()) as summarizer:
        assert summarizer.replica_factory() is None
        (outcome,) = summarize_many([NASA["text"]], summarizer=summarizer, workers=2)
    assert Fake.calls == 1 and outcome.result is not None and ANSWER["summary"] in outcome.result.summary.key_points  # as the embedded model's: a key point


def test_an_error_that_cannot_cross_to_the_parent_arrives_as_a_runtime_error_that_names_it() -> None:
    from summarizer.errors import BackendError

    class LocalOnly(Exception):  # defined in a function: pickle cannot find it by name
        pass

    crossed = workers._portable(LocalOnly("boom"))
    assert isinstance(crossed, RuntimeError) and str(crossed) == "LocalOnly: boom"
    backend = BackendError("down", attempts=3)
    assert workers._portable(backend) is backend
