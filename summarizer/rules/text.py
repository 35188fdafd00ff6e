"""Paragraphs, sentences and front matter of an article, as offsets into its text.

Shared by the quote finder (a speech tag never crosses a sentence break), the
name finder (a lone capitalised word opening a sentence is weak evidence of a
name) and the lead summary (headline, dateline and captions are skipped), so it
sits below all three. Pure functions of the text; they never raise on odd input.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from itertools import pairwise

from .candidates import TextSpan
from .lexicon import ABBREVIATIONS, SENTENCE_STARTERS

# --------------------------------------------------------------------------
# Paragraphs and sentences
# --------------------------------------------------------------------------

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_LINE_BREAK = re.compile(r"\n\s*")


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph, surrounding whitespace excluded.

    Paragraphs are separated by blank lines; a text without any blank line is
    split at its line breaks instead.
    """
    separator = _BLANK_LINE if _BLANK_LINE.search(text) else _LINE_BREAK
    bounds: list[tuple[int, int]] = []
    position = 0
    for match in [*separator.finditer(text), None]:
        end = match.start() if match else len(text)
        start, stop = strip_span(text, position, end)
        if start < stop:
            bounds.append((start, stop))
        position = match.end() if match else end
    return bounds


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` moved inwards past whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def text_span(text: str, start: int, end: int) -> TextSpan:
    return TextSpan(start, end, text[start:end])


def holds_any(positions: Sequence[int], start: int, end: int) -> bool:
    """Whether one of the sorted ``positions`` lies in ``[start, end)``."""
    k = bisect.bisect_left(positions, start)
    return k < len(positions) and positions[k] < end


class TakenSpans:
    """Spans of a text taken so far, for "does this span overlap one taken?" checks.

    Each taken character is marked, so a check costs the span's own length
    (at C speed), never the number of spans taken: a transcript has thousands.
    """

    def __init__(self, length: int, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._marks = bytearray(length)
        for start, end in spans:
            self.take(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` shares a character with a taken span."""
        return self._marks.find(1, start, end) >= 0

    def take(self, start: int, end: int) -> None:
        self._marks[start:end] = b"\x01" * (end - start)


_SENTENCE_MARKS = re.compile(r"[.!?…]+")
# What must follow a run of sentence marks for it to end a sentence: closing marks, then a
# space before a word or a number.
_SENTENCE_END_TAIL = re.compile(r"[\"”’')\]]*(?=\s+[\"“‘'(\[]{0,2}(?P<letter>[^\W\d_])|\s+\d)")
_TOKEN_BEFORE = re.compile(r"[\w.]*$")
_NEXT_WORD = re.compile(r"\W*(\w+)")


def sentence_breaks(text: str, start: int, end: int) -> list[int]:
    """Offsets just past each sentence end inside ``text[start:end]``.

    Each run of marks is read once: one pattern for the run and what follows
    it would be tried again from every mark of a run that ends no sentence
    ("!!!!…", leader dots), which is quadratic in the run's length.
    """
    breaks = []
    for run in _SENTENCE_MARKS.finditer(text, start, end):
        tail = _SENTENCE_END_TAIL.match(text, run.end(), end)
        if tail is None or _continues(tail) or (text[run.start()] == "." and _is_abbreviation(text, run.start(), end)):
            continue
        breaks.append(tail.end())
    return breaks


def _continues(tail: re.Match[str]) -> bool:
    """Whether the sentence goes on past its mark: a lowercase word follows ("Rand Paul (Ky.) and Marco Rubio",
    '"Why?" he asked', "e.g. the budget"); news sentences open with a capital or a number."""
    letter = tail.group("letter")
    return letter is not None and letter.islower()


_DECIMAL = re.compile(r"\W*\d[\d.,]*")


def _is_abbreviation(text: str, dot: int, limit: int) -> bool:
    """Whether the full stop at ``dot`` ends an abbreviation rather than a sentence."""
    word = _TOKEN_BEFORE.search(text, max(0, dot - 24), dot)
    token = word.group() if word else ""
    if token.lower() in ABBREVIATIONS or (len(token) == 1 and token.isupper()):
        return True
    if "." in token and not _DECIMAL.fullmatch(token):
        # "U.S. President" continues the sentence; "Washington D.C. The team" does not; "$27.16." is a number's end.
        following = _NEXT_WORD.match(text, dot + 1, limit)
        return not (following and following.group(1).lower() in SENTENCE_STARTERS)
    return False


_LINE_WORD_INITIAL = re.compile(r"([^\W\d_])[\w’'-]*")  # each word of a line, as its first letter
_TITLE_CASE_MIN_WORDS = 3
_TITLE_CASE_SHARE = 0.7


def is_title_case(line: str) -> bool:
    """Whether a line is written in Title Case, as headlines are: at least 70 % of its words (three or more) capitalised."""
    initials: list[str] = _LINE_WORD_INITIAL.findall(line)
    if len(initials) < _TITLE_CASE_MIN_WORDS:
        return False  # a headline may end in a full stop ("… ‘Makes You Want To Retch.’"): no test of its end
    return sum(map(str.isupper, initials)) >= _TITLE_CASE_SHARE * len(initials)


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of one paragraph, stripped."""
    cuts = [0, *sentence_breaks(paragraph, 0, len(paragraph)), len(paragraph)]
    pieces = (paragraph[a:b].strip() for a, b in pairwise(cuts))
    return [piece for piece in pieces if piece]


# --------------------------------------------------------------------------
# Sentence openings (quote-mark glyphs are shared with .quotes)
# --------------------------------------------------------------------------

DOUBLE_OPENING = "“„‟«〝"
DOUBLE_CLOSING = "”»〞"
DOUBLE_EITHER = '"＂'
SINGLE = "'‘’‚‛‹›"
CORNER_PAIRS = {"「": "」", "『": "』", "﹁": "﹂", "﹃": "﹄"}


def opens_sentence(text: str, start: int) -> bool:
    """Whether the token at ``start`` is the first word of a sentence or a quotation."""
    before = text[max(0, start - 4) : start].rstrip(" \t\u00a0")
    if not before or before.endswith("\n"):
        return True
    last = before[-1]
    if last == ".":
        return not _is_abbreviation(text, max(0, start - 4) + len(before) - 1, start)  # "Sen. Ann Lee": a title's full stop ends nothing
    if last in "!?:" or last in DOUBLE_OPENING + "‘([" or (last in "\"'" and start >= 1 and text[start - 1] == last):
        return True
    return last in DOUBLE_CLOSING + "\"’'" and len(before) > 1 and before[-2] in ".!?"


# --------------------------------------------------------------------------
# Front matter: headline, dateline, captions
# --------------------------------------------------------------------------

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_DATELINE = re.compile(
    rf"^(?:(?:{'|'.join(WEEKDAYS)}),?\s+)?(?:(?:{'|'.join(MONTHS)})\s+\d{{1,2}},?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+(?:{'|'.join(MONTHS)})\s+\d{{4}})\.?$"
    r"|^(?:date\s+)?\d{4}-\d{2}-\d{2}$",
    re.IGNORECASE,
)
# "date 2025-02-20 Iran's ...", "TEHRAN (Reuters) - ...", "WASHINGTON — ..."
DATELINE_PREFIX = re.compile(
    r"^(?:date\s+)?\d{4}-\d{2}-\d{2}\s+"
    r"|^[A-Z][A-Z .'-]{2,40}(?:,[^()—–\n]{0,40})?\s*(?:\([^)\n]{1,40}\))?\s*[—–-]{1,2}\s+"
    r"|^[A-Z][\w .'-]{2,40}\s*\([A-Z][^)\n]{1,40}\)\s*[—–-]{1,2}\s+"  # "Washington (AFP) – ...": a place in any case before an outlet
)
CAPTION = re.compile(r"\b(?:Image|Photo|Picture|Pictured|Credit|File photo)\s*:|\(credit:|^File (?:image|photo)\b", re.IGNORECASE)
_SENTENCE_STOPS = tuple(".!?…")


def is_front_matter(paragraph: str, title: str | None) -> bool:
    """Headline, subhead, byline or dateline: text that is not a body paragraph."""
    flat = " ".join(paragraph.split())
    if title and flat.casefold() == " ".join(title.split()).casefold():
        return True
    return bool(_DATELINE.match(flat)) or not _ends_sentence(flat)


def _ends_sentence(flat: str) -> bool:
    """Ends like a sentence: a full stop, or a closing mark right after one ('…war."').

    A headline may end in a quote mark too ("… 'quasi-state of war'"), but not
    in a full stop inside it.
    """
    core = flat.rstrip("\"”’')")
    return core.endswith(_SENTENCE_STOPS) or (core != flat and flat.endswith(")") and core.endswith(_SENTENCE_STOPS))


def body_sentences(text: str, *, title: str | None = None) -> list[TextSpan]:
    """The sentences of the article's body, with offsets: headline, dateline, byline and captions left out."""
    sentences: list[TextSpan] = []
    for start, end in paragraph_bounds(text):
        if is_front_matter(text[start:end], title):
            continue
        dateline = DATELINE_PREFIX.match(text[start:end])
        start += dateline.end() if dateline else 0
        cuts = [start, *sentence_breaks(text, start, end), end]
        for a, b in pairwise(cuts):
            a, b = strip_span(text, a, b)
            if a < b and not _is_caption(text[a:b]):
                sentences.append(text_span(text, a, b))
    return sentences


def _is_caption(sentence: str) -> bool:
    # Every form of CAPTION but "File photo ..." at the start holds a colon: most sentences need one match at their start, not a search.
    return bool(CAPTION.search(sentence) if ":" in sentence else CAPTION.match(sentence))
