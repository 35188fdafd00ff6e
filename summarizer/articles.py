"""Articles in: plain text, HTML, bytes of unknown encoding, or JSON records.

Everything that reaches the model goes through :func:`make_article`, which
refuses what cannot be summarized (empty, binary, over the size limit) with an
:class:`~summarizer.errors.InputError` that says what to do. Offsets in the
output always index ``Article.text``: for HTML that is the extracted text,
which the result carries back so the offsets stay checkable.

Files and standard input (:func:`read_article`, :func:`article_from_text`)
also refuse batch input (JSONL, JSON arrays) with a pointer to ``summarizer
batch``, and take a missing title and date from a headline and a dateline at
the top of the text (:func:`detect_headline`, :func:`detect_dateline`); the
text itself is never changed.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .errors import InputError
from .schema import without_lone_surrogates

DEFAULT_MAX_CHARS = 5_000_000
"""Longest article accepted by default (about 800,000 words): a hard cap against runaway input, not
the model's context (a longer article than the model takes is read in chunks); ``max_chars`` changes it."""

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_HTML_SNIFF = re.compile(r"^\s*(<!doctype html|<html|<head|<body|<article|<p[\s>]|<div[\s>])", re.IGNORECASE)


@dataclass(frozen=True)
class Article:
    """One article: the exact text every offset indexes, plus what is known about it."""

    id: str
    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    language: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def make_article(
    text: str,
    *,
    id: str | None = None,
    title: str | None = None,
    date: str | None = None,
    url: str | None = None,
    language: str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Article:
    """Check ``text`` and wrap it in an :class:`Article`; HTML is reduced to its text
    (and gives the title, when ``title`` is None).

    Raises InputError for text that is empty, binary or longer than ``max_chars``, for
    an id, title, date, url or language that is not a string, and for a date that is not
    ISO 8601 (see :func:`iso_date`).
    """
    if not isinstance(text, str):
        raise InputError(f"article text must be a string, got {json_type_name(text)}")
    fields = {"id": id, "title": title, "date": date, "url": url, "language": language}
    for name, value in fields.items():
        if value is not None and not isinstance(value, str):  # the Python API's callers are not type-checked
            raise InputError(f"the article's {name} must be a string or None, got {json_type_name(value)}")
    text, title, id = without_lone_surrogates(text), without_lone_surrogates(title), without_lone_surrogates(id)
    date, url, language = iso_date(without_lone_surrogates(date)), without_lone_surrogates(url), without_lone_surrogates(language)
    if _looks_binary(text):
        raise InputError("the article looks like binary data, not text; pass a text, HTML or JSON file")
    if _HTML_SNIFF.match(text):
        text, page_title = _read_html(text)
        title = page_title if title is None else title
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("the article is empty (no text after removing whitespace and markup)")
    if len(text) > max_chars:
        raise InputError(
            f"the article has {len(text):,} characters, over the limit of {max_chars:,}; raise max_chars (--max-chars on the command line) if it is one article"
        )
    article_id = id if id is not None and str(id).strip() else "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:16]
    return Article(id=str(article_id), text=text, title=title, date=date, url=url, language=language)


_YEAR_OR_MONTH = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2]))?")  # ISO 8601's reduced precision, which fromisoformat refuses


def iso_date(value: str | None) -> str | None:
    """``value`` when it is an ISO 8601 date or date-time (or a year, or a year and month: "2020", "2020-08"),
    as given but for surrounding blanks; None for None or blanks.

    Raises InputError otherwise: the one date check of every entry point (CLI, batch records, the Python API).
    """
    if value is None or not value.strip():
        return None
    value = value.strip()
    if _YEAR_OR_MONTH.fullmatch(value):
        return value
    for parse in (datetime.date.fromisoformat, datetime.datetime.fromisoformat):
        try:
            parse(value)
        except ValueError:
            continue
        return value
    raise InputError(f"the date {value!r} is not an ISO 8601 date or date-time, e.g. 2015-08-21 or 2015-08-21T14:30:00Z; fix or remove it")


def decode_bytes(data: bytes) -> str:
    """Decode article bytes: BOMs and UTF-8 first, then Windows-1252 for legacy pages.

    Raises InputError for binary data (NUL bytes, many control characters).
    """
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("the input is binary (it contains NUL bytes), not an article")
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")  # a cut-off last character must not cost the article
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Legacy news pages are mostly Windows-1252; it maps almost every byte, so
    # binary junk is caught by the control-character check in make_article.
    return data.decode("cp1252", errors="replace")


def read_article(path: str | Path, *, max_chars: int = DEFAULT_MAX_CHARS) -> Article:
    """Read a .txt, .md, .html or .json file into an Article (id: the file name's stem).

    A .json file holds one record (see :func:`article_from_record`); other files
    go through :func:`article_from_text`. Raises InputError when the file cannot
    be read or holds several records (JSONL, a JSON array).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    text = decode_bytes(data)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        raise _batch_input_error(path.name, f"JSONL with {_records(_count_lines(text))}")
    if suffix == ".json":
        try:
            whole = without_lone_surrogates(json.loads(text))
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: invalid JSON: {describe_json_error(exc)}") from exc
        if isinstance(whole, list):
            raise _batch_input_error(path.name, f"a JSON array of {_records(len(whole))}")
        record = require_object(whole, where=str(path))
        try:
            return article_from_record(record, max_chars=max_chars)
        except InputError as exc:
            raise InputError(f"{path}: {exc}") from exc
    return article_from_text(text, where=path.name, id=path.stem, max_chars=max_chars)


def article_from_text(
    text: str,
    *,
    where: str,
    id: str | None = None,
    title: str | None = None,
    date: str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Article:
    """An Article from a file's or standard input's text (``where`` names it in errors).

    Refuses JSONL (several lines, each a JSON object) with a pointer to
    ``summarizer batch``. A missing ``title`` or ``date`` is taken from a
    headline or dateline at the top of the text, when there is one.
    """
    records = _jsonl_record_count(text)
    if records:
        raise _batch_input_error(where, f"JSONL with {_records(records)}")
    article = make_article(text, id=id, title=title, date=date, max_chars=max_chars)
    return dataclasses.replace(
        article,
        title=article.title if article.title is not None else detect_headline(article.text),
        date=article.date if article.date is not None else detect_dateline(article.text),
    )


def _batch_input_error(where: str, what: str) -> InputError:
    return InputError(f"{where}: this is {what}, not one article; use `summarizer batch` for it")


def _records(count: int) -> str:
    return f"{count:,} record" + ("" if count == 1 else "s")


def _count_lines(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.strip())


def _jsonl_record_count(text: str) -> int:
    """How many JSON-object lines ``text`` has when it is JSONL (at least two of them), else 0."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < 2 or not all(line.startswith("{") and line.endswith("}") for line in lines):
        return 0
    # The shape check above is cheap; parsing the first lines confirms it without reading a whole batch.
    for line in lines[:3]:
        try:
            if not isinstance(json.loads(line), dict):
                return 0
        except json.JSONDecodeError:
            return 0
    return len(lines)


def describe_json_error(exc: json.JSONDecodeError) -> str:
    """``exc`` as "message (line L, column C)", or "message (column C)" for a one-line
    document (a JSONL line, whose line number the caller gives). The json module's
    messages end in a dangling "at", which is dropped."""
    message = re.sub(r"\s+(starting\s+)?at$", "", exc.msg)
    if "\n" not in exc.doc.rstrip("\r\n"):
        return f"{message} (column {exc.colno})"
    return f"{message} (line {exc.lineno}, column {exc.colno})"


def parse_json_record(raw: str, *, where: str) -> dict[str, Any]:
    """Parse one JSON object; InputError names ``where`` when it is malformed."""
    try:
        record = without_lone_surrogates(json.loads(raw))
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: invalid JSON: {describe_json_error(exc)}") from exc
    return require_object(record, where=where)


def require_object(record: Any, *, where: str) -> dict[str, Any]:
    """``record`` when it is a JSON object, else InputError naming ``where``."""
    if not isinstance(record, dict):
        raise InputError(f'{where}: expected a JSON object with a "text" field, got {json_type_name(record)}')
    return record


def article_from_record(record: Mapping[str, Any], *, max_chars: int = DEFAULT_MAX_CHARS) -> Article:
    """Build an Article from ``{"id", "text", "title"?, "date"?, "url"?, "language"?}``."""
    text = record.get("text")
    if text is None:
        raise InputError('the record has no "text" field')
    if not isinstance(text, str):
        raise InputError(f'the record\'s "text" must be a string, got {json_type_name(text)}')
    return make_article(
        text,
        id=_scalar_field(record, "id"),
        title=_scalar_field(record, "title"),
        date=_scalar_field(record, "date"),
        url=_scalar_field(record, "url"),
        language=_scalar_field(record, "language"),
        max_chars=max_chars,
    )


def _scalar_field(record: Mapping[str, Any], name: str) -> str | None:
    """A string field of a record; numbers are accepted as their text (ids are often ints)."""
    value = record.get(name)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise InputError(f'the record\'s "{name}" must be a string or a number, got {json_type_name(value)}; fix the record')


def json_type_name(value: Any) -> str:
    """What a JSON value is, in JSON's words ("an array", "null"), for error messages."""
    names = {dict: "an object", list: "an array", bool: "true/false", type(None): "null", str: "a string", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    controls = len(_CONTROL_CHARS.findall(sample))
    return "\x00" in sample or controls > max(8, len(sample) // 50)


# --------------------------------------------------------------------------
# Headline and dateline
# --------------------------------------------------------------------------

MAX_HEADLINE_CHARS = 150
_MARKDOWN_TITLE = re.compile(r"^#[ \t]+(?P<title>.*?)(?:[ \t]+#+)?[ \t]*$")
# A sentence ends in . ! ? or an ellipsis, maybe inside a closing quote or bracket; so does a
# lead-in ("The minister said:"). Headlines carry no such ending.
_SENTENCE_END = re.compile(r"""[.!?:;,…]["'’”)\]]*$""")
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_DATELINE_SHAPE = re.compile(
    rf"^(?:{_WEEKDAY},?\s+)?(?:\d{{4}}-\d{{2}}-\d{{2}}|[a-z]+\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+[a-z]+\.?,?\s+\d{{4}})$",
    re.IGNORECASE,
)
_DATE_FORMATS = ("%Y-%m-%d", "%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y")
_DATELINE_PARAGRAPHS = 3


def detect_headline(text: str) -> str | None:
    """The headline at the top of ``text``, or None when there is none.

    The first line is the headline when it is a Markdown ``# `` heading; else the
    first paragraph is one when it is a single line of at most ``MAX_HEADLINE_CHARS`` characters, two words or
    more, that does not end like a sentence and is not a date; more paragraphs
    must follow it. Conservative on purpose: a wrong title is worse than none.
    """
    paragraphs = _paragraphs(text, limit=2)
    if not paragraphs:
        return None
    heading = _MARKDOWN_TITLE.match(paragraphs[0].split("\n", 1)[0])
    if heading:
        return heading.group("title").strip() or None
    first = paragraphs[0]
    if len(paragraphs) < 2 or "\n" in first or len(first) > MAX_HEADLINE_CHARS:
        return None
    if first.startswith("#") or len(first.split()) < 2 or _SENTENCE_END.search(first) or _parse_dateline(first):
        return None
    return first


def detect_dateline(text: str) -> str | None:
    """The ISO date (``YYYY-MM-DD``) of a dateline paragraph among the first three
    of ``text`` ("Friday, August 21, 2015", "21 August 2015", "2015-08-21"), or None."""
    for paragraph in _paragraphs(text, limit=_DATELINE_PARAGRAPHS):
        date = _parse_dateline(paragraph)
        if date is not None:
            return date.isoformat()
    return None


def _paragraphs(text: str, *, limit: int) -> list[str]:
    """The first ``limit`` non-blank paragraphs (blocks between blank lines), stripped."""
    paragraphs: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text.lstrip("\n")):
        if block.strip():
            paragraphs.append(block.strip())
            if len(paragraphs) == limit:
                break
    return paragraphs


def _parse_dateline(paragraph: str) -> datetime.date | None:
    if len(paragraph) > 40 or not _DATELINE_SHAPE.match(paragraph):
        return None
    bare = re.sub(rf"^{_WEEKDAY},?\s+", "", paragraph, flags=re.IGNORECASE)
    bare = re.sub(r"[.,]", " ", bare)
    bare = " ".join(bare.split())
    for date_format in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(bare, date_format).date()
        except ValueError:
            continue
    return None


# --------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------

_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article", "figcaption", "pre"}
_SKIPPED_TAGS = {"script", "style", "noscript", "nav", "footer", "header", "aside", "form", "svg", "template", "iframe", "button"}


class _TextExtractor(HTMLParser):
    """Collects the readable text of a page: paragraphs kept, chrome and scripts dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: str | None = None
        self._skip_depth = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skip_depth += 1
        elif tag == "title":
            self._in_title = True
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS and self._skip_depth:
            self._skip_depth -= 1
        elif tag == "title":
            self._in_title = False
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = (self.title or "") + data
        elif not self._skip_depth:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The readable text of an HTML page: one paragraph per block, whitespace tidied."""
    return _read_html(html)[0]


def _read_html(html: str) -> tuple[str, str | None]:
    """(readable text, ``<title>`` with whitespace tidied or None) of an HTML page."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    raw = "".join(extractor.parts)
    paragraphs = (_tidy_spaces(block) for block in re.split(r"\n\s*\n", raw))
    title = _tidy_spaces((extractor.title or "").replace("\n", " "))
    return "\n\n".join(p.replace("\n", " ") for p in paragraphs if p), title or None


def _tidy_spaces(text: str) -> str:
    return re.sub(r"[ \t\f\v\u00a0]+", " ", text).strip()
