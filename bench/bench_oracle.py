"""The ceiling of the model path: gold served as the model's answer, scored next to the rules alone.

No strong model runs here, so the LLM path is measured from above: each
article's gold (actors, quotes with speakers, figures, stances) is served as
the model's answer by a scripted OpenAI-compatible loopback server, the
pipeline grounds it like any answer, and ``summarizer eval`` scores the digest
against the same gold. What a perfect answer loses here, a real model loses too.

Corpora (the copyrighted ones are read from ../shared at run time, never copied):

* GUM Wikinews (tests/data/gum-news): actors, quotes, speakers, figures;
* the seed article (../shared/corpus/iran-qatar-2025-02-20.txt): a small gold
  written here as anchors (first and last words of each quote), resolved
  against the text at run time;
* PolNeAR train (../shared/corpus/polnear-train): direct, reported and mixed
  quotes with their speakers.

    PYTHONPATH=. .venv/bin/python bench/bench_oracle.py [--polnear N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer import Summarizer  # noqa: E402
from summarizer.evaluate import EvalReport, GoldArticle, GoldQuote, GoldStance, load_gold, score  # noqa: E402
from summarizer.schema import ArticleSummary  # noqa: E402
from summarizer.testing import oracle_digests  # noqa: E402
from tests.seed import seed_gold  # noqa: E402

CORPUS = Path(os.environ.get("SUMMARIZER_CORPUS", ROOT.parent / "shared" / "corpus"))
GUM = ROOT / "tests" / "data" / "gum-news"


def rules_digests(gold: Sequence[GoldArticle]) -> dict[str, ArticleSummary]:
    with Summarizer(use_llm=False) as summarizer:
        return {article.id: summarizer.summarize(article.text or "", id=article.id, title=article.title) for article in gold}


def table(rows: dict[str, EvalReport]) -> str:
    fields = sorted({name for report in rows.values() for name in report.fields}, key=list(next(iter(rows.values())).fields).index)
    lines = ["| run | " + " | ".join(fields) + " |", "|---|" + "---|" * len(fields)]
    for label, report in rows.items():
        cells = []
        for name in fields:
            field = report.fields.get(name)
            if field is None:
                cells.append("—")
            elif field.precision is None:
                cells.append(f"R {field.recall:.3f}" if field.recall is not None else "—")
            else:
                cells.append(f"P {field.precision:.3f} / R {field.recall:.3f}" if field.recall is not None else f"P {field.precision:.3f}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def gum() -> None:
    gold = load_gold(GUM / "gold.jsonl", articles=GUM / "articles.jsonl")
    rows = {
        "rules only": score(gold, rules_digests(gold), recall_only=["quotes"]),
        "oracle answer": score(gold, oracle_digests(gold), recall_only=["quotes"]),
        "oracle, no rejections": score(gold, oracle_digests(gold, rejects=False), recall_only=["quotes"]),
        # A real model that skips minor actors: every other gold actor, nothing rejected.
        "oracle, every other actor": score(gold, oracle_digests(gold, keep_actors=lambda i: i % 2 == 0, rejects=False), recall_only=["quotes"]),
    }
    print("GUM Wikinews, 24 articles (quotes scored for recall: the gold is incomplete)\n")
    print(table(rows))
    actor_counts = {
        label: sum(len(d.actors) for d in digests.values()) for label, digests in (("rules", rules_digests(gold)), ("oracle", oracle_digests(gold)))
    }
    print(f"\nactors listed: {actor_counts}\n")


def seed() -> None:
    """The seed article: its gold written here as anchors, served as a perfect answer."""
    path = CORPUS / "iran-qatar-2025-02-20.txt"
    if not path.is_file():
        print(f"seed article not found at {path}: skipped\n")
        return
    text = path.read_text(encoding="utf-8")
    gold = seed_gold(text)
    rules, oracle = rules_digests([gold])["seed"], oracle_digests([gold])["seed"]
    print("Seed article: the gold (7 quotes, 7 stances, 1 figure) against rules only and the oracle answer")
    for label, digest in (("rules only", rules), ("oracle answer", oracle)):
        quotes = sum(_has_quote(digest, q) for q in gold.quotes or ())
        stances = sum(_has_stance(digest, s) for s in gold.stances or ())
        figure = any(f.text == "$6 billion" and f.value == 6e9 for f in digest.figures)
        print(f"  {label}: quotes with the gold speaker {quotes}/{len(gold.quotes or ())}, stances {stances}/{len(gold.stances or ())}, $6 billion {figure}")
    print()


def _has_quote(digest: ArticleSummary, gold: GoldQuote) -> bool:
    last = (gold.speaker or "").split()[-1]
    return any(
        q.start is not None and q.start <= (gold.start or 0) < (q.end or 0) and last in (q.speaker or "") and gold.text[:40] in q.text for q in digest.quotes
    )


def _has_stance(digest: ArticleSummary, gold: GoldStance) -> bool:
    return any(s.polarity == gold.polarity and gold.holder in s.holder and gold.target in s.target for s in digest.stances)


def polnear(limit: int) -> None:
    folder = CORPUS / "polnear-train"
    if not (folder / "gold.jsonl").is_file():
        print(f"PolNeAR not found at {folder}: skipped\n")
        return
    gold = load_gold(folder / "gold.jsonl", articles=folder / "articles.jsonl")[:limit]
    gold = [g.model_copy(update={"actors": None, "figures": None}) for g in gold]  # not annotated there
    rows = {"rules only": score(gold, rules_digests(gold)), "oracle answer": score(gold, oracle_digests(gold))}
    print(f"PolNeAR train, {len(gold)} articles (every attribution: direct, reported and mixed)\n")
    print(table(rows))
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--polnear", type=int, default=120, help="PolNeAR articles to score (0 skips it)")
    parser.add_argument("--json", action="store_true", help="print the GUM reports as JSON too")
    args = parser.parse_args()
    gum()
    seed()
    if args.polnear:
        polnear(args.polnear)
    if args.json:
        gold = load_gold(GUM / "gold.jsonl", articles=GUM / "articles.jsonl")
        print(json.dumps(score(gold, oracle_digests(gold), recall_only=["quotes"]).to_json(), indent=2))


if __name__ == "__main__":
    main()
