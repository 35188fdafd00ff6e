"""Completion tokens: citing rule candidates by reference vs copying their text.

For every GUM article, build two model answers of equal content from the rule
candidates — one citing quotes and figures as {"ref": "Q1", ...}, one copying
their text — and count their tokens with the embedded model's tokenizer
(SmolLM2, vocab only). Prints the totals and the saving.

    .venv/bin/python bench/bench_reference_tokens.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from llama_cpp import Llama

from summarizer.model.local import default_gguf_path
from summarizer.rules import find_evidence

GUM = Path(__file__).resolve().parent.parent / "tests" / "data" / "gum-news" / "articles.jsonl"


def answers(text: str) -> tuple[dict[str, object], dict[str, object]]:
    evidence = find_evidence(text)
    quotes_by_ref = [{"ref": q.ref, "speaker": q.speaker, "kind": "direct", "cue": q.cue} for q in evidence.quotes]
    quotes_by_text = [{"text": q.text, "speaker": q.speaker, "kind": "direct", "cue": q.cue} for q in evidence.quotes]
    figures_by_ref = [{"ref": f.ref, "describes": ""} for f in evidence.figures]
    figures_by_text = [{"text": f.match.text, "describes": ""} for f in evidence.figures]
    base = {"summary": "", "key_points": [], "actors": [], "stances": []}
    return {**base, "quotes": quotes_by_ref, "figures": figures_by_ref}, {**base, "quotes": quotes_by_text, "figures": figures_by_text}


def main() -> None:
    tokenizer = Llama(model_path=str(default_gguf_path()), vocab_only=True, verbose=False)

    def count(value: object) -> int:
        return len(tokenizer.tokenize(json.dumps(value, ensure_ascii=False).encode(), add_bos=False))

    by_ref = by_text = 0
    for line in GUM.read_text(encoding="utf-8").splitlines():
        ref_answer, text_answer = answers(json.loads(line)["text"])
        by_ref += count(ref_answer)
        by_text += count(text_answer)
    print(f"completion tokens over 24 GUM articles: by reference {by_ref:,}, copying text {by_text:,}")
    print(f"saving: {1 - by_ref / by_text:.1%} fewer tokens with references (target >= 40%)")


if __name__ == "__main__":
    sys.exit(main())
