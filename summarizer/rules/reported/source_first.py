"""Forms whose source comes first: ``SOURCE CUE [that] CONTENT``, reported questions, speech acts, naming and judging verbs
with quoted words, and ``SOURCE's claim that CONTENT``; and how the source before a cue is found."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from ..candidates import NameCandidate, QuoteCandidate, TextSpan
from ..lexicon import REPORTING_VERBS
from ..speakers import (
    PARTICIPLE_PREPOSITION,
    THE_OFFICE,
    Attribution,
    MentionIndex,
    after_determiner,
    mention_after,
    noun_source,
    office_holder,
    opening_person,
    past_opening_phrase,
    resolve_speaker,
    sentence_subject,
    short_name,
    tag_before_participle,
)
from .content import MARKS_IN, MIN_WORDS, OPENING_MARKS, Reported, content_span, crosses
from .cues import AUX, BARE_PRESENT_CUES, CUE, OWN_CLAUSE_CUES, PARTICIPLE_CUES, VERB

REACH = 80  # characters before a cue where its subject is looked for
_PRONOUN_SUBJECT = re.compile(r"(?<![\w’'-])(?P<pronoun>he|she|they|it|we|I|He|She|They|It|We)\s*$")
_GROUP_SUBJECT = re.compile(
    r"(?<![\w’'-])(?:(?:[A-Za-z]+-)?[a-z]+s|people|who|Americans|Republicans|Democrats|Conservatives|Liberals|\d+|percent|majority|half|third|quarter|[Mm]ost|[Mm]any|[Ff]ew|"
    r"[Ss]ome|[Oo]thers|[Ss]everal|[Bb]oth|[Aa]ll)\s*$"
)
PROPER_SUBJECT = re.compile(
    r"(?<![\w’'-])(?!(?:But|And|Or|So|Then|Also|Yet|Still|Now|Here|There|This|That|These|Those|It|As|When|While|If|Asked|Later|Earlier|The|A|An|In|On|At|"
    r"For|Of|By|With|To|From|His|Her|Their|Its|Our|My|Your|What|Who|How|Why|Where|Which|One|No|Not)\b)[A-Z][\w.’'&-]*\s*$"
)
_NAME_SUFFIX = re.compile(r"\.?(?:,?\s*(?:Jr|Sr)\.?|\s+(?:II|III|IV)|,?\s*\(?[RDI]-[A-Z][\w.]*\)?|,\s*\d{1,3})*,?\s*")
"""What may follow a name before its cue: "Jr.", "III", a party label ("R-Fla.", "(D-Ore.)"), an age (", 45")."""
_SUFFIX_REACH = 20  # characters a suffix takes after a name
_TAGGED = re.compile(rf"[\"”’']*\s*(?:[^,;:.!?\"“”]{{1,60}}?\s+)?(?:{VERB})(?:\s+[^,;:.!?\"“”]{{1,60}}?)?,\s*")
"""The tag between a quote and a participle: '," Smith said, ' / '," said Smith, '."""
_QUESTION = re.compile(
    r"(?:\s+(?!(?:whether|if|why|how|what|when|where|who|which|for|to|about)\b)[\w.’'&-]+){0,4}?\s+(?P<word>whether|if|why|how|what|when|where|who|which)\s+\w"
)
_WHO = re.compile(r",\s+(?:who|which)\s+$")
_DASHED_END = re.compile(r"\s*(?:[—–]|\s-\s)\s*[^—–]{1,80}?\s*(?:[—–]|\s-)$")
_PARENTHETICAL_END = re.compile(r"\s*\([^()]{1,30}\)$")
_DETERMINER_OPENING = re.compile(r"(?:The|A|An|Its|His|Her|Their|One|Two|Three|Several|Some|Many)\s+[a-z]")
"""A sentence opening with a noun phrase, the subject of a participle after a comma ("A spokeswoman for the firm ..., saying")."""
_COORDINATED = re.compile(r"\b(?:and|but)\s*$")
_ELIDED_SUBJECT = re.compile(r"(?:,|\b(?:and|but|while|before|after|also))\s*$")
_NOUN_PHRASE = re.compile(
    r"(?<![\w’'-])(?:[Tt]he|[Aa]n?|[Tt]his|[Tt]hat|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Oo]ne|[Ss]everal|[Ss]ome|[Mm]any|[Mm]ost|[Oo]ther|[Bb]oth|[Tt]wo|[Tt]hree|"
    r"[A-Z][\w-]*[’']s?)\s+(?:[\w’'-]+\s+){0,3}?[a-z][\w-]*\s*$"
)
_ADVERBIAL_WORDS = (
    r"on|in|at|during|last|this|earlier|later|late|early|to|with|a|an|the|his|her|their|its|by|from|after|before|per|translator|an?|interview|statement|speech|"
    r"press|conference|news|briefing|rally|hearing|weekend|week|month|year|morning|afternoon|evening|night|today|yesterday|tonight|email|"
    r"letter|post|posting|tweet|video|radio|television|TV|appearance|remarks|call|phone|written|separate|recent|brief|Sunday|Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|January|February|March|April|May|June|July|August|September|October|November|December|\d+"
)
_ADVERBIAL_THAT = re.compile(
    rf"(?:[\s,]+(?:{_ADVERBIAL_WORDS}|[A-Z][\w.’'&-]*|(?!(?:and|but|because|if|when|which|who|whether|that|there|is|was|were|are|has|have|had|would|will|could|should|can|he|she|they|we|it|\w+n[’']t)\b)[a-z][\w’'-]*)\b){{0,12}}[\s,]*that\b\s*"
)
_TIME_OR_PLACE = re.compile(
    r"[\s,]*(?:(?:on|last|this|early|late|earlier|later)\s+)?(?:Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|week|month|year|morning|"
    r"afternoon|evening|night)\b(?![’'])[\s,]*|[\s,]*(?:in|at|during)\s+(?:a|an|the|his|her|their|its)\s+(?:[\w-]+\s+){0,2}?(?:statement|interview|speech|"
    r"conference|briefing|rally|hearing|email|letter|post|tweet|video|appearance|call)(?:\s+(?:with|on|to)\s+(?:the\s+)?[A-Z][\w.’'&-]*(?:\s+[A-Z][\w.’'&-]*)*)?[\s,]*"
)
_TOLD_OBJECT = re.compile(
    r"\s+(?:reporters|journalists|supporters|lawmakers|members|voters|students|the\s+crowd|a\s+crowd|an\s+audience|the\s+audience|the\s+newspaper|"
    r"him|her|them|us|me|you|(?:(?:host|anchor|moderator|interviewer|reporter|columnist)\s+)?[A-Z][\w.’'&-]*(?:\s+[A-Z][\w.’'&-]*){0,3}"
    r"(?:\s+of\s+[A-Z][\w.’'&-]*(?:\s+[A-Z][\w.’'&-]*){0,2})?"
    r"|the\s+[A-Z][\w.’'&-]*(?:\s+[A-Z][\w.’'&-]*){0,3}(?=\s+(?:he|she|they|it|we|I|there|that|the|a|an|his|her|their|its|[A-Z])\b))\b"
)
"""Whom "told" was said to: "reporters", "him", "CNN", "the National Post" when a clause follows (not "the Biblical story")."""
_NOT_A_CLAUSE = re.compile(
    r"(?:to|of|about|so|nothing|anything|something|little|much(?!\s+of\s)|more(?!\s+than\s+(?:\$?\d|a\s|an\s|half|one|two|three|four|five|ten|twice))|whether|(?:yes|no|goodbye|hello|thanks|otherwise|hi)(?=\s*[,.!?;]|$)|thank|from|in|at|on|with|for|after|"
    r"before|during|by|live)\b|[a-z]+ly\s+(?:into|to|in|on|at|from|with|for|after|before|during|over|about)\b|it\b(?=\s*(?:[,.;:!?)]|$|(?:to|again|best|all|before|in|on|at|for|with|about|loud|aloud|too|and|but|or|so|because|when|then|out|twice|once|first|himself|herself|themselves|myself|yourself|over|up|down|back|here|there)\b))|(?:them|him)\b|(?:this|that)\b(?=\s*[.,;!?]|$)|[^\w$]|$",
    re.IGNORECASE,
)
_NAMED_AS = re.compile(r"\s+(?!(?:for|an?|as)\s)[^\s\"“‘«']+(?:\s+[^\s\"“‘«']+){0,5}?\s+(?:as\s+)?(?:[\"“‘«]|'')(?=\w)")
"""What is named, then the quoted words naming it: "called [the plan] [a] 'disaster'"; not "called for", "what he called a 'mood'"
(the object is before the cue) nor a bare "called 'X'" (a title)."""
_CLOSING_MARK = re.compile(r"[\w.,!?](?:[\"”’»]|'')")
_AS = re.compile(r"\sas\s")
_CLAUSE_END = re.compile(
    r"[,;:()—]|\s[-–]\s|\s(?:and|or)\b(?!\s+[\"“‘'])|\s(?:but|when|while|where|instead|after|before|as)\b|"
    r"\s(?:over|during|last|earlier|later|on|in)\s+(?:the\s+|his\s+|her\s+|their\s+|a\s+)?(?:[\w-]+\s+)?(?:weekend|week|night|morning|day|show|"
    r"interview|television|TV|Twitter|Facebook|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
"""Where a naming clause ends after its quoted words: a comma, a conjunction, or when and where it was said ("on his radio show")."""
_ACT_CLAUSE_END = re.compile(r"[,;:(—―]|\s[-–]{1,2}\s")
"""Where the content of a speech act ends: its first clause ("vowed [to block the plan], calling it ...")."""
_THAT_BEFORE = re.compile(r"\bthat\s*$")
_PASSIVE = re.compile(r"\b(?:is|was|were|are|been|be|being)\s+$")
_PROGRESSIVE = re.compile(r"(?:\b(?:is|was|were|are|been|be|am)|[’'](?:s|re|m))\s+$")
"""The auxiliary of a progressive cue ("is saying", "He’s predicting", "they're arguing")."""
_PASSIVE_REACH = 16  # "being" and the spaces after it
_HEAD_REACH = 1000
_POSSESSIVE_GAP = 8  # what may lie between a name and the cue after it: "’s" and spaces
_THAT = re.compile(r"[\s,]*(?:\S+\s+){0,6}?that\b")
_THAT_NEXT = re.compile(r"\s+that\b")
_SPEECH_NOUN_OWNER = re.compile(r"(?:(?P<owner>[’']s)|\b(?P<pronoun>[Hh]is|[Hh]er|[Tt]heir|[Ii]ts))\s+(?:[\w-]+\s+)??$")
"""The owner ending the words before a speech noun: a name's possessive or a pronoun, perhaps with one adjective
("Iran's claim", "his stern warning")."""
_OWNER_REACH = 40
_VERB_OPENING = re.compile(
    r"(?:[a-z]+ed|is|was|were|are|has|had|have|will|would|could|can|may|might|should|must|does|did|do|seems|made|came|went|got|drew|led|left|took|gave)\b"
)
_TAG_WORDS = 6  # words between a closing quote mark and a cue that tags that quote


def owned_speech(text: str, start: int, end: int, speech_noun: re.Match[str], mentions: MentionIndex) -> Reported | None:
    """``OWNER's NOUN that CONTENT``: the owner a name just before the possessive, or a pronoun resolved as a subject would be."""
    owned = _SPEECH_NOUN_OWNER.search(text, max(start, speech_noun.start() - _OWNER_REACH), speech_noun.start())
    if owned is None or _VERB_OPENING.match(text, speech_noun.end(), end):
        return None  # no owner, or "that" opens a relative clause ("his statements that fired them up")
    noun, window = speech_noun.group("noun"), (start, end)
    if owned.group("pronoun"):
        attribution = resolve_speaker(text, noun, None, owned.group("pronoun"), mentions, before=owned.start(), window=window)
        return content_span(text, speech_noun.end(), end, attribution)
    owner = mentions.before(owned.start() + 1, accept=lambda span, _: span.end == owned.start(), min_end=owned.start())
    if owner is None:
        return None
    return content_span(text, speech_noun.end(), end, resolve_speaker(text, noun, owner, None, mentions, before=owned.start(), window=window))


_NOT_A_SUBJECT_BEFORE = re.compile(
    r"\b(?:to|can|could|would|will|may|might|must|should|shall|do|does|did|not|n[’']t|who|which|that|help|helps|helped|he|she|it|you)\s+(?:(?:just|also|only|still|\w+ly)\s+)?$"
)
_CLAUSE_AFTER_TAG = re.compile(
    r"\s+(?:that\s+)?(?:[A-Za-z][\w’'-]*\s+){1,4}?(?:is|was|are|were|has|have|had|will|would|could|can|may|might|should|must|did|does|do)\b"
)
"""A clause of its own after a cue that also tags a quote before it ('on "jobs," Sanders said private contractors can be ...')."""
_CLAUSE_SUBJECT = re.compile(r"\s+(?:he|she|they|we|I|it|there|[A-Z][\w’'-]*)\b")
"""A subject opening a clause after a progressive cue without "that" ("is saying Clinton has ..."), not an object ("is
saying a lot of the right things")."""
_NOT_A_PARTICIPLE_CLAUSE = re.compile(r"\s+(?:his|her|their|its|my|our|your|\$?\d)")
"""What a participle's object opens, not a clause: "claiming his third victory", "claiming 41 percent of the vote"."""
_NOT_A_SUBJECT_REACH = 24  # characters: the word before a bare cue and an adverb ("would just suggest")


def lead_in(text: str, start: int, end: int, cue: re.Match[str], mentions: MentionIndex, direct: Sequence[QuoteCandidate]) -> Reported | None:
    """``SOURCE CUE [object] [adverbial] [that] CONTENT``."""
    verb = cue.group("cue")
    outer = next((q for q in direct if q.start <= cue.start() < q.end), None)
    if outer is not None:
        start, end = max(start, outer.start), min(end, outer.end)  # nested: the speech reported inside a quote
    elif (
        any(start <= q.end <= cue.start() and _is_tag_of(text, q, cue) for q in direct)
        and not _CLAUSE_AFTER_TAG.match(text, cue.end(), end)
        and not (verb.endswith("ing") and _THAT_NEXT.match(text, cue.end(), end))
    ):
        return None  # '"...," he told Reuters in Macau': the tag of a direct quote, not reported speech ('"...," adding that' reports more)
    participle_clause = (verb in PARTICIPLE_CUES and text.endswith(", ", start, cue.start())) or (
        verb.endswith("ing")
        and _CLAUSE_SUBJECT.match(text, cue.end(), end) is not None
        and _PROGRESSIVE.search(text, max(start, cue.start() - _PASSIVE_REACH), cue.start()) is not None
    )  # ", arguing he ...", and a progressive, finite as any tense, when a subject follows: "He’s predicting he will win"
    own_clause = verb in OWN_CLAUSE_CUES or (participle_clause and not _NOT_A_PARTICIPLE_CLAUSE.match(text, cue.end(), end))
    if not own_clause and not _THAT.match(text, cue.end(), end):
        return None
    if verb in BARE_PRESENT_CUES and _NOT_A_SUBJECT_BEFORE.search(text, max(start, cue.start() - _NOT_A_SUBJECT_REACH), cue.start()):
        return None  # "to explain the process", "can he maintain", "who maintain": no subject claiming anything
    if after_determiner(text, start, cue.start()):
        return None  # "his claims were ...", "the warning that": a noun, not a verb
    attribution = _speaker_of_tagged_quote(text, start, cue, direct) or _subject_of(text, start, cue.start(), verb, mentions)
    if attribution is None:
        return None
    content_start = _content_start(text, cue.end(), end, told=verb in ("told", "tell", "tells", "telling"), needs_that=not own_clause)
    if content_start is None:
        return None
    if not _opens_content(text, content_start, end, after_that=_THAT_BEFORE.search(text, cue.end(), content_start) is not None):
        return None
    reported = content_span(text, content_start, end, attribution)
    if reported is not None and not _goes_on_past_quote(text, reported, direct):
        # the content is the direct quote: kept as just that quote, it is dropped later and gives the quote its speaker
        opening = next(q for q in direct if reported.start <= q.start <= reported.start + 2)
        return dataclasses.replace(reported, end=min(reported.end, opening.end))
    if outer is not None and outer.speaker and outer.speaker != attribution.speaker and reported is not None:
        via = Attribution(cue=attribution.cue, speaker=attribution.speaker, speaker_span=attribution.speaker_span, via=outer.speaker)
        return dataclasses.replace(reported, attribution=via, nested=True)
    return reported


def question(text: str, start: int, end: int, cue: re.Match[str], mentions: MentionIndex, direct: Sequence[QuoteCandidate]) -> Reported | None:
    """``SOURCE asked [whom] whether/if/why ... CLAUSE``: a reported question, its content from the question word on
    ("asked Mook if a Clinton administration would ..."). "asked him to resign" and "asked for" are requests, not questions."""
    asked = _QUESTION.match(text, cue.end(), end)
    if asked is None or any(q.start <= cue.start() < q.end for q in direct):
        return None
    attribution = _subject_of(text, start, cue.start(), cue.group("cue"), mentions)
    if attribution is None and not _ASKED_OPENING.fullmatch(text, start, cue.end()):
        return None
    if attribution is None:  # "Asked whether ..." opening the sentence: the asker goes unnamed, or comes after "by"
        asker = _BY_ASKER.match(text, cue.end(), asked.start("word"))
        named = mention_after(text, asker.end(), asked.start("word"), mentions) if asker else None
        attribution = resolve_speaker(text, cue.group("cue"), named, None, mentions, before=cue.start(), window=(start, end)) if named else None
    clause_end = _ACT_CLAUSE_END.search(text, asked.start("word"), end)  # "asked if he would endorse her, he looked ..."
    reported = content_span(text, asked.start("word"), clause_end.start() if clause_end else end, attribution or Attribution(cue=cue.group("cue").lower()))
    return reported if reported is not None and not crosses(reported, direct) else None


_BY_ASKER = re.compile(r"\s+by\s+")
_ASKED_OPENING = re.compile(r"\s*(?:When\s+|After\s+|Once\s+|If\s+)?(?:[Ww]hen\s+)?[Aa]sked")


def speech_act(text: str, start: int, end: int, cue: re.Match[str], mentions: MentionIndex, direct: Sequence[QuoteCandidate]) -> Reported | None:
    """``SOURCE promised/urged/accused [OBJECT] to/of ...``: the content from the object (or "to") on, when the act has a
    source; a passive ("was asked to") has none. Inside a direct quote the words are the quote's."""
    if any(q.start <= cue.start() < q.end for q in direct):
        return None
    verb = " ".join(cue.group("cue").lower().split())
    attribution = _speaker_of_tagged_quote(text, start, cue, direct) or _subject_of(text, start, cue.start(), verb, mentions)
    if attribution is None or attribution.speaker is None:
        return None
    clause_end = _ACT_CLAUSE_END.search(text, cue.end(), end)
    reported = content_span(text, cue.end(), clause_end.start() if clause_end else end, attribution)
    return reported if reported is not None and not crosses(reported, direct) else None


def _subject_of(text: str, start: int, cue_start: int, verb: str, mentions: MentionIndex) -> Attribution | None:
    """The source of an active cue: its subject, past auxiliaries and adverbs ("has repeatedly argued"); none for a passive."""
    # Every search here looks back a bounded distance from the cue: a sentence holding thousands of cues stays linear.
    aux = AUX.search(text, max(start, cue_start - REACH), cue_start)
    subject_end = aux.start() if aux else cue_start
    progressive = _PROGRESSIVE.search(text, max(start, subject_end - _PASSIVE_REACH), subject_end) if verb.endswith("ing") else None
    if progressive is not None:  # "is labeling", "has been saying": the subject is before the auxiliaries
        aux = AUX.search(text, max(start, progressive.start() - REACH), progressive.start())
        subject_end = aux.start() if aux else progressive.start()
    if not verb.endswith("ing") and (
        _PASSIVE.search(text, max(start, cue_start - _PASSIVE_REACH), cue_start) or _PASSIVE.search(text, max(start, subject_end - _PASSIVE_REACH), subject_end)
    ):  # "was denied", "was initially denied"; "is labeling" is active
        return None
    return _source_before(text, start, subject_end, verb, mentions)


def _speaker_of_tagged_quote(text: str, start: int, cue: re.Match[str], direct: Sequence[QuoteCandidate]) -> Attribution | None:
    """The speaker of a participle after a tagged quote ('"...," Smith said, adding that ...'): the quote's."""
    if not cue.group("cue").endswith("ing"):
        return None
    quote = next((q for q in reversed(direct) if start <= q.end <= cue.start()), None)
    if quote is None or quote.speaker is None or not _TAGGED.fullmatch(text, quote.end, cue.start()):
        return None
    return Attribution(cue=cue.group("cue").lower(), speaker=quote.speaker, speaker_span=quote.speaker_span, via=quote.via)


def naming(text: str, start: int, end: int, cue: re.Match[str], mentions: MentionIndex, direct: Sequence[QuoteCandidate]) -> Reported | None:
    """``SOURCE called/described OBJECT [as] "WORDS" [...]``: the object and the quoted words that name it are the content,
    up to the clause's end ("called the new law 'much better' than the old one, since ...")."""
    named_as = _NAMED_AS.match(text, cue.end(), end)
    if named_as is not None and cue.group("cue").lower().startswith("describ") and not _AS.search(named_as.group()):
        return None  # "described it as 'X'": describing names with "as"
    return with_quoted_words(text, end, cue, named_as, mentions, direct, start=start)


def with_quoted_words(
    text: str, end: int, cue: re.Match[str], object_then_mark: re.Match[str] | None, mentions: MentionIndex, direct: Sequence[QuoteCandidate], *, start: int
) -> Reported | None:
    """The content of a naming or judging cue: from the cue to the end of the clause holding the quoted words that
    ``object_then_mark`` reached, when the cue has a named source. A cue inside a quote is the quote's words."""
    if object_then_mark is None or any(q.start <= cue.start() < q.end for q in direct):
        return None
    closing = _CLOSING_MARK.search(text, object_then_mark.end(), end)
    attribution = _subject_of(text, start, cue.start(), cue.group("cue").lower(), mentions)
    if closing is None or attribution is None or attribution.speaker is None:
        return None  # unlike a speech cue, "called" often has no speaker ("a film called 'X'", "what critics call 'X'")
    if text[closing.start()] == ",":
        content = content_span(text, cue.end(), closing.end(), attribution)  # '"unpatriotic,"': the comma inside the marks ends the clause
    else:
        clause_end = _CLAUSE_END.search(text, closing.end(), end)
        content = content_span(text, cue.end(), clause_end.start() if clause_end else end, attribution)
    return content if content is not None and MARKS_IN.search(text, content.start, content.end) else None  # the words must stay in


def _is_tag_of(text: str, quote: QuoteCandidate, cue: re.Match[str]) -> bool:
    """Whether ``cue`` tags the direct quote before it: a few words after it, and no other cue between
    ('"...," he said, adding that ...': "adding" reports more)."""
    return len(text[quote.end : cue.start()].split()) <= _TAG_WORDS and CUE.search(text, quote.end, cue.start()) is None


def _opens_content(text: str, position: int, end: int, *, after_that: bool) -> bool:
    """Whether reported content can start at ``position``: a clause, or quoted words that the clause goes on past
    ('said "zero" voters would follow': a mixed quote; content that is only the quote is the direct quote, dropped later).
    After "that" (a complementizer: see :func:`_complementizer`) a clause starts whatever its first word ("that it meant a
    lot", "that in private, Trump ...", "that about 5,500 troops ...")."""
    if position >= end:
        return False
    if text[position] in OPENING_MARKS or (after_that and (text[position].isalnum() or text[position] == "$")):
        return True
    return not _NOT_A_CLAUSE.match(text, position, end)


def _goes_on_past_quote(text: str, reported: Reported, direct: Sequence[QuoteCandidate]) -> bool:
    """Whether content opening with a direct quote is a clause that goes on past it ('said "zero" voters would follow'),
    not the quote and the cue's own time or place ('said "we will stay open" on Monday')."""
    opening = next((q for q in direct if reported.start <= q.start <= reported.start + 2), None)
    if opening is None:
        return True
    rest = text[opening.end : reported.end].strip(" ,\"”’'")
    return len(rest.split()) >= MIN_WORDS and not _TIME_OR_PLACE.fullmatch(rest)


def _complementizer(text: str, position: int, end: int) -> int | None:
    """Where the content starts after "[adverbial] that" ("told reporters on Monday that ..."), or None; not past a "that"
    that is a pronoun ("they say the Democrats tried to do that with ...", "said that would be a mistake")."""
    that = _ADVERBIAL_THAT.match(text, position, end)
    if that is None:
        return None
    aside = _ASIDE_AFTER_THAT.match(text, that.end(), end) if text.startswith(",", that.end()) else None
    if aside is not None:  # "added that, in Wisconsin, the coalition ...": the content starts past the aside
        return aside.end()
    if _PRONOUN_THAT_AFTER.match(text, that.end(), end):
        return None
    word = text.rfind("that", that.start(), that.end())
    return None if _PRONOUN_THAT_BEFORE.search(text, max(position, word - 8), word) else that.end()


_ASIDE_AFTER_THAT = re.compile(
    r",\s*(?:(?:in|on|at|for|after|before|if|when|while|as|unlike|despite|since|although|though|because|given|under|with|without|by|unless|once"
    r"|until|during|following|amid|among|throughout|within|over|upon|contrary|regardless|besides|beyond|including|except|[a-z]+ly)\b[^,.;:!?\"“”]{0,60}),\s*"
)
"""An adverbial aside between commas right after "that" ("that, in Wisconsin, ..."): the clause goes on after it."""
_PRONOUN_THAT_AFTER = re.compile(
    r"(?:to|again|too|and|or|but|is|was|were|are|would|will|could|should|can|may|might|must|has|had|have|does|did|means|meant|seems)\b|[.,;:!?)]|$"
)
"""What follows a "that" that is a pronoun: a verb ("said that would be a mistake"), the clause's end."""
_PRONOUN_THAT_BEFORE = re.compile(r"\b(?:do|does|did|done|doing|about|like|with|for|of|on|at|from|by)\s+$")
"""What precedes a "that" that is a pronoun: a preposition or "do" ("tried to do that with the first batch")."""


def _content_start(text: str, position: int, end: int, *, told: bool, needs_that: bool) -> int | None:
    """Where the reported content starts after a cue: past "that" and what precedes it ("told reporters on Monday that"),
    else past the object of "told" and a time or occasion ("said on Monday", "said in a statement"); None for a cue that
    ``needs_that`` without one ("states that will vote": a relative pronoun)."""
    that = _complementizer(text, position, end)
    if that is not None or needs_that:
        return that
    if told:
        told_object = _TOLD_OBJECT.match(text, position, end)
        if told_object is None:
            return None
        position = told_object.end()
        that = _complementizer(text, position, end)
        if that is not None:
            return that
        if text.startswith(",", position) and not text.startswith(",", position + 1):
            position += 1  # "Kasich tells the crowd, he's been known to be tough"
    occasion = _TIME_OR_PLACE.match(text, position, end)
    position = occasion.end() if occasion else position
    while position < end and text[position].isspace():
        position += 1
    return position


_QUOTED_AS = re.compile(r"\b(?:quoted|quotes|quoting|cited|cites|citing)\s+(?P<quoted>[^;:]{2,120}?)\s+as\s+$")
_QUOTED_AS_REACH = 160


def _source_before(text: str, start: int, subject_end: int, verb: str, mentions: MentionIndex) -> Attribution | None:
    """Who speaks: the name, pronoun or noun phrase right before the cue.

    An apposition between is skipped ("Smith, the party's leader, said"); a
    cue with no subject of its own ("..., telling CNN that", "... but insists
    that") takes the sentence's subject.
    """
    quoted = _QUOTED_AS.search(text, max(start, subject_end - _QUOTED_AS_REACH), subject_end)
    named = next((m for m in mentions.within(*quoted.span("quoted")) if not text.startswith(("’s", "'s"), m[0].end)), None) if quoted else None
    if named is not None:  # "The AP quoted Ann Lee, a witness, as saying that ...": Lee's words, via the AP (not "one of Lee's aides")
        return resolve_speaker(text, verb, named, None, mentions, before=named[0].start, window=(start, subject_end))
    who = _WHO.search(text, max(start, subject_end - 12), subject_end)
    if who is not None:  # "Barkley, who said he votes democratic, ...": the name before "who"
        named = _names_at_end(text, start, who.start(), mentions) or _name_with_suffix(text, who.start(), mentions)
        return resolve_speaker(text, verb, named, None, mentions, before=named[0].start, window=(start, subject_end)) if named else None
    head_start = max(start, subject_end - _HEAD_REACH)  # the words before the cue, as far back as a subject reaches: linear in a run-on sentence
    head = _DASHED_END.sub("", _PARENTHETICAL_END.sub("", text[head_start:subject_end].rstrip()))  # "Elizabeth Warren (D-MA) said", "Sims — a teacher — says"
    # "X took a swipe at Y's stance on Brexit, saying", "X dismissed Y's charges by pointing out": X speaks, not Brexit or Y
    if verb.split()[0].endswith("ing") and (head.endswith(",") or PARTICIPLE_PREPOSITION.search(head)):
        subject = tag_before_participle(text, head_start, head_start + len(head), verb, mentions) or sentence_subject(text, start, subject_end, verb, mentions)
        if subject is not None:
            return subject
    if head.endswith(","):
        opener = opening_person(text, start, subject_end, mentions)
        if opener is not None:  # "Ann Lee, who lost her job in Aurora, Colorado, said": Lee, not Colorado
            return resolve_speaker(text, verb, opener, None, mentions, before=opener[0].start, window=(start, subject_end))
    if _ELIDED_SUBJECT.search(head) and not _names_at_end(text, start, head_start + len(head.rstrip(",")), mentions):
        if head.endswith(",") and head[:-1].rfind(",") >= 0 and not verb.endswith("ing"):
            head = head[: head[:-1].rfind(",")]  # "Smith, the party's leader, said"
        else:
            return sentence_subject(text, start, subject_end, verb, mentions) or _unnamed_subject(text, start, subject_end, verb, head, mentions)
    head = head.rstrip(",").rstrip()
    head_end = head_start + len(head)
    window = (start, subject_end)
    named = _names_at_end(text, start, head_end, mentions) or _name_with_suffix(text, head_end, mentions)
    if named is not None:
        return resolve_speaker(text, verb, named, None, mentions, before=named[0].start, window=window)
    pronoun = _PRONOUN_SUBJECT.search(text, max(start, head_end - REACH), head_end)
    if pronoun is not None and pronoun.group("pronoun") not in ("I", "we", "We"):
        return resolve_speaker(text, verb, None, pronoun.group("pronoun"), mentions, before=pronoun.start("pronoun"), window=window)
    if pronoun is not None:
        return Attribution(cue=verb.lower())
    by_noun = noun_source(text, start, head_end, verb, mentions)
    if by_noun is not None and by_noun.speaker is None and verb.endswith("ing"):
        subject = sentence_subject(text, start, subject_end, verb, mentions)  # "Acme issued a statement saying ...": Acme's
        return subject if subject is not None and subject.speaker else by_noun
    if by_noun is not None:
        return by_noun
    near = max(start, head_end - REACH)
    proper = PROPER_SUBJECT.search(text, near, head_end)
    if proper is not None:
        return short_name(text, proper.start(), proper.end(), verb, mentions) or Attribution(cue=verb.lower())
    if verb.endswith("ing") and not text.endswith(("as ", "as\u00a0"), start, subject_end):
        # "Sanders started out the debate saying ...": a participle's subject is the sentence's; not "quoted an aide as saying"
        subject = sentence_subject(text, start, subject_end, verb, mentions)
        if subject is not None and subject.speaker:
            return subject
    if _NOUN_PHRASE.search(text, near, head_end) or _GROUP_SUBJECT.search(text, near, head_end):  # "The businessman says", "Smith's aide says"
        return Attribution(cue=verb.lower())
    return None


def _unnamed_subject(text: str, start: int, subject_end: int, verb: str, head: str, mentions: MentionIndex) -> Attribution | None:
    """The subject a cue shares with an earlier verb when no name opens the sentence: the holder of the office it names
    ("The Emir referred to ... and said"), else someone unnamed ("A spokesman for the firm declined to comment, saying ...");
    None after an infinitive ("going to X and say") or for a participle whose sentence opens with no noun phrase."""
    opening = past_opening_phrase(text, start, subject_end)
    coordinated = _COORDINATED.search(head) is not None and not _is_base_form(verb)  # "... and said", not "... and say"
    participle = verb.endswith("ing") and head.endswith(",") and _DETERMINER_OPENING.match(text, opening, subject_end) is not None
    if not (coordinated or participle):
        return None
    office = THE_OFFICE.match(text, opening, subject_end)
    return (office_holder(text, office, verb, mentions) if office else None) or Attribution(cue=verb.lower())


def _is_base_form(verb: str) -> bool:
    """A cue in its base form ("say", "tell"): after "and" it goes on from an infinitive or a modal ("going to X and say")."""
    return f"{verb}s" in REPORTING_VERBS or f"{verb}es" in REPORTING_VERBS


def _name_with_suffix(text: str, end: int, mentions: MentionIndex) -> tuple[TextSpan, NameCandidate] | None:
    """The name before a suffix that ends ``text[:end]``: "Joseph R. Biden Jr.", "Marco Rubio, R-Fla.,"."""
    return mentions.before(end, accept=lambda span, _: _NAME_SUFFIX.fullmatch(text, span.end, end) is not None, min_end=end - _SUFFIX_REACH)


def _names_at_end(text: str, start: int, end: int, mentions: MentionIndex) -> tuple[TextSpan, NameCandidate] | None:
    """The name mention ending ``text[start:end]`` (a possessive aside)."""
    return mentions.before(end, accept=lambda span, _: not text[span.end : end].strip(" \u00a0’'s"), reach=end - start + 1, min_end=end - _POSSESSIVE_GAP)
