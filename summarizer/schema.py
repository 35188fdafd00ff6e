"""Data types: what the model is asked for, and the ArticleSummary contract.

Two families live here:

* ``*Answer`` models are what the language model fills in. They carry no ids,
  offsets or grounding: the code computes those. Every field description is
  also the model's instruction, so keep them short and concrete.
* The output models (``ArticleSummary`` and its parts) are the published
  contract, schema version 1 (see DESIGN.md). Field names are stable; new
  fields may be added, renames need a new ``schema_version``.

Invariant of the output: for every item whose ``grounding`` is ``exact`` or
``fuzzy``, ``article.text[start:end] == text``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any, Final, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

SCHEMA_VERSION: Final = "1"

ActorKind = Literal["person", "organization", "country", "group", "other"]
QuoteKind = Literal["direct", "indirect", "partial"]
FigureKind = Literal["money", "percent", "count", "measure", "other"]
Polarity = Literal["supports", "opposes", "neutral", "mixed"]
Grounding = Literal["exact", "fuzzy", "unmatched"]
ExtractedBy = Literal["model", "rules"]


# --------------------------------------------------------------------------
# What the model answers
# --------------------------------------------------------------------------
# Parsing is forgiving (an unknown kind becomes the default, "6e9" a number):
# a small slip should not cost a re-ask. Trust is decided later, by grounding.


def _choice(value: Any, allowed: Any, default: str) -> str:
    text = str(value).strip().lower() if value is not None else ""
    return text if text in get_args(allowed) else default


def _number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).replace(",", "").strip())
    except (TypeError, ValueError):
        return None


class ActorAnswer(BaseModel):
    name: str = Field(description="Full name of the person, organization, country or group, as the article writes it.")
    kind: ActorKind = Field(default="other", description="person, organization, country, group or other.")
    role: str | None = Field(default=None, description="Role or title in this story, e.g. 'Supreme Leader of Iran'.")
    affiliation: str | None = Field(default=None, description="Name of the organization or country this actor belongs to.")
    aliases: list[str] = Field(default_factory=list, description="Other names the article uses for this actor, e.g. a surname or title.")

    @field_validator("kind", mode="before")
    @classmethod
    def _known_kind(cls, value: Any) -> str:
        return _choice(value, ActorKind, "other")


class QuoteAnswer(BaseModel):
    ref: str | None = Field(default=None, description="Candidate number such as 'Q2' when the quote is one of the listed candidates.")
    text: str = Field(default="", description="The quoted words copied exactly from the article (may be left empty when ref is given).")
    speaker: str | None = Field(default=None, description="Name of the person or organization who said it.")
    kind: QuoteKind = Field(default="direct", description="direct (in quote marks), indirect (reported speech) or partial.")
    cue: str | None = Field(default=None, description="The reporting verb, e.g. 'said', 'told', 'noted'.")
    via: str | None = Field(default=None, description="Outlet or report the quote came through, if any.")

    @field_validator("kind", mode="before")
    @classmethod
    def _known_kind(cls, value: Any) -> str:
        return _choice(value, QuoteKind, "direct")


class FigureAnswer(BaseModel):
    ref: str | None = Field(default=None, description="Candidate number such as 'F1' when the figure is one of the listed candidates.")
    text: str = Field(default="", description="The amount exactly as written in the article, e.g. '$6 billion' (may be empty when ref is given).")
    value: float | None = Field(default=None, description="The number with its scale applied, e.g. 6000000000 for '$6 billion'.")
    unit: str | None = Field(default=None, description="ISO 4217 currency code for money, '%' for percent, else the unit word.")
    kind: FigureKind = Field(default="other", description="money, percent, count, measure or other.")
    approximate: bool = Field(default=False, description="True when the article hedges it: 'about', 'more than', 'nearly'.")
    describes: str = Field(default="", description="What the number measures, in a few words.")

    @field_validator("kind", mode="before")
    @classmethod
    def _known_kind(cls, value: Any) -> str:
        return _choice(value, FigureKind, "other")

    @field_validator("value", mode="before")
    @classmethod
    def _numeric(cls, value: Any) -> float | None:
        return _number(value)


class StanceAnswer(BaseModel):
    ref: str | None = Field(default=None, description="Candidate number such as 'S1' when the stance is one of the listed candidates.")
    holder: str = Field(default="", description="Who takes the position.")
    target: str = Field(default="", description="Whom or what the position is about.")
    polarity: Polarity = Field(default="neutral", description="supports, opposes, neutral or mixed.")
    topic: str | None = Field(default=None, description="The issue, in a few words.")
    evidence: str | None = Field(default=None, description="A short passage copied exactly from the article that shows the stance.")

    @field_validator("polarity", mode="before")
    @classmethod
    def _known_polarity(cls, value: Any) -> str:
        return _choice(value, Polarity, "neutral")


_SUMMARY_GUIDE = "Two or three sentences saying what happened, using only facts from the article."
_KEY_POINTS_GUIDE = "Up to five short key points from the article."

# Bounds that appear only in the JSON Schema: a grammar-constrained backend
# (llama.cpp) must then close a string or list instead of looping until the
# token cap, while an answer that exceeds them still validates.
SUMMARY_MAX_CHARS: Final = 1000
KEY_POINT_MAX_CHARS: Final = 200
_SUMMARY_BOUND: dict[str, Any] = {"maxLength": SUMMARY_MAX_CHARS}
_KEY_POINTS_BOUND: dict[str, Any] = {"maxItems": 5, "items": {"type": "string", "maxLength": KEY_POINT_MAX_CHARS}}


def _bounded_list(limit: int) -> dict[str, Any]:
    return {"maxItems": limit}


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_Json = TypeVar("_Json")


def without_lone_surrogates(value: _Json) -> _Json:
    """``value`` with every lone surrogate (a JSON escape like "\\ud800", or bytes decoded with
    surrogateescape) replaced by U+FFFD, in strings, lists and objects: they cannot be encoded,
    hashed or written, and one would stop the whole output."""
    return _map_strings(value, lambda text: _LONE_SURROGATE.sub("\ufffd", text))


_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean_model_text(value: _Json) -> _Json:
    """Lone surrogates replaced and control characters (a NUL, an escape) removed from the model's strings."""
    return _map_strings(value, lambda text: _CONTROL_CHARS.sub("", _LONE_SURROGATE.sub("\ufffd", text)))


def _map_strings(value: _Json, change: Callable[[str], str]) -> _Json:
    if isinstance(value, str):
        return change(value)  # type: ignore[return-value]
    if isinstance(value, list):
        return [_map_strings(item, change) for item in value]  # type: ignore[return-value]
    if isinstance(value, dict):
        return {_map_strings(key, change): _map_strings(item, change) for key, item in value.items()}  # type: ignore[return-value]
    return value


class _Answer(BaseModel):
    """Base of the top-level answers: the model's strings lose lone surrogates and control characters before validation."""

    @model_validator(mode="before")
    @classmethod
    def _printable(cls, data: Any) -> Any:
        return _clean_model_text(data)


class SummaryAnswer(_Answer):
    """The short answer asked of very small models (scope "summary"): the rules find the rest."""

    summary: str = Field(description=_SUMMARY_GUIDE, json_schema_extra=_SUMMARY_BOUND)
    key_points: list[str] = Field(default_factory=list, description=_KEY_POINTS_GUIDE, json_schema_extra=_KEY_POINTS_BOUND)


class DigestAnswer(_Answer):
    """The whole answer the model gives for one article (scope "full")."""

    summary: str = Field(description=_SUMMARY_GUIDE, json_schema_extra=_SUMMARY_BOUND)
    key_points: list[str] = Field(default_factory=list, description=_KEY_POINTS_GUIDE, json_schema_extra=_KEY_POINTS_BOUND)
    actors: list[ActorAnswer] = Field(
        default_factory=list, description="People, organizations, countries and groups that the article names.", json_schema_extra=_bounded_list(40)
    )
    quotes: list[QuoteAnswer] = Field(default_factory=list, description="Statements the article attributes to someone.", json_schema_extra=_bounded_list(40))
    figures: list[FigureAnswer] = Field(
        default_factory=list, description="Amounts of money, percentages, counts and measures in the article.", json_schema_extra=_bounded_list(40)
    )
    stances: list[StanceAnswer] = Field(default_factory=list, description="Who supports or opposes whom or what.", json_schema_extra=_bounded_list(20))
    rejected: list[str] = Field(
        default_factory=list,
        description="Listed candidates that are wrong: numbers of passages that are not quotes, figures or stances (e.g. 'Q3', 'F2', 'S1'), and listed names that are not actors.",
        json_schema_extra=_bounded_list(60),
    )

    @model_validator(mode="after")
    def _agrees_with_article(self, info: ValidationInfo) -> DigestAnswer:
        """Re-ask hook: the caller puts ``check_answer`` (answer -> problems) in the
        validation context (or :func:`answer_context`); any problem fails
        validation, and Instructor sends the reasons back to the model."""
        check = (info.context or _ANSWER_CONTEXT.get() or {}).get("check_answer")
        problems = check(self) if check else []
        if problems:
            raise ValueError("The answer does not match the article: " + " ".join(problems))
        return self


_ANSWER_CONTEXT: ContextVar[Mapping[str, Any] | None] = ContextVar("answer_context", default=None)


@contextlib.contextmanager
def answer_context(context: Mapping[str, Any] | None) -> Iterator[None]:
    """Validation context for answers parsed inside the block, in this thread or task.

    Instructor renders every message as a Jinja template when it is handed a
    validation context, and an article's text is no template: "{{ x }}" would
    be rewritten and "{% if" would fail the request. So the context travels
    beside Instructor instead of through it.
    """
    token = _ANSWER_CONTEXT.set(context)
    try:
        yield
    finally:
        _ANSWER_CONTEXT.reset(token)


# --------------------------------------------------------------------------
# The output contract: ArticleSummary, schema version 1
# --------------------------------------------------------------------------


class _Output(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Output):
    start: int = Field(description="Offset of the first character in article.text.")
    end: int = Field(description="Offset one past the last character in article.text.")
    text: str = Field(description="article.text[start:end], exactly.")


class ArticleInfo(_Output):
    id: str = Field(description="The record's id, or one derived from the text's hash.")
    title: str | None = Field(default=None, description="Headline, when known.")
    date: str | None = Field(default=None, description="Publication date (ISO 8601), when known.")
    language: str | None = Field(default=None, description="ISO 639-1 language code, when known.")
    url: str | None = Field(default=None, description="Where the article came from, when known.")
    chars: int = Field(description="Length of the text in characters (Python str length).")
    sha256: str = Field(description="SHA-256 of the UTF-8 text, hex.")
    text: str | None = Field(default=None, description="The exact text all offsets index; omitted on request.")


class KeyPoint(_Output):
    text: str = Field(description="The key point, one sentence: the model's wording, or the article's own sentence.")
    spans: list[Span] = Field(default_factory=list, description="The article passages that support it, in text order (article.text[start:end] == text).")
    extracted_by: ExtractedBy = Field(default="model", description="'model' when the model wrote it, 'rules' when it is a sentence the rules picked.")


class Summary(_Output):
    text: str = Field(description="A short summary of the article.")
    key_points: list[str] = Field(
        default_factory=list, description="Key points, one sentence each (the texts of ``points``, for readers of the first contract)."
    )
    points: list[KeyPoint] = Field(default_factory=list, description="The key points with the article spans that support each.")


class Actor(_Output):
    id: str = Field(description="Stable within this result: 'a1', 'a2', ...")
    name: str = Field(description="Canonical full name.")
    kind: ActorKind = Field(description="person, organization, country, group or other.")
    role: str | None = Field(default=None, description="Role or title in this story.")
    affiliation: str | None = Field(default=None, description="Id of the actor this one belongs to.")
    aliases: list[str] = Field(default_factory=list, description="Other names used for this actor in the article.")
    mentions: list[Span] = Field(default_factory=list, description="Every occurrence of the name or an alias, in text order.")
    extracted_by: ExtractedBy = Field(default="model", description="'model' when the model named it, 'rules' when only the rules found it.")


class Quote(_Output):
    id: str = Field(description="'q1', 'q2', ...")
    text: str = Field(description="Verbatim from the article when grounded.")
    speaker: str | None = Field(default=None, description="Who said it, by name.")
    speaker_id: str | None = Field(default=None, description="Id of the speaker's actor.")
    kind: QuoteKind = Field(default="direct", description="direct, indirect or partial.")
    cue: str | None = Field(default=None, description="Reporting verb, e.g. 'said'.")
    via: str | None = Field(default=None, description="Outlet or report it came through.")
    start: int | None = Field(default=None, description="Offset in article.text, null when unmatched.")
    end: int | None = Field(default=None, description="End offset (exclusive), null when unmatched.")
    grounding: Grounding = Field(description="exact, fuzzy (model's wording differed; see model_text) or unmatched.")
    model_text: str | None = Field(default=None, description="The model's own wording when it differs from the article's.")
    fragments: list[Span] = Field(default_factory=list, description="The pieces, when the article splits the quote (e.g. around 'he said').")
    context: Span | None = Field(
        default=None,
        description="The longer quoted passage the rules found around the quote, when the quote is only part of it (the quote's own span is start/end).",
    )
    extracted_by: ExtractedBy = Field(default="model", description="'model' or 'rules'.")


class Figure(_Output):
    id: str = Field(description="'f1', 'f2', ...")
    text: str = Field(description="As written in the article, e.g. '$6 billion'.")
    value: float | None = Field(default=None, description="The number with its scale applied: 6000000000 for '$6 billion'.")
    unit: str | None = Field(default=None, description="ISO 4217 code for money, '%' for percent, else the unit word.")
    kind: FigureKind = Field(default="other", description="money, percent, count, measure or other.")
    approximate: bool = Field(default=False, description="True for hedged amounts ('about', 'more than').")
    describes: str = Field(default="", description="What the figure measures.")
    start: int | None = Field(default=None, description="Offset in article.text, null when unmatched.")
    end: int | None = Field(default=None, description="End offset (exclusive), null when unmatched.")
    grounding: Grounding = Field(description="exact, fuzzy or unmatched.")
    model_text: str | None = Field(default=None, description="The model's own wording when it differs from the article's.")
    extracted_by: ExtractedBy = Field(default="model", description="'model' or 'rules'.")


class Stance(_Output):
    holder: str = Field(description="Who takes the position.")
    holder_id: str | None = Field(default=None, description="Id of the holder's actor.")
    target: str = Field(description="Whom or what the position is about.")
    target_id: str | None = Field(default=None, description="Id of the target's actor, when it is one.")
    polarity: Polarity = Field(description="supports, opposes, neutral or mixed.")
    topic: str | None = Field(default=None, description="The issue.")
    evidence: Span | None = Field(default=None, description="Grounded passage showing the stance, when found.")
    extracted_by: ExtractedBy = Field(default="model", description="'model' or 'rules'.")


class Usage(_Output):
    prompt_tokens: int = Field(default=0, description="Prompt tokens over all attempts.")
    completion_tokens: int = Field(default=0, description="Completion tokens over all attempts.")


class Provenance(_Output):
    model: str = Field(description="Model name as sent to the endpoint ('rules' when no model ran).")
    base_url: str | None = Field(default=None, description="Host (and port) of the endpoint; never a key.")
    prompt_version: str = Field(description="Version of the prompt templates.")
    attempts: int = Field(default=0, description="Model calls made, re-asks and transport retries included.")
    usage: Usage = Field(default_factory=Usage, description="Token usage summed over all attempts.")
    latency_s: float = Field(default=0.0, description="Wall time of the whole summarization, seconds.")
    fallback: bool = Field(
        default=False, description="True when the model's answer was unusable and the digest rests on the rule evidence (and any salvaged summary)."
    )
    partial: bool = Field(
        default=False, description="True when the model answered for only part of a long article (a chunk failed); the warnings name the missing ranges."
    )
    chunks: int = Field(default=1, description="Parts the article was sent to the model in (1 for an article that fits the model's context).")
    summary_source: Literal["model", "lead"] = Field(
        default="lead", description="Where summary.text comes from: the model's checked sentences, or the article's lead sentences."
    )
    warnings: list[str] = Field(default_factory=list, description="What was dropped or repaired, and why.")


class ArticleSummary(_Output):
    schema_version: Literal["1"] = Field(default=SCHEMA_VERSION, description="Version of this contract.")
    article: ArticleInfo
    summary: Summary
    actors: list[Actor] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    stances: list[Stance] = Field(default_factory=list)
    provenance: Provenance
