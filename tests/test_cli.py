"""The CLI as a user drives it (click's CliRunner; no model unless faked)."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from summarizer import ArticleSummary
from summarizer.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, input: str | bytes | None = None) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


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
    assert "<mark" in (tmp_path / "view.html").read_text() or "highlight" in (tmp_path / "view.html").read_text()
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
