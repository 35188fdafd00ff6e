"""Stances: holder and target linked to actors, evidence located; a stance naming a party the article never names is dropped."""

from __future__ import annotations

from collections.abc import Sequence

from ..rules import Evidence, QuoteCandidate, StanceCandidate
from ..schema import Actor, ExtractedBy, Span, Stance, StanceAnswer
from .alignment import TextAligner, trim
from .linking import ActorLinker, is_named
from .passages import MIN_PASSAGE_WORDS, is_specific, locate_passage, short, span_of


def ground_stances(answers: Sequence[StanceAnswer], *, aligner: TextAligner, actors: Sequence[Actor], evidence: Evidence, warnings: list[str]) -> list[Stance]:
    """The model's stances (holder/target linked to actors, evidence located or left empty with a warning),
    then the rule-found stances the model did not give; a stance listed by number takes the candidate's evidence."""
    linker = ActorLinker.of(actors)
    by_ref = {c.ref: c for c in evidence.stances}
    stances: list[Stance] = []
    for answer in answers:
        candidate = by_ref.get((answer.ref or "").strip().upper())
        if candidate is not None:
            stances.append(_rule_stance(candidate, linker, extracted_by="model"))
            continue
        if not answer.holder.strip() or not answer.target.strip():
            warnings.append(f"Stance {answer.ref or ''} has no holder or target and is no listed candidate; dropped".replace("  ", " "))
            continue
        passage = answer.evidence
        located = _stance_evidence(passage, aligner=aligner, quotes=evidence.quotes, warnings=warnings) if passage and trim(passage) else None
        stance = Stance(
            holder=answer.holder,
            holder_id=linker.link(answer.holder),
            target=answer.target,
            target_id=linker.link(answer.target),
            polarity=answer.polarity,
            topic=answer.topic,
            evidence=located,
        )
        if stance not in stances:
            stances.append(stance)
    said = {(s.holder_id or s.holder, s.target_id or s.target, s.polarity) for s in stances}
    for candidate in evidence.stances:
        stance = _rule_stance(candidate, linker, extracted_by="rules")
        if (stance.holder_id or stance.holder, stance.target_id or stance.target, stance.polarity) not in said:
            stances.append(stance)
    return stances


def _rule_stance(candidate: StanceCandidate, linker: ActorLinker, *, extracted_by: ExtractedBy) -> Stance:
    span = candidate.evidence
    return Stance(
        holder=candidate.holder,
        holder_id=linker.link(candidate.holder) or linker.link(candidate.written[0]),
        target=candidate.target,
        target_id=linker.link(candidate.target) or linker.link(candidate.written[1]),
        polarity=candidate.polarity,
        evidence=Span(start=span.start, end=span.end, text=span.text),
        extracted_by=extracted_by,
    )


def _stance_evidence(passage: str, *, aligner: TextAligner, quotes: Sequence[QuoteCandidate], warnings: list[str]) -> Span | None:
    """The passage's span, or None (with a warning) when it is too short to ground or not in the article.

    Too short: fewer than ``MIN_PASSAGE_WORDS`` words and not a rule quote's own text.
    """
    if not is_specific(passage, quotes):
        warnings.append(f'Stance evidence too short to locate (fewer than {MIN_PASSAGE_WORDS} words), left empty: "{short(passage)}"')
        return None
    located = locate_passage(aligner, passage)
    if located is None:
        warnings.append(f'Stance evidence not found in the article, left empty: "{short(passage)}"')
        return None
    return span_of(aligner.text, located.start, located.end)


def parties_named(stance: Stance, aligner: TextAligner, warnings: list[str]) -> bool:
    """False (with a warning) for a stance whose holder or target the article never names."""
    if is_named(stance.holder, stance.holder_id, aligner) and is_named(stance.target, stance.target_id, aligner):
        return True
    warnings.append(f'Stance "{short(stance.holder)} {stance.polarity} {short(stance.target)}" names a party the article does not; dropped')
    return False
