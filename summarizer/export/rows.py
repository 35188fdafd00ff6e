"""One digest as rows of the corpus tables (column order as in ``schema.sql``).

Actor references (speaker, stance holder and target, affiliation) that name no actor of the
digest are stored as null: the foreign keys hold, and the name stays in its text column.

Each actor starts with the entity of its own kind and name (:func:`entity_key`), and quotes and
stances with their actors': resolving the entities then rewrites only the few rows a rule moves
(an 'other' actor whose name is a person's elsewhere, a short form joining a full name).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..schema import ArticleSummary, Span
from .entities import entity_key, match_keys, name_key

__all__ = ["ArticleRows", "article_rows"]

Row = tuple[Any, ...]


@dataclass
class ArticleRows:
    """The rows of one article, table by table."""

    article: Row
    actors: list[Row] = field(default_factory=list)
    aliases: list[Row] = field(default_factory=list)
    mentions: list[Row] = field(default_factory=list)
    quotes: list[Row] = field(default_factory=list)
    figures: list[Row] = field(default_factory=list)
    stances: list[Row] = field(default_factory=list)
    key_points: list[Row] = field(default_factory=list)
    key_point_spans: list[Row] = field(default_factory=list)

    def children(self) -> Iterator[tuple[str, list[Row]]]:
        """(table, rows) for every table below ``articles``, parents before children."""
        for table in ("actors", "aliases", "mentions", "quotes", "figures", "stances", "key_points", "key_point_spans"):
            yield table, getattr(self, table)


def article_rows(summary: ArticleSummary) -> ArticleRows:
    """Every row ``summary`` contributes (entity ids provisional: see the module's docstring)."""
    article, provenance = summary.article, summary.provenance
    rows = ArticleRows(
        article=(
            article.id,
            article.title,
            article.date,
            article.language,
            article.url,
            article.chars,
            article.sha256,
            summary.schema_version,
            provenance.model,
            provenance.prompt_version,
            provenance.fallback,
            provenance.partial,
            summary.summary.text,
            len(provenance.warnings),
        )
    )
    _add_quotes_figures_stances(rows, summary, _add_actors(rows, summary))
    _add_key_points(rows, summary)
    return rows


def _add_actors(rows: ArticleRows, summary: ArticleSummary) -> dict[str, str]:
    """The actor, alias and mention rows; returns each actor's own entity id, by actor id."""
    article_id, actors = summary.article.id, summary.actors
    known = {actor.id for actor in actors}
    keys = [name_key(actor.name) for actor in actors]
    entities: dict[str, str] = {}
    for actor, key, match_key in zip(actors, keys, match_keys(actors, keys)):
        entity = entities[actor.id] = entity_key(actor.kind, match_key)
        affiliation = actor.affiliation if actor.affiliation in known else None
        rows.actors.append((article_id, actor.id, actor.name, actor.kind, actor.role, affiliation, actor.extracted_by, key, match_key, entity))
        rows.aliases += [(article_id, actor.id, number, alias, name_key(alias)) for number, alias in enumerate(actor.aliases, 1)]
        rows.mentions += [(article_id, actor.id, number, *_span(mention)) for number, mention in enumerate(actor.mentions, 1)]
    return entities


def _add_quotes_figures_stances(rows: ArticleRows, summary: ArticleSummary, entities: dict[str, str]) -> None:
    article_id = summary.article.id

    def actor(actor_id: str | None) -> tuple[str | None, str | None]:
        """The actor id (null when the digest has no such actor) and its entity."""
        return (actor_id, entities[actor_id]) if actor_id in entities else (None, None)

    rows.quotes += [
        (article_id, q.id, q.text, q.speaker, *actor(q.speaker_id), q.kind, q.cue, q.via, q.start, q.end, q.grounding, q.extracted_by) for q in summary.quotes
    ]
    rows.figures += [
        (article_id, f.id, f.text, f.value, f.unit, f.kind, f.approximate, f.describes, f.start, f.end, f.grounding, f.extracted_by) for f in summary.figures
    ]
    for number, s in enumerate(summary.stances, 1):
        evidence = s.evidence
        rows.stances.append(
            (article_id, number, s.holder, *actor(s.holder_id), s.target, *actor(s.target_id), s.polarity, s.topic)
            + ((evidence.text, evidence.start, evidence.end) if evidence else (None, None, None))
            + (s.extracted_by,)
        )


def _add_key_points(rows: ArticleRows, summary: ArticleSummary) -> None:
    """Key points with their spans; a digest from before ``summary.points`` gives its texts alone."""
    article_id, points = summary.article.id, summary.summary.points
    if not points:
        rows.key_points += [(article_id, number, text, None) for number, text in enumerate(summary.summary.key_points, 1)]
        return
    for number, point in enumerate(points, 1):
        rows.key_points.append((article_id, number, point.text, point.extracted_by))
        rows.key_point_spans += [(article_id, number, span_number, *_span(span)) for span_number, span in enumerate(point.spans, 1)]


def _span(span: Span) -> tuple[int, int, str]:
    return span.start, span.end, span.text
