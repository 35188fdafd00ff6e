"""Views of an :class:`~summarizer.schema.ArticleSummary`: JSON, Markdown and HTML.

* :func:`render_json` is the contract itself, pretty-printed.
* :func:`render_markdown` reads well in a terminal and on GitHub; every piece
  of article- or model-derived text is escaped, so it cannot inject markup.
* :func:`render_html` is one self-contained page: the article text with every
  grounded quote, figure, actor mention and stance evidence highlighted from
  its offsets, beside the digest. No external loads (a Content-Security-Policy
  forbids them); the only script sorts tables and is allowed by its hash.
* :func:`render_index` (HTML) and :func:`render_markdown_index` list a
  batch's pages, failed records included; :func:`batch_pages` names and
  renders every page of a batch folder.
* :func:`render_corpus_index` is one page about a whole corpus (a
  :class:`CorpusIndex`, which ``summarizer.export`` reads from its database):
  the top entities, who is quoted most and what they said, and stance edges.
* :func:`page_format_for` picks the format from the output's extension
  (result files are read by :mod:`summarizer.results`).

Highlights may nest or overlap (a figure inside a quote, a mention across a
quote's edge). The text is cut at every span boundary and the open elements
are kept as a stack, so the HTML always nests; an element that must close
early to let an inner one end is reopened as a continuation piece, marked
``hl-cont`` and not focusable (so are a split quote's later fragments), so
each item has exactly one focusable element.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from .results import SavedResult
from .schema import Actor, ArticleSummary, Figure, Quote, Span, Stance

__all__ = [
    "PAGE_SUFFIXES",
    "CorpusEntity",
    "CorpusIndex",
    "CorpusQuote",
    "CorpusSpeaker",
    "IndexEntry",
    "StanceEdge",
    "batch_pages",
    "page_format_for",
    "render_corpus_index",
    "render_html",
    "render_index",
    "render_json",
    "render_markdown",
    "render_markdown_index",
]

PAGE_SUFFIXES = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}
"""Output extensions that name a page format."""


_TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class IndexEntry:
    """One row of a batch index page.

    ``href`` is the (relative) link to the record's page; it is escaped but
    otherwise used as given. A failed record has ``summary=None`` and an
    ``error`` text, and is listed with that error instead of a link.
    """

    href: str
    summary: ArticleSummary | None
    error: str | None
    id: str


@dataclass(frozen=True)
class CorpusEntity:
    """One entity of a corpus: in how many articles it occurs, its mentions and quotes."""

    name: str
    kind: str
    articles: int
    mentions: int
    quotes: int


@dataclass(frozen=True)
class CorpusQuote:
    """One quote with its article; ``url`` links the article when it is http(s)."""

    text: str
    cue: str | None
    title: str
    date: str | None
    url: str | None


@dataclass(frozen=True)
class CorpusSpeaker:
    """An entity that is quoted: its counts, date range and some of its quotes."""

    name: str
    kind: str
    quotes: int
    articles: int
    first_date: str | None
    last_date: str | None
    latest: Sequence[CorpusQuote]


@dataclass(frozen=True)
class StanceEdge:
    """Who supports or opposes whom or what, how often, first and last seen."""

    holder: str
    polarity: str
    target: str
    stances: int
    articles: int
    first_date: str | None
    last_date: str | None


@dataclass(frozen=True)
class CorpusIndex:
    """What a corpus index page shows; ``source`` names the database it came from."""

    source: str
    articles: int
    first_date: str | None
    last_date: str | None
    entity_count: int
    quote_count: int
    stance_count: int
    entities: Sequence[CorpusEntity]
    speakers: Sequence[CorpusSpeaker]
    edges: Sequence[StanceEdge]


# --------------------------------------------------------------------------
# Public renderers
# --------------------------------------------------------------------------


def render_json(summary: ArticleSummary, *, indent: int | None = 2) -> str:
    """The summary as JSON text (the published contract); ``indent=None`` gives one line."""
    return summary.model_dump_json(indent=indent)


def render_html(summary: ArticleSummary) -> str:
    """One self-contained HTML page: highlighted article text beside the digest."""
    return _render_page("page.html.j2", **_page_context(summary))


def render_index(entries: Sequence[IndexEntry]) -> str:
    """A self-contained HTML index of a batch: a sortable table of digests, then failures."""
    done = [entry for entry in entries if entry.summary is not None]
    failed = [entry for entry in entries if entry.summary is None]
    return _render_page(
        "index.html.j2",
        done=[(entry, _safe_href(entry.href)) for entry in done],
        failed=failed,
        total=len(entries),
    )


def render_corpus_index(index: CorpusIndex) -> str:
    """A self-contained HTML page about a corpus: top entities, most quoted speakers with their latest quotes, stance edges."""
    return _render_page("corpus.html.j2", c=index, safe_href=_safe_href)


def render_markdown_index(entries: Sequence[IndexEntry]) -> str:
    """A Markdown index of a batch: a table of digests linking their pages, then failures."""
    done = [entry for entry in entries if entry.summary is not None]
    failed = [entry for entry in entries if entry.summary is None]
    blocks = [f"# {len(entries)} article{'' if len(entries) == 1 else 's'}", f"{len(done)} summarized · {len(failed)} failed"]
    if done:
        rows = [_md_index_row(entry, entry.summary) for entry in done if entry.summary is not None]
        blocks.append(_md_table(["Article", "Date", "Actors", "Quotes", "Figures", "Stances", "Warnings"], rows, numeric=(2, 3, 4, 5, 6)))
    else:
        blocks.append("No article was summarized.")
    if failed:
        blocks.append("## Failed\n\n" + "\n".join(f"- **{_md(entry.id)}**: {_md(entry.error or 'failed (no error details recorded)')}" for entry in failed))
    return "\n\n".join(blocks) + "\n"


def _md_index_row(entry: IndexEntry, summary: ArticleSummary) -> list[str]:
    label = _md(summary.article.title or entry.id)
    href = _safe_href(entry.href)
    # The link target goes in <...>: spaces and parentheses in a file name cannot end it early.
    cell = f"[{label}](<{href}>)" if href and not re.search(r"[\s<>]", href) else label
    counts = (summary.actors, summary.quotes, summary.figures, summary.stances, summary.provenance.warnings)
    return [cell, _md(summary.article.date), *(str(len(items)) for items in counts)]


def page_format_for(output: Path, *, requested: str | None) -> str:
    """``"html"`` or ``"markdown"``: the output's extension decides; ``requested``
    (``-f``) only when the extension names no page format; html by default."""
    return PAGE_SUFFIXES.get(output.suffix.lower()) or requested or "html"


def batch_pages(results: Sequence[SavedResult], *, page_format: str) -> list[tuple[str, str]]:
    """Every file of a batch folder as ``(file name, content)``: one page per ok
    record (numbered, so ids such as ``../x`` cannot escape the folder), then
    ``index.html`` or ``index.md``."""
    suffix = ".html" if page_format == "html" else ".md"
    render_page = render_html if page_format == "html" else render_markdown
    pages: list[tuple[str, str]] = []
    entries: list[IndexEntry] = []
    for number, (record_id, summary, error) in enumerate(results, 1):
        href = ""
        if summary is not None:
            href = f"{number:05d}-{_safe_file_stem(record_id)}{suffix}"
            pages.append((href, render_page(summary)))
        entries.append(IndexEntry(href=href, summary=summary, error=error, id=record_id))
    index = render_index(entries) if page_format == "html" else render_markdown_index(entries)
    return [*pages, ("index" + suffix, index)]


def _safe_file_stem(record_id: str) -> str:
    """A file name part from an id that may hold '/', '..' or anything else."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", record_id).strip("._")[:60] or "article"


def render_markdown(summary: ArticleSummary) -> str:
    """The digest as Markdown: summary, actors, quotes by speaker, figure and stance tables."""
    actor_names = {actor.id: actor.name for actor in summary.actors}
    blocks = [
        _md_header(summary),
        _md_summary(summary),
        _md_actors(summary.actors, actor_names),
        _md_quotes(summary.quotes, actor_names),
        _md_figures(summary.figures),
        _md_stances(summary.stances),
        _md_not_found(summary),
        _md_warnings(summary.provenance.warnings),
        _md_provenance(summary),
    ]
    return "\n\n".join(block for block in blocks if block) + "\n"


# --------------------------------------------------------------------------
# Shared view helpers (Markdown and HTML)
# --------------------------------------------------------------------------


def _is_grounded(item: Quote | Figure) -> bool:
    return item.grounding != "unmatched" and item.start is not None and item.end is not None


def _format_number(value: float) -> str:
    # 15 significant digits keep "6,000,000,000" and "0.25" readable while
    # hiding float noise such as 0.30000000000000004.
    return format(value, ",.15g")


def _format_amount(figure: Figure) -> str:
    """Value with its unit ("6,000,000,000 USD", "12%"), or "" when the model gave no value."""
    if figure.value is None:
        return ""
    number = ("~" if figure.approximate else "") + _format_number(figure.value)
    if not figure.unit:
        return number
    return f"{number}{figure.unit}" if figure.unit == "%" else f"{number} {figure.unit}"


def _quote_groups(quotes: Sequence[Quote], actor_names: dict[str, str]) -> list[tuple[str, list[Quote]]]:
    """Grounded quotes grouped by speaker (actor name when linked), groups in order of first quote."""
    groups: dict[str, list[Quote]] = defaultdict(list)
    ordered = sorted((q for q in quotes if _is_grounded(q)), key=lambda q: q.start or 0)
    for quote in ordered:
        groups[_speaker_label(quote, actor_names)].append(quote)
    return list(groups.items())


def _speaker_label(quote: Quote, actor_names: dict[str, str]) -> str:
    if quote.speaker_id and quote.speaker_id in actor_names:
        return actor_names[quote.speaker_id]
    return quote.speaker or "Unattributed"


def _via_label(quote: Quote, actor_names: dict[str, str]) -> str | None:
    """Whom the quote was relayed through, or None when that is the speaker (no news in "X, via X")."""
    if not quote.via:
        return None
    via = _name_key(quote.via)
    if via in {_name_key(quote.speaker or ""), _name_key(_speaker_label(quote, actor_names))}:
        return None
    return quote.via


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


_POLARITY_PHRASE = {"supports": "supports", "opposes": "opposes", "neutral": "is neutral on", "mixed": "is mixed on"}


def _stance_label(stance: Stance) -> str:
    return f"{stance.holder} {_POLARITY_PHRASE[stance.polarity]} {stance.target}"


# --------------------------------------------------------------------------
# Highlighting: grounded spans -> nested <mark> elements
# --------------------------------------------------------------------------

# When two spans cover the same characters, the lower number is the outer element.
_NESTING = {"point": 0, "quote": 1, "evidence": 2, "actor": 3, "figure": 4}


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    kind: str  # a key of _NESTING
    ref: str  # the item's id ("q1", "f2", "a3", "s1", "k1" for a key point); its tooltip node is "tip-<ref>"
    tip: str
    anchor: str | None  # element id for links into the text
    by_rules: bool
    primary: bool = True  # False for a quote's later fragments: drawn like continuation pieces


def _highlight(text: str, marks: Sequence[_Mark]) -> Markup:
    """``text`` escaped, with each mark wrapped in ``<mark>``; always well nested."""
    order = sorted(marks, key=lambda m: (m.start, -m.end, _NESTING[m.kind]))
    starts: dict[int, set[int]] = defaultdict(set)
    ends: dict[int, set[int]] = defaultdict(set)
    for index, mark in enumerate(order):
        starts[mark.start].add(index)
        ends[mark.end].add(index)
    bounds = sorted({0, len(text), *starts, *ends})
    out: list[str] = []
    open_stack: list[int] = []
    active: set[int] = set()
    opened: set[int] = set()
    for left, right in pairwise(bounds):
        active = (active - ends[left]) | starts[left]
        wanted = sorted(active)  # index order is nesting order: outer first
        keep = 0
        while keep < min(len(open_stack), len(wanted)) and open_stack[keep] == wanted[keep]:
            keep += 1
        out.extend("</mark>" for _ in open_stack[keep:])
        for index in wanted[keep:]:
            out.append(_open_tag(order[index], first=index not in opened and order[index].primary))
            opened.add(index)
        open_stack = wanted
        out.append(str(escape(text[left:right])))
    out.extend("</mark>" for _ in open_stack)
    return Markup("".join(out))


def _open_tag(mark: _Mark, *, first: bool) -> str:
    classes = ["hl", f"hl-{mark.kind}"]
    if mark.by_rules:
        classes.append("by-rules")
    attrs = {
        "class": " ".join(classes if first else [*classes, "hl-cont"]),
        "data-ref": mark.ref,
        "data-tip": mark.tip,
        "aria-describedby": f"tip-{mark.ref}",
    }
    if first:
        attrs["tabindex"] = "0"
        if mark.anchor:
            attrs["id"] = mark.anchor
    return "<mark " + " ".join(f'{name}="{escape(value)}"' for name, value in attrs.items()) + ">"


def _collect_marks(summary: ArticleSummary, text: str) -> tuple[list[_Mark], list[str]]:
    """Every highlight for ``text``, and a note for each grounded item whose offsets do not fit it."""
    marks: list[_Mark] = []
    problems: list[str] = []
    for mark, expected in _candidate_marks(summary):
        if 0 <= mark.start < mark.end <= len(text) and text[mark.start : mark.end] == expected:
            marks.append(mark)
        else:
            problems.append(f"{mark.ref}: offsets {mark.start}–{mark.end} do not match the article text")
    return marks, problems


def _candidate_marks(summary: ArticleSummary) -> Iterator[tuple[_Mark, str]]:
    """A mark for every grounded span, with the text the article must hold there."""
    tips = _tips(summary)
    for actor in summary.actors:
        for number, mention in enumerate(actor.mentions):
            yield (
                _Mark(
                    start=mention.start,
                    end=mention.end,
                    kind="actor",
                    ref=actor.id,
                    tip=tips[actor.id],
                    anchor=f"t-{actor.id}" if number == 0 else None,
                    by_rules=actor.extracted_by == "rules",
                ),
                mention.text,
            )
    for quote in summary.quotes:
        if quote.grounding != "unmatched" and quote.start is not None and quote.end is not None:
            pieces = quote.fragments or [Span(start=quote.start, end=quote.end, text=quote.text)]
            for number, piece in enumerate(pieces):
                yield (
                    _Mark(
                        start=piece.start,
                        end=piece.end,
                        kind="quote",
                        ref=quote.id,
                        tip=tips[quote.id],
                        anchor=f"t-{quote.id}" if number == 0 else None,
                        primary=number == 0,
                        by_rules=quote.extracted_by == "rules",
                    ),
                    piece.text,
                )
    for figure in summary.figures:
        if figure.grounding != "unmatched" and figure.start is not None and figure.end is not None:
            yield (
                _Mark(
                    start=figure.start,
                    end=figure.end,
                    kind="figure",
                    ref=figure.id,
                    tip=tips[figure.id],
                    anchor=f"t-{figure.id}",
                    by_rules=figure.extracted_by == "rules",
                ),
                figure.text,
            )
    for number, point in enumerate(summary.summary.points, start=1):
        ref = f"k{number}"
        for index, span in enumerate(point.spans):
            mark = _Mark(
                start=span.start,
                end=span.end,
                kind="point",
                ref=ref,
                tip=tips[ref],
                anchor=f"t-{ref}" if index == 0 else None,
                primary=index == 0,
                by_rules=point.extracted_by == "rules",
            )
            yield mark, span.text
    for number, stance in enumerate(summary.stances, start=1):
        if stance.evidence is not None:
            ref = f"s{number}"
            yield (
                _Mark(
                    start=stance.evidence.start,
                    end=stance.evidence.end,
                    kind="evidence",
                    ref=ref,
                    tip=tips[ref],
                    anchor=f"t-{ref}",
                    by_rules=stance.extracted_by == "rules",
                ),
                stance.evidence.text,
            )


def _tips(summary: ArticleSummary) -> dict[str, str]:
    """Tooltip text for every item, keyed by ref; also the hidden aria descriptions."""
    names = {actor.id: actor.name for actor in summary.actors}
    tips: dict[str, str] = {}
    for actor in summary.actors:
        affiliation = names.get(actor.affiliation or "", actor.affiliation)
        tips[actor.id] = _join(
            f"Actor: {actor.name}",
            actor.kind,
            actor.role,
            affiliation and f"of {affiliation}",
            _rules_note(actor.extracted_by),
        )
    for quote in summary.quotes:
        via = _via_label(quote, names)
        tips[quote.id] = _join(
            f"Quote: {_speaker_label(quote, names)}",
            quote.cue,
            quote.kind,
            via and f"via {via}",
            quote.grounding == "fuzzy" and "fuzzy match",
            _rules_note(quote.extracted_by),
        )
    for figure in summary.figures:
        tips[figure.id] = _join(
            f"Figure: {_format_amount(figure) or 'no value'}",
            figure.kind,
            figure.describes,
            figure.approximate and "approximate",
            _rules_note(figure.extracted_by),
        )
    for number, point in enumerate(summary.summary.points, start=1):
        tips[f"k{number}"] = _join(f"Key point {number}: {_shortened(point.text)}", _rules_note(point.extracted_by))
    for number, stance in enumerate(summary.stances, start=1):
        tips[f"s{number}"] = _join(f"Stance: {_stance_label(stance)}", stance.topic, _rules_note(stance.extracted_by))
    return tips


def _shortened(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _join(*parts: str | bool | None) -> str:
    return " · ".join(part for part in parts if isinstance(part, str) and part)


def _rules_note(extracted_by: str) -> str | None:
    return "found by rules" if extracted_by == "rules" else None


# --------------------------------------------------------------------------
# HTML pages
# --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES_DIR),
        autoescape=True,  # every article- and model-derived string is escaped
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["amount"] = _format_amount
    return env


@lru_cache(maxsize=1)
def _assets() -> tuple[Markup, Markup, str]:
    """The inline stylesheet and script, and the CSP that allows exactly them."""
    css = (_TEMPLATES_DIR / "view.css").read_text(encoding="utf-8")
    js = (_TEMPLATES_DIR / "view.js").read_text(encoding="utf-8")
    csp = (
        f"default-src 'none'; style-src '{_csp_hash(css)}'; script-src '{_csp_hash(js)}'; "
        "img-src 'none'; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'"
    )
    return Markup(css), Markup(js), csp


def _csp_hash(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")


def _render_page(template: str, **context: Any) -> str:
    css, js, csp = _assets()
    return _environment().get_template(template).render(css=css, js=js, csp=csp, **context)


def _safe_href(href: str | None) -> str | None:
    """``href`` when it is relative or http(s); None for other schemes (javascript:, data:)."""
    if not href:
        return None
    try:
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        return None
    return href if scheme in ("", "http", "https") else None


def _page_context(summary: ArticleSummary) -> dict[str, Any]:
    text = summary.article.text
    actor_names = {actor.id: actor.name for actor in summary.actors}
    article_html: Markup | None = None
    problems: list[str] = []
    if text is not None:
        marks, problems = _collect_marks(summary, text)
        article_html = _highlight(text, marks)
    quote_groups = _quote_groups(summary.quotes, actor_names)
    unmatched_quotes = [q for q in summary.quotes if not _is_grounded(q)]
    unmatched_figures = [f for f in summary.figures if not _is_grounded(f)]
    return {
        "s": summary,
        "title": summary.article.title or summary.article.id,
        "article_html": article_html,
        "tips": _tips(summary),
        "actor_names": actor_names,
        "actors": sorted(summary.actors, key=lambda a: (-len(a.mentions), a.name.lower())),
        "quote_groups": quote_groups,
        "quote_count": sum(len(group) for _, group in quote_groups),
        "figures": [f for f in summary.figures if _is_grounded(f)],
        "stances": list(enumerate(summary.stances, start=1)),
        "unmatched_quotes": unmatched_quotes,
        "unmatched_figures": unmatched_figures,
        "problems": problems,
        "not_found": len(unmatched_quotes) + len(unmatched_figures) + len(problems),
        "vias": {quote.id: _via_label(quote, actor_names) for quote in summary.quotes},
        "source_href": _safe_href(summary.article.url),
    }


# --------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------

# "_" inside a word never starts emphasis, so "GUM_news_korea" stays unescaped.
_MD_INLINE_SPECIALS = re.compile(r"([\\`*\[\]<>|~$]|(?<![^\W_])_|_(?![^\W_]))")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
# What would start a heading, list, quote or setext underline at the start of a line.
_MD_LINE_START = re.compile(r"^(\s*\d*)([#+=-](?=\s|$)|=+\s*$|(?<=\d)[.)](?=\s|$))")


def _md(text: str | None) -> str:
    """Inline Markdown for article- or model-derived text: one line, nothing interpreted.

    ``$`` is escaped too: GitHub reads a pair of dollar signs as LaTeX math.
    """
    if not text:
        return ""
    flat = " ".join(text.split())
    flat = _MD_ENTITY.sub(r"\\&", _MD_INLINE_SPECIALS.sub(r"\\\1", flat))
    return _MD_LINE_START.sub(r"\1\\\2", flat)


def _md_blockquote(text: str) -> str:
    paragraphs = [_md(paragraph) for paragraph in re.split(r"\n\s*\n", text.strip()) if paragraph.strip()]
    return "\n>\n".join(f"> {paragraph}" for paragraph in paragraphs)


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]], *, numeric: Sequence[int] = ()) -> str:
    rule = ["---:" if i in numeric else "---" for i in range(len(header))]
    lines = [header, rule, *rows]
    return "\n".join("| " + " | ".join(cell or " " for cell in line) + " |" for line in lines)


def _md_link(url: str) -> str:
    """An autolink for a plain http(s) URL (its text is literal there), else escaped text."""
    if _safe_href(url) and urlsplit(url).scheme and not re.search(r"[\s<>]", url):
        return f"<{url}>"
    return _md(url)


def _md_span(start: int | None, end: int | None) -> str:
    return f"{start}–{end}" if start is not None and end is not None else ""


def _md_rules(extracted_by: str) -> str:
    return " _(found by rules)_" if extracted_by == "rules" else ""


def _md_header(summary: ArticleSummary) -> str:
    article = summary.article
    facts = [
        article.date and f"**Date** {_md(article.date)}",
        article.language and f"**Language** {_md(article.language)}",
        f"**Id** {_md(article.id)}",
        f"{article.chars:,} characters",
        article.url and f"**Source** {_md_link(article.url)}",
    ]
    return f"# {_md(article.title or article.id)}\n\n" + " · ".join(fact for fact in facts if fact)


def _md_summary(summary: ArticleSummary) -> str:
    block = f"## Summary\n\n{_md(summary.summary.text)}"
    if summary.summary.points:
        lines = [
            f"- {_md(point.text)} — chars {', '.join(_md_span(span.start, span.end) for span in point.spans)}{_md_rules(point.extracted_by)}"
            for point in summary.summary.points
        ]
        block += "\n\n**Key points**\n\n" + "\n".join(lines)
    elif summary.summary.key_points:  # a digest of the first contract: texts without spans
        block += "\n\n**Key points**\n\n" + "\n".join(f"- {_md(point)}" for point in summary.summary.key_points)
    return block


def _md_actors(actors: Sequence[Actor], names: dict[str, str]) -> str:
    if not actors:
        return "## Actors\n\nNone found."
    lines = []
    for actor in actors:
        details = [actor.kind, _md(actor.role)]
        if actor.affiliation:
            details.append("of " + _md(names.get(actor.affiliation, actor.affiliation)))
        mentions = len(actor.mentions)
        details.append(f"{mentions} mention{'' if mentions == 1 else 's'}")
        line = f"- **{_md(actor.name)}**: " + ", ".join(d for d in details if d)
        if actor.aliases:
            line += "; also " + ", ".join(_md(alias) for alias in actor.aliases)
        lines.append(line + _md_rules(actor.extracted_by))
    return f"## Actors ({len(actors)})\n\n" + "\n".join(lines)


def _md_quotes(quotes: Sequence[Quote], names: dict[str, str]) -> str:
    groups = _quote_groups(quotes, names)
    if not groups:
        return "## Quotes\n\nNone found in the text."
    blocks = [f"## Quotes ({sum(len(group) for _, group in groups)})"]
    for speaker, group in groups:
        blocks.append(f"### {_md(speaker)}")
        for quote in group:
            via = _via_label(quote, names)
            meta = _join(
                _md(quote.cue),
                quote.kind,
                via and f"via {_md(via)}",
                f"chars {_md_span(quote.start, quote.end)}",
                quote.grounding == "fuzzy" and "fuzzy match",
            )
            words = " … ".join(piece.text for piece in quote.fragments) if quote.fragments else quote.text  # the tag between pieces left out
            blocks.append(f"{_md_blockquote(words)}\n>\n> — {meta}{_md_rules(quote.extracted_by)}")
    return "\n\n".join(blocks)


def _md_figures(figures: Sequence[Figure]) -> str:
    grounded = [f for f in figures if _is_grounded(f)]
    if not grounded:
        return "## Figures\n\nNone found in the text."
    rows = [[_md(f.text) + _md_rules(f.extracted_by), _md(_format_amount(f)), f.kind, _md(f.describes), _md_span(f.start, f.end)] for f in grounded]
    table = _md_table(["Figure", "Value", "Kind", "Describes", "Chars"], rows, numeric=(1, 4))
    return f"## Figures ({len(grounded)})\n\n{table}"


def _md_stances(stances: Sequence[Stance]) -> str:
    if not stances:
        return "## Stances\n\nNone found."
    rows = [
        [_md(s.holder) + _md_rules(s.extracted_by), s.polarity, _md(s.target), _md(s.topic), _md(s.evidence.text) if s.evidence else "_no evidence found_"]
        for s in stances
    ]
    table = _md_table(["Holder", "Position", "Target", "Topic", "Evidence"], rows)
    return f"## Stances ({len(stances)})\n\n{table}"


def _md_not_found(summary: ArticleSummary) -> str:
    lines = [f"- Quote {_md(q.id)} ({_md(q.speaker) or 'unattributed'}): “{_md(q.text)}”" for q in summary.quotes if not _is_grounded(q)] + [
        f"- Figure {_md(f.id)}: {_md(f.text)} ({_md(f.describes) or f.kind})" for f in summary.figures if not _is_grounded(f)
    ]
    if not lines:
        return ""
    return "## Not found in the text\n\nThe model gave these, but they could not be located in the article.\n\n" + ("\n".join(lines))


def _md_warnings(warnings: Sequence[str]) -> str:
    if not warnings:
        return ""
    return "## Dropped or repaired\n\n" + "\n".join(f"- {_md(warning)}" for warning in warnings)


def _md_provenance(summary: ArticleSummary) -> str:
    p = summary.provenance
    rows = [
        ["Model", _md(p.model)],
        ["Endpoint", _md(p.base_url) or "—"],
        ["Prompt version", _md(p.prompt_version)],
        ["Schema version", summary.schema_version],
        ["Model calls", str(p.attempts)],
        ["Tokens", f"{p.usage.prompt_tokens:,} prompt + {p.usage.completion_tokens:,} completion"],
        ["Latency", f"{p.latency_s:.1f} s"],
        ["Article SHA-256", f"`{summary.article.sha256}`" if summary.article.sha256.isalnum() else _md(summary.article.sha256)],
    ]
    return "## Provenance\n\n" + _md_table(["Field", "Value"], rows)
