"""Sources around the content: "according to SOURCE" before or after it, "As SOURCE said," and "As reported by SOURCE,"."""

from __future__ import annotations

import dataclasses
import re

from ..candidates import NameCandidate, TextSpan
from ..speakers import Attribution, MentionIndex, mention_after, noun_source, opening_person, resolve_speaker
from .content import QUOTE_MARKS, Reported, content_around, content_span
from .cues import VERB

_AS_SOURCE_SAID = re.compile(rf"\s*As\s+(?P<source>[^,]{{2,60}}?)\s+(?:has\s+|had\s+)?(?P<cue>{VERB})(?:\s+(?:on|in|last|this|earlier)\s[^,;:]{{1,40}})?,\s*")
"""``As SOURCE CUE [when or where], CONTENT`` ("As the Times reported on Tuesday, ...", "As Smith noted in his book, ...")."""
_ACCORDING_START = re.compile(r"\s*[Aa]ccording\s+to\s+(?P<source>[^,]{2,150}),\s*")
_ACCORDING_END = re.compile(r"(?:,\s*|\s+)according\s+to\s+(?P<source>[^,;]{2,150}?)\s*(?:,|\s[-–—]\s|[.!?]?[\"”’')\]]*\s*$)")
"""``CONTENT, according to SOURCE`` at the end of the sentence or before a comma ("Trump leads, according to the poll, though ...")."""
_PREDICATE = re.compile(r"\s*(?:[^,;:\"“”]{1,80},\s*)?(?P<verb>(?:is|was|are|were|has|have|had|will|would|could|should|can|may|might|must|remains|remained)\b)")
"""The verb of a clause going on after an "according to" tag (past an apposition of its source): the words before the tag
are its subject, not a clause of their own ("At the heart of it, according to X, a former envoy, was a decision ...")."""
_LEAD_IN_WORDS = 4  # "Since last November, according to X, ...": a lead-in this short is content the tag cuts in two
_AS_REPORTED_BY = re.compile(r"\s*[Aa]s\s+(?:first\s+|previously\s+|originally\s+)?(?P<cue>reported)\s+by\s+(?P<source>[^,]{2,80}),\s*")
"""``As reported by SOURCE, CONTENT`` ("As reported by the Herald, investigators found ...")."""
_SOURCE_FORMS = ((_ACCORDING_START, "after"), (_ACCORDING_END, "before"), (_AS_SOURCE_SAID, "after"), (_AS_REPORTED_BY, "after"))


def according_to(text: str, start: int, end: int, mentions: MentionIndex) -> list[Reported | None]:
    found: list[Reported | None] = []
    forms = _SOURCE_FORMS if _may_say_according_to(text, start, end) else _SOURCE_FORMS[2:]
    for pattern, content in forms:
        at = _clause_start(text, start, end) if pattern is _ACCORDING_START else start
        match = pattern.match(text, at, end) if content == "after" else pattern.search(text, start, end)
        if match is None:
            continue
        source = (match.start("source"), match.end("source"))
        named = _person_ending(text, source, mentions) or mention_after(text, source[0], source[1], mentions) or next(mentions.within(*source), None)
        cue = match.group("cue") if "cue" in pattern.groupindex else "according to"
        if named is not None:
            attribution = resolve_speaker(text, cue, named, None, mentions, before=source[0], window=source)
        else:
            attribution = noun_source(text, source[0], source[1], cue, mentions) or Attribution(cue=cue)
        if content == "before" and (text[start] in QUOTE_MARKS or text[start : match.start()].endswith((":", ";"))):
            continue  # '"...," Kim said, according to Yonhap': a direct quote and its tag; "...: according to X, ...": X's words follow
        if content == "before" and text[match.end() - 1] == "," and len(text[start : match.start()].split()) <= _LEAD_IN_WORDS:
            found.append(content_around(text, (start, match.start()), (match.end(), end), attribution))  # "Since May, according to X, ..."
            continue
        between_commas = content == "before" and text[match.start()] == "," and text[match.end() - 1] == ","
        predicate = _PREDICATE.match(text, match.end(), end) if between_commas else None
        if predicate is not None:  # "At the heart of it, according to X, a former envoy, was a decision ...": one clause, cut in two
            found.append(content_around(text, (start, match.start()), (predicate.start("verb"), end), attribution))
            continue
        if content == "after" and (quoting := _QUOTING.match(text, match.end(), end)) is not None:
            # "According to Yonhap, quoting KCNA, the army ...": KCNA's words, via Yonhap
            owners_skipped = (m for m in mentions.within(*quoting.span("source")) if not text.startswith(("'s", "’s"), m[0].end))
            quoted = next(owners_skipped, None)  # "quoting North Korea's news agency KCNA": the agency, not its owner
            inner = resolve_speaker(text, cue, quoted, None, mentions, before=quoted[0].start, window=quoting.span("source")) if quoted else None
            attribution = dataclasses.replace(inner or Attribution(cue=cue), via=attribution.speaker or attribution.via)
            found.append(content_span(text, quoting.end(), end, attribution))
            continue
        if content == "after":
            named_after = opening_person(text, match.end(), end, mentions)
            if named_after is not None:  # "According to the team's coach, Ann Lee, the robot ...": Lee speaks, the content follows
                attribution = resolve_speaker(text, cue, named_after, None, mentions, before=named_after[0].start, window=source)
                found.append(content_span(text, text.index(",", named_after[0].end) + 1, end, attribution))
                continue
        found.append(content_span(text, match.end(), end, attribution) if content == "after" else content_span(text, start, match.start(), attribution))
    return found


def _clause_start(text: str, start: int, end: int) -> int:
    """Where "According to" may open a clause: the sentence start, or just past a colon or semicolon before it
    ("And it hasn't gone unnoticed: according to recent polls, ...")."""
    cue = text.find("ccording", start, end) - 1
    if cue > start and text[start:cue].rstrip().endswith((":", ";")):
        return cue
    return start


_QUOTING = re.compile(r"(?:quoting|citing)\s+(?P<source>[^,;]{2,150}),\s*")
"""A second source after "according to X,": X passes on its words ("quoting KCNA, ...")."""


def _may_say_according_to(text: str, start: int, end: int) -> bool:
    """Whether "according to" may open or close the sentence: its words looked for as plain text first, since its
    patterns are tried at every space of the sentence."""
    return text.find("ccording", start, end) >= 0


def _person_ending(text: str, source: tuple[int, int], mentions: MentionIndex) -> tuple[TextSpan, NameCandidate] | None:
    """A person's name ending the source, its title or role before it ("USA TODAY contributor and historian David Marsh"):
    the speaker, not the outlet or place the title names."""
    end = source[0] + len(text[source[0] : source[1]].rstrip())
    return mentions.before(end, accept=lambda span, name: span.end == end and name.kind == "person", min_end=end)
