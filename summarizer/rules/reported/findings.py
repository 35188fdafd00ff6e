"""Findings of polls, studies and records: "a Quinnipiac University poll shows [Trump leads in Ohio]", "the audit found that
[...]", "[...], a study by the Council of the Great City Schools found."

The source is a document, not a person, and only a document noun can be the subject of a finding verb here: "Smith found
the keys" and "the video shows" are no findings. Its author is the name inside the subject ("a CNN/ORC poll", "a study
by Ann Lee") when it names an organisation or a person (not "a new Iowa poll"); else, for one document named with "the"
("the report found"), the outlet it stands for (:func:`..speakers.nominal_source`); else none ("Polls show ...": no one
in particular).
"""

from __future__ import annotations

import re

from ..speakers import Attribution, MentionIndex, nominal_source, resolve_speaker
from ..text import strip_span
from .content import Reported, content_span

_DOCUMENT = (
    r"polls?|polling|surveys?|study|studies|reports?|data|figures|statistics|numbers|results|returns|records|documents|filings|"
    r"e-?mails|memos?|review|analysis|audit|investigation|inquiry|probe|research|estimates|projections|census|findings|assessment|tally"
)
_MODIFIER = (
    r"new|latest|recent|national|nationwide|statewide|early|exit|internal|public|federal|official|independent|separate|online|state|"
    r"government|campaign|preliminary|final|annual|rolling|daily|weekly|monthly|quarterly|unofficial|own|several|many|other|most|some|"
    r"two|three|both|all|partial|congressional|academic|scientific|published|police|court|financial|disclosure|tax|phone|opinion"
)
"""Lower-case words that may stand between a document's determiner and its noun ("the latest national poll"): names and
numbers may too ("a CNN/ORC poll", "a Sept. 15, 2011 email"), but no verb, so the subject never reaches past one."""
_SUBJECT = re.compile(
    rf"\s*(?P<determiner>\b(?:[Tt]he|[Aa]n?|[Tt]his|[Tt]hat|[Tt]hese|[Tt]hose|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir|[Oo]ur)\s+)?"
    rf"(?P<modifiers>(?:(?:[A-Z0-9$][^\s,;:!?\"“”]*|{_MODIFIER})\s+){{0,5}}?)(?P<noun>(?<![\w’'-])(?i:{_DOCUMENT}))"
    r"(?P<author>\s+(?:(?:conducted|commissioned|released|published|carried\s+out)\s+)?by\s+[^,;:\"“”]{2,120}?)?"
    r"(?:\s+(?:released|published|issued|out)\b[^,;:\"“”]{0,30}?)?\s+(?:(?:also|has|have|had|recently|previously|consistently|now|again)\s+)*$"
)
"""A document ending the words before a finding verb, perhaps with its author after "by" ("a study by X found")."""
_DOCUMENT_WORD = re.compile(rf"(?i:{_DOCUMENT})\b")
_REACH = 200  # characters before a finding verb where its subject is looked for
_CLOSING = re.compile(r"\s*(?:[.!?]?[\"”’')\]]*\s*$|,)")
"""What follows a finding verb that ends its clause: the sentence's end, or a comma ("..., a new poll finds, a debate that ...")."""
_AUTHOR_KINDS = frozenset({"organization", "person", "group"})
_THAT = re.compile(r"\s*that\b")


def finding(text: str, start: int, end: int, cue: re.Match[str], mentions: MentionIndex) -> Reported | None:
    """``DOCUMENT VERB [that] CONTENT``, or ``CONTENT, DOCUMENT VERB.`` when the verb ends the sentence."""
    head_start = max(start, cue.start() - _REACH)
    closing = _CLOSING.match(text, cue.end(), end) is not None
    if closing:
        comma = text.rfind(",", head_start, cue.start())
        subject = _SUBJECT.fullmatch(text, comma + 1, cue.start()) if comma >= 0 else None
        if subject is None:
            return None  # ", Smith found.": not a document
        return content_span(text, start, comma, _author(text, subject, cue.group("cue"), mentions))
    if _DOCUMENT_WORD.search(text, head_start, cue.start()) is None:
        return None  # the common case ("found a way", "shows up"), told at the cost of one plain scan
    subject = _SUBJECT.search(text, head_start, cue.start())
    if subject is None:
        return None
    that = _THAT.match(text, cue.end(), end)
    content_start = that.end() if that else cue.end()
    return content_span(text, *strip_span(text, content_start, end), _author(text, subject, cue.group("cue"), mentions))


def _author(text: str, subject: re.Match[str], cue: str, mentions: MentionIndex) -> Attribution:
    """Who a finding is from: a name in the subject's author or modifiers, else the outlet "the report" stands for, else no one."""
    for start, end in (subject.span("author"), (subject.start("modifiers"), subject.end("noun"))):
        named = next((m for m in mentions.within(start, end) if m[1].kind in _AUTHOR_KINDS or m[0].end == subject.end("noun")), None)
        if named is not None:  # "a study by Ann Lee", "a CNN poll", "the Morning Consult Poll" (the document's own name)
            return resolve_speaker(text, cue, named, None, mentions, before=named[0].start, window=subject.span())
    determiner = (subject.group("determiner") or "").strip().lower()
    noun = subject.group("noun")
    if determiner in ("the", "this", "that") and not noun.endswith("s"):
        return nominal_source(text, noun, cue, before=subject.start("noun"), mentions=mentions)
    return Attribution(cue=cue.lower())
