"""Text alignment: where a needle (a model's quote, figure or name) sits in the article.

:class:`TextAligner` is built once per article and tries, in order:

1. ``exact``: the needle as given (trimmed of quote marks and whitespace);
2. normalised, reported ``fuzzy`` (the model's typography differed): NFC,
   curly/straight quotes and apostrophes, all dashes to ``-``, ``…`` to
   ``...``, whitespace runs to one space, zero-width characters removed, case
   kept. An offset map points the match back into the original text;
3. ``fuzzy``: for needles of at least :data:`FUZZY_MIN_WORDS` words, candidate
   windows are located by voting on the needle's rarest words, then scored
   with rapidfuzz; a span whose similarity reaches :data:`FUZZY_THRESHOLD` is
   accepted.

Every alignment respects word boundaries at both ends ("war" is not found in
"wartime"), except around letters of scripts written without spaces (CJK, Thai,
...). This module only says *where*; :mod:`summarizer.grounding` decides what a
match may become. The aligner only caches derived views of the text.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

__all__ = [
    "FUZZY_MIN_WORDS",
    "FUZZY_THRESHOLD",
    "Alignment",
    "TextAligner",
]


FUZZY_THRESHOLD = 0.88
"""Least similarity for a fuzzy match: rapidfuzz ``fuzz.ratio`` / 100 (normalised
Indel similarity) between the normalised needle and the aligned article span.
0.88 accepts a changed word or two in a sentence-long quote (and any
typography), and rejects a different sentence that shares a few words."""

FUZZY_MIN_WORDS = 4
"""Shorter needles are only matched exactly or after normalisation: a fuzzy
match of two or three words is too often a different passage."""

# Limits that keep the fuzzy path and fragment search cheap on long articles.
_MAX_ANCHORS = 6
_MAX_ANCHOR_OCCURRENCES = 400
_MAX_WINDOWS = 4
_EDGE_SLACK = 2
_MAX_OCCURRENCES = 1000

# --------------------------------------------------------------------------
# Normalised view of a text, with a map back to original offsets
# --------------------------------------------------------------------------

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_CHAR_REPLACEMENTS = {
    **dict.fromkeys("“”„‟«»〝〞＂″", '"'),
    **dict.fromkeys("‘’‚‛‹›′＇`´", "'"),
    **dict.fromkeys("‐‑‒–—―−﹘﹣－", "-"),
    "…": "...",
}
# A plain single space needs no edit; every other whitespace/zero-width run does.
_REWRITE = re.compile(
    rf"(?: [\s{_ZERO_WIDTH}]|[^\S ]|[{_ZERO_WIDTH}])[\s{_ZERO_WIDTH}]*"
    rf"|[{re.escape(''.join(_CHAR_REPLACEMENTS))}]"
)
_ASCII_WHITESPACE_RUN = re.compile(r"(?: \s|[^\S ])\s*")  # what _REWRITE turns into one space, in ASCII text
_TRIM = re.compile(rf"^(?:[\s{_ZERO_WIDTH}\"'“”‘’„‚«»‹›]|\.\.\.|…)+|(?:[\s{_ZERO_WIDTH}\"'“”‘’„‚«»‹›]|\.\.\.|…)+$")
# Letters of scripts written without spaces between words (Han, kana, Hangul
# syllables with attached particles, Thai, Lao, Khmer, Myanmar) and of scripts
# whose clitics attach to names (Arabic, Hebrew): no word boundary is required
# around them, and each Han/kana character counts as one word.
_UNSPACED = "\u0590-\u06ff\u0750-\u077f\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_IDEOGRAPHIC = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(rf"[{_IDEOGRAPHIC}]|[^\W{_IDEOGRAPHIC}]+")
_UNSPACED_CHAR = re.compile(rf"[{_UNSPACED}]")
# A character that joins its neighbour into one word (``_joins``): a letter or digit (``\w`` less
# the underscore is ``str.isalnum``) of a space-separated script.
_JOINING_CHAR = re.compile(rf"[^\W_{_UNSPACED}]")
_AFTER_NON_JOINING = re.compile(rf"(?<![^\W_{_UNSPACED}])[^\W_{_UNSPACED}]")
_INDEX_CHARS = 3


@dataclass(frozen=True)
class _OffsetMap:
    """Maps positions of a rewritten string back to its source, and forward.

    Only the edits are stored (each replaced a non-empty source range by a
    possibly empty piece); between edits the two strings differ by a constant
    shift. A span may not start or end strictly inside an edited piece.
    """

    out_starts: list[int]
    out_ends: list[int]
    src_starts: list[int]
    src_ends: list[int]

    def _shift(self, k: int) -> int:
        return self.src_ends[k] - self.out_ends[k] if k >= 0 else 0

    def source_start(self, i: int) -> int:
        """Source offset of the character at rewritten position ``i``."""
        k = bisect.bisect_right(self.out_starts, i) - 1
        if k >= 0 and i < self.out_ends[k]:
            return self.src_starts[k]
        return i + self._shift(k)

    def source_end(self, j: int) -> int:
        """Source offset just after the character at rewritten position ``j - 1``."""
        k = bisect.bisect_right(self.out_starts, j - 1) - 1
        if k >= 0 and j - 1 < self.out_ends[k]:
            return self.src_ends[k]
        return j + self._shift(k)

    def is_boundary(self, i: int) -> bool:
        """True unless rewritten position ``i`` falls strictly inside an edited piece."""
        k = bisect.bisect_right(self.out_starts, i) - 1
        return k < 0 or not self.out_starts[k] < i < self.out_ends[k]

    def rewritten(self, src: int) -> int:
        """First rewritten position whose source offset is at or after ``src``."""
        k = bisect.bisect_right(self.src_starts, src) - 1
        if k >= 0 and src < self.src_ends[k]:
            return self.out_starts[k] if src == self.src_starts[k] else self.out_ends[k]
        return src - self._shift(k)


def _rewrite(text: str, edits: Iterable[tuple[int, int, str]]) -> tuple[str, _OffsetMap]:
    """Apply ordered, non-overlapping ``(start, end, replacement)`` edits to ``text``."""
    parts: list[str] = []
    offset_map = _OffsetMap([], [], [], [])
    pos = out = 0
    for start, end, piece in edits:
        parts.append(text[pos:start])
        out += start - pos
        offset_map.out_starts.append(out)
        offset_map.out_ends.append(out + len(piece))
        offset_map.src_starts.append(start)
        offset_map.src_ends.append(end)
        parts.append(piece)
        out += len(piece)
        pos = end
    parts.append(text[pos:])
    return "".join(parts), offset_map


def _typography_edits(text: str) -> Iterator[tuple[int, int, str]]:
    for match in _REWRITE.finditer(text):
        yield match.start(), match.end(), _typography_replacement(match)


def _typography_replacement(match: re.Match[str]) -> str:
    found = match.group()
    piece = _CHAR_REPLACEMENTS.get(found)
    if piece is None:
        piece = " " if any(c.isspace() for c in found) else ""
    return piece


def _nfc_edits(text: str) -> Iterator[tuple[int, int, str]]:
    # NFC composes a starter with the marks that follow it, so the text is cut
    # into such clusters; conjoining Hangul vowels/finals count as marks here.
    start = 0
    for i in range(1, len(text) + 1):
        if i < len(text) and (unicodedata.combining(text[i]) or "\u1160" <= text[i] <= "\u11ff"):
            continue
        cluster = text[start:i]
        composed = unicodedata.normalize("NFC", cluster)
        if composed != cluster:
            yield start, i, composed
        start = i


def normalise(text: str) -> str:
    """The normalised form of a short string (a needle), without an offset map."""
    composed = unicodedata.normalize("NFC", text)
    return _rewrite(composed, _typography_edits(composed))[0]


def fold(text: str) -> str:
    """``text`` normalised, casefolded and stripped of accents ("Hernán" -> "hernan"): for loose "does it occur" checks, no offsets."""
    if text.isascii():  # the common case: of the rewrites only whitespace runs and the backtick apply, and nothing decomposes
        return _ASCII_WHITESPACE_RUN.sub(" ", text.replace("`", "'")).lower()
    composed = unicodedata.normalize("NFC", text)
    folded = _REWRITE.sub(_typography_replacement, composed).casefold()  # normalise() without the offset map it builds
    if folded.isascii():
        return folded  # curly quotes and dashes only: nothing to decompose
    decomposed = unicodedata.normalize("NFKD", folded)
    return _NON_ASCII_RUN.sub(_without_marks, decomposed)  # ASCII has no combining marks: only the rest is looked at


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def _without_marks(run: re.Match[str]) -> str:
    return "".join(char for char in run.group() if not unicodedata.combining(char))


def trim(needle: str) -> str:
    """Drop surrounding whitespace, quote marks and ellipses: the model often copies them."""
    return _TRIM.sub("", needle)


def word_count(text: str) -> int:
    return len(WORD.findall(text))


@dataclass(frozen=True)
class Alignment:
    """Where a needle was found: ``text[start:end]`` is the article's own span."""

    start: int
    end: int
    status: Literal["exact", "fuzzy"]


class TextAligner:
    """Built once per article; precomputes a normalised view of the text with an index map back to original offsets.

    The word index used by the fuzzy path is built on first use only.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        maps: list[_OffsetMap] = []
        view = text
        if not unicodedata.is_normalized("NFC", view):
            view, nfc_map = _rewrite(view, _nfc_edits(view))
            maps.append(nfc_map)
        self._norm, typo_map = _rewrite(view, _typography_edits(view))
        maps.append(typo_map)
        # Innermost (closest to the normalised view) first.
        self._maps = tuple(reversed(maps))
        self._word_starts: list[int] = []
        self._word_ends: list[int] = []
        self._word_index: dict[str, list[int]] | None = None

    # -- public ------------------------------------------------------------

    @functools.cached_property
    def folded_text(self) -> str:
        """The normalised text, casefolded and without accents: for "is this name in the article at all" checks."""
        return fold(self.text)

    def find(self, needle: str, *, after: int = 0, near: int | None = None, fuzzy: bool = True) -> Alignment | None:
        """Locate ``needle`` at or after offset ``after``.

        Returns the first occurrence, or the one whose start is nearest to
        ``near`` when given; exact and normalised matches come before fuzzy
        ones, and ``fuzzy=False`` skips the fuzzy step. ``None`` when not found.
        """
        key = trim(needle)
        if not key:
            return None
        limit = 1 if near is None else _MAX_OCCURRENCES
        spans = self._exact_spans(key, after, limit)
        if spans:
            return Alignment(*_pick(spans, near), "exact")
        spans = self._normalised_spans(normalise(key), after, limit)
        if spans:
            return Alignment(*_pick(spans, near), "fuzzy")
        return self.find_fuzzy(key, after=after, near=near) if fuzzy else None

    def find_fuzzy(self, needle: str, *, after: int, near: int | None) -> Alignment | None:
        key = trim(needle)
        if word_count(key) < FUZZY_MIN_WORDS:
            return None
        return self._fuzzy(normalise(key), after=after, near=near)

    def find_all(self, needle: str) -> list[Alignment]:
        """Every exact or normalised occurrence of ``needle`` as a whole word, non-overlapping, in text order."""
        key = trim(needle)
        if not key:
            return []
        key = normalise(key)
        starts = self._whole_word_candidates(key)
        spans = self._normalised_spans(key, 0, _MAX_OCCURRENCES, overlapping=False) if starts is None else self._whole_words_at(key, starts)
        return [Alignment(start, end, "exact") for start, end in spans]

    # -- whole-word starts ---------------------------------------------------
    # A long article's actors are looked for in all of it, a few thousand names each
    # scanning the whole text: the time grew with the square of the length. A needle
    # that starts with a letter or digit is found as a whole word only where the
    # character before it does not join it (see ``_joins``), or right after an edit
    # of the text (a deleted zero-width space, say); those places are indexed once,
    # by their first characters.

    def _whole_word_candidates(self, key: str) -> Sequence[int] | None:
        """Where ``key`` can occur as a whole word, ascending (a superset), or None when only a scan will do:
        a key too short to look up or not starting with a joining character, a text NFC had to compose."""
        index = self._word_start_index
        if index is None or len(key) < _INDEX_CHARS or not _JOINING_CHAR.match(key):
            return None
        return index.get(key[:_INDEX_CHARS], ())

    @functools.cached_property
    def _word_start_index(self) -> dict[str, list[int]] | None:
        if len(self._maps) > 1:
            return None  # NFC edits are in another map; the scan stays the only path for such texts
        norm = self._norm
        # Both lists ascend; a place in both is tried twice, to the same effect.
        starts = sorted([match.start() for match in _AFTER_NON_JOINING.finditer(norm)] + self._maps[0].out_ends)
        index: dict[str, list[int]] = {}
        for start in starts:
            index.setdefault(norm[start : start + _INDEX_CHARS], []).append(start)
        return index

    def _whole_words_at(self, key: str, starts: Sequence[int]) -> list[tuple[int, int]]:
        """What the scan (``_normalised_spans(key, 0, _MAX_OCCURRENCES, overlapping=False)``) finds, trying ``starts`` only.

        Whether an occurrence is a whole word depends on its place alone, so
        taking the first of the candidates left after each one taken is the scan's choice.
        """
        spans: list[tuple[int, int]] = []
        free = 0
        for i in starts:
            if i < free or not self._norm.startswith(key, i):
                continue
            span = self._to_source(i, i + len(key))
            if span is not None and self._is_whole_word(*span):
                spans.append(span)
                free = i + len(key)
                if len(spans) >= _MAX_OCCURRENCES:
                    break
        return spans

    # -- exact and normalised ----------------------------------------------
    # Only whole-word occurrences count: "war" is not in "wartime", "x" not in
    # "exchanged" (unspaced scripts need no boundary, see ``_joins``).

    def _exact_spans(self, key: str, after: int, limit: int) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        start = self.text.find(key, after)
        while start >= 0 and len(spans) < limit:
            if self._is_whole_word(start, start + len(key)):
                spans.append((start, start + len(key)))
            start = self.text.find(key, start + 1)
        return spans

    def _normalised_spans(self, key: str, after: int, limit: int, *, overlapping: bool = True) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        if not key:
            return spans
        i = self._norm.find(key, self._to_norm(after))
        while i >= 0 and len(spans) < limit:
            span = self._to_source(i, i + len(key))
            taken = span is not None and self._is_whole_word(*span)
            if span is not None and taken:
                spans.append(span)
            i = self._norm.find(key, i + (len(key) if taken and not overlapping else 1))
        return spans

    def _to_norm(self, src: int) -> int:
        for offset_map in reversed(self._maps):
            src = offset_map.rewritten(src)
        return src

    def _to_source(self, i: int, j: int) -> tuple[int, int] | None:
        """Original span of normalised span ``[i, j)``, or ``None`` if it cuts an edited piece."""
        for offset_map in self._maps:
            if not (offset_map.is_boundary(i) and offset_map.is_boundary(j)):
                return None
            i, j = offset_map.source_start(i), offset_map.source_end(j)
        return i, j

    def _is_whole_word(self, start: int, end: int) -> bool:
        text = self.text
        return not ((start > 0 and _joins(text[start - 1], text[start])) or (end < len(text) and _joins(text[end - 1], text[end])))

    # -- fuzzy -------------------------------------------------------------

    def _words(self) -> dict[str, list[int]]:
        if self._word_index is None:
            spans = [m.span() for m in WORD.finditer(self._norm)]
            self._word_starts = [s for s, _ in spans]
            self._word_ends = [e for _, e in spans]
            index: dict[str, list[int]] = {}
            norm = self._norm
            for n, (s, e) in enumerate(spans):
                index.setdefault(norm[s:e].casefold(), []).append(n)
            self._word_index = index
        return self._word_index

    def _fuzzy(self, key: str, *, after: int, near: int | None) -> Alignment | None:
        index = self._words()
        words = [w.casefold() for w in WORD.findall(key)]
        first_word = bisect.bisect_left(self._word_starts, self._to_norm(after))
        best: tuple[float, int, int] | None = None
        for guess in _guess_starts(words, index):
            if guess + len(words) <= first_word:
                continue
            candidate = self._best_window(key, max(guess, first_word), len(words))
            if candidate is None:
                continue
            score, i, j = candidate
            if best is None or score > best[0] or (score == best[0] and _closer(i, best[1], near)):
                best = (score, i, j)
        if best is None:
            return None
        span = self._to_source(best[1], best[2])
        return Alignment(span[0], span[1], "fuzzy") if span else None

    def _best_window(self, key: str, guess: int, n_words: int) -> tuple[float, int, int] | None:
        """Best-scoring span of whole words around ``guess``, or ``None`` below the threshold."""
        last = len(self._word_starts) - 1
        cutoff = FUZZY_THRESHOLD * 100
        best: tuple[float, int, int] | None = None
        for first in range(max(0, guess - _EDGE_SLACK), min(last, guess + _EDGE_SLACK) + 1):
            i = self._with_punctuation_before(self._word_starts[first], key)
            end_lo = max(first, guess + n_words - 1 - _EDGE_SLACK)
            for final in range(end_lo, min(last, guess + n_words - 1 + _EDGE_SLACK) + 1):
                j = self._with_punctuation_after(self._word_ends[final], key)
                score = fuzz.ratio(key, self._norm[i:j], score_cutoff=cutoff)
                if score and (best is None or score > best[0]):
                    best = (score, i, j)
        return best

    def _with_punctuation_before(self, i: int, key: str) -> int:
        # Words exclude punctuation; take the needle's leading mark if the text has it too.
        return i - 1 if i > 0 and not WORD.match(key[0]) and self._norm[i - 1] == key[0] else i

    def _with_punctuation_after(self, j: int, key: str) -> int:
        return j + 1 if j < len(self._norm) and not WORD.match(key[-1]) and self._norm[j] == key[-1] else j


def _joins(left: str, right: str) -> bool:
    """True when two adjacent characters belong to one word of a space-separated script."""
    return left.isalnum() and right.isalnum() and not (_UNSPACED_CHAR.match(left) or _UNSPACED_CHAR.match(right))


def _pick(spans: Sequence[tuple[int, int]], near: int | None) -> tuple[int, int]:
    if near is None:
        return spans[0]
    return min(spans, key=lambda span: abs(span[0] - near))


def _closer(candidate: int, incumbent: int, near: int | None) -> bool:
    if near is None:
        return candidate < incumbent
    return abs(candidate - near) < abs(incumbent - near)


def _guess_starts(words: list[str], index: dict[str, list[int]]) -> list[int]:
    """Likely word positions where the needle starts, voted for by its rarest words.

    Each occurrence of an anchor word ``w`` at text position ``p`` votes for a
    start at ``p - (position of w in the needle)``; nearby starts share votes.
    """
    present = sorted({(len(index[w]), w) for w in words if w in index})
    anchors = [w for _, w in present[:_MAX_ANCHORS]]
    votes: Counter[int] = Counter()
    for word in anchors:
        offsets = [n for n, w in enumerate(words) if w == word]
        for position in index[word][:_MAX_ANCHOR_OCCURRENCES]:
            for offset in offsets:
                votes[position - offset] += 1
    needed = min(2, len(anchors))
    pooled = Counter({start: sum(votes.get(start + d, 0) for d in (-1, 0, 1)) for start in votes})
    return [start for start, count in pooled.most_common(_MAX_WINDOWS) if count >= needed]
