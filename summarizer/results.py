"""Saved results read back: the one reader for ``batch --resume``, ``render``, ``eval`` and ``export``.

A results file is one of:

* one ArticleSummary JSON document (what ``summarize -o`` writes, pretty-printed);
* a JSON array whose items are batch lines or ArticleSummary objects;
* JSONL whose lines are batch lines (``{"id", "ok": true, "result"}`` or
  ``{"id", "ok": false, "error"}``) or bare ArticleSummary objects.

One rule for an id that occurs more than once (a batch resumed after a retry,
or outputs concatenated): **the last line wins**, at the place of the first,
as a later run's answer supersedes an earlier one. :func:`read_results`
applies it; :func:`iter_results` streams every line as it is, for readers
that must stay in bounded memory. Malformed input raises
:class:`~summarizer.errors.InputError` naming the file and the line, and so
does a result whose grounded spans (quotes, figures, mentions, stance
evidence, key point spans) do not hold their text at their offsets in
``article.text``: a streaming reader gets the error when it reaches that record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, NamedTuple

from pydantic import ValidationError

from .articles import describe_json_error, json_type_name
from .errors import InputError
from .schema import ArticleSummary

__all__ = ["SavedResult", "iter_results", "parse_results", "read_result_ids", "read_results"]

_HINT = "pass a result .json or a batch .jsonl file"
_LINE_ID = re.compile(rb'^\{"id": ("(?:[^"\\]|\\.)*")')


class SavedResult(NamedTuple):
    """One record of a results file: ``summary`` for an ok record, ``error`` (a one-line text) for a failed one."""

    id: str
    summary: ArticleSummary | None
    error: str | None


def read_results(path: str | Path) -> list[SavedResult]:
    """Every record of the file at ``path``, duplicates resolved (the last line for an id wins, at the first's place)."""
    return _latest(iter_results(path), where=str(path))


def parse_results(raw: str, *, where: str) -> list[SavedResult]:
    """As :func:`read_results`, for text already read (standard input); ``where`` names it in errors."""
    if not raw.strip():
        raise InputError(f"{where} is empty; {_HINT}")
    return _latest(_parse_document(raw, where=where), where=where)


def iter_results(path: str | Path) -> Iterator[SavedResult]:
    """Every record of the file at ``path`` in file order, duplicates included; JSONL is streamed line by line."""
    path = Path(path)
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}; {_HINT}") from exc
    with stream:
        first = stream.readline()
        while first and not first.strip():
            first = stream.readline()
        if not first:
            raise InputError(f"{path} is empty; {_HINT}")
        lead = first.strip().removeprefix(b"\xef\xbb\xbf").lstrip()
        stream.seek(0)
        if lead.startswith(b"[") or (lead.startswith(b"{") and not _is_json(first)):
            yield from _parse_document(_decoded(stream.read(), path), where=str(path))
        else:
            yield from _jsonl_results(stream, where=str(path))


def read_result_ids(path: str | Path) -> frozenset[str]:
    """The ids of a batch output, read fast (our lines start with the id; results are large).

    Raises InputError when a line is not a batch line.
    """
    ids: set[str] = set()
    with open(path, "rb") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            record_id = _fast_line_id(line)
            if record_id is None:
                raise InputError(f"{path}:{number} is not a batch output line")
            ids.add(record_id)
    return frozenset(ids)


# --------------------------------------------------------------------------


def _latest(records: Iterable[SavedResult], *, where: str) -> list[SavedResult]:
    latest: dict[str, SavedResult] = {}
    for record in records:
        latest[record.id] = record  # a dict keeps the first key's place
    if not latest:
        raise InputError(f"{where} holds no results; {_HINT}")
    return list(latest.values())


def _is_json(line: bytes) -> bool:
    """Whether one line is a JSON value by itself: a JSONL line, not the first line of a pretty-printed document."""
    try:
        json.loads(line.decode("utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return False
    return True


def _decoded(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read {path}: it is not UTF-8 text; {_HINT}") from exc


def _parse_document(raw: str, *, where: str) -> Iterator[SavedResult]:
    try:
        whole = json.loads(raw)
    except json.JSONDecodeError:
        for number, line in enumerate(raw.splitlines(), start=1):
            if line.strip():
                yield _record(_json_line(line, where=f"{where}:{number}"), where=f"{where}:{number}")
        return
    if isinstance(whole, list):
        for index, item in enumerate(whole):
            yield _record(item, where=f"{where}[{index}]")
    else:
        yield _record(whole, where=where)


def _jsonl_results(stream: IO[bytes], *, where: str) -> Iterator[SavedResult]:
    for number, line in enumerate(stream, start=1):
        if line.strip():
            place = f"{where}:{number}"
            try:
                text = line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(f"{place}: not UTF-8 text; {_HINT}") from exc
            yield _record(_json_line(text, where=place), where=place)


def _json_line(line: str, *, where: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{where}: not valid JSON ({describe_json_error(exc)}); expected one ArticleSummary JSON document or JSONL, one record a line"
        ) from exc


def _record(obj: Any, *, where: str) -> SavedResult:
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected a JSON object, got {json_type_name(obj)}")
    if "ok" not in obj:
        summary = _summary(obj, where=where)
        return SavedResult(summary.article.id, summary, None)
    record_id = obj.get("id")
    if not isinstance(record_id, str) or not record_id:
        raise InputError(f'{where}: a batch line needs a string "id"')
    if obj["ok"] is True:
        return SavedResult(record_id, _summary(obj.get("result"), where=f"{where} (id {record_id})"), None)
    if obj["ok"] is False:
        return SavedResult(record_id, None, _error_text(obj.get("error")))
    raise InputError(f'{where}: "ok" must be true or false')


def _summary(obj: Any, *, where: str) -> ArticleSummary:
    try:
        summary = ArticleSummary.model_validate(obj)
    except ValidationError as exc:
        first = exc.errors()[0]
        location = ".".join(str(part) for part in first["loc"]) or "(top level)"
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise InputError(f"{where}: not an ArticleSummary (schema version 1): {location}: {first['msg']}{more}") from exc
    _check_offsets(summary, where=where)
    return summary


def _check_offsets(summary: ArticleSummary, *, where: str) -> None:
    """Raise InputError at the first grounded span whose offsets do not hold its text in ``article.text``
    (a result saved without its text cannot be checked, and is not)."""
    text = summary.article.text
    if text is None:
        return
    for item, start, end, expected in _grounded_spans(summary):
        if not 0 <= start <= end <= len(text) or text[start:end] != expected:
            raise InputError(
                f"{where}: {item}: offsets {start}-{end} do not hold its text in article.text (the result was edited or is corrupt); "
                "re-run summarize for this article"
            )


def _grounded_spans(summary: ArticleSummary) -> Iterator[tuple[str, int, int, str]]:
    """``(item, start, end, text)`` for every span a result says the article holds: ``text[start:end] == text`` each."""
    for point_number, point in enumerate(summary.summary.points, start=1):
        for span in point.spans:
            yield f"key point {point_number}", span.start, span.end, span.text
    for actor in summary.actors:
        for mention in actor.mentions:
            yield f"actor {actor.id} mention", mention.start, mention.end, mention.text
    for quote in summary.quotes:
        if quote.start is not None and quote.end is not None:
            yield f"quote {quote.id}", quote.start, quote.end, quote.text
        for part in [*quote.fragments, *([quote.context] if quote.context else [])]:
            yield f"quote {quote.id}", part.start, part.end, part.text
    for figure in summary.figures:
        if figure.start is not None and figure.end is not None:
            yield f"figure {figure.id}", figure.start, figure.end, figure.text
    for number, stance in enumerate(summary.stances, start=1):
        if stance.evidence is not None:
            yield f"stance {number}", stance.evidence.start, stance.evidence.end, stance.evidence.text


def _error_text(error: Any) -> str:
    if not isinstance(error, dict):
        return "failed (no error details recorded)"
    text = f"{error.get('type') or 'Error'}: {error.get('message') or 'no message'}"
    attempts = error.get("attempts")
    if isinstance(attempts, int) and attempts > 0:
        text += f" (after {attempts} model call{'s' if attempts != 1 else ''})"
    return text


def _fast_line_id(line: bytes) -> str | None:
    match = _LINE_ID.match(line)
    try:
        value = json.loads(match.group(1)) if match else json.loads(line).get("id")
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError):
        return None
    return value if isinstance(value, str) else None
