"""Stance candidates: who takes a side on whom, found in the words of the article.

Precise patterns rather than many guesses, each within one sentence:

* ``HOLDER [and HOLDER] [also|continues to|...] VERB TARGET`` with a verb of
  ``words/stance_verbs.tsv`` ("Doha continues to back Hamas", "the EU
  condemned Russia");
* ``HOLDERS ... [as] the main TARGET backers`` / ``TARGET's allies`` /
  ``TARGET ally HOLDER`` with a noun of ``words/stance_nouns.tsv``;
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
from .lexicon import CAPITALS, CHARACTERISATIONS, ROLE_NOUNS, STANCE_NOUNS, STANCE_VERBS, word_alternation
from .speakers import MentionIndex
from .text import holds_any, sentence_breaks, strip_span, text_span


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
_GAP = 64  # characters of space (or "’s") a name may sit before the word it goes with
_VERB = re.compile(rf"(?<![\w’'-])(?P<verb>{word_alternation(STANCE_VERBS)})\b")
_NOUN = re.compile(rf"(?<![\w’'-])(?P<noun>{word_alternation(STANCE_NOUNS)})\b")
# Either kind of word, for one pass over the whole text: most sentences take no side, and
# their paragraphs are then never split into sentences nor scanned twice.
_VERB_OR_NOUN = re.compile(rf"(?<![\w’'-])(?:{word_alternation([*STANCE_VERBS, *STANCE_NOUNS])})\b")
_CHARACTER = re.compile(rf"(?<![\w’'-])(?P<word>{word_alternation(CHARACTERISATIONS)})\b", re.IGNORECASE)
_BETWEEN_SUBJECT_AND_VERB = re.compile(
    r"(?:\s+(?:also|still|again|openly|publicly|strongly|firmly|fully|long|has|have|had|will|continues\s+to|continue\s+to|continued\s+to|vowed\s+to|pledged\s+to))*\s+$"
)
_NEGATION_OR_HEDGE = re.compile(r"\b(?:not|n[’']t|never|no\s+longer|may|might|could|would|should|reportedly|allegedly|if|unless|whether)\b", re.IGNORECASE)
_LIST_JOIN = re.compile(r"\s*(?:,|,?\s+and)\s*$")
_BEFORE_TARGET = re.compile(r"\s+(?:the\s+)?$")
_PREDICATIVE = re.compile(
    r"(?:\s(?:themselves|itself|himself|herself|seen|viewed|regarded|emerged|emerge|act|acts|acted|serve|serves|served)(?:\s+now)?\s+as"
    r"|\s(?:are|is|were|was|remain|remains|became|become|becomes))\s+(?:the\s+|a\s+|an\s+)?(?:(?!(?:with|of|for|by|to|in|on|at|from)\b)[\w-]+\s+){0,3}$"
)
_COPULA_AFTER = re.compile(r"\s+(?:is|are|was|were|remains|remain|has\s+been|have\s+been)\s")
_TOO = re.compile(r"\btoo\s+$", re.IGNORECASE)
_FRIENDLY_WITH = re.compile(r"\s+(?:with|to|toward|towards)\b", re.IGNORECASE)
_ADJECTIVES = frozenset({"friendly", "brotherly", "hostile", "reliable", "trusted", "trustworthy"})
_REACH = 60


def find_stances(text: str, paragraphs: Sequence[tuple[int, int]], mentions: MentionIndex, quotes: Sequence[QuoteCandidate]) -> tuple[StanceCandidate, ...]:
    """Stance candidates of ``text``, numbered S1, S2, ... in text order, without repeats."""
    found: list[StanceCandidate] = []
    words = [match.start() for match in _VERB_OR_NOUN.finditer(text)]
    for start, end in paragraphs:
        if not holds_any(words, start, end):
            continue
        cuts = [start, *sentence_breaks(text, start, end), end]
        for a, b in zip(cuts, cuts[1:]):
            sentence = strip_span(text, a, b)
            if sentence[0] < sentence[1] and holds_any(words, *sentence):
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
    """The actor a name stands for in a stance: a capital is its country; places, things and lone letters take no side."""
    if name.name in CAPITALS:
        return CAPITALS[name.name]
    return name.name if name.kind in _ACTOR_KINDS and len(name.name) > 1 else None


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
        polarity = _polarity(STANCE_NOUNS[noun.group("noun")])
        named_after = next(mentions.within(noun.end(), min(sentence[1], noun.end() + 60)), None)
        if named_after is not None and not text[noun.end() : named_after[0].start].strip():  # "Clinton ally James Carville"
            target_name = _name_ending_candidate(text, max(sentence[0], noun.start() - 40), noun.start(), mentions)
            if named_after[1].kind == "person" and target_name is not None and target_name.kind == "person":
                found.append(_stance(text, sentence, named_after[1].name, target_name.name, polarity, noun.group("noun")))
            continue
        if not _PREDICATIVE.search(text, max(sentence[0], noun.start() - _REACH), _noun_phrase_start(text, noun.start(), mentions)):
            continue  # "Doha and Ankara ... as the main Hamas backers", not "told Cruz backers" or "his GOP rivals"
        marks = [mark + len(word) for word in (" but ", ";") if (mark := text.rfind(word, sentence[0], noun.start())) >= 0]
        clause_start = max([sentence[0], *marks])
        first = next(mentions.within(clause_start, noun.start()), None)
        if first is None or len(text[clause_start : first[0].start].split()) > 2:
            continue
        holders = _subjects(text, clause_start, _list_end(text, first[0].end, noun.start(), mentions), mentions)
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
        else:  # reported: "the US is the main obstacle", the target opening the content
            first = next(mentions.within(quote.start, character.start()), None)
            opens = first is not None and len(text[quote.start : first[0].start].split()) <= 1 and _COPULA_AFTER.match(text, first[0].end)
            target = _party(first[1]) if first and opens else None
        word = character.group("word").lower()
        if _TOO.search(text, max(quote.start, character.start() - 8), character.start()) or (
            word in _ADJECTIVES and _FRIENDLY_WITH.match(text, character.end())
        ):
            continue  # "too friendly with Wall Street": not a side taken
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
    named = mentions.before(end, accept=lambda span, _: not text[span.end : end].strip(), min_end=end - _GAP)
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
    named = mentions.before(end, accept=lambda span, _: pattern.fullmatch(text, span.end, end) is not None, reach=end - start + 1)
    return _party(named[1]) if named else None


def _noun_phrase_start(text: str, noun_start: int, mentions: MentionIndex) -> int:
    """Where the noun phrase of "the main Hamas backers" begins: before the target's name."""
    named = mentions.before(noun_start, accept=lambda span, _: not text[span.end : noun_start].strip(" ’'s"), min_end=noun_start - _GAP)
    return named[0].start if named else noun_start


def _name_ending_candidate(text: str, start: int, end: int, mentions: MentionIndex) -> NameCandidate | None:
    named = mentions.before(end, accept=lambda span, _: not text[span.end : end].strip(" ’'s"), reach=end - start + 1)
    return named[1] if named else None


def _object(text: str, start: int, end: int, mentions: MentionIndex) -> str | None:
    """The party named right after a verb ("back Hamas", "praised the EU"); a person whose title follows it
    is the object instead ("accused RNC Chairman Reince Priebus", "endorse Trump rival Sen. Ted Cruz")."""
    named = next(mentions.within(start, min(end, start + 40)), None)
    if named is None or not _BEFORE_TARGET.fullmatch(text, start, named[0].start) and text[start : named[0].start].strip():
        return None
    titled = next(mentions.within(named[0].end, min(end, named[0].end + _REACH)), None)
    if titled is not None and titled[1].kind == "person" and _is_title(text[named[0].end : titled[0].start]):
        return _party(titled[1])
    return _party(named[1])


def _is_title(words: str) -> bool:
    """Whether the words between two names make the first the second's title: "'s Washington Political Editor", "campaign manager"."""
    tokens = [token for token in words.replace("’s", " ").replace("'s", " ").split() if token.strip("’'")]
    return 0 < len(tokens) <= 4 and all(token[:1].isupper() or token in ROLE_NOUNS or token in _TITLE_NOUNS for token in tokens)


_TITLE_NOUNS = frozenset(STANCE_NOUNS) | {"campaign", "manager", "chairman", "chairwoman", "chair", "editor", "chief", "candidate", "nominee"}


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
