"""Batch conversion: many articles in, one JSONL line out per record, never a lost record.

Input (:func:`iter_records`): a JSONL file, a JSON array file, a folder of
.txt/.md/.html files, or ``-`` for standard input. Every record becomes
exactly one output line, in completion order, with its id::

    {"id": "a1", "ok": true, "cached": false, "result": {...ArticleSummary...}}
    {"id": "a2", "ok": false, "error": {"type": "InputError", "message": "...", "attempts": 0}}

A record without an id gets the text's hash id (as :func:`make_article`
gives). A record that cannot be read gets an id from its place: ``line:N``
(JSONL), ``item:N`` (JSON array) or ``file:NAME`` (folder); so does the second
record with an id already seen. These ids are the same on every run over the
same input, which is what ``--resume`` relies on.

Each line is written with one ``write()`` on an unbuffered append-only file,
so a crash, ``kill -9`` or Ctrl-C loses at most the records in flight and
never leaves half a line, except that a ``write()`` cut short by the kill
itself can leave a fragment at the very end: ``resume`` cuts it off before
appending. ``resume`` skips every id already in the output, ok or failed.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import io
import json
import os
import re
import sys
import threading
import time
from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator, Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, Protocol, TextIO, TypeVar

from .api import Summarizer
from .articles import (
    DEFAULT_MAX_CHARS,
    Article,
    article_from_record,
    decode_bytes,
    describe_json_error,
    parse_json_record,
    read_article,
    require_object,
)
from .cache import CacheKey, SummaryCache
from .errors import BackendError, ConfigurationError, InputError, LocalModelError, RequestRejectedError, SummarizerError
from .prompts import PROMPT_VERSION
from .schema import SCHEMA_VERSION, ArticleSummary, without_lone_surrogates

T = TypeVar("T")

FOLDER_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
"""Files read from an input folder (not recursively); other entries are ignored, each with a note.
An entry with one of these names that is not a readable file (a folder, a broken link) gets an error line."""

_BACKEND_ERRORS = (BackendError, ConfigurationError, LocalModelError)
"""Failures of the backend, not of a record: before any record succeeded they stop the whole batch
(the backend is down or misconfigured); after that, BACKEND_DOWN_AFTER of them in a row do."""
BACKEND_DOWN_AFTER = 8
"""Backend failures in a row that stop a batch that had succeeded before (at least twice the
concurrency: a backend that dies fails every call in flight at once)."""

_CLAIMED_ID = re.compile(rb'"id"\s*:\s*("(?:[^"\\\n]|\\.)*"|-?\d+)')
_LINE_ID = re.compile(rb'^\{"id": ("(?:[^"\\]|\\.)*")')

# --------------------------------------------------------------------------
# Records in
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordError:
    """An input record that cannot be summarized; it becomes an error line."""

    id: str
    error: InputError


RecordOrError = Article | RecordError
RecordInput = Article | RecordError | Mapping[str, Any] | str
"""What summarize_many accepts: checked records, or ``{"id", "text", ...}`` mappings, or plain text."""


@dataclass(frozen=True)
class _RawRecord:
    """One record as read, before it is checked. ``where`` is its place, e.g. ``line:3``."""

    where: str
    record: Mapping[str, Any] | None = None
    error: InputError | None = None
    claimed_id: str | None = None
    article: Article | None = None  # a folder's file, already read


def iter_records(
    source: str | Path, *, max_chars: int = DEFAULT_MAX_CHARS, on_ignored: Callable[[str], None] | None = None
) -> Generator[RecordOrError, None, None]:
    """The records of ``source`` as checked Articles, or RecordErrors for unusable ones.

    ``source`` is a JSONL file, a JSON array file (recognised by its first
    character, ``[``), a folder, or ``"-"`` for standard input. JSONL and
    folders are streamed, one record at a time; a JSON array is parsed whole,
    so keep very large inputs in JSONL. A folder's files are read like
    ``summarize`` reads them (headline and dateline included); each entry that
    is not an article file is passed to ``on_ignored`` as a one-line note.
    Raises InputError at once (not on the first ``next()``) when the source
    does not exist or is an invalid array.
    """
    if str(source) == "-":
        return _checked(_stream_records(sys.stdin.buffer, close=False), max_chars=max_chars)
    path = Path(source)
    if path.is_dir():
        return _checked(_folder_records(path, max_chars=max_chars, on_ignored=on_ignored), max_chars=max_chars)
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed by the generator that reads it
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}; pass a JSONL file, a JSON array file, a folder or - for stdin") from exc
    return _checked(_stream_records(stream, close=True), max_chars=max_chars)


def count_records(source: str | Path) -> int | None:
    """About how many records ``source`` holds (lines or files), for progress; None when unknown."""
    path = Path(source)
    if str(source) == "-" or not path.exists():
        return None
    if path.is_dir():
        return sum(1 for entry in path.iterdir() if entry.suffix.lower() in FOLDER_SUFFIXES)
    with open(path, "rb") as stream:
        if _starts_array(stream):
            return None
        count, last = 0, b"\n"
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            count, last = count + chunk.count(b"\n"), chunk[-1:]
        return count + (last != b"\n")


def _stream_records(stream: BinaryIO, *, close: bool) -> Iterator[_RawRecord]:
    # Detected before the generator starts, so an invalid array fails at iter_records().
    if _starts_array(stream):
        try:
            items = _array_records(stream.read())
        finally:
            if close:
                stream.close()
        return iter(items)
    lines = _utf8_lines(stream) if _head(stream).startswith(_UTF16_BOMS) else stream
    return _jsonl_records(lines, stream, close=close)


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _head(stream: IO[bytes]) -> bytes:
    """The first bytes of ``stream``, left to be read again."""
    peek = getattr(stream, "peek", None)
    if peek is not None:
        return bytes(peek(4096))
    if stream.seekable():  # e.g. a BytesIO standing in for stdin
        start = stream.tell()
        head = stream.read(4096)
        stream.seek(start)
        return head
    return b""


def _starts_array(stream: IO[bytes]) -> bool:
    head = _head(stream)
    text = head.decode("utf-16", errors="replace") if head.startswith(_UTF16_BOMS) else head.decode("utf-8-sig", errors="replace")
    return text.lstrip().startswith("[")


def _utf8_lines(stream: BinaryIO) -> Iterator[bytes]:
    """UTF-16 JSONL (Windows tools write it, with a byte order mark) as UTF-8 lines:
    its newlines are two bytes, so splitting the raw bytes at a newline byte would cut characters."""
    for line in io.TextIOWrapper(stream, encoding="utf-16", errors="replace", newline=""):
        yield line.encode("utf-8")


def _jsonl_records(lines: Iterable[bytes], stream: BinaryIO, *, close: bool) -> Iterator[_RawRecord]:
    try:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"line:{number}"
            try:
                record = parse_json_record(decode_bytes(line), where=f"line {number}")
            except InputError as exc:
                yield _RawRecord(where, error=exc, claimed_id=_claimed_id(line))
                continue
            yield _RawRecord(where, record=record)
    finally:
        if close:
            stream.close()


def _array_records(data: bytes) -> list[_RawRecord]:
    try:
        items = without_lone_surrogates(json.loads(decode_bytes(data)))
    except json.JSONDecodeError as exc:
        raise InputError(f"the input is not a valid JSON array ({describe_json_error(exc)}); fix it or convert it to JSONL") from exc
    if not isinstance(items, list):
        raise InputError("the input starts like a JSON array but is not one")
    return [_array_item(n, item) for n, item in enumerate(items, start=1)]


def _array_item(number: int, item: Any) -> _RawRecord:
    try:
        return _RawRecord(f"item:{number}", record=require_object(item, where=f"item {number}"))
    except InputError as exc:
        return _RawRecord(f"item:{number}", error=exc)


def _folder_records(folder: Path, *, max_chars: int, on_ignored: Callable[[str], None] | None) -> Iterator[_RawRecord]:
    for path in sorted(folder.iterdir()):
        where = f"file:{path.name}"
        if path.suffix.lower() not in FOLDER_SUFFIXES:
            if on_ignored is not None:
                on_ignored(f"{path.name}: ignored, {_entry_kind(path)} (only {', '.join(FOLDER_SUFFIXES)} files are read)")
        elif not path.is_file():
            yield _RawRecord(where, error=InputError(f"file {path.name}: cannot read it, it is {_entry_kind(path)}"), claimed_id=path.stem)
        else:
            try:
                yield _RawRecord(where, article=read_article(path, max_chars=max_chars))
            except InputError as exc:
                yield _RawRecord(where, error=InputError(f"file {path.name}: {exc}"), claimed_id=path.stem)


def _entry_kind(path: Path) -> str:
    """What a folder entry is, for notes and errors."""
    if path.is_symlink() and not path.exists():
        return "a broken symbolic link"
    if path.is_dir():
        return "a folder (folders are not read recursively)"
    if path.is_file():
        return "not an article file"
    return "not a regular file"


def _checked(raw_records: Iterator[_RawRecord], *, max_chars: int) -> Generator[RecordOrError, None, None]:
    seen: set[str] = set()
    for raw in raw_records:
        item = _to_article(raw, max_chars=max_chars)
        if item.id in seen:
            message = f"{raw.where.replace(':', ' ', 1)}: duplicate id {item.id!r} (the first record with it is kept); give every record its own id"
            item = RecordError(raw.where, InputError(message))
        seen.add(item.id)
        yield item


def _to_article(raw: _RawRecord, *, max_chars: int) -> RecordOrError:
    if raw.article is not None:
        return raw.article
    if raw.error is not None or raw.record is None:
        return RecordError(raw.claimed_id or raw.where, raw.error or InputError(f"{raw.where}: no record"))
    try:
        return article_from_record(raw.record, max_chars=max_chars)
    except InputError as exc:
        record_id = raw.record.get("id")
        known = record_id is not None and str(record_id).strip()
        return RecordError(str(record_id) if known else raw.where, InputError(f"{raw.where.replace(':', ' ', 1)}: {exc}"))


def _claimed_id(line: bytes) -> str | None:
    """The id a broken JSON line seems to carry, so its error line can name it."""
    match = _CLAIMED_ID.search(line)
    if match is None:
        return None
    try:
        value = without_lone_surrogates(json.loads(match.group(1)))
    except json.JSONDecodeError:
        return None
    return str(value) if str(value).strip() else None


# --------------------------------------------------------------------------
# Outcomes
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchOutcome:
    """What became of one record: a result, an error, or skipped (already in the output)."""

    id: str
    result: ArticleSummary | None = None
    error: Exception | None = None
    cached: bool = False
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return self.result is not None

    def line(self) -> bytes:
        """The output line, UTF-8, ending in a newline; the id comes first."""
        head = '{"id": ' + json.dumps(self.id, ensure_ascii=False)
        if self.result is not None:
            body = f', "ok": true, "cached": {json.dumps(self.cached)}, "result": {self.result.model_dump_json()}}}'
        else:
            body = ', "ok": false, "error": ' + json.dumps(_error_fields(self.error), ensure_ascii=False) + "}"
        return (head + body + "\n").encode("utf-8")


def _error_fields(error: Exception | None) -> dict[str, Any]:
    if isinstance(error, SummarizerError):
        return {"type": error.kind, "message": str(error), "attempts": error.attempts}
    # Not raised on purpose: a bug. The record still gets its line, and the message asks for a report.
    return {"type": type(error).__name__, "message": f"unexpected error (please report it): {error}", "attempts": 0}


# --------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------


def cache_key_for(summarizer: Summarizer) -> CacheKey:
    """The cache key of ``summarizer``'s digests, for an article hash still to be filled in."""
    s = summarizer.settings
    return CacheKey(
        model=summarizer.model_name,
        backend_host=summarizer.backend_host,
        prompt_version=PROMPT_VERSION,
        schema_version=SCHEMA_VERSION,
        article_sha256="",
        lenient=s.lenient,
        use_llm=s.use_llm,
        scope=s.resolved_scope,
        mode=s.mode,
        temperature=s.temperature,
        max_tokens=s.max_tokens,
        max_reasks=s.max_reasks,
    )


def _as_record(item: RecordInput, summarizer: Summarizer) -> RecordOrError:
    """Accept what users have at hand: Articles, ``{"id", "text", ...}`` records, or plain text."""
    if isinstance(item, (Article, RecordError)):
        return item
    try:
        return summarizer.prepare(item)
    except InputError as exc:
        raw_id = item.get("id") if isinstance(item, Mapping) else None
        return RecordError(id=str(raw_id) if raw_id is not None else "record", error=exc)


async def asummarize_many(
    records: Iterable[RecordInput] | AsyncIterable[RecordInput],
    *,
    summarizer: Summarizer,
    concurrency: int = 4,
    cache: SummaryCache | None = None,
    fail_fast: bool = False,
    done_ids: frozenset[str] | set[str] = frozenset(),
) -> AsyncGenerator[BatchOutcome, None]:
    """Summarize ``records`` with at most ``concurrency`` in flight; yields outcomes as they complete.

    One outcome per record: ids in ``done_ids`` come back ``skipped``, record
    errors and failed summaries with their ``error``, cache hits ``cached``.
    At most ``concurrency`` tasks exist at a time (the bound of a semaphore,
    without a task per pending record), so the input is read as it is used.
    Pass an async iterable (e.g. :func:`read_in_thread`) when reading the
    records can block, as a pipe does.

    ``fail_fast`` stops taking records after the first failure (those in
    flight finish). A backend, configuration or embedded-model error raised
    before any record succeeded is raised here: the batch cannot run. After a
    success such failures are held back until the next success shows the
    backend alive (then they are the records' own error outcomes); when
    ``BACKEND_DOWN_AFTER`` (or twice ``concurrency``) of them come in a row the
    backend is down: the error is raised and the held records get no outcome,
    so a resumed run redoes them instead of the batch failing every record left.
    """
    if concurrency < 1:
        raise ConfigurationError(f"concurrency must be at least 1, got {concurrency}")
    run = _Run(summarizer=summarizer, cache=cache, fail_fast=fail_fast, backend_down_after=max(BACKEND_DOWN_AFTER, 2 * concurrency))
    source = _as_async(records)
    reading: asyncio.Task[RecordInput | None] | None = None
    pending: set[asyncio.Task[BatchOutcome]] = set()
    exhausted = False
    try:
        while True:
            # Read ahead only while there is room; wait on the input and the work
            # together, so a slow input never holds back a finished record.
            if reading is None and not exhausted and not run.stopped and len(pending) < concurrency:
                reading = asyncio.create_task(_next_or_none(source))
            waiting: set[asyncio.Future[Any]] = {*pending, *([reading] if reading else [])}
            if not waiting:
                for outcome in run.release_failures():  # the backend did not come back, nor was it down for long
                    yield outcome
                return
            done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            if reading is not None and reading in done:
                item, reading = reading.result(), None
                if item is None:
                    exhausted = True
                else:
                    item = _as_record(item, summarizer)
                    immediate = run.without_model(item, done_ids)
                    if immediate is not None:
                        yield immediate
                    elif isinstance(item, Article):
                        pending.add(asyncio.create_task(run.summarize(item), name=item.id))
            finished = {task for task in pending if task in done}
            pending -= finished
            for outcome in run.settle(finished):
                yield outcome
    finally:
        # Reached on Ctrl-C, a fatal error or an early close: in-flight records are dropped, never half-written.
        leftovers: list[asyncio.Future[Any]] = [*pending, *([reading] if reading else [])]
        for task in leftovers:
            task.cancel()
        if leftovers:
            await asyncio.gather(*leftovers, return_exceptions=True)
        await source.aclose()


def summarize_many(
    records: Iterable[RecordInput],
    *,
    summarizer: Summarizer,
    concurrency: int = 4,
    cache: SummaryCache | None = None,
    fail_fast: bool = False,
    done_ids: frozenset[str] | set[str] = frozenset(),
) -> Iterator[BatchOutcome]:
    """Sync twin of :func:`asummarize_many`: runs its own event loop; outcomes as they complete.

    Records in flight only progress while the caller asks for the next
    outcome. The summarizer's async HTTP client is closed at the end (it is
    bound to this loop); the summarizer stays usable, its embedded server
    and worker processes still running.
    """
    outcomes = asummarize_many(records, summarizer=summarizer, concurrency=concurrency, cache=cache, fail_fast=fail_fast, done_ids=done_ids)
    with asyncio.Runner() as runner:
        try:
            while (outcome := runner.run(_next_or_none(outcomes))) is not None:
                yield outcome
        finally:
            runner.run(outcomes.aclose())
            runner.run(summarizer.aclose_http())


async def _as_async(records: Iterable[T] | AsyncIterable[T]) -> AsyncGenerator[T, None]:
    if isinstance(records, AsyncIterable):
        async for item in records:
            yield item
    else:
        for item in records:
            yield item


async def read_in_thread(records: Iterator[RecordOrError], *, buffer: int = 64) -> AsyncIterator[RecordOrError]:
    """``records`` read by a daemon thread, so a slow pipe blocks neither the event loop nor Ctrl-C.

    At most ``buffer`` records wait in memory. The thread owns ``records``;
    when the run stops early it is left blocked on its read and dies with the process.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[RecordOrError | Exception | None] = asyncio.Queue(maxsize=buffer)

    def deliver(item: RecordOrError | Exception | None) -> bool:
        try:
            asyncio.run_coroutine_threadsafe(queue.put(item), loop).result()
        except (RuntimeError, concurrent.futures.CancelledError):
            return False  # the loop has closed: nobody is reading any more
        return True

    def pump() -> None:
        try:
            for item in records:
                if not deliver(item):
                    return
        except Exception as exc:  # raised again in the reading task, like any input error
            deliver(exc)
            return
        deliver(None)

    threading.Thread(target=pump, name="batch-input", daemon=True).start()
    while (item := await queue.get()) is not None:
        if isinstance(item, Exception):
            raise item
        yield item


async def _next_or_none(items: AsyncIterator[T]) -> T | None:
    return await anext(items, None)


class _Run:
    """The state of one asummarize_many call: what succeeded, whether to stop."""

    def __init__(self, *, summarizer: Summarizer, cache: SummaryCache | None, fail_fast: bool, backend_down_after: int) -> None:
        self.summarizer = summarizer
        # Rules alone are faster than a cache read, and their digests are not worth storing.
        self.cache = cache if summarizer.settings.use_llm else None
        self.key = cache_key_for(summarizer) if self.cache is not None else None
        self.fail_fast = fail_fast
        self.succeeded = False
        self.stopped = False
        self.backend_down_after = backend_down_after
        self.backend_failures: list[BatchOutcome] = []  # held back since the last success

    def without_model(self, item: RecordOrError, done_ids: frozenset[str] | set[str]) -> BatchOutcome | None:
        """The outcome when no model call is needed (already done, bad record, cache hit), else None."""
        if item.id in done_ids:
            return self.tally(BatchOutcome(item.id, skipped=True))
        if isinstance(item, RecordError):
            return self.tally(BatchOutcome(item.id, error=item.error))
        if self.cache is None or self.key is None:
            return None
        hit = self.cache.get(dataclasses.replace(self.key, article_sha256=item.sha256), article=item, include_text=self.summarizer.settings.include_text)
        return None if hit is None else self.tally(BatchOutcome(item.id, result=hit, cached=True))

    async def summarize(self, article: Article) -> BatchOutcome:
        try:
            result = await self.summarizer.asummarize(article)
        except RequestRejectedError as exc:  # this article's request, not the backend: the batch goes on
            return BatchOutcome(article.id, error=exc)
        except _BACKEND_ERRORS:
            raise  # settle() decides: fatal before the first success or in a long run of them, else a failed record
        except Exception as exc:  # every other failure becomes this record's error line
            return BatchOutcome(article.id, error=exc)
        # A fallback digest may come from a passing fault (a cut-off answer): never cache it.
        if self.cache is not None and self.key is not None and not result.provenance.fallback:
            self.cache.put(dataclasses.replace(self.key, article_sha256=article.sha256), result)
        return BatchOutcome(article.id, result=result)

    def settle(self, done: set[asyncio.Task[BatchOutcome]]) -> list[BatchOutcome]:
        """Outcomes of finished tasks; raises the fatal error when nothing has succeeded yet, or the backend went down."""
        outcomes: list[BatchOutcome] = []
        errors: list[tuple[str, BaseException]] = []
        for task in done:
            error = task.exception()
            if error is None:
                outcome = self.tally(task.result())
                outcomes += [*self.release_failures(), outcome] if outcome.ok else [outcome]
            else:
                errors.append((task.get_name(), error))
        # Settled after this round's successes: a backend error after a success may be one record's failure.
        for record_id, error in errors:
            if not isinstance(error, Exception) or not self.succeeded:
                raise error
            outcomes += self.hold_failure(BatchOutcome(record_id, error=error))
        return outcomes

    def hold_failure(self, outcome: BatchOutcome) -> list[BatchOutcome]:
        """Keep a backend failure until the backend shows itself alive; raise when it looks down."""
        if self.fail_fast:
            return [self.tally(outcome)]
        self.backend_failures.append(outcome)
        if len(self.backend_failures) < self.backend_down_after:
            return []
        error = outcome.error
        assert isinstance(error, SummarizerError)
        raise type(error)(
            f"{error}; {len(self.backend_failures)} records in a row failed like this, so the batch stopped (they are not written: --resume redoes them)",
            attempts=error.attempts,
        ) from error

    def release_failures(self) -> list[BatchOutcome]:
        """The held backend failures, now known to be the records' own."""
        released, self.backend_failures = self.backend_failures, []
        return [self.tally(outcome) for outcome in released]

    def tally(self, outcome: BatchOutcome) -> BatchOutcome:
        if outcome.ok:
            self.succeeded = True
        elif not outcome.skipped and self.fail_fast:
            self.stopped = True
        return outcome


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


class BatchOutput:
    """The JSONL output: whole lines appended one ``write()`` each, flushed at once.

    ``path`` may be a file (``resume`` continues it) or an open binary stream
    such as ``sys.stdout.buffer``. ``done_ids`` holds the ids already written
    when resuming.
    """

    def __init__(self, target: str | os.PathLike[str] | BinaryIO, *, resume: bool = False) -> None:
        self.done_ids: frozenset[str] = frozenset()
        if not isinstance(target, (str, os.PathLike)):
            if resume:
                raise ConfigurationError("--resume needs an output file (-o OUT.jsonl), not standard output")
            self._stream: BinaryIO = target
            self._owned = False
            return
        path = Path(target)
        if path.exists() and path.stat().st_size > 0:
            if not resume:
                raise ConfigurationError(f"{path} already exists: pass --resume to continue it, or delete it to start over")
            self.done_ids = read_done_ids(path)
        try:
            # Unbuffered: each write() is one system call, so every line reaches the file whole or not at all.
            self._stream = open(path, "ab", buffering=0)  # noqa: SIM115 - closed by close()
        except OSError as exc:
            raise ConfigurationError(f"cannot write {path}: {exc.strerror or exc}") from exc
        self._owned = True

    def write(self, outcome: BatchOutcome) -> None:
        """Append the outcome's line."""
        data = memoryview(outcome.line())
        while data:  # a regular file takes it in one write(); the loop covers pipes
            written = self._stream.write(data)
            data = data[written or 0 :]
        self._stream.flush()

    def close(self) -> None:
        if self._owned:
            self._stream.close()

    def __enter__(self) -> BatchOutput:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_done_ids(path: str | Path) -> frozenset[str]:
    """Ids already in a batch output; a partial last line (from a kill) is cut off first.

    Raises ConfigurationError when a complete line is not a batch line: the
    file is probably not this batch's output.
    """
    path = Path(path)
    _truncate_partial_line(path)
    ids: set[str] = set()
    with open(path, "rb") as stream:
        for number, line in enumerate(stream, start=1):
            record_id = _line_id(line)
            if record_id is None:
                raise ConfigurationError(f"{path} line {number} is not a batch output line; is it the right --output file?")
            ids.add(record_id)
    return frozenset(ids)


def _line_id(line: bytes) -> str | None:
    # Our lines start with the id, so most need no full parse (results can be large).
    match = _LINE_ID.match(line)
    try:
        value = json.loads(match.group(1)) if match else json.loads(line).get("id")
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def _truncate_partial_line(path: Path) -> None:
    with open(path, "r+b") as stream:
        size = stream.seek(0, 2)
        end = size
        while end > 0:
            start = max(0, end - 65536)
            stream.seek(start)
            chunk = stream.read(end - start)
            newline = chunk.rfind(b"\n")
            if newline >= 0:
                keep = start + newline + 1
                break
            end = start
        else:
            keep = 0
        if keep < size:
            stream.truncate(keep)


# --------------------------------------------------------------------------
# The whole run
# --------------------------------------------------------------------------


@dataclass
class BatchReport:
    """Counts of one run. ``records`` counts every input record, skipped ones included;
    ``ignored`` counts a folder's entries that are not article files (no record, no line)."""

    records: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    cached: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    wall_s: float = 0.0
    interrupted: bool = False
    ignored: int = 0

    def count(self, outcome: BatchOutcome) -> None:
        """Add one outcome."""
        self.records += 1
        if outcome.skipped:
            self.skipped += 1
        elif outcome.result is not None:
            self.ok += 1
            if outcome.cached:
                self.cached += 1
            else:
                self.prompt_tokens += outcome.result.provenance.usage.prompt_tokens
                self.completion_tokens += outcome.result.provenance.usage.completion_tokens
        else:
            self.failed += 1
            if isinstance(outcome.error, SummarizerError):
                self.prompt_tokens += outcome.error.prompt_tokens
                self.completion_tokens += outcome.error.completion_tokens

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def summary(self) -> str:
        """One line: records, ok, failed, skipped, cached (and ignored folder entries, if any), tokens, wall time."""
        state = " (interrupted)" if self.interrupted else ""
        ignored = f", {self.ignored:,} ignored" if self.ignored else ""
        return (
            f"{self.records:,} records{state}: {self.ok:,} ok, {self.failed:,} failed, {self.skipped:,} skipped, {self.cached:,} cached{ignored}; "
            f"{self.prompt_tokens:,} prompt + {self.completion_tokens:,} completion tokens; {self.wall_s:.1f} s"
        )


class ProgressSink(Protocol):
    """Where a run reports progress: started once, updated after every record, closed once."""

    def start(self, *, total: int | None) -> None: ...

    def update(self, report: BatchReport) -> None: ...

    def close(self, report: BatchReport) -> None: ...


def run_batch(
    source: str | Path,
    output: str | os.PathLike[str] | BinaryIO,
    *,
    summarizer: Summarizer,
    concurrency: int = 4,
    resume: bool = False,
    cache: SummaryCache | None = None,
    fail_fast: bool = False,
    progress: ProgressSink | None = None,
    on_note: Callable[[str], None] | None = None,
) -> BatchReport:
    """Summarize every record of ``source`` into the JSONL ``output``; returns the counts.

    ``on_note`` receives a one-line note for each folder entry that is ignored
    (it is counted in ``BatchReport.ignored``).

    Ctrl-C stops the run: records in flight are dropped (``resume`` redoes
    them) and the report comes back with ``interrupted=True``. Raises
    InputError when ``source`` cannot be read, ConfigurationError when the
    output cannot be written (or exists without ``resume``), and the backend's
    error when it fails before any record succeeded or looks down after that
    (see :func:`asummarize_many`). The summarizer's async
    HTTP client is closed at the end; the summarizer stays usable.
    """
    report = BatchReport()

    def ignored(note: str) -> None:
        report.ignored += 1
        if on_note is not None:
            on_note(note)

    records = iter_records(source, max_chars=summarizer.settings.max_chars, on_ignored=ignored)
    from_pipe = str(source) == "-"
    started = time.perf_counter()
    # A pipe's reader thread owns its generator; a file's generator is closed here, with its file.
    with contextlib.nullcontext() if from_pipe else contextlib.closing(records), BatchOutput(output, resume=resume) as sink:
        if progress is not None:
            progress.start(total=count_records(source))
        try:
            report.interrupted = asyncio.run(
                _write_outcomes(
                    records, sink, report, progress, from_pipe=from_pipe, summarizer=summarizer, concurrency=concurrency, cache=cache, fail_fast=fail_fast
                )
            )
        finally:
            report.wall_s = time.perf_counter() - started
            if progress is not None:
                progress.close(report)
    return report


async def _write_outcomes(
    records: Iterator[RecordOrError],
    sink: BatchOutput,
    report: BatchReport,
    progress: ProgressSink | None,
    *,
    from_pipe: bool,
    summarizer: Summarizer,
    concurrency: int,
    cache: SummaryCache | None,
    fail_fast: bool,
) -> bool:
    """Write each outcome as it comes; returns True when Ctrl-C cut the run short."""
    feed = read_in_thread(records) if from_pipe else records
    outcomes = asummarize_many(feed, summarizer=summarizer, concurrency=concurrency, cache=cache, fail_fast=fail_fast, done_ids=sink.done_ids)
    try:
        async with contextlib.aclosing(outcomes):
            async for outcome in outcomes:
                report.count(outcome)
                if not outcome.skipped:
                    sink.write(outcome)
                if progress is not None:
                    progress.update(report)
    except asyncio.CancelledError:
        # asyncio.run() cancels this task on Ctrl-C. Writes happen only between
        # awaits, so every line is whole; clearing the cancellation lets run_batch report.
        task = asyncio.current_task()
        if task is None or task.uncancel() > 0:
            raise
        return True
    finally:
        await summarizer.aclose_http()
    return False


# --------------------------------------------------------------------------
# Progress
# --------------------------------------------------------------------------


def progress_display(*, stream: TextIO | None = None, interval_s: float = 10.0) -> ProgressSink:
    """A live bar when ``stream`` (default stderr) is a terminal, else a plain line every ``interval_s``."""
    stream = stream if stream is not None else sys.stderr
    if stream.isatty():
        return _BarProgress(stream)
    return _LineProgress(stream, interval_s=interval_s)


class _LineProgress:
    """For logs and pipes: one line now and then, never a redraw."""

    def __init__(self, stream: TextIO, *, interval_s: float) -> None:
        self.stream, self.interval_s = stream, interval_s
        self.total: int | None = None
        self.started = self.last = time.monotonic()

    def start(self, *, total: int | None) -> None:
        self.total = total
        self.started = self.last = time.monotonic()

    def update(self, report: BatchReport) -> None:
        now = time.monotonic()
        if now - self.last >= self.interval_s:
            self.last = now
            print(self._line(report, now), file=self.stream, flush=True)

    def close(self, report: BatchReport) -> None:
        """Nothing to tidy: the caller prints the final summary."""

    def _line(self, report: BatchReport, now: float) -> str:
        done = report.records
        of_total = f"/{self.total:,}" if self.total else ""
        worked = done - report.skipped
        rate = worked / max(now - self.started, 1e-9)
        eta = ""
        if self.total and rate > 0 and self.total > done:
            eta = f", ETA {_duration((self.total - done) / rate)}"
        return f"batch: {done:,}{of_total} done, {report.failed:,} failed, {report.cached:,} cached, {report.tokens:,} tokens, {rate:.1f} records/s{eta}"


class _BarProgress:
    """For terminals: a rich progress bar with done/total, failures, tokens and ETA."""

    def __init__(self, stream: TextIO) -> None:
        # Imported here: rich costs a noticeable startup time and only bars need it.
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self._progress = Progress(
            TextColumn("batch"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed, {task.fields[cached]} cached, {task.fields[tokens]} tokens"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(file=stream),
        )
        self._task = self._progress.add_task("batch", total=None, failed=0, cached=0, tokens=0)

    def start(self, *, total: int | None) -> None:
        self._progress.update(self._task, total=total)
        self._progress.start()

    def update(self, report: BatchReport) -> None:
        self._progress.update(self._task, completed=report.records, failed=f"{report.failed:,}", cached=f"{report.cached:,}", tokens=f"{report.tokens:,}")

    def close(self, report: BatchReport) -> None:
        self.update(report)
        self._progress.stop()


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"
