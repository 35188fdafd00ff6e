"""The rule layer: candidate spans found in the article without a model.

Lowest first: :mod:`.lexicon` (word lists, read from ``words/``),
:mod:`.figures` (amounts), :mod:`.candidates` (the candidate types),
:mod:`.text` (paragraphs, sentences, front matter), :mod:`.name_runs` (runs
of capitalised words cleaned into name pieces), :mod:`.names` (the pieces
merged into proper names), :mod:`.speakers` (who a cue's subject is),
:mod:`.quotes` and :mod:`.reported` (quotes, reported speech and their
speakers), and :mod:`.evidence`, the
entry point (``find_evidence``, ``lead_summary``). Everything here is a pure
function of the text, never raises on odd input, and every span satisfies
``text[start:end] == span.text``.
"""

from .candidates import FigureCandidate, NameCandidate, QuoteCandidate, TextSpan
from .evidence import LEAD_SENTENCES, Evidence, find_evidence, lead_sentences, lead_summary
from .figures import FigureMatch, ParsedFigure, digits_of, find_figures, parse_figure
from .keypoints import key_sentences
from .stances import StanceCandidate
from .text import body_sentences

__all__ = [
    "LEAD_SENTENCES",
    "Evidence",
    "FigureCandidate",
    "FigureMatch",
    "NameCandidate",
    "ParsedFigure",
    "QuoteCandidate",
    "StanceCandidate",
    "TextSpan",
    "body_sentences",
    "digits_of",
    "find_evidence",
    "find_figures",
    "key_sentences",
    "lead_sentences",
    "lead_summary",
    "parse_figure",
]
