"""Evidence-first extraction: rule-found candidate spans, found before any model call.

Three kinds of candidate are found deterministically, each located by offsets:

* quotes (``Q1``, ``Q2``, ...): passages inside quote marks, with the speech cue,
  speaker and outlet that the surrounding words give away;
* figures (``F1``, ...): amounts found by :mod:`.figures`;
* names (``N1``, ...): runs of capitalised words, short forms merged into the
  longest form ("Khamenei" -> "Ayatollah Ali Khamenei"); captions, credits,
  titles, sentence-opening ordinary words, events and craft are left out.

The prompt shows them to the model as numbered references for it to label, and
when the model adds nothing (tiny model, failure, ``--no-llm``) the digest is
built from them alone. Everything here is a pure function of the text; it never
raises on odd input (unbalanced or stray quote marks included), and every span
satisfies ``text[start:end] == span.text``.

This module is the public entry point; the rules live below it, lowest first:
:mod:`.candidates` (the data types, re-exported here),
:mod:`.text` (paragraphs, sentences, front matter),
:mod:`.lexicon` (word lists), :mod:`.names` and
:mod:`.quotes` (which attributes quotes to the names found).
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .candidates import FigureCandidate, NameCandidate, QuoteCandidate, TextSpan
from .figures import find_figures
from .names import find_names
from .quotes import find_quotes
from .reported import Reported, find_reported
from .speakers import MentionIndex
from .stances import StanceCandidate, find_stances
from .text import body_sentences, paragraph_bounds
from .turns import find_turns, speaker_labels

__all__ = [
    "Evidence",
    "FigureCandidate",
    "NameCandidate",
    "QuoteCandidate",
    "StanceCandidate",
    "TextSpan",
    "find_evidence",
    "LEAD_SENTENCES",
    "lead_sentences",
    "lead_summary",
]


@dataclass(frozen=True)
class Evidence:
    """All rule-found candidates of one article."""

    quotes: tuple[QuoteCandidate, ...]
    figures: tuple[FigureCandidate, ...]
    names: tuple[NameCandidate, ...]
    stances: tuple[StanceCandidate, ...] = ()

    def ref(self, ref: str) -> QuoteCandidate | FigureCandidate | NameCandidate | StanceCandidate | None:
        """The candidate numbered ``ref`` ("Q3", "F1", "N2", "S1"), or ``None`` when there is none."""
        pools: dict[str, Sequence[QuoteCandidate | FigureCandidate | NameCandidate | StanceCandidate]]
        pools = {"Q": self.quotes, "F": self.figures, "N": self.names, "S": self.stances}
        wanted = ref.strip().upper()
        return next((candidate for candidate in pools.get(wanted[:1], ()) if candidate.ref == wanted), None)


def find_evidence(text: str) -> Evidence:
    """Find the quote, figure and name candidates of ``text``, numbered in text order."""
    paragraphs = paragraph_bounds(text)
    names = find_names(text)
    mentions = MentionIndex(names, text=text)
    direct = find_quotes(text, paragraphs, mentions)
    reported = find_reported(text, paragraphs, mentions, direct)
    turns = find_turns(text, names, mentions, direct)
    figures = tuple(FigureCandidate(ref=f"F{number}", match=match) for number, match in enumerate(find_figures(text), 1))
    quotes = _numbered(text, direct, reported, turns)
    stances = find_stances(text, paragraphs, mentions, quotes)
    return Evidence(quotes=quotes, figures=figures, names=_with_speakers(names, speaker_labels(turns)), stances=stances)


def _with_speakers(names: tuple[NameCandidate, ...], labels: dict[str, list[TextSpan]]) -> tuple[NameCandidate, ...]:
    """The names with the transcript speakers' labels as mentions; a speaker the names lack is a person. Numbered N1, N2, ... by first mention."""
    if not labels:
        return names
    known = [dataclasses.replace(name, mentions=_joined(name.mentions, labels.pop(name.name, []))) for name in names]
    new = [NameCandidate(ref="", name=speaker, kind="person", mentions=tuple(spans)) for speaker, spans in labels.items()]  # a transcript's speakers are people
    ordered = sorted([*known, *new], key=lambda name: name.mentions[0].start)
    return tuple(dataclasses.replace(name, ref=f"N{number}") for number, name in enumerate(ordered, 1))


def _joined(mentions: Sequence[TextSpan], labels: Sequence[TextSpan]) -> tuple[TextSpan, ...]:
    """A name's mentions and the labels that overlap none of them (a Title-Case label may be a found name already), in text order."""
    if not labels:
        return tuple(mentions)
    starts = [mention.start for mention in mentions]
    extra = []
    for label in labels:
        k = bisect.bisect_right(starts, label.start)
        overlaps = (k > 0 and mentions[k - 1].end > label.start) or (k < len(mentions) and mentions[k].start < label.end)
        if not overlaps:
            extra.append(label)
    return tuple(sorted([*mentions, *extra], key=lambda mention: mention.start))


LEAD_SENTENCES = 2
"""The lead summary's length: news puts what matters in its opening sentences."""

_SAID_ALREADY = 0.8
"""Reported content whose words are mostly one direct quote's is that quote, already found."""


def _numbered(text: str, direct: Sequence[QuoteCandidate], reported: Sequence[Reported], turns: Sequence[QuoteCandidate]) -> tuple[QuoteCandidate, ...]:
    """Direct quotes, reported speech and transcript turns together, numbered Q1, Q2, ... in text order.

    Reported speech inside a turn is kept: the turn is the speaker's words, the reported clause someone else's.
    """
    direct_ends = [q.end for q in direct]
    every = [
        QuoteCandidate(
            ref="",
            start=r.start,
            end=r.end,
            text=text[r.start : r.end],
            fragments=tuple(TextSpan(a, b, text[a:b]) for a, b in r.pieces),
            cue=r.attribution.cue,
            speaker=r.attribution.speaker,
            speaker_span=r.attribution.speaker_span,
            via=r.attribution.via,
            kind=r.kind,
        )
        for r in reported
    ]
    said_already = [not r.nested and _share_in_direct(text, r, direct, direct_ends) >= _SAID_ALREADY for r in reported]
    extra = [quote for quote, dropped in zip(every, said_already) if not dropped]
    # Reported content gives its speaker to the direct quote it holds, even when it is mostly that quote and dropped
    # ('calling the protester "a very rude man ..."'), or holds it in single marks ("Lee: Bridge Plan Is ‘A Disaster’")
    direct = _speakers_from_partial(direct, [quote for quote in every if quote.speaker])
    extra = _first_person_reports(text, extra, holders=sorted([q for q in [*direct, *turns] if q.speaker], key=lambda q: q.start))
    ordered = sorted([*direct, *extra, *turns], key=lambda q: (q.start, -q.end))
    return tuple(dataclasses.replace(quote, ref=f"Q{number}") for number, quote in enumerate(ordered, 1))


def _speakers_from_partial(direct: Sequence[QuoteCandidate], partial: Sequence[QuoteCandidate]) -> list[QuoteCandidate]:
    """Direct quotes without a speaker take that of a partial quote holding them ('X called it a "disaster"': X's word)."""
    partial = sorted(partial, key=lambda q: q.start)
    starts = [q.start for q in partial]
    widest: list[QuoteCandidate] = list(itertools.accumulate(partial, _further))  # up to each, the one reaching furthest
    kept = []
    for quote in direct:
        k = bisect.bisect_right(starts, quote.start)
        holder = widest[k - 1] if k and quote.speaker is None else None
        if holder is not None and holder.end >= quote.end:
            quote = dataclasses.replace(quote, cue=holder.cue, speaker=holder.speaker, speaker_span=holder.speaker_span, via=holder.via)
        kept.append(quote)
    return kept


_FIRST_PERSON_REACH = 40  # characters before reported content where "I said" / "I'm telling you" is looked for


def _first_person_reports(text: str, reported: list[QuoteCandidate], *, holders: Sequence[QuoteCandidate]) -> list[QuoteCandidate]:
    """Reported speech inside a quote, told in the first person ('"... and I said that he was in heaven"'), is the
    quote's speaker's: the holder's speaker and name mention go to it."""
    starts = [holder.start for holder in holders]
    kept = []
    for quote in reported:
        k = bisect.bisect_right(starts, quote.start)
        holder = holders[k - 1] if k and quote.speaker is None and quote.cue else None
        if holder is not None and quote.end <= holder.end and _told_in_first_person(text, quote, holder.start):
            quote = dataclasses.replace(quote, speaker=holder.speaker, speaker_span=holder.speaker_span, via=holder.via)
        kept.append(quote)
    return kept


def _told_in_first_person(text: str, quote: QuoteCandidate, floor: int) -> bool:
    """Whether "I" or "we" is the subject of the quote's cue, just before its content."""
    window = text[max(floor, quote.start - _FIRST_PERSON_REACH) : quote.start]
    cue = re.escape(quote.cue or "")
    return re.search(rf"\b(?:I|[Ww]e)\b[^.!?;]{{0,30}}?\b{cue}\b[^.!?;]*$", window) is not None


def _further(best: QuoteCandidate, quote: QuoteCandidate) -> QuoteCandidate:
    return quote if quote.end > best.end else best


def _share_in_direct(text: str, reported: Reported, direct: Sequence[QuoteCandidate], direct_ends: Sequence[int]) -> float:
    """The largest share of the reported content's words inside one direct quote (quotes are in text order; ``direct_ends`` their ends)."""
    k = max(0, bisect.bisect_left(direct_ends, reported.start))
    best = 0.0
    for index in range(k, len(direct)):  # not direct[k:] nor islice: each walks the quotes before k again
        quote = direct[index]
        if quote.start >= reported.end:
            break
        inside = text[max(reported.start, quote.start) : min(reported.end, quote.end)]
        best = max(best, len(inside.split()) / max(1, len(text[reported.start : reported.end].split())))
    return best


def lead_summary(text: str, *, title: str | None = None, max_sentences: int = LEAD_SENTENCES) -> str:
    """An extractive fallback summary: the first ``max_sentences`` body sentences.

    Headline (the paragraph equal to ``title``, or any paragraph without final
    punctuation), datelines and image captions are skipped. Returns ``""`` when
    the text has no body sentence.
    """
    return " ".join(" ".join(sentence.text.split()) for sentence in lead_sentences(text, title=title, max_sentences=max_sentences))


def lead_sentences(text: str, *, title: str | None = None, max_sentences: int = LEAD_SENTENCES) -> list[TextSpan]:
    """The first ``max_sentences`` body sentences, with offsets (what :func:`lead_summary` joins)."""
    return body_sentences(text, title=title)[:max_sentences]
