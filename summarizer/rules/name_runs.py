"""Name pieces: the runs of capitalised words in a text, each cleaned into the names it holds.

A run is a stretch of name tokens one space apart: capitalised words, dotted
acronyms, "al-" words, and the particles and connectors that bridge two of
them ("bin", "of the"). Runs are split at possessives, dates and labels (and,
in a Title Case headline, at its verbs) and stripped of function words,
demonyms, role and courtesy titles and sentence-opening ordinary words. Each
piece keeps its mention span and the cues found around it: a title, words
only a person gets ("said", "coach X"), and whether it is a lone word opening
a sentence. Captions, credits, shouted credit lines and model codes give no
piece. :mod:`.names` turns the pieces into name candidates.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from itertools import pairwise
from typing import NamedTuple

from .candidates import TextSpan
from .lexicon import (
    BODY_NOUNS,
    CAPTION_LABELS,
    COMPASS,
    COMPOUND_TAILS,
    COUNTRIES,
    COUNTRY_ALIASES,
    COURTESY,
    DEMONYMS,
    GIVEN_NAMES,
    GROUP_NAMES,
    HONORIFICS,
    LEADING_FUNCTION_WORDS,
    NOT_NAMES,
    ORGANISATION_CONNECTOR_HEADS,
    ORGANISATION_NAMES,
    ORGANISATION_WORDS,
    PERSON_ROLES,
    PLACE_HEADS,
    PLACES,
    REPORTING_VERBS,
    ROLE_NOUNS,
    SENTENCE_STARTERS,
    STANCE_PREFIXES,
    STANCE_VERBS,
    TITLE_HEADS,
    TITLE_MODIFIERS,
    TITLE_OBJECT_WORDS,
    word_alternation,
)
from .text import MONTHS, WEEKDAYS, is_title_case, opens_sentence, text_span

_PARTICLES = frozenset(["bin", "bint", "ibn", "al", "el", "de", "da", "di", "du", "del", "della", "der", "den", "van", "von", "la", "le", "dos", "das", "y"])
CONNECTORS = frozenset({"of", "for"})  # join a title to its object, a body to the rest of its name: "Emir of Qatar", "Church of Scientology"
_BRIDGES = _PARTICLES | CONNECTORS | {"the"}  # lower-case words a name may contain, never end with
_ARTICLE_PREFIX = "(?:" + word_alternation(["al", "el", "ad", "as", "an", "ar", "ash"]) + ")-[A-Z]"  # "al-Fayyadh", "ash-Sharq"
_CAPITALISED_PREFIX = re.compile(_ARTICLE_PREFIX)
# The tokens a name can be made of: dotted acronyms, words that do not start with a
# lower-case ASCII letter (capitalised, or non-ASCII and checked by ``_is_capitalised``),
# "al-" words, and the particles and connectors that bridge two capitalised words.
# A bridge is only listed before one space and a capitalised word (or "the" and one:
# "of the United Nations"): nowhere else can it join a run (see ``_bridge_length``),
# and "the" and "of" before lower-case words are a third of all tokens otherwise.
# A token starts a word (not after a letter, a digit, a hyphen or an apostrophe), so
# the runs match a tokenisation of every word; skipping the plain
# lower-case words in the regex engine is what keeps name finding fast, and so do the word
# lists as tries: every lower-case word start is tried against them.
_BRIDGE_BEFORE_NAME = r"(?=[ \u00a0](?:the[ \u00a0])?(?:[^\W\d_a-z]|" + _ARTICLE_PREFIX + r"))"
_NAME_TOKEN = re.compile(
    r"(?<![\w’'\-@#])"  # a handle or hashtag ("@KThomasDC", "#MeToo") is no name in the prose
    r"(?:(?:[A-Z]\.){2,}"
    r"|[A-Z]{1,4}&[A-Z]{1,4}\b"  # "A&M", "AT&T", "S&P"
    r"|(?:[^\W\d_a-z]|" + _ARTICLE_PREFIX + r")\w*(?:[’'\-]\w+)*"
    r"|(?:" + word_alternation(_BRIDGES) + r")" + _BRIDGE_BEFORE_NAME + ")"
)
_DESCRIPTORS = frozenset(["Former", "Presumptive", "Democrat", "Democratic", "Republican", "GOP", "Presidential", "Conservative", "Progressive", "Libertarian"])
"""Words that describe the person a name follows them with ("Democrat Hillary Clinton", "Former Obama"), dropped before a
given name or when no title follows; a run of them alone ("Presumptive Democratic" before "nominee") is no name."""
_NAME_BREAKERS = frozenset([*MONTHS, *WEEKDAYS, "AM", "PM", "GMT", "UTC", "EST", "EDT", "BST", "CET"])
_SHOUTING_BEFORE = re.compile(r"[A-Z]{2}[/ ]+$")
_SHOUTING_AFTER = re.compile(r"[/ ]+\(?[A-Z]{2}")
_CODE = re.compile(r"[A-Z]+-\d+[A-Z]?|[RDI]-[A-Z][A-Za-z]{1,5}")
"""Mission and model codes ("STS-135", "F-16") and a lawmaker's party and state ("R-Calif", "D-Ore"): no names."""
_ROMAN_NUMERAL = re.compile(r"[IVX]{2,}")  # "part XVII"; a lone "I" is a pronoun
_CONTRACTION = re.compile(r"['’](?:m|re|ve|ll|d|t)$", re.IGNORECASE)  # "I'm", "Don't", "We'll"


_MAX_NAME_WORDS = 20
"""Longer runs of capitalised words are no name: PolNeAR's and GUM's longest are 17 words."""


class NamePiece(NamedTuple):
    """A cleaned run of name tokens: the name words, its mention span and cues.

    ``person_cue``: a courtesy title, a role title, an honorific or words only a
    person gets ("said", "coach X") mark it as a person's name; ``title``: the role
    title before it ("Prime Minister"); ``weak``: a lone word opening a sentence,
    uncued, which may be an ordinary word; ``headline``: found in a headline written
    in Title Case, where every word is capitalised (see :meth:`_TitleCaseLines.headline`);
    ``body_cue``: a noun for a body right before it ("the company X", "group X") marks an organisation's name.
    """

    words: tuple[str, ...]
    span: TextSpan
    person_cue: bool
    title: str | None
    weak: bool
    headline: bool = False
    body_cue: bool = False


def name_pieces(text: str, common: frozenset[str]) -> list[NamePiece]:
    """Clean name pieces from every run of capitalised tokens, in text order.

    ``common`` holds the words the text also writes in lower case: such a word
    opening a sentence is an ordinary word ("Leaving", "Iodine deficiency").
    Only name-like tokens are listed (see ``_NAME_TOKEN``); two tokens with a
    skipped word between them never join, since ``_joins`` looks at the gap. The pieces
    are appended to one list rather than yielded: most runs give one piece or none.
    """
    pieces: list[NamePiece] = []
    title_case = _TitleCaseLines(text)
    tokens = [(match.start(), match.end(), match.group()) for match in _NAME_TOKEN.finditer(text)]
    index = 0
    while index < len(tokens):
        if not _is_capitalised(tokens[index][2]):
            index += 1
            continue
        stop = _run_end(text, tokens, index)
        found = len(pieces)
        _clean_run(text, tokens[index:stop], common, title_case, pieces)
        if len(pieces) > found and title_case.headline(tokens[index][0]):
            pieces[found:] = [piece._replace(headline=True) for piece in pieces[found:]]
        index = stop
    return pieces


def is_known_name(words: tuple[str, ...]) -> bool:
    """Names that stand on their own even at a sentence start: countries, places, groups, well-known organisations, acronyms."""
    name = " ".join(words)
    return name in COUNTRIES or name in COUNTRY_ALIASES or name in PLACES or name in GROUP_NAMES or name in ORGANISATION_NAMES or is_acronym(name)


def is_acronym(name: str) -> bool:
    """Two to six capital letters, dotted or not: "NASA", "U.S."."""
    letters = name.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


class _TitleCaseLines:
    """The lines written in Title Case, as headlines are ("Hollande Says Trump Makes You Want to Retch").

    In such a line every word is capitalised, so a run of capitals is no sign
    of one name: there, a word the article also writes in lower case ("says",
    "makes") ends a name instead of joining it. A line is read when a run in
    it holds such a word, which few do, and never further than a headline's
    length from the word: a page-long line costs no more than a short one.
    """

    MAX_CHARS = 300  # a headline's length; longer lines are prose

    def __init__(self, text: str) -> None:
        self._text = text
        self._by_start: dict[int, bool] = {}  # the lines read so far, by where they start

    def holds(self, position: int) -> bool:
        """Whether the line holding ``position`` (not a line break) is in Title Case."""
        text, limit = self._text, self.MAX_CHARS
        reach = max(0, position - limit)
        start = text.rfind("\n", reach, position) + 1
        if start == 0 and reach > 0:
            return False  # the line starts further back: longer than a headline
        if start not in self._by_start:
            end = text.find("\n", position, start + limit + 1)
            if end < 0 and len(text) - start > limit:
                return False  # the line goes on past a headline's length
            self._by_start[start] = is_title_case(text[start : end if end >= 0 else len(text)])
        return self._by_start[start]

    def headline(self, position: int) -> bool:
        """Whether the line holding ``position`` is a headline in Title Case: one that also capitalises the small
        words between names ("Rubio And Paul Clash At The Debate", a list of "Related:" links), not a caption or a
        sentence naming many bodies."""
        starts, ends = self._headlines
        k = bisect.bisect_right(starts, position) - 1
        return k >= 0 and position < ends[k]

    @functools.cached_property
    def _headlines(self) -> tuple[list[int], list[int]]:
        """Where the headline lines start and end, found once: the lines no longer than a headline (one regex scan
        of the text) that hold a capitalised small word and are in Title Case."""
        starts: list[int] = []
        ends: list[int] = []
        for line in _SHORT_LINE.finditer(self._text):
            if _HEADLINE_JOINER.search(self._text, line.start(), line.end()) and is_title_case(line.group()):
                starts.append(line.start())
                ends.append(line.end())
        return starts, ends


_SHORT_LINE = re.compile(rf"^[^\n]{{1,{_TitleCaseLines.MAX_CHARS}}}$", re.MULTILINE)
_HEADLINE_JOINERS = frozenset(
    ["A", "An", "And", "At", "On", "To", "By", "Between", "Into", "From", "With", "About", "After", "Over", "Against", "Amid", "As", "In", "Vs"]
)
"""Small words a Title Case headline capitalises between names; "Of", "For" and "The" also open or join names ("Bank Of America",
"The Hague")."""
_HEADLINE_JOINER = re.compile(r"(?<=[ \u00a0])(?:" + "|".join(sorted(_HEADLINE_JOINERS)) + r")(?=[ \u00a0])")


def _is_capitalised(word: str) -> bool:
    return word[0].isupper() or ("-" in word and bool(_CAPITALISED_PREFIX.match(word)))


def _run_end(text: str, tokens: list[tuple[int, int, str]], index: int) -> int:
    """Index one past the last token of the capitalised run starting at ``index``.

    Once the run has an organisation word, "of"/"for" keep bridging: "Australian
    Centre for Control of Iodine Deficiency Disorders" is one name.
    """
    end = index + 1
    organisation = tokens[index][2] in ORGANISATION_WORDS
    while end < len(tokens):
        previous = tokens[end - 1]
        if tokens[end][0] - previous[1] > _LONGEST_GAP or not _joins(text, previous, tokens[end][0]):
            break  # the gap first: most runs end a skipped word away from the next token
        if _is_possessive(previous[2]) and tokens[end][2] not in ORGANISATION_WORDS:
            break  # "Iran's President" splits; "Korean People's Army" is one name
        word = tokens[end][2]
        if _is_capitalised(word):
            organisation = organisation or word in ORGANISATION_WORDS
            end += 1
            continue
        bridge = _bridge_length(text, tokens, end, previous[2], organisation=organisation)
        if bridge == 0:
            break
        end += bridge
    return end


_INITIALS = re.compile(r"(?:[A-Z]\.){2,3}")
_SURNAME_START = re.compile(r"[A-Z][a-z]+")


_PLACE_PREFIXES = frozenset({"St", "Mt", "Ft", "Pt", "Ste"})
"""Abbreviations that open a place's name across their full stop: "St. Paul", "Mt. Vernon", "Ft. Worth"."""
_NOT_INITIALS = frozenset({"N.J.", "N.Y.", "N.H.", "N.C.", "S.C.", "N.D.", "S.D.", "N.M.", "R.I.", "D.C.", "P.S.", "A.M.", "P.M.", "A.C."})
"""Dotted forms that end a place or a sentence, not a person's initials ("Cresskill, N.J. Roger Ailes ...")."""


def _is_known_place_or_body(word: str) -> bool:
    return word in _NOT_INITIALS or word in COUNTRIES or word in COUNTRY_ALIASES or word in PLACES or word in GROUP_NAMES or word in ORGANISATION_NAMES


_LONGEST_GAP = len(". ")
"""No two tokens of one name are further apart than in 'Mr. Smith' (see ``_joins``): a longer gap ends a run unread."""


def _joins(text: str, previous: tuple[int, int, str], start: int) -> bool:
    """Whether two tokens sit close enough to belong to one name ('Mr. Smith', 'Ali Khamenei'): never further than ``_LONGEST_GAP`` apart."""
    gap = text[previous[1] : start]
    word = previous[2]
    if word.endswith("."):
        # "U.S. President ...", "Washington D.C. The ...": a known dotted form stands alone; initials go on ("K.C. Maurer")
        following = _SURNAME_START.match(text, start)
        initials = gap == " " and _INITIALS.fullmatch(word) is not None and not _is_known_place_or_body(word)
        return initials and following is not None and following.group().lower() not in SENTENCE_STARTERS
    if gap in (" ", "\u00a0"):
        return True
    abbreviation = word in COURTESY or word in TITLE_HEADS or word in _PLACE_PREFIXES or (len(word) == 1 and word.isupper())
    return gap in (". ", ".\u00a0") and abbreviation


def _bridge_length(text: str, tokens: list[tuple[int, int, str]], index: int, previous: str, *, organisation: bool) -> int:
    """How many lower-case tokens from ``index`` bridge to a following capital ('bin', 'of the')."""
    words = [token[2] for token in tokens[index : index + 3]]
    if words[0] in _PARTICLES:
        width = 1
    elif words[0] in CONNECTORS and (organisation or previous in ORGANISATION_CONNECTOR_HEADS or previous in TITLE_HEADS):
        width = 2 if len(words) > 1 and words[1] == "the" else 1
    else:
        return 0
    following = index + width
    if following >= len(tokens) or not _is_capitalised(tokens[following][2]):
        return 0
    if words[0] in CONNECTORS and previous not in ORGANISATION_CONNECTOR_HEADS and previous not in TITLE_HEADS and is_known_name((tokens[following][2],)):
        return 0  # "University of Sheffield of the UK": a chained "of" does not take in a country or place
    chain = tokens[index - 1 : following + 1]
    if not all(_joins(text, a, b[0]) for a, b in pairwise(chain)):
        return 0
    return width


def _is_possessive(word: str) -> bool:
    return word.endswith(("'s", "’s"))


_LABEL_MARKS = (":", "$")


def _clean_run(text: str, run: list[tuple[int, int, str]], common: frozenset[str], title_case: _TitleCaseLines, pieces: list[NamePiece]) -> None:
    """Split a raw run at possessives, dates and labels (and, in a Title Case headline, at ordinary words), strip function words, demonyms and titles."""
    if len(run) == 1 and run[0][2] in LEADING_FUNCTION_WORDS:
        return  # the commonest run by far: "The", "In", "He" opening a sentence
    current: list[tuple[int, int, str]] = []
    for start, end, word in run:
        # The cheap test first in each pair: few tokens sit before a colon or a dollar, or hold a hyphen.
        if (
            word in _NAME_BREAKERS
            or (text[end : end + 1] in _LABEL_MARKS and _is_label(text, end, word))
            or (word.startswith("I") and _is_contraction(word))  # "Jim Eastland I’ve"
            or ("-" in word and _is_compound(word, common))
            or ((word in _HEADLINE_JOINERS or (word[-1] == "s" and _is_ordinary_word(word, common))) and title_case.holds(run[0][0]))
            or (
                current
                and (word in _HEADLINE_VERBS or word.endswith(("s", "ed")))
                and _is_headline_verb(word, after=current[-1][2])
                and title_case.headline(run[0][0])
            )
        ):
            if current:
                _finish_piece(text, current, common, pieces)
            current = []
            continue
        if word in HONORIFICS and current and not _starts_with_title(current):
            # "the Islamic Revolution Ayatollah Ali Khamenei": the name starts at the honorific
            _finish_piece(text, current, common, pieces)
            current = []
        if _is_possessive(word) and not _continues_name(run, start):
            current.append((start, end - 2, word[:-2]))
            _finish_piece(text, current, common, pieces)
            current = []
            continue
        current.append((start, end, word))
    if current:
        _finish_piece(text, current, common, pieces)


_CREDIT_BEFORE = re.compile(r"\b(?:" + "|".join(sorted(CAPTION_LABELS)) + r"):\s*$")
_LABEL_AFTER = re.compile(r"\.?\s+(?:" + "|".join(sorted(CAPTION_LABELS)) + r"):")


def _in_caption_line(text: str, start: int, end: int) -> bool:
    """A credit ("Image: Jambula.") or a caption's subject ("Belle Image: ..."): a name even when it opens the line."""
    return bool(_CREDIT_BEFORE.search(text, max(0, start - 10), start) or _LABEL_AFTER.match(text, end))


def _is_ordinary_word(word: str, common: frozenset[str]) -> bool:
    """A headline's verb: a capitalised word in the present tense ("Says", "Makes") that the article also writes in lower case.

    Headlines put their verb in the present, so only such words end a name;
    "New", "Mark" or "Party" in a Title Case line still join one.
    """
    return (
        word.endswith("s")
        and not word.endswith("ss")  # "Congress", "Progress"
        and (word.lower() in common or word.lower() in REPORTING_VERBS or word.lower() in STANCE_VERBS)
        and word not in GIVEN_NAMES
        and word not in LEADING_FUNCTION_WORDS
        and word not in ORGANISATION_WORDS
        and word not in PLACE_HEADS
    )


_HEADLINE_VERBS = frozenset(["Is", "Was", "Are", "Were", "Has", "Have", "Had", "Will", "Would", "Could", "Can", "Just", "Not", "Also", "Says", "Said"])


def _is_headline_verb(word: str, *, after: str) -> bool:
    """A verb of a headline that capitalises its small words too ("Marco Rubio Responds To ...", "Hillary Just Vowed To ..."):
    there a word in "-s" or "-ed" after a name's words ends the name, unless it is a name, place or body itself, or the
    surname after a given name ("Cecile Richards")."""
    if word in _HEADLINE_VERBS:
        return True
    if not (len(word) > 3 and (word.endswith("s") and not word.endswith("ss") or word.endswith("ed"))) or after in GIVEN_NAMES:
        return False
    return word not in GIVEN_NAMES and word not in ORGANISATION_WORDS and word not in PLACE_HEADS and not is_known_name((word,))


def _is_compound(word: str, common: frozenset[str]) -> bool:
    """A hyphenated adjective or thing ("Scientology-related", "E-meter"), not a name ("Kim Jong-un")."""
    head, hyphen, tail = word.rpartition("-")
    if hyphen and head in STANCE_PREFIXES:
        return True  # "Pro-Beijing", "Anti-Trump": a stance, not a name
    return bool(hyphen and head and tail.islower() and (tail in COMPOUND_TAILS or (len(tail) > 4 and tail in common)))


def _is_label(text: str, end: int, word: str) -> bool:
    """A caption label ("Image:", "Photo:"), a chat-role label ("SYSTEM:") or a currency prefix ("US$20,000"), not part of a name."""
    following = text[end : end + 1]
    return (following == ":" and (word in CAPTION_LABELS or _is_role_label(text, end - len(word), word))) or following == "$"


def _is_role_label(text: str, start: int, word: str) -> bool:
    """An all-capitals word opening a line before a colon ("SYSTEM:", "USER:"), unless a known country, place or group ("UK:")."""
    if not word.isupper() or word in COUNTRIES or word in COUNTRY_ALIASES or word in PLACES or word in GROUP_NAMES:
        return False
    return _opens_line(text, start)


def _opens_line(text: str, start: int) -> bool:
    """Whether only whitespace lies between the line's start and ``start``.

    Read backwards from ``start``, so a long line of labels is not read again for each.
    """
    before = start - 1
    while before >= 0 and text[before] != "\n" and text[before].isspace():
        before -= 1
    return before < 0 or text[before] == "\n"


def _continues_name(run: list[tuple[int, int, str]], start: int) -> bool:
    """Whether the possessive token at ``start`` has more of the run after it ("People's Army")."""
    return run[-1][0] > start


def _starts_with_title(tokens: list[tuple[int, int, str]], start: int = 0) -> bool:
    """Whether the first word from ``start`` on that is no demonym or function word is a title."""
    first = next((word for _, _, word in itertools.islice(tokens, start, None) if word not in DEMONYMS and word not in LEADING_FUNCTION_WORDS), None)
    return first is not None and (first in TITLE_HEADS or first in TITLE_MODIFIERS or first in COURTESY)


def _finish_piece(text: str, tokens: list[tuple[int, int, str]], common: frozenset[str], pieces: list[NamePiece]) -> None:
    """The name pieces of one run: function words, demonyms, titles and sentence-opening common words stripped."""
    run_start = tokens[0][0]
    tokens = _strip_leading(tokens)
    if not tokens or _is_ordinary_opening(text, tokens, common):
        return
    country = _leading_country(tokens) if len(tokens) > 1 else 0
    if country:  # "the United States Hamdullah Mohib", "US Senator X": a country, then a name
        pieces.append(_make_piece(text, tokens[:country], mention_start=tokens[0][0], person_cue=False, title=None, weak=False))
        tokens = tokens[country:]
    holder = _title_holder_width(text, tokens) if len(tokens) > 1 else 0
    if holder:  # "NASA Administrator Charles Bolden", "State Department Spokesperson": the body, then a title
        body = _without_modifiers(tokens[:holder])  # "Former Acme CEO Ann Lee": the body is Acme
        if _is_name(text, body):
            pieces.append(_make_piece(text, body, mention_start=body[0][0], person_cue=False, title=None, weak=False))
        tokens = tokens[holder:]
    courtesy = bool(tokens) and tokens[0][2] in COURTESY
    mention_start = tokens[0][0] if tokens else 0
    tokens, title, title_object = _strip_title(tokens)
    if title is None and _opens_with_role(tokens, common):  # "Actress Eva Quux", "Pastor Darrell Quux": an occupation before a name
        title, tokens = tokens[0][2], tokens[1:]
    if len(tokens) > _MAX_NAME_WORDS:
        return  # a run of capitalised words longer than any name (a shouted page, a Title Case list), not one name
    if title_object and _is_actor_object(title_object):
        pieces.append(_make_piece(text, title_object, mention_start=title_object[0][0], person_cue=False, title=None, weak=False))
    if not _is_name(text, tokens):
        return
    if _is_role_object(text, tokens):
        return
    words = tuple([word for _, _, word in tokens])
    person_cue = courtesy or title is not None or words[0] in HONORIFICS or _has_person_context(text, tokens[0][0], tokens[-1][1])
    weak = (
        len(words) == 1
        and tokens[0][0] == run_start
        and opens_sentence(text, run_start)
        and not person_cue
        and not _in_caption_line(text, tokens[0][0], tokens[-1][1])
        and not (words[0][-1] != "s" and _REPORTS_AFTER.match(text, tokens[-1][1]))  # "Politico reported": a source; "Analysts noted": no name
    )
    body_cue = not person_cue and _after_body_noun(text, tokens[0][0])
    pieces.append(NamePiece(words, text_span(text, mention_start if courtesy else tokens[0][0], tokens[-1][1]), person_cue, title, weak, body_cue=body_cue))


def _opens_with_role(tokens: list[tuple[int, int, str]], common: frozenset[str]) -> bool:
    """Whether a capitalised role noun opens a name of two or three more words, none of them a title, a body's word or a
    word the text writes in lower case ("Actress Eva Quux"; not "Chief Justice Earl Warren", "Mother Emanuel Church",
    "Teacher Retirement System", "Star Wars")."""
    if not (3 <= len(tokens) <= 4 and tokens[0][2].lower() in ROLE_NOUNS and tokens[0][2][1:].islower()):
        return False
    rest = [word for _, _, word in tokens[1:]]
    return ORGANISATION_WORDS.isdisjoint(rest) and not any(word in TITLE_HEADS or word.lower() in common for word in rest)


def _without_modifiers(tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The tokens after the title modifiers that open them ("Former")."""
    start = 0
    while start < len(tokens) and tokens[start][2] in TITLE_MODIFIERS:
        start += 1
    return tokens[start:]


def _is_ordinary_opening(text: str, tokens: list[tuple[int, int, str]], common: frozenset[str]) -> bool:
    """Words opening a sentence that the text also writes in lower case: "Leaving a lifehood ...", "Election Results"."""
    if tokens[0][2].lower() not in common:
        return False  # the usual case, checked first: a name's first word is not an ordinary word
    words = [word for _, _, word in tokens]
    return all(word.lower() in common for word in words) and opens_sentence(text, tokens[0][0]) and not is_known_name(tuple(words))


def _title_holder_width(text: str, tokens: list[tuple[int, int, str]]) -> int:
    """Width of the name before a title inside a run ("NASA" in "NASA Administrator Charles Bolden"), else 0.

    A title head after "of"/"for"/"the" belongs to an organisation's name
    ("Department of Justice"); the modifiers before a head belong to the title
    ("Environment Minister").
    """
    for index in range(1, len(tokens)):
        if tokens[index][2] in TITLE_HEADS and tokens[index - 1][2] not in _BRIDGES and not _is_office(text, tokens, index):
            start = index
            while start > 0 and (tokens[start - 1][2] in TITLE_MODIFIERS or tokens[start - 1][2] in TITLE_OBJECT_WORDS):
                start -= 1
            return start
    return 0


def _is_office(text: str, tokens: list[tuple[int, int, str]], index: int) -> bool:
    """A run ending in a possessive title names an office: "the LA Sheriff's Department"."""
    return index == len(tokens) - 1 and text.startswith(("'s", "’s"), tokens[index][1])


_ROLE_OF_BEFORE = re.compile(r"\b([a-z]+) (?:of|for) (?:the )?$")


def _is_role_object(text: str, tokens: list[tuple[int, int, str]]) -> bool:
    """The object of a lower-case role: "leader of the Islamic Revolution", "director of the National Study"."""
    start = tokens[0][0]
    if not text.endswith(("of ", "for ", "the "), 0, start):
        return False
    role = _ROLE_OF_BEFORE.search(text, max(0, start - 40), start)
    return bool(role and role.group(1) in ROLE_NOUNS and not _is_actor_object(tokens))


def _is_actor_object(tokens: list[tuple[int, int, str]]) -> bool:
    """Whether a title's object names an actor: 'Emir of Qatar', 'CEO of the Refugee Council', not 'Leader of the Islamic Revolution'."""
    words = tuple(word for _, _, word in tokens)
    return is_known_name(words) or any(word in ORGANISATION_WORDS for word in words)


def _strip_leading(tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop sentence-opening function words ('In Tehran') and demonyms before a title ('Iranian President')."""
    start = 0  # one slice at the end: a run of a thousand "The" must not be copied a thousand times
    while start < len(tokens) and (tokens[start][2] in LEADING_FUNCTION_WORDS or _is_contraction(tokens[start][2])):
        start += 1
    while len(tokens) - start > 1 and tokens[start][2] in _DESCRIPTORS and (tokens[start + 1][2] in GIVEN_NAMES or _is_bare_former(tokens, start)):
        start += 1  # "Democrat Hillary Clinton", "Former Obama adviser"; not "Republican National Committee", "Former President Obama"
    # Whether a title follows does not change while demonyms are dropped: it is the same word.
    if len(tokens) - start > 1 and tokens[start][2] in DEMONYMS and _starts_with_title(tokens, start + 1):
        while len(tokens) - start > 1 and tokens[start][2] in DEMONYMS:
            start += 1
    return tokens[start:] if start else tokens


def _is_bare_former(tokens: list[tuple[int, int, str]], index: int) -> bool:
    """ "Former" or "Presumptive" at ``index`` with no title after it: it describes the name, it is not part of it."""
    return tokens[index][2] in ("Former", "Presumptive") and not _starts_with_title(tokens, index + 1)


def _is_contraction(word: str) -> bool:
    return ("'" in word or "’" in word) and bool(_CONTRACTION.search(word))


def _leading_country(tokens: list[tuple[int, int, str]]) -> int:
    """Width of a country name opening a longer run that is not an organisation's name, else 0."""
    if tokens[0][2] not in _COUNTRY_FIRST_WORDS:
        return 0  # the usual case, without joining the opening words three times
    words = [word for _, _, word in tokens]
    for width in (3, 2, 1):
        opening = " ".join(words[:width])
        if len(words) > width and (opening in COUNTRIES or opening in COUNTRY_ALIASES):
            return 0 if any(word in ORGANISATION_WORDS for word in words[width:]) else width
    return 0


_COUNTRY_FIRST_WORDS = frozenset(name.split(" ")[0] for name in [*COUNTRIES, *COUNTRY_ALIASES])


def _is_name(text: str, tokens: list[tuple[int, int, str]]) -> bool:
    """Whether cleaned tokens still form a proper name."""
    if not tokens or tokens[0][2] in _BRIDGES or tokens[-1][2] in _BRIDGES:
        return False
    if len(tokens) > 1:
        words = [word for _, _, word in tokens]
        if all(word.isupper() for word in words):
            return False  # shouting credit lines ("MAJID ASGARIPOUR/WANA"), not prose names
        return not all(word in DEMONYMS or word in COMPASS or word in _DESCRIPTORS for word in words)  # "South Korean", "Presumptive Democratic"
    word = tokens[0][2]
    if word in DEMONYMS or word in COMPASS:
        return False  # "Iranian": an adjective, not a name
    if word in TITLE_HEADS or word in TITLE_MODIFIERS or word in NOT_NAMES or (word[0] in "IVX" and _ROMAN_NUMERAL.fullmatch(word)):
        return False
    if "-" in word and _CODE.fullmatch(word):
        return False  # "STS-135", "F-16", "R-Calif"
    if word.endswith("ist") and len(word) > 6:
        return False  # "Buddhist", "Scientologist": adherents, not names
    return not (word.isupper() and word not in COUNTRY_ALIASES and _in_shouting_line(text, tokens[0][0], tokens[0][1]))


def _in_shouting_line(text: str, start: int, end: int) -> bool:
    """Whether an all-capitals word sits among others, as in "MAJID ASGARIPOUR/WANA (WEST ASIA ...)"."""
    return bool(_SHOUTING_BEFORE.search(text, max(0, start - 4), start) or _SHOUTING_AFTER.match(text, end))


def _make_piece(text: str, tokens: list[tuple[int, int, str]], *, mention_start: int, person_cue: bool, title: str | None, weak: bool) -> NamePiece:
    words = tuple(word for _, _, word in tokens)
    return NamePiece(words, text_span(text, mention_start, tokens[-1][1]), person_cue, title, weak)


def _strip_title(
    tokens: list[tuple[int, int, str]],
) -> tuple[list[tuple[int, int, str]], str | None, list[tuple[int, int, str]]]:
    """(name tokens, title text, tokens of a name inside the title) for a run.

    A title is optional modifiers then heads ("Home Secretary", "Prime
    Minister"), optionally with an object ("Emir of Qatar", "Leader of the
    Islamic Revolution"). Courtesy titles ("Mr.") are dropped from the name.
    """
    index = 0
    while index < len(tokens) and tokens[index][2] in COURTESY:
        index += 1
    heads = index
    while heads < len(tokens) and tokens[heads][2] in TITLE_MODIFIERS:
        heads += 1
    end = heads
    while end < len(tokens) and tokens[end][2] in TITLE_HEADS:
        end += 1
    if end == heads:
        return tokens[index:], None, []
    title_object: list[tuple[int, int, str]] = []
    if end < len(tokens) and tokens[end][2] in CONNECTORS:
        end, title_object = _title_object(tokens, end + 1)
    if end >= len(tokens):
        return [], None, title_object
    title = " ".join(word for _, _, word in tokens[index:end])
    return tokens[end:], title, title_object


def _title_object(tokens: list[tuple[int, int, str]], index: int) -> tuple[int, list[tuple[int, int, str]]]:
    """(end of a title's object after 'of', the object's tokens when it is itself a name).

    'Emir of Qatar' names Qatar, 'CEO of the Refugee Council' the council, 'Minister
    of Education' nothing. An object ends at an organisation word, an honorific
    or a title, since the person's name follows.
    """
    words = [word for _, _, word in tokens]
    for width in (3, 2, 1):
        if " ".join(words[index : index + width]) in COUNTRIES:
            return index + width, tokens[index : index + width]
    if index < len(words) and words[index] in TITLE_OBJECT_WORDS:
        return index + 1, []
    if index < len(words) and words[index] == "the":
        end = index + 1
        while end < len(words) and words[end] not in HONORIFICS and words[end] not in TITLE_HEADS:
            end += 1
            if words[end - 1] in ORGANISATION_WORDS:
                break
        return end, tokens[index + 1 : end]
    if len(words) - index >= 3:  # "Governor of Washington Chris Gregoire": a one-word object, then the name
        return index + 1, tokens[index : index + 1]
    return index - 1, []


# Verbs that mark their subject as a person (or a body speaking like one); "continues" and
# "reports" are left out because places and papers do those too.
_PERSON_CUE_WORDS = [
    "said",
    "says",
    "told",
    "tells",
    "added",
    "stated",
    "wrote",
    "claimed",
    "asked",
    "explained",
    "commented",
    "tweeted",
    "insisted",
    "argued",
    "warned",
    "replied",
    "remarked",
    "asserted",
]
# "Smith, 42, said" and "Smith, the minister, said" mark Smith; in "the mayor of
# Springfield, Jane Doe, said" the apposition is itself a full name, and it is
# the one who speaks.
_CUE_AFTER_NAME = r"\s*(?:,(?!\s*[A-Z]\w+\s+[A-Z])[^,.;\n]{1,80},\s*)?(?:" + word_alternation(_PERSON_CUE_WORDS) + r")\b"
_REPORTS_AFTER = re.compile(r"\s+(?:reported|said|says|wrote|writes|announced|noted)\b")  # not "reports": "Recent reports"
_LEADER_NOUNS = ["administration", "presidency", "campaign", "era"]  # "the Trump administration"
_ROLE_NOUN_BEFORE = re.compile(r"\b([a-z]+),?\s+$")
# After a person's name, one of: a leader noun, a speech cue, an age ("Smith, 42,"); one pattern, one call.
_PERSON_AFTER = re.compile(r"\s+(?:" + word_alternation(_LEADER_NOUNS) + r")(?![a-z])|" + _CUE_AFTER_NAME + r"|,\s*\d{1,3}\s*,")


_BODY_NOUN_BEFORE = re.compile(r"(?<![\w-])(?:" + "|".join(sorted(BODY_NOUNS)) + r")\s+$")
"""A noun for a body right before a name: "the company Hitwise UK", "localist group Civic Passion", "US team Cloud9"."""
_BODY_NOUN_REACH = 16


def _after_body_noun(text: str, start: int) -> bool:
    """Whether a noun for a body stands right before a name ("the company Hitwise UK")."""
    if start < 2 or not text[start - 2].islower():
        return False  # the cheap test first: most names follow a capital, a mark or nothing
    return _BODY_NOUN_BEFORE.search(text, max(0, start - _BODY_NOUN_REACH), start) is not None


_ROLE_NOUN_REACH = 30  # characters before a name where the role noun of "coach X" may start
_LONGEST_ROLE_NOUN = max(map(len, ROLE_NOUNS))


_ROLE_APPOSITION = re.compile(
    r",\s+(?:the|a|an|its|his|her|their)\s+(?:[\w’'-]+\s+){0,2}?(?P<noun>[a-z]+)(?:\s+(?:of|for|at|to|in|from|on|with|who|and)\b|\s*[,;])"
)
"""An apposition naming a person's role: "Falih al-Fayyadh, the head of the Popular Mobilization Units", "Ann Lee, an Australian
woman and former nurse,"."""


def _has_person_context(text: str, start: int, end: int) -> bool:
    """Words around a name that only a person gets: 'X said', 'coach X', 'X, 42,', 'the X administration', 'X, the head of'."""
    if _PERSON_AFTER.match(text, end):  # the cheap test first: one match at a known place
        return True
    if text.startswith(",", end):
        apposition = _ROLE_APPOSITION.match(text, end)
        if apposition is not None and apposition.group("noun") in PERSON_ROLES:
            return True
    role = _ROLE_NOUN_BEFORE.search(text, _role_noun_reach(text, start), start)
    return bool(role and (role.group(1) in ROLE_NOUNS or role.group(1).removesuffix("s") in ROLE_NOUNS))  # "photographers Nat Finkelstein"


def _role_noun_reach(text: str, start: int) -> int:
    """Where to look back from for a role noun before a name: it ends past the spaces and a comma before the
    name, and is no longer than the longest one; a search from further back meets only longer words."""
    reach = max(0, start - _ROLE_NOUN_REACH)
    gap = start
    while gap > reach and text[gap - 1].isspace():
        gap -= 1
    return max(reach, gap - 1 - _LONGEST_ROLE_NOUN)
