"""The public entry points: ``summarize``, ``asummarize`` and ``Summarizer``.

One article goes: article -> rule evidence -> prompt -> model (validated,
re-asked when its quotes are not in the article) -> grounding -> ArticleSummary.
When the model's answer is unusable (it never validated, or ran into the token
cap) or the model cannot take the article (longer than its context), the
digest is built from the rule evidence alone and a warning says so; when the
endpoint itself fails, the error is raised.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .articles import DEFAULT_MAX_CHARS, Article, article_from_record, make_article
from .errors import ArticleTooLongError, ConfigurationError, ExtractionError
from .grounding import GroundedDigest, TextAligner, check_answer, checked_summary, ground
from .model.backend import BackendConfig, CallLog, Extraction
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
MAX_KEY_POINTS = 5
RULES_MODEL_NAME = "rules"
logger = logging.getLogger("summarizer")

ArticleInput = str | Article | Mapping[str, Any]
"""What the entry points accept: text (or HTML), an Article, or a record with "text"."""


class StructuredModel(Protocol):
    """What the summarizer needs from a model client; ``ModelClient`` is the real one.

    Tests and embedders may pass their own object with these two methods.
    """

    def extract(self, messages: list[dict[str, str]], *, response_model: type[Any], context: dict[str, Any] | None = None) -> Extraction[Any]: ...

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

    @property
    def embedded(self) -> bool:
        """True when no endpoint is configured: the embedded model answers."""
        return self.use_llm and (self.gguf is not None or (self.base_url is None and self.model is None and self.api_key is None))

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
    OpenAI-compatible client (a test fake, or your own object with
    ``extract``/``aextract``).
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
        )
        if scope not in SCOPES:
            raise ConfigurationError(f"unknown scope {scope!r}; choose one of: {', '.join(SCOPES)}")
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
        self, article: ArticleInput, *, id: str | None = None, title: str | None = None, date: str | None = None, url: str | None = None
    ) -> ArticleSummary:
        """Summarize one article; returns an :class:`ArticleSummary`."""
        prepared = self.prepare(article, id=id, title=title, date=date, url=url)
        job = self._start(prepared, find_evidence(prepared.text))
        if job.messages:
            try:
                job.answered(self._model().extract(job.messages, response_model=job.answer_model, context=job.context))
            except (ExtractionError, ArticleTooLongError) as exc:
                job.unusable(exc)
        return self._finish(job, ground(job.answer, text=prepared.text, evidence=job.evidence, lenient=self.settings.lenient, aligner=job.aligner))

    async def asummarize(
        self, article: ArticleInput, *, id: str | None = None, title: str | None = None, date: str | None = None, url: str | None = None
    ) -> ArticleSummary:
        """Async twin of :meth:`summarize`."""
        prepared = self.prepare(article, id=id, title=title, date=date, url=url)
        job = self._start(prepared, find_evidence(prepared.text))
        if job.messages:
            try:
                job.answered(await self._model().aextract(job.messages, response_model=job.answer_model, context=job.context))
            except (ExtractionError, ArticleTooLongError) as exc:
                job.unusable(exc)
        return self._finish(job, ground(job.answer, text=prepared.text, evidence=job.evidence, lenient=self.settings.lenient, aligner=job.aligner))

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
    def backend_host(self) -> str | None:
        """Host of the endpoint ('embedded' for the local model, None without a model)."""
        if not self.settings.use_llm:
            return None
        if self.settings.embedded:
            return "embedded"
        return BackendConfig(model=self.model_name, base_url=self.settings.base_url).host

    def close(self) -> None:
        """Release the HTTP client and stop the embedded server, if any."""
        if self._own_client is not None:
            self._own_client.close()
            self._own_client = None
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
        if self._own_client is None:
            from .model.llm import ModelClient  # openai and Instructor load only when a model is asked

            self._own_client = ModelClient(self._resolved_backend())
        return self._own_client

    def _resolved_backend(self) -> BackendConfig:
        if self._backend is None:
            self._backend = self._backend_config()
        return self._backend

    def _backend_config(self) -> BackendConfig:
        s = self.settings
        common: dict[str, Any] = {
            "max_reasks": s.max_reasks,
            "transport_retries": s.transport_retries,
            "timeout_s": s.timeout_s,
            "max_tokens": min(s.max_tokens, SUMMARY_MAX_TOKENS) if s.resolved_scope == "summary" else s.max_tokens,
            "temperature": s.temperature,
        }
        if s.embedded:
            self._server = EmbeddedServer(gguf=s.gguf)
            base_url = self._server.start()
            return BackendConfig(model=self._server.model_name, base_url=base_url, mode="llama_cpp" if s.mode == "auto" else s.mode, **common)
        return BackendConfig(model=self.model_name, base_url=s.base_url, api_key=s.api_key, mode=s.mode, **common)

    def _start(self, prepared: Article, evidence: Evidence) -> _Job:
        job = _Job(article=prepared, evidence=evidence, started=time.perf_counter())
        if self.settings.use_llm and self.settings.resolved_scope == "full":
            job.messages = render_messages(prepared, evidence=job.evidence)
            job.context = {"check_answer": _ReaskBudget(job, self.settings.max_reasks)}
        elif self.settings.use_llm:
            job.answer_model = SummaryAnswer
            job.messages = render_messages(prepared, scope="summary")
        return job

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

    @functools.cached_property
    def aligner(self) -> TextAligner:
        """The article's aligner, shared by the re-ask check and grounding: its word index is built once."""
        return TextAligner(self.article.text)

    def answered(self, extraction: Extraction[Any]) -> None:
        answer = extraction.answer
        if isinstance(answer, SummaryAnswer):
            answer = DigestAnswer(summary=answer.summary, key_points=answer.key_points)
        self.answer, self.log = answer, extraction.log

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
        model_client=model_client,
    ) as summarizer:
        return await summarizer.asummarize(article, id=id, title=title, date=date, url=url)
