"""Tags after the content: ``CONTENT, SOURCE CUE.`` ending the sentence and ``CONTENT, SOURCE CUE, CONTENT.`` inside it."""

from __future__ import annotations

import re

from ..candidates import NameCandidate, TextSpan
from ..lexicon import ROLE_NOUNS
from ..speakers import Attribution, MentionIndex, noun_source, resolve_speaker, short_name, titled_person
from ..text import strip_span
from .content import MIN_WORDS, OPENING_MARKS, QUOTE_MARKS, Reported, content_around, content_span
from .cues import ANY_CUE, AUX, OWN_CLAUSE_CUES, OWN_CLAUSE_VERB, VERB, Cues
from .source_first import PROPER_SUBJECT, REACH

_WHEN = r"(?:[\s,]+(?:(?:on|in|at|last|this|during|late|early)\b[^,;:]{0,40}|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|tonight)\b))?"
"""The time or occasion a closing tag may end with ("..., Smith said on Monday." / "..., Smith said Tuesday.")."""
_CLAUSE_WORD = re.compile(r"\s(?!(?:of|for|from|at|in|with|and)\b)[a-z]")
"""A lowercase word after the name in ", said Ann Lee ...": the name starts a clause ("said Obama failed"), save for "of Ohio"."""
_NOT_A_SOURCE = re.compile(r"(?:to|of|in|on|at|for|with|by|from|about|up|out|his|her|their|its|our|my|that|this|it)\b|(?:he|she|they|we|I|you)\s+\w")
"""What cannot open a source after its cue: a preposition or possessive (its object), or a pronoun and more words (a clause:
", says he didn't know Sanders"; ", said he." is a source)."""
_SOURCE_PHRASE = re.compile(r"\s*(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Oo]ne|[Tt]wo|[Ss]everal|[Ss]ome|[Mm]any|[Oo]ther)(?:\s+[\w’'.-]+){1,4}\s*")
"""A noun phrase that can speak in a closing tag ("..., the Post reported", "..., her friend said")."""
_HEARER = r"(?:reporters|journalists|lawmakers|supporters|(?:the\s+)?[A-Z][\w.’'&-]*(?:\s+[A-Z][\w.’'&-]*){0,3})"
"""Whom a closing tag's source told ("..., he told Xinhua.")."""
_ASIDE_DASH = re.compile(r"\s+(?:--|[—–])\s+")
"""A dash that may open an aside ending a sentence ("..., X said -- a move that ...")."""
_TAG_END = re.compile(
    rf",(?P<close>[\"”’']{{0,2}})\s*(?:(?!\s*(?:and|but|or|yet)\s)(?P<source>[^,;:]{{1,60}}?)\s+(?:{AUX.pattern[:-1]})?(?P<cue>{VERB})(?:\s+{_HEARER})?"
    rf"|(?P<cue2>{VERB})\s+(?P<source2>[^,;:]{{1,60}}?)){_WHEN}\s*[.!?]?[\"”’')\]]*\s*$"
)
"""A closing tag: ", Smith said." / ", said Smith." (not a clause of its own: ", and Brown agreed.")."""
_TAG_INSIDE = re.compile(
    rf",\s*(?:(?P<source>[^,;:\"“”]{{1,60}}?)\s+(?:{AUX.pattern[:-1]})?(?P<cue>{VERB})|(?P<cue2>{VERB})\s+(?P<source2>[^,;:\"“”]{{1,60}}?))"
    r"(?:\s+(?:on|in|at|last|this|during|late|early|earlier|later|to|reporters|journalists|[A-Z][\w.’'&-]*)\b[^,;:\"“”]{0,30})?,\s*"
)
_TAG_END_APPOSITION = re.compile(
    rf",(?P<close>[\"”’']{{0,2}})\s*(?:(?P<cue2>{OWN_CLAUSE_VERB})\s+(?P<source2>[^,;:]{{1,60}}?),\s+[^;:\"“”]{{2,150}}?"
    rf"|(?P<source>[^,;:]{{1,60}}?),\s+[^;:\"“”]{{2,150}}?,\s+(?:{AUX.pattern[:-1]})?(?P<cue>{OWN_CLAUSE_VERB}){_WHEN})"
    r"\s*[.!?]?[\"”’')\]]*\s*$"
)
_APPOSITION_COMMAS = 3  # commas an apposition may hold ("..., said Ann Lee, a senator from Toledo, Ohio.")
_APPOSITION_REACH = 240  # characters from such a tag to the sentence end


def tag_at_end(text: str, start: int, end: int, mentions: MentionIndex, cues: Cues) -> list[Reported | None]:
    """``CONTENT, SOURCE CUE.`` and ``CONTENT, CUE SOURCE.``, the named source possibly followed or preceded by an
    apposition ("..., said Ann Lee, a senator from Ohio." / "..., Ann Lee, a senator from Ohio, said."); the tag may
    also end the sentence before an aside after a dash ("..., the agency reported on Tuesday -- a development that ...")."""
    may_hold_dash = any(text.find(dash, start, end) >= 0 for dash in ("--", "—", "–"))  # rare: the cheap test first
    aside = max((dash.start() for dash in _ASIDE_DASH.finditer(text, start, end)), default=None) if may_hold_dash else None
    if aside is not None and any(found := _closing_tag(text, start, aside, mentions, cues)):
        return found
    return _closing_tag(text, start, end, mentions, cues)


def _closing_tag(text: str, start: int, end: int, mentions: MentionIndex, cues: Cues) -> list[Reported | None]:
    last_comma = text.rfind(",", start, end)
    if last_comma < 0 or not cues.matching(ANY_CUE, last_comma, end):
        return _tag_with_apposition(text, start, end, mentions, last_comma)
    tag = _TAG_END.match(text, last_comma, end) if end - last_comma <= REACH else None  # the tag must be the sentence's last words
    if tag is None:
        return _tag_with_apposition(text, start, end, mentions, last_comma)
    attribution = _tag_source(text, tag, mentions, before=start, window=(tag.start(), end))
    if attribution is None:  # ", said Tuesday." may end "..., Ann Lee, 45, said Tuesday."
        return _tag_with_apposition(text, start, end, mentions, last_comma)
    return [content_span(text, start, tag.end("close") if tag.group("close") else tag.start(), attribution)]  # 'and "...," X said': the mark closes the content


def _tag_with_apposition(text: str, start: int, end: int, mentions: MentionIndex, last_comma: int) -> list[Reported | None]:
    """A closing tag whose named source has an apposition: tried at the commas before the last one, near the end."""
    comma = last_comma
    for _ in range(_APPOSITION_COMMAS):
        comma = text.rfind(",", start, comma) if comma > start else -1
        if comma < 0 or end - comma > _APPOSITION_REACH:
            return []
        tag = _TAG_END_APPOSITION.match(text, comma, end)
        if tag is None:
            continue
        source = (tag.start("source"), tag.end("source")) if tag.group("source") else (tag.start("source2"), tag.end("source2"))
        named = next(mentions.within(*source), None)
        if named is None or len(text[source[0] : source[1]].split()) > 6 or (tag.group("cue2") and not _may_follow_its_cue(text, source, named)):
            return []
        verb = tag.group("cue") or tag.group("cue2")
        attribution = resolve_speaker(text, verb, named, None, mentions, before=named[0].start, window=(tag.start(), end))
        return [content_span(text, start, tag.end("close") if tag.group("close") else tag.start(), attribution)]
    return []


def tag_inside(text: str, start: int, end: int, mentions: MentionIndex, cues: Cues) -> Reported | None:
    """``CONTENT, SOURCE CUE, CONTENT.``: a tag between commas inside the content ("The plan, she said, is dead"); the
    content is the two pieces either side. Quoted pieces are a direct quote's, found with it."""
    if text[start] in OPENING_MARKS or not _may_hold_tag_inside(text, start, end, cues):
        return None
    for tag in _TAG_INSIDE.finditer(text, start, end):
        verb = tag.group("cue") or tag.group("cue2")
        before, after = strip_span(text, start, tag.start()), strip_span(text, tag.end(), end)
        if before[0] >= before[1] or after[0] >= after[1] or text[after[0]] in OPENING_MARKS or text[tag.start() - 1] in QUOTE_MARKS:
            continue
        closing = _PARTICIPLE_AFTER_TAG.match(text, after[0]) is not None  # "..., Spicer said, adding, ...": a closing tag, whatever its cue
        as_tag = _AS_SOURCE.match(text, tag.start("source")) is not None if tag.group("source") else False  # "..., as the Post reported, ..."
        if verb not in OWN_CLAUSE_CUES and verb not in _INSIDE_TAG_CUES and not closing and not as_tag:
            continue
        attribution = _tag_source(text, tag, mentions, before=tag.start(), window=(tag.start(), tag.end()))
        if attribution is not None and closing:
            return content_span(text, *before, attribution)  # the participle is read on its own
        around = content_around(text, before, after, attribution) if attribution is not None else None
        if around is not None and sum(len(text[a:b].split()) for a, b in around.pieces) >= MIN_WORDS:
            return around
    return None


_AS_SOURCE = re.compile(r"as\s+(?=\S)")
"""A tag opening with "as" ("..., as the Post reported on Saturday, ..."): any cue tags the sentence around it."""
_INSIDE_TAG_CUES = frozenset(["promised", "vowed", "complained", "joked", "quipped", "countered", "boasted", "lamented", "speculated", "mused"])
"""Cues that take no clause of their own ("she vowed that ..." or "to ...") but do tag one from between its commas ("A Lee
presidency, she vowed, would ...")."""
_PARTICIPLE_AFTER_TAG = re.compile(r"(?:adding|saying|noting|explaining|arguing|insisting|stressing|warning|calling|referring|citing|quoting)\b")
"""A participle going on from a tag between commas (", Spicer said, adding ..." / ", the Post reported, citing a source."):
the tag closes the content before it."""


def _may_hold_tag_inside(text: str, start: int, end: int, cues: Cues) -> bool:
    """Whether a cue lies between two commas of the sentence, as a tag inside it does: tested first, since ``_TAG_INSIDE``
    is tried at every comma."""
    return cues.any_within(text.find(",", start, end) + 1, text.rfind(",", start, end))


def _may_follow_its_cue(text: str, source: tuple[int, int], named: tuple[TextSpan, NameCandidate] | None) -> bool:
    """Whether what follows a cue can be its source: not its object (", adding to Clinton's wins,") nor a clause
    (", said Obama failed to act.")."""
    if _NOT_A_SOURCE.match(text, source[0]):
        return False
    return named is None or not _CLAUSE_WORD.search(text, named[0].end, source[1])


def _tag_source(text: str, tag: re.Match[str], mentions: MentionIndex, *, before: int, window: tuple[int, int]) -> Attribution | None:
    """The attribution of a speech tag (``SOURCE CUE`` or ``CUE SOURCE``): a name, a pronoun or a source noun, else None."""
    verb = tag.group("cue") or tag.group("cue2")
    source = (tag.start("source"), tag.end("source")) if tag.group("source") else (tag.start("source2"), tag.end("source2"))
    if len(text[source[0] : source[1]].split()) > 6:
        return None
    names = mentions.within(*source)
    named = next(names, None)
    if tag.group("cue2") and not _may_follow_its_cue(text, source, named):
        return None
    if named is not None:
        named = titled_person(text, named, names)  # "said former Pennsylvania Gov. Ed Rendell": Rendell, not Pennsylvania
        return resolve_speaker(text, verb, named, None, mentions, before=named[0].start, window=window)
    pronoun = re.fullmatch(r"\s*(he|she|it|they|He|She|It|They)\s*", text[source[0] : source[1]])
    if pronoun is not None:
        return resolve_speaker(text, verb, None, pronoun.group(1), mentions, before=before, window=window)
    by_noun = noun_source(text, source[0], source[1], verb, mentions)
    if by_noun is None and tag.group("cue2") and _SOURCE_PHRASE.fullmatch(text, *source) and _names_people(text[source[0] : source[1]]):
        return Attribution(cue=verb.lower())  # "..., said several observers.": unnamed people
    if by_noun is not None or tag.group("cue2") or not _SOURCE_PHRASE.fullmatch(text, *source):
        return by_noun  # ", said the plan would fail": after its cue a phrase may be a clause
    proper = PROPER_SUBJECT.search(text, source[0], source[1])  # "the Post reported": the Washington Post named before
    return (short_name(text, proper.start(), proper.end(), verb, mentions) if proper else None) or Attribution(cue=verb.lower())


_AGENT_NOUN = re.compile(r"[a-z]{2,}(?:ers|ors|ists|ants|ents|ians)")
"""A plural noun for people by what they do: "observers", "analysts", "participants", "historians"."""


def _names_people(phrase: str) -> bool:
    """Whether a noun phrase ends in a noun for people (a role, or an agent noun in the plural), as a source after its cue
    does ("several observers", "a former aide"), unlike a clause ("the plan would fail")."""
    head = phrase.split()[-1].lower()
    return head in ROLE_NOUNS or head.removesuffix("s") in ROLE_NOUNS or _AGENT_NOUN.fullmatch(head) is not None
