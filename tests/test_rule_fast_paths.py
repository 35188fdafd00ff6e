"""Property tests: each shortcut of the rule-found evidence finds what the plain way finds."""

from __future__ import annotations

import re
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.rules import name_runs, names
from summarizer.rules.candidates import TextSpan
from summarizer.rules.names import find_names
from summarizer.rules.reported import cues

# Bridges, capitalised words and the few things that end a run, mostly one space apart: most texts hold bridged names.
_NAME_WORDS = st.sampled_from(["of", "the", "of the", "bin", "University", "United", "Smith", "Mr.", "U.S.", "Émile", "émile", "al-Fayyadh", "said"])
_GAPS = st.sampled_from([" ", " ", " ", " ", " ", "\u00a0", ". ", ", ", "\n", "-"])


@st.composite
def _name_text(draw: st.DrawFn, gaps: st.SearchStrategy[str] = _GAPS) -> str:
    words = draw(st.lists(_NAME_WORDS, max_size=16))
    return "".join(word + draw(gaps) for word in words)


_EVERY_BRIDGE = re.compile(name_runs._NAME_TOKEN.pattern.replace(name_runs._BRIDGE_BEFORE_NAME, r"\b(?![’'\-]\w)"))


@settings(max_examples=400, deadline=None)
@given(_name_text())
def test_bridge_tokens_listed_only_before_a_name_find_the_same_names(text: str) -> None:
    fast = find_names(text)
    with patch.object(name_runs, "_NAME_TOKEN", _EVERY_BRIDGE):
        assert find_names(text) == fast


# Gaps one to four characters long, some of them a full stop and a space apart from joining.
_GAPS_OF_ANY_LENGTH = st.sampled_from([" ", "\u00a0", ". ", ".\u00a0", "  ", " . ", ".  ", ",  ", "\n\n\n", " -- "])


@settings(max_examples=400, deadline=None)
@given(_name_text(_GAPS_OF_ANY_LENGTH))
def test_tokens_further_apart_than_the_longest_gap_end_a_run_as_a_look_at_the_gap_would(text: str) -> None:
    fast = find_names(text)
    with patch.object(name_runs, "_LONGEST_GAP", len(text)):
        assert find_names(text) == fast


_SPELLINGS = st.sampled_from(["François", "Francois", "Hollande", "Hollandé", "Zoë", "Zoe", "Smith"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.lists(_SPELLINGS, min_size=1, max_size=3).map(tuple), st.integers(1, 3), max_size=6))
def test_forms_all_in_ascii_have_no_other_spelling(mentions: dict[tuple[str, ...], int]) -> None:
    forms = {words: names._Form(words, spans=[TextSpan(0, 1, "x")] * count) for words, count in mentions.items()}
    assert names._usual_spellings(forms) == names._spellings_by_accents(forms)


_CUE_PIECES = st.sampled_from(
    [
        "said",
        "Said",
        "according to",
        "According to",
        "ACCORDING TO",
        "praised",
        "Praised",
        "called on",
        "asked",
        "Asked",
        "vowed",
        "urged",
        "described",
        "Described",
        "warned of",
        "tells",
        " ",
        ", ",
        ". ",
        "\n",
        "-",
        "'",
        "1",
        "x",
        "X",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_CUE_PIECES, max_size=30).map("".join))
def test_sentence_cues_found_from_their_first_letter_are_all_cues(text: str) -> None:
    every_start = re.compile(cues._SENTENCE_CUE.pattern.replace(cues._CUE_INITIAL, "", 1))
    assert [m.span() for m in cues._SENTENCE_CUE.finditer(text)] == [m.span() for m in every_start.finditer(text)]
