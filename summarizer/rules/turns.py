"""Transcript turns: lines that give a speaker's words after a label ("WALLACE: ...", "Q: ...").

An interview or hearing transcript quotes without quote marks: a line that
opens with a speaker label and a colon holds that speaker's verbatim words.
A label is

* an all-capitals name of one to three words, after an optional title
  ("WALLACE", "JAKE TAPPER", "SEN. GRAHAM");
* a Title-Case name of one to four words, after an optional title
  ("Luciana Lopez", "Sen. Lindsey Graham");
* "Q" or "A".

A turn's words (the rest of the line, stripped) are a quote of kind
``direct`` with no cue: no verb introduces them. Its speaker is the
article's name the label stands for (the full name, else for a one-word
label the surname: "WALLACE" -> "Chris Wallace"), else the label in normal
case without its title ("MR. OKAFOR" -> "Okafor"). "Q" and "A" take the
parties the introduction (the text before the first of them) names: "A" the
interviewee, the name after "interview with", "Q&A with", "conversation
with" or "interviewed", else the first person named who is not the
interviewer; "Q" the interviewer, the name after "interviewed by" or the
person heading the sentence of "X interviewed Y", else none (the outlet
itself, as a rule).

Ordinary articles use the same shape for other things, so a line is a turn
only when

* its label is no caption, credit, editorial label, form field or chat role
  (``words/not_speaker_labels.txt``: "Photo:", "Editor's note:", "SYSTEM:"),
  no place, country or group ("LONDON:" is a dateline), and, when Title-Case,
  a name the name finder found in the article ("Insiders:" is none);
* its words are not in headline case ("Bernie Sanders: It Is Not A Radical
  Idea" is a headline);
* its label style (capitals, Title-Case, Q/A) has at least two such lines in
  the article and one speaker holds two of them: a conversation goes back and
  forth, while a lone "Name:" line, or a list where each name heads one line
  ("Sanders: Win in a walk." "Cruz: Just hang on."), is a heading more often
  than speech.

A paragraph without a label continues the turn before it only when another
turn follows it (the transcript goes on) and it holds no quote mark (a
narrator's paragraph quoting someone has them); after the last turn, prose
resumes. A continued turn lists its pieces as ``fragments``.

A turn lying inside a quote-mark quote, or mostly one (``GRAHAM: "I do
not."``), is left to the quote-mark rules. Reported speech inside a turn is
still found by :mod:`.reported`.

Cost: one regex pass over the lines, each gap between turns read once, the
quote-mark quotes walked with one pointer: linear in the text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .candidates import NameCandidate, QuoteCandidate, TextSpan
from .lexicon import CAPITALS, COUNTRIES, COUNTRY_ALIASES, GROUP_NAMES, NAME_TITLES, NOT_SPEAKER_LABELS, PLACES
from .speakers import MentionIndex
from .text import DOUBLE_CLOSING, DOUBLE_EITHER, DOUBLE_OPENING, paragraph_bounds, strip_span

_LABEL_WORD = r"[A-Z][\w'’\-]*\.?"
_TURN_LINE = re.compile(
    rf"^[^\S\n]*(?P<label>(?:{_LABEL_WORD}[^\S\n]+){{0,4}}{_LABEL_WORD})[^\S\n]*:[^\S\n]+(?P<words>[^\n]*\S)",
    re.MULTILINE,
)
_MAX_CAPITALS_WORDS = 3
_MAX_TITLE_CASE_WORDS = 4
_NOT_SPEAKERS = frozenset(label.replace("’", "'") for label in NOT_SPEAKER_LABELS)
_PLACE_LABELS = frozenset(word.casefold() for word in (*COUNTRIES, *COUNTRY_ALIASES, *PLACES, *CAPITALS, *GROUP_NAMES))
_HEADLINE_SHARE = 0.8  # words capitalised, at least, in a headline-case line
_HEADLINE_MIN_WORDS = 3
_ALREADY_QUOTED = 0.8  # share of a turn's words inside one quote-mark quote that leaves it to that quote
_QUOTE_MARKS = frozenset(DOUBLE_OPENING + DOUBLE_CLOSING + DOUBLE_EITHER)
_INTERVIEWEE_CUE = re.compile(r"\b(?:(?:interview|Q\s?&\s?A|conversation)\s+with|interviewed(?!\s+by\b))\s+", re.IGNORECASE)
_INTERVIEWER_CUE = re.compile(r"\b(?:interview(?:ed)?|questions|conducted)\s+by\s+", re.IGNORECASE)
_INTERVIEWEE_REACH = 60  # characters after the cue within which the interviewee's (or interviewer's) name starts
_Party = tuple[str | None, TextSpan | None]
_NOBODY: _Party = (None, None)


@dataclass(frozen=True)
class _Line:
    """A line shaped like a turn: its label (title dropped), style and words."""

    label: TextSpan
    words: tuple[str, ...]
    style: str  # "capitals", "title" or "qa"
    start: int
    end: int


def find_turns(text: str, names: Sequence[NameCandidate], mentions: MentionIndex, direct: Sequence[QuoteCandidate]) -> list[QuoteCandidate]:
    """The transcript turns of ``text`` as direct quotes, in text order, without refs (numbered by the caller)."""
    speakers = _SpeakerIndex(names)
    shaped = list(_TURN_LINE.finditer(text))
    lines = [line for match in shaped if (line := _turn_line(match, speakers)) is not None]
    if not lines:
        return []
    asker, answerer = _interview_parties(text, mentions, lines)
    by_label: dict[tuple[str, ...], _Party] = {("Q",): asker, ("A",): answerer}
    resolved = [by_label[line.words] if line.style == "qa" else _speaker(line, speakers) for line in lines]
    kept = _conversations(lines, resolved)
    label_starts = [match.start("label") for match in shaped]
    turns = []
    for position, index in enumerate(kept):
        line = lines[index]
        next_start = lines[kept[position + 1]].label.start if position + 1 < len(kept) else None
        pieces = [(line.start, line.end), *_continuation(text, line.end, next_start, label_starts)]
        turns.append(_candidate(text, pieces, *resolved[index]))
    return _not_quoted_already(text, turns, direct)


def speaker_labels(turns: Sequence[QuoteCandidate]) -> dict[str, list[TextSpan]]:
    """Each turn speaker's labels ("CHRIS WALLACE", "WALLACE"): mentions of them the name finder leaves out, as labels are no names to it."""
    labels: dict[str, list[TextSpan]] = {}
    for turn in turns:
        if turn.speaker is not None and turn.speaker_span is not None:
            labels.setdefault(turn.speaker, []).append(turn.speaker_span)
    return labels


def _turn_line(match: re.Match[str], speakers: _SpeakerIndex) -> _Line | None:
    """The turn a line shaped like one holds, or None when its label or words say it is something else."""
    words = match.group("label").split()
    if len(words) > 1 and words[0].rstrip(".").casefold() in NAME_TITLES:
        words = words[1:]
    style = _style(words)
    folded = " ".join(words).casefold().replace("’", "'")
    if style is None or folded in _NOT_SPEAKERS or folded in _PLACE_LABELS:
        return None
    if style == "title" and speakers.name_of(words) is None:
        return None  # capitalised words before a colon that the name finder did not take for a name
    if _is_headline(match.group("words")) or not any(char.isalpha() for char in match.group("words")):
        return None  # a heading, or a table row ("Hillary Clinton: 1,769.")
    label = TextSpan(match.start("label"), match.end("label"), match.group("label"))
    return _Line(label=label, words=tuple(words), style=style, start=match.start("words"), end=match.end("words"))


def _style(words: list[str]) -> str | None:
    """Which label style ``words`` have, or None when they are no speaker label."""
    if words in (["Q"], ["A"]):
        return "qa"
    if len(words) <= _MAX_CAPITALS_WORDS and all(word.isupper() and sum(c.isalpha() for c in word) > 1 for word in words):
        return "capitals"
    if len(words) <= _MAX_TITLE_CASE_WORDS and all(_is_title_case(word) for word in words):
        return "title"
    return None


def _is_title_case(word: str) -> bool:
    """A capitalised name word ("Lopez", "McCain", "Seitz-Wald") or an initial ("W.")."""
    return any(c.islower() for c in word) or (len(word) == 2 and word.endswith("."))


def _is_headline(words: str) -> bool:
    """Words in headline case ("Trump Is Trying To Campaign As A Healer"): a heading, not speech."""
    lettered = [word.lstrip("\"'“‘(") for word in words.split() if any(c.isalpha() for c in word)]
    capitalised = sum(word[:1].isupper() for word in lettered)
    return len(lettered) >= _HEADLINE_MIN_WORDS and capitalised >= _HEADLINE_SHARE * len(lettered)


class _SpeakerIndex:
    """The article's names by full name and by surname, case-folded, for matching labels ("WALLACE"), and the labels seen so far."""

    def __init__(self, names: Sequence[NameCandidate]) -> None:
        self._full: dict[str, NameCandidate] = {}
        self._surname: dict[str, NameCandidate] = {}
        self._labels: dict[str, str] = {}
        # The most mentioned name wins a shared surname ("Clinton").
        for name in sorted(names, key=lambda name: -len(name.mentions)):
            self._full.setdefault(name.name.casefold(), name)
            if name.kind in ("person", "other"):
                self._surname.setdefault(name.name.split()[-1].casefold(), name)

    def name_of(self, words: Sequence[str]) -> NameCandidate | None:
        """The name a label's words stand for: the full name, else the surname of a one-word label."""
        full = self._full.get(" ".join(words).casefold())
        if full is not None or len(words) > 1:
            return full
        return self._surname.get(words[0].casefold())

    def earlier_label(self, words: Sequence[str]) -> str | None:
        """The speaker of an earlier full label that a one-word label is the surname of ("TAPPER" after "JAKE TAPPER")."""
        return self._labels.get(words[0].casefold()) if len(words) == 1 else None

    def remember(self, words: Sequence[str], speaker: str) -> None:
        """Note a full label's speaker under its surname, for the one-word labels after it."""
        if len(words) > 1:
            self._labels.setdefault(words[-1].casefold(), speaker)


def _speaker(line: _Line, speakers: _SpeakerIndex) -> tuple[str | None, TextSpan | None]:
    """The speaker's name and the span naming it: the article's name for the label, else the label in normal case; Q has none.

    A full label is remembered by its surname, so that a later "TAPPER:" is
    the "JAKE TAPPER:" before it even when the prose never names him.
    """
    if line.style == "qa":
        return None, None
    name = speakers.name_of(line.words)
    # Named only in capitals ("MR. OKAFOR: ..." gives the name "OKAFOR") is as good as unnamed.
    named = name.name if name is not None and not name.name.isupper() else None
    spoken = speakers.earlier_label(line.words) or named or (" ".join(line.words).title() if line.style == "capitals" else " ".join(line.words))
    speakers.remember(line.words, spoken)
    return spoken, line.label


def _interview_parties(text: str, mentions: MentionIndex, lines: list[_Line]) -> tuple[_Party, _Party]:
    """Who asks and who answers, from the introduction before the first Q/A line.

    The answerer is the name after "interview with" or "interviewed", else the
    first person named who is not the asker. The asker is the name after
    "interviewed by", or the person heading the sentence of "X interviewed Y";
    else nobody: the outlet asks, unnamed.
    """
    intro_end = next((line.label.start for line in lines if line.style == "qa"), None)
    if intro_end is None:
        return _NOBODY, _NOBODY
    asker, _ = _named_after(_INTERVIEWER_CUE, text, mentions, intro_end)
    answerer, cue = _named_after(_INTERVIEWEE_CUE, text, mentions, intro_end)
    if cue is not None and asker == _NOBODY and cue.group().casefold().startswith("interviewed"):
        asker = _person_before(text, mentions, cue.start())  # "Jane Doe, a reporter, interviewed John Smith": Doe asks
    if answerer == _NOBODY:
        people = ((name.name, span) for span, name in mentions.within(0, intro_end) if name.kind == "person" and name.name != asker[0])
        answerer = next(people, _NOBODY)
    return asker, answerer


def _named_after(cue: re.Pattern[str], text: str, mentions: MentionIndex, end: int) -> tuple[_Party, re.Match[str] | None]:
    """The first name following ``cue`` closely, before ``end``, and that cue."""
    for match in cue.finditer(text, 0, end):
        named = next(mentions.within(match.end(), end), None)
        if named is not None and named[0].start - match.end() < _INTERVIEWEE_REACH:
            return (named[1].name, named[0]), match
    return _NOBODY, None


def _person_before(text: str, mentions: MentionIndex, position: int) -> _Party:
    """The first person named in the paragraph before ``position``: the subject of its sentence, as a rule."""
    paragraph_start = text.rfind("\n", 0, position) + 1
    person = next(((name.name, span) for span, name in mentions.within(paragraph_start, position) if name.kind == "person"), None)
    return person or _NOBODY


def _conversations(lines: list[_Line], resolved: list[tuple[str | None, TextSpan | None]]) -> list[int]:
    """Indexes of the lines whose label style has two lines or more, one speaker (or Q/A label) holding two."""
    by_style: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        by_style.setdefault(line.style, []).append(index)
    kept = []
    for indexes in by_style.values():
        voices = [resolved[i][0] or " ".join(lines[i].words) for i in indexes]
        if len(indexes) > 1 and len(set(voices)) < len(voices):
            kept.extend(indexes)
    return sorted(kept)


def _continuation(text: str, after: int, following: int | None, label_starts: list[int]) -> list[tuple[int, int]]:
    """The unlabelled paragraphs between a turn and the next one that carry it on.

    None after the last turn (prose resumes), none when the gap holds a quote
    mark or a line shaped like a turn that was refused ("Photo: ..."); the
    paragraphs stop at a question (an interviewer's, unlabelled) or a stage
    direction ("(BEGIN VIDEO CLIP)", "…").
    """
    if following is None or bisect.bisect_right(label_starts, after) < bisect.bisect_left(label_starts, following):
        return []
    gap_start, gap_end = strip_span(text, after, following)
    if gap_start >= gap_end or any(char in _QUOTE_MARKS for char in text[gap_start:gap_end]):
        return []
    pieces = []
    for start, end in paragraph_bounds(text[gap_start:gap_end]):
        paragraph = text[gap_start + start : gap_start + end]
        if paragraph.endswith("?") or paragraph.startswith(("(", "[")) or not any(char.isalpha() for char in paragraph):
            break
        pieces.append((gap_start + start, gap_start + end))
    return pieces


def _candidate(text: str, pieces: list[tuple[int, int]], speaker: str | None, span: TextSpan | None) -> QuoteCandidate:
    start, end = pieces[0][0], pieces[-1][1]
    fragments = tuple(TextSpan(s, e, text[s:e]) for s, e in pieces) if len(pieces) > 1 else ()
    return QuoteCandidate(
        ref="", start=start, end=end, text=text[start:end], fragments=fragments, cue=None, speaker=speaker, speaker_span=span, via=None, kind="direct"
    )


def _not_quoted_already(text: str, turns: list[QuoteCandidate], direct: Sequence[QuoteCandidate]) -> list[QuoteCandidate]:
    """The turns that no quote-mark quote holds or mostly covers; both lists are in text order, walked once."""
    kept, k = [], 0
    for turn in turns:
        while k < len(direct) and direct[k].end <= turn.start:
            k += 1
        words = max(1, len(turn.text.split()))
        covered = 0.0
        for j in range(k, len(direct)):  # not direct[k:]: a copy of the rest for every turn would make this quadratic
            quote = direct[j]
            if quote.start >= turn.end:
                break
            inside = text[max(turn.start, quote.start) : min(turn.end, quote.end)]
            covered = max(covered, len(inside.split()) / words)
        if covered < _ALREADY_QUOTED:
            kept.append(turn)
    return kept
