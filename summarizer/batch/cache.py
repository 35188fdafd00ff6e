"""A SQLite cache of digests, so re-running a batch costs no model calls.

A digest is reused only when everything that shapes it is the same: the model
and its endpoint, the prompt version, the schema version, the article text
(its SHA-256) and the options that change the result (see :class:`CacheKey`).
Ids and other metadata are not part of the key: the same text under another
id is a hit, and the cached digest is re-labelled with the current article.

The key also holds a fingerprint of the package's own code and data (every
file of the installed package, hashed once per process): a fix to the rules
or to grounding is never answered from a digest an older version made.

One file, WAL mode, one connection shared by the threads (and the event loop)
of one process behind a lock. The layout is created and upgraded by small
numbered migrations, recorded in the ``_migrations`` table.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from pydantic import ValidationError

from ..api import Summarizer
from ..articles import Article
from ..errors import ConfigurationError
from ..model.prompts import PROMPT_VERSION
from ..schema import SCHEMA_VERSION, ArticleSummary

CACHE_ENV = "SUMMARIZER_CACHE"


def default_cache_path() -> Path:
    """``$SUMMARIZER_CACHE``, else ``~/.cache/summarizer/cache.sqlite``."""
    configured = os.environ.get(CACHE_ENV)
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "summarizer" / "cache.sqlite"


@dataclass(frozen=True)
class CacheKey:
    """Everything that decides a digest: the model and its options, the prompt, the schema, the code and the article."""

    model: str
    backend_host: str | None
    prompt_version: str
    schema_version: str
    article_sha256: str
    lenient: bool
    use_llm: bool
    scope: str
    mode: str
    temperature: float
    max_tokens: int
    max_reasks: int
    context_tokens: int
    code_version: str

    @property
    def digest(self) -> str:
        """SHA-256 of the key's fields: the row's primary key."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode("utf-8")).hexdigest()


def cache_key_for(summarizer: Summarizer) -> CacheKey:
    """The cache key of ``summarizer``'s digests, for an article hash still to be filled in."""
    s = summarizer.settings
    return CacheKey(
        model=summarizer.model_name,
        backend_host=summarizer.backend_host,
        prompt_version=PROMPT_VERSION,
        schema_version=SCHEMA_VERSION,
        article_sha256="",
        lenient=s.lenient,
        use_llm=s.use_llm,
        scope=s.resolved_scope,
        mode=s.mode,
        temperature=s.temperature,
        max_tokens=s.max_tokens,
        max_reasks=s.max_reasks,
        context_tokens=summarizer.context_tokens,  # it decides how a long article is cut into chunks
        code_version=code_fingerprint(),
    )


_PACKAGE = Path(__file__).resolve().parent.parent


@functools.cache
def code_fingerprint() -> str:
    """SHA-256 (first 16 hex digits) of every source and data file of the package, by relative path.

    Any change to the rules, grounding, prompts shipped in the wheel or word
    lists changes it, so cached digests of another version are never served.
    Read once per process (about 60 files).
    """
    digest = hashlib.sha256()
    for path in sorted(p for p in _PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class SummaryCache:
    """Digests by :class:`CacheKey` in one SQLite file; open it per batch and close it after.

    ``hits`` and ``misses`` count :meth:`get` calls since opening.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            # WAL with synchronous=NORMAL survives a process crash; a power cut may lose the last puts, which is harmless for a cache.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=5000")
            migrate(self._db)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigurationError(f"cannot use the cache {self.path}: {exc}; pass another --cache PATH or --no-cache") from exc
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: CacheKey, *, article: Article, include_text: bool = True) -> ArticleSummary | None:
        """The cached digest for ``key``, re-labelled for ``article``; None on a miss.

        ``article`` must have the text the key was made from. A row that no
        longer validates (written by an incompatible version) counts as a miss.
        """
        with self._lock:
            row = self._db.execute("SELECT result FROM summaries WHERE key = ?", (key.digest,)).fetchone()
        summary = _load(row[0]) if row else None
        if summary is None:
            self.misses += 1
            return None
        self.hits += 1
        return relabel(summary, article=article, include_text=include_text)

    def put(self, key: CacheKey, summary: ArticleSummary) -> None:
        """Store ``summary`` under ``key``, replacing an older entry."""
        # Stored without the text: the key's hash pins it, and relabel() puts it back.
        stored = summary.model_copy(update={"article": summary.article.model_copy(update={"text": None})})
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO summaries (key, model, prompt_version, schema_version, article_sha256, created_at, result) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (key.digest, key.model, key.prompt_version, key.schema_version, key.article_sha256, time.time(), stored.model_dump_json()),
            )

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM summaries").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> SummaryCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def relabel(summary: ArticleSummary, *, article: Article, include_text: bool = True) -> ArticleSummary:
    """``summary`` with its article block describing ``article`` (same text, possibly another id or title)."""
    info = summary.article.model_copy(
        update={
            "id": article.id,
            "title": article.title,
            "date": article.date,
            "url": article.url,
            "language": article.language or summary.article.language,
            "text": article.text if include_text else None,
        }
    )
    return summary.model_copy(update={"article": info})


def _load(raw: str) -> ArticleSummary | None:
    try:
        return ArticleSummary.model_validate_json(raw)
    except ValidationError:
        return None


# --------------------------------------------------------------------------
# Migrations: append a function, never edit one that has shipped.
# --------------------------------------------------------------------------


def _m001_summaries(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE summaries (
            key TEXT PRIMARY KEY,
            model TEXT NOT NULL,
            prompt_version TEXT NOT NULL,
            schema_version TEXT NOT NULL,
            article_sha256 TEXT NOT NULL,
            created_at REAL NOT NULL,
            result TEXT NOT NULL
        )"""
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_m001_summaries]


def migrate(db: sqlite3.Connection) -> None:
    """Apply the migrations this database has not seen yet, each in its own transaction."""
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)")
    for migration in MIGRATIONS:
        with db:
            # IMMEDIATE takes the write lock first, so two processes opening a new cache cannot both migrate.
            db.execute("BEGIN IMMEDIATE")
            if db.execute("SELECT 1 FROM _migrations WHERE name = ?", (migration.__name__,)).fetchone():
                continue
            migration(db)
            db.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", (migration.__name__, time.time()))
