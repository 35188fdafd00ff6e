"""Grounding: locate the model's answer in the article and build the output items.

The model answers without offsets (``schema.DigestAnswer``). This module finds
every quote, figure, actor mention and stance evidence in the article and
returns items whose ``text`` is the article's own span, so that
``text[start:end] == item.text`` always holds for grounded items. What cannot
be found is dropped with a warning (or kept as ``unmatched`` in lenient mode);
nothing is ever passed off as found.

Finding a string (exact, normalised, fuzzy) is :mod:`summarizer.alignment`'s
job; when the match is not exact, the model's wording is kept as
``model_text``. On top of alignment, the model's text is held to stricter rules:

* a quote or stance evidence needs :data:`_MIN_PASSAGE_WORDS` words, or must
  be exactly a rule quote's text (or its ref), to be grounded at all;
* a quote takes a rule quote's span only when it covers a substantial part of
  it (:data:`_ADOPT_SHARE`); a fragment stays its own span and the rule quote
  stays a separate ``rules`` quote with its own speaker;
* a ``direct`` quote found in the narration (not overlapping a rule quote, no
  quote mark inside it or at its edges) is kept as ``indirect``: the article
  reports the words but does not quote them;
* a speaker the article never names gives way to the overlapping rule quote's
  speaker (a warning names the invented one); no speaker takes it too;
* a figure aligns to whole numbers only ("1" is not in "21" or "1.5"), prefers
  the rule figure with its number, and is dropped when it only occurs in a
  date, a year, another number, or as a tiny number with no unit.

Everything here is a pure function of its inputs.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

from .alignment import _WORD, FUZZY_MIN_WORDS, FUZZY_THRESHOLD, Alignment, TextAligner, _normalise, _trim, _word_count
from .evidence import Evidence, FigureCandidate, NameCandidate, QuoteCandidate
from .figures import digits_of, parse_figure
from .schema import (
    Actor,
    ActorAnswer,
    ActorKind,
    DigestAnswer,
    ExtractedBy,
    Figure,
    FigureAnswer,
    FigureKind,
    Quote,
    QuoteAnswer,
    QuoteKind,
    Span,
    Stance,
    StanceAnswer,
)

__all__ = [
    "FUZZY_MIN_WORDS",
    "FUZZY_THRESHOLD",
    "Alignment",
    "GroundedDigest",
    "TextAligner",
    "check_answer",
    "ground",
]

# Limits that keep the fragment search cheap on long articles.
_MAX_TAG_GAP = 200
_MAX_ELISION_GAP = 3000


# --------------------------------------------------------------------------
# Passages (quotes, stance evidence): whole, in fragments, or fuzzy
# --------------------------------------------------------------------------

_ELISION = re.compile(r"\s*(?:\[\s*(?:\.\s*\.\s*\.|…)\s*\]|\.\.\.|…)\s*")
_MIN_FRAGMENT_WORDS = 2
_QUOTE_MARKS = frozenset("\"'“”„‟«»‘’‚‛‹›「」『』")


@dataclass(frozen=True)
class _Located:
    """A passage found in the article: one span, or several when the article splits it."""

    fragments: tuple[tuple[int, int], ...]
    status: Literal["exact", "fuzzy"]

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


def _locate_passage(aligner: TextAligner, needle: str, *, after: int = 0, near: int | None = None) -> _Located | None:
    """Find a quote-like passage.

    Tries the whole passage (exact, normalised), then its pieces around
    elisions ("[...]", "…"), then consecutive pieces split by a speech tag
    (``"X," he said, "Y"``), then the whole passage fuzzily. Returns ``None``
    when nothing fits.
    """
    whole = aligner.find(needle, after=after, near=near, fuzzy=False)
    if whole is not None:
        return _Located(((whole.start, whole.end),), whole.status)
    parts = [part for part in _ELISION.split(_trim(needle)) if _trim(part)]
    located = _locate_parts(aligner, parts, after=after, near=near) if len(parts) > 1 else None
    located = located or _locate_split(aligner, _trim(needle).split(), after=after, near=near)
    if located is not None:
        return located
    fuzzy = aligner._find_fuzzy(needle, after=after, near=near)  # exact and normalised already failed
    return _Located(((fuzzy.start, fuzzy.end),), fuzzy.status) if fuzzy is not None else None


def _locate_parts(aligner: TextAligner, parts: list[str], *, after: int, near: int | None) -> _Located | None:
    """Each elided part in order, each after the previous one."""
    fragments: list[tuple[int, int]] = []
    status: Literal["exact", "fuzzy"] = "exact"
    for part in parts:
        hit = aligner.find(part, after=fragments[-1][1] if fragments else after, near=None if fragments else near)
        if hit is None or (fragments and hit.start - fragments[-1][1] > _MAX_ELISION_GAP):
            return None
        fragments.append((hit.start, hit.end))
        status = "fuzzy" if hit.status == "fuzzy" else status
    return _Located(tuple(fragments), status)


def _locate_split(aligner: TextAligner, words: list[str], *, after: int, near: int | None) -> _Located | None:
    """The words as consecutive pieces, each the longest prefix found, separated by speech tags.

    A speech tag is a short gap that closes and reopens the quote
    (``," he said, "``): a gap without quote marks is a word the model
    dropped, which is left to the fuzzy step.
    """
    text = aligner.text
    fragments: list[tuple[int, int]] = []
    rest = words
    while rest:
        found = _longest_prefix(aligner, rest, after=fragments[-1][1] if fragments else after, near=None if fragments else near)
        if found is None:
            return None
        taken, hit = found
        if fragments and (hit.start - fragments[-1][1] > _MAX_TAG_GAP or _quote_marks_in(text[fragments[-1][1] : hit.start]) < 2):
            return None
        fragments.append((hit.start, hit.end))
        rest = rest[taken:]
        if rest and _quote_marks_in(text[hit.end : hit.end + _MAX_TAG_GAP]) < 2:
            return None  # cheap early exit: nothing closes and reopens the quote here
    return _Located(tuple(fragments), "exact") if len(fragments) > 1 else None


def _quote_marks_in(text: str) -> int:
    return sum(c in _QUOTE_MARKS for c in text)


def _longest_prefix(aligner: TextAligner, words: list[str], *, after: int, near: int | None) -> tuple[int, Alignment] | None:
    # Binary search: when a prefix of k words is in the text, so is every shorter one.
    best = None
    low, high = _MIN_FRAGMENT_WORDS, len(words)
    while low <= high:
        middle = (low + high) // 2
        hit = aligner.find(" ".join(words[:middle]), after=after, near=near, fuzzy=False)
        if hit is None:
            high = middle - 1
        else:
            best, low = (middle, hit), middle + 1
    return best


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def _span(text: str, start: int, end: int) -> Span:
    return Span(start=start, end=end, text=text[start:end])


def _short(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


_EDGE_PUNCTUATION = " .,;:!?"


def _model_wording(model_text: str, article_span: str) -> str | None:
    """The model's wording when it differs from the article's span, else ``None``.

    A trailing comma or full stop is not a different wording; typography is
    (curly for straight quotes, dashes, spacing), as DESIGN.md's ``fuzzy`` says.
    """
    wording = _trim(model_text)
    same = wording.strip(_EDGE_PUNCTUATION) == article_span.strip(_EDGE_PUNCTUATION)
    return None if not wording or same else wording


# --------------------------------------------------------------------------
# Actors: alias merging, mentions, linking names to ids
# --------------------------------------------------------------------------

# Honorifics and offices dropped before comparing names ("Ayatollah Ali Khamenei" ~ "Ali Khamenei").
_TITLES = frozenset(
    {
        "the",
        "a",
        "an",
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
        "king",
        "queen",
        "prince",
        "princess",
        "emir",
        "amir",
        "sheikh",
        "shaikh",
        "sheik",
        "ayatollah",
        "grand",
        "seyyed",
        "sayyid",
        "sayed",
        "imam",
        "mullah",
        "pope",
        "cardinal",
        "bishop",
        "rev",
        "reverend",
        "president",
        "vice",
        "prime",
        "minister",
        "chancellor",
        "senator",
        "sen",
        "rep",
        "representative",
        "governor",
        "gov",
        "mayor",
        "judge",
        "justice",
        "general",
        "gen",
        "colonel",
        "col",
        "captain",
        "capt",
        "lieutenant",
        "lt",
        "sergeant",
        "sgt",
        "secretary",
        "chairman",
        "chairwoman",
        "chief",
    }
)
_POSSESSIVE = re.compile(r"'s\b|'(?=\s|$)")


@functools.lru_cache(maxsize=8192)
def _name_words(name: str) -> tuple[str, ...]:
    # Cached: the same few names are compared many times while merging and linking.
    return tuple(w.casefold() for w in _WORD.findall(_POSSESSIVE.sub("", _normalise(name))))


@functools.lru_cache(maxsize=8192)
def _name_key(name: str) -> str:
    """Comparable form of a name: normalised, case-folded, possessives and a leading article dropped."""
    words = _name_words(name)
    return " ".join(words[1:] if words[:1] == ("the",) else words)


@functools.lru_cache(maxsize=8192)
def _core_words(name: str) -> frozenset[str]:
    """The words of a name without titles ("Ayatollah Ali Khamenei" -> {ali, khamenei})."""
    return frozenset(w for w in _name_words(name) if w not in _TITLES)


def _kinds_agree(a: str, b: str) -> bool:
    return a == b or "other" in (a, b)


@dataclass
class _ActorDraft:
    """An actor being assembled: merged answers or one rule candidate."""

    name: str
    kind: ActorKind
    role: str | None = None
    affiliation: str | None = None
    aliases: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    extracted_by: ExtractedBy = "model"


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def root(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        self.parent[self.root(i)] = self.root(j)


def _group_aliases(answers: Sequence[ActorAnswer]) -> list[list[ActorAnswer]]:
    """Group answers naming the same actor: a shared name or alias, or one name's words inside another's.

    A short name inside two unrelated longer names ("Al Thani" in two
    different sheikhs) is ambiguous and merges with neither. Indexes by key
    and by word keep this near-linear in the number of answers.
    """
    cores = [_core_words(a.name) for a in answers]
    same: dict[object, list[int]] = {}
    with_word: dict[str, set[int]] = {}
    for i, answer in enumerate(answers):
        for key in {_name_key(n) for n in (answer.name, *answer.aliases)} - {""}:
            same.setdefault(key, []).append(i)
        if cores[i]:
            same.setdefault(cores[i], []).append(i)
        for word in cores[i]:
            with_word.setdefault(word, set()).add(i)
    groups = _UnionFind(len(answers))
    for members in same.values():
        for i, j in itertools.combinations(members, 2):
            if _kinds_agree(answers[i].kind, answers[j].kind):
                groups.union(i, j)
    for i, core in enumerate(cores):
        sharing = set.intersection(*(with_word[w] for w in core)) if core else set()
        containers = [j for j in sharing if core < cores[j] and _kinds_agree(answers[i].kind, answers[j].kind)]
        nested = sorted((cores[j] for j in containers), key=len)
        if all(a <= b for a, b in itertools.pairwise(nested)):
            for j in containers:
                groups.union(i, j)
    merged: dict[int, list[ActorAnswer]] = {}
    for i, answer in enumerate(answers):
        merged.setdefault(groups.root(i), []).append(answer)
    return list(merged.values())


def _merge_group(group: list[ActorAnswer]) -> _ActorDraft:
    """One actor from answers about it: the longest full form of the name wins, the rest become aliases.

    A full form is a name or alias holding every word of the longest name
    ("Ayatollah Seyyed Ali Khamenei" given as an alias of "Ali Khamenei").
    """
    by_length = sorted(group, key=lambda a: len(a.name.strip()), reverse=True)
    core = _core_words(by_length[0].name)
    forms = [n.strip() for a in by_length for n in (a.name, *a.aliases) if n.strip()]
    name = max((f for f in forms if _core_words(f) >= core), key=len)
    kinds = Counter(a.kind for a in group if a.kind != "other")
    aliases: dict[str, str] = {}
    for alias in forms:
        if _name_key(alias) not in aliases and _name_key(alias) != _name_key(name):
            aliases[_name_key(alias)] = alias
    return _ActorDraft(
        name=name,
        kind=kinds.most_common(1)[0][0] if kinds else "other",
        role=next((a.role.strip() for a in by_length if a.role and a.role.strip()), None),
        affiliation=next((a.affiliation.strip() for a in by_length if a.affiliation and a.affiliation.strip()), None),
        aliases=list(aliases.values()),
    )


def _surname(draft: _ActorDraft, drafts: Sequence[_ActorDraft]) -> str | None:
    """A person's last name, when the name is all capitalised words and no other actor uses that word."""
    words: list[str] = _WORD.findall(draft.name)
    if draft.kind != "person" or len(words) < 2 or len(words[-1]) < 3 or not all(w[0].isupper() for w in words):
        return None
    last = words[-1].casefold()
    for other in drafts:
        taken = {_name_key(n) for n in (other.name, *other.aliases)}
        if other is not draft and (last in taken or (other.kind == "person" and last in _core_words(other.name))):
            return None
    return words[-1]


def _surface_forms(draft: _ActorDraft, surname: str | None) -> list[str]:
    forms = [draft.name, *draft.aliases, *([surname] if surname else [])]
    # Aliases such as "the Emir" also open sentences: "The Emir said ...".
    return forms + [f[0].upper() + f[1:] for f in forms if f[:1].islower()]


class _Claims:
    """Text regions already taken by a mention; longer names claim theirs first."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def is_free(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self._starts, end)
        return k == 0 or self._ends[k - 1] <= start

    def claim(self, start: int, end: int) -> None:
        k = bisect.bisect_left(self._starts, start)
        self._starts.insert(k, start)
        self._ends.insert(k, end)


def _find_mentions(drafts: list[_ActorDraft], aligner: TextAligner, claims: _Claims) -> None:
    """Fill each draft's mentions; a found surname joins the aliases."""
    surnames = [_surname(d, drafts) for d in drafts]
    forms = sorted(
        ((form, n) for n, d in enumerate(drafts) for form in _surface_forms(d, surnames[n])),
        key=lambda item: -len(item[0]),
    )
    for form, n in forms:
        for hit in aligner.find_all(form):
            if claims.is_free(hit.start, hit.end):
                claims.claim(hit.start, hit.end)
                drafts[n].mentions.append((hit.start, hit.end))
    for draft, surname in zip(drafts, surnames):
        draft.mentions.sort()
        spoken = {aligner.text[s:e] for s, e in draft.mentions}
        if surname and surname in spoken and surname not in draft.aliases:
            draft.aliases.append(surname)


_ACTOR_KINDS = frozenset(get_args(ActorKind))


def _rule_actor(candidate: NameCandidate, text: str, claims: _Claims) -> _ActorDraft | None:
    """A rule-found name as an actor, with the mentions no other actor claimed."""
    mentions = [(m.start, m.end) for m in candidate.mentions if text[m.start : m.end] == m.text and claims.is_free(m.start, m.end)]
    if not mentions:
        return None
    for start, end in mentions:
        claims.claim(start, end)
    kind = candidate.kind if candidate.kind in _ACTOR_KINDS else "other"
    # The other forms the article uses ("Khamenei", "Mr. Pezeshkian") are the aliases.
    aliases = list(dict.fromkeys(text[s:e] for s, e in sorted(mentions) if _name_key(text[s:e]) != _name_key(candidate.name)))
    return _ActorDraft(name=candidate.name, kind=kind, role=candidate.title, aliases=aliases, mentions=sorted(mentions), extracted_by="rules")


class _ActorLinker:
    """Links a name (speaker, stance holder, affiliation) to an actor id.

    A name or alias equal after normalisation wins; otherwise the actor
    sharing the most title-free words, when one name's words lie inside the
    other's ("Khamenei" -> "Ayatollah Ali Khamenei"). A tie is ambiguous: no id.
    """

    def __init__(self, actors: Iterable[tuple[str, Sequence[str]]]) -> None:
        """``actors``: each actor's id and its names (name and aliases)."""
        self._by_key: dict[str, str | None] = {}
        self._with_word: dict[str, list[tuple[str, frozenset[str]]]] = {}
        for actor_id, forms in actors:
            for form in forms:
                key = _name_key(form)
                self._by_key[key] = actor_id if self._by_key.get(key, actor_id) == actor_id else None
                core = _core_words(form)
                for word in core:
                    self._with_word.setdefault(word, []).append((actor_id, core))

    @classmethod
    def of(cls, actors: Sequence[Actor]) -> _ActorLinker:
        """A linker over output actors."""
        return cls((actor.id, [actor.name, *actor.aliases]) for actor in actors)

    def link(self, name: str | None, *, exclude: str | None = None) -> str | None:
        """The id of the actor ``name`` refers to, or ``None`` when none or several fit."""
        if not name or not name.strip():
            return None
        by_key = self._by_key.get(_name_key(name))
        if by_key is not None and by_key != exclude:
            return by_key
        words = _core_words(name)
        scores: dict[str, int] = {}
        for actor_id, core in (entry for word in words for entry in self._with_word.get(word, ())):
            if actor_id != exclude and (words <= core or core <= words):
                scores[actor_id] = max(scores.get(actor_id, 0), len(words & core))
        ranked = sorted(scores.values(), reverse=True)
        if not ranked or (len(ranked) > 1 and ranked[0] == ranked[1]):
            return None
        return max(scores, key=lambda actor_id: scores[actor_id])


def _ground_actors(answers: Sequence[ActorAnswer], *, aligner: TextAligner, evidence: Evidence, lenient: bool, warnings: list[str]) -> list[Actor]:
    """Merged, mentioned, id-numbered actors: the model's first, then rule-found names it left out."""
    usable = [a for a in answers if a.name.strip()]
    drafts = [_merge_group(group) for group in _group_aliases(usable)]
    claims = _Claims()
    _find_mentions(drafts, aligner, claims)
    for draft in [d for d in drafts if not d.mentions]:
        if not lenient:
            drafts.remove(draft)
        warnings.append(f'Actor "{draft.name}" is not mentioned in the article; ' + ("kept without mentions (lenient)." if lenient else "dropped."))
    model_linker = _ActorLinker((str(n), [d.name, *d.aliases]) for n, d in enumerate(drafts))
    for candidate in evidence.names:
        if model_linker.link(candidate.name) is None:
            rule_draft = _rule_actor(candidate, aligner.text, claims)
            drafts.extend([rule_draft] if rule_draft else [])
    drafts.sort(key=lambda d: d.mentions[0][0] if d.mentions else len(aligner.text))
    ids = [f"a{n}" for n in range(1, len(drafts) + 1)]
    linker = _ActorLinker((actor_id, [d.name, *d.aliases]) for actor_id, d in zip(ids, drafts))
    return [_as_actor(d, actor_id, aligner.text, affiliation=linker.link(d.affiliation, exclude=actor_id)) for actor_id, d in zip(ids, drafts)]


def _as_actor(draft: _ActorDraft, actor_id: str, text: str, *, affiliation: str | None) -> Actor:
    return Actor(
        id=actor_id,
        name=draft.name,
        kind=draft.kind,
        role=draft.role,
        affiliation=affiliation,
        aliases=draft.aliases,
        mentions=[_span(text, start, end) for start, end in draft.mentions],
        extracted_by=draft.extracted_by,
    )


# --------------------------------------------------------------------------
# Quotes
# --------------------------------------------------------------------------


@dataclass
class _QuoteDraft:
    located: _Located | None
    speaker: str | None
    kind: QuoteKind
    cue: str | None
    via: str | None
    model_text: str | None
    extracted_by: ExtractedBy = "model"
    rule_speaker: str | None = None  # the overlapping rule quote's speaker: the fallback for an unnamed one
    too_short: bool = False


_MIN_PASSAGE_WORDS = 3
"""Fewest words of a model quote or stance evidence that is grounded: "the" or
"war" would land on any occurrence. A rule candidate's own text is exempt."""

_ADOPT_SHARE = 0.5
_ADOPT_WORDS = 4
"""A model quote takes a rule quote's span (and replaces it) only when it covers
at least this share of the rule quote's words, or this many of them: "war"
inside "quasi-state of war" is not that quote."""

_NO_SPACE_SCRIPTS = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")  # Thai, Lao, Myanmar, Khmer: words are not countable
_QUOTE_EDGE = 3  # characters looked at around a passage for its quote marks
_PASSAGE_MARKS = frozenset('"“”„‟«»「」『』')  # marks that, inside a passage, show it is quoted (not apostrophes)


def _is_specific(needle: str, candidates: Sequence[QuoteCandidate]) -> bool:
    """Whether a model passage is long enough to ground: three words, or exactly a rule quote's text."""
    key = _trim(needle)
    if _word_count(key) >= _MIN_PASSAGE_WORDS or _NO_SPACE_SCRIPTS.search(key):
        return True
    bare = _normalise(key).strip(_EDGE_PUNCTUATION)
    return any(_normalise(_trim(c.text)).strip(_EDGE_PUNCTUATION) == bare for c in candidates)


def _candidate_located(candidate: QuoteCandidate, status: Literal["exact", "fuzzy"] = "exact") -> _Located:
    fragments = tuple((f.start, f.end) for f in candidate.fragments) or ((candidate.start, candidate.end),)
    return _Located(fragments, status)


def _sole_overlap(located: _Located, candidates: Sequence[QuoteCandidate]) -> QuoteCandidate | None:
    """The one candidate the found span overlaps (several: the model joined quotes; keep its span)."""
    hits = [c for c in candidates if _overlaps(located.start, located.end, c.start, c.end)]
    return hits[0] if len(hits) == 1 else None


def _covers(located: _Located, candidate: QuoteCandidate, text: str) -> bool:
    """Whether a found passage covers a substantial part of a rule quote (see ``_ADOPT_SHARE``)."""
    pieces = _candidate_located(candidate).fragments
    total = sum(_word_count(text[a:b]) for a, b in pieces)
    shared = sum(_word_count(text[max(a, c) : min(b, d)]) for a, b in located.fragments for c, d in pieces if _overlaps(a, b, c, d))
    return shared >= min(_ADOPT_WORDS, _ADOPT_SHARE * total)


def _in_quote_marks(located: _Located, text: str, candidates: Sequence[QuoteCandidate]) -> bool:
    """Whether a passage is quoted: it overlaps a rule quote, holds a quote mark, or a mark sits at its edge."""
    if any(_overlaps(located.start, located.end, c.start, c.end) for c in candidates):
        return True
    if any(c in _PASSAGE_MARKS for c in text[located.start : located.end]):
        return True
    before = text[max(0, located.start - _QUOTE_EDGE) : located.start].rstrip()
    after = text[located.end : located.end + _QUOTE_EDGE].lstrip(_EDGE_PUNCTUATION)
    return bool(before and before[-1] in _QUOTE_MARKS) or bool(after and after[0] in _QUOTE_MARKS)


class _QuotePlacer:
    """Places the model's quotes one by one; a repeated quote takes the next occurrence."""

    def __init__(self, aligner: TextAligner, evidence: Evidence, mentions: dict[str, list[int]], linker: _ActorLinker) -> None:
        self.aligner, self.mentions, self.linker = aligner, mentions, linker
        self.candidates = evidence.quotes
        self.by_ref = {c.ref: c for c in evidence.quotes}
        self.last_end: dict[str, int] = {}

    def place(self, answer: QuoteAnswer, warnings: list[str]) -> _QuoteDraft | None:
        """A draft for the answer (``located`` None when not found or too short), or None when it has nothing to place."""
        candidate = self.by_ref.get((answer.ref or "").strip().upper())
        if answer.ref and candidate is None:
            warnings.append(f"Quote ref {answer.ref} is not a listed candidate; " + ("its text was used." if _trim(answer.text) else "dropped."))
        too_short = False
        if candidate is not None:
            located: _Located | None = _candidate_located(candidate)
        elif not _trim(answer.text):
            return None
        elif not _is_specific(answer.text, self.candidates):
            located, too_short = None, True
        else:
            located = self._locate(answer)
            candidate = _sole_overlap(located, self.candidates) if located else None
            if candidate and located and _covers(located, candidate, self.aligner.text):
                located = _candidate_located(candidate, located.status)
        article_span = self.aligner.text[located.start : located.end] if located else ""
        kind = answer.kind
        if kind == "direct" and located and not _in_quote_marks(located, self.aligner.text, self.candidates):
            kind = "indirect"  # words of the narration: reported, not quoted
        return _QuoteDraft(
            located=located,
            speaker=answer.speaker.strip() if answer.speaker and answer.speaker.strip() else None,
            kind=kind,
            cue=answer.cue or (candidate.cue if candidate else None),
            via=answer.via or (candidate.via if candidate else None),
            model_text=_model_wording(answer.text, article_span) if answer.text else None,
            rule_speaker=candidate.speaker if candidate else None,
            too_short=too_short,
        )

    def _locate(self, answer: QuoteAnswer) -> _Located | None:
        key = _normalise(_trim(answer.text))
        after = self.last_end.get(key, 0)
        speaker_id = self.linker.link(answer.speaker)
        located = _locate_passage(self.aligner, answer.text, after=after, near=self._speaker_near(speaker_id, after))
        if located is None and after:
            located = _locate_passage(self.aligner, answer.text)
        if located is not None and speaker_id is not None:
            located = self._at_speakers_candidate(answer.text, speaker_id, located)
        if located is not None:
            self.last_end[key] = max(after, located.end)
        return located

    def _at_speakers_candidate(self, needle: str, speaker_id: str, located: _Located) -> _Located:
        """When the rules attribute another occurrence of the passage to the same speaker, that one."""
        current = _sole_overlap(located, self.candidates)
        if current is not None and self.linker.link(current.speaker) == speaker_id:
            return located
        for candidate in self.candidates:
            if candidate is current or self.linker.link(candidate.speaker) != speaker_id:
                continue
            inside = _locate_passage(self.aligner, needle, after=candidate.start)
            if inside is not None and _overlaps(inside.start, inside.end, candidate.start, candidate.end):
                return inside
        return located

    def _speaker_near(self, speaker_id: str | None, after: int) -> int | None:
        # Among repeated occurrences, prefer the one nearest the speaker's next mention.
        starts = self.mentions.get(speaker_id or "", [])
        k = bisect.bisect_left(starts, after)
        return starts[k] if k < len(starts) else None


def _ground_quotes(
    answers: Sequence[QuoteAnswer],
    *,
    aligner: TextAligner,
    evidence: Evidence,
    actors: Sequence[Actor],
    lenient: bool,
    warnings: list[str],
) -> list[Quote]:
    """The model's quotes placed in the article, then the rule-found quotes it left out."""
    linker = _ActorLinker.of(actors)
    placer = _QuotePlacer(aligner, evidence, {a.id: [m.start for m in a.mentions] for a in actors}, linker)
    drafts: list[_QuoteDraft] = []
    seen: set[object] = set()
    duplicates = 0
    for answer in answers:
        draft = placer.place(answer, warnings)
        if draft is None:
            continue
        identity = draft.located.fragments if draft.located else _normalise(_trim(answer.text))
        if identity in seen:
            duplicates += 1
            continue
        seen.add(identity)
        if draft.located is None:
            fate = "kept as unmatched" if lenient else "dropped"
            if draft.too_short:
                warnings.append(f'Quote too short to locate (fewer than {_MIN_PASSAGE_WORDS} words, not a listed candidate), {fate}: "{_short(answer.text)}"')
            else:
                warnings.append(f'Quote not found in the article, {fate}: "{_short(answer.text)}"')
            if not lenient:
                continue
        draft.speaker = _settled_speaker(draft, aligner=aligner, linker=linker, lenient=lenient, warnings=warnings)
        drafts.append(draft)
    if duplicates:
        warnings.append(f"Removed {duplicates} duplicate quote{'s' if duplicates > 1 else ''} (same text or span).")
    drafts.extend(_rule_quotes(evidence.quotes, drafts, aligner.text))
    drafts.sort(key=lambda d: d.located.start if d.located else len(aligner.text))
    return [_as_quote(d, f"q{n}", aligner.text, linker) for n, d in enumerate(drafts, start=1)]


def _settled_speaker(draft: _QuoteDraft, *, aligner: TextAligner, linker: _ActorLinker, lenient: bool, warnings: list[str]) -> str | None:
    """The model's speaker when the article names them, else the overlapping rule quote's speaker.

    A speaker the article never names is replaced by the rules' one when there
    is one; without it, it is removed (kept when ``lenient``). No speaker from
    the model also takes the rules' one.
    """
    named, fallback = draft.speaker, draft.rule_speaker
    if named is None or _is_named(named, linker.link(named), aligner):
        return named or fallback
    if fallback:
        warnings.append(f'Speaker "{_short(named)}" is not named in the article; the rules\' speaker "{_short(fallback)}" is used')
        return fallback
    if lenient:
        return named
    warnings.append(f'Speaker "{_short(named)}" is not named in the article; the quote is kept without a speaker')
    return None


def _rule_quotes(candidates: Sequence[QuoteCandidate], drafts: Sequence[_QuoteDraft], text: str) -> list[_QuoteDraft]:
    """The rule quotes no model quote covers (a model quote of a few of its words leaves it standing)."""
    taken = [d.located for d in drafts if d.located]
    return [
        _QuoteDraft(located=_candidate_located(c), speaker=c.speaker, kind="direct", cue=c.cue, via=c.via, model_text=None, extracted_by="rules")
        for c in candidates
        if not any(_covers(t, c, text) for t in taken)
    ]


def _as_quote(draft: _QuoteDraft, quote_id: str, text: str, linker: _ActorLinker) -> Quote:
    located = draft.located
    return Quote(
        id=quote_id,
        text=text[located.start : located.end] if located else draft.model_text or "",
        speaker=draft.speaker,
        speaker_id=linker.link(draft.speaker),
        kind=draft.kind,
        cue=draft.cue,
        via=draft.via,
        start=located.start if located else None,
        end=located.end if located else None,
        grounding=located.status if located else "unmatched",
        model_text=draft.model_text if located else None,
        fragments=[_span(text, s, e) for s, e in located.fragments] if located and len(located.fragments) > 1 else [],
        extracted_by=draft.extracted_by,
    )


# --------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------

_NUMBER = re.compile(r"\d+(?:[,.\u00a0\u202f']\d+)*")
_VALUE_TOLERANCE = 0.01
"""Relative difference between the model's value and the article's that counts as rounding."""

# A whole number is not glued to another digit (also across a decimal point or
# thousands separator) nor to a letter: "1" is not in "21", "1.5", "IE6", "COVID-19".
_GLUED_BEFORE = re.compile(r"(?:\d[,.\u00a0\u202f']?|[^\W\d_]-?)\Z")
_GLUED_AFTER = re.compile(r"[,.\u00a0\u202f']?\d|[^\W\d_]")
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATE_BEFORE = re.compile(rf"\b{_MONTH}[ \u00a0]+(?:\d{{1,2}}(?:st|nd|rd|th)?,?[ \u00a0]+)?\Z")  # "August 21", "August 21, 2015"
_DATE_AFTER = re.compile(rf"(?:st|nd|rd|th)?[ \u00a0]+(?:of[ \u00a0]+)?{_MONTH}\b|:\d|/\d")  # "21 August", "3:30", "21/8"
_DATE_REACH = 20
_TINY = 10
"""A model figure below this, with no unit or counted noun after it in the article, is noise ("1", "5")."""
_FIGURE_REACH = 60  # characters read after a number for its unit or counted noun


def _is_whole_number(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` starts and ends at the edges of whole numbers (or of words)."""
    glued_before = text[start : start + 1].isdigit() and _GLUED_BEFORE.search(text, max(0, start - 2), start)
    glued_after = text[end - 1 : end].isdigit() and _GLUED_AFTER.match(text, end)
    return not (glued_before or glued_after)


def _is_figure_spot(text: str, start: int, end: int) -> bool:
    """Whether a number the rules did not list can still be a model's figure there.

    Not when it is part of a date, year or clock time, nor when it is a tiny
    number with no unit or counted noun in the article ("1", "5").
    """
    number = _NUMBER.search(text, start, end)
    if number is None:
        return True  # a number word ("six"): nothing to judge it by
    if _DATE_BEFORE.search(text, max(0, number.start() - _DATE_REACH), number.start()) or _DATE_AFTER.match(text, number.end()):
        return False
    digits = digits_of(number.group())
    if len(digits) == 4 and 1900 <= int(digits) <= 2099 and number.group().isdigit():
        return False  # a year
    parsed = parse_figure(text[number.start() : number.start() + _FIGURE_REACH].split("\n", 1)[0])
    bare = parsed is None or (parsed.unit is None and parsed.kind not in ("money", "percent"))
    return not (bare and parsed is not None and parsed.value is not None and parsed.value < _TINY)


@dataclass(frozen=True)
class _FigurePlace:
    start: int
    end: int
    status: Literal["exact", "fuzzy"]
    candidate: FigureCandidate | None


def _first_after(spans: Sequence[_FigurePlace], after: int) -> _FigurePlace | None:
    # A repeat of the same figure takes the next occurrence; else the first one (a duplicate, removed later).
    return next((p for p in spans if p.start >= after), spans[0]) if spans else None


def _locate_figure(aligner: TextAligner, written: str, candidates: Sequence[FigureCandidate], *, after: int) -> _FigurePlace | None:
    """Where a model's figure is, in order of preference, or None.

    1. its text (whole numbers only) inside a rule figure: the rule figure's
       span, which also knows the hedge ("approximately") the span leaves out;
    2. a rule figure with the same digits ("fuzzy");
    3. its text elsewhere, unless there it is part of a date or year or is a
       tiny number without a unit (see ``_is_figure_spot``);
    4. a whole number with the same digits, under the same conditions ("fuzzy").
    """
    text = aligner.text
    hits = [h for h in aligner.find_all(written) if _is_whole_number(text, h.start, h.end)] if _trim(written) else []
    in_rule = []
    for hit in hits:
        inside = [c for c in candidates if _overlaps(hit.start, hit.end, c.match.start, c.match.end)]
        if len(inside) == 1:
            in_rule.append(_FigurePlace(inside[0].match.start, inside[0].match.end, "exact", inside[0]))
    digits = digits_of(written)
    same = [_FigurePlace(c.match.start, c.match.end, "fuzzy", c) for c in candidates if digits and digits_of(c.match.text) == digits]
    free = [_FigurePlace(h.start, h.end, "exact", None) for h in hits if _is_figure_spot(text, h.start, h.end)]
    return _first_after(in_rule, after) or _first_after(same, after) or _first_after(free, after) or _number_with_digits(text, digits, after=after)


def _number_with_digits(text: str, digits: str, *, after: int) -> _FigurePlace | None:
    if not digits:
        return None
    numbers = [
        _FigurePlace(m.start(), m.end(), "fuzzy", None)
        for m in _NUMBER.finditer(text)
        if digits_of(m.group()) == digits and _is_whole_number(text, m.start(), m.end()) and _is_figure_spot(text, m.start(), m.end())
    ]
    return _first_after(numbers, after)


def _ground_figures(answers: Sequence[FigureAnswer], *, aligner: TextAligner, evidence: Evidence, lenient: bool, warnings: list[str]) -> list[Figure]:
    """The model's figures placed and re-read from the article, then the rule-found figures it left out."""
    by_ref = {c.ref: c for c in evidence.figures}
    figures: list[Figure] = []
    last_end: dict[str, int] = {}
    seen: set[object] = set()
    duplicates = 0
    for answer in answers:
        candidate = by_ref.get((answer.ref or "").strip().upper())
        if answer.ref and candidate is None:
            warnings.append(f"Figure ref {answer.ref} is not a listed candidate; " + ("its text was used." if _trim(answer.text) else "dropped."))
        if candidate is None and not _trim(answer.text):
            continue
        key = _normalise(_trim(answer.text))
        place = (
            _FigurePlace(candidate.match.start, candidate.match.end, "exact", candidate)
            if candidate
            else _locate_figure(aligner, answer.text, evidence.figures, after=last_end.get(key, 0))
        )
        identity = (place.start, place.end) if place else key
        if identity in seen:
            duplicates += 1
            continue
        seen.add(identity)
        if place is not None:
            last_end[key] = place.end
            figures.append(_placed_figure(answer, place, aligner.text, warnings))
            continue
        warnings.append(
            f'Figure not found in the article ({_unplaced_reason(answer.text, aligner.text)}), {"kept as unmatched" if lenient else "dropped"}: "{_short(answer.text)}"'
        )
        if lenient:
            figures.append(_unmatched_figure(answer))
    if duplicates:
        warnings.append(f"Removed {duplicates} duplicate figure{'s' if duplicates > 1 else ''} (same text or span).")
    figures.extend(_rule_figures(evidence.figures, figures, aligner.text))
    figures.sort(key=lambda f: f.start if f.start is not None else len(aligner.text))
    return [f.model_copy(update={"id": f"f{n}"}) for n, f in enumerate(figures, start=1)]


def _unplaced_reason(written: str, text: str) -> str:
    digits = digits_of(written)
    if digits and digits in digits_of(text):
        return "its digits occur only in a date, a year, another number or as a bare tiny number"
    return "its digits do not occur"


def _placed_figure(answer: FigureAnswer, place: _FigurePlace, text: str, warnings: list[str]) -> Figure:
    """A figure at ``place``; its value, unit, kind and hedge come from the article's wording."""
    written = text[place.start : place.end]
    parsed = place.candidate.match.figure if place.candidate else parse_figure(written)
    if parsed is None:
        return _unmatched_figure(answer).model_copy(
            update={"text": written, "start": place.start, "end": place.end, "grounding": place.status, "model_text": _model_wording(answer.text, written)}
        )
    if answer.value is not None and parsed.value is not None and not _close(answer.value, parsed.value):
        warnings.append(f'Figure "{written}": the model gave {answer.value:g}, the article says {parsed.value:g}; the article\'s value is kept.')
    return Figure(
        id="",
        text=written,
        value=parsed.value,
        unit=parsed.unit,
        kind=_figure_kind(parsed.kind),
        approximate=parsed.approximate,
        describes=answer.describes.strip(),
        start=place.start,
        end=place.end,
        grounding=place.status,
        model_text=_model_wording(answer.text, written),
    )


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= _VALUE_TOLERANCE * max(abs(a), abs(b))


def _figure_kind(kind: str) -> FigureKind:
    return kind if kind in get_args(FigureKind) else "other"  # type: ignore[return-value]


def _unmatched_figure(answer: FigureAnswer) -> Figure:
    return Figure(
        id="",
        text=_trim(answer.text),
        value=answer.value,
        unit=answer.unit,
        kind=answer.kind,
        approximate=answer.approximate,
        describes=answer.describes.strip(),
        grounding="unmatched",
    )


def _rule_figures(candidates: Sequence[FigureCandidate], figures: Sequence[Figure], text: str) -> list[Figure]:
    taken = [(f.start, f.end) for f in figures if f.start is not None and f.end is not None]
    return [
        Figure(
            id="",
            text=text[c.match.start : c.match.end],
            value=c.match.figure.value,
            unit=c.match.figure.unit,
            kind=_figure_kind(c.match.figure.kind),
            approximate=c.match.figure.approximate,
            start=c.match.start,
            end=c.match.end,
            grounding="exact",
            extracted_by="rules",
        )
        for c in candidates
        if not any(_overlaps(c.match.start, c.match.end, s, e) for s, e in taken)
    ]


# --------------------------------------------------------------------------
# Stances
# --------------------------------------------------------------------------


def _ground_stances(
    answers: Sequence[StanceAnswer], *, aligner: TextAligner, actors: Sequence[Actor], quotes: Sequence[QuoteCandidate], warnings: list[str]
) -> list[Stance]:
    """Stances with holder/target linked to actors and evidence located (or left empty, with a warning)."""
    if not answers:
        return []
    linker = _ActorLinker.of(actors)
    stances: list[Stance] = []
    for answer in answers:
        evidence = _stance_evidence(answer.evidence, aligner=aligner, quotes=quotes, warnings=warnings) if answer.evidence and _trim(answer.evidence) else None
        stance = Stance(
            holder=answer.holder,
            holder_id=linker.link(answer.holder),
            target=answer.target,
            target_id=linker.link(answer.target),
            polarity=answer.polarity,
            topic=answer.topic,
            evidence=evidence,
        )
        if stance not in stances:
            stances.append(stance)
    return stances


def _stance_evidence(passage: str, *, aligner: TextAligner, quotes: Sequence[QuoteCandidate], warnings: list[str]) -> Span | None:
    """The passage's span, or None (with a warning) when it is too short to ground or not in the article.

    Too short: fewer than ``_MIN_PASSAGE_WORDS`` words and not a rule quote's own text.
    """
    if not _is_specific(passage, quotes):
        warnings.append(f'Stance evidence too short to locate (fewer than {_MIN_PASSAGE_WORDS} words), left empty: "{_short(passage)}"')
        return None
    located = _locate_passage(aligner, passage)
    if located is None:
        warnings.append(f'Stance evidence not found in the article, left empty: "{_short(passage)}"')
        return None
    return _span(aligner.text, located.start, located.end)


# --------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------


@dataclass
class GroundedDigest:
    """The grounded items of one article and what grounding dropped or repaired."""

    actors: list[Actor]
    quotes: list[Quote]
    figures: list[Figure]
    stances: list[Stance]
    warnings: list[str]


def ground(answer: DigestAnswer, *, text: str, evidence: Evidence, lenient: bool = False, aligner: TextAligner | None = None) -> GroundedDigest:
    """Locate the model's answer in ``text`` and build the output items.

    Quotes, figures, mentions and stance evidence get offsets into ``text``;
    speakers, holders, targets and affiliations get actor ids; rule-found
    quotes, figures and names the model left out are added (``extracted_by=
    "rules"``). What cannot be found is dropped with a warning, or kept as
    ``unmatched`` when ``lenient``. Returns the items and the warnings.
    ``aligner``: the article's, when the caller has one already (it indexes
    the text's words once).
    """
    aligner = aligner or TextAligner(text)
    warnings: list[str] = []
    actors = _ground_actors(answer.actors, aligner=aligner, evidence=evidence, lenient=lenient, warnings=warnings)
    quotes = _ground_quotes(answer.quotes, aligner=aligner, evidence=evidence, actors=actors, lenient=lenient, warnings=warnings)
    figures = _ground_figures(answer.figures, aligner=aligner, evidence=evidence, lenient=lenient, warnings=warnings)
    stances = _ground_stances(answer.stances, aligner=aligner, actors=actors, quotes=evidence.quotes, warnings=warnings)
    if not lenient:
        stances = [stance for stance in stances if _parties_named(stance, aligner, warnings)]
    return GroundedDigest(actors=actors, quotes=quotes, figures=figures, stances=stances, warnings=warnings)


def _is_named(name: str | None, actor_id: str | None, aligner: TextAligner) -> bool:
    """True when ``name`` is a known actor or occurs in the article (case aside)."""
    if actor_id is not None or not name:
        return True
    return _normalise(_trim(name)).casefold() in aligner.folded_text


def _parties_named(stance: Stance, aligner: TextAligner, warnings: list[str]) -> bool:
    """False (with a warning) for a stance whose holder or target the article never names."""
    if _is_named(stance.holder, stance.holder_id, aligner) and _is_named(stance.target, stance.target_id, aligner):
        return True
    warnings.append(f'Stance "{_short(stance.holder)} {stance.polarity} {_short(stance.target)}" names a party the article does not; dropped')
    return False


def check_answer(answer: DigestAnswer, *, text: str, evidence: Evidence, aligner: TextAligner | None = None) -> list[str]:
    """Problems in the model's answer worth a re-ask, as sentences the model can act on.

    Covers quotes not in the article, figures whose digits do not occur, and
    refs that are not listed candidates. Returns an empty list when there is
    nothing to fix. ``aligner`` as for :func:`ground`.
    """
    aligner = aligner or TextAligner(text)
    quote_refs = {c.ref for c in evidence.quotes}
    figure_refs = {c.ref for c in evidence.figures}
    problems: list[str] = []
    for quote in answer.quotes:
        if quote.ref and quote.ref.strip().upper() not in quote_refs:
            problems.append(f"{quote.ref} is not a listed quote candidate; use a listed Q number or copy the quote's words.")
        elif not quote.ref and not _trim(quote.text):
            problems.append("A quote has neither a ref nor text; give one or leave the quote out.")
        elif not quote.ref and not _is_specific(quote.text, evidence.quotes):
            problems.append(f'The quote "{_short(quote.text)}" is too short to locate; copy at least {_MIN_PASSAGE_WORDS} words or use a listed Q number.')
        elif not quote.ref and _locate_passage(aligner, quote.text) is None:
            problems.append(f'The quote "{_short(quote.text)}" is not in the article; copy quotes word for word or leave them out.')
    for figure in answer.figures:
        if figure.ref and figure.ref.strip().upper() not in figure_refs:
            problems.append(f"{figure.ref} is not a listed figure candidate; use a listed F number or copy the figure as written.")
        elif not figure.ref and _locate_figure(aligner, figure.text, evidence.figures, after=0) is None:
            problems.append(f'The figure "{_short(figure.text)}" does not occur in the article; copy figures as written or leave them out.')
    return list(dict.fromkeys(problems))
