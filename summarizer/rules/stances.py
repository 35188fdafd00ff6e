"""Stance candidates: who takes a side on whom, found in the words of the article.

Precise patterns rather than many guesses, each within one sentence:

* ``HOLDER [and HOLDER] [also|continues to|...] VERB TARGET`` with a verb of
  ``words/stance_verbs.tsv`` ("Doha continues to back Hamas", "the EU
  condemned Russia");
* ``HOLDERS ... [as] the main TARGET backers`` / ``TARGET's allies`` with a
  noun of ``words/stance_nouns.tsv``;
* a speaker characterising a target in their own words, quoted or reported
  (``words/characterisations.tsv``): 'Iran considers Doha a "friendly and
  brotherly country"', 'Iran says the US is the main obstacle'.

Holder and target are names the rules found; a capital stands for its
country ("Doha" -> Qatar, ``words/capitals.tsv``). A negated or hedged verb
("did not back", "may oppose", "would support") gives no stance: the rules
skip it rather than flip it. The evidence is the sentence.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..schema import Polarity
from .candidates import NameCandidate, QuoteCandidate, TextSpan
from .lexicon import CAPITALS, CHARACTERISATIONS, STANCE_NOUNS, STANCE_VERBS, word_alternation
from .speakers import MentionIndex
from .text import sentence_breaks, strip_span, text_span


@dataclass(frozen=True)
class StanceCandidate:
    """A stance the article states: ``holder`` ``polarity`` ``target``, shown by ``evidence`` (a span of the article)."""

    ref: str
    holder: str
    target: str
    polarity: Polarity
    evidence: TextSpan
    cue: str
    written: tuple[str, str] = ("", "")
    """Holder and target as the article names them ("Doha" for Qatar), when that differs."""


_ACTOR_KINDS = frozenset({"person", "organization", "country", "group"})
_VERB = re.compile(rf"(?<![\w’'-])(?P<verb>{word_alternation(STANCE_VERBS)})\b")
_NOUN = re.compile(rf"(?<![\w’'-])(?P<noun>{word_alternation(STANCE_NOUNS)})\b")
_CHARACTER = re.compile(rf"(?<![\w’'-])(?P<word>{word_alternation(CHARACTERISATIONS)})\b", re.IGNORECASE)
_BETWEEN_SUBJECT_AND_VERB = re.compile(
    r"(?:\s+(?:also|still|again|openly|publicly|strongly|firmly|fully|long|has|have|had|will|continues\s+to|continue\s+to|continued\s+to|vowed\s+to|pledged\s+to))*\s+$"
)
_NEGATION_OR_HEDGE = re.compile(r"\b(?:not|n[’']t|never|no\s+longer|may|might|could|would|should|reportedly|allegedly|if|unless|whether)\b", re.IGNORECASE)
_LIST_JOIN = re.compile(r"\s*(?:,|,?\s+and)\s*$")
_BEFORE_TARGET = re.compile(r"\s+(?:the\s+)?$")
_REACH = 60


def find_stances(text: str, paragraphs: Sequence[tuple[int, int]], mentions: MentionIndex, quotes: Sequence[QuoteCandidate]) -> tuple[StanceCandidate, ...]:
    """Stance candidates of ``text``, numbered S1, S2, ... in text order, without repeats."""
    found: list[StanceCandidate] = []
    for start, end in paragraphs:
        cuts = [start, *sentence_breaks(text, start, end), end]
        for a, b in zip(cuts, cuts[1:]):
            sentence = strip_span(text, a, b)
            if sentence[0] < sentence[1]:
                found += _by_verb(text, sentence, mentions) + _by_noun(text, sentence, mentions)
    found += _by_characterisation(text, quotes, mentions)
    distinct: dict[tuple[str, str, str], StanceCandidate] = {}
    for stance in sorted(found, key=lambda s: s.evidence.start):
        distinct.setdefault((stance.holder, stance.target, stance.polarity), stance)
    return tuple(_numbered(stance, n) for n, stance in enumerate(distinct.values(), 1))


def _numbered(stance: StanceCandidate, number: int) -> StanceCandidate:
    return dataclasses.replace(stance, ref=f"S{number}", written=(_WRITTEN.get(stance.holder, ""), _WRITTEN.get(stance.target, "")))


_WRITTEN = {country: capital for capital, country in CAPITALS.items()}


def _polarity(word: str) -> Polarity:
    return "opposes" if word == "opposes" else "supports"


def _party(name: NameCandidate) -> str | None:
    """The actor a name stands for in a stance: a capital is its country; places and things take no side."""
    if name.name in CAPITALS:
        return CAPITALS[name.name]
    return name.name if name.kind in _ACTOR_KINDS else None


def _by_verb(text: str, sentence: tuple[int, int], mentions: MentionIndex) -> list[StanceCandidate]:
    found = []
    for verb in _VERB.finditer(text, *sentence):
        between = _BETWEEN_SUBJECT_AND_VERB.search(text, max(sentence[0], verb.start() - _REACH), verb.start())
        subject_end = between.start() if between else verb.start()
        if between and _NEGATION_OR_HEDGE.search(between.group()) or _NEGATION_OR_HEDGE.search(text, max(sentence[0], verb.start() - 12), verb.start()):
            continue
        holders = _subjects(text, sentence[0], subject_end, mentions)
        target = _object(text, verb.end(), sentence[1], mentions)
        polarity = _polarity(STANCE_VERBS[verb.group("verb")])
        found += [_stance(text, sentence, holder, target, polarity, verb.group("verb")) for holder in holders if target and holder != target]
    return found


def _by_noun(text: str, sentence: tuple[int, int], mentions: MentionIndex) -> list[StanceCandidate]:
    """'Doha and Ankara ... as the main Hamas backers', 'Iran's allies'."""
    found = []
    for noun in _NOUN.finditer(text, *sentence):
        target = _name_ending(text, max(sentence[0], noun.start() - 40), noun.start(), mentions, possessive=True)
        if target is None:
            continue
        marks = [mark + len(word) for word in (" but ", ";") if (mark := text.rfind(word, sentence[0], noun.start())) >= 0]
        clause_start = max([sentence[0], *marks])
        first = next(mentions.within(clause_start, noun.start()), None)
        if first is None or len(text[clause_start : first[0].start].split()) > 2:
            continue
        holders = _subjects(text, clause_start, _list_end(text, first[0].end, noun.start(), mentions), mentions)
        polarity = _polarity(STANCE_NOUNS[noun.group("noun")])
        found += [_stance(text, sentence, holder, target, polarity, noun.group("noun")) for holder in holders if holder != target]
    return found


def _by_characterisation(text: str, quotes: Sequence[QuoteCandidate], mentions: MentionIndex) -> list[StanceCandidate]:
    """A speaker's words about a target: the name just before a quoted characterisation, or the subject of reported content."""
    found = []
    for quote in quotes:
        if not quote.speaker or not (character := _CHARACTER.search(text, quote.start, quote.end)):
            continue
        if quote.kind == "direct":
            target = _name_ending(text, max(0, quote.start - 12), quote.start, mentions, possessive=False, gap=r"\s+(?:an?\s+|the\s+)?[\"“„«‘']?\s*$")
        else:
            first = next(mentions.within(quote.start, character.start()), None)
            target = _party(first[1]) if first and len(text[quote.start : first[0].start].split()) <= 1 else None
        holder = _speaker_party(quote, mentions)
        if target and holder and target != holder and not _NEGATION_OR_HEDGE.search(text, quote.start, character.start()):
            polarity = _polarity(CHARACTERISATIONS[character.group("word").lower()])
            found.append(_stance(text, _sentence_around(text, quote.start, quote.end), holder, target, polarity, character.group("word").lower()))
    return found


def _speaker_party(quote: QuoteCandidate, mentions: MentionIndex) -> str | None:
    span = quote.speaker_span
    if span is None:
        return quote.speaker
    named = next(mentions.within(span.start, span.end), None)
    return _party(named[1]) if named else quote.speaker


def _subjects(text: str, start: int, end: int, mentions: MentionIndex) -> list[str]:
    """The names ending ``text[start:end]``, a list joined by commas and "and" ("Qatar and Iran")."""
    holders: list[str] = []
    position = end
    while True:
        named = _name_ending(text, max(start, position - 40), position, mentions, possessive=False)
        if named is None:
            return holders[::-1]
        holders.append(named)
        span_start = _last_mention_start(text, position, mentions)
        join = _LIST_JOIN.search(text, max(start, span_start - 8), span_start)
        if join is None:
            return holders[::-1]
        position = join.start()


def _last_mention_start(text: str, end: int, mentions: MentionIndex) -> int:
    named = mentions.before(end, accept=lambda span, _: not text[span.end : end].strip())
    return named[0].start if named else end


def _list_end(text: str, position: int, limit: int, mentions: MentionIndex) -> int:
    """The end of a list of names starting at the name ending at ``position``."""
    while True:
        following = re.compile(r"\s*(?:,|,?\s+and)\s+").match(text, position, limit)
        if following is None:
            return position
        named = next(mentions.within(following.end(), limit), None)
        if named is None or named[0].start != following.end():
            return position
        position = named[0].end


def _name_ending(text: str, start: int, end: int, mentions: MentionIndex, *, possessive: bool, gap: str = r"\s*$") -> str | None:
    """The party named right before ``end`` (after ``gap``; with "'s" when ``possessive``)."""
    pattern = re.compile((r"(?:[’']s)?" if possessive else "") + gap)
    named = mentions.before(end, accept=lambda span, _: span.start >= start and pattern.fullmatch(text, span.end, end) is not None)
    return _party(named[1]) if named else None


def _object(text: str, start: int, end: int, mentions: MentionIndex) -> str | None:
    """The party named right after a verb ("back Hamas", "praised the EU")."""
    named = next(mentions.within(start, min(end, start + 40)), None)
    if named is None or not _BEFORE_TARGET.fullmatch(text, start, named[0].start) and text[start : named[0].start].strip():
        return None
    return _party(named[1])


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    breaks = [b for b in sentence_breaks(text, line_start, start) if b <= start]
    sentence_start = breaks[-1] if breaks else line_start
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    after = sentence_breaks(text, end, line_end)
    return strip_span(text, sentence_start, after[0] if after else line_end)


def _stance(text: str, sentence: tuple[int, int], holder: str, target: str, polarity: Polarity, cue: str) -> StanceCandidate:
    return StanceCandidate("", holder, target, polarity, text_span(text, *sentence), cue)
