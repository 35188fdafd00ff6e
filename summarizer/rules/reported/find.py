"""Reported speech in a text: the sentences holding a cue, each read by the forms its cues open (the forms: see the package)."""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
from collections.abc import Sequence

from ..candidates import QuoteCandidate
from ..speakers import MentionIndex
from ..text import sentence_breaks, strip_span
from .content import Reported, crosses, distinct, is_content, with_kind
from .cues import ACT_CUE, CUE, FINDING_CUE, JUDGING_CUE, NAMING_CUE, QUESTION_CUE, SPEECH_NOUN, Cues
from .findings import finding
from .headlines import headline_speech
from .source_first import lead_in, naming, owned_speech, question, speech_act, with_quoted_words
from .sources import according_to
from .tags import tag_at_end, tag_inside

_QUOTED_SOON = re.compile(r"\s+(?:[^\s\"“”‘«']+\s+){0,8}?(?:[^\s\"“”‘«'—–]+[—–])?(?:[\"“‘«]|'')(?=\w)")
"""Quoted words soon after a judging cue, the mark after a space or a dash ("touted her record—“the longest ...”")."""


def find_reported(text: str, paragraphs: Sequence[tuple[int, int]], mentions: MentionIndex, direct: Sequence[QuoteCandidate]) -> list[Reported]:
    """Reported speech in every sentence of ``text``, in text order (see the package docstring)."""
    found: list[Reported] = []
    cues = Cues(text)
    near = _QuotesNear(direct)
    for start, end in paragraphs:
        found += [with_kind(text, r) for r in headline_speech(text, start, end, mentions) if is_content(text, r.start, r.end) and not crosses(r, direct)]
        if not cues.any_within(start, end):
            continue
        cuts = [start, *sentence_breaks(text, start, end), end]
        for a, b in zip(cuts, cuts[1:]):
            sentence = strip_span(text, a, b)
            if sentence[0] < sentence[1] and cues.any_within(*sentence):
                found.extend(_in_sentence(text, sentence, mentions, near.touching(*sentence), cues))
    return distinct(found)


class _QuotesNear:
    """Direct quotes in text order, cut down to those that may touch one sentence: what each sentence's checks read."""

    def __init__(self, direct: Sequence[QuoteCandidate]) -> None:
        self.direct = direct
        self.starts = [quote.start for quote in direct]
        self.reach = list(itertools.accumulate((quote.end for quote in direct), max))  # the furthest end up to each quote

    def touching(self, start: int, end: int) -> Sequence[QuoteCandidate]:
        """The quotes from the first that reaches ``start`` to the last that starts by ``end`` (a superset of those touching it)."""
        return self.direct[bisect.bisect_left(self.reach, start) : bisect.bisect_right(self.starts, end)]


def _in_sentence(text: str, sentence: tuple[int, int], mentions: MentionIndex, direct: Sequence[QuoteCandidate], cues: Cues) -> list[Reported]:
    start, end = sentence
    found: list[Reported | None] = []
    families = cues.families(start, end)
    if "speech" in families:
        inside = tag_inside(text, start, end, mentions, cues)
        if inside is not None and inside.pieces:
            return [with_kind(text, inside)] if not crosses(inside, direct) else []
        found.append(inside)  # none, or content closed by a tag that a participle goes on from ("..., X said, adding that ...")
        found += [*according_to(text, start, end, mentions), *tag_at_end(text, start, end, mentions, cues)]
        found += [lead_in(text, start, end, cue, mentions, direct) for cue in cues.matching(CUE, start, end)]
    if "naming" in families:
        found += [naming(text, start, end, cue, mentions, direct) for cue in cues.matching(NAMING_CUE, start, end)]
    if "judging" in families:
        found += [
            with_quoted_words(text, end, cue, _QUOTED_SOON.match(text, cue.end(), end), mentions, direct, start=start)
            for cue in cues.matching(JUDGING_CUE, start, end)
        ]
    if "question" in families:
        found += [question(text, start, end, cue, mentions, direct) for cue in cues.matching(QUESTION_CUE, start, end)]
    if "act" in families:
        found += [speech_act(text, start, end, cue, mentions, direct) for cue in cues.matching(ACT_CUE, start, end)]
    if "noun" in families:
        found += [owned_speech(text, start, end, speech_noun, mentions) for speech_noun in cues.matching(SPEECH_NOUN, start, end)]
    if "finding" in families:
        found += [finding(text, start, end, cue, mentions) for cue in cues.matching(FINDING_CUE, start, end)]
    whole = [_to_quote_end(r, direct) for r in found if r is not None]
    return [with_kind(text, r) for r in whole if is_content(text, r.start, r.end) and (r.nested or not crosses(r, direct))]


def _to_quote_end(reported: Reported, direct: Sequence[QuoteCandidate]) -> Reported:
    """Content that ends inside a quote it opened goes on to the quote's end (a sentence break inside the quote cut it)."""
    inside = next((q for q in direct if reported.start < q.start < reported.end < q.end), None)
    return dataclasses.replace(reported, end=inside.end) if inside and not reported.nested else reported
