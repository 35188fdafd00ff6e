"""The corpus database: created from ``schema.sql``, written one article at a time, entities resolved at the end.

One export is one transaction: the articles it adds and the entities derived again are
written together at the end, or not at all (an error or Ctrl-C leaves the file as it was).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import TracebackType
from typing import Final

from ..errors import ConfigurationError, InputError, SummarizerError
from ..schema import ArticleSummary
from .entities import resolve_entities
from .rows import article_rows
from .sql import run_script

__all__ = ["DATABASE_VERSION", "TABLES", "VIEWS", "CorpusDatabase", "connect_read_only"]

DATABASE_VERSION: Final = 1
"""The layout of ``schema.sql``, kept in ``PRAGMA user_version``; a file of another version is refused."""

TABLES: Final = ("articles", "entities", "actors", "aliases", "mentions", "quotes", "figures", "stances", "key_points", "key_point_spans")
VIEWS: Final = ("entity_quotes", "quotes_per_entity", "stance_edges", "figures_by_unit")

PAGE_CACHE_KIB = 16 * 1024
LOCK_TIMEOUT_S = 5.0
"""How long a write waits for another connection's lock on the file before giving up."""

_NEW_FILE_HINT = "export into a new file, or delete this one"


class CorpusDatabase:
    """A corpus database open for one export: ``add`` digests, then ``commit`` (entities are resolved then).

    Use it as a context manager: leaving the block commits, an exception rolls everything back.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._connection = _connect(self.path)
        try:
            _prepare(self._connection, self.path)
            self._inserts = {table: _insert_statement(self._connection, table) for table in TABLES}
            self._connection.execute("BEGIN")
        except BaseException:
            self._connection.close()
            raise

    def __enter__(self) -> CorpusDatabase:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        try:
            if error is None and self._connection.in_transaction:
                self.commit()
        finally:
            self.close()

    def add(self, summary: ArticleSummary) -> None:
        """Store ``summary``, replacing the article of the same id (and every row that came with it) if there is one."""
        rows = article_rows(summary)
        connection = self._connection
        try:
            connection.execute("DELETE FROM articles WHERE article_id = ?", (summary.article.id,))
            connection.execute(self._inserts["articles"], rows.article)
            for table, table_rows in rows.children():
                if table_rows:
                    connection.executemany(self._inserts[table], table_rows)
        except sqlite3.IntegrityError as exc:
            raise InputError(f"digest {summary.article.id!r} cannot be stored ({exc}): two of its actors, quotes or figures share an id") from exc
        except sqlite3.OperationalError as exc:
            raise self._cannot_write(exc) from exc

    def commit(self) -> None:
        """Resolve the entities over the whole database and write everything (once: ``add`` cannot follow)."""
        try:
            resolve_entities(self._connection)
            self._connection.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            raise self._cannot_write(exc) from exc

    def _cannot_write(self, exc: sqlite3.OperationalError) -> ConfigurationError:
        """A locked file (another export writing it), a full disk, a read-only file."""
        return ConfigurationError(f"cannot write {self.path}: {exc}; is another export writing it?")

    def totals(self) -> tuple[int, int]:
        """How many articles and entities the database holds."""
        articles, entities = self._connection.execute("SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM entities)").fetchone()
        return int(articles), int(entities)

    def close(self) -> None:
        """Close the file; whatever was not committed is rolled back."""
        if self._connection.in_transaction:
            self._connection.execute("ROLLBACK")
        self._connection.close()


def connect_read_only(path: str | Path) -> sqlite3.Connection:
    """A read-only connection to an existing corpus database (for CSV and HTML output)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path} does not exist; create it with: summarizer export RESULTS.jsonl --sqlite {path}")
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        _check_version(connection, path, problem=InputError)
    except sqlite3.DatabaseError as exc:
        connection.close()
        raise InputError(f"cannot read {path} as a corpus database: {exc}") from exc
    except SummarizerError:
        connection.close()
        raise
    return connection


def _connect(path: Path) -> sqlite3.Connection:
    try:
        # isolation_level=None: transactions are begun and ended here, explicitly.
        return sqlite3.connect(path, isolation_level=None, timeout=LOCK_TIMEOUT_S)
    except sqlite3.Error as exc:  # a missing folder, a path that is a folder
        raise ConfigurationError(f"cannot open {path} as a database: {exc}; check the --sqlite path") from exc


def _prepare(connection: sqlite3.Connection, path: Path) -> None:
    """Create the tables in a new file; check an existing one is a corpus database of this version."""
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        # 16 MB of page cache instead of 2: index pages written in random order stay cached, which
        # halves the CPU time of resolving entities over a large corpus; memory stays flat.
        connection.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        has_tables = connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] > 0
    except sqlite3.OperationalError as exc:  # locked by another writer, unreadable
        raise ConfigurationError(f"cannot use {path}: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        raise ConfigurationError(f"{path} is not a database ({exc}); {_NEW_FILE_HINT}") from exc
    if version == 0 and not has_tables:
        connection.execute("BEGIN")
        run_script(connection, "schema.sql")
        connection.execute(f"PRAGMA user_version = {DATABASE_VERSION}")
        connection.execute("COMMIT")
        return
    _check_version(connection, path)


def _check_version(connection: sqlite3.Connection, path: Path, *, problem: type[SummarizerError] = ConfigurationError) -> None:
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version == 0:
        raise problem(f"{path} is a database, but not a summarizer corpus; {_NEW_FILE_HINT}")
    if version != DATABASE_VERSION:
        raise problem(f"{path} is a corpus database of layout {version}, this summarizer writes layout {DATABASE_VERSION}; {_NEW_FILE_HINT}")


def _insert_statement(connection: sqlite3.Connection, table: str) -> str:
    columns = connection.execute(f"SELECT COUNT(*) FROM pragma_table_info('{table}')").fetchone()[0]
    return f"INSERT INTO {table} VALUES ({', '.join('?' * columns)})"
