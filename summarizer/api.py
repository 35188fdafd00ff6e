"""The public entry points: ``summarize``, ``asummarize`` and ``Summarizer``.

One article goes: article -> rule evidence -> prompt -> model (validated,
re-asked when its quotes are not in the article) -> grounding -> ArticleSummary.
When the model's answer is unusable (it never validated, or ran into the token
cap) or the model cannot take the article (longer than its context), the
digest is built from the rule evidence alone and a warning says so; when the
endpoint itself fails, the error is raised.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from pydantic import BaseModel

from .articles import DEFAULT_MAX_CHARS, Article, article_from_record, make_article
from .chunking import (
    LONG_ARTICLE_CHARS,
    Chunk,
    LongReading,
    LoopThread,
    Progress,
    fits,
    gc_paused,
    off_the_loop,
    plan_chunks,
    prompt_budget,
    read_long_article,
)
from .errors import ArticleTooLongError, ConfigurationError, ExtractionError
from .grounding import AnswerOrigins, GroundedDigest, TextAligner, check_answer, checked_summary, ground
from .model.backend import BackendConfig, CallLog, Extraction, known_context_tokens
from .model.local import CONTEXT_TOKENS as EMBEDDED_CONTEXT_TOKENS
from .model.local import EmbeddedServer
from .model.prompts import PROMPT_VERSION, render_messages
from .rules import Evidence, find_evidence
from .schema import (
    KEY_POINT_MAX_CHARS,
    SUMMARY_MAX_CHARS,
    ArticleInfo,
    ArticleSummary,
    DigestAnswer,
    Provenance,
    Summary,
    SummaryAnswer,
    Usage,
    without_lone_surrogates,
)

if TYPE_CHECKING:
    from .model.llm import ModelClient

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
DEFAULT_MAX_TOKENS = 2048
SUMMARY_MAX_TOKENS = 300
"""A summary and key points fit well inside this; a looping small model stops early."""
SCOPES = ("auto", "full", "summary")
RULES_MODEL_NAME = "rules"
CONTEXT_TOKENS_ENV = "SUMMARIZER_CONTEXT_TOKENS"
MIN_CONTEXT_TOKENS = 1024
"""A smaller window leaves no room for an article once the instructions and the answer are counted."""
logger = logging.getLogger("summarizer")

ArticleInput = str | Article | Mapping[str, Any]
"""What the entry points accept: text (or HTML), an Article, or a record with "text"."""


class StructuredModel(Protocol):
    """What the summarizer needs from a model client; ``ModelClient`` is the real one.

    Tests and embedders may pass their own object with this method; synchronous
    entry points call it on a loop thread of their own.
    """

    async def aextract(self, messages: list[dict[str, str]], *, response_model: type[Any], context: dict[str, Any] | None = None) -> Extraction[Any]: ...


@dataclass(frozen=True)
class Settings:
    """Everything a Summarizer was configured with, after environment defaults."""

    model: str | None
    base_url: str | None
    api_key: str | None = field(repr=False)
    mode: str
    gguf: Path | None
    use_llm: bool
    lenient: bool
    include_text: bool
    max_chars: int
    max_reasks: int
    transport_retries: int
    timeout_s: float
    max_tokens: int
    temperature: float
    scope: str
    context_tokens: int | None = None
    concurrency: int = 4

    @property
    def embedded(self) -> bool:
        """True when no endpoint is configured: the embedded model answers."""
        return self.use_llm and (self.gguf is not None or (self.base_url is None and self.model is None and self.api_key is None))

    @property
    def answer_tokens(self) -> int:
        """The cap on an answer's tokens: a summary's is smaller."""
        return min(self.max_tokens, SUMMARY_MAX_TOKENS) if self.resolved_scope == "summary" else self.max_tokens

    @property
    def model_summary(self) -> bool:
        """Whether the model's checked summary is the digest's summary (else the lead, and its sentences become key points).

        Not for the default embedded model: on GUM its checked summaries score
        ROUGE-L 0.217 against the lead's 0.310, while its sentences as key
        points lift theirs from 0.157 to 0.203 (``bench/bench_digest.py``).
        """
        return not (self.embedded and self.gguf is None)

    @property
    def resolved_scope(self) -> str:
        """What the model is asked for: "full" digest, or "summary" only.

        The default embedded model (135M parameters) loops or invents when
        asked for the full digest; asked for a summary only, it is quick and
        fluent, and the rules supply quotes, figures and actors.
        """
        if self.scope != "auto":
            return self.scope
        return "summary" if self.embedded and self.gguf is None else "full"


class Summarizer:
    """Holds configuration and a model client for many articles.

    With no model, base URL or key (arguments or ``SUMMARIZER_*``/``OPENAI_*``
    environment variables), the embedded llama.cpp model is started on first
    use and stopped by :meth:`close` (or at exit). ``use_llm=False`` runs the
    rules alone: instant, offline, no model. ``model_client`` replaces the
    OpenAI-compatible client (a test fake, or your own object with an async
    ``aextract``).

    An article longer than the model's context (``context_tokens``, see
    :attr:`context_tokens`) is read in chunks, ``concurrency`` model calls at
    a time, and merged into one digest (see :mod:`summarizer.chunking`).
    """

    def __init__(
        self,
        *,
        model: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        mode: str = "auto",
        gguf: str | Path | None = None,
        use_llm: bool = True,
        lenient: bool = False,
        include_text: bool = True,
        max_chars: int = DEFAULT_MAX_CHARS,
        max_reasks: int = 1,
        transport_retries: int = 3,
        timeout_s: float = 120.0,
        max_tokens: int | None = None,
        temperature: float = 0.0,
        scope: str = "auto",
        context_tokens: int | None = None,
        concurrency: int = 4,
        model_client: StructuredModel | None = None,
    ) -> None:
        env = os.environ.get
        self.settings = Settings(
            model=model or env("SUMMARIZER_MODEL"),
            base_url=base_url or env("SUMMARIZER_BASE_URL") or env("OPENAI_BASE_URL"),
            api_key=api_key or env("SUMMARIZER_API_KEY") or env("OPENAI_API_KEY"),
            mode=mode,
            gguf=Path(gguf) if gguf else None,
            use_llm=use_llm,
            lenient=lenient,
            include_text=include_text,
            max_chars=max_chars,
            max_reasks=max_reasks,
            transport_retries=transport_retries,
            timeout_s=timeout_s,
            # The embedded 135M model can loop on one item; a cap keeps a run short.
            max_tokens=max_tokens or DEFAULT_MAX_TOKENS,
            temperature=temperature,
            scope=scope,
            context_tokens=context_tokens or _positive_int_from_env(CONTEXT_TOKENS_ENV),
            concurrency=concurrency,
        )
        if scope not in SCOPES:
            raise ConfigurationError(f"unknown scope {scope!r}; choose one of: {', '.join(SCOPES)}")
        _check_limits(self.settings)
        if self.settings.context_tokens is not None and self.settings.context_tokens < MIN_CONTEXT_TOKENS:
            source = "context_tokens" if context_tokens else f"the environment variable {CONTEXT_TOKENS_ENV}"
            raise ConfigurationError(f"{source} must be at least {MIN_CONTEXT_TOKENS:,}, got {self.settings.context_tokens:,}")
        if self.settings.base_url and not self.settings.model and not self.settings.gguf:
            raise ConfigurationError("a base URL needs a model name: pass --model (or set SUMMARIZER_MODEL)")
        if self.settings.use_llm and not self.settings.embedded:
            BackendConfig(model=self.model_name, base_url=self.settings.base_url, mode=mode)  # fails fast on a bad URL or mode
        self._setup(model_client)

    def _setup(self, model_client: StructuredModel | None, backend: BackendConfig | None = None) -> None:
        self._injected_client = model_client
        self._own_client: ModelClient | None = None
        self._server: EmbeddedServer | None = None
        self._backend = backend
        # Synchronous calls: made on a loop of their own, by a client bound to it; both kept.
        self._loop: LoopThread | None = None
        self._loop_client: ModelClient | None = None
        self._lock = threading.RLock()  # one model client and one embedded server, whichever thread asks first

    def replica_factory(self) -> Callable[[], Summarizer] | None:
        """A picklable function that builds this summarizer again in another process, or None.

        The replica has the same settings and uses the same endpoint (the
        embedded server is started here, once, and shared); it loads openai
        and Instructor when built. None with an injected ``model_client``,
        which cannot cross processes. Batch worker processes use it.
        """
        if self._injected_client is not None:
            return None
        backend = self._resolved_backend() if self.settings.use_llm else None
        return functools.partial(Summarizer._replica, self.settings, backend)

    @classmethod
    def _replica(cls, settings: Settings, backend: BackendConfig | None) -> Summarizer:
        summarizer = cls.__new__(cls)
        summarizer.settings = settings
        summarizer._setup(None, backend)
        if backend is not None:
            summarizer._model()  # loads openai and Instructor now, before the first article
        return summarizer

    # -- public -----------------------------------------------------------

    def summarize(
        self,
        article: ArticleInput,
        *,
        id: str | None = None,
        title: str | None = None,
        date: str | None = None,
        url: str | None = None,
        progress: Progress | None = None,
    ) -> ArticleSummary:
        """Summarize one article; returns an :class:`ArticleSummary`.

        ``progress`` is told (chunks done, chunks in all) as the chunks of a long article are read.
        """
        job = self._job(self.prepare(article, id=id, title=title, date=date, url=url))
        if job.chunks or job.messages:
            loop, client = self._blocking_reader()
            loop.run(self._ask(job, client=client, calls=None, progress=progress))
        return self._completed(job)

    async def asummarize(
        self,
        article: ArticleInput,
        *,
        id: str | None = None,
        title: str | None = None,
        date: str | None = None,
        url: str | None = None,
        progress: Progress | None = None,
        calls: asyncio.Semaphore | None = None,
    ) -> ArticleSummary:
        """Async twin of :meth:`summarize`.

        ``calls`` bounds the model calls in flight when shared with other
        work (a batch passes its own); by default the article's chunks are
        read ``concurrency`` at a time. The rule stages of a long article run
        off the event loop, so that the loop (and a batch's timer) goes on.
        """
        prepared = self.prepare(article, id=id, title=title, date=date, url=url)
        job = await _stage(self._job, prepared, text=prepared.text)
        if job.chunks or job.messages:
            await self._ask(job, client=await self._amodel(), calls=calls, progress=progress)
        return await _stage(self._completed, job, text=prepared.text)

    def prepare(self, article: ArticleInput, *, id: str | None = None, title: str | None = None, date: str | None = None, url: str | None = None) -> Article:
        """Turn any accepted input into a checked :class:`Article` (InputError if unusable)."""
        if isinstance(article, Article):
            return article
        if isinstance(article, Mapping):
            record = {**article, **{k: v for k, v in {"id": id, "title": title, "date": date, "url": url}.items() if v is not None}}
            return article_from_record(record, max_chars=self.settings.max_chars)
        return make_article(article, id=id, title=title, date=date, url=url, max_chars=self.settings.max_chars)

    @property
    def model_name(self) -> str:
        """The model name results are labelled with (and cached under)."""
        if not self.settings.use_llm:
            return RULES_MODEL_NAME
        if self.settings.embedded:
            return EmbeddedServer(gguf=self.settings.gguf).model_name
        return self.settings.model or DEFAULT_OPENAI_MODEL

    @property
    def context_tokens(self) -> int:
        """Tokens the model takes in one request, prompt and answer together: ``context_tokens``
        (or ``SUMMARIZER_CONTEXT_TOKENS``), else the embedded model's ``n_ctx``, else the known
        window of the model's name (``KNOWN_CONTEXT_TOKENS``), else 8,192."""
        s = self.settings
        if s.context_tokens is not None:
            return s.context_tokens
        if s.embedded:
            return EMBEDDED_CONTEXT_TOKENS
        return known_context_tokens(self.model_name)

    @property
    def backend_host(self) -> str | None:
        """Host of the endpoint ('embedded' for the local model, None without a model)."""
        if not self.settings.use_llm:
            return None
        if self.settings.embedded:
            return "embedded"
        return BackendConfig(model=self.model_name, base_url=self.settings.base_url).host

    def close(self) -> None:
        """Release the HTTP clients and stop the embedded server, if any."""
        with self._lock:
            if self._loop is not None:
                if self._loop_client is not None:
                    self._loop.run(self._loop_client.aclose())
                    self._loop_client = None
                self._loop.close()
                self._loop = None
        self._own_client = None  # its HTTP client belongs to the caller's event loop: closed by aclose_http
        if self._server is not None:
            self._server.stop()
            self._server = None
            self._backend = None

    async def aclose(self) -> None:
        await self.aclose_http()
        self.close()

    async def aclose_http(self) -> None:
        """Close the async HTTP client, which is bound to the event loop that used it.

        The embedded server stays up for the next calls:
        a batch calls this when its event loop ends.
        """
        if self._own_client is not None:
            await self._own_client.aclose()

    def __enter__(self) -> Summarizer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Summarizer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- internals --------------------------------------------------------

    def _model(self) -> StructuredModel:
        if self._injected_client is not None:
            return self._injected_client
        with self._lock:
            if self._own_client is None:
                from .model.llm import ModelClient  # openai and Instructor load only when a model is asked

                self._own_client = ModelClient(self._resolved_backend())
            return self._own_client

    async def _amodel(self) -> StructuredModel:
        """:meth:`_model` without blocking the event loop: the first one imports openai and
        Instructor (1–2 s) and may start the embedded server (up to a minute)."""
        if self._injected_client is not None or self._own_client is not None:
            return self._model()
        return await off_the_loop(self._model)

    def _resolved_backend(self) -> BackendConfig:
        with self._lock:
            if self._backend is None:
                self._backend = self._backend_config()
            return self._backend

    def _backend_config(self) -> BackendConfig:
        s = self.settings
        common: dict[str, Any] = {
            "max_reasks": s.max_reasks,
            "transport_retries": s.transport_retries,
            "timeout_s": s.timeout_s,
            "max_tokens": s.answer_tokens,
            "temperature": s.temperature,
        }
        if s.embedded:
            self._server = EmbeddedServer(gguf=s.gguf, context_tokens=self.context_tokens)
            base_url = self._server.start()
            return BackendConfig(model=self._server.model_name, base_url=base_url, mode="llama_cpp" if s.mode == "auto" else s.mode, **common)
        return BackendConfig(model=self.model_name, base_url=s.base_url, api_key=s.api_key, mode=s.mode, **common)

    def _job(self, prepared: Article) -> _Job:
        """The article's rule evidence and prompt; its chunks when the prompt does not fit the model's context."""
        with gc_paused(when=len(prepared.text) >= LONG_ARTICLE_CHARS):
            job = self._start(prepared, find_evidence(prepared.text))
            if job.messages and not fits(job.messages, self._prompt_budget(job.answer_model)):
                job.chunks = plan_chunks(prepared, job.evidence, scope=self.settings.resolved_scope, budget=self._prompt_budget(job.answer_model))
                if job.answer_model is DigestAnswer:
                    _ = job.aligner  # built here, off the event loop, before the chunks' answers are checked against it
        return job

    def _completed(self, job: _Job) -> ArticleSummary:
        with gc_paused(when=len(job.article.text) >= LONG_ARTICLE_CHARS):
            grounded = ground(job.answer, text=job.article.text, evidence=job.evidence, lenient=self.settings.lenient, aligner=job.aligner, origins=job.origins)
            return self._finish(job, grounded)

    def _prompt_budget(self, answer_model: type[BaseModel]) -> int:
        return prompt_budget(context_tokens=self.context_tokens, answer_tokens=self.settings.answer_tokens, answer_model=answer_model)

    def _start(self, prepared: Article, evidence: Evidence) -> _Job:
        job = _Job(article=prepared, evidence=evidence, started=time.perf_counter())
        if self.settings.use_llm and self.settings.resolved_scope == "full":
            job.messages = render_messages(prepared, evidence=job.evidence)
            job.context = self._reask_context(job)
        elif self.settings.use_llm:
            job.answer_model = SummaryAnswer
            job.messages = render_messages(prepared, scope="summary")
        return job

    def _reask_context(self, job: _Job) -> dict[str, Any]:
        """The validation context of one call for a digest: its own budget of re-asks."""
        return {"check_answer": _ReaskBudget(job, self.settings.max_reasks)}

    def _blocking_reader(self) -> tuple[LoopThread, StructuredModel]:
        """This summarizer's loop thread and a model client bound to it, for :meth:`summarize`.

        Synchronous code asks the model on a loop too, so that every call has one deadline
        (``timeout_s`` for the whole answer, not for each read) and one code path; both are
        kept for the next article (see :class:`~summarizer.chunking.LoopThread`).
        """
        from .model.llm import ModelClient

        with self._lock:
            if self._loop is None:
                self._loop = LoopThread(owner=self)
            if self._injected_client is not None:
                return self._loop, self._injected_client
            if self._loop_client is None:
                self._loop_client = ModelClient(self._own_client.config if self._own_client else self._resolved_backend())
            return self._loop, self._loop_client

    async def _ask(self, job: _Job, *, client: StructuredModel, calls: asyncio.Semaphore | None, progress: Progress | None) -> None:
        """Ask the model for ``job``'s answer: in one call, or chunk by chunk for a long article."""
        if job.chunks:
            await self._read_in_chunks(job, client=client, calls=calls, progress=progress)
            return
        try:
            async with calls or contextlib.nullcontext():
                job.answered(await client.aextract(job.messages, response_model=job.answer_model, context=job.context))
        except (ExtractionError, ArticleTooLongError) as exc:
            job.unusable(exc)

    async def _read_in_chunks(self, job: _Job, *, client: StructuredModel, calls: asyncio.Semaphore | None, progress: Progress | None) -> None:
        """Read the chunks of a long article, ``calls`` (or ``concurrency``) model calls at a time, into ``job``."""

        async def ask(messages: list[dict[str, str]], answer_model: type[BaseModel]) -> Extraction[Any]:
            context = self._reask_context(job) if answer_model is DigestAnswer else None
            return await client.aextract(messages, response_model=answer_model, context=context)

        slots = calls or asyncio.Semaphore(self.settings.concurrency)
        job.read(
            await read_long_article(
                job.article,
                job.chunks,
                answer_model=job.answer_model,
                ask=ask,
                slots=slots,
                progress=progress,
                summary_budget=self._prompt_budget(SummaryAnswer),
            )
        )

    def _finish(self, job: _Job, grounded: GroundedDigest) -> ArticleSummary:
        article, answer, log, warnings = job.article, job.answer, job.log, job.warnings
        summary = checked_summary(
            _within(answer.summary.strip(), SUMMARY_MAX_CHARS, warnings, what="summary"),
            [_within(point, KEY_POINT_MAX_CHARS, warnings, what="key point") for point in _distinct(answer.key_points)],
            text=article.text,
            title=article.title,
            evidence=job.evidence,
            actors=grounded.actors,
            use_model=self.settings.use_llm,
            model_summary=self.settings.model_summary,
        )
        warnings += summary.warnings
        return ArticleSummary(
            article=ArticleInfo(
                id=article.id,
                title=article.title,
                date=article.date,
                language=article.language,
                url=article.url,
                chars=len(article.text),
                sha256=article.sha256,
                text=article.text if self.settings.include_text else None,
            ),
            summary=Summary(text=summary.text, key_points=[point.text for point in summary.points], points=summary.points),
            actors=grounded.actors,
            quotes=grounded.quotes,
            figures=grounded.figures,
            stances=grounded.stances,
            provenance=Provenance(
                model=self.model_name,
                base_url=self.backend_host,
                prompt_version=PROMPT_VERSION,
                attempts=log.attempts,
                usage=Usage(prompt_tokens=log.prompt_tokens, completion_tokens=log.completion_tokens),
                latency_s=round(time.perf_counter() - job.started, 3),
                fallback=job.fallback,
                partial=job.partial,
                chunks=max(1, len(job.chunks)),
                summary_source=summary.source,
                # Warnings quote the model and the server, whose text may hold lone surrogates.
                warnings=without_lone_surrogates([*warnings, *grounded.warnings]),
            ),
        )


@dataclass
class _Job:
    """One article on its way through the pipeline."""

    article: Article
    evidence: Evidence
    started: float
    messages: list[dict[str, str]] = field(default_factory=list)
    answer_model: type[DigestAnswer] | type[SummaryAnswer] = DigestAnswer
    context: dict[str, Any] = field(default_factory=dict)
    answer: DigestAnswer = field(default_factory=lambda: DigestAnswer(summary=""))
    log: CallLog = field(default_factory=CallLog)
    warnings: list[str] = field(default_factory=list)
    fallback: bool = False
    chunks: list[Chunk] = field(default_factory=list)
    origins: AnswerOrigins | None = None
    partial: bool = False

    @functools.cached_property
    def aligner(self) -> TextAligner:
        """The article's aligner, shared by the re-ask check and grounding: its word index is built once."""
        return TextAligner(self.article.text)

    def answered(self, extraction: Extraction[Any]) -> None:
        answer = extraction.answer
        if isinstance(answer, SummaryAnswer):
            answer = DigestAnswer(summary=answer.summary, key_points=answer.key_points)
        self.answer, self.log = answer, extraction.log

    def read(self, reading: LongReading) -> None:
        """What the chunks of a long article came back with: the merged answer, its cost, whether parts are missing."""
        self.answer, self.origins, self.log = reading.answer, reading.origins, reading.log
        self.partial, self.fallback = reading.partial, reading.fallback
        self.warnings.extend(reading.warnings)

    def unusable(self, exc: ExtractionError | ArticleTooLongError) -> None:
        self.log = CallLog(attempts=exc.attempts, prompt_tokens=exc.prompt_tokens, completion_tokens=exc.completion_tokens)
        self.fallback = True
        if isinstance(exc, ArticleTooLongError):
            self.warnings.append(f"the model could not take the article ({exc}); digest built from rule evidence only")
            return
        salvaged = _salvage_summary(exc.last_completion)
        if salvaged:
            self.answer = DigestAnswer(summary=salvaged)
            self.warnings.append(f"model answer unusable ({exc}); its summary was kept, the rest comes from rule evidence")
        else:
            self.warnings.append(f"model answer unusable ({exc}); digest built from rule evidence only")


_T = TypeVar("_T")


async def _stage(function: Callable[[Any], _T], argument: Any, *, text: str) -> _T:
    """``function(argument)``, a CPU-bound stage of the article ``text``: off the event loop when the article is long."""
    if len(text) >= LONG_ARTICLE_CHARS:
        return await off_the_loop(function, argument)
    return function(argument)


_SUMMARY_FIELD = re.compile(r'"summary"\s*:\s*"((?:[^"\\]|\\.)*)"')


def _salvage_summary(raw: str | None) -> str | None:
    """The complete "summary" string of a cut-off JSON answer, if it has one.

    Small models tend to loop in the lists that follow the summary; the
    summary itself is often whole and worth keeping.
    """
    match = _SUMMARY_FIELD.search(raw or "")
    if not match:
        return None
    try:
        text = json.loads(f'"{match.group(1)}"', strict=False)
    except ValueError:
        return None
    return without_lone_surrogates(text.strip()) or None


class _ReaskBudget:
    """The validation-context check: problems trigger a re-ask while re-asks are left.

    The last attempt is accepted as it is: grounding then drops what is not in
    the article and says so in the warnings.
    """

    def __init__(self, job: _Job, reasks: int) -> None:
        self.job, self.left = job, reasks

    def __call__(self, answer: DigestAnswer) -> list[str]:
        if self.left <= 0:
            return []
        problems = check_answer(answer, text=self.job.article.text, evidence=self.job.evidence, aligner=self.job.aligner)
        if problems:
            self.left -= 1
        return problems


def _check_limits(settings: Settings) -> None:
    """Refuse limits no run can honour: a timeout of 0 s would read as 'cannot reach' the endpoint, a negative cap would be sent to it."""
    for name, value, least in (
        ("concurrency", settings.concurrency, 1),
        ("max_chars", settings.max_chars, 1),
        ("max_tokens", settings.max_tokens, 1),
        ("max_reasks", settings.max_reasks, 0),
        ("transport_retries", settings.transport_retries, 0),
    ):
        if value < least:
            raise ConfigurationError(f"{name} must be at least {least}, got {value}")
    if not settings.timeout_s > 0:  # NaN too
        raise ConfigurationError(f"timeout_s must be a positive number of seconds, got {settings.timeout_s}")


def _positive_int_from_env(name: str) -> int | None:
    """The whole number in environment variable ``name``, or None when unset; ConfigurationError when it is not one."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigurationError(f"{name}={raw!r} is not a positive whole number of tokens, e.g. {name}=32768")
    return int(raw)


def _within(text: str, limit: int, warnings: list[str], *, what: str) -> str:
    """``text`` cut to ``limit`` characters at a sentence end (else a word end), with a warning.

    The schema asks for the bound; a model that ignores it (no grammar) can
    loop for thousands of words, and a digest's summary must stay short.
    """
    if len(text) <= limit:
        return text
    head = text[:limit]
    sentence_end = max(head.rfind(". "), head.rfind("! "), head.rfind("? "))
    cut = head[: sentence_end + 1] if sentence_end > limit // 3 else head.rsplit(" ", 1)[0].rstrip(",;:") + "…"
    warnings.append(f"the model's {what} ran to {len(text):,} characters; cut to {len(cut):,}")
    return cut


def _distinct(points: list[str]) -> list[str]:
    """Key points without blanks, labels and repeats (small models repeat themselves).

    A point whose words are contained in a point already kept (or that
    contains one) is a repeat too: "X." and "Key points: X, and Y." say X twice.
    """
    kept: list[str] = []
    seen: list[str] = []
    for point in points:
        point = _KEY_POINT_LABEL.sub("", point.strip()).strip()
        folded = " " + " ".join(re.findall(r"\w+", point.casefold())) + " "
        if folded.strip() and not any(folded in other or other in folded for other in seen):
            seen.append(folded)
            kept.append(point)
    return kept


_KEY_POINT_LABEL = re.compile(r"^(?:key points?|summary)\s*:\s*", re.IGNORECASE)


def summarize(
    article: ArticleInput,
    *,
    id: str | None = None,
    title: str | None = None,
    date: str | None = None,
    url: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    mode: str = "auto",
    gguf: str | Path | None = None,
    use_llm: bool = True,
    lenient: bool = False,
    include_text: bool = True,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_reasks: int = 1,
    transport_retries: int = 3,
    timeout_s: float = 120.0,
    max_tokens: int | None = None,
    temperature: float = 0.0,
    scope: str = "auto",
    context_tokens: int | None = None,
    concurrency: int = 4,
    model_client: StructuredModel | None = None,
) -> ArticleSummary:
    """Summarize one article with a throw-away :class:`Summarizer`.

    ``id``, ``title``, ``date`` and ``url`` describe the article; every other
    option is :class:`Summarizer`'s (the embedded model starts and stops with
    the call: keep a ``Summarizer`` for many articles).
    """
    with Summarizer(
        model=model,
        base_url=base_url,
        api_key=api_key,
        mode=mode,
        gguf=gguf,
        use_llm=use_llm,
        lenient=lenient,
        include_text=include_text,
        max_chars=max_chars,
        max_reasks=max_reasks,
        transport_retries=transport_retries,
        timeout_s=timeout_s,
        max_tokens=max_tokens,
        temperature=temperature,
        scope=scope,
        context_tokens=context_tokens,
        concurrency=concurrency,
        model_client=model_client,
    ) as summarizer:
        return summarizer.summarize(article, id=id, title=title, date=date, url=url)


async def asummarize(
    article: ArticleInput,
    *,
    id: str | None = None,
    title: str | None = None,
    date: str | None = None,
    url: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    mode: str = "auto",
    gguf: str | Path | None = None,
    use_llm: bool = True,
    lenient: bool = False,
    include_text: bool = True,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_reasks: int = 1,
    transport_retries: int = 3,
    timeout_s: float = 120.0,
    max_tokens: int | None = None,
    temperature: float = 0.0,
    scope: str = "auto",
    context_tokens: int | None = None,
    concurrency: int = 4,
    model_client: StructuredModel | None = None,
) -> ArticleSummary:
    """Async twin of :func:`summarize`."""
    async with Summarizer(
        model=model,
        base_url=base_url,
        api_key=api_key,
        mode=mode,
        gguf=gguf,
        use_llm=use_llm,
        lenient=lenient,
        include_text=include_text,
        max_chars=max_chars,
        max_reasks=max_reasks,
        transport_retries=transport_retries,
        timeout_s=timeout_s,
        max_tokens=max_tokens,
        temperature=temperature,
        scope=scope,
        context_tokens=context_tokens,
        concurrency=concurrency,
        model_client=model_client,
    ) as summarizer:
        return await summarizer.asummarize(article, id=id, title=title, date=date, url=url)
