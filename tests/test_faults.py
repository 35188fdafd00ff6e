"""Faults of the model endpoint and bad input, end to end: every run keeps working, loses nothing.

Each fault goes through the real HTTP path (openai client, Instructor,
tenacity) to a ScriptedServer on 127.0.0.1, from the Python API and from the
CLI (click's CliRunner). A fault ends in success after a bounded retry, in
the documented rules-only fallback with a warning, or in a typed error with
one clear line; a batch writes one line per record whatever happens.
docs/robustness.md tabulates these tests. Model answers are hand-written
fixtures, not recordings.

Waits between retries are recorded and skipped (the autouse ``waits``
fixture), so Retry-After is checked by value rather than by the clock and the
file runs in seconds; timeouts are real (``timeout_s=1`` against a longer hang).
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click.testing
import pytest
from click.testing import CliRunner

from summarizer import ArticleSummary, BackendError, RateLimitError, Summarizer
from summarizer.cli import main
from summarizer.model import llm as llm_module
from summarizer.testing import (
    Reply,
    ScriptedServer,
    answer,
    drop_connection,
    empty_choices,
    hang,
    invalid_json_body,
    status,
    trickle,
)

ROOT = Path(__file__).resolve().parent.parent
GUM = ROOT / "tests" / "data" / "gum-news" / "articles.jsonl"

SCRIPTED_SUMMARY = "The military has been placed on high alert."  # the Korea article's words: the summary check keeps it
DIGEST = {"summary": SCRIPTED_SUMMARY, "key_points": ["One point."], "actors": [], "quotes": [], "figures": [], "stances": []}
SCHEMA_VIOLATION = {"summary": 5, "quotes": "not a list"}
KOREA_QUOTE = "Foolhardy provocation deserves harsh punishment"
HANG_S = 3.0
"""Longer than every client timeout used here (1 s), shorter than a stuck test run."""


def no_wait(code: int) -> Reply:
    return status(code, headers={"Retry-After": "0"})


TRANSIENT: dict[str, Reply] = {
    "429": no_wait(429),
    "500": no_wait(500),
    "503": no_wait(503),
    "read-timeout": hang(HANG_S),
    "trickle": trickle(HANG_S),
    "dropped-connection": drop_connection(),
    "invalid-json-body": invalid_json_body(),
    "empty-choices": empty_choices(),
}
PERSISTENT: dict[str, tuple[Reply, type[BackendError], str]] = {
    "429": (no_wait(429), RateLimitError, "still rate-limiting after 2 attempt(s); lower --concurrency"),
    "500": (no_wait(500), BackendError, "answered HTTP 500: scripted HTTP 500"),
    "503": (no_wait(503), BackendError, "answered HTTP 503"),
    "read-timeout": (hang(HANG_S), BackendError, "did not answer within 1 s (2 attempt(s))"),
    # A byte every 0.2 s never trips a read timeout: only the deadline on the whole call ends it.
    "trickle": (trickle(HANG_S), BackendError, "did not answer within 1 s (2 attempt(s))"),
    "dropped-connection": (drop_connection(), BackendError, "cannot reach 127.0.0.1:"),
    "invalid-json-body": (invalid_json_body(), BackendError, "kept answering with a body that is not JSON (2 attempt(s))"),
    "empty-choices": (empty_choices(), BackendError, "kept answering with no choices (2 attempt(s))"),
}


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No real endpoint or key from the environment, no user cache."""
    monkeypatch.setenv("SUMMARIZER_CACHE", str(tmp_path / "cache.sqlite"))
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_API_KEY", "SUMMARIZER_BASE_URL", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The seconds the retry policy asked to wait, in order; the waits themselves are skipped."""
    asked: list[float] = []
    real = llm_module._wait_before_retry

    def record(state: Any) -> float:
        asked.append(real(state))
        return 0.0

    monkeypatch.setattr(llm_module, "_wait_before_retry", record)
    return asked


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer(default=answer(DIGEST, usage=(100, 10))) as scripted:
        yield scripted


def fast_summarizer(server: ScriptedServer, **options: Any) -> Summarizer:
    return Summarizer(base_url=server.base_url, model="fake", timeout_s=1, **{"transport_retries": 2, **options})


def grounded(result: ArticleSummary) -> bool:
    """Every located item is the article's own span."""
    text = result.article.text or ""
    spans = [(q.start, q.end, q.text) for q in result.quotes if q.start is not None]
    spans += [(f.start, f.end, f.text) for f in result.figures if f.start is not None]
    spans += [(m.start, m.end, m.text) for a in result.actors for m in a.mentions]
    return all(text[start:end] == span for start, end, span in spans)


def cli(*args: str | Path, stdin: str | bytes | None = None) -> click.testing.Result:
    return CliRunner().invoke(main, [str(a) for a in args], input=stdin, catch_exceptions=False)


def backend(server: ScriptedServer) -> list[str]:
    return ["--base-url", server.base_url, "--model", "fake", "--timeout", "1"]


def gum_records(count: int) -> list[dict[str, Any]]:
    articles = [json.loads(line) for line in GUM.read_text(encoding="utf-8").splitlines()]
    return [{"id": record["id"], "title": record["title"], "text": record["text"]} for record in articles[:count]]


def write_jsonl(path: Path, lines: list[Any]) -> Path:
    path.write_bytes(b"".join((line if isinstance(line, bytes) else json.dumps(line).encode()) + b"\n" for line in lines))
    return path


def read_lines(path: Path) -> list[dict[str, Any]]:
    data = path.read_bytes()
    assert data.endswith(b"\n"), "a half-written last line"
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


# --------------------------------------------------------------------------
# Transport faults: retried, then success or a typed error
# --------------------------------------------------------------------------


@pytest.mark.parametrize("fault", list(TRANSIENT), ids=list(TRANSIENT))
def test_a_transient_fault_is_retried_and_the_answer_arrives(server: ScriptedServer, korea_text: str, fault: str) -> None:
    server.enqueue(TRANSIENT[fault])
    with fast_summarizer(server) as summarizer:
        result = summarizer.summarize(korea_text)
    assert result.summary.text == SCRIPTED_SUMMARY and not any("unusable" in w for w in result.provenance.warnings)
    assert len(server.history) == 2 and server.history[0] == server.history[1], "a transport retry repeats the same request"
    assert result.provenance.attempts == 2, "the failed attempt is counted"
    assert (result.provenance.usage.prompt_tokens, result.provenance.usage.completion_tokens) == (100, 10)


@pytest.mark.parametrize("fault", list(PERSISTENT), ids=list(PERSISTENT))
def test_a_persistent_fault_is_a_typed_error_after_bounded_retries(korea_text: str, fault: str) -> None:
    reply, error_type, message = PERSISTENT[fault]
    with ScriptedServer(default=reply) as server, fast_summarizer(server, transport_retries=1) as summarizer:
        with pytest.raises(error_type) as caught:
            summarizer.summarize(korea_text)
        assert len(server.history) == 2, "transport_retries=1: one call and one retry, no more"
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert caught.value.attempts == 2 and caught.value.exit_code == 5


@pytest.mark.parametrize(
    ("headers", "expected_s"),
    [({"Retry-After": "1"}, 1.0), ({"retry-after-ms": "250"}, 0.25), ({"Retry-After": "3600"}, llm_module.MAX_RETRY_AFTER_S)],
    ids=["seconds", "milliseconds", "capped"],
)
def test_retry_after_is_honoured_and_capped(server: ScriptedServer, waits: list[float], korea_text: str, headers: dict[str, str], expected_s: float) -> None:
    server.enqueue(status(429, headers=headers))
    with fast_summarizer(server) as summarizer:
        assert summarizer.summarize(korea_text).provenance.attempts == 2
    assert waits == [expected_s]


def test_retry_after_as_an_http_date_is_honoured(server: ScriptedServer, waits: list[float], korea_text: str) -> None:
    server.enqueue(status(503, headers={"Retry-After": email.utils.formatdate(time.time() + 30, usegmt=True)}))
    with fast_summarizer(server) as summarizer:
        summarizer.summarize(korea_text)
    assert len(waits) == 1 and 20 < waits[0] <= 30


def test_without_retry_after_the_backoff_grows(waits: list[float], korea_text: str) -> None:
    with ScriptedServer(default=status(500, headers={})) as server, fast_summarizer(server, transport_retries=3) as summarizer:
        with pytest.raises(BackendError):
            summarizer.summarize(korea_text)
        assert len(server.history) == 4
    # Backoff with jitter: 0.25-0.5 s, then 0.5-1 s, then 1-2 s (tenacity also computes one after the last attempt).
    assert 0.25 <= waits[0] <= 0.5 and 0.5 <= waits[1] <= 1.0 and 1.0 <= waits[2] <= 2.0


def test_the_async_path_retries_the_same_faults(server: ScriptedServer, korea_text: str) -> None:
    server.enqueue(no_wait(429), drop_connection(), invalid_json_body())

    async def run() -> ArticleSummary:
        async with fast_summarizer(server, transport_retries=3) as summarizer:
            return await summarizer.asummarize(korea_text)

    result = asyncio.run(run())
    assert result.summary.text == SCRIPTED_SUMMARY and result.provenance.attempts == 4 and len(server.history) == 4


# --------------------------------------------------------------------------
# Answers that cannot be used: re-asked, then the rules-only fallback
# --------------------------------------------------------------------------


def test_an_answer_that_violates_the_schema_is_reasked_with_the_reason(server: ScriptedServer, korea_text: str) -> None:
    server.enqueue(answer(SCHEMA_VIOLATION, usage=(100, 10)))
    with fast_summarizer(server, max_reasks=1) as summarizer:
        result = summarizer.summarize(korea_text)
    assert result.summary.text == SCRIPTED_SUMMARY
    reask = server.history[1]["messages"]
    assert len(reask) > len(server.history[0]["messages"]) and "summary" in json.dumps(reask[len(server.history[0]["messages"]) :])
    assert result.provenance.attempts == 2
    assert (result.provenance.usage.prompt_tokens, result.provenance.usage.completion_tokens) == (200, 20), "the rejected answer's tokens count"


@pytest.mark.parametrize("bad", [SCHEMA_VIOLATION, "Sorry, I cannot help with that."], ids=["wrong-types", "not-json"])
def test_an_answer_that_never_validates_falls_back_to_the_rules_with_a_warning(korea_text: str, bad: dict[str, Any] | str) -> None:
    with ScriptedServer(default=answer(bad, usage=(100, 10))) as server, fast_summarizer(server, max_reasks=1) as summarizer:
        result = summarizer.summarize(korea_text)
        assert len(server.history) == 2
    warning = next(w for w in result.provenance.warnings if "unusable" in w)
    assert "did not validate after 2 attempt(s)" in warning and "digest built from rule evidence only" in warning
    assert result.quotes and all(q.extracted_by == "rules" for q in result.quotes) and grounded(result)
    assert result.provenance.attempts == 2 and result.provenance.usage.prompt_tokens == 200


def test_a_model_repeating_one_item_until_the_token_cap_keeps_its_summary(server: ScriptedServer, korea_text: str) -> None:
    looping = '{"summary": "North Korea is on alert.", "quotes": [' + ", ".join(['{"text": "War maniacs"}'] * 300)
    server.enqueue(answer(looping, finish_reason="length", usage=(100, 2048)))
    with fast_summarizer(server) as summarizer:
        result = summarizer.summarize(korea_text)
    assert len(server.history) == 1, "a cut-off answer is not asked again: it would loop again"
    assert result.summary.text == "North Korea is on alert."
    assert any("cut off at max_tokens=2048" in w and "repeating" in w for w in result.provenance.warnings)
    assert result.provenance.usage.completion_tokens == 2048 and grounded(result)


def test_a_truncated_answer_without_a_whole_summary_uses_the_lead(server: ScriptedServer, korea_text: str) -> None:
    server.enqueue(answer('{"summary": "North Korea is on al', finish_reason="length"))
    with fast_summarizer(server) as summarizer:
        result = summarizer.summarize(korea_text)
    assert result.summary.text.startswith("According to Yonhap news agency")
    assert any("digest built from rule evidence only" in w for w in result.provenance.warnings)


def test_a_valid_answer_that_repeats_one_item_is_deduplicated(server: ScriptedServer, korea_text: str) -> None:
    server.enqueue(
        answer(
            {
                **DIGEST,
                "quotes": [{"text": KOREA_QUOTE, "speaker": "KCNA"}] * 40,
                "figures": [{"text": "36 shells", "kind": "count", "describes": "shells fired"}] * 40,
                "actors": [{"name": "KCNA", "kind": "organization"}] * 40,
            }
        )
    )
    with fast_summarizer(server) as summarizer:
        result = summarizer.summarize(korea_text)
    assert sum(KOREA_QUOTE in q.text for q in result.quotes) == 1
    assert sum(f.text == "36 shells" for f in result.figures) == 1
    assert sum(a.name == "KCNA" for a in result.actors) == 1
    assert any("Removed 39 duplicate figures" in w for w in result.provenance.warnings) and grounded(result)


# --------------------------------------------------------------------------
# Through the CLI: summarize
# --------------------------------------------------------------------------


def test_cli_summarize_rides_out_a_run_of_faults(server: ScriptedServer, korea_text: str) -> None:
    server.enqueue(no_wait(429), no_wait(503), hang(HANG_S))
    result = cli("summarize", "-", *backend(server), stdin=korea_text)
    assert result.exit_code == 0, result.stderr
    digest = ArticleSummary.model_validate_json(result.stdout)
    assert digest.summary.text == SCRIPTED_SUMMARY and digest.provenance.attempts == 4


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (no_wait(429), "still rate-limiting after 4 attempt(s)"),
        (no_wait(500), "answered HTTP 500"),
        (invalid_json_body(), "not JSON"),
        (empty_choices(), "no choices"),
    ],
    ids=["429", "500", "invalid-json-body", "empty-choices"],
)
def test_cli_summarize_persistent_fault_is_one_line_and_exit_5(korea_text: str, reply: Reply, message: str) -> None:
    with ScriptedServer(default=reply) as server:
        result = cli("summarize", "-", *backend(server), stdin=korea_text)
        assert len(server.history) == 4, "the CLI's default: 3 transport retries"
    assert result.exit_code == 5 and result.stdout == ""
    assert result.stderr.startswith("Error: ") and message in result.stderr and result.stderr.count("\n") == 1


def test_cli_summarize_unusable_answer_is_a_digest_with_a_warning_not_an_error(korea_text: str) -> None:
    with ScriptedServer(default=answer(SCHEMA_VIOLATION)) as server:
        result = cli("summarize", "-", *backend(server), stdin=korea_text)
    assert result.exit_code == 0
    digest = ArticleSummary.model_validate_json(result.stdout)
    assert any("model answer unusable" in w for w in digest.provenance.warnings) and digest.quotes


# --------------------------------------------------------------------------
# Through the CLI: batch
# --------------------------------------------------------------------------


def test_cli_batch_survives_a_fault_on_every_record_and_loses_none(server: ScriptedServer, tmp_path: Path) -> None:
    records = gum_records(9)
    ok = answer(DIGEST, usage=(100, 10))
    server.enqueue(
        ok,  # the first record succeeds, so later backend failures are one record's error, not the batch's
        no_wait(429),
        ok,
        no_wait(500),
        ok,
        hang(HANG_S),
        ok,
        drop_connection(),
        ok,
        invalid_json_body(),
        ok,
        empty_choices(),
        ok,
        answer(SCHEMA_VIOLATION, usage=(100, 10)),
        answer(SCHEMA_VIOLATION, usage=(100, 10)),  # falls back to rules: ok, with a warning
        *[no_wait(429)] * 4,  # still rate-limited after the retries: this record's error line
    )
    out = tmp_path / "out.jsonl"
    result = cli("batch", write_jsonl(tmp_path / "in.jsonl", records), "-o", out, "--no-cache", "--concurrency", "1", *backend(server))
    lines = read_lines(out)
    assert result.exit_code == 1, result.stderr
    assert Counter(line["id"] for line in lines) == Counter(r["id"] for r in records), "every id exactly once"
    assert [line["ok"] for line in lines] == [True] * 8 + [False]
    assert lines[-1]["error"] == {"type": "RateLimitError", "message": lines[-1]["error"]["message"], "attempts": 4}
    assert "still rate-limiting after 4 attempt(s)" in lines[-1]["error"]["message"]
    assert [line["result"]["provenance"]["attempts"] for line in lines[:8]] == [1, 2, 2, 2, 2, 2, 2, 2]
    assert any("unusable" in w for w in lines[7]["result"]["provenance"]["warnings"])
    assert "9 records: 8 ok, 1 failed" in result.stderr
    assert "900 prompt + 90 completion tokens" in result.stderr, "failed attempts' tokens are counted too"


# --------------------------------------------------------------------------
# Bad input through the CLI (unit cases live in test_articles.py and test_batch.py)
# --------------------------------------------------------------------------

CJK = "北京市政府周一宣布，将投资建设新地铁线。市长王伟表示：“这条线路将方便数百万市民出行。”"
ARABIC = 'أعلنت الحكومة يوم الاثنين عن خطة جديدة للنقل. وقال الوزير أحمد حسن: "سنبدأ العمل فوراً".'


def test_cli_decodes_windows_1252_bytes(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Café owner José García said “we will stay open” on Monday.".encode("cp1252"))
    result = cli("summarize", path, "--no-llm")
    digest = ArticleSummary.model_validate_json(result.stdout)
    assert result.exit_code == 0 and digest.article.text == "Café owner José García said “we will stay open” on Monday."
    assert [q.text for q in digest.quotes] == ["we will stay open"] and grounded(digest)


def test_cli_html_page_offsets_index_the_extracted_text(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<!doctype html><html><head><title>Rent  rise</title><script>var x = '“not this”';</script></head><body><nav>Home</nav>"
        "<p>Owner Ana&nbsp;Ruiz said &ldquo;we will stay open&rdquo; on Monday.</p><p>Rent rose by 15%.</p></body></html>",
        encoding="utf-8",
    )
    digest = ArticleSummary.model_validate_json(cli("summarize", path, "--no-llm").stdout)
    assert digest.article.text == "Owner Ana Ruiz said “we will stay open” on Monday.\n\nRent rose by 15%."
    assert digest.article.title == "Rent rise"
    assert [q.text for q in digest.quotes] == ["we will stay open"] and [f.text for f in digest.figures] == ["15%"]
    assert grounded(digest)


@pytest.mark.parametrize("text", [CJK, ARABIC], ids=["chinese", "arabic"])
def test_cli_non_english_articles_keep_their_offsets(server: ScriptedServer, text: str) -> None:
    quote = CJK[CJK.index("“") + 1 : CJK.index("”")] if text == CJK else "سنبدأ العمل فوراً"
    speaker = "王伟" if text == CJK else "أحمد حسن"
    server.enqueue(answer({**DIGEST, "quotes": [{"text": quote, "speaker": speaker}], "actors": [{"name": speaker, "kind": "person"}]}))
    result = cli("summarize", "-", *backend(server), stdin=text.encode("utf-8"))
    digest = ArticleSummary.model_validate_json(result.stdout)
    assert result.exit_code == 0 and digest.article.text == text
    assert [q.text for q in digest.quotes] == [quote] and digest.quotes[0].speaker_id is not None
    assert [m.text for a in digest.actors if a.name == speaker for m in a.mentions] == [speaker]
    assert grounded(digest)


def test_cli_summarize_json_record_without_text_is_exit_3(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    path.write_text('{"id": "x", "title": "No body"}', encoding="utf-8")
    result = cli("summarize", path, "--no-llm")
    assert result.exit_code == 3 and result.stderr == f'Error: {path}: the record has no "text" field\n'


def test_cli_batch_answers_every_bad_record_with_an_error_line(tmp_path: Path) -> None:
    good = {"id": "good", "text": "Rain fell in Paris on Monday, officials said."}
    source = write_jsonl(
        tmp_path / "in.jsonl",
        [
            good,
            {"id": "long", "text": "word " * 100},
            {"id": "no-text", "title": "T"},
            {"id": "binary", "text": "\u0000\u0001" * 40},
            "Caf\xe9 \x93open\x94 says owner, reporters said.".encode("latin-1").join([b'{"id": "legacy", "text": "', b'"}']),
            b'{"id": "broken", "text": "unterminated',
            {"id": "html", "text": "<html><body><p>Rain fell in Lyon.</p></body></html>"},
            {"id": "chinese", "text": CJK},
            {"id": "arabic", "text": ARABIC},
            {"id": "good", "text": "A second record with the same id."},
        ],
    )
    out = tmp_path / "out.jsonl"
    result = cli("batch", source, "-o", out, "--no-llm", "--max-chars", "200")
    lines = {line["id"]: line for line in read_lines(out)}
    assert result.exit_code == 1 and len(read_lines(out)) == 10
    errors = {record_id: line["error"]["message"] for record_id, line in lines.items() if not line["ok"]}
    assert set(errors) == {"long", "no-text", "binary", "broken", "line:10"}
    assert "over the limit of 200; raise max_chars (--max-chars on the command line)" in errors["long"]
    assert 'no "text" field' in errors["no-text"] and "binary" in errors["binary"]
    assert "invalid JSON" in errors["broken"] and "duplicate id 'good'" in errors["line:10"]
    assert lines["legacy"]["result"]["article"]["text"] == "Café “open” says owner, reporters said."
    assert lines["html"]["result"]["article"]["text"] == "Rain fell in Lyon."
    assert lines["chinese"]["result"]["article"]["text"] == CJK and lines["arabic"]["result"]["article"]["text"] == ARABIC
    assert all(grounded(ArticleSummary.model_validate(line["result"])) for line in lines.values() if line["ok"])


def test_cli_batch_folder_with_binary_and_legacy_files(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "legacy.txt").write_bytes("Café owners said “no”.".encode("cp1252"))
    (folder / "page.html").write_text("<html><head><title>Page</title></head><body><p>Rain fell.</p></body></html>", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = cli("batch", folder, "-o", out, "--no-llm")
    lines = {line["id"]: line for line in read_lines(out)}
    assert result.exit_code == 1 and set(lines) == {"image", "legacy", "page"}
    assert lines["image"]["error"]["type"] == "InputError" and "image.txt" in lines["image"]["error"]["message"]
    assert lines["legacy"]["result"]["article"]["text"] == "Café owners said “no”."
    assert lines["page"]["result"]["article"]["title"] == "Page"


def test_cli_html_text_that_starts_with_an_escaped_tag_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><body><p>&lt;div&gt; tags wrap blocks, the W3C said.</p></body></html>", encoding="utf-8")
    digest = ArticleSummary.model_validate_json(cli("summarize", path, "--no-llm").stdout)
    assert digest.article.text == "<div> tags wrap blocks, the W3C said."
