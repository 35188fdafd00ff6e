"""Worker processes that run the whole pipeline of async calls.

A record costs about 8 ms of CPU besides the model's own time (a 1,000-word
article: rule evidence, the openai client and Instructor, grounding), and one
event loop runs all of it on one core. Against a real model (0.5 s or more a
call) that is never the bottleneck; against a fast local endpoint, or with the
rules alone over a large corpus, it is. A batch run with ``workers`` > 0 hands
each article to the least busy of that many processes. Each runs its own event
loop and model client (a replica of the batch's summarizer, see
``Summarizer.replica_factory``) with many articles in flight and sends the
digest back as JSON; the calling loop only reads, hands out and writes, so a
batch uses every core while the endpoint still sees ``concurrency`` requests
at a time.

A worker that dies (killed, or a script without a main guard) costs no record:
its articles raise :class:`WorkerLost`, which the caller answers by running
them itself. Workers log through their parent (so the CLI's ``-v`` applies),
ignore Ctrl-C (the parent handles it) and exit when their parent dies, even by
kill -9.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import itertools
import logging
import multiprocessing
import os
import pickle
import signal
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Protocol

from ..articles import Article
from ..schema import ArticleSummary

logger = logging.getLogger("summarizer")


Progress = Callable[[int, int], None]


class Pipeline(Protocol):
    """What a worker runs: a summarizer without workers of its own."""

    async def asummarize(self, article: Article, *, progress: Progress | None = None) -> ArticleSummary: ...

    async def aclose(self) -> None: ...


class WorkerLost(Exception):
    """The worker holding an article died before answering; the caller should summarize it itself."""


class WorkerPool:
    """``count`` worker processes, each running the pipeline that ``build()`` makes (in the worker).

    ``build`` must pickle: a module-level function or a ``functools.partial`` of one.
    Workers start on first use and serve until :meth:`close`, across event loops.
    """

    def __init__(self, count: int, build: Callable[[], Pipeline]) -> None:
        self.count = count
        self._build = build
        self._workers: list[_Worker] = []

    async def summarize(self, article: Article, *, progress: Progress | None = None) -> ArticleSummary:
        """The digest of ``article`` from the least busy worker; raises WorkerLost when that worker dies.

        ``progress`` is told, on the caller's event loop, what the worker's summarizer reports.
        """
        worker = min(self._started(), key=lambda w: w.load)
        return ArticleSummary.model_validate_json(await worker.call(article, progress=progress))

    def close(self) -> None:
        """Stop the workers: each finishes at once (articles in flight are dropped) and is waited for."""
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop()

    def _started(self) -> list[_Worker]:
        if not self._workers:
            # forkserver: a fork of this process (threads, an event loop, sockets) is not safe to run.
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            context = multiprocessing.get_context(method)
            level = logger.getEffectiveLevel()
            self._workers = [_Worker(context, self._build, level) for _ in range(self.count)]
        return self._workers


class _Worker:
    """One worker process, its end of the pipe, and the calls it has not answered yet.

    A reader thread takes the answers off the pipe as they come and settles each
    call's future on the event loop that made it. It never waits for a writer: a
    send that blocks on a busy worker's full pipe ends once that worker, whose
    answers keep being read, gets back to reading.
    """

    def __init__(self, context: Any, build: Callable[[], Pipeline], log_level: int) -> None:
        self._conn, child_end = context.Pipe()
        self._process = context.Process(target=_serve, args=(child_end, build, log_level), name="summarizer-worker", daemon=True)
        self._process.start()
        child_end.close()
        self._ids = itertools.count()
        self._pending: dict[int, tuple[asyncio.AbstractEventLoop, asyncio.Future[str]]] = {}
        self._progress: dict[int, Progress] = {}
        self._lock = threading.Lock()  # guards _pending and _alive
        self._send_lock = threading.Lock()  # one writer on the pipe at a time
        self._alive = True
        threading.Thread(target=self._read_answers, name="summarizer-worker-reader", daemon=True).start()

    @property
    def load(self) -> int:
        return len(self._pending) if self._alive else 1 << 30

    async def call(self, article: Article, *, progress: Progress | None = None) -> str:
        """The digest of ``article`` as JSON."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str] = loop.create_future()
        call_id = next(self._ids)
        with self._lock:
            self._pending[call_id] = (loop, future)
            if progress is not None:
                self._progress[call_id] = progress
        try:
            if not self._send((call_id, article)):
                with self._lock:
                    self._pending.pop(call_id, None)
                raise WorkerLost("a worker process is gone")
            try:
                return await future
            except asyncio.CancelledError:
                with self._lock:
                    dropped = self._pending.pop(call_id, None) is not None
                if dropped:
                    self._send((call_id, None))  # the worker stops working on it
                raise
        finally:
            with self._lock:
                self._progress.pop(call_id, None)

    def stop(self) -> None:
        self._send(None)
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._conn.close()

    def _send(self, message: object) -> bool:
        if not self._alive:
            return False
        try:
            with self._send_lock:
                self._conn.send(message)
        except (OSError, ValueError):  # the worker died; the reader thread settles what it held
            return False
        return True

    def _read_answers(self) -> None:
        while True:
            try:
                kind, call_id, payload = self._conn.recv()
            except (EOFError, OSError):
                break
            if kind == "log":
                logging.getLogger(payload.name).handle(payload)
                continue
            if kind == "progress":
                self._report(call_id, payload)
                continue
            with self._lock:
                entry = self._pending.pop(call_id, None)
            if entry is not None:
                _settle(entry, payload if kind == "ok" else _as_exception(payload))
        with self._lock:
            self._alive = False
            lost, self._pending = self._pending, {}
        self._process.join(timeout=1)  # for its exit code
        for entry in lost.values():
            _settle(entry, WorkerLost(f"a worker process died (exit code {self._process.exitcode})"))

    def _report(self, call_id: int, done_and_total: tuple[int, int]) -> None:
        with self._lock:
            entry, progress = self._pending.get(call_id), self._progress.get(call_id)
        if entry is not None and progress is not None:
            with contextlib.suppress(RuntimeError):  # that event loop has closed
                entry[0].call_soon_threadsafe(progress, *done_and_total)


def _as_exception(payload: Any) -> BaseException:
    return payload if isinstance(payload, BaseException) else RuntimeError(repr(payload))


def _settle(entry: tuple[asyncio.AbstractEventLoop, asyncio.Future[str]], outcome: str | BaseException) -> None:
    loop, future = entry
    with contextlib.suppress(RuntimeError):  # that event loop has closed: nobody waits any more
        loop.call_soon_threadsafe(_resolve, future, outcome)


def _resolve(future: asyncio.Future[str], outcome: str | BaseException) -> None:
    if future.done():
        return
    if isinstance(outcome, BaseException):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)


# --------------------------------------------------------------------------
# In the worker process
# --------------------------------------------------------------------------


def _serve(conn: Connection, build: Callable[[], Pipeline], log_level: int) -> None:
    # Ctrl-C reaches the whole process group; the parent handles it, so workers stay quiet.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), name="orphan-watchdog", daemon=True).start()
    sender = _Sender(conn)
    logger.handlers[:] = [_ForwardingHandler(sender)]
    logger.setLevel(log_level)
    logger.propagate = False
    asyncio.run(_answer_calls(conn, sender, build()))


def _exit_with(parent: multiprocessing.process.BaseProcess) -> None:
    """End this worker once the process that started it is gone (even by kill -9): no orphans."""
    parent.join()  # waits on the parent's sentinel: no polling
    os._exit(0)


class _Sender:
    """Writes to the parent from any thread of the worker, one message at a time."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._lock = threading.Lock()

    def send(self, kind: str, call_id: int, payload: object) -> None:
        with self._lock, contextlib.suppress(OSError):  # the parent is gone: the watchdog ends us
            self._conn.send((kind, call_id, payload))


async def _answer_calls(conn: Connection, sender: _Sender, pipeline: Pipeline) -> None:
    """Summarize each article as it comes, many at a time, until the parent says stop or goes away."""
    loop = asyncio.get_running_loop()
    calls: dict[int, asyncio.Task[None]] = {}
    stopped = loop.create_future()
    frozen = False  # a flag: gc.get_freeze_count() walks every frozen object

    async def answer(call_id: int, article: Article) -> None:
        nonlocal frozen

        def progress(done: int, total: int) -> None:
            sender.send("progress", call_id, (done, total))

        try:
            sender.send("ok", call_id, (await pipeline.asummarize(article, progress=progress)).model_dump_json())
        except asyncio.CancelledError:
            # Dropped by the caller (who no longer waits) or by the stop; never left unanswered.
            sender.send("error", call_id, WorkerLost("a worker process dropped the article"))
            raise
        except Exception as exc:
            sender.send("error", call_id, _portable(exc))
        finally:
            calls.pop(call_id, None)
        if not frozen:
            _freeze_what_lives_on()
            frozen = True

    def on_message(message: tuple[int, Article | None] | None) -> None:
        if message is None:
            if not stopped.done():
                stopped.set_result(None)
            return
        call_id, article = message
        if article is None:  # the caller gave up on it
            task = calls.pop(call_id, None)
            if task is not None:
                task.cancel()
        else:
            calls[call_id] = loop.create_task(answer(call_id, article))

    def read_calls() -> None:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            message = None
        if message is None:
            loop.remove_reader(conn.fileno())
        on_message(message)

    # Read in the loop itself, not in a thread that would wait for the GIL behind the pipeline.
    loop.add_reader(conn.fileno(), read_calls)
    await stopped
    for task in list(calls.values()):
        task.cancel()
    await asyncio.gather(*calls.values(), return_exceptions=True)
    await pipeline.aclose()


def _freeze_what_lives_on() -> None:
    """Leave the worker's lasting objects out of the garbage collector's full passes.

    After its first article a worker holds what it keeps till the end: modules,
    classes, schemas, the clients (the first article loads a third of them).
    The full passes walk all of it a few times every hundred articles, about
    0.6 ms an article (measured). Objects of articles still in flight are frozen
    too: reference counting frees them as usual; only their cycles stay.
    """
    gc.collect()
    gc.freeze()


def _portable(exc: Exception) -> Exception:
    """``exc`` if it survives the trip to the parent, else a RuntimeError that names it."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


class _ForwardingHandler(logging.Handler):
    """Sends the worker's log records to the parent, which logs them as its own."""

    def __init__(self, sender: _Sender) -> None:
        super().__init__()
        self._sender = sender

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None
        record.exc_info = record.exc_text = None
        self._sender.send("log", -1, record)
