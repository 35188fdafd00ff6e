"""Grounding: the aligner, the grounded items, and the invariant text[start:end] == item.text.

Model answers here are hand-written fixtures, not recordings.
"""

from __future__ import annotations

import itertools
import json
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from summarizer.grounding import (
    FUZZY_THRESHOLD,
    TextAligner,
    check_answer,
    ground,
)
from summarizer.grounding import digest as digest_module
from summarizer.grounding import figures as figures_module
from summarizer.grounding import passages as passages_module
from summarizer.grounding.alignment import _MAX_OCCURRENCES, _REWRITE, _joins, _typography_replacement, fold, normalise, trim
from summarizer.rules import (
    Evidence,
    FigureCandidate,
    FigureMatch,
    NameCandidate,
    QuoteCandidate,
    TextSpan,
    find_evidence,
    parse_figure,
)
from summarizer.schema import (
    ActorAnswer,
    DigestAnswer,
    FigureAnswer,
    QuoteAnswer,
    StanceAnswer,
)

GUM_GOLD = Path(__file__).parent / "data" / "gum-news" / "gold.jsonl"

# --------------------------------------------------------------------------
# Helpers: evidence built by hand, so these tests do not depend on the rules
# --------------------------------------------------------------------------


def span(text: str, part: str, nth: int = 0) -> TextSpan:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return TextSpan(start, start + len(part), part)


def quote_candidate(text: str, ref: str, *parts: str, speaker: str | None = None, cue: str | None = None) -> QuoteCandidate:
    fragments = tuple(span(text, p) for p in parts)
    start, end = fragments[0].start, fragments[-1].end
    return QuoteCandidate(
        ref=ref,
        start=start,
        end=end,
        text=text[start:end],
        fragments=fragments if len(fragments) > 1 else (),
        cue=cue,
        speaker=speaker,
        speaker_span=None,
        via=None,
    )


def figure_candidate(text: str, ref: str, written: str, *, context: str | None = None) -> FigureCandidate:
    where = span(text, written)
    parsed = parse_figure(context or written)
    assert parsed is not None
    return FigureCandidate(ref=ref, match=FigureMatch(where.start, where.end, written, parsed))


def evidence(quotes: tuple[QuoteCandidate, ...] = (), figures: tuple[FigureCandidate, ...] = (), names: tuple[NameCandidate, ...] = ()) -> Evidence:
    return Evidence(quotes=quotes, figures=figures, names=names)


def answer(**fields: object) -> DigestAnswer:
    return DigestAnswer(summary="", **fields)  # type: ignore[arg-type]


def assert_grounded(digest: object, text: str) -> None:
    """The invariant, for every grounded item, mention, fragment and evidence span."""
    for actor in digest.actors:  # type: ignore[attr-defined]
        for mention in actor.mentions:
            assert text[mention.start : mention.end] == mention.text
    for item in [*digest.quotes, *digest.figures]:  # type: ignore[attr-defined]
        if item.grounding == "unmatched":
            assert item.start is None and item.end is None
        else:
            assert text[item.start : item.end] == item.text
        for fragment in getattr(item, "fragments", []):
            assert text[fragment.start : fragment.end] == fragment.text
    for stance in digest.stances:  # type: ignore[attr-defined]
        if stance.evidence is not None:
            assert text[stance.evidence.start : stance.evidence.end] == stance.evidence.text


def found(text: str, needle: str, **options: object) -> tuple[str, str] | None:
    hit = TextAligner(text).find(needle, **options)  # type: ignore[arg-type]
    return None if hit is None else (text[hit.start : hit.end], hit.status)


# --------------------------------------------------------------------------
# TextAligner.find
# --------------------------------------------------------------------------

ARTICLE = (
    "Iran’s leader met the Emir of Qatar. “Approximately $6 billion (in frozen funds) remain held,” "
    "the report said. Officials — speaking\n\nanonymously — said the talks were “constructive… and calm”"
)


@pytest.mark.parametrize(
    ("needle", "expected", "status"),
    [
        ("Iran’s leader met", "Iran’s leader met", "exact"),
        ("Iran's leader met", "Iran’s leader met", "fuzzy"),  # straight apostrophe
        ('"Approximately $6 billion', "Approximately $6 billion", "exact"),  # quote marks trimmed
        ("$6 billion (in frozen funds)", "$6 billion (in frozen funds)", "exact"),  # regex characters
        ("(in frozen", "(in frozen", "exact"),
        ("Officials - speaking anonymously - said", "Officials — speaking\n\nanonymously — said", "fuzzy"),
        ("the talks were “constructive... and calm”", "the talks were “constructive… and calm", "fuzzy"),
        ("the report   said", "the report said", "fuzzy"),
        ("Approximately $6 billion in frozen funds remain held", "Approximately $6 billion (in frozen funds) remain held", "fuzzy"),
        ("Officials speaking anonymously said the talks were", "Officials — speaking\n\nanonymously — said the talks were", "fuzzy"),
        ("Officials speaking anonymously said the negotiations were", None, None),  # a changed word: below the threshold
    ],
)
def test_find_aligns_variants_to_the_article_span(needle: str, expected: str | None, status: str | None) -> None:
    assert found(ARTICLE, needle) == ((expected, status) if expected else None)


@pytest.mark.parametrize(
    "needle",
    [
        "Saudi Arabia will spend more than 10% of its oil revenue",  # invented
        "the Emir of Kuwait",  # short: never fuzzy
        "",
        "  “ ”  ",
        "$7 billion",
    ],
)
def test_find_returns_none_when_absent(needle: str) -> None:
    assert found(ARTICLE, needle) is None


def test_ellipsis_in_the_text_matches_three_dots_and_back() -> None:
    assert found("He said: wait... and see.", "wait… and see") == ("wait... and see", "fuzzy")
    assert found("He said: wait… and see.", "wait... and see") == ("wait… and see", "fuzzy")


def test_half_an_ellipsis_is_not_a_match() -> None:
    # ".." would cut the single character "…" in two.
    assert found("wait… and see", "wait..") is None


def test_zero_width_characters_are_ignored_both_ways() -> None:
    text = "The minis\u200bter said\u200d no\ufeff."
    assert found(text, "The minister said no") == ("The minis\u200bter said\u200d no", "fuzzy")
    assert found("The minister said no.", "mini\u200bster said") == ("minister said", "fuzzy")


def test_decomposed_accents_match_composed_needle() -> None:
    text = "Le ministre Jose\u0301 Garci\u0301a a parle\u0301."  # NFD, as some exports write it
    assert found(text, "José García a parlé") == ("Jose\u0301 Garci\u0301a a parle\u0301", "fuzzy")


def test_cjk_arabic_hebrew() -> None:
    chinese = "习近平在北京说：“我们将继续合作。”随后离开。"
    assert found(chinese, "我们将继续合作。") == ("我们将继续合作。", "exact")
    assert found(chinese, "“我们将继续合作”") == ("我们将继续合作", "exact")
    arabic = "قال الرئيس إن «المحادثات كانت مثمرة جدا» أمس."
    assert found(arabic, '"المحادثات كانت مثمرة جدا"') == ("المحادثات كانت مثمرة جدا", "exact")
    hebrew = "ראש הממשלה אמר כי ״השיחות היו טובות״ אתמול."
    assert found(hebrew, "השיחות היו טובות") == ("השיחות היו טובות", "exact")


def test_fuzzy_works_on_chinese() -> None:
    text = "前言。习近平在北京说我们将继续加强两国之间的经济合作与交流。随后离开。"
    hit = found(text, "我们将继续加强两国之间的经济合作和交流")
    assert hit == ("我们将继续加强两国之间的经济合作与交流", "fuzzy")


def test_after_and_near_choose_among_occurrences() -> None:
    text = "Yes, we can. He said: yes, we can. She said: Yes, we can."
    aligner = TextAligner(text)
    first = aligner.find("Yes, we can")
    assert first is not None and first.start == 0
    later = aligner.find("Yes, we can", after=first.end)
    assert later is not None and later.start == text.rindex("Yes, we can")
    normalised_later = aligner.find("yes, we can", after=1)
    assert normalised_later is not None and normalised_later.start == text.index("yes")
    nearest = aligner.find("Yes, we can", near=len(text))
    assert nearest is not None and nearest.start == text.rindex("Yes")


def test_fuzzy_respects_after() -> None:
    text = "The minister said the talks were very constructive. Later the minister said the talks were quite constructive."
    aligner = TextAligner(text)
    hit = aligner.find("the minister said the talks were really constructive", after=20)
    assert hit is not None and hit.status == "fuzzy" and hit.start > 20


def test_fuzzy_threshold_is_documented_and_sane() -> None:
    assert 0.8 <= FUZZY_THRESHOLD < 1


# --------------------------------------------------------------------------
# TextAligner.find_all
# --------------------------------------------------------------------------


def test_find_all_respects_word_boundaries() -> None:
    text = "Iran and Iranian media; Iran’s envoy. IRAN"
    hits = TextAligner(text).find_all("Iran")
    assert [text[h.start : h.end] for h in hits] == ["Iran", "Iran"]
    assert [h.start for h in hits] == [0, text.index("Iran’s")]


def test_find_all_is_non_overlapping_and_typography_blind() -> None:
    text = "aa aa aa — Qatar's leader and Qatar’s leader"
    aligner = TextAligner(text)
    assert len(aligner.find_all("aa aa")) == 1
    assert [text[h.start : h.end] for h in aligner.find_all("Qatar's leader")] == ["Qatar's leader", "Qatar’s leader"]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("North and South Korea exchanged artillery fire", "x"),  # not the x of "exchanged"
        ("the country's military", "ar"),
        ("to enter a wartime state", "war"),
        ("Friday, August 21, 2015", "1"),
        ("Friday, August 21, 2015", "5"),
    ],
)
def test_find_never_aligns_inside_a_word(text: str, needle: str) -> None:
    assert found(text, needle) is None


def test_find_skips_inside_word_occurrences_for_a_whole_one() -> None:
    assert TextAligner("a wartime war").find("war") == TextAligner("a wartime war").find_all("war")[0]
    assert found("exchanged x", "x") == ("x", "exact")
    assert found("习近平在北京", "北京") == ("北京", "exact")  # unspaced scripts need no boundary


def test_find_all_in_unspaced_scripts_needs_no_boundaries() -> None:
    text = "习近平在北京会见普京。普京说。"
    assert len(TextAligner(text).find_all("普京")) == 2


# --------------------------------------------------------------------------
# Property tests
# --------------------------------------------------------------------------

ALPHABET = st.sampled_from(list("ab Z.,$()…\"'“”‘’—–-\n\t\u200b\u00a0é") + ["e\u0301", "漢", "ש"])
TEXTS = st.lists(ALPHABET, min_size=1, max_size=60).map("".join)
TYPOGRAPHY = str.maketrans({"“": '"', "”": '"', "’": "'", "—": "-", "–": "-", "\u00a0": " ", "\u200b": ""})


def _cuts_a_cluster(text: str, i: int, j: int) -> bool:
    return unicodedata.combining(text[i]) > 0 or (j < len(text) and unicodedata.combining(text[j]) > 0)


def _cuts_a_word(text: str, i: int, j: int) -> bool:
    return (i > 0 and _joins(text[i - 1], text[i])) or (j < len(text) and _joins(text[j - 1], text[j]))


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.data())
def test_find_locates_every_substring(text: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(text) - 1))
    j = data.draw(st.integers(i + 1, len(text)))
    needle = text[i:j]
    assume(trim(needle) and not _cuts_a_word(text, i, j))
    hit = TextAligner(text).find(needle, fuzzy=False)
    assert hit is not None and hit.status == "exact"
    assert text[hit.start : hit.end] == trim(needle)


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.data())
def test_find_locates_typographic_variants_in_the_original_text(text: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(text) - 1))
    j = data.draw(st.integers(i + 1, len(text)))
    variant = text[i:j].translate(TYPOGRAPHY)
    assume(trim(variant) and not _cuts_a_cluster(text, i, j) and not _cuts_a_word(text, i, j))
    hit = TextAligner(text).find(variant, fuzzy=False)
    assert hit is not None and 0 <= hit.start < hit.end <= len(text)
    assert normalise(text[hit.start : hit.end]) == normalise(trim(variant))


@settings(max_examples=200, deadline=None)
@given(TEXTS, TEXTS)
def test_find_all_gives_ordered_disjoint_whole_spans(text: str, needle: str) -> None:
    hits = TextAligner(text).find_all(needle)
    for previous, current in itertools.pairwise(hits):
        assert previous.end <= current.start
    for hit in hits:
        assert normalise(text[hit.start : hit.end]) == normalise(trim(needle))


@settings(max_examples=200, deadline=None)
@given(TEXTS, TEXTS, st.booleans())
def test_find_returns_spans_inside_the_text(text: str, needle: str, fuzzy: bool) -> None:
    aligner = TextAligner(text)
    hit = aligner.find(needle, fuzzy=fuzzy)
    if hit is not None:
        assert 0 <= hit.start < hit.end <= len(text)
    for each in aligner.find_all(needle):
        assert 0 <= each.start < each.end <= len(text)


WORDS = ["Iran", "Qatar", "said", "the", "funds", "$6", "billion", "(", "“", "”", "—", "…", "Emir", "policy", "\n", "ties"]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS), min_size=3, max_size=80),
    st.lists(st.tuples(st.integers(0, 79), st.integers(1, 12), st.booleans()), max_size=8),
    st.booleans(),
)
def test_ground_keeps_the_invariant_for_any_answer(words: list[str], picks: list[tuple[int, int, bool]], lenient: bool) -> None:
    text = " ".join(words)
    quotes = [QuoteAnswer(text=" ".join(words[i : i + n]).translate(TYPOGRAPHY) if mangle else " ".join(words[i : i + n])) for i, n, mangle in picks]
    figures = [FigureAnswer(text=" ".join(words[i : i + 2])) for i, _, _ in picks]
    actors = [ActorAnswer(name=words[i % len(words)]) for i, _, _ in picks]
    stances = [StanceAnswer(holder="Iran", target="Qatar", evidence=q.text) for q in quotes]
    digest = ground(answer(quotes=quotes, figures=figures, actors=actors, stances=stances), text=text, evidence=evidence(), lenient=lenient)
    assert_grounded(digest, text)


# --------------------------------------------------------------------------
# ground(): quotes
# --------------------------------------------------------------------------

SPEECH = (
    "Minister Anna Berg met reporters on Monday. “We will not back down,” Berg said. "
    "“The budget is fair,” she added, “and it is final.” Critics said the plan [was] “a disaster”. "
    "Later Berg repeated: “We will not back down.” The union leader Tom Ruiz said “the talks failed”."
)


def quotes_of(digest: object) -> list[tuple[str, str, str | None]]:
    return [(q.text, q.grounding, q.extracted_by) for q in digest.quotes]  # type: ignore[attr-defined]


def test_quote_by_ref_takes_the_candidate_span_and_fragments() -> None:
    split = quote_candidate(SPEECH, "Q1", "The budget is fair,", "and it is final.", speaker="Berg", cue="added")
    digest = ground(answer(quotes=[QuoteAnswer(ref="Q1")]), text=SPEECH, evidence=evidence(quotes=(split,)))
    (quote,) = digest.quotes
    assert (quote.text, quote.grounding, quote.speaker, quote.cue) == (SPEECH[split.start : split.end], "exact", "Berg", "added")
    assert [f.text for f in quote.fragments] == ["The budget is fair,", "and it is final."]
    assert_grounded(digest, SPEECH)


def test_quote_split_around_a_speech_tag_is_aligned_in_fragments() -> None:
    digest = ground(answer(quotes=[QuoteAnswer(text="The budget is fair and it is final.")]), text=SPEECH, evidence=evidence())
    (quote,) = digest.quotes
    assert [f.text for f in quote.fragments] == ["The budget is fair", "and it is final."]
    assert quote.text.startswith("The budget is fair,” she added") and quote.grounding == "exact"
    assert quote.model_text == "The budget is fair and it is final."
    assert_grounded(digest, SPEECH)


@pytest.mark.parametrize("elision", [" [...] ", " … ", "... ", " [ … ] "])
def test_quote_with_elision_is_aligned_in_fragments(elision: str) -> None:
    needle = f"The budget is fair,{elision}it is final."
    digest = ground(answer(quotes=[QuoteAnswer(text=needle)]), text=SPEECH, evidence=evidence())
    (quote,) = digest.quotes
    assert [f.text for f in quote.fragments] == ["The budget is fair,", "it is final."]
    assert_grounded(digest, SPEECH)


def test_quote_overlapping_a_candidate_adopts_its_full_span() -> None:
    candidate = quote_candidate(SPEECH, "Q1", "We will not back down,", speaker="Berg")
    digest = ground(answer(quotes=[QuoteAnswer(text="We will not back down")]), text=SPEECH, evidence=evidence(quotes=(candidate,)))
    assert quotes_of(digest) == [("We will not back down,", "exact", "model")]
    assert digest.quotes[0].speaker == "Berg"


def test_repeated_quote_maps_to_successive_occurrences() -> None:
    quotes = [QuoteAnswer(text="We will not back down"), QuoteAnswer(text="We will not back down")]
    digest = ground(answer(quotes=quotes), text=SPEECH, evidence=evidence())
    starts = [q.start for q in digest.quotes]
    assert starts == [SPEECH.index("We will not"), SPEECH.rindex("We will not")]
    assert digest.warnings == []


def test_repeated_quote_prefers_the_occurrence_of_its_speaker() -> None:
    text = "Ann Lee said “we agree” on Monday. Bob Stone, a rival, said “we agree” too."
    quotes = [QuoteAnswer(text="we agree", speaker="Stone")]
    actors = [ActorAnswer(name="Ann Lee", kind="person"), ActorAnswer(name="Bob Stone", kind="person")]
    ann = quote_candidate(text, "Q1", "we agree", speaker="Ann Lee")
    bob = QuoteCandidate(**{**ann.__dict__, "ref": "Q2", "start": text.rindex("we agree"), "end": text.rindex("we agree") + 8, "speaker": "Bob Stone"})
    digest = ground(answer(quotes=quotes, actors=actors), text=text, evidence=evidence(quotes=(ann, bob)))
    assert [(q.start, q.speaker_id, q.extracted_by) for q in digest.quotes] == [
        (text.index("we agree"), "a1", "rules"),
        (text.rindex("we agree"), "a2", "model"),
    ]


def test_unfound_quote_is_dropped_with_a_warning_or_kept_when_lenient() -> None:
    invented = QuoteAnswer(text="Taxes will double next year for everyone", speaker="Berg")
    strict = ground(answer(quotes=[invented]), text=SPEECH, evidence=evidence())
    assert strict.quotes == []
    assert any("Taxes will double" in w and "dropped" in w for w in strict.warnings)
    lenient = ground(answer(quotes=[invented]), text=SPEECH, evidence=evidence(), lenient=True)
    (quote,) = lenient.quotes
    assert (quote.grounding, quote.start, quote.end, quote.text) == ("unmatched", None, None, invented.text)


def test_duplicate_quotes_are_removed_with_one_counting_warning() -> None:
    candidate = quote_candidate(SPEECH, "Q1", "a disaster")
    quotes = [QuoteAnswer(ref="Q1"), QuoteAnswer(text="a disaster"), QuoteAnswer(text="“a disaster”")]
    digest = ground(answer(quotes=quotes), text=SPEECH, evidence=evidence(quotes=(candidate,)))
    assert quotes_of(digest) == [("a disaster", "exact", "model")]
    assert [w for w in digest.warnings if "duplicate" in w] == ["Removed 2 duplicate quotes (same text or span, or inside another quote of the same speaker)."]


def test_fuzzy_quote_keeps_the_model_wording() -> None:
    needle = "The union leader Tom Ruiz said that the talks failed"
    digest = ground(answer(quotes=[QuoteAnswer(text=needle)]), text=SPEECH, evidence=evidence())
    (quote,) = digest.quotes
    assert quote.grounding == "fuzzy" and quote.model_text == needle
    assert quote.text == "The union leader Tom Ruiz said “the talks failed"
    assert_grounded(digest, SPEECH)


def test_rule_quotes_the_model_left_out_are_kept_and_marked() -> None:
    first = quote_candidate(SPEECH, "Q1", "We will not back down,", speaker="Berg", cue="said")
    other = quote_candidate(SPEECH, "Q2", "the talks failed", speaker="Tom Ruiz", cue="said")
    actors = [ActorAnswer(name="Tom Ruiz", kind="person")]
    digest = ground(answer(quotes=[QuoteAnswer(ref="Q1")], actors=actors), text=SPEECH, evidence=evidence(quotes=(first, other)))
    assert [(q.id, q.extracted_by, q.speaker, q.speaker_id, q.cue) for q in digest.quotes] == [
        ("q1", "model", "Berg", None, "said"),
        ("q2", "rules", "Tom Ruiz", "a1", "said"),
    ]


def test_quote_ids_follow_text_order_with_unmatched_last() -> None:
    quotes = [QuoteAnswer(text="Invented words that nobody said at all"), QuoteAnswer(text="the talks failed"), QuoteAnswer(text="The budget is fair")]
    digest = ground(answer(quotes=quotes), text=SPEECH, evidence=evidence(), lenient=True)
    assert [(q.id, q.text) for q in digest.quotes] == [("q1", "The budget is fair"), ("q2", "the talks failed"), ("q3", quotes[0].text)]


def test_unknown_ref_is_reported() -> None:
    digest = ground(answer(quotes=[QuoteAnswer(ref="Q9")]), text=SPEECH, evidence=evidence())
    assert digest.quotes == [] and digest.warnings == ["Quote ref Q9 is not a listed candidate; dropped."]


def test_a_model_cue_the_article_lacks_near_the_quote_gives_way_to_the_rules_cue() -> None:
    candidate = quote_candidate(SPEECH, "Q1", "We will not back down,", speaker="Berg", cue="said")
    quotes = [QuoteAnswer(text="We will not back down", speaker="Berg", cue="screamed"), QuoteAnswer(text="the talks failed", cue="said")]
    digest = ground(answer(quotes=quotes), text=SPEECH, evidence=evidence(quotes=(candidate,)))
    assert [q.cue for q in digest.quotes] == ["said", "said"]
    assert any('Cue "screamed"' in w and "near it" in w and '"said" is kept' in w for w in digest.warnings), digest.warnings


def test_a_model_cue_is_found_case_and_accents_aside_near_its_quote_only() -> None:
    text = "Ann Lee RÉPLIQUA: “The plan is final and fair.” " + "Filler words here. " * 30 + "Bob Day replied later."
    near = ground(answer(quotes=[QuoteAnswer(text="The plan is final and fair.", cue="répliqua")]), text=text, evidence=evidence())
    far = ground(answer(quotes=[QuoteAnswer(text="The plan is final and fair.", cue="replied")]), text=text, evidence=evidence())
    assert near.quotes[0].cue == "répliqua" and not near.warnings
    assert far.quotes[0].cue is None and any('Cue "replied"' in w for w in far.warnings)


def test_a_model_source_the_article_never_names_is_dropped_with_a_warning() -> None:
    text = "Minister Anna Berg told the Daily Star: “We will not back down on the budget.”"
    quotes = [QuoteAnswer(text="We will not back down on the budget.", speaker="Anna Berg", via=via) for via in ("Reuters", "the Daily Star")]
    digest = ground(answer(quotes=quotes[:1]), text=text, evidence=evidence())
    assert digest.quotes[0].via is None and any('Source "Reuters"' in w and "dropped" in w for w in digest.warnings)
    kept = ground(answer(quotes=quotes[1:]), text=text, evidence=evidence())
    assert kept.quotes[0].via == "the Daily Star" and not kept.warnings


def test_a_model_role_the_article_lacks_is_dropped_and_the_rules_title_kept() -> None:
    berg = NameCandidate(ref="N1", name="Anna Berg", kind="person", mentions=(span(SPEECH, "Anna Berg"),), title="Minister")
    actors = [ActorAnswer(name="Anna Berg", kind="person", role="Emperor of Mars"), ActorAnswer(name="Tom Ruiz", kind="person", role="Nobel laureate")]
    digest = ground(answer(actors=actors), text=SPEECH, evidence=evidence(names=(berg,)))
    assert [(a.name, a.role) for a in digest.actors] == [("Anna Berg", "Minister"), ("Tom Ruiz", None)]
    assert any('Role "Emperor of Mars"' in w for w in digest.warnings) and any('Role "Nobel laureate"' in w for w in digest.warnings)


def test_a_model_role_in_the_articles_own_words_near_the_actor_is_kept() -> None:
    text = "Iran's Supreme Leader Ali Khamenei met the Emir. " + "Filler words here. " * 30 + "A union leader spoke."
    actors = [ActorAnswer(name="Ali Khamenei", kind="person", role="Supreme Leader of Iran"), ActorAnswer(name="the Emir", role="union leader")]
    digest = ground(answer(actors=actors), text=text, evidence=evidence())
    assert [(a.name, a.role) for a in digest.actors] == [("Ali Khamenei", "Supreme Leader of Iran"), ("the Emir", None)]
    assert len(digest.warnings) == 1 and "near its mentions" in digest.warnings[0]


# --------------------------------------------------------------------------
# ground(): figures
# --------------------------------------------------------------------------

MONEY = "Officials said approximately $6 billion remain frozen, and 40% of trade fell. Another 1,200 workers left."


def figures_of(digest: object) -> list[tuple[str, float | None, str, str]]:
    return [(f.text, f.value, f.grounding, f.extracted_by) for f in digest.figures]  # type: ignore[attr-defined]


def test_figure_values_come_from_the_article() -> None:
    six = figure_candidate(MONEY, "F1", "$6 billion", context="approximately $6 billion")
    digest = ground(answer(figures=[FigureAnswer(text="$6 billion", value=6e6, describes="frozen funds")]), text=MONEY, evidence=evidence(figures=(six,)))
    (figure,) = digest.figures
    assert (figure.text, figure.value, figure.unit, figure.kind, figure.approximate) == ("$6 billion", 6e9, "USD", "money", True)
    assert figure.describes == "frozen funds"
    assert any("6e+06" in w and "article" in w for w in digest.warnings)


def test_figure_without_candidate_is_parsed_from_its_span() -> None:
    digest = ground(answer(figures=[FigureAnswer(text="40%", value=40)]), text=MONEY, evidence=evidence())
    assert figures_of(digest) == [("40%", 40.0, "exact", "model")]
    assert digest.figures[0].unit == "%" and digest.warnings == []


def test_figure_found_by_its_digits_is_fuzzy() -> None:
    six = figure_candidate(MONEY, "F1", "$6 billion")
    digest = ground(answer(figures=[FigureAnswer(text="6 billion dollars")]), text=MONEY, evidence=evidence(figures=(six,)))
    (figure,) = digest.figures
    assert (figure.text, figure.grounding, figure.model_text) == ("$6 billion", "fuzzy", "6 billion dollars")


def test_figure_whose_digits_do_not_occur_is_dropped() -> None:
    wrong = FigureAnswer(text="10%", value=10)
    digest = ground(answer(figures=[wrong]), text=MONEY, evidence=evidence())
    assert digest.figures == [] and any('"10%"' in w for w in digest.warnings)
    lenient = ground(answer(figures=[wrong]), text=MONEY, evidence=evidence(), lenient=True)
    assert figures_of(lenient) == [("10%", 10.0, "unmatched", "model")]


def test_rule_figures_left_out_are_kept_and_ids_follow_text_order() -> None:
    six = figure_candidate(MONEY, "F1", "$6 billion")
    workers = figure_candidate(MONEY, "F2", "1,200 workers")
    digest = ground(answer(figures=[FigureAnswer(ref="F2", describes="workers who left")]), text=MONEY, evidence=evidence(figures=(six, workers)))
    assert [(f.id, f.text, f.extracted_by, f.describes) for f in digest.figures] == [
        ("f1", "$6 billion", "rules", ""),
        ("f2", "1,200 workers", "model", "workers who left"),
    ]


def test_duplicate_figures_are_removed() -> None:
    figures = [FigureAnswer(text="40%"), FigureAnswer(text="40%")]
    digest = ground(answer(figures=figures), text=MONEY, evidence=evidence())
    assert len(digest.figures) == 1 and "Removed 1 duplicate figure (same text or span)." in digest.warnings


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("1", "date"),  # last digit of "August 21"
        ("5", "date"),  # last digit of "2015"
        ("21", "date"),  # the day of "August 21"
        ("2015", "date"),  # a year
    ],
)
def test_figure_inside_a_date_or_number_is_dropped(korea_text: str, written: str, reason: str) -> None:
    wrong = FigureAnswer(text=written, value=float(written))
    strict = ground(answer(figures=[wrong]), text=korea_text, evidence=find_evidence(korea_text))
    assert all(f.extracted_by == "rules" for f in strict.figures)
    assert any(f'"{written}"' in w and reason in w and "dropped" in w for w in strict.warnings)
    lenient = ground(answer(figures=[wrong]), text=korea_text, evidence=find_evidence(korea_text), lenient=True)
    assert [(f.text, f.grounding) for f in lenient.figures if f.extracted_by == "model"] == [(written, "unmatched")]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Prices rose 1.5 points.", "5"),  # after a decimal point
        ("Some 1,500 people came.", "500"),  # after a thousands separator
        ("Users of IE6 and COVID-19 cases.", "19"),  # glued to a word
        ("He named 3 of them.", "3"),  # bare and tiny: no unit or counted noun
    ],
)
def test_figure_aligns_only_to_whole_plausible_numbers(text: str, written: str) -> None:
    digest = ground(answer(figures=[FigureAnswer(text=written)]), text=text, evidence=evidence())
    assert digest.figures == [] and any(f'"{written}"' in w for w in digest.warnings)


def test_bare_figure_that_is_not_tiny_is_kept() -> None:
    text = "At least 107 died in the crash."
    digest = ground(answer(figures=[FigureAnswer(text="107")]), text=text, evidence=evidence())
    assert [(f.text, f.start, f.grounding) for f in digest.figures] == [("107", text.index("107"), "exact")]


def test_figure_prefers_the_rule_figure_with_its_number() -> None:
    text = "About 36 of them ran. Then 36 shells fell near the 21 posts."
    shells = figure_candidate(text, "F1", "36 shells")
    digest = ground(answer(figures=[FigureAnswer(text="36")]), text=text, evidence=evidence(figures=(shells,)))
    assert figures_of(digest) == [("36 shells", 36.0, "exact", "model")]


def test_korea_model_figures_keep_only_real_ones(korea_text: str) -> None:
    figures = [FigureAnswer(text=t) for t in ("1", "5", "48", "80 people")]
    digest = ground(answer(figures=figures), text=korea_text, evidence=find_evidence(korea_text))
    model = [(f.text, f.grounding) for f in digest.figures if f.extracted_by == "model"]
    assert model == [("48 hours", "exact"), ("80 people", "exact")]
    assert_grounded(digest, korea_text)


# --------------------------------------------------------------------------
# ground(): short or fragmentary model passages
# --------------------------------------------------------------------------


def test_one_word_model_quote_is_not_grounded(korea_text: str) -> None:
    the = QuoteAnswer(text="the", speaker="KCNA")
    strict = ground(answer(quotes=[the]), text=korea_text, evidence=find_evidence(korea_text))
    assert all(q.extracted_by == "rules" for q in strict.quotes)
    assert any("too short" in w and '"the"' in w and "dropped" in w for w in strict.warnings)
    lenient = ground(answer(quotes=[the]), text=korea_text, evidence=find_evidence(korea_text), lenient=True)
    assert [(q.text, q.grounding) for q in lenient.quotes if q.extracted_by == "model"] == [("the", "unmatched")]


def test_fragment_of_a_rule_quote_does_not_take_it_over(korea_text: str) -> None:
    found_evidence = find_evidence(korea_text)
    rules_only = ground(answer(), text=korea_text, evidence=found_evidence)
    war = QuoteAnswer(text="war", speaker="Kim Jong-un")
    digest = ground(answer(quotes=[war]), text=korea_text, evidence=found_evidence)
    assert [(q.text, q.speaker, q.extracted_by) for q in digest.quotes] == [(q.text, q.speaker, q.extracted_by) for q in rules_only.quotes]


def test_short_model_quote_stays_its_own_span_beside_the_rule_quote() -> None:
    text = "Critics said “the plan will ruin the farms of the valley” on Monday. Ann Lee agreed."
    candidate = quote_candidate(text, "Q1", "the plan will ruin the farms of the valley", speaker="Critics")
    digest = ground(answer(quotes=[QuoteAnswer(text="the valley", speaker="Ann Lee")]), text=text, evidence=evidence(quotes=(candidate,)))
    assert [(q.text, q.extracted_by) for q in digest.quotes] == [(candidate.text, "rules")]
    three = ground(answer(quotes=[QuoteAnswer(text="of the valley", speaker="Ann Lee")]), text=text, evidence=evidence(quotes=(candidate,)))
    assert [(q.text, q.speaker, q.extracted_by) for q in three.quotes] == [
        (candidate.text, "Critics", "rules"),
        ("of the valley", "Ann Lee", "model"),
    ]
    # Most of the rule quote, no speaker: the model's span is the quote, the rule passage its context and speaker.
    most = ground(answer(quotes=[QuoteAnswer(text="the plan will ruin the farms")]), text=text, evidence=evidence(quotes=(candidate,)))
    assert [(q.text, q.speaker, q.extracted_by) for q in most.quotes] == [("the plan will ruin the farms", "Critics", "model")]
    assert most.quotes[0].context is not None and most.quotes[0].context.text == candidate.text


def test_short_quote_equal_to_a_rule_quote_is_grounded() -> None:
    text = "He called it “a disaster” twice."
    candidate = quote_candidate(text, "Q1", "a disaster", speaker="He")
    digest = ground(answer(quotes=[QuoteAnswer(text="“a disaster”")]), text=text, evidence=evidence(quotes=(candidate,)))
    assert quotes_of(digest) == [("a disaster", "exact", "model")]


def test_direct_quote_in_the_narration_becomes_indirect() -> None:
    text = "The minister said the talks would resume next week. She added: “We are ready to sign the deal.”"
    quotes = [QuoteAnswer(text="the talks would resume next week"), QuoteAnswer(text="We are ready to sign")]
    digest = ground(answer(quotes=quotes), text=text, evidence=evidence())
    assert [(q.text, q.kind) for q in digest.quotes] == [("the talks would resume next week", "indirect"), ("We are ready to sign", "direct")]


@pytest.mark.parametrize("passage", ["x", "ar", "the war"])
def test_short_stance_evidence_is_left_empty(korea_text: str, passage: str) -> None:
    stance = StanceAnswer(holder="North Korea", target="South Korea", polarity="opposes", evidence=passage)
    digest = ground(answer(stances=[stance]), text=korea_text, evidence=find_evidence(korea_text))
    assert [s.evidence for s in digest.stances] == [None]
    assert any("too short" in w and f'"{passage}"' in w for w in digest.warnings)


def test_check_answer_asks_for_longer_quotes() -> None:
    problems = check_answer(answer(quotes=[QuoteAnswer(text="the")]), text=SPEECH, evidence=evidence())
    assert problems == ['The quote "the" is too short to locate; copy at least 3 words or use a listed Q number.']


# --------------------------------------------------------------------------
# ground(): speakers
# --------------------------------------------------------------------------


@pytest.mark.parametrize("lenient", [False, True])
def test_invented_speaker_falls_back_to_the_rule_speaker(korea_text: str, lenient: bool) -> None:
    quote = QuoteAnswer(text="Foolhardy provocation deserves harsh punishment", speaker="Pyongyang Times")
    digest = ground(answer(quotes=[quote]), text=korea_text, evidence=find_evidence(korea_text), lenient=lenient)
    (model,) = [q for q in digest.quotes if q.extracted_by == "model"]
    assert model.speaker == "Korean Central News Agency"
    assert any('"Pyongyang Times"' in w and "Korean Central News Agency" in w for w in digest.warnings)


def test_invented_speaker_without_a_rule_speaker_is_removed() -> None:
    digest = ground(answer(quotes=[QuoteAnswer(text="We will not back down", speaker="Pyongyang Times")]), text=SPEECH, evidence=evidence())
    assert [q.speaker for q in digest.quotes] == [None]
    assert digest.warnings == ['Speaker "Pyongyang Times" is not named in the article; the quote is kept without a speaker']


def test_quote_without_speaker_takes_the_overlapping_rule_speaker() -> None:
    text = "Critics said “the plan will ruin the farms of the valley” on Monday."
    candidate = quote_candidate(text, "Q1", "the plan will ruin the farms of the valley", speaker="Critics")
    digest = ground(answer(quotes=[QuoteAnswer(text="of the valley")]), text=text, evidence=evidence(quotes=(candidate,)))
    assert {(q.text, q.speaker) for q in digest.quotes} == {(candidate.text, "Critics"), ("of the valley", "Critics")}


# --------------------------------------------------------------------------
# ground(): actors and stances
# --------------------------------------------------------------------------

SEEDLIKE = (
    "Ayatollah Ali Khamenei met the Emir of Qatar Sheikh Tamim bin Hamad Al Thani in Tehran. "
    "Ayatollah Seyyed Ali Khamenei said ties matter. Qatar’s leader also met Masoud Pezeshkian. "
    "Khamenei said “expanding ties remains the definite policy”. The Emir agreed. Mr. Pezeshkian smiled."
)


def actors_of(digest: object) -> list[tuple[str, str, list[str]]]:
    return [(a.id, a.name, [m.text for m in a.mentions]) for a in digest.actors]  # type: ignore[attr-defined]


def test_aliases_given_as_separate_actors_are_merged() -> None:
    actors = [
        ActorAnswer(name="Ayatollah Ali Khamenei", kind="person", role="Ayatollah"),
        ActorAnswer(name="Ayatollah Seyyed Ali Khamenei", kind="person"),
        ActorAnswer(name="Khamenei", kind="person"),
        ActorAnswer(name="Sheikh Tamim bin Hamad Al Thani", kind="person", aliases=["the Emir", "Qatar's leader"]),
        ActorAnswer(name="the Emir", kind="person"),
        ActorAnswer(name="Masoud Pezeshkian", kind="person"),
    ]
    digest = ground(answer(actors=actors), text=SEEDLIKE, evidence=evidence())
    assert actors_of(digest) == [
        ("a1", "Ayatollah Seyyed Ali Khamenei", ["Ayatollah Ali Khamenei", "Ayatollah Seyyed Ali Khamenei", "Khamenei"]),
        ("a2", "Sheikh Tamim bin Hamad Al Thani", ["the Emir", "Sheikh Tamim bin Hamad Al Thani", "Qatar’s leader", "The Emir"]),
        ("a3", "Masoud Pezeshkian", ["Masoud Pezeshkian", "Pezeshkian"]),
    ]
    khamenei = digest.actors[0]
    assert khamenei.role == "Ayatollah" and set(khamenei.aliases) == {"Ayatollah Ali Khamenei", "Khamenei"}
    assert "Pezeshkian" in digest.actors[2].aliases
    assert_grounded(digest, SEEDLIKE)


def test_a_name_inside_two_different_names_is_not_merged() -> None:
    text = "Sheikh Tamim bin Hamad Al Thani and Sheikh Hamad bin Khalifa Al Thani; the Al Thani family."
    actors = [ActorAnswer(name=n, kind="person") for n in ("Sheikh Tamim bin Hamad Al Thani", "Sheikh Hamad bin Khalifa Al Thani", "Al Thani")]
    digest = ground(answer(actors=actors), text=text, evidence=evidence())
    assert [a.name for a in digest.actors] == ["Sheikh Tamim bin Hamad Al Thani", "Sheikh Hamad bin Khalifa Al Thani", "Al Thani"]
    assert [m.text for m in digest.actors[2].mentions] == ["Al Thani"]


def test_actor_never_mentioned_is_dropped_with_a_warning() -> None:
    actors = [ActorAnswer(name="Saudi Arabia", kind="country"), ActorAnswer(name="Qatar", kind="country")]
    digest = ground(answer(actors=actors), text=SEEDLIKE, evidence=evidence())
    assert [a.name for a in digest.actors] == ["Qatar"]
    assert digest.warnings == ['Actor "Saudi Arabia" is not mentioned in the article; dropped.']
    lenient = ground(answer(actors=actors), text=SEEDLIKE, evidence=evidence(), lenient=True)
    assert [(a.id, a.name, len(a.mentions)) for a in lenient.actors] == [("a1", "Qatar", 2), ("a2", "Saudi Arabia", 0)]


def test_rule_names_left_out_are_added_and_affiliations_linked() -> None:
    tehran = NameCandidate(ref="N1", name="Tehran", kind="other", mentions=(span(SEEDLIKE, "Tehran"),))
    khamenei = NameCandidate(ref="N2", name="Khamenei", kind="person", mentions=(span(SEEDLIKE, "Khamenei", 2),))
    actors = [
        ActorAnswer(name="Ali Khamenei", kind="person", affiliation="Iran"),
        ActorAnswer(name="Emir of Qatar", kind="person", affiliation="Qatar"),
        ActorAnswer(name="Qatar", kind="country"),
    ]
    digest = ground(answer(actors=actors), text=SEEDLIKE, evidence=evidence(names=(tehran, khamenei)))
    by_name = {a.name: a for a in digest.actors}
    assert by_name["Tehran"].extracted_by == "rules" and by_name["Ali Khamenei"].extracted_by == "model"
    assert "Khamenei" not in by_name
    assert by_name["Emir of Qatar"].affiliation == by_name["Qatar"].id
    assert by_name["Ali Khamenei"].affiliation is None
    assert [a.id for a in digest.actors] == [f"a{n}" for n in range(1, len(digest.actors) + 1)]
    assert [a.mentions[0].start for a in digest.actors] == sorted(a.mentions[0].start for a in digest.actors)


def test_longer_names_claim_their_mentions_first() -> None:
    text = "Qatar Airways flew to Qatar."
    actors = [ActorAnswer(name="Qatar", kind="country"), ActorAnswer(name="Qatar Airways", kind="organization")]
    digest = ground(answer(actors=actors), text=text, evidence=evidence())
    assert actors_of(digest) == [("a1", "Qatar Airways", ["Qatar Airways"]), ("a2", "Qatar", ["Qatar"])]


def test_stances_link_actors_and_ground_evidence() -> None:
    actors = [ActorAnswer(name="Ayatollah Ali Khamenei", kind="person"), ActorAnswer(name="Qatar", kind="country")]
    stances = [
        StanceAnswer(holder="Khamenei", target="Qatar", polarity="supports", evidence="expanding ties remains the “definite policy”"),
        StanceAnswer(holder="Qatar", target="Israel", polarity="opposes", evidence="Qatar condemned Israel"),
    ]
    digest = ground(answer(actors=actors, stances=stances), text=SEEDLIKE, evidence=evidence())
    (first,) = digest.stances  # the second names "Israel", which the article never does
    assert (first.holder_id, first.target_id) == ("a1", "a2")
    assert first.evidence is not None and first.evidence.text == "expanding ties remains the definite policy"
    assert any("Qatar condemned Israel" in w for w in digest.warnings)
    assert any("Israel" in w and "dropped" in w for w in digest.warnings)
    lenient = ground(answer(actors=actors, stances=stances), text=SEEDLIKE, evidence=evidence(), lenient=True)
    assert (lenient.stances[1].holder_id, lenient.stances[1].target_id, lenient.stances[1].evidence) == ("a2", None, None)
    assert_grounded(digest, SEEDLIKE)


# --------------------------------------------------------------------------
# The hostile SmolLM2 answer for the seed article
# --------------------------------------------------------------------------

INVENTED = "Saudi Arabia will increase its spending by more than 10% of its oil revenue"


def smollm2_answer() -> DigestAnswer:
    """A fixture in the style of SmolLM2-135M's answer: an invented actor and one invented quote, eight times."""
    return answer(
        actors=[
            ActorAnswer(name="Iran", kind="country"),
            ActorAnswer(name="Saudi Arabia", kind="country"),
            ActorAnswer(name="Ayatollah Ali Khamenei", kind="person", aliases=["Khamenei", "Ayatollah Seyyed Ali Khamenei"]),
            ActorAnswer(name="Sheikh Tamim bin Hamad Al Thani", kind="person", aliases=["the Emir", "Qatar's leader"]),
        ],
        quotes=[QuoteAnswer(text=INVENTED, speaker="Saudi Arabia")] * 8,
        figures=[FigureAnswer(text="10%", value=10, kind="percent"), FigureAnswer(text="$6 billion", value=6e9, kind="money")],
    )


def test_hostile_answer_for_the_seed_article(seed_text: str) -> None:
    digest = ground(smollm2_answer(), text=seed_text, evidence=find_evidence(seed_text))
    assert "Saudi Arabia" not in {a.name for a in digest.actors}
    assert all("10% of its oil revenue" not in q.text for q in digest.quotes)
    assert all(q.extracted_by == "rules" for q in digest.quotes) and digest.quotes
    assert [f.text for f in digest.figures] == ["$6 billion"]
    assert 'Actor "Saudi Arabia" is not mentioned in the article; dropped.' in digest.warnings
    assert sum("oil revenue" in w for w in digest.warnings) == 1
    assert "Removed 7 duplicate quotes (same text or span, or inside another quote of the same speaker)." in digest.warnings
    assert any('"10%"' in w for w in digest.warnings)
    khamenei = next(a for a in digest.actors if "Khamenei" in a.name)
    # The model's name wins; its longer alias stays an alias (an alias never renames an actor).
    assert khamenei.name == "Ayatollah Ali Khamenei" and "Ayatollah Seyyed Ali Khamenei" in khamenei.aliases and len(khamenei.mentions) >= 5
    assert_grounded(digest, seed_text)


def test_check_answer_names_what_to_fix(seed_text: str) -> None:
    problems = check_answer(smollm2_answer(), text=seed_text, evidence=find_evidence(seed_text))
    assert len(problems) == 2
    assert "oil revenue" in problems[0] and "10%" in problems[1]


def test_check_answer_flags_unknown_refs_and_accepts_a_good_answer() -> None:
    candidate = quote_candidate(SPEECH, "Q1", "a disaster")
    bad = answer(quotes=[QuoteAnswer(ref="Q9"), QuoteAnswer()], figures=[FigureAnswer(ref="F3")])
    assert check_answer(bad, text=SPEECH, evidence=evidence(quotes=(candidate,))) == [
        "Q9 is not a listed quote candidate; use a listed Q number or copy the quote's words.",
        "A quote has neither a ref nor text; give one or leave the quote out.",
        "F3 is not a listed figure candidate; use a listed F number or copy the figure as written.",
    ]
    good = answer(quotes=[QuoteAnswer(ref="Q1"), QuoteAnswer(text="The budget is fair and it is final")], figures=[FigureAnswer(text="40%")])
    assert check_answer(good, text=SPEECH + " 40% fell.", evidence=evidence(quotes=(candidate,))) == []


# --------------------------------------------------------------------------
# The GUM corpus: every gold quote, given as a model would, is grounded verbatim
# --------------------------------------------------------------------------


def test_every_gum_gold_quote_grounds_to_its_own_text(gum_articles: dict[str, dict]) -> None:
    gold_lines = (GUM_GOLD).read_text(encoding="utf-8").splitlines()
    grounded, missed = 0, []
    for gold in map(json.loads, gold_lines):
        text = gum_articles[gold["id"]]["text"]
        quotes = [QuoteAnswer(text=q["text"], speaker=q["speaker"]) for q in gold["quotes"]]
        digest = ground(answer(quotes=quotes), text=text, evidence=evidence())
        assert_grounded(digest, text)
        found_texts = {q.text for q in digest.quotes}
        for quote in gold["quotes"]:
            if trim(quote["text"]) in found_texts:
                grounded += 1
            else:
                missed.append(quote["text"])
    # Without rule candidates too: one- and two-word quotes ("dangerous", "for months") ground when they are whole quoted phrases.
    assert (grounded, missed) == (83, ["maritime procedure."])  # not in quote marks in the article: two words could be anywhere


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(alphabet=st.characters(max_codepoint=127), max_size=40), st.text(max_size=40)))
def test_folding_takes_shortcuts_to_the_same_result(text: str) -> None:
    # ASCII text skips the rewrites that cannot apply; other text skips normalise()'s offset map.
    reference = "".join(c for c in unicodedata.normalize("NFKD", normalise(text).casefold()) if not unicodedata.combining(c))
    assert fold(text) == reference


# --------------------------------------------------------------------------
# Every occurrence of a name: looked up among the whole-word starts, as the scan finds them
# --------------------------------------------------------------------------

_FIND_ALL_PIECES = st.sampled_from(
    [
        "Anna",
        "Ann",
        "Keller",
        "anna",
        "Kel",
        "_",
        "1",
        "20",
        " ",
        "  ",
        "\n",
        "\u00a0",
        "\u200b",
        "\u00ad",
        "“",
        "”",
        "’",
        "'",
        "—",
        "…",
        ".",
        ",",
        "(",
        "中",
        "ب",
        "é",
        "e\u0301",
        "Zoë",
    ]
)


def scanned(aligner: TextAligner, needle: str) -> list[tuple[int, int]]:
    """The plain definition of find_all: the normalised text scanned for the needle from its start."""
    key = normalise(trim(needle))
    return aligner._normalised_spans(key, 0, _MAX_OCCURRENCES, overlapping=False)


@settings(max_examples=400, deadline=None)
@given(st.lists(_FIND_ALL_PIECES, max_size=40), st.lists(_FIND_ALL_PIECES, min_size=1, max_size=4))
def test_find_all_finds_what_the_scan_finds(pieces: list[str], needle_pieces: list[str]) -> None:
    text, needle = "".join(pieces), "".join(needle_pieces)
    aligner = TextAligner(text)
    found = [(hit.start, hit.end) for hit in aligner.find_all(needle)]
    assert found == scanned(aligner, needle)
    assert all(normalise(text[start:end]) == normalise(trim(needle)) for start, end in found)


def test_find_all_looks_names_up_instead_of_scanning_the_text_for_each(monkeypatch: pytest.MonkeyPatch) -> None:
    # A long article read in chunks has thousands of model actors, each looked for in all of the text.
    text = " ".join(f"“{name}” met {name}’s aide, not {name}son, and a_{name}." for name in ("Anna Keller", "Boris Novak", "Zoë Moreau") * 50)
    aligner = TextAligner(text)
    expected = {name: scanned(aligner, name) for name in ("Anna Keller", "Novak", "Zoë Moreau", "Keller’s", "aide")}
    scans: list[str] = []
    scan = TextAligner._normalised_spans

    def counted(self: TextAligner, key: str, *args: object, **kwargs: object) -> list[tuple[int, int]]:
        scans.append(key)
        return scan(self, key, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(TextAligner, "_normalised_spans", counted)
    assert {name: [(hit.start, hit.end) for hit in aligner.find_all(name)] for name in expected} == expected
    assert len(expected["Anna Keller"]) == 150 and not scans, "names starting with a letter are looked up, not scanned for"
    assert aligner.find_all(", not") and scans == [", not"], "a needle opening with punctuation is scanned for"


def folded_plainly(text: str) -> str:
    """fold()'s definition: normalised, casefolded, decomposed, every combining mark dropped."""
    casefolded = _REWRITE.sub(_typography_replacement, unicodedata.normalize("NFC", text)).casefold()
    return "".join(char for char in unicodedata.normalize("NFKD", casefolded) if not unicodedata.combining(char))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZ 1_\t\n\u00a0\u200b“”’—…éèe\u0301\u0301ßİﬁⅫ²中ب\u0651Zoë\U0001f600"), max_size=40))
def test_fold_is_its_plain_definition(text: str) -> None:
    assert fold(text) == folded_plainly(text)


# --------------------------------------------------------------------------
# What is derived from all of an article's candidates is derived once, not per model item
# --------------------------------------------------------------------------


def test_lookups_over_an_articles_candidates_are_built_once_per_tuple() -> None:
    built: list[int] = []

    @passages_module.per_article
    def count(candidates: Sequence[int]) -> int:
        built.append(1)
        return len(candidates)

    article = (1, 2, 3)
    assert count(article) == count(article) == 3 and len(built) == 1, "the same tuple: built once"
    assert count(tuple([1, 2, 3])) == 3 and len(built) == 2, "another tuple, equal or not, is another article's"
    assert count([1, 2]) == count([1, 2]) == 2 and len(built) == 4, "a list may change: never kept"
    others = [tuple(range(n)) for n in range(passages_module._ARTICLES_KEPT)]
    for other in others:
        count(other)
    built.clear()
    count(article)
    assert built, "only the last articles are kept"


def _record_calls(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[str]:
    """The texts each call of ``module.name`` (a one-text function) is given, from now on."""
    calls: list[str] = []
    real = getattr(module, name)

    def recorded(text: str) -> str:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(module, name, recorded)
    return calls


def test_a_long_articles_chunks_are_checked_without_reading_all_its_candidates_again(monkeypatch: pytest.MonkeyPatch) -> None:
    text = " ".join(f'"We will build {n} schools," said Minister Keller on day {n}.' for n in range(60))
    found = find_evidence(text)
    normalised = _record_calls(monkeypatch, passages_module, "normalise")
    digits = _record_calls(monkeypatch, figures_module, "digits_of")
    chunk = answer(quotes=[QuoteAnswer(text="Minister Keller")], figures=[FigureAnswer(text="7 schools", describes="schools")])
    problems = [check_answer(chunk, text=text, evidence=found) for _ in range(5)]
    assert len(found.quotes) >= 50 and all(p == problems[0] for p in problems)
    assert len(normalised) <= len(found.quotes) + 5, "the rule quotes are normalised for the first chunk only"
    assert len(found.figures) >= 50 and len(digits) <= len(found.figures) + 10, "the rule figures are read by digits for the first chunk only"
    assert digest_module._quote_refs(found.quotes) is digest_module._quote_refs(found.quotes), "the listed numbers are gathered once"
    assert digest_module._figure_refs(found.figures) is digest_module._figure_refs(found.figures)
