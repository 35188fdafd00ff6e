"""The Ray engine: the local engine's lines from Ray actors, nothing lost, nothing written twice.

Unit tests (no Ray running) drive DigestBatches in this process and the driver
with made-up rows. The tests marked ``ray`` share one local Ray instance
(2 CPUs, no dashboard, 127.0.0.1 as its node address), started once for the module and shut
down after it, with every process it started; select them with ``-m ray``.
Model calls go to a ScriptedServer on 127.0.0.1 with hand-written answers.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import summarizer
from summarizer.articles import Article
from summarizer.batch import BatchOutcome, BatchOutput, BatchReport, RecordError, SummaryCache
from summarizer.batch.ray_engine import ActorPlan, DigestBatches, RayDriver, outcome_from_row, outcome_row
from summarizer.batch.run import BackendWatch
from summarizer.cli import main
from summarizer.errors import BackendError, ExtractionError, InputError, SummarizerError
from summarizer.schema import ArticleSummary
from summarizer.testing import ScriptedServer, answer, status

try:
    import ray
except ImportError:  # the 'ray' extra is optional; CI installs it
    ray = None

REPO = Path(__file__).resolve().parents[1]
GUM = REPO / "tests" / "data" / "gum-news" / "articles.jsonl"
# Names no GUM article has: grounding drops them, with warnings, the same way on both engines.
DIGEST = {
    "summary": "A scripted summary.",
    "key_points": ["One point."],
    "actors": [{"name": "Nobody Inparticular", "kind": "person"}],
    "quotes": [{"text": "words nobody wrote", "speaker": "Nobody Inparticular", "kind": "direct"}],
    "figures": [],
    "stances": [],
}
needs_ray = pytest.mark.skipif(ray is None and not os.environ.get("CI"), reason="ray not installed (pip install -e '.[ray]')")


@pytest.fixture(autouse=True)
def _no_user_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never touch ~/.cache, and never pick up a real endpoint from the environment."""
    monkeypatch.setenv("SUMMARIZER_CACHE", str(tmp_path / "default-cache.sqlite"))
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_API_KEY", "SUMMARIZER_BASE_URL", "SUMMARIZER_MODEL", "RAY_ADDRESS"):
        monkeypatch.delenv(name, raising=False)


def gum_records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in GUM.read_text(encoding="utf-8").splitlines()]


def cli(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def lines_by_id(path: Path) -> dict[str, dict[str, Any]]:
    data = path.read_bytes()
    assert data.endswith(b"\n"), "the output ends in a partial line"
    lines = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    counts = Counter(line["id"] for line in lines)
    assert max(counts.values()) == 1, f"ids written twice: {[i for i, n in counts.items() if n > 1]}"
    return {line["id"]: line for line in lines}


def without_latency(line: dict[str, Any]) -> dict[str, Any]:
    if line["ok"]:
        line["result"]["provenance"].pop("latency_s")
    return line


# --------------------------------------------------------------------------
# DigestBatches and its rows, in this process
# --------------------------------------------------------------------------


def test_a_batch_gives_one_row_per_record_and_never_raises_for_one() -> None:
    with ScriptedServer(default=answer(DIGEST)) as server:
        # The first call fails for good (no retry): a backend failure before any success,
        # which asummarize_many alone would raise; here it is that record's row.
        server.enqueue(status(500, headers={}))
        digests = DigestBatches(concurrency=1, base_url=server.base_url, model="fake", transport_retries=0)
        try:
            columns = digests({"id": ["a", "b", "c"], "text": ["It rained in Paris.", "It rained in Rome.", "  "]})
            again = digests({"id": ["d"], "text": ["It rained in Oslo."]})  # the same client and event loop, a batch later
        finally:
            digests.close()
    assert again["ok"] == [True]
    rows = {row["id"]: row for row in (dict(zip(columns, values)) for values in zip(*columns.values()))}
    assert set(columns) == {"id", "ok", "cached", "result", "error"} and set(rows) == {"a", "b", "c"}
    assert [rows[i]["ok"] for i in "abc"] == [False, True, False]
    assert json.loads(rows["a"]["error"])["type"] == "BackendError" and json.loads(rows["c"]["error"])["type"] == "InputError"
    assert ArticleSummary.model_validate_json(rows["b"]["result"]).article.text == "It rained in Rome."
    assert rows["b"]["error"] is None and rows["a"]["result"] is None


def test_an_arrow_batch_keeps_missing_fields_and_gives_dates_back_as_iso_text(tmp_path: Path) -> None:
    pyarrow_json = pytest.importorskip("pyarrow.json")
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 7, "text": "It rained in Paris.", "date": "2015-08-21T10:00:00"}\n{"text": "It rained in Rome."}\n', encoding="utf-8")
    table = pyarrow_json.read_json(source)  # what ray.data.read_json gives: an int id, a timestamp, nulls
    digests = DigestBatches(use_llm=False)
    try:
        columns = digests(table)
    finally:
        digests.close()
    by_text = {result.article.text: result.article for result in map(ArticleSummary.model_validate_json, columns["result"])}
    assert (by_text["It rained in Paris."].id, by_text["It rained in Paris."].date) == ("7", "2015-08-21T10:00:00")
    assert by_text["It rained in Rome."].id.startswith("sha256:") and by_text["It rained in Rome."].date is None


@pytest.mark.parametrize(
    "outcome",
    [
        BatchOutcome("ok", result=summarizer.summarize("Mayor Anne Hidalgo said it rained.", use_llm=False, id="ok"), cached=True),
        BatchOutcome("bad", error=InputError("line 3: no text")),
        BatchOutcome("model", error=ExtractionError("never validated", attempts=2)),
        BatchOutcome("bug", error=ValueError("boom")),
    ],
    ids=["result", "input-error", "extraction-error", "unexpected"],
)
def test_a_row_stands_for_the_very_line_of_its_outcome(outcome: BatchOutcome) -> None:
    rebuilt = outcome_from_row(json.loads(json.dumps(outcome_row(outcome))))
    assert rebuilt.line() == outcome.line()
    if isinstance(outcome.error, SummarizerError):  # the driver's backend watch tells errors by their class
        assert type(rebuilt.error) is type(outcome.error)


def test_a_row_carries_the_tokens_a_failure_cost() -> None:
    error = ExtractionError("never validated", attempts=2)
    error.prompt_tokens, error.completion_tokens = 120, 30
    report = BatchReport()
    report.count(outcome_from_row(outcome_row(BatchOutcome("x", error=error))))
    assert (report.failed, report.prompt_tokens, report.completion_tokens) == (1, 120, 30)


@pytest.mark.parametrize(
    ("cpus", "actors", "concurrency", "plan"), [(2, 0, 16, (2, 8, 32)), (8, 0, 4, (4, 1, 4)), (2, 3, 16, (3, 5, 20)), (64, 0, 1, (1, 1, 4))]
)
def test_the_concurrency_is_shared_by_the_actors_never_exceeded(cpus: int, actors: int, concurrency: int, plan: tuple[int, int, int]) -> None:
    made = ActorPlan.for_cluster(cpus=cpus, actors=actors, concurrency=concurrency)
    assert (made.actors, made.per_actor, made.batch_size) == plan
    assert made.actors * made.per_actor <= concurrency


# --------------------------------------------------------------------------
# The driver, with rows made up instead of Ray's
# --------------------------------------------------------------------------


def ok_row(article: Article) -> dict[str, Any]:
    return outcome_row(BatchOutcome(article.id, result=summarizer.summarize(article, use_llm=False)))


def down_row(article: Article) -> dict[str, Any]:
    return outcome_row(BatchOutcome(article.id, error=BackendError("connection refused", attempts=4)))


def articles(count: int) -> list[Article]:
    return [summarizer.make_article(f"Record {n}: it rained in Paris, officials said.", id=f"r{n}") for n in range(count)]


def drive(out: Path, records: Iterable[Article | RecordError], rows: Any, *, window: int = 100, concurrency: int = 4, resume: bool = False) -> BatchReport:
    report = BatchReport()
    with BatchOutput(out, resume=resume) as sink:
        RayDriver(sink, report, watch=BackendWatch(concurrency=concurrency)).run(records, rows=rows, window=window)
    return report


def test_rows_that_come_twice_are_written_once(tmp_path: Path) -> None:
    """A batch that Ray ran again after its actor died may bring its rows again."""
    out = tmp_path / "out.jsonl"
    report = drive(out, articles(5), lambda window: [ok_row(a) for a in window] + [ok_row(a) for a in window[:3]])
    assert sorted(lines_by_id(out)) == [f"r{n}" for n in range(5)]
    assert (report.records, report.ok) == (5, 5)


def test_the_driver_holds_one_window_of_articles_at_a_time(tmp_path: Path) -> None:
    sizes: list[int] = []

    def rows(window: list[Article]) -> Iterator[Mapping[str, Any]]:
        sizes.append(len(window))
        return iter([ok_row(a) for a in window])

    drive(tmp_path / "out.jsonl", articles(25), rows, window=10)
    assert sizes == [10, 10, 5]


def test_bad_and_done_records_are_answered_as_read_without_ray(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(BatchOutcome("r0", error=InputError("an earlier run's line")).line())
    sent: list[str] = []

    def rows(window: list[Article]) -> list[dict[str, Any]]:
        sent.extend(a.id for a in window)
        return [ok_row(a) for a in window]

    report = drive(out, [*articles(3), RecordError("line:9", InputError("line 9: no text"))], rows, resume=True)
    lines = lines_by_id(out)
    assert sent == ["r1", "r2"] and set(lines) == {"r0", "r1", "r2", "line:9"}
    assert lines["line:9"]["error"]["type"] == "InputError" and lines["r0"]["error"]["message"] == "an earlier run's line"
    assert (report.records, report.skipped, report.failed, report.ok) == (4, 1, 1, 2)


def test_a_backend_down_over_all_actors_stops_the_run_leaving_its_records_unwritten(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    window = articles(30)
    with pytest.raises(BackendError, match="records in a row failed"):
        drive(out, window, lambda w: [ok_row(w[0]), *map(down_row, w[1:])], concurrency=4)
    assert list(lines_by_id(out)) == ["r0"]  # the 8 held failures are for --resume to redo

    with pytest.raises(BackendError, match="connection refused"):  # nothing succeeded: the backend is down from the start
        drive(tmp_path / "first.jsonl", window, lambda w: map(down_row, w))


def test_a_backend_failure_between_successes_is_that_records_line(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    window = articles(4)
    report = drive(out, window, lambda w: [ok_row(w[0]), down_row(w[1]), ok_row(w[2]), down_row(w[3])])
    lines = lines_by_id(out)
    assert [lines[f"r{n}"]["ok"] for n in range(4)] == [True, False, True, False]  # the last one released at the end
    assert report.failed == 2


# --------------------------------------------------------------------------
# The command line without Ray running
# --------------------------------------------------------------------------


def test_the_package_and_the_cli_load_without_ray() -> None:
    probe = "import sys, summarizer, summarizer.cli; print('ray' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_without_the_extra_the_ray_engine_names_it_in_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # what a missing package looks like to `import ray`
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "It rained."}\n', encoding="utf-8")
    result = cli("batch", source, "-o", tmp_path / "out.jsonl", "--engine", "ray", "--no-llm")
    assert result.exit_code == 4
    assert result.stderr.strip().splitlines() == [
        "Error: --engine ray needs Ray, which is not installed: pip install 'summarizer[ray]' (in a checkout: pip install -e '.[ray]')"
    ]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["-", "--no-llm"], 4, "not standard input"),
        (["IN"], 4, "needs a model endpoint that every node can reach"),
        (["IN", "--no-llm", "--engine", "local", "--ray-address", "auto"], 2, "--ray-address needs --engine ray"),
    ],
    ids=["stdin", "embedded-model", "address-without-engine"],
)
def test_what_the_ray_engine_cannot_do_is_one_clear_line(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "It rained."}\n', encoding="utf-8")
    args = [str(source) if a == "IN" else a for a in args]
    engine = [] if "--engine" in args else ["--engine", "ray"]
    result = cli("batch", *args, "-o", tmp_path / "out.jsonl", *engine)
    assert result.exit_code == code and message in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out.jsonl").exists()


# --------------------------------------------------------------------------
# On a local Ray instance
# --------------------------------------------------------------------------


def _descendants(*words: str) -> list[int]:
    """Processes started (at any depth) by this one whose command line holds one of ``words``.

    Arguments that are multiprocessing's own code are left out: a forkserver
    started after Ray's import carries Ray's folders in its ``sys_path``.
    """
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            arguments = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
            command = " ".join(argument for argument in arguments if "multiprocessing" not in argument)
            parent = int(entry.name)
            while parent > 1 and parent != os.getpid():
                parent = int((Path("/proc") / str(parent) / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
        if parent == os.getpid() and any(word in command for word in words):
            found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    assert ray is not None, "CI must install the 'ray' extra (pip install -e '.[ray]')"
    ray.init(address="local", num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1", logging_level=logging.ERROR)
    try:
        yield
    finally:
        ray.shutdown()
    deadline = time.monotonic() + 90  # a loaded machine takes a while to reap Ray's workers
    while (left := _descendants("ray::", "/ray/")) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, f"Ray processes outlived the tests: {left}"


def write_input(path: Path, records: list[Any]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")
    return path


@needs_ray
@pytest.mark.ray
def test_ray_resumes_a_local_output_with_the_local_engines_very_lines(local_ray: None, tmp_path: Path) -> None:
    records = [*gum_records(), '{"id": "broken", "text": ', {"id": "empty", "text": " "}, {"id": gum_records()[0]["id"], "text": "A duplicate id."}]
    source = write_input(tmp_path / "in.jsonl", records)
    local, out = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    with ScriptedServer(default=answer(DIGEST)) as server:
        backend = ["--base-url", server.base_url, "--model", "fake", "--concurrency", "4"]
        assert cli("batch", source, "-o", local, "--no-cache", *backend).exit_code == 1  # three bad records
        reference = lines_by_id(local)
        # A run cut short: the local engine's first eight articles, and half a line.
        done = [line for line in local.read_bytes().splitlines(keepends=True) if json.loads(line)["ok"]][:8]
        out.write_bytes(b"".join(done) + b'{"id": "GUM_news_')
        calls_before = len(server.history)
        resumed = cli("batch", source, "-o", out, "--resume", "--engine", "ray", *backend)
    assert resumed.exit_code == 1, resumed.stderr
    calls_per_article = calls_before // len(gum_records())  # the answer's quote is not in the article: asked again once
    assert len(server.history) - calls_before == calls_per_article * (len(gum_records()) - 8)  # the done ones were not asked again
    lines = lines_by_id(out)
    assert set(lines) == set(reference)
    assert {i: without_latency(line) for i, line in lines.items()} == {i: without_latency(line) for i, line in reference.items()}
    assert any(line["result"]["provenance"]["warnings"] for line in lines.values() if line["ok"])  # grounding did drop things
    assert "8 skipped" in resumed.stderr
    assert not (tmp_path / "default-cache.sqlite").exists(), "the Ray engine used the default cache"


@needs_ray
@pytest.mark.ray
def test_an_actor_killed_mid_run_costs_no_record_and_no_duplicate_line(local_ray: None, tmp_path: Path) -> None:
    records = [{"id": f"r{n}", "text": f"Record {n}: it rained in Paris, officials said."} for n in range(40)]
    source = write_input(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    with ScriptedServer(default=answer(DIGEST), delay_s=0.3) as server:
        args = ["batch", source, "-o", out, "--engine", "ray", "--base-url", server.base_url, "--model", "fake", "--concurrency", "4", "--workers", "2"]
        run = threading.Thread(target=lambda: results.append(cli(*args)))
        results: list[Result] = []
        run.start()
        deadline = time.monotonic() + 120
        while len(server.history) < 6:  # both actors are busy with a batch
            assert time.monotonic() < deadline and run.is_alive(), "the run never called the model"
            time.sleep(0.02)
        actors = _descendants("DigestBatches")
        assert actors, "no actor process found"
        os.kill(actors[0], signal.SIGKILL)
        run.join(timeout=180)
        calls = len(server.history)
    assert not run.is_alive() and results[0].exit_code == 0, results[0].stderr
    lines = lines_by_id(out)
    assert set(lines) == {r["id"] for r in records} and all(line["ok"] for line in lines.values())
    assert calls > len(records), "the killed actor's batch was not run again"


@needs_ray
@pytest.mark.ray
def test_the_readme_recipe_digests_a_dataset_in_a_users_own_pipeline(local_ray: None, tmp_path: Path) -> None:
    assert ray is not None
    source = write_input(tmp_path / "in.jsonl", gum_records()[:6])
    cache = tmp_path / "node-local" / "cache.sqlite"
    with ScriptedServer(default=answer(DIGEST)) as server:
        (
            ray.data.read_json(str(source))
            .map_batches(
                summarizer.DigestBatches,
                fn_constructor_kwargs={"base_url": server.base_url, "model": "fake", "concurrency": 4, "cache": str(cache)},
                compute=ray.data.ActorPoolStrategy(size=1),
                batch_size=4,
                batch_format="pyarrow",
            )
            .write_json(str(tmp_path / "digests"))
        )
    rows = [json.loads(line) for path in sorted((tmp_path / "digests").iterdir()) for line in path.read_text(encoding="utf-8").splitlines()]
    assert sorted(row["id"] for row in rows) == sorted(r["id"] for r in gum_records()[:6])
    texts = {r["id"]: r["text"] for r in gum_records()}
    for row in rows:
        result = ArticleSummary.model_validate_json(row["result"])
        assert row["ok"] and row["error"] is None and result.article.text == texts[row["id"]]
    with SummaryCache(cache) as stored:
        assert len(stored) == 6  # the actor opened the cache it was given
