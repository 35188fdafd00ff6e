"""Deterministic figure finding and normalisation.

A *figure* is an amount a reader could sort or sum: money ("NZ$26 million"),
a percentage ("forty percent"), a count of something ("3,500 troops") or a
measure ("20 km", "48 hours"). This module finds them in an article with their
character offsets and normalises them (scale applied, ISO 4217 currency code,
unit word, hedged or not). It serves two callers:

* ``evidence`` lists the rule-found figures as numbered candidates;
* ``grounding`` checks a model's figure against the article's own text
  (``digits_of``) and re-reads the article's wording (``parse_figure``), so
  the article's number wins over the model's.

Design choices, all in favour of precision:

* A number is a figure only when something says what it counts: a currency,
  a percent sign or word, a multiplier ("2 million"), a unit, or a plural noun
  within four words ("189 other educational galleries"). Bare numbers
  ("at least 107 killed") are left out.
* Dates, years, times, ordinals, numbers glued to words ("IE6", "STS-1",
  "COVID-19") and numbers that continue a name ("Internet Explorer 6",
  "Boeing 747") are not figures.
* Number words ("six", "forty") count only with a multiplier ("five thousand
  votes"), a percent ("forty percent") or a currency ("six dollars"): "two
  weeks" or "three points" are real amounts, but in news they are mostly
  noise for a reader who wants figures to sort and sum (the gold set leaves
  them out too). "a thousand" needs a noun after it ("a thousand people").
  Vague plurals ("hundreds of", "dozens of") are left out: they carry no value.
* A hedge before the amount ("about", "more than") sets ``approximate`` but is
  not part of the span, so the span is the amount as written ("500 miles").

Hand-written tables and regexes were measured against ``price-parser`` and
``number-parser``: neither returns offsets, and ``price-parser`` ignores scale
words ("$6 billion" -> 6), so neither was worth the dependency.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..schema import FigureKind
from .lexicon import (
    CAPITALISED_OPENERS,
    CURRENCY_BY_ADJECTIVE,
    CURRENCY_BY_SYMBOL,
    CURRENCY_BY_WORD,
    CURRENCY_CODES,
    HEDGES,
    IRREGULAR_PLURALS,
    NOT_PLURAL,
    PHRASE_BREAKERS,
    word_alternation,
)

__all__ = ["FigureMatch", "ParsedFigure", "digits_of", "find_figures", "parse_figure"]


@dataclass(frozen=True)
class ParsedFigure:
    """A normalised amount.

    ``value`` has its scale applied ("$6 billion" -> 6e9); for a range it is the
    low end and ``high`` the upper end. ``unit`` is an ISO 4217 code for money,
    ``"%"`` for percent, else the unit word or counted noun as written.
    """

    value: float | None
    high: float | None
    unit: str | None
    kind: FigureKind
    approximate: bool


@dataclass(frozen=True)
class FigureMatch:
    """A figure found in a text: ``text == article[start:end]``."""

    start: int
    end: int
    text: str
    figure: ParsedFigure


# --------------------------------------------------------------------------
# Tables (the word lists are data: see lexicon.py and words/)
# --------------------------------------------------------------------------

_SCALE = {
    "hundred": 1e2,
    "thousand": 1e3,
    "k": 1e3,
    "lakh": 1e5,
    "crore": 1e7,
    "million": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "trn": 1e12,
    "dozen": 12.0,
}
_SMALL_NUMBERS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_NUMBER_WORDS = {word: float(n) for n, word in enumerate(_SMALL_NUMBERS)}
_NUMBER_WORDS.update({word: float(20 + 10 * n) for n, word in enumerate(_TENS)})
_NUMBER_WORDS.update({"a": 1.0, "an": 1.0, "half a": 0.5, "half an": 0.5})

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
]
# Compounds of irregular plurals: "schoolchildren", "gunmen", "spokeswomen".
# The "men" endings are listed by the letter before them so that "specimen",
# "abdomen" and "regimen" stay singular.
_IRREGULAR_PLURAL_ENDINGS = ("children", "people", "women", "emen", "rmen", "nmen", "smen")
# Prepositions and determiners that introduce years: "in 2015 elections".
_YEAR_INTRODUCERS = frozenset(
    ["in", "of", "the", "since", "until", "till", "by", "from", "to", "and", "between", "during", "before", "after", "through", "its", "their", "this", "that"]
)

_DURATION_UNITS = r"seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centur(?:y|ies)|millennia"
_UNIT_WORDS = (
    r"kilomet(?:er|re)s?|centimet(?:er|re)s?|millimet(?:er|re)s?|met(?:er|re)s?|"
    r"miles?|nautical\ miles?|feet|foot|inch(?:es)?|yards?|hectares?|acres?|"
    r"kilogram(?:me)?s?|grams?|tonnes?|tons?|ounces?|pounds?|litres?|liters?|gallons?|barrels?|"
    r"megawatts?|gigawatts?|kilowatts?|degrees?(?:\ (?:Celsius|Fahrenheit|C|F))?|knots|"
    r"calories|" + _DURATION_UNITS
)
_UNIT_ABBREVIATIONS = r"km²|m²|km/h|kph|mph|km|cm|mm|m|ft|kg|lbs?|oz|ml|ha|MW|GW|kW|kWh|MWh|GWh|TWh|°C|°F|°"


def _any_case(words: Iterable[str]) -> list[str]:
    """``words`` in lower, Capitalised and UPPER case.

    Spelled out rather than ``(?i:...)`` so the trie keeps ``re``'s fast
    literal branch test.
    """
    return [form for word in words for form in (word.lower(), word.capitalize(), word.upper())]


# --------------------------------------------------------------------------
# Regexes (compiled once)
# --------------------------------------------------------------------------

_SPACE = r"[ \u00a0]"
_CURRENCY_PREFIX = rf"(?:{word_alternation(CURRENCY_BY_SYMBOL)}|(?:{word_alternation(CURRENCY_CODES)}){_SPACE})"
# Thousands need exactly three digits per group, so "1,5" or "1,00,000" never
# read as one number; the lookaheads refuse ordinals ("30th") and decimals or
# groups the pattern could not take whole.
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![.,]?\d)(?!(?:st|nd|rd|th)\b)"
_WORD_NUMBER = (
    rf"(?:{word_alternation(_any_case(_TENS))})(?:[- ](?:{word_alternation(_any_case(_SMALL_NUMBERS[1:10]))}))?"
    rf"|{word_alternation(_any_case(_SMALL_NUMBERS))}"
)
_SCALE_WORD = r"(?:hundred|thousand|million|billion|trillion|lakh|crore|dozen)"
# One or more scale words ("two hundred thousand", "$5-million"); the
# abbreviations as in "€1.2bn" or "5 mn"; single letters only after a currency
# symbol ("£300m", "$5k", "$2b") because "300m" alone is metres.
_SCALE_RUN = (
    rf"(?:(?:{_SPACE}|-)?(?i:{_SCALE_WORD})(?:{_SPACE}(?i:{_SCALE_WORD}))*"
    rf"|{_SPACE}?(?:bn|mn|mln|tn|trn|(?(cur)(?:m|k|b)|(?!))))(?![\w])"
)
# What an amount can start with. Checked first, it lets the scan leave most
# word starts after one or two characters (about twice as fast on news text).
_AMOUNT_START = word_alternation(
    _any_case([*_SMALL_NUMBERS, *_TENS, "a", "an", "half"]) + [*CURRENCY_CODES, *(symbol for symbol in CURRENCY_BY_SYMBOL if symbol[0].isalpha())]
)
_AMOUNT = re.compile(
    rf"""
    (?<![\w.,/:#+$€£¥-])                         # not glued to a word or number: IE6, STS-1, 3:30
    (?=[-−0-9$€£¥₹₩₽₺₪₦₱₫฿]|{_AMOUNT_START})
    (?P<sign>[-−](?=[\d$€£¥]))?
    (?:(?P<cur>{_CURRENCY_PREFIX}){_SPACE}?)?
    (?:
        (?P<num>{_DIGITS})
      | (?P<word>\b(?:{_WORD_NUMBER})\b)
      | (?P<article>\b(?:[Hh]alf{_SPACE}an?|[Aa]n?)){_SPACE}(?=(?i:{_SCALE_WORD})\b)
    )
    (?P<scale>{_SCALE_RUN})?
    (?:                                          # a range: "$6-7 billion", "10 to 15 km", "8–10 years"
        (?P<sep>{_SPACE}*[-–—]{_SPACE}*|{_SPACE}to{_SPACE})
        (?:{_CURRENCY_PREFIX}{_SPACE}?)?
        (?P<sign2>[-−])?
        (?P<num2>{_DIGITS}|\b(?:{_WORD_NUMBER})\b)
        (?P<scale2>{_SCALE_RUN})?
    )?
    """,
    re.VERBOSE,
)
_PERCENT = re.compile(
    rf"{_SPACE}?%|{_SPACE}(?i:(?P<points>percentage{_SPACE}points?|per[ -]?cent(?:age)?{_SPACE}points?)"
    rf"|per{_SPACE}?cent|per-cent|pct)\b"
)
_CURRENCY_AFTER = re.compile(
    rf"{_SPACE}(?:(?P<adj>(?i:{word_alternation(CURRENCY_BY_ADJECTIVE)})){_SPACE})?"
    rf"(?P<word>(?i:{word_alternation(CURRENCY_BY_WORD)})s?(?:{_SPACE}sterling)?)\b"
    rf"|{_SPACE}(?P<code>{word_alternation(CURRENCY_CODES)})\b"
)
_UNIT = re.compile(rf"{_SPACE}?(?P<unit>(?:(?i:square|sq\.?|cubic){_SPACE})?(?:(?i:{_UNIT_WORDS})|{_UNIT_ABBREVIATIONS}))(?![\w²])")
_DURATION = re.compile(rf"(?i:{_DURATION_UNITS})")
_WORD = re.compile(rf"{_SPACE}([A-Za-z][A-Za-z'’-]*)")
_HEDGE_BEFORE = re.compile(rf"(?:\b(?i:{word_alternation(HEDGES)})|~){_SPACE}*\Z")
_WORD_BEFORE = re.compile(rf"\b([A-Za-z][A-Za-z.]*){_SPACE}\Z")
_MONTH_AFTER = re.compile(rf"{_SPACE}(?:{word_alternation(_MONTHS)})\b")
_ADJECTIVAL_AFTER = re.compile(r"-[A-Za-z]")
_CLOCK_AFTER = re.compile(rf":\d|{_SPACE}?[ap]\.?m\b")  # "3:30", "10 am", "3.30pm"
_NOT_DIGIT = re.compile(r"[^0-9]")

_LOOKBEHIND = 40  # characters of context read before an amount (hedges, names, months)
_MAX_NOUN_WORDS = 4  # the counted noun must come within this many words, as in the gold set


# --------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------


def parse_figure(text: str) -> ParsedFigure | None:
    """Parse a figure phrase as written, e.g. ``"more than $6 billion"``.

    Reads the first amount in ``text`` with whatever follows it (currency word,
    percent, unit, counted noun); a leading hedge sets ``approximate``. Unlike
    ``find_figures`` it does not judge whether the number is a date or a name.
    Returns None when ``text`` holds no number.
    """
    match = _AMOUNT.search(text)
    if match is None:
        return None
    read = _read_amount(text, match, strict=False)
    return read.figure if read is not None else None


def find_figures(text: str) -> list[FigureMatch]:
    """Find every figure in an article.

    Returns the matches in text order, non-overlapping, each with
    ``text[start:end] == match.text``. Hedges ("about") are not in the span but
    set ``figure.approximate``.
    """
    found: list[FigureMatch] = []
    last_end = 0
    for match in _AMOUNT.finditer(text):
        if match.start() < last_end:
            continue
        read = _read_amount(text, match, strict=True)
        if read is not None:
            found.append(read)
            last_end = read.end
    return found


def digits_of(text: str) -> str:
    """The ASCII digits of ``text`` in order, e.g. ``"$6,000"`` -> ``"6000"``.

    Grounding checks that a model's figure occurs in the article by comparing
    these digit strings; returns ``""`` when there are none ("six billion").
    """
    return _NOT_DIGIT.sub("", text)


# --------------------------------------------------------------------------
# Reading one amount
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tail:
    """What follows the number and says what it counts."""

    end: int
    kind: FigureKind
    unit: str | None


def _read_amount(text: str, match: re.Match[str], *, strict: bool) -> FigureMatch | None:
    """Turn one ``_AMOUNT`` match into a figure, or None when it is not one.

    ``strict`` applies the article-reading filters (dates, years, names,
    bare numbers); ``parse_figure`` reads leniently.
    """
    value, high, amount_end = _values(match)
    has_scale = bool(match.group("scale") or (high is not None and match.group("scale2")))
    currency = _currency_of_symbol(match.group("cur"))
    tail = _tail(text, amount_end, currency=currency, has_scale=has_scale)
    if strict and not _plausible(text, match, tail, amount_end=amount_end, has_scale=has_scale):
        return None
    if tail is None:
        kind: FigureKind = "count" if value.is_integer() else "other"
        tail = _Tail(amount_end, kind, None)
    start = match.start()
    figure = ParsedFigure(
        value=value,
        high=high,
        unit=tail.unit,
        kind=tail.kind,
        approximate=_HEDGE_BEFORE.search(text, max(0, start - _LOOKBEHIND), start) is not None,
    )
    return FigureMatch(start=start, end=tail.end, text=text[start : tail.end], figure=figure)


def _values(match: re.Match[str]) -> tuple[float, float | None, int]:
    """Low value, high value (ranges only) and where the amount ends.

    A range whose upper end is not above its lower end ("1–0", a score) is
    read as its first number only.
    """
    value = _number(match.group("num") or match.group("word") or match.group("article"))
    scale, scale2 = _scale(match.group("scale")), _scale(match.group("scale2"))
    if match.group("sign"):
        value = -value
    if match.group("num2") is None:
        return value * scale, None, match.end()
    high = _number(match.group("num2"))
    if match.group("sign2"):
        high = -high
    # "$6-7 billion": the second number's scale applies to both ends.
    low_scale = scale if match.group("scale") else scale2
    low, high = value * low_scale, high * (scale2 if match.group("scale2") else scale)
    if high <= low:
        return value * scale, None, match.start("sep")
    return low, high, match.end()


def _number(written: str) -> float:
    """The value of a number as written in digits or words."""
    cleaned = written.replace(",", "").lower()
    if cleaned[0].isdigit():
        return float(cleaned)
    parts = cleaned.replace("-", " ").split()
    joined = " ".join(parts)
    if joined in _NUMBER_WORDS:  # "half a", "a", "forty"
        return _NUMBER_WORDS[joined]
    return sum(_NUMBER_WORDS[part] for part in parts)  # "twenty-five"


def _scale(written: str | None) -> float:
    """The product of the scale words in ``written`` ("hundred thousand" -> 1e5)."""
    factor = 1.0
    for word in (written or "").replace("-", " ").split():
        factor *= _SCALE[word.lower()]
    return factor


def _currency_of_symbol(symbol: str | None) -> str | None:
    """ISO code of a currency prefix ("NZ$" -> "NZD", "USD " -> "USD")."""
    if symbol is None:
        return None
    return CURRENCY_BY_SYMBOL.get(symbol) or symbol.strip()


def _tail(text: str, pos: int, *, currency: str | None, has_scale: bool) -> _Tail | None:
    """Read what follows an amount at ``pos``: percent, currency, unit or noun."""
    if currency is not None:
        return _Tail(pos, "money", currency)
    percent = _PERCENT.match(text, pos)
    if percent is not None:
        unit = "percentage points" if percent.group("points") else "%"
        return _Tail(percent.end(), "percent", unit)
    money = _CURRENCY_AFTER.match(text, pos)
    if money is not None and _is_money_word(money, has_scale=has_scale):
        return _Tail(money.end(), "money", _currency_of_word(money))
    unit_match = _UNIT.match(text, pos)
    if unit_match is not None:
        return _Tail(unit_match.end(), "measure", " ".join(unit_match.group("unit").split()))
    return _counted_noun(text, pos)


def _is_money_word(match: re.Match[str], *, has_scale: bool) -> bool:
    """Whether a currency word after a number really means money.

    "pounds" and "won" are also a weight and a verb: they count as money only
    with a scale ("5 million pounds"), "sterling" or a national adjective.
    """
    if match.group("code"):
        return True
    word = match.group("word").lower()
    if word.startswith(("pound", "won")):
        return has_scale or bool(match.group("adj")) or word.endswith("sterling")
    return True


def _currency_of_word(match: re.Match[str]) -> str:
    """ISO code for a currency written after the number ("Australian dollars" -> "AUD")."""
    if match.group("code"):
        return match.group("code")
    adjective = match.group("adj")
    if adjective:
        return CURRENCY_BY_ADJECTIVE[" ".join(adjective.lower().split())]
    word = match.group("word").lower().split()[0]
    return CURRENCY_BY_WORD.get(word) or CURRENCY_BY_WORD[word.removesuffix("s")]


def _counted_noun(text: str, pos: int) -> _Tail | None:
    """The plural noun an amount counts, within four words ("28,000 Andy Warhol photographs")."""
    end = pos
    for _ in range(_MAX_NOUN_WORDS):
        word_match = _WORD.match(text, end)
        if word_match is None:
            return None
        word = word_match.group(1)
        lowered = word.lower()
        if lowered in PHRASE_BREAKERS or lowered.endswith(("ing", "ly", "'s", "’s")):
            return None
        end = word_match.end()
        if _is_plural(lowered):
            kind: FigureKind = "measure" if _DURATION.fullmatch(lowered) else "count"
            return _Tail(end, kind, " ".join(text[pos:end].split()))
    return None


def _is_plural(word: str) -> bool:
    """Whether a lower-cased word looks like a plural noun."""
    if word in IRREGULAR_PLURALS or word.endswith(_IRREGULAR_PLURAL_ENDINGS):
        return True
    if word in NOT_PLURAL or word.endswith(("ss", "us", "is", "ous")):
        return False
    return len(word) > 2 and word.endswith("s")


def _plausible(text: str, match: re.Match[str], tail: _Tail | None, *, amount_end: int, has_scale: bool) -> bool:
    """Article filters: refuse bare numbers, dates, years, clock times and numbers inside names."""
    if tail is not None and tail.kind in ("money", "percent"):
        return True  # even as a modifier: "a $50,000-a-year job"
    if _ADJECTIVAL_AFTER.match(text, amount_end):
        return False  # "six-member", "48-hour", "a billion-year contract", "18-fold"
    if match.group("word") and not has_scale:
        return False  # "two weeks": see the module docstring
    if tail is None and (not has_scale or match.group("article")):
        return False  # bare "107", "a thousand"
    start = match.start()
    if _CLOCK_AFTER.match(text, amount_end) or _MONTH_AFTER.match(text, amount_end):
        return False
    previous = _WORD_BEFORE.search(text, max(0, start - _LOOKBEHIND), start)
    previous_word = previous.group(1).rstrip(".") if previous else ""
    if previous_word in _MONTHS:
        return False
    # "Internet Explorer 6", "Boeing 747 jets": a capitalised word right before
    # the number makes it part of a name, unless it opens the sentence.
    if previous_word[:1].isupper() and previous_word.lower() not in CAPITALISED_OPENERS:
        return False
    number = match.group("num")
    if number and not has_scale and _looks_like_year(number):
        return tail is not None and tail.kind == "count" and previous_word.lower() not in _YEAR_INTRODUCERS
    return True


def _looks_like_year(number: str) -> bool:
    """A four-digit number without separators between 1900 and 2099."""
    return len(number) == 4 and number.isdigit() and 1900 <= int(number) <= 2099
