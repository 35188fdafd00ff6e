"""The SQL scripts shipped beside this module (``schema.sql``, ``resolve.sql``), run statement by statement.

``sqlite3``'s ``executescript`` commits any open transaction first; an export is one
transaction (all of it is written, or none), so scripts are split here instead.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["read_script", "run_script", "statements"]


@cache
def read_script(name: str) -> str:
    """The text of the script ``name`` (e.g. ``"schema.sql"``)."""
    return (resources.files(__package__) / name).read_text(encoding="utf-8")


def statements(script: str) -> Iterator[str]:
    """Each complete statement of ``script``, comments and all, in order."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""
    if pending.strip() and any(not line.lstrip().startswith("--") for line in pending.splitlines() if line.strip()):
        raise ValueError(f"unterminated SQL statement: {pending.strip()[:80]}")


def run_script(connection: sqlite3.Connection, name: str, parameters: Mapping[str, Any] | None = None) -> None:
    """Run every statement of the script ``name`` inside the connection's current transaction."""
    for statement in statements(read_script(name)):
        connection.execute(statement, parameters or {})
