from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel

from summarizer import schema
from summarizer.schema import ArticleSummary, DigestAnswer

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schemas" / "article_summary.v1.json"
REGENERATE = "summarizer schema > schemas/article_summary.v1.json"


def test_schema_file_matches_the_code() -> None:
    on_disk = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert on_disk == ArticleSummary.model_json_schema(), f"schema drifted: run `{REGENERATE}` and bump schema_version if a field was renamed"


def _models() -> list[type[BaseModel]]:
    return [
        obj
        for obj in vars(schema).values()
        if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == schema.__name__ and not obj.__name__.startswith("_")
    ]


@pytest.mark.parametrize("model", _models(), ids=lambda m: m.__name__)
def test_every_field_has_a_description(model: type[BaseModel]) -> None:
    # ArticleSummary's top-level parts are described by their own models.
    undocumented = [name for name, field in model.model_fields.items() if not field.description and model is not ArticleSummary]
    assert undocumented == []


def test_contract_field_names_are_those_of_design() -> None:
    fields = ArticleSummary.model_fields
    assert list(fields) == ["schema_version", "article", "summary", "actors", "quotes", "figures", "stances", "provenance"]
    assert {"id", "title", "date", "language", "chars", "sha256", "text"} <= set(schema.ArticleInfo.model_fields)
    assert {"start", "end", "grounding", "fragments", "speaker_id", "kind", "cue", "via"} <= set(schema.Quote.model_fields)
    assert {"value", "unit", "kind", "approximate", "describes", "grounding"} <= set(schema.Figure.model_fields)
    assert {"holder", "holder_id", "target", "target_id", "polarity", "topic", "evidence"} <= set(schema.Stance.model_fields)
    assert {"model", "base_url", "prompt_version", "attempts", "usage", "latency_s", "warnings"} <= set(schema.Provenance.model_fields)


def test_answer_parsing_forgives_small_slips() -> None:
    parsed = DigestAnswer.model_validate(
        {
            "summary": "s",
            "actors": [{"name": "A", "kind": "Person"}, {"name": "B", "kind": "robot"}],
            "figures": [{"text": "6,000", "value": "6,000", "kind": "cash"}],
            "stances": [{"holder": "A", "target": "B", "polarity": "SUPPORTS"}],
        }
    )
    assert [a.kind for a in parsed.actors] == ["person", "other"]
    assert parsed.figures[0].value == 6000.0 and parsed.figures[0].kind == "other"
    assert parsed.stances[0].polarity == "supports"


def test_answer_check_in_validation_context_fails_validation() -> None:
    with pytest.raises(ValueError, match="not in the article"):
        DigestAnswer.model_validate({"summary": "s"}, context={"check_answer": lambda answer: ["Quote 'x' is not in the article."]})
    assert DigestAnswer.model_validate({"summary": "s"}, context={"check_answer": lambda answer: []}).summary == "s"
