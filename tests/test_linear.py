"""The rule stages on hostile text: offsets stay exact, and the work stays proportional to the text.

Time is measured by bench/bench_long.py, never asserted here. What is
asserted is the structure that keeps the work linear (each run of marks read
once, each stretch of text scanned once, forms never compared with forms of
their own length), counted through the module attributes the code looks up,
and that results are the same as the plain definitions they replace.
"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from summarizer import Summarizer
from summarizer.rules import NameCandidate, TextSpan, find_evidence
from summarizer.rules import keypoints as keypoints_module
from summarizer.rules import name_runs as name_runs_module
from summarizer.rules import names as names_module
from summarizer.rules import quotes as quotes_module
from summarizer.rules import speakers as speakers_module
from summarizer.rules import text as text_module
from summarizer.rules.quotes import MentionIndex
from summarizer.rules.reported import find as reported_find
from summarizer.rules.reported import headlines
from summarizer.rules.reported import source_first as reported_source_first
from summarizer.rules.reported.content import MAX_CONTENT_CHARS
from summarizer.rules.text import TakenSpans, sentence_breaks

from .offsets import assert_offsets_exact

GUM = Path(__file__).resolve().parent / "data" / "gum-news" / "articles.jsonl"


class CountingPattern:
    """Stands in for a compiled pattern and counts the calls of its methods."""

    def __init__(self, pattern: Any) -> None:
        self.pattern, self.calls = pattern, 0

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.pattern, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return method(*args, **kwargs)

        return counted


# --------------------------------------------------------------------------
# Offsets on punctuation-heavy text
# --------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [*string.punctuation, "…", "“", "”", "‘", "’", "«", "»", " ", "\n", "\n\n", "Smith", "Mr. Jones", " said ", "$1,000", "3.5%", "UN", "A.", "he", "The"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(alphabet=string.punctuation + "… ", max_size=6)), min_size=1, max_size=60).map("".join))
def test_punctuation_heavy_text_keeps_every_offset_exact(text: str) -> None:
    if not text.strip():
        return  # refused as empty: nothing to check
    result = Summarizer(use_llm=False).summarize(text, id="random")
    assert_offsets_exact(result)


def test_hostile_runs_keep_offsets_exact() -> None:
    for text in ["!" * 5000, ". " * 3000 + "End.", "“" * 2000 + "”" * 2000, "SYSTEM: USER: " * 500, "“Word word word,” he said. " * 300]:
        result = Summarizer(use_llm=False, max_chars=len(text)).summarize(text, id="hostile")
        assert_offsets_exact(result)


# --------------------------------------------------------------------------
# Sentence ends: each run of marks is read once
# --------------------------------------------------------------------------


def test_a_run_of_marks_is_followed_up_once(monkeypatch: pytest.MonkeyPatch) -> None:
    tail = CountingPattern(text_module._SENTENCE_END_TAIL)
    monkeypatch.setattr(text_module, "_SENTENCE_END_TAIL", tail)
    text = "Stop" + "!" * 20_000 + " Then more. And more"
    assert sentence_breaks(text, 0, len(text)) == [4 + 20_000, text.index(" And")]
    assert tail.calls == 2  # one per run of marks, not one per mark


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He left. "Then," she said. She went!!! Now? Yes… 3 more.', ["He left.", '"Then," she said.', "She went!!!", "Now?", "Yes…", "3 more."]),
        (
            "Mr. Smith met U.S. President Biden in Washington D.C. The talks ended.",
            ["Mr. Smith met U.S. President Biden in Washington D.C.", "The talks ended."],
        ),
        ("Leader dots.......... Then words.", ["Leader dots..........", "Then words."]),
        ("It ended.) (Then it began.", ["It ended.)", "(Then it began."]),
        ("The average gift was $27.16. Aides say it grew.", ["The average gift was $27.16.", "Aides say it grew."]),
    ],
)
def test_sentence_breaks_cut_where_sentences_end(text: str, expected: list[str]) -> None:
    cuts = [0, *sentence_breaks(text, 0, len(text)), len(text)]
    assert [text[a:b].strip() for a, b in zip(cuts, cuts[1:])] == expected


def test_sentence_breaks_respect_the_window() -> None:
    text = "One. Two. Three. Four."
    assert sentence_breaks(text, 5, 16) == [9]  # "Three." ends at the window's edge: nothing follows it there


# --------------------------------------------------------------------------
# Quotes: nested marks, pull quotes, pronouns
# --------------------------------------------------------------------------


def test_nested_marks_without_words_are_scanned_once(monkeypatch: pytest.MonkeyPatch) -> None:
    alnum = CountingPattern(quotes_module._ALNUM)
    monkeypatch.setattr(quotes_module, "_ALNUM", alnum)
    text = "Before. " + "“" * 3000 + "”" * 3000 + " After."
    assert find_evidence(text).quotes == ()  # no quote holds a word
    assert alnum.calls == 1  # one search answers all 3,000 nested quotes


def test_nested_quotes_with_words_keep_the_outermost() -> None:
    text = "He said “a “b “c” d” e” then."
    (quote,) = find_evidence(text).quotes
    assert quote.text == "a “b “c” d” e"


def test_pull_quote_repeats_are_searched_for_the_first_pull_quotes_only() -> None:
    paragraphs = [f"Quote number {n} says we will fight on and win. Charles Bolden, NASA Administrator" for n in range(40)]
    repeats = [f"Quote number {n} says we will fight on and win." for n in (0, 39)]
    text = "\n\n".join([*paragraphs, *repeats]) + "\n\nThe end."
    quotes = find_evidence(text).quotes
    found = [q for q in quotes if q.kind == "direct" and q.start >= text.index("\n\n".join(repeats))]
    assert [q.text for q in found] == [repeats[0]]  # the 40th pull quote is past the cap: its repeat is not searched
    assert sum(q.speaker == "Charles Bolden" for q in quotes if q.kind == "direct") == 41


def _names(*spans: tuple[int, int, str]) -> list[NameCandidate]:
    return [
        NameCandidate(ref=f"N{n}", name=f"Name {n}", kind=kind, mentions=(TextSpan(start, end, "x" * (end - start)),))
        for n, (start, end, kind) in enumerate(spans)
    ]  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 8), st.sampled_from(["person", "organization", "country", "other"])), max_size=30),
    st.integers(0, 200),
)
def test_last_of_kind_is_the_last_such_mention_before_a_position(layout: list[tuple[int, str]], position: int) -> None:
    spans, start = [], 0
    for length, kind in layout:
        spans.append((start, start + length, kind))
        start += length + 1
    index = MentionIndex(_names(*spans))
    for kinds in (frozenset({"person"}), frozenset({"organization", "country"})):
        expected = [(s, e) for s, e, kind in spans if kind in kinds and e <= position]
        found = index.last_of_kind(position, kinds)
        assert (found[0].start, found[0].end) == expected[-1] if expected else found is None


def test_a_pronoun_looks_back_only_within_reach(monkeypatch: pytest.MonkeyPatch) -> None:
    index = MentionIndex(_names(*[(n * 10, n * 10 + 5, "person") for n in range(1000)]))
    asked: list[int] = []
    found = index.before(10_000, accept=lambda span, _: asked.append(span.start) is not None, reach=300)
    assert found is None and asked and min(asked) > 10_000 - 300


def test_a_pronoun_after_many_organisations_finds_the_last_person() -> None:
    text = "Jane Doe spoke first. " + "The Council met. " * 2000 + '"We will go on," she said.'
    (quote,) = find_evidence(text).quotes
    assert quote.speaker == "Jane Doe"


# --------------------------------------------------------------------------
# Names: labels, forms of one length
# --------------------------------------------------------------------------


def count_offered(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many forms the form index offers for comparison, counted (one entry per lookup)."""
    offered: list[int] = []
    real = names_module._FormIndex.sharing

    def counted(self: Any, short: tuple[str, ...]) -> list[tuple[str, ...]]:
        found = real(self, short)
        offered.append(len(found))
        return found

    monkeypatch.setattr(names_module._FormIndex, "sharing", counted)
    return offered


FIRST_NAMES = [a + b for a in string.ascii_uppercase for b in ("ana", "elo", "ir", "ova", "ux")]


def test_forms_are_looked_up_among_longer_forms_only(monkeypatch: pytest.MonkeyPatch) -> None:
    offered = count_offered(monkeypatch)
    first_names = FIRST_NAMES[:30]
    text = " ".join(f"{first} Smith spoke." for first in first_names) + " Then Ann Smith said so. Smith left."
    names = {name.name for name in find_evidence(text).names}
    # "Smith" alone is offered each two-word form; the two-word forms are offered none of
    # one another (they were: 31 x 30 / 2 of them, each compared).
    assert sum(offered) == len(first_names) + 1
    assert len(names) == len(first_names) + 1 and "Smith" not in names  # merged into the Smith named last before it


def test_a_short_form_of_too_many_long_forms_is_compared_with_none(monkeypatch: pytest.MonkeyPatch) -> None:
    offered = count_offered(monkeypatch)
    text = " ".join(f"{first} Smith spoke." for first in FIRST_NAMES) + " Then Mr. Smith said so."
    names = {name.name: name for name in find_evidence(text).names}
    assert sum(offered) == 0  # 130 Smiths: "Smith" alone is too ambiguous to merge, and not compared with them
    assert "Smith" in names and len(names["Smith"].mentions) == 1


def test_a_long_run_of_demonyms_is_read_once_for_its_title(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    real = name_runs_module._starts_with_title

    def counted(*args: Any) -> bool:
        nonlocal calls
        calls += 1
        return real(*args)

    monkeypatch.setattr(name_runs_module, "_starts_with_title", counted)
    text = "The The " + "Iranian " * 2000 + "President Hassan Rouhani spoke."
    (name,) = [n for n in find_evidence(text).names if n.name == "Hassan Rouhani"]
    assert name.title == "President" and name.kind == "person"
    assert calls <= 3


@pytest.mark.parametrize(
    ("text", "label"),
    [("SYSTEM: be nice.\nUSER: Obama spoke.", True), ("   SYSTEM: be nice.", True), ("Note that SYSTEM: is odd.", False)],
)
def test_a_role_label_opens_its_line(text: str, label: bool) -> None:
    names = {name.name for name in find_evidence(text).names}
    assert ("SYSTEM" not in names) == label


def test_labels_on_one_long_line_are_still_no_names() -> None:
    text = "SYSTEM: USER: " * 2000
    assert {name.name for name in find_evidence(text).names} == {"SYSTEM", "USER"}  # none opens a line but the first


def test_a_line_is_read_for_title_case_only_when_a_run_may_hold_a_headline_verb(monkeypatch: pytest.MonkeyPatch) -> None:
    lines: list[str] = []
    real = name_runs_module.is_title_case
    monkeypatch.setattr(name_runs_module, "is_title_case", lambda line: lines.append(line) or real(line))
    prose = "Mayor Ann Lee met Jon Smith in Paris on Monday.\n" * 200
    find_evidence(prose)
    assert lines == []  # no capitalised word there is one the text also writes in lower case
    headline = "Hollande Says Trump Makes You Want to Retch\n\nHollande says the US president makes him want to retch.\n"
    names = {name.name for name in find_evidence(headline + prose).names}
    assert len(lines) == 1 and {"Hollande", "Trump"} <= names  # the headline, read once for its two verbs


def _title_case_lines(text: str) -> list[tuple[int, int]]:
    """The plain definition: lines of at most 300 characters whose words are mostly capitalised."""
    lines = []
    for line in re.finditer(r"[^\n]+", text):
        words = re.findall(r"[^\W\d_][\w’'-]*", line.group())
        if len(line.group()) <= 300 and len(words) >= 3 and sum(word[0].isupper() for word in words) >= 0.7 * len(words):
            lines.append(line.span())
    return lines


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Says", "says", "Trump", " ", "\n", "to", "A" * 120, "x" * 150, "."]), max_size=40).map("".join))
@example("Says Trump " + "A" * 289)  # a last line of exactly 300 characters: a headline's length
@example("Says Trump " + "A" * 290)  # one more: prose
def test_title_case_lines_read_on_demand_are_the_lines_of_the_plain_definition(text: str) -> None:
    lines = name_runs_module._TitleCaseLines(text)
    expected = _title_case_lines(text)
    for position, char in enumerate(text):
        if char != "\n":
            assert lines.holds(position) == any(start <= position < end for start, end in expected), position


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["coach", "spokeswoman", "Coach", "reporter", "xcoach", "é", "3", ",", " ", "  ", "\n", "\t", " " * 25]), max_size=12).map("".join)
)
def test_a_role_noun_before_a_name_is_found_as_the_search_of_the_last_30_characters_finds_it(before: str) -> None:
    # The search starts past the spaces before the name, as far back as the longest role noun reaches.
    text = before + "Smith"
    start = len(before)
    role = re.compile(r"\b([a-z]+),?\s+$").search(text, max(0, start - 30), start)
    plain = bool(role and role.group(1) in name_runs_module.ROLE_NOUNS)
    assert name_runs_module._has_person_context(text, start, len(text)) == plain


def test_only_paragraphs_holding_a_stance_word_are_split_into_sentences(monkeypatch: pytest.MonkeyPatch) -> None:
    from summarizer.rules import stances as stances_module

    calls = 0
    real = stances_module.sentence_breaks

    def counted(text: str, start: int, end: int) -> list[int]:
        nonlocal calls
        calls += 1
        return real(text, start, end)

    monkeypatch.setattr(stances_module, "sentence_breaks", counted)
    text = "The council met on Monday. It spoke of roads.\n\n" * 50 + "Iran backs Hamas. Qatar condemned Israel."
    stances = find_evidence(text).stances
    assert calls == 1  # the last paragraph's: no other holds a stance verb or noun
    assert {(s.holder, s.polarity, s.target) for s in stances} == {("Iran", "supports", "Hamas"), ("Qatar", "opposes", "Israel")}


# --------------------------------------------------------------------------
# Taken spans
# --------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 10)), max_size=20), st.integers(0, 60), st.integers(1, 10))
def test_taken_spans_overlap_as_intervals_do(taken: list[tuple[int, int]], start: int, length: int) -> None:
    spans = TakenSpans(80)
    kept: list[tuple[int, int]] = []
    for a, n in taken:
        if not spans.overlaps(a, a + n):
            spans.take(a, a + n)
            kept.append((a, a + n))
    assert spans.overlaps(start, start + length) == any(start < b and a < start + length for a, b in kept)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 30)), max_size=20), st.integers(0, 60), st.integers(1, 10))
def test_key_point_spans_touch_a_sentence_as_intervals_do(spans: list[tuple[int, int]], start: int, length: int) -> None:
    # The bisected lookup that keeps key points linear answers as the scan over every span would.
    sentence = TextSpan(start, start + length, "x" * length)
    pairs = [(a, a + n) for a, n in spans]
    assert keypoints_module._Spans(pairs).touch(sentence) == any(start < b and a < start + length for a, b in pairs)


# --------------------------------------------------------------------------
# The cycle collector rests while a long article's rule stages run
# --------------------------------------------------------------------------


def test_a_long_articles_rule_stages_run_without_the_cycle_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from summarizer import api as api_module
    from summarizer.chunking import LONG_ARTICLE_CHARS

    seen: list[bool] = []
    real = api_module.find_evidence
    monkeypatch.setattr(api_module, "find_evidence", lambda text: seen.append(gc.isenabled()) or real(text))
    with Summarizer(use_llm=False) as summarizer:
        summarizer.summarize("The council met. " * (LONG_ARTICLE_CHARS // 17 + 1))
        summarizer.summarize("The council met.")
    assert seen == [False, True] and gc.isenabled()


def test_pauses_of_the_cycle_collector_nest_and_restore_its_state() -> None:
    import gc

    from summarizer.chunking import gc_paused

    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # disabled by the caller before: left so
    finally:
        gc.enable()


def test_a_walk_back_through_the_mentions_stops_where_no_earlier_mention_reaches() -> None:
    names = [NameCandidate(ref=f"N{i}", name=f"Name{i}", kind="person", mentions=(TextSpan(10 * i, 10 * i + 5, "Name_"),)) for i in range(1000)]
    seen: list[TextSpan] = []
    found = MentionIndex(names).before(10_000, accept=lambda span, _: seen.append(span) is not None, min_end=9_990)
    assert found is None and len(seen) == 1  # the last mention only: every earlier one ends before 9,990


def test_every_walk_back_through_the_mentions_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    # An unbounded walk reads every earlier mention on each call: quadratic in a long article.
    real = MentionIndex.before

    def bounded(self: MentionIndex, position: int, **options: Any) -> Any:
        assert options.get("reach") is not None or options.get("min_end") is not None, "MentionIndex.before without reach or min_end"
        return real(self, position, **options)

    monkeypatch.setattr(MentionIndex, "before", bounded)
    for line in GUM.read_text(encoding="utf-8").splitlines():
        find_evidence(json.loads(line)["text"])


def test_each_sentence_reads_only_the_direct_quotes_near_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real = reported_find._in_sentence
    seen: list[int] = []

    def counted(text: str, sentence: tuple[int, int], mentions: MentionIndex, direct: Any, families: frozenset[str]) -> Any:
        seen.append(len(direct))
        return real(text, sentence, mentions, direct, families)

    monkeypatch.setattr(reported_find, "_in_sentence", counted)
    text = " ".join(f'Ann Lee said that the plan {n} works. "It is fine," she added.' for n in range(500))
    find_evidence(text)
    assert len(seen) >= 500 and max(seen) <= 3  # not all 500 quotes for every sentence


def test_reported_speech_is_held_against_one_list_of_quote_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    # Building the list per reported clause made '"Word," said Smith.' repeated 10,000 times quadratic.
    import bisect

    import summarizer.rules.evidence as evidence_module

    lists: list[Any] = []  # kept alive, so no two lists can share an id

    class Recording:
        @staticmethod
        def bisect_left(values: Any, x: Any) -> int:
            lists.append(values)
            return bisect.bisect_left(values, x)

        bisect_right = staticmethod(bisect.bisect_right)

    monkeypatch.setattr(evidence_module, "bisect", Recording)
    find_evidence('"Word word word," said Smith, adding that the plan works. ' * 200)
    assert len(lists) > 1 and all(values is lists[0] for values in lists)


class ReadingPattern:
    """Stands in for a compiled pattern and records how much text each call may read."""

    def __init__(self, pattern: Any) -> None:
        self.pattern, self.lengths = pattern, []

    def _read(self, method: str, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        endpos = len(text) if endpos is None else endpos
        self.lengths.append(endpos - pos)
        return getattr(self.pattern, method)(text, pos, endpos)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._read("search", text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._read("finditer", text, pos, endpos)

    def sub(self, replacement: str, text: str) -> str:
        self.lengths.append(len(text))
        return str(self.pattern.sub(replacement, text))


def test_each_cue_of_a_long_sentence_looks_for_its_subject_near_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run-on sentence holding thousands of cues: each cue reads a bounded stretch before it, not the sentence so far."""
    patterns = {name: ReadingPattern(getattr(reported_source_first, name)) for name in ("AUX", "_PASSIVE")}
    for name, pattern in patterns.items():
        monkeypatch.setattr(reported_source_first, name, pattern)
    walks: list[int] = []
    before = MentionIndex.before

    def bounded_before(self: MentionIndex, position: int, **bounds: Any) -> Any:
        reach, min_end = bounds.get("reach"), bounds.get("min_end")
        walks.append(min(position if reach is None else reach, position if min_end is None else position - min_end))
        return before(self, position, **bounds)

    monkeypatch.setattr(MentionIndex, "before", bounded_before)
    text = "Ann Lee spoke. " + "the mayor, who said, " * 500 + "he said."
    find_evidence(text)
    assert all(pattern.lengths and max(pattern.lengths) <= 100 for pattern in patterns.values())
    assert walks and max(walks) <= 3_000  # the longest reach of any look-back, far under the sentence's 10,000 characters


@pytest.mark.parametrize(
    "repeated",
    ["the mayor, said, ", "the mayor, adding that, "],  # a tag after a comma; a participle whose subject opens the sentence
)
def test_each_cue_of_a_long_sentence_reads_its_head_and_clause_near_it(monkeypatch: pytest.MonkeyPatch, repeated: str) -> None:
    from summarizer.rules import speakers as speakers_module

    recorders = {
        (reported_source_first, "_PARENTHETICAL_END"): ReadingPattern(reported_source_first._PARENTHETICAL_END),
        (speakers_module, "_CLAUSE_JOIN"): ReadingPattern(speakers_module._CLAUSE_JOIN),
    }
    for (module, name), recorder in recorders.items():
        monkeypatch.setattr(module, name, recorder)
    text = "Tom Brown spoke. " + repeated * 400 + "Ann Lee, " + repeated * 400 + "he said."
    find_evidence(text)
    head, clause = recorders.values()
    assert head.lengths and max(head.lengths) <= 1_000  # the sentence runs to 10,000 characters and more
    assert max(clause.lengths, default=0) <= 300


@pytest.mark.parametrize("repeated", ["the mayor said that they ", "a CNN poll found that they "])
def test_reported_content_in_a_run_on_sentence_is_bounded(repeated: str) -> None:
    """Each cue of a run-on "sentence" of cues gives content of bounded length, not the rest of the sentence: the findings
    together stay linear in the text."""
    text = "Ann Lee spoke. " + repeated * (3 * MAX_CONTENT_CHARS // len(repeated))
    reported = [quote for quote in find_evidence(text).quotes if quote.kind != "direct"]
    assert len(reported) > 100
    assert max(quote.end - quote.start for quote in reported) <= MAX_CONTENT_CHARS


class _RecordingText(str):
    """A text that records how many characters each ``find``/``rfind`` may read."""

    reads: list[int]

    def find(self, sub: str, start: Any = None, end: Any = None) -> int:  # type: ignore[override]
        self.reads.append((len(self) if end is None else end) - (start or 0))
        return super().find(sub, start, end)

    def rfind(self, sub: str, start: Any = None, end: Any = None) -> int:  # type: ignore[override]
        self.reads.append((len(self) if end is None else end) - (start or 0))
        return super().rfind(sub, start, end)


def test_a_headline_cue_reads_no_further_than_a_headlines_length_around_it() -> None:
    """A page-long line of capitalised cues is no headline, and finding that out reads each cue's surroundings only."""
    text = _RecordingText("Ann Lee Says The Plan Is Dead " * 2_000)
    text.reads = []
    cues = list(headlines._HEADLINE_CUE.finditer(text))
    assert len(cues) == 2_000
    assert all(headlines._line_around(text, cue, 0, len(text)) is None for cue in cues)
    assert max(text.reads) <= headlines.MAX_HEADLINE_CHARS + 1


def test_only_paragraphs_that_may_hold_a_headline_are_read_for_headline_cues(monkeypatch: pytest.MonkeyPatch) -> None:
    cues = CountingPattern(headlines._HEADLINE_CUE)
    monkeypatch.setattr(headlines, "_HEADLINE_CUE", cues)
    prose = "Ann Lee said on Monday that the council would meet again after the vote on the budget in Toledo. " * 5
    find_evidence("\n\n".join([prose] * 20))
    assert cues.calls == 0  # one line longer than a headline, twenty times: prose
    find_evidence("Ann Lee Says The Plan Is Dead\n\n" + prose)
    assert cues.calls == 1


def test_an_opening_phrase_is_looked_for_only_before_a_name_after_a_comma(monkeypatch: pytest.MonkeyPatch) -> None:
    phrases = CountingPattern(speakers_module._OPENING_PHRASE_BEFORE)
    monkeypatch.setattr(speakers_module, "_OPENING_PHRASE_BEFORE", phrases)
    find_evidence('Ann Lee met Maria Lopez. Tom Brown spoke. "We will win," she said. ' * 20)
    assert phrases.calls == 0  # no name there follows a comma
    find_evidence('On Monday, Ann Lee met voters. "We will win," she said.')
    assert phrases.calls > 0


def test_an_office_is_looked_for_only_where_an_office_word_ends_the_source(monkeypatch: pytest.MonkeyPatch) -> None:
    offices = CountingPattern(speakers_module._THE_OFFICE_AT_END)
    monkeypatch.setattr(speakers_module, "_THE_OFFICE_AT_END", offices)
    find_evidence("Sen. Ann Lee spoke. The businessman said the plan would fail. " * 20)
    assert offices.calls == 0
    find_evidence("Sen. Ann Lee spoke. The senator said the plan would fail.")
    assert offices.calls > 0
