"""Batch input: the records of a JSONL file, a JSON array file, a folder of .txt/.md/.html files, or standard input.

A record without an id gets the text's hash id (as :func:`~summarizer.make_article`
gives). A record that cannot be read gets an id from its place: ``line:N``
(JSONL), ``item:N`` (JSON array) or ``file:NAME`` (folder); so does the second
record with an id already seen. These ids are the same on every run over the
same input, which is what ``--resume`` relies on.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

from ..articles import (
    DEFAULT_MAX_CHARS,
    Article,
    article_from_record,
    decode_bytes,
    describe_json_error,
    parse_json_record,
    read_article,
    require_object,
)
from ..errors import InputError
from ..schema import without_lone_surrogates

FOLDER_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
"""Files read from an input folder (not recursively); other entries are ignored, each with a note.
An entry with one of these names that is not a readable file (a folder, a broken link) gets an error line."""


_CLAIMED_ID = re.compile(rb'"id"\s*:\s*("(?:[^"\\\n]|\\.)*"|-?\d+)')


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
        stdin, owned = _standard_input()
        return _checked(_stream_records(stdin, close=owned), max_chars=max_chars)
    path = Path(source)
    if path.is_dir():
        return _checked(_folder_records(path, max_chars=max_chars, on_ignored=on_ignored), max_chars=max_chars)
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed by the generator that reads it
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}; pass a JSONL file, a JSON array file, a folder or - for stdin") from exc
    return _checked(_stream_records(stream, close=True), max_chars=max_chars)


def _standard_input() -> tuple[BinaryIO, bool]:
    """Standard input as a reader of its own over a copy of file descriptor 0 (True: the caller closes it).

    The batch reads a pipe in a daemon thread, left blocked on its read after
    Ctrl-C. Blocked in ``sys.stdin.buffer`` it would hold that reader's lock
    while the interpreter shuts down, which then aborts ("Fatal Python error:
    _enter_buffered_busy") instead of exiting 130. A stand-in without a file
    descriptor (a test runner's) is read as it is.
    """
    try:
        descriptor = sys.stdin.fileno()
    except (AttributeError, OSError, ValueError):
        return sys.stdin.buffer, False
    return open(os.dup(descriptor), "rb"), True  # noqa: SIM115 - closed by the generator that reads it


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
