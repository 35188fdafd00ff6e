"""Entities: the actors of many articles resolved to the people and bodies they name.

Names are compared by their normalised form (:func:`summarizer.evaluate.normalise_name`: case,
accents, titles, possessives and punctuation aside). Five rules, each deterministic, so the
same corpus always gives the same entities and ids, whatever the order of its articles:

1. **Same name, compatible kind.** Actors whose names normalise alike are one entity. ``other``
   says the kind is unknown (or a place): such actors join the name's most frequent specific
   kind; two specific kinds under one name (a country and a person) stay apart.
2. **A one-word name in an article with its full name** ("Hillary" beside "Hillary Clinton")
   is that person, when exactly one person of the article has it as last name word, or as
   first name word when it is a given name (from the rules' word list).
   This is decided per article, as the actor is stored (its ``match_key``).
3. **One word too many in front** ("Republican Donald Trump", "Crooked Hillary Clinton", as
   the rules sometimes take a name) is the person the rest of the name names, unless that
   word is a given name ("Mary Ann Smith" is not "Ann Smith").
4. **Middle names and initials.** A person named in three or more words ("Donald J. Trump",
   "Hillary Rodham Clinton") is the person named by the first and last of them, when that
   name occurs and no other full name shortens to it ("George W. Bush" and "George H. W. Bush"
   both would: neither joins "George Bush").
5. **A one-word person across articles** ("Obama" in an article that never says "Barack")
   is the person whose actors list that word as an alias, when one person takes at least
   :data:`DOMINANT_ALIAS_SHARE` of those uses over the corpus; otherwise it stays apart.
   Only a one-word name that is a person's somewhere: "Washington", a place, never joins
   "George Washington".

An entity's id is a hash of its kind and normalised name, so a re-export agrees with the last
one. Rules 1, 3, 4 and 5 run in SQL (``resolve.sql``) over the whole database after each export,
so memory stays bounded however many articles it holds.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from typing import Final

from ..evaluate import normalise_name
from ..rules.lexicon import GIVEN_NAMES
from ..schema import Actor
from .sql import run_script

__all__ = ["DOMINANT_ALIAS_SHARE", "entity_key", "match_keys", "name_key", "resolve_entities"]

DOMINANT_ALIAS_SHARE: Final = 0.75
"""Share of a one-word name's alias uses that one person must take for rule 5 to merge them."""

_GIVEN_NAMES = frozenset(name.casefold() for name in GIVEN_NAMES)

_SHORT_FORM_KINDS = ("person", "other")
"""Kinds a one-word actor may have to be matched by rule 2 (an organisation named "Hillary" is not her)."""


def name_key(name: str) -> str:
    """The normalised name actors are compared by (the name itself, case-folded, when nothing is left)."""
    return normalise_name(name) or " ".join(name.casefold().split())


def entity_key(kind: str, key: str) -> str:
    """The entity id of the name ``key`` of ``kind``: the first 16 hex digits of a SHA-256."""
    return hashlib.sha256(f"{kind}\x1f{key}".encode()).hexdigest()[:16]


def match_keys(actors: Sequence[Actor], keys: Sequence[str]) -> list[str]:
    """The key each actor of one article is matched by (rule 2): its own ``keys[i]``, or for a
    one-word name the full name of the one person in the article whose last word, or first word
    and a given name, it is."""
    full_names: dict[str, set[str]] = {}
    for actor, key in zip(actors, keys):
        words = key.split()
        if actor.kind == "person" and len(words) > 1:
            # A first word counts only when it is a given name: "Vermont" is not "Vermont Democrats",
            # whatever kind the rules gave those.
            for word in {words[-1], *([words[0]] if words[0] in _GIVEN_NAMES else [])}:
                full_names.setdefault(word, set()).add(key)
    matched = []
    for actor, key in zip(actors, keys):
        owners = full_names.get(key, set()) if actor.kind in _SHORT_FORM_KINDS and " " not in key else set()
        matched.append(next(iter(owners)) if len(owners) == 1 else key)
    return matched


def _first_and_last_word(key: str) -> str:
    words = key.split()
    return f"{words[0]} {words[-1]}"


def _word_count(key: str) -> int:
    return len(key.split())


def _first_word(key: str) -> str:
    return key.split(" ", 1)[0]


def _without_first_word(key: str) -> str:
    return key.split(" ", 1)[-1]


def _is_given_name(word: str) -> bool:
    return word in _GIVEN_NAMES


def resolve_entities(connection: sqlite3.Connection) -> None:
    """Derive ``entities`` again from every actor in the database, and point actors, quotes and stances at them."""
    connection.create_function("entity_key", 2, entity_key, deterministic=True)
    connection.create_function("first_and_last_word", 1, _first_and_last_word, deterministic=True)
    connection.create_function("word_count", 1, _word_count, deterministic=True)
    connection.create_function("first_word", 1, _first_word, deterministic=True)
    connection.create_function("without_first_word", 1, _without_first_word, deterministic=True)
    connection.create_function("is_given_name", 1, _is_given_name, deterministic=True)
    run_script(connection, "resolve.sql", {"share": DOMINANT_ALIAS_SHARE})
