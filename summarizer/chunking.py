"""Long articles: cut into chunks that fit the model's context, read chunk by chunk, merged into one answer.

The rules run once, on the whole text. When the prompt for the whole article
(instructions, article, candidates) and the answer would not fit the model's
context, the text is cut at paragraph or sentence ends into chunks with a
small overlap (the last sentences of one chunk open the next, up to
:data:`OVERLAP_CHARS`), and each chunk is sent with the candidates that start
inside it, under their numbers in the whole article. The chunks are read
concurrently, within the caller's limit on model calls.

The chunk answers are concatenated into one :class:`~summarizer.schema.DigestAnswer`
and grounded once, against the whole text with the whole evidence: grounding
merges actors by alias, places each quote and figure from the start of the
chunk it was read in (:class:`~summarizer.grounding.AnswerOrigins`), so a
quote read twice in an overlap is one span, removed once as a duplicate. Stances
are de-duplicated here by holder, target and polarity. The summary is a final
call over the chunk summaries (map-reduce: several rounds when they do not fit
one prompt).

A chunk whose call fails after its retries is named in a warning by its
character range and the digest is marked partial: never a silent drop.

Tokens are estimated, not counted by a tokenizer: ASCII characters / 4, plus
two for every other character (:func:`estimate_tokens`). Measured with
SmolLM2's tokenizer, English news runs 4.25 (political news) to 4.5 (GUM)
characters a token, so the estimate is 6-12 % high there; Japanese costs
about two tokens a character, Russian less than one (an estimate up to 2.3
times high: more chunks than needed, never a refused request). A tenth of
the budget is kept back besides.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import dataclasses
import functools
import gc
import json
import math
import threading
import weakref
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from .articles import Article
from .errors import BackendError, ConfigurationError, ExtractionError, RequestRejectedError
from .grounding import AnswerOrigins
from .grounding.linking import name_key
from .model.backend import CallLog, Extraction
from .model.prompts import format_candidates, render_messages
from .rules import Evidence, NameCandidate, TextSpan
from .rules.text import paragraph_bounds, sentence_breaks, strip_span
from .schema import DigestAnswer, StanceAnswer, SummaryAnswer

T = TypeVar("T")

CHARS_PER_TOKEN = 4
"""ASCII characters a token, in the estimate (see the module docstring)."""
TOKENS_PER_OTHER_CHAR = 2
"""Tokens a character outside ASCII costs, in the estimate."""
BUDGET_SHARE = 0.9
"""Share of the room left for the prompt that is used: the estimate's error is kept back."""
OVERLAP_CHARS = 600
"""Most characters one chunk repeats of the one before it (whole sentences, a few of them)."""
MIN_CHUNK_TOKENS = 256
"""Fewest tokens of article a chunk must have room for; less and the context is too small to read in."""
_PARAGRAPH_END_SHARE = 0.7
"""A chunk ends at a paragraph end instead of a sentence end when it keeps this share of its length."""

Ask = Callable[[list[dict[str, str]], type[BaseModel]], Awaitable[Extraction[Any]]]
"""How the caller asks the model: messages and answer model in, a validated answer out."""
Progress = Callable[[int, int], None]
"""Told (chunks done, chunks in all) when the reading starts and each time a chunk's call ends."""
MISSING_PART = "the model gave no answer for part"
"""How the warning about a chunk without an answer starts."""


# --------------------------------------------------------------------------
# Budget
# --------------------------------------------------------------------------


def estimate_tokens(text: str) -> int:
    """Tokens ``text`` costs, estimated: ASCII characters / 4, two for every other character."""
    ascii_chars = len(text.encode("ascii", "ignore"))
    return math.ceil(ascii_chars / CHARS_PER_TOKEN) + TOKENS_PER_OTHER_CHAR * (len(text) - ascii_chars)


def estimate_messages(messages: Sequence[dict[str, str]]) -> int:
    """Estimated tokens of chat messages (their contents, plus a few for each message's framing)."""
    return sum(estimate_tokens(message["content"]) + 4 for message in messages)


def prompt_budget(*, context_tokens: int, answer_tokens: int, answer_model: type[BaseModel]) -> int:
    """Tokens a prompt may have: the context less the answer's cap and the answer's schema (most
    structured-output modes send it with the request), of which :data:`BUDGET_SHARE` is used."""
    return int((context_tokens - answer_tokens - _schema_tokens(answer_model)) * BUDGET_SHARE)


@functools.cache
def _schema_tokens(answer_model: type[BaseModel]) -> int:
    """Estimated tokens of the answer model's JSON schema, once per model (generating it takes milliseconds, and every article asks)."""
    return estimate_tokens(json.dumps(answer_model.model_json_schema(), separators=(",", ":")))


def fits(messages: Sequence[dict[str, str]], budget: int) -> bool:
    """Whether the prompt ``messages`` fit the ``budget`` (see :func:`prompt_budget`)."""
    return estimate_messages(messages) <= budget


# --------------------------------------------------------------------------
# Planning the chunks
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Chunk:
    """One part of a long article: ``text[start:end]`` with the messages that ask about it."""

    index: int
    start: int
    end: int
    messages: list[dict[str, str]] = field(repr=False)

    @property
    def label(self) -> str:
        """The chunk named for a reader: "part 3 (characters 24,102-36,880)"."""
        return f"part {self.index + 1} (characters {self.start:,}-{self.end:,})"


def plan_chunks(article: Article, evidence: Evidence, *, scope: str, budget: int) -> list[Chunk]:
    """Cut ``article`` into chunks whose prompts fit ``budget`` tokens, in text order.

    Chunks end at a paragraph end when one is near, else at a sentence end,
    else at a space (a sentence longer than a chunk); the next chunk repeats
    up to :data:`OVERLAP_CHARS` of whole sentences. For scope "full" each chunk
    lists the candidates that start in it. Raises ConfigurationError when the
    budget leaves no room for the article.
    """
    shown = _EvidenceIndex(evidence) if scope == "full" else None
    overhead = estimate_messages(_messages(article, "", _NAMED if shown else None, scope))
    room = budget - overhead
    if room < MIN_CHUNK_TOKENS:
        raise ConfigurationError(
            f"the model's context leaves {max(room, 0):,} tokens for the article once the instructions and the answer are counted; "
            "raise --context-tokens (context_tokens=), lower --max-tokens (max_tokens=), or ask for the summary only: --scope summary"
        )
    pieces = _Pieces(article.text, evidence=evidence if shown else None, max_chars=room * CHARS_PER_TOKEN // 2)
    ranges = []
    first = 0
    while first < len(pieces):
        last = pieces.fill(first, room)
        ranges.append((pieces.starts[first], pieces.ends[last]))
        first = pieces.overlap_start(first, last)
    chunks: list[Chunk] = []
    for start, end in ranges:
        for text_start, text_end, messages in _fitted(article, evidence=shown, scope=scope, budget=budget, start=start, end=end):
            chunks.append(Chunk(len(chunks), text_start, text_end, messages))
    return chunks


_NAMED = Evidence(quotes=(), figures=(), names=(NameCandidate(ref="N1", name="Name", kind="other", mentions=(TextSpan(0, 4, "Name"),)),))
"""Evidence with one short name: what a chunk's candidate block costs at the least."""


def _messages(article: Article, text: str, evidence: Evidence | None, scope: str) -> list[dict[str, str]]:
    part = dataclasses.replace(article, text=text)
    return render_messages(part, evidence=evidence, scope=scope)


def _fitted(article: Article, *, evidence: _EvidenceIndex | None, scope: str, budget: int, start: int, end: int) -> list[tuple[int, int, list[dict[str, str]]]]:
    """``[start, end)`` without its edge whitespace and with its prompt, halved at a space until each
    part's real prompt fits (the plan sums estimates): the prompt checked is the one sent."""
    text = article.text
    a, b = strip_span(text, start, end)
    messages = _messages(article, text[a:b], evidence.inside(a, b) if evidence else None, scope)
    if b - a < 2 or fits(messages, budget):
        return [(a, b, messages)]
    middle = (a + b) // 2
    space = text.rfind(" ", a + 1, middle + 1)
    cut = space if space > a else middle
    return [
        *_fitted(article, evidence=evidence, scope=scope, budget=budget, start=start, end=cut),
        *_fitted(article, evidence=evidence, scope=scope, budget=budget, start=cut, end=end),
    ]


class _EvidenceIndex:
    """The candidates by position, for the ones inside a chunk in time proportional to their number."""

    def __init__(self, evidence: Evidence) -> None:
        self.quotes = sorted(evidence.quotes, key=lambda quote: quote.start)
        self.quote_starts = [quote.start for quote in self.quotes]
        self.figures = sorted(evidence.figures, key=lambda figure: figure.match.start)
        self.figure_starts = [figure.match.start for figure in self.figures]
        mentions = sorted((mention.start, number) for number, name in enumerate(evidence.names) for mention in name.mentions)
        self.mention_starts = [start for start, _ in mentions]
        self.mention_names = [number for _, number in mentions]
        self.names = evidence.names

    def inside(self, start: int, end: int) -> Evidence:
        """The candidates that start in ``[start, end)``: quotes and figures, and the names mentioned there (in the article's order)."""
        quotes = self.quotes[bisect.bisect_left(self.quote_starts, start) : bisect.bisect_left(self.quote_starts, end)]
        figures = self.figures[bisect.bisect_left(self.figure_starts, start) : bisect.bisect_left(self.figure_starts, end)]
        named = self.mention_names[bisect.bisect_left(self.mention_starts, start) : bisect.bisect_left(self.mention_starts, end)]
        return Evidence(quotes=tuple(quotes), figures=tuple(figures), names=tuple(self.names[number] for number in sorted(set(named))))


class _Pieces:
    """The text cut at every place a chunk may end, with what each piece costs in a prompt.

    A piece is a sentence (or the stretch up to a paragraph's first sentence
    end), cut at spaces when longer than ``max_chars``. Its cost is its text's
    tokens plus, when ``evidence`` is listed, the candidate lines of the
    quotes and figures starting in it; a name costs its line entry once per
    chunk (see :meth:`fill`).
    """

    def __init__(self, text: str, *, evidence: Evidence | None, max_chars: int) -> None:
        paragraphs = paragraph_bounds(text)
        cuts = set()
        for start, end in paragraphs:
            cuts.add(start)
            cuts.update(sentence_breaks(text, start, end))
        bounds = sorted(cuts - {0, len(text)})
        self.paragraph_starts = frozenset(start for start, _ in paragraphs)
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in zip([0, *bounds], [*bounds, len(text)]):
            for a, b in _within_length(text, start, end, max_chars):
                self.starts.append(a)
                self.ends.append(b)
        self.costs = [estimate_tokens(text[a:b]) for a, b in zip(self.starts, self.ends)]
        self.names: list[list[NameCandidate]] = [[] for _ in self.starts]
        if evidence is not None:
            self._count_candidates(evidence)

    def __len__(self) -> int:
        return len(self.starts)

    def _piece_at(self, position: int) -> int:
        return bisect.bisect_right(self.starts, position) - 1

    def _count_candidates(self, evidence: Evidence) -> None:
        lines = _candidate_lines(evidence)
        for quote in evidence.quotes:
            self.costs[self._piece_at(quote.start)] += estimate_tokens(lines[quote.ref]) + 1
        for figure in evidence.figures:
            self.costs[self._piece_at(figure.match.start)] += estimate_tokens(lines[figure.ref]) + 1
        for name in evidence.names:
            for piece in dict.fromkeys(self._piece_at(mention.start) for mention in name.mentions):
                self.names[piece].append(name)

    def fill(self, first: int, room: int) -> int:
        """The last piece of the chunk that starts with piece ``first`` and costs at most ``room`` tokens
        (``first`` itself at least), moved back to a paragraph end when one is near."""
        named: set[str] = set()
        spent, last = 0, first
        for index in range(first, len(self)):
            cost = self.costs[index] + sum(estimate_tokens(name.name) + 1 for name in self.names[index] if name.ref not in named)
            if index > first and spent + cost > room:
                break
            spent, last = spent + cost, index
            named.update(name.ref for name in self.names[index])
        if last + 1 == len(self):
            return last
        keep = self.starts[first] + _PARAGRAPH_END_SHARE * (self.ends[last] - self.starts[first])
        for index in range(last, first, -1):
            if self.ends[index - 1] < keep:
                break
            if self.starts[index] in self.paragraph_starts:
                return index - 1
        return last

    def overlap_start(self, first: int, last: int) -> int:
        """The first piece of the chunk after ``[first, last]``: whole pieces of its last
        :data:`OVERLAP_CHARS`, when that leaves the next chunk starting later than this one."""
        if last + 1 >= len(self):
            return len(self)
        index = last + 1
        while index - 1 > first and self.ends[last] - self.starts[index - 1] <= OVERLAP_CHARS:
            index -= 1
        return index


def _within_length(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut into stretches of at most ``max_chars``, at the last space before each limit."""
    parts = []
    while end - start > max_chars:
        space = text.rfind(" ", start + 1, start + max_chars)
        cut = space if space > start else start + max_chars
        parts.append((start, cut))
        start = cut
    parts.append((start, end))
    return parts


def _candidate_lines(evidence: Evidence) -> dict[str, str]:
    """Each quote's and figure's line in a prompt, by ref (the lines :func:`format_candidates` writes)."""
    listed = Evidence(quotes=evidence.quotes, figures=evidence.figures, names=())
    refs = [quote.ref for quote in evidence.quotes] + [figure.ref for figure in evidence.figures]
    return dict(zip(refs, format_candidates(listed)))


# --------------------------------------------------------------------------
# Reading the chunks
# --------------------------------------------------------------------------


@dataclass
class ChunkReading:
    """What the chunks of one article came back with: answers, failures, and what the calls cost."""

    chunks: list[Chunk]
    answers: dict[int, DigestAnswer] = field(default_factory=dict)
    failures: dict[int, Exception] = field(default_factory=dict)
    log: CallLog = field(default_factory=CallLog)

    def record(self, chunk: Chunk, outcome: Extraction[Any] | Exception) -> None:
        if isinstance(outcome, Exception):
            self.failures[chunk.index] = outcome
            self.log.attempts += getattr(outcome, "attempts", 0)
            self.log.prompt_tokens += getattr(outcome, "prompt_tokens", 0)
            self.log.completion_tokens += getattr(outcome, "completion_tokens", 0)
            return
        answer = outcome.answer
        if isinstance(answer, SummaryAnswer):
            answer = DigestAnswer(summary=answer.summary, key_points=answer.key_points)
        self.answers[chunk.index] = answer
        self.log.attempts += outcome.log.attempts
        self.log.prompt_tokens += outcome.log.prompt_tokens
        self.log.completion_tokens += outcome.log.completion_tokens

    @property
    def partial(self) -> bool:
        """True when some chunk has no answer."""
        return bool(self.failures)

    def warnings(self) -> list[str]:
        """One warning for each chunk without an answer, naming its character range."""
        return [
            f"{MISSING_PART} {self.chunks[index].label.removeprefix('part ')} ({error}); that part's quotes, figures and actors come from the rules only"
            for index, error in sorted(self.failures.items())
        ]

    def endpoint_failure(self) -> BackendError | None:
        """The endpoint's error when no chunk was answered and the endpoint (not a request) failed: the caller raises it."""
        if self.answers:
            return None
        return next((e for e in self.failures.values() if isinstance(e, BackendError) and not isinstance(e, RequestRejectedError)), None)

    def merged(self) -> tuple[DigestAnswer, AnswerOrigins]:
        """The answers concatenated in text order (summary and key points left empty), and where each item was read."""
        answers = [(self.chunks[index], answer) for index, answer in sorted(self.answers.items())]
        merged = DigestAnswer(
            summary="",
            actors=[actor for _, answer in answers for actor in answer.actors],
            quotes=[quote for _, answer in answers for quote in answer.quotes],
            figures=[figure for _, answer in answers for figure in answer.figures],
            stances=_distinct_stances(stance for _, answer in answers for stance in answer.stances),
        )
        origins = AnswerOrigins(
            quotes=[chunk.start for chunk, answer in answers for _ in answer.quotes],
            figures=[chunk.start for chunk, answer in answers for _ in answer.figures],
        )
        return merged, origins

    def summaries(self) -> list[DigestAnswer]:
        """The answers that hold a summary, in text order: the input of the final summary."""
        return [answer for _, answer in sorted(self.answers.items()) if answer.summary.strip()]


def _distinct_stances(stances: Any) -> list[StanceAnswer]:
    """One stance per holder, target and polarity (names compared as grounding compares them); the first with evidence wins."""
    kept: dict[tuple[str, str, str], StanceAnswer] = {}
    for stance in stances:
        key = (name_key(stance.holder), name_key(stance.target), stance.polarity)
        if key not in kept or (kept[key].evidence is None and stance.evidence):
            kept[key] = stance
    return list(kept.values())


async def read_chunks(chunks: Sequence[Chunk], *, answer_model: type[BaseModel], ask: Ask, slots: asyncio.Semaphore, progress: Progress | None) -> ChunkReading:
    """Ask about every chunk, at most ``slots`` calls at a time; a chunk whose call fails is recorded, not raised.

    Failures of a chunk are the model's (ExtractionError) or the endpoint's
    (BackendError) after their retries; anything else (configuration, the
    embedded server, a bug) stops the reading and is raised, the calls in
    flight cancelled.
    """
    reading = ChunkReading(list(chunks))
    done = 0

    async def read(chunk: Chunk) -> None:
        nonlocal done
        async with slots:
            try:
                outcome: Extraction[Any] | Exception = await ask(chunk.messages, answer_model)
            except (ExtractionError, BackendError) as exc:
                outcome = exc
        reading.record(chunk, outcome)
        done += 1
        if progress is not None:
            progress(done, len(reading.chunks))

    if progress is not None:
        progress(0, len(reading.chunks))
    await gather_or_cancel([read(chunk) for chunk in chunks])
    return reading


@dataclass
class LongReading:
    """A long article read in chunks: the merged answer (summary and key points included), where its
    items were read, what the calls cost, and what is missing."""

    answer: DigestAnswer
    origins: AnswerOrigins
    log: CallLog
    warnings: list[str]
    partial: bool
    fallback: bool


async def read_long_article(
    article: Article,
    chunks: Sequence[Chunk],
    *,
    answer_model: type[BaseModel],
    ask: Ask,
    slots: asyncio.Semaphore,
    progress: Progress | None,
    summary_budget: int,
) -> LongReading:
    """Read every chunk (:func:`read_chunks`), merge the answers, and summarize the parts' summaries.

    Raises the endpoint's error when no chunk was answered because the
    endpoint failed. Otherwise chunks that failed are named in warnings and
    the reading is partial (a fallback when none was answered); a summary of
    the parts that fails leaves the summary empty, with a warning (the
    article's lead stands in).
    """
    reading = await read_chunks(chunks, answer_model=answer_model, ask=ask, slots=slots, progress=progress)
    failure = reading.endpoint_failure()
    if failure is not None:
        raise failure
    answer, origins = reading.merged()
    long = LongReading(answer, origins, reading.log, reading.warnings(), partial=reading.partial, fallback=not reading.answers)
    parts = reading.summaries()
    if len(parts) == 1:
        answer.summary, answer.key_points = parts[0].summary, parts[0].key_points
    elif parts:
        await _summarize_parts(long, [part.summary for part in parts], article=article, ask=ask, slots=slots, budget=summary_budget)
    return long


async def _summarize_parts(long: LongReading, parts: list[str], *, article: Article, ask: Ask, slots: asyncio.Semaphore, budget: int) -> None:
    """The summary of a long article, from its parts' summaries: the one path a chunked digest's summary takes."""
    try:
        summary, log = await summary_of_parts(parts, article=article, ask=ask, budget=budget, slots=slots)
    except (ExtractionError, BackendError) as exc:
        log = CallLog(attempts=exc.attempts, prompt_tokens=exc.prompt_tokens, completion_tokens=exc.completion_tokens)
        long.warnings.append(f"the summary of the article's {len(parts)} parts could not be written ({exc}); the article's lead sentences stand in")
    else:
        long.answer.summary, long.answer.key_points = summary.summary, summary.key_points
    long.log.attempts += log.attempts
    long.log.prompt_tokens += log.prompt_tokens
    long.log.completion_tokens += log.completion_tokens


async def summary_of_parts(summaries: Sequence[str], *, article: Article, ask: Ask, budget: int, slots: asyncio.Semaphore) -> tuple[SummaryAnswer, CallLog]:
    """One summary of the chunks' ``summaries``: one call when they fit one prompt, else rounds of
    calls over groups that do, then over their summaries.

    Raises what the calls raise (ExtractionError, BackendError): the caller
    falls back to the article's lead.
    """
    log = CallLog()
    # The parts' summaries are the paragraphs of the text summarized, in order; no labels,
    # which a small model copies into its answer ("Part 1 of 3: ...").
    parts = [summary.strip() for summary in summaries]
    while True:
        answers = await gather_or_cancel(
            [_summary_of(group, article=article, ask=ask, slots=slots, log=log) for group in _groups_within(parts, article=article, budget=budget)]
        )
        if len(answers) == 1:
            return answers[0], log
        parts = [answer.summary.strip() for answer in answers]


async def _summary_of(parts: list[str], *, article: Article, ask: Ask, slots: asyncio.Semaphore, log: CallLog) -> SummaryAnswer:
    async with slots:
        extraction = await ask(_messages(article, "\n\n".join(parts), None, "summary"), SummaryAnswer)
    log.attempts += extraction.log.attempts
    log.prompt_tokens += extraction.log.prompt_tokens
    log.completion_tokens += extraction.log.completion_tokens
    answer: SummaryAnswer = extraction.answer
    return answer


def _groups_within(parts: list[str], *, article: Article, budget: int) -> list[list[str]]:
    """``parts`` in consecutive groups whose summary prompt fits ``budget``, two parts a group at least
    (so each round halves them at worst)."""
    room = budget - estimate_messages(_messages(article, "", None, "summary"))
    groups: list[list[str]] = [[]]
    spent = 0
    for part in parts:
        cost = estimate_tokens(part) + 1
        if len(groups[-1]) >= 2 and spent + cost > room:
            groups.append([])
            spent = 0
        groups[-1].append(part)
        spent += cost
    return groups


# --------------------------------------------------------------------------
# Running a long article's stages: off the event loop, without the cycle collector, on a loop of one's own
# --------------------------------------------------------------------------

LONG_ARTICLE_CHARS = 50_000
"""An article this long costs 50 ms of CPU and more in its rule stages: they run off the event
loop (``Summarizer.asummarize``) and without the cycle collector (:func:`gc_paused`)."""

_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextlib.contextmanager
def gc_paused(*, when: bool = True) -> Iterator[None]:
    """Pause Python's cycle collector while a long article's rule stages run (when ``long``).

    They build millions of small objects and no reference cycles; the
    collector's full passes over them cost 40 % of their time at a million
    characters, growing faster than the text (measured by bench/bench_long.py).
    Nested and concurrent pauses (stages in several threads) share one pause:
    the collector is enabled again when the last one ends, if it was enabled
    before the first. Garbage cycles made meanwhile are collected afterwards.
    """
    global _gc_pauses, _gc_was_enabled
    if not when:
        yield
        return
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


async def gather_or_cancel(coroutines: Sequence[Coroutine[Any, Any, T]]) -> list[T]:
    """The results of ``coroutines`` run concurrently; when one raises (or the caller is cancelled) the rest are cancelled."""
    tasks = [asyncio.ensure_future(coroutine) for coroutine in coroutines]
    try:
        return list(await asyncio.gather(*tasks))
    finally:
        for task in tasks:
            task.cancel()


async def off_the_loop(function: Callable[..., T], *args: Any) -> T:
    """``function(*args)`` run in a daemon thread while the event loop goes on.

    For the CPU-bound rule stages of a long article: a batch's timer can fire
    while they run, and a record given up on does not hold the batch's end (a
    daemon thread dies with the process; the default executor's would be
    waited for).
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(outcome: Any, failed: bool) -> None:
        if future.done():
            return
        if failed:
            future.set_exception(outcome)
        else:
            future.set_result(outcome)

    def work() -> None:
        outcome: Any
        try:
            outcome, failed = function(*args), False
        except BaseException as exc:  # handed to the awaiting coroutine
            outcome, failed = exc, True
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits any more
            loop.call_soon_threadsafe(settle, outcome, failed)

    threading.Thread(target=work, name="summarizer-rules", daemon=True).start()
    return await future


class LoopThread:
    """An event loop in a daemon thread of its own, for async work started from synchronous code
    (which may itself be running inside an event loop, as in a notebook).

    Kept for many runs, so that what binds to a loop is built once: an async
    openai client costs 30 ms of CPU to build (it loads the TLS trust store),
    and its connections stay open for the next run. The thread ends on
    :meth:`close`, or once ``owner`` is garbage-collected.
    """

    def __init__(self, *, owner: object) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="summarizer-chunks", daemon=True)
        self._thread.start()
        self._owner_gone = weakref.finalize(owner, self.stop)

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run ``coroutine`` to its end on the loop; its result, or its exception raised here."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def stop(self) -> None:
        """Let the thread end once what runs now is done (without waiting for it)."""
        with contextlib.suppress(RuntimeError):  # closed already
            self._loop.call_soon_threadsafe(self._loop.stop)

    def close(self) -> None:
        """Cancel what still runs (its callers get CancelledError, as from ``asyncio.run``, rather than wait
        for ever), stop the loop, wait for its thread, and close the loop."""
        self._owner_gone.detach()
        self.run(_cancel_the_other_tasks())
        self.stop()
        self._thread.join()
        self._loop.close()


async def _cancel_the_other_tasks() -> None:
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
