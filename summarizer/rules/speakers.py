"""Speakers: the name mentions of an article in text order, and who a speech cue's subject is.

Shared by the quote finder (:mod:`.quotes`) and the reported-speech finder
(:mod:`.reported`): a name next to a cue is the speaker; a pronoun is
resolved to a recent subject (he/she to people whose name or title does not
say otherwise, it/they to organisations, countries and groups); an outlet
among the words around is the ``via``.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from .candidates import NameCandidate, TextSpan
from .lexicon import (
    ABBREVIATIONS,
    COUNTRIES,
    GIVEN_NAME_GENDERS,
    NAME_TITLES,
    PERSON_ROLES,
    PLACES,
    ROLE_NOUNS,
    SOURCE_BODIES,
    SOURCE_NOUNS,
    TITLE_HEADS,
    TITLE_WORDS,
    word_alternation,
)
from .names import is_outlet
from .text import DATELINE_PREFIX, is_title_case, opens_sentence, sentence_breaks

_WORD_AFTER = re.compile(r"\s+([a-z]+)")  # the word after a name: "Environment Canada spokeswoman"
_SUBJECT_REACH = 300  # how far back a pronoun's sentence subject is looked for
_MENTION_NEAR_CUE_CHARS = 40
_TITLE_REACH = 80  # characters from a name opening a title to the person it leads to ("Lopez campaign chairman Paul Grant")


@dataclass(frozen=True)
class Attribution:
    cue: str | None = None
    speaker: str | None = None
    speaker_span: TextSpan | None = None
    via: str | None = None


class MentionIndex:
    """Name mentions in text order, for finding the name next to a speech cue."""

    def __init__(self, names: Sequence[NameCandidate], *, text: str = "") -> None:
        pairs = sorted(((span, name) for name in names for span in name.mentions), key=lambda pair: (pair[0].start, pair[0].end, pair[1].ref))
        self.spans = [span for span, _ in pairs]  # the names' own span objects: none is built anew
        self.names = [name for _, name in pairs]
        self.starts = [span.start for span in self.spans]
        self.max_ends = list(itertools.accumulate((span.end for span in self.spans), max))  # how far any mention up to each reaches
        self._previous_of_kinds: dict[tuple[frozenset[str], str | None], list[int]] = {}
        self._genders: dict[str, str] | None = None  # by name, on the first he/she resolved
        self._text = text  # where the pronouns after each name tell the sex its given name does not

    def within(self, start: int, end: int) -> Iterator[tuple[TextSpan, NameCandidate]]:
        """Mentions lying inside ``[start, end)``, in text order."""
        for index in range(bisect.bisect_left(self.starts, start), len(self.spans)):
            if self.spans[index].start >= end:
                return
            if self.spans[index].end <= end:
                yield self.spans[index], self.names[index]

    def before(
        self, position: int, *, accept: Callable[[TextSpan, NameCandidate], bool], reach: int | None = None, min_end: int | None = None
    ) -> tuple[TextSpan, NameCandidate] | None:
        """The last mention ending at or before ``position`` that ``accept`` takes, starting less than ``reach`` characters before it
        and ending at or after ``min_end``.

        Give ``reach`` or ``min_end`` whenever ``accept`` implies one: the walk back
        stops there, where it would otherwise read every earlier mention of the
        text on each call (quadratic in a long one).
        """
        for index in range(bisect.bisect_left(self.starts, position) - 1, -1, -1):
            if reach is not None and position - self.spans[index].start >= reach:
                return None  # every earlier mention starts even further back
            if min_end is not None and self.max_ends[index] < min_end:
                return None  # no earlier mention reaches that far
            if self.spans[index].end <= position and accept(self.spans[index], self.names[index]):
                return self.spans[index], self.names[index]
        return None

    def last_of_kind(self, position: int, kinds: frozenset[str], *, pronoun: str | None = None) -> tuple[TextSpan, NameCandidate] | None:
        """The last mention ending at or before ``position`` of a name whose kind is in ``kinds``
        (and, given a ``pronoun``, that the pronoun may stand for: see :meth:`agrees`).

        Mentions of other kinds are skipped through a table built once per
        ``kinds`` and pronoun, so a pronoun far from any person costs no walk back
        through the whole text.
        """
        previous = self._previous_of_kind(kinds, pronoun)
        k = bisect.bisect_left(self.starts, position)
        index = previous[k - 1] if k else -1
        while index >= 0 and self.spans[index].end > position:
            index = previous[index - 1] if index else -1
        return (self.spans[index], self.names[index]) if index >= 0 else None

    def agrees(self, pronoun: str, name: NameCandidate) -> bool:
        """Whether "he" or "she" may stand for ``name``: not when its given name or a courtesy title
        ("Mrs. Clinton") says the other sex. Other pronouns agree with any name."""
        if pronoun not in _PRONOUN_GENDERS:
            return True
        if self._genders is None:
            self._genders = _genders(self.spans, self.names, self._text)
        return self._genders.get(name.name) != _OTHER_GENDER[_PRONOUN_GENDERS[pronoun]]

    def _previous_of_kind(self, kinds: frozenset[str], pronoun: str | None = None) -> list[int]:
        """For each mention, the index of the last mention up to it whose name's kind is in ``kinds``
        and that ``pronoun`` agrees with (-1: none)."""
        key = (kinds, pronoun)
        if key not in self._previous_of_kinds:
            table, last = [], -1
            for index, name in enumerate(self.names):
                last = index if name.kind in kinds and (pronoun is None or self.agrees(pronoun, name)) else last
                table.append(last)
            self._previous_of_kinds[key] = table
        return self._previous_of_kinds[key]


_PRONOUN_GENDERS = {"he": "male", "she": "female"}
_OTHER_GENDER = {"male": "female", "female": "male"}
_COURTESY_GENDERS = {
    "Mr": "male",
    "Mrs": "female",
    "Ms": "female",
    "Miss": "female",
    "Madam": "female",
    "Mme": "female",
    "Sir": "male",
    "Lady": "female",
    "Dame": "female",
}
_COURTESY = re.compile(r"(Mr|Mrs|Ms|Miss|Madam|Mme|Sir|Lady|Dame)\b")


def _genders(spans: Sequence[TextSpan], names: Sequence[NameCandidate], text: str) -> dict[str, str]:
    """Each name's sex ("male" or "female") by name, where the first word of the name or a courtesy title
    opening one of its mentions ("Mrs. Clinton") tells, else where the pronouns right after the person's mentions
    clearly do ("Sanders said he ...", "Lee, who says she ..."); names that tell nothing are left out."""
    genders: dict[str, str] = {}
    votes: dict[str, list[int]] = {}
    for index, (span, name) in enumerate(zip(spans, names)):
        if name.name not in genders:
            title = _COURTESY.match(span.text)
            gender = GIVEN_NAME_GENDERS.get(name.name.split()[0]) or (_COURTESY_GENDERS[title.group(1)] if title else None)
            if gender:
                genders[name.name] = gender
            elif text:
                limit = spans[index + 1].start if index + 1 < len(spans) else len(text)  # no other name between
                pronoun = _PRONOUN_AFTER.match(text, span.end, min(limit, span.end + _PRONOUN_AFTER_REACH))
                if pronoun is not None:
                    votes.setdefault(name.name, [0, 0])[pronoun.group("male") is None] += 1
    for person, (male, female) in votes.items():
        if person not in genders and max(male, female) >= _PRONOUN_VOTES and min(male, female) * _PRONOUN_MAJORITY <= max(male, female):
            genders[person] = "male" if male > female else "female"
    return genders


_PRONOUN_AFTER = re.compile(r"[^.!?;:\"“”\n]*?\b(?:(?P<male>he|his|himself)|she|herself)\b", re.IGNORECASE)
"""The first subject or possessive pronoun after a name in its sentence ("her" is left out: it is as often someone else, an object)."""
_PRONOUN_AFTER_REACH = 60  # characters
_PRONOUN_VOTES = 2  # pronouns that must agree before they tell a name's sex
_PRONOUN_MAJORITY = 4  # and outnumber the others four to one


def mention_after(text: str, start: int, end: int, mentions: MentionIndex) -> tuple[TextSpan, NameCandidate] | None:
    """The first name shortly after a cue ('said Ambassador Mohib', 'according to the Herald')."""
    found = next(mentions.within(start, end), None)
    if found is None or found[0].start - start > _MENTION_NEAR_CUE_CHARS:
        return None
    # A title's full stop ('said Rep. Ann Lee', 'said Gov. Lee') ends no sentence: only a real break or a mark parts cue and name.
    if re.search(r"[;:!?\"“”]", text[start : found[0].start]) or sentence_breaks(text, start, found[0].start + 1):
        return None
    if _CLAUSE_VERB.search(text, start, found[0].start):
        return None  # 'said the candidate could win in Ohio': a clause, of which Ohio is no source
    return titled_person(text, found, mentions.within(found[0].end, end))  # "according to Afghan Ambassador to the United States Ann Lee"


_CLAUSE_VERB = re.compile(r"(?<![\w’'-])(?:could|would|will|can|should|may|might|must|is|was|are|were|has|have|had|did|does|do|he|she|they|we|it)(?![\w’'-])")
"""A verb or pronoun between a cue and a name: the words after the cue are a clause ('said the candidate could win in Ohio'),
not titles leading to a source ('said the younger Mr. Trump', 'according to a report in the Toledo Herald')."""
_ORGANISATION = frozenset({"organization", "group", "country"})
_PERSON = frozenset({"person"})


def _role_after(text: str, span: TextSpan, *, unnamed: bool = False) -> bool:
    """Whether a role noun follows the mention: the name then describes someone else ('Environment Canada spokeswoman');
    ``unnamed``: and no name follows the role ("the Ohio governor said", not "Huckabee spokeswoman Alice Stewart said"
    nor "the White House spokesman, Josh Earnest,")."""
    role = (_UNNAMED_ROLE if unnamed else _WORD_AFTER).match(text, span.end)
    return role is not None and role.group(1) in ROLE_NOUNS


_OPENING_QUOTES = frozenset("\"“‘'«")
_UNNAMED_ROLE = re.compile(r"\s+([a-z]+)(?!,?\s+[A-Z])")


def may_be_person(text: str, span: TextSpan, name: NameCandidate) -> bool:
    """A person, or an unclassified full name ('Harry Kane won ... He said'); not a name a role noun follows."""
    if _role_after(text, span):
        return False
    if name.kind == "person":
        return True
    # An unclassified full name, unless it opens quoted words: a title ('"Good Morning America"', '“Hard Hats for Ann”')
    return name.kind == "other" and len(name.name.split()) > 1 and name.name not in PLACES and text[max(0, span.start - 1) : span.start] not in _OPENING_QUOTES


_OPENING_WORD = re.compile(
    r"(?:But|And|Yet|So|Still|Maybe|Perhaps|Indeed|Now|Then|Also|However|Meanwhile|Instead|Thus|Nonetheless|Nevertheless|Moreover|"
    r"Again|Later|Earlier|Former|Presumptive|Democrat|Democratic|Republican|GOP|Conservative|Progressive|Libertarian|[A-Z][a-z]+ly),?\s+$"
)


def _subject_by_place(text: str, span: TextSpan) -> bool:
    """Whether a mention is its sentence's subject by place: the first words, or those after an opening conjunction,
    sentence adverb or descriptor ("But Trump said", "Maybe Trump is right", "Republican Ann Lee told";
    not "As for Trump's ...", nor "And Ohio's Ann Lee"); an abbreviated title goes with the name ("But state Rep. Ann Lee")."""
    start = _title_start(text, span.start)
    if opens_sentence(text, start):
        return True
    if text.startswith(("’s", "'s"), span.end):
        return False
    opening = _OPENING_WORD.search(text, max(0, start - 16), start)
    if opening is not None and opens_sentence(text, opening.start()):
        return True
    if text[max(0, start - 4) : start].rstrip().endswith(","):
        phrase = _OPENING_PHRASE_BEFORE.search(text, max(0, start - _OPENING_PHRASE_REACH), start)  # "On Monday, Clinton said"
        if phrase is not None and opens_sentence(text, phrase.start()):
            return True
    return _after_lead(text, start)


def _after_lead(text: str, start: int) -> bool:
    """Whether only an opening phrase and title words, or an apposition's noun, lie between the sentence's start and a name
    ("Speaking in Toledo, Foreign Ministry spokesman Tom Kamp repeated", "One local woman, Ann Lee, pulled ...")."""
    reach = max(0, start - _LEAD_REACH)
    boundary = max(text.rfind(mark, reach, start) for mark in ".!?\n")
    if boundary < 0 and reach > 0:
        return False  # the sentence starts further back: the name lies deep in it
    sentence = boundary + 1
    while sentence < start and not text[sentence].isalnum():
        sentence += 1
    if sentence == start or not opens_sentence(text, sentence):
        return False  # nothing before the name (tested already), or a title's full stop ("Sen.") was taken for the boundary
    lead = text[past_opening_phrase(text, sentence, start) : start]
    if _APPOSITION_LEAD.fullmatch(lead):
        return True  # "One voter, Ann Lee, 35, ...", "The problem, Ann Lee said, ..."
    if not is_title_phrase(lead):
        return False
    if any(word.islower() for word in lead.split()):
        return True  # a role in lower case: "Ohio Senate spokesman"
    line_end = text.find("\n", start, start + _LEAD_REACH)
    return not is_title_case(text[sentence : line_end if line_end >= 0 else start + _LEAD_REACH])  # capitals alone: "Lee Says Brown Lied"


_LEAD_REACH = 160  # characters from a sentence's start to its subject: an opening phrase and a title
_APPOSITION_LEAD = re.compile(r"(?:One|A|An|Another|The|His|Her|Their)\s+(?:[\w-]+\s+){0,3}?[a-z][\w-]*,\s+")
"""A noun phrase set off before the name it describes: "One local woman, ", "A longtime aide, "."""


_TITLES_BEFORE = re.compile(r"(?:(?:[A-Z][\w’'-]*|state|former|then|acting)\s+)?(?:(?P<abbreviation>[A-Z][a-z]{1,4})\.\s+){1,2}$")
"""Abbreviated titles right before a name, with a word before them ("Rep. ", "Lt. Gov. ", "GOP Sen. ", "state Rep. ")."""
_TITLES_REACH = 30


def _title_start(text: str, start: int) -> int:
    """Where the abbreviated titles right before a name start ("Rep." of "Rep. Ann Lee"), else the name's start."""
    if text[max(0, start - 2) : start].strip() != ".":
        return start  # the cheap test first: no full stop right before the name
    titles = _TITLES_BEFORE.search(text, max(0, start - _TITLES_REACH), start)
    return titles.start() if titles is not None and titles.group("abbreviation").lower() in ABBREVIATIONS else start


def _after_cue(text: str, span: TextSpan) -> bool:
    """Whether a mention is the subject of an inverted speech tag ('..., said Jeff Moss, a professor'), titles between."""
    if not _TAG_SUBJECT_END.match(text, span.end) or not text[max(0, span.start - 2) : span.start].endswith((" ", "\u00a0")):
        return False  # the cheap tests first; a verb after the name makes it a clause's subject (", said Trump could file")
    return _CUE_BEFORE.search(text, max(0, span.start - _CUE_BEFORE_REACH), span.start) is not None


def _opens_tag(text: str, span: TextSpan) -> bool:
    """Whether a mention is the subject of a speech tag after a quote or between commas ('"...," Mr. Kamp said.',
    "Voters, Lee suggested, ..."): the tag's words are all there is of its clause."""
    if not _TAG_VERB_AFTER.match(text, span.end):
        return False  # the cheap test first
    return _TAG_OPENING.search(text, max(0, span.start - _CUE_BEFORE_REACH), span.start) is not None


_TAG_VERBS = r"said|says|added|asked|wrote|explained|noted|argued|suggested|insisted|recalled|replied|continued|acknowledged|warned"
"""The verbs of a speech tag whose subject is named next to it: before it ('"...," Lee said') or after it (", said Lee")."""
_TAG_VERB_AFTER = re.compile(rf"\s+(?:{_TAG_VERBS}|told\s+\w+)\s*[,.;]")


_SUBJECT_FORMS = {"his": "he", "her": "she", "their": "they", "its": "it"}
"""A possessive pronoun's owner is found as its subject form's would be ("his warning that" as "he warned that")."""


def resolve_speaker(
    text: str,
    cue: str,
    lead: tuple[TextSpan, NameCandidate] | None,
    pronoun: str | None,
    mentions: MentionIndex,
    *,
    before: int,
    window: tuple[int, int],
) -> Attribution:
    """Turn the name or pronoun next to a cue into a speaker, and find the outlet if any."""
    if lead is None and pronoun is not None:
        word = _SUBJECT_FORMS.get(pronoun.lower(), pronoun.lower())
        if word in ("he", "she"):
            lead = _recent_subject(text, word, mentions, before=before) or mentions.last_of_kind(before, _PERSON, pronoun=word)
        else:
            lead = mentions.last_of_kind(before, _ORGANISATION)
    if lead is not None and _role_after(text, lead[0], unnamed=True):
        lead = None  # "the New Jersey governor told", "an Obama adviser said": someone the article does not name here
    speaker = lead[1] if lead else None
    if speaker is not None and is_outlet(speaker.name):
        via: str | None = speaker.name
    else:  # the first other outlet in the window: the walk stops there
        via = next((name.name for _, name in mentions.within(*window) if name is not speaker and is_outlet(name.name)), None)
    return Attribution(
        cue=cue.lower(),
        speaker=speaker.name if speaker else None,
        speaker_span=lead[0] if lead else None,
        via=via,
    )


def _recent_subject(text: str, pronoun: str, mentions: MentionIndex, *, before: int) -> tuple[TextSpan, NameCandidate] | None:
    """The person "he" or "she" most likely stands for: the subject of a recent sentence, which beats a nearer object
    ("Rathbun asked ... to help Montalvo. He said"), or of an inverted tag ('..., said Jeff Moss. "...," he said');
    a subject that opens a role title is the person the title leads to ("But Lopez campaign chairman Paul Grant said")."""

    def holder(span: TextSpan, name: NameCandidate) -> tuple[TextSpan, NameCandidate] | None:
        if not (_subject_by_place(text, span) or _after_cue(text, span) or _opens_tag(text, span)):
            return None
        person = _role_holder(text, (span, name), mentions, before=before)
        return person if may_be_person(text, *person) and mentions.agrees(pronoun, person[1]) else None

    subject = mentions.before(before, accept=lambda span, name: holder(span, name) is not None, reach=_SUBJECT_REACH)
    return holder(*subject) if subject else None


def _role_holder(text: str, lead: tuple[TextSpan, NameCandidate], mentions: MentionIndex, *, before: int) -> tuple[TextSpan, NameCandidate]:
    """The person a role title opening with ``lead`` names ("Lopez campaign chairman Paul Grant", "Lopez senior
    communications adviser Paul Grant": the title's last word a role), else ``lead``; a Title Case headline ("Clinton
    Says Russians Hacked DNC") leads nowhere. Whether a pronoun agrees with the person is the caller's test."""
    holder = next(mentions.within(lead[0].end, min(before, lead[0].end + _TITLE_REACH)), None)
    if holder is None or holder[1].kind != "person":
        return lead
    gap = text[lead[0].end : holder[0].start]
    words = gap.removeprefix("’s").removeprefix("'s").split()
    if not 0 < len(words) <= _TITLE_WORDS_MAX or _GAP_PUNCTUATION.search(gap):
        return lead
    if not all(word[0].isupper() or word.casefold() in TITLE_WORDS for word in words):
        return lead  # "Brown said Republican nominee Ann Lee is ...": a verb between, no title
    return holder if words[-1].casefold().rstrip(".") in PERSON_ROLES else lead


_TITLE_WORDS_MAX = 4
_GAP_PUNCTUATION = re.compile(r"[,;:!?()\"“”]|\.\s+[a-z]")
"""What no title holds: a clause's punctuation (a title's abbreviation "Gov." may stand before a capital)."""


_DOCUMENT_NOUNS = frozenset({"report", "statement", "agency", "newspaper", "document", "letter", "study", "survey", "poll", "polls"})
_OUTLET_REACH = 2000  # characters looked back for the outlet a document noun stands for


def nominal_source(text: str, noun: str, cue: str, *, before: int, mentions: MentionIndex) -> Attribution:
    """The attribution of a source noun: a document ("the report", "the agency") speaks for the outlet named last before it,
    a body ("the company", "the city") for the last name of its kind.

    People named by role ("officials", "a spokesman") stay without a speaker:
    no name says who they are.
    """
    body_kind = SOURCE_BODIES.get(noun.lower())
    if body_kind is not None and text[max(0, before - 4) : before].lower().endswith("the "):
        body = mentions.before(before, accept=lambda span, name: name.kind == body_kind, reach=_OUTLET_REACH)
        if body is not None:
            return Attribution(cue=cue.lower(), speaker=body[1].name, speaker_span=body[0])
    if noun.lower() not in _DOCUMENT_NOUNS or not text[max(0, before - 4) : before].lower().endswith("the "):
        return Attribution(cue=cue.lower())  # "officials", or "a statement": no named author it stands for
    outlet = mentions.before(before, accept=lambda span, name: is_outlet(name.name), reach=_OUTLET_REACH)
    if outlet is None:
        return Attribution(cue=cue.lower())
    return Attribution(cue=cue.lower(), speaker=outlet[1].name, speaker_span=outlet[0], via=outlet[1].name)


_SENTENCE_SUBJECT = re.compile(r"\s*(?:(?:But|And|So|Yet|Still|Meanwhile|However|Later|Then|Also|Now|On \w+|In \w+|At \w+),?\s+)?(?P<pronoun>He|She|They|It)\b")


_OPENING_PHRASE = re.compile(
    r"\s*(?:During|After|Before|At|In|On|Following|Speaking|Later|Earlier|When|As|While|Asked|Since|Though|Although|With|Despite|Unlike|Under|Upon|Once"
    r"|Like|Here|Back|Meanwhile|Elsewhere|Separately|Today|Yesterday|Last|This|Early|Late|Shortly|Over|Throughout|Within|Amid|Ahead|Across|Through|Until|For|From|Without|Against|Between|(?:The|A|One)\s+(?:day|week|month|year|night|morning|evening|weekend))\b"
    r"[^,.;:!?\"“”]{1,80},",
    re.IGNORECASE,
)
_OPENING_PHRASES = 2
_OPENING_PHRASE_BEFORE = re.compile(_OPENING_PHRASE.pattern.removeprefix(r"\s*") + r"\s+$", re.IGNORECASE)
"""An opening adverbial phrase ending just before a subject ("In an interview on Monday, Clinton laughed")."""
_OPENING_PHRASE_REACH = 100  # characters: the opener word, up to 80 more and the comma


def past_opening_phrase(text: str, start: int, end: int) -> int:
    """Where the subject starts in a sentence opening at ``start``: after one or two adverbial phrases ("During the debate
    on Monday, ", "In an essay, ", "On Thursday, after remaining neutral, "), if it opens with them."""
    for _ in range(_OPENING_PHRASES):
        opening = _OPENING_PHRASE.match(text, start, end)
        if opening is None:
            break
        start = opening.end()
        state = _STATE_AFTER_PLACE.match(text, start, end)
        if state is not None and (state.group("state") in PLACES or state.group("state") in COUNTRIES or state.group("abbreviation")):
            start = state.end()  # "In Ames, Iowa, ...", "In Portsmouth, N.H., ...": the place's state goes with it
    return start


_STATE_AFTER_PLACE = re.compile(
    r"\s+(?:(?P<abbreviation>(?:Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|Mont|Neb|Nev|N\.H|N\.J|N\.M|N\.Y|N\.C"
    r"|N\.D|Okla|Ore|Pa|R\.I|S\.C|S\.D|Tenn|Tex|Vt|Va|Wash|W\.Va|Wis|Wyo|D\.C)\.)|(?P<state>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?)),"
)
"""A state (or country) after a place and its comma, AP abbreviations included ("Ames, Iowa,", "Portsmouth, N.H.,")."""


def sentence_subject(text: str, start: int, end: int, verb: str, mentions: MentionIndex) -> Attribution | None:
    """The subject of the sentence's last clause when a person opens it (", as Lee echoed ..., saying"), else the subject
    opening the sentence: a leading pronoun, or its first name.

    An opening adverbial phrase is skipped: in 'During the debate on Monday, Sunak defended ...' the subject is Sunak,
    unless a comma follows the name too ('In Salem, New Hampshire, Trump ...': a place that goes on).
    """
    named_clause = _last_named_clause(text, start, end, mentions)
    if named_clause is not None:  # "Trump pivoted to trade, but Wallace brought him back, asking": Wallace
        return resolve_speaker(text, verb, named_clause, None, mentions, before=named_clause[0].start, window=(start, end))
    pronoun = _SENTENCE_SUBJECT.match(text, start, end)
    if pronoun is not None:
        return resolve_speaker(text, verb, None, pronoun.group("pronoun"), mentions, before=start, window=(start, end))
    dateline = DATELINE_PREFIX.match(text[start:end])  # "Washington (AFP) – Clinton has taken a swipe ..., saying"
    start += dateline.end() if dateline else 0
    subject_start = past_opening_phrase(text, start, end)
    pronoun = _SUBJECT_PRONOUN.match(text, subject_start, end) if subject_start > start else None
    if pronoun is not None:  # "Later in the summer, she revised her statement, explaining": she
        return resolve_speaker(text, verb, None, pronoun.group("pronoun"), mentions, before=subject_start, window=(start, end))
    names = mentions.within(subject_start, end)
    first = next(names, None)
    if first is None or first[0].start - subject_start > _TITLE_PHRASE_CHARS:
        return None  # the first name lies too deep in the sentence to be its subject
    if len(text[subject_start : first[0].start].split()) > 3 and not is_title_phrase(text[subject_start : first[0].start]):
        return None  # the first name lies too deep in the sentence to be its subject, unless a title leads to it
    if subject_start > start and text.startswith(",", first[0].end):
        return None
    return resolve_speaker(text, verb, titled_person(text, first, names), None, mentions, before=first[0].start, window=(start, end))


_SUBJECT_PRONOUN = re.compile(r"\s*(?P<pronoun>he|she|they|He|She|They)\b")
_CLAUSE_REACH = 300  # characters before a cue where the clause holding it may open
_CLAUSE_JOIN = re.compile(r"[,;]\s*(?:but|and|yet|while|whereas|as)\s+(?:(?:when|as|after|before|once|until)\s+)?")


def _last_named_clause(text: str, start: int, end: int, mentions: MentionIndex) -> tuple[TextSpan, NameCandidate] | None:
    """The person opening the sentence's last coordinated clause (", but Wallace brought ..."), if one opens it."""
    joins = list(_CLAUSE_JOIN.finditer(text, max(start, end - _CLAUSE_REACH), end))
    if not joins:
        return None
    named = next(mentions.within(joins[-1].end(), end), None)
    if named is None or named[0].start != joins[-1].end() or not may_be_person(text, *named):
        return None
    return titled_person(text, named, mentions.within(named[0].end, end))


_DETERMINER_BEFORE = re.compile(r"(?<![\w’'-])(?:[Hh]is|[Tt]heir|[Ii]ts|[Mm]y|[Oo]ur|[Yy]our|[Tt]he|[Aa]n?|[Tt]hese|[Tt]hose)\s+$")
_DETERMINER_REACH = 8


def after_determiner(text: str, start: int, cue_start: int) -> bool:
    """Whether a determiner comes right before a cue word: the word is a noun there ("his claims", "the remarks"), no cue."""
    return _DETERMINER_BEFORE.search(text, max(start, cue_start - _DETERMINER_REACH), cue_start) is not None


PARTICIPLE_PREPOSITION = re.compile(r"\b(?:upon|after|before|while|when|in|without|by)$")
"""A preposition ending the words before a participle cue: the participle's subject is the sentence's ("upon saying")."""
_TAG_BEFORE_PARTICIPLE = re.compile(
    r"[,\"”]\s*(?:(?P<source>[^,\"“”]{2,60}?)\s+(?:said|says|told\s+\w+|wrote|added|noted|explained)"
    r"(?:\s+(?:on|in|at|last|this|late|early|during|to)\b[^,\"“”]{1,40}|\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b[^,\"“”]{0,40})?"
    r"|(?:said|says)\s+(?P<source2>[^,\"“”]{2,60}?))\s*,$"
)
"""A closing tag ending the words before a participle cue (", Spicer said," / ", said Spicer," / '," he said,'), with when and
where it was said (", Lee said Tuesday in Paris,")."""
_PRONOUN_SOURCE = re.compile(r"he|she|it|they|He|She|It|They")


def tag_before_participle(text: str, start: int, end: int, verb: str, mentions: MentionIndex) -> Attribution | None:
    """The source of a closing tag ending ``text[start:end]``, before a participle cue: '..., Spicer said, adding, "..."' is
    Spicer's, '..., an official said, adding that ...' an unnamed official's; None without such a tag."""
    tag = _TAG_BEFORE_PARTICIPLE.search(text, max(0, start - 1), end)  # the quote's closing mark may open the words
    if tag is None:
        return None
    source = (tag.start("source"), tag.end("source")) if tag.group("source") else (tag.start("source2"), tag.end("source2"))
    names = list(mentions.within(*source))
    if names:
        return resolve_speaker(text, verb, names[-1], None, mentions, before=names[-1][0].start, window=source)
    pronoun = _PRONOUN_SOURCE.fullmatch(text, *source)
    if pronoun is not None:
        return resolve_speaker(text, verb, None, pronoun.group(), mentions, before=source[0], window=source)
    return noun_source(text, *source, verb, mentions) or Attribution(cue=verb.lower())


_SHORT_NAME_REACH = 3000  # characters looked back for the full name of a one-word source


def short_name(text: str, start: int, end: int, verb: str, mentions: MentionIndex) -> Attribution | None:
    """A capitalised source the name finder did not take ("Cuban said", "said Cuban"): the last name before holding that
    word speaks; None when no name does."""
    word = text[start:end].strip()
    start = text.index(word, start)
    named = mentions.before(start, accept=lambda _, name: word in name.name.split(), reach=_SHORT_NAME_REACH)
    if named is None:
        return None
    span = TextSpan(start, start + len(word), word)
    return resolve_speaker(text, verb, (span, named[1]), None, mentions, before=start, window=(start, span.end))


def opening_person(text: str, start: int, end: int, mentions: MentionIndex) -> tuple[TextSpan, NameCandidate] | None:
    """A person named right at ``start`` and set off by a comma: at a sentence's start the subject of a cue after the asides
    that follow, whatever names those hold ("Ann Lee, 58, who lives outside Ohio, said"); after "according to" a source
    first given by role ("According to the coach, Ann Lee, the robot ...")."""
    start = past_opening_phrase(text, start, end)  # "In an essay, Ann Lee, a professor at Ohio State, said"
    names = mentions.within(start, end)
    first = next(names, None)
    if first is None or not is_title_phrase(text[start : first[0].start]):
        return None
    person = titled_person(text, first, names)  # "New Jersey Gov. Chris Christie, hoping to ..., called"
    after = _AFTER_OPENING_PERSON.match(text, person[0].end, end)  # "John Kasich of Ohio,", "Claire McCaskill (D-Mo.),"
    return person if after is not None and may_be_person(text, *person) else None


_AFTER_OPENING_PERSON = re.compile(r"(?:\s+of\s+[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)?)?(?:\s*\([^()\n]{1,30}\))?,")
_TITLE_PHRASE_WORDS = (
    NAME_TITLES
    | PERSON_ROLES
    | {
        *("former", "then", "late", "retired", "of", "the"),  # "Former Secretary of State"
        *("front-runner", "challenger", "rival", "incumbent", "presidential", "senior", "top", "executive", "host"),  # "Democratic front-runner"
    }
)
_OPENING_PREPOSITIONS = frozenset({"of", "in", "on", "at", "for", "with", "by", "from", "to", "as", "about", "like", "unlike", "after", "before"})


_TITLE_PHRASE_CHARS = 120  # longer than any title before a name


def is_title_phrase(words: str) -> bool:
    """Whether ``words`` can only be a title before a name ("Sen.", "Former Secretary of State"), or are nothing at all:
    titles, role nouns and capitalised words, but no preposition opening a phrase ("Of Carson, Levine said")."""
    return len(words) <= _TITLE_PHRASE_CHARS and all(
        word.rstrip(".").casefold() in _TITLE_PHRASE_WORDS if word.islower() else word.casefold() not in _OPENING_PREPOSITIONS for word in words.split()
    )


def titled_person(text: str, first: tuple[TextSpan, NameCandidate], following: Iterator[tuple[TextSpan, NameCandidate]]) -> tuple[TextSpan, NameCandidate]:
    """The person a title opening with ``first`` leads to ("U.S. District Judge Ann Lee", "Clinton campaign spokesman Brian
    Fallon"), else ``first``."""
    last = first
    for name in following:
        if not _TITLE_BETWEEN.fullmatch(text, last[0].end, name[0].start):
            break
        if may_be_person(text, *name):
            return name
        last = name
    return first


_TAG_SUBJECT_END = re.compile(r"\s*(?:[,.;:(]|$)", re.MULTILINE)
_CUE_BEFORE_REACH = 60  # characters: the cue and up to four title words
_TITLE_WORD = word_alternation(sorted(TITLE_WORDS))
_TITLE_BETWEEN = re.compile(rf"(?:[’']s)?(?:\s+(?:[A-Z][\w.’'-]*|{_TITLE_WORD})){{0,4}}\s+")
"""What lies between the words of one title and the person it leads to: capitalised words and role words."""
_TAG_OPENING = re.compile(rf"[,”\"]\s*(?:(?:[A-Z][\w.’'-]*|{_TITLE_WORD})\s+){{0,5}}$")
"""What a tag after a quote or a comma opens with up to its subject: title words ('," Deputy Secretary Ann Lee told')."""
_CUE_BEFORE = re.compile(rf"[,”\"'’]\s*(?:{_TAG_VERBS})(?:\s+(?:[A-Z][\w.’'-]*|{_TITLE_WORD})){{0,4}}\s+$")
"""An inverted tag after a quote or clause, up to its subject: its cue and title words (', said former Ohio Gov. '), not
a clause's subject after a cue ("Sanders says Clinton was busy")."""


_SOURCE_NOUN = re.compile(
    rf"\b(?:(?:the|a|an|one|two|three|several|many|some|other|senior|top|local|federal|state|our|its|his|her|their)\s+)?(?:[\w-]+\s+){{0,2}}?(?P<noun>{word_alternation(sorted(SOURCE_NOUNS))})"
    r"(?:\s+(?:familiar\s+with|close\s+to|briefed\s+on|with\s+knowledge\s+of|involved\s+in|knowledgeable\s+about)(?:\s+[\w’'-]+){1,4})?\s*$",
    re.IGNORECASE,
)
_NOUN_REACH = 80
_OWNER_BEFORE = re.compile(r"\b(?P<owner>his|her|their|its)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
"""A possessive pronoun owning a document noun ("her statement", "his written statement"): the owner speaks through it."""
_OWNER_REACH = 24


def noun_source(text: str, start: int, end: int, cue: str, mentions: MentionIndex) -> Attribution | None:
    """The attribution when a source noun ends ``text[start:end]`` ("the report noted", "officials said", "the senator
    said"), else None."""
    noun = _SOURCE_NOUN.search(text, max(start, end - _NOUN_REACH), end)
    owner = _OWNER_BEFORE.search(text, max(0, noun.start("noun") - _OWNER_REACH), noun.start("noun")) if noun is not None else None
    if owner is not None and noun is not None and noun.group("noun").lower() in _DOCUMENT_NOUNS:  # "she revised her statement": hers
        return resolve_speaker(text, cue, None, owner.group("owner"), mentions, before=owner.start(), window=(owner.start(), end))
    if noun is not None:
        return nominal_source(text, noun.group("noun"), cue, before=noun.start("noun"), mentions=mentions)
    last_word = text[max(start, end - _LONGEST_OFFICE - 2) : end].split()[-1:]
    if not last_word or last_word[0].lower() not in _OFFICE_SET:
        return None  # the cheap test first: no office ends the words
    office = _THE_OFFICE_AT_END.search(text, max(start, end - _NOUN_REACH), end)
    return office_holder(text, office, cue, mentions) if office else None


_OFFICES = sorted({title.lower() for title in TITLE_HEADS})
_THE_OFFICE = rf"\b[Tt]he\s+(?:(?:former|late|then|current)\s+)?(?P<office>(?i:{word_alternation(_OFFICES)}))(?![\w’'-])"
_OFFICE_SET = frozenset(_OFFICES)
_LONGEST_OFFICE = max(map(len, _OFFICES))
_THE_OFFICE_AT_END = re.compile(_THE_OFFICE + r"\s*$")
THE_OFFICE = re.compile(_THE_OFFICE)
"""A person named by office alone: "the Emir", "the senator", "the former president"; not "the vice president" nor "the
Florida senator" (which one the title alone does not say)."""
_OFFICE_REACH = 2000  # characters looked back for the person holding the office


def office_holder(text: str, office: re.Match[str], cue: str, mentions: MentionIndex) -> Attribution | None:
    """The person last named with the office's title ("the senator": "Sen. Ann Lee"; "the Emir": "the Emir of Qatar
    Sheikh Tamim"), or None when no one nearby holds it."""
    word = office.group("office").lower()
    holder = mentions.before(office.start(), accept=lambda _, name: name.kind == "person" and _holds_office(name.title, word), reach=_OFFICE_REACH)
    if holder is None:
        return None
    return Attribution(cue=cue.lower(), speaker=holder[1].name, speaker_span=holder[0])


def _holds_office(title: str | None, office: str) -> bool:
    """Whether a title names the office, in full or abbreviated ("Sen." for "senator")."""
    words = [word.rstrip(".").lower() for word in (title or "").split()]
    return any(word == office or (len(word) >= 3 and office.startswith(word) and word in _OFFICE_SET) for word in words)
