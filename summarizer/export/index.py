"""The corpus index page: the database's top entities, most quoted speakers and stance edges, rendered by :mod:`summarizer.render`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..render import CorpusEntity, CorpusIndex, CorpusQuote, CorpusSpeaker, StanceEdge, render_corpus_index
from .database import connect_read_only

__all__ = ["corpus_index", "corpus_index_html"]

_TOP_ENTITIES = """
SELECT e.name, e.kind, COUNT(DISTINCT a.article_id) AS articles,
       (SELECT COUNT(*) FROM actors x JOIN mentions m ON m.article_id = x.article_id AND m.actor_id = x.actor_id
        WHERE x.entity_id = e.entity_id) AS mentions,
       (SELECT COUNT(*) FROM quotes q WHERE q.speaker_entity_id = e.entity_id) AS quotes
FROM entities e JOIN actors a ON a.entity_id = e.entity_id
GROUP BY e.entity_id
ORDER BY articles DESC, mentions DESC, e.name
LIMIT ?
"""
_TOP_SPEAKERS = "SELECT entity_id, entity, kind, quotes, articles, first_date, last_date FROM quotes_per_entity ORDER BY quotes DESC, entity LIMIT ?"
_LATEST_QUOTES = """
SELECT q.text, q.cue, coalesce(a.title, a.article_id), a.date, a.url
FROM quotes q JOIN articles a ON a.article_id = q.article_id
WHERE q.speaker_entity_id = ?
ORDER BY a.date DESC, a.article_id, q.char_start
LIMIT ?
"""
_TOP_EDGES = "SELECT holder, polarity, target, stances, articles, first_date, last_date FROM stance_edges ORDER BY stances DESC, holder, target LIMIT ?"
_TOTALS = """
SELECT (SELECT COUNT(*) FROM articles), (SELECT MIN(date) FROM articles), (SELECT MAX(date) FROM articles),
       (SELECT COUNT(*) FROM entities), (SELECT COUNT(*) FROM quotes), (SELECT COUNT(*) FROM stances)
"""


def corpus_index(connection: sqlite3.Connection, *, source: str, top: int = 30, speakers: int = 10, quotes_each: int = 3) -> CorpusIndex:
    """What the index page shows: the ``top`` entities and stance edges, the ``speakers`` most
    quoted entities with their ``quotes_each`` latest quotes."""
    articles, first_date, last_date, entity_count, quote_count, stance_count = connection.execute(_TOTALS).fetchone()
    quoted = [
        CorpusSpeaker(
            name=name,
            kind=kind,
            quotes=count,
            articles=in_articles,
            first_date=first,
            last_date=last,
            latest=[CorpusQuote(*row) for row in connection.execute(_LATEST_QUOTES, (entity_id, quotes_each))],
        )
        for entity_id, name, kind, count, in_articles, first, last in connection.execute(_TOP_SPEAKERS, (speakers,)).fetchall()
    ]
    return CorpusIndex(
        source=source,
        articles=articles,
        first_date=first_date,
        last_date=last_date,
        entity_count=entity_count,
        quote_count=quote_count,
        stance_count=stance_count,
        entities=[CorpusEntity(*row) for row in connection.execute(_TOP_ENTITIES, (top,))],
        speakers=quoted,
        edges=[StanceEdge(*row) for row in connection.execute(_TOP_EDGES, (top,))],
    )


def corpus_index_html(database: str | Path, *, top: int = 30) -> str:
    """The corpus index page of ``database`` as self-contained HTML."""
    connection = connect_read_only(database)
    try:
        return render_corpus_index(corpus_index(connection, source=Path(database).name, top=top))
    finally:
        connection.close()
