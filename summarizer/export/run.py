"""Saved results streamed into a corpus database: the export as a whole, with its counts."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..results import iter_results
from .database import CorpusDatabase

__all__ = ["ExportReport", "export_results"]


@dataclass
class ExportReport:
    """Counts of one export. ``digests`` counts the digests stored (an id met twice is stored twice,
    the later replacing the earlier); ``failed`` the failed batch lines skipped; ``articles`` and
    ``entities`` what the database holds afterwards. ``stage`` says what is going on."""

    files: int = 0
    digests: int = 0
    failed: int = 0
    articles: int = 0
    entities: int = 0
    wall_s: float = 0.0
    stage: str = "reading"

    def summary(self) -> str:
        """One line for the end of the run."""
        skipped = f" ({self.failed:,} failed batch line{'s' if self.failed != 1 else ''} skipped)" if self.failed else ""
        return (
            f"{self.digests:,} digest{'s' if self.digests != 1 else ''} from {self.files} file{'s' if self.files != 1 else ''}{skipped}; "
            f"the database holds {self.articles:,} article{'s' if self.articles != 1 else ''} and {self.entities:,} entit{'ies' if self.entities != 1 else 'y'}; "
            f"{self.wall_s:.1f} s"
        )


def export_results(sources: Sequence[str | Path], *, database: str | Path, progress: Callable[[ExportReport], None] | None = None) -> ExportReport:
    """Store every digest of the results files ``sources`` in the corpus ``database`` (created if new).

    Results files are read by :func:`summarizer.results.iter_results` (batch lines or ArticleSummary
    JSON), streamed, so memory stays bounded. An article already in the database is replaced.
    Failed batch lines are skipped and counted. ``progress`` is called with the report after
    every digest and when the stage changes. Raises InputError for an unreadable source (nothing
    is written then), ConfigurationError when ``database`` is not a corpus database.
    """
    missing = [str(source) for source in sources if not Path(source).is_file()]
    if missing:  # checked first, so that a typo does not leave an empty database behind
        raise InputError(f"cannot read {', '.join(missing)}: no such file; pass batch output (.jsonl) or result (.json) files")
    started = time.monotonic()
    report = ExportReport()
    notify = progress or (lambda _report: None)
    with CorpusDatabase(database) as corpus:
        for source in sources:
            report.files += 1
            for record in iter_results(source):
                if record.summary is None:
                    report.failed += 1
                else:
                    corpus.add(record.summary)
                    report.digests += 1
                notify(report)
        report.stage = "resolving entities"
        notify(report)
        corpus.commit()
        report.articles, report.entities = corpus.totals()
    report.wall_s = time.monotonic() - started
    report.stage = "done"
    notify(report)
    return report
