"""The default digest: model text checked before it is shown, key points grounded, stances found in the text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer import Summarizer, summarize
from summarizer.grounding import checked_summary
from summarizer.grounding.alignment import WORD, fold
from summarizer.grounding.summary import _NUMBER, ArticleFacts
from summarizer.rules import body_sentences, find_evidence

GUM = Path(__file__).resolve().parent / "data" / "gum-news" / "articles.jsonl"
TEXT = (
    "The Northbridge council approved a $12 million budget on Tuesday, council member Ana Ruiz said.\n\n"
    'Ruiz told reporters that "this budget keeps every library open" and thanked the mayor.\n\n'
    "The budget rises by 4% over last year. Critics on the council condemned Mayor Tom Hill for the delay.\n\n"
    "The vote was 7 to 2. Hill praised Ruiz after the vote, and the council backed Hill on the schools plan."
)


def facts() -> ArticleFacts:
    return ArticleFacts(TEXT, summarize(TEXT, use_llm=False).actors)


@pytest.mark.parametrize(
    ("sentence", "missing"),
    [
        ("The council approved a budget of $12m.", []),  # "$12m" = "$12 million", by value
        ("The council approved 12 million dollars on Tuesday.", []),
        ("The budget rises by 4 percent.", []),
        ("The council approved a $15 million budget.", ["$15 million"]),
        ("The budget was passed on July 21, 2017.", ["21", "2017", "july"]),
        ("Governor Jane Smith praised Ruiz.", ["Jane", "Smith"]),  # the first word of a sentence is no sign of a name
        ("The council met on Friday.", ["friday"]),
        ("The vote was close, Ruiz said.", []),
        ("The council thanked Ana Ruiz’s team and Tom Hill-Smith.", ["Hill-Smith"]),  # a hyphenated name: each part must be there
    ],
)
def test_what_a_model_sentence_claims_must_be_in_the_article(sentence: str, missing: list[str]) -> None:
    assert facts().unsupported(sentence) == missing


def test_unsupported_sentences_are_dropped_with_a_warning_and_the_lead_stands_in_when_none_survives() -> None:
    evidence = find_evidence(TEXT)
    actors = summarize(TEXT, use_llm=False).actors
    mixed = checked_summary(
        "The council approved a $12 million budget. It was passed on July 21, 2017.",
        [],
        text=TEXT,
        title=None,
        evidence=evidence,
        actors=actors,
        use_model=True,
    )
    assert (mixed.text, mixed.source) == ("The council approved a $12 million budget.", "model")
    assert any("does not have 21, 2017, july" in w and "July 21, 2017" in w for w in mixed.warnings)
    invented = checked_summary("Governor Jane Smith vetoed it in 2019.", [], text=TEXT, title=None, evidence=evidence, actors=actors, use_model=True)
    assert invented.source == "lead" and invented.text.startswith("The Northbridge council approved")


@pytest.mark.parametrize("summary", ["x " * 500, "Lorem ipsum dolor amet consectetur.", "The the the of to."])
def test_a_summary_sharing_no_words_with_the_article_falls_back_to_the_lead(summary: str) -> None:
    result = checked_summary(summary, [], text=TEXT, title=None, evidence=find_evidence(TEXT), actors=(), use_model=True)
    assert result.source == "lead" and result.text.startswith("The Northbridge council approved")
    assert any("shares too few words with the article" in w for w in result.warnings), result.warnings


def test_a_summary_in_other_words_than_the_articles_is_kept_when_half_its_words_are_there() -> None:
    result = checked_summary(
        "The council passed its budget, with critics unhappy.", [], text=TEXT, title=None, evidence=find_evidence(TEXT), actors=(), use_model=True
    )
    assert result.source == "model" and not result.warnings


def test_the_articles_own_sentences_pass_the_check() -> None:
    """Hyphenated names ("Jong-un"), possessives ("Thomas'") and contractions ("I’m") are the article's words too."""
    for line in GUM.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        digest = summarize(record["text"], use_llm=False, title=record.get("title"))
        facts = ArticleFacts(digest.article.text or "", digest.actors)
        assert [s for s in [digest.summary.text, *digest.summary.key_points] if facts.unsupported(s)] == [], record["id"]


def test_every_digest_has_three_to_five_grounded_key_points() -> None:
    for line in GUM.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        digest = summarize(record["text"], use_llm=False, title=record.get("title"))
        text = digest.article.text or ""
        assert 3 <= len(digest.summary.points) <= 5, record["id"]
        assert digest.summary.key_points == [p.text for p in digest.summary.points]
        for point in digest.summary.points:
            assert point.spans and all(text[s.start : s.end] == s.text for s in point.spans)
        lead = digest.summary.text
        assert not any(p.text in lead for p in digest.summary.points), "a key point repeats the summary"


def test_a_model_key_point_keeps_its_wording_and_gets_the_sentences_that_support_it() -> None:
    evidence = find_evidence(TEXT)
    result = checked_summary("", ["Ruiz said the budget keeps every library open."], text=TEXT, title=None, evidence=evidence, actors=(), use_model=True)
    first = result.points[0]
    assert (first.text, first.extracted_by) == ("Ruiz said the budget keeps every library open.", "model")
    assert [s.text for s in first.spans][0].startswith("Ruiz told reporters")


def test_without_the_model_summary_the_lead_stands_and_the_models_checked_sentences_become_key_points() -> None:
    evidence = find_evidence(TEXT)
    result = checked_summary(
        "The council approved a $12 million budget. Governor Jane Smith vetoed it.",
        ["Ruiz said the budget keeps every library open."],
        text=TEXT,
        title=None,
        evidence=evidence,
        actors=summarize(TEXT, use_llm=False).actors,
        use_model=True,
        model_summary=False,
    )
    assert (result.source, result.text) == ("lead", summarize(TEXT, use_llm=False).summary.text)
    assert [(p.text, p.extracted_by) for p in result.points][:2] == [
        ("The council approved a $12 million budget.", "model"),  # the summary's checked sentence, then the model's point
        ("Ruiz said the budget keeps every library open.", "model"),
    ]
    assert any("Jane, Smith" in w for w in result.warnings) and not any("stand in" in w for w in result.warnings)


def test_a_key_point_that_repeats_an_earlier_one_is_left_out() -> None:
    evidence = find_evidence(TEXT)
    result = checked_summary(
        "",
        ["The council approved a $12 million budget, Ruiz said.", "The council approved a $12 million budget.", "Critics condemned Mayor Tom Hill."],
        text=TEXT,
        title=None,
        evidence=evidence,
        actors=summarize(TEXT, use_llm=False).actors,
        use_model=True,
    )
    model_points = [p.text for p in result.points if p.extracted_by == "model"]
    assert model_points == ["The council approved a $12 million budget, Ruiz said.", "Critics condemned Mayor Tom Hill."]


def test_the_embedded_models_summary_never_replaces_the_lead_but_an_endpoints_does() -> None:
    # bench/bench_digest.py: the embedded model's checked summaries score below the lead; an endpoint's model is trusted with it.
    assert not Summarizer().settings.model_summary
    assert Summarizer(gguf="own.gguf").settings.model_summary
    assert Summarizer(base_url="http://127.0.0.1:9/v1", model="m").settings.model_summary


def stances(text: str) -> list[tuple[str, str, str]]:
    return [(s.holder, s.polarity, s.target) for s in summarize(text, use_llm=False).stances]


def test_stances_found_in_the_text() -> None:
    found = stances(TEXT)
    assert (
        ("Tom Hill", "supports", "Ana Ruiz") in found
        or ("Hill", "supports", "Ana Ruiz") in found
        or any(h.endswith("Hill") and p == "supports" for h, p, _ in found)
    )
    assert all(s.extracted_by == "rules" and s.evidence is not None for s in summarize(TEXT, use_llm=False).stances)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Qatar and Iran back Hamas, officials said.", [("Qatar", "supports", "Hamas"), ("Iran", "supports", "Hamas")]),
        ("Doha continues to back Hamas in the war.", [("Qatar", "supports", "Hamas")]),
        ("Russia condemned Ukraine for the strike on Monday.", [("Russia", "opposes", "Ukraine")]),
        ("Iran considers Doha a “friendly and brotherly country.”", [("Iran", "supports", "Qatar")]),
        ("Iran says the US is the main obstacle to releasing the funds.", [("Iran", "opposes", "United States")]),
        ("Turkey and Qatar are now the main Hamas backers in the region.", [("Turkey", "supports", "Hamas"), ("Qatar", "supports", "Hamas")]),
    ],
)
def test_stance_patterns(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert sorted(stances(text)) == sorted(expected)


@pytest.mark.parametrize(
    "text",
    [
        "Qatar did not back Hamas in the war.",  # negated: never flipped, skipped
        "Qatar may back Hamas in the war.",  # hedged
        "Qatar would support Hamas if asked.",
        "The Boston Marathon backed up traffic in Boston.",  # no actor on either side
    ],
)
def test_negated_and_hedged_stances_are_skipped(text: str) -> None:
    assert stances(text) == []


def test_the_model_confirms_a_listed_stance_by_number_or_rejects_it() -> None:
    from summarizer.grounding import ground
    from summarizer.schema import DigestAnswer, StanceAnswer

    text = "Qatar and Iran back Hamas, officials said."
    evidence = find_evidence(text)
    assert [s.ref for s in evidence.stances] == ["S1", "S2"]
    confirmed = ground(DigestAnswer(summary="", stances=[StanceAnswer(ref="S1")]), text=text, evidence=evidence)
    assert [(s.holder, s.extracted_by) for s in confirmed.stances] == [("Qatar", "model"), ("Iran", "rules")]
    rejected = ground(DigestAnswer(summary="", rejected=["S2"]), text=text, evidence=evidence)
    assert [s.holder for s in rejected.stances] == ["Qatar"]


def test_the_default_embedded_settings_are_unchanged_by_the_checks() -> None:
    with Summarizer(use_llm=False) as rules:
        digest = rules.summarize(TEXT)
    assert digest.provenance.summary_source == "lead" and not any("dropped" in w for w in digest.provenance.warnings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hillary Clinton ally James Carville praised the plan on Monday.", ("James Carville", "supports", "Hillary Clinton")),
        ("Michelle Fields accused Donald Trump campaign manager Corey Lewandowski of grabbing her.", ("Michelle Fields", "opposes", "Corey Lewandowski")),
        ("Glenn Beck will endorse Donald Trump rival Sen. Ted Cruz at a rally.", ("Glenn Beck", "supports", "Ted Cruz")),
    ],
)
def test_a_title_or_an_apposition_points_at_the_person(text: str, expected: tuple[str, str, str]) -> None:
    assert stances(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Patrick told Cruz backers on Saturday that he was standing tall.",  # the audience's side, not the speaker's
        "Kasich says he can fend off his GOP rivals in the primaries.",  # rivals within the GOP
        "Sanders said Clinton was too friendly with Wall Street to be trusted.",  # "too friendly with": no side taken
    ],
)
def test_nouns_and_characterisations_that_take_no_side(text: str) -> None:
    assert stances(text) == []


# Pieces of text that stress the word pass: sentence ends, every kind of space, combining
# marks, zero-width characters, typography that folding rewrites, ligatures and case folding
# that change a word's length, ideographs, captions, datelines and headlines.
_PIECES = st.sampled_from(
    ["Iran", "said", "the", "Ünal", "STRASSE", "straße", "ﬁne", "İstanbul", "e\u0301", "\u0301", "漢字", "שלום", "4.5", "U.S.", "Mr.", "…", "—"]
    + [". ", "! ", "? ", '." ', "” ", " ", "\n", "\n\n", "\t", "\u00a0", "\u2028", "\u0085", "\u200b", "“", "’", "`", "Image: ", "WASHINGTON — "]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join), st.sampled_from([None, "Iran said", "the"]))
def test_the_articles_words_come_from_its_sentences_and_the_text_between_them(text: str, title: str | None) -> None:
    # The checks read the article's words from its body sentences and the rest: the same words as one pass over the whole text.
    shared = ArticleFacts(text, [], sentences=body_sentences(text, title=title), figures=[])
    assert shared.words == frozenset(WORD.findall(fold(text)))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["1", "23", "456", ",", "000", ".", "5", " ", "a", "_", "-", "$", "٣"]), max_size=20).map("".join))
def test_the_number_pattern_reads_what_its_plain_form_reads(text: str) -> None:
    plain = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.])\d+(?:\.\d+)?")  # the look-behind first: slower, same numbers
    assert [m.span() for m in _NUMBER.finditer(text)] == [m.span() for m in plain.finditer(text)]
