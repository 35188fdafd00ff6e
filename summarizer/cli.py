"""The ``summarizer`` command: a thin shell over the Python API.

Exit codes: 0 success; 1 a batch finished with failed records; 2 usage error;
3 bad input (a missing or unreadable input file too); 4 configuration (an
output path that cannot be written too); 5 backend failure; 7 the embedded
model could not start; 130 interrupted; 141 the reader of standard output
went away (`| head`), as for Unix tools killed by SIGPIPE. (An unusable model answer is not an
error: the digest falls back to the rule evidence, with a warning.)
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click

from . import evaluate, export, render
from .api import MIN_CONTEXT_TOKENS, SCOPES, Summarizer
from .articles import DEFAULT_MAX_CHARS, article_from_text, decode_bytes, iso_date, read_article
from .batch import DEFAULT_RECORD_TIMEOUT_S, SummaryCache, default_cache_path, progress_display, run_batch, run_ray_batch
from .chunking import Progress
from .errors import ConfigurationError, ExtractionError, InputError, SummarizerError
from .model.backend import MODES
from .results import SavedResult, parse_results, read_results
from .schema import ArticleSummary

F = TypeVar("F", bound=Callable[..., Any])

EXIT_SOME_FAILED = 1
EXIT_INTERRUPTED = 130
EXIT_READER_GONE = 141  # 128 + SIGPIPE: what `yes | head` reports for `yes`
DEFAULT_CONCURRENCY = 4


class _Group(click.Group):
    """Turns library errors into one line on stderr and a documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SummarizerError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            _stdout_to_devnull()  # else Python's final flush of stdout fails again, with a traceback
            ctx.exit(EXIT_READER_GONE)


def _stdout_to_devnull() -> None:
    with contextlib.suppress(OSError, ValueError):  # a test runner's stdout has no file descriptor
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="summarizer")
@click.option("--verbose", "-v", is_flag=True, help="Log model calls, token counts and retries to standard error.")
def main(verbose: bool) -> None:
    """Grounded, structured digests of news articles.

    Every quote, figure and actor mention in a digest is located in the
    article by character offsets; what the model says that is not in the
    article is dropped (and named in provenance.warnings).

    With no --model, --base-url or API key, the embedded SmolLM2-135M model
    runs locally (needs the 'local' extra). It is tiny: use a larger model,
    e.g. --base-url http://127.0.0.1:11434/v1 --model qwen2.5:7b, for quality.

    \b
    Exit codes (batch --help tells more):
      0    done
      1    a batch finished, some records failed (their error lines say why)
      2    usage error (an unknown option, a bad value)
      3    bad input: missing, unreadable, empty, binary or too long
      4    configuration: options that cannot work, an output that cannot be written
      5    the model endpoint failed (unreachable, refused, rate-limited)
      7    the embedded model could not start
      130  interrupted (Ctrl-C)
      141  the reader of standard output went away (`| head`)
    """
    if verbose:
        _log_to_stderr(logging.INFO)
    elif sys.stderr.isatty():
        _log_to_stderr(logging.WARNING)  # retries and their waits (up to a minute each) on a terminal, not calls and tokens


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at the time (test runners swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def _log_to_stderr(level: int) -> None:
    """The package's own log lines from ``level`` up (hosts, models, statuses, tokens; never bodies or keys) on stderr."""
    package_logger = logging.getLogger("summarizer")
    if not any(isinstance(h, _StderrHandler) for h in package_logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
        package_logger.addHandler(handler)
    package_logger.setLevel(level)


def _hint_when_stdin_is_a_terminal(what: str) -> None:
    """A user who typed '-' without a pipe would otherwise wait on a silent terminal."""
    if sys.stdin.isatty():
        click.echo(f"Reading {what} from standard input; end with Ctrl-D (Ctrl-Z then Enter on Windows).", err=True)


def _note_when_the_embedded_model_runs(summarizer: Summarizer) -> None:
    """Starting the embedded model and its answer take 20-60 s on a small CPU: a terminal would otherwise sit silent."""
    if summarizer.settings.embedded and sys.stderr.isatty():
        click.echo(f"Running the embedded model ({summarizer.model_name}) on the CPU: up to a minute; --no-llm answers at once.", err=True)


_MODEL_FLAGS = (("--model", "model"), ("--base-url", "base_url"), ("--api-key", "api_key"), ("--gguf", "gguf"))
"""Options that only choose or reach a model, as (flag, parameter name)."""


def backend_options(command: F) -> F:
    """The options every model-calling command shares."""
    options = [
        click.option(
            "--model", "-m", help="Model name at the endpoint (env SUMMARIZER_MODEL). Default: the embedded model, or gpt-4o-mini when an API key is set."
        ),
        click.option("--base-url", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 (env SUMMARIZER_BASE_URL or OPENAI_BASE_URL)."),
        click.option("--api-key", help="API key (prefer env SUMMARIZER_API_KEY or OPENAI_API_KEY: arguments show up in process lists)."),
        click.option(
            "--mode",
            type=click.Choice(MODES),
            default="auto",
            show_default=True,
            help="How structured output is requested; llama_cpp for llama-cpp-python's server.",
        ),
        click.option(
            "--gguf", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Run this GGUF file as the embedded model instead of SmolLM2-135M."
        ),
        click.option(
            "--scope",
            type=click.Choice(SCOPES),
            default="auto",
            show_default=True,
            help=(
                "What the model is asked for: the full digest, or the summary and key points only (rules find the rest). "
                "auto: summary for the embedded 135M model, whose sentences then become key points beside the article's lead "
                "(they score below the lead as a summary), full otherwise."
            ),
        ),
        click.option("--no-llm", is_flag=True, help="Rules only: quotes, figures and names found without a model. Instant and offline."),
        click.option("--lenient", is_flag=True, help="Keep quotes and figures not found in the article, marked grounding=unmatched, instead of dropping them."),
        click.option(
            "--max-chars",
            type=click.IntRange(min=1),
            default=DEFAULT_MAX_CHARS,
            show_default=True,
            help="Refuse longer articles: a hard cap against runaway input (an article longer than the model's context is read in chunks).",
        ),
        click.option(
            "--max-reasks",
            type=click.IntRange(min=0),
            default=1,
            show_default=True,
            help="Times the model is asked again when its answer is invalid or not in the article.",
        ),
        click.option(
            "--max-tokens",
            type=click.IntRange(min=16),
            help="Tokens the model may answer with (default 2,048; the summary scope asks for at most 300). "
            "The answer's room comes out of --context-tokens: lower it with a small context.",
        ),
        click.option(
            "--timeout",
            "timeout_s",
            type=click.FloatRange(min=1),
            default=120.0,
            show_default=True,
            help="Seconds allowed for each model request, its whole answer included (each retry gets as long again).",
        ),
        click.option(
            "--context-tokens",
            type=click.IntRange(min=MIN_CONTEXT_TOKENS),
            help="Tokens the model takes per request (env SUMMARIZER_CONTEXT_TOKENS); a longer article is read in chunks. "
            "Default: the embedded model's 8,192, a known model's window (gpt-4o-mini 128k, qwen2.5 32k, llama3 8k, ...), else 8,192.",
        ),
    ]
    return functools.reduce(lambda cmd, option: option(cmd), reversed(options), command)


def summarizer_from_options(options: dict[str, Any], *, include_text: bool = True, concurrency: int = DEFAULT_CONCURRENCY) -> Summarizer:
    """A Summarizer configured from the shared backend options (a note on stderr
    names the model options that --no-llm makes pointless)."""
    if options["no_llm"]:
        ignored = [flag for flag, key in _MODEL_FLAGS if options[key] is not None]
        if ignored:
            click.echo(f"Note: {', '.join(ignored)} ignored with --no-llm (no model is called).", err=True)
    return Summarizer(
        model=options["model"],
        base_url=options["base_url"],
        api_key=options["api_key"],
        mode=options["mode"],
        gguf=options["gguf"],
        use_llm=not options["no_llm"],
        lenient=options["lenient"],
        include_text=include_text,
        max_chars=options["max_chars"],
        max_reasks=options["max_reasks"],
        max_tokens=options["max_tokens"],
        timeout_s=options["timeout_s"],
        scope=options["scope"],
        context_tokens=options["context_tokens"],
        concurrency=concurrency,
    )


@main.command()
@click.argument("source", metavar="FILE|-")
@click.option("--format", "-f", "output_format", type=click.Choice(["json", "markdown", "html"]), default="json", show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True, path_type=Path), help="Write here instead of standard output.")
@click.option("--id", "article_id", help="Article id (default: the file name, or a hash of the text).")
@click.option("--title", help="Headline, when the file does not carry one.")
@click.option("--date", callback=lambda _ctx, _param, value: _iso_date(value), help="Publication date: ISO 8601 date or date-time, e.g. 2015-08-21.")
@click.option(
    "--no-text",
    is_flag=True,
    help="Leave article.text out of the JSON. Offsets index the extracted, normalised text (HTML reduced to text, CRLF to LF), which is then not in the output.",
)
@click.option(
    "--concurrency",
    "-j",
    type=click.IntRange(min=1, max=512),
    default=DEFAULT_CONCURRENCY,
    show_default=True,
    help="Model calls at the same time for the chunks of a long article.",
)
@backend_options
def summarize(
    source: str,
    output_format: str,
    output: Path | None,
    article_id: str | None,
    title: str | None,
    date: str | None,
    no_text: bool,
    concurrency: int,
    **options: Any,
) -> None:
    """Summarize one article: a .txt, .md, .html or .json file, or - for standard input.

    Prints an ArticleSummary (schema version 1) as JSON, or Markdown/HTML with
    --format. An article longer than the model's context is read in chunks
    (progress on stderr when it is a terminal) and merged into one digest.

    \b
    Examples:
      summarizer summarize article.txt
      summarizer summarize page.html --format html -o digest.html
      cat article.txt | summarizer summarize - --base-url http://127.0.0.1:11434/v1 --model qwen2.5:7b
    """
    max_chars = options["max_chars"]
    if source == "-":
        _hint_when_stdin_is_a_terminal("the article")
        article = article_from_text(decode_bytes(sys.stdin.buffer.read()), where="standard input", id=article_id, title=title, date=date, max_chars=max_chars)
    else:
        article = read_article(Path(source), max_chars=max_chars)
        article = dataclasses.replace(article, id=article_id or article.id, title=title or article.title, date=date or article.date)
    with summarizer_from_options(options, include_text=not no_text or output_format != "json", concurrency=concurrency) as summarizer:
        _note_when_the_embedded_model_runs(summarizer)
        result = summarizer.summarize(article, progress=chunk_progress_display(sys.stderr))
    _emit(_rendered(result, output_format), output)


@main.command("eval")
@click.argument("gold", type=click.Path(path_type=Path))
@click.option("--articles", type=click.Path(path_type=Path), help="JSONL of {id, text, ...} to join by id when gold lines carry no text.")
@click.option(
    "--predictions",
    "-p",
    type=click.Path(path_type=Path),
    help="Score this output (batch JSONL, ArticleSummary lines, or one ArticleSummary JSON file) instead of running the summarizer.",
)
@click.option(
    "--recall-only", multiple=True, type=click.Choice(evaluate.FIELDS), help="Score recall only for this field (gold known to be incomplete). Repeatable."
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@backend_options
def eval_command(gold: Path, articles: Path | None, predictions: Path | None, recall_only: tuple[str, ...], as_json: bool, **options: Any) -> None:
    """Score digests against gold data: precision, recall and F1 per field.

    Without --predictions, the summarizer runs on every gold article first
    (with the backend options). Matching rules: docs/evaluation.md.

    \b
    Example (GUM Wikinews gold, quotes known to be incomplete):
      summarizer eval tests/data/gum-news/gold.jsonl --articles tests/data/gum-news/articles.jsonl --no-llm --recall-only quotes
    """
    gold_articles = evaluate.load_gold(gold, articles=articles)
    predicted = evaluate.load_predictions(predictions) if predictions is not None else _summarize_gold(gold_articles, options)
    report = evaluate.score(gold_articles, predicted, recall_only=recall_only)
    click.echo(json.dumps(report.to_json(), indent=2) if as_json else evaluate.format_table(report))


def _summarize_gold(gold_articles: list[evaluate.GoldArticle], options: dict[str, Any]) -> dict[str, ArticleSummary]:
    if any(not g.text for g in gold_articles):
        raise click.UsageError("some gold lines have no text: pass --articles FILE or --predictions FILE")
    results: dict[str, ArticleSummary] = {}
    with summarizer_from_options(options) as summarizer:
        for number, gold_article in enumerate(gold_articles, 1):
            click.echo(f"[{number}/{len(gold_articles)}] {gold_article.id}", err=True)
            try:
                results[gold_article.id] = summarizer.summarize(gold_article.text or "", id=gold_article.id, title=gold_article.title, date=gold_article.date)
            except (InputError, ExtractionError) as exc:
                click.echo(f"  skipped: {exc}", err=True)  # counted as a missing prediction
    return results


@main.command()
@click.argument("source", metavar="INPUT")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Output JSONL file (default: standard output; --resume needs a file).")
@click.option(
    "--concurrency",
    "-j",
    type=click.IntRange(min=1, max=512),
    default=DEFAULT_CONCURRENCY,
    show_default=True,
    help="Model calls at the same time: articles, and the chunks of long articles (with --engine ray: over the whole cluster, shared by the actors).",
)
@click.option("--resume", is_flag=True, help="Continue OUTPUT: skip ids already in it (ok or failed), cut off a partial last line.")
@click.option(
    "--cache",
    "cache_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite cache file (default: $SUMMARIZER_CACHE or ~/.cache/summarizer/cache.sqlite). With --engine ray the cache is off "
    "unless this is given; each actor then opens PATH on its own node: a node-local disk, never a network filesystem.",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option("--fail-fast", is_flag=True, help="Stop taking new records after the first failure.")
@click.option("--no-text", is_flag=True, help="Leave article.text out of each result.")
@click.option(
    "--workers",
    type=click.IntRange(min=0, max=64),
    default=0,
    show_default=True,
    help="Worker processes that summarize the records, each with its own model client. Worth it only when the endpoint "
    "answers faster than the rules run (a local fast model, or --no-llm over a large corpus): one per core then. "
    "With --engine ray: the number of Ray actors (0: one per CPU of the cluster).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="local: this machine. ray: Ray actors over a cluster (needs the 'ray' extra and an endpoint every node reaches, or --no-llm).",
)
@click.option(
    "--ray-address",
    metavar="ADDR",
    help="With --engine ray: the cluster to join ('auto': the one this machine is part of; ray://HOST:10001). "
    "Default: $RAY_ADDRESS, else a local Ray instance for this run.",
)
@click.option(
    "--record-timeout",
    type=click.FloatRange(min=0),
    default=DEFAULT_RECORD_TIMEOUT_S,
    show_default=True,
    help="Give a record up as an error line (RecordTimeoutError) when it makes no progress for this many seconds "
    "(a long article's progress: each chunk answered); 0 for no limit.",
)
@click.option(
    "--fail-on-partial",
    is_flag=True,
    help="Write an error line (PartialDigestError), not a digest with a warning, when a chunk of a long article got no answer.",
)
@backend_options
def batch(
    source: str,
    output: Path | None,
    concurrency: int,
    resume: bool,
    cache_path: Path | None,
    no_cache: bool,
    fail_fast: bool,
    no_text: bool,
    workers: int,
    engine: str,
    ray_address: str | None,
    record_timeout: float,
    fail_on_partial: bool,
    **options: Any,
) -> None:
    """Summarize many articles into JSONL: one line per record, never a lost record.

    INPUT is a JSONL file of {"id", "text", "title"?, "date"?, "url"?} records,
    a JSON array of them, a folder of .txt/.md/.html files (id: file name;
    other entries are named on stderr and ignored), or - for standard input. Each output line is {"id", "ok": true, "result"} or
    {"id", "ok": false, "error": {"type", "message", "attempts"}}, in
    completion order. Bad records get an error line and the batch goes on, as
    does a record that makes no progress for --record-timeout seconds.
    Results are cached by model, prompt, schema and article text, so a re-run
    makes no model calls for articles already done.

    --engine ray runs the same pipeline on Ray actors (a local Ray instance, or
    the cluster at --ray-address): same input (but not -), same lines, same
    exit codes. An actor that dies is restarted and its records run again;
    each id is still written once.

    \b
    Exit codes:
      0    every record succeeded
      1    the batch ran, some records failed (see their error lines; a record given up
           after --record-timeout, or partial with --fail-on-partial, is one)
      3    INPUT cannot be read (missing, or an invalid JSON array)
      4    bad configuration, or OUTPUT exists without --resume or cannot be written,
           or Ray is missing or unreachable with --engine ray
      5    the backend failed before any record succeeded, or failed 8 records in a row
           after that, or twice --concurrency if more (those records are not written:
           --resume redoes them); with --engine ray, also a failed Ray job
      7    the embedded model could not start
      130  interrupted (Ctrl-C); --resume continues
      141  the reader of standard output went away (`| head`)

    \b
    Examples:
      summarizer batch articles.jsonl -o digests.jsonl --base-url http://127.0.0.1:11434/v1 --model qwen2.5:7b
      summarizer batch articles.jsonl -o digests.jsonl --resume
      cat articles.jsonl | summarizer batch - --no-llm > digests.jsonl
    """
    if resume and output is None:
        raise click.UsageError("--resume needs an output file: pass -o OUT.jsonl")
    if no_cache and cache_path is not None:
        raise click.UsageError("--cache and --no-cache contradict each other")
    if ray_address is not None and engine != "ray":
        raise click.UsageError("--ray-address needs --engine ray")
    if source == "-" and engine == "local":
        _hint_when_stdin_is_a_terminal("JSONL records, one per line")
    with contextlib.ExitStack() as stack:
        summarizer = stack.enter_context(summarizer_from_options(options, include_text=not no_text, concurrency=concurrency))
        common: dict[str, Any] = {
            "summarizer": summarizer,
            "concurrency": concurrency,
            "resume": resume,
            "fail_fast": fail_fast,
            "progress": progress_display(),
            "on_note": lambda note: click.echo(f"Note: {note}", err=True),
            "record_timeout": record_timeout or None,
            "fail_on_partial": fail_on_partial,
        }
        target = output if output is not None else sys.stdout.buffer
        if engine == "ray":
            report = run_ray_batch(source, target, cache=cache_path, actors=workers, address=ray_address, **common)
        else:
            cache = None if no_cache else stack.enter_context(SummaryCache(cache_path or default_cache_path()))
            report = run_batch(source, target, cache=cache, workers=workers, **common)
    click.echo(report.summary(), err=True)
    if report.interrupted:
        sys.exit(EXIT_INTERRUPTED)
    if report.failed:
        sys.exit(EXIT_SOME_FAILED)


@main.command("export")
@click.argument("results", nargs=-1, metavar="[RESULTS]...")
@click.option(
    "--sqlite",
    "database",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The corpus database to create or add to: an article already in it is replaced, entities are derived again.",
)
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False, path_type=Path), help="Write every table and view as DIR/NAME.csv.")
@click.option(
    "--html", "html_page", type=click.Path(dir_okay=False, path_type=Path), help="Write a corpus index page: top entities, most quoted, stance edges."
)
def export_command(results: tuple[str, ...], database: Path | None, csv_dir: Path | None, html_page: Path | None) -> None:
    """Export digests to SQLite tables (or CSV files) to ask questions across a corpus.

    RESULTS are batch outputs (failed lines are skipped) or ArticleSummary JSON
    files, streamed. Tables: articles, entities (actors resolved across
    articles), actors, aliases, mentions, quotes, figures, stances, key_points,
    key_point_spans; views: entity_quotes, quotes_per_entity, stance_edges,
    figures_by_unit. With no RESULTS, --csv and --html read an existing --sqlite file.

    \b
    Examples:
      summarizer export digests.jsonl --sqlite corpus.db
      summarizer export more.jsonl --sqlite corpus.db --html corpus.html
      summarizer export digests.jsonl --csv corpus-csv/
      sqlite3 corpus.db "SELECT entity, quotes FROM quotes_per_entity ORDER BY quotes DESC LIMIT 10"
    """
    if database is None and csv_dir is None and html_page is None:
        raise click.UsageError("say where to export: --sqlite FILE, --csv DIR or --html FILE")
    if not results and database is None:
        raise click.UsageError("pass RESULTS files to export, or --sqlite FILE to write CSV or HTML from an existing corpus")
    with contextlib.ExitStack() as stack:
        if database is None:  # CSV or HTML only: the tables are built in a scratch file
            database = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "corpus.db"
        if results:
            with export.progress_bar() as progress:
                report = export.export_results(results, database=database, progress=progress)
            click.echo(report.summary(), err=True)
        if csv_dir is not None:
            written = export.write_csv(database, csv_dir)
            click.echo(f"{len(written)} CSV files written to {csv_dir}", err=True)
        if html_page is not None:
            _emit(export.corpus_index_html(database), html_page)


@main.command("render")
@click.argument("results", metavar="FILE|-")
@click.option(
    "--output",
    "-o",
    required=True,
    help="A page file for one result (.html/.htm or .md); a folder for a batch (one page per article plus index.html or index.md).",
)
@click.option(
    "--format",
    "-f",
    "output_format",
    type=click.Choice(["html", "markdown"]),
    help="Page format when the output's extension does not name one (.html/.htm and .md decide). Default: html.",
)
def render_command(results: str, output: str, output_format: str | None) -> None:
    """Render saved results as pages: one ArticleSummary JSON, or a batch's JSONL; - reads standard input.

    \b
    Examples:
      summarizer render digest.json -o digest.html
      summarizer render out.jsonl -o out-pages/      (then open out-pages/index.html)
      summarizer render out.jsonl -o out-md/ -f markdown
    """
    loaded = parse_results(decode_bytes(sys.stdin.buffer.read()), where="standard input") if results == "-" else read_results(Path(results))
    target = Path(output)
    page_format = render.page_format_for(target, requested=output_format)
    if output_format is not None and output_format != page_format:
        click.echo(f"Note: writing {page_format}, as the extension of {output} says (--format {output_format} ignored).", err=True)
    if not _is_folder(output):
        _emit(_rendered(_only_summary(loaded, results=results, output=output), page_format), target)
        return
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(f"cannot create the folder {target}: {exc.strerror or exc}") from exc
    pages = render.batch_pages(loaded, page_format=page_format)
    for name, text in pages:
        _emit(text, target / name)
    click.echo(f"{len(pages) - 1} page(s) and {pages[-1][0]} written to {target}", err=True)


def _is_folder(output: str) -> bool:
    """Whether ``-o`` names a folder: an existing one, a path ending in a separator, or one without an extension."""
    path = Path(output)
    return path.is_dir() or output.endswith(("/", os.sep)) or not path.suffix


def _only_summary(loaded: list[SavedResult], *, results: str, output: str) -> ArticleSummary:
    """The one result a page file can hold; refuses a batch of several, or one that failed."""
    if len(loaded) > 1:
        raise ConfigurationError(f"{results} holds {len(loaded)} results but -o {output} is one file: pass a folder, e.g. -o pages/")
    record_id, summary, error = loaded[0]
    if summary is None:
        raise InputError(f"{results}: the only record ({record_id}) failed, so there is no digest to render: {error}")
    return summary


@main.command()
def schema() -> None:
    """Print the JSON Schema of ArticleSummary (the output contract)."""
    click.echo(json.dumps(ArticleSummary.model_json_schema(), indent=2, ensure_ascii=False))


def chunk_progress_display(stream: TextIO) -> Progress | None:
    """'Reading 12 parts: 3 done' redrawn on ``stream`` while a long article's chunks are read; None when it is no terminal."""
    if not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        stream.write(f"\rReading the article in {total} parts: {done} done" + ("\n" if done == total else ""))
        stream.flush()

    return show


def _rendered(result: ArticleSummary, output_format: str) -> str:
    if output_format == "markdown":
        return render.render_markdown(result)
    if output_format == "html":
        return render.render_html(result)
    return render.render_json(result)


def _emit(text: str, output: Path | None) -> None:
    try:
        if output is None:
            click.echo(text)
        else:
            output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    except BrokenPipeError:
        raise  # the reader of a pipe stopped (`| head`): exit 141 quietly, as Unix tools do
    except OSError as exc:  # a missing folder, no permission, a full disk: as in batch
        where = "standard output" if output is None else f"{output}"
        raise ConfigurationError(f"cannot write {where}: {exc.strerror or exc}" + ("" if output is None else "; check the -o path")) from exc


def _iso_date(value: str | None) -> str | None:
    """``value`` when it is an ISO 8601 date or date-time; a usage error otherwise (the check is the articles' own)."""
    try:
        return iso_date(value)
    except InputError as exc:
        raise click.BadParameter(str(exc), param_hint="--date") from exc
