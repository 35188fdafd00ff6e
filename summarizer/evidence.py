"""Evidence-first extraction: rule-found candidate spans, found before any model call.

Three kinds of candidate are found deterministically, each located by offsets:

* quotes (``Q1``, ``Q2``, ...): passages inside quote marks, with the speech cue,
  speaker and outlet that the surrounding words give away;
* figures (``F1``, ...): amounts found by :mod:`summarizer.figures`;
* names (``N1``, ...): runs of capitalised words, short forms merged into the
  longest form ("Khamenei" -> "Ayatollah Ali Khamenei"); captions, credits,
  titles, sentence-opening ordinary words, events and craft are left out.

The prompt shows them to the model as numbered references for it to label, and
when the model adds nothing (tiny model, failure, ``--no-llm``) the digest is
built from them alone. Everything here is a pure function of the text; it never
raises on odd input (unbalanced or stray quote marks included), and every span
satisfies ``text[start:end] == span.text``.

Quote marks are paired by *flanking*: a mark after a space and before a word
opens, one after a word and before a space or punctuation closes, and only when
the context says nothing does the glyph decide. That is what lets a “ used as a
closing mark, nested double quotes, straight quotes, « », „ “ and 「 」 share one
pairing routine. Single quotes are paired only when the context is unambiguous,
because ’ is mostly an apostrophe ("Iran’s", "don't", "'90s").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from .figures import FigureMatch, find_figures
from .schema import ActorKind

__all__ = [
    "Evidence",
    "FigureCandidate",
    "NameCandidate",
    "QuoteCandidate",
    "TextSpan",
    "find_evidence",
    "lead_summary",
]


# --------------------------------------------------------------------------
# Public data types
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class TextSpan:
    """A stretch of the article: ``text == article[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class QuoteCandidate:
    """A quoted passage; ``start``/``end``/``text`` cover the words inside the marks.

    When the article splits the quote ("X," he said, "Y") or carries it over
    paragraphs, the span runs from the first to the last piece and
    ``fragments`` lists the pieces; otherwise ``fragments`` is empty.
    """

    ref: str
    start: int
    end: int
    text: str
    fragments: tuple[TextSpan, ...]
    cue: str | None
    speaker: str | None
    speaker_span: TextSpan | None
    via: str | None


@dataclass(frozen=True)
class FigureCandidate:
    """A figure found by :func:`summarizer.figures.find_figures`, numbered."""

    ref: str
    match: FigureMatch


@dataclass(frozen=True)
class NameCandidate:
    """A proper name with every mention of it and its short forms, in text order.

    ``name`` is the longest form seen, without role titles ("President") or
    courtesy titles ("Mr."); ``title`` is the first role title seen with it.
    """

    ref: str
    name: str
    kind: ActorKind
    mentions: tuple[TextSpan, ...]
    title: str | None = None


@dataclass(frozen=True)
class Evidence:
    """All rule-found candidates of one article."""

    quotes: tuple[QuoteCandidate, ...]
    figures: tuple[FigureCandidate, ...]
    names: tuple[NameCandidate, ...]

    def ref(self, ref: str) -> QuoteCandidate | FigureCandidate | NameCandidate | None:
        """The candidate numbered ``ref`` ("Q3", "F1", "N2"), or ``None`` when there is none."""
        pools: dict[str, Sequence[QuoteCandidate | FigureCandidate | NameCandidate]]
        pools = {"Q": self.quotes, "F": self.figures, "N": self.names}
        wanted = ref.strip().upper()
        return next((candidate for candidate in pools.get(wanted[:1], ()) if candidate.ref == wanted), None)


def find_evidence(text: str) -> Evidence:
    """Find the quote, figure and name candidates of ``text``, numbered in text order."""
    paragraphs = _paragraphs(text)
    names = _find_names(text)
    quotes = _find_quotes(text, paragraphs, _MentionIndex(names))
    figures = tuple(FigureCandidate(ref=f"F{number}", match=match) for number, match in enumerate(find_figures(text), 1))
    return Evidence(quotes=quotes, figures=figures, names=names)


def lead_summary(text: str, *, title: str | None = None, max_sentences: int = 2) -> str:
    """An extractive fallback summary: the first ``max_sentences`` body sentences.

    Headline (the paragraph equal to ``title``, or any paragraph without final
    punctuation), datelines and image captions are skipped. Returns ``""`` when
    the text has no body sentence.
    """
    picked: list[str] = []
    for start, end in _paragraphs(text):
        paragraph = text[start:end]
        if len(picked) >= max_sentences or _is_front_matter(paragraph, title):
            continue
        for sentence in _sentences(_DATELINE_PREFIX.sub("", paragraph)):
            if len(picked) < max_sentences and not _CAPTION.search(sentence):
                picked.append(" ".join(sentence.split()))
    return " ".join(picked)


# --------------------------------------------------------------------------
# Paragraphs and sentences
# --------------------------------------------------------------------------

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_LINE_BREAK = re.compile(r"\n\s*")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph, surrounding whitespace excluded.

    Paragraphs are separated by blank lines; a text without any blank line is
    split at its line breaks instead.
    """
    separator = _BLANK_LINE if _BLANK_LINE.search(text) else _LINE_BREAK
    bounds: list[tuple[int, int]] = []
    position = 0
    for match in [*separator.finditer(text), None]:
        end = match.start() if match else len(text)
        start, stop = _strip(text, position, end)
        if start < stop:
            bounds.append((start, stop))
        position = match.end() if match else end
    return bounds


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` moved inwards past whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_SENTENCE_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[^\W\d_]|\s+\d)")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "gen",
        "sen",
        "rep",
        "gov",
        "lt",
        "col",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "jr",
        "sr",
        "prof",
        "rev",
        "no",
        "vs",
        "inc",
        "corp",
        "ltd",
        "co",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "fig",
        "approx",
        "est",
    ]
)
_SENTENCE_STARTERS = frozenset(
    [
        "the",
        "a",
        "an",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "this",
        "that",
        "these",
        "those",
        "in",
        "on",
        "at",
        "but",
        "and",
        "as",
        "after",
        "however",
        "its",
        "his",
        "her",
        "their",
        "there",
        "our",
    ]
)


def _sentence_breaks(text: str, start: int, end: int) -> list[int]:
    """Offsets just past each sentence end inside ``text[start:end]``."""
    breaks = []
    for match in _SENTENCE_END.finditer(text, start, end):
        if text[match.start()] == "." and _is_abbreviation(text, match.start(), end):
            continue
        breaks.append(match.end())
    return breaks


def _is_abbreviation(text: str, dot: int, limit: int) -> bool:
    """Whether the full stop at ``dot`` ends an abbreviation rather than a sentence."""
    word = re.search(r"[\w.]*$", text[max(0, dot - 24) : dot])
    token = word.group() if word else ""
    if token.lower() in _ABBREVIATIONS or (len(token) == 1 and token.isupper()):
        return True
    if "." in token:
        # "U.S. President" continues the sentence; "Washington D.C. The team" does not.
        following = re.match(r"\W*(\w+)", text[dot + 1 : limit])
        return not (following and following.group(1).lower() in _SENTENCE_STARTERS)
    return False


def _sentences(paragraph: str) -> list[str]:
    """The sentences of one paragraph, stripped."""
    cuts = [0, *_sentence_breaks(paragraph, 0, len(paragraph)), len(paragraph)]
    pieces = (paragraph[a:b].strip() for a, b in pairwise(cuts))
    return [piece for piece in pieces if piece]


# --------------------------------------------------------------------------
# Lead summary helpers
# --------------------------------------------------------------------------

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_DATELINE = re.compile(
    rf"^(?:(?:{'|'.join(_WEEKDAYS)}),?\s+)?(?:(?:{'|'.join(_MONTHS)})\s+\d{{1,2}},?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+(?:{'|'.join(_MONTHS)})\s+\d{{4}})\.?$"
    r"|^(?:date\s+)?\d{4}-\d{2}-\d{2}$",
    re.IGNORECASE,
)
# "date 2025-02-20 Iran's ...", "TEHRAN (Reuters) - ...", "WASHINGTON — ..."
_DATELINE_PREFIX = re.compile(
    r"^(?:date\s+)?\d{4}-\d{2}-\d{2}\s+"
    r"|^[A-Z][A-Z .'-]{2,40}(?:,[^()—–\n]{0,40})?\s*(?:\([^)\n]{1,40}\))?\s*[—–-]{1,2}\s+"
)
_CAPTION = re.compile(r"\b(?:Image|Photo|Picture|Pictured|Credit|File photo)\s*:|\(credit:|^File (?:image|photo)\b", re.IGNORECASE)
_SENTENCE_STOPS = tuple(".!?…")


def _is_front_matter(paragraph: str, title: str | None) -> bool:
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


# --------------------------------------------------------------------------
# Quote marks
# --------------------------------------------------------------------------

_DOUBLE_OPENING = "“„‟«〝"
_DOUBLE_CLOSING = "”»〞"
_DOUBLE_EITHER = '"＂'
_SINGLE = "'‘’‚‛‹›"
_CORNER_PAIRS = {"「": "」", "『": "』", "﹁": "﹂", "﹃": "﹄"}
_ALL_MARKS = _DOUBLE_OPENING + _DOUBLE_CLOSING + _DOUBLE_EITHER + _SINGLE + "".join(k + v for k, v in _CORNER_PAIRS.items())
_MARK = re.compile("[" + re.escape(_ALL_MARKS) + "]")
_OPEN_CONTEXT = frozenset("([{<—–-/" + _ALL_MARKS)
_CLOSE_CONTEXT = frozenset(".,;:!?)]}>—–-/…" + _ALL_MARKS)
_DECADE = re.compile(r"['’]\d\d(?:s\b|\b)")


@dataclass(frozen=True)
class _Mark:
    position: int
    family: str  # which marks pair with each other: "double", "single" or a corner bracket
    role: str  # "open", "close" or "either"


def _quote_marks(text: str) -> list[_Mark]:
    """Every quote mark of ``text`` with its family and role; apostrophes left out."""
    marks = []
    for match in _MARK.finditer(text):
        mark = _classify_mark(text, match.start())
        if mark is not None:
            marks.append(mark)
    return marks


def _classify_mark(text: str, position: int) -> _Mark | None:
    char = text[position]
    for opening, closing in _CORNER_PAIRS.items():
        if char in (opening, closing):
            return _Mark(position, opening, "open" if char == opening else "close")
    before = text[position - 1] if position else " "
    after = text[position + 1] if position + 1 < len(text) else " "
    opens = (before.isspace() or before in _OPEN_CONTEXT) and not after.isspace()
    closes = not before.isspace() and (after.isspace() or after in _CLOSE_CONTEXT)
    if char in _SINGLE:
        if (before.isalnum() and after.isalnum()) or _DECADE.match(text, position) or opens == closes:
            return None  # an apostrophe, or a mark the context cannot place
        return _Mark(position, "single", "open" if opens else "close")
    if opens != closes:
        return _Mark(position, "double", "open" if opens else "close")
    if char in _DOUBLE_OPENING:
        return _Mark(position, "double", "open")
    if char in _DOUBLE_CLOSING:
        return _Mark(position, "double", "close")
    return _Mark(position, "double", "either")


@dataclass(frozen=True)
class _RawQuote:
    """A paired quote before attribution: inner pieces plus the outer bounds (marks included)."""

    pieces: tuple[tuple[int, int], ...]
    outer_start: int
    outer_end: int
    first_paragraph: int
    last_paragraph: int

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


@dataclass(frozen=True)
class _Open:
    outer_start: int
    inner_start: int
    paragraph: int
    pieces: tuple[tuple[int, int], ...] = ()


def _pair_marks(marks: list[_Mark], paragraphs: list[tuple[int, int]], *, lenient: bool) -> list[_RawQuote]:
    """Pair one family's marks paragraph by paragraph, with a stack for nesting.

    Lenient pairing (double quotes) lets a quote left open at the end of a
    paragraph continue into the next paragraph when that one opens with a mark,
    and otherwise ends it at the paragraph end, as news style does. Strict
    pairing (single quotes, mostly apostrophes) drops unclosed marks.
    """
    by_paragraph = _marks_by_paragraph(marks, paragraphs)
    quotes: list[_RawQuote] = []
    carried: _Open | None = None
    for index, (_, end) in enumerate(paragraphs):
        stack: list[_Open] = []
        own = by_paragraph[index]
        if carried is not None:
            stack.append(_Open(carried.outer_start, own[0].position + 1, carried.paragraph, carried.pieces))
            own, carried = own[1:], None
        for mark in own:
            if mark.role == "close" or (mark.role == "either" and stack):
                if stack:  # a closing mark with nothing open is a stray: ignored
                    opened = stack.pop()
                    pieces = (*opened.pieces, (opened.inner_start, mark.position))
                    quotes.append(_RawQuote(pieces, opened.outer_start, mark.position + 1, opened.paragraph, index))
            else:
                stack.append(_Open(mark.position, mark.position + 1, index))
        if stack and lenient:
            outer = stack[0]
            pieces = (*outer.pieces, (outer.inner_start, end))
            following = by_paragraph[index + 1] if index + 1 < len(paragraphs) else []
            if following and following[0].position == paragraphs[index + 1][0] and following[0].role != "close":
                carried = _Open(outer.outer_start, -1, outer.paragraph, pieces)
            else:
                quotes.append(_RawQuote(pieces, outer.outer_start, end, outer.paragraph, index))
    return quotes


def _marks_by_paragraph(marks: list[_Mark], paragraphs: list[tuple[int, int]]) -> list[list[_Mark]]:
    starts = [start for start, _ in paragraphs]
    grouped: list[list[_Mark]] = [[] for _ in paragraphs]
    for mark in marks:
        index = bisect.bisect_right(starts, mark.position) - 1
        if index >= 0 and mark.position < paragraphs[index][1]:
            grouped[index].append(mark)
    return grouped


def _paired_quotes(text: str, paragraphs: list[tuple[int, int]]) -> list[_RawQuote]:
    """All quotes of all mark families, trimmed, outermost only, in text order."""
    marks = _quote_marks(text)
    found: list[_RawQuote] = []
    for family in dict.fromkeys(mark.family for mark in marks):
        family_marks = [mark for mark in marks if mark.family == family]
        found.extend(_pair_marks(family_marks, paragraphs, lenient=family != "single"))
    trimmed = (_trim_quote(text, quote) for quote in found)
    return _outermost([quote for quote in trimmed if quote is not None])


def _trim_quote(text: str, quote: _RawQuote) -> _RawQuote | None:
    """The quote with whitespace trimmed from its pieces; ``None`` when no word is left."""
    pieces = tuple(piece for piece in (_strip(text, a, b) for a, b in quote.pieces) if piece[0] < piece[1])
    if not pieces or not any(char.isalnum() for a, b in pieces for char in text[a:b]):
        return None
    return _RawQuote(pieces, quote.outer_start, quote.outer_end, quote.first_paragraph, quote.last_paragraph)


def _outermost(quotes: list[_RawQuote]) -> list[_RawQuote]:
    """Drop quotes nested in (or crossing) an earlier, longer one."""
    kept: list[_RawQuote] = []
    for quote in sorted(quotes, key=lambda q: (q.start, -q.end)):
        if kept and quote.start < kept[-1].end:
            continue
        kept.append(quote)
    return kept


# --------------------------------------------------------------------------
# Speech cues and attribution
# --------------------------------------------------------------------------

_CUE_WORDS = [
    "said",
    "says",
    "say",
    "saying",
    "told",
    "tells",
    "telling",
    "added",
    "adds",
    "adding",
    "noted",
    "notes",
    "noting",
    "stated",
    "states",
    "stating",
    "wrote",
    "writes",
    "writing",
    "claimed",
    "claims",
    "claiming",
    "asked",
    "asks",
    "explained",
    "explains",
    "commented",
    "comments",
    "tweeted",
    "posted",
    "continued",
    "continues",
    "declared",
    "declares",
    "announced",
    "announces",
    "insisted",
    "insists",
    "argued",
    "argues",
    "warned",
    "warns",
    "replied",
    "replies",
    "responded",
    "remarked",
    "reported",
    "reports",
    "asserted",
    "asserts",
    "described",
    "describes",
    "called",
    "calls",
    "urged",
    "urges",
    "acknowledged",
    "admitted",
    "suggested",
    "recalled",
    "observed",
    "stressed",
    "emphasized",
    "emphasised",
    "concluded",
    "reasoned",
    "denied",
    "quoted",
    "reads",
]
_CUE = re.compile(r"(?<![\w-])(?:[Aa]ccording to|[Ii]n the words of|" + "|".join(_CUE_WORDS) + r")\b")
_REPORTED_CLAUSE = re.compile(r"\s+that\b")
_TAG_ENDS = re.compile(r"(?:\s+[\w.’'-]+){0,4}?\s*(?:[.,!?]|$)")
_PRONOUN = re.compile(r"\b(he|she|it|He|She|It)\b")
_PRONOUN_AFTER_CUE = re.compile(r"\s+\b(he|she)\b(?=\s*[.,!?])")  # '", said he.'; not 'said it was'

_SHORT_QUOTE_WORDS = 2
_SHORT_QUOTE_CUE_WINDOW = 60
# A speech tag right after a quote: '", said Bob Smith', '," he said', '," Bob Smith said':
# up to three words (not a conjunction: '"reckless," and said' goes on the sentence) before the cue.
_TAG_AFTER = re.compile(r"\s*,?(?:\s+(?!(?:and|but|or|nor|yet|so|then|as|while|when|which|who)\b)[^\W\d][\w.’'-]*){0,3}?\s+(?:" + "|".join(_CUE_WORDS) + r")\b")
_TAG_STYLE_ENDS = ",!?—–"  # how a quote followed by its speech tag ends: '"Stop," he said'
_TAG_MAX_CHARS = 100
_SUBJECT_REACH = 300  # how far back a pronoun's sentence subject is looked for
_MENTION_NEAR_CUE_CHARS = 40


@dataclass(frozen=True)
class _Attribution:
    cue: str | None = None
    speaker: str | None = None
    speaker_span: TextSpan | None = None
    via: str | None = None


class _MentionIndex:
    """Name mentions in text order, for finding the name next to a speech cue."""

    def __init__(self, names: Sequence[NameCandidate]) -> None:
        pairs = sorted((span.start, span.end, span.text, name.ref) for name in names for span in name.mentions)
        by_ref = {name.ref: name for name in names}
        self.spans = [TextSpan(start, end, text) for start, end, text, _ in pairs]
        self.names = [by_ref[ref] for *_, ref in pairs]
        self.starts = [span.start for span in self.spans]

    def within(self, start: int, end: int) -> Iterator[tuple[TextSpan, NameCandidate]]:
        """Mentions lying inside ``[start, end)``, in text order."""
        for index in range(bisect.bisect_left(self.starts, start), len(self.spans)):
            if self.spans[index].start >= end:
                return
            if self.spans[index].end <= end:
                yield self.spans[index], self.names[index]

    def before(self, position: int, *, accept: Callable[[TextSpan, NameCandidate], bool]) -> tuple[TextSpan, NameCandidate] | None:
        """The last mention ending at or before ``position`` that ``accept`` takes."""
        for index in range(bisect.bisect_left(self.starts, position) - 1, -1, -1):
            if self.spans[index].end <= position and accept(self.spans[index], self.names[index]):
                return self.spans[index], self.names[index]
        return None


def _find_quotes(text: str, paragraphs: list[tuple[int, int]], mentions: _MentionIndex) -> tuple[QuoteCandidate, ...]:
    """Quote candidates: marked quotes, split quotes merged, plus attributed pull quotes."""
    groups = _merge_split_quotes(text, _paired_quotes(text, paragraphs))
    groups = [group for group in groups if _is_substantial(text, group, paragraphs)]
    found: list[tuple[tuple[tuple[int, int], ...], _Attribution]] = []
    for index, group in enumerate(groups):
        previous_end = groups[index - 1][-1].outer_end if index else 0
        following_start = groups[index + 1][0].outer_start if index + 1 < len(groups) else len(text)
        attribution = _attribute(text, group, paragraphs, mentions, previous_end, following_start)
        if attribution == _Attribution() and index and _continues_turn(text, groups[index - 1][-1], group[0], paragraphs, mentions):
            previous = found[-1][1]
            attribution = _Attribution(speaker=previous.speaker, speaker_span=previous.speaker_span, via=previous.via)
        found.append((tuple(piece for quote in group for piece in quote.pieces), attribution))
    found.extend(_pull_quotes(text, paragraphs, mentions, taken=[(p[0][0], p[-1][1]) for p, _ in found]))
    found.sort(key=lambda item: item[0][0][0])
    return tuple(_quote_candidate(text, number, pieces, attribution) for number, (pieces, attribution) in enumerate(found, 1))


def _continues_turn(text: str, previous: _RawQuote, quote: _RawQuote, paragraphs: list[tuple[int, int]], mentions: _MentionIndex) -> bool:
    """Whether an unattributed quote goes on with the previous quote's speaker.

    True when nothing but unnamed words lies between them in one sentence
    ('"dangerous" and "ideological"'), or when the quote opens the paragraph
    right after the one the previous quote ended (news style for a long turn).
    """
    if previous.last_paragraph == quote.first_paragraph:
        between = (previous.outer_end, quote.outer_start)
        return not (_CUE.search(text, *between) or _sentence_breaks(text, *between) or next(mentions.within(*between), None))
    opens_paragraph = quote.outer_start == paragraphs[quote.first_paragraph][0]
    return opens_paragraph and previous.last_paragraph == quote.first_paragraph - 1


def _quote_candidate(text: str, number: int, pieces: tuple[tuple[int, int], ...], attribution: _Attribution) -> QuoteCandidate:
    start, end = pieces[0][0], pieces[-1][1]
    fragments = tuple(_span(text, a, b) for a, b in pieces) if len(pieces) > 1 else ()
    return QuoteCandidate(
        ref=f"Q{number}",
        start=start,
        end=end,
        text=text[start:end],
        fragments=fragments,
        cue=attribution.cue,
        speaker=attribution.speaker,
        speaker_span=attribution.speaker_span,
        via=attribution.via,
    )


def _span(text: str, start: int, end: int) -> TextSpan:
    return TextSpan(start, end, text[start:end])


def _merge_split_quotes(text: str, quotes: list[_RawQuote]) -> list[list[_RawQuote]]:
    """Group quotes the article splits around a speech tag: "X," he said, "Y"."""
    groups: list[list[_RawQuote]] = []
    for quote in quotes:
        last = groups[-1][-1] if groups else None
        if last is not None and last.last_paragraph == quote.first_paragraph and _is_speech_tag(text, last, quote):
            groups[-1].append(quote)
        else:
            groups.append([quote])
    return groups


def _is_speech_tag(text: str, first: _RawQuote, second: _RawQuote) -> bool:
    gap = text[first.outer_end : second.outer_start]
    if len(gap) > _TAG_MAX_CHARS or ";" in gap or "\n" in gap or not _CUE.search(gap):
        return False
    # The first piece must stop mid-sentence ("X," he said) or the tag must start
    # with a comma, and the tag must lead on into the second piece (", " or ": "):
    # after 'said Smith. "' a new quote begins.
    mid_sentence = text[first.end - 1] in ",—–-" or gap.lstrip().startswith(",")
    return mid_sentence and gap.rstrip().endswith((",", ":", "—", "–"))


def _is_substantial(text: str, group: list[_RawQuote], paragraphs: list[tuple[int, int]]) -> bool:
    """Drop one- and two-word scare quotes unless a speech cue is close before them or tags them right after."""
    words = sum(_word_count(text[a:b]) for quote in group for a, b in quote.pieces)
    if words > _SHORT_QUOTE_WORDS:
        return True
    first = group[0]
    window_start = max(paragraphs[first.first_paragraph][0], first.outer_start - _SHORT_QUOTE_CUE_WINDOW)
    breaks = _sentence_breaks(text, window_start, first.outer_start)
    return bool(_CUE.search(text, breaks[-1] if breaks else window_start, first.outer_start)) or _is_tagged_after(text, group[-1])


def _is_tagged_after(text: str, quote: _RawQuote) -> bool:
    """Whether a speech tag follows the closing mark: '"Stop," he said', '"Hello there," said Bob Smith'.

    The quote must end as a tagged quote does (a comma, "!" or "?" before the
    mark, or a comma after it), so '"reckless" and said' is not one.
    """
    tag_style = text[quote.end - 1] in _TAG_STYLE_ENDS or text[quote.outer_end : quote.outer_end + 1] == ","
    return tag_style and _TAG_AFTER.match(text, quote.outer_end, quote.outer_end + _SHORT_QUOTE_CUE_WINDOW) is not None


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _word_count(passage: str) -> int:
    """Words of a passage; for Chinese, Japanese and Korean script about two characters a word."""
    cjk = len(_CJK.findall(passage))
    return len(passage.split()) + cjk // 2


def _attribute(
    text: str,
    group: list[_RawQuote],
    paragraphs: list[tuple[int, int]],
    mentions: _MentionIndex,
    previous_end: int,
    following_start: int,
) -> _Attribution:
    """Cue, speaker and outlet of one quote, from its tags, the words after it, then before it."""
    first, last = group[0], group[-1]
    paragraph_start, paragraph_end = paragraphs[first.first_paragraph][0], paragraphs[last.last_paragraph][1]
    tags = [(a.outer_end, b.outer_start) for a, b in pairwise(group)]
    trials = [_tag_attribution(text, start, end, mentions, before=first.start) for start, end in tags]
    after_end = min(following_start, paragraph_end, last.outer_end + _TAG_MAX_CHARS)
    trials.append(_trailing_attribution(text, last.outer_end, after_end, mentions, quote=(first.start, last.end)))
    before_start = max(paragraph_start, previous_end)
    breaks = _sentence_breaks(text, before_start, first.outer_start)
    trials.append(_lead_in_attribution(text, breaks[-1] if breaks else before_start, first.outer_start, mentions))
    with_speaker = next((trial for trial in trials if trial.speaker), None)
    return with_speaker or next((trial for trial in trials if trial.cue), _Attribution())


def _trailing_attribution(text: str, start: int, end: int, mentions: _MentionIndex, *, quote: tuple[int, int]) -> _Attribution:
    """Attribution from the words right after a quote: '", Smith said.', '" said Ambassador Mohib.'

    The tag must come before any sentence break and must not introduce a
    reported clause ("Smith said that ..."), which belongs to the next quote.
    When the quote ended its own sentence, only a short tag ('" Baird said.') counts.
    """
    cue = _CUE.search(text, start, end)
    if cue is None or _sentence_breaks(text, start, cue.start()) or _REPORTED_CLAUSE.match(text, cue.end()):
        return _Attribution()
    if text[quote[1] - 1] in ".!?…" and not _is_closing_tag(text, start, cue):
        return _Attribution()
    return _tag_attribution(text, start, end, mentions, before=quote[0])


def _tag_attribution(text: str, start: int, end: int, mentions: _MentionIndex, *, before: int) -> _Attribution:
    """Attribution from a speech tag between or after quote pieces: ', Smith said', ', said Smith'.

    ``before`` is where the quote starts: a pronoun's antecedent is looked for before it.
    """
    cue = _CUE.search(text, start, end)
    if cue is None:
        return _Attribution()
    lead = next(mentions.within(start, cue.start()), None)
    pronoun = _PRONOUN.search(text, start, cue.start()) or _PRONOUN_AFTER_CUE.match(text, cue.end())
    if lead is None and pronoun is None:
        lead = _mention_after(text, cue.end(), end, mentions)
    return _resolve(text, cue.group(), lead, pronoun, mentions, before=before, window=(start, end))


def _is_closing_tag(text: str, start: int, cue: re.Match[str]) -> bool:
    """A short tag that ends the sentence: '" Baird said.', '" he said.', '" said Smith.'."""
    return len(text[start : cue.start()].split()) <= 3 and bool(_TAG_ENDS.match(text, cue.end()))


def _lead_in_attribution(text: str, start: int, end: int, mentions: _MentionIndex) -> _Attribution:
    """Attribution from the words before the quote: 'Smith said, "...', 'according to Smith, "...'."""
    cues = list(_CUE.finditer(text, start, end))
    if not cues:
        return _Attribution()
    cue = cues[-1]
    if cue.group().lower() in ("according to", "in the words of"):
        return _resolve(text, cue.group(), _mention_after(text, cue.end(), end, mentions), None, mentions, before=end, window=(start, end))
    subject_end = cue.start()
    head = text[start:subject_end].rstrip()
    if head.endswith(","):  # "Jeff Rathke, the State Department Spokesperson, said": skip the apposition
        comma = head[:-1].rfind(",")
        subject_end = start + comma if comma >= 0 else subject_end
    candidates = list(mentions.within(start, subject_end))
    lead = candidates[-1] if candidates and _is_near(text, candidates[-1][0].end, subject_end) else None
    pronoun = _PRONOUN.search(text, max(start, subject_end - 6), subject_end) if lead is None else None
    if lead is None and pronoun is None:
        lead = _mention_after(text, cue.end(), end, mentions)
    return _resolve(text, cue.group(), lead, pronoun, mentions, before=end, window=(start, end))


def _is_near(text: str, position: int, cue_start: int) -> bool:
    """Whether a name ending at ``position`` can be the subject of a cue at ``cue_start``."""
    between = text[position:cue_start]
    return len(between.split()) <= 3 and not re.search(r"[.;:!?]", between)


def _mention_after(text: str, start: int, end: int, mentions: _MentionIndex) -> tuple[TextSpan, NameCandidate] | None:
    """The first name shortly after a cue ('said Ambassador Mohib', 'according to the Herald')."""
    found = next(mentions.within(start, end), None)
    if found is None or found[0].start - start > _MENTION_NEAR_CUE_CHARS or re.search(r"[.;:!?\"“”]", text[start : found[0].start]):
        return None
    return found


_ORGANISATION = frozenset({"organization", "group", "country"})


def _may_be_person(text: str, span: TextSpan, name: NameCandidate) -> bool:
    """A person, or an unclassified full name ('Harry Kane won ... He said').

    A name followed by a role noun describes someone else ('Environment Canada spokeswoman').
    """
    role = _WORD_AFTER.match(text, span.end)
    if role and role.group(1) in _ROLE_NOUNS:
        return False
    return name.kind == "person" or (name.kind == "other" and len(name.name.split()) > 1)


def _resolve(
    text: str,
    cue: str,
    lead: tuple[TextSpan, NameCandidate] | None,
    pronoun: re.Match[str] | None,
    mentions: _MentionIndex,
    *,
    before: int,
    window: tuple[int, int],
) -> _Attribution:
    """Turn the name or pronoun next to a cue into a speaker, and find the outlet if any."""
    if lead is None and pronoun is not None:
        if pronoun.group().lower() in ("he", "she"):
            # The subject of a recent sentence beats a nearer object ("Rathbun asked ... to help Montalvo. He said").
            lead = mentions.before(
                before,
                accept=lambda span, name: before - span.start < _SUBJECT_REACH and _opens_sentence(text, span.start) and _may_be_person(text, span, name),
            ) or mentions.before(before, accept=lambda span, name: name.kind == "person")
        else:
            lead = mentions.before(before, accept=lambda _, name: name.kind in _ORGANISATION)
    speaker = lead[1] if lead else None
    outlets = [name for _, name in mentions.within(*window) if _is_outlet(name.name)]
    via = speaker.name if speaker is not None and _is_outlet(speaker.name) else next((o.name for o in outlets if o is not speaker), None)
    return _Attribution(
        cue=cue.lower(),
        speaker=speaker.name if speaker else None,
        speaker_span=lead[0] if lead else None,
        via=via,
    )


_PULL_QUOTE_ATTRIBUTION = re.compile(r"(?P<name>[^\W\d_][\w’'.-]*(?:\s+[\w’'.-]+){1,3}?)(?:,\s*[^\n]{2,60})?")
_PULL_QUOTE_MIN_WORDS = 6
_PULL_QUOTE_MAX_ATTRIBUTION = 80


def _pull_quotes(
    text: str, paragraphs: list[tuple[int, int]], mentions: _MentionIndex, *, taken: list[tuple[int, int]]
) -> list[tuple[tuple[tuple[int, int], ...], _Attribution]]:
    """Unmarked pull quotes: a paragraph ending in an attribution line ('... Charles Bolden, NASA Administrator').

    The same words repeated elsewhere (a block quote the pull quote duplicates)
    are found too and given the same speaker.
    """
    found: list[tuple[tuple[tuple[int, int], ...], _Attribution]] = []
    taken = list(taken)
    for start, end in paragraphs:
        if _overlaps((start, end), taken) or text[end - 1] in ".!?…\"”’'":
            continue
        body_end, attribution = _pull_quote_attribution(text, start, end, mentions)
        if attribution is None or len(text[start:body_end].split()) < _PULL_QUOTE_MIN_WORDS:
            continue
        found.append((((start, body_end),), attribution))
        taken.append((start, end))
        body = text[start:body_end]
        position = text.find(body)
        while position >= 0:
            if not _overlaps((position, position + len(body)), taken):
                found.append((((position, position + len(body)),), attribution))
                taken.append((position, position + len(body)))
            position = text.find(body, position + 1)
    return found


def _pull_quote_attribution(text: str, start: int, end: int, mentions: _MentionIndex) -> tuple[int, _Attribution | None]:
    """(end of the quoted body, attribution) when the paragraph ends in a name line."""
    for cut in reversed(_sentence_breaks(text, start, end)):
        line_start, _ = _strip(text, cut, end)
        if end - line_start > _PULL_QUOTE_MAX_ATTRIBUTION:
            break
        line = _PULL_QUOTE_ATTRIBUTION.fullmatch(text, line_start, end)
        named = next(mentions.within(line_start, line.end("name")), None) if line else None
        if named is not None and named[0].start == line_start:
            return cut, _Attribution(speaker=named[1].name, speaker_span=named[0])
    return end, None


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in spans)


# --------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------

_PARTICLES = frozenset(["bin", "bint", "ibn", "al", "el", "de", "da", "di", "du", "del", "della", "der", "den", "van", "von", "la", "le", "dos", "das", "y"])
_CONNECTORS = frozenset({"of", "for"})
_BRIDGES = _PARTICLES | _CONNECTORS | {"the"}  # lower-case words a name may contain, never end with
_ARTICLE_PREFIX = r"(?:al|el|ad|as|an|ar|ash)-[A-Z]"  # "al-Fayyadh", "ash-Sharq"
_CAPITALISED_PREFIX = re.compile(_ARTICLE_PREFIX)
# The tokens a name can be made of: dotted acronyms, words that do not start with a
# lower-case ASCII letter (capitalised, or non-ASCII and checked by ``_is_capitalised``),
# "al-" words, and the particles and connectors that bridge two capitalised words.
# A token starts a word (not after a letter, nor after a hyphen or apostrophe joined
# to one), so the runs match a tokenisation of every word; skipping the plain
# lower-case words in the regex engine is what keeps name finding fast.
_NAME_TOKEN = re.compile(
    r"(?<![\w’'\-])(?<!\w[’'\-])"
    r"(?:(?:[A-Z]\.){2,}"
    r"|(?:[^\W\d_a-z]|" + _ARTICLE_PREFIX + r")\w*(?:[’'\-]\w+)*"
    r"|(?:" + "|".join(sorted(_BRIDGES, key=len, reverse=True)) + r")\b(?![’'\-]\w))"
)
_NAME_BREAKERS = frozenset([*_MONTHS, *_WEEKDAYS, "AM", "PM", "GMT", "UTC", "EST", "EDT", "BST", "CET"])
_FUNCTION_WORDS = frozenset(
    [
        "The",
        "A",
        "An",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "Its",
        "He",
        "She",
        "They",
        "We",
        "I",
        "You",
        "His",
        "Her",
        "Their",
        "Our",
        "My",
        "Your",
        "In",
        "On",
        "At",
        "By",
        "For",
        "From",
        "With",
        "Without",
        "After",
        "Before",
        "During",
        "Since",
        "Until",
        "While",
        "When",
        "Where",
        "What",
        "Who",
        "Whom",
        "Whose",
        "Why",
        "How",
        "If",
        "But",
        "And",
        "Or",
        "So",
        "Yet",
        "However",
        "Also",
        "Although",
        "Though",
        "As",
        "Because",
        "Meanwhile",
        "Now",
        "Then",
        "There",
        "Here",
        "Other",
        "Some",
        "Many",
        "Most",
        "All",
        "Both",
        "Each",
        "Every",
        "No",
        "Not",
        "One",
        "Two",
        "Three",
        "Four",
        "Five",
        "Six",
        "Seven",
        "Eight",
        "Nine",
        "Ten",
        "According",
        "Last",
        "Next",
        "Earlier",
        "Later",
        "Today",
        "Yesterday",
        "Tomorrow",
        "Despite",
        "Under",
        "Over",
        "Among",
        "Between",
        "Following",
        "Even",
        "Only",
        "Such",
        "Several",
        "Another",
        "Any",
        "More",
        "Less",
        "Further",
        "Still",
        "Instead",
        "Unlike",
        "Like",
        "Once",
        "To",
        "Of",
        "Is",
        "Was",
        "Are",
        "Were",
        "Be",
        "Has",
        "Have",
        "Had",
        "Do",
        "Does",
        "Did",
        "Will",
        "Would",
        "Can",
        "Could",
        "Should",
        "May",
        "Might",
        "Must",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
    ]
)
_LOWER_CASE_WORD = re.compile(r"(?<![\w’'\-])[a-z]+(?![\w’'\-])")  # whole words only: not "cheung" of "Che-cheung"
_SHOUTING_BEFORE = re.compile(r"[A-Z]{2}[/ ]+$")
_SHOUTING_AFTER = re.compile(r"[/ ]+\(?[A-Z]{2}")
_CODE = re.compile(r"[A-Z]+-\d+[A-Z]?")
_VESSEL_PREFIXES = frozenset(["USS", "HMS", "HMC", "HMCS", "HMAS", "RMS", "MV", "SS"])
_ROMAN_NUMERAL = re.compile(r"[IVX]{2,}")  # "part XVII"; a lone "I" is a pronoun
# Capitalised words and abbreviations that are not names of actors.
_NOT_NAMES = frozenset(
    ["VIP", "QC", "SC", "KC", "IQ", "HTML", "MP", "MPs", "MEP", "CEO", "CFO", "PhD", "DNA", "GDP", "TV", "OK", "FAQ", "PR", "URL"]
    + ["Internet", "Web", "Islam", "Christianity", "Judaism", "Hinduism", "Buddhism", "Hajj", "Ramadan", "Easter"]
)
# Last words of names of events and documents: "Waitangi Day", "Google Science Fair", "Clean Air Act".
_NOT_ACTOR_HEADS = frozenset(["Day", "Festival", "Fair", "Championship", "Championships", "Year", "Prize", "Week", "Eve", "Act", "Study", "Series"])
# Lower-case second parts that make a hyphenated word an adjective or a thing: "Scientology-related", "T-shirt".
_COMPOUND_TAILS = frozenset(
    ["related", "based", "like", "led", "backed", "born", "owned", "run", "style", "winner", "winning", "critic", "free", "friendly"]
    + ["made", "funded", "linked", "controlled", "affiliated", "bound", "shirt", "meter", "room", "era", "class", "wide", "level"]
)
_STANCE_PREFIXES = frozenset(["Pro", "Anti", "Non", "Ex", "Post", "Pre"])
_CAPTION_LABELS = frozenset(["Image", "Images", "Photo", "Photos", "Picture", "Audio", "Video", "Credit", "Source", "Caption", "Map", "Graphic"])
_CONTRACTION = re.compile(r"['’](?:m|re|ve|ll|d|t)$", re.IGNORECASE)  # "I'm", "Don't", "We'll"
_COURTESY = frozenset(["Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Madam", "Mme"])
_LEADING_FUNCTION_WORDS = _FUNCTION_WORDS - _COURTESY  # stripped from a run's start; "Mr" stays as a person cue
_HONORIFICS = frozenset(
    ["Ayatollah", "Sheikh", "Sheik", "Sir", "Dame", "Lord", "Lady", "King", "Queen", "Prince", "Princess", "Imam", "Pope", "Emperor", "Sultan"]
)
_TITLE_HEADS = frozenset(
    [
        "President",
        "Minister",
        "Secretary",
        "Senator",
        "Sen",
        "Representative",
        "Rep",
        "Governor",
        "Gov",
        "Mayor",
        "General",
        "Gen",
        "Colonel",
        "Col",
        "Captain",
        "Capt",
        "Admiral",
        "Lieutenant",
        "Lt",
        "Sergeant",
        "Sgt",
        "Commander",
        "Judge",
        "Justice",
        "Chancellor",
        "Premier",
        "Ambassador",
        "Chairman",
        "Chairwoman",
        "Chair",
        "Director",
        "Commissioner",
        "Spokesperson",
        "Spokesman",
        "Spokeswoman",
        "Administrator",
        "Undersecretary",
        "Emir",
        "Leader",
        "Professor",
        "Prof",
        "Coach",
        "Officer",
        "Inspector",
        "Superintendent",
        "Speaker",
        "Councillor",
        "Councilor",
        "Chief",
        "Envoy",
        "Attorney",
        "Bishop",
        "Archbishop",
        "Cardinal",
        "Rabbi",
        "Reverend",
        "Rev",
        "Father",
        "Marshal",
        "Sheriff",
        "CEO",
        "Chairperson",
        "Adviser",
        "Advisor",
        "Editor",
        "Correspondent",
        "Deputy",
    ]
)
_TITLE_MODIFIERS = frozenset(
    [
        "Prime",
        "Shadow",
        "Home",
        "Foreign",
        "Interior",
        "Defense",
        "Defence",
        "Finance",
        "Vice",
        "Deputy",
        "Supreme",
        "Senior",
        "Chief",
        "Executive",
        "Acting",
        "Former",
        "Assistant",
        "State",
        "Education",
        "Health",
        "Justice",
        "Trade",
        "Economy",
        "Culture",
        "Labor",
        "Labour",
        "Crown",
        "Grand",
        "Field",
        "Lieutenant",
        "Major",
        "Brigadier",
        "Attorney",
        "Solicitor",
        "Managing",
        "Opposition",
        "Party",
        "High",
        "Emeritus",
    ]
)
_TITLE_OBJECT_WORDS = frozenset(
    [
        "State",
        "Defense",
        "Defence",
        "Education",
        "Health",
        "Finance",
        "Justice",
        "Commerce",
        "Energy",
        "Interior",
        "Agriculture",
        "Labor",
        "Labour",
        "Transport",
        "Treasury",
        "Trade",
        "Culture",
        "Tourism",
        "Environment",
        "Immigration",
        "Staff",
    ]
)
_ORGANISATION_WORDS = frozenset(
    [
        "Agency",
        "Ministry",
        "Party",
        "Inc",
        "Corp",
        "Corporation",
        "Company",
        "Co",
        "Ltd",
        "LLC",
        "Group",
        "University",
        "College",
        "School",
        "Institute",
        "Council",
        "Department",
        "Office",
        "Commission",
        "Committee",
        "Bank",
        "Association",
        "Union",
        "Church",
        "Army",
        "Navy",
        "Force",
        "Forces",
        "Police",
        "Court",
        "Parliament",
        "Congress",
        "Senate",
        "Assembly",
        "Government",
        "Foundation",
        "Organization",
        "Organisation",
        "Authority",
        "Board",
        "Museum",
        "News",
        "Times",
        "Post",
        "Herald",
        "Gazette",
        "Journal",
        "Tribune",
        "Telegraph",
        "Television",
        "TV",
        "Radio",
        "Press",
        "Network",
        "Units",
        "Guard",
        "Guards",
        "Brigade",
        "Brigades",
        "Center",
        "Centre",
        "Hospital",
        "Airlines",
        "Airways",
        "Club",
        "League",
        "Federation",
        "Movement",
        "Front",
        "Service",
        "Services",
        "Administration",
        "Bureau",
        "Fund",
        "Trust",
        "Society",
        "Alliance",
        "Coalition",
        "Media",
        "Broadcasting",
        "Daily",
        "Weekly",
        "Reuters",
        "Cabinet",
        "Republic",
        "Regime",
        "Academy",
        "Laboratory",
        "Laboratories",
        "Studios",
        "Records",
        "Tribunal",
        "Station",
    ]
)
_ORGANISATION_CONNECTOR_HEADS = _ORGANISATION_WORDS | frozenset(["Daughters", "Sons", "Friends", "Bank", "Leader", "Secretary", "Minister"])
_OUTLET_WORDS = frozenset(
    [
        "News",
        "Agency",
        "Press",
        "Times",
        "Herald",
        "Post",
        "Gazette",
        "Journal",
        "Tribune",
        "Telegraph",
        "Television",
        "TV",
        "Radio",
        "Broadcasting",
        "Media",
        "Weekly",
        "Daily",
        "Reuters",
        "Yonhap",
        "IRNA",
        "KCNA",
        "Xinhua",
        "TASS",
        "AFP",
        "AP",
        "BBC",
        "CNN",
        "CBC",
        "ABC",
        "NBC",
        "CBS",
        "Bloomberg",
        "WANA",
        "Tasnim",
        "Fars",
        "ISNA",
        "Mehr",
        "Sputnik",
        "RIA",
        "Kyodo",
        "Axios",
        "Politico",
        "Al-Jazeera",
        "Jazeera",
    ]
)
_COUNTRIES = frozenset(
    [
        "Afghanistan",
        "Albania",
        "Algeria",
        "Andorra",
        "Angola",
        "Argentina",
        "Armenia",
        "Australia",
        "Austria",
        "Azerbaijan",
        "Bahamas",
        "Bahrain",
        "Bangladesh",
        "Barbados",
        "Belarus",
        "Belgium",
        "Belize",
        "Benin",
        "Bhutan",
        "Bolivia",
        "Bosnia and Herzegovina",
        "Botswana",
        "Brazil",
        "Brunei",
        "Bulgaria",
        "Burkina Faso",
        "Burundi",
        "Cambodia",
        "Cameroon",
        "Canada",
        "Chad",
        "Chile",
        "China",
        "Colombia",
        "Comoros",
        "Congo",
        "Costa Rica",
        "Croatia",
        "Cuba",
        "Cyprus",
        "Czech Republic",
        "Czechia",
        "Denmark",
        "Djibouti",
        "Dominica",
        "Dominican Republic",
        "Ecuador",
        "Egypt",
        "El Salvador",
        "Eritrea",
        "Estonia",
        "Eswatini",
        "Ethiopia",
        "Fiji",
        "Finland",
        "France",
        "Gabon",
        "Gambia",
        "Georgia",
        "Germany",
        "Ghana",
        "Greece",
        "Grenada",
        "Guatemala",
        "Guinea",
        "Guyana",
        "Haiti",
        "Honduras",
        "Hungary",
        "Iceland",
        "India",
        "Indonesia",
        "Iran",
        "Iraq",
        "Ireland",
        "Israel",
        "Italy",
        "Ivory Coast",
        "Jamaica",
        "Japan",
        "Jordan",
        "Kazakhstan",
        "Kenya",
        "Kosovo",
        "Kuwait",
        "Kyrgyzstan",
        "Laos",
        "Latvia",
        "Lebanon",
        "Lesotho",
        "Liberia",
        "Libya",
        "Liechtenstein",
        "Lithuania",
        "Luxembourg",
        "Madagascar",
        "Malawi",
        "Malaysia",
        "Maldives",
        "Mali",
        "Malta",
        "Mauritania",
        "Mauritius",
        "Mexico",
        "Moldova",
        "Monaco",
        "Mongolia",
        "Montenegro",
        "Morocco",
        "Mozambique",
        "Myanmar",
        "Namibia",
        "Nepal",
        "Netherlands",
        "New Zealand",
        "Nicaragua",
        "Niger",
        "Nigeria",
        "North Korea",
        "North Macedonia",
        "Norway",
        "Oman",
        "Pakistan",
        "Palestine",
        "Panama",
        "Papua New Guinea",
        "Paraguay",
        "Peru",
        "Philippines",
        "Poland",
        "Portugal",
        "Qatar",
        "Romania",
        "Russia",
        "Rwanda",
        "Saudi Arabia",
        "Senegal",
        "Serbia",
        "Sierra Leone",
        "Singapore",
        "Slovakia",
        "Slovenia",
        "Somalia",
        "South Africa",
        "South Korea",
        "South Sudan",
        "Spain",
        "Sri Lanka",
        "Sudan",
        "Suriname",
        "Sweden",
        "Switzerland",
        "Syria",
        "Taiwan",
        "Tajikistan",
        "Tanzania",
        "Thailand",
        "Togo",
        "Tunisia",
        "Turkey",
        "Turkmenistan",
        "Uganda",
        "Ukraine",
        "United Arab Emirates",
        "United Kingdom",
        "United States",
        "Uruguay",
        "Uzbekistan",
        "Venezuela",
        "Vietnam",
        "Yemen",
        "Zambia",
        "Zimbabwe",
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
        "Hong Kong",
        "Korea",
    ]
)
_COUNTRY_ALIASES = {
    "U.S.": "United States",
    "US": "United States",
    "USA": "United States",
    "U.S.A.": "United States",
    "United States of America": "United States",
    "America": "United States",
    "UK": "United Kingdom",
    "U.K.": "United Kingdom",
    "Britain": "United Kingdom",
    "Great Britain": "United Kingdom",
    "UAE": "United Arab Emirates",
    "Türkiye": "Turkey",
    "Burma": "Myanmar",
    "DPRK": "North Korea",
    "Islamic Republic": "Iran",
    "Islamic Republic of Iran": "Iran",
}
# Demonyms are adjectives, not mentions of the country ("Iranian President ..."): they are stripped.
_DEMONYMS = frozenset(
    [
        "Afghan",
        "Albanian",
        "Algerian",
        "American",
        "Argentine",
        "Argentinian",
        "Armenian",
        "Australian",
        "Austrian",
        "Azerbaijani",
        "Bahraini",
        "Bangladeshi",
        "Belarusian",
        "Belgian",
        "Bolivian",
        "Brazilian",
        "British",
        "Bulgarian",
        "Cambodian",
        "Cameroonian",
        "Canadian",
        "Chilean",
        "Chinese",
        "Colombian",
        "Croatian",
        "Cuban",
        "Cypriot",
        "Czech",
        "Danish",
        "Dutch",
        "Egyptian",
        "Emirati",
        "English",
        "Eritrean",
        "Estonian",
        "Ethiopian",
        "European",
        "Filipino",
        "Finnish",
        "French",
        "Gabonese",
        "Georgian",
        "German",
        "Ghanaian",
        "Greek",
        "Haitian",
        "Hungarian",
        "Icelandic",
        "Indian",
        "Indonesian",
        "Iranian",
        "Iraqi",
        "Irish",
        "Israeli",
        "Italian",
        "Japanese",
        "Jordanian",
        "Kazakh",
        "Kenyan",
        "Korean",
        "Kurdish",
        "Kuwaiti",
        "Lebanese",
        "Libyan",
        "Lithuanian",
        "Malaysian",
        "Mexican",
        "Moroccan",
        "Nepali",
        "Nigerian",
        "Norwegian",
        "Omani",
        "Pakistani",
        "Palestinian",
        "Panamanian",
        "Peruvian",
        "Polish",
        "Portuguese",
        "Qatari",
        "Romanian",
        "Russian",
        "Saudi",
        "Scottish",
        "Serbian",
        "Singaporean",
        "Somali",
        "Spanish",
        "Sudanese",
        "Swedish",
        "Swiss",
        "Syrian",
        "Taiwanese",
        "Thai",
        "Tunisian",
        "Turkish",
        "Ukrainian",
        "Uzbek",
        "Venezuelan",
        "Vietnamese",
        "Welsh",
        "Yemeni",
        "Zimbabwean",
        "African",
        "Asian",
        "Arab",
        "Western",
        "Eastern",
        "Islamic",
        "Muslim",
        "Christian",
        "Jewish",
        "Catholic",
        "Protestant",
        "Sunni",
        "Shia",
        "Shiite",
        "Hindu",
        "Sikh",
        "Republican",
        "Democrat",
        "Conservative",
        "Liberal",
    ]
)
_GROUP_NAMES = frozenset(
    [
        "Hamas",
        "Hezbollah",
        "Hizbollah",
        "Taliban",
        "Houthis",
        "Houthi",
        "ISIS",
        "ISIL",
        "al-Qaeda",
        "Muslims",
        "Christians",
        "Jews",
        "Catholics",
        "Kurds",
        "Sunnis",
        "Shiites",
        "Democrats",
        "Republicans",
        "Conservatives",
        "Tories",
    ]
)
# Well-known cities, capitals, states and regions: kind "other" even when a verb follows
# ("Doha said"), and kept when they open a sentence ("Tasmania was excluded").
_PLACES = frozenset(
    [
        "Abu Dhabi",
        "Abuja",
        "Accra",
        "Addis Ababa",
        "Aleppo",
        "Algiers",
        "Amman",
        "Amsterdam",
        "Ankara",
        "Athens",
        "Baghdad",
        "Baku",
        "Bangkok",
        "Barcelona",
        "Basra",
        "Beijing",
        "Beirut",
        "Belgrade",
        "Berlin",
        "Bogota",
        "Boston",
        "Brasilia",
        "Brussels",
        "Bucharest",
        "Budapest",
        "Buenos Aires",
        "Cairo",
        "Cape Town",
        "Caracas",
        "Chicago",
        "Colombo",
        "Copenhagen",
        "Dakar",
        "Damascus",
        "Delhi",
        "Dhaka",
        "Doha",
        "Dubai",
        "Dublin",
        "Edinburgh",
        "Frankfurt",
        "Gaza",
        "Geneva",
        "Hanoi",
        "Havana",
        "Helsinki",
        "Herat",
        "Ho Chi Minh City",
        "Houston",
        "Islamabad",
        "Istanbul",
        "Jakarta",
        "Jeddah",
        "Jerusalem",
        "Johannesburg",
        "Kabul",
        "Kandahar",
        "Karachi",
        "Kathmandu",
        "Khartoum",
        "Kharkiv",
        "Kyiv",
        "Kiev",
        "Kinshasa",
        "Kuala Lumpur",
        "Kuwait City",
        "Lagos",
        "Lahore",
        "La Paz",
        "Lima",
        "Lisbon",
        "London",
        "Los Angeles",
        "Luanda",
        "Madrid",
        "Manchester",
        "Manila",
        "Mecca",
        "Medina",
        "Melbourne",
        "Mexico City",
        "Miami",
        "Milan",
        "Minsk",
        "Mogadishu",
        "Montreal",
        "Moscow",
        "Mosul",
        "Mumbai",
        "Munich",
        "Muscat",
        "Nairobi",
        "New Delhi",
        "New York",
        "New York City",
        "Nicosia",
        "Oslo",
        "Ottawa",
        "Paris",
        "Phnom Penh",
        "Prague",
        "Pyongyang",
        "Quito",
        "Rabat",
        "Ramallah",
        "Riyadh",
        "Rio de Janeiro",
        "Rome",
        "San Francisco",
        "Santiago",
        "Sanaa",
        "Sao Paulo",
        "Seattle",
        "Seoul",
        "Shanghai",
        "Singapore",
        "Sochi",
        "Sofia",
        "St Petersburg",
        "Stockholm",
        "Sydney",
        "Taipei",
        "Tashkent",
        "Tbilisi",
        "Tehran",
        "Tel Aviv",
        "Tokyo",
        "Toronto",
        "Tripoli",
        "Tunis",
        "Vancouver",
        "Vienna",
        "Vilnius",
        "Warsaw",
        "Washington",
        "Washington D.C.",
        "Wellington",
        "Yerevan",
        "Zurich",
        "Atlanta",
        "Austin",
        "Baltimore",
        "Dallas",
        "Denver",
        "Detroit",
        "Las Vegas",
        "New Orleans",
        "Philadelphia",
        "Phoenix",
        "Pittsburgh",
        "San Diego",
        "St Louis",
        "Birmingham",
        "Glasgow",
        "Liverpool",
        "Auckland",
        "Brisbane",
        "Perth",
        "Adelaide",
        "Hong Kong",
        "Macau",
        "Alabama",
        "Alaska",
        "Arizona",
        "Arkansas",
        "California",
        "Colorado",
        "Connecticut",
        "Delaware",
        "Florida",
        "Hawaii",
        "Idaho",
        "Illinois",
        "Indiana",
        "Iowa",
        "Kansas",
        "Kentucky",
        "Louisiana",
        "Maine",
        "Maryland",
        "Massachusetts",
        "Michigan",
        "Minnesota",
        "Mississippi",
        "Missouri",
        "Montana",
        "Nebraska",
        "Nevada",
        "New Hampshire",
        "New Jersey",
        "New Mexico",
        "North Carolina",
        "North Dakota",
        "Ohio",
        "Oklahoma",
        "Oregon",
        "Pennsylvania",
        "Rhode Island",
        "South Carolina",
        "South Dakota",
        "Tennessee",
        "Texas",
        "Utah",
        "Vermont",
        "Virginia",
        "West Virginia",
        "Wisconsin",
        "Wyoming",
        "Alberta",
        "British Columbia",
        "Manitoba",
        "Ontario",
        "Quebec",
        "Nova Scotia",
        "Saskatchewan",
        "New South Wales",
        "Queensland",
        "Victoria",
        "Tasmania",
        "South Australia",
        "Western Australia",
        "Africa",
        "Asia",
        "Europe",
        "Latin America",
        "Middle East",
        "North America",
        "South America",
        "West Bank",
        "Crimea",
        "Donbas",
        "Kashmir",
        "Kurdistan",
        "Darfur",
        "Siberia",
        "Gulf",
        "Persian Gulf",
    ]
)
_COMPASS = frozenset(["North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central"])
_KIND_PRIORITY: tuple[ActorKind, ...] = ("country", "group", "organization", "person", "other")


@dataclass
class _Form:
    """One written form of a name ("Ali Khamenei"), with where it occurs."""

    words: tuple[str, ...]
    spans: list[TextSpan] = field(default_factory=list)
    person_cue: bool = False
    title: str | None = None
    weak: bool = True  # only ever seen as a lone word opening a sentence


@dataclass(frozen=True)
class _Piece:
    """A cleaned run of name tokens: the name words, its mention span and cues."""

    words: tuple[str, ...]
    span: TextSpan
    person_cue: bool
    title: str | None
    weak: bool


def _find_names(text: str) -> tuple[NameCandidate, ...]:
    """Proper names, short forms merged into long ones, numbered by first mention; none inside code or JSON."""
    forms: dict[tuple[str, ...], _Form] = {}
    common = frozenset(_LOWER_CASE_WORD.findall(text))
    code = _CodeRegions(text)
    for piece in _name_pieces(text, common):
        if code.holds(piece.span.start):
            continue
        form = forms.setdefault(piece.words, _Form(piece.words))
        form.spans.append(piece.span)
        form.person_cue = form.person_cue or piece.person_cue
        form.title = form.title or piece.title
        form.weak = form.weak and piece.weak
    roots = _merge_forms(forms)
    members: dict[tuple[str, ...], list[_Form]] = {}
    for words, form in forms.items():
        members.setdefault(roots[words], []).append(form)
    candidates = [
        _name_candidate(root, group)
        for root, group in members.items()
        if (not all(f.weak for f in group) or _is_known(root)) and not _is_common_word(root, group, common) and not _is_thing(root)
    ]
    candidates.sort(key=lambda candidate: candidate.mentions[0].start)
    return tuple(NameCandidate(ref=f"N{number}", name=c.name, kind=c.kind, mentions=c.mentions, title=c.title) for number, c in enumerate(candidates, 1))


_CODE_SIGNS = re.compile(r"[\"'][^\"'\n]{0,80}[\"']\s*:")  # a quoted key before a colon: '"name":'


class _CodeRegions:
    """Brace-delimited fragments that look like JSON or code (``{"name": "Joe Biden"}``).

    Their words are data, not prose: a name inside them is no actor. Found by
    one pass over the braces; a region counts when it holds a quoted key
    followed by a colon. An unbalanced brace closes nothing.
    """

    def __init__(self, text: str) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        opened: list[int] = []
        for match in re.finditer(r"[{}]", text):
            if match.group() == "{":
                opened.append(match.start())
            elif opened:
                start = opened.pop()
                if not opened and _CODE_SIGNS.search(text, start, match.end()):
                    self._starts.append(start)
                    self._ends.append(match.end())

    def holds(self, position: int) -> bool:
        """Whether ``position`` lies inside a code region."""
        k = bisect.bisect_right(self._starts, position) - 1
        return k >= 0 and position < self._ends[k]


def _is_thing(root: tuple[str, ...]) -> bool:
    """An event, document or craft, with its short forms: "Waitangi Day", "Clean Air Act", "Space Shuttle Atlantis"."""
    return root[-1] in _NOT_ACTOR_HEADS or root[0] in _VESSEL_PREFIXES or root[:2] == ("Space", "Shuttle")


def _is_common_word(root: tuple[str, ...], group: list[_Form], common: frozenset[str]) -> bool:
    """A lone capitalised word the text also writes in lower case, never cued as a person ("the Internet", "Medicine")."""
    return len(root) == 1 and root[0].lower() in common and not _is_known(root) and not any(form.person_cue for form in group)


def _is_known(words: tuple[str, ...]) -> bool:
    """Names that stand on their own even at a sentence start: countries, places, groups, acronyms."""
    name = " ".join(words)
    return name in _COUNTRIES or name in _COUNTRY_ALIASES or name in _PLACES or name in _GROUP_NAMES or _is_acronym(name)


def _name_candidate(root: tuple[str, ...], group: list[_Form]) -> NameCandidate:
    spans = sorted({span for form in group for span in form.spans}, key=lambda span: (span.start, span.end))
    kinds = {_kind_of(form.words, person_cue=form.person_cue) for form in group}
    kind = next(k for k in _KIND_PRIORITY if k in kinds)
    title = next((form.title for form in group if form.title), None)
    name = _COUNTRY_ALIASES.get(" ".join(root), " ".join(root))
    return NameCandidate(ref="", name=name, kind=kind, mentions=tuple(spans), title=title)


def _kind_of(words: tuple[str, ...], *, person_cue: bool) -> ActorKind:
    name = " ".join(words)
    if name in _COUNTRIES or name in _COUNTRY_ALIASES:
        return "country"
    if name in _PLACES:
        return "other"  # a city or region: the contract has no place kind
    if name in _GROUP_NAMES or (len(words) == 1 and words[0].endswith("s") and words[0][:-1] in _DEMONYMS):
        return "group"
    if _is_outlet(name) or _is_acronym(name) or any(word in _ORGANISATION_WORDS for word in words):
        return "organization"
    return "person" if person_cue else "other"


def _is_acronym(name: str) -> bool:
    letters = name.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


def _is_outlet(name: str) -> bool:
    return any(word in _OUTLET_WORDS for word in name.split())


def _merge_forms(forms: dict[tuple[str, ...], _Form]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Map each form to the longest form it is a short form of (itself when none)."""
    order = sorted(forms, key=lambda words: (-len(words), -len(" ".join(words))))
    roots: dict[tuple[str, ...], tuple[str, ...]] = {}
    # Longer forms by the words they contain and by their initials: a short form is
    # only compared with forms that share its last word or spell its acronym,
    # which keeps the merge near linear in the number of forms.
    seen = _FormIndex()
    for words in order:
        country = _COUNTRY_ALIASES.get(" ".join(words))
        if country is not None and tuple(country.split()) in forms:
            roots[words] = tuple(country.split())
        else:
            longer = [other for other in seen.sharing(words) if len(other) > len(words) and _is_short_form(words, other)]
            owner = _chosen_long_form(words, longer, forms) if longer else _sole_owner(words, seen, forms)
            roots[words] = roots[owner] if owner else words
        seen.add(words)
    for words in forms:  # aliases seen before their canonical country form
        roots.setdefault(words, words)
    return roots


class _FormIndex:
    """Forms in the order added, looked up by a word they contain or by their initials."""

    def __init__(self) -> None:
        self._by_word: dict[str, list[tuple[str, ...]]] = {}
        self._by_initials: dict[str, list[tuple[str, ...]]] = {}

    def add(self, words: tuple[str, ...]) -> None:
        for word in dict.fromkeys(words):
            self._by_word.setdefault(word, []).append(words)
        self._by_initials.setdefault(_initials(words), []).append(words)

    def sharing(self, short: tuple[str, ...]) -> list[tuple[str, ...]]:
        """Forms that may have ``short`` as a short form (a superset of them), in the order added."""
        if len(short) == 1 and _is_acronym(short[0]):
            return self._by_initials.get(short[0].replace(".", ""), [])
        return self._by_word.get(short[-1], [])


def _initials(words: tuple[str, ...]) -> str:
    return "".join(word[0] for word in words if word[0].isupper())


def _sole_owner(words: tuple[str, ...], seen: _FormIndex, forms: dict[tuple[str, ...], _Form]) -> tuple[str, ...] | None:
    """The one long form a short form stands for though it does not end it, if exactly one fits.

    'Daniel' of the person 'Daniel Montalvo', 'Church' of 'Church of Scientology',
    'Supreme Court' of 'Supreme Court of Cassation', 'Korea' of 'South Korea'
    (not when 'North Korea' is named too).
    """
    if len(words) > 1:  # "Supreme Court" of "Supreme Court of Cassation"
        fits = [other for other in seen.sharing(words) if len(other) > len(words) + 1 and other[: len(words)] == words and other[len(words)] in _CONNECTORS]
        return fits[0] if len(fits) == 1 else None
    word = words[0]
    if word in _COUNTRIES:
        fits = [other for other in seen.sharing(words) if len(other) > 1 and other[-1] == word and " ".join(other) in _COUNTRIES]
    elif _is_known(words) or word in _HONORIFICS or word in _TITLE_HEADS:
        return None
    else:
        fits = [other for other in seen.sharing(words) if len(other) > 1 and other[0] == word and (forms[other].person_cue or other[1] in _CONNECTORS)]
    return fits[0] if len(fits) == 1 else None


def _chosen_long_form(words: tuple[str, ...], longer: list[tuple[str, ...]], forms: dict[tuple[str, ...], _Form]) -> tuple[str, ...]:
    """The long form a short form belongs to: two people may share a surname, so the one named most recently before it."""
    first = forms[words].spans[0].start
    preceding = [other for other in longer if forms[other].spans[0].start <= first]
    return max(preceding, key=lambda other: forms[other].spans[0].start) if preceding else longer[0]


def _is_short_form(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """'Khamenei' of 'Ali Khamenei', 'Sheikh Tamim' of 'Sheikh Tamim bin Hamad', 'KCNA' of its full name."""
    joined_short, joined_long = " ".join(short), " ".join(long)
    if joined_short in _COUNTRIES or joined_long in _COUNTRIES or joined_short in _COUNTRY_ALIASES:
        return False
    if len(short) == 1 and _is_acronym(joined_short):
        return _initials(long) == joined_short.replace(".", "")
    if short[-1] != long[-1] and short[0] not in _HONORIFICS:
        return False
    remaining = iter(long)
    return all(word in remaining for word in short)


def _name_pieces(text: str, common: frozenset[str]) -> Iterator[_Piece]:
    """Clean name pieces from every run of capitalised tokens.

    ``common`` holds the words the text also writes in lower case: such a word
    opening a sentence is an ordinary word ("Leaving", "Iodine deficiency").
    Only name-like tokens are listed (see ``_NAME_TOKEN``); two tokens with a
    skipped word between them never join, since ``_joins`` looks at the gap.
    """
    tokens = [(match.start(), match.end(), match.group()) for match in _NAME_TOKEN.finditer(text)]
    index = 0
    while index < len(tokens):
        if not _is_capitalised(tokens[index][2]):
            index += 1
            continue
        stop = _run_end(text, tokens, index)
        yield from _clean_run(text, tokens[index:stop], common)
        index = stop


def _is_capitalised(word: str) -> bool:
    return word[0].isupper() or bool(_CAPITALISED_PREFIX.match(word))


def _run_end(text: str, tokens: list[tuple[int, int, str]], index: int) -> int:
    """Index one past the last token of the capitalised run starting at ``index``.

    Once the run has an organisation word, "of"/"for" keep bridging: "Australian
    Centre for Control of Iodine Deficiency Disorders" is one name.
    """
    end = index + 1
    organisation = tokens[index][2] in _ORGANISATION_WORDS
    while end < len(tokens):
        previous = tokens[end - 1]
        if not _joins(text, previous, tokens[end][0]):
            break
        if _is_possessive(previous[2]) and tokens[end][2] not in _ORGANISATION_WORDS:
            break  # "Iran's President" splits; "Korean People's Army" is one name
        word = tokens[end][2]
        if _is_capitalised(word):
            organisation = organisation or word in _ORGANISATION_WORDS
            end += 1
            continue
        bridge = _bridge_length(text, tokens, end, previous[2], organisation=organisation)
        if bridge == 0:
            break
        end += bridge
    return end


def _joins(text: str, previous: tuple[int, int, str], start: int) -> bool:
    """Whether two tokens sit close enough to belong to one name ('Mr. Smith', 'Ali Khamenei')."""
    gap = text[previous[1] : start]
    word = previous[2]
    if word.endswith("."):
        return False  # "U.S. President ...", "Washington D.C. The ...": the dotted form stands alone
    if gap in (" ", "\u00a0"):
        return True
    abbreviation = word in _COURTESY or word in _TITLE_HEADS or (len(word) == 1 and word.isupper())
    return gap in (". ", ".\u00a0") and abbreviation


def _bridge_length(text: str, tokens: list[tuple[int, int, str]], index: int, previous: str, *, organisation: bool) -> int:
    """How many lower-case tokens from ``index`` bridge to a following capital ('bin', 'of the')."""
    words = [token[2] for token in tokens[index : index + 3]]
    if words[0] in _PARTICLES:
        width = 1
    elif words[0] in _CONNECTORS and (organisation or previous in _ORGANISATION_CONNECTOR_HEADS or previous in _TITLE_HEADS):
        width = 2 if len(words) > 1 and words[1] == "the" else 1
    else:
        return 0
    following = index + width
    if following >= len(tokens) or not _is_capitalised(tokens[following][2]):
        return 0
    if words[0] in _CONNECTORS and previous not in _ORGANISATION_CONNECTOR_HEADS and previous not in _TITLE_HEADS and _is_known((tokens[following][2],)):
        return 0  # "University of Sheffield of the UK": a chained "of" does not take in a country or place
    chain = tokens[index - 1 : following + 1]
    if not all(_joins(text, a, b[0]) for a, b in pairwise(chain)):
        return 0
    return width


def _is_possessive(word: str) -> bool:
    return word.endswith(("'s", "’s"))


def _clean_run(text: str, run: list[tuple[int, int, str]], common: frozenset[str]) -> Iterator[_Piece]:
    """Split a raw run at possessives, dates and labels, strip function words, demonyms and titles."""
    if len(run) == 1 and run[0][2] in _LEADING_FUNCTION_WORDS:
        return  # the commonest run by far: "The", "In", "He" opening a sentence
    current: list[tuple[int, int, str]] = []
    for start, end, word in run:
        if word in _NAME_BREAKERS or _is_label(text, end, word) or _is_compound(word, common):
            if current:
                yield from _finish_piece(text, current, common)
            current = []
            continue
        if word in _HONORIFICS and current and not _starts_with_title(current):
            # "the Islamic Revolution Ayatollah Ali Khamenei": the name starts at the honorific
            yield from _finish_piece(text, current, common)
            current = []
        if _is_possessive(word) and not _continues_name(run, start):
            current.append((start, end - 2, word[:-2]))
            yield from _finish_piece(text, current, common)
            current = []
            continue
        current.append((start, end, word))
    if current:
        yield from _finish_piece(text, current, common)


_CREDIT_BEFORE = re.compile(r"\b(?:" + "|".join(sorted(_CAPTION_LABELS)) + r"):\s*$")
_LABEL_AFTER = re.compile(r"\.?\s+(?:" + "|".join(sorted(_CAPTION_LABELS)) + r"):")


def _in_caption_line(text: str, start: int, end: int) -> bool:
    """A credit ("Image: Jambula.") or a caption's subject ("Belle Image: ..."): a name even when it opens the line."""
    return bool(_CREDIT_BEFORE.search(text, max(0, start - 10), start) or _LABEL_AFTER.match(text, end))


def _is_compound(word: str, common: frozenset[str]) -> bool:
    """A hyphenated adjective or thing ("Scientology-related", "E-meter"), not a name ("Kim Jong-un")."""
    head, hyphen, tail = word.rpartition("-")
    if hyphen and head in _STANCE_PREFIXES:
        return True  # "Pro-Beijing", "Anti-Trump": a stance, not a name
    return bool(hyphen and head and tail.islower() and (tail in _COMPOUND_TAILS or (len(tail) > 4 and tail in common)))


def _is_label(text: str, end: int, word: str) -> bool:
    """A caption label ("Image:", "Photo:"), a chat-role label ("SYSTEM:") or a currency prefix ("US$20,000"), not part of a name."""
    following = text[end : end + 1]
    return (following == ":" and (word in _CAPTION_LABELS or _is_role_label(text, end - len(word), word))) or following == "$"


def _is_role_label(text: str, start: int, word: str) -> bool:
    """An all-capitals word opening a line before a colon ("SYSTEM:", "USER:"), unless a known country, place or group ("UK:")."""
    if not word.isupper() or word in _COUNTRIES or word in _COUNTRY_ALIASES or word in _PLACES or word in _GROUP_NAMES:
        return False
    return not text[text.rfind("\n", 0, start) + 1 : start].strip()


def _continues_name(run: list[tuple[int, int, str]], start: int) -> bool:
    """Whether the possessive token at ``start`` has more of the run after it ("People's Army")."""
    return run[-1][0] > start


def _starts_with_title(tokens: list[tuple[int, int, str]]) -> bool:
    words = [word for _, _, word in tokens if word not in _DEMONYMS and word not in _LEADING_FUNCTION_WORDS]
    return bool(words) and (words[0] in _TITLE_HEADS or words[0] in _TITLE_MODIFIERS or words[0] in _COURTESY)


def _finish_piece(text: str, tokens: list[tuple[int, int, str]], common: frozenset[str]) -> Iterator[_Piece]:
    """The name pieces of one run: function words, demonyms, titles and sentence-opening common words stripped."""
    run_start = tokens[0][0]
    tokens = _strip_leading(tokens)
    if not tokens or _is_ordinary_opening(text, tokens, common):
        return
    country = _leading_country(tokens) if len(tokens) > 1 else 0
    if country:  # "the United States Hamdullah Mohib", "US Senator X": a country, then a name
        yield _make_piece(text, tokens[:country], mention_start=tokens[0][0], person_cue=False, title=None, weak=False)
        tokens = tokens[country:]
    holder = _title_holder_width(text, tokens) if len(tokens) > 1 else 0
    if holder:  # "NASA Administrator Charles Bolden", "State Department Spokesperson": the body, then a title
        if _is_name(text, tokens[:holder]):
            yield _make_piece(text, tokens[:holder], mention_start=tokens[0][0], person_cue=False, title=None, weak=False)
        tokens = tokens[holder:]
    courtesy = bool(tokens) and tokens[0][2] in _COURTESY
    mention_start = tokens[0][0] if tokens else 0
    tokens, title, title_object = _strip_title(tokens)
    if title_object and _is_actor_object(title_object):
        yield _make_piece(text, title_object, mention_start=title_object[0][0], person_cue=False, title=None, weak=False)
    if not _is_name(text, tokens):
        return
    if _is_role_object(text, tokens):
        return
    words = tuple(word for _, _, word in tokens)
    person_cue = courtesy or title is not None or words[0] in _HONORIFICS or _has_person_context(text, tokens[0][0], tokens[-1][1])
    weak = (
        len(words) == 1
        and tokens[0][0] == run_start
        and _opens_sentence(text, run_start)
        and not person_cue
        and not _in_caption_line(text, tokens[0][0], tokens[-1][1])
    )
    yield _make_piece(text, tokens, mention_start=mention_start if courtesy else tokens[0][0], person_cue=person_cue, title=title, weak=weak)


def _is_ordinary_opening(text: str, tokens: list[tuple[int, int, str]], common: frozenset[str]) -> bool:
    """Words opening a sentence that the text also writes in lower case: "Leaving a lifehood ...", "Election Results"."""
    if tokens[0][2].lower() not in common:
        return False  # the usual case, checked first: a name's first word is not an ordinary word
    words = [word for _, _, word in tokens]
    return all(word.lower() in common for word in words) and _opens_sentence(text, tokens[0][0]) and not _is_known(tuple(words))


def _title_holder_width(text: str, tokens: list[tuple[int, int, str]]) -> int:
    """Width of the name before a title inside a run ("NASA" in "NASA Administrator Charles Bolden"), else 0.

    A title head after "of"/"for"/"the" belongs to an organisation's name
    ("Department of Justice"); the modifiers before a head belong to the title
    ("Environment Minister").
    """
    for index in range(1, len(tokens)):
        if tokens[index][2] in _TITLE_HEADS and tokens[index - 1][2] not in _BRIDGES and not _is_office(text, tokens, index):
            start = index
            while start > 0 and (tokens[start - 1][2] in _TITLE_MODIFIERS or tokens[start - 1][2] in _TITLE_OBJECT_WORDS):
                start -= 1
            return start
    return 0


def _is_office(text: str, tokens: list[tuple[int, int, str]], index: int) -> bool:
    """A run ending in a possessive title names an office: "the LA Sheriff's Department"."""
    return index == len(tokens) - 1 and text.startswith(("'s", "’s"), tokens[index][1])


_ROLE_OF_BEFORE = re.compile(r"\b([a-z]+) (?:of|for) (?:the )?$")


def _is_role_object(text: str, tokens: list[tuple[int, int, str]]) -> bool:
    """The object of a lower-case role: "leader of the Islamic Revolution", "director of the National Study"."""
    start = tokens[0][0]
    if not text.endswith(("of ", "for ", "the "), 0, start):
        return False
    role = _ROLE_OF_BEFORE.search(text, max(0, start - 40), start)
    return bool(role and role.group(1) in _ROLE_NOUNS and not _is_actor_object(tokens))


def _is_actor_object(tokens: list[tuple[int, int, str]]) -> bool:
    """Whether a title's object names an actor: 'Emir of Qatar', 'CEO of the Refugee Council', not 'Leader of the Islamic Revolution'."""
    words = tuple(word for _, _, word in tokens)
    return _is_known(words) or any(word in _ORGANISATION_WORDS for word in words)


def _strip_leading(tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop sentence-opening function words ('In Tehran') and demonyms before a title ('Iranian President')."""
    while tokens and (tokens[0][2] in _LEADING_FUNCTION_WORDS or _CONTRACTION.search(tokens[0][2])):
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[0][2] in _DEMONYMS and _starts_with_title(tokens[1:]):
        tokens = tokens[1:]
    return tokens


def _leading_country(tokens: list[tuple[int, int, str]]) -> int:
    """Width of a country name opening a longer run that is not an organisation's name, else 0."""
    words = [word for _, _, word in tokens]
    for width in (3, 2, 1):
        opening = " ".join(words[:width])
        if len(words) > width and (opening in _COUNTRIES or opening in _COUNTRY_ALIASES):
            return 0 if any(word in _ORGANISATION_WORDS for word in words[width:]) else width
    return 0


def _is_name(text: str, tokens: list[tuple[int, int, str]]) -> bool:
    """Whether cleaned tokens still form a proper name."""
    if not tokens or tokens[0][2] in _BRIDGES or tokens[-1][2] in _BRIDGES:
        return False
    words = [word for _, _, word in tokens]
    if len(words) > 1 and all(word.isupper() for word in words):
        return False  # shouting credit lines ("MAJID ASGARIPOUR/WANA"), not prose names
    if all(word in _DEMONYMS or word in _COMPASS for word in words):
        return False  # "Iranian", "South Korean": adjectives, not names
    if len(words) > 1:
        return True
    word = words[0]
    if word in _TITLE_HEADS or word in _TITLE_MODIFIERS or word in _NOT_NAMES or _ROMAN_NUMERAL.fullmatch(word):
        return False
    if _CODE.fullmatch(word):
        return False  # "STS-135", "F-16": mission and model codes
    if word.endswith("ist") and len(word) > 6:
        return False  # "Buddhist", "Scientologist": adherents, not names
    return not (word.isupper() and word not in _COUNTRY_ALIASES and _in_shouting_line(text, tokens[0][0], tokens[0][1]))


def _in_shouting_line(text: str, start: int, end: int) -> bool:
    """Whether an all-capitals word sits among others, as in "MAJID ASGARIPOUR/WANA (WEST ASIA ...)"."""
    return bool(_SHOUTING_BEFORE.search(text, max(0, start - 4), start) or _SHOUTING_AFTER.match(text, end))


def _make_piece(text: str, tokens: list[tuple[int, int, str]], *, mention_start: int, person_cue: bool, title: str | None, weak: bool) -> _Piece:
    words = tuple(word for _, _, word in tokens)
    return _Piece(words, _span(text, mention_start, tokens[-1][1]), person_cue, title, weak)


def _strip_title(
    tokens: list[tuple[int, int, str]],
) -> tuple[list[tuple[int, int, str]], str | None, list[tuple[int, int, str]]]:
    """(name tokens, title text, tokens of a name inside the title) for a run.

    A title is optional modifiers then heads ("Home Secretary", "Prime
    Minister"), optionally with an object ("Emir of Qatar", "Leader of the
    Islamic Revolution"). Courtesy titles ("Mr.") are dropped from the name.
    """
    index = 0
    while index < len(tokens) and tokens[index][2] in _COURTESY:
        index += 1
    heads = index
    while heads < len(tokens) and tokens[heads][2] in _TITLE_MODIFIERS:
        heads += 1
    end = heads
    while end < len(tokens) and tokens[end][2] in _TITLE_HEADS:
        end += 1
    if end == heads:
        return tokens[index:], None, []
    title_object: list[tuple[int, int, str]] = []
    if end < len(tokens) and tokens[end][2] in _CONNECTORS:
        end, title_object = _title_object(tokens, end + 1)
    if end >= len(tokens):
        return [], None, title_object
    title = " ".join(word for _, _, word in tokens[index:end])
    return tokens[end:], title, title_object


def _title_object(tokens: list[tuple[int, int, str]], index: int) -> tuple[int, list[tuple[int, int, str]]]:
    """(end of a title's object after 'of', the object's tokens when it is itself a name).

    'Emir of Qatar' names Qatar, 'CEO of the Refugee Council' the council, 'Minister
    of Education' nothing. An object ends at an organisation word, an honorific
    or a title, since the person's name follows.
    """
    words = [word for _, _, word in tokens]
    for width in (3, 2, 1):
        if " ".join(words[index : index + width]) in _COUNTRIES:
            return index + width, tokens[index : index + width]
    if index < len(words) and words[index] in _TITLE_OBJECT_WORDS:
        return index + 1, []
    if index < len(words) and words[index] == "the":
        end = index + 1
        while end < len(words) and words[end] not in _HONORIFICS and words[end] not in _TITLE_HEADS:
            end += 1
            if words[end - 1] in _ORGANISATION_WORDS:
                break
        return end, tokens[index + 1 : end]
    if len(words) - index >= 3:  # "Governor of Washington Chris Gregoire": a one-word object, then the name
        return index + 1, tokens[index : index + 1]
    return index - 1, []


# Verbs that mark their subject as a person (or a body speaking like one); "continues" and
# "reports" are left out because places and papers do those too.
_PERSON_CUE_WORDS = [
    "said",
    "says",
    "told",
    "tells",
    "added",
    "stated",
    "wrote",
    "claimed",
    "asked",
    "explained",
    "commented",
    "tweeted",
    "insisted",
    "argued",
    "warned",
    "replied",
    "remarked",
    "asserted",
]
_CUE_AFTER_NAME = re.compile(r"\s*(?:,[^,.;\n]{1,80},\s*)?(?:" + "|".join(_PERSON_CUE_WORDS) + r")\b")


_ROLE_NOUNS = frozenset(
    [
        "member",
        "coach",
        "barrister",
        "lawyer",
        "attorney",
        "campaigner",
        "researcher",
        "prosecutor",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "actor",
        "actress",
        "singer",
        "player",
        "striker",
        "goalkeeper",
        "president",
        "minister",
        "secretary",
        "senator",
        "director",
        "founder",
        "chairman",
        "chairwoman",
        "editor",
        "reporter",
        "journalist",
        "author",
        "writer",
        "professor",
        "scientist",
        "doctor",
        "officer",
        "captain",
        "manager",
        "teacher",
        "student",
        "artist",
        "activist",
        "analyst",
        "economist",
        "expert",
        "official",
        "son",
        "daughter",
        "wife",
        "husband",
        "mother",
        "father",
        "brother",
        "sister",
        "colleague",
        "undersecretary",
        "ambassador",
        "leader",
        "judge",
    ]
)
_LEADER_NOUNS = frozenset(["administration", "presidency", "campaign", "era"])  # "the Trump administration"
_ROLE_NOUN_BEFORE = re.compile(r"\b([a-z]+),?\s+$")
_WORD_AFTER = re.compile(r"\s+([a-z]+)")
_AGE_AFTER = re.compile(r",\s*\d{1,3}\s*,")


def _has_person_context(text: str, start: int, end: int) -> bool:
    """Words around a name that only a person gets: 'X said', 'coach X', 'X, 42,', 'the X administration'."""
    role = _ROLE_NOUN_BEFORE.search(text, max(0, start - 30), start)
    if role and role.group(1) in _ROLE_NOUNS:
        return True
    following = _WORD_AFTER.match(text, end)
    return bool((following and following.group(1) in _LEADER_NOUNS) or _CUE_AFTER_NAME.match(text, end) or _AGE_AFTER.match(text, end))


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the token at ``start`` is the first word of a sentence or a quotation."""
    before = text[max(0, start - 4) : start].rstrip(" \t\u00a0")
    if not before or before.endswith("\n"):
        return True
    last = before[-1]
    if last in ".!?:" or last in _DOUBLE_OPENING + "‘([" or (last in "\"'" and start >= 1 and text[start - 1] == last):
        return True
    return last in _DOUBLE_CLOSING + "\"’'" and len(before) > 1 and before[-2] in ".!?"
