from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUM = ROOT / "tests" / "data" / "gum-news"
CORPUS = Path(os.environ.get("SUMMARIZER_CORPUS", ROOT.parent / "shared" / "corpus"))
"""Corpora that may not be copied into the repository, read where the project's shared folder is (or $SUMMARIZER_CORPUS)."""
SEED_ARTICLE = CORPUS / "iran-qatar-2025-02-20.txt"


@pytest.fixture(scope="session")
def korea_text() -> str:
    """A CC BY Wikinews article shipped in docs/examples (quotes and figures)."""
    return (ROOT / "docs" / "examples" / "korea.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def gum_articles() -> dict[str, dict]:
    lines = (GUM / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return {record["id"]: record for record in map(json.loads, lines)}


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The copyrighted seed article, read from shared/ and never copied into the repo."""
    if not SEED_ARTICLE.is_file():
        pytest.skip("shared/corpus is not beside this checkout")
    return SEED_ARTICLE.read_text(encoding="utf-8")
