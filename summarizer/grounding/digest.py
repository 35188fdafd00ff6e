"""The entry points: ground a whole answer, and list the problems in it worth a re-ask."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from ..rules import Evidence, FigureCandidate, QuoteCandidate
from ..schema import Actor, DigestAnswer, Figure, Quote, Stance
from .actors import ground_actors
from .alignment import TextAligner, trim
from .figures import ground_figures, locate_figure
from .linking import name_key
from .passages import MIN_PASSAGE_WORDS, is_specific, locate_passage, per_article, short
from .quotes import ground_quotes
from .stances import ground_stances, parties_named


@dataclass
class GroundedDigest:
    """The grounded items of one article and what grounding dropped or repaired."""

    actors: list[Actor]
    quotes: list[Quote]
    figures: list[Figure]
    stances: list[Stance]
    warnings: list[str]


@dataclass(frozen=True)
class AnswerOrigins:
    """Where each of an answer's quotes and figures was read: the start of the part of the article
    (a long article's chunk) the model was shown, by position in the answer's lists.

    Each item is placed at or after its origin, so a quote the article repeats lands on the
    occurrence in the part it was read in, and one read twice in two overlapping parts lands
    on the same span twice (then removed as a duplicate).
    """

    quotes: Sequence[int] = ()
    figures: Sequence[int] = ()


def ground(
    answer: DigestAnswer,
    *,
    text: str,
    evidence: Evidence,
    lenient: bool = False,
    aligner: TextAligner | None = None,
    origins: AnswerOrigins | None = None,
) -> GroundedDigest:
    """Locate the model's answer in ``text`` and build the output items.

    Quotes, figures, mentions and stance evidence get offsets into ``text``;
    speakers, holders, targets and affiliations get actor ids; rule-found
    quotes, figures and names the model left out are added (``extracted_by=
    "rules"``), unless the model rejected them (``answer.rejected``). What cannot be found is dropped with a warning, or kept as
    ``unmatched`` when ``lenient``. Returns the items and the warnings.
    ``aligner``: the article's, when the caller has one already (it indexes
    the text's words once). ``origins``: where each item was read, for an
    answer merged from the chunks of a long article (none: the whole text).
    """
    aligner = aligner or TextAligner(text)
    origins = origins or AnswerOrigins()
    warnings: list[str] = []
    evidence = _without_rejected(evidence, answer.rejected)
    actors = ground_actors(answer.actors, aligner=aligner, evidence=evidence, lenient=lenient, warnings=warnings)
    quotes = ground_quotes(answer.quotes, aligner=aligner, evidence=evidence, actors=actors, lenient=lenient, warnings=warnings, origins=origins.quotes)
    figures = ground_figures(answer.figures, aligner=aligner, evidence=evidence, lenient=lenient, warnings=warnings, origins=origins.figures)
    stances = ground_stances(answer.stances, aligner=aligner, actors=actors, evidence=evidence, warnings=warnings)
    if not lenient:
        # A rule stance's parties are the article's own names (a capital stands for its country).
        stances = [stance for stance in stances if stance.extracted_by == "rules" or parties_named(stance, aligner, warnings)]
    return GroundedDigest(actors=actors, quotes=quotes, figures=figures, stances=stances, warnings=warnings)


def _without_rejected(evidence: Evidence, rejected: Sequence[str]) -> Evidence:
    """The rule evidence minus the candidates the model rejected: quotes and figures by number, names by name."""
    if not rejected:
        return evidence
    refs = {entry.strip().upper() for entry in rejected}
    names = {name_key(entry) for entry in rejected}
    return dataclasses.replace(
        evidence,
        quotes=tuple(q for q in evidence.quotes if q.ref not in refs),
        figures=tuple(f for f in evidence.figures if f.ref not in refs),
        names=tuple(n for n in evidence.names if n.ref not in refs and name_key(n.name) not in names),
        stances=tuple(s for s in evidence.stances if s.ref not in refs),
    )


def check_answer(answer: DigestAnswer, *, text: str, evidence: Evidence, aligner: TextAligner | None = None) -> list[str]:
    """Problems in the model's answer worth a re-ask, as sentences the model can act on.

    Covers quotes not in the article, figures whose digits do not occur, and
    refs that are not listed candidates. Returns an empty list when there is
    nothing to fix. ``aligner`` as for :func:`ground`.
    """
    aligner = aligner or TextAligner(text)
    quote_refs, figure_refs = _quote_refs(evidence.quotes), _figure_refs(evidence.figures)
    problems: list[str] = []
    for quote in answer.quotes:
        if quote.ref and quote.ref.strip().upper() not in quote_refs:
            problems.append(f"{quote.ref} is not a listed quote candidate; use a listed Q number or copy the quote's words.")
        elif not quote.ref and not trim(quote.text):
            problems.append("A quote has neither a ref nor text; give one or leave the quote out.")
        elif not quote.ref and not is_specific(quote.text, evidence.quotes):
            problems.append(f'The quote "{short(quote.text)}" is too short to locate; copy at least {MIN_PASSAGE_WORDS} words or use a listed Q number.')
        elif not quote.ref and locate_passage(aligner, quote.text) is None:
            problems.append(f'The quote "{short(quote.text)}" is not in the article; copy quotes word for word or leave them out.')
    for figure in answer.figures:
        if figure.ref and figure.ref.strip().upper() not in figure_refs:
            problems.append(f"{figure.ref} is not a listed figure candidate; use a listed F number or copy the figure as written.")
        elif not figure.ref and locate_figure(aligner, figure.text, evidence.figures, after=0) is None:
            problems.append(f'The figure "{short(figure.text)}" does not occur in the article; copy figures as written or leave them out.')
    return list(dict.fromkeys(problems))


# Each chunk of a long article is checked against the whole article's candidates: their numbers are gathered once.


@per_article
def _quote_refs(candidates: Sequence[QuoteCandidate]) -> frozenset[str]:
    return frozenset(c.ref for c in candidates)


@per_article
def _figure_refs(candidates: Sequence[FigureCandidate]) -> frozenset[str]:
    return frozenset(c.ref for c in candidates)
