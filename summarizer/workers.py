"""The rule stages of async calls, inline or in worker processes.

Rule evidence and grounding are pure functions of the article and take most
of the CPU a record costs apart from the model (about 4 ms of 9 for a
1,000-word article). On one event loop they queue behind each other; with
``workers`` > 0 they run in a process pool beside the loop, so a batch keeps
the model busy and uses more than one core. Short articles stay inline:
sending them to a worker costs more than it saves.

A pool that breaks (a worker killed) is dropped with a warning and the rest
runs inline, so no record is lost to it. A worker whose parent dies (even by
kill -9) exits with it instead of living on as an orphan.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from typing import TypeVar

from .evidence import Evidence, find_evidence
from .grounding import GroundedDigest, ground
from .schema import DigestAnswer

INLINE_BELOW_CHARS = 1_000
"""Shorter articles run inline: the hand-off to a worker (pickling and a pipe, about 0.1 ms a stage)
would be a third or more of their rule work (0.6 ms at 1,000 characters, measured)."""

T = TypeVar("T")
logger = logging.getLogger("summarizer")


MAX_AUTO_WORKERS = 4
"""The event loop feeds only so many workers: a record costs it about as much CPU as its rule
stages cost a worker with a model (measured: ~5 ms each), a third as much without one."""


def auto_workers(concurrency: int) -> int:
    """Worker processes worth starting for ``concurrency`` records in flight: one core stays with the event loop."""
    if concurrency <= 1:
        return 0  # one record at a time: the loop would only wait for the worker
    return max(0, min(usable_cores() - 1, concurrency, MAX_AUTO_WORKERS))


def usable_cores() -> int:
    """Cores this process may run on (a container's CPU set, not the host's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class RuleStages:
    """Runs find_evidence and ground for async calls, in ``workers`` processes (0: inline)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None

    async def evidence(self, text: str) -> Evidence:
        return await self._run(functools.partial(find_evidence, text), size=len(text))

    async def ground(self, answer: DigestAnswer, *, text: str, evidence: Evidence, lenient: bool) -> GroundedDigest:
        return await self._run(functools.partial(ground, answer, text=text, evidence=evidence, lenient=lenient), size=len(text))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    async def _run(self, stage: Callable[[], T], *, size: int) -> T:
        pool = self._started() if size >= INLINE_BELOW_CHARS else None
        if pool is None:
            return stage()
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, stage)
        except concurrent.futures.BrokenExecutor:
            if self.workers:
                # The usual cause in a user's script: no main guard, so each worker re-ran the script.
                logger.warning(
                    'a rule worker process died (a script using workers needs an `if __name__ == "__main__":` guard); the rule stages run inline from now on'
                )
            self.workers = 0
            self.close()
            return stage()

    def _started(self) -> concurrent.futures.ProcessPoolExecutor | None:
        if self._pool is None and self.workers > 0:
            # forkserver: a fork of this process (threads, an event loop, sockets) is not safe to run.
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            self._pool = concurrent.futures.ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context(method), initializer=_start_worker)
        return self._pool


def _start_worker() -> None:
    # Ctrl-C reaches the whole process group; the parent handles it, so workers stay quiet.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), name="orphan-watchdog", daemon=True).start()


def _exit_with(parent: multiprocessing.process.BaseProcess) -> None:
    """End this worker once the process that started it is gone (even by kill -9): no orphans."""
    parent.join()  # waits on the parent's sentinel: no polling
    os._exit(0)
