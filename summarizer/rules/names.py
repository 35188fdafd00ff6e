"""Proper-name candidates: the name pieces of a text, classified and merged.

The pieces come from :mod:`.name_runs` (runs of capitalised words, cleaned).
Each written form gets a kind (person, organisation, country, group, other)
from the word lists in :mod:`.lexicon` and the cues around its mentions, and
short forms are merged into the longest form ("Khamenei" -> "Ayatollah Ali
Khamenei", an acronym -> the name it spells). Events, craft, ordinary words
and words inside code or JSON are left out.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from ..schema import ActorKind
from .candidates import NameCandidate, TextSpan
from .lexicon import (
    COUNTRIES,
    COUNTRY_ALIASES,
    DEMONYMS,
    GIVEN_NAMES,
    GROUP_NAMES,
    HONORIFICS,
    NOT_ACTOR_HEADS,
    ORGANISATION_NAMES,
    ORGANISATION_WORDS,
    OUTLET_WORDS,
    PLACE_HEADS,
    PLACES,
    TITLE_HEADS,
    VESSEL_PREFIXES,
)
from .name_runs import CONNECTORS, is_acronym, is_known_name, name_pieces

_LOWER_CASE_WORD = re.compile(r"(?<![\w’'\-])[a-z]+(?![\w’'\-])")  # whole words only: not "cheung" of "Che-cheung"
_KIND_PRIORITY: tuple[ActorKind, ...] = ("country", "group", "organization", "person", "other")


@dataclass
class _Form:
    """One written form of a name ("Ali Khamenei"), with where it occurs."""

    words: tuple[str, ...]
    spans: list[TextSpan] = field(default_factory=list)
    person_cue: bool = False
    body_cue: bool = False
    title: str | None = None
    weak: bool = True  # only ever seen as a lone word opening a sentence
    headline_only: bool = True  # only ever seen in a Title Case headline, and not a person's name by its form


def find_names(text: str) -> tuple[NameCandidate, ...]:
    """Proper names, short forms merged into long ones, numbered by first mention; none inside code or JSON."""
    forms: dict[tuple[str, ...], _Form] = {}
    common = frozenset(_LOWER_CASE_WORD.findall(text))
    code = _CodeRegions(text)
    for piece in name_pieces(text, common):
        if code.holds(piece.span.start):
            continue
        form = forms.get(piece.words)
        if form is None:
            form = forms[piece.words] = _Form(piece.words)
        form.spans.append(piece.span)
        form.person_cue = form.person_cue or piece.person_cue
        form.body_cue = form.body_cue or piece.body_cue
        form.title = form.title or piece.title
        form.weak = form.weak and piece.weak
        form.headline_only = form.headline_only and piece.headline and not _looks_like_person(piece.words)
    forms = _vouched(forms, common)
    roots = _merge_forms(forms)
    members: dict[tuple[str, ...], list[_Form]] = {}
    for words, form in forms.items():
        members.setdefault(roots[words], []).append(form)
    kept = [
        (root, group)
        for root, group in members.items()
        if (not all(f.weak for f in group) or is_known_name(root)) and not _is_common_word(root, group, common) and not _is_thing(root)
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


def _vouched(forms: dict[tuple[str, ...], _Form], common: frozenset[str]) -> dict[tuple[str, ...], _Form]:
    """The forms without those only a headline gives that the prose does not vouch for.

    Every word of a Title Case headline is capitalised ("Rand Paul Scores Direct Hit", a list of "Related:" links):
    a form found only there stays when it is known, when it is a short form of a name of the prose ("Kasich" of
    "John Kasich"), or when it ends in one and its other words are never written in lower case ("Cecile Richards"
    when the prose says "Richards"; not "Claim That Donald Trump").
    It never becomes a long form for the prose's names to join.
    """
    by_last: dict[str, list[tuple[str, ...]]] = {}
    for words, form in forms.items():
        if not form.headline_only:
            by_last.setdefault(words[-1], []).append(words)

    def vouched(words: tuple[str, ...]) -> bool:
        return len(words) <= _MAX_HEADLINE_NAME_WORDS and any(
            prose[-len(words) :] == words or (words[-len(prose) :] == prose and not any(word.lower() in common for word in words[: -len(prose)]))
            for prose in by_last.get(words[-1], [])
        )

    return {words: form for words, form in forms.items() if not form.headline_only or is_known_name(words) or vouched(words)}


_MAX_HEADLINE_NAME_WORDS = 4


def _is_thing(root: tuple[str, ...]) -> bool:
    """An event, document or craft, with its short forms: "Waitangi Day", "Clean Air Act", "Space Shuttle Atlantis"."""
    return root[-1] in NOT_ACTOR_HEADS or root[0] in VESSEL_PREFIXES or root[:2] == ("Space", "Shuttle")


def _is_common_word(root: tuple[str, ...], group: list[_Form], common: frozenset[str]) -> bool:
    """A lone capitalised word the text also writes in lower case, never cued as a person ("the Internet", "Medicine")."""
    return len(root) == 1 and root[0].lower() in common and not is_known_name(root) and not any(form.person_cue for form in group)


def _name_candidate(ref: str, root: tuple[str, ...], group: list[_Form]) -> NameCandidate:
    by_position = {(span.start, span.end): span for form in group for span in form.spans}  # keyed by plain tuples: cheap to hash and sort
    kinds = {_kind_of(form.words, person_cue=form.person_cue) for form in group}
    kind = next(k for k in _KIND_PRIORITY if k in kinds)
    if kind == "other" and any(form.body_cue for form in group):
        kind = "organization"  # "the company Acme": a body, unless the name tells otherwise
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
    if name in ORGANISATION_NAMES or is_outlet(name) or is_acronym(name) or not ORGANISATION_WORDS.isdisjoint(words):
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
        if len(short) == 1 and is_acronym(short[0]):
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
            other for other in seen.starting_with(words[0]) if len(other) > len(words) + 1 and other[: len(words)] == words and other[len(words)] in CONNECTORS
        ]
        return fits[0] if len(fits) == 1 else None
    word = words[0]
    if word in COUNTRIES:
        fits = [other for other in seen.ending_with(word) if len(other) > 1 and other[-1] == word and " ".join(other) in COUNTRIES]
    elif is_known_name(words) or word in HONORIFICS or word in TITLE_HEADS:
        return None
    else:
        fits = [
            other
            for other in seen.starting_with(word)
            if len(other) > 1 and other[0] == word and (forms[other].person_cue or other[1] in CONNECTORS or _looks_like_person(other))
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
    if len(short) == 1 and is_acronym(joined_short):
        return _initials(long) == joined_short.replace(".", "")
    if short[-1] != long[-1] and short[0] not in HONORIFICS:
        return False
    remaining = iter(long)
    return all(word in remaining for word in short)
