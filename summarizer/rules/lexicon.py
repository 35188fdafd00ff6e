"""The word lists the rules consult, read once from the data files in ``words/``.

Function words, titles and honorifics, organisation and outlet words,
countries and their aliases, demonyms, groups, places, role nouns and given
names are data: edited more often than the rules that read them ("add a
country"), and reviewed as plain lists. Each ``.txt`` file holds one entry a
line; ``.tsv`` files hold tab-separated columns; lines starting with ``#`` are
comments. Sets built from other sets stay here, as code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import resources

_WORDS = resources.files(__package__) / "words"


def _rows(name: str) -> list[list[str]]:
    lines = (_WORDS / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def _words(name: str) -> frozenset[str]:
    return frozenset(row[0] for row in _rows(f"{name}.txt"))


def _titles(*kinds: str) -> frozenset[str]:
    return frozenset(word for word, kind in _rows("titles.tsv") if kind in kinds)


ABBREVIATIONS = _words("abbreviations")
SENTENCE_STARTERS = _words("sentence_starters")
FUNCTION_WORDS = _words("function_words")
VESSEL_PREFIXES = _words("vessel_prefixes")
NOT_NAMES = _words("not_names")
NOT_ACTOR_HEADS = _words("not_actor_heads")
COMPOUND_TAILS = _words("compound_tails")
STANCE_PREFIXES = _words("stance_prefixes")
CAPTION_LABELS = _words("caption_labels")
NOT_SPEAKER_LABELS = frozenset(word.casefold() for word in _words("not_speaker_labels"))
"""Labels opening a line before a colon that name no speaker ("SYSTEM:", "Photo:", "Editor's note:"), case-folded."""

COURTESY = _titles("courtesy")
"""Courtesy titles ("Mr", "Dr"): dropped from a name, but a cue that it is a person's."""
HONORIFICS = _titles("honorific")
"""Honorifics ("Ayatollah", "Sheikh"): a person's name starts at them."""
TITLE_HEADS = _titles("office")
"""Offices ("President", "Minister"): a role title before a name."""
NAME_TITLES = frozenset(word.casefold() for word in _titles("courtesy", "honorific", "office", "prefix"))
"""Every title and honorific, case-folded: dropped when two names are compared ("Ayatollah Ali Khamenei" ~ "Ali Khamenei")."""
GIVEN_NAME_GENDERS = {name: gender for name, gender in _rows("given_name_genders.tsv")}
"""Given names borne by one sex at least ten times in eleven ("Hillary": female), for he/she agreement."""
LEADING_FUNCTION_WORDS = FUNCTION_WORDS - COURTESY
"""Stripped from a run's start; "Mr" stays as a person cue."""

TITLE_MODIFIERS = _words("title_modifiers")
TITLE_OBJECT_WORDS = _words("title_object_words")
PRESS_WORDS = _words("press_words")
ORGANISATION_WORDS = PRESS_WORDS | _words("organisation_words")
ORGANISATION_CONNECTOR_HEADS = ORGANISATION_WORDS | _words("organisation_connector_heads")
OUTLET_WORDS = PRESS_WORDS | _words("outlets")
COUNTRIES = _words("countries")
COUNTRY_ALIASES = {alias: country for alias, country in _rows("country_aliases.tsv")}
DEMONYMS = _words("demonyms")
GROUP_NAMES = _words("group_names")
PLACES = _words("places")
COMPASS = _words("compass")
ROLE_NOUNS = _words("role_nouns")
BODY_NOUNS = _words("body_nouns")
PERSON_ROLES = ROLE_NOUNS | {title.lower() for title in TITLE_HEADS} | {"head", "chief", "deputy", "aide", "adviser", "advisor"}
"""Lower-case nouns naming a person's role: "X, the head of ...", "campaign spokesman X"."""
TITLE_WORDS = PERSON_ROLES | _words("title_gap_words")
"""Lower-case words of a title before the person it leads to ("Lopez senior communications adviser Paul Grant")."""
GIVEN_NAMES = _words("given_names")
PLACE_HEADS = _words("place_heads")
ORGANISATION_NAMES = _words("organisation_names")

# Reported speech: verbs of speech, nouns of speech ("X's claim that"), and nouns that speak ("the report said").
REPORTING_VERBS = _words("reporting_verbs")
SPEECH_NOUNS = _words("speech_nouns")
SOURCE_BODIES = {noun: kind for noun, kind in _rows("source_bodies.tsv")}
SOURCE_NOUNS = _words("source_nouns") | frozenset(SOURCE_BODIES)

# Stances: verbs and nouns that take a side, characterising words, and capitals that stand for their country.
STANCE_VERBS = {word: polarity for word, polarity in _rows("stance_verbs.tsv")}
STANCE_NOUNS = {word: polarity for word, polarity in _rows("stance_nouns.tsv")}
CHARACTERISATIONS = {word: polarity for word, polarity in _rows("characterisations.tsv")}
CAPITALS = {capital: country for capital, country in _rows("capitals.tsv")}

# Figures: currencies, hedges and the words that tell a counted noun.
_CURRENCIES = _rows("currencies.tsv")
CURRENCY_BY_SYMBOL = {form: code for kind, form, code in _CURRENCIES if kind == "symbol"}
CURRENCY_BY_WORD = {form: code for kind, form, code in _CURRENCIES if kind == "word"}
CURRENCY_BY_ADJECTIVE = {form: code for kind, form, code in _CURRENCIES if kind == "adjective"}
CURRENCY_CODES = _words("currency_codes")
HEDGES = _words("hedges")
IRREGULAR_PLURALS = _words("irregular_plurals")
NOT_PLURAL = _words("not_plural")
PHRASE_BREAKERS = _words("phrase_breakers")
CAPITALISED_OPENERS = _words("capitalised_openers")


# --------------------------------------------------------------------------
# Word lists as patterns
# --------------------------------------------------------------------------

_Trie = dict[str, "_Trie"]  # one character per level; "" marks the end of a word


def word_alternation(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, the longest where several fit.

    The words are factored into a trie ("t(?:en|w(?:elve|enty|o))") because
    Python's ``re`` tries a flat alternation branch by branch at every position
    of the text: on news text the trie form is about five times faster.
    """
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # end-of-word marker
    return _trie_pattern(trie)


def _trie_pattern(node: _Trie) -> str:
    """The regex for one trie node: its branches, optional when a word ends here."""
    branches = [re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    if "" in node:
        return "(?:" + "|".join(branches) + ")?"
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
