"""Actors: the model's answers merged by alias, their mentions found, rule-found names added."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import get_args

from ..rules import Evidence, NameCandidate
from ..rules.text import TakenSpans
from ..schema import Actor, ActorAnswer, ActorKind, ExtractedBy
from .alignment import WORD, TextAligner
from .linking import ActorLinker, core_words, kinds_agree, name_key
from .passages import span_of


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
        for i, j in itertools.combinations(members, 2):
            if kinds_agree(answers[i].kind, answers[j].kind):
                groups.union(i, j)
    for i, core in enumerate(cores):
        sharing = set.intersection(*(with_word[w] for w in core)) if core else set()
        containers = [j for j in sharing if core < cores[j] and kinds_agree(answers[i].kind, answers[j].kind)]
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
    core = core_words(by_length[0].name)
    forms = [n.strip() for a in by_length for n in (a.name, *a.aliases) if n.strip()]
    name = max((f for f in forms if core_words(f) >= core), key=len)
    kinds = Counter(a.kind for a in group if a.kind != "other")
    aliases: dict[str, str] = {}
    for alias in forms:
        if name_key(alias) not in aliases and name_key(alias) != name_key(name):
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
        taken = {name_key(n) for n in (other.name, *other.aliases)}
        if other is not draft and (last in taken or (other.kind == "person" and last in core_words(other.name))):
            return None
    return words[-1]


def _surface_forms(draft: _ActorDraft, surname: str | None) -> list[str]:
    forms = [draft.name, *draft.aliases, *([surname] if surname else [])]
    # Aliases such as "the Emir" also open sentences: "The Emir said ...".
    return forms + [f[0].upper() + f[1:] for f in forms if f[:1].islower()]


def _find_mentions(drafts: list[_ActorDraft], aligner: TextAligner, claims: TakenSpans) -> None:
    """Fill each draft's mentions; a found surname joins the aliases.

    Text regions already taken by a mention are ``claims``; longer names claim theirs first.
    """
    surnames = [_surname(d, drafts) for d in drafts]
    forms = sorted(
        ((form, n) for n, d in enumerate(drafts) for form in _surface_forms(d, surnames[n])),
        key=lambda item: -len(item[0]),
    )
    for form, n in forms:
        for hit in aligner.find_all(form):
            if not claims.overlaps(hit.start, hit.end):
                claims.take(hit.start, hit.end)
                drafts[n].mentions.append((hit.start, hit.end))
    for draft, surname in zip(drafts, surnames):
        draft.mentions.sort()
        spoken = {aligner.text[s:e] for s, e in draft.mentions}
        if surname and surname in spoken and surname not in draft.aliases:
            draft.aliases.append(surname)


_ACTOR_KINDS = frozenset(get_args(ActorKind))


def _rule_actor(candidate: NameCandidate, text: str, claims: TakenSpans) -> _ActorDraft | None:
    """A rule-found name as an actor, with the mentions no other actor claimed."""
    mentions = [(m.start, m.end) for m in candidate.mentions if text[m.start : m.end] == m.text and not claims.overlaps(m.start, m.end)]
    if not mentions:
        return None
    for start, end in mentions:
        claims.take(start, end)
    kind = candidate.kind if candidate.kind in _ACTOR_KINDS else "other"
    # The other forms the article uses ("Khamenei", "Mr. Pezeshkian") are the aliases.
    aliases = list(dict.fromkeys(text[s:e] for s, e in sorted(mentions) if name_key(text[s:e]) != name_key(candidate.name)))
    return _ActorDraft(name=candidate.name, kind=kind, role=candidate.title, aliases=aliases, mentions=sorted(mentions), extracted_by="rules")


def ground_actors(answers: Sequence[ActorAnswer], *, aligner: TextAligner, evidence: Evidence, lenient: bool, warnings: list[str]) -> list[Actor]:
    """Merged, mentioned, id-numbered actors: the model's first, then rule-found names it left out."""
    usable = [a for a in answers if a.name.strip()]
    drafts = [_merge_group(group) for group in _group_aliases(usable)]
    claims = TakenSpans(len(aligner.text))
    _find_mentions(drafts, aligner, claims)
    for draft in [d for d in drafts if not d.mentions]:
        if not lenient:
            drafts.remove(draft)
        warnings.append(f'Actor "{draft.name}" is not mentioned in the article; ' + ("kept without mentions (lenient)." if lenient else "dropped."))
    model_linker = ActorLinker((str(n), [d.name, *d.aliases]) for n, d in enumerate(drafts))
    for candidate in evidence.names:
        if model_linker.link(candidate.name) is None:
            rule_draft = _rule_actor(candidate, aligner.text, claims)
            drafts.extend([rule_draft] if rule_draft else [])
    drafts.sort(key=lambda d: d.mentions[0][0] if d.mentions else len(aligner.text))
    ids = [f"a{n}" for n in range(1, len(drafts) + 1)]
    linker = ActorLinker((actor_id, [d.name, *d.aliases]) for actor_id, d in zip(ids, drafts))
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
