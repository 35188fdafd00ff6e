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

from summarizer import workers
from summarizer.api import Summarizer
from summarizer.batch import run_batch
from summarizer.cli import main
from summarizer.errors import AuthenticationError, ConfigurationError
from summarizer.testing import Hang, ScriptedServer, Status, answer
from summarizer.workers import MAX_AUTO_WORKERS, auto_workers

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


def run(records: list[dict[str, Any]], tmp_path: Path, *, server: ScriptedServer, workers: int, name: str) -> dict[str, dict[str, Any]]:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with Summarizer(base_url=server.base_url, model="fake", max_reasks=0, workers=workers) as summarizer:
        report = run_batch(source, tmp_path / name, summarizer=summarizer, concurrency=4)
        # With workers, this process never talked to the model: the workers did.
        assert (summarizer._own_client is None) == bool(workers)
    assert report.ok == len(records)
    lines = [json.loads(line) for line in (tmp_path / name).read_text(encoding="utf-8").splitlines()]
    return {line["id"]: comparable(line["result"]) for line in lines}


def test_digests_from_worker_processes_equal_the_inline_ones(tmp_path: Path) -> None:
    articles = [NASA, *(a for a in ARTICLES[:5] if a is not NASA)]
    records = [{"id": a["id"], "text": a["text"]} for a in articles] + [{"id": "short", "text": "Rain fell in Paris on Monday, officials said."}]
    with ScriptedServer(default=answer(ANSWER)) as server:
        inline = run(records, tmp_path, server=server, workers=0, name="inline.jsonl")
        pooled = run(records, tmp_path, server=server, workers=2, name="pooled.jsonl")
    assert pooled == inline
    nasa = pooled["GUM_news_nasa"]
    assert any(actor["name"] == "Charles Bolden" for actor in nasa["actors"]) and nasa["quotes"], "grounding ran on the model's answer"
    assert any("I took the bribes" in warning for warning in nasa["provenance"]["warnings"])
    assert nasa["provenance"]["usage"] == {"prompt_tokens": 10, "completion_tokens": 10}


def test_the_workers_outlive_a_batch_and_serve_the_next(tmp_path: Path) -> None:
    """Starting worker processes takes a second: a batch must not stop them when its event loop ends."""
    with ScriptedServer(default=answer(ANSWER)) as server:
        first = run([{"id": "a", "text": NASA["text"]}], tmp_path, server=server, workers=1, name="first.jsonl")
        with Summarizer(base_url=server.base_url, model="fake", max_reasks=0, workers=1) as summarizer:
            source = tmp_path / "in.jsonl"
            for name in ("one.jsonl", "two.jsonl"):
                pool = summarizer._workers
                assert run_batch(source, tmp_path / name, summarizer=summarizer).ok == 1
                assert pool is None or summarizer._workers is pool
            assert summarizer._workers is not None
    assert comparable(json.loads((tmp_path / "two.jsonl").read_text(encoding="utf-8"))["result"]) == first["a"]


def test_a_killed_worker_costs_no_record(caplog: pytest.LogCaptureFixture) -> None:
    texts = [a["text"] for a in ARTICLES[:4]]

    async def summarize_all(summarizer: Summarizer) -> list[int]:
        results = await asyncio.gather(*(summarizer.asummarize(text) for text in texts))
        return [len(result.actors) for result in results]

    with ScriptedServer(default=answer(ANSWER)) as server, Summarizer(base_url=server.base_url, model="fake", max_reasks=0, workers=1) as summarizer:
        before = asyncio.run(summarize_all(summarizer))
        pool = summarizer._workers
        assert pool is not None
        for worker in pool._workers:
            os.kill(worker._process.pid, signal.SIGKILL)
        with caplog.at_level(logging.WARNING, logger="summarizer"):
            after = asyncio.run(summarize_all(summarizer))
    assert after == before
    assert "a worker process died (exit code -9); articles are summarized in this process" in caplog.text
    assert summarizer._workers is None


def test_a_script_without_a_main_guard_still_gets_every_digest(tmp_path: Path) -> None:
    """Without the guard every worker re-runs the script and dies starting; the records run inline instead."""
    script = tmp_path / "noguard.py"
    script.write_text(
        textwrap.dedent(f"""
            import asyncio, logging
            logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
            from summarizer import Summarizer
            text = {NASA["text"]!r}
            async def go():
                async with Summarizer(use_llm=False, workers=1) as summarizer:
                    results = await asyncio.gather(*(summarizer.asummarize(text) for _ in range(3)))
                print(len(results), all(result.actors for result in results))
            asyncio.run(go())
        """),
        encoding="utf-8",
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["3", "True"]
    assert 'needs an `if __name__ == "__main__":` guard' in done.stderr


def test_auto_workers_take_one_per_core_when_records_run_side_by_side(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "usable_cores", lambda: 16)
    assert [auto_workers(c) for c in (1, 2, 3, 64)] == [0, 2, 3, MAX_AUTO_WORKERS]
    monkeypatch.setattr(workers, "usable_cores", lambda: 2)
    assert auto_workers(16) == 2
    monkeypatch.setattr(workers, "usable_cores", lambda: 1)
    assert auto_workers(16) == 0


def test_usable_cores_follow_the_cpu_set_not_the_host() -> None:
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert workers.usable_cores() == expected >= 1


def test_negative_workers_are_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="workers"):
        Summarizer(use_llm=False, workers=-1)


def test_cli_batch_runs_with_workers_and_explains_them(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": a["id"], "text": a["text"]}) + "\n" for a in ARTICLES[:3]), encoding="utf-8")
    runner = CliRunner()
    assert "--workers" in runner.invoke(main, ["batch", "--help"]).output
    result = runner.invoke(main, ["batch", str(source), "-o", str(tmp_path / "out.jsonl"), "--no-llm", "--no-cache", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(json.loads(line)["id"] for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == sorted(a["id"] for a in ARTICLES[:3])


def test_backend_errors_and_log_records_come_back_from_the_workers(caplog: pytest.LogCaptureFixture) -> None:
    """The batch's circuit breaker and the CLI's -v need both, whichever process made the call."""
    with ScriptedServer() as server, Summarizer(base_url=server.base_url, model="fake", workers=1, transport_retries=1, max_reasks=0) as summarizer:
        server.enqueue(Status(503, headers={"Retry-After": "0"}), answer(ANSWER), Status(401))
        with caplog.at_level(logging.INFO, logger="summarizer"):
            result = asyncio.run(summarizer.asummarize(NASA["text"]))
            with pytest.raises(AuthenticationError) as refused:
                asyncio.run(summarizer.asummarize(NASA["text"]))
    assert result.provenance.attempts == 2
    assert refused.value.attempts == 1
    assert "HTTP 503; retrying" in caplog.text and "answered (" in caplog.text
    assert any(record.processName == "summarizer-worker" for record in caplog.records)


def test_a_cancelled_call_leaves_the_worker_serving() -> None:
    """A batch stopped by --fail-fast or Ctrl-C cancels its calls; the worker drops them and takes the next."""

    async def cancel_then_ask(summarizer: Summarizer, server: ScriptedServer) -> int:
        stuck = asyncio.create_task(summarizer.asummarize(NASA["text"]))
        while not server.history:  # the worker has started and sent the request
            await asyncio.sleep(0.05)
        stuck.cancel()
        with pytest.raises(asyncio.CancelledError):
            await stuck
        return len((await summarizer.asummarize(NASA["text"])).actors)

    with ScriptedServer(default=answer(ANSWER)) as server, Summarizer(base_url=server.base_url, model="fake", workers=1, max_reasks=0) as summarizer:
        server.enqueue(Hang(30))
        assert asyncio.run(asyncio.wait_for(cancel_then_ask(summarizer, server), timeout=25)) > 0
        assert summarizer._workers is not None
    assert len(server.history) == 2


def test_an_injected_model_client_runs_in_this_process() -> None:
    """A fake client cannot cross to another process: workers are ignored, not broken."""

    class Fake:
        calls = 0

        def extract(self, messages: Any, **_: Any) -> Any:
            raise AssertionError("async only here")

        async def aextract(self, messages: Any, *, response_model: Any, context: Any = None) -> Any:
            from summarizer.backend import CallLog, Extraction

            Fake.calls += 1
            return Extraction(answer=response_model.model_validate(ANSWER), log=CallLog(attempts=1))

    with Summarizer(model_client=Fake(), workers=2) as summarizer:
        result = asyncio.run(summarizer.asummarize(NASA["text"]))
    assert Fake.calls == 1 and result.summary.text == ANSWER["summary"]
    assert summarizer._workers is None


def test_an_error_that_cannot_cross_to_the_parent_arrives_as_a_runtime_error_that_names_it() -> None:
    from summarizer.errors import BackendError

    class LocalOnly(Exception):  # defined in a function: pickle cannot find it by name
        pass

    crossed = workers._portable(LocalOnly("boom"))
    assert isinstance(crossed, RuntimeError) and str(crossed) == "LocalOnly: boom"
    backend = BackendError("down", attempts=3)
    assert workers._portable(backend) is backend
