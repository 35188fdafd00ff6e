"""Grounding: locate the model's answer in the article and build the output items.

The model answers without offsets (``schema.DigestAnswer``). This module finds
every quote, figure, actor mention and stance evidence in the article and
returns items whose ``text`` is the article's own span, so that
``text[start:end] == item.text`` always holds for grounded items. What cannot
be found is dropped with a warning (or kept as ``unmatched`` in lenient mode);
nothing is ever passed off as found.

Finding a string (exact, normalised, fuzzy) is :mod:`.alignment`'s
job; when the match is not exact, the model's wording is kept as
``model_text``. On top of alignment, the model's text is held to stricter rules:

* a quote or stance evidence needs ``MIN_PASSAGE_WORDS`` words, or must
  be exactly a rule quote's text (or its ref), to be grounded at all;
* a quote takes a rule quote's span only when it covers a substantial part of
  it (``_ADOPT_SHARE`` in :mod:`.quotes`); a fragment stays its own span and the rule quote
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

Modules: :mod:`.alignment` (where a string is), :mod:`.passages` (quote-like
passages, whole or in pieces), :mod:`.linking` (names to actor ids), one module
per item kind (:mod:`.actors`, :mod:`.quotes`, :mod:`.figures`,
:mod:`.stances`), and :mod:`.digest` (the entry points).
"""

from .alignment import FUZZY_MIN_WORDS, FUZZY_THRESHOLD, Alignment, TextAligner
from .digest import AnswerOrigins, GroundedDigest, check_answer, ground
from .summary import CheckedSummary, checked_summary

__all__ = [
    "FUZZY_MIN_WORDS",
    "FUZZY_THRESHOLD",
    "Alignment",
    "AnswerOrigins",
    "CheckedSummary",
    "GroundedDigest",
    "TextAligner",
    "check_answer",
    "checked_summary",
    "ground",
]
