"""Rules-only time against length: ordinary articles and hostile text, 10k -> 100k -> 1M characters.

Run from the repository root: ``python bench/bench_long.py`` (about three
minutes on two cores; ``--sizes 2000,20000`` for a quick look, ``--kinds run``
for the kinds whose name contains "run", ``--stages`` to time each rule stage
apart). For every kind of text it prints the seconds ``Summarizer(use_llm=False)``
takes at each length and the growth per 10x of text: linear code grows 10x,
the target is at most 12x (from the issue: a batch worker must never stall
minutes on one scraped page of leader dots or "!!!!"). The target is judged on
the two largest sizes: at 10k characters the timings are mostly caches and noise.

Kinds: ordinary news (the GUM articles joined, repeated to length); runs of
each ASCII punctuation mark and of "…", bare and spaced; quote marks (paired,
unpaired, alternating, nested); capitalised words; digits with separators;
one enormous paragraph; an interview transcript ("NAME: words" turns).
"""

from __future__ import annotations

import argparse
import json
import random
import string
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer import Summarizer  # noqa: E402
from summarizer.articles import article_from_text  # noqa: E402
from summarizer.grounding import ground  # noqa: E402
from summarizer.rules import find_evidence, lead_summary  # noqa: E402
from summarizer.schema import DigestAnswer  # noqa: E402

GUM = ROOT / "tests" / "data" / "gum-news" / "articles.jsonl"
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
TARGET_GROWTH = 12.0


def gum_text() -> str:
    """The GUM news articles joined as one text, paragraphs kept."""
    records = [json.loads(line) for line in GUM.read_text(encoding="utf-8").splitlines()]
    return "\n\n".join(record["text"] for record in records)


def repeated(unit: str) -> Callable[[int], str]:
    return lambda size: (unit * (size // len(unit) + 1))[:size]


def _capitalised_words(size: int) -> str:
    rng = random.Random(7)
    words: list[str] = []
    length = 0
    while length < size:
        words.append(rng.choice(string.ascii_uppercase) + "".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 8))))
        length += len(words[-1]) + 1
    return " ".join(words)[:size]


def _transcript(size: int) -> str:
    """Interview turns: 'NAME: sentence. "Quoted," she said.' over the GUM vocabulary."""
    rng = random.Random(11)
    vocabulary = gum_text().split()
    speakers = ["INTERVIEWER", "Dr. Jane Smith", "MR. OKAFOR", "Q", "A"]
    turns: list[str] = []
    length = 0
    while length < size:
        start = rng.randrange(len(vocabulary) - 60)
        words = " ".join(vocabulary[start : start + rng.randint(8, 60)])
        turn = f"{rng.choice(speakers)}: {words}"
        turns.append(turn)
        length += len(turn) + 1
    return "\n".join(turns)[:size]


def _names(size: int, *, surname: str | None) -> str:
    """Two-word names, one a sentence: all sharing ``surname``, or pairs from 300 capitalised words."""
    rng = random.Random(5)
    vocabulary = [rng.choice(string.ascii_uppercase) + "".join(rng.choices(string.ascii_lowercase, k=6)) for _ in range(300)]
    sentences: list[str] = []
    length = 0
    while length < size:
        first = rng.choice(string.ascii_uppercase) + "".join(rng.choices(string.ascii_lowercase, k=6)) if surname else rng.choice(vocabulary)
        sentence = f"{first} {surname or rng.choice(vocabulary)} spoke."
        sentences.append(sentence)
        length += len(sentence) + 1
    return " ".join(sentences)[:size]


def _mixed_names(size: int) -> str:
    """Names of one to four words drawn from 300 capitalised words: many short forms of many long ones."""
    rng = random.Random(3)
    vocabulary = [rng.choice(string.ascii_uppercase) + "".join(rng.choices(string.ascii_lowercase, k=6)) for _ in range(300)]
    sentences: list[str] = []
    length = 0
    while length < size:
        sentence = " ".join(rng.choices(vocabulary, k=rng.randint(1, 4))) + " said so."
        sentences.append(sentence)
        length += len(sentence) + 1
    return " ".join(sentences)[:size]


def _one_paragraph(size: int) -> str:
    return " ".join(repeated(gum_text() + "\n\n")(size).split())[:size]


def kinds() -> dict[str, Callable[[int], str]]:
    """Every kind of text timed, by name."""
    found: dict[str, Callable[[int], str]] = {"ordinary (GUM joined)": repeated(gum_text() + "\n\n")}
    for mark in [*string.punctuation, "…"]:
        found[f"run {mark}"] = repeated(mark)
        found[f"spaced {mark}"] = repeated(mark + " ")
        found[f"word{mark} "] = repeated(f"Word{mark} ")
    found.update(
        {
            "quotes paired": repeated('"Word word word," said Smith. '),
            "quotes curly unpaired": repeated("“Word word "),
            "quotes alternating": repeated("“”"),
            "quotes nested": repeated("“‘«"),
            "quotes apostrophes": repeated("'s 'd 'Word' "),
            "capitalised words": _capitalised_words,
            "capitalised repeated": repeated("The United Nations Security Council "),
            "function words capitalised": repeated("The "),
            "demonyms before a title": lambda size: repeated("Iranian ")(size - 30) + "President Hassan Rouhani spoke",
            "honorifics after a title": lambda size: "President " + repeated("Sheikh ")(size - 10),
            "names sharing a surname": lambda size: _names(size, surname="Smith"),
            "names from 300 words": lambda size: _names(size, surname=None),
            "names of 1-4 words from 300": _mixed_names,
            "labels on one line": repeated("SYSTEM: USER: "),
            "pull quotes": repeated("We will fight on and we will win this war. Charles Bolden, NASA Administrator\n\n"),
            "pronoun quotes, no persons": repeated('The Council met. "We will fight on and on," he said. '),
            "speech cues in one run-on sentence": lambda size: "Ann Lee spoke. " + repeated("the mayor, who said, ")(size - 15),
            "lead-in cues in one run-on sentence": lambda size: "Ann Lee spoke. " + repeated("the mayor said that a CNN poll found that they ")(size - 15),
            "headline cues on one line": repeated("Ann Lee Says The Plan Is Dead "),
            "headline lines": repeated("Ann Lee Says The Plan Is Dead\n"),
            "json braces": repeated('{"name": "Joe Biden", "x": {"y": 1}} '),
            "quote marks nested, no words": lambda size: "“" * (size // 2) + "”" * (size - size // 2),
            "whitespace runs": repeated("Word." + " " * 500 + "\n" * 3 + "\t" * 200),
            "markdown heading of spaces": lambda size: "# " + " " * (size - 3) + "x",
            "initials": repeated("A. B. C. "),
            "digits 1,000,000": repeated("1,000,000,"),
            "digits 1.2.3": repeated("1.2.3."),
            "digits $ amounts": repeated("$1,234.56 million "),
            "digits spaced": repeated("12 345 678 "),
            "digits ranges": repeated("10-20-30-"),
            "one enormous paragraph": _one_paragraph,
            "interview transcript": _transcript,
        }
    )
    return found


def rules_seconds(text: str) -> float:
    """CPU seconds from text to digest as ``summarizer summarize FILE --no-llm`` takes them (headline
    and dateline detection included): the best of as many runs as fit in half a second (at least
    one, at most 30). CPU time, not wall time: other processes on a shared machine count less."""
    summarizer = Summarizer(use_llm=False, max_chars=len(text) + 1)
    best, spent, runs = float("inf"), 0.0, 0
    while runs < 2 or (spent < 0.5 and runs < 30):
        started = time.process_time()
        summarizer.summarize(article_from_text(text, where="bench", id="bench", max_chars=len(text) + 1))
        elapsed = time.process_time() - started
        best, spent, runs = min(best, elapsed), spent + elapsed, runs + 1
    return best


def stage_seconds(text: str) -> dict[str, float]:
    """Seconds of each rule stage: evidence, grounding of the evidence, lead summary."""
    times: dict[str, float] = {}
    started = time.perf_counter()
    evidence = find_evidence(text)
    times["evidence"] = time.perf_counter() - started
    started = time.perf_counter()
    ground(DigestAnswer(summary=""), text=text, evidence=evidence)
    times["grounding"] = time.perf_counter() - started
    started = time.perf_counter()
    lead_summary(text)
    times["lead"] = time.perf_counter() - started
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma-separated text lengths in characters")
    parser.add_argument("--kinds", default="", help="only the kinds whose name contains this")
    parser.add_argument("--stages", action="store_true", help="time each rule stage apart (evidence, grounding, lead)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"{'kind':<26}" + "".join(f"{size:>12,}" for size in sizes) + "   growth per 10x")
    worst = ("", 0.0)
    total_growths: list[float] = []
    for name, make in kinds().items():
        if args.kinds not in name:
            continue
        texts = [make(size) for size in sizes]
        if args.stages:
            for size, text in zip(sizes, texts):
                print(f"  {name} {size:,}: " + ", ".join(f"{stage} {seconds:.3f} s" for stage, seconds in stage_seconds(text).items()), flush=True)
            continue
        seconds = [rules_seconds(text) for text in texts]
        growths = [
            (later / max(earlier, 1e-4)) ** (1 / max(1e-9, _decades(a, b)))
            for (a, earlier), (b, later) in zip(zip(sizes, seconds), zip(sizes[1:], seconds[1:]))
        ]
        growth = growths[-1] if growths else 0.0  # the largest sizes: small ones are all caches and noise
        worst = max(worst, (name, growth), key=lambda item: item[1])
        total_growths.append(growth)
        flag = "" if growth <= TARGET_GROWTH else "  <- over target"
        print(f"{name:<26}" + "".join(f"{s:>11.3f}s" for s in seconds) + "   " + " ".join(f"{g:5.1f}x" for g in growths) + flag, flush=True)
    if worst[0]:
        over = sum(growth > TARGET_GROWTH for growth in total_growths)
        median = sorted(total_growths)[len(total_growths) // 2]
        print(
            f"\ngrowth per 10x over the two largest sizes: median {median:.1f}x, worst {worst[1]:.1f}x ({worst[0]}); "
            f"{over} of {len(total_growths)} kinds over the target of {TARGET_GROWTH:g}x"
        )


def _decades(smaller: int, larger: int) -> float:
    import math

    return math.log10(larger / smaller)


if __name__ == "__main__":
    main()
