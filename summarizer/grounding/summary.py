"""The digest's summary and key points: the model's sentences checked against the article, the rules' where they fail.

A sentence the model wrote is kept only when everything it asserts that can
be checked occurs in the article:

* numbers and amounts, by value through the figures parser ("$6bn" = "6
  billion dollars"; 0.5% tolerance);
* months and weekdays (dates), and years as numbers;
* proper names: each capitalised word but the sentence's first must occur in
  the article or in an actor's name or alias;
* words: at least half its content words must occur in the article ("x x x"
  or a sentence about something else is not a summary of it).

An unsupported sentence is dropped and a warning names it and what the article
lacks. When no sentence of the summary survives, the summary is the lead (the
opening sentences); a model whose summaries measure below the lead has its
summary sentences offered as key points instead. Key points: the model's that pass the check keep their
wording and carry the article sentences that support them (most shared
content words); the rest, up to three to five, are the rules' extractive
picks (:func:`summarizer.rules.key_sentences`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..rules import LEAD_SENTENCES, Evidence, FigureMatch, TextSpan, body_sentences, find_figures, key_sentences
from ..rules.lexicon import FUNCTION_WORDS  # stop words of the support measure
from ..schema import Actor, KeyPoint, Span
from .alignment import WORD, fold

MIN_KEY_POINTS = 3
MAX_KEY_POINTS = 5
VALUE_TOLERANCE = 0.005
# A number not glued to a word or a number before it: "(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.])\d+(?:\.\d+)?", with its
# first digit moved before the look-behind, which then spans it: a pattern that starts with a digit lets the regex engine
# skip to the next digit, where one that starts with a look-behind is tried at every character (5x slower on news).
_NUMBER = re.compile(r"\d(?<![\w.]\d)(?:\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d*(?:\.\d+)?)")
_CAPITALISED = re.compile(r"(?<![\w’'-])[A-Z][\w’'-]*")
_MONTHS_AND_DAYS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+[\"”’')\]]*|$)")
_CLITICS = frozenset({"s", "m", "t", "d", "ll", "re", "ve"})
_STOPWORDS = frozenset(word.lower() for word in FUNCTION_WORDS) | {"is", "was", "are", "were", "be", "been", "has", "have", "had", "of", "to", "said", "says"}


SHARED_WORDS = 0.5
"""Least share of a model sentence's content words (not function words, three letters or more) the article must have."""


@dataclass
class CheckedSummary:
    """What the digest shows: the summary text, where it came from, the key points, and the warnings."""

    text: str
    source: Literal["model", "lead"]
    points: list[KeyPoint]
    warnings: list[str] = field(default_factory=list)


class ArticleFacts:
    """What an article supports: its numbers by value, its words (folded), its actors' names; and the words of its body sentences."""

    def __init__(
        self, text: str, actors: Sequence[Actor], *, sentences: Sequence[TextSpan] | None = None, figures: Sequence[FigureMatch] | None = None
    ) -> None:
        sentences = body_sentences(text) if sentences is None else sentences  # the caller may have them already
        self.text = text
        found = find_figures(text) if figures is None else figures  # the evidence has them already
        self.values = {match.figure.value for match in found if match.figure.value is not None}
        self.values |= {_value(number) for number in _NUMBER.findall(text)}
        self.sentences = sentences
        self.sentence_words = [WORD.findall(fold(sentence.text)) for sentence in sentences]  # what the key points' support reads
        self.words = frozenset(itertools.chain(WORD.findall(fold(_between(text, sentences))), *self.sentence_words))
        self.name_words = frozenset(word for actor in actors for name in (actor.name, *actor.aliases) for word in WORD.findall(fold(name)))

    def unsupported(self, sentence: str) -> list[str]:
        """What ``sentence`` asserts that the article does not: numbers, dates and names, as written."""
        missing: list[str] = []
        covered: list[tuple[int, int]] = []
        for match in find_figures(sentence):
            covered.append((match.start, match.end))
            if match.figure.value is not None and not self._has_value(match.figure.value):
                missing.append(match.text)
        for number in _NUMBER.finditer(sentence):
            if not any(start <= number.start() < end for start, end in covered) and not self._has_value(_value(number.group())):
                missing.append(number.group())
        for word in _CAPITALISED.finditer(sentence):
            if not sentence[: word.start()].strip(" \"“‘'(") or fold(word.group()) in _MONTHS_AND_DAYS:
                continue  # a sentence's first word is capitalised anyway: no sign of a name; dates are checked below
            parts = [part for part in WORD.findall(fold(word.group())) if part not in _CLITICS]  # "El-Hassan", "Thomas'", "I’m"
            if any(part not in self.words and part not in self.name_words for part in parts):
                missing.append(word.group())
        missing += [word for word in WORD.findall(fold(sentence)) if word in _MONTHS_AND_DAYS and word not in self.words]
        return list(dict.fromkeys(missing))

    def shares_words(self, sentence: str) -> bool:
        """Whether ``sentence`` has content words and at least :data:`SHARED_WORDS` of them occur in the article:
        "x x x ..." or a sentence about something else asserts nothing the article supports."""
        words = _content_words(sentence)
        shared = sum(1 for word in words if word in self.words or word in self.name_words)
        return bool(words) and shared >= SHARED_WORDS * len(words)

    def _has_value(self, value: float) -> bool:
        return any(abs(value - known) <= VALUE_TOLERANCE * max(abs(value), abs(known), 1e-9) for known in self.values)

    def sentence_content_words(self) -> list[tuple[TextSpan, set[str]]]:
        """The body sentences with their content words."""
        return [(sentence, _content(words)) for sentence, words in zip(self.sentences, self.sentence_words)]


def _between(text: str, sentences: Sequence[TextSpan]) -> str:
    """The text outside ``sentences`` (in text order), its pieces joined by line breaks.

    Sentences start and end next to whitespace or the text's ends, and ``fold``
    changes no character by its neighbours across whitespace, so the article's
    folded words are those of its sentences and of this text: one word pass serves both.
    """
    cuts = [0, *itertools.chain.from_iterable((sentence.start, sentence.end) for sentence in sentences), len(text)]
    return "\n".join(text[start:end] for start, end in zip(cuts[::2], cuts[1::2]))


def _value(number: str) -> float:
    return float(number.replace(",", ""))


def checked_summary(
    summary: str,
    key_points: Sequence[str],
    *,
    text: str,
    title: str | None,
    evidence: Evidence,
    actors: Sequence[Actor],
    use_model: bool,
    model_summary: bool = True,
) -> CheckedSummary:
    """The summary and 3-5 key points of a digest (see the module docstring).

    ``model_summary=False`` makes the lead the summary whatever the model
    wrote, and offers the model's summary sentences as key points (checked
    like its own): the choice for a model whose summaries score below the
    lead but whose sentences make better key points than the rules' picks
    (the embedded model: ``bench/bench_digest.py``).
    """
    warnings: list[str] = []
    if not model_summary:
        key_points = [*_sentences(summary), *key_points]
        summary = ""
    body = body_sentences(text, title=title)
    facts = ArticleFacts(text, actors, sentences=body, figures=[figure.match for figure in evidence.figures]) if summary or key_points else None
    kept = [sentence for sentence in _sentences(summary) if facts and _supported(facts, sentence, warnings, what="Summary sentence")]
    lead = body[:LEAD_SENTENCES]
    if kept:
        result = CheckedSummary(" ".join(kept), "model", [], warnings)
    else:
        if use_model and model_summary:
            warnings.append("the model gave no summary the article supports; the article's lead sentences stand in")
        result = CheckedSummary(" ".join(" ".join(s.text.split()) for s in lead), "lead", [], warnings)
    sentences: list[tuple[TextSpan, set[str]]] = []  # with their content words, computed once for all the points
    said: list[set[str]] = []  # the content words of the points kept so far
    for point in key_points:
        if len(result.points) < MAX_KEY_POINTS and facts and _supported(facts, point, warnings, what="Key point"):
            words = _content_words(point)
            if any(_repeats(words, earlier) for earlier in said):
                continue  # "X placed its military on alert." after "X placed its military on alert, Yonhap said."
            sentences = sentences or facts.sentence_content_words()
            spans = _support(point, sentences)
            if spans:
                result.points.append(KeyPoint(text=point, spans=spans, extracted_by="model"))
                said.append(words)
            else:
                warnings.append(f'Key point dropped, no article sentence supports it: "{_short(point)}"')
    if len(result.points) < MIN_KEY_POINTS:
        taken = {span.start for point in result.points for span in point.spans}
        skip = lead if result.source == "lead" else []
        for sentence in key_sentences(body, evidence, skip=skip, limit=MAX_KEY_POINTS):
            if len(result.points) < MAX_KEY_POINTS and sentence.start not in taken:
                result.points.append(KeyPoint(text=" ".join(sentence.text.split()), spans=[_span(sentence)], extracted_by="rules"))
    return result


def _sentences(summary: str) -> list[str]:
    return [match.group().strip() for match in _SENTENCE.finditer(summary) if match.group().strip()]


def _supported(facts: ArticleFacts, sentence: str, warnings: list[str], *, what: str) -> bool:
    missing = facts.unsupported(sentence)
    if missing:
        warnings.append(f'{what} dropped, the article does not have {", ".join(missing)}: "{_short(sentence)}"')
        return False
    if not facts.shares_words(sentence):
        warnings.append(f'{what} dropped, it shares too few words with the article: "{_short(sentence)}"')
        return False
    return True


REPEAT_SHARE = 0.8
"""A key point whose content words are mostly an earlier point's says nothing new."""


def _repeats(words: set[str], earlier: set[str]) -> bool:
    return bool(words) and len(words & earlier) >= REPEAT_SHARE * len(words)


def _content_words(text: str) -> set[str]:
    return _content(WORD.findall(fold(text)))


def _content(words: Sequence[str]) -> set[str]:
    return {word for word in words if word not in _STOPWORDS and len(word) > 2}


def _support(point: str, sentences: Sequence[tuple[TextSpan, set[str]]], *, limit: int = 2) -> list[Span]:
    """The article sentences sharing the most content words with ``point`` (at least two or 40% of them, and near the best), in text order."""
    words = _content_words(point)
    if not words:
        return []
    scored = [(len(words & sentence_words), s) for s, sentence_words in sentences]
    needed = max(2, int(0.4 * len(words) + 0.999)) if len(words) > 2 else len(words)
    top = max((count for count, _ in scored), default=0)
    best = sorted((pair for pair in scored if pair[0] >= max(needed, 0.75 * top)), key=lambda pair: (-pair[0], pair[1].start))[:limit]
    return [_span(s) for _, s in sorted(best, key=lambda pair: pair[1].start)]


def _span(sentence: TextSpan) -> Span:
    return Span(start=sentence.start, end=sentence.end, text=sentence.text)


def _short(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
