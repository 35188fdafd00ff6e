"""The CLI as a user drives it (click's CliRunner; no model unless faked)."""

from __future__ import annotations

import io
import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from summarizer import ArticleSummary, Summarizer
from summarizer import cli as cli_module
from summarizer.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, input: str | bytes | None = None) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_the_top_level_help_lists_every_exit_code_an_error_can_give() -> None:
    import summarizer.errors as errors

    text = run("--help").output
    listed = {int(code) for code in re.findall(r"^ {4}(\d+) ", text.split("Exit codes", 1)[1], flags=re.MULTILINE)}
    raised = {error.exit_code for error in vars(errors).values() if isinstance(error, type) and issubclass(error, errors.SummarizerError)}
    # An answer that never validates falls back to the rules: ExtractionError's code never reaches the command line.
    assert raised - {errors.ExtractionError.exit_code} <= listed
    assert {0, 2, cli_module.EXIT_SOME_FAILED, cli_module.EXIT_INTERRUPTED} <= listed


def test_schema_command_prints_the_contract() -> None:
    result = run("schema")
    assert result.exit_code == 0
    assert json.loads(result.output) == json.loads((ROOT / "schemas" / "article_summary.v1.json").read_text())


def test_summarize_rules_only_prints_a_valid_summary() -> None:
    result = run("summarize", str(ROOT / "docs" / "examples" / "korea.txt"), "--no-llm")
    assert result.exit_code == 0, result.output
    summary = ArticleSummary.model_validate_json(result.stdout)
    assert summary.article.id == "korea" and summary.quotes and summary.figures
    text = summary.article.text or ""
    assert all(text[q.start : q.end] == q.text for q in summary.quotes if q.start is not None)


def test_summarize_reads_standard_input_and_writes_markdown(tmp_path: Path, korea_text: str) -> None:
    out = tmp_path / "digest.md"
    result = run("summarize", "-", "--no-llm", "--format", "markdown", "-o", str(out), "--title", "Korea", input=korea_text)
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text().startswith("# Korea")


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (b"", 3, "empty"),
        (b"   \n\t", 3, "empty"),
        (b"\x00\x01\x02binary", 3, "binary"),
        (b"x" * 200, 3, "--max-chars"),
    ],
)
def test_bad_input_gives_one_line_and_a_documented_code(tmp_path: Path, content: bytes, code: int, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = run("summarize", str(path), "--no-llm", "--max-chars", "100")
    assert result.exit_code == code
    assert message in result.stderr and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_missing_file_and_bad_json_are_user_errors(tmp_path: Path) -> None:
    assert run("summarize", str(tmp_path / "nope.txt"), "--no-llm").exit_code == 3
    bad = tmp_path / "a.json"
    bad.write_text("{not json")
    result = run("summarize", str(bad), "--no-llm")
    assert result.exit_code == 3 and "invalid JSON" in result.stderr


def test_base_url_without_model_is_a_configuration_error(tmp_path: Path, korea_text: str) -> None:
    result = run("summarize", "-", "--base-url", "http://127.0.0.1:9/v1", input=korea_text)
    assert result.exit_code == 4 and "--model" in result.stderr


def test_unreachable_backend_is_reported_without_the_key(korea_text: str) -> None:
    key = "sk-planted-secret-0123456789"
    result = run("summarize", "-", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--api-key", key, "--timeout", "2", input=korea_text)
    assert result.exit_code == 5 and "127.0.0.1:9" in result.stderr
    assert key not in result.output and key not in result.stderr


def test_render_writes_single_pages_and_batch_folders(tmp_path: Path) -> None:
    digest = tmp_path / "digest.json"
    assert run("summarize", str(ROOT / "docs" / "examples" / "korea.txt"), "--no-llm", "-o", str(digest)).exit_code == 0
    assert run("render", str(digest), "-o", str(tmp_path / "view.html")).exit_code == 0
    page = (tmp_path / "view.html").read_text()
    quotes = len(json.loads(digest.read_text())["quotes"])
    # Every quote of the digest is highlighted in the article (the legend's marks carry no data-ref).
    assert quotes >= 4 and len(set(re.findall(r'<mark class="hl hl-quote[^"]*" data-ref="(q\d+)"', page))) == quotes
    line = {"id": "../evil/id", "ok": True, "result": json.loads(digest.read_text())}
    failed = {"id": "broken", "ok": False, "error": {"type": "InputError", "message": "empty", "attempts": 0}}
    batch = tmp_path / "out.jsonl"
    batch.write_text(json.dumps(line) + "\n" + json.dumps(failed) + "\n")
    assert run("render", str(batch), "-o", str(tmp_path / "pages")).exit_code == 0
    pages = sorted(p.name for p in (tmp_path / "pages").iterdir())
    assert "index.html" in pages and len(pages) == 2 and not (tmp_path / "evil").exists()
    assert "broken" in (tmp_path / "pages" / "index.html").read_text()


def _commands(group: click.Group) -> list[click.Command]:
    return list(group.commands.values())


@pytest.mark.parametrize("command", _commands(main), ids=lambda c: c.name)
def test_every_command_has_help_and_is_in_the_readme(command: click.Command) -> None:
    assert command.help and len(command.help) > 40
    assert run(command.name or "", "--help").exit_code == 0
    assert f"summarizer {command.name}" in (ROOT / "README.md").read_text()


# --------------------------------------------------------------------------
# render: format from the extension, files versus folders, standard input
# --------------------------------------------------------------------------

KOREA = ROOT / "docs" / "examples" / "korea.txt"


@pytest.fixture
def digest(tmp_path: Path) -> Path:
    path = tmp_path / "k.json"
    assert run("summarize", str(KOREA), "--no-llm", "-o", str(path)).exit_code == 0
    return path


def batch_file(tmp_path: Path, digest: Path, *, failed: bool = True) -> Path:
    lines = [{"id": "k", "ok": True, "result": json.loads(digest.read_text())}]
    if failed:
        lines.append({"id": "broken", "ok": False, "error": {"type": "InputError", "message": "empty", "attempts": 0}})
    path = tmp_path / "out.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


@pytest.mark.parametrize(
    ("name", "options", "starts"),
    [
        ("r1.md", [], "# North Korea"),
        ("r1.md", ["-f", "html"], "# North Korea"),
        ("r1.htm", [], "<!doctype html>"),
        ("r1.txt", ["-f", "markdown"], "# North Korea"),
        ("r1.txt", [], "<!doctype html>"),
    ],
)
def test_render_takes_the_format_from_the_extension(tmp_path: Path, digest: Path, name: str, options: list[str], starts: str) -> None:
    result = run("render", str(digest), "-o", str(tmp_path / name), *options)
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).is_file() and (tmp_path / name).read_text().startswith(starts)


def test_render_refuses_a_batch_into_one_file(tmp_path: Path, digest: Path) -> None:
    result = run("render", str(batch_file(tmp_path, digest)), "-o", str(tmp_path / "ff.html"))
    assert result.exit_code == 4 and "holds 2 results but -o" in result.stderr and "pass a folder" in result.stderr
    assert not (tmp_path / "ff.html").exists()
    single = run("render", str(batch_file(tmp_path, digest, failed=False)), "-o", str(tmp_path / "one.html"))
    assert single.exit_code == 0 and (tmp_path / "one.html").is_file()


def test_render_writes_a_markdown_batch_with_an_index(tmp_path: Path, digest: Path) -> None:
    result = run("render", str(batch_file(tmp_path, digest)), "-o", str(tmp_path / "dir"), "-f", "markdown")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "dir").iterdir()) == ["00001-k.md", "index.md"]
    assert "(<00001-k.md>)" in (tmp_path / "dir" / "index.md").read_text()


def test_render_reads_standard_input(tmp_path: Path, digest: Path) -> None:
    result = run("render", "-", "-o", str(tmp_path / "std.md"), input=digest.read_text())
    assert result.exit_code == 0 and (tmp_path / "std.md").read_text().startswith("# North Korea")


# --------------------------------------------------------------------------
# Exit codes: unwritable output is 4, a missing input is 3, each in one line
# --------------------------------------------------------------------------


def test_unwritable_output_is_a_configuration_error_everywhere(tmp_path: Path, digest: Path) -> None:
    missing = tmp_path / "nodir" / "x"
    for args in (
        ["summarize", str(KOREA), "--no-llm", "-o", str(missing / "out.json")],
        ["render", str(digest), "-o", str(missing / "b.html")],
        ["batch", str(digest), "--no-llm", "-o", str(missing / "out.jsonl")],
    ):
        result = run(*args)
        assert result.exit_code == 4, args
        assert result.stderr.startswith("Error: cannot write") and result.stderr.count("\n") == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full, a device that is always full")
@pytest.mark.parametrize("command", [["summarize", str(KOREA)], ["batch", str(ROOT / "tests/data/gum-news/articles.jsonl")]])
def test_a_full_standard_output_is_one_line_and_exit_4(command: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "summarizer", *command, "--no-llm", "--no-cache" if command[0] == "batch" else "--no-text"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert result.returncode == 4, result.stderr
    assert result.stderr.startswith("Error: cannot write standard output: No space left on device"), result.stderr
    assert "Traceback" not in result.stderr


def test_a_reader_that_stops_reading_ends_the_batch_quietly_with_141() -> None:
    # `summarizer batch ... | head -1`: the reader goes away after one line, as for any Unix tool killed by SIGPIPE.
    command = [sys.executable, "-m", "summarizer", "batch", str(ROOT / "tests/data/gum-news/articles.jsonl"), "--no-llm", "--no-cache"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as batch:
        assert batch.stdout is not None and batch.stderr is not None
        first = batch.stdout.readline()
        batch.stdout.close()
        stderr = batch.stderr.read().decode()
        returncode = batch.wait(timeout=120)
    assert json.loads(first)["ok"] is True
    assert returncode == 141, stderr
    assert stderr == ""


def test_after_a_broken_pipe_what_is_still_buffered_for_standard_output_goes_nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Else Python's last flush at exit meets the closed pipe again and prints a traceback (real pipes hold ~64 KB).
    @click.group(cls=cli_module._Group)
    def tool() -> None:
        pass

    @tool.command()
    def out() -> None:
        sys.stdout.write("still buffered")
        raise BrokenPipeError

    with open(tmp_path / "stdout", "w") as stdout:
        monkeypatch.setattr(sys, "stdout", stdout)
        with pytest.raises(SystemExit) as exited:
            tool.main(["out"])
        stdout.flush()
    assert exited.value.code == 141
    assert (tmp_path / "stdout").read_text() == ""


@pytest.mark.parametrize(
    "args",
    [
        ["summarize", "{}", "--no-llm"],
        ["batch", "{}", "--no-llm"],
        ["eval", "{}"],
        ["render", "{}", "-o", "x.html"],
        ["eval", str(ROOT / "tests/data/gum-news/gold.jsonl"), "-p", "{}"],
    ],
)
def test_a_missing_input_is_bad_input_everywhere(tmp_path: Path, args: list[str]) -> None:
    missing = str(tmp_path / "missing.jsonl")
    result = run(*[missing if arg == "{}" else arg for arg in args])
    assert result.exit_code == 3
    assert result.stderr == f"Error: cannot read {missing}: No such file or directory" + result.stderr.split("No such file or directory", 1)[1]
    assert result.stderr.count("\n") == 1


# --------------------------------------------------------------------------
# summarize: batch input, dates, ignored model options, --no-text help
# --------------------------------------------------------------------------


def test_summarize_sends_jsonl_to_batch() -> None:
    result = run("summarize", str(ROOT / "tests/data/gum-news/articles.jsonl"), "--no-llm")
    assert result.exit_code == 3 and "this is JSONL with 24 records, not one article; use `summarizer batch`" in result.stderr
    piped = run("summarize", "-", "--no-llm", input=(ROOT / "tests/data/gum-news/articles.jsonl").read_text())
    assert piped.exit_code == 3 and "standard input: this is JSONL" in piped.stderr


@pytest.mark.parametrize("date", ["yesterday", "2015-13-45", "21/08/2015"])
def test_summarize_refuses_a_date_that_is_not_iso(date: str) -> None:
    result = run("summarize", str(KOREA), "--no-llm", "--date", date)
    assert result.exit_code == 2 and "not an ISO 8601 date" in result.stderr


def test_summarize_takes_an_iso_date_and_the_files_headline() -> None:
    summary = ArticleSummary.model_validate_json(run("summarize", str(KOREA), "--no-llm", "--date", "2015-08-22T10:00:00+09:00").stdout)
    assert summary.article.date == "2015-08-22T10:00:00+09:00"
    assert summary.article.title == "North Korea puts military in 'quasi-state of war'"


def test_model_options_with_no_llm_get_a_note(tmp_path: Path) -> None:
    gguf = tmp_path / "m.gguf"
    gguf.write_bytes(b"GGUF")
    result = run("summarize", str(KOREA), "--no-llm", "--model", "m", "--base-url", "http://h/v1", "--gguf", str(gguf))
    assert result.exit_code == 0
    assert result.stderr == "Note: --model, --base-url, --gguf ignored with --no-llm (no model is called).\n"
    assert run("summarize", str(KOREA), "--no-llm").stderr == ""


def test_malformed_base_url_is_exit_4_at_once() -> None:
    result = run("summarize", str(KOREA), "--base-url", "not a url", "--model", "m")
    assert result.exit_code == 4 and "not an http(s) URL with a host" in result.stderr


def test_no_text_help_says_what_offsets_index() -> None:
    help_text = " ".join(run("summarize", "--help").output.split())
    assert "extracted, normalised text" in help_text and "as given" not in help_text


# --------------------------------------------------------------------------
# render, export, eval: saved results are checked on read
# --------------------------------------------------------------------------


@pytest.mark.parametrize("item", ["quotes", "figures", "actors"])
def test_render_export_and_eval_refuse_a_result_with_tampered_offsets(tmp_path: Path, digest: Path, item: str) -> None:
    tampered = json.loads(digest.read_text())
    first = tampered[item][0]
    span = first["mentions"][0] if item == "actors" else first
    span["start"] += 5
    span["end"] += 5
    batch = tmp_path / "tampered.jsonl"
    batch.write_text(json.dumps({"id": "k", "ok": True, "result": tampered}) + "\n")
    gold = ROOT / "tests" / "data" / "gum-news" / "gold.jsonl"
    for args in (
        ["render", str(batch), "-o", str(tmp_path / "pages")],
        ["export", str(batch), "--sqlite", str(tmp_path / "c.db")],
        ["eval", str(gold), "--predictions", str(batch)],
    ):
        result = run(*args)
        assert result.exit_code == 3, (args, result.output)  # InputError
        assert f"tampered.jsonl:1 (id k): {item[:-1]} {first['id']}" in result.stderr and "do not hold its text" in result.stderr, result.stderr


# --------------------------------------------------------------------------
# eval: a single pretty-printed digest as predictions; whole counts in --json
# --------------------------------------------------------------------------


def test_eval_scores_a_summarize_output_file_and_prints_int_counts(tmp_path: Path) -> None:
    gold = ROOT / "tests" / "data" / "gum-news" / "gold.jsonl"
    record = json.loads((ROOT / "tests/data/gum-news/articles.jsonl").read_text().splitlines()[0])
    source = tmp_path / "one.json"
    source.write_text(json.dumps(record))
    prediction = tmp_path / "one.out.json"
    assert run("summarize", str(source), "--no-llm", "-o", str(prediction)).exit_code == 0
    result = run("eval", str(gold), "--predictions", str(prediction), "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert len(report["missing_predictions"]) == 23 and report["fields"]["actors"]["tp"] > 0
    assert all(isinstance(field[count], int) for field in report["fields"].values() for count in ("tp", "fp", "fn"))


def test_verbose_logs_calls_and_retries_but_never_the_key(korea_text: str) -> None:
    from summarizer.testing import ScriptedServer, answer, status

    key = "sk-planted-verbose-0123456789"
    digest = {"summary": "S.", "key_points": [], "actors": [], "quotes": [], "figures": [], "stances": []}
    package_logger = logging.getLogger("summarizer")
    handlers, level = list(package_logger.handlers), package_logger.level
    try:
        with ScriptedServer(default=answer(digest)) as server:
            server.enqueue(status(429, headers={"Retry-After": "0"}, body={"error": {"message": f"bad key {key}"}}))
            result = run("-v", "summarize", "-", "--base-url", server.base_url, "--model", "fake", "--api-key", key, input=korea_text)
    finally:
        package_logger.handlers[:], package_logger.level = handlers, level
    assert result.exit_code == 0
    assert "HTTP 429; retrying" in result.stderr and "answered (json_schema mode)" in result.stderr
    assert key not in result.stderr and key not in result.stdout


def test_a_small_context_names_options_that_exist_and_max_tokens_makes_room() -> None:
    """Ollama gives a model 4,096 tokens: the default answer room (2,048) leaves none for the article."""
    from summarizer.testing import ScriptedServer, answer

    digest = {"summary": "S.", "key_points": [], "actors": [], "quotes": [], "figures": [], "stances": []}
    with ScriptedServer(default=answer(digest)) as server:
        endpoint = ["--base-url", server.base_url, "--model", "fake", "--scope", "full", "--context-tokens", "4096"]
        refused = run("summarize", str(KOREA), *endpoint)
        fitted = run("summarize", str(KOREA), *endpoint, "--max-tokens", "1024")
    assert refused.exit_code == 4 and refused.stderr.startswith("Error: the model's context leaves")
    summarize_help = run("summarize", "--help").output
    for flag in re.findall(r"--[a-z][a-z-]+", refused.stderr):
        assert flag in summarize_help, f"the error names {flag}, which summarize does not have"
    assert fitted.exit_code == 0, fitted.stderr
    assert [request["max_tokens"] for request in server.history] == [1024]


def test_a_terminal_is_told_the_embedded_model_is_slow(monkeypatch: pytest.MonkeyPatch) -> None:
    """The embedded model used to leave a terminal silent for 20-60 s before the digest."""

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for name in ("SUMMARIZER_MODEL", "SUMMARIZER_BASE_URL", "SUMMARIZER_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for summarizer, told in ((Summarizer(), True), (Summarizer(use_llm=False), False), (Summarizer(base_url="http://127.0.0.1:9/v1", model="m"), False)):
        terminal = Terminal()
        monkeypatch.setattr(sys, "stderr", terminal)
        cli_module._note_when_the_embedded_model_runs(summarizer)
        assert ("Running the embedded model (SmolLM2-135M" in terminal.getvalue()) is told
    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    cli_module._note_when_the_embedded_model_runs(Summarizer())
    assert piped.getvalue() == ""


def test_a_terminal_on_standard_input_gets_a_hint_instead_of_silence(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal())
    cli_module._hint_when_stdin_is_a_terminal("the article")
    assert "Reading the article from standard input; end with Ctrl-D" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO())
    cli_module._hint_when_stdin_is_a_terminal("the article")
    assert capsys.readouterr().err == ""


def test_a_terminal_sees_retries_without_verbose_but_not_the_call_log(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rate-limited call can wait up to a minute per retry: a terminal used to sit silent through it."""

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    package_logger = logging.getLogger("summarizer")
    handlers, level = list(package_logger.handlers), package_logger.level
    try:
        for stream, shown in ((Terminal(), True), (io.StringIO(), False)):
            package_logger.handlers[:] = handlers
            monkeypatch.setattr(sys, "stderr", stream)
            cli_module.main.callback(verbose=False)  # type: ignore[misc]
            logging.getLogger("summarizer.model.llm").warning("api.example: HTTP 429; retrying in 60.0 s (attempt 2 of 4)")
            logging.getLogger("summarizer.model.llm").info("api.example answered (json mode): 10 prompt + 5 completion tokens")
            assert ("HTTP 429; retrying in 60.0 s" in stream.getvalue()) is shown
            assert "answered" not in stream.getvalue()
    finally:
        package_logger.handlers[:], package_logger.level = handlers, level
