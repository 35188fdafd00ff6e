"""Batch progress: the run's counts, and how they are shown (a live bar on a terminal, a line now and then elsewhere)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TextIO

from ..errors import SummarizerError
from .output import BatchOutcome


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

    def counting_ignored(self, on_note: Callable[[str], None] | None) -> Callable[[str], None]:
        """A callback for a folder's ignored entries: counts each, and passes its note on."""

        def ignored(note: str) -> None:
            self.ignored += 1
            if on_note is not None:
                on_note(note)

        return ignored

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
