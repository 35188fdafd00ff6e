"""Digests exported to SQLite tables (and CSV files) to ask questions across a corpus.

    >>> from summarizer.export import export_results, write_csv
    >>> report = export_results(["digests.jsonl"], database="corpus.db")
    >>> write_csv("corpus.db", "corpus-csv/")

The tables, views and their columns are in ``schema.sql`` (and the README); actors are
resolved across articles into entities by the rules of :mod:`summarizer.export.entities`.
Modules: ``schema.sql`` and ``resolve.sql`` (the SQL, as data), ``sql`` (runs them),
``rows`` (a digest as table rows), ``entities`` (name keys and resolution), ``database``
(the file: create, check, add, commit), ``run`` (results files streamed in), ``csv_files``,
``index`` (the corpus index page) and ``progress`` (the terminal bar).
"""

from .csv_files import write_csv
from .database import DATABASE_VERSION, TABLES, VIEWS, CorpusDatabase
from .entities import DOMINANT_ALIAS_SHARE
from .index import corpus_index_html
from .progress import progress_bar
from .run import ExportReport, export_results

__all__ = [
    "DATABASE_VERSION",
    "DOMINANT_ALIAS_SHARE",
    "TABLES",
    "VIEWS",
    "CorpusDatabase",
    "ExportReport",
    "corpus_index_html",
    "export_results",
    "progress_bar",
    "write_csv",
]
