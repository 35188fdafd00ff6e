"""Passages (quotes, stance evidence) located in the article: whole, in fragments around a speech tag or an elision, or fuzzily.

Also the small span helpers the item modules share. Pure functions of their inputs.
"""

from __future__ import annotations

import bisect
import itertools
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from ..rules import QuoteCandidate
from ..schema import Span
from .alignment import WORD, Alignment, TextAligner, fold, normalise, trim, word_count

T = TypeVar("T")
R = TypeVar("R")

_MAX_TAG_GAP = 200
_MAX_ELISION_GAP = 3000


# --------------------------------------------------------------------------
# Passages (quotes, stance evidence): whole, in fragments, or fuzzy
# --------------------------------------------------------------------------

_ELISION = re.compile(r"\s*(?:\[\s*(?:\.\s*\.\s*\.|…)\s*\]|\.\.\.|…)\s*")
_MIN_FRAGMENT_WORDS = 2
QUOTE_MARKS = frozenset("\"'“”„‟«»‘’‚‛‹›「」『』")


@dataclass(frozen=True)
class Located:
    """A passage found in the article: one span, or several when the article splits it."""

    fragments: tuple[tuple[int, int], ...]
    status: Literal["exact", "fuzzy"]

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


def locate_passage(aligner: TextAligner, needle: str, *, after: int = 0, near: int | None = None) -> Located | None:
    """Find a quote-like passage.

    Tries the whole passage (exact, normalised), then its pieces around
    elisions ("[...]", "…"), then consecutive pieces split by a speech tag
    (``"X," he said, "Y"``), then the whole passage fuzzily. Returns ``None``
    when nothing fits.
    """
    whole = aligner.find(needle, after=after, near=near, fuzzy=False)
    if whole is not None:
        return Located(((whole.start, whole.end),), whole.status)
    parts = [part for part in _ELISION.split(trim(needle)) if trim(part)]
    located = _locate_parts(aligner, parts, after=after, near=near) if len(parts) > 1 else None
    located = located or _locate_split(aligner, trim(needle).split(), after=after, near=near)
    if located is not None:
        return located
    fuzzy = aligner.find_fuzzy(needle, after=after, near=near)  # exact and normalised already failed
    return Located(((fuzzy.start, fuzzy.end),), fuzzy.status) if fuzzy is not None else None


def _locate_parts(aligner: TextAligner, parts: list[str], *, after: int, near: int | None) -> Located | None:
    """Each elided part in order, each after the previous one."""
    fragments: list[tuple[int, int]] = []
    status: Literal["exact", "fuzzy"] = "exact"
    for part in parts:
        hit = aligner.find(part, after=fragments[-1][1] if fragments else after, near=None if fragments else near)
        if hit is None or (fragments and hit.start - fragments[-1][1] > _MAX_ELISION_GAP):
            return None
        fragments.append((hit.start, hit.end))
        status = "fuzzy" if hit.status == "fuzzy" else status
    return Located(tuple(fragments), status)


def _locate_split(aligner: TextAligner, words: list[str], *, after: int, near: int | None) -> Located | None:
    """The words as consecutive pieces, each the longest prefix found, separated by speech tags.

    A speech tag is a short gap that closes and reopens the quote
    (``," he said, "``): a gap without quote marks is a word the model
    dropped, which is left to the fuzzy step.
    """
    text = aligner.text
    fragments: list[tuple[int, int]] = []
    rest = words
    while rest:
        found = _longest_prefix(aligner, rest, after=fragments[-1][1] if fragments else after, near=None if fragments else near)
        if found is None:
            return None
        taken, hit = found
        if fragments and (hit.start - fragments[-1][1] > _MAX_TAG_GAP or _quote_marks_in(text[fragments[-1][1] : hit.start]) < 2):
            return None
        fragments.append((hit.start, hit.end))
        rest = rest[taken:]
        if rest and _quote_marks_in(text[hit.end : hit.end + _MAX_TAG_GAP]) < 2:
            return None  # cheap early exit: nothing closes and reopens the quote here
    return Located(tuple(fragments), "exact") if len(fragments) > 1 else None


def _quote_marks_in(text: str) -> int:
    return sum(c in QUOTE_MARKS for c in text)


def _longest_prefix(aligner: TextAligner, words: list[str], *, after: int, near: int | None) -> tuple[int, Alignment] | None:
    # Binary search: when a prefix of k words is in the text, so is every shorter one.
    best = None
    low, high = _MIN_FRAGMENT_WORDS, len(words)
    while low <= high:
        middle = (low + high) // 2
        hit = aligner.find(" ".join(words[:middle]), after=after, near=near, fuzzy=False)
        if hit is None:
            high = middle - 1
        else:
            best, low = (middle, hit), middle + 1
    return best


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


class SpanIndex(Generic[T]):
    """Items with spans, for the ones overlapping a span without a scan of them all.

    Sorted by start, with the furthest end reached so far: a query bisects to
    the last item starting before its end and walks back while an item can
    still reach into it. A long article's thousands of rule quotes each look
    only at the model quotes around them.
    """

    def __init__(self, items: Iterable[T], span: Callable[[T], tuple[int, int]]) -> None:
        ordered = sorted(((span(item), item) for item in items), key=lambda pair: pair[0][0])
        self._items = [item for _, item in ordered]
        self._starts = [start for (start, _), _ in ordered]
        self._ends = [end for (_, end), _ in ordered]
        self._reach = list(itertools.accumulate(self._ends, max))

    def overlapping(self, start: int, end: int) -> list[T]:
        """The items whose span overlaps ``[start, end)``, in the order of their starts."""
        found = []
        index = bisect.bisect_left(self._starts, end) - 1
        while index >= 0 and self._reach[index] > start:
            if self._ends[index] > start:
                found.append(self._items[index])
            index -= 1
        return found[::-1]


def span_of(text: str, start: int, end: int) -> Span:
    return Span(start=start, end=end, text=text[start:end])


def short(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


EDGE_PUNCTUATION = " .,;:!?"

_LINKING_WORDS = frozenset({"a", "an", "the", "of", "and", "for", "to", "in", "on", "at", "by", "with", "s"})
NEARBY = 200
"""Characters either side of a span within which an attribute the model gives it (a quote's cue, an actor's role) must occur."""


def window(text: str, spans: Iterable[tuple[int, int]], *, reach: int = NEARBY) -> str:
    """The text around ``spans`` (``reach`` characters either side of each), the pieces joined by line breaks."""
    return "\n".join(text[max(0, start - reach) : end + reach] for start, end in spans)


def backed_or(given: str | None, *, backed: bool, fallback: str | None, what: str, of: str, warnings: list[str], where: str = "in the article") -> str | None:
    """``given`` (an attribute the model gave) when the article ``backed`` it, else ``fallback`` (the rules' value, or None),
    with a warning naming the attribute (``what``, e.g. "Cue"), the dropped value, its item (``of``) and where it was looked for."""
    if not given or backed:
        return given or fallback
    kept = f'the rules\' "{short(fallback, 40)}" is kept' if fallback else "dropped"
    warnings.append(f'{what} "{short(given, 40)}" {of} is not {where}; {kept}.')
    return fallback


def words_occur(value: str, where: str) -> bool:
    """Whether every word of ``value`` but linking words ("of", "the") occurs in ``where`` as a whole word,
    case and accents aside: "Supreme Leader of Iran" in "Iran's Supreme Leader", not "Emperor of Mars"."""
    words = {word for word in WORD.findall(fold(value)) if word not in _LINKING_WORDS}
    return bool(words) and words <= set(WORD.findall(fold(where)))


def model_wording(model_text: str, article_span: str) -> str | None:
    """The model's wording when it differs from the article's span, else ``None``.

    A trailing comma or full stop is not a different wording; typography is
    (curly for straight quotes, dashes, spacing), as DESIGN.md's ``fuzzy`` says.
    """
    wording = trim(model_text)
    same = wording.strip(EDGE_PUNCTUATION) == article_span.strip(EDGE_PUNCTUATION)
    return None if not wording or same else wording


MIN_PASSAGE_WORDS = 3
"""Fewest words of a model quote or stance evidence that is grounded: "the" or
"war" would land on any occurrence. A rule candidate's own text is exempt."""

_NO_SPACE_SCRIPTS = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")  # Thai, Lao, Myanmar, Khmer: words are not countable


def is_specific(needle: str, candidates: Sequence[QuoteCandidate]) -> bool:
    """Whether a model passage is long enough to ground: three words, or exactly a rule quote's text."""
    key = trim(needle)
    if word_count(key) >= MIN_PASSAGE_WORDS or _NO_SPACE_SCRIPTS.search(key):
        return True
    return normalise(key).strip(EDGE_PUNCTUATION) in _rule_quote_texts(candidates)


def per_article(build: Callable[[Sequence[T]], R]) -> Callable[[Sequence[T]], R]:
    """``build(candidates)``, kept for the last :data:`_ARTICLES_KEPT` tuples of candidates it was given.

    An article's rule candidates are asked about once per model item, chunk
    after chunk of a long article: what is derived from all of them is
    derived once. Tuples are kept by identity (the evidence's own, which never
    change); any other sequence is read afresh.
    """
    kept: dict[int, tuple[Sequence[T], R]] = {}
    lock = threading.Lock()

    def derived(candidates: Sequence[T]) -> R:
        if not isinstance(candidates, tuple):
            return build(candidates)
        hit = kept.get(id(candidates))
        if hit is not None and hit[0] is candidates:
            return hit[1]
        value = build(candidates)
        with lock:
            if len(kept) >= _ARTICLES_KEPT:
                del kept[next(iter(kept))]
            kept[id(candidates)] = (candidates, value)
        return value

    return derived


_ARTICLES_KEPT = 16
"""Candidate tuples whose derived lookups are kept: a batch's articles in flight, roughly."""


@per_article
def _rule_quote_texts(candidates: Sequence[QuoteCandidate]) -> frozenset[str]:
    return frozenset(normalise(trim(c.text)).strip(EDGE_PUNCTUATION) for c in candidates)
