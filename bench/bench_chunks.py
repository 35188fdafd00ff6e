"""Long articles read in chunks: calls, tokens, wall time and our own CPU time against article length.

Run from the repository root: ``python bench/bench_chunks.py`` (a few minutes;
``--words 1000,10000`` for a quick look). Articles of 1k, 10k, 50k and 200k
words (the GUM Wikinews articles joined, repeated) are summarized with the
full digest asked for, through a scripted OpenAI-compatible model that answers
each chunk about what it is shown (every listed candidate by number, a
passage, the names) at a latency of 0 s and 0.5 s. The model runs in a child
process, so this process's CPU time is ours alone: the rules, planning,
prompts, the openai client and Instructor, merging and grounding.

Printed per length: chunks; calls (chunks + summary of the parts); prompt
and completion tokens; wall time at each latency; our CPU time, in all and
per chunk, and as a share of the model's time at 0.5 s (calls x 0.5 s; target
at most 1 %), besides the share left once the rule stages (which any digest
of the article costs, chunked or not: ``Summarizer(use_llm=False)``) are taken
out; and the prompt tokens of the chunk calls against the article's own
tokens plus one prompt (instructions and candidates) per chunk (target: within
15 %, i.e. no text repeated beyond the overlap). Tokens are the package's
estimate (ASCII characters / 4, see ``summarizer.chunking``), in the prompts
and in the scripted model's usage alike.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer import Summarizer  # noqa: E402
from summarizer.chunking import estimate_messages, estimate_tokens, plan_chunks, prompt_budget  # noqa: E402
from summarizer.rules import find_evidence  # noqa: E402
from summarizer.schema import DigestAnswer  # noqa: E402
from summarizer.testing import Reply, ScriptedServer, answer, computed  # noqa: E402

GUM = ROOT / "tests" / "data" / "gum-news" / "articles.jsonl"
DEFAULT_WORDS = (1_000, 10_000, 50_000, 200_000)
LATENCIES = (0.0, 0.5)
CONCURRENCY = 4


def article_of(words: int) -> str:
    """The GUM articles joined (paragraphs kept), repeated and cut at a paragraph end after ``words`` words."""
    joined = "\n\n".join(json.loads(line)["text"] for line in GUM.read_text(encoding="utf-8").splitlines())
    paragraphs = joined.split("\n\n")
    taken: list[str] = []
    count = 0
    while count < words:
        paragraph = paragraphs[len(taken) % len(paragraphs)]
        taken.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(taken)


def reading_reply(request: dict[str, Any]) -> Reply:
    """A model that reads what it is shown: listed quotes and figures by number, a passage, the names listed."""
    user = request["messages"][-1]["content"]
    shown = re.search(r"<article[^>]*>\n(.*)\n</article>", user, re.DOTALL)
    part = shown.group(1) if shown else ""
    usage = (estimate_messages(request["messages"]), 40)
    if "structured digest" not in request["messages"][0]["content"]:
        return answer({"summary": "The article, summarized from its parts.", "key_points": []}, usage=usage)
    names = re.search(r"^Names: (.*)$", user, re.MULTILINE)
    return answer(
        {
            "summary": "One part of the article, summarized.",
            "actors": [{"name": name} for name in (names.group(1).split("; ") if names else [])],
            "quotes": [{"ref": ref} for ref in re.findall(r"^\[(Q\d+)\]", user, re.MULTILINE)] + [{"text": " ".join(part.split()[:12])}],
            "figures": [{"ref": ref} for ref in re.findall(r"^\[(F\d+)\]", user, re.MULTILINE)],
        },
        usage=usage,
    )


def serve(delay_s: float) -> None:
    """The child process: a scripted model until standard input closes."""
    with ScriptedServer(default=computed(reading_reply), delay_s=delay_s) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()


class ChildModel:
    """A scripted model in a child process (its CPU time is not ours)."""

    def __init__(self, delay_s: float) -> None:
        self.process = subprocess.Popen([sys.executable, __file__, "--serve", str(delay_s)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        self.base_url = self.process.stdout.readline().strip()

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)


def one_run(text: str, *, latency: float) -> dict[str, Any]:
    model = ChildModel(latency)
    try:
        with Summarizer(base_url=model.base_url, model="fake", concurrency=CONCURRENCY) as summarizer:
            summarizer.summarize("A warm-up article. It is short.", id="warm-up")  # loads openai and Instructor
            wall, cpu = time.perf_counter(), time.process_time()
            result = summarizer.summarize(text, id="bench")
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            budget = prompt_budget(context_tokens=summarizer.context_tokens, answer_tokens=summarizer.settings.max_tokens, answer_model=DigestAnswer)
    finally:
        model.close()
    return {"result": result, "wall": wall, "cpu": cpu, "budget": budget}


def rules_cpu(text: str) -> float:
    with Summarizer(use_llm=False) as summarizer:
        started = time.process_time()
        summarizer.summarize(text, id="rules")
        return time.process_time() - started


def expected_prompt_tokens(text: str, budget: int) -> tuple[int, int]:
    """(the article's own tokens, those plus one prompt per chunk without its article text)."""
    from summarizer.articles import make_article

    article = make_article(text, id="bench")
    chunks = plan_chunks(article, find_evidence(text), scope="full", budget=budget)
    own = estimate_tokens(text)
    prompts = sum(estimate_messages(chunk.messages) - estimate_tokens(text[chunk.start : chunk.end]) for chunk in chunks)
    return own, own + prompts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", default=",".join(map(str, DEFAULT_WORDS)), help="comma-separated article lengths in words")
    parser.add_argument("--serve", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.serve)
        return
    print(f"full digest, concurrency {CONCURRENCY}, context 8,192 tokens (an unknown model's), scripted model in a child process\n")
    header = (
        f"{'words':>8} {'chars':>10} {'chunks':>6} {'calls':>5} {'prompt tok':>10} {'compl tok':>9} {'wall@0':>7} {'wall@0.5':>8} "
        f"{'our cpu':>8} {'/chunk':>7} {'of model':>8} {'w/o rules':>9} {'tokens vs article+prompts':>26}"
    )
    print(header)
    for words in (int(w) for w in args.words.split(",")):
        text = article_of(words)
        fast = one_run(text, latency=0.0)
        slow = one_run(text, latency=0.5)
        result = slow["result"]
        provenance = result.provenance
        chunk_prompts = provenance.usage.prompt_tokens
        own, expected = expected_prompt_tokens(text, slow["budget"])
        model_s = provenance.attempts * 0.5
        rules_s = rules_cpu(text)
        print(
            f"{len(text.split()):>8,} {len(text):>10,} {provenance.chunks:>6} {provenance.attempts:>5} {chunk_prompts:>10,} "
            f"{provenance.usage.completion_tokens:>9,} {fast['wall']:>6.2f}s {slow['wall']:>7.2f}s {slow['cpu']:>7.2f}s "
            f"{1000 * slow['cpu'] / provenance.chunks:>5.0f}ms {100 * slow['cpu'] / model_s:>7.2f}% {100 * max(0.0, slow['cpu'] - rules_s) / model_s:>8.2f}% "
            f"{chunk_prompts / expected:>9.3f} ({chunk_prompts / own:.2f} of the article's)",
            flush=True,
        )
    print(
        "\n'of model': our CPU time / (calls x 0.5 s), target at most 1 %; 'w/o rules': the same once the rules-only digest's CPU time is "
        "taken out.\nPrompt tokens count the summary-of-parts calls too; the ratio to article + prompts targets at most 1.15."
    )


if __name__ == "__main__":
    main()
