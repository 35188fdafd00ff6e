"""Figures: the model's figures placed on whole numbers and re-read from the article, rule-found figures added.

A figure aligns to whole numbers only ("1" is not in "21" or "1.5"), prefers
the rule figure with its number, and is dropped when it only occurs in a date,
a year, another number, or as a tiny number with no unit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from ..rules import Evidence, FigureCandidate, digits_of, parse_figure
from ..schema import Figure, FigureAnswer, FigureKind
from .alignment import TextAligner, normalise, trim
from .passages import SpanIndex, model_wording, per_article, short

_NUMBER = re.compile(r"\d+(?:[,.\u00a0\u202f']\d+)*")
_VALUE_TOLERANCE = 0.01
"""Relative difference between the model's value and the article's that counts as rounding."""

# A whole number is not glued to another digit (also across a decimal point or
# thousands separator) nor to a letter: "1" is not in "21", "1.5", "IE6", "COVID-19".
_GLUED_BEFORE = re.compile(r"(?:\d[,.\u00a0\u202f']?|[^\W\d_]-?)\Z")
_GLUED_AFTER = re.compile(r"[,.\u00a0\u202f']?\d|[^\W\d_]")
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATE_BEFORE = re.compile(rf"\b{_MONTH}[ \u00a0]+(?:\d{{1,2}}(?:st|nd|rd|th)?,?[ \u00a0]+)?\Z")  # "August 21", "August 21, 2015"
_DATE_AFTER = re.compile(rf"(?:st|nd|rd|th)?[ \u00a0]+(?:of[ \u00a0]+)?{_MONTH}\b|:\d|/\d")  # "21 August", "3:30", "21/8"
_DATE_REACH = 20
_TINY = 10
"""A model figure below this, with no unit or counted noun after it in the article, is noise ("1", "5")."""
_FIGURE_REACH = 60  # characters read after a number for its unit or counted noun


def _is_whole_number(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` starts and ends at the edges of whole numbers (or of words)."""
    glued_before = text[start : start + 1].isdigit() and _GLUED_BEFORE.search(text, max(0, start - 2), start)
    glued_after = text[end - 1 : end].isdigit() and _GLUED_AFTER.match(text, end)
    return not (glued_before or glued_after)


def _is_figure_spot(text: str, start: int, end: int) -> bool:
    """Whether a number the rules did not list can still be a model's figure there.

    Not when it is part of a date, year or clock time, nor when it is a tiny
    number with no unit or counted noun in the article ("1", "5").
    """
    number = _NUMBER.search(text, start, end)
    if number is None:
        return True  # a number word ("six"): nothing to judge it by
    if _DATE_BEFORE.search(text, max(0, number.start() - _DATE_REACH), number.start()) or _DATE_AFTER.match(text, number.end()):
        return False
    digits = digits_of(number.group())
    if len(digits) == 4 and 1900 <= int(digits) <= 2099 and number.group().isdigit():
        return False  # a year
    parsed = parse_figure(text[number.start() : number.start() + _FIGURE_REACH].split("\n", 1)[0])
    bare = parsed is None or (parsed.unit is None and parsed.kind not in ("money", "percent"))
    return not (bare and parsed is not None and parsed.value is not None and parsed.value < _TINY)


@dataclass(frozen=True)
class _FigurePlace:
    start: int
    end: int
    status: Literal["exact", "fuzzy"]
    candidate: FigureCandidate | None


def _first_after(spans: Sequence[_FigurePlace], after: int) -> _FigurePlace | None:
    # A repeat of the same figure takes the next occurrence; else the first one (a duplicate, removed later).
    return next((p for p in spans if p.start >= after), spans[0]) if spans else None


def locate_figure(aligner: TextAligner, written: str, candidates: Sequence[FigureCandidate], *, after: int) -> _FigurePlace | None:
    """Where a model's figure is, in order of preference, or None.

    1. its text (whole numbers only) inside a rule figure: the rule figure's
       span, which also knows the hedge ("approximately") the span leaves out;
    2. a rule figure with the same digits ("fuzzy");
    3. its text elsewhere, unless there it is part of a date or year or is a
       tiny number without a unit (see ``_is_figure_spot``);
    4. a whole number with the same digits, under the same conditions ("fuzzy").
    """
    text = aligner.text
    index = _figure_index(candidates)
    hits = [h for h in aligner.find_all(written) if _is_whole_number(text, h.start, h.end)] if trim(written) else []
    in_rule = []
    for hit in hits:
        inside = index.by_position.overlapping(hit.start, hit.end)
        if len(inside) == 1:
            in_rule.append(_FigurePlace(inside[0].match.start, inside[0].match.end, "exact", inside[0]))
    digits = digits_of(written)
    same = [_FigurePlace(c.match.start, c.match.end, "fuzzy", c) for c in index.by_digits.get(digits, ())] if digits else []
    free = [_FigurePlace(h.start, h.end, "exact", None) for h in hits if _is_figure_spot(text, h.start, h.end)]
    return _first_after(in_rule, after) or _first_after(same, after) or _first_after(free, after) or _number_with_digits(text, digits, after=after)


@dataclass(frozen=True)
class _FigureIndex:
    """An article's rule figures by position and by digits (in the evidence's order)."""

    by_position: SpanIndex[FigureCandidate]
    by_digits: dict[str, list[FigureCandidate]]


@per_article
def _figure_index(candidates: Sequence[FigureCandidate]) -> _FigureIndex:
    by_digits: dict[str, list[FigureCandidate]] = {}
    for candidate in candidates:
        by_digits.setdefault(digits_of(candidate.match.text), []).append(candidate)
    return _FigureIndex(SpanIndex(candidates, span=lambda c: (c.match.start, c.match.end)), by_digits)


def _number_with_digits(text: str, digits: str, *, after: int) -> _FigurePlace | None:
    if not digits:
        return None
    numbers = [
        _FigurePlace(m.start(), m.end(), "fuzzy", None)
        for m in _NUMBER.finditer(text)
        if digits_of(m.group()) == digits and _is_whole_number(text, m.start(), m.end()) and _is_figure_spot(text, m.start(), m.end())
    ]
    return _first_after(numbers, after)


def ground_figures(
    answers: Sequence[FigureAnswer], *, aligner: TextAligner, evidence: Evidence, lenient: bool, warnings: list[str], origins: Sequence[int] = ()
) -> list[Figure]:
    """The model's figures placed and re-read from the article, then the rule-found figures it left out.

    ``origins``: for each answer, where the part of the article it was read in starts (none: 0).
    """
    by_ref = {c.ref: c for c in evidence.figures}
    figures: list[Figure] = []
    last_end: dict[tuple[str, int], int] = {}  # a repeat of the same figure read in the same part takes the next occurrence
    seen: set[object] = set()
    duplicates = 0
    for index, answer in enumerate(answers):
        origin = origins[index] if index < len(origins) else 0
        candidate = by_ref.get((answer.ref or "").strip().upper())
        if answer.ref and candidate is None:
            warnings.append(f"Figure ref {answer.ref} is not a listed candidate; " + ("its text was used." if trim(answer.text) else "dropped."))
        if candidate is None and not trim(answer.text):
            continue
        key = (normalise(trim(answer.text)), origin)
        place = (
            _FigurePlace(candidate.match.start, candidate.match.end, "exact", candidate)
            if candidate
            else locate_figure(aligner, answer.text, evidence.figures, after=last_end.get(key, origin))
        )
        identity = (place.start, place.end) if place else key[0]
        if identity in seen:
            duplicates += 1
            continue
        seen.add(identity)
        if place is not None:
            last_end[key] = place.end
            figures.append(_placed_figure(answer, place, aligner.text, warnings))
            continue
        warnings.append(
            f'Figure not found in the article ({_unplaced_reason(answer.text, aligner.text)}), {"kept as unmatched" if lenient else "dropped"}: "{short(answer.text)}"'
        )
        if lenient:
            figures.append(_unmatched_figure(answer))
    if duplicates:
        warnings.append(f"Removed {duplicates} duplicate figure{'s' if duplicates > 1 else ''} (same text or span).")
    figures.extend(_rule_figures(evidence.figures, figures, aligner.text))
    figures.sort(key=lambda f: f.start if f.start is not None else len(aligner.text))
    return [f.model_copy(update={"id": f"f{n}"}) for n, f in enumerate(figures, start=1)]


def _unplaced_reason(written: str, text: str) -> str:
    digits = digits_of(written)
    if digits and digits in digits_of(text):
        return "its digits occur only in a date, a year, another number or as a bare tiny number"
    return "its digits do not occur"


def _placed_figure(answer: FigureAnswer, place: _FigurePlace, text: str, warnings: list[str]) -> Figure:
    """A figure at ``place``; its value, unit, kind and hedge come from the article's wording."""
    written = text[place.start : place.end]
    parsed = place.candidate.match.figure if place.candidate else parse_figure(written)
    if parsed is None:
        return _unmatched_figure(answer).model_copy(
            update={"text": written, "start": place.start, "end": place.end, "grounding": place.status, "model_text": model_wording(answer.text, written)}
        )
    if answer.value is not None and parsed.value is not None and not _close(answer.value, parsed.value):
        warnings.append(f'Figure "{written}": the model gave {answer.value:g}, the article says {parsed.value:g}; the article\'s value is kept.')
    return Figure(
        id="",
        text=written,
        value=parsed.value,
        unit=parsed.unit,
        kind=_figure_kind(parsed.kind),
        approximate=parsed.approximate,
        describes=answer.describes.strip(),
        start=place.start,
        end=place.end,
        grounding=place.status,
        model_text=model_wording(answer.text, written),
    )


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= _VALUE_TOLERANCE * max(abs(a), abs(b))


def _figure_kind(kind: str) -> FigureKind:
    return kind if kind in get_args(FigureKind) else "other"  # type: ignore[return-value]


def _unmatched_figure(answer: FigureAnswer) -> Figure:
    return Figure(
        id="",
        text=trim(answer.text),
        value=answer.value,
        unit=answer.unit,
        kind=answer.kind,
        approximate=answer.approximate,
        describes=answer.describes.strip(),
        grounding="unmatched",
    )


def _rule_figures(candidates: Sequence[FigureCandidate], figures: Sequence[Figure], text: str) -> list[Figure]:
    taken = SpanIndex(((f.start, f.end) for f in figures if f.start is not None and f.end is not None), span=lambda span: span)
    return [
        Figure(
            id="",
            text=text[c.match.start : c.match.end],
            value=c.match.figure.value,
            unit=c.match.figure.unit,
            kind=_figure_kind(c.match.figure.kind),
            approximate=c.match.figure.approximate,
            start=c.match.start,
            end=c.match.end,
            grounding="exact",
            extracted_by="rules",
        )
        for c in candidates
        if not taken.overlapping(c.match.start, c.match.end)
    ]
