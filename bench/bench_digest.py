"""Summaries and key points against human summaries: the lead, the embedded model raw and checked, and the default.

On the 24 GUM Wikinews articles (tests/data/gum-news), each with a human
summary, this prints ROUGE-1/2/L F-scores (``rouge-score``, stemmed) for:

* lead: the article's opening sentences (``--no-llm``);
* model, raw: what the embedded SmolLM2-135M writes when asked for a summary;
* model, checked: the same after the checks drop every sentence with a
  number, date or name the article lacks (the lead when none survives);
* lead, then the model's checked sentences;
* default: what ``summarizer summarize`` gives with no options.

and the key points joined, against the same human summary (a proxy for which
points carry what a reader retells), with the lead as the summary: the rules'
extractive picks, the model's checked points, and the default. The default
follows from these figures: the embedded model's checked summaries score
below the lead, its sentences as key points above the rules' picks, so the
lead is the summary and the model writes key points.

It also counts unsupported numbers, dates and names left in default
summaries and key points (must be 0), key points per article, and the time
per article. Needs the ``local`` extra and ``pip install rouge-score``.

    PYTHONPATH=. .venv/bin/python bench/bench_digest.py
"""

from __future__ import annotations

import functools
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rouge_score import rouge_scorer  # noqa: E402

from summarizer import Summarizer, make_article  # noqa: E402
from summarizer.grounding import checked_summary  # noqa: E402
from summarizer.grounding.summary import ArticleFacts, _sentences  # noqa: E402
from summarizer.model.backend import Extraction  # noqa: E402
from summarizer.model.llm import ModelClient  # noqa: E402
from summarizer.rules import find_evidence, lead_summary  # noqa: E402

GUM = ROOT / "tests" / "data" / "gum-news"


class _Recording:
    """The real model client, keeping the last answer it validated."""

    def __init__(self, inner: ModelClient) -> None:
        self.inner = inner
        self.last: Any = None

    async def aextract(self, messages: list[dict[str, str]], *, response_model: type[Any], context: dict[str, Any] | None = None) -> Extraction[Any]:
        self.last = None
        extraction = await self.inner.aextract(messages, response_model=response_model, context=context)
        self.last = extraction.answer
        return extraction


def main() -> None:
    articles = {r["id"]: r for r in map(json.loads, (GUM / "articles.jsonl").read_text(encoding="utf-8").splitlines())}
    gold = {r["id"]: r["summary"] for r in map(json.loads, (GUM / "gold.jsonl").read_text(encoding="utf-8").splitlines())}
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    runs: dict[str, list[str]] = {"lead": [], "model, raw": [], "model, checked": [], "lead, then the model's checked sentences": [], "default": []}
    points_runs: dict[str, list[str]] = {
        "key points, rules (extractive)": [],
        "key points, model (checked)": [],
        "the model's checked points, then the rules'": [],
        "default: the model's checked summary sentences and points, then the rules'": [],
    }
    seconds: dict[str, list[float]] = {"lead": [], "default": []}
    unsupported = points = 0
    with Summarizer(timeout_s=600) as embedded:  # the embedded model, as `summarizer summarize` runs it (a patient timeout: shared cores)
        model = _Recording(ModelClient(embedded._resolved_backend()))
        default = Summarizer(model_client=model, scope="summary", timeout_s=600)  # no model name: settings as the embedded default
        for article_id, record in articles.items():
            article = make_article(record["text"], id=article_id, title=record.get("title"))
            started = time.perf_counter()
            runs["lead"].append(lead_summary(article.text, title=article.title))
            seconds["lead"].append(time.perf_counter() - started)
            started = time.perf_counter()
            digest = default.summarize(article)
            seconds["default"].append(time.perf_counter() - started)
            raw = model.last  # None when the answer never validated (cut off at the token cap)
            runs["model, raw"].append(raw.summary if raw else "")
            check = functools.partial(checked_summary, text=article.text, title=article.title, evidence=find_evidence(article.text), actors=digest.actors)
            offered = raw.key_points if raw else []
            checked = check(raw.summary if raw else "", offered, use_model=True)
            runs["model, checked"].append(checked.text)
            lead = runs["lead"][-1]
            runs["lead, then the model's checked sentences"].append(lead + (" " + checked.text if checked.source == "model" else ""))
            rules_points = check("", [], use_model=False)
            points_runs["key points, rules (extractive)"].append(" ".join(point.text for point in rules_points.points))
            points_runs["key points, model (checked)"].append(" ".join(point.text for point in checked.points if point.extracted_by == "model"))
            points_only = check("", offered, use_model=True, model_summary=False)
            points_runs["the model's checked points, then the rules'"].append(" ".join(point.text for point in points_only.points))
            points_runs["default: the model's checked summary sentences and points, then the rules'"].append(" ".join(digest.summary.key_points))
            runs["default"].append(digest.summary.text)
            facts = ArticleFacts(article.text, digest.actors)
            for sentence in [*_sentences(digest.summary.text), *digest.summary.key_points]:
                if facts.unsupported(sentence):
                    unsupported += 1
                    print(f"unsupported in {article_id}: {facts.unsupported(sentence)} in {sentence!r}", file=sys.stderr)
            points += len(digest.summary.points)
    print(f"GUM Wikinews, {len(articles)} articles: ROUGE F against the human summary (stemmed)\n")
    print("| summary | ROUGE-1 | ROUGE-2 | ROUGE-L |")
    print("|---|---|---|---|")
    for label, texts in runs.items():
        scores = [scorer.score(gold[article_id], text) for article_id, text in zip(articles, texts)]
        row = [statistics.mean(s[name].fmeasure for s in scores) for name in ("rouge1", "rouge2", "rougeL")]
        print(f"| {label} | " + " | ".join(f"{value:.3f}" for value in row) + " |")
    print("\nKey points joined, against the same human summary (a proxy: which points carry what a reader retells)\n")
    print("| key points | ROUGE-1 | ROUGE-2 | ROUGE-L |")
    print("|---|---|---|---|")
    for label, texts in points_runs.items():
        scores = [scorer.score(gold[article_id], text) for article_id, text in zip(articles, texts)]
        row = [statistics.mean(s[name].fmeasure for s in scores) for name in ("rouge1", "rouge2", "rougeL")]
        print(f"| {label} | " + " | ".join(f"{value:.3f}" for value in row) + " |")
    print(f"\nseconds per article: lead {statistics.mean(seconds['lead']):.4f}, default {statistics.mean(seconds['default']):.2f}")
    print(f"default digests: {points / len(articles):.1f} key points per article; sentences with an unsupported number, date or name: {unsupported}")


if __name__ == "__main__":
    main()
