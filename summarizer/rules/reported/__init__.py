"""Reported speech: "Iran says the US is the main obstacle", "the US is the obstacle, Iran says", "according to officials, ...".

Each finding is the reported content (source and cue excluded), its cue and
its source, resolved like a direct quote's speaker (:mod:`.speakers`). Forms
covered, within one sentence:

* ``SOURCE [aux] CUE [object] [adverbial] [that] CONTENT`` ("Smith told
  reporters on Monday that ..."), the source a name, a pronoun or a
  source noun ("the report noted", "officials said");
* ``CONTENT, SOURCE CUE.`` and ``CONTENT, CUE SOURCE.`` at the sentence end, the content
  possibly ending in quoted words ('the budget was cut and "schools will suffer," Smith said'),
  a named source possibly with an apposition ("..., said Ann Lee, the mayor.");
* ``CONTENT, SOURCE CUE, CONTENT.``: a tag inside the content, which comes in two pieces;
* ``according to SOURCE, CONTENT`` and ``CONTENT, according to SOURCE[, ...]``;
* ``SOURCE's claim/statement/warning that CONTENT``, the source a name or a possessive pronoun ("his warning that");
* ``DOCUMENT shows/found [that] CONTENT`` and ``CONTENT, DOCUMENT shows.``: what a poll, study or record finds,
  its author named in the subject ("a CNN poll", "a study by X") (:mod:`.findings`);
* ``SOURCE Says CONTENT`` on a headline line in Title Case ("Trump Says He’s Unlikely To Meet Cameron"),
  the content running to the line's end (:mod:`.headlines`).

A cue coordinated with an earlier verb ("The spokesman refused to comment but said ...") is its sentence subject's: a
name, an office ("the senator": the person last named with that title), else unnamed.

Content holding quoted words is ``partial`` (a mixed quote), else
``indirect``. A cue inside a direct quote reports someone else's words there
(nested attribution): the content stops at the quote's end and comes ``via``
the quote's speaker.

A reported question ("X asked whether CLAUSE", "X asked Y why CLAUSE") is
content from its question word on. A naming or judging verb followed soon by
quoted words is a partial quote of a named source: "X called the plan a
'disaster'", "X defended him as a 'decent man'", "X called for more 'flexibility'";
without quoted words such a verb reports an act, not words.

Speech acts whose content follows them are reported speech of a named
speaker, their content up to the end of its clause: promises ("X vowed [to
block the plan]"), requests ("X urged [the council to act]", "X called on
[Y to resign]") and accusations ("X accused [Y of lying]").

Left out on purpose: beliefs, wishes and plans ("X believes", "X wants",
"X expects"), what a person finds or shows ("Smith found that": a discovery, not words), acts on a thing rather than a proposition ("X criticized Y",
"X spoke about taxes": stances and topics, not words), passives ("X was
asked to", "X is said to be"), promises of things ("the budget promises to"),
and reported speech without a source ("it is said that"). A reader does not
call them quotes, though PolNeAR's annotators mark them as attributions.
"""

from .content import Reported
from .find import find_reported

__all__ = ["Reported", "find_reported"]
