"""Running a batch: records summarized concurrently, cached, each one's outcome written as it completes.

:func:`asummarize_many` / :func:`summarize_many` are the engine (outcomes as
they complete); :func:`run_batch` reads a source and writes the JSONL output
with progress. Concurrency is bounded, a dead backend stops the run without
writing the records it failed, and worker processes (``workers``) take the
CPU-bound part off this process when the endpoint is fast.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import logging
import os
import threading
import time
from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator, Callable, Coroutine, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from ..api import Summarizer
from ..articles import Article
from ..chunking import MISSING_PART
from ..errors import (
    BackendError,
    ConfigurationError,
    InputError,
    LocalModelError,
    PartialDigestError,
    RecordTimeoutError,
    RequestRejectedError,
    SummarizerError,
)
from ..schema import ArticleSummary
from .cache import SummaryCache, cache_key_for
from .input import RecordError, RecordInput, RecordOrError, count_records, iter_records
from .output import BatchOutcome, BatchOutput
from .progress import BatchReport, ProgressSink
from .workers import WorkerLost, WorkerPool

logger = logging.getLogger("summarizer")
T = TypeVar("T")

_BACKEND_ERRORS = (BackendError, ConfigurationError, LocalModelError)
"""Failures of the backend, not of a record (but for RequestRejectedError, one request's: see
is_backend_failure); a BackendWatch decides when they stop a batch."""
BACKEND_DOWN_AFTER = 8
"""Backend failures in a row that stop a batch that had succeeded before (at least twice the
concurrency: a backend that dies fails every call in flight at once)."""
DEFAULT_RECORD_TIMEOUT_S = 600.0
"""Seconds a record may go without progress (its start, its rule stage, each chunk answered)
before it is given up as an error line (RecordTimeoutError)."""


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
    workers: int = 0,
    watch_backend: bool = True,
    record_timeout: float | None = DEFAULT_RECORD_TIMEOUT_S,
    fail_on_partial: bool = False,
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

    ``workers`` > 0 runs the records in that many worker processes (see
    :mod:`.workers`), started here and stopped when the run ends; ignored with
    an injected model client, which cannot cross processes.

    ``concurrency`` also bounds the model calls in flight: the chunks of a
    long article share it with the other records (with worker processes,
    each worker's articles share the summarizer's ``concurrency``).
    A record that makes no progress for ``record_timeout`` seconds (None: no
    limit) becomes a RecordTimeoutError outcome. A digest lacking a part of
    a long article (``provenance.partial``) is an outcome with its warning,
    or a PartialDigestError with ``fail_on_partial``.

    ``watch_backend=False`` makes every backend failure that record's error
    outcome, never raised nor held: for a caller that watches the backend
    itself over many calls (a :class:`BackendWatch`), as the Ray engine's
    driver does over all its actors.
    """
    if concurrency < 1:
        raise ConfigurationError(f"concurrency must be at least 1, got {concurrency}")
    if workers < 0:
        raise ConfigurationError(f"workers must be 0 (none) or more, got {workers}")
    if record_timeout is not None and record_timeout <= 0:
        raise ConfigurationError(f"record_timeout must be a positive number of seconds (or None for no limit), got {record_timeout}")
    run = _Run(
        summarizer=summarizer,
        cache=cache,
        watch=BackendWatch(concurrency=concurrency, fail_fast=fail_fast),
        watch_backend=watch_backend,
        workers=workers,
        calls=asyncio.Semaphore(concurrency),
        record_timeout=record_timeout,
        fail_on_partial=fail_on_partial,
    )
    source = _as_async(records)
    reading: asyncio.Task[RecordInput | None] | None = None
    pending: set[asyncio.Task[BatchOutcome]] = set()
    exhausted = False
    try:
        while True:
            # Read ahead only while there is room; wait on the input and the work
            # together, so a slow input never holds back a finished record.
            if reading is None and not exhausted and not run.watch.stopped and len(pending) < concurrency:
                reading = asyncio.create_task(_next_or_none(source))
            waiting: set[asyncio.Future[Any]] = {*pending, *([reading] if reading else [])}
            if not waiting:
                for outcome in run.watch.release():  # the backend did not come back, nor was it down for long
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
        run.close()


def summarize_many(
    records: Iterable[RecordInput],
    *,
    summarizer: Summarizer,
    concurrency: int = 4,
    cache: SummaryCache | None = None,
    fail_fast: bool = False,
    done_ids: frozenset[str] | set[str] = frozenset(),
    workers: int = 0,
    record_timeout: float | None = DEFAULT_RECORD_TIMEOUT_S,
    fail_on_partial: bool = False,
) -> Iterator[BatchOutcome]:
    """Sync twin of :func:`asummarize_many`: runs its own event loop; outcomes as they complete.

    Records in flight only progress while the caller asks for the next
    outcome. The summarizer's async HTTP client is closed at the end (it is
    bound to this loop); the summarizer stays usable, its embedded server
    and worker processes still running.
    """
    outcomes = asummarize_many(
        records,
        summarizer=summarizer,
        concurrency=concurrency,
        cache=cache,
        fail_fast=fail_fast,
        done_ids=done_ids,
        workers=workers,
        record_timeout=record_timeout,
        fail_on_partial=fail_on_partial,
    )
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


def is_backend_failure(error: BaseException) -> bool:
    """Whether ``error`` is the backend's (down, misconfigured, refusing the credentials) rather than one record's."""
    return isinstance(error, _BACKEND_ERRORS) and not isinstance(error, RequestRejectedError)


class BackendWatch:
    """Tells a backend that is down from records that failed, over one run's outcomes as they complete.

    A backend failure before any record succeeded stops the run: the backend
    is down or misconfigured. After a success, backend failures are held
    back until the next fresh success shows the backend alive (then they are
    the records' own error outcomes); ``BACKEND_DOWN_AFTER`` of them in a row
    (or twice the concurrency, if more: a backend that dies fails every call
    in flight at once) stop the run. Stopping raises the error; the held
    records get no outcome, so a resumed run redoes them. With ``fail_fast``,
    ``stopped`` turns true at the first failure and nothing is held.
    """

    def __init__(self, *, concurrency: int, fail_fast: bool = False) -> None:
        self.down_after = max(BACKEND_DOWN_AFTER, 2 * concurrency)
        self.fail_fast = fail_fast
        self.succeeded = False
        self.stopped = False
        self._held: list[BatchOutcome] = []  # backend failures since the last success

    def settled(self, outcome: BatchOutcome) -> list[BatchOutcome]:
        """A record's own outcome, after the held failures that a fresh success shows to be the records' own."""
        outcome = self.tally(outcome)
        return [*self.release(), outcome] if outcome.ok and not outcome.cached else [outcome]

    def backend_failed(self, outcome: BatchOutcome) -> list[BatchOutcome]:
        """A record the backend failed: held (nothing to write yet), or raised when the backend looks down."""
        error = outcome.error
        assert isinstance(error, SummarizerError), "only backend errors are held"
        if not self.succeeded:
            raise error
        if self.fail_fast:
            return [self.tally(outcome)]
        self._held.append(outcome)
        if len(self._held) < self.down_after:
            return []
        raise type(error)(
            f"{error}; {len(self._held)} records in a row failed like this, so the batch stopped (they are not written: --resume redoes them)",
            attempts=error.attempts,
        ) from error

    def release(self) -> list[BatchOutcome]:
        """The held backend failures, now known to be the records' own."""
        released, self._held = self._held, []
        return [self.tally(outcome) for outcome in released]

    def tally(self, outcome: BatchOutcome) -> BatchOutcome:
        """Note a success, or (with ``fail_fast``) a failure that stops the run."""
        if outcome.ok:
            self.succeeded = True
        elif not outcome.skipped and self.fail_fast:
            self.stopped = True
        return outcome


class _Run:
    """The state of one asummarize_many call: the worker processes, the cache, the backend's watch
    (which, without ``watch_backend``, only counts: backend failures never reach it)."""

    def __init__(
        self,
        *,
        summarizer: Summarizer,
        cache: SummaryCache | None,
        watch: BackendWatch,
        watch_backend: bool,
        workers: int,
        calls: asyncio.Semaphore,
        record_timeout: float | None,
        fail_on_partial: bool,
    ) -> None:
        self.summarizer = summarizer
        self.calls = calls  # model calls in flight, whole articles and chunks alike
        self.record_timeout = record_timeout
        self.fail_on_partial = fail_on_partial
        factory = summarizer.replica_factory() if workers else None
        self.pool = WorkerPool(workers, factory) if factory is not None else None
        # Rules alone are faster than a cache read, and their digests are not worth storing.
        self.cache = cache if summarizer.settings.use_llm else None
        self.key = cache_key_for(summarizer) if self.cache is not None else None
        self.watch = watch
        self.watch_backend = watch_backend

    def without_model(self, item: RecordOrError, done_ids: frozenset[str] | set[str]) -> BatchOutcome | None:
        """The outcome when no model call is needed (already done, bad record, cache hit), else None."""
        if item.id in done_ids:
            return self.watch.tally(BatchOutcome(item.id, skipped=True))
        if isinstance(item, RecordError):
            return self.watch.tally(BatchOutcome(item.id, error=item.error))
        if self.cache is None or self.key is None:
            return None
        hit = self.cache.get(dataclasses.replace(self.key, article_sha256=item.sha256), article=item, include_text=self.summarizer.settings.include_text)
        return None if hit is None else self.watch.tally(BatchOutcome(item.id, result=hit, cached=True))

    async def summarize(self, article: Article) -> BatchOutcome:
        watchdog = _Watchdog(self.record_timeout)
        try:
            result = await watchdog.run(self._summarized(article, progress=watchdog.touch))
        except Exception as exc:  # every failure becomes this record's error line, but the backend's go to settle()
            if self.watch_backend and is_backend_failure(exc):
                raise  # settle() decides: fatal before the first success or in a long run of them, else a failed record
            return BatchOutcome(article.id, error=exc)
        # A fallback or partial digest may come from a passing fault (a cut-off answer, a 5xx): never cache it.
        if self.cache is not None and self.key is not None and not result.provenance.fallback and not result.provenance.partial:
            self.cache.put(dataclasses.replace(self.key, article_sha256=article.sha256), result)
        if result.provenance.partial and self.fail_on_partial:
            return BatchOutcome(article.id, error=_partial_error(result))
        return BatchOutcome(article.id, result=result)

    async def _summarized(self, article: Article, *, progress: Callable[[int, int], None]) -> ArticleSummary:
        if self.pool is not None:
            try:
                return await self.pool.summarize(article, progress=progress)
            except WorkerLost as lost:
                self._drop_pool(lost)
        return await self.summarizer.asummarize(article, progress=progress, calls=self.calls)

    def _drop_pool(self, lost: WorkerLost) -> None:
        if self.pool is None:
            return  # another article already found the pool broken
        # The usual cause in a user's script: no main guard, so each worker re-ran the script.
        logger.warning('%s; articles are summarized in this process from now on (a script using workers needs an `if __name__ == "__main__":` guard)', lost)
        self.close()

    def close(self) -> None:
        """Stop the worker processes, if any."""
        if self.pool is not None:
            self.pool.close()
            self.pool = None

    def settle(self, done: set[asyncio.Task[BatchOutcome]]) -> list[BatchOutcome]:
        """Outcomes of finished tasks; raises the fatal error when nothing has succeeded yet, or the backend went down."""
        outcomes: list[BatchOutcome] = []
        errors: list[tuple[str, BaseException]] = []
        for task in done:
            error = task.exception()
            if error is None:
                outcomes += self.watch.settled(task.result())
            else:
                errors.append((task.get_name(), error))
        # Settled after this round's successes: a backend error after a success may be one record's failure.
        for record_id, error in errors:
            if not isinstance(error, Exception):
                raise error
            outcomes += self.watch.backend_failed(BatchOutcome(record_id, error=error))
        return outcomes


class _Watchdog:
    """Gives up on a record that makes no progress for ``limit`` seconds (None: never).

    Progress is the record's start and each report of it (the rule stage of a
    long article done, each chunk answered), so a long article read in many
    chunks is not cut short while its chunks keep coming. The timer runs on
    the event loop: the rule stages of a long article run off it
    (``Summarizer.asummarize``), a model call awaits it.
    """

    def __init__(self, limit: float | None) -> None:
        self.limit = limit
        self.last = time.monotonic()

    def touch(self, *_: object) -> None:
        self.last = time.monotonic()

    async def run(self, work: Coroutine[Any, Any, T]) -> T:
        """``work``'s result; RecordTimeoutError (``work`` cancelled) when it stalls."""
        if self.limit is None:
            return await work
        task = asyncio.ensure_future(work)
        try:
            while True:
                idle = time.monotonic() - self.last
                if idle >= self.limit:
                    raise RecordTimeoutError(f"the record made no progress for {self.limit:g} s and was given up (--record-timeout)")
                done, _ = await asyncio.wait({task}, timeout=self.limit - idle)
                if done:
                    return task.result()
        finally:
            task.cancel()


def _partial_error(result: ArticleSummary) -> PartialDigestError:
    missing = [warning for warning in result.provenance.warnings if warning.startswith(MISSING_PART)]
    return PartialDigestError(
        f"the model gave no answer for {len(missing)} of the article's {result.provenance.chunks} parts (--fail-on-partial): " + "; ".join(missing)
    )


def run_batch(
    source: str | Path,
    output: str | os.PathLike[str] | BinaryIO,
    *,
    summarizer: Summarizer,
    concurrency: int = 4,
    resume: bool = False,
    cache: SummaryCache | None = None,
    fail_fast: bool = False,
    workers: int = 0,
    progress: ProgressSink | None = None,
    on_note: Callable[[str], None] | None = None,
    record_timeout: float | None = DEFAULT_RECORD_TIMEOUT_S,
    fail_on_partial: bool = False,
) -> BatchReport:
    """Summarize every record of ``source`` into the JSONL ``output``; returns the counts.

    ``on_note`` receives a one-line note for each folder entry that is ignored
    (it is counted in ``BatchReport.ignored``). ``record_timeout`` and
    ``fail_on_partial``: see :func:`asummarize_many`.

    Ctrl-C stops the run: records in flight are dropped (``resume`` redoes
    them) and the report comes back with ``interrupted=True``. Raises
    InputError when ``source`` cannot be read, ConfigurationError when the
    output cannot be written (or exists without ``resume``), and the backend's
    error when it fails before any record succeeded or looks down after that
    (see :func:`asummarize_many`). The summarizer's async
    HTTP client is closed at the end; the summarizer stays usable.
    """
    report = BatchReport()

    records = iter_records(source, max_chars=summarizer.settings.max_chars, on_ignored=report.counting_ignored(on_note))
    from_pipe = str(source) == "-"
    started = time.perf_counter()
    # A pipe's reader thread owns its generator; a file's generator is closed here, with its file.
    with contextlib.nullcontext() if from_pipe else contextlib.closing(records), BatchOutput(output, resume=resume) as sink:
        if progress is not None:
            progress.start(total=count_records(source))
        try:
            report.interrupted = asyncio.run(
                _write_outcomes(
                    records,
                    sink,
                    report,
                    progress,
                    from_pipe=from_pipe,
                    summarizer=summarizer,
                    concurrency=concurrency,
                    cache=cache,
                    fail_fast=fail_fast,
                    workers=workers,
                    record_timeout=record_timeout,
                    fail_on_partial=fail_on_partial,
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
    workers: int,
    record_timeout: float | None,
    fail_on_partial: bool,
) -> bool:
    """Write each outcome as it comes; returns True when Ctrl-C cut the run short."""
    feed = read_in_thread(records) if from_pipe else records
    outcomes = asummarize_many(
        feed,
        summarizer=summarizer,
        concurrency=concurrency,
        cache=cache,
        fail_fast=fail_fast,
        done_ids=sink.done_ids,
        workers=workers,
        record_timeout=record_timeout,
        fail_on_partial=fail_on_partial,
    )
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
