"""Benchmark grounding: articles of 1k, 10k and 50k words with 50 planted quotes.

The texts are GUM Wikinews articles joined end to end. The "model answer"
quotes 50 passages of 10-25 words spread over the text: a third verbatim, a
third with typographic changes (curly/straight quotes, dashes, whitespace), a
third with a small wording edit (a word dropped or changed). Its actors are
80 gold actor names of the articles used (about 200 mentions at 10k words).

Prints the median wall time of ``ground()`` (rule evidence left empty, so only
grounding is timed), how the quotes were grounded, and the growth ratios.
LangExtract 1.7.1's aligner, measured on the same kind of input: 431 ms at 10k
words, 1,445 ms at 50k words, 3,667 ms at ~1k words with most quotes fuzzy.

    .venv/bin/python bench/bench_grounding.py
"""

from __future__ import annotations

import json
import random
import statistics
import time
from collections import Counter
from pathlib import Path

from summarizer.grounding import ground
from summarizer.rules import Evidence
from summarizer.schema import ActorAnswer, DigestAnswer, QuoteAnswer

GUM = Path(__file__).resolve().parent.parent / "tests" / "data" / "gum-news"
QUOTES = 50
ACTORS = 80
RUNS = 7
TYPOGRAPHY = str.maketrans({"'": "’", '"': "”", "-": "–", "’": "'", "“": '"', "”": '"'})


def read_jsonl(name: str) -> list[dict]:
    return [json.loads(line) for line in (GUM / name).read_text(encoding="utf-8").splitlines()]


def build_text(words: int) -> tuple[str, list[str]]:
    """GUM articles joined (repeating them when needed) and cut at ``words`` words; plus the gold actor names in it."""
    articles, gold = read_jsonl("articles.jsonl"), read_jsonl("gold.jsonl")
    pieces: list[str] = []
    names: set[str] = set()
    count = 0
    while count < words:
        for article, truth in zip(articles, gold):
            pieces.append(article["text"])
            names.update(a["name"] for a in truth["actors"])
            count += len(article["text"].split())
            if count >= words:
                break
    text = "\n\n".join(pieces)
    text = text[: _word_offset(text, words)]
    return text, sorted(n for n in names if n in text)


def _word_offset(text: str, words: int) -> int:
    """Offset just after the ``words``-th whitespace-separated word."""
    position = 0
    for seen, token in enumerate(text.split(), start=1):
        position = text.index(token, position) + len(token)
        if seen >= words:
            break
    return position


def plant_quotes(text: str, *, fuzzy_share: float, rng: random.Random) -> list[QuoteAnswer]:
    """50 passages of the text as a model might quote them."""
    tokens = text.split()
    step = max(1, (len(tokens) - 30) // QUOTES)
    quotes = []
    for n in range(QUOTES):
        first = n * step + rng.randrange(0, max(1, step - 25))
        passage = tokens[first : first + rng.randint(10, 25)]
        kind = "fuzzy" if rng.random() < fuzzy_share else ("typography" if n % 2 else "exact")
        if kind == "typography":
            passage = [word.translate(TYPOGRAPHY) for word in passage]
            passage[len(passage) // 2] += "\n "  # a line break where the article has a space
        elif kind == "fuzzy":
            victim = rng.randrange(1, len(passage) - 1)
            if rng.random() < 0.5:
                del passage[victim]
            else:
                passage[victim] = passage[victim] + "s"
        quotes.append(QuoteAnswer(text=" ".join(passage)))
    return quotes


def measure(words: int, *, fuzzy_share: float) -> tuple[float, Counter[str], int, int]:
    """Median ms of ground(), grounding statuses, mentions found, and the text's word count."""
    text, names = build_text(words)
    rng = random.Random(words)
    answer = DigestAnswer(
        summary="",
        quotes=plant_quotes(text, fuzzy_share=fuzzy_share, rng=rng),
        actors=[ActorAnswer(name=n) for n in rng.sample(names, min(ACTORS, len(names)))],
    )
    empty = Evidence(quotes=(), figures=(), names=())
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        digest = ground(answer, text=text, evidence=empty)
        timings.append((time.perf_counter() - started) * 1000)
    statuses = Counter(q.grounding for q in digest.quotes)
    statuses["dropped"] = QUOTES - len(digest.quotes)
    mentions = sum(len(a.mentions) for a in digest.actors)
    return statistics.median(timings), statuses, mentions, len(text.split())


def main() -> None:
    rows = [
        ("1k words", 1_000, 1 / 3),
        ("10k words", 10_000, 1 / 3),
        ("50k words", 50_000, 1 / 3),
        ("1k words, most fuzzy", 1_000, 0.8),
    ]
    results = {}
    print(f"{'case':24} {'words':>7} {'ms':>8} {'mentions':>9}  quotes (exact/fuzzy/dropped)")
    for label, words, share in rows:
        ms, statuses, mentions, counted = measure(words, fuzzy_share=share)
        results[label] = ms
        print(f"{label:24} {counted:>7} {ms:>8.1f} {mentions:>9}  {statuses['exact']}/{statuses['fuzzy']}/{statuses['dropped']}")
    print(f"growth 10k/1k: {results['10k words'] / results['1k words']:.1f}x   50k/10k: {results['50k words'] / results['10k words']:.1f}x")
    print(
        "vs LangExtract 1.7.1: "
        f"10k {431 / results['10k words']:.0f}x faster, 50k {1445 / results['50k words']:.0f}x, "
        f"1k mostly fuzzy {3667 / results['1k words, most fuzzy']:.0f}x"
    )


if __name__ == "__main__":
    main()
