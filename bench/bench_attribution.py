"""Who said what, measured: rule-found quotes against PolNeAR's hand-annotated attributions.

PolNeAR (../shared/corpus/polnear-train, read at run time, never copied) marks
every attribution in 840 political news articles: direct quotes, reported
speech ("indirect") and reported speech with quoted words ("mixed"), each
with its source and cue. This bench runs the rules alone (``--no-llm``) and
prints, per gold kind:

* recall: (for indirect ones, also of those whose cue is a verb of speech or "according to", what the rules set out
  to find) a gold attribution is found when a predicted quote's token Jaccard
  with its content span (without enclosing quote marks) is at least 0.5; a
  predicted quote is scored in pieces as ``summarizer eval`` scores it (its
  ``fragments``, and cut where the gold cuts one quotation into sentences,
  never across a speech tag);
* precision: a predicted quote is right when it matches any gold attribution
  that way (any kind: the gold annotates beliefs too, so this is generous
  only towards what a reader calls a quote), or the quoted words inside a
  mixed one ("quoted_parts": 'called it a "disaster"' holds the source's
  word "disaster", which the rules also give as a direct quote);
* speaker accuracy: on found quotes whose gold source is a name, the
  predicted speaker's surname occurs in the gold source span; and, as a
  second and noisier figure, on those whose gold source is "he" or "she",
  the surname occurs in the name PolNeAR's automatic coreference gives it.

Also GUM's speaker recall and quote recall (via ``summarizer eval``'s
scoring), and the cost of rule evidence per 1,000 words.

    PYTHONPATH=. .venv/bin/python bench/bench_attribution.py [--articles N] [--offset K]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer import Summarizer  # noqa: E402
from summarizer.evaluate import GoldQuote, load_gold, score, scored_quote_pieces  # noqa: E402
from summarizer.rules import find_evidence  # noqa: E402
from summarizer.rules.lexicon import REPORTING_VERBS  # noqa: E402
from summarizer.schema import ArticleSummary, Quote  # noqa: E402

CORPUS = Path(os.environ.get("SUMMARIZER_CORPUS", ROOT.parent / "shared" / "corpus"))
GUM = ROOT / "tests" / "data" / "gum-news"
_TOKEN = re.compile(r"\w+")
MIN_JACCARD = 0.5


def tokens(text: str) -> Counter[str]:
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    return Counter(_TOKEN.findall(folded))


def jaccard(a: Counter[str], b: Counter[str]) -> float:
    union = sum((a | b).values())
    return sum((a & b).values()) / union if union else 0.0


def content(gold: dict[str, Any]) -> dict[str, Any]:
    inner = gold.get("inner") or {}
    return inner if inner.get("text") else gold


def load_polnear(limit: int, offset: int) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    folder = CORPUS / "polnear-train"
    articles = {}
    with open(folder / "articles.jsonl", encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            articles[record["id"]] = record
    pairs = []
    with open(folder / "gold.jsonl", encoding="utf-8") as stream:
        for number, line in enumerate(stream):
            if number < offset:
                continue
            if len(pairs) >= limit:
                break
            gold = json.loads(line)
            pairs.append((articles[gold["id"]], gold))
    return pairs


def surname_match(speaker: str | None, gold: dict[str, Any]) -> bool:
    if not speaker:
        return False
    last = speaker.split()[-1].casefold().strip(".,'’")
    source = " ".join(filter(None, [(gold.get("source") or {}).get("text"), gold.get("speaker")])).casefold()
    return bool(last) and re.search(rf"\b{re.escape(last)}\b", source) is not None


def score_polnear(pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
    found = Counter[str]()
    total = Counter[str]()
    predicted = Counter[str]()
    correct = Counter[str]()
    speakers_ok = speakers_all = pronouns_ok = pronouns_all = 0
    with Summarizer(use_llm=False) as summarizer:
        for article, gold in pairs:
            digest = summarizer.summarize(article["text"], id=article["id"])
            golds = [(q, tokens(content(q)["text"])) for q in gold["quotes"]]
            # Scored as `summarizer eval` scores: a quote the article splits ("A," she said, "B") piece by piece, and a
            # quotation that PolNeAR cuts into sentences cut where it cuts (never across a speech tag).
            cuts = [GoldQuote(text=c["text"], start=c["start"], end=c["end"]) for c in map(content, gold["quotes"]) if c["text"].strip()]
            preds = [(q, tokens(q.text)) for q in scored_quote_pieces(digest.quotes, cuts)]
            for q, q_tokens in golds:
                kind = "indirect, speech cue" if q["kind"] == "indirect" and _speech_cue(q) else q["kind"]
                total[kind] += 1
                best = max(((jaccard(q_tokens, p_tokens), p) for p, p_tokens in preds), default=(0.0, None), key=lambda pair: pair[0])
                if best[0] >= MIN_JACCARD and best[1] is not None:
                    found[kind] += 1
                    if q.get("speaker_type") == "name":
                        speakers_all += 1
                        speakers_ok += surname_match(best[1].speaker, q)
                    elif _he_or_she(q):
                        pronouns_all += 1
                        pronouns_ok += surname_match(best[1].speaker, {"speaker": q["speaker_coref_auto"]["text"]})
            # A mixed attribution's quoted words are its source's words: a direct quote of just them is right.
            targets = [q_tokens for _, q_tokens in golds] + [tokens(part["text"]) for q in gold["quotes"] for part in q.get("quoted_parts") or []]
            for p, p_tokens in preds:
                predicted[p.kind] += 1
                correct[p.kind] += any(jaccard(q_tokens, p_tokens) >= MIN_JACCARD for q_tokens in targets)
    print(f"PolNeAR train, {len(pairs)} articles, rules only")
    print("| gold kind | gold | found | recall |")
    print("|---|---|---|---|")
    total["indirect"] += total["indirect, speech cue"]
    found["indirect"] += found["indirect, speech cue"]
    for kind in ("direct", "indirect", "indirect, speech cue", "mixed"):
        print(f"| {kind} | {total[kind]:,} | {found[kind]:,} | {found[kind] / max(total[kind], 1):.3f} |")
    print(
        '(indirect, speech cue: those whose cue is a verb of speech or "according to", what the rules set out to find; the others\n'
        "are beliefs, wishes, plans, findings of people, topics and acts, left to a model: see the README)"
    )
    print("\n| predicted kind | predicted | matching a gold attribution | precision |")
    print("|---|---|---|---|")
    for kind in ("direct", "indirect", "partial"):
        print(f"| {kind} | {predicted[kind]:,} | {correct[kind]:,} | {correct[kind] / max(predicted[kind], 1):.3f} |")
    print(f"\nspeaker accuracy (found quotes whose gold source is a name): {speakers_ok}/{speakers_all} = {speakers_ok / max(speakers_all, 1):.3f}")
    print(
        f"speaker accuracy (found quotes whose gold source is he/she, against PolNeAR's automatic coreference, itself noisy): "
        f"{pronouns_ok}/{pronouns_all} = {pronouns_ok / max(pronouns_all, 1):.3f}\n"
    )


def _speech_cue(gold: dict[str, Any]) -> bool:
    """Whether a gold attribution's cue ends in a verb of speech ("said", "has told") or is "according to"."""
    words = str((gold.get("cue") or {}).get("text") or "").casefold().split()
    return words == ["according", "to"] or (bool(words) and words[-1] in REPORTING_VERBS)


def _he_or_she(gold: dict[str, Any]) -> bool:
    """A gold source "he" or "she" that PolNeAR's automatic coreference resolved to a name."""
    return str((gold.get("source") or {}).get("text", "")).casefold() in ("he", "she") and bool(gold.get("speaker_coref_auto"))


def score_gum() -> None:
    gold = load_gold(GUM / "gold.jsonl", articles=GUM / "articles.jsonl")
    with Summarizer(use_llm=False) as summarizer:
        digests: dict[str, ArticleSummary] = {g.id: summarizer.summarize(g.text or "", id=g.id) for g in gold}
    report = score(gold, digests, recall_only=["quotes"])
    fields = {name: report.fields[name] for name in ("quotes", "quotes.exact_span", "quote_speakers")}
    print("GUM Wikinews, rules only: " + ", ".join(f"{name} recall {field.recall:.3f}" for name, field in fields.items()))
    by_kind = Counter(q.kind for d in digests.values() for q in d.quotes)
    print(f"  quotes by kind: {dict(by_kind)}\n")


def cost(pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
    texts = [article["text"] for article, _ in pairs]
    words = sum(len(text.split()) for text in texts)
    started = time.perf_counter()
    for text in texts:
        find_evidence(text)
    elapsed = time.perf_counter() - started
    print(f"rule evidence: {1000 * elapsed / max(words, 1) * 1000:.2f} ms per 1,000 words ({words:,} words)")


def seed() -> None:
    path = CORPUS / "iran-qatar-2025-02-20.txt"
    if not path.is_file():
        return
    with Summarizer(use_llm=False) as summarizer:
        digest = summarizer.summarize(path.read_text(encoding="utf-8"), id="seed")
    print("Seed article, rules only:")
    for quote in digest.quotes:
        print(f"  [{quote.kind}] {_label(quote)}: {quote.text[:70]!r}")
    print()


def _label(quote: Quote) -> str:
    return f"{quote.speaker!r}" + (f" via {quote.via!r}" if quote.via and quote.via != quote.speaker else "") + (f" ({quote.cue})" if quote.cue else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=840, help="PolNeAR articles to score (default: all 840)")
    parser.add_argument("--offset", type=int, default=0, help="skip this many articles first")
    args = parser.parse_args()
    if (CORPUS / "polnear-train" / "gold.jsonl").is_file():
        pairs = load_polnear(args.articles, args.offset)
        score_polnear(pairs)
        cost(pairs)
    else:
        print(f"PolNeAR not found under {CORPUS}: skipped")
    score_gum()
    seed()


if __name__ == "__main__":
    main()
