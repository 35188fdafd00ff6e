"""The Ray engine: the same per-article pipeline on a Ray cluster, through Ray Data.

Two parts:

* :class:`DigestBatches`, a callable class for ``Dataset.map_batches``. Each
  Ray actor holds one Summarizer (one model client, one event loop) for its
  lifetime and summarizes the records of a batch concurrently with
  :func:`~summarizer.batch.asummarize_many`. It returns one row per record.
  Use it in your own Ray pipelines.
* :func:`run_ray_batch`, what ``summarizer batch --engine ray`` runs. The
  driver reads the input with :func:`~summarizer.batch.iter_records` (ids,
  duplicates and bad records as in the local engine), skips ids already in
  the output, hands the articles to Ray a window at a time
  (``ray.data.from_items``) and writes each row as it comes back, through
  :class:`~summarizer.batch.BatchOutput`: the file stays append-only and
  whole-line, and the lines are those of the local engine.

Nothing is lost. An article that fails is an error row. An actor that dies
(killed, out of memory, its node gone) is started again by Ray, and the
batches it held run again (Ray Data's defaults for actor pools:
``max_restarts=-1``, ``max_task_retries=-1``); the
driver writes each id's line once, so a batch that ran twice is never written
twice. Backend failures are judged by the driver over all actors, as the
local engine judges them (:class:`~summarizer.batch.run.BackendWatch`).

``ray`` is imported only when the engine runs: ``import summarizer`` never loads it.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime
import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any, BinaryIO, Protocol

from .. import errors
from ..api import Summarizer
from ..articles import Article
from ..errors import BackendError, ConfigurationError, SummarizerError
from ..schema import ArticleSummary
from .cache import SummaryCache
from .input import RecordError, RecordInput, RecordOrError, count_records, iter_records
from .output import BatchOutcome, BatchOutput, error_fields
from .progress import BatchReport, ProgressSink
from .run import DEFAULT_RECORD_TIMEOUT_S, BackendWatch, asummarize_many, is_backend_failure

RAY_EXTRA = "pip install 'summarizer[ray]' (in a checkout: pip install -e '.[ray]')"
WINDOW_RECORDS = 10_000
"""Articles handed to Ray at a time: the driver holds at most this many (the input itself is streamed).
Each window is a dataset of its own, whose actors start afresh: large enough to make that rare."""
ROUNDS_PER_BATCH = 4
"""A batch holds this many times an actor's concurrency of records: enough to keep its calls in
flight, few enough that an actor's death costs little work and lines come back steadily."""


class ArrowTable(Protocol):
    """What DigestBatches needs of a ``pyarrow.Table`` (``batch_format="pyarrow"``)."""

    def to_pylist(self) -> list[dict[str, Any]]: ...


class DigestBatches:
    """Digests for the batches of a Ray Data pipeline: ``Dataset.map_batches(DigestBatches, ...)``.

    Each actor builds one :class:`~summarizer.Summarizer` from ``options``
    (its keyword options: ``model``, ``base_url``, ``api_key``, ``use_llm``,
    ...) and keeps it, with its model client and event loop, for its
    lifetime; the records of a batch are summarized with at most
    ``concurrency`` model calls in flight (``record_timeout`` and
    ``fail_on_partial``: as in :func:`~summarizer.batch.asummarize_many`).
    ``cache`` is a SQLite file that
    each actor opens on its own node: give a node-local path, never one on a
    network filesystem. Without a model endpoint each actor would start its
    own embedded model: pass ``base_url`` and ``model`` (or ``use_llm=False``).

    A batch is a ``pyarrow.Table`` (``batch_format="pyarrow"``, which keeps
    ids and missing fields as they are) or a dict of columns (Ray's default
    NumPy format) of records ``{"id", "text", "title"?, "date"?, "url"?,
    "language"?}``; timestamps (Ray's JSON reader makes them of ISO dates)
    become ISO text again. Every record gives one row, in the order they
    complete::

        id       the record's id (as the local batch gives it)
        ok       true when it has a digest
        cached   true when the digest came from the cache
        result   the ArticleSummary as JSON text, or null
        error    JSON text {"type", "message", "attempts", "prompt_tokens", "completion_tokens"}, or null

    A failed record, even one the backend failed, is an error row: a batch
    never raises for its records.
    """

    def __init__(
        self,
        *,
        concurrency: int = 4,
        cache: str | os.PathLike[str] | None = None,
        record_timeout: float | None = DEFAULT_RECORD_TIMEOUT_S,
        fail_on_partial: bool = False,
        **options: Any,
    ) -> None:
        if concurrency < 1:
            raise ConfigurationError(f"concurrency must be at least 1, got {concurrency}")
        self.summarizer = Summarizer(**options)
        self.concurrency = concurrency
        self.record_timeout, self.fail_on_partial = record_timeout, fail_on_partial
        self.cache = SummaryCache(Path(cache)) if cache is not None else None
        # One loop for the actor's life: the model client and its connections serve every batch.
        self._loop = asyncio.Runner()

    def __call__(self, batch: ArrowTable | Mapping[str, Any]) -> dict[str, list[Any]]:
        """The rows of ``batch``'s records, as columns."""
        rows = [outcome_row(outcome) for outcome in self._loop.run(self._outcomes(_records(batch)))]
        return {column: [row[column] for row in rows] for column in ROW_COLUMNS}

    async def _outcomes(self, records: list[RecordInput]) -> list[BatchOutcome]:
        # The driver (or the user's pipeline) judges backend failures over every actor: here they are rows.
        outcomes = asummarize_many(
            records,
            summarizer=self.summarizer,
            concurrency=self.concurrency,
            cache=self.cache,
            watch_backend=False,
            record_timeout=self.record_timeout,
            fail_on_partial=self.fail_on_partial,
        )
        return [outcome async for outcome in outcomes]

    def close(self) -> None:
        """Release the model client, the event loop and the cache (a Ray actor's end does it too)."""
        self._loop.run(self.summarizer.aclose())
        self._loop.close()
        if self.cache is not None:
            self.cache.close()


def _records(batch: ArrowTable | Mapping[str, Any]) -> list[RecordInput]:
    if not isinstance(batch, Mapping):
        rows = batch.to_pylist()
    else:
        columns = {name: values.tolist() if hasattr(values, "tolist") else list(values) for name, values in batch.items()}
        rows = [dict(zip(columns, values)) for values in zip(*columns.values())]
    return [{name: value.isoformat() if isinstance(value, datetime.date) else value for name, value in row.items()} for row in rows]


ROW_COLUMNS = ("id", "ok", "cached", "result", "error")


def outcome_row(outcome: BatchOutcome) -> dict[str, Any]:
    """``outcome`` as a DigestBatches row: plain values, the digest and the error as JSON text."""
    error: str | None = None
    if outcome.result is None:
        fields = error_fields(outcome.error)
        if isinstance(outcome.error, SummarizerError):
            fields.update(prompt_tokens=outcome.error.prompt_tokens, completion_tokens=outcome.error.completion_tokens)
        error = json.dumps(fields, ensure_ascii=False)
    return {
        "id": outcome.id,
        "ok": outcome.ok,
        "cached": outcome.cached,
        "result": outcome.result.model_dump_json() if outcome.result is not None else None,
        "error": error,
    }


class ReportedError(SummarizerError):
    """An error an actor reported that is not one of the package's own: its line keeps the type and message."""

    def __init__(self, message: str, *, kind: str, attempts: int = 0) -> None:
        super().__init__(message, attempts=attempts)
        self._kind = kind

    @property
    def kind(self) -> str:
        return self._kind


def outcome_from_row(row: Mapping[str, Any]) -> BatchOutcome:
    """The outcome a row stands for (the inverse of :func:`outcome_row`): its line is the one the actor's outcome had."""
    record_id = str(row["id"])
    if row["ok"]:
        return BatchOutcome(record_id, result=ArticleSummary.model_validate_json(row["result"]), cached=bool(row["cached"]))
    fields = json.loads(row["error"])
    kind, message, attempts = str(fields["type"]), str(fields["message"]), int(fields["attempts"])
    known = getattr(errors, kind, None)
    error = (
        known(message, attempts=attempts)
        if isinstance(known, type) and issubclass(known, SummarizerError)
        else ReportedError(message, kind=kind, attempts=attempts)
    )
    error.prompt_tokens, error.completion_tokens = int(fields.get("prompt_tokens", 0)), int(fields.get("completion_tokens", 0))
    return BatchOutcome(record_id, error=error)


# --------------------------------------------------------------------------
# The driver
# --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ActorPlan:
    """How a run is spread: ``actors`` actors with ``per_actor`` calls in flight each, ``batch_size`` records a batch."""

    actors: int
    per_actor: int
    batch_size: int

    @classmethod
    def for_cluster(cls, *, cpus: int, actors: int, concurrency: int) -> ActorPlan:
        """``actors`` (0: one per CPU), never more than ``concurrency``, which they share: at most ``concurrency`` calls in flight in all."""
        count = max(1, min(actors or cpus, concurrency))
        per_actor = concurrency // count
        return cls(actors=count, per_actor=per_actor, batch_size=ROUNDS_PER_BATCH * per_actor)


RowSource = Callable[[list[Article]], Iterable[Mapping[str, Any]]]
"""Digest rows (as DigestBatches gives them) for a window of articles, in any order."""


class RayDriver:
    """The driver's side of a run: answers what needs no model, windows the articles, writes each id's line once."""

    def __init__(self, sink: BatchOutput, report: BatchReport, *, watch: BackendWatch, progress: ProgressSink | None = None) -> None:
        self.sink, self.report, self.watch, self.progress = sink, report, watch, progress
        self.answered: set[str] = set()

    def run(self, records: Iterable[RecordOrError], *, rows: RowSource, window: int = WINDOW_RECORDS) -> None:
        """Every record's line: bad ones and those already done as they are read, the articles' as Ray answers.

        Raises the backend's error when it looks down (see BackendWatch); the
        records it held back are not written.
        """
        for articles in self._windows(records, size=window):
            for row in rows(articles):
                self._answer(outcome_from_row(row))
                if self.watch.stopped:
                    return
        self._emit(self.watch.release())

    def _windows(self, records: Iterable[RecordOrError], *, size: int) -> Iterator[list[Article]]:
        window: list[Article] = []
        for item in records:
            if self.watch.stopped:
                return
            if item.id in self.sink.done_ids:
                self._emit([self.watch.tally(BatchOutcome(item.id, skipped=True))])
            elif isinstance(item, RecordError):
                self._emit([self.watch.tally(BatchOutcome(item.id, error=item.error))])
            else:
                window.append(item)
            if len(window) >= size:
                yield window
                window = []
        if window:
            yield window

    def _answer(self, outcome: BatchOutcome) -> None:
        # Write-once: a batch that Ray ran again after its actor died may bring rows already answered.
        if outcome.id in self.answered:
            return
        self.answered.add(outcome.id)
        backend_down = outcome.error is not None and is_backend_failure(outcome.error)
        self._emit(self.watch.backend_failed(outcome) if backend_down else self.watch.settled(outcome))

    def _emit(self, outcomes: list[BatchOutcome]) -> None:
        for outcome in outcomes:
            self.report.count(outcome)
            if not outcome.skipped:
                self.sink.write(outcome)
            if self.progress is not None:
                self.progress.update(self.report)


def run_ray_batch(
    source: str | Path,
    output: str | os.PathLike[str] | BinaryIO,
    *,
    summarizer: Summarizer,
    concurrency: int = 4,
    resume: bool = False,
    cache: str | os.PathLike[str] | None = None,
    fail_fast: bool = False,
    actors: int = 0,
    address: str | None = None,
    window: int = WINDOW_RECORDS,
    progress: ProgressSink | None = None,
    on_note: Callable[[str], None] | None = None,
    record_timeout: float | None = DEFAULT_RECORD_TIMEOUT_S,
    fail_on_partial: bool = False,
) -> BatchReport:
    """As :func:`~summarizer.batch.run_batch`, on Ray: the records of ``source`` summarized by actors, into ``output``.

    ``summarizer`` gives the settings each actor builds its own Summarizer
    from; it needs an endpoint every node can reach (or ``use_llm=False``).
    ``concurrency`` is the number of model calls in flight over the whole
    cluster, shared by ``actors`` actors (0: one per CPU of the cluster).
    ``cache`` is off unless given; each actor then opens that path on its own
    node. ``address`` joins a running cluster (``"auto"``, ``ray://...``);
    without it (nor ``RAY_ADDRESS``), a local Ray instance starts and stops
    with the run. A Ray already initialized in this process is used as it is.
    ``record_timeout`` and ``fail_on_partial`` hold on every actor.

    Raises ConfigurationError when Ray is not installed or cannot be reached,
    or ``source`` is standard input (read it into a file first), besides the
    errors of ``run_batch``; BackendError when the Ray job itself fails (the
    lines written stay: ``resume`` continues).
    """
    if str(source) == "-":
        raise ConfigurationError("--engine ray reads a file or a folder, not standard input: save the records to a file, or use --engine local")
    options = {**_actor_options(summarizer, cache=cache), "record_timeout": record_timeout, "fail_on_partial": fail_on_partial}
    ray = _import_ray()
    report = BatchReport()

    records = iter_records(source, max_chars=summarizer.settings.max_chars, on_ignored=report.counting_ignored(on_note))
    started = time.perf_counter()
    with contextlib.closing(records), BatchOutput(output, resume=resume) as sink, _ray_session(ray, address):
        plan = ActorPlan.for_cluster(cpus=int(ray.cluster_resources().get("CPU", 1)), actors=actors, concurrency=concurrency)
        driver = RayDriver(sink, report, watch=BackendWatch(concurrency=concurrency, fail_fast=fail_fast), progress=progress)
        if progress is not None:
            progress.start(total=count_records(source))
        try:
            driver.run(records, rows=lambda articles: _digest_rows(ray, articles, plan=plan, options=options), window=window)
        except KeyboardInterrupt:
            report.interrupted = True  # rows not yet written are redone by --resume
        finally:
            report.wall_s = time.perf_counter() - started
            if progress is not None:
                progress.close(report)
    return report


def _actor_options(summarizer: Summarizer, *, cache: str | os.PathLike[str] | None) -> dict[str, Any]:
    """DigestBatches' options for ``summarizer``'s settings; refuses what cannot run on other machines."""
    if summarizer.settings.embedded:
        raise ConfigurationError(
            "--engine ray needs a model endpoint that every node can reach (--base-url and --model) or --no-llm: the embedded model runs on this machine only"
        )
    if summarizer.replica_factory() is None:
        raise ConfigurationError("a Summarizer with its own model_client cannot run on Ray: the client cannot leave this process")
    return {**dataclasses.asdict(summarizer.settings), "cache": os.fspath(cache) if cache is not None else None}


def _import_ray() -> ModuleType:
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise ConfigurationError(f"--engine ray needs Ray, which is not installed: {RAY_EXTRA}") from exc
    return ray


@contextlib.contextmanager
def _ray_session(ray: ModuleType, address: str | None) -> Iterator[None]:
    """Ray for one run: a cluster joined, or a local instance, shut down after; a Ray already running here is left as it is."""
    if ray.is_initialized():
        yield
        return
    address = address or os.environ.get("RAY_ADDRESS")
    # Without an address, an instance of its own (never one found running) serves this run alone:
    # no dashboard, and Ray's processes reach one another over loopback.
    where: dict[str, Any] = {"address": address} if address else {"address": "local", "include_dashboard": False, "_node_ip_address": "127.0.0.1"}
    try:
        ray.init(**where, logging_level=logging.ERROR)
    except (ConnectionError, ValueError, RuntimeError) as exc:
        raise ConfigurationError(f"cannot start Ray at {address or 'a local instance'}: {_first_line(exc)}; check --ray-address") from exc
    try:
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False  # the batch shows its own progress
        context.print_on_execution_start = False
        logging.getLogger("ray.data").setLevel(logging.ERROR)  # its notes on each execution, as Ray's own below ERROR
        yield
    finally:
        ray.shutdown()


def _digest_rows(ray: ModuleType, articles: list[Article], *, plan: ActorPlan, options: dict[str, Any]) -> Iterator[Mapping[str, Any]]:
    dataset = ray.data.from_items([dataclasses.asdict(article) for article in articles]).map_batches(
        DigestBatches,
        fn_constructor_kwargs={**options, "concurrency": plan.per_actor},
        compute=ray.data.ActorPoolStrategy(size=plan.actors),
        batch_size=plan.batch_size,
        batch_format="pyarrow",
        num_cpus=1,  # the rules and grounding are CPU work
        # Fault tolerance is Ray Data's default for actor pools (max_restarts=-1, max_task_retries=-1):
        # a dead actor is started again and its batches run again. Passing them is deprecated since Ray 2.60.
    )
    try:
        yield from dataset.iter_rows()
    except ray.exceptions.RayError as exc:
        raise _job_error(exc) from exc


def _job_error(exc: BaseException) -> SummarizerError:
    """The package's own error inside a failed Ray job (an actor that could not start, say), else a BackendError for the job."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, SummarizerError):
            return cause
        seen.add(id(cause))
        cause = getattr(cause, "cause", None) or cause.__cause__
    return BackendError(f"the Ray job failed: {_first_line(exc)}; the lines written so far stay (--resume continues)")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
