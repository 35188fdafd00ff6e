"""Batch output: one whole JSONL line per record, appended with one ``write()``, and what a resumed run finds in it.

Each line is written with one ``write()`` on an unbuffered append-only file,
so a crash, ``kill -9`` or Ctrl-C loses at most the records in flight and
never leaves half a line, except that a ``write()`` cut short by the kill
itself can leave a fragment at the very end: ``resume`` cuts it off before
appending. ``resume`` skips every id already in the output, ok or failed.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import ConfigurationError, InputError, SummarizerError
from ..results import read_result_ids
from ..schema import ArticleSummary


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
            body = ', "ok": false, "error": ' + json.dumps(error_fields(self.error), ensure_ascii=False) + "}"
        return (head + body + "\n").encode("utf-8")


def error_fields(error: Exception | None) -> dict[str, Any]:
    """An error as its batch line shows it: ``{"type", "message", "attempts"}``."""
    if isinstance(error, SummarizerError):
        return {"type": error.kind, "message": str(error), "attempts": error.attempts}
    # Not raised on purpose: a bug. The record still gets its line, and the message asks for a report.
    return {"type": type(error).__name__, "message": f"unexpected error (please report it): {error}", "attempts": 0}


class BatchOutput:
    """The JSONL output: whole lines appended one ``write()`` each, flushed at once.

    ``path`` may be a file (``resume`` continues it) or an open binary stream
    such as ``sys.stdout.buffer``. ``done_ids`` holds the ids already written
    when resuming.
    """

    def __init__(self, target: str | os.PathLike[str] | BinaryIO, *, resume: bool = False) -> None:
        self.done_ids: frozenset[str] = frozenset()
        if not isinstance(target, (str, os.PathLike)):
            self._name = "standard output"
            if resume:
                raise ConfigurationError("--resume needs an output file (-o OUT.jsonl), not standard output")
            self._stream: BinaryIO = target
            self._owned = False
            return
        path = Path(target)
        self._name = str(path)
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
        """Append the outcome's line; raises ConfigurationError when the output cannot take it (a full disk)."""
        data = memoryview(outcome.line())
        try:
            while data:  # a regular file takes it in one write(); the loop covers pipes
                written = self._stream.write(data)
                data = data[written or 0 :]
            self._stream.flush()
        except BrokenPipeError:
            raise  # the reader of a pipe stopped (`| head`): the command exits 141 quietly, as Unix tools do
        except OSError as exc:
            then = "; once it can be written, --resume continues" if self._owned else ""
            raise ConfigurationError(f"cannot write {self._name}: {exc.strerror or exc}{then}") from exc

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
    try:
        return read_result_ids(path)
    except InputError as exc:
        raise ConfigurationError(f"{exc}; is it the right --output file?") from exc


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
