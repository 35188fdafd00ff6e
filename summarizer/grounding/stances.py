"""Stances: holder and target linked to actors, evidence located; a stance naming a party the article never names is dropped."""

from __future__ import annotations

from collections.abc import Sequence

from ..rules import QuoteCandidate
from ..schema import Actor, Span, Stance, StanceAnswer
from .alignment import TextAligner, trim
from .linking import ActorLinker, is_named
from .passages import MIN_PASSAGE_WORDS, is_specific, locate_passage, short, span_of


def ground_stances(
    answers: Sequence[StanceAnswer], *, aligner: TextAligner, actors: Sequence[Actor], quotes: Sequence[QuoteCandidate], warnings: list[str]
) -> list[Stance]:
    """Stances with holder/target linked to actors and evidence located (or left empty, with a warning)."""
    if not answers:
        return []
    linker = ActorLinker.of(actors)
    stances: list[Stance] = []
    for answer in answers:
        evidence = _stance_evidence(answer.evidence, aligner=aligner, quotes=quotes, warnings=warnings) if answer.evidence and trim(answer.evidence) else None
        stance = Stance(
            holder=answer.holder,
            holder_id=linker.link(answer.holder),
            target=answer.target,
            target_id=linker.link(answer.target),
            polarity=answer.polarity,
            topic=answer.topic,
            evidence=evidence,
        )
        if stance not in stances:
            stances.append(stance)
    return stances


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
