"""Names compared and linked: comparable keys of a name, and the linker from a name (speaker, holder, affiliation) to an actor id.

Titles and honorifics (the one list, ``rules/words/titles.tsv``) and a leading
article are dropped before names are compared: "Ayatollah Ali Khamenei" ~ "Ali Khamenei".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from ..rules.lexicon import NAME_TITLES
from ..schema import Actor
from .alignment import WORD, TextAligner, fold, trim

_TITLES = NAME_TITLES | {"the", "a", "an"}
_POSSESSIVE = re.compile(r"'s\b|'(?=\s|$)")


@functools.lru_cache(maxsize=1 << 16)
def name_words(name: str) -> tuple[str, ...]:
    # Cached: the same few names are compared many times while merging and linking.
    return tuple(WORD.findall(_POSSESSIVE.sub("", fold(name))))


@functools.lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """Comparable form of a name: normalised, case-folded, possessives and a leading article dropped."""
    words = name_words(name)
    return " ".join(words[1:] if words[:1] == ("the",) else words)


@functools.lru_cache(maxsize=1 << 16)
def core_words(name: str) -> frozenset[str]:
    """The words of a name without titles ("Ayatollah Ali Khamenei" -> {ali, khamenei})."""
    return frozenset(w for w in name_words(name) if w not in _TITLES)


def kinds_agree(a: str, b: str) -> bool:
    return a == b or "other" in (a, b)


class ActorLinker:
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
                key = name_key(form)
                self._by_key[key] = actor_id if self._by_key.get(key, actor_id) == actor_id else None
                core = core_words(form)
                for word in core:
                    self._with_word.setdefault(word, []).append((actor_id, core))

    @classmethod
    def of(cls, actors: Sequence[Actor]) -> ActorLinker:
        """A linker over output actors."""
        return cls((actor.id, [actor.name, *actor.aliases]) for actor in actors)

    def link(self, name: str | None, *, exclude: str | None = None) -> str | None:
        """The id of the actor ``name`` refers to, or ``None`` when none or several fit."""
        if not name or not name.strip():
            return None
        by_key = self._by_key.get(name_key(name))
        if by_key is not None and by_key != exclude:
            return by_key
        words = core_words(name)
        scores: dict[str, int] = {}
        for actor_id, core in (entry for word in words for entry in self._with_word.get(word, ())):
            if actor_id != exclude and (words <= core or core <= words):
                scores[actor_id] = max(scores.get(actor_id, 0), len(words & core))
        ranked = sorted(scores.values(), reverse=True)
        if not ranked or (len(ranked) > 1 and ranked[0] == ranked[1]):
            return None
        return max(scores, key=lambda actor_id: scores[actor_id])


def is_named(name: str | None, actor_id: str | None, aligner: TextAligner) -> bool:
    """True when ``name`` is a known actor or occurs in the article (case aside)."""
    if actor_id is not None or not name:
        return True
    return fold(trim(name)) in aligner.folded_text
