"""Proper-name candidates: runs of capitalised words, cleaned, classified and merged.

Name tokens are collected into runs, split at possessives, dates and labels,
and stripped of function words, demonyms, role and courtesy titles and
sentence-opening ordinary words. Each piece gets a kind (person, organisation,
country, group, other) from the word lists in :mod:`.lexicon` and the
words around it, and short forms are merged into the longest form ("Khamenei"
-> "Ayatollah Ali Khamenei", an acronym -> the name it spells). Captions,
credits, events, craft and words inside code or JSON are left out.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from itertools import pairwise
from typing import NamedTuple

from ..schema import ActorKind
from .candidates import NameCandidate, TextSpan
from .lexicon import (
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
    NOT_ACTOR_HEADS,
    NOT_NAMES,
    ORGANISATION_CONNECTOR_HEADS,
    ORGANISATION_NAMES,
    ORGANISATION_WORDS,
    OUTLET_WORDS,
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
    VESSEL_PREFIXES,
    word_alternation,
)
from .text import MONTHS, WEEKDAYS, opens_sentence, text_span

_PARTICLES = frozenset(["bin", "bint", "ibn", "al", "el", "de", "da", "di", "du", "del", "della", "der", "den", "van", "von", "la", "le", "dos", "das", "y"])
_CONNECTORS = frozenset({"of", "for"})
_BRIDGES = _PARTICLES | _CONNECTORS | {"the"}  # lower-case words a name may contain, never end with
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
    r"(?<![\w’'\-])"
    r"(?:(?:[A-Z]\.){2,}"
    r"|[A-Z]{1,4}&[A-Z]{1,4}\b"  # "A&M", "AT&T", "S&P"
    r"|(?:[^\W\d_a-z]|" + _ARTICLE_PREFIX + r")\w*(?:[’'\-]\w+)*"
    r"|(?:" + word_alternation(_BRIDGES) + r")" + _BRIDGE_BEFORE_NAME + ")"
)
_NAME_BREAKERS = frozenset([*MONTHS, *WEEKDAYS, "AM", "PM", "GMT", "UTC", "EST", "EDT", "BST", "CET"])
_LOWER_CASE_WORD = re.compile(r"(?<![\w’'\-])[a-z]+(?![\w’'\-])")  # whole words only: not "cheung" of "Che-cheung"
_SHOUTING_BEFORE = re.compile(r"[A-Z]{2}[/ ]+$")
_SHOUTING_AFTER = re.compile(r"[/ ]+\(?[A-Z]{2}")
_CODE = re.compile(r"[A-Z]+-\d+[A-Z]?")
_ROMAN_NUMERAL = re.compile(r"[IVX]{2,}")  # "part XVII"; a lone "I" is a pronoun
_CONTRACTION = re.compile(r"['’](?:m|re|ve|ll|d|t)$", re.IGNORECASE)  # "I'm", "Don't", "We'll"
_KIND_PRIORITY: tuple[ActorKind, ...] = ("country", "group", "organization", "person", "other")


@dataclass
class _Form:
    """One written form of a name ("Ali Khamenei"), with where it occurs."""

    words: tuple[str, ...]
    spans: list[TextSpan] = field(default_factory=list)
    person_cue: bool = False
    title: str | None = None
    weak: bool = True  # only ever seen as a lone word opening a sentence


_MAX_NAME_WORDS = 20
"""Longer runs of capitalised words are no name: PolNeAR's and GUM's longest are 17 words."""


class _Piece(NamedTuple):
    """A cleaned run of name tokens: the name words, its mention span and cues."""

    words: tuple[str, ...]
    span: TextSpan
    person_cue: bool
    title: str | None
    weak: bool


def find_names(text: str) -> tuple[NameCandidate, ...]:
    """Proper names, short forms merged into long ones, numbered by first mention; none inside code or JSON."""
    forms: dict[tuple[str, ...], _Form] = {}
    common = frozenset(_LOWER_CASE_WORD.findall(text))
    code = _CodeRegions(text)
    for piece in _name_pieces(text, common, _TitleCaseLines(text)):
        if code.holds(piece.span.start):
            continue
        form = forms.get(piece.words)
        if form is None:
            form = forms[piece.words] = _Form(piece.words)
        form.spans.append(piece.span)
        form.person_cue = form.person_cue or piece.person_cue
        form.title = form.title or piece.title
        form.weak = form.weak and piece.weak
    roots = _merge_forms(forms)
    members: dict[tuple[str, ...], list[_Form]] = {}
    for words, form in forms.items():
        members.setdefault(roots[words], []).append(form)
    kept = [
        (root, group)
        for root, group in members.items()
        if (not all(f.weak for f in group) or _is_known(root)) and not _is_common_word(root, group, common) and not _is_thing(root)
    ]
    kept.sort(key=lambda item: min(form.spans[0].start for form in item[1]))  # by first mention
    return tuple(_name_candidate(f"N{number}", root, group) for number, (root, group) in enumerate(kept, 1))


_CODE_SIGNS = re.compile(r"[\"'][^\"'\n]{0,80}[\"']\s*:")  # a quoted key before a colon: '"name":'


class _CodeRegions:
    """Brace-delimited fragments that look like JSON or code (``{"name": "Joe Biden"}``).

    Their words are data, not prose: a name inside them is no actor. Found by
    one pass over the braces; a region counts when it holds a quoted key
    followed by a colon. An unbalanced brace closes nothing.
    """

    def __init__(self, text: str) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        opened: list[int] = []
        for match in re.finditer(r"[{}]", text):
            if match.group() == "{":
                opened.append(match.start())
            elif opened:
                start = opened.pop()
                if not opened and _CODE_SIGNS.search(text, start, match.end()):
                    self._starts.append(start)
                    self._ends.append(match.end())

    def holds(self, position: int) -> bool:
        """Whether ``position`` lies inside a code region."""
        k = bisect.bisect_right(self._starts, position) - 1
        return k >= 0 and position < self._ends[k]


def _is_thing(root: tuple[str, ...]) -> bool:
    """An event, document or craft, with its short forms: "Waitangi Day", "Clean Air Act", "Space Shuttle Atlantis"."""
    return root[-1] in NOT_ACTOR_HEADS or root[0] in VESSEL_PREFIXES or root[:2] == ("Space", "Shuttle")


def _is_common_word(root: tuple[str, ...], group: list[_Form], common: frozenset[str]) -> bool:
    """A lone capitalised word the text also writes in lower case, never cued as a person ("the Internet", "Medicine")."""
    return len(root) == 1 and root[0].lower() in common and not _is_known(root) and not any(form.person_cue for form in group)


def _is_known(words: tuple[str, ...]) -> bool:
    """Names that stand on their own even at a sentence start: countries, places, groups, well-known organisations, acronyms."""
    name = " ".join(words)
    return name in COUNTRIES or name in COUNTRY_ALIASES or name in PLACES or name in GROUP_NAMES or name in ORGANISATION_NAMES or _is_acronym(name)


def _name_candidate(ref: str, root: tuple[str, ...], group: list[_Form]) -> NameCandidate:
    by_position = {(span.start, span.end): span for form in group for span in form.spans}  # keyed by plain tuples: cheap to hash and sort
    kinds = {_kind_of(form.words, person_cue=form.person_cue) for form in group}
    kind = next(k for k in _KIND_PRIORITY if k in kinds)
    title = next((form.title for form in group if form.title), None)
    name = COUNTRY_ALIASES.get(" ".join(root), " ".join(root))
    return NameCandidate(ref=ref, name=name, kind=kind, mentions=tuple([span for _, span in sorted(by_position.items())]), title=title)


def _kind_of(words: tuple[str, ...], *, person_cue: bool) -> ActorKind:
    name = " ".join(words)
    if name in COUNTRIES or name in COUNTRY_ALIASES:
        return "country"
    if name in PLACES:
        return "other"  # a city or region: the contract has no place kind
    if name in GROUP_NAMES or (len(words) == 1 and words[0].endswith("s") and words[0][:-1] in DEMONYMS):
        return "group"
    if name in ORGANISATION_NAMES or is_outlet(name) or _is_acronym(name) or not ORGANISATION_WORDS.isdisjoint(words):
        return "organization"
    return "person" if person_cue or _looks_like_person(words) else "other"


# "Cheuk-yan" of "Lee Cheuk-yan", "Hee-Chan" of "Hwang Hee-Chan"; not an Arabic article ("Masjid Al-Haram").
_EAST_ASIAN_GIVEN_NAME = re.compile(r"(?!(?:Al|El|Ad|Ar|As|An|Ash)-)[A-Z][a-z]+-[A-Za-z][a-z]+")


def _looks_like_person(words: tuple[str, ...]) -> bool:
    """A person's name by its form: a common given name first ("John Kerry"), or a
    surname before a hyphenated given name ("Lau Siu-lai"); not a street or a river."""
    if not 2 <= len(words) <= 4 or words[-1] in PLACE_HEADS:
        return False
    return words[0] in GIVEN_NAMES or (len(words) == 2 and bool(_EAST_ASIAN_GIVEN_NAME.fullmatch(words[1])))


def _is_acronym(name: str) -> bool:
    letters = name.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


def is_outlet(name: str) -> bool:
    return not OUTLET_WORDS.isdisjoint(name.split())


def _merge_forms(forms: dict[tuple[str, ...], _Form]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Map each form to the longest form it is a short form of (itself when none)."""
    order = sorted(forms, key=lambda words: (-len(words), -len(" ".join(words))))
    roots: dict[tuple[str, ...], tuple[str, ...]] = {}
    # Longer forms by their first and last words, the words they contain and their
    # initials: a short form is only compared with forms that end like it, start
    # like it or spell its acronym, at most _MAX_LONG_FORMS of them, which keeps
    # the merge linear in the number of forms.
    # Forms of one length join the index only after all of them are looked up: a
    # short form is always shorter than its long form, and a hundred thousand
    # two-word names sharing a surname must not be compared with one another.
    seen = _FormIndex()
    for _, same_length in itertools.groupby(order, key=len):
        group = list(same_length)
        for words in group:
            country = COUNTRY_ALIASES.get(" ".join(words))
            if country is not None and tuple(country.split()) in forms:
                roots[words] = tuple(country.split())
            else:
                longer = [other for other in seen.sharing(words) if _is_short_form(words, other)]
                owner = _chosen_long_form(words, longer, forms) if longer else _sole_owner(words, seen, forms)
                roots[words] = roots[owner] if owner else words
        for words in group:
            seen.add(words)
    for words in forms:  # aliases seen before their canonical country form
        roots.setdefault(words, words)
    spelling = _usual_spellings(forms)
    return {words: roots[spelling[root]] if root in spelling else root for words, root in roots.items()}


def _usual_spellings(forms: dict[tuple[str, ...], _Form]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Forms spelt with and without accents ("François Hollande", "Francois Hollande"), each mapped to the article's usual one."""
    if all(word.isascii() for words in forms for word in words):
        return {}  # the usual case: two forms differing only by accents need a non-ASCII one
    return _spellings_by_accents(forms)


def _spellings_by_accents(forms: dict[tuple[str, ...], _Form]) -> dict[tuple[str, ...], tuple[str, ...]]:
    variants: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for words in forms:
        variants.setdefault(tuple(map(_unaccented, words)), []).append(words)
    spelling: dict[tuple[str, ...], tuple[str, ...]] = {}
    for group in variants.values():
        if len(group) > 1:
            usual = max(group, key=lambda words: len(forms[words].spans))  # the first of the most mentioned
            spelling.update(dict.fromkeys(group, usual))
    return spelling


def _unaccented(word: str) -> str:
    if word.isascii():
        return word
    return "".join(char for char in unicodedata.normalize("NFKD", word) if not unicodedata.combining(char))


_MAX_LONG_FORMS = 32
"""A short form with more longer forms it may stand for than this ("Smith" among a hundred Smiths) is
left on its own: too ambiguous to merge, and comparing it with them all is quadratic in the text."""


class _FormIndex:
    """Forms in the order added, looked up by their first or last word, a word they contain, or their initials.

    Each lookup answers at most ``_MAX_LONG_FORMS`` forms, else nothing.
    """

    def __init__(self) -> None:
        self._by_word: dict[str, list[tuple[str, ...]]] = {}
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        self._by_last: dict[str, list[tuple[str, ...]]] = {}
        self._by_initials: dict[str, list[tuple[str, ...]]] = {}

    def add(self, words: tuple[str, ...]) -> None:
        for word in dict.fromkeys(words):
            self._by_word.setdefault(word, []).append(words)
        self._by_first.setdefault(words[0], []).append(words)
        self._by_last.setdefault(words[-1], []).append(words)
        self._by_initials.setdefault(_initials(words), []).append(words)

    def sharing(self, short: tuple[str, ...]) -> list[tuple[str, ...]]:
        """Forms that may have ``short`` as a short form (a superset of them), in the order added.

        Only longer forms are in the index when ``short`` is looked up (see
        ``_merge_forms``); a short form ends like its long form unless it
        starts with an honorific ("Sheikh Tamim" of "Sheikh Tamim bin Hamad").
        """
        if len(short) == 1 and _is_acronym(short[0]):
            return _few(self._by_initials.get(short[0].replace(".", ""), []))
        if short[0] in HONORIFICS:
            return _few(self._by_word.get(short[-1], []))
        return _few(self._by_last.get(short[-1], []))

    def starting_with(self, word: str) -> list[tuple[str, ...]]:
        return _few(self._by_first.get(word, []))

    def ending_with(self, word: str) -> list[tuple[str, ...]]:
        return _few(self._by_last.get(word, []))


def _few(forms: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    return forms if len(forms) <= _MAX_LONG_FORMS else []


def _initials(words: tuple[str, ...]) -> str:
    return "".join([word[0] for word in words if word[0].isupper()])


def _sole_owner(words: tuple[str, ...], seen: _FormIndex, forms: dict[tuple[str, ...], _Form]) -> tuple[str, ...] | None:
    """The one long form a short form stands for though it does not end it, if exactly one fits.

    'Daniel' of the person 'Daniel Montalvo' (cued as a person, or a given name first: "Bernie" of "Bernie Sanders"), 'Church' of 'Church of Scientology',
    'Supreme Court' of 'Supreme Court of Cassation', 'Korea' of 'South Korea'
    (not when 'North Korea' is named too).
    """
    if len(words) > 1:  # "Supreme Court" of "Supreme Court of Cassation"
        fits = [
            other for other in seen.starting_with(words[0]) if len(other) > len(words) + 1 and other[: len(words)] == words and other[len(words)] in _CONNECTORS
        ]
        return fits[0] if len(fits) == 1 else None
    word = words[0]
    if word in COUNTRIES:
        fits = [other for other in seen.ending_with(word) if len(other) > 1 and other[-1] == word and " ".join(other) in COUNTRIES]
    elif _is_known(words) or word in HONORIFICS or word in TITLE_HEADS:
        return None
    else:
        fits = [
            other
            for other in seen.starting_with(word)
            if len(other) > 1 and other[0] == word and (forms[other].person_cue or other[1] in _CONNECTORS or _looks_like_person(other))
        ]
    return fits[0] if len(fits) == 1 else None


def _chosen_long_form(words: tuple[str, ...], longer: list[tuple[str, ...]], forms: dict[tuple[str, ...], _Form]) -> tuple[str, ...]:
    """The long form a short form belongs to: two people may share a surname, so the one named most recently before it."""
    first = forms[words].spans[0].start
    preceding = [other for other in longer if forms[other].spans[0].start <= first]
    return max(preceding, key=lambda other: forms[other].spans[0].start) if preceding else longer[0]


def _is_short_form(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """'Khamenei' of 'Ali Khamenei', 'Sheikh Tamim' of 'Sheikh Tamim bin Hamad', 'KCNA' of its full name."""
    joined_short, joined_long = " ".join(short), " ".join(long)
    if joined_short in COUNTRIES or joined_long in COUNTRIES or joined_short in COUNTRY_ALIASES:
        return False
    if len(short) == 1 and _is_acronym(joined_short):
        return _initials(long) == joined_short.replace(".", "")
    if short[-1] != long[-1] and short[0] not in HONORIFICS:
        return False
    remaining = iter(long)
    return all(word in remaining for word in short)


class _TitleCaseLines:
    """The lines written in Title Case, as headlines are ("Hollande Says Trump Makes You Want to Retch").

    In such a line every word is capitalised, so a run of capitals is no sign
    of one name: there, a word the article also writes in lower case ("says",
    "makes") ends a name instead of joining it. A line is read when a run in
    it holds such a word, which few do, and never further than a headline's
    length from the word: a page-long line costs no more than a short one.
    """

    MAX_CHARS = 300  # a headline's length; longer lines are prose
    MIN_WORDS = 3
    CAPITALISED_SHARE = 0.7

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
            if end < 0 and start + limit + 1 < len(text):
                return False  # the line goes on past a headline's length
            self._by_start[start] = self._title_case(text[start : end if end >= 0 else len(text)])
        return self._by_start[start]

    def _title_case(self, line: str) -> bool:
        initials: list[str] = _LINE_WORD_INITIAL.findall(line)
        if len(initials) < self.MIN_WORDS:
            return False  # a headline may end in a full stop ("… ‘Makes You Want To Retch.’"): no test of its end
        capitalised = sum(map(str.isupper, initials))
        return capitalised >= self.CAPITALISED_SHARE * len(initials)


_LINE_WORD_INITIAL = re.compile(r"([^\W\d_])[\w’'-]*")  # each word of a line, as its first letter


def _name_pieces(text: str, common: frozenset[str], title_case: _TitleCaseLines) -> list[_Piece]:
    """Clean name pieces from every run of capitalised tokens.

    ``common`` holds the words the text also writes in lower case: such a word
    opening a sentence is an ordinary word ("Leaving", "Iodine deficiency").
    Only name-like tokens are listed (see ``_NAME_TOKEN``); two tokens with a
    skipped word between them never join, since ``_joins`` looks at the gap. The pieces
    are appended to one list rather than yielded: most runs give one piece or none.
    """
    pieces: list[_Piece] = []
    tokens = [(match.start(), match.end(), match.group()) for match in _NAME_TOKEN.finditer(text)]
    index = 0
    while index < len(tokens):
        if not _is_capitalised(tokens[index][2]):
            index += 1
            continue
        stop = _run_end(text, tokens, index)
        _clean_run(text, tokens[index:stop], common, title_case, pieces)
        index = stop
    return pieces


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
        if not _joins(text, previous, tokens[end][0]):
            break
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


def _joins(text: str, previous: tuple[int, int, str], start: int) -> bool:
    """Whether two tokens sit close enough to belong to one name ('Mr. Smith', 'Ali Khamenei')."""
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
    elif words[0] in _CONNECTORS and (organisation or previous in ORGANISATION_CONNECTOR_HEADS or previous in TITLE_HEADS):
        width = 2 if len(words) > 1 and words[1] == "the" else 1
    else:
        return 0
    following = index + width
    if following >= len(tokens) or not _is_capitalised(tokens[following][2]):
        return 0
    if words[0] in _CONNECTORS and previous not in ORGANISATION_CONNECTOR_HEADS and previous not in TITLE_HEADS and _is_known((tokens[following][2],)):
        return 0  # "University of Sheffield of the UK": a chained "of" does not take in a country or place
    chain = tokens[index - 1 : following + 1]
    if not all(_joins(text, a, b[0]) for a, b in pairwise(chain)):
        return 0
    return width


def _is_possessive(word: str) -> bool:
    return word.endswith(("'s", "’s"))


_LABEL_MARKS = (":", "$")


def _clean_run(text: str, run: list[tuple[int, int, str]], common: frozenset[str], title_case: _TitleCaseLines, pieces: list[_Piece]) -> None:
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
            or (_is_ordinary_word(word, common) and title_case.holds(run[0][0]))
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


def _finish_piece(text: str, tokens: list[tuple[int, int, str]], common: frozenset[str], pieces: list[_Piece]) -> None:
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
        if _is_name(text, tokens[:holder]):
            pieces.append(_make_piece(text, tokens[:holder], mention_start=tokens[0][0], person_cue=False, title=None, weak=False))
        tokens = tokens[holder:]
    courtesy = bool(tokens) and tokens[0][2] in COURTESY
    mention_start = tokens[0][0] if tokens else 0
    tokens, title, title_object = _strip_title(tokens)
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
    )
    pieces.append(_Piece(words, text_span(text, mention_start if courtesy else tokens[0][0], tokens[-1][1]), person_cue, title, weak))


def _is_ordinary_opening(text: str, tokens: list[tuple[int, int, str]], common: frozenset[str]) -> bool:
    """Words opening a sentence that the text also writes in lower case: "Leaving a lifehood ...", "Election Results"."""
    if tokens[0][2].lower() not in common:
        return False  # the usual case, checked first: a name's first word is not an ordinary word
    words = [word for _, _, word in tokens]
    return all(word.lower() in common for word in words) and opens_sentence(text, tokens[0][0]) and not _is_known(tuple(words))


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
    return _is_known(words) or any(word in ORGANISATION_WORDS for word in words)


def _strip_leading(tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop sentence-opening function words ('In Tehran') and demonyms before a title ('Iranian President')."""
    start = 0  # one slice at the end: a run of a thousand "The" must not be copied a thousand times
    while start < len(tokens) and (tokens[start][2] in LEADING_FUNCTION_WORDS or _is_contraction(tokens[start][2])):
        start += 1
    # Whether a title follows does not change while demonyms are dropped: it is the same word.
    if len(tokens) - start > 1 and tokens[start][2] in DEMONYMS and _starts_with_title(tokens, start + 1):
        while len(tokens) - start > 1 and tokens[start][2] in DEMONYMS:
            start += 1
    return tokens[start:] if start else tokens


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
        return not all(word in DEMONYMS or word in COMPASS for word in words)  # "South Korean": an adjective
    word = tokens[0][2]
    if word in DEMONYMS or word in COMPASS:
        return False  # "Iranian": an adjective, not a name
    if word in TITLE_HEADS or word in TITLE_MODIFIERS or word in NOT_NAMES or (word[0] in "IVX" and _ROMAN_NUMERAL.fullmatch(word)):
        return False
    if "-" in word and _CODE.fullmatch(word):
        return False  # "STS-135", "F-16": mission and model codes
    if word.endswith("ist") and len(word) > 6:
        return False  # "Buddhist", "Scientologist": adherents, not names
    return not (word.isupper() and word not in COUNTRY_ALIASES and _in_shouting_line(text, tokens[0][0], tokens[0][1]))


def _in_shouting_line(text: str, start: int, end: int) -> bool:
    """Whether an all-capitals word sits among others, as in "MAJID ASGARIPOUR/WANA (WEST ASIA ...)"."""
    return bool(_SHOUTING_BEFORE.search(text, max(0, start - 4), start) or _SHOUTING_AFTER.match(text, end))


def _make_piece(text: str, tokens: list[tuple[int, int, str]], *, mention_start: int, person_cue: bool, title: str | None, weak: bool) -> _Piece:
    words = tuple(word for _, _, word in tokens)
    return _Piece(words, text_span(text, mention_start, tokens[-1][1]), person_cue, title, weak)


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
    if end < len(tokens) and tokens[end][2] in _CONNECTORS:
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
_CUE_AFTER_NAME = r"\s*(?:,(?!\s*[A-Z]\w+\s+[A-Z])[^,.;\n]{1,80},\s*|,\s*)?(?:" + word_alternation(_PERSON_CUE_WORDS) + r")\b"
_LEADER_NOUNS = ["administration", "presidency", "campaign", "era"]  # "the Trump administration"
_ROLE_NOUN_BEFORE = re.compile(r"\b([a-z]+),?\s+$")
WORD_AFTER = re.compile(r"\s+([a-z]+)")
# After a person's name, one of: a leader noun, a speech cue, an age ("Smith, 42,"); one pattern, one call.
_PERSON_AFTER = re.compile(r"\s+(?:" + word_alternation(_LEADER_NOUNS) + r")(?![a-z])|" + _CUE_AFTER_NAME + r"|,\s*\d{1,3}\s*,")


_ROLE_NOUN_REACH = 30  # characters before a name where the role noun of "coach X" may start
_LONGEST_ROLE_NOUN = max(map(len, ROLE_NOUNS))


_ROLE_APPOSITION = re.compile(r",\s+(?:the|a|an|its|his|her|their)\s+(?:[\w’'-]+\s+){0,2}?(?P<noun>[a-z]+)\s+(?:of|for|at|to|in|from|on|with|who)\b")
"""An apposition naming a person's role: "Falih al-Fayyadh, the head of the Popular Mobilization Units"."""


def _has_person_context(text: str, start: int, end: int) -> bool:
    """Words around a name that only a person gets: 'X said', 'coach X', 'X, 42,', 'the X administration', 'X, the head of'."""
    if _PERSON_AFTER.match(text, end):  # the cheap test first: one match at a known place
        return True
    if text.startswith(",", end):
        apposition = _ROLE_APPOSITION.match(text, end)
        if apposition is not None and apposition.group("noun") in PERSON_ROLES:
            return True
    role = _ROLE_NOUN_BEFORE.search(text, _role_noun_reach(text, start), start)
    return bool(role and role.group(1) in ROLE_NOUNS)


def _role_noun_reach(text: str, start: int) -> int:
    """Where to look back from for a role noun before a name: it ends past the spaces and a comma before the
    name, and is no longer than the longest one; a search from further back meets only longer words."""
    reach = max(0, start - _ROLE_NOUN_REACH)
    gap = start
    while gap > reach and text[gap - 1].isspace():
        gap -= 1
    return max(reach, gap - 1 - _LONGEST_ROLE_NOUN)
