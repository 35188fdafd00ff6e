"""Tests for summarizer.render: JSON, Markdown, the HTML view and the batch index.

The example digest is hand-built over the Wikinews article GUM_news_korea
(CC BY 2.5, tests/data/gum-news), with every offset computed by ``str.find``;
it is a fixture, not a model's output. ``korea_summary(planted=True)`` adds a
paragraph of hostile markup to the text and model fields to prove it renders
as text. bench/screenshot.py reuses it for the documented screenshot.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from summarizer import summarize
from summarizer.errors import InputError
from summarizer.render import (
    IndexEntry,
    _highlight,
    _Mark,
    batch_pages,
    page_format_for,
    render_html,
    render_index,
    render_json,
    render_markdown,
    render_markdown_index,
)
from summarizer.results import parse_results, read_results
from summarizer.schema import (
    Actor,
    ArticleInfo,
    ArticleSummary,
    Figure,
    Provenance,
    Quote,
    Span,
    Stance,
    Summary,
    Usage,
)

ARTICLES = Path(__file__).parent / "data" / "gum-news" / "articles.jsonl"
PLANTED = (
    '<script>document.title="pwned";document.body.insertAdjacentHTML("beforeend","<p id=pwned>x</p>")</script>'
    ' "><img src=x onerror="document.title=\'pwned-img\'">'
)
HOSTILE = '</li><script>alert(1)</script>"><img src=x onerror=alert(1)> | `tick` *star*'

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "korea.txt"


# --------------------------------------------------------------------------
# The example digest
# --------------------------------------------------------------------------


def korea_text(*, planted: bool) -> str:
    """GUM_news_korea's text; with ``planted``, a hostile paragraph after the dateline."""
    for line in ARTICLES.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["id"] == "GUM_news_korea":
            text: str = record["text"]
            break
    else:
        raise AssertionError("GUM_news_korea missing from the test corpus")
    if planted:
        anchor = "2015\n\n"
        cut = text.index(anchor) + len(anchor)
        text = text[:cut] + PLANTED + "\n\n" + text[cut:]
    return text


def at(text: str, needle: str, *, after: str = "") -> Span:
    """The first occurrence of ``needle`` at or after the first occurrence of ``after``."""
    start = text.find(needle, text.find(after) if after else 0)
    assert start >= 0, needle
    return Span(start=start, end=start + len(needle), text=needle)


def every(text: str, name: str) -> list[Span]:
    return [Span(start=m.start(), end=m.end(), text=name) for m in re.finditer(rf"\b{re.escape(name)}\b", text)]


def quote(text: str, id: str, needle: str, *, after: str = "", **fields: object) -> Quote:
    span = at(text, needle, after=after)
    return Quote(id=id, text=needle, start=span.start, end=span.end, grounding="exact", **fields)  # type: ignore[arg-type]


def figure(text: str, id: str, needle: str, *, after: str = "", **fields: object) -> Figure:
    span = at(text, needle, after=after)
    return Figure(id=id, text=needle, start=span.start, end=span.end, grounding="exact", **fields)  # type: ignore[arg-type]


def korea_summary(*, planted: bool = False) -> ArticleSummary:
    text = korea_text(planted=planted)
    hostile = HOSTILE if planted else ""
    actors = [
        Actor(
            id="a1",
            name="Korean Central News Agency",
            kind="organization",
            role="state news agency",
            affiliation="a2",
            aliases=["KCNA"],
            mentions=sorted(every(text, "Korean Central News Agency") + every(text, "KCNA"), key=lambda m: m.start),
        ),
        Actor(
            id="a2",
            name="North Korea",
            kind="country",
            aliases=["DPRK"],
            mentions=sorted(every(text, "North Korea") + every(text, "DPRK"), key=lambda m: m.start),
        ),
        Actor(id="a3", name="South Korea", kind="country", mentions=every(text, "South Korea")),
        Actor(id="a4", name="Kim Jong-un", kind="person", role="supreme commander", affiliation="a2", mentions=every(text, "Kim Jong-un")),
        Actor(
            id="a5",
            name="Korean People's Army",
            kind="organization",
            affiliation="a2",
            aliases=["KPA"],
            mentions=sorted(every(text, "Korean People's Army") + every(text, "KPA"), key=lambda m: m.start),
        ),
        Actor(id="a6", name="Yonhap" + hostile, kind="organization", role="news agency", mentions=every(text, "Yonhap"), extracted_by="rules"),
        Actor(id="a7", name="Yeoncheon", kind="other", mentions=every(text, "Yeoncheon"), extracted_by="rules"),
    ]
    quotes = [
        quote(text, "q1", "quasi-state of war", after='"quasi', speaker="KCNA", speaker_id="a1", kind="partial", via="Yonhap"),
        quote(
            text,
            "q2",
            "War maniacs of the South Korean puppet military made another grave provocation to the DPRK"
            " in the central western sector of the front on Thursday afternoon. They perpetrated such reckless"
            " action as firing 36 shells at KPA civil police posts under the absurd pretext that the KPA fired"
            " one shell at the south side. Six shells of them hit the area near KPA civil police posts 542 and"
            " 543 and other 15 shells fell near KPA civil police posts 250 and 251",
            speaker="KCNA",
            speaker_id="a1",
            cue="said",
        ),
        quote(text, "q3", "Foolhardy provocation deserves harsh punishment", speaker="KCNA", speaker_id="a1", cue="added"),
        quote(
            text,
            "q4",
            "Kim Jong-un issued an order of the supreme commander of the Korean People's Army [KPA]"
            " that the front-line large combined units of the KPA should enter a wartime state to be fully"
            " battle ready to launch surprise operations",
            speaker="KCNA",
            speaker_id="a1",
        ),
        quote(
            text,
            "q5",
            "Commanders of the Korean People's Army were hastily dispatched to the front-line troops"
            " to command military operations to destroy psychological warfare tools if the enemy does not stop"
            " the propaganda broadcast within 48 hours and prepare against the enemy's possible counteractions",
            speaker="KCNA",
            speaker_id="a1",
            cue="added",
        ),
        quote(
            text,
            "q6",
            "it would attack any loudspeakers broadcasting propaganda and would respond, militarily, within 48 hours if the broadcasts do not stop",
            speaker="North Korea",
            speaker_id="a2",
            kind="indirect",
            cue="stated",
        ),
        Quote(
            id="q7",
            text="the broadcasts will continue",
            speaker="South Korea",
            speaker_id="a3",
            kind="indirect",
            cue="says",
            grounding="fuzzy",
            model_text="broadcasts would continue",
            start=at(text, "the broadcasts will continue").start,
            end=at(text, "the broadcasts will continue").end,
        ),
        Quote(id="q8", text="We will crush the puppets" + hostile, speaker="KCNA", speaker_id="a1", grounding="unmatched"),
    ]
    figures = [
        figure(text, "f1", "36 shells", value=36, unit="shells", kind="count", describes="shells the South fired"),
        figure(text, "f2", "one shell", value=1, unit="shell", kind="count", describes="shell the KPA fired"),
        figure(text, "f3", "Six shells", value=6, unit="shells", kind="count", describes="shells near posts 542, 543"),
        figure(text, "f4", "15 shells", value=15, unit="shells", kind="count", describes="shells near posts 250, 251"),
        figure(text, "f5", "48 hours", value=48, unit="hours", kind="measure", describes="deadline to stop broadcasts"),
        figure(text, "f6", "48 hours", after="militarily", value=48, unit="hours", kind="measure", describes="window to respond"),
        figure(text, "f7", "about 80 people", value=80, unit="people", kind="count", approximate=True, describes="people evacuated in Yeoncheon"),
        figure(text, "f8", "11-year", value=11, unit="years", kind="measure", describes="lull in broadcasts", extracted_by="rules"),
        Figure(id="f9", text="$2 million" + hostile, value=2_000_000, unit="USD", kind="money", describes="damages", grounding="unmatched"),
    ]
    stances = [
        # Starts inside q3 and ends after it: a partial overlap the renderer must split.
        Stance(
            holder="KCNA",
            holder_id="a1",
            target="South Korea",
            target_id="a3",
            polarity="opposes",
            topic="the artillery exchange" + hostile,
            evidence=at(text, 'harsh punishment", it added'),
        ),
        Stance(
            holder="South Korea",
            holder_id="a3",
            target="North Korea",
            target_id="a2",
            polarity="opposes",
            topic="retaliation",
            evidence=at(text, "The South retaliated by firing dozens of rounds of artillery"),
        ),
        # Ends inside q6: the other direction of partial overlap.
        Stance(
            holder="North Korea",
            holder_id="a2",
            target="loudspeaker propaganda",
            polarity="opposes",
            evidence=at(text, "North Korea stated it would attack any loudspeakers"),
        ),
        Stance(holder="South Korea", holder_id="a3", target="loudspeaker broadcasts", polarity="supports", extracted_by="rules"),
    ]
    return ArticleSummary(
        article=ArticleInfo(
            id="GUM_news_korea",
            title="North Korea puts military in 'quasi-state of war'" + hostile,
            date="2015-08-21",
            language="en",
            chars=len(text),
            url="https://en.wikinews.org/wiki/North_Korea_puts_military_in_%27quasi-state_of_war%27",
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            text=text,
        ),
        summary=Summary(
            text="North Korea's military was put on high alert and told to prepare for a 'quasi-state of war' after"
            " North and South Korea exchanged artillery fire over South Korean propaganda loudspeakers." + hostile,
            key_points=[
                "North Korea and South Korea exchanged artillery fire on August 20, 2015.",
                "Kim Jong-un ordered front-line units onto a wartime footing, according to KCNA.",
                "South Korea evacuated about 80 people from Yeoncheon; no injuries were reported." + hostile,
            ],
        ),
        actors=actors,
        quotes=quotes,
        figures=figures,
        stances=stances,
        provenance=Provenance(
            model="smollm2-135m-instruct",
            base_url="127.0.0.1:8765",
            prompt_version="1",
            attempts=2,
            usage=Usage(prompt_tokens=2417, completion_tokens=386),
            latency_s=3.24,
            warnings=["dropped quote 'they will pay': not found in the article after 2 re-asks", "kept figure f9 unmatched (lenient mode)" + hostile],
        ),
    )


# --------------------------------------------------------------------------
# Helpers: a strict reader of the HTML we produce
# --------------------------------------------------------------------------

VOID = {"meta", "link", "br", "img", "input", "hr", "wbr", "source", "area", "base", "col", "embed", "track"}


class Page(HTMLParser):
    """Parses a page, failing on any mis-nested tag; collects marks, scripts and the article text."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.stack: list[str] = []
        self.marks: list[dict[str, str]] = []
        self.tags: list[str] = []
        self.scripts = 0
        self.text_parts: list[str] = []
        self._article_depth: int | None = None
        self.feed(source)
        self.close()
        assert not self.stack, f"unclosed elements: {self.stack}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append(tag)
        self.scripts += tag == "script"
        if tag == "mark" and self._article_depth is not None:
            self.marks.append(attributes)
        if tag not in VOID:
            self.stack.append(tag)
        if "article-text" in attributes.get("class", "").split():
            self._article_depth = len(self.stack)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        if self._article_depth == len(self.stack):
            self._article_depth = None
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._article_depth is not None:
            self.text_parts.append(data)

    @property
    def article_text(self) -> str:
        return "".join(self.text_parts)

    def focusable(self, ref: str) -> list[dict[str, str]]:
        return [m for m in self.marks if m["data-ref"] == ref and "tabindex" in m]

    def pieces(self, ref: str) -> list[dict[str, str]]:
        return [m for m in self.marks if m["data-ref"] == ref]


@pytest.fixture(scope="module")
def summary() -> ArticleSummary:
    return korea_summary(planted=True)


@pytest.fixture(scope="module")
def page_html(summary: ArticleSummary) -> str:
    return render_html(summary)


# --------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------


def test_json_round_trips_and_compacts(summary: ArticleSummary) -> None:
    assert ArticleSummary.model_validate_json(render_json(summary)) == summary
    assert "\n" not in render_json(summary, indent=None)
    assert render_json(summary).startswith('{\n  "schema_version": "1"')


# --------------------------------------------------------------------------
# HTML page
# --------------------------------------------------------------------------


def test_html_nests_and_keeps_the_text_exact(summary: ArticleSummary, page_html: str) -> None:
    page = Page(page_html)  # asserts every tag closes in order
    assert page.article_text == summary.article.text


def test_html_one_focusable_highlight_per_grounded_item(summary: ArticleSummary, page_html: str) -> None:
    page = Page(page_html)
    items: list[Quote | Figure] = [*summary.quotes, *summary.figures]
    for item in items:
        expected = 0 if item.grounding == "unmatched" else 1
        assert len(page.focusable(item.id)) == expected, item.id
        for mark in page.focusable(item.id):
            assert mark["id"] == f"t-{item.id}"
            assert mark["aria-describedby"] == f"tip-{item.id}"
            assert mark["data-tip"]
    for actor in summary.actors:
        assert len(page.focusable(actor.id)) == len(actor.mentions)


def test_html_highlights_each_key_points_spans_and_links_the_point_to_them() -> None:
    digest = summarize(EXAMPLE.read_text(encoding="utf-8"), use_llm=False, id="korea")
    page_html = render_html(digest)
    page = Page(page_html)
    assert digest.summary.points, "every digest has key points"
    assert page.article_text == digest.article.text
    for number, point in enumerate(digest.summary.points, start=1):
        pieces = page.pieces(f"k{number}")
        assert len(pieces) >= len(point.spans) and all("hl-point" in m["class"].split() for m in pieces)
        assert page.focusable(f"k{number}")[0]["id"] == f"t-k{number}"
        assert f'<a href="#t-k{number}">' in page_html


def test_markdown_key_points_carry_their_spans() -> None:
    digest = summarize(EXAMPLE.read_text(encoding="utf-8"), use_llm=False, id="korea")
    page = render_markdown(digest)
    for point in digest.summary.points:
        assert f" — chars {', '.join(f'{span.start}–{span.end}' for span in point.spans)}" in page


def test_html_splits_partial_overlaps_into_continuations(page_html: str) -> None:
    page = Page(page_html)
    # s1 starts inside q3 and outlives it: q3 stays whole, s1 continues after it.
    assert len(page.pieces("q3")) == 1
    assert [("hl-cont" in m["class"]) for m in page.pieces("s1")] == [False, True]
    # s3 starts before q6 and ends inside it: q6 is the one split.
    assert len(page.pieces("s3")) == 1
    assert len(page.pieces("q6")) >= 2 and "hl-cont" in page.pieces("q6")[-1]["class"]


def test_html_nests_figures_inside_quotes(summary: ArticleSummary, page_html: str) -> None:
    body = page_html.split('class="article-text">', 1)[1]
    q2_open = body.index('data-ref="q2"')
    q2_close = body.index("posts 250 and 251</mark>")
    for ref in ("f1", "f2", "f3", "f4"):
        assert q2_open < body.index(f'data-ref="{ref}"') < q2_close


def test_html_escapes_article_and_model_text(page_html: str) -> None:
    page = Page(page_html)
    assert page.scripts == 1  # ours, the sorter
    assert "img" not in page.tags
    assert "<script>document.title" not in page_html and "<script>alert" not in page_html
    assert str(escape(PLANTED)) in page_html
    assert "&lt;/li&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page_html


def test_html_forbids_external_loads(page_html: str) -> None:
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page_html)
    assert csp and "default-src 'none'" in html.unescape(csp.group(1))
    assert not re.search(
        r'(src|href)="(https?:)?//', page_html.replace('href="https://en.wikinews.org/wiki/North_Korea_puts_military_in_%27quasi-state_of_war%27"', "")
    )
    assert "@import" not in page_html and "url(" not in page_html


def test_html_lists_unmatched_and_warnings_separately(page_html: str) -> None:
    page = Page(page_html)
    assert not page.pieces("q8") and not page.pieces("f9")
    not_found = page_html.split('id="unmatched-h"', 1)[1].split("</section>", 1)[0]
    assert "We will crush the puppets" in not_found and "$2 million" in not_found
    dropped = page_html.split('id="warnings-h"', 1)[1].split("</section>", 1)[0]
    assert "dropped quote &#39;they will pay&#39;" in dropped


def test_html_marks_rules_items_and_fuzzy(page_html: str) -> None:
    page = Page(page_html)
    assert all("by-rules" in m["class"] for m in page.pieces("a6") + page.pieces("f8"))
    assert not any("by-rules" in m["class"] for m in page.pieces("q2"))
    assert "model wrote: “broadcasts would continue”" in page_html


def test_html_quote_fragments_have_one_focusable_piece(summary: ArticleSummary) -> None:
    text = summary.article.text or ""
    first, second = at(text, "Foolhardy provocation"), at(text, "deserves harsh punishment")
    split = summary.model_copy(update={"quotes": [summary.quotes[2].model_copy(update={"fragments": [first, second]})]})
    page = Page(render_html(split))
    assert len(page.pieces("q3")) == 2 and len(page.focusable("q3")) == 1


def test_html_without_text_says_so(summary: ArticleSummary) -> None:
    bare = summary.model_copy(update={"article": summary.article.model_copy(update={"text": None})})
    out = render_html(bare)
    page = Page(out)
    assert page.marks == [] and 'class="article-text"' not in out
    assert "saved without the article text" in out
    assert 'href="#t-' not in out  # no links to highlights that do not exist
    assert "36 shells" in out  # the structure is still all there


def test_html_reports_offsets_that_do_not_fit_the_text(summary: ArticleSummary) -> None:
    shifted = summary.figures[0].model_copy(update={"start": 0, "end": 9})
    out = render_html(summary.model_copy(update={"figures": [shifted]}))
    assert not Page(out).pieces("f1")
    assert "f1: offsets 0–9 do not match the article text" in out


def gold_summaries() -> list[ArticleSummary]:
    """The corpus's gold actors, quotes and figures as digests: real nested and overlapping spans."""
    articles = [json.loads(line) for line in ARTICLES.read_text(encoding="utf-8").splitlines()]
    golds = [json.loads(line) for line in (ARTICLES.parent / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    digests = []
    for article, gold in zip(articles, golds, strict=True):
        text = article["text"]
        actors = [
            Actor(id=f"a{n}", name=a["name"], kind="other", mentions=[Span(start=m["start"], end=m["end"], text=m["text"]) for m in a["mentions"]])
            for n, a in enumerate(gold["actors"], start=1)
        ]
        quotes = [
            Quote(id=f"q{n}", text=q["text"], speaker=q["speaker"], start=q["start"], end=q["end"], grounding="exact")
            for n, q in enumerate(gold["quotes"], start=1)
        ]
        figures = [Figure(id=f"f{n}", text=f["text"], start=f["start"], end=f["end"], grounding="exact") for n, f in enumerate(gold["figures"], start=1)]
        digests.append(
            ArticleSummary(
                article=ArticleInfo(id=gold["id"], chars=len(text), sha256="-", text=text),
                summary=Summary(text=gold["summary"]),
                actors=actors,
                quotes=quotes,
                figures=figures,
                provenance=Provenance(model="gold", prompt_version="-"),
            )
        )
    return digests


def test_html_renders_every_gold_span_of_the_corpus() -> None:
    digests = gold_summaries()
    assert len(digests) == 24
    for digest in digests:
        out = render_html(digest)
        page = Page(out)
        assert page.article_text == digest.article.text, digest.article.id
        assert "do not match the article text" not in out
        mentions = sum(len(actor.mentions) for actor in digest.actors)
        assert sum("hl-cont" not in m["class"] for m in page.marks) == mentions + len(digest.quotes) + len(digest.figures)


_kinds = st.sampled_from(["quote", "evidence", "actor", "figure"])


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet="ab <>&\"'\n", min_size=1, max_size=40), data=st.data())
def test_highlight_is_well_nested_for_any_spans(text: str, data: st.DataObject) -> None:
    spans = data.draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, len(text)), _kinds), max_size=8))
    marks = [
        _Mark(start=min(a, b), end=max(a, b), kind=kind, ref=f"r{i}", tip="t", anchor=None, by_rules=False) for i, (a, b, kind) in enumerate(spans) if a != b
    ]
    page = Page(f'<div class="article-text">{_highlight(text, marks)}</div>')
    assert page.article_text == text
    assert sorted(m["data-ref"] for m in page.marks if "tabindex" in m) == sorted(m.ref for m in marks)


# --------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------


def test_markdown_sections_and_grouping(page_html: str) -> None:
    out = render_markdown(korea_summary())
    for heading in (
        "## Summary",
        "## Actors (7)",
        "## Quotes (7)",
        "### Korean Central News Agency",
        "### North Korea",
        "## Figures (8)",
        "## Stances (4)",
        "## Not found in the text",
        "## Dropped or repaired",
        "## Provenance",
    ):
        assert f"\n{heading}\n" in out, heading
    assert out.startswith("# North Korea puts military in 'quasi-state of war'\n")
    assert "> Foolhardy provocation deserves harsh punishment\n>\n> — added · direct" in out
    assert "| 36 shells | 36 shells | count |" in out
    assert "We will crush the puppets" in out.split("## Not found in the text", 1)[1]
    assert "- **Yonhap**: organization, news agency, 1 mention _(found by rules)_" in out


def test_markdown_escapes_markup_and_table_pipes(summary: ArticleSummary) -> None:
    out = render_markdown(summary)
    assert not re.search(r"(?<!\\)<(script|img|/li)", out) and "`tick`" not in out
    assert r"\<script\>alert(1)\</script\>" in out
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    assert rows
    for row in rows:  # every row of both tables keeps its column count despite '|' in the data
        assert len(re.findall(r"(?<!\\)\|", row)) - 1 in (2, 5)


def test_markdown_renders_without_html_injection(summary: ArticleSummary) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark").enable("table").render(render_markdown(summary))
    assert "<script" not in rendered and "<img" not in rendered
    assert rendered.count("<table>") == 3  # figures, stances, provenance


# --------------------------------------------------------------------------
# Batch index and loading results
# --------------------------------------------------------------------------


def test_index_links_pages_and_lists_failures(summary: ArticleSummary) -> None:
    out = render_index(
        [
            IndexEntry(href="GUM_news_korea.html", summary=summary, error=None, id="GUM_news_korea"),
            IndexEntry(href="javascript:alert(1)", summary=summary, error=None, id="evil"),
            IndexEntry(href="bad.html", summary=None, error="ExtractionError: <b>never</b> validated", id="bad"),
        ]
    )
    Page(out)
    assert 'href="GUM_news_korea.html"' in out and "javascript:" not in out
    assert "ExtractionError: &lt;b&gt;never&lt;/b&gt; validated" in out
    assert "2 summarized · 1 failed" in out


def test_read_results_reads_json_and_jsonl(tmp_path: Path, summary: ArticleSummary) -> None:
    single = tmp_path / "one.json"
    single.write_text(render_json(summary), encoding="utf-8")
    assert read_results(single) == [("GUM_news_korea", summary, None)]

    lines = [
        {"id": "x", "ok": False, "error": {"type": "BackendError", "message": "timed out", "attempts": 3}},
        {"id": "k", "ok": True, "result": json.loads(render_json(summary))},
        {"id": "x", "ok": False, "error": {"type": "RateLimitError", "message": "429", "attempts": 1}},
    ]
    batch = tmp_path / "out.jsonl"
    batch.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n", encoding="utf-8")
    assert read_results(batch) == [
        ("x", None, "RateLimitError: 429 (after 1 model call)"),  # the later line for "x" wins
        ("k", summary, None),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ('{"id": "a", "ok": true, "result": {}}\nnot json\n', ":1 (id a): not an ArticleSummary"),
        ('{"id": "a", "ok": false}\n{"id": \n', ":2: not valid JSON"),
        ('{"schema_version": "1"}', "not an ArticleSummary (schema version 1): article: Field required"),
        ("[1]", "[0]: expected a JSON object, got a number"),
        ('{"ok": true, "result": {}}', 'needs a string "id"'),
    ],
)
def test_read_results_rejects_malformed_input(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)):
        read_results(path)


def test_read_results_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_results(tmp_path / "nope.json")


# --------------------------------------------------------------------------
# A real browser
# --------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium_dump_dom(page: Path, profile: Path) -> str:
    """The DOM after load, as serialised by headless Chromium (no network, fresh profile)."""
    assert CHROMIUM
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=2000",
        "--dump-dom",
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"), reason="chromium not installed (apt-get install chromium)")
def test_chromium_renders_highlights_and_blocks_the_planted_script(tmp_path: Path, summary: ArticleSummary) -> None:
    assert CHROMIUM, "CI must install chromium (Debian package 'chromium')"
    page = tmp_path / "korea.html"
    page.write_text(render_html(summary), encoding="utf-8")
    dom = Page(chromium_dump_dom(page, tmp_path / "profile"))

    assert "pwned" not in dom.source.split("<title>", 1)[1].split("</title>", 1)[0]
    assert 'id="pwned"' not in dom.source and "img" not in dom.tags
    assert dom.scripts == 1
    assert dom.article_text == summary.article.text
    items: list[Quote | Figure] = [*summary.quotes, *summary.figures]
    for item in items:
        assert len(dom.focusable(item.id)) == (0 if item.grounding == "unmatched" else 1), item.id
    # Our own script ran (the CSP hash admits it): the table headers became sort buttons.
    assert "sortable-ready" in dom.source and '<button type="button" class="sort">' in dom.source


# --------------------------------------------------------------------------
# Page header, "via", formats and batch folders
# --------------------------------------------------------------------------


def test_html_header_counts_dropped_and_not_found_items_with_links(summary: ArticleSummary, page_html: str) -> None:
    header = page_html.split('<header class="masthead">', 1)[1].split("</header>", 1)[0]
    dropped = len(summary.provenance.warnings)
    assert dropped and f'<a href="#warnings-h">{dropped} dropped or repaired</a>' in header
    assert '<a href="#unmatched-h">' in header and 'id="warnings-h"' in page_html
    clean = summary.model_copy(update={"provenance": summary.provenance.model_copy(update={"warnings": []})})
    assert '<a href="#warnings-h">0 dropped or repaired</a>' in render_html(clean)


def test_html_is_headed_by_the_title_and_date(summary: ArticleSummary, page_html: str) -> None:
    title, date = summary.article.title, summary.article.date
    assert title and date
    assert f"<title>{escape(title)} ({date}): digest</title>" in page_html
    assert f"<h1>{escape(title)}</h1>" in page_html and f'<time datetime="{date}">' in page_html


def test_via_the_speaker_themself_is_not_shown(summary: ArticleSummary) -> None:
    same = summary.quotes[0].model_copy(update={"via": " kcna "})  # speaker "KCNA", any case and spacing
    other = summary.quotes[1].model_copy(update={"via": "Yonhap"})
    changed = summary.model_copy(update={"quotes": [same, other]})
    out, markdown = render_html(changed), render_markdown(changed)
    assert "via kcna" not in out.lower() and "via kcna" not in markdown.lower()
    assert "via Yonhap" in out and "via Yonhap" in markdown


@pytest.mark.parametrize(
    ("output", "requested", "expected"),
    [
        ("r1.md", None, "markdown"),
        ("r1.md", "html", "markdown"),
        ("r1.HTM", "markdown", "html"),
        ("r1.txt", "markdown", "markdown"),
        ("r1.txt", None, "html"),
        ("pages", "markdown", "markdown"),
    ],
)
def test_page_format_follows_the_extension(output: str, requested: str | None, expected: str) -> None:
    assert page_format_for(Path(output), requested=requested) == expected


def test_batch_pages_give_a_markdown_folder_an_index(summary: ArticleSummary) -> None:
    results = [("../evil id", summary, None), ("bad", None, "InputError: empty")]
    pages = dict(batch_pages(results, page_format="markdown"))
    assert list(pages) == ["00001-evil_id.md", "index.md"]
    index = pages["index.md"]
    assert "(<00001-evil_id.md>)" in index and "**bad**: InputError: empty" in index
    assert "1 summarized · 1 failed" in index
    html_pages = dict(batch_pages(results, page_format="html"))
    assert list(html_pages) == ["00001-evil_id.html", "index.html"]


def test_markdown_index_escapes_titles_and_errors(summary: ArticleSummary) -> None:
    hostile = summary.model_copy(update={"article": summary.article.model_copy(update={"title": HOSTILE})})
    out = render_markdown_index([IndexEntry(href="p.md", summary=hostile, error=None, id="x"), IndexEntry(href="", summary=None, error=HOSTILE, id="y")])
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark").enable("table").render(out)
    assert "<script" not in rendered and "<img" not in rendered


def test_parse_results_reads_text_and_refuses_an_empty_array() -> None:
    assert parse_results('{"id": "x", "ok": false, "error": null}', where="standard input") == [("x", None, "failed (no error details recorded)")]
    with pytest.raises(InputError, match="standard input holds no results"):
        parse_results("[]", where="standard input")


def test_markdown_shows_a_split_quote_as_its_pieces_without_the_tag_between(summary: ArticleSummary) -> None:
    text = summary.article.text or ""
    first, second = at(text, "Foolhardy provocation"), at(text, "deserves harsh punishment")
    split = summary.model_copy(update={"quotes": [summary.quotes[2].model_copy(update={"fragments": [first, second]})]})
    assert "> Foolhardy provocation … deserves harsh punishment\n" in render_markdown(split)
