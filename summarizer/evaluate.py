"""Measure extraction quality against gold data, field by field.

``load_gold`` reads gold JSONL, ``load_predictions`` reads summarizer output,
``score`` compares them and ``format_table`` prints the result. Scores are
micro-averaged: true positives, false positives and false negatives are summed
over all articles, then precision, recall and F1 are computed once.

Fields and matching rules (each gold item is matched to at most one predicted
item and the other way round; candidate pairs are taken greedily, best score
first, ties going to the earlier gold item, then the earlier prediction):

``actors``
    Names are normalised: NFKD accents removed, casefolded, a trailing
    parenthesised note dropped ("John Baird (Canadian politician)"), a
    possessive 's dropped, punctuation turned into spaces, and leading titles
    and articles ("President", "Dr", "the", ...) removed while a word remains.
    A gold actor's keys are its name, its aliases and the text of every mention
    whose ``form`` is ``"name"`` or missing (GUM's mentions carry a form;
    pronoun and nominal mentions are not names). A predicted actor matches when
    its name or an alias equals one of those keys, or, failing that, when one
    of its mentions overlaps a gold mention by character offsets. Same
    canonical name scores 1.0, another key 0.75, mention overlap at most 0.5,
    so name matches are paired first.
``actor_kinds``
    Over the matched actor pairs whose gold actor has a ``kind``: the kinds
    agree (gold ``place`` agrees with ``country`` and with ``other``, which
    is what the contract calls a city or region). A disagreement counts as
    both a false positive and a false negative, so precision, recall and F1
    are all the share of agreeing pairs.
``quotes``
    Content match: the multiset Jaccard index of the word tokens (casefolded,
    accents removed) is at least 0.5. Jaccard, not coverage of the gold
    tokens, so a whole paragraph does not match a short quote inside it. When
    both quotes have offsets, the spans must also overlap by at least half of
    the gold span, which tells repeated quotes apart.
    A quote split around a speech tag is scored piece by piece: each of its
    ``fragments`` counts as a predicted quote with the same speaker. A
    predicted quote running over gold quotes that only whitespace parts (GUM
    marks one quote per sentence of a longer quotation) is cut where the gold
    cuts, each piece a predicted quote with the same speaker.
``quotes.exact_span``
    Gold quotes with offsets against predicted quotes with the very same
    ``(start, end)``. Scored in articles whose gold quotes all have offsets;
    the field is reported only when some gold quote has offsets.
``quote_speakers``
    Scored in articles where some gold quote has a speaker. A speaker is
    credited only on a matched quote pair, when the predicted speaker names the
    same actor as the gold one: both names are resolved through the actors
    (gold: name, aliases, name-form mentions; predicted: the ``speaker_id``
    actor and any actor whose name or alias is the speaker) and match when
    the two key sets meet. Gold: quotes with a speaker. Predicted: quotes with
    a speaker, except those paired with a gold quote whose speaker is unknown.
``figures``
    When the gold figure has a ``value``: the predicted value is within 0.5%
    of it and the units agree (casefolded; "percent"/"per cent" read as "%";
    a plural "s" dropped from unit words longer than three letters). When the
    gold figure has offsets but no value: the spans overlap on a digit of the
    gold figure (anywhere, if it has no digits). Otherwise: the same text.
``stances``
    Same polarity, and holder and target each name the same actor, resolved
    through names and aliases as for speakers.

Recall-only fields: gold that is known to be incomplete (GUM's quotes) would
turn correct extra predictions into false positives. A field named in
``score(recall_only=...)`` or in a gold line's ``"recall_only"`` list counts
recall but not precision; ``"quotes"`` covers its two sub-fields too. Precision
is computed over the articles that do score it, and is ``None`` when none do.
A gold article without a prediction counts as an empty prediction and is listed
in ``missing_predictions``.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .articles import describe_json_error, json_type_name
from .errors import ConfigurationError, InputError
from .results import read_results
from .rules import NameCandidate
from .rules.lexicon import NAME_TITLES
from .schema import Actor, ArticleSummary, Figure, Polarity, Quote, Stance

__all__ = [
    "FIELDS",
    "EvalReport",
    "FieldScore",
    "GoldActor",
    "GoldArticle",
    "GoldFigure",
    "GoldMention",
    "GoldQuote",
    "GoldStance",
    "format_table",
    "anchored_quote",
    "gold_answer",
    "load_gold",
    "load_predictions",
    "normalise_name",
    "score",
]

FIELDS = ("actors", "actor_kinds", "quotes", "quotes.exact_span", "quote_speakers", "figures", "stances")
"""Every field ``score`` can report, in report order."""

# A recall-only top-level field makes its sub-fields recall-only as well.
_SUBFIELDS = {"quotes": ("quotes.exact_span", "quote_speakers")}

QUOTE_MIN_JACCARD = 0.5
QUOTE_MIN_SPAN_SHARE = 0.5
FIGURE_VALUE_TOLERANCE = 0.005

_TITLES = NAME_TITLES | {"the", "a", "an"}
_PARENTHETICAL = re.compile(r"\([^)]*\)\s*$")
_POSSESSIVE = re.compile(r"['\u2019]s\b")
_WORD = re.compile(r"\w+")

_M = TypeVar("_M", bound=BaseModel)


# --------------------------------------------------------------------------
# Gold data
# --------------------------------------------------------------------------


class _Gold(BaseModel):
    # Gold files carry extra annotation (GUM: wikipedia, speaker_source, ...).
    model_config = ConfigDict(extra="ignore", frozen=True)


class _Located(_Gold):
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _offsets_pair_up(self) -> _Located:
        if (self.start is None) != (self.end is None):
            raise ValueError("give both start and end, or neither")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")
        return self

    @property
    def span(self) -> tuple[int, int] | None:
        """``(start, end)``, or ``None`` when the item has no offsets."""
        if self.start is None or self.end is None:
            return None
        return (self.start, self.end)


class GoldMention(_Located):
    """One occurrence of an actor; ``form`` is GUM's name/nominal/pronoun tag."""

    text: str
    form: str | None = None


class GoldActor(_Gold):
    """A gold actor: its name, aliases and (optionally) mentions."""

    name: str = Field(min_length=1)
    kind: str | None = None
    aliases: tuple[str, ...] = ()
    mentions: tuple[GoldMention, ...] = ()


class GoldQuote(_Located):
    """A gold quote; ``speaker`` is ``None`` when the gold does not know it; ``kind`` as the contract's (PolNeAR's "mixed" is "partial")."""

    text: str = Field(min_length=1)
    speaker: str | None = None
    kind: str | None = None


class GoldFigure(_Located):
    """A gold figure; ``value`` and ``unit`` are optional (GUM has neither)."""

    text: str = Field(min_length=1)
    value: float | None = None
    unit: str | None = None
    kind: str | None = None


class GoldStance(_Gold):
    """A gold stance: who takes which position on whom or what."""

    holder: str = Field(min_length=1)
    target: str = Field(min_length=1)
    polarity: Polarity


class GoldArticle(_Gold):
    """One gold line. A field left out (``None``) is not scored for this article."""

    id: str = Field(min_length=1)
    text: str | None = None
    title: str | None = None
    date: str | None = None
    actors: tuple[GoldActor, ...] | None = None
    quotes: tuple[GoldQuote, ...] | None = None
    figures: tuple[GoldFigure, ...] | None = None
    stances: tuple[GoldStance, ...] | None = None
    recall_only: frozenset[str] = frozenset()


def load_gold(path: str | Path, *, articles: str | Path | None = None) -> list[GoldArticle]:
    """Read gold JSONL, one article per line, joining texts from ``articles`` by id.

    Gold lines use the ArticleSummary field names (see the module docstring);
    ``text`` may come from the line itself or from an articles JSONL file
    (``{"id", "text", "title"?, "date"?}`` per line). Offsets are checked
    against the text whenever it is known.

    Returns the articles in file order. Raises ``InputError`` naming the file
    and line on malformed JSON, invalid fields, duplicate ids, unknown
    recall-only fields, offsets that do not index the text, ids missing
    from ``articles``, or a file with no gold article.
    """
    path, articles = Path(path), Path(articles) if articles is not None else None
    texts = _load_article_texts(articles) if articles is not None else None
    gold: list[GoldArticle] = []
    seen: set[str] = set()
    for lineno, record in _read_jsonl(path):
        where = f"{path}:{lineno}"
        article = _validate(GoldArticle, record, where)
        if article.id in seen:
            raise InputError(f"{where}: duplicate id {article.id!r}; give each gold article once.")
        seen.add(article.id)
        unknown = article.recall_only - set(FIELDS)
        if unknown:
            raise InputError(f"{where}: unknown recall_only field(s) {sorted(unknown)}; use names from {list(FIELDS)}.")
        if texts is not None:
            article = _join_text(article, texts, where=where, articles=articles)
        if article.text is not None:
            _check_offsets(article, where)
        gold.append(article)
    if not gold:  # else an empty table, exit 0: a score of nothing looks like a pass
        raise InputError(f"{path} holds no gold articles; pass a JSONL file with one gold article per line.")
    return gold


def _load_article_texts(path: Path) -> dict[str, dict[str, Any]]:
    """Map id -> {"text", "title", "date"} from an articles JSONL file."""
    texts: dict[str, dict[str, Any]] = {}
    for lineno, record in _read_jsonl(path):
        article_id, text = record.get("id"), record.get("text")
        if not isinstance(article_id, str) or not isinstance(text, str):
            raise InputError(f"{path}:{lineno}: an articles line needs a string 'id' and a string 'text'.")
        texts[article_id] = {key: record.get(key) for key in ("text", "title", "date")}
    return texts


def _join_text(article: GoldArticle, texts: Mapping[str, dict[str, Any]], *, where: str, articles: Path | None) -> GoldArticle:
    """Fill the article's text, title and date from the articles file."""
    joined = texts.get(article.id)
    if joined is None:
        raise InputError(f"{where}: id {article.id!r} is not in {articles}; add it there or drop the gold line.")
    if article.text is not None and article.text != joined["text"]:
        raise InputError(f"{where}: the gold text of {article.id!r} differs from the one in {articles}; keep one of them.")
    return article.model_copy(
        update={
            "text": joined["text"],
            "title": article.title or joined["title"],
            "date": article.date or joined["date"],
        }
    )


def _check_offsets(article: GoldArticle, where: str) -> None:
    """Raise ``InputError`` when a gold span does not index the article text."""
    text = article.text or ""
    located: list[tuple[str, _Located, str]] = []
    for actor in article.actors or ():
        located += [(f"mention of actor {actor.name!r}", mention, mention.text) for mention in actor.mentions]
    located += [("quote", quote, quote.text) for quote in article.quotes or ()]
    located += [("figure", figure, figure.text) for figure in article.figures or ()]
    for label, item, item_text in located:
        span = item.span
        if span is not None and text[span[0] : span[1]] != item_text:
            raise InputError(
                f"{where}: {label} {item_text!r} is not at {span[0]}:{span[1]} of the article text; "
                "fix the offsets (end is exclusive, Python string indices) or remove them."
            )


def load_predictions(path: str | Path) -> dict[str, ArticleSummary]:
    """Read summarizer output into a mapping from article id to result.

    Reads any results file :mod:`summarizer.results` reads (batch JSONL,
    ArticleSummary lines, one ArticleSummary document, a JSON array). Failed
    lines are skipped, so their ids show up as missing predictions; an id that
    occurs more than once takes its last line. Raises ``InputError`` with the
    line number on malformed lines.
    """
    return {record.id: record.summary for record in read_results(path) if record.summary is not None}


def _read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line number, object)`` for each non-blank line of a JSONL file."""
    return _jsonl_lines(_read_text(path), path=path)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}; check the path.") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read {path}: it is not UTF-8 text; pass a UTF-8 JSONL file.") from exc


def _jsonl_lines(raw: str, *, path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for lineno, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{lineno}: not valid JSON ({describe_json_error(exc)}); write one JSON object per line.") from exc
        if not isinstance(record, dict):
            raise InputError(f"{path}:{lineno}: expected a JSON object, got {json_type_name(record)}.")
        yield lineno, record


def _validate(model: type[_M], record: Any, where: str, *, inside: str | None = None) -> _M:
    """Validate ``record`` as ``model``, turning pydantic's error into an ``InputError``.

    ``inside`` names the key the record sits under, for the error message.
    """
    try:
        return model.model_validate(record)
    except ValidationError as exc:
        first = exc.errors()[0]
        location = ".".join(str(part) for part in ([inside] if inside else []) + list(first["loc"])) or "line"
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise InputError(f"{where}: {location}: {first['msg']}{more}.") from exc


# --------------------------------------------------------------------------
# The ceiling: gold as a model's answer
# --------------------------------------------------------------------------

_GOLD_QUOTE_KINDS = {"direct": "direct", "indirect": "indirect", "mixed": "partial", "partial": "partial"}


def gold_answer(article: GoldArticle, *, listed_names: Sequence[NameCandidate] = (), keep_actors: Callable[[int], bool] = lambda _: True) -> dict[str, Any]:
    """The answer a perfect model would give for ``article``: its gold, as a ``DigestAnswer`` JSON object.

    Served by a scripted model (``summarizer.testing.ScriptedServer``), it
    measures what the pipeline makes of a perfect answer: the ceiling of the
    model path. Each actor is named by its most frequent name form in the
    article (its ``name`` mentions; the shortest of equally frequent ones, as
    a model names "Evanston" rather than "Evanston, Illinois"), the other
    forms being its aliases; an
    actor without a name mention keeps its gold name. ``keep_actors(i)``
    picks actors by position (``lambda i: i % 2 == 0``: a model that names
    every other one). Quotes keep their gold text, speaker and kind.
    ``listed_names``: the rule-found names the prompt listed; those that name
    no gold actor (by name or by a mention) are ``rejected``, as a perfect
    model shown the list would do.
    """
    actors = [_gold_actor_answer(actor) for index, actor in enumerate(article.actors or ()) if keep_actors(index)]
    gold_keys = frozenset().union(*(_gold_actor_keys(actor) for actor in article.actors or ()))
    gold_spans = frozenset(m.span for actor in article.actors or () for m in actor.mentions if m.span is not None and m.form in (None, "name"))
    return {
        "summary": "",
        "key_points": [],
        "actors": actors,
        "quotes": [
            {"text": quote.text, "speaker": quote.speaker, "kind": _GOLD_QUOTE_KINDS.get(quote.kind or "direct", "direct")} for quote in article.quotes or ()
        ],
        "figures": [{"text": figure.text, "value": figure.value, "unit": figure.unit, "kind": figure.kind or "other"} for figure in article.figures or ()],
        "stances": [{"holder": stance.holder, "target": stance.target, "polarity": stance.polarity} for stance in article.stances or ()],
        "rejected": [name.name for name in listed_names if not _names_gold_actor(name, gold_keys, gold_spans)] if article.actors is not None else [],
    }


def _names_gold_actor(name: NameCandidate, gold_keys: frozenset[str], gold_spans: frozenset[tuple[int, int]]) -> bool:
    """Whether a listed name is a gold actor: by one of its names, or by a mention that is one of the gold's name mentions."""
    return bool(_keys([name.name, *(m.text for m in name.mentions)]) & gold_keys) or any((m.start, m.end) in gold_spans for m in name.mentions)


def anchored_quote(text: str, first: str, last: str, *, after: str = "", speaker: str | None = None, kind: str = "direct") -> GoldQuote:
    """A gold quote given by its first and last words (the first occurrence after ``after``), found in ``text`` at run time.

    For gold about an article that may not be copied (the quote's text is read
    from the article itself). Raises ``ValueError`` when the words are not there.
    """
    offset = text.find(after) + len(after) if after else 0
    start = text.find(first, offset) if offset >= len(after) else -1
    end = text.find(last, start + len(first) - len(last) if start >= 0 else 0)
    if start < 0 or end < 0:
        raise ValueError(f"anchors {first!r} ... {last!r} are not in the article")
    end += len(last)
    return GoldQuote(text=text[start:end], start=start, end=end, speaker=speaker, kind=kind)


def _gold_actor_answer(actor: GoldActor) -> dict[str, Any]:
    forms = Counter(mention.text for mention in actor.mentions if mention.form in (None, "name"))
    ranked = sorted(forms, key=lambda form: (-forms[form], len(form)))  # the commonest; of equals, the shortest
    name = ranked[0] if ranked else actor.name
    aliases = [form for form in [*ranked[1:], *actor.aliases] if form != name]
    return {
        "name": name,
        "kind": actor.kind if actor.kind in ("person", "organization", "country", "group") else "other",
        "aliases": list(dict.fromkeys(aliases)),
    }


# --------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Casefold and drop accents (NFKD, combining marks removed)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def normalise_name(name: str) -> str:
    """Return the comparison key of an actor name (rules in the module docstring).

    ``normalise_name("President Donald Trump's") == "donald trump"``.
    """
    folded = _POSSESSIVE.sub("", _PARENTHETICAL.sub("", _fold(name)))
    words = _WORD.findall(folded)
    while len(words) > 1 and words[0] in _TITLES:
        words.pop(0)
    return " ".join(words)


def _tokens(text: str) -> Counter[str]:
    return Counter(_WORD.findall(_fold(text)))


def _jaccard(gold: Counter[str], predicted: Counter[str]) -> float:
    union = sum((gold | predicted).values())
    # Two wordless texts ("…", "—") are equal as bags of words.
    return sum((gold & predicted).values()) / union if union else 1.0


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _normalise_unit(unit: str | None) -> str | None:
    if unit is None:
        return None
    folded = unit.strip().casefold()
    if folded in {"percent", "per cent", "pct"}:
        return "%"
    if folded.isalpha() and len(folded) > 3 and folded.endswith("s"):
        return folded[:-1]
    return folded or None


def _keys(names: Iterable[str]) -> frozenset[str]:
    return frozenset(key for key in map(normalise_name, names) if key)


def _gold_actor_keys(actor: GoldActor) -> frozenset[str]:
    name_mentions = (m.text for m in actor.mentions if m.form in (None, "name"))
    return _keys([actor.name, *actor.aliases, *name_mentions])


def _predicted_actor_keys(actor: Actor) -> frozenset[str]:
    return _keys([actor.name, *actor.aliases])


# --------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------

PairScore = Callable[[int, int], float | None]


def _match(n_gold: int, n_predicted: int, pair_score: PairScore) -> list[tuple[int, int]]:
    """Pair items one-to-one, best score first; ``None`` means "cannot match".

    Returns ``(gold index, predicted index)`` pairs.
    """
    candidates = []
    for g in range(n_gold):
        for p in range(n_predicted):
            value = pair_score(g, p)
            if value is not None:
                candidates.append((-value, g, p))
    candidates.sort()
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    pairs = []
    for _, g, p in candidates:
        if g not in used_gold and p not in used_predicted:
            used_gold.add(g)
            used_predicted.add(p)
            pairs.append((g, p))
    return pairs


class _NameResolver:
    """Turns a gold or predicted name into the set of keys of the actor it names."""

    def __init__(self, gold_actors: Sequence[GoldActor], predicted_actors: Sequence[Actor]) -> None:
        self._gold = [_gold_actor_keys(actor) for actor in gold_actors]
        self._predicted = [_predicted_actor_keys(actor) for actor in predicted_actors]
        self._predicted_ids = {actor.id: keys for actor, keys in zip(predicted_actors, self._predicted)}

    def gold(self, name: str) -> frozenset[str]:
        """Keys of every gold actor the name is a key of, plus the name's own key."""
        key = normalise_name(name)
        return frozenset({key}).union(*(keys for keys in self._gold if key in keys))

    def predicted(self, name: str, actor_id: str | None) -> frozenset[str]:
        """Keys of the ``actor_id`` actor and of every predicted actor the name is a key of."""
        key = normalise_name(name)
        linked = self._predicted_ids.get(actor_id, frozenset()) if actor_id else frozenset()
        return frozenset({key}).union(linked, *(keys for keys in self._predicted if key in keys))


def _match_actors(gold: Sequence[GoldActor], predicted: Sequence[Actor]) -> list[tuple[int, int]]:
    gold_names = [normalise_name(actor.name) for actor in gold]
    gold_keys = [_gold_actor_keys(actor) for actor in gold]
    # Character positions covered by each gold actor's mentions: cheap overlap tests.
    gold_chars = [_covered(mention.span for mention in actor.mentions) for actor in gold]
    predicted_names = [normalise_name(actor.name) for actor in predicted]
    predicted_keys = [_predicted_actor_keys(actor) for actor in predicted]

    def pair_score(g: int, p: int) -> float | None:
        if predicted_names[p] and predicted_names[p] == gold_names[g]:
            return 1.0
        if predicted_keys[p] & gold_keys[g]:
            return 0.75
        mentions = predicted[p].mentions
        hits = sum(1 for m in mentions if any(i in gold_chars[g] for i in range(m.start, m.end)))
        return 0.5 * hits / len(mentions) if hits else None

    return _match(len(gold), len(predicted), pair_score)


def _covered(spans: Iterable[tuple[int, int] | None]) -> frozenset[int]:
    """Every character position inside one of the spans."""
    return frozenset(i for span in spans if span is not None for i in range(*span))


def _match_quotes(gold: Sequence[GoldQuote], predicted: Sequence[Quote]) -> list[tuple[int, int]]:
    gold_tokens = [_tokens(quote.text) for quote in gold]
    predicted_tokens = [_tokens(quote.text) for quote in predicted]

    def pair_score(g: int, p: int) -> float | None:
        similarity = _jaccard(gold_tokens[g], predicted_tokens[p])
        if similarity < QUOTE_MIN_JACCARD:
            return None
        gold_span, predicted_span = gold[g].span, _span(predicted[p])
        if gold_span is not None and predicted_span is not None:
            share = _overlap(gold_span, predicted_span) / max(1, gold_span[1] - gold_span[0])
            if share < QUOTE_MIN_SPAN_SHARE:
                return None
            return similarity + share
        return similarity

    return _match(len(gold), len(predicted), pair_score)


def _match_figures(gold: Sequence[GoldFigure], predicted: Sequence[Figure]) -> list[tuple[int, int]]:
    def pair_score(g: int, p: int) -> float | None:
        expected, found = gold[g], predicted[p]
        gold_span, predicted_span = expected.span, _span(found)
        if expected.value is not None:
            if found.value is None or _normalise_unit(expected.unit) != _normalise_unit(found.unit):
                return None
            error = abs(found.value - expected.value)
            if error > FIGURE_VALUE_TOLERANCE * abs(expected.value):
                return None
            # Among equal values, prefer the prediction at the same place.
            placed = gold_span is not None and predicted_span is not None and _overlap(gold_span, predicted_span) > 0
            return 1.0 + (0.5 if placed else 0.0) - error / (abs(expected.value) or 1.0)
        if gold_span is not None:
            if predicted_span is None:
                return None
            return _figure_span_score(expected, gold_span, predicted_span)
        return 1.0 if _fold(expected.text).strip() == _fold(found.text).strip() else None

    return _match(len(gold), len(predicted), pair_score)


def _figure_span_score(figure: GoldFigure, gold_span: tuple[int, int], predicted_span: tuple[int, int]) -> float | None:
    """Share of the gold span covered, if the overlap reaches one of its digits."""
    digits = [gold_span[0] + i for i, char in enumerate(figure.text) if char.isdigit()]
    anchors = digits or range(*gold_span)
    if not any(predicted_span[0] <= i < predicted_span[1] for i in anchors):
        return None
    return _overlap(gold_span, predicted_span) / max(1, gold_span[1] - gold_span[0])


def _span(item: Quote | Figure) -> tuple[int, int] | None:
    if item.start is None or item.end is None:
        return None
    return (item.start, item.end)


def _match_stances(gold: Sequence[GoldStance], predicted: Sequence[Stance], names: _NameResolver) -> list[tuple[int, int]]:
    def pair_score(g: int, p: int) -> float | None:
        expected, found = gold[g], predicted[p]
        same = (
            expected.polarity == found.polarity
            and bool(names.gold(expected.holder) & names.predicted(found.holder, found.holder_id))
            and bool(names.gold(expected.target) & names.predicted(found.target, found.target_id))
        )
        return 1.0 if same else None

    return _match(len(gold), len(predicted), pair_score)


# --------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldScore:
    """Micro-averaged counts and scores of one field.

    ``fp`` counts only the articles that score precision. ``precision`` is
    ``None`` when the field is recall-only or nothing was predicted; ``recall``
    when there was no gold; ``f1`` when either is ``None``.
    """

    field: str
    tp: int
    fp: int
    fn: int
    precision: float | None
    recall: float | None
    f1: float | None
    recall_only: bool


@dataclass(frozen=True)
class EvalReport:
    """Scores per field plus run statistics taken from the predictions' provenance.

    ``grounding_rate`` is grounded (exact or fuzzy) quotes and figures over all
    predicted ones; ``tokens_per_article`` (prompt + completion) and
    ``seconds_per_article`` average over the articles that have a prediction.
    """

    fields: dict[str, FieldScore]
    articles: int
    grounding_rate: float | None
    tokens_per_article: float | None
    seconds_per_article: float | None
    missing_predictions: list[str]

    def to_json(self) -> dict[str, Any]:
        """Return the report as plain JSON-ready data."""
        return asdict(self)


@dataclass(frozen=True)
class _Counts:
    tp: int
    fp: int
    fn: int


class _Tally:
    """Sums one field's counts over articles, keeping precision's own totals."""

    def __init__(self) -> None:
        self.tp = self.fn = self.precision_tp = self.fp = self.precision_articles = 0

    def add(self, counts: _Counts, *, recall_only: bool) -> None:
        self.tp += counts.tp
        self.fn += counts.fn
        if not recall_only:
            self.precision_articles += 1
            self.precision_tp += counts.tp
            self.fp += counts.fp

    def result(self, name: str) -> FieldScore:
        recall_only = self.precision_articles == 0
        predicted = self.precision_tp + self.fp
        precision = None if recall_only or not predicted else self.precision_tp / predicted
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        f1 = None
        if precision is not None and recall is not None:
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return FieldScore(name, self.tp, self.fp, self.fn, precision, recall, f1, recall_only)


def _counts(pairs: Sequence[object], *, gold: int, predicted: int) -> _Counts:
    return _Counts(tp=len(pairs), fp=predicted - len(pairs), fn=gold - len(pairs))


def score(
    gold: Sequence[GoldArticle],
    predictions: Mapping[str, ArticleSummary],
    *,
    recall_only: Collection[str] = (),
) -> EvalReport:
    """Score predictions against gold, per field (rules in the module docstring).

    ``recall_only`` names fields whose precision is not scored, on top of each
    gold line's own ``recall_only``. Returns an ``EvalReport`` with the fields
    that some gold article carries. Raises ``ConfigurationError`` on an
    unknown field name.
    """
    unknown = set(recall_only) - set(FIELDS)
    if unknown:
        raise ConfigurationError(f"unknown recall-only field(s) {sorted(unknown)}; choose from {list(FIELDS)}.")
    tallies: dict[str, _Tally] = {}
    for article in gold:
        prediction = predictions.get(article.id)
        no_precision = _expand_recall_only(set(recall_only) | article.recall_only)
        for name, counts in _score_article(article, prediction).items():
            tallies.setdefault(name, _Tally()).add(counts, recall_only=name in no_precision)
    scored = [predictions[article.id] for article in gold if article.id in predictions]
    return EvalReport(
        fields={name: tallies[name].result(name) for name in FIELDS if name in tallies},
        articles=len(gold),
        grounding_rate=_grounding_rate(scored),
        tokens_per_article=_mean([s.provenance.usage.prompt_tokens + s.provenance.usage.completion_tokens for s in scored]),
        seconds_per_article=_mean([s.provenance.latency_s for s in scored]),
        missing_predictions=[article.id for article in gold if article.id not in predictions],
    )


def _expand_recall_only(names: set[str]) -> set[str]:
    return names.union(*(_SUBFIELDS.get(name, ()) for name in names))


def _score_article(gold: GoldArticle, prediction: ArticleSummary | None) -> dict[str, _Counts]:
    """Counts per field for one article; a missing prediction scores as empty."""
    actors = prediction.actors if prediction else []
    quotes = scored_quote_pieces(prediction.quotes, gold.quotes or ()) if prediction else []
    figures = prediction.figures if prediction else []
    stances = prediction.stances if prediction else []
    names = _NameResolver(gold.actors or (), actors)
    counts: dict[str, _Counts] = {}
    if gold.actors is not None:
        pairs = _match_actors(gold.actors, actors)
        counts["actors"] = _counts(pairs, gold=len(gold.actors), predicted=len(actors))
        if any(actor.kind for actor in gold.actors):
            counts["actor_kinds"] = _kind_counts(gold.actors, actors, pairs)
    if gold.quotes is not None:
        pairs = _match_quotes(gold.quotes, quotes)
        counts["quotes"] = _counts(pairs, gold=len(gold.quotes), predicted=len(quotes))
        if gold.quotes and all(quote.span is not None for quote in gold.quotes):
            counts["quotes.exact_span"] = _exact_span_counts(gold.quotes, quotes)
        if any(quote.speaker for quote in gold.quotes):
            counts["quote_speakers"] = _speaker_counts(gold.quotes, quotes, pairs, names)
    if gold.figures is not None:
        counts["figures"] = _counts(_match_figures(gold.figures, figures), gold=len(gold.figures), predicted=len(figures))
    if gold.stances is not None:
        pairs = _match_stances(gold.stances, stances, names)
        counts["stances"] = _counts(pairs, gold=len(gold.stances), predicted=len(stances))
    return counts


_KINDS_AGREEING = {"place": {"country", "other"}}
"""Gold kinds met by a different predicted kind; any other kind must be equal."""


def _kind_counts(gold: Sequence[GoldActor], predicted: Sequence[Actor], pairs: Sequence[tuple[int, int]]) -> _Counts:
    kinds = [(gold[g].kind, predicted[p].kind) for g, p in pairs if gold[g].kind]
    agreeing = sum(1 for gold_kind, kind in kinds if kind == gold_kind or kind in _KINDS_AGREEING.get(gold_kind or "", ()))
    return _Counts(tp=agreeing, fp=len(kinds) - agreeing, fn=len(kinds) - agreeing)


def scored_quote_pieces(predicted: Sequence[Quote], gold: Sequence[GoldQuote]) -> list[Quote]:
    """The predicted quotes as :func:`score` matches them: a quote's ``fragments`` apart, and a quote cut where the gold
    cuts one quotation into several quotes (see :func:`_cut_where_gold_cuts`)."""
    return _cut_where_gold_cuts(_quote_pieces(predicted), gold)


def _quote_pieces(quotes: Sequence[Quote]) -> list[Quote]:
    """Quotes with their fragments scored as quotes of their own.

    The article splits such a quote around a speech tag ("X," she said, "Y");
    gold corpora (GUM among them) mark each quoted piece, and the span from
    the first piece to the last includes the tag, which is not quoted speech.
    """
    pieces: list[Quote] = []
    for quote in quotes:
        if not quote.fragments:
            pieces.append(quote)
            continue
        pieces.extend(quote.model_copy(update={"text": f.text, "start": f.start, "end": f.end, "fragments": []}) for f in quote.fragments)
    return pieces


def _cut_where_gold_cuts(predicted: Sequence[Quote], gold: Sequence[GoldQuote]) -> list[Quote]:
    """Predicted quotes cut where the gold cuts one quotation into several quotes.

    GUM marks one quote per sentence of a longer quotation. A predicted quote
    running over gold quotes that only whitespace parts is scored as one piece
    per gold quote, with the same speaker, as ``fragments`` are; a cut is made
    only where the predicted quote's own text between the two gold quotes is
    blank, so words the gold leaves out (a speech tag) are never cut away.
    """
    spans = sorted(span for quote in gold if (span := quote.span) is not None)
    cuts = [following[0] for before, following in zip(spans, spans[1:], strict=False) if before[1] <= following[0]]
    ends = {following[0]: before[1] for before, following in zip(spans, spans[1:], strict=False)}
    pieces: list[Quote] = []
    for quote in predicted:
        span = _span(quote)
        if span is None or len(quote.text) != span[1] - span[0]:  # no offsets, or not the article's own words to cut
            pieces.append(quote)
            continue
        start, end = span
        inside = [cut for cut in cuts[bisect.bisect_right(cuts, start) : bisect.bisect_left(cuts, end)] if ends[cut] > start]
        bounds = [start, *(cut for cut in inside if not quote.text[ends[cut] - start : cut - start].strip()), end]
        for a, b in itertools.pairwise(bounds):
            piece = quote.text[a - start : b - start].rstrip()
            pieces.append(quote if len(bounds) == 2 else quote.model_copy(update={"text": piece, "start": a, "end": a + len(piece)}))
    return pieces


def _exact_span_counts(gold: Sequence[GoldQuote], predicted: Sequence[Quote]) -> _Counts:
    gold_spans = [quote.span for quote in gold]
    predicted_spans = [_span(quote) for quote in predicted]
    pairs = _match(len(gold), len(predicted), lambda g, p: 1.0 if gold_spans[g] == predicted_spans[p] else None)
    return _counts(pairs, gold=len(gold), predicted=len(predicted))


def _speaker_counts(gold: Sequence[GoldQuote], predicted: Sequence[Quote], pairs: Sequence[tuple[int, int]], names: _NameResolver) -> _Counts:
    paired_with = {p: g for g, p in pairs}
    credited = 0
    for g, p in pairs:
        expected, found = gold[g].speaker, predicted[p].speaker
        if expected and found and names.gold(expected) & names.predicted(found, predicted[p].speaker_id):
            credited += 1
    # A speaker on a quote whose gold speaker is unknown can be neither right nor wrong.
    judged = [p for p, quote in enumerate(predicted) if quote.speaker and (p not in paired_with or gold[paired_with[p]].speaker)]
    return _Counts(tp=credited, fp=len(judged) - credited, fn=sum(1 for q in gold if q.speaker) - credited)


def _grounding_rate(summaries: Sequence[ArticleSummary]) -> float | None:
    groundings = [item.grounding for s in summaries for item in s.quotes] + [item.grounding for s in summaries for item in s.figures]
    if not groundings:
        return None
    return sum(1 for grounding in groundings if grounding != "unmatched") / len(groundings)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


def format_table(report: EvalReport) -> str:
    """Return the report as a plain-text table for a terminal ('-' = not defined)."""
    header = f"{'field':<20}{'P':>7}{'R':>7}{'F1':>7}{'TP':>8}{'FP':>8}{'FN':>8}"
    lines = [header, "-" * len(header)]
    for result in report.fields.values():
        note = "  (recall only)" if result.recall_only else ""
        fp = "-" if result.recall_only else str(result.fp)
        lines.append(
            f"{result.field:<20}{_ratio(result.precision):>7}{_ratio(result.recall):>7}{_ratio(result.f1):>7}{result.tp:>8}{fp:>8}{result.fn:>8}{note}"
        )
    lines.append("")
    lines.append(f"articles: {report.articles}   missing predictions: {len(report.missing_predictions)}")
    lines.append(
        f"grounding rate: {_ratio(report.grounding_rate)}   "
        f"tokens/article: {_number(report.tokens_per_article, 0)}   "
        f"seconds/article: {_number(report.seconds_per_article, 2)}"
    )
    if report.missing_predictions:
        lines.append("missing: " + ", ".join(report.missing_predictions))
    return "\n".join(lines)


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _number(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"
