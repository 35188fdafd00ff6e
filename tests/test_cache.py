"""SummaryCache: keyed by everything that shapes a digest, re-labelled for the article that asks."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
from pathlib import Path

import pytest

from summarizer.api import Summarizer
from summarizer.articles import make_article
from summarizer.batch import cache as cache_module
from summarizer.batch.cache import MIGRATIONS, CacheKey, SummaryCache, cache_key_for, code_fingerprint, default_cache_path, relabel
from summarizer.errors import ConfigurationError
from summarizer.schema import ArticleSummary

TEXT = 'The council approved a $6 billion budget on Monday. "It is a good day," Mayor Ann Lee said.'


def digest(article_id: str = "first", text: str = TEXT) -> ArticleSummary:
    with Summarizer(use_llm=False) as summarizer:
        return summarizer.summarize(text, id=article_id, title="Budget")


def key(**changes: object) -> CacheKey:
    base = CacheKey(
        model="fake",
        backend_host="127.0.0.1:8000",
        prompt_version="p1",
        schema_version="1",
        article_sha256=make_article(TEXT).sha256,
        lenient=False,
        use_llm=True,
        scope="full",
        mode="auto",
        temperature=0.0,
        max_tokens=2048,
        max_reasks=1,
        context_tokens=8192,
        code_version="c1",
    )
    return dataclasses.replace(base, **changes)


def test_put_then_get_returns_the_digest(tmp_path: Path) -> None:
    summary = digest()
    with SummaryCache(tmp_path / "cache.sqlite") as cache:
        cache.put(key(), summary)
        hit = cache.get(key(), article=make_article(TEXT, id="first", title="Budget"))
        assert (cache.hits, cache.misses, len(cache)) == (1, 0, 1)
    assert hit == summary


def test_same_text_under_another_id_is_relabelled(tmp_path: Path) -> None:
    with SummaryCache(tmp_path / "cache.sqlite") as cache:
        cache.put(key(), digest("first"))
        hit = cache.get(key(), article=make_article(TEXT, id="second", title=None, url="https://example.org/x"))
    assert hit is not None
    assert (hit.article.id, hit.article.title, hit.article.url) == ("second", None, "https://example.org/x")
    assert hit.article.text == TEXT
    assert hit.quotes == digest().quotes  # the digest itself is unchanged


def test_include_text_false_leaves_the_text_out(tmp_path: Path) -> None:
    with SummaryCache(tmp_path / "cache.sqlite") as cache:
        cache.put(key(), digest())
        hit = cache.get(key(), article=make_article(TEXT, id="x"), include_text=False)
    assert hit is not None and hit.article.text is None and hit.article.sha256 == make_article(TEXT).sha256


def test_rows_are_stored_without_the_article_text(tmp_path: Path) -> None:
    with SummaryCache(tmp_path / "cache.sqlite") as cache:
        cache.put(key(), digest())
    row = sqlite3.connect(tmp_path / "cache.sqlite").execute("SELECT result FROM summaries").fetchone()[0]
    assert json.loads(row)["article"]["text"] is None


@pytest.mark.parametrize(
    "change",
    [
        {"model": "other"},
        {"backend_host": "api.openai.com"},
        {"prompt_version": "p2"},
        {"schema_version": "2"},
        {"article_sha256": "0" * 64},
        {"lenient": True},
        {"use_llm": False},
        {"scope": "summary"},
        {"mode": "tools"},
        {"temperature": 0.7},
        {"max_tokens": 100},
        {"max_reasks": 3},
        {"context_tokens": 4096},
        {"code_version": "c2"},
    ],
)
def test_any_key_field_change_is_a_miss(tmp_path: Path, change: dict[str, object]) -> None:
    with SummaryCache(tmp_path / "cache.sqlite") as cache:
        cache.put(key(), digest())
        assert cache.get(key(**change), article=make_article(TEXT)) is None
        assert cache.misses == 1


def test_entries_survive_reopening_and_migrations_run_once(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "cache.sqlite"
    with SummaryCache(path) as cache:
        cache.put(key(), digest())
    with SummaryCache(path) as cache:
        assert cache.get(key(), article=make_article(TEXT)) is not None
    db = sqlite3.connect(path)
    assert [row[0] for row in db.execute("SELECT name FROM _migrations")] == [m.__name__ for m in MIGRATIONS]
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_unreadable_row_is_a_miss(tmp_path: Path) -> None:
    with SummaryCache(tmp_path / "cache.sqlite") as cache:
        cache.put(key(), digest())
        with sqlite3.connect(tmp_path / "cache.sqlite") as db:
            db.execute('UPDATE summaries SET result = \'{"schema_version": "0"}\'')
        assert cache.get(key(), article=make_article(TEXT)) is None


def test_a_file_that_is_not_a_database_is_a_configuration_error(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ConfigurationError, match="--no-cache"):
        SummaryCache(path)


def test_threads_can_share_one_cache(tmp_path: Path) -> None:
    summary = digest()
    with SummaryCache(tmp_path / "cache.sqlite") as cache:
        threads = [threading.Thread(target=cache.put, args=(key(article_sha256=f"{n:064x}"), summary)) for n in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(cache) == 16


def test_relabel_is_pure(tmp_path: Path) -> None:
    summary = digest("first")
    relabelled = relabel(summary, article=make_article(TEXT, id="other"))
    assert summary.article.id == "first" and relabelled.article.id == "other"


def test_default_path_honours_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SUMMARIZER_CACHE", str(tmp_path / "c.sqlite"))
    assert default_cache_path() == tmp_path / "c.sqlite"
    monkeypatch.delenv("SUMMARIZER_CACHE")
    assert default_cache_path() == Path.home() / ".cache" / "summarizer" / "cache.sqlite"


def test_the_key_of_a_summarizer_carries_the_code_version() -> None:
    with Summarizer(use_llm=False) as summarizer:
        assert cache_key_for(summarizer).code_version == code_fingerprint() != ""


def test_a_change_to_any_file_of_the_package_changes_the_code_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "summarizer"
    (package / "rules" / "words").mkdir(parents=True)
    (package / "rules" / "names.py").write_text("RULE = 1\n")
    (package / "rules" / "words" / "countries.txt").write_text("Qatar\n")
    monkeypatch.setattr(cache_module, "_PACKAGE", package)
    versions = []
    for edit in (None, ("rules/names.py", "RULE = 2\n"), ("rules/words/countries.txt", "Qatar\nIran\n")):
        if edit:
            (package / edit[0]).write_text(edit[1])
        code_fingerprint.cache_clear()
        versions.append(code_fingerprint())
    code_fingerprint.cache_clear()
    assert len(set(versions)) == 3


def test_a_digest_cached_by_another_version_of_the_code_is_not_served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Summarizer(use_llm=False) as summarizer, SummaryCache(tmp_path / "cache.sqlite") as cache:
        older = cache_key_for(summarizer)
        cache.put(dataclasses.replace(older, article_sha256=make_article(TEXT).sha256), digest())
        monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "a newer version")
        newer = cache_key_for(summarizer)
        assert cache.get(dataclasses.replace(newer, article_sha256=make_article(TEXT).sha256), article=make_article(TEXT)) is None
        assert cache.get(dataclasses.replace(older, article_sha256=make_article(TEXT).sha256), article=make_article(TEXT)) is not None


def test_the_key_of_a_summarizer_carries_its_context_window() -> None:
    """A long article is cut into chunks by the context: another window, another digest."""
    keys = [cache_key_for(Summarizer(base_url="http://127.0.0.1:9/v1", model="m", context_tokens=tokens)) for tokens in (4096, 32_768)]
    assert [k.context_tokens for k in keys] == [4096, 32_768] and keys[0].digest != keys[1].digest
