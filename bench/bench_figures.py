"""Benchmark ``summarizer.figures.find_figures`` against the GUM news gold figures.

Prints precision and recall by span overlap (a prediction is correct when it
overlaps a gold figure span), lists the predictions that overlap no gold span
(the gold leaves out some figures by design: see tests/data/gum-news/README.md),
and the time per 1,000 words on the corpus and on a long synthetic article.

    python bench/bench_figures.py [--list]
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from summarizer.rules import FigureMatch, find_figures

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "gum-news"
SEED = Path(os.environ.get("SUMMARIZER_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus")) / "iran-qatar-2025-02-20.txt"  # never copied


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def _load() -> list[tuple[str, str, list[dict[str, object]]]]:
    """(id, text, gold figures) per article."""
    texts = {}
    with (DATA / "articles.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            texts[record["id"]] = record["text"]
    with (DATA / "gold.jsonl").open(encoding="utf-8") as lines:
        golds = [json.loads(line) for line in lines]
    return [(gold["id"], texts[gold["id"]], gold["figures"]) for gold in golds]


def _score(corpus: list[tuple[str, str, list[dict[str, object]]]]) -> tuple[int, int, int, int, list[tuple[str, FigureMatch]]]:
    """Matched predictions, predictions, found gold, gold, and the unmatched predictions."""
    matched_pred = total_pred = found_gold = total_gold = 0
    unmatched: list[tuple[str, FigureMatch]] = []
    for article_id, text, gold in corpus:
        predicted = find_figures(text)
        spans = [(int(g["start"]), int(g["end"])) for g in gold]  # type: ignore[call-overload]
        total_pred += len(predicted)
        total_gold += len(spans)
        for match in predicted:
            if any(_overlaps(match.start, match.end, s, e) for s, e in spans):
                matched_pred += 1
            else:
                unmatched.append((article_id, match))
        found_gold += sum(any(_overlaps(m.start, m.end, s, e) for m in predicted) for s, e in spans)
    return matched_pred, total_pred, found_gold, total_gold, unmatched


def _kind_agreement(corpus: list[tuple[str, str, list[dict[str, object]]]]) -> tuple[int, int]:
    """How many overlapping (prediction, gold) pairs agree on kind; gold "duration" is our "measure"."""
    agree = pairs = 0
    for _, text, gold in corpus:
        for match in find_figures(text):
            for figure in gold:
                if _overlaps(match.start, match.end, int(figure["start"]), int(figure["end"])):  # type: ignore[call-overload]
                    pairs += 1
                    agree += {"duration": "measure"}.get(str(figure["kind"]), str(figure["kind"])) == match.figure.kind
    return agree, pairs


def _best_ms(text: str, repeat: int) -> float:
    """Best wall time of ``repeat`` runs, in ms: the machine is shared, the minimum is the stable number."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        find_figures(text)
        best = min(best, time.perf_counter() - started)
    return best * 1000


def main() -> None:
    corpus = _load()
    matched, predicted, found, gold, unmatched = _score(corpus)
    print(f"gold figures {gold}, predicted {predicted}")
    print(f"precision by overlap {matched / predicted:.3f} ({matched}/{predicted})")
    print(f"recall by overlap    {found / gold:.3f} ({found}/{gold})")
    agree, pairs = _kind_agreement(corpus)
    print(f"kind agrees with gold on {agree}/{pairs} overlapping pairs")
    if "--list" in sys.argv:
        print("predictions overlapping no gold span:")
        for article_id, match in unmatched:
            print(f"  {article_id[9:]:14} {match.text!r:40} {match.figure}")
    all_text = "\n\n".join(text for _, text, _ in corpus)
    words = len(all_text.split())
    print(f"corpus ({words} words): {_best_ms(all_text, 20) / words * 1000:.3f} ms per 1,000 words")
    long_text = (all_text + "\n\n") * (50_000 // words + 1)
    print(f"one {len(long_text.split())}-word article: {_best_ms(long_text, 5):.1f} ms")
    if SEED.exists():
        seed = SEED.read_text(encoding="utf-8")
        print("seed article figures:", [m.text for m in find_figures(seed)])


if __name__ == "__main__":
    main()
