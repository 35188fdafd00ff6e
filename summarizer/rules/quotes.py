"""Quote candidates: passages inside quote marks, with the speech cue, speaker and outlet.

Quote marks are paired by *flanking*: a mark after a space and before a word
opens, one after a word and before a space or punctuation closes, and only when
the context says nothing does the glyph decide. That is what lets a “ used as a
closing mark, nested double quotes, straight quotes, « », „ “ and 「 」 share one
pairing routine. Single quotes are paired only when the context is unambiguous,
because ’ is mostly an apostrophe ("Iran’s", "don't", "'90s").

Quotes the article splits around a speech tag ("X," he said, "Y") are merged,
one- and two-word scare quotes are dropped unless a cue tags them, and unmarked
pull quotes that end in a name line are added. The speaker is the name mention
(from :mod:`.names`) next to the cue, or a pronoun's antecedent.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import pairwise

from .candidates import QuoteCandidate
from .speakers import (
    PARTICIPLE_PREPOSITION,
    Attribution,
    MentionIndex,
    after_determiner,
    may_be_person,
    mention_after,
    noun_source,
    opening_person,
    past_opening_phrase,
    resolve_speaker,
    sentence_subject,
    short_name,
    tag_before_participle,
    titled_person,
)
from .text import CORNER_PAIRS, DOUBLE_CLOSING, DOUBLE_EITHER, DOUBLE_OPENING, SINGLE, TakenSpans, opens_sentence, sentence_breaks, strip_span, text_span

# --------------------------------------------------------------------------
# Quote marks
# --------------------------------------------------------------------------
_ALL_MARKS = DOUBLE_OPENING + DOUBLE_CLOSING + DOUBLE_EITHER + SINGLE + "".join(k + v for k, v in CORNER_PAIRS.items())
_MARK = re.compile("[" + re.escape(_ALL_MARKS) + "]")
_OPEN_CONTEXT = frozenset("([{<—–-/" + _ALL_MARKS)
_CLOSE_CONTEXT = frozenset(".,;:!?)]}>—–-/…" + _ALL_MARKS)
_DECADE = re.compile(r"['’]\d\d(?:s\b|\b)")


@dataclass(frozen=True)
class _Mark:
    position: int
    family: str  # which marks pair with each other: "double", "single" or a corner bracket
    role: str  # "open", "close" or "either"
    width: int = 1  # two for two apostrophes standing for a double mark (''like this'')


def _quote_marks(text: str) -> list[_Mark]:
    """Every quote mark of ``text`` with its family and role; apostrophes left out."""
    marks = []
    after_pair = -1
    for match in _MARK.finditer(text):
        position = match.start()
        if position == after_pair:
            continue  # the second apostrophe of a pair, read with the first
        if text.startswith("''", position):
            mark = _classify_mark(text, position, width=2)
            after_pair = position + 1
        else:
            mark = _classify_mark(text, position)
        if mark is not None:
            marks.append(mark)
    return marks


def _classify_mark(text: str, position: int, *, width: int = 1) -> _Mark | None:
    """A mark's family and role from its context; two apostrophes (``width=2``) are one double mark, as some archives
    write them."""
    char = text[position]
    for opening, closing in CORNER_PAIRS.items():
        if char in (opening, closing):
            return _Mark(position, opening, "open" if char == opening else "close")
    before = text[position - 1] if position else " "
    after = text[position + width] if position + width < len(text) else " "
    opens = (before.isspace() or before in _OPEN_CONTEXT) and not after.isspace()
    closes = not before.isspace() and (after.isspace() or after in _CLOSE_CONTEXT)
    if width == 2:
        return _Mark(position, "double", "either" if opens == closes else "open" if opens else "close", width)
    if char in SINGLE:
        if (before.isalnum() and after.isalnum()) or _DECADE.match(text, position) or opens == closes:
            return None  # an apostrophe, or a mark the context cannot place
        return _Mark(position, "single", "open" if opens else "close")
    if opens != closes:
        return _Mark(position, "double", "open" if opens else "close")
    if char in DOUBLE_OPENING:
        return _Mark(position, "double", "open")
    if char in DOUBLE_CLOSING:
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
            stack.append(_Open(carried.outer_start, own[0].position + own[0].width, carried.paragraph, carried.pieces))
            own, carried = own[1:], None
        for mark in own:
            if mark.role == "close" or (mark.role == "either" and stack):
                if stack:  # a closing mark with nothing open is a stray: ignored
                    opened = stack.pop()
                    pieces = (*opened.pieces, (opened.inner_start, mark.position))
                    quotes.append(_RawQuote(pieces, opened.outer_start, mark.position + mark.width, opened.paragraph, index))
            else:
                stack.append(_Open(mark.position, mark.position + mark.width, index))
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
    return _outermost(_trimmed_quotes(text, found))


def _trimmed_quotes(text: str, quotes: list[_RawQuote]) -> list[_RawQuote]:
    """The quotes with whitespace trimmed from their pieces; those left without a letter or digit are dropped.

    Nested quotes overlap ("“““…”””" nests one quote per mark), so whether a
    piece holds a letter or digit is read from the first one at or after its
    start, found for all pieces in one sweep (:func:`_first_alnum_at_or_after`).
    """
    stripped = [(quote, tuple(piece for piece in (strip_span(text, a, b) for a, b in quote.pieces) if piece[0] < piece[1])) for quote in quotes]
    first_alnum = _first_alnum_at_or_after(text, (a for _, pieces in stripped for a, _ in pieces))
    return [
        _RawQuote(pieces, quote.outer_start, quote.outer_end, quote.first_paragraph, quote.last_paragraph)
        for quote, pieces in stripped
        if any(first_alnum[a] < b for a, b in pieces)
    ]


_ALNUM = re.compile(r"[^\W_]")  # exactly the characters for which str.isalnum() is true


def _first_alnum_at_or_after(text: str, positions: Iterable[int]) -> dict[int, int]:
    """For each position, the offset of the first letter or digit at or after it (``len(text)`` when none).

    The positions are taken in order, and one before the previous answer shares
    it: no stretch of the text is read twice.
    """
    found: dict[int, int] = {}
    answer = -1
    for position in sorted(set(positions)):
        if answer < position:
            match = _ALNUM.search(text, position)
            answer = match.start() if match else len(text)
        found[position] = answer
    return found


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
_MANNER_CUE_WORDS = [
    # How it was said: in news style these tag a quote as "said" does ('"Go back," Trump barked'); they name
    # the speaker of a quote found anyway but do not keep a one- or two-word scare quote, as the plain cues do.
    "quipped",
    "joked",
    "shouted",
    "yelled",
    "exclaimed",
    "barked",
    "snapped",
    "retorted",
    "countered",
    "conceded",
    "concedes",
    "concludes",
    "interjected",
    "mused",
    "boasted",
    "bragged",
    "complained",
    "lamented",
    "cautioned",
    "vowed",
    "pledged",
    "predicted",
    "recalls",
    "remembered",
    "answered",
    "pressed",
    "beamed",
    "echoed",
    "wondered",
    "maintained",
    "contended",
    "testified",
    "tweets",
    "shot back",
    "fired back",
    "hit back",
]
_PLAIN_CUE = re.compile(r"(?<![\w-])(?:[Aa]ccording to|[Ii]n the words of|" + "|".join(_CUE_WORDS) + r")\b")
_CUE = re.compile(r"(?<![\w-])(?:[Aa]ccording to|[Ii]n the words of|" + "|".join(_CUE_WORDS + _MANNER_CUE_WORDS) + r")\b")
_CHARACTERISING = ["considers", "considered", "branded", "brands", "dubbed", "dubs", "labeled", "labelled", "termed", "terms", "deemed", "views", "regards"]
_LEAD_CUE = re.compile(
    r"(?<![\w-])(?:[Aa]ccording to|[Ii]n the words of|Said|Says|put it|puts it|" + "|".join(_CUE_WORDS + _MANNER_CUE_WORDS + _CHARACTERISING) + r")\b"
)
"""Cues before a quote: speech, the inverted tag ("Said Smith, '...'"), "As Smith put it", and the verbs that characterise with quoted words
('Iran considers Doha a "friendly country"')."""
_REPORTED_CLAUSE = re.compile(r"\s+that\b")
_OPENS_QUOTE = re.compile(r"[,:]?\s*[\"“‘«„]")
_NEW_CLAUSE = re.compile(r"[\s,;]*(?:and|but|while|whereas)\s")
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


def find_quotes(text: str, paragraphs: list[tuple[int, int]], mentions: MentionIndex) -> tuple[QuoteCandidate, ...]:
    """Quote candidates: marked quotes, split quotes merged, plus attributed pull quotes."""
    groups = _merge_split_quotes(text, _paired_quotes(text, paragraphs))
    groups = [group for group in groups if _is_substantial(text, group, paragraphs)]
    found: list[tuple[tuple[tuple[int, int], ...], Attribution]] = []
    for index, group in enumerate(groups):
        previous_end = groups[index - 1][-1].outer_end if index else 0
        following_start = groups[index + 1][0].outer_start if index + 1 < len(groups) else len(text)
        attribution = _attribute(text, group, paragraphs, mentions, previous_end, following_start)
        if index and attribution.speaker is None:
            previous_quote, previous = groups[index - 1][-1], found[-1][1]
            if _shares_subject(text, previous_quote, group[0], mentions) or (
                attribution == Attribution()
                and (
                    _continues_turn(text, previous_quote, group[0], paragraphs, mentions)
                    or _follows_own_tag(text, previous_quote, group[0], previous, mentions)
                )
            ):
                attribution = Attribution(cue=attribution.cue, speaker=previous.speaker, speaker_span=previous.speaker_span, via=previous.via)
        if attribution == Attribution():
            attribution = _narrated_speaker(text, group, paragraphs, mentions, previous_end=previous_end) or attribution
        found.append((tuple(piece for quote in group for piece in quote.pieces), attribution))
    found.extend(_pull_quotes(text, paragraphs, mentions, taken=[(p[0][0], p[-1][1]) for p, _ in found]))
    found.sort(key=lambda item: item[0][0][0])
    return tuple(_quote_candidate(text, number, pieces, attribution) for number, (pieces, attribution) in enumerate(found, 1))


def _narrated_speaker(text: str, group: list[_RawQuote], paragraphs: list[tuple[int, int]], mentions: MentionIndex, *, previous_end: int) -> Attribution | None:
    """The speaker of a quote standing as a paragraph of its own, untagged, after a paragraph of narration without quotes:
    the subject of that paragraph's last sentence ('Lee was upbeat about the vote.' then '"We will win this."').

    Only the quote's own paragraph and the one before it are read, once per such quote.
    """
    first, last = group[0], group[-1]
    paragraph_start, paragraph_end = paragraphs[first.first_paragraph][0], paragraphs[last.last_paragraph][1]
    if first.outer_start != paragraph_start or first.first_paragraph == 0 or re.search(r"\w", text[last.outer_end : paragraph_end]):
        return None
    before_start, before_end = paragraphs[first.first_paragraph - 1]
    if previous_end > before_start:
        return None
    breaks = sentence_breaks(text, before_start, before_end)
    subject = sentence_subject(text, breaks[-1] if breaks else before_start, before_end, "", mentions)
    if subject is None or subject.speaker is None:
        return None
    return Attribution(speaker=subject.speaker, speaker_span=subject.speaker_span, via=subject.via)


def _continues_turn(text: str, previous: _RawQuote, quote: _RawQuote, paragraphs: list[tuple[int, int]], mentions: MentionIndex) -> bool:
    """Whether an unattributed quote goes on with the previous quote's speaker.

    True when nothing but unnamed words lies between them in one sentence
    ('"dangerous" and "ideological"'), or when the quote is in the paragraph
    right after the one the previous quote ended and opens it, or opens a
    sentence there with no speech cue and no person named before it (news
    style for a long turn: 'Reports were light on detail. "The Emir also ..."').
    """
    between = (previous.outer_end, quote.outer_start)
    if previous.last_paragraph == quote.first_paragraph:
        return not (_CUE.search(text, *between) or sentence_breaks(text, *between) or next(mentions.within(*between), None))
    if previous.last_paragraph != quote.first_paragraph - 1:
        return False
    paragraph_start = paragraphs[quote.first_paragraph][0]
    if quote.outer_start == paragraph_start:
        return True
    opens_sentence = bool(sentence_breaks(text, paragraph_start, quote.outer_start + 1)) and text[quote.outer_start - 2 : quote.outer_start].strip() in ".!?"
    people = any(name.kind == "person" for _, name in mentions.within(paragraph_start, quote.outer_start))
    return opens_sentence and not people and not _CUE.search(text, paragraph_start, quote.outer_start)


def _follows_own_tag(text: str, previous: _RawQuote, quote: _RawQuote, attribution: Attribution, mentions: MentionIndex) -> bool:
    """Whether a quote opens a sentence after the tag sentence of the previous quote, in its paragraph:
    '"A," said Ann Lee, the mayor. "B."', or with narration between that names no one else and reports no speech
    ('"A," Lee said. The towns lie far from any city. "B."'): news style for one speaker's turn."""
    span = attribution.speaker_span
    if previous.last_paragraph != quote.first_paragraph or span is None or not previous.outer_end <= span.start < quote.outer_start:
        return False
    breaks = sentence_breaks(text, previous.outer_end, min(quote.start + 1, len(text)))
    if not breaks or text[breaks[-1] : quote.outer_start].strip():
        return False
    narration = (breaks[0], breaks[-1])
    others = (name for _, name in mentions.within(*narration) if name.kind == "person" and name.name != attribution.speaker)
    return not _CUE.search(text, *narration) and next(others, None) is None


_SHARED_SUBJECT_CUE = re.compile(r"[\s,\"”’']*(?:and|but|then)\s+(?:also\s+)?(?:" + "|".join(_CUE_WORDS) + r")\b[^.!?;\"“”]*$")


def _shares_subject(text: str, previous: _RawQuote, quote: _RawQuote, mentions: MentionIndex) -> bool:
    """Whether a quote is introduced by a cue whose subject is the previous quote's speaker:
    'X said it was "slow", and said it was "damning"' (no name, no sentence end between)."""
    between = (previous.outer_end, quote.outer_start)
    if previous.last_paragraph != quote.first_paragraph or sentence_breaks(text, *between) or next(mentions.within(*between), None):
        return False
    return bool(_SHARED_SUBJECT_CUE.match(text[between[0] : between[1]]))


def _quote_candidate(text: str, number: int, pieces: tuple[tuple[int, int], ...], attribution: Attribution) -> QuoteCandidate:
    start, end = pieces[0][0], pieces[-1][1]
    fragments = tuple(text_span(text, a, b) for a, b in pieces) if len(pieces) > 1 else ()
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
    if not (mid_sentence and gap.rstrip().endswith((",", ":", "—", "–"))):
        return False
    return not sentence_breaks(text, first.outer_end, second.outer_start)  # '," said Lee, the mayor. Brown replied: "' is two quotes


def _is_substantial(text: str, group: list[_RawQuote], paragraphs: list[tuple[int, int]]) -> bool:
    """Drop one- and two-word scare quotes unless a speech cue is close before them or tags them right after."""
    words = sum(_word_count(text[a:b]) for quote in group for a, b in quote.pieces)
    if words > _SHORT_QUOTE_WORDS:
        return True
    first = group[0]
    window_start = max(paragraphs[first.first_paragraph][0], first.outer_start - _SHORT_QUOTE_CUE_WINDOW)
    breaks = sentence_breaks(text, window_start, first.outer_start)
    return bool(_PLAIN_CUE.search(text, breaks[-1] if breaks else window_start, first.outer_start)) or _is_tagged_after(text, group[-1])


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
    mentions: MentionIndex,
    previous_end: int,
    following_start: int,
) -> Attribution:
    """Cue, speaker and outlet of one quote, from its tags, the words after it, then before it."""
    first, last = group[0], group[-1]
    paragraph_end = paragraphs[last.last_paragraph][1]
    tags = [(a.outer_end, b.outer_start) for a, b in pairwise(group)]
    trials = [_tag_attribution(text, start, end, mentions, before=first.start) for start, end in tags]
    after_end = min(following_start, paragraph_end, last.outer_end + _TAG_MAX_CHARS)
    trials.append(_trailing_attribution(text, last.outer_end, after_end, mentions, quote=(first.start, last.end)))
    lead_in_start = _lead_in_start(text, first, paragraphs)
    before_start = max(lead_in_start, previous_end)
    breaks = sentence_breaks(text, before_start, first.outer_start)
    sentence_start = breaks[-1] if breaks else _sentence_start(text, lead_in_start, before_start)
    trials.append(_lead_in_attribution(text, breaks[-1] if breaks else before_start, first.outer_start, mentions, sentence_start=sentence_start))
    if not text[last.outer_end : paragraph_end].strip() and last.last_paragraph + 1 < len(paragraphs):
        trials.append(_credit_line(text, paragraphs[last.last_paragraph + 1], mentions))
    with_speaker = next((trial for trial in trials if trial.speaker), None)
    return with_speaker or next((trial for trial in trials if trial.cue), Attribution())


_CREDIT_DASH = re.compile(r"[^\S\n]*[-—–][^\S\n]*")
_CREDIT_MAX_CHARS = 120


def _credit_line(text: str, paragraph: tuple[int, int], mentions: MentionIndex) -> Attribution:
    """A quote paragraph credited on the line after it, as an epigraph is ('"..."' then '- Ann Lee.' or
    '—Mayor Ann Lee, speaking after the vote.'): the person named right after the dash."""
    start, end = paragraph
    dash = _CREDIT_DASH.match(text, start, end)
    if dash is None or end - start > _CREDIT_MAX_CHARS:
        return Attribution()
    named = next(mentions.within(dash.end(), end), None)
    if named is None or not _TITLE_ONLY.fullmatch(text, dash.end(), named[0].start):
        return Attribution()
    return replace(resolve_speaker(text, "", named, None, mentions, before=named[0].start, window=paragraph), cue=None)


_TITLE_ONLY = re.compile(r"(?:[A-Z][\w.’'-]*\s+){0,3}")
"""Only title words between the credit's dash and the name ("President Obama")."""


_SENTENCE_REACH = 1000  # characters looked back for the start of a sentence that an earlier quote shares


def _sentence_start(text: str, floor: int, position: int) -> int:
    """Where the sentence holding ``position`` starts, not before ``floor``: a quote after another in one sentence
    ('Lee posted a reading list called "Roads" on her page, writing "..."') shares its subject."""
    if position <= floor:
        return floor
    breaks = sentence_breaks(text, max(floor, position - _SENTENCE_REACH), position)
    return breaks[-1] if breaks else max(floor, position - _SENTENCE_REACH)


def _lead_in_start(text: str, quote: _RawQuote, paragraphs: list[tuple[int, int]]) -> int:
    """Where the words introducing a quote may start: its paragraph, or the paragraph before when
    that one ends in a colon and the quote opens its own ('Cruz continued:' then the quote as a paragraph)."""
    paragraph_start = paragraphs[quote.first_paragraph][0]
    if quote.outer_start != paragraph_start or quote.first_paragraph == 0:
        return paragraph_start
    previous_start, previous_end = paragraphs[quote.first_paragraph - 1]
    return previous_start if text[previous_end - 1] == ":" else paragraph_start


def _trailing_attribution(text: str, start: int, end: int, mentions: MentionIndex, *, quote: tuple[int, int]) -> Attribution:
    """Attribution from the words right after a quote: '", Smith said.', '" said Ambassador Mohib.'

    The tag must come before any sentence break, must not open a clause of its
    own ('", and Hill said ...') and must not introduce a reported clause
    ("Smith said that ..."): those belong to the next quote. When the quote
    ended its own sentence, only a short tag ('" Baird said.') counts.
    """
    cue = _CUE.search(text, start, end)
    if cue is None and text[quote[1] - 1] == ",":
        return _bare_tag(text, start, end, mentions, before=quote[0])
    if cue is None or sentence_breaks(text, start, cue.start()) or _REPORTED_CLAUSE.match(text, cue.end()) or _NEW_CLAUSE.match(text, start, cue.start()):
        return Attribution()
    if cue.group().endswith("ing") and _OPENS_QUOTE.match(text, cue.end()):
        return Attribution()  # '"Roads" on her page, writing "...': the participle introduces the next quote
    if text[quote[1] - 1] in ".!?…" and not _is_closing_tag(text, start, cue):
        return Attribution()
    return _tag_attribution(text, start, end, mentions, before=quote[0])


def _bare_tag(text: str, start: int, end: int, mentions: MentionIndex, *, before: int) -> Attribution:
    """A tag whose verb no cue list holds, after a quote that ends in a comma, as only a tag does ('"France will always be
    France," an angry Ann Lee retaliated.', '"...," he fumed'): a person or he/she, then a verb in the past tense."""
    tag = _BARE_TAG.match(text, start, end)
    if tag is None:
        return Attribution()
    if tag.group("pronoun"):
        return resolve_speaker(text, tag.group("verb"), None, tag.group("pronoun"), mentions, before=before, window=(start, end))
    named = next(mentions.within(tag.start("subject"), tag.end("subject")), None)
    if named is None or named[0].start != tag.start("subject") or named[0].end != tag.end("subject") or not may_be_person(text, *named):
        return Attribution()
    return resolve_speaker(text, tag.group("verb"), named, None, mentions, before=named[0].start, window=(start, end))


_BARE_TAG = re.compile(
    r"[\"”’'\s]*(?:(?:an?|the)\s+[a-z]+\s+)?(?:(?P<pronoun>he|she)|(?P<subject>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}))"
    r"\s+(?P<verb>[a-z]{3,}ed)\b(?:\s+(?:back|again|later|him|her|them|[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2}))?\s*(?:[.,;!?]|$)"
)


def _tag_attribution(text: str, start: int, end: int, mentions: MentionIndex, *, before: int) -> Attribution:
    """Attribution from a speech tag between or after quote pieces: ', Smith said', ', said Smith'.

    ``before`` is where the quote starts: a pronoun's antecedent is looked for before it.
    """
    cue = _CUE.search(text, start, end)
    if cue is None:
        return Attribution()
    names = mentions.within(start, cue.start())
    first = next(names, None)
    lead = titled_person(text, first, names) if first else None  # '", Huckabee spokeswoman Alice Stewart said': Stewart
    pronoun = _PRONOUN.search(text, start, cue.start()) or _PRONOUN_AFTER_CUE.match(text, cue.end())
    if lead is None and pronoun is None:
        lead = mention_after(text, cue.end(), end, mentions)
    if lead is None and pronoun is None:  # '," the report noted': the outlet named before speaks
        by_noun = noun_source(text, start, cue.start(), cue.group(), mentions)
        if by_noun is not None and by_noun.speaker is not None:
            return by_noun
        lone = _LONE_WORD_BEFORE.fullmatch(text, start, cue.start()) or _LONE_WORD_AFTER.match(text, cue.end(), end)
        by_short_name = short_name(text, *lone.span("word"), cue.group(), mentions) if lone else None
        if by_short_name is not None:  # '," said Cuban': the Mark Cuban named before ("Cuban" alone is no name to the finder)
            return by_short_name
    return resolve_speaker(text, cue.group(), lead, pronoun.group() if pronoun else None, mentions, before=before, window=(start, end))


_LONE_WORD_BEFORE = re.compile(r"[\s,]*(?P<word>[A-Z][\w’'-]+)\s*")
_LONE_WORD_AFTER = re.compile(r"\s+(?P<word>[A-Z][\w’'-]+)(?=\s*[,.!?;]|\s*$)")


def _is_closing_tag(text: str, start: int, cue: re.Match[str]) -> bool:
    """A short tag that ends the sentence: '" Baird said.', '" he said.', '" said Smith.', '" Lee, a retired nurse, said.'."""
    subject = text[start : cue.start()]
    # A comma before a short subject opens a tag inside the next sentence: '." Ohio, he said, was ...'
    short = (len(subject.split()) <= 3 and "," not in subject) or _NAME_AND_APPOSITION.fullmatch(text, start, cue.start()) is not None
    return short and bool(_TAG_ENDS.match(text, cue.end()))


_NAME_AND_APPOSITION = re.compile(r"\s*(?:[A-Z][\w.’'-]*\s+){0,2}[A-Z][\w.’'-]*,\s*[^,.!?;:\"“”]{2,80},\s*")
"""A name and an apposition before a closing tag's cue: "Ann Lee, a retired nurse from Ohio, said"."""


def _lead_in_attribution(text: str, start: int, end: int, mentions: MentionIndex, *, sentence_start: int | None = None) -> Attribution:
    """Attribution from the words before the quote: 'Smith said, "...', 'according to Smith, "...',
    'Iran considers Doha a "friendly country"', 'Cruz hit back, saying "..."' and 'Cruz hit back: "..."' (the sentence's subject).

    ``sentence_start``: where the sentence starts when an earlier quote in it ends before ``start``; a participle's
    subject is looked for from there."""
    cues = [cue for cue in _LEAD_CUE.finditer(text, start, end) if not after_determiner(text, start, cue.start())]  # not "his claims"
    if not cues:
        # 'Sunak defended the record, promising an update: "..."': a colon hands the quote to the sentence's subject
        if text[start:end].rstrip().endswith(":"):
            return sentence_subject(text, start, end, ":", mentions) or Attribution()
        # 'Lee shot back, "The ..."', 'After the attack, Lee issued a statement, "The ..."': no cue word
        if _SHORT_LEAD_IN.fullmatch(text, past_opening_phrase(text, start, end), end) and text[end + 1 : end + 2].isupper():
            subject = sentence_subject(text, start, end, "", mentions)
            return replace(subject, cue=None) if subject else Attribution()
        return Attribution()
    cue = cues[-1]
    if cue.group().lower() in ("according to", "in the words of"):
        return resolve_speaker(text, cue.group(), mention_after(text, cue.end(), end, mentions), None, mentions, before=end, window=(start, end))
    head = text[start : cue.start()].rstrip()
    # 'Lee took a swipe at Brexit, saying "..."', 'Lee drew boos upon saying "..."' (in a sentence read from its start): Lee speaks
    participle = cue.group().endswith("ing") and (
        head.endswith(",") or (PARTICIPLE_PREPOSITION.search(head) is not None and opens_sentence(text, strip_span(text, start, end)[0]))
    )
    tag = tag_before_participle(text, start, start + len(head), cue.group(), mentions) if participle else None
    if tag is not None:
        return tag
    subject = sentence_subject(text, start, cue.start(), cue.group(), mentions) if participle or _COORDINATED_CUE.search(head) else None
    if participle and sentence_start is not None and sentence_start < start and (subject is None or not subject.speaker):
        # '... called "Roads" on her Facebook page, writing "...': no subject after the earlier quote; the sentence's speaks
        subject = sentence_subject(text, sentence_start, cue.start(), cue.group(), mentions) or subject
    if subject is not None and subject.speaker:  # 'Lee shook her head and said, "..."': the cue shares the sentence's subject
        return subject
    coordinated = _PRONOUN_VERB_AND.search(text, max(start, cue.start() - _PRONOUN_VERB_REACH), cue.start())
    if coordinated is not None:  # '... at the mention of email she laughed and admitted "..."': the pronoun is the cue's subject too
        return resolve_speaker(text, cue.group(), None, coordinated.group("pronoun"), mentions, before=coordinated.start(), window=(start, end))
    opener = opening_person(text, start, cue.start(), mentions) if head.endswith(",") and not participle else None
    if opener is not None:  # 'Lee, at a town hall in Columbus, Ohio, said "...': Lee, not Ohio
        return resolve_speaker(text, cue.group(), opener, None, mentions, before=opener[0].start, window=(start, end))
    subject_end = _subject_end(text, start, cue.start(), mentions)
    candidates = list(mentions.within(start, subject_end))
    lead = candidates[-1] if candidates and _is_near(text, candidates[-1][0].end, subject_end) else None
    pronoun = _PRONOUN.search(text, max(start, subject_end - 6), subject_end)
    if lead is not None and (pronoun is None or pronoun.start() < lead[0].end):
        pronoun = None  # the name is the subject: a pronoun after it is the cue's only when it comes between ("Ohio, he said, was")
    else:
        lead = None
    if lead is None and pronoun is None:
        lead = mention_after(text, cue.end(), end, mentions)
    if lead is None and pronoun is None and cue.group().endswith("ing") and head.endswith(","):
        return sentence_subject(text, start, cue.start(), cue.group(), mentions) or Attribution(cue=cue.group().lower())
    if lead is None and pronoun is None:  # "The report noted: ..." speaks for the outlet named before
        return noun_source(text, start, subject_end, cue.group(), mentions) or resolve_speaker(
            text, cue.group(), None, None, mentions, before=end, window=(start, end)
        )
    return resolve_speaker(text, cue.group(), lead, pronoun.group() if pronoun else None, mentions, before=end, window=(start, end))


_PRONOUN_VERB_AND = re.compile(r"\b(?P<pronoun>he|she|He|She)\s+(?:[a-z]+\s+){1,3}(?:and|but)(?:\s+(?:then|also|later|again))?\s+$")
_PRONOUN_VERB_REACH = 48  # characters: the pronoun, up to three words and "and"
_COORDINATED_CUE = re.compile(r"(?:\b(?:and|but)(?:\s+(?:then|also|later|again))?|\bby)$")
_SHORT_LEAD_IN = re.compile(r"\s*[A-Z][^,;:.!?\"“”]{0,40}?,\s*")
"""A short clause that opens the sentence and hands it to a quoted sentence: 'Sanders shot back, "Secretary Clinton ..."'."""
_LABEL_AT_END = re.compile(r"\s*\([^()]{1,24}\)\s*$")


def _subject_end(text: str, start: int, cue_start: int, mentions: MentionIndex) -> int:
    """Where the subject of a cue at ``cue_start`` ends.

    Before a party label ('Ann Lee (D-Ore.) said') and before an apposition or
    relative clause set off by commas ('Jeff Rathke, the spokesperson, said',
    'Ann Lee, who chairs the panel, said'), unless the apposition is the name
    itself ('her adviser, Jake Morrow, said').
    """
    end = start + len(text[start:cue_start].rstrip())
    if end <= start or text[end - 1] != ",":
        return _before_label(text, start, end)
    comma = text.rfind(",", start, end - 1)
    if comma < 0:
        return _before_label(text, start, end - 1)
    apposition_end = _before_label(text, comma + 1, end - 1)
    if _is_name_apposition(text, comma + 1, apposition_end, mentions):
        return apposition_end
    return _before_label(text, start, comma)


def _before_label(text: str, start: int, end: int) -> int:
    """``end``, moved back before a short parenthesis ending ``text[start:end]`` ('(D-Ore.)', '(R-Ohio)')."""
    label = _LABEL_AT_END.search(text, start, end)
    return label.start() if label else end


def _is_name_apposition(text: str, start: int, end: int, mentions: MentionIndex) -> bool:
    """Whether ``text[start:end]`` is a person's name, titles aside, and nothing else: 'her adviser, Jake Sullivan, said' and
    'in Berea, Gov. John Kasich, said' name the speaker in the apposition; 'Clinton, in Columbus, Ohio, said' does not."""
    start, end = strip_span(text, start, end)
    for span, name in mentions.within(start, end):
        titles = text[start : span.start].split()
        if span.end == end and len(titles) <= 2 and all(word[:1].isupper() for word in titles) and may_be_person(text, span, name):
            return True
    return False


def _is_near(text: str, position: int, cue_start: int) -> bool:
    """Whether a name ending at ``position`` can be the subject of a cue at ``cue_start``."""
    between = text[position:cue_start]
    return len(between.split()) <= 3 and not re.search(r"[.;:!?]", between)


# --------------------------------------------------------------------------
# Pull quotes
# --------------------------------------------------------------------------

_PULL_QUOTE_ATTRIBUTION = re.compile(r"(?P<name>[^\W\d_][\w’'.-]*(?:\s+[\w’'.-]+){1,3}?)(?:,\s*[^\n]{2,60})?")
_PULL_QUOTE_MIN_WORDS = 6
_PULL_QUOTE_MAX_ATTRIBUTION = 80
_PULL_QUOTE_REPEAT_SEARCHES = 32
"""Pull quotes whose words are looked for elsewhere in the text: each search reads the
whole text, and an article has a pull quote or two, a hostile page thousands."""


def _pull_quotes(
    text: str, paragraphs: list[tuple[int, int]], mentions: MentionIndex, *, taken: list[tuple[int, int]]
) -> list[tuple[tuple[tuple[int, int], ...], Attribution]]:
    """Unmarked pull quotes: a paragraph ending in an attribution line ('... Charles Bolden, NASA Administrator').

    The same words repeated elsewhere (a block quote the pull quote duplicates)
    are found too and given the same speaker (for the first
    ``_PULL_QUOTE_REPEAT_SEARCHES`` pull quotes).
    """
    found: list[tuple[tuple[tuple[int, int], ...], Attribution]] = []
    claimed = TakenSpans(len(text), taken)
    searches = 0
    for start, end in paragraphs:
        if claimed.overlaps(start, end) or text[end - 1] in ".!?…\"”’'":
            continue
        body_end, attribution = _pull_quote_attribution(text, start, end, mentions)
        if attribution is None or len(text[start:body_end].split()) < _PULL_QUOTE_MIN_WORDS:
            continue
        found.append((((start, body_end),), attribution))
        claimed.take(start, end)
        if searches == _PULL_QUOTE_REPEAT_SEARCHES:
            continue
        searches += 1
        body = text[start:body_end]
        position = text.find(body)
        while position >= 0:
            if not claimed.overlaps(position, position + len(body)):
                found.append((((position, position + len(body)),), attribution))
                claimed.take(position, position + len(body))
            position = text.find(body, position + 1)
    return found


def _pull_quote_attribution(text: str, start: int, end: int, mentions: MentionIndex) -> tuple[int, Attribution | None]:
    """(end of the quoted body, attribution) when the paragraph ends in a name line."""
    for cut in reversed(sentence_breaks(text, start, end)):
        line_start, _ = strip_span(text, cut, end)
        if end - line_start > _PULL_QUOTE_MAX_ATTRIBUTION:
            break
        line = _PULL_QUOTE_ATTRIBUTION.fullmatch(text, line_start, end)
        named = next(mentions.within(line_start, line.end("name")), None) if line else None
        if named is not None and named[0].start == line_start:
            return cut, Attribution(speaker=named[1].name, speaker_span=named[0])
    return end, None
