"""Batch conversion: every input record gets exactly one whole output line, across crashes and resumes.

Model calls go to a ScriptedServer on 127.0.0.1; the answers are hand-written
fixtures (a valid DigestAnswer), not recordings.
"""

from __future__ import annotations

import asyncio
import errno
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from summarizer.api import Summarizer
from summarizer.articles import Article, make_article
from summarizer.batch import (
    BatchOutcome,
    BatchOutput,
    BatchReport,
    RecordError,
    asummarize_many,
    iter_records,
    progress_display,
    read_done_ids,
    read_in_thread,
    run_batch,
    summarize_many,
)
from summarizer.cli import main
from summarizer.errors import ConfigurationError, InputError
from summarizer.schema import Usage
from summarizer.testing import ScriptedServer, answer, status

REPO = Path(__file__).resolve().parents[1]
GUM = REPO / "tests" / "data" / "gum-news" / "articles.jsonl"
DIGEST = {"summary": "A scripted summary.", "key_points": [], "actors": [], "quotes": [], "figures": [], "stances": []}


@pytest.fixture(autouse=True)
def _no_user_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never touch ~/.cache, and never pick up a real endpoint from the environment."""
    monkeypatch.setenv("SUMMARIZER_CACHE", str(tmp_path / "default-cache.sqlite"))
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_API_KEY", "SUMMARIZER_BASE_URL", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer(default=answer(DIGEST, usage=(100, 10))) as scripted:
        yield scripted


def gum_records(count: int) -> list[dict[str, Any]]:
    """``count`` distinct records built from the GUM Wikinews articles (texts made unique)."""
    articles = [json.loads(line) for line in GUM.read_text(encoding="utf-8").splitlines()]
    records = []
    for n in range(count):
        source = articles[n % len(articles)]
        suffix = "" if n < len(articles) else f"\n\n(Copy {n}.)"
        records.append({"id": f"{source['id']}#{n}", "title": source["title"], "text": source["text"] + suffix})
    return records


def write_jsonl(path: Path, lines: list[Any]) -> Path:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines), encoding="utf-8")
    return path


def read_lines(path: Path) -> list[dict[str, Any]]:
    data = path.read_bytes()
    assert data == b"" or data.endswith(b"\n"), "the output ends in a partial line"
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def cli(*args: str | Path, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], input=stdin, catch_exceptions=False)


def backend(server: ScriptedServer) -> list[str]:
    return ["--base-url", server.base_url, "--model", "fake"]


# --------------------------------------------------------------------------
# Reading records
# --------------------------------------------------------------------------


def test_bad_records_get_ids_and_errors_and_the_rest_still_come(tmp_path: Path) -> None:
    source = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {"id": "good", "text": "Rain fell in Paris."},
            '{"id": "broken", "text": ',
            "{not json at all",
            {"id": "no-text"},
            {"id": "number", "text": 42},
            {"text": "   "},
            {"id": "binary", "text": "\u0000\u0001\u0002" * 20},
            {"id": "good", "text": "Same id again."},
            [1, 2],
            "",
            {"text": "No id here."},
        ],
    )
    items = list(iter_records(source))
    ids = [item.id for item in items]
    assert ids == ["good", "broken", "line:3", "no-text", "number", "line:6", "binary", "line:8", "line:9", make_article("No id here.").id]
    errors = {item.id: str(item.error) for item in items if isinstance(item, RecordError)}
    assert "invalid JSON" in errors["broken"] and errors["line:3"].startswith("line 3")
    assert 'no "text"' in errors["no-text"] and "must be a string" in errors["number"]
    assert "empty" in errors["line:6"] and "binary" in errors["binary"]
    assert "duplicate id 'good'" in errors["line:8"]
    assert "expected a JSON object" in errors["line:9"]


def test_a_json_array_and_a_folder_are_inputs_too(tmp_path: Path) -> None:
    array = tmp_path / "in.json"
    array.write_text(json.dumps([{"id": "a", "text": "One."}, "nope", {"text": "Two."}]), encoding="utf-8")
    assert [item.id for item in iter_records(array)] == ["a", "item:2", make_article("Two.").id]

    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "b.txt").write_text("Text two.", encoding="utf-8")
    (folder / "a.html").write_text("<html><body><p>Page one.</p></body></html>", encoding="utf-8")
    (folder / "a.md").write_text("Same stem.", encoding="utf-8")
    (folder / "skip.png").write_bytes(b"\x89PNG")
    items = list(iter_records(folder))
    assert [item.id for item in items] == ["a", "file:a.md", "b"]
    assert items[0].text == "Page one."  # type: ignore[union-attr]


def test_unreadable_sources_fail_before_the_first_record(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        iter_records(tmp_path / "missing.jsonl")
    broken = tmp_path / "broken.json"
    broken.write_text('[{"id": "a", "text": "x"},', encoding="utf-8")
    with pytest.raises(InputError, match="not a valid JSON array"):
        iter_records(broken)


# --------------------------------------------------------------------------
# The output file
# --------------------------------------------------------------------------


def test_resume_cuts_a_partial_last_line_and_reads_the_ids(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(b'{"id": "a", "ok": true}\n{"id": "b\\"q", "ok": false}\n{"id": "c", "ok": tr')
    assert read_done_ids(out) == {"a", 'b"q'}
    assert out.read_bytes().endswith(b"false}\n")


def test_an_output_that_is_not_a_batch_output_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("hello\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="not a batch output line"):
        read_done_ids(out)
    with pytest.raises(ConfigurationError, match="--resume"):
        BatchOutput(out)


class _FullDisk(io.RawIOBase):
    """A writable stream that takes ``room`` bytes, then fails as a full disk does."""

    def __init__(self, room: int) -> None:
        self.room = room
        self.taken = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if len(self.taken) + len(data) > self.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.taken += bytes(data)
        return len(data)


def test_an_output_that_fills_up_mid_batch_is_a_configuration_error_not_a_crash(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": f"r{n}", "text": f"Article {n} says little."} for n in range(5)])
    full = _FullDisk(room=1)
    with Summarizer(use_llm=False) as summarizer, pytest.raises(ConfigurationError, match="cannot write standard output: No space left on device"):
        run_batch(source, full, summarizer=summarizer)  # type: ignore[arg-type]
    assert full.taken == b""


def test_a_broken_pipe_is_left_to_the_command_line_to_end_quietly() -> None:
    class ClosedPipe(_FullDisk):
        def write(self, data: Any) -> int:
            raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))

    with pytest.raises(BrokenPipeError):
        BatchOutput(ClosedPipe(room=0)).write(BatchOutcome(id="a", error=InputError("x")))  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# Library API
# --------------------------------------------------------------------------


def test_summarize_many_yields_one_outcome_per_record_and_skips_done_ids() -> None:
    records = [make_article(f"Article number {n} says little.", id=f"r{n}") for n in range(6)] + [RecordError("bad", InputError("broken"))]
    with Summarizer(use_llm=False) as summarizer:
        outcomes = list(summarize_many(records, summarizer=summarizer, concurrency=3, done_ids={"r0", "r1"}))
    assert Counter(o.id for o in outcomes) == Counter([*(f"r{n}" for n in range(6)), "bad"])
    assert {o.id for o in outcomes if o.skipped} == {"r0", "r1"}
    assert {o.id for o in outcomes if o.ok} == {"r2", "r3", "r4", "r5"}
    bad = next(o for o in outcomes if o.id == "bad")
    assert json.loads(bad.line()) == {"id": "bad", "ok": False, "error": {"type": "InputError", "message": "broken", "attempts": 0}}


def test_asummarize_many_keeps_at_most_concurrency_calls_in_flight(server: ScriptedServer) -> None:
    in_flight, peak = 0, 0

    class CountingModel:
        async def aextract(self, messages: Any, *, response_model: Any, context: Any = None) -> Any:
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.01)
            in_flight -= 1
            raise RuntimeError("a bug in the model layer")

    async def collect() -> list[Any]:
        with Summarizer(base_url=server.base_url, model="fake", model_client=CountingModel()) as summarizer:  # type: ignore[arg-type]
            return [o async for o in asummarize_many([make_article(f"Text {n}.", id=str(n)) for n in range(12)], summarizer=summarizer, concurrency=3)]

    outcomes = asyncio.run(collect())
    assert peak == 3
    # A bug is not fatal to the batch: every record still gets its error line.
    assert len(outcomes) == 12 and all(json.loads(o.line())["error"]["type"] == "RuntimeError" for o in outcomes)


def test_a_blocked_input_does_not_hold_back_finished_records() -> None:
    released = threading.Event()
    waited: list[bool] = []

    def slow_input() -> Iterator[Article]:
        yield make_article("The first article.", id="first")
        waited.append(released.wait(10))  # a pipe with nothing more to read yet
        yield make_article("The second article.", id="second")

    async def collect() -> list[str]:
        with Summarizer(use_llm=False) as summarizer:
            ids = []
            async for outcome in asummarize_many(read_in_thread(slow_input()), summarizer=summarizer, concurrency=4):
                ids.append(outcome.id)
                released.set()
            return ids

    assert asyncio.run(collect()) == ["first", "second"]
    assert waited == [True]  # "first" came out while the input was still blocked


def test_run_batch_reports_progress_as_plain_lines_off_a_terminal(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", gum_records(3))
    stream = io.StringIO()
    with Summarizer(use_llm=False) as summarizer:
        report = run_batch(source, tmp_path / "out.jsonl", summarizer=summarizer, progress=progress_display(stream=stream, interval_s=0))
    assert (report.records, report.ok, report.failed, report.interrupted) == (3, 3, 0, False)
    assert stream.getvalue().count("batch: ") == 3 and "/3 done" in stream.getvalue()
    assert report.summary().startswith("3 records: 3 ok, 0 failed")


def test_run_batch_takes_paths_as_plain_strings(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", gum_records(2))
    with Summarizer(use_llm=False) as summarizer:
        report = run_batch(str(source), str(tmp_path / "out.jsonl"), summarizer=summarizer)
    assert report.ok == 2
    assert sorted(json.loads(line)["id"] for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == sorted(
        r["id"] for r in gum_records(2)
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be-bom"])
@pytest.mark.parametrize("shape", ["jsonl", "array"])
def test_utf16_input_with_a_byte_order_mark_is_read(tmp_path: Path, encoding: str, shape: str) -> None:
    """Windows tools write UTF-16 with a BOM; its newlines are two bytes, so lines cannot be split on raw bytes."""
    records = [{"id": "α", "text": "Rain fell on Zürich, “officials” said."}, {"id": "b", "text": "Snow fell in Oslo."}]
    text = json.dumps(records, ensure_ascii=False) if shape == "array" else "".join(json.dumps(r, ensure_ascii=False) + "\r\n" for r in records)
    data = text.encode("utf-16") if encoding == "utf-16" else b"\xfe\xff" + text.encode("utf-16-be")
    source = tmp_path / "in.jsonl"
    source.write_bytes(data)
    outcomes = list(iter_records(source))
    assert [(o.id, o.text) for o in outcomes if isinstance(o, Article)] == [(r["id"], r["text"]) for r in records]


def test_lone_surrogates_in_jsonl_do_not_stop_the_output(tmp_path: Path) -> None:
    """They crashed the line writer ("surrogates not allowed"); now they are U+FFFD and every id gets its line."""
    lines = ['{"id": "s\\ud800", "text": "Rain \\udc80 fell in Paris."}', '{"id": "\\udfff", "broken": ', '{"id": "ok", "text": "Snow fell."}']
    source, out = write_jsonl(tmp_path / "in.jsonl", lines), tmp_path / "out.jsonl"
    result = cli("batch", source, "-o", out, "--no-llm")
    assert result.exit_code == 1, result.stderr
    by_id = {line["id"]: line for line in read_lines(out)}
    assert set(by_id) == {"s\ufffd", "\ufffd", "ok"}
    assert by_id["s\ufffd"]["result"]["article"]["text"] == "Rain \ufffd fell in Paris." and not by_id["\ufffd"]["ok"]


def test_report_counts_tokens_of_fresh_results_only() -> None:
    report = BatchReport()
    with Summarizer(use_llm=False) as summarizer:
        result = summarizer.summarize("Rain fell.", id="x")
    fresh = result.model_copy(update={"provenance": result.provenance.model_copy(update={"usage": Usage(prompt_tokens=7, completion_tokens=3)})})
    report.count(BatchOutcome("x", result=fresh))
    report.count(BatchOutcome("y", result=fresh, cached=True))
    assert (report.ok, report.cached, report.prompt_tokens, report.completion_tokens) == (2, 1, 7, 3)


# --------------------------------------------------------------------------
# Through the CLI (CliRunner)
# --------------------------------------------------------------------------


def test_a_batch_record_with_a_date_that_is_not_iso_is_an_input_error_line(tmp_path: Path) -> None:
    source = write_jsonl(
        tmp_path / "in.jsonl", [{"id": "bad", "text": "Rain fell.", "date": "not a date"}, {"id": "good", "text": "Rain fell.", "date": "2015-08-21"}]
    )
    out = tmp_path / "out.jsonl"
    result = cli("batch", source, "-o", out, "--no-cache", "--no-llm")
    lines = {line["id"]: line for line in read_lines(out)}
    assert result.exit_code == 1 and lines["good"]["ok"] and lines["good"]["result"]["article"]["date"] == "2015-08-21"
    assert lines["bad"]["error"]["type"] == "InputError" and "the date 'not a date' is not an ISO 8601 date" in lines["bad"]["error"]["message"]


def test_cli_batch_writes_every_id_exactly_once(server: ScriptedServer, tmp_path: Path) -> None:
    records = gum_records(5)
    source = write_jsonl(tmp_path / "in.jsonl", [*records, '{"id": "broken"', {"id": records[0]["id"], "text": "dup"}, {"id": "empty", "text": ""}])
    out = tmp_path / "out.jsonl"
    result = cli("batch", source, "-o", out, "--no-cache", "--concurrency", "3", *backend(server))
    lines = read_lines(out)
    assert result.exit_code == 1
    assert Counter(line["id"] for line in lines) == Counter([r["id"] for r in records] + ["broken", "line:7", "empty"])
    assert {line["id"] for line in lines if not line["ok"]} == {"broken", "line:7", "empty"}
    assert all(line["error"]["type"] == "InputError" for line in lines if not line["ok"])
    ok = [line for line in lines if line["ok"]]
    assert all(
        line["result"]["article"]["id"] == line["id"] and any("A scripted summary." in w for w in line["result"]["provenance"]["warnings"]) for line in ok
    )
    assert len(server.history) == 5
    assert "8 records: 5 ok, 3 failed" in result.stderr and "500 prompt + 50 completion tokens" in result.stderr


def test_cli_cache_hit_makes_no_model_call_and_relabels(server: ScriptedServer, tmp_path: Path) -> None:
    records = gum_records(4)
    cache = tmp_path / "cache.sqlite"
    first = cli("batch", write_jsonl(tmp_path / "a.jsonl", records), "-o", tmp_path / "a.out", "--cache", cache, *backend(server))
    assert first.exit_code == 0 and len(server.history) == 4

    renamed = [{**record, "id": "new-" + record["id"]} for record in records]
    second = cli("batch", write_jsonl(tmp_path / "b.jsonl", renamed), "-o", tmp_path / "b.out", "--cache", cache, *backend(server))
    lines = read_lines(tmp_path / "b.out")
    assert second.exit_code == 0
    assert len(server.history) == 4  # no new model call
    assert all(line["cached"] and line["result"]["article"]["id"] == line["id"] for line in lines)
    assert {line["id"] for line in lines} == {r["id"] for r in renamed}
    assert "4 cached; 0 prompt + 0 completion tokens" in second.stderr


def test_fallback_digests_are_not_cached(tmp_path: Path) -> None:
    records = gum_records(2)
    cache = tmp_path / "cache.sqlite"
    cut_off = answer('{"summary": "Cut', finish_reason="length")
    with ScriptedServer(default=cut_off) as scripted:
        first = cli(
            "batch", write_jsonl(tmp_path / "a.jsonl", records), "-o", tmp_path / "a.out", "--cache", cache, "--base-url", scripted.base_url, "--model", "fake"
        )
        assert first.exit_code == 0 and all(line["result"]["provenance"]["fallback"] for line in read_lines(tmp_path / "a.out"))
        calls = len(scripted.history)
        second = cli(
            "batch", write_jsonl(tmp_path / "b.jsonl", records), "-o", tmp_path / "b.out", "--cache", cache, "--base-url", scripted.base_url, "--model", "fake"
        )
        assert second.exit_code == 0 and len(scripted.history) == 2 * calls, "a fallback digest was served from the cache"


def test_cli_resume_skips_done_ids_and_refuses_to_overwrite(server: ScriptedServer, tmp_path: Path) -> None:
    records = gum_records(6)
    source = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    # As if an earlier run finished two records and was killed inside a write().
    with Summarizer(use_llm=False) as summarizer:
        done = [summarizer.summarize(r["text"], id=r["id"]) for r in records[:2]]
    out.write_bytes(
        b"".join(b'{"id": ' + json.dumps(d.article.id).encode() + b', "ok": true, "result": ' + d.model_dump_json().encode() + b"}\n" for d in done)
        + b'{"id": "cut", "ok": tr'
    )

    refused = cli("batch", source, "-o", out, "--no-cache", *backend(server))
    assert refused.exit_code == 4 and "--resume" in refused.stderr

    resumed = cli("batch", source, "-o", out, "--no-cache", "--resume", *backend(server))
    assert resumed.exit_code == 0
    assert Counter(line["id"] for line in read_lines(out)) == Counter(r["id"] for r in records)
    assert len(server.history) == 4
    assert "6 records: 4 ok, 0 failed, 2 skipped" in resumed.stderr


def test_cli_backend_down_before_any_record_exits_5_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with ScriptedServer(default=status(503, headers={"Retry-After": "0"})) as down:
        result = cli("batch", write_jsonl(tmp_path / "in.jsonl", gum_records(3)), "-o", out, "--no-cache", *backend(down))
    assert result.exit_code == 5 and "503" in result.stderr
    assert read_lines(out) == []  # so a plain re-run, or --resume, redoes them all


def test_cli_backend_failure_after_a_success_is_one_records_error(server: ScriptedServer, tmp_path: Path) -> None:
    server.enqueue(answer(DIGEST), *[status(503, headers={"Retry-After": "0"})] * 4)
    out = tmp_path / "out.jsonl"
    result = cli("batch", write_jsonl(tmp_path / "in.jsonl", gum_records(3)), "-o", out, "--no-cache", "--concurrency", "1", *backend(server))
    lines = read_lines(out)
    assert result.exit_code == 1
    assert [line["ok"] for line in lines] == [True, False, True]
    assert lines[1]["error"]["type"] == "BackendError" and lines[1]["error"]["attempts"] == 4


def test_cli_backend_down_mid_batch_stops_and_resume_redoes_the_held_records(tmp_path: Path) -> None:
    """A backend that dies after some successes stops the batch after 8 failures in a row, instead of failing every record left."""
    records = gum_records(20)
    source, out = write_jsonl(tmp_path / "in.jsonl", records), tmp_path / "out.jsonl"
    with ScriptedServer(default=status(503, headers={"Retry-After": "0"})) as dying:
        dying.enqueue(answer(DIGEST), answer(DIGEST))
        result = cli("batch", source, "-o", out, "--no-cache", "--concurrency", "1", *backend(dying))
        calls = len(dying.history)
    assert result.exit_code == 5
    assert "8 records in a row failed like this, so the batch stopped" in result.stderr and "--resume" in result.stderr
    assert [line["ok"] for line in read_lines(out)] == [True, True], "the held failures are not written"
    assert calls == 2 + 8 * 4, "8 records, each with its transport retries, then no more calls"
    with ScriptedServer(default=answer(DIGEST)) as healthy:
        resumed = cli("batch", source, "-o", out, "--no-cache", "--resume", "--concurrency", "4", *backend(healthy))
    assert resumed.exit_code == 0
    lines = read_lines(out)
    assert Counter(line["id"] for line in lines) == Counter(r["id"] for r in records) and all(line["ok"] for line in lines)


def test_failures_held_at_the_end_of_the_input_are_written() -> None:
    records = gum_records(4)
    with ScriptedServer(default=status(503, headers={"Retry-After": "0"})) as server:
        server.enqueue(answer(DIGEST))
        with Summarizer(base_url=server.base_url, model="fake") as summarizer:
            outcomes = list(summarize_many(records, summarizer=summarizer, concurrency=1))
    assert [outcome.ok for outcome in outcomes] == [True, False, False, False]
    assert all(outcome.error is not None and type(outcome.error).__name__ == "BackendError" for outcome in outcomes[1:])


def test_cli_fail_fast_stops_taking_records(server: ScriptedServer, tmp_path: Path) -> None:
    records = gum_records(4)
    source = write_jsonl(tmp_path / "in.jsonl", [records[0], {"id": "bad"}, *records[1:]])
    out = tmp_path / "out.jsonl"
    result = cli("batch", source, "-o", out, "--no-cache", "--fail-fast", "--concurrency", "1", *backend(server))
    assert result.exit_code == 1
    assert [line["id"] for line in read_lines(out)] == [records[0]["id"], "bad"]


def test_cli_reads_stdin_and_writes_stdout_without_text(tmp_path: Path) -> None:
    stdin = "".join(json.dumps(r) + "\n" for r in gum_records(2))
    result = cli("batch", "-", "--no-llm", "--no-text", stdin=stdin)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 0 and len(lines) == 2
    assert all(line["result"]["article"]["text"] is None and line["result"]["provenance"]["model"] == "rules" for line in lines)


def test_cli_reads_a_json_array_from_stdin() -> None:
    result = cli("batch", "-", "--no-llm", stdin=json.dumps(gum_records(2), indent=1))
    assert result.exit_code == 0
    assert sorted(json.loads(line)["id"] for line in result.stdout.splitlines()) == sorted(r["id"] for r in gum_records(2))


def test_cli_input_and_option_errors(tmp_path: Path) -> None:
    missing = cli("batch", tmp_path / "missing.jsonl", "-o", tmp_path / "out.jsonl", "--no-llm")
    assert missing.exit_code == 3 and "cannot read" in missing.stderr
    assert not (tmp_path / "out.jsonl").exists()
    assert cli("batch", "-", "--resume", "--no-llm").exit_code == 2
    assert cli("batch", "-", "--cache", tmp_path / "c", "--no-cache", "--no-llm").exit_code == 2


def test_cli_batch_help_documents_the_exit_codes() -> None:
    text = cli("batch", "--help").stdout
    for fragment in ("--resume", "--concurrency", "--fail-fast", "--no-cache", "130", "before any record"):
        assert fragment in text


# --------------------------------------------------------------------------
# A real process: kill -9 and Ctrl-C, then --resume
# --------------------------------------------------------------------------


def start_batch(source: Path, out: Path, server: ScriptedServer, *extra: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    command = [sys.executable, "-c", "from summarizer.cli import main; main()", "batch", str(source), "-o", str(out), "--no-cache", *backend(server), *extra]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for_lines(out: Path, count: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while (not out.exists() or out.read_bytes().count(b"\n") < count) and process.poll() is None:
        assert time.monotonic() < deadline, "the batch wrote nothing"
        time.sleep(0.02)
    assert process.poll() is None, "the batch finished before it could be stopped; raise the server delay"


@pytest.mark.parametrize("stop", ["kill -9", "ctrl-c"])
def test_a_stopped_process_resumes_to_every_id_exactly_once(tmp_path: Path, stop: str) -> None:
    records = gum_records(40)
    source = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    with ScriptedServer(default=answer(DIGEST), delay_s=0.3) as slow:
        process = start_batch(source, out, slow, "--concurrency", "4", "--workers", "1")
        wait_for_lines(out, 6, process)
        process.send_signal(signal.SIGKILL if stop == "kill -9" else signal.SIGINT)
        # Returns once stderr closes: a worker process left behind (it holds stderr) would hang here.
        _, stderr = process.communicate(timeout=60)
    if stop == "ctrl-c":
        assert process.returncode == 130 and b"(interrupted)" in stderr
    else:
        assert process.returncode == -signal.SIGKILL
        with open(out, "ab") as damaged:  # the worst a kill can do: cut a write() short
            damaged.write(b'{"id": "' + records[-1]["id"].encode() + b'", "ok": tru')
    first_run = {line["id"] for line in read_lines(out)} if stop == "ctrl-c" else set()
    assert stop == "kill -9" or 0 < len(first_run) < len(records)

    with ScriptedServer(default=answer(DIGEST)) as fast:
        resumed = start_batch(source, out, fast, "--resume", "--concurrency", "8")
        _, stderr = resumed.communicate(timeout=120)
        assert resumed.returncode == 0, stderr.decode()
    lines = read_lines(out)
    assert Counter(line["id"] for line in lines) == Counter(r["id"] for r in records)
    assert all(line["ok"] for line in lines)


def test_ctrl_c_while_standard_input_stays_open_exits_130_not_an_interpreter_abort(tmp_path: Path) -> None:
    """The reader thread, blocked on sys.stdin's own reader, made the shutdown abort ('Fatal Python error', SIGABRT)."""
    out = tmp_path / "out.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    command = [sys.executable, "-c", "from summarizer.cli import main; main()", "batch", "-", "-o", str(out), "--no-llm", "--no-cache"]
    with open(tmp_path / "stderr", "w+b") as errors:
        process = subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors)
        assert process.stdin is not None
        process.stdin.write("".join(json.dumps(r) + "\n" for r in gum_records(3)).encode())
        process.stdin.flush()  # and left open until the process ends (communicate() would close it): the reader thread waits for more
        wait_for_lines(out, 3, process)
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        finally:
            process.stdin.close()
        errors.seek(0)
        stderr = errors.read()
    assert b"Fatal Python error" not in stderr
    assert process.returncode == 130 and b"(interrupted)" in stderr
    assert [line["id"] for line in read_lines(out)] == [r["id"] for r in gum_records(3)]


def test_summarize_many_takes_plain_records_and_text() -> None:
    records = [{"id": "a", "text": 'Bob Smith said: "It rained all day."'}, {"id": "b", "text": "  "}, "Plain text, no id."]
    with Summarizer(use_llm=False) as summarizer:
        outcomes = {o.id: o for o in summarize_many(records, summarizer=summarizer, concurrency=2)}
    assert outcomes["a"].result is not None and outcomes["a"].result.quotes
    assert isinstance(outcomes["b"].error, InputError)
    assert len(outcomes) == 3 and any(i.startswith("sha256:") and o.result for i, o in outcomes.items())


def test_a_folder_reports_every_entry_it_does_not_summarize(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Rain falls on Paris again\n\nFriday, August 21, 2015\n\nIt rained all day.", encoding="utf-8")
    (folder / "dir.txt").mkdir()  # looks like an article, is a folder
    (folder / "gone.md").symlink_to(tmp_path / "nowhere.md")  # dangling
    (folder / "records.json").write_text("[]", encoding="utf-8")
    (folder / "sub").mkdir()
    notes: list[str] = []
    items = list(iter_records(folder, on_ignored=notes.append))
    errors = {item.id: str(item.error) for item in items if isinstance(item, RecordError)}
    assert errors == {
        "dir": "file dir.txt: cannot read it, it is a folder (folders are not read recursively)",
        "gone": "file gone.md: cannot read it, it is a broken symbolic link",
    }
    good = next(item for item in items if isinstance(item, Article))
    assert (good.title, good.date) == ("Rain falls on Paris again", "2015-08-21")  # read like `summarize` reads it
    assert [note.split(":")[0] for note in notes] == ["records.json", "sub"]
    assert "ignored, not an article file (only .txt" in notes[0] and "a folder" in notes[1]


def test_cli_batch_notes_ignored_entries_and_counts_them(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Rain fell.", encoding="utf-8")
    (folder / "b.txt").mkdir()
    (folder / "notes.json").write_text("{}", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = cli("batch", folder, "-o", out, "--no-llm")
    lines = {line["id"]: line for line in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert result.exit_code == 1 and lines["b"]["error"]["type"] == "InputError" and lines["a"]["ok"]
    assert "Note: notes.json: ignored" in result.stderr
    assert "2 records: 1 ok, 1 failed, 0 skipped, 0 cached, 1 ignored;" in result.stderr


def test_an_article_too_long_for_the_model_gets_the_rules_digest_with_a_warning(tmp_path: Path) -> None:
    too_long = status(400, headers={}, body={"error": {"message": "Requested tokens (15000) exceed context window of 8192"}})
    with ScriptedServer(default=answer(DIGEST)) as scripted:
        scripted.enqueue(too_long)
        result = cli(
            "batch", write_jsonl(tmp_path / "in.jsonl", gum_records(3)), "-o", tmp_path / "out.jsonl", "--concurrency", "1", "--no-cache", *backend(scripted)
        )
    lines = read_lines(tmp_path / "out.jsonl")
    assert result.exit_code == 0 and len(lines) == 3 and all(line["ok"] for line in lines)
    fallen_back = [line["result"] for line in lines if line["result"]["provenance"]["fallback"]]
    assert len(fallen_back) == 1 and fallen_back[0]["quotes"], "the rules still find the quotes"
    warning = fallen_back[0]["provenance"]["warnings"][0]
    assert warning.startswith("the model could not take the article") and "exceed context window" in warning and "longer-context model" in warning


def test_a_request_refused_for_its_content_fails_only_that_record(tmp_path: Path) -> None:
    refused = status(400, headers={}, body={"error": {"message": "Invalid value for 'temperature'"}})
    with ScriptedServer(default=answer(DIGEST)) as scripted:
        scripted.enqueue(refused)
        result = cli(
            "batch",
            write_jsonl(tmp_path / "in.jsonl", gum_records(3)),
            "-o",
            tmp_path / "out.jsonl",
            "--concurrency",
            "1",
            "--no-cache",
            "--base-url",
            scripted.base_url,
            "--model",
            "fake",
        )
    lines = read_lines(tmp_path / "out.jsonl")
    failed = [line for line in lines if not line["ok"]]
    assert result.exit_code == 1 and len(lines) == 3 and len(failed) == 1
    assert failed[0]["error"]["type"] == "RequestRejectedError" and "Invalid value for 'temperature'" in failed[0]["error"]["message"]
