"""Reported speech: "Iran says the US is the main obstacle", "the US is the obstacle, Iran says", "according to officials, ...".

Each finding is the reported content (source and cue excluded), its cue and
its source, resolved like a direct quote's speaker (:mod:`.speakers`). Forms
covered, within one sentence:

* ``SOURCE [aux] CUE [object] [adverbial] [that] CONTENT`` ("Smith told
  reporters on Monday that ..."), the source a name, a pronoun or a
  source noun ("the report noted", "officials said");
* ``CONTENT, SOURCE CUE.`` and ``CONTENT, CUE SOURCE.`` at the sentence end, the content
  possibly ending in quoted words ('the budget was cut and "schools will suffer," Smith said'),
  a named source possibly with an apposition ("..., said Ann Lee, the mayor.");
* ``CONTENT, SOURCE CUE, CONTENT.``: a tag inside the content, which comes in two pieces;
* ``according to SOURCE, CONTENT`` and ``CONTENT, according to SOURCE[, ...]``;
* ``SOURCE's claim/statement/warning that CONTENT``, the source a name or a possessive pronoun ("his warning that").

Content holding quoted words is ``partial`` (a mixed quote), else
``indirect``. A cue inside a direct quote reports someone else's words there
(nested attribution): the content stops at the quote's end and comes ``via``
the quote's speaker.

A reported question ("X asked whether CLAUSE", "X asked Y why CLAUSE") is
content from its question word on. A naming or judging verb followed soon by
quoted words is a partial quote of a named source: "X called the plan a
'disaster'", "X defended him as a 'decent man'", "X called for more 'flexibility'";
without quoted words such a verb reports an act, not words.

Speech acts whose content follows them are reported speech of a named
speaker, their content up to the end of its clause: promises ("X vowed [to
block the plan]"), requests ("X urged [the council to act]", "X called on
[Y to resign]") and accusations ("X accused [Y of lying]").

Left out on purpose: beliefs, wishes and plans ("X believes", "X wants",
"X expects"), acts on a thing rather than a proposition ("X criticized Y",
"X spoke about taxes": stances and topics, not words), passives ("X was
asked to", "X is said to be"), promises of things ("the budget promises to"),
and reported speech without a source ("it is said that"). A reader does not
call them quotes, though PolNeAR's annotators mark them as attributions.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .candidates import NameCandidate, QuoteCandidate, TextSpan
from .lexicon import REPORTING_VERBS, SPEECH_NOUNS, word_alternation
from .speakers import (
    PARTICIPLE_PREPOSITION,
    Attribution,
    MentionIndex,
    after_determiner,
    mention_after,
    noun_source,
    opening_person,
    resolve_speaker,
    sentence_subject,
    short_name,
    tag_before_participle,
)
from .text import holds_any, sentence_breaks, strip_span


@dataclass(frozen=True)
class Reported:
    """Reported content ``text[start:end]``, its kind and its attribution."""

    start: int
    end: int
    kind: Literal["indirect", "partial"]
    attribution: Attribution
    nested: bool = False  # reported inside a direct quote, by someone else ("IRNA said: 'the leader has said ...'")
    pieces: tuple[tuple[int, int], ...] = ()  # the content either side of a tag inside it ("The plan, she said, is dead")


_VERB = word_alternation(sorted(REPORTING_VERBS))
_CUE = re.compile(rf"(?<![\w’'-])(?P<cue>{_VERB})\b")
_ANY_CUE = re.compile(rf"(?<![\w’'-])(?:{_VERB}|[Aa]ccording to)\b")
_REACH = 80  # characters before a cue where its subject is looked for
_AUX = re.compile(
    r"(?:\b(?:has|have|had|also|later|then|again|previously|repeatedly|recently|once|would|will|may|might|did|does|do|has\s+since|just|already|publicly|privately|"
    r"quickly|flatly|firmly|clearly|simply|often|frequently|long|first|further|separately|however|though|still|too|instead|meanwhile|now|[a-z]+ly|"
    r"earlier|later|(?:(?:on|last|this|early|late|earlier|later)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|tonight|"
    r"week|weekend|month|year|morning|afternoon|evening|night))\s+)+$"
)
_PRONOUN_SUBJECT = re.compile(r"(?<![\w’'-])(?P<pronoun>he|she|they|it|we|I|He|She|They|It|We)\s*$")
_GROUP_SUBJECT = re.compile(
    r"(?<![\w’'-])(?:[a-z]+s|people|who|Americans|Republicans|Democrats|Conservatives|Liberals|\d+|percent|majority|half|third|quarter|[Mm]ost|[Mm]any|[Ff]ew|"
    r"[Ss]ome|[Oo]thers|[Ss]everal|[Bb]oth|[Aa]ll)\s*$"
)
_PROPER_SUBJECT = re.compile(
    r"(?<![\w’'-])(?!(?:But|And|Or|So|Then|Also|Yet|Still|Now|Here|There|This|That|These|Those|It|As|When|While|If|Asked|Later|Earlier|The|A|An|In|On|At|"
    r"For|Of|By|With|To|From|His|Her|Their|Its|Our|My|Your|What|Who|How|Why|Where|Which|One|No|Not)\b)[A-Z][\w.’'&-]*\s*$"
)
_NAME_SUFFIX = re.compile(r"\.?(?:,?\s*(?:Jr|Sr)\.?|\s+(?:II|III|IV)|,?\s*\(?[RDI]-[A-Z][\w.]*\)?|,\s*\d{1,3})*,?\s*")
"""What may follow a name before its cue: "Jr.", "III", a party label ("R-Fla.", "(D-Ore.)"), an age (", 45")."""
_SUFFIX_REACH = 20  # characters a suffix takes after a name
_TAGGED = re.compile(rf"[\"”’']*\s*(?:[^,;:.!?\"“”]{{1,60}}?\s+)?(?:{_VERB})(?:\s+[^,;:.!?\"“”]{{1,60}}?)?,\s*")
"""The tag between a quote and a participle: '," Smith said, ' / '," said Smith, '."""
_QUESTION = re.compile(
    r"(?:\s+(?!(?:whether|if|why|how|what|when|where|who|which|for|to|about)\b)[\w.’'&-]+){0,4}?\s+(?P<word>whether|if|why|how|what|when|where|who|which)\s+\w"
)
_WHO = re.compile(r",\s+who\s+$")
_DASHED_END = re.compile(r"\s*[—–]\s*[^—–]{1,80}?\s*[—–]$")
_PARENTHETICAL_END = re.compile(r"\s*\([^()]{1,30}\)$")
_ELIDED_SUBJECT = re.compile(r"(?:,|\b(?:and|but|while|before|after|also))\s*$")
_NOUN_PHRASE = re.compile(
    r"(?<![\w’'-])(?:[Tt]he|[Aa]n?|[Tt]his|[Tt]hat|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Oo]ne|[A-Z][\w-]*[’']s?)\s+(?:[\w’'-]+\s+){0,3}?[a-z][\w-]*\s*$"
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
    r"afternoon|evening|night)\b[\s,]*|[\s,]*(?:in|at|during)\s+(?:a|an|the|his|her|their|its)\s+(?:[\w-]+\s+){0,2}?(?:statement|interview|speech|"
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
    r"(?:to|of|about|so|nothing|anything|something|little|much|more|whether|(?:yes|no|goodbye|hello|thanks|otherwise|hi)(?=\s*[,.!?;]|$)|thank|from|in|at|on|with|for|after|"
    r"before|during|by|live)\b|it\b(?=\s*(?:[,.;:!?)]|$|(?:to|again|best|all|before|in|on|at|for|with|about|loud|aloud|too|and|but|or|so|because|when|then|out|twice|once|first|himself|herself|themselves|myself|yourself|over|up|down|back|here|there)\b))|(?:them|him)\b|(?:this|that)\b(?=\s*[.,;!?]|$)|[^\w$]|$",
    re.IGNORECASE,
)
_NAMING_VERB = r"call(?:s|ed|ing)|dub(?:s|bed|bing)|label(?:s|ed|led|ing|ling)|brand(?:s|ed|ing)|describ(?:e|es|ed|ing)|refer(?:s|red|ring)\s+to"
_NAMING_CUE = re.compile(rf"(?<![\w’'-])(?P<cue>{_NAMING_VERB})\b")
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
_QUESTION_VERB = r"[Aa]sk|[Aa]sks|[Aa]sked|[Aa]sking|wondered|wonders|wondering"  # "Asked whether ..., Lee said": a question opening the sentence
_QUESTION_CUE = re.compile(rf"(?<![\w’'-])(?P<cue>{_QUESTION_VERB})\b")
_JUDGING_VERB = (
    r"(?:prais|criticiz|criticis|defend|dismiss|blam|liken|compar|applaud|slamm|blast|accus|urg|impli|cit|tout|hail|mock|"
    r"deride|derid|denounc|condemn|laud|credit|fault|promis|vow|pledg|question|thank|welcom|celebrat|lament|bemoan|complain|jok|apologiz|apologis)"
    r"(?:e|es|ed|s|ing)?|decri(?:ed|es)|decry(?:ing)?|(?:call|push|argu|insist)(?:e|s|es|ed|ing)?\s+(?:for|on)|warn(?:s|ed|ing)\s+of"
)
_JUDGING_CUE = re.compile(rf"(?<![\w’'-])(?P<cue>{_JUDGING_VERB})\b")
"""Verbs that judge, promise or demand, with quoted words soon after ("defended his manager as a 'very decent man'")."""
_PROMISE_VERB = r"promis(?:e|es|ed|ing)|pledg(?:e|es|ed|ing)|vow(?:s|ed|ing)?"
_REQUEST_VERB = r"urg(?:e|es|ed|ing)|implor(?:e|es|ed|ing)|challeng(?:e|es|ed|ing)|ask(?:s|ed|ing)?|call(?:s|ed|ing)?\s+on"
_ACCUSING_VERB = r"accus(?:e|es|ed|ing)"
_ACT_VERB = rf"{_PROMISE_VERB}|{_REQUEST_VERB}|{_ACCUSING_VERB}"
_TO_VERB = r"(?:not\s+)?to\s+(?!(?:a|an|the|his|her|their|its|our|my|your|this|these|those|that|him|them|me|us|it)\b)[a-z]"
_ACT_OBJECT = r"(?!(?:for|about|of|on|in|at|to|whether|if|why|how|what|when|where|who|which|that)\b)(?:[\w’'.-]+\s+){1,6}?"
_ACT_CUE = re.compile(
    rf"(?<![\w’'-])(?P<cue>(?:{_PROMISE_VERB})(?=\s+{_TO_VERB})|(?:{_REQUEST_VERB})(?=\s+{_ACT_OBJECT}{_TO_VERB})"
    rf"|(?:{_ACCUSING_VERB})(?=\s+{_ACT_OBJECT}of\s+[a-z]))\s+"
)
"""Speech acts with their content after them: a promise or threat ("vowed [to block the plan]"), a request
("urged [the council to cut the budget]"), an accusation ("accused [the mayor of lying]")."""
_ACT_CLAUSE_END = re.compile(r"[,;:(—―]|\s[-–]{1,2}\s")
"""Where the content of a speech act ends: its first clause ("vowed [to block the plan], calling it ...")."""
_QUOTED_SOON = re.compile(r"\s+(?:[^\s\"“”‘«']+\s+){0,8}?(?:[\"“‘«]|'')(?=\w)")
_SPEECH_NOUN_CUE = word_alternation(sorted(SPEECH_NOUNS))
_FAMILIES = (
    ("speech", re.compile(rf"(?:{_VERB}|[Aa]ccording to)")),
    ("noun", re.compile(_SPEECH_NOUN_CUE)),
    ("naming", re.compile(_NAMING_VERB)),
    ("judging", re.compile(_JUDGING_VERB)),
    ("question", re.compile(_QUESTION_VERB)),
    ("act", re.compile(_ACT_VERB)),
)
_CUE_INITIAL = r"(?=[a-zA])"
"""Every cue starts with a lower-case letter or the "A" of "According to" and "Asked": one test lets the scan leave a word starting with
anything else (a capital, a digit, a mark) at once, before its alternatives are tried one by one."""
_SENTENCE_CUE = re.compile(
    rf"(?<![\w’'-]){_CUE_INITIAL}(?:{_JUDGING_VERB}|{_NAMING_VERB}|{_VERB}|[Aa]ccording to|{_QUESTION_VERB}|{_ACT_VERB}|{_SPEECH_NOUN_CUE})\b"
)
"""Any cue of the forms above, one look-behind for all: which sentences are read at all."""
_OPENING_MARKS = "\"“‘'«„"
_THAT_BEFORE = re.compile(r"\bthat\s*$")
_IT_SUBJECT = re.compile(r"it(?:\s+[a-z]|[’'](?:s|ll|d)\b)")
_OWN_CLAUSE_CUES = frozenset(
    [
        "said",
        "says",
        "say",
        "told",
        "tells",
        "tell",
        "added",
        "adds",
        "wrote",
        "writes",
        "argued",
        "argues",
        "insisted",
        "insists",
        "warned",
        "claimed",
        "explained",
        "explains",
        "declared",
        "acknowledged",
        "stressed",
        "emphasized",
        "emphasised",
        "suggested",
        "suggests",
        "noted",
        "predicted",
        "conceded",
        "concedes",
        "contended",
        "asserted",
        "recalled",
        "revealed",
        "admitted",
        "admits",
        "confirmed",
        "denied",
        "replied",
        "responded",
        "saying",
        "adding",
        "telling",
        "tweeted",
        "announced",
        "reiterated",
        "cautioned",
        "maintained",
        "alleged",
        "testified",
        "agreed",
        "remarked",
        "observed",
    ]
)
"""Cues that take a reported clause without "that". The others double as nouns or other verbs ("states that vote",
"claiming his third victory", "a battery charge"), so they need "that" before the content."""
_OWN_CLAUSE_VERB = word_alternation(sorted(_OWN_CLAUSE_CUES))
_PASSIVE = re.compile(r"\b(?:is|was|were|are|been|be|being)\s+$")
_PASSIVE_REACH = 16  # "being" and the spaces after it
_HEAD_REACH = 1000
_POSSESSIVE_GAP = 8  # what may lie between a name and the cue after it: "’s" and spaces
_THAT = re.compile(r"[\s,]*(?:\S+\s+){0,6}?that\b")
_AS_SOURCE_SAID = re.compile(rf"\s*As\s+(?P<source>[^,]{{2,60}}?)\s+(?:has\s+|had\s+)?(?P<cue>{_VERB}),\s*")
_ACCORDING_START = re.compile(r"\s*[Aa]ccording\s+to\s+(?P<source>[^,]{2,150}),\s*")
_ACCORDING_END = re.compile(r"(?:,\s*|\s+)according\s+to\s+(?P<source>[^,;]{2,150}?)\s*(?:,|\s[-–—]\s|[.!?]?[\"”’')\]]*\s*$)")
"""``CONTENT, according to SOURCE`` at the end of the sentence or before a comma ("Trump leads, according to the poll, though ...")."""
_WHEN = r"(?:[\s,]+(?:(?:on|in|at|last|this|during|late|early)\b[^,;:]{0,40}|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|tonight)\b))?"
"""The time or occasion a closing tag may end with ("..., Smith said on Monday." / "..., Smith said Tuesday.")."""
_CLAUSE_WORD = re.compile(r"\s(?!(?:of|for|from|at|in|with|and)\b)[a-z]")
"""A lowercase word after the name in ", said Ann Lee ...": the name starts a clause ("said Obama failed"), save for "of Ohio"."""
_NOT_A_SOURCE = re.compile(r"(?:to|of|in|on|at|for|with|by|from|about|up|out|his|her|their|its|our|my|that|this|it)\b|(?:he|she|they|we|I|you)\s+\w")
"""What cannot open a source after its cue: a preposition or possessive (its object), or a pronoun and more words (a clause:
", says he didn't know Sanders"; ", said he." is a source)."""
_SOURCE_PHRASE = re.compile(r"\s*(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Oo]ne|[Tt]wo|[Ss]everal|[Ss]ome|[Mm]any|[Oo]ther)(?:\s+[\w’'.-]+){1,4}\s*")
"""A noun phrase that can speak in a closing tag ("..., the Post reported", "..., her friend said")."""
_LEAD_IN_WORDS = 4  # "Since last November, according to X, ...": a lead-in this short is content the tag cuts in two
_HEARER = r"(?:reporters|journalists|lawmakers|supporters|(?:the\s+)?[A-Z][\w.’'&-]*(?:\s+[A-Z][\w.’'&-]*){0,3})"
"""Whom a closing tag's source told ("..., he told Xinhua.")."""
_ASIDE_DASH = re.compile(r"\s+(?:--|[—–])\s+")
"""A dash that may open an aside ending a sentence ("..., X said -- a move that ...")."""
_TAG_END = re.compile(
    rf",(?P<close>[\"”’']{{0,2}})\s*(?:(?!\s*(?:and|but|or|yet)\s)(?P<source>[^,;:]{{1,60}}?)\s+(?:{_AUX.pattern[:-1]})?(?P<cue>{_VERB})(?:\s+{_HEARER})?"
    rf"|(?P<cue2>{_VERB})\s+(?P<source2>[^,;:]{{1,60}}?)){_WHEN}\s*[.!?]?[\"”’')\]]*\s*$"
)
"""A closing tag: ", Smith said." / ", said Smith." (not a clause of its own: ", and Brown agreed.")."""
_TAG_INSIDE = re.compile(
    rf",\s*(?:(?P<source>[^,;:\"“”]{{1,60}}?)\s+(?:{_AUX.pattern[:-1]})?(?P<cue>{_VERB})|(?P<cue2>{_VERB})\s+(?P<source2>[^,;:\"“”]{{1,60}}?))"
    r"(?:\s+(?:on|in|at|last|this|during|late|early|earlier|later|to|reporters|journalists|[A-Z][\w.’'&-]*)\b[^,;:\"“”]{0,30})?,\s*"
)
_TAG_END_APPOSITION = re.compile(
    rf",(?P<close>[\"”’']{{0,2}})\s*(?:(?P<cue2>{_OWN_CLAUSE_VERB})\s+(?P<source2>[^,;:]{{1,60}}?),\s+[^;:\"“”]{{2,150}}?"
    rf"|(?P<source>[^,;:]{{1,60}}?),\s+[^;:\"“”]{{2,150}}?,\s+(?:{_AUX.pattern[:-1]})?(?P<cue>{_OWN_CLAUSE_VERB}){_WHEN})"
    r"\s*[.!?]?[\"”’')\]]*\s*$"
)
_APPOSITION_COMMAS = 3  # commas an apposition may hold ("..., said Ann Lee, a senator from Toledo, Ohio.")
_APPOSITION_REACH = 240  # characters from such a tag to the sentence end
_SPEECH_NOUN = re.compile(rf"(?P<noun>{_SPEECH_NOUN_CUE})\s+(?:(?:on|in|last|this)\s+\w+\s+)?that\s+")
"""A noun of speech before ``that CONTENT`` ("claim that", "warning on Wednesday that")."""
_SPEECH_NOUN_OWNER = re.compile(r"(?:(?P<owner>[’']s)|\b(?P<pronoun>[Hh]is|[Hh]er|[Tt]heir|[Ii]ts))\s+(?:[\w-]+\s+)??$")
"""The owner ending the words before a speech noun: a name's possessive or a pronoun, perhaps with one adjective
("Iran's claim", "his stern warning")."""
_OWNER_REACH = 40
_VERB_OPENING = re.compile(
    r"(?:[a-z]+ed|is|was|were|are|has|had|have|will|would|could|can|may|might|should|must|does|did|do|seems|made|came|went|got|drew|led|left|took|gave)\b"
)
_MIN_WORDS = 3
_TAG_WORDS = 6  # words between a closing quote mark and a cue that tags that quote
_QUOTE_MARKS = '"“”„«»'
_MARKS_IN = re.compile(r"[\"“”„«»]|''")


def find_reported(text: str, paragraphs: Sequence[tuple[int, int]], mentions: MentionIndex, direct: Sequence[QuoteCandidate]) -> list[Reported]:
    """Reported speech in every sentence of ``text``, in text order (see the module docstring)."""
    found: list[Reported] = []
    cues = _Cues(text)
    near = _QuotesNear(direct)
    for start, end in paragraphs:
        if not cues.any_within(start, end):
            continue
        cuts = [start, *sentence_breaks(text, start, end), end]
        for a, b in zip(cuts, cuts[1:]):
            sentence = strip_span(text, a, b)
            if sentence[0] < sentence[1] and cues.any_within(*sentence):
                found.extend(_in_sentence(text, sentence, mentions, near.touching(*sentence), cues))
    return _distinct(found)


class _Cues:
    """Where the cues of every form start in one text, found by one pass of ``_SENTENCE_CUE``; a form's cues in a sentence are
    matched only there.

    A cue of one form (``_CUE``, ``_NAMING_CUE``, ...) can start only where some cue does: ``_SENTENCE_CUE`` holds them all,
    and the second word of a two-word cue ("called on", "according to") starts none. So matching a form's pattern at those
    starts finds what a scan of the sentence would, without reading the sentence again. Sentences end before a space or the
    text's end, where a cue ends the same whether the match may look past the sentence or not.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._matches = list(_SENTENCE_CUE.finditer(text))
        self._starts = [match.start() for match in self._matches]

    def any_within(self, start: int, end: int) -> bool:
        return holds_any(self._starts, start, end)

    def families(self, start: int, end: int) -> frozenset[str]:
        """The forms the cues in ``[start, end)`` open."""
        return frozenset().union(*(_families(match.group()) for match in self._matches[self._slice(start, end)]))

    def matching(self, pattern: re.Pattern[str], start: int, end: int) -> list[re.Match[str]]:
        """What ``pattern.finditer(text, start, end)`` finds, for a cue pattern of one form and a sentence ``[start, end)``."""
        found = []
        for cue_start in self._starts[self._slice(start, end)]:
            match = pattern.match(self._text, cue_start, end)
            if match is not None:
                found.append(match)
        return found

    def _slice(self, start: int, end: int) -> slice:
        return slice(bisect.bisect_left(self._starts, start), bisect.bisect_left(self._starts, end))


@functools.lru_cache(maxsize=1024)
def _families(cue: str) -> frozenset[str]:
    """Which forms a cue opens ("urged" is a speech cue and a judging one; "warned of" a judging one, "warned" a speech
    one), so a sentence reads only those."""
    first = cue.split()[0]
    return frozenset(family for family, pattern in _FAMILIES if pattern.fullmatch(cue) or pattern.fullmatch(first))


class _QuotesNear:
    """Direct quotes in text order, cut down to those that may touch one sentence: what each sentence's checks read."""

    def __init__(self, direct: Sequence[QuoteCandidate]) -> None:
        self.direct = direct
        self.starts = [quote.start for quote in direct]
        self.reach = list(itertools.accumulate((quote.end for quote in direct), max))  # the furthest end up to each quote

    def touching(self, start: int, end: int) -> Sequence[QuoteCandidate]:
        """The quotes from the first that reaches ``start`` to the last that starts by ``end`` (a superset of those touching it)."""
        return self.direct[bisect.bisect_left(self.reach, start) : bisect.bisect_right(self.starts, end)]


def _in_sentence(text: str, sentence: tuple[int, int], mentions: MentionIndex, direct: Sequence[QuoteCandidate], cues: _Cues) -> list[Reported]:
    start, end = sentence
    found: list[Reported | None] = []
    families = cues.families(start, end)
    if "speech" in families:
        inside = _tag_inside(text, start, end, mentions, cues)
        if inside is not None and inside.pieces:
            return [_with_kind(text, inside)] if not _crosses(inside, direct) else []
        found.append(inside)  # none, or content closed by a tag that a participle goes on from ("..., X said, adding that ...")
        found += [*_according_to(text, start, end, mentions), *_tag_at_end(text, start, end, mentions, cues)]
        found += [_lead_in(text, start, end, cue, mentions, direct) for cue in cues.matching(_CUE, start, end)]
    if "naming" in families:
        found += [_naming(text, start, end, cue, mentions, direct) for cue in cues.matching(_NAMING_CUE, start, end)]
    if "judging" in families:
        found += [
            _with_quoted_words(text, end, cue, _QUOTED_SOON.match(text, cue.end(), end), mentions, direct, start=start)
            for cue in cues.matching(_JUDGING_CUE, start, end)
        ]
    if "question" in families:
        found += [_question(text, start, end, cue, mentions, direct) for cue in cues.matching(_QUESTION_CUE, start, end)]
    if "act" in families:
        found += [_speech_act(text, start, end, cue, mentions, direct) for cue in cues.matching(_ACT_CUE, start, end)]
    if "noun" in families:
        found += [_owned_speech(text, start, end, speech_noun, mentions) for speech_noun in cues.matching(_SPEECH_NOUN, start, end)]
    whole = [_to_quote_end(r, direct) for r in found if r is not None]
    return [_with_kind(text, r) for r in whole if _is_content(text, r.start, r.end) and (r.nested or not _crosses(r, direct))]


def _owned_speech(text: str, start: int, end: int, speech_noun: re.Match[str], mentions: MentionIndex) -> Reported | None:
    """``OWNER's NOUN that CONTENT``: the owner a name just before the possessive, or a pronoun resolved as a subject would be."""
    owned = _SPEECH_NOUN_OWNER.search(text, max(start, speech_noun.start() - _OWNER_REACH), speech_noun.start())
    if owned is None or _VERB_OPENING.match(text, speech_noun.end(), end):
        return None  # no owner, or "that" opens a relative clause ("his statements that fired them up")
    noun, window = speech_noun.group("noun"), (start, end)
    if owned.group("pronoun"):
        attribution = resolve_speaker(text, noun, None, owned.group("pronoun"), mentions, before=owned.start(), window=window)
        return _reported(text, speech_noun.end(), end, attribution)
    owner = mentions.before(owned.start() + 1, accept=lambda span, _: span.end == owned.start(), min_end=owned.start())
    if owner is None:
        return None
    return _reported(text, speech_noun.end(), end, resolve_speaker(text, noun, owner, None, mentions, before=owned.start(), window=window))


def _to_quote_end(reported: Reported, direct: Sequence[QuoteCandidate]) -> Reported:
    """Content that ends inside a quote it opened goes on to the quote's end (a sentence break inside the quote cut it)."""
    inside = next((q for q in direct if reported.start < q.start < reported.end < q.end), None)
    return dataclasses.replace(reported, end=inside.end) if inside and not reported.nested else reported


def _crosses(reported: Reported, direct: Sequence[QuoteCandidate]) -> bool:
    """Whether content starts or ends inside a direct quote: it took in the quote's tag, not reported speech."""
    return any(q.start < reported.start < q.end or q.start < reported.end < q.end for q in direct)


def _lead_in(text: str, start: int, end: int, cue: re.Match[str], mentions: MentionIndex, direct: Sequence[QuoteCandidate]) -> Reported | None:
    """``SOURCE CUE [object] [adverbial] [that] CONTENT``."""
    verb = cue.group("cue")
    outer = next((q for q in direct if q.start <= cue.start() < q.end), None)
    if outer is not None:
        start, end = max(start, outer.start), min(end, outer.end)  # nested: the speech reported inside a quote
    elif any(start <= q.end <= cue.start() and _is_tag_of(text, q, cue) for q in direct):
        return None  # '"...," he told Reuters in Macau': the tag of a direct quote, not reported speech
    if verb not in _OWN_CLAUSE_CUES and not _THAT.match(text, cue.end(), end):
        return None
    if after_determiner(text, start, cue.start()):
        return None  # "his claims were ...", "the warning that": a noun, not a verb
    attribution = _speaker_of_tagged_quote(text, start, cue, direct) or _subject_of(text, start, cue.start(), verb, mentions)
    if attribution is None:
        return None
    content_start = _content_start(text, cue.end(), end, told=verb in ("told", "tell", "tells", "telling"))
    if content_start is None:
        return None
    if not _opens_content(text, content_start, end, after_that=_THAT_BEFORE.search(text, cue.end(), content_start) is not None):
        return None
    reported = _reported(text, content_start, end, attribution)
    if reported is not None and not _goes_on_past_quote(text, reported, direct):
        return None
    if outer is not None and outer.speaker and outer.speaker != attribution.speaker and reported is not None:
        via = Attribution(cue=attribution.cue, speaker=attribution.speaker, speaker_span=attribution.speaker_span, via=outer.speaker)
        return dataclasses.replace(reported, attribution=via, nested=True)
    return reported


def _question(text: str, start: int, end: int, cue: re.Match[str], mentions: MentionIndex, direct: Sequence[QuoteCandidate]) -> Reported | None:
    """``SOURCE asked [whom] whether/if/why ... CLAUSE``: a reported question, its content from the question word on
    ("asked Mook if a Clinton administration would ..."). "asked him to resign" and "asked for" are requests, not questions."""
    question = _QUESTION.match(text, cue.end(), end)
    if question is None or any(q.start <= cue.start() < q.end for q in direct):
        return None
    attribution = _subject_of(text, start, cue.start(), cue.group("cue"), mentions)
    if attribution is None and not _ASKED_OPENING.fullmatch(text, start, cue.end()):
        return None
    if attribution is None:  # "Asked whether ..." opening the sentence: the asker goes unnamed, or comes after "by"
        asker = _BY_ASKER.match(text, cue.end(), question.start("word"))
        named = mention_after(text, asker.end(), question.start("word"), mentions) if asker else None
        attribution = resolve_speaker(text, cue.group("cue"), named, None, mentions, before=cue.start(), window=(start, end)) if named else None
    clause_end = _ACT_CLAUSE_END.search(text, question.start("word"), end)  # "asked if he would endorse her, he looked ..."
    reported = _reported(text, question.start("word"), clause_end.start() if clause_end else end, attribution or Attribution(cue=cue.group("cue").lower()))
    return reported if reported is not None and not _crosses(reported, direct) else None


_BY_ASKER = re.compile(r"\s+by\s+")
_ASKED_OPENING = re.compile(r"\s*(?:When\s+|After\s+|Once\s+|If\s+)?(?:[Ww]hen\s+)?[Aa]sked")


def _speech_act(text: str, start: int, end: int, cue: re.Match[str], mentions: MentionIndex, direct: Sequence[QuoteCandidate]) -> Reported | None:
    """``SOURCE promised/urged/accused [OBJECT] to/of ...``: the content from the object (or "to") on, when the act has a
    source; a passive ("was asked to") has none. Inside a direct quote the words are the quote's."""
    if any(q.start <= cue.start() < q.end for q in direct):
        return None
    verb = " ".join(cue.group("cue").lower().split())
    attribution = _speaker_of_tagged_quote(text, start, cue, direct) or _subject_of(text, start, cue.start(), verb, mentions)
    if attribution is None or attribution.speaker is None:
        return None
    clause_end = _ACT_CLAUSE_END.search(text, cue.end(), end)
    reported = _reported(text, cue.end(), clause_end.start() if clause_end else end, attribution)
    return reported if reported is not None and not _crosses(reported, direct) else None


def _subject_of(text: str, start: int, cue_start: int, verb: str, mentions: MentionIndex) -> Attribution | None:
    """The source of an active cue: its subject, past auxiliaries and adverbs ("has repeatedly argued"); none for a passive."""
    # Every search here looks back a bounded distance from the cue: a sentence holding thousands of cues stays linear.
    aux = _AUX.search(text, max(start, cue_start - _REACH), cue_start)
    subject_end = aux.start() if aux else cue_start
    if _PASSIVE.search(text, max(start, cue_start - _PASSIVE_REACH), cue_start) or _PASSIVE.search(
        text, max(start, subject_end - _PASSIVE_REACH), subject_end
    ):  # "was denied", "was initially denied"
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


def _naming(text: str, start: int, end: int, cue: re.Match[str], mentions: MentionIndex, direct: Sequence[QuoteCandidate]) -> Reported | None:
    """``SOURCE called/described OBJECT [as] "WORDS" [...]``: the object and the quoted words that name it are the content,
    up to the clause's end ("called the new law 'much better' than the old one, since ...")."""
    named_as = _NAMED_AS.match(text, cue.end(), end)
    if named_as is not None and cue.group("cue").lower().startswith("describ") and not _AS.search(named_as.group()):
        return None  # "described it as 'X'": describing names with "as"
    return _with_quoted_words(text, end, cue, named_as, mentions, direct, start=start)


def _with_quoted_words(
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
        content = _reported(text, cue.end(), closing.end(), attribution)  # '"unpatriotic,"': the comma inside the marks ends the clause
    else:
        clause_end = _CLAUSE_END.search(text, closing.end(), end)
        content = _reported(text, cue.end(), clause_end.start() if clause_end else end, attribution)
    return content if content is not None and _MARKS_IN.search(text, content.start, content.end) else None  # the words must stay in


def _is_tag_of(text: str, quote: QuoteCandidate, cue: re.Match[str]) -> bool:
    """Whether ``cue`` tags the direct quote before it: a few words after it, and no other cue between
    ('"...," he said, adding that ...': "adding" reports more)."""
    return len(text[quote.end : cue.start()].split()) <= _TAG_WORDS and _CUE.search(text, quote.end, cue.start()) is None


def _opens_content(text: str, position: int, end: int, *, after_that: bool) -> bool:
    """Whether reported content can start at ``position``: a clause, or quoted words that the clause goes on past
    ('said "zero" voters would follow': a mixed quote; content that is only the quote is the direct quote, dropped later).
    After "that", "it" is the clause's subject, not the cue's object ("told the crowd that it meant a lot")."""
    if position >= end:
        return False
    if text[position] in _OPENING_MARKS or (after_that and _IT_SUBJECT.match(text, position, end)):
        return True
    return not _NOT_A_CLAUSE.match(text, position, end)


def _goes_on_past_quote(text: str, reported: Reported, direct: Sequence[QuoteCandidate]) -> bool:
    """Whether content opening with a direct quote is a clause that goes on past it ('said "zero" voters would follow'),
    not the quote and the cue's own time or place ('said "we will stay open" on Monday')."""
    opening = next((q for q in direct if reported.start <= q.start <= reported.start + 2), None)
    if opening is None:
        return True
    rest = text[opening.end : reported.end].strip(" ,\"”’'")
    return len(rest.split()) >= _MIN_WORDS and not _TIME_OR_PLACE.fullmatch(rest)


def _content_start(text: str, position: int, end: int, *, told: bool) -> int | None:
    """Where the reported content starts after a cue: past "that" and what precedes it ("told reporters on Monday that"),
    else past the object of "told" and a time or occasion ("said on Monday", "said in a statement")."""
    that = _ADVERBIAL_THAT.match(text, position, end)
    if that is not None:
        return that.end()
    if told:
        told_object = _TOLD_OBJECT.match(text, position, end)
        if told_object is None:
            return None
        position = told_object.end()
        that = _ADVERBIAL_THAT.match(text, position, end)
        if that is not None:
            return that.end()
        if text.startswith(",", position) and not text.startswith(",", position + 1):
            position += 1  # "Kasich tells the crowd, he's been known to be tough"
    occasion = _TIME_OR_PLACE.match(text, position, end)
    position = occasion.end() if occasion else position
    while position < end and text[position].isspace():
        position += 1
    return position


def _source_before(text: str, start: int, subject_end: int, verb: str, mentions: MentionIndex) -> Attribution | None:
    """Who speaks: the name, pronoun or noun phrase right before the cue.

    An apposition between is skipped ("Smith, the party's leader, said"); a
    cue with no subject of its own ("..., telling CNN that", "... but insists
    that") takes the sentence's subject.
    """
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
            return sentence_subject(text, start, subject_end, verb, mentions)
    head = head.rstrip(",").rstrip()
    head_end = head_start + len(head)
    window = (start, subject_end)
    named = _names_at_end(text, start, head_end, mentions) or _name_with_suffix(text, head_end, mentions)
    if named is not None:
        return resolve_speaker(text, verb, named, None, mentions, before=named[0].start, window=window)
    pronoun = _PRONOUN_SUBJECT.search(text, max(start, head_end - _REACH), head_end)
    if pronoun is not None and pronoun.group("pronoun") not in ("I", "we", "We"):
        return resolve_speaker(text, verb, None, pronoun.group("pronoun"), mentions, before=pronoun.start("pronoun"), window=window)
    if pronoun is not None:
        return Attribution(cue=verb.lower())
    by_noun = noun_source(text, start, head_end, verb, mentions)
    if by_noun is not None:
        return by_noun
    near = max(start, head_end - _REACH)
    proper = _PROPER_SUBJECT.search(text, near, head_end)
    if proper is not None:
        return short_name(text, proper.start(), proper.end(), verb, mentions) or Attribution(cue=verb.lower())
    if _NOUN_PHRASE.search(text, near, head_end) or _GROUP_SUBJECT.search(text, near, head_end):  # "The businessman says", "Smith's aide says"
        return Attribution(cue=verb.lower())
    return None


def _name_with_suffix(text: str, end: int, mentions: MentionIndex) -> tuple[TextSpan, NameCandidate] | None:
    """The name before a suffix that ends ``text[:end]``: "Joseph R. Biden Jr.", "Marco Rubio, R-Fla.,"."""
    return mentions.before(end, accept=lambda span, _: _NAME_SUFFIX.fullmatch(text, span.end, end) is not None, min_end=end - _SUFFIX_REACH)


def _names_at_end(text: str, start: int, end: int, mentions: MentionIndex) -> tuple[TextSpan, NameCandidate] | None:
    """The name mention ending ``text[start:end]`` (a possessive aside)."""
    return mentions.before(end, accept=lambda span, _: not text[span.end : end].strip(" \u00a0’'s"), reach=end - start + 1, min_end=end - _POSSESSIVE_GAP)


def _tag_at_end(text: str, start: int, end: int, mentions: MentionIndex, cues: _Cues) -> list[Reported | None]:
    """``CONTENT, SOURCE CUE.`` and ``CONTENT, CUE SOURCE.``, the named source possibly followed or preceded by an
    apposition ("..., said Ann Lee, a senator from Ohio." / "..., Ann Lee, a senator from Ohio, said."); the tag may
    also end the sentence before an aside after a dash ("..., the agency reported on Tuesday -- a development that ...")."""
    may_hold_dash = any(text.find(dash, start, end) >= 0 for dash in ("--", "—", "–"))  # rare: the cheap test first
    aside = max((dash.start() for dash in _ASIDE_DASH.finditer(text, start, end)), default=None) if may_hold_dash else None
    if aside is not None and any(found := _closing_tag(text, start, aside, mentions, cues)):
        return found
    return _closing_tag(text, start, end, mentions, cues)


def _closing_tag(text: str, start: int, end: int, mentions: MentionIndex, cues: _Cues) -> list[Reported | None]:
    last_comma = text.rfind(",", start, end)
    if last_comma < 0 or not cues.matching(_ANY_CUE, last_comma, end):
        return _tag_with_apposition(text, start, end, mentions, last_comma)
    tag = _TAG_END.match(text, last_comma, end) if end - last_comma <= _REACH else None  # the tag must be the sentence's last words
    if tag is None:
        return _tag_with_apposition(text, start, end, mentions, last_comma)
    attribution = _tag_source(text, tag, mentions, before=start, window=(tag.start(), end))
    if attribution is None:  # ", said Tuesday." may end "..., Ann Lee, 45, said Tuesday."
        return _tag_with_apposition(text, start, end, mentions, last_comma)
    return [_reported(text, start, tag.end("close") if tag.group("close") else tag.start(), attribution)]  # 'and "...," X said': the mark closes the content


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
        return [_reported(text, start, tag.end("close") if tag.group("close") else tag.start(), attribution)]
    return []


def _tag_inside(text: str, start: int, end: int, mentions: MentionIndex, cues: _Cues) -> Reported | None:
    """``CONTENT, SOURCE CUE, CONTENT.``: a tag between commas inside the content ("The plan, she said, is dead"); the
    content is the two pieces either side. Quoted pieces are a direct quote's, found with it."""
    if text[start] in _OPENING_MARKS or not _may_hold_tag_inside(text, start, end, cues):
        return None
    for tag in _TAG_INSIDE.finditer(text, start, end):
        verb = tag.group("cue") or tag.group("cue2")
        before, after = strip_span(text, start, tag.start()), strip_span(text, tag.end(), end)
        if verb not in _OWN_CLAUSE_CUES or before[0] >= before[1] or after[0] >= after[1]:
            continue
        if text[after[0]] in _OPENING_MARKS or text[tag.start() - 1] in _QUOTE_MARKS:
            continue
        attribution = _tag_source(text, tag, mentions, before=tag.start(), window=(tag.start(), tag.end()))
        if attribution is not None and _PARTICIPLE_AFTER_TAG.match(text, after[0]):
            return _reported(text, *before, attribution)  # "..., Spicer said, adding, ...": a closing tag; the participle is read on its own
        around = _around(text, before, after, attribution) if attribution is not None else None
        if around is not None and sum(len(text[a:b].split()) for a, b in around.pieces) >= _MIN_WORDS:
            return around
    return None


_PARTICIPLE_AFTER_TAG = re.compile(r"(?:adding|saying|noting|explaining|arguing|insisting|stressing|warning|calling|referring)\b")
"""A participle going on from a tag between commas (", Spicer said, adding ..."): the tag closes the content before it."""


def _may_hold_tag_inside(text: str, start: int, end: int, cues: _Cues) -> bool:
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
    named = next(mentions.within(*source), None)
    if tag.group("cue2") and not _may_follow_its_cue(text, source, named):
        return None
    if named is not None:
        return resolve_speaker(text, verb, named, None, mentions, before=named[0].start, window=window)
    pronoun = re.fullmatch(r"\s*(he|she|it|they|He|She|It|They)\s*", text[source[0] : source[1]])
    if pronoun is not None:
        return resolve_speaker(text, verb, None, pronoun.group(1), mentions, before=before, window=window)
    by_noun = noun_source(text, source[0], source[1], verb, mentions)
    if by_noun is not None or tag.group("cue2") or not _SOURCE_PHRASE.fullmatch(text, *source):
        return by_noun  # ", said the plan would fail": after its cue a phrase may be a clause
    proper = _PROPER_SUBJECT.search(text, source[0], source[1])  # "the Post reported": the Washington Post named before
    return (short_name(text, proper.start(), proper.end(), verb, mentions) if proper else None) or Attribution(cue=verb.lower())


_AS_REPORTED_BY = re.compile(r"\s*[Aa]s\s+(?:first\s+|previously\s+|originally\s+)?(?P<cue>reported)\s+by\s+(?P<source>[^,]{2,80}),\s*")
"""``As reported by SOURCE, CONTENT`` ("As reported by the Herald, investigators found ...")."""
_SOURCE_FORMS = ((_ACCORDING_START, "after"), (_ACCORDING_END, "before"), (_AS_SOURCE_SAID, "after"), (_AS_REPORTED_BY, "after"))


def _according_to(text: str, start: int, end: int, mentions: MentionIndex) -> list[Reported | None]:
    found: list[Reported | None] = []
    forms = _SOURCE_FORMS if _may_say_according_to(text, start, end) else _SOURCE_FORMS[2:]
    for pattern, content in forms:
        at = _clause_start(text, start, end) if pattern is _ACCORDING_START else start
        match = pattern.match(text, at, end) if content == "after" else pattern.search(text, start, end)
        if match is None:
            continue
        source = (match.start("source"), match.end("source"))
        named = mention_after(text, source[0], source[1], mentions) or next(mentions.within(*source), None)
        cue = match.group("cue") if "cue" in pattern.groupindex else "according to"
        if named is not None:
            attribution = resolve_speaker(text, cue, named, None, mentions, before=source[0], window=source)
        else:
            attribution = noun_source(text, source[0], source[1], cue, mentions) or Attribution(cue=cue)
        if content == "before" and (text[start] in _QUOTE_MARKS or text[start : match.start()].endswith((":", ";"))):
            continue  # '"...," Kim said, according to Yonhap': a direct quote and its tag; "...: according to X, ...": X's words follow
        if content == "before" and text[match.end() - 1] == "," and len(text[start : match.start()].split()) <= _LEAD_IN_WORDS:
            found.append(_around(text, (start, match.start()), (match.end(), end), attribution))  # "Since May, according to X, ..."
            continue
        if content == "after" and (quoting := _QUOTING.match(text, match.end(), end)) is not None:
            # "According to Yonhap, quoting KCNA, the army ...": KCNA's words, via Yonhap
            owners_skipped = (m for m in mentions.within(*quoting.span("source")) if not text.startswith(("'s", "’s"), m[0].end))
            quoted = next(owners_skipped, None)  # "quoting North Korea's news agency KCNA": the agency, not its owner
            inner = resolve_speaker(text, cue, quoted, None, mentions, before=quoted[0].start, window=quoting.span("source")) if quoted else None
            attribution = dataclasses.replace(inner or Attribution(cue=cue), via=attribution.speaker or attribution.via)
            found.append(_reported(text, quoting.end(), end, attribution))
            continue
        if content == "after":
            named_after = opening_person(text, match.end(), end, mentions)
            if named_after is not None:  # "According to the team's coach, Ann Lee, the robot ...": Lee speaks, the content follows
                attribution = resolve_speaker(text, cue, named_after, None, mentions, before=named_after[0].start, window=source)
                found.append(_reported(text, text.index(",", named_after[0].end) + 1, end, attribution))
                continue
        found.append(_reported(text, match.end(), end, attribution) if content == "after" else _reported(text, start, match.start(), attribution))
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


def _around(text: str, before: tuple[int, int], after: tuple[int, int], attribution: Attribution) -> Reported | None:
    """Content in two pieces either side of its tag, the second up to the next clause of its own."""
    rest = _reported(text, *after, attribution)
    lead = strip_span(text, *before)
    if rest is None or lead[0] >= lead[1]:
        return None
    return Reported(lead[0], rest.end, "indirect", attribution, pieces=(lead, (rest.start, rest.end)))


_NEXT_CLAUSE = re.compile(
    rf"(?:,\s*|\s+)(?:and|but)\s+(?:also\s+|then\s+|later\s+)?(?:{_VERB}|called|calling|described|referred|urged)\b|,\s*(?:{_VERB}|describing|calling|citing|accusing|urging)\b|,\s+as\s+(?:he|she|they|it)\s|;\s"
    rf"|,\s+(?:and|but)\s+(?:[A-Z][\w.’'-]*\s+){{1,3}}(?:{_VERB})\b"  # ", and Tom Brown agreed": a speaker of its own
)


def _reported(text: str, start: int, end: int, attribution: Attribution) -> Reported | None:
    """The content ``text[start:end]``, up to a coordinated cue of its own (", but insists ...") and without closing punctuation."""
    start, end = strip_span(text, start, end)
    next_clause = _NEXT_CLAUSE.search(text, start, end)
    if next_clause is not None:
        end = next_clause.start()
    while end > start and text[end - 1] in ".!?,;:—–-":
        end -= 1
    if end - start < 2:
        return None
    return Reported(start, end, "indirect", attribution)


def _is_content(text: str, start: int, end: int) -> bool:
    """Whether a span can be reported content: a few words, not a lone quote mark's remnant."""
    return len(text[start:end].split()) >= _MIN_WORDS


def _with_kind(text: str, reported: Reported) -> Reported:
    """Content holding quoted words is partial: quote marks, or two apostrophes standing for them ("said ''there could be'' a line")."""
    has_marks = _MARKS_IN.search(text, reported.start, reported.end) is not None
    return dataclasses.replace(reported, kind="partial" if has_marks else "indirect")


def _distinct(found: list[Reported]) -> list[Reported]:
    """One finding per content span, the first cue's with a speaker, else the first cue's (a sentence may match two forms)."""
    seen: set[tuple[int, int]] = set()
    kept = []
    for reported in sorted(found, key=lambda r: (r.start, -r.end, r.attribution.speaker is None)):
        if (reported.start, reported.end) not in seen:
            seen.add((reported.start, reported.end))
            kept.append(reported)
    return kept
