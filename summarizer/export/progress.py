"""Export progress on a terminal: a live line of digests read, failures skipped, the stage and the time."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import TextIO

from .run import ExportReport

__all__ = ["progress_bar"]


@contextlib.contextmanager
def progress_bar(*, stream: TextIO | None = None) -> Iterator[Callable[[ExportReport], None] | None]:
    """A progress callback for :func:`export_results` drawing a live bar on ``stream`` (default
    stderr) when it is a terminal; ``None`` elsewhere (logs get the final summary line only)."""
    stream = stream if stream is not None else sys.stderr
    if not stream.isatty():
        yield None
        return
    # Imported here: rich costs a noticeable startup time and only bars need it.
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("export"),
        BarColumn(),
        TextColumn("{task.completed:,} digests, {task.fields[failed]} failed lines skipped; {task.fields[stage]}"),
        TimeElapsedColumn(),
        console=Console(file=stream),
    ) as bar:
        task = bar.add_task("export", total=None, failed=0, stage="reading")

        def update(report: ExportReport) -> None:
            bar.update(task, completed=report.digests, failed=f"{report.failed:,}", stage=report.stage)

        yield update
