"""Articles in: plain text, HTML, bytes of unknown encoding, or JSON records.

Everything that reaches the model goes through :func:`make_article`, which
refuses what cannot be summarized (empty, binary, over the size limit) with an
:class:`~summarizer.errors.InputError` that says what to do. Offsets in the
output always index ``Article.text``: for HTML that is the extracted text,
which the result carries back so the offsets stay checkable.
"""

from __future__ import annotations

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

DEFAULT_MAX_CHARS = 100_000
"""Longest article accepted by default (about 25k tokens); ``max_chars`` raises it."""

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

    Raises InputError for text that is empty, binary or longer than ``max_chars``.
    """
    if not isinstance(text, str):
        raise InputError(f"article text must be a string, got {type(text).__name__}")
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
            f"the article has {len(text):,} characters, over the limit of {max_chars:,}; raise it with --max-chars (the model's context must hold the article)"
        )
    article_id = id if id is not None and str(id).strip() else "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:16]
    return Article(id=str(article_id), text=text, title=title, date=date, url=url, language=language)


def decode_bytes(data: bytes) -> str:
    """Decode article bytes: BOMs and UTF-8 first, then Windows-1252 for legacy pages.

    Raises InputError for binary data (NUL bytes, many control characters).
    """
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("the input is binary (it contains NUL bytes), not an article")
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Legacy news pages are mostly Windows-1252; it maps almost every byte, so
    # binary junk is caught by the control-character check in make_article.
    return data.decode("cp1252", errors="replace")


def read_article(path: Path, *, max_chars: int = DEFAULT_MAX_CHARS) -> Article:
    """Read a .txt, .md, .html or .json file into an Article (id: the file name's stem)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if path.suffix.lower() == ".json":
        return article_from_record(parse_json_record(decode_bytes(data), where=str(path)), max_chars=max_chars)
    return make_article(decode_bytes(data), id=path.stem, max_chars=max_chars)


def parse_json_record(raw: str, *, where: str) -> dict[str, Any]:
    """Parse one JSON object; InputError names ``where`` when it is malformed."""
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: invalid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc
    if not isinstance(record, dict):
        raise InputError(f'{where}: expected a JSON object with a "text" field, got {type(record).__name__}')
    return record


def article_from_record(record: Mapping[str, Any], *, max_chars: int = DEFAULT_MAX_CHARS) -> Article:
    """Build an Article from ``{"id", "text", "title"?, "date"?, "url"?, "language"?}``."""
    text = record.get("text")
    if text is None:
        raise InputError('the record has no "text" field')
    if not isinstance(text, str):
        raise InputError(f'the record\'s "text" must be a string, got {type(text).__name__}')
    raw_id = record.get("id")
    return make_article(
        text,
        id=None if raw_id is None else str(raw_id),
        title=_optional_str(record.get("title")),
        date=_optional_str(record.get("date")),
        url=_optional_str(record.get("url")),
        language=_optional_str(record.get("language")),
        max_chars=max_chars,
    )


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    controls = len(_CONTROL_CHARS.findall(sample))
    return "\x00" in sample or controls > max(8, len(sample) // 50)


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
