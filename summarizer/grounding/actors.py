"""Actors: the model's answers merged by alias, their mentions found, rule-found names added.

Union, not replacement: a model answer adds to and corrects the rule-found
names, and never swallows one without evidence. Two actors merge only on
evidence:

* model answers, when they share a name or alias, or when a short person's
  name lies inside exactly one longer person's name ("Khamenei" in "Ali
  Khamenei"); places and organisations never merge by containment ("Hong
  Kong" is not "Hong Kong Island");
* a rule-found name and a model actor, when the kinds agree and the name is
  one of the actor's forms, or, for people, one of its mentions overlaps the
  actor's and one name lies inside the other. Its other mentions then join
  the actor.

The model's name wins: the longest name the model gave (never an alias: a
descriptive alias such as "Facebook co-founder Mark Zuckerberg" is a
mention, not a name). An actor is kept when its name or any alias occurs in
the article as whole words, even inside another actor's mention ("ADPL" in
"Frederick Fung of ADPL"), with a possessive, a trailing parenthetical
("(constituency)"), a legal suffix (", Inc.") or a leading article ignored;
it is dropped, with a warning, only when none does.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import get_args

from ..rules import Evidence, NameCandidate
from ..rules.text import TakenSpans
from ..schema import Actor, ActorAnswer, ActorKind, ExtractedBy
from .alignment import WORD, TextAligner
from .linking import ActorLinker, core_words, kinds_agree, name_key
from .passages import backed_or, short, span_of, window, words_occur


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

    @property
    def forms(self) -> list[str]:
        return [self.name, *self.aliases]


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


def _may_contain(short: ActorKind, long: ActorKind) -> bool:
    """Whether a name inside another may be a short form of it: only people's names ("Khamenei" of "Ali Khamenei")."""
    return "person" in (short, long) and kinds_agree(short, long)


def _group_aliases(answers: Sequence[ActorAnswer]) -> list[list[ActorAnswer]]:
    """Group answers naming the same actor: a shared name or alias, or a person's name inside one other person's.

    A short name inside two unrelated longer names ("Al Thani" in two
    different sheikhs) is ambiguous and merges with neither. Indexes by key
    and by word keep this near-linear in the number of answers.
    """
    cores = [core_words(a.name) for a in answers]
    same: dict[object, list[int]] = {}
    with_word: dict[str, set[int]] = {}
    for i, answer in enumerate(answers):
        for key in {name_key(n) for n in (answer.name, *answer.aliases)} - {""}:
            same.setdefault(key, []).append(i)
        if cores[i]:
            same.setdefault(cores[i], []).append(i)
        for word in cores[i]:
            with_word.setdefault(word, set()).add(i)
    groups = _UnionFind(len(answers))
    for members in same.values():
        _union_agreeing(groups, members, answers)
    for i, core in enumerate(cores):
        sharing = set.intersection(*(with_word[w] for w in core)) if core else set()
        containers = [j for j in sharing if core < cores[j] and _may_contain(answers[i].kind, answers[j].kind)]
        nested = sorted((cores[j] for j in containers), key=len)
        if all(a <= b for a, b in itertools.pairwise(nested)):
            for j in containers:
                groups.union(i, j)
    merged: dict[int, list[ActorAnswer]] = {}
    for i, answer in enumerate(answers):
        merged.setdefault(groups.root(i), []).append(answer)
    return list(merged.values())


def _union_agreeing(groups: _UnionFind, members: list[int], answers: Sequence[ActorAnswer]) -> None:
    """Join every two ``members`` whose kinds agree, through the first member of each kind: the same groups
    as joining the pairs, without the pairs (a name a long article's every chunk answers makes thousands)."""
    first_of_kind: dict[str, int] = {}
    for i in members:
        kind = answers[i].kind
        for other_kind, first in first_of_kind.items():
            if kinds_agree(kind, other_kind):
                groups.union(i, first)
        first_of_kind.setdefault(kind, i)


def _merge_group(group: list[ActorAnswer]) -> _ActorDraft:
    """One actor from answers about it: the longest name the model gave wins, every other form is an alias."""
    by_length = sorted(group, key=lambda a: len(a.name.strip()), reverse=True)
    name = by_length[0].name.strip()
    kinds = Counter(a.kind for a in group if a.kind != "other")
    aliases: dict[str, str] = {}
    for alias in (n.strip() for a in by_length for n in (a.name, *a.aliases)):
        if alias and name_key(alias) not in aliases and name_key(alias) != name_key(name):
            aliases[name_key(alias)] = alias
    return _ActorDraft(
        name=name,
        kind=kinds.most_common(1)[0][0] if kinds else "other",
        role=next((a.role.strip() for a in by_length if a.role and a.role.strip()), None),
        affiliation=next((a.affiliation.strip() for a in by_length if a.affiliation and a.affiliation.strip()), None),
        aliases=list(aliases.values()),
    )


def _surname(draft: _ActorDraft, drafts: Sequence[_ActorDraft]) -> str | None:
    """A person's last name, when the name is all capitalised words and no other actor uses that word."""
    words: list[str] = WORD.findall(draft.name)
    if draft.kind != "person" or len(words) < 2 or len(words[-1]) < 3 or not all(w[0].isupper() for w in words):
        return None
    last = words[-1].casefold()
    for other in drafts:
        taken = {name_key(n) for n in other.forms}
        if other is not draft and (last in taken or (other.kind == "person" and last in core_words(other.name))):
            return None
    return words[-1]


def _surface_forms(draft: _ActorDraft, surname: str | None) -> list[str]:
    forms = [*draft.forms, *([surname] if surname else [])]
    # Aliases such as "the Emir" also open sentences: "The Emir said ...".
    return forms + [f[0].upper() + f[1:] for f in forms if f[:1].islower()]


_PARENTHETICAL = re.compile(r"\s*\([^()]*\)\s*$")
_LEGAL_SUFFIX = re.compile(r",?\s+(?:Inc|Ltd|LLC|plc|Corp|Co|GmbH|AG|S\.A|N\.V)\.?$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s?$")
_LEADING_ARTICLE = re.compile(r"^(?:the|The)\s+")


def _lenient_forms(form: str) -> Iterator[str]:
    """``form`` as written, then without a trailing parenthetical, a legal suffix, a possessive and a leading article."""
    yield form
    bare = _PARENTHETICAL.sub("", form)
    bare = _LEGAL_SUFFIX.sub("", bare)
    bare = _POSSESSIVE.sub("", bare)
    bare = _LEADING_ARTICLE.sub("", bare).strip()
    if bare and bare != form:
        yield bare


def _occurrences(aligner: TextAligner, form: str) -> list[tuple[int, int]]:
    """Whole-word occurrences of ``form``, or of its first lenient variant that occurs."""
    for variant in _lenient_forms(form):
        hits = aligner.find_all(variant)
        if hits:
            return [(hit.start, hit.end) for hit in hits]
    return []


class _RuleNames:
    """The rule-found names' mentions, to tell a model form inside a longer name ("Irving" in "Irving Independent School District")."""

    def __init__(self, candidates: Sequence[NameCandidate]) -> None:
        spans = sorted((m.start, m.end, n) for n, candidate in enumerate(candidates) for m in candidate.mentions)
        self._starts = [start for start, _, _ in spans]
        self._spans = spans
        self._candidates = candidates

    def around(self, start: int, end: int) -> NameCandidate | None:
        """The rule name whose mention strictly contains ``[start, end)``, if any."""
        k = bisect.bisect_right(self._starts, start) - 1
        while k >= 0 and self._spans[k][0] <= start:
            rule_start, rule_end, n = self._spans[k]
            if end <= rule_end and (rule_start, rule_end) != (start, end):
                return self._candidates[n]
            k -= 1
            if start - rule_start > 200:
                break
        return None


def _find_mentions(drafts: list[_ActorDraft], aligner: TextAligner, claims: TakenSpans, rule_names: _RuleNames) -> None:
    """Fill each draft's mentions, longer forms first; a found surname joins the aliases.

    An occurrence inside a longer name the rules found is a mention only when
    that name stands for the same actor. A draft whose forms only occur inside
    other names takes those nested occurrences ("ADPL" in "Frederick Fung of
    ADPL"): the article does name it.
    """
    surnames = [_surname(d, drafts) for d in drafts]
    forms = sorted(((form, n) for n, d in enumerate(drafts) for form in _surface_forms(d, surnames[n])), key=lambda item: -len(item[0]))
    hits = {form: _occurrences(aligner, form) for form, _ in forms}
    for form, n in forms:
        for start, end in hits[form]:
            around = rule_names.around(start, end)
            if not claims.overlaps(start, end) and (around is None or _stands_for(around, drafts[n])):
                claims.take(start, end)
                drafts[n].mentions.append((start, end))
    for draft, surname in zip(drafts, surnames):
        if not draft.mentions:
            draft.mentions = sorted({span for form in _surface_forms(draft, None) for span in hits.get(form, [])})
        draft.mentions.sort()
        spoken = {aligner.text[s:e] for s, e in draft.mentions}
        if surname and surname in spoken and surname not in draft.aliases:
            draft.aliases.append(surname)


_ACTOR_KINDS = frozenset(get_args(ActorKind))


def _rule_kind(candidate: NameCandidate) -> ActorKind:
    return candidate.kind if candidate.kind in _ACTOR_KINDS else "other"


def _stands_for(candidate: NameCandidate, draft: _ActorDraft) -> bool:
    """Whether a rule-found name may name a model actor: one of its forms, or a person's name inside another.

    A name inside a person's name counts when the rules took it for a person,
    or when it ends that name like a surname ("Lukaku" of "Romelu Lukaku"; not
    "Demosisto" of "Demosisto's Nathan Law").
    """
    kind = _rule_kind(candidate)
    if not kinds_agree(kind, draft.kind):
        return False
    key = name_key(candidate.name)
    if key in {name_key(form) for form in draft.forms}:
        return True
    if not _may_contain(kind, draft.kind):
        return False
    words = name_key(candidate.name).split()
    for form in draft.forms:
        form_words = name_key(form).split()
        if kind == "person" and (core_words(candidate.name) <= core_words(form) or core_words(form) <= core_words(candidate.name)):
            return True
        if words and form_words[-len(words) :] == words:
            return True
    return False


class _ModelMentions:
    """The model actors' mentions, looked up by position; they never overlap, so their ends are in order too."""

    def __init__(self, drafts: Sequence[_ActorDraft]) -> None:
        self._spans = sorted((start, end, n) for n, draft in enumerate(drafts) for start, end in draft.mentions)
        self._starts = [start for start, _, _ in self._spans]

    def overlapping(self, start: int, end: int) -> Iterator[tuple[int, int, int]]:
        """``(start, end, draft index)`` of each model mention sharing a character with ``[start, end)``."""
        k = bisect.bisect_left(self._starts, end) - 1
        while k >= 0 and self._spans[k][1] > start:
            yield self._spans[k]
            k -= 1

    def strictly_contain(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in self.overlapping(start, end))


def _drafts_by_form(drafts: Sequence[_ActorDraft]) -> dict[str, list[int]]:
    """The positions of the drafts that have each name key among their forms."""
    by_form: dict[str, list[int]] = {}
    for n, draft in enumerate(drafts):
        for key in dict.fromkeys(name_key(form) for form in draft.forms):
            by_form.setdefault(key, []).append(n)
    return by_form


def _owner(candidate: NameCandidate, drafts: Sequence[_ActorDraft], model_mentions: _ModelMentions, by_form: dict[str, list[int]]) -> _ActorDraft | None:
    """The model actor a rule-found name stands for, on evidence (see the module docstring), or None.

    Only the actors one of its mentions overlaps or one of whose forms it is
    can be it: the first of those it stands for (looked up, not scanned for:
    a long article has thousands of names and of model actors).
    """
    touched = {n for m in candidate.mentions for *_, n in model_mentions.overlapping(m.start, m.end)}
    for n in sorted(touched.union(by_form.get(name_key(candidate.name), ()))):
        if _stands_for(candidate, drafts[n]):
            return drafts[n]
    return None


def _rule_mentions(candidate: NameCandidate, text: str, claims: TakenSpans, model_mentions: _ModelMentions) -> list[tuple[int, int]]:
    """A rule name's mentions that are free, or that lie strictly inside a model actor's mention ("ADPL" in "Frederick Fung of ADPL")."""
    return [
        (m.start, m.end)
        for m in candidate.mentions
        if text[m.start : m.end] == m.text and (not claims.overlaps(m.start, m.end) or model_mentions.strictly_contain(m.start, m.end))
    ]


def _add_rule_names(drafts: list[_ActorDraft], candidates: Sequence[NameCandidate], text: str, claims: TakenSpans) -> None:
    """Rule-found names: their mentions join the model actor they stand for, or they become actors of their own."""
    model_drafts = list(drafts)
    model_mentions = _ModelMentions(model_drafts)
    by_form = _drafts_by_form(model_drafts)
    rule_claims = TakenSpans(len(text))  # rule names never share a region among themselves
    for candidate in candidates:
        owner = _owner(candidate, model_drafts, model_mentions, by_form)
        if owner is not None:
            free = [(m.start, m.end) for m in candidate.mentions if text[m.start : m.end] == m.text and not claims.overlaps(m.start, m.end)]
            for start, end in free:
                claims.take(start, end)
            owner.mentions = sorted({*owner.mentions, *free})
            owner.role = owner.role or candidate.title
            continue
        mentions = [span for span in _rule_mentions(candidate, text, claims, model_mentions) if not rule_claims.overlaps(*span)]
        if not mentions:
            continue
        for start, end in mentions:
            claims.take(start, end)
            rule_claims.take(start, end)
        # The other forms the article uses ("Khamenei", "Mr. Pezeshkian") are the aliases.
        aliases = list(dict.fromkeys(text[s:e] for s, e in sorted(mentions) if name_key(text[s:e]) != name_key(candidate.name)))
        drafts.append(
            _ActorDraft(name=candidate.name, kind=_rule_kind(candidate), role=candidate.title, aliases=aliases, mentions=sorted(mentions), extracted_by="rules")
        )


def _check_role(draft: _ActorDraft, text: str, warnings: list[str]) -> None:
    """The model's role kept only when its words occur near the actor's mentions (anywhere, for an actor without any)."""
    around, where = (window(text, draft.mentions), "in the article near its mentions") if draft.mentions else (text, "in the article")
    backed = words_occur(draft.role or "", around)
    draft.role = backed_or(draft.role, backed=backed, fallback=None, what="Role", of=f'of "{short(draft.name, 40)}"', warnings=warnings, where=where)


def ground_actors(answers: Sequence[ActorAnswer], *, aligner: TextAligner, evidence: Evidence, lenient: bool, warnings: list[str]) -> list[Actor]:
    """Merged, mentioned, id-numbered actors: the model's first, then rule-found names it left out."""
    usable = [a for a in answers if a.name.strip()]
    drafts = [_merge_group(group) for group in _group_aliases(usable)]
    claims = TakenSpans(len(aligner.text))
    _find_mentions(drafts, aligner, claims, _RuleNames(evidence.names))
    for draft in [d for d in drafts if not d.mentions]:
        if not lenient:
            drafts.remove(draft)
        warnings.append(f'Actor "{draft.name}" is not mentioned in the article; ' + ("kept without mentions (lenient)." if lenient else "dropped."))
    for draft in drafts:
        _check_role(draft, aligner.text, warnings)
    _add_rule_names(drafts, evidence.names, aligner.text, claims)
    drafts.sort(key=lambda d: d.mentions[0][0] if d.mentions else len(aligner.text))
    ids = [f"a{n}" for n in range(1, len(drafts) + 1)]
    linker = ActorLinker((actor_id, d.forms) for actor_id, d in zip(ids, drafts))
    return [_as_actor(d, actor_id, aligner.text, affiliation=linker.link(d.affiliation, exclude=actor_id)) for actor_id, d in zip(ids, drafts)]


def _as_actor(draft: _ActorDraft, actor_id: str, text: str, *, affiliation: str | None) -> Actor:
    return Actor(
        id=actor_id,
        name=draft.name,
        kind=draft.kind,
        role=draft.role,
        affiliation=affiliation,
        aliases=draft.aliases,
        mentions=[span_of(text, start, end) for start, end in draft.mentions],
        extracted_by=draft.extracted_by,
    )
