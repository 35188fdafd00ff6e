"""The embedded model (SmolLM2-135M) before and after evidence-first extraction.

Three ways of running the same model over GUM articles that have gold quotes:

* ``llm-only``: the full digest asked of the model with no rule candidates,
  the design this project started from (grounding still drops inventions);
* ``evidence+full``: rule candidates in the prompt, the model labels them;
* ``default``: what `summarizer summarize` does with the embedded model: the
  model writes the summary, the rules supply quotes, figures and actors.

Prints seconds, tokens, grounded quotes per article and quote/speaker recall
(summarizer.evaluate), then the seed article's digest time if shared/ is there.

    .venv/bin/python bench/bench_embedded.py [N_ARTICLES]
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

from summarizer import Summarizer, api
from summarizer.evaluate import load_gold, score
from summarizer.model.local import EmbeddedServer
from summarizer.rules import Evidence

ROOT = Path(__file__).resolve().parent.parent
GUM = ROOT / "tests" / "data" / "gum-news"
SEED = Path(os.environ.get("SUMMARIZER_CORPUS", ROOT.parent / "shared" / "corpus")) / "iran-qatar-2025-02-20.txt"  # never copied
NO_EVIDENCE = Evidence(quotes=(), figures=(), names=())


def run(config: str, base_url: str, model: str, gold: list, limit: int) -> None:
    scope = "summary" if config == "default" else "full"
    predictions, seconds, prompt, completion = {}, [], [], []
    patch = (
        mock.patch.object(api, "find_evidence", lambda text: NO_EVIDENCE)
        if config == "llm-only"
        else mock.patch.object(api, "find_evidence", api.find_evidence)
    )
    with patch, Summarizer(base_url=base_url, model=model, mode="llama_cpp", scope=scope) as summarizer:
        for article in gold[:limit]:
            started = time.perf_counter()
            result = summarizer.summarize(article.text, id=article.id, title=article.title)
            seconds.append(time.perf_counter() - started)
            prompt.append(result.provenance.usage.prompt_tokens)
            completion.append(result.provenance.usage.completion_tokens)
            predictions[article.id] = result
    report = score(gold[:limit], predictions, recall_only={"quotes"})
    grounded = statistics.mean(sum(q.grounding != "unmatched" for q in r.quotes) for r in predictions.values())
    by_model = statistics.mean(sum(q.extracted_by == "model" for q in r.quotes) for r in predictions.values())
    f = report.fields
    print(
        f"{config:14} {statistics.mean(seconds):6.1f} s/article  tokens {statistics.mean(prompt):6.0f}+{statistics.mean(completion):4.0f}"
        f"  grounded quotes/article {grounded:4.1f} (model {by_model:3.1f})"
        f"  quote recall {f['quotes'].recall:.2f}  speaker recall {f['quote_speakers'].recall:.2f}"
        f"  actor F1 {f['actors'].f1:.2f}"
    )


def main() -> None:
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    gold = [g for g in load_gold(GUM / "gold.jsonl", articles=GUM / "articles.jsonl") if g.quotes and any(q.speaker for q in g.quotes)]
    with EmbeddedServer() as server:
        assert server.base_url
        print(f"{limit} GUM articles with gold quotes and speakers; model {server.model_name}")
        for config in ("llm-only", "evidence+full", "default"):
            run(config, server.base_url, server.model_name, gold, limit)
    if SEED.is_file():
        started = time.perf_counter()
        with Summarizer() as summarizer:
            result = summarizer.summarize(SEED.read_text(encoding="utf-8"))
        usage = result.provenance.usage
        print(
            f"seed article, default embedded run (server start included): {time.perf_counter() - started:.1f} s, "
            f"{result.provenance.attempts} call(s), {usage.prompt_tokens}+{usage.completion_tokens} tokens, "
            f"{len(result.quotes)} quotes, {len(result.figures)} figures, {len(result.actors)} actors, warnings: {result.provenance.warnings}"
        )


if __name__ == "__main__":
    main()
