"""Tests for summarizer.evaluate: gold loading, matching rules case by case, scores."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.errors import ConfigurationError, InputError
from summarizer.evaluate import (
    FIELDS,
    EvalReport,
    FieldScore,
    GoldArticle,
    format_table,
    load_gold,
    load_predictions,
    normalise_name,
    score,
)
from summarizer.schema import (
    Actor,
    ActorKind,
    ArticleInfo,
    ArticleSummary,
    Figure,
    Grounding,
    Provenance,
    Quote,
    Span,
    Stance,
    Summary,
    Usage,
)

GUM = Path(__file__).parent / "data" / "gum-news"

# --------------------------------------------------------------------------
# Builders: hand-made predictions (fixtures, not model output)
# --------------------------------------------------------------------------


def summary(
    article_id: str = "a",
    *,
    text: str = "",
    actors: list[Actor] | None = None,
    quotes: list[Quote] | None = None,
    figures: list[Figure] | None = None,
    stances: list[Stance] | None = None,
    tokens: tuple[int, int] = (0, 0),
    latency: float = 0.0,
) -> ArticleSummary:
    return ArticleSummary(
        article=ArticleInfo(id=article_id, chars=len(text), sha256=hashlib.sha256(text.encode()).hexdigest(), text=text),
        summary=Summary(text="."),
        actors=actors or [],
        quotes=quotes or [],
        figures=figures or [],
        stances=stances or [],
        provenance=Provenance(
            model="hand-made",
            prompt_version="test",
            usage=Usage(prompt_tokens=tokens[0], completion_tokens=tokens[1]),
            latency_s=latency,
        ),
    )


def actor(name: str, *, aliases: list[str] | None = None, mentions: Sequence[tuple[int, int]] = (), id: str = "a1", kind: ActorKind = "person") -> Actor:
    return Actor(
        id=id,
        name=name,
        kind=kind,
        aliases=aliases or [],
        mentions=[Span(start=s, end=e, text="x" * (e - s)) for s, e in mentions],
    )


def quote(text: str, *, span: tuple[int, int] | None = None, speaker: str | None = None, speaker_id: str | None = None) -> Quote:
    start, end = span if span else (None, None)
    grounding: Grounding = "exact" if span else "unmatched"
    return Quote(id="q", text=text, speaker=speaker, speaker_id=speaker_id, start=start, end=end, grounding=grounding)


def figure(text: str, *, value: float | None = None, unit: str | None = None, span: tuple[int, int] | None = None) -> Figure:
    start, end = span if span else (None, None)
    return Figure(id="f", text=text, value=value, unit=unit, start=start, end=end, grounding="exact" if span else "unmatched")


def gold(**fields: Any) -> GoldArticle:
    return GoldArticle.model_validate({"id": "a", **fields})


def field_score(gold_article: GoldArticle, prediction: ArticleSummary, name: str, **options: Any) -> FieldScore:
    return score([gold_article], {gold_article.id: prediction}, **options).fields[name]


def write_jsonl(path: Path, records: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# --------------------------------------------------------------------------
# load_gold
# --------------------------------------------------------------------------


def test_load_gold_keeps_inline_text_and_absent_fields(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "g.jsonl", [{"id": "x", "text": "Hi there.", "quotes": [{"text": "there", "start": 3, "end": 8}]}])
    [article] = load_gold(path)
    assert article.text == "Hi there."
    assert article.quotes is not None and article.quotes[0].span == (3, 8)
    assert article.actors is None and article.figures is None and article.stances is None


def test_load_gold_joins_text_title_and_date_by_id(tmp_path: Path) -> None:
    gold_path = write_jsonl(tmp_path / "g.jsonl", [{"id": "x", "figures": [{"text": "5 km", "start": 0, "end": 4}]}])
    articles = write_jsonl(tmp_path / "a.jsonl", [{"id": "y", "text": "no"}, {"id": "x", "text": "5 km away", "title": "T"}])
    [article] = load_gold(gold_path, articles=articles)
    assert (article.text, article.title) == ("5 km away", "T")


def test_load_gold_without_text_or_articles_still_loads(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "g.jsonl", [{"id": "x", "quotes": [{"text": "hello", "start": 40, "end": 45}]}])
    assert load_gold(path)[0].text is None


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "b"', "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"text": "no id"}', "id"),
        ('{"id": "b", "quotes": [{"text": "q", "start": 1}]}', "both start and end"),
        ('{"id": "b", "quotes": [{"text": "q", "start": 5, "end": 2}]}', "after end"),
        ('{"id": "b", "stances": [{"holder": "A", "target": "B", "polarity": "loves"}]}', "polarity"),
        ('{"id": "b", "recall_only": ["qoutes"]}', "unknown recall_only"),
        ('{"id": "a"}', "duplicate id"),
        ('{"id": "b", "text": "abc", "quotes": [{"text": "abc", "start": 1, "end": 3}]}', "not at 1:3"),
    ],
)
def test_load_gold_reports_the_bad_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text('{"id": "a"}\n\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        load_gold(path)
    assert f"{path}:3:" in str(caught.value)


def test_load_gold_rejects_an_id_missing_from_the_articles_file(tmp_path: Path) -> None:
    gold_path = write_jsonl(tmp_path / "g.jsonl", [{"id": "x"}])
    articles = write_jsonl(tmp_path / "a.jsonl", [{"id": "y", "text": "t"}])
    with pytest.raises(InputError, match="'x' is not in"):
        load_gold(gold_path, articles=articles)


def test_load_gold_rejects_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_gold(tmp_path / "nope.jsonl")


def test_load_gold_rejects_a_file_with_no_gold_article(tmp_path: Path) -> None:
    """An empty gold file used to score nothing, print an empty table and exit 0, as if it passed."""
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n  \n", encoding="utf-8")
    with pytest.raises(InputError, match="holds no gold articles"):
        load_gold(gold)


def test_load_gold_reads_the_shipped_gum_gold() -> None:
    articles = load_gold(GUM / "gold.jsonl", articles=GUM / "articles.jsonl")
    assert len(articles) == 24
    assert all(a.text for a in articles)
    assert sum(len(a.actors or ()) for a in articles) == 578
    assert sum(len(a.quotes or ()) for a in articles) == 84
    assert sum(len(a.figures or ()) for a in articles) == 74


# --------------------------------------------------------------------------
# load_predictions
# --------------------------------------------------------------------------


def test_load_predictions_reads_batch_and_bare_lines(tmp_path: Path) -> None:
    ok = {"id": "one", "ok": True, "result": summary("one").model_dump(mode="json")}
    failed = {"id": "two", "ok": False, "error": {"type": "BackendError", "message": "down", "attempts": 3}}
    bare = summary("three").model_dump(mode="json")
    predictions = load_predictions(write_jsonl(tmp_path / "p.jsonl", [ok, failed, bare]))
    assert sorted(predictions) == ["one", "three"]
    assert predictions["three"].article.id == "three"


def test_load_predictions_reads_a_whole_json_document(tmp_path: Path) -> None:
    # What `summarize -o one.json` writes: one pretty-printed ArticleSummary.
    one = tmp_path / "one.out.json"
    one.write_text(summary("one").model_dump_json(indent=2), encoding="utf-8")
    assert list(load_predictions(one)) == ["one"]
    array = tmp_path / "many.json"
    array.write_text(json.dumps([summary("a").model_dump(mode="json"), {"id": "b", "ok": True, "result": summary("b").model_dump(mode="json")}], indent=2))
    assert sorted(load_predictions(array)) == ["a", "b"]
    array.write_text(json.dumps([summary("a").model_dump(mode="json"), 3]), encoding="utf-8")
    with pytest.raises(InputError, match=r"many.json\[1\]: expected a JSON object, got a number"):
        load_predictions(array)


def test_load_predictions_takes_the_last_line_of_a_repeated_id(tmp_path: Path) -> None:
    """The one rule of summarizer.results: a later line (a re-run) supersedes an earlier one."""
    first, second = summary("d"), summary("d", tokens=(5, 5))
    assert first != second
    failed_then_ok = [{"id": "d", "ok": False, "error": {"type": "BackendError", "message": "down"}}, second.model_dump(mode="json")]
    assert load_predictions(write_jsonl(tmp_path / "a.jsonl", [first.model_dump(mode="json"), second.model_dump(mode="json")]))["d"] == second
    assert load_predictions(write_jsonl(tmp_path / "b.jsonl", failed_then_ok))["d"] == second


def test_load_predictions_names_a_missing_file_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_predictions(tmp_path / "missing.jsonl")
    assert str(caught.value) == f"cannot read {tmp_path / 'missing.jsonl'}: No such file or directory; pass a result .json or a batch .jsonl file"


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ([{"id": "x", "ok": True, "result": {"article": {}}}], "article.id"),
        ([{"ok": True, "result": {}}], 'string "id"'),
        ([summary("d").model_dump(mode="json"), "not an object"], "expected a JSON object"),
    ],
)
def test_load_predictions_reports_the_bad_line(tmp_path: Path, records: list[Any], message: str) -> None:
    path = write_jsonl(tmp_path / "p.jsonl", records)
    with pytest.raises(InputError, match=message) as caught:
        load_predictions(path)
    assert f"{path}:{len(records)}" in str(caught.value)


# --------------------------------------------------------------------------
# actors
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Donald Trump", "donald trump"),
        ("President Donald Trump's", "donald trump"),
        ("Dr. José Núñez", "jose nunez"),
        ("Khaled Al-Maeena", "khaled al maeena"),
        ("John Baird (Canadian politician)", "john baird"),
        ("The New York Times", "new york times"),
        ("Emeritus Professor John Burrows", "john burrows"),
        ("President", "president"),
        ("Mecca’s", "mecca"),
    ],
)
def test_normalise_name(name: str, key: str) -> None:
    assert normalise_name(name) == key


def test_actor_matches_by_normalised_name() -> None:
    result = field_score(gold(actors=[{"name": "José Núñez"}]), summary(actors=[actor("Dr. Jose Nunez")]), "actors")
    assert (result.tp, result.fp, result.fn) == (1, 0, 0)


def test_actor_matches_by_gold_alias_and_by_predicted_alias() -> None:
    gold_article = gold(actors=[{"name": "United Nations", "aliases": ["UN"]}, {"name": "World Health Organization"}])
    prediction = summary(actors=[actor("UN", id="a1"), actor("The WHO", aliases=["World Health Organization"], id="a2")])
    assert field_score(gold_article, prediction, "actors").tp == 2


def test_actor_matches_a_gum_name_form_mention_but_not_a_pronoun() -> None:
    mentions = [
        {"text": "Lady Cassandra", "start": 0, "end": 14, "form": "name"},
        {"text": "she", "start": 20, "end": 23, "form": "pronoun"},
    ]
    gold_article = gold(actors=[{"name": "Cassandra O'Brien", "mentions": mentions}])
    assert field_score(gold_article, summary(actors=[actor("Cassandra")]), "actors").tp == 1
    assert field_score(gold_article, summary(actors=[actor("She")]), "actors").tp == 0


def test_actor_matches_by_overlapping_mention_when_names_differ() -> None:
    gold_article = gold(actors=[{"name": "Afghan Girls Robotics Team", "mentions": [{"text": "x" * 17, "start": 100, "end": 117}]}])
    near = summary(actors=[actor("Afghan team", mentions=[(104, 115)])])
    far = summary(actors=[actor("Afghan team", mentions=[(200, 211)])])
    assert field_score(gold_article, near, "actors").tp == 1
    assert field_score(gold_article, far, "actors").tp == 0


def test_actor_matching_is_one_to_one() -> None:
    prediction = summary(actors=[actor("Ann Lee", id="a1"), actor("Ann Lee", id="a2")])
    result = field_score(gold(actors=[{"name": "Ann Lee"}]), prediction, "actors")
    assert (result.tp, result.fp, result.fn) == (1, 1, 0)


def test_actor_matching_takes_the_best_pair_first() -> None:
    # "Devocht" is also a key of "Tom Devocht"; pairing in order would steal it.
    gold_article = gold(
        actors=[
            {"name": "Tom Devocht", "mentions": [{"text": "Devocht", "start": 0, "end": 7, "form": "name"}]},
            {"name": "Devocht"},
        ]
    )
    prediction = summary(actors=[actor("Devocht", id="a1"), actor("Tom Devocht", id="a2")])
    assert field_score(gold_article, prediction, "actors").tp == 2


def test_actor_kinds_are_scored_on_matched_pairs_with_a_place_met_by_country_or_other() -> None:
    gold_article = gold(
        actors=[
            {"name": "Ann Lee", "kind": "person"},
            {"name": "Qatar", "kind": "place"},
            {"name": "Houston", "kind": "place"},
            {"name": "NASA", "kind": "organization"},
            {"name": "Nobody Predicted", "kind": "person"},
        ]
    )
    prediction = summary(
        actors=[
            actor("Ann Lee", id="a1", kind="other"),
            actor("Qatar", id="a2", kind="country"),
            actor("Houston", id="a3", kind="other"),
            actor("NASA", id="a4", kind="organization"),
        ]
    )
    result = field_score(gold_article, prediction, "actor_kinds")
    assert (result.tp, result.fp, result.fn) == (3, 1, 1) and result.precision == result.recall == 0.75


def test_actor_kinds_are_not_reported_without_gold_kinds() -> None:
    report = score([gold(actors=[{"name": "Ann Lee"}])], {"a": summary(actors=[actor("Ann Lee")])})
    assert "actor_kinds" not in report.fields


# --------------------------------------------------------------------------
# quotes
# --------------------------------------------------------------------------

SEVEN = [f"quote number {n} says something new about topic {n}" for n in range(7)]


def test_removing_one_of_seven_quotes_gives_recall_six_sevenths() -> None:
    gold_article = gold(quotes=[{"text": text} for text in SEVEN])
    result = field_score(gold_article, summary(quotes=[quote(text) for text in SEVEN[:6]]), "quotes")
    assert result.recall == 6 / 7
    assert result.precision == 1.0


def test_quote_content_matches_at_jaccard_one_half() -> None:
    gold_article = gold(quotes=[{"text": "one two three four"}])
    half = summary(quotes=[quote("One, two!")])  # 2 shared / 4 in the union
    under = summary(quotes=[quote("one two three four five six seven eight nine")])  # 4/9
    assert field_score(gold_article, half, "quotes").tp == 1
    assert field_score(gold_article, under, "quotes").tp == 0


def test_quote_span_must_cover_half_of_the_gold_span() -> None:
    text = "He said: 'we go now'. Later: 'we go now'."
    gold_article = gold(text=text, quotes=[{"text": "we go now", "start": 10, "end": 19}])
    same_place = summary(quotes=[quote("we go now", span=(10, 19))])
    other_place = summary(quotes=[quote("we go now", span=(30, 39))])
    no_offsets = summary(quotes=[quote("we go now")])
    assert field_score(gold_article, same_place, "quotes").tp == 1
    assert field_score(gold_article, other_place, "quotes").tp == 0
    assert field_score(gold_article, no_offsets, "quotes").tp == 1


def test_exact_span_needs_identical_offsets() -> None:
    gold_article = gold(quotes=[{"text": "we go now", "start": 10, "end": 19}])
    off_by_one = summary(quotes=[quote("we go now.", span=(10, 20))])
    report = score([gold_article], {"a": off_by_one})
    assert report.fields["quotes"].tp == 1
    assert report.fields["quotes.exact_span"].tp == 0
    assert report.fields["quotes.exact_span"].fp == 1


def test_a_quotation_the_gold_cuts_into_sentences_is_scored_sentence_by_sentence() -> None:
    text = '"We learned a lot from this game today. It was a very emotional day for us all," the coach said.'
    first, second = "We learned a lot from this game today.", "It was a very emotional day for us all,"
    spans = [(text.index(first), text.index(first) + len(first)), (text.index(second), text.index(second) + len(second))]
    gold_article = gold(
        text=text,
        actors=[{"name": "Ann Lee"}],
        quotes=[{"text": words, "start": a, "end": b, "speaker": "Ann Lee"} for words, (a, b) in zip([first, second], spans, strict=True)],
    )
    whole = summary(quotes=[quote(text[spans[0][0] : spans[1][1]], span=(spans[0][0], spans[1][1]), speaker="Ann Lee")])
    report = score([gold_article], {"a": whole}, recall_only=["quotes"])
    assert (report.fields["quotes"].tp, report.fields["quotes.exact_span"].tp, report.fields["quote_speakers"].tp) == (2, 2, 2)


def test_no_cut_is_made_where_the_prediction_holds_words_between_two_gold_quotes() -> None:
    text = '"We learned a lot from this game today," she said, "and it was a very emotional day for us all."'
    first, second = "We learned a lot from this game today,", "and it was a very emotional day for us all."
    spans = [(text.index(first), text.index(first) + len(first)), (text.index(second), text.index(second) + len(second))]
    gold_article = gold(text=text, quotes=[{"text": words, "start": a, "end": b} for words, (a, b) in zip([first, second], spans, strict=True)])
    whole = summary(quotes=[quote(text[spans[0][0] : spans[1][1]], span=(spans[0][0], spans[1][1]))])
    # The tag "she said" is not quoted speech: the uncut prediction matches one gold quote at most.
    assert field_score(gold_article, whole, "quotes", recall_only=["quotes"]).tp <= 1


def test_exact_span_is_not_reported_without_gold_offsets() -> None:
    report = score([gold(quotes=[{"text": "we go now"}])], {"a": summary(quotes=[quote("we go now")])})
    assert "quotes.exact_span" not in report.fields


# --------------------------------------------------------------------------
# quote speakers
# --------------------------------------------------------------------------

NOORI = {"name": "Rodaba Noori", "mentions": [{"text": "Noori", "start": 50, "end": 55, "form": "name"}]}


def test_speaker_is_credited_through_a_name_form_mention() -> None:
    gold_article = gold(actors=[NOORI], quotes=[{"text": "we can build robots", "speaker": "Rodaba Noori"}])
    result = field_score(gold_article, summary(quotes=[quote("we can build robots", speaker="Noori")]), "quote_speakers")
    assert (result.tp, result.fp, result.fn) == (1, 0, 0)


def test_speaker_is_credited_through_the_predicted_speaker_id() -> None:
    gold_article = gold(actors=[{"name": "Rodaba Noori"}], quotes=[{"text": "we can build robots", "speaker": "Rodaba Noori"}])
    prediction = summary(
        actors=[actor("Rodaba Noori", aliases=["the student"], id="a7")],
        quotes=[quote("we can build robots", speaker="the student", speaker_id="a7")],
    )
    assert field_score(gold_article, prediction, "quote_speakers").tp == 1


def test_wrong_speaker_is_a_false_positive_and_a_false_negative() -> None:
    gold_article = gold(actors=[NOORI], quotes=[{"text": "we can build robots", "speaker": "Rodaba Noori"}])
    result = field_score(gold_article, summary(quotes=[quote("we can build robots", speaker="Donald Trump")]), "quote_speakers")
    assert (result.tp, result.fp, result.fn) == (0, 1, 1)


def test_speaker_on_an_unmatched_quote_is_not_credited() -> None:
    gold_article = gold(quotes=[{"text": "we can build robots", "speaker": "Rodaba Noori"}])
    result = field_score(gold_article, summary(quotes=[quote("something else entirely", speaker="Rodaba Noori")]), "quote_speakers")
    assert (result.tp, result.fp, result.fn) == (0, 1, 1)


def test_speaker_against_an_unknown_gold_speaker_is_not_judged() -> None:
    gold_article = gold(quotes=[{"text": "first words here", "speaker": "Ann Lee"}, {"text": "second words there"}])
    prediction = summary(quotes=[quote("first words here", speaker="Ann Lee"), quote("second words there", speaker="Bob")])
    result = field_score(gold_article, prediction, "quote_speakers")
    assert (result.tp, result.fp, result.fn) == (1, 0, 0)


# --------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("predicted", "matches"),
    [
        (figure("$6bn", value=6.02e9, unit="usd"), True),  # 0.33% off, unit casefolded
        (figure("$6bn", value=6.06e9, unit="USD"), False),  # 1% off
        (figure("6bn euros", value=6e9, unit="EUR"), False),
        (figure("6bn", value=6e9), False),
    ],
)
def test_figure_matches_by_value_within_half_a_percent_and_unit(predicted: Figure, matches: bool) -> None:
    gold_article = gold(figures=[{"text": "$6 billion", "value": 6e9, "unit": "USD"}])
    assert field_score(gold_article, summary(figures=[predicted]), "figures").tp == int(matches)


def test_figure_units_percent_words_and_plurals_agree() -> None:
    gold_article = gold(figures=[{"text": "40 percent", "value": 40, "unit": "%"}, {"text": "5 miles", "value": 5, "unit": "mile"}])
    prediction = summary(figures=[figure("40 per cent", value=40, unit="percent"), figure("5 miles", value=5, unit="Miles")])
    assert field_score(gold_article, prediction, "figures").tp == 2


def test_figure_without_value_matches_a_span_over_its_digits() -> None:
    gold_article = gold(figures=[{"text": "900 asylum seekers", "start": 5, "end": 23}])
    on_number = summary(figures=[figure("900", value=900, span=(5, 8))])
    on_noun = summary(figures=[figure("asylum", span=(9, 15))])
    assert field_score(gold_article, on_number, "figures").tp == 1
    assert field_score(gold_article, on_noun, "figures").tp == 0


def test_figure_without_value_or_offsets_matches_by_text() -> None:
    gold_article = gold(figures=[{"text": "Forty percent"}])
    assert field_score(gold_article, summary(figures=[figure("forty percent")]), "figures").tp == 1
    assert field_score(gold_article, summary(figures=[figure("forty")]), "figures").tp == 0


# --------------------------------------------------------------------------
# stances
# --------------------------------------------------------------------------


def stance(holder: str, target: str, polarity: str, *, holder_id: str | None = None) -> Stance:
    return Stance(holder=holder, holder_id=holder_id, target=target, polarity=polarity)  # type: ignore[arg-type]


def test_stance_matches_through_aliases_and_needs_the_same_polarity() -> None:
    gold_article = gold(
        actors=[{"name": "United Nations", "aliases": ["UN"]}, {"name": "Iran"}],
        stances=[{"holder": "United Nations", "target": "the sanctions", "polarity": "opposes"}],
    )
    via_alias = summary(stances=[stance("UN", "Sanctions", "opposes")])
    via_id = summary(actors=[actor("United Nations", id="a3")], stances=[stance("the body", "sanctions", "opposes", holder_id="a3")])
    wrong_polarity = summary(stances=[stance("UN", "sanctions", "supports")])
    wrong_holder = summary(stances=[stance("Iran", "sanctions", "opposes")])
    assert field_score(gold_article, via_alias, "stances").tp == 1
    assert field_score(gold_article, via_id, "stances").tp == 1
    assert field_score(gold_article, wrong_polarity, "stances").tp == 0
    assert field_score(gold_article, wrong_holder, "stances").tp == 0


# --------------------------------------------------------------------------
# recall-only, report, table
# --------------------------------------------------------------------------


def test_recall_only_option_drops_precision_and_f1() -> None:
    gold_article = gold(quotes=[{"text": "we go now", "start": 0, "end": 9, "speaker": "Ann"}])
    prediction = summary(quotes=[quote("we go now", span=(0, 9), speaker="Ann"), quote("extra words nobody marked")])
    report = score([gold_article], {"a": prediction}, recall_only={"quotes"})
    for name in ("quotes", "quotes.exact_span", "quote_speakers"):
        result = report.fields[name]
        assert result.recall_only and result.precision is None and result.f1 is None and result.fp == 0
        assert result.recall == 1.0
    assert field_score(gold_article, prediction, "quotes").precision == 0.5


def test_recall_only_per_gold_line_limits_precision_to_the_other_articles() -> None:
    marked = GoldArticle.model_validate({"id": "m", "quotes": [{"text": "alpha beta gamma"}]})
    incomplete = GoldArticle.model_validate({"id": "i", "quotes": [], "recall_only": ["quotes"]})
    predictions = {
        "m": summary("m", quotes=[quote("alpha beta gamma"), quote("wrong words here")]),
        "i": summary("i", quotes=[quote("unmarked but real quote")]),
    }
    result = score([marked, incomplete], predictions).fields["quotes"]
    assert not result.recall_only
    assert (result.tp, result.fp, result.fn) == (1, 1, 0)
    assert result.precision == 0.5


def test_unknown_recall_only_field_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="qoutes"):
        score([gold()], {}, recall_only={"qoutes"})


def hand_made_gold_and_perfect_prediction() -> tuple[GoldArticle, ArticleSummary]:
    text = 'Ann Lee said "we go now" and paid $5 million. UN opposes Iran.'
    gold_article = gold(
        text=text,
        actors=[
            {"name": "Ann Lee", "kind": "person"},
            {"name": "United Nations", "aliases": ["UN"], "kind": "organization"},
            {"name": "Iran", "kind": "place"},
        ],
        quotes=[{"text": "we go now", "start": 14, "end": 23, "speaker": "Ann Lee"}],
        figures=[{"text": "$5 million", "value": 5e6, "unit": "USD", "start": 34, "end": 44}],
        stances=[{"holder": "UN", "target": "Iran", "polarity": "opposes"}],
    )
    prediction = summary(
        text=text,
        actors=[actor("Ann Lee", id="a1"), actor("United Nations", aliases=["UN"], id="a2", kind="organization"), actor("Iran", id="a3", kind="country")],
        quotes=[quote("we go now", span=(14, 23), speaker="Ann Lee", speaker_id="a1")],
        figures=[figure("$5 million", value=5e6, unit="USD", span=(34, 44))],
        stances=[stance("United Nations", "Iran", "opposes", holder_id="a2")],
        tokens=(900, 100),
        latency=2.0,
    )
    return gold_article, prediction


def test_perfect_prediction_scores_one_on_every_field() -> None:
    gold_article, prediction = hand_made_gold_and_perfect_prediction()
    report = score([gold_article], {"a": prediction})
    assert list(report.fields) == list(FIELDS)
    for result in report.fields.values():
        assert (result.precision, result.recall, result.f1) == (1.0, 1.0, 1.0), result.field


def test_report_statistics_come_from_provenance() -> None:
    gold_article, prediction = hand_made_gold_and_perfect_prediction()
    unmatched = prediction.model_copy(update={"quotes": [*prediction.quotes, quote("not in the article")]})
    report = score([gold_article, GoldArticle(id="b")], {"a": unmatched})
    assert report.articles == 2
    assert report.missing_predictions == ["b"]
    assert report.grounding_rate == 2 / 3
    assert (report.tokens_per_article, report.seconds_per_article) == (1000, 2.0)


def test_missing_prediction_counts_as_empty() -> None:
    gold_article, _ = hand_made_gold_and_perfect_prediction()
    report = score([gold_article], {})
    assert report.missing_predictions == ["a"]
    assert report.fields["actors"].recall == 0.0 and report.fields["actors"].fn == 3
    assert report.grounding_rate is None and report.tokens_per_article is None


def test_only_fields_present_in_gold_are_reported() -> None:
    report = score([gold(figures=[])], {"a": summary()})
    assert list(report.fields) == ["figures"]


def test_to_json_is_serialisable_and_complete() -> None:
    gold_article, prediction = hand_made_gold_and_perfect_prediction()
    data = json.loads(json.dumps(score([gold_article], {"a": prediction}, recall_only=["quotes"]).to_json()))
    assert data["fields"]["quotes"] == {"field": "quotes", "tp": 1, "fp": 0, "fn": 0, "precision": None, "recall": 1.0, "f1": None, "recall_only": True}
    assert set(data) == {"fields", "articles", "grounding_rate", "tokens_per_article", "seconds_per_article", "missing_predictions"}


def test_to_json_prints_counts_as_whole_numbers() -> None:
    gold_article, prediction = hand_made_gold_and_perfect_prediction()
    text = json.dumps(score([gold_article], {"a": prediction}).to_json())
    assert '"tp": 1,' in text and '"fp": 0,' in text and ".0," not in text.split('"precision"')[0]


def test_format_table_shows_each_field_and_dashes_for_undefined() -> None:
    gold_article, prediction = hand_made_gold_and_perfect_prediction()
    table = format_table(score([gold_article, GoldArticle(id="b")], {"a": prediction}, recall_only=["quotes"]))
    rows = {line.split()[0]: line.split() for line in table.splitlines()[2:] if line and line.split()[0] in FIELDS}
    assert set(rows) == set(FIELDS)
    assert rows["actors"][1:7] == ["1.000", "1.000", "1.000", "3", "0", "0"]
    assert rows["quotes"][1] == "-" and "(recall only)" in " ".join(rows["quotes"])
    assert "missing: b" in table


def test_empty_report_formats() -> None:
    table = format_table(EvalReport({}, 0, None, None, None, []))
    assert "articles: 0" in table and "grounding rate: -" in table


# --------------------------------------------------------------------------
# the shipped GUM gold
# --------------------------------------------------------------------------


def perfect_from_gold(article: GoldArticle) -> ArticleSummary:
    """Turn a GUM gold article into the prediction a flawless system would make."""
    return summary(
        article.id,
        text=article.text or "",
        actors=[
            Actor(
                id=f"a{i}",
                name=a.name,
                kind="other" if a.kind == "place" else a.kind or "other",
                mentions=[Span(start=m.start or 0, end=m.end or 0, text=m.text) for m in a.mentions],
            )
            for i, a in enumerate(article.actors or ())
        ],
        quotes=[Quote(id=f"q{i}", text=q.text, speaker=q.speaker, start=q.start, end=q.end, grounding="exact") for i, q in enumerate(article.quotes or ())],
        figures=[Figure(id=f"f{i}", text=f.text, start=f.start, end=f.end, grounding="exact") for i, f in enumerate(article.figures or ())],
    )


def test_gum_gold_as_predictions_scores_one() -> None:
    articles = load_gold(GUM / "gold.jsonl", articles=GUM / "articles.jsonl")
    report = score(articles, {a.id: perfect_from_gold(a) for a in articles})
    assert set(report.fields) == {"actors", "actor_kinds", "quotes", "quotes.exact_span", "quote_speakers", "figures"}
    for result in report.fields.values():
        assert (result.precision, result.recall, result.f1) == (1.0, 1.0, 1.0), result.field
    assert (report.fields["actors"].tp, report.fields["quotes"].tp, report.fields["figures"].tp) == (578, 84, 74)
    assert report.fields["quote_speakers"].tp == 70


@settings(max_examples=40, deadline=None)
@given(texts=st.lists(st.text(alphabet="abcdefgh ", min_size=1, max_size=30), min_size=1, max_size=8), data=st.data())
def test_quote_recall_is_the_share_of_gold_quotes_kept(texts: list[str], data: st.DataObject) -> None:
    kept = data.draw(st.lists(st.sampled_from(range(len(texts))), unique=True))
    result = field_score(gold(quotes=[{"text": t} for t in texts]), summary(quotes=[quote(texts[i]) for i in kept]), "quotes")
    assert (result.tp, result.fp, result.fn) == (len(kept), 0, len(texts) - len(kept))
