"""Benchmark the rule evidence: quote recall and speaker accuracy on GUM, speed, seed article.

Run from the repository root: ``python bench/bench_evidence.py``. Prints:

* quote-span recall against the gold quotes of ``tests/data/gum-news`` (a gold
  quote counts as found when one candidate covers at least half of it), and
  the share of candidates in documents with quote markup that touch a gold quote;
* speaker accuracy on found gold quotes that have a gold speaker (same surname,
  acronym or shared name word);
* CPU milliseconds per 1,000 words of ``find_evidence`` (best of its rounds), split by rule stage (names,
  quotes, reported speech, ...), and of what the digest adds to it: stance
  candidates, the checks of model text and the key points;
* the candidates found in the seed article (read at run time, never copied).
"""

from __future__ import annotations

import json
import os
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import summarizer.rules.evidence as evidence_module  # noqa: E402
from summarizer.grounding import checked_summary  # noqa: E402
from summarizer.rules import Evidence, QuoteCandidate, find_evidence, lead_sentences, lead_summary  # noqa: E402

GUM = ROOT / "tests" / "data" / "gum-news"
SEED = Path(os.environ.get("SUMMARIZER_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus")) / "iran-qatar-2025-02-20.txt"  # never copied
FOUND_OVERLAP = 0.5
TIMING_ROUNDS = 20


def load_gum() -> list[tuple[dict, dict]]:
    """(article, gold) pairs of the GUM news corpus."""
    articles = [json.loads(line) for line in (GUM / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    gold = [json.loads(line) for line in (GUM / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    return list(zip(articles, gold))


def covering_quote(evidence: Evidence, start: int, end: int) -> QuoteCandidate | None:
    """The candidate covering the largest share of ``[start, end)`` when that share is >= 50%."""
    best, best_share = None, 0.0
    for quote in evidence.quotes:
        share = max(0, min(end, quote.end) - max(start, quote.start)) / max(1, end - start)
        if share > best_share:
            best, best_share = quote, share
    return best if best_share >= FOUND_OVERLAP else None


def name_words(name: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", name.split(" (")[0]).encode("ascii", "ignore").decode()
    return [word.lower() for word in plain.replace("-", " ").split() if word[:1].isupper() or word.isupper()]


def same_speaker(predicted: str | None, gold: str) -> bool:
    """Surname/alias match: a last name word of one is among the other's words, or an acronym matches."""
    if not predicted:
        return False
    mine, theirs = name_words(predicted), name_words(gold)
    if not mine or not theirs:
        return False
    if mine[-1] in theirs or theirs[-1] in mine:
        return True
    initials = "".join(word[0] for word in theirs if word not in ("of", "the", "and"))
    return len(mine) == 1 and mine[0] == initials


def measure_gum(pairs: list[tuple[dict, dict]]) -> dict[str, float]:
    gold_quotes = found = with_speaker = right_speaker = 0
    candidates = touching = 0
    for article, gold in pairs:
        evidence = find_evidence(article["text"])
        for quote in gold["quotes"]:
            gold_quotes += 1
            match = covering_quote(evidence, quote["start"], quote["end"])
            found += match is not None
            if quote["speaker"] and match is not None:
                with_speaker += 1
                right_speaker += same_speaker(match.speaker, quote["speaker"])
        if gold["quotes"]:
            spans = [(q["start"], q["end"]) for q in gold["quotes"]]
            for candidate in evidence.quotes:
                candidates += 1
                touching += any(candidate.start < e and s < candidate.end for s, e in spans)
    return {
        "gold quotes": gold_quotes,
        "recall": found / gold_quotes,
        "speaker accuracy": right_speaker / max(1, with_speaker),
        "found with speaker": with_speaker,
        "candidate precision (docs with markup)": touching / max(1, candidates),
    }


def ms_per_thousand_words(pairs: list[tuple[dict, dict]]) -> tuple[float, int]:
    """CPU time of ``find_evidence`` on a ~1,000-word text built from GUM articles, best of the rounds (the machine is shared:
    the best round is the one least disturbed)."""
    texts, words = [], 0
    for article, _ in pairs:
        texts.append(article["text"])
        words += len(article["text"].split())
        if words >= 1000:
            break
    text = "\n\n".join(texts)
    find_evidence(text)  # warm the regex caches
    timings = []
    for _ in range(TIMING_ROUNDS):
        started = time.process_time()
        find_evidence(text)
        timings.append(time.process_time() - started)
    return min(timings) * 1000 * 1000 / words, words


STAGES = ("find_names", "MentionIndex", "find_quotes", "find_reported", "find_turns", "find_figures", "find_stances")


def stage_costs(pairs: list[tuple[dict, dict]]) -> dict[str, float]:
    """CPU milliseconds per 1,000 words of each stage of ``find_evidence`` over all GUM articles, best of 5 rounds.

    Each stage is timed where ``find_evidence`` calls it; "rest" is what lies
    between them (numbering, speakers' labels).
    """
    texts = [article["text"] for article, _ in pairs]
    words = sum(len(text.split()) for text in texts)
    real = {name: getattr(evidence_module, name) for name in STAGES}
    spent: dict[str, float] = {}

    def timed(name: str) -> object:
        def run(*args: object, **kwargs: object) -> object:
            started = time.process_time()
            try:
                return real[name](*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - started

        return run

    best: dict[str, float] = {}
    try:
        for name in STAGES:
            setattr(evidence_module, name, timed(name))
        for _ in range(5):
            spent.clear()
            started = time.process_time()
            for text in texts:
                find_evidence(text)
            spent["total"] = time.process_time() - started
            for name, seconds in spent.items():
                best[name] = min(best.get(name, float("inf")), seconds)
    finally:
        for name, stage in real.items():
            setattr(evidence_module, name, stage)
    costs = {name.removeprefix("find_"): best[name] * 1000 * 1000 / words for name in STAGES}
    costs["rest"] = max(0.0, best["total"] * 1000 * 1000 / words - sum(costs.values()))
    return costs


def checks_cost(pairs: list[tuple[dict, dict]]) -> float:
    """CPU milliseconds per 1,000 words over all GUM articles of the checks and key points, best of 5: each article's three
    lead sentences (as if a model wrote them) held as summary and as key points against the article, then key points picked."""
    texts = [article["text"] for article, _ in pairs]
    words = sum(len(text.split()) for text in texts)
    prepared = []
    for text in texts:
        lead = [" ".join(s.text.split()) for s in lead_sentences(text)]
        prepared.append((text, " ".join(lead), lead, find_evidence(text)))
    timings = []
    for _ in range(5):
        started = time.process_time()
        for text, summary, points, evidence in prepared:
            checked_summary(summary, points, text=text, title=None, evidence=evidence, actors=[], use_model=True)
        timings.append(time.process_time() - started)
    return min(timings) * 1000 * 1000 / words


def show_seed() -> None:
    if not SEED.is_file():
        print(f"seed article not found at {SEED}: skipped")
        return
    text = SEED.read_text(encoding="utf-8")
    evidence = find_evidence(text)
    print(f"\nseed article {SEED.name}:")
    for quote in evidence.quotes:
        words = quote.text.split()
        preview = " ".join(words[:12]) + (" …" if len(words) > 12 else "")
        print(f"  [{quote.ref}] {preview!r} cue={quote.cue} speaker={quote.speaker} via={quote.via}")
    for figure in evidence.figures:
        print(f"  [{figure.ref}] {figure.match.text!r} {figure.match.figure.kind} {figure.match.figure.value}")
    for name in evidence.names:
        print(f"  [{name.ref}] {name.name} ({name.kind}) x{len(name.mentions)}" + (f" title={name.title!r}" if name.title else ""))
    print(f"  lead summary: {lead_summary(text)!r}")


def main() -> None:
    pairs = load_gum()
    scores = measure_gum(pairs)
    print("quote evidence on GUM news")
    for key, value in scores.items():
        print(f"  {key}: {value:.3f}" if isinstance(value, float) else f"  {key}: {value}")
    ms, words = ms_per_thousand_words(pairs)
    print(f"find_evidence speed: {ms:.1f} CPU ms per 1,000 words (text of {words} words, best of {TIMING_ROUNDS} rounds; target: under 5)")
    stages = stage_costs(pairs)
    print("find_evidence by stage, CPU ms per 1,000 words (all GUM, best of 5): " + ", ".join(f"{name} {value:.2f}" for name, value in stages.items()))
    costs = {"stance candidates": stages["stances"], "checks and key points": checks_cost(pairs)}  # the stances stage is the digest's
    parts = ", ".join(f"{name} {value:.2f}" for name, value in costs.items())
    print(f"what the digest adds, CPU ms per 1,000 words: {parts}; together {sum(costs.values()):.2f} (target: under 2)")
    show_seed()


if __name__ == "__main__":
    main()
