"""The cues of reported speech: the verbs and nouns that report words, one pattern per form, and where cues stand in a text."""

from __future__ import annotations

import bisect
import functools
import re

from ..lexicon import REPORTING_VERBS, SPEECH_NOUNS, word_alternation
from ..text import holds_any

VERB = word_alternation(sorted(REPORTING_VERBS))
CUE = re.compile(rf"(?<![\w’'-])(?P<cue>{VERB})\b")
ANY_CUE = re.compile(rf"(?<![\w’'-])(?:{VERB}|[Aa]ccording to)\b")
AUX = re.compile(
    r"(?:\b(?:has|have|had|also|later|then|again|soon|itself|himself|herself|themselves|previously|repeatedly|recently|once|would|will|may|might|did|does|do|has\s+since|just|already|publicly|privately|"
    r"quickly|flatly|firmly|clearly|simply|often|frequently|long|first|further|separately|however|though|still|too|instead|meanwhile|now|[a-z]+ly|"
    r"at\s+(?:the|that)\s+time|at\s+one\s+point|at\s+first|in\s+turn|for\s+(?:his|her|their|its)\s+part|"
    r"earlier|later|(?:(?:on|last|this|early|late|earlier|later)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|tonight|"
    r"week|weekend|month|year|morning|afternoon|evening|night))\s+)+$"
)
_NAMING_VERB = r"call(?:s|ed|ing)|dub(?:s|bed|bing)|label(?:s|ed|led|ing|ling)|brand(?:s|ed|ing)|describ(?:e|es|ed|ing)|refer(?:s|red|ring)\s+to"
NAMING_CUE = re.compile(rf"(?<![\w’'-])(?P<cue>{_NAMING_VERB})\b")
_QUESTION_VERB = r"[Aa]sk|[Aa]sks|[Aa]sked|[Aa]sking|wondered|wonders|wondering"  # "Asked whether ..., Lee said": a question opening the sentence
QUESTION_CUE = re.compile(rf"(?<![\w’'-])(?P<cue>{_QUESTION_VERB})\b")
_JUDGING_VERB = (
    r"(?:prais|criticiz|criticis|defend|dismiss|blam|liken|compar|applaud|slamm|blast|accus|urg|impli|cit|tout|hail|mock|"
    r"deride|derid|denounc|condemn|laud|credit|fault|promis|vow|pledg|question|thank|welcom|celebrat|lament|bemoan|complain|jok|apologiz|apologis)"
    r"(?:e|es|ed|s|ing)?|decri(?:ed|es)|decry(?:ing)?|(?:call|push|argu|insist)(?:e|s|es|ed|ing)?\s+(?:for|on)|warn(?:s|ed|ing)\s+of"
)
JUDGING_CUE = re.compile(rf"(?<![\w’'-])(?P<cue>{_JUDGING_VERB})\b")
"""Verbs that judge, promise or demand, with quoted words soon after ("defended his manager as a 'very decent man'")."""
_PROMISE_VERB = r"promis(?:e|es|ed|ing)|pledg(?:e|es|ed|ing)|vow(?:s|ed|ing)?"
_REQUEST_VERB = r"urg(?:e|es|ed|ing)|implor(?:e|es|ed|ing)|challeng(?:e|es|ed|ing)|ask(?:s|ed|ing)?|call(?:s|ed|ing)?\s+on"
_ACCUSING_VERB = r"accus(?:e|es|ed|ing)"
_ACT_VERB = rf"{_PROMISE_VERB}|{_REQUEST_VERB}|{_ACCUSING_VERB}"
_TO_VERB = r"(?:not\s+)?to\s+(?!(?:a|an|the|his|her|their|its|our|my|your|this|these|those|that|him|them|me|us|it)\b)[a-z]"
_ACT_OBJECT = r"(?!(?:for|about|of|on|in|at|to|whether|if|why|how|what|when|where|who|which|that)\b)(?:[\w’'.-]+\s+){1,6}?"
ACT_CUE = re.compile(
    rf"(?<![\w’'-])(?P<cue>(?:{_PROMISE_VERB})(?=\s+{_TO_VERB})|(?:{_REQUEST_VERB})(?=\s+{_ACT_OBJECT}{_TO_VERB})"
    rf"|(?:{_ACCUSING_VERB})(?=\s+{_ACT_OBJECT}of\s+[a-z]))\s+"
)
"""Speech acts with their content after them: a promise or threat ("vowed [to block the plan]"), a request
("urged [the council to cut the budget]"), an accusation ("accused [the mayor of lying]")."""
_FINDING_VERB = r"f(?:inds?|ound)|show(?:s|ed|n)?|indicat(?:es?|ed)|conclud(?:es?|ed)"  # factored: the scan tries it at every word
FINDING_CUE = re.compile(rf"(?<![\w’'-])(?P<cue>{_FINDING_VERB})\b")
"""What a document finds ("the poll shows", "an audit found that"): see :mod:`.findings`."""
_SPEECH_NOUN_CUE = word_alternation(sorted(SPEECH_NOUNS))
_FAMILIES = (
    ("speech", re.compile(rf"(?:{VERB}|[Aa]ccording to)")),
    ("noun", re.compile(_SPEECH_NOUN_CUE)),
    ("naming", re.compile(_NAMING_VERB)),
    ("judging", re.compile(_JUDGING_VERB)),
    ("question", re.compile(_QUESTION_VERB)),
    ("act", re.compile(_ACT_VERB)),
    ("finding", re.compile(_FINDING_VERB)),
)
_CUE_INITIAL = r"(?=[a-zA])"
"""Every cue starts with a lower-case letter or the "A" of "According to" and "Asked": one test lets the scan leave a word starting with
anything else (a capital, a digit, a mark) at once, before its alternatives are tried one by one."""
_SENTENCE_CUE = re.compile(
    rf"(?<![\w’'-]){_CUE_INITIAL}(?:{_JUDGING_VERB}|{_NAMING_VERB}|{VERB}|[Aa]ccording to|{_QUESTION_VERB}|{_ACT_VERB}|{_SPEECH_NOUN_CUE}|{_FINDING_VERB})\b"
)
"""Any cue of the forms above, one look-behind for all: which sentences are read at all."""
BARE_PRESENT_CUES = frozenset(
    ["argue", "insist", "warn", "explain", "acknowledge", "contend", "concede", "predict", "emphasize", "suggest", "maintain", "assert"]
)
"""The plural present of verbs that are no nouns ("Organizers insist they will ...", "That, many argue, could ..."): they take a
clause without "that" too, but as infinitives they don't report words ("to explain the process", "can he maintain")."""
OWN_CLAUSE_CUES = BARE_PRESENT_CUES | frozenset(
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
OWN_CLAUSE_VERB = word_alternation(sorted(OWN_CLAUSE_CUES))
PARTICIPLE_CUES = frozenset(["arguing", "claiming", "insisting", "noting"])
"""Participles that take a clause without "that" after a comma (", arguing he did not want to tip the scales"); elsewhere
they are gerunds ("by arguing", "after noting") or open a tag's source (", noting X"), so they need "that" there."""
SPEECH_NOUN = re.compile(rf"(?P<noun>{_SPEECH_NOUN_CUE})\s+(?:(?:on|in|last|this)\s+\w+\s+)?that\s+")
"""A noun of speech before ``that CONTENT`` ("claim that", "warning on Wednesday that")."""


class Cues:
    """Where the cues of every form start in one text, found by one pass of ``_SENTENCE_CUE``; a form's cues in a sentence are
    matched only there.

    A cue of one form (``CUE``, ``NAMING_CUE``, ...) can start only where some cue does: ``_SENTENCE_CUE`` holds them all,
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
