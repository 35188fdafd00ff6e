"""The corpus database as CSV files: one per table and view, named after it, with a header row."""

from __future__ import annotations

import csv
from pathlib import Path

from ..errors import ConfigurationError
from .database import TABLES, VIEWS, connect_read_only

__all__ = ["write_csv"]


def write_csv(database: str | Path, directory: str | Path) -> list[Path]:
    """Write every table and view of ``database`` to ``directory`` (created if needed) as
    ``NAME.csv`` (UTF-8, a header row, empty cells for nulls), rows streamed; return the files written."""
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(f"cannot create the folder {directory}: {exc.strerror or exc}; check the --csv path") from exc
    connection = connect_read_only(database)
    written = []
    try:
        for name in (*TABLES, *VIEWS):
            path = directory / f"{name}.csv"
            # Tables in insertion order; views in their own order.
            cursor = connection.execute(f"SELECT * FROM {name}" + (" ORDER BY rowid" if name in TABLES else ""))
            try:
                with path.open("w", encoding="utf-8", newline="") as stream:
                    writer = csv.writer(stream)
                    writer.writerow(column[0] for column in cursor.description)
                    writer.writerows(cursor)
            except OSError as exc:
                raise ConfigurationError(f"cannot write {path}: {exc.strerror or exc}; check the --csv path") from exc
            written.append(path)
    finally:
        connection.close()
    return written
