"""Headlines in Title Case that report speech: ``SOURCE Says CONTENT`` ("Trump Says He’s Unlikely To Meet Cameron") and
``PERSON: CONTENT`` ("Lee: Bridge Plan Is ‘A Disaster For Toledo’").

A headline capitalises its verb, so the lower-case cues of the other forms miss it; and a headline is no sentence, so its
content runs to the line's end. Only a line short enough to be a headline and written in Title Case is read, and only
when a name or a source noun ends the words before the cue: "Election Night Says A Lot About Us" names no one.
"""

from __future__ import annotations

import re

from ..speakers import Attribution, MentionIndex, may_be_person, noun_source, resolve_speaker
from ..text import is_title_case, strip_span
from .content import Reported, content_span

MAX_HEADLINE_CHARS = 200
_HEADLINE_CUE = re.compile(
    r"[^\S\n]+(?P<cue>Says|Said|Tells|Told|Warns|Warned|Claims|Claimed|Admits|Admitted|Insists|Insisted|Argues|Argued|Suggests|Predicts|"
    r"Declares|Vows)[^\S\n]+(?!(?:No|Yes|Goodbye|Farewell|Hello|Thanks|Sorry)\b)(?=\S)"
)
"""A capitalised cue taking a clause (not "Explains The Plan", "Denies Report"), and not "Says No To ..."."""
_SOURCE_WORDS = 6  # "Former Clinton Pollster Douglas Schoen": longer is no source but a clause


def headline_speech(text: str, start: int, end: int, mentions: MentionIndex) -> list[Reported]:
    """The reported speech of each headline line of the paragraph ``text[start:end]``."""
    found: list[Reported] = []
    if end - start > MAX_HEADLINE_CHARS and text.find("\n", start, end) < 0:
        return found  # one line longer than a headline: prose, not read (most paragraphs)
    for cue in _HEADLINE_CUE.finditer(text, start, end):
        line = _line_around(text, cue, start, end)
        if line is None or not is_title_case(text[line[0] : line[1]]):
            continue
        line_start, line_end = line
        source = strip_span(text, line_start, cue.start())
        attribution = _source(text, source, cue.group("cue").lower(), mentions)
        reported = content_span(text, cue.end(), line_end, attribution) if attribution is not None else None
        if reported is not None:
            found.append(reported)
    if text.find(":", start, end) >= 0:  # rare: the cheap test first
        found += _colon_headlines(text, start, end, mentions)
    return found


_COLON_SOURCE = re.compile(r"^[^\S\n]*(?P<source>[^:\n]{2,60}?):[^\S\n]+(?=\S)", re.MULTILINE)


def _colon_headlines(text: str, start: int, end: int, mentions: MentionIndex) -> list[Reported]:
    """``PERSON: CONTENT`` lines in Title Case: a person's name, and nothing else, before the colon ("Lee: Bridge Plan
    Is ‘A Disaster’"); not a label ("UPDATE:", "Photo:") nor a place ("Washington:")."""
    found = []
    for line in _COLON_SOURCE.finditer(text, start, end):
        line_end = text.find("\n", line.end(), end)
        line_end = end if line_end < 0 else line_end
        if line_end - line.start() > MAX_HEADLINE_CHARS or not is_title_case(text[line.start() : line_end]):
            continue
        source = strip_span(text, *line.span("source"))
        named = next(mentions.within(*source), None)
        if named is None or (named[0].start, named[0].end) != source or not may_be_person(text, *named):
            continue
        attribution = resolve_speaker(text, ":", named, None, mentions, before=named[0].start, window=source)
        reported = content_span(text, line.end(), line_end, attribution)
        if reported is not None:
            found.append(reported)
    return found


def _line_around(text: str, cue: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
    """The line holding ``cue`` inside ``[start, end)``, or None when it is longer than a headline: looked for no further than
    that either side, so a page-long line of cues costs no more than a short one."""
    reach = max(start, cue.start() - MAX_HEADLINE_CHARS)
    line_start = text.rfind("\n", reach, cue.start()) + 1
    if line_start == 0:
        if reach > start:
            return None
        line_start = start
    limit = min(end, line_start + MAX_HEADLINE_CHARS + 1)
    line_end = text.find("\n", cue.end(), limit)
    if line_end < 0:
        if limit < end:
            return None
        line_end = end
    return line_start, line_end


def _source(text: str, source: tuple[int, int], verb: str, mentions: MentionIndex) -> Attribution | None:
    """Who a headline says spoke: the name ending the words before its cue, else a source noun ("Pollster"), else no one."""
    if not 0 < len(text[source[0] : source[1]].split()) <= _SOURCE_WORDS:
        return None
    named = mentions.before(source[1], accept=lambda span, _: span.end == source[1], min_end=source[1])
    if named is not None and named[0].start >= source[0]:
        return resolve_speaker(text, verb, named, None, mentions, before=named[0].start, window=source)
    return noun_source(text, *source, verb, mentions)
