"""The ceiling of the model path, pinned: a perfect answer (the gold) must survive grounding.

GUM's gold is served as the model's answer by a ScriptedServer and the digest
scored against the same gold (``bench/bench_oracle.py`` prints the table).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer import Summarizer
from summarizer.evaluate import EvalReport, load_gold, score
from summarizer.testing import oracle_digests

GUM = Path(__file__).resolve().parent / "data" / "gum-news"


@pytest.fixture(scope="module")
def gold():  # type: ignore[no-untyped-def]
    return load_gold(GUM / "gold.jsonl", articles=GUM / "articles.jsonl")


def scores(report: EvalReport) -> dict[str, tuple[float | None, float | None]]:
    return {name: (field.precision, field.recall) for name, field in report.fields.items()}


def test_a_perfect_answer_survives_grounding(gold) -> None:  # type: ignore[no-untyped-def]
    got = scores(score(gold, oracle_digests(gold), recall_only=["quotes"]))
    precision, recall = got["actors"]
    assert precision is not None and recall is not None and recall >= 0.95 and precision >= 0.88
    assert (got["actor_kinds"][1] or 0) >= 0.95
    assert (got["quotes"][1] or 0) >= 0.95 and (got["quotes.exact_span"][1] or 0) >= 0.90
    assert (got["quote_speakers"][1] or 0) >= 0.95
    assert got["figures"][1] == 1.0


def test_an_answer_naming_every_other_actor_loses_nothing_the_rules_found(gold) -> None:  # type: ignore[no-untyped-def]
    with Summarizer(use_llm=False) as rules:
        rules_only = score(gold, {g.id: rules.summarize(g.text or "", id=g.id) for g in gold})
    half = score(gold, oracle_digests(gold, keep_actors=lambda i: i % 2 == 0, rejects=False))
    assert (half.fields["actors"].recall or 0) >= (rules_only.fields["actors"].recall or 0)


def test_the_seeds_perfect_answer_keeps_every_quote_speaker_stance_and_figure(seed_text: str) -> None:
    from tests.seed import seed_gold

    gold = seed_gold(seed_text)
    digest = oracle_digests([gold])["seed"]
    for quote in gold.quotes or ():
        assert any(q.start == quote.start and q.end == quote.end and (quote.speaker or "").split()[-1] in (q.speaker or "") for q in digest.quotes), quote.text[
            :40
        ]
    khamenei = next(q for q in digest.quotes if q.text.startswith("expanding ties"))
    assert khamenei.via == "IRNA"
    for stance in gold.stances or ():
        assert any(s.polarity == stance.polarity and stance.holder in s.holder and stance.target in s.target for s in digest.stances), stance
    assert [(f.text, f.value, f.unit) for f in digest.figures] == [("$6 billion", 6e9, "USD")]
