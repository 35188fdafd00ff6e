"""Export to SQLite and CSV: the tables, upserts, entity resolution, the index page and the CLI."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from summarizer import ArticleSummary, Summarizer
from summarizer.cli import main
from summarizer.errors import ConfigurationError, InputError
from summarizer.evaluate import normalise_name
from summarizer.export import DOMINANT_ALIAS_SHARE, TABLES, VIEWS, CorpusDatabase, ExportReport, corpus_index_html, export_results, progress_bar, write_csv
from summarizer.export import database as export_database
from summarizer.export.sql import statements

ROOT = Path(__file__).resolve().parent.parent
GUM_ARTICLES = ROOT / "tests" / "data" / "gum-news" / "articles.jsonl"


# --------------------------------------------------------------------------
# Fixtures: GUM digests by the rules, and small hand-made digests
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gum_digests() -> list[ArticleSummary]:
    records = [json.loads(line) for line in GUM_ARTICLES.read_text(encoding="utf-8").splitlines()]
    with Summarizer(use_llm=False) as rules:
        return [rules.summarize(r["text"], id=r["id"], title=r.get("title"), date=r.get("date")) for r in records]


def batch_lines(digests: list[ArticleSummary], *, failed: tuple[str, ...] = ()) -> str:
    lines = [json.dumps({"id": d.article.id, "ok": True, "result": d.model_dump(mode="json")}) for d in digests]
    lines += [json.dumps({"id": record_id, "ok": False, "error": {"type": "InputError", "message": "empty", "attempts": 0}}) for record_id in failed]
    return "\n".join(lines) + "\n"


@pytest.fixture
def gum_results(tmp_path: Path, gum_digests: list[ArticleSummary]) -> Path:
    path = tmp_path / "gum.jsonl"
    path.write_text(batch_lines(gum_digests, failed=("broken-record",)), encoding="utf-8")
    return path


def query(database: Path, sql: str, *parameters: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql, parameters).fetchall()


def digest(article_id: str, *, date: str = "2016-01-01", actors: list[dict[str, Any]] = (), **parts: Any) -> ArticleSummary:  # type: ignore[assignment]
    """A digest with the given actors (name, kind, aliases...; ids a1, a2, ... in order) and other parts."""
    numbered = [{"id": f"a{n}", "kind": "person", **actor} for n, actor in enumerate(actors, 1)]
    return ArticleSummary.model_validate(
        {
            "article": {
                "id": article_id,
                "date": date,
                "chars": 100,
                "sha256": hashlib.sha256(article_id.encode()).hexdigest(),
                "title": f"About {article_id}",
            },
            "summary": {"text": "A summary."},
            "actors": numbered,
            "provenance": {"model": "rules", "prompt_version": "p1"},
            **parts,
        }
    )


def export(tmp_path: Path, *digests: ArticleSummary, name: str = "corpus.db") -> Path:
    database = tmp_path / name
    with CorpusDatabase(database) as corpus:
        for item in digests:
            corpus.add(item)
    return database


def entity_of(database: Path, article_id: str, actor_id: str) -> tuple[str, str, str]:
    """(entity name, kind, id) of one actor."""
    rows = query(
        database,
        "SELECT e.name, e.kind, e.entity_id FROM actors a JOIN entities e ON e.entity_id = a.entity_id WHERE a.article_id = ? AND a.actor_id = ?",
        article_id,
        actor_id,
    )
    assert len(rows) == 1
    return rows[0]


# --------------------------------------------------------------------------
# GUM digests: three questions answered by SQL, checked against the digests
# --------------------------------------------------------------------------


def test_gum_export_answers_three_questions(tmp_path: Path, gum_results: Path, gum_digests: list[ArticleSummary]) -> None:
    database = tmp_path / "gum.db"
    report = export_results([gum_results], database=database)
    assert (report.digests, report.failed, report.articles) == (len(gum_digests), 1, len(gum_digests))

    # 1. Who is quoted most? (the digests: quotes counted by the speaker actor's normalised name)
    by_speaker: Counter[str] = Counter()
    for d in gum_digests:
        names = {actor.id: normalise_name(actor.name) for actor in d.actors}
        by_speaker.update(names[q.speaker_id] for q in d.quotes if q.speaker_id in names)
    top_count = max(by_speaker.values())
    leaders = {name for name, count in by_speaker.items() if count == top_count}  # a tie is answered by any of them
    assert len(leaders) < len(by_speaker) / 2, "a clear answer, so the comparison means something"
    ((sql_speaker, sql_count),) = query(
        database, "SELECT e.name_key, q.quotes FROM quotes_per_entity q JOIN entities e USING (entity_id) ORDER BY q.quotes DESC LIMIT 1"
    )
    assert sql_speaker in leaders and sql_count == top_count

    # 2. Which figures are in US dollars, in which articles, on which dates?
    usd = sorted((d.article.date, d.article.id, f.text, f.value) for d in gum_digests for f in d.figures if f.unit == "USD" and f.value is not None)
    assert usd
    assert query(database, "SELECT date, article_id, text, value FROM figures_by_unit WHERE unit = 'USD' ORDER BY date, article_id, text") == usd

    # 3. Which entity occurs in the most articles?
    articles_per_name: Counter[str] = Counter()
    for d in gum_digests:
        articles_per_name.update({normalise_name(actor.name) for actor in d.actors})
    top_name, top_articles = articles_per_name.most_common(1)[0]
    sql_most = query(
        database,
        "SELECT e.name_key, COUNT(DISTINCT a.article_id) AS n FROM entities e JOIN actors a USING (entity_id) GROUP BY e.entity_id ORDER BY n DESC LIMIT 1",
    )
    assert sql_most == [(top_name, top_articles)]


def test_every_item_of_every_digest_is_a_row(tmp_path: Path, gum_results: Path, gum_digests: list[ArticleSummary]) -> None:
    database = tmp_path / "gum.db"
    export_results([gum_results], database=database)
    expected = {
        "actors": sum(len(d.actors) for d in gum_digests),
        "mentions": sum(len(a.mentions) for d in gum_digests for a in d.actors),
        "aliases": sum(len(a.aliases) for d in gum_digests for a in d.actors),
        "quotes": sum(len(d.quotes) for d in gum_digests),
        "figures": sum(len(d.figures) for d in gum_digests),
        "key_points": sum(len(d.summary.points or d.summary.key_points) for d in gum_digests),
        "key_point_spans": sum(len(point.spans) for d in gum_digests for point in d.summary.points),
    }
    assert {table: query(database, f"SELECT COUNT(*) FROM {table}")[0][0] for table in expected} == expected
    # Offsets are the digest's: the mention rows give back the article text.
    texts = {d.article.id: d.article.text or "" for d in gum_digests}
    for article_id, start, end, text in query(database, "SELECT article_id, char_start, char_end, text FROM mentions"):
        assert texts[article_id][start:end] == text
    assert query(database, "SELECT COUNT(*) FROM actors WHERE entity_id IS NULL") == [(0,)]
    assert query(database, "PRAGMA foreign_key_check") == []


# --------------------------------------------------------------------------
# Upserts: replaced, never duplicated; a changed digest updates
# --------------------------------------------------------------------------


def table_counts(database: Path) -> dict[str, int]:
    return {table: query(database, f"SELECT COUNT(*) FROM {table}")[0][0] for table in TABLES}


def test_exporting_the_same_results_again_changes_nothing(tmp_path: Path, gum_results: Path) -> None:
    database = tmp_path / "gum.db"
    export_results([gum_results], database=database)
    before = table_counts(database), query(database, "SELECT * FROM entities ORDER BY entity_id")
    export_results([gum_results, gum_results], database=database)
    assert (table_counts(database), query(database, "SELECT * FROM entities ORDER BY entity_id")) == before


def test_a_changed_digest_replaces_the_article_and_its_rows(tmp_path: Path, gum_digests: list[ArticleSummary]) -> None:
    first, *rest = gum_digests[:3]
    assert len(first.quotes) > 1
    database = export(tmp_path, first, *rest)
    changed = first.model_copy(deep=True)
    changed.article.sha256 = "0" * 64
    changed.provenance.prompt_version = "new-prompts"
    changed.quotes = changed.quotes[:1]
    export(tmp_path, changed)
    assert query(database, "SELECT COUNT(*), sha256, prompt_version FROM articles WHERE article_id = ?", first.article.id) == [(1, "0" * 64, "new-prompts")]
    assert query(database, "SELECT COUNT(*) FROM quotes WHERE article_id = ?", first.article.id) == [(1,)]
    assert query(database, "SELECT COUNT(*) FROM articles") == [(3,)]
    assert query(database, "SELECT COUNT(*) FROM quotes WHERE article_id = ?", rest[0].article.id) == [(len(rest[0].quotes),)]


def test_entities_follow_the_articles_they_come_from(tmp_path: Path) -> None:
    database = export(tmp_path, digest("one", actors=[{"name": "Ann Lee"}, {"name": "Bo Chen"}]))
    export(tmp_path, digest("one", actors=[{"name": "Ann Lee"}]), digest("two", actors=[{"name": "ANN LEE"}]), digest("three", actors=[{"name": "ANN LEE"}]))
    assert query(database, "SELECT name FROM entities") == [("ANN LEE",)]  # Bo Chen is gone; the commonest spelling names Ann Lee


def test_entities_do_not_depend_on_the_order_of_the_articles(tmp_path: Path, gum_digests: list[ArticleSummary]) -> None:
    forward = export(tmp_path, *gum_digests, name="forward.db")
    backward = export(tmp_path, *reversed(gum_digests), name="backward.db")
    mapping = "SELECT article_id, actor_id, entity_id FROM actors ORDER BY article_id, actor_id"
    assert query(forward, mapping) == query(backward, mapping)
    assert query(forward, "SELECT * FROM entities ORDER BY entity_id") == query(backward, "SELECT * FROM entities ORDER BY entity_id")


def test_an_entity_id_is_a_hash_of_kind_and_normalised_name(tmp_path: Path) -> None:
    database = export(tmp_path, digest("x", actors=[{"name": "President Barack Obama"}]))
    assert entity_of(database, "x", "a1")[2] == hashlib.sha256(b"person\x1fbarack obama").hexdigest()[:16]


# --------------------------------------------------------------------------
# Entity resolution rules
# --------------------------------------------------------------------------


def test_same_name_merges_and_other_takes_the_specific_kind(tmp_path: Path) -> None:
    database = export(
        tmp_path,
        digest("one", actors=[{"name": "President Barack Obama"}]),
        digest("two", actors=[{"name": "Barack Obama", "kind": "other"}, {"name": "Barack Obama's"}]),
    )
    assert entity_of(database, "one", "a1") == entity_of(database, "two", "a1") == entity_of(database, "two", "a2")
    assert entity_of(database, "one", "a1")[:2] == ("Barack Obama", "person")


def test_an_entity_of_as_many_unknown_as_known_kinds_shows_the_known_one(tmp_path: Path) -> None:
    database = export(tmp_path, digest("one", actors=[{"name": "Jeb Bush", "kind": "other"}]), digest("two", actors=[{"name": "Jeb Bush"}]))
    assert entity_of(database, "one", "a1")[:2] == ("Jeb Bush", "person")


def test_two_specific_kinds_under_one_name_stay_apart(tmp_path: Path) -> None:
    database = export(tmp_path, digest("one", actors=[{"name": "Georgia", "kind": "country"}]), digest("two", actors=[{"name": "Georgia"}]))
    assert entity_of(database, "one", "a1")[1:] != entity_of(database, "two", "a1")[1:]


def test_a_one_word_name_joins_the_one_person_of_its_article_it_shortens(tmp_path: Path) -> None:
    database = export(
        tmp_path,
        digest("one", actors=[{"name": "Hillary Clinton"}, {"name": "Hillary", "kind": "other"}]),
        # Two people named Clinton: "Clinton" alone could be either.
        digest("two", actors=[{"name": "Hillary Clinton"}, {"name": "Bill Clinton"}, {"name": "Clinton"}]),
        # A first word that is no given name does not make a person of the rest ("Vermont Democrats" typed a person).
        digest("three", actors=[{"name": "Vermont Democrats"}, {"name": "Vermont", "kind": "other"}, {"name": "Obama"}, {"name": "Barack Obama"}]),
    )
    assert entity_of(database, "one", "a2") == entity_of(database, "one", "a1")
    assert entity_of(database, "two", "a3") not in (entity_of(database, "two", "a1"), entity_of(database, "two", "a2"))
    assert entity_of(database, "three", "a2")[0] == "Vermont"
    assert entity_of(database, "three", "a3") == entity_of(database, "three", "a4")


def test_middle_names_and_initials_join_the_short_name_unless_two_names_shorten_alike(tmp_path: Path) -> None:
    database = export(
        tmp_path,
        digest("one", actors=[{"name": "Donald J. Trump"}, {"name": "Hillary Rodham Clinton"}]),
        digest("two", actors=[{"name": "Donald Trump"}, {"name": "Hillary Clinton"}]),
        digest("three", actors=[{"name": "George W. Bush"}, {"name": "George H. W. Bush"}, {"name": "George Bush"}]),
    )
    assert entity_of(database, "one", "a1") == entity_of(database, "two", "a1")
    assert entity_of(database, "one", "a1")[0] == "Donald Trump"
    assert entity_of(database, "one", "a2") == entity_of(database, "two", "a2")
    assert len({entity_of(database, "three", actor) for actor in ("a1", "a2", "a3")}) == 3


def test_one_word_too_many_in_front_of_a_name_joins_the_person_unless_it_is_a_given_name(tmp_path: Path) -> None:
    database = export(
        tmp_path,
        digest("one", actors=[{"name": "Republican Donald Trump"}, {"name": "Mary Ann Smith"}, {"name": "Neither Donald J. Trump"}]),
        digest("two", actors=[{"name": "Donald Trump"}, {"name": "Ann Smith"}, {"name": "Donald J. Trump"}]),
    )
    assert entity_of(database, "one", "a1") == entity_of(database, "two", "a1")
    assert entity_of(database, "one", "a2") != entity_of(database, "two", "a2")
    assert entity_of(database, "one", "a3") == entity_of(database, "two", "a1")  # two steps: the word in front, then the initial


def alias_corpus(owners: list[str]) -> list[ArticleSummary]:
    """Articles where a person of each name in ``owners`` has the alias "Obama", and one with "Obama" alone."""
    with_alias = [digest(f"alias-{n}", actors=[{"name": name, "aliases": ["Obama"]}]) for n, name in enumerate(owners)]
    return [*with_alias, digest("alone", actors=[{"name": "Obama"}])]


def test_a_one_word_person_joins_the_person_who_dominates_its_alias_uses(tmp_path: Path) -> None:
    owners = ["Barack Obama"] * 3 + ["Michelle Obama"]
    assert DOMINANT_ALIAS_SHARE <= 3 / 4
    database = export(tmp_path, *alias_corpus(owners))
    assert entity_of(database, "alone", "a1") == entity_of(database, "alias-0", "a1")


def test_articles_exported_later_can_move_earlier_actors_and_their_quotes_to_another_entity(tmp_path: Path) -> None:
    quote = {"id": "q1", "text": "Yes we can", "speaker": "Obama", "speaker_id": "a1", "grounding": "exact", "start": 0, "end": 10}
    alone = digest("alone", actors=[{"name": "Obama"}], quotes=[quote], stances=[stance("Obama", "a1", "supports", "the deal", None)])
    database = export(tmp_path, alone)
    assert entity_of(database, "alone", "a1")[0] == "Obama"
    export(tmp_path, *alias_corpus(["Barack Obama"] * 3)[:-1])
    assert entity_of(database, "alone", "a1")[0] == "Barack Obama"
    assert query(database, "SELECT entity FROM entity_quotes") == [("Barack Obama",)]
    assert query(database, "SELECT holder FROM stance_edges") == [("Barack Obama",)]


def test_a_one_word_person_stays_apart_when_no_person_dominates_its_alias_uses(tmp_path: Path) -> None:
    owners = ["Barack Obama"] * 2 + ["Michelle Obama"]
    assert DOMINANT_ALIAS_SHARE > 2 / 3
    database = export(tmp_path, *alias_corpus(owners))
    assert entity_of(database, "alone", "a1")[0] == "Obama"


def test_a_one_word_person_never_joins_an_organisation_by_alias(tmp_path: Path) -> None:
    corpus = [digest(f"ford{n}", actors=[{"name": "Ford Motor Company", "kind": "organization", "aliases": ["Ford"]}]) for n in range(3)]
    database = export(tmp_path, *corpus, digest("person", actors=[{"name": "Ford"}]))
    assert entity_of(database, "person", "a1")[:2] == ("Ford", "person")


def test_a_one_word_place_never_joins_a_person_by_alias(tmp_path: Path) -> None:
    corpus = [digest(f"w{n}", actors=[{"name": "George Washington", "aliases": ["Washington"]}]) for n in range(3)]
    database = export(tmp_path, *corpus, digest("city", actors=[{"name": "Washington", "kind": "other"}]))
    assert entity_of(database, "city", "a1")[:2] == ("Washington", "other")


# --------------------------------------------------------------------------
# Rows: references, key points, stances and the views
# --------------------------------------------------------------------------


def test_a_reference_to_an_actor_the_digest_lacks_is_stored_as_null(tmp_path: Path) -> None:
    item = digest(
        "x",
        actors=[{"name": "Ann Lee", "affiliation": "a9"}],
        quotes=[{"id": "q1", "text": "Hi", "speaker": "Bob", "speaker_id": "a7", "grounding": "exact", "start": 0, "end": 2}],
    )
    database = export(tmp_path, item)
    assert query(database, "SELECT speaker, speaker_actor_id, speaker_entity_id FROM quotes") == [("Bob", None, None)]
    assert query(database, "SELECT affiliation_id FROM actors") == [(None,)]


def test_key_points_keep_their_spans_and_old_digests_their_texts(tmp_path: Path) -> None:
    span = {"start": 0, "end": 5, "text": "Rain."}
    new = digest("new", summary={"text": "S.", "key_points": ["Rain fell."], "points": [{"text": "Rain fell.", "spans": [span], "extracted_by": "rules"}]})
    old = digest("old", summary={"text": "S.", "key_points": ["One.", "Two."]})
    database = export(tmp_path, new, old)
    assert query(database, "SELECT article_id, point_no, text, extracted_by FROM key_points ORDER BY article_id, point_no") == [
        ("new", 1, "Rain fell.", "rules"),
        ("old", 1, "One.", None),
        ("old", 2, "Two.", None),
    ]
    assert query(database, "SELECT article_id, point_no, span_no, char_start, char_end, text FROM key_point_spans") == [("new", 1, 1, 0, 5, "Rain.")]


def stance(holder: str, holder_id: str | None, polarity: str, target: str, target_id: str | None) -> dict[str, Any]:
    return {
        "holder": holder,
        "holder_id": holder_id,
        "polarity": polarity,
        "target": target,
        "target_id": target_id,
        "evidence": {"start": 0, "end": 3, "text": "Yes"},
    }


def test_stance_edges_count_holder_target_pairs_with_their_dates(tmp_path: Path) -> None:
    actors = [{"name": "Ann Lee"}, {"name": "Labour Party", "kind": "organization"}]
    database = export(
        tmp_path,
        digest("march", date="2016-03-01", actors=actors, stances=[stance("Ann Lee", "a1", "supports", "Labour", "a2")]),
        digest(
            "may",
            date="2016-05-01",
            actors=actors,
            stances=[stance("Lee", "a1", "supports", "the Labour Party", "a2"), stance("Lee", "a1", "opposes", "the tax", None)],
        ),
    )
    edges = query(database, "SELECT holder, polarity, target, stances, articles, first_date, last_date FROM stance_edges ORDER BY stances DESC")
    assert edges == [
        ("Ann Lee", "supports", "Labour Party", 2, 2, "2016-03-01", "2016-05-01"),
        ("Ann Lee", "opposes", "the tax", 1, 1, "2016-05-01", "2016-05-01"),
    ]
    assert query(database, "SELECT evidence, evidence_start, evidence_end FROM stances LIMIT 1") == [("Yes", 0, 3)]


def test_quote_views_group_by_entity(tmp_path: Path) -> None:
    def quote(number: int) -> dict[str, Any]:
        return {"id": f"q{number}", "text": f"Words {number}", "speaker": "Lee", "speaker_id": "a1", "grounding": "exact", "start": 0, "end": 5}

    database = export(
        tmp_path,
        digest("one", date="2016-01-02", actors=[{"name": "Ann Lee"}], quotes=[quote(1), quote(2)]),
        digest("two", date="2016-02-03", actors=[{"name": "Ms. Ann Lee"}], quotes=[quote(1)]),
    )
    assert query(database, "SELECT entity, quotes, articles, first_date, last_date FROM quotes_per_entity") == [("Ann Lee", 3, 2, "2016-01-02", "2016-02-03")]
    assert sorted(query(database, "SELECT quote, article_id FROM entity_quotes")) == [("Words 1", "one"), ("Words 1", "two"), ("Words 2", "one")]


# --------------------------------------------------------------------------
# The documented schema, CSV and the index page
# --------------------------------------------------------------------------


def readme_schema() -> dict[str, list[str]]:
    """The columns of each table and view as the README's table lists them."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Questions across a corpus", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)`(?: \(view\))? \| [^|]+ \| (.+) \|$", section, flags=re.MULTILINE)
    return {name: re.findall(r"`(\w+)`", columns) for name, columns in rows}


def test_the_readme_documents_every_table_and_view_as_created(tmp_path: Path) -> None:
    database = export(tmp_path)
    created = {name: [row[1] for row in query(database, f"SELECT * FROM pragma_table_info('{name}')")] for name in (*TABLES, *VIEWS)}
    assert readme_schema() == created
    kinds = dict(query(database, "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')"))
    assert {name for name, kind in kinds.items() if kind == "view"} == set(VIEWS)


def test_the_readme_example_queries_run(tmp_path: Path, gum_results: Path) -> None:
    database = tmp_path / "gum.db"
    export_results([gum_results], database=database)
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Questions across a corpus", 1)[1].split("\n## ", 1)[0]
    examples = [s for s in statements(section.split("```sql", 1)[1].split("```", 1)[0]) if "SELECT" in s]
    assert len(examples) == 3
    answers = [query(database, sql) for sql in examples]
    assert answers[0] and answers[1]  # GUM has quotes and dollar amounts (the rules find no stances)


def test_csv_files_hold_every_table_and_view(tmp_path: Path, gum_results: Path) -> None:
    database = tmp_path / "gum.db"
    export_results([gum_results], database=database)
    written = write_csv(database, tmp_path / "csv")
    assert sorted(path.stem for path in written) == sorted((*TABLES, *VIEWS))
    for path in written:
        rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
        assert rows[0] == [row[1] for row in query(database, f"SELECT * FROM pragma_table_info('{path.stem}')")]
        assert len(rows) - 1 == query(database, f"SELECT COUNT(*) FROM {path.stem}")[0][0]
    articles = list(csv.DictReader((tmp_path / "csv" / "articles.csv").open(encoding="utf-8", newline="")))
    assert articles[0]["language"] == ""  # null


def test_csv_into_a_place_that_cannot_hold_it_is_refused_with_one_line(tmp_path: Path) -> None:
    database = export(tmp_path, digest("x"))
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="cannot create the folder"):
        write_csv(database, tmp_path / "a-file" / "csv")
    (tmp_path / "csv" / "articles.csv").mkdir(parents=True)
    with pytest.raises(ConfigurationError, match="cannot write .*articles.csv"):
        write_csv(database, tmp_path / "csv")


def test_the_index_page_escapes_what_digests_say(tmp_path: Path) -> None:
    evil = "<script>alert(1)</script>"
    item = digest(
        "x",
        actors=[{"name": f"Ann {evil}"}],
        quotes=[{"id": "q1", "text": evil, "speaker": "Ann", "speaker_id": "a1", "grounding": "exact", "start": 0, "end": 5}],
        stances=[stance(evil, "a1", "supports", evil, None)],
    )
    item.article.url = "javascript:alert(1)"
    page = corpus_index_html(export(tmp_path, item))
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page
    assert re.search(r'<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;', page)
    assert "1 article" in page and "Most quoted" in page


# --------------------------------------------------------------------------
# Errors: one clear line, and nothing half-written
# --------------------------------------------------------------------------


def test_a_failed_export_leaves_the_database_as_it_was(tmp_path: Path, gum_digests: list[ArticleSummary]) -> None:
    database = export(tmp_path, gum_digests[0])
    broken = tmp_path / "broken.jsonl"
    broken.write_text(batch_lines(gum_digests[1:3]) + "{not json\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken.jsonl:3"):
        export_results([broken], database=database)
    assert query(database, "SELECT article_id FROM articles") == [(gum_digests[0].article.id,)]


def test_a_digest_with_two_actors_of_one_id_is_refused(tmp_path: Path) -> None:
    twice = digest("x", actors=[{"name": "Ann Lee"}])
    twice.actors.append(twice.actors[0].model_copy())
    with pytest.raises(InputError, match="share an id"):
        export(tmp_path, twice)


def test_a_missing_results_file_is_refused_before_any_database_is_made(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        export_results([tmp_path / "nope.jsonl"], database=tmp_path / "corpus.db")
    assert not (tmp_path / "corpus.db").exists()


def test_a_file_that_is_not_a_corpus_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="cannot open .* check the --sqlite path"):
        CorpusDatabase(tmp_path / "no-such-folder" / "corpus.db")
    text_file = tmp_path / "notes.db"
    text_file.write_text("just text, long enough to be read as a header " * 4, encoding="utf-8")
    with pytest.raises(ConfigurationError, match="not a database"):
        CorpusDatabase(text_file)
    with pytest.raises(InputError, match="cannot read .* as a corpus database"):
        corpus_index_html(text_file)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (x)")
    with pytest.raises(ConfigurationError, match="not a summarizer corpus"):
        CorpusDatabase(other)
    newer = export(tmp_path, name="newer.db")
    with sqlite3.connect(newer) as connection:
        connection.execute("PRAGMA user_version = 99")
    with pytest.raises(ConfigurationError, match="layout 99"):
        CorpusDatabase(newer)
    with pytest.raises(InputError, match="layout 99"):
        corpus_index_html(newer)


@pytest.mark.parametrize(("lock", "message"), [("IMMEDIATE", "cannot write"), ("EXCLUSIVE", "cannot use")])
def test_a_database_another_export_is_writing_is_refused_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lock: str, message: str) -> None:
    database = export(tmp_path, digest("x"))
    monkeypatch.setattr(export_database, "LOCK_TIMEOUT_S", 0.05)
    other = sqlite3.connect(database, isolation_level=None)
    other.execute(f"BEGIN {lock}")  # a write lock, as a running export holds (EXCLUSIVE: while it commits)
    try:
        with pytest.raises(ConfigurationError, match=f"^{message} .*: database is locked"):
            export(tmp_path, digest("y"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert query(database, "SELECT article_id FROM articles") == [("x",)]


def test_a_commit_that_cannot_get_the_file_is_refused_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = export(tmp_path, digest("x"))
    monkeypatch.setattr(export_database, "LOCK_TIMEOUT_S", 0.05)
    reader = sqlite3.connect(database, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM articles").fetchall()  # a reader in a transaction keeps the file from being committed to
    corpus = CorpusDatabase(database)
    try:
        corpus.add(digest("y"))
        with pytest.raises(ConfigurationError, match="^cannot write .*: database is locked"):
            corpus.commit()
    finally:
        corpus.close()
        reader.close()
    assert query(database, "SELECT article_id FROM articles") == [("x",)]


def test_an_unterminated_sql_statement_is_an_error() -> None:
    assert list(statements("SELECT 1;\n-- a comment\n")) == ["SELECT 1;"]
    with pytest.raises(ValueError, match="unterminated"):
        list(statements("SELECT 1;\nSELECT 2\n"))


# --------------------------------------------------------------------------
# Progress and the CLI
# --------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_on_a_terminal_and_silent_elsewhere(tmp_path: Path, gum_results: Path) -> None:
    with progress_bar(stream=io.StringIO()) as silent:
        assert silent is None
    terminal = Terminal()
    with progress_bar(stream=terminal) as bar:
        assert bar is not None
        export_results([gum_results], database=tmp_path / "gum.db", progress=bar)
    assert "digests" in terminal.getvalue() and "failed lines skipped" in terminal.getvalue()


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_exports_to_sqlite_csv_and_html(tmp_path: Path, gum_results: Path, gum_digests: list[ArticleSummary]) -> None:
    database, page = tmp_path / "corpus.db", tmp_path / "corpus.html"
    result = run("export", str(gum_results), "--sqlite", str(database))
    assert result.exit_code == 0, result.output
    assert f"{len(gum_digests)} digests from 1 file (1 failed batch line skipped)" in result.stderr
    result = run("export", "--sqlite", str(database), "--csv", str(tmp_path / "csv"), "--html", str(page))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "csv" / "quotes.csv").is_file() and "Top entities" in page.read_text(encoding="utf-8")


def test_cli_writes_csv_without_keeping_a_database(tmp_path: Path, gum_results: Path) -> None:
    result = run("export", str(gum_results), "--csv", str(tmp_path / "csv"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "csv" / "entities.csv").is_file()
    assert not list(tmp_path.glob("*.db"))


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["export", "x.jsonl"], 2, "say where to export"),
        (["export", "--csv", "out"], 2, "pass RESULTS files"),
        (["export", "missing.jsonl", "--sqlite", "c.db"], 3, "no such file"),
        (["export", "--sqlite", "missing.db", "--html", "i.html"], 3, "does not exist"),
    ],
)
def test_cli_mistakes_give_one_line_and_a_documented_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], code: int, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == code
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "c.db").exists()


@pytest.mark.parametrize(("articles", "entities", "said"), [(1, 1, "holds 1 article and 1 entity"), (2, 0, "holds 2 articles and 0 entities")])
def test_the_export_report_counts_in_the_singular_and_the_plural(articles: int, entities: int, said: str) -> None:
    assert said in ExportReport(digests=1, files=1, articles=articles, entities=entities).summary()
