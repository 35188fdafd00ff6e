"""Quotes: the model's quotes placed in the article, speakers settled, rule-found quotes added.

* the model's span is the quote, when it is found: a longer rule passage
  around it becomes its ``context`` (and lends it speaker, cue and outlet when
  the model gives none), never its text. The rule passage itself is listed
  too unless the model's quotes with its speaker cover most of it
  (:data:`_ADOPT_SHARE`); a model quote inside it with another speaker is
  nested attribution: "IRNA said the leader has said X" gives IRNA's quote and
  the leader's X, ``via`` IRNA;
* a ``direct`` quote found in the narration (not overlapping a rule quote, no
  quote mark inside it or at its edges) is kept as ``indirect``: the article
  reports the words but does not quote them;
* a speaker the article never names gives way to the overlapping rule quote's
  speaker (a warning names the invented one); no speaker takes it too.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..rules import Evidence, QuoteCandidate
from ..schema import Actor, ExtractedBy, Quote, QuoteAnswer, QuoteKind, Span
from .alignment import TextAligner, normalise, trim, word_count
from .linking import ActorLinker, is_named
from .passages import (
    EDGE_PUNCTUATION,
    MIN_PASSAGE_WORDS,
    QUOTE_MARKS,
    Located,
    SpanIndex,
    backed_or,
    is_specific,
    locate_passage,
    model_wording,
    overlaps,
    short,
    span_of,
    window,
    words_occur,
)


@dataclass
class _QuoteDraft:
    located: Located | None
    speaker: str | None
    kind: QuoteKind
    cue: str | None
    via: str | None
    model_text: str | None
    extracted_by: ExtractedBy = "model"
    rule_speaker: str | None = None  # the rule quote's speaker: the fallback for an unnamed one
    rule_cue: str | None = None  # the rule quote's cue and outlet: the fallbacks for ones the article lacks
    rule_via: str | None = None
    too_short: bool = False
    candidate: QuoteCandidate | None = None  # the rule quote this is, or lies in (then its context)
    answer: QuoteAnswer | None = None  # the model's answer it was placed from (None: a rule quote)


_ADOPT_SHARE = 0.5
"""A rule quote is left out when the model's quotes inside it, with its speaker
(or none), cover at least this share of its words: they say what it says."""

_QUOTE_EDGE = 3  # characters looked at around a passage for its quote marks
_PASSAGE_MARKS = frozenset('"“”„‟«»「」『』')  # marks that, inside a passage, show it is quoted (not apostrophes)


def _candidate_located(candidate: QuoteCandidate, status: Literal["exact", "fuzzy"] = "exact") -> Located:
    fragments = tuple((f.start, f.end) for f in candidate.fragments) or ((candidate.start, candidate.end),)
    return Located(fragments, status)


def _sole_overlap(located: Located, candidates: SpanIndex[QuoteCandidate]) -> QuoteCandidate | None:
    """The one candidate the found span overlaps (several: the model joined quotes; keep its span)."""
    hits = candidates.overlapping(located.start, located.end)
    return hits[0] if len(hits) == 1 else None


def _container(located: Located, candidates: SpanIndex[QuoteCandidate]) -> QuoteCandidate | None:
    """The rule quote whose span holds the found passage, if one does."""
    return next((c for c in candidates.overlapping(located.start, located.end) if c.start <= located.start and located.end <= c.end), None)


def _same_words(located: Located, candidate: QuoteCandidate, text: str) -> bool:
    """Whether a found passage says all of a rule quote (its span may differ by marks or edge punctuation)."""
    inside = sum(word_count(text[max(a, candidate.start) : min(b, candidate.end)]) for a, b in located.fragments)
    return inside == word_count(text[candidate.start : candidate.end]) or located.fragments == _candidate_located(candidate).fragments


def _covered_words(drafts: Sequence[_QuoteDraft], candidate: QuoteCandidate, text: str) -> int:
    pieces = _candidate_located(candidate).fragments
    return sum(
        word_count(text[max(a, c) : min(b, d)])
        for draft in drafts
        if draft.located
        for a, b in draft.located.fragments
        for c, d in pieces
        if overlaps(a, b, c, d)
    )


def _in_quote_marks(located: Located, text: str, candidates: SpanIndex[QuoteCandidate]) -> bool:
    """Whether a passage is quoted: it overlaps a rule quote, holds a quote mark, or a mark sits at its edge."""
    if candidates.overlapping(located.start, located.end):
        return True
    if any(c in _PASSAGE_MARKS for c in text[located.start : located.end]):
        return True
    before = text[max(0, located.start - _QUOTE_EDGE) : located.start].rstrip()
    after = text[located.end : located.end + _QUOTE_EDGE].lstrip(EDGE_PUNCTUATION)
    return bool(before and before[-1] in QUOTE_MARKS) or bool(after and after[0] in QUOTE_MARKS)


def _enclosed_in_marks(located: Located, text: str) -> bool:
    """Whether a passage is a whole quoted phrase: a quote mark right before it and right after it (past closing punctuation)."""
    before = text[max(0, located.start - _QUOTE_EDGE) : located.start].rstrip()
    after = text[located.end : located.end + _QUOTE_EDGE].lstrip(EDGE_PUNCTUATION)
    return bool(before and before[-1] in QUOTE_MARKS and after and after[0] in QUOTE_MARKS)


class _QuotePlacer:
    """Places the model's quotes one by one; a repeated quote takes the next occurrence."""

    def __init__(self, aligner: TextAligner, evidence: Evidence, mentions: dict[str, list[int]], linker: ActorLinker) -> None:
        self.aligner, self.mentions, self.linker = aligner, mentions, linker
        self.candidates = evidence.quotes
        self.by_position = SpanIndex(evidence.quotes, span=lambda c: (c.start, c.end))
        self.by_ref = {c.ref: c for c in evidence.quotes}
        self.last_end: dict[tuple[str, int], int] = {}

    def place(self, answer: QuoteAnswer, warnings: list[str], *, origin: int = 0) -> _QuoteDraft | None:
        """A draft for the answer (``located`` None when not found or too short), or None when it has nothing to place.

        ``origin``: where the part of the article the answer was read in starts (see ``ground``).
        """
        candidate = self.by_ref.get((answer.ref or "").strip().upper())
        if answer.ref and candidate is None:
            warnings.append(f"Quote ref {answer.ref} is not a listed candidate; " + ("its text was used." if trim(answer.text) else "dropped."))
        text = self.aligner.text
        too_short = False
        if candidate is not None:
            located: Located | None = _candidate_located(candidate)
        elif not trim(answer.text):
            return None
        else:
            located = self._locate(answer, origin)
            if located is not None and not is_specific(answer.text, self.candidates) and not _enclosed_in_marks(located, text):
                located, too_short = None, True  # two words found anywhere prove nothing; a whole quoted phrase does
            candidate = _container(located, self.by_position) if located else None
            if candidate is not None and located is not None and _same_words(located, candidate, text):
                located = _candidate_located(candidate, located.status)
        speaker = answer.speaker.strip() if answer.speaker and answer.speaker.strip() else None
        nested = candidate is not None and speaker is not None and candidate.speaker is not None and not _same_voice(speaker, candidate.speaker, self.linker)
        kind = answer.kind
        if kind == "direct" and located and not _in_quote_marks(located, text, self.by_position):
            kind = "indirect"  # words of the narration: reported, not quoted
        rule_cue = candidate.cue if candidate and not nested else None
        rule_via = candidate.speaker if nested and candidate else candidate.via if candidate else None
        return _QuoteDraft(
            located=located,
            speaker=speaker,
            kind=kind,
            cue=answer.cue or rule_cue,
            via=answer.via or rule_via,
            model_text=model_wording(answer.text, text[located.start : located.end] if located else "") if answer.text else None,
            rule_speaker=candidate.speaker if candidate else None,
            rule_cue=rule_cue,
            rule_via=rule_via,
            too_short=too_short,
            candidate=candidate,
            answer=answer,
        )

    def _locate(self, answer: QuoteAnswer, origin: int) -> Located | None:
        # A repeat of the same words read in the same part takes the next occurrence.
        key = (normalise(trim(answer.text)), origin)
        after = self.last_end.get(key, origin)
        speaker_id = self.linker.link(answer.speaker)
        located = locate_passage(self.aligner, answer.text, after=after, near=self._speaker_near(speaker_id, after))
        if located is None and after:
            located = locate_passage(self.aligner, answer.text)
        if located is not None and speaker_id is not None:
            located = self._at_speakers_candidate(answer.text, speaker_id, located)
        if located is not None:
            self.last_end[key] = max(after, located.end)
        return located

    def _at_speakers_candidate(self, needle: str, speaker_id: str, located: Located) -> Located:
        """When the rules attribute another occurrence of the passage to the same speaker, that one."""
        current = _sole_overlap(located, self.by_position)
        if current is not None and self.linker.link(current.speaker) == speaker_id:
            return located
        for candidate in self.candidates:
            if candidate is current or self.linker.link(candidate.speaker) != speaker_id:
                continue
            inside = locate_passage(self.aligner, needle, after=candidate.start)
            if inside is not None and overlaps(inside.start, inside.end, candidate.start, candidate.end):
                return inside
        return located

    def _speaker_near(self, speaker_id: str | None, after: int) -> int | None:
        # Among repeated occurrences, prefer the one nearest the speaker's next mention.
        starts = self.mentions.get(speaker_id or "", [])
        k = bisect.bisect_left(starts, after)
        return starts[k] if k < len(starts) else None


def ground_quotes(
    answers: Sequence[QuoteAnswer],
    *,
    aligner: TextAligner,
    evidence: Evidence,
    actors: Sequence[Actor],
    lenient: bool,
    warnings: list[str],
    origins: Sequence[int] = (),
) -> list[Quote]:
    """The model's quotes placed in the article, then the rule-found quotes it left out.

    ``origins``: for each answer, where the part of the article it was read in starts (none: 0).
    """
    linker = ActorLinker.of(actors)
    placer = _QuotePlacer(aligner, evidence, {a.id: [m.start for m in a.mentions] for a in actors}, linker)
    drafts: list[_QuoteDraft] = []
    seen: set[object] = set()
    duplicates = 0
    for index, answer in enumerate(answers):
        draft = placer.place(answer, warnings, origin=origins[index] if index < len(origins) else 0)
        if draft is None:
            continue
        identity = draft.located.fragments if draft.located else normalise(trim(answer.text))
        if identity in seen:
            duplicates += 1
            continue
        seen.add(identity)
        if draft.located is None:
            fate = "kept as unmatched" if lenient else "dropped"
            if draft.too_short:
                warnings.append(f'Quote too short to locate (fewer than {MIN_PASSAGE_WORDS} words, not a listed candidate), {fate}: "{short(answer.text)}"')
            else:
                warnings.append(f'Quote not found in the article, {fate}: "{short(answer.text)}"')
            if not lenient:
                continue
        draft.speaker = _settled_speaker(draft, aligner=aligner, linker=linker, lenient=lenient, warnings=warnings)
        _check_cue_and_via(draft, aligner=aligner, linker=linker, warnings=warnings)
        drafts.append(draft)
    kept = _without_repeats(drafts, linker, placer)
    duplicates += len(drafts) - len(kept)
    if duplicates:
        warnings.append(
            f"Removed {duplicates} duplicate quote{'s' if duplicates > 1 else ''} (same text or span, or inside another quote of the same speaker)."
        )
    drafts = kept
    drafts.extend(_rule_quotes(evidence.quotes, drafts, aligner.text, linker))
    drafts.sort(key=lambda d: d.located.start if d.located else len(aligner.text))
    return [_as_quote(d, f"q{n}", aligner.text, linker) for n, d in enumerate(drafts, start=1)]


def _without_repeats(drafts: list[_QuoteDraft], linker: ActorLinker, placer: _QuotePlacer) -> list[_QuoteDraft]:
    """The drafts but those lying inside another one of the same speaker (or of none): the longer one says it.

    Such a repeat found by its words moves to their next occurrence past the
    longer quote when the article has one (a pull quote that repeats a passage
    of a longer quote). A part of a quote with another speaker stays: it is
    nested attribution ("IRNA said the leader has said X").
    """
    placed = SpanIndex((d for d in drafts if d.located), span=_draft_span)

    def holder(draft: _QuoteDraft, located: Located) -> _QuoteDraft | None:
        return next((outer for outer in placed.overlapping(located.start, located.end) if _holds(outer, draft, located, linker)), None)

    kept = []
    for draft in drafts:
        outer = holder(draft, draft.located) if draft.located else None
        if outer is None:
            kept.append(draft)
            continue
        moved = placer.place(draft.answer, [], origin=_draft_span(outer)[1]) if draft.answer and not draft.answer.ref else None
        if moved is not None and moved.located is not None and not placed.overlapping(moved.located.start, moved.located.end):
            moved.speaker = draft.speaker  # settled already
            kept.append(moved)
    return kept


def _draft_span(draft: _QuoteDraft) -> tuple[int, int]:
    return (draft.located.start, draft.located.end) if draft.located else (0, 0)


def _holds(outer: _QuoteDraft, draft: _QuoteDraft, located: Located, linker: ActorLinker) -> bool:
    """Whether ``outer`` strictly holds ``located`` and says it in the same voice (``draft`` has no speaker, or the same)."""
    around = outer.located
    if around is None or outer is draft or (around.start, around.end) == (located.start, located.end):
        return False
    same_voice = draft.speaker is None or _same_voice(draft.speaker, outer.speaker, linker)
    return around.start <= located.start and located.end <= around.end and same_voice


def _same_voice(a: str, b: str | None, linker: ActorLinker) -> bool:
    if b is None:
        return False
    linked = linker.link(a)
    return (linked is not None and linked == linker.link(b)) or normalise(a).casefold() == normalise(b).casefold()


def _settled_speaker(draft: _QuoteDraft, *, aligner: TextAligner, linker: ActorLinker, lenient: bool, warnings: list[str]) -> str | None:
    """The model's speaker when the article names them, else the overlapping rule quote's speaker.

    A speaker the article never names is replaced by the rules' one when there
    is one; without it, it is removed (kept when ``lenient``). No speaker from
    the model also takes the rules' one.
    """
    named, fallback = draft.speaker, draft.rule_speaker
    if named is None or is_named(named, linker.link(named), aligner):
        return named or fallback
    if fallback:
        warnings.append(f'Speaker "{short(named)}" is not named in the article; the rules\' speaker "{short(fallback)}" is used')
        return fallback
    if lenient:
        return named
    warnings.append(f'Speaker "{short(named)}" is not named in the article; the quote is kept without a speaker')
    return None


def _check_cue_and_via(draft: _QuoteDraft, *, aligner: TextAligner, linker: ActorLinker, warnings: list[str]) -> None:
    """The model's cue kept only when the article has it near the quote (anywhere, for a quote not found),
    its outlet only when the article names it; else the rule quote's, and a warning names the dropped one."""
    text, located = aligner.text, draft.located
    around, where = (window(text, located.fragments), "in the article near it") if located else (text, "in the article")
    of = f'of the quote "{short(text[located.start : located.end] if located else draft.model_text or "", 40)}"'
    if draft.cue != draft.rule_cue:
        draft.cue = backed_or(
            draft.cue, backed=words_occur(draft.cue or "", around), fallback=draft.rule_cue, what="Cue", of=of, warnings=warnings, where=where
        )
    if draft.via != draft.rule_via:
        backed = is_named(draft.via, linker.link(draft.via), aligner)
        draft.via = backed_or(draft.via, backed=backed, fallback=draft.rule_via, what="Source", of=of, warnings=warnings)


def _rule_quotes(candidates: Sequence[QuoteCandidate], drafts: Sequence[_QuoteDraft], text: str, linker: ActorLinker) -> list[_QuoteDraft]:
    """The rule quotes the model's quotes do not already say (see ``_ADOPT_SHARE``).

    A model quote holding a rule quote says it; model quotes inside it say it
    when, with its speaker or none, they cover most of its words.
    """
    placed = SpanIndex((d.located for d in drafts if d.located), span=lambda located: (located.start, located.end))
    inside_of: dict[int, list[_QuoteDraft]] = {}
    for draft in drafts:
        if draft.candidate is not None:
            inside_of.setdefault(id(draft.candidate), []).append(draft)
    kept = []
    for candidate in candidates:
        held = any(p.start <= candidate.start and candidate.end <= p.end for p in placed.overlapping(candidate.start, candidate.end))
        speaker_id = linker.link(candidate.speaker)
        inside = [d for d in inside_of.get(id(candidate), []) if d.speaker is None or speaker_id is None or linker.link(d.speaker) in (None, speaker_id)]
        total = word_count(text[candidate.start : candidate.end])
        if not held and _covered_words(inside, candidate, text) < _ADOPT_SHARE * total:
            kept.append(
                _QuoteDraft(
                    located=_candidate_located(candidate),
                    speaker=candidate.speaker,
                    kind=candidate.kind,
                    cue=candidate.cue,
                    via=candidate.via,
                    model_text=None,
                    extracted_by="rules",
                )
            )
    return kept


def _as_quote(draft: _QuoteDraft, quote_id: str, text: str, linker: ActorLinker) -> Quote:
    located = draft.located
    return Quote(
        id=quote_id,
        text=text[located.start : located.end] if located else draft.model_text or "",
        speaker=draft.speaker,
        speaker_id=linker.link(draft.speaker),
        kind=draft.kind,
        cue=draft.cue,
        via=draft.via,
        start=located.start if located else None,
        end=located.end if located else None,
        grounding=located.status if located else "unmatched",
        model_text=draft.model_text if located else None,
        fragments=[span_of(text, s, e) for s, e in located.fragments] if located and len(located.fragments) > 1 else [],
        context=_context(draft, text),
        extracted_by=draft.extracted_by,
    )


def _context(draft: _QuoteDraft, text: str) -> Span | None:
    """The rule passage around a model quote that is only part of it."""
    candidate, located = draft.candidate, draft.located
    if candidate is None or located is None or (located.start, located.end) == (candidate.start, candidate.end):
        return None
    return span_of(text, candidate.start, candidate.end)
