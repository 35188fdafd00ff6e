"""The model layer: the only module that imports openai, instructor and tenacity.

One code path for every backend: the async ``openai`` client wrapped by
Instructor, each request within one deadline. Two retry loops, kept apart on purpose:

* transport retries (tenacity, here): 429 honouring ``Retry-After``, 5xx,
  timeouts, dropped connections, empty answers, bodies that are not JSON.
  They repeat the same request.
* validation re-asks (Instructor's ``max_retries``): the answer did not parse
  or did not pass the article checks; the model is told why and asked again.

Every raw call is counted and its token usage summed, whichever loop made it.
Errors from the dependencies become :mod:`summarizer.errors` here and only here.
The API key is removed from every exception that leaves a raw call and from
every answer's text, before Instructor logs, re-sends or reports them: servers
and proxies echo keys back.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import email.utils
import functools
import json
import logging
import random
import re
import time
from collections.abc import Awaitable, Iterator
from typing import Any, TypeGuard, TypeVar

import instructor
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import model_json_schema as generate_json_schema
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from ..errors import ArticleTooLongError, AuthenticationError, BackendError, ExtractionError, RateLimitError, RequestRejectedError, SummarizerError
from ..schema import answer_context, without_lone_surrogates
from .backend import MODES, BackendConfig, CallLog, Extraction

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")

__all__ = ["MODES", "BackendConfig", "CallLog", "Extraction", "ModelClient"]

# Instructor logs every failed attempt at ERROR; our callers get typed errors
# and warnings instead, so keep its records off the user's terminal.
logging.getLogger("instructor").addHandler(logging.NullHandler())
logging.getLogger("instructor").propagate = False
# What this module says (calls, retries, mode changes) carries hosts, models,
# statuses and token counts only: never a message body, where a key could echo.
logger = logging.getLogger("summarizer")
logger.addHandler(logging.NullHandler())  # a library stays quiet unless asked (-v)


_INSTRUCTOR_MODES = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
    # JSON_SCHEMA puts no schema text into the prompt; the request's
    # response_format is then replaced through extra_body (see _extra_body).
    "llama_cpp": instructor.Mode.JSON_SCHEMA,
}
_REJECTED_REQUEST_STATUS = {400, 413, 422}
"""Statuses that refuse one request (its size or content), not the endpoint as a whole."""
_TOO_LONG_SIGNS = ("context", "too long", "too many tokens")
"""How servers say a request exceeds the model's window: "maximum context length is 8192 tokens"
(OpenAI, vLLM), "exceed context window of 8192" (llama.cpp)."""
_RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}
MAX_RETRY_AFTER_S = 60.0
LLAMA_CPP_REPEAT_PENALTY = 1.1


class _DeadlinePassed(Exception):
    """The whole request took longer than ``timeout_s``: retried and reported like the client's own timeout."""


class _UnusableResponse(Exception):
    """The endpoint answered 200 with no choices or a body that is not JSON; worth another try."""


class ModelClient:
    """Structured answers from one OpenAI-compatible endpoint.

    Async only: a deadline can cut a call short on an event loop, not in a
    blocked thread (synchronous callers run it on a loop thread, see
    :class:`summarizer.chunking.LoopThread`).
    """

    def __init__(self, config: BackendConfig) -> None:
        self.config = config
        self._auto_mode = config.mode == "auto"
        self._http: tuple[asyncio.AbstractEventLoop, openai.AsyncOpenAI] | None = None

    # -- public -----------------------------------------------------------

    async def aextract(self, messages: list[dict[str, str]], *, response_model: type[T], context: dict[str, Any] | None = None) -> Extraction[T]:
        """Ask for ``response_model``; raises BackendError or ExtractionError."""
        log = CallLog()
        client = await self._http_client()
        while True:
            sent_in = self.config.resolved_mode
            patched = instructor.patch(create=self._async_create(log, client), mode=_INSTRUCTOR_MODES[sent_in])
            try:
                with answer_context(context):
                    return Extraction(answer=_plain(await patched(**self._request(messages, response_model)), response_model), log=log)
            except Exception as exc:
                if not self._fall_back_to_json_object(exc, sent_in=sent_in):
                    raise self._map_error(exc, log) from exc

    def _async_create(self, calls: CallLog, client: openai.AsyncOpenAI) -> Any:

        async def create(**kwargs: Any) -> Any:
            with _key_redacted(self.config.api_key):
                async for attempt in AsyncRetrying(**self._retry_policy()):
                    with attempt, _body_must_be_json():
                        calls.attempts += 1
                        response = await self._within_deadline(client.chat.completions.create(**kwargs))
                        calls.record(response)
                        self._log_response(response)
                        _require_choices(response)
            return _repair_json_content(_key_removed(response, self.config.api_key))

        return create

    async def _within_deadline(self, request: Awaitable[R]) -> R:
        """The request's answer within ``timeout_s`` in all.

        The client's own timeout bounds each read only: a server that trickles
        a byte a second would hold the call for ever. Past the deadline the
        request is cancelled (its connection closed) and counts as a timeout.
        """
        # Not asyncio.wait_for: on Python 3.10/3.11 it can swallow the caller's cancellation when the request
        # ends at the same moment, and the retry loop then goes on for a batch that has already stopped.
        call = asyncio.ensure_future(request)
        try:
            done, _ = await asyncio.wait({call}, timeout=self.config.timeout_s)
        finally:
            call.cancel()  # past the deadline, or the caller was cancelled: the request's connection closes
            call.add_done_callback(_outcome_read)  # what it ended with, if it ended as we were cancelled, is moot
        if not done:
            raise _DeadlinePassed
        return call.result()

    def _fall_back_to_json_object(self, exc: Exception, *, sent_in: str) -> bool:
        """Whether to ask again in ``llama_cpp`` mode: the server refused an auto-chosen json_schema request.

        Some OpenAI-compatible servers (llama-cpp-python's among them) accept
        ``response_format`` type json_object only. Asked once in the wrong form,
        the client remembers the right one for every later request; requests
        already in flight in the old form (a batch sends several at once) are
        asked again too.
        """
        if not self._auto_mode or sent_in != "json_schema":
            return False
        cause = exc.__cause__ if isinstance(exc, InstructorRetryException) and exc.__cause__ else exc
        if not _refuses_response_format(cause):
            return False
        if self.config.resolved_mode == "json_schema":
            self.config = dataclasses.replace(self.config, mode="llama_cpp")
            logger.warning("%s refuses response_format json_schema; asking with json_object and a schema from now on", self.config.host)
        return True

    async def aclose(self) -> None:
        if self._http is not None:
            _, client = self._http
            self._http = None
            with contextlib.suppress(Exception):  # a client of a loop that has ended: its connections died with it
                await client.close()

    # -- request ----------------------------------------------------------

    def _request(self, messages: list[dict[str, str]], response_model: type[T]) -> dict[str, Any]:
        cfg = self.config
        request: dict[str, Any] = {
            "model": cfg.model,
            "messages": messages,
            "response_model": _prepared_model(response_model),
            "max_retries": cfg.max_reasks,
            "max_tokens": cfg.max_tokens,
            "temperature": cfg.temperature,
        }
        extra = self._extra_body(response_model)
        if extra:
            request["extra_body"] = extra
        return request

    def _extra_body(self, response_model: type[BaseModel]) -> dict[str, Any]:
        extra = dict(self.config.extra_params)
        if self.config.resolved_mode == "llama_cpp":
            # Replaces instructor's json_schema response_format in the body:
            # llama-cpp-python's server compiles this schema into a grammar.
            extra["response_format"] = {"type": "json_object", "schema": _prepared_model(response_model).model_json_schema()}
            # Small models loop on one item; the grammar keeps the JSON valid under the penalty.
            extra.setdefault("repeat_penalty", LLAMA_CPP_REPEAT_PENALTY)
        return extra

    def _retry_policy(self) -> dict[str, Any]:
        return {
            "stop": stop_after_attempt(self.config.transport_retries + 1),
            "retry": retry_if_exception(_is_transient),
            "wait": _wait_before_retry,
            "before_sleep": self._log_retry,
            "reraise": True,
        }

    def _log_retry(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        status = getattr(exc, "status_code", None)
        reason = f"HTTP {status}" if status else type(exc).__name__
        pause = state.next_action.sleep if state.next_action else 0.0
        logger.warning(
            "%s: %s; retrying in %.1f s (attempt %d of %d)", self.config.host, reason, pause, state.attempt_number + 1, self.config.transport_retries + 1
        )

    def _log_response(self, response: Any) -> None:
        usage = getattr(response, "usage", None)
        choices = getattr(response, "choices", None) or [None]
        logger.info(
            "%s answered (%s mode): %s prompt + %s completion tokens, finish_reason=%s",
            self.config.host,
            self.config.resolved_mode,
            getattr(usage, "prompt_tokens", "?"),
            getattr(usage, "completion_tokens", "?"),
            getattr(choices[0], "finish_reason", None),
        )

    async def _http_client(self) -> openai.AsyncOpenAI:
        """The HTTP client of the running event loop: its connections belong to that loop,
        so a caller who runs ``asyncio.run`` twice gets a client for each. The first one is
        closed here: left to the garbage collector, openai would close it on whatever loop
        runs then, and print the failure ("Event loop is closed") on the user's terminal."""
        loop = asyncio.get_running_loop()
        if self._http is not None and self._http[0] is not loop:
            await self.aclose()
        if self._http is None:
            self._http = (loop, openai.AsyncOpenAI(**self._client_options()))
        return self._http[1]

    def _client_options(self) -> dict[str, Any]:
        cfg = self.config
        # Local servers need no key, but the client insists on one.
        return {"base_url": cfg.base_url, "api_key": cfg.api_key or "not-needed", "timeout": cfg.timeout_s, "max_retries": 0}

    # -- errors -----------------------------------------------------------

    def _map_error(self, exc: Exception, log: CallLog) -> SummarizerError:
        cause: BaseException = exc
        if isinstance(exc, InstructorRetryException) and exc.__cause__ is not None:
            cause = exc.__cause__
        error = _translate(cause, exc, self.config, log.attempts)
        error.attempts = log.attempts
        error.prompt_tokens, error.completion_tokens = log.prompt_tokens, log.completion_tokens
        return _scrub(error, self.config.api_key)


def _translate(cause: BaseException, exc: Exception, cfg: BackendConfig, attempts: int) -> SummarizerError:
    where = cfg.host
    if isinstance(cause, SummarizerError):
        return cause
    if isinstance(cause, IncompleteOutputException):
        return ExtractionError(
            f"the model's answer was cut off at max_tokens={cfg.max_tokens} (it may be repeating itself)",
            attempts=attempts,
            last_completion=_completion_text(getattr(cause, "last_completion", None)),
        )
    if isinstance(cause, (ValidationError, ValueError)) and not isinstance(cause, openai.OpenAIError):
        last = getattr(exc, "last_completion", None)
        return ExtractionError(
            f"the model's answer did not validate after {attempts} attempt(s): {_one_line(str(cause))}",
            attempts=attempts,
            last_completion=_completion_text(last),
        )
    if isinstance(cause, (openai.AuthenticationError, openai.PermissionDeniedError)):
        return AuthenticationError(
            f"{where} refused the credentials (HTTP {cause.status_code}); check the key: --api-key, or SUMMARIZER_API_KEY / OPENAI_API_KEY", attempts=attempts
        )
    if isinstance(cause, openai.RateLimitError):
        return RateLimitError(f"{where} is still rate-limiting after {attempts} attempt(s); lower --concurrency or try later", attempts=attempts)
    if isinstance(cause, openai.NotFoundError):
        return BackendError(f"{where} answered 404: is the model name {cfg.model!r} right, and does the base URL end in /v1?", attempts=attempts)
    if isinstance(cause, (openai.APITimeoutError, _DeadlinePassed)):
        return BackendError(f"{where} did not answer within {cfg.timeout_s:g} s ({attempts} attempt(s))", attempts=attempts)
    if isinstance(cause, openai.APIConnectionError):
        return BackendError(f"cannot reach {where} ({attempts} attempt(s)); is the server running and the base URL right?", attempts=attempts)
    if _refuses_response_format(cause):
        return BackendError(
            f"{where} refuses the request form of --mode {cfg.resolved_mode} (HTTP {cause.status_code}: {_one_line(_status_message(cause), 200)}); "
            "try --mode auto, or llama_cpp for llama-cpp-python's server",
            attempts=attempts,
        )
    if isinstance(cause, openai.APIStatusError) and cause.status_code in _REJECTED_REQUEST_STATUS:
        message = _one_line(_status_message(cause))
        if cause.status_code == 413 or any(sign in message.lower() for sign in _TOO_LONG_SIGNS):
            return ArticleTooLongError(
                f"{where} refused the article as too long for the model (HTTP {cause.status_code}): {message}; use a longer-context model", attempts=attempts
            )
        return RequestRejectedError(f"{where} refused the request (HTTP {cause.status_code}): {message}", attempts=attempts)
    if isinstance(cause, openai.APIStatusError):
        return BackendError(f"{where} answered HTTP {cause.status_code}: {_one_line(_status_message(cause))}", attempts=attempts)
    if isinstance(cause, openai.APIResponseValidationError):
        return BackendError(f"{where} sent a response that is not a chat completion", attempts=attempts)
    if isinstance(cause, _UnusableResponse):
        return BackendError(f"{where} kept answering with {cause} ({attempts} attempt(s))", attempts=attempts)
    if isinstance(cause, openai.OpenAIError):
        return BackendError(f"{where}: {_one_line(str(cause))}", attempts=attempts)
    return ExtractionError(f"the model's answer could not be used: {_one_line(str(cause))}", attempts=attempts)


def _scrub(error: SummarizerError, api_key: str | None) -> SummarizerError:
    """Remove the API key from a message that quotes a server's words."""
    if api_key and len(api_key) >= 4 and api_key in str(error):
        error.args = (str(error).replace(api_key, "[redacted]"),)
    return error


@contextlib.contextmanager
def _key_redacted(api_key: str | None) -> Iterator[None]:
    """Re-raise exceptions with the API key replaced in their messages and error bodies.

    Applied where the raw call raises, so that Instructor's log record of the
    failure and the ``__cause__`` chain of our own error never carry the key.
    """
    try:
        yield
    except Exception as exc:
        if api_key and len(api_key) >= 4:
            _redact_chain(exc, api_key)
        raise


def _redact_chain(exc: BaseException, api_key: str) -> None:
    """Redact ``exc`` and every exception it was raised from or while handling."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        current.args = tuple(arg.replace(api_key, "[redacted]") if isinstance(arg, str) else arg for arg in current.args)
        for name in ("message", "body"):  # openai.APIError keeps the server's words here too
            value = getattr(current, name, None)
            if isinstance(value, (str, dict, list)) and api_key in json.dumps(value):
                setattr(current, name, json.loads(json.dumps(value).replace(api_key, "[redacted]")))
        pending += [current.__cause__, current.__context__]


def _status_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        if isinstance(inner, str):
            return inner
    return exc.message


def _one_line(text: str, limit: int = 300) -> str:
    """The text on one line, cut at ``limit``: servers send multi-line messages whose first line says little ("1 validation error:")."""
    line = " ".join(without_lone_surrogates(text).split()) or "no details"
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _completion_text(completion: Any) -> str | None:
    try:
        return str(completion.choices[0].message.content)
    except (AttributeError, IndexError, TypeError):
        return None if completion is None else str(completion)[:2000]


def _require_choices(response: Any) -> None:
    if not getattr(response, "choices", None):
        raise _UnusableResponse("no choices")


@contextlib.contextmanager
def _body_must_be_json() -> Iterator[None]:
    """A 200 whose body does not parse is the endpoint's fault (a proxy, a crash
    mid-write), not the model's: retried like a 5xx, never re-asked."""
    try:
        yield
    except json.JSONDecodeError as exc:
        raise _UnusableResponse("a body that is not JSON") from exc


def _key_removed(response: Any, api_key: str | None) -> Any:
    """The response with the API key replaced in its message text and tool-call arguments."""
    if not api_key or len(api_key) < 4:
        return response
    for choice in response.choices:
        message = choice.message
        if isinstance(message.content, str):
            message.content = message.content.replace(api_key, "[redacted]")
        for call in message.tool_calls or []:
            function = getattr(call, "function", None)
            if function is not None and isinstance(function.arguments, str):
                function.arguments = function.arguments.replace(api_key, "[redacted]")
    return response


def _repair_json_content(response: Any) -> Any:
    """Make a JSON answer parseable when only its packaging is off.

    Small models put raw newlines inside strings (pydantic's strict parser
    rejects them); many servers wrap the object in a Markdown fence or a line
    of chat around it. The object itself is never changed; content with no
    JSON object in it is left alone for Instructor to judge.
    """
    message = response.choices[0].message
    content = getattr(message, "content", None)
    if not content:
        return response
    candidate = _unwrapped(content)
    if candidate == content and not _CONTROL_IN_TEXT.search(content):
        return response
    with contextlib.suppress(ValueError):
        message.content = json.dumps(json.loads(candidate, strict=False), ensure_ascii=False)
    return response


def _unwrapped(content: str) -> str:
    """The JSON object inside a Markdown fence or surrounding prose, else ``content``."""
    fenced = _FENCE.search(content)
    if fenced:
        return fenced.group(1)
    start, end = content.find("{"), content.rfind("}")
    if 0 < start < end and not content.lstrip().startswith(("{", "[")):
        return content[start : end + 1]
    return content


_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\n\r\t]")
_FENCE = re.compile(r"```(?:json|JSON)?\s*(\{.*\})\s*```", re.DOTALL)


@functools.cache
def _prepared_model(response_model: type[T]) -> type[T]:
    """``response_model`` as Instructor prepares it for a request, built once per model, its JSON schema too.

    Instructor wraps a plain model in a new subclass of its ``OpenAISchema``
    on every request, and its request handlers generate the JSON schema of
    that class every time (4-5 ms of CPU a call measured here, more than the openai client's
    own work; instructor issue #2603); a model that is an ``OpenAISchema``
    already is used as it is. The class here is the one
    ``instructor.openai_schema`` builds (same name, docstring and module, so
    the same schema, tool name and validation messages), with
    ``model_json_schema()`` (no arguments: how Instructor and this module ask)
    answered from a copy made once. Instructor still validates every answer
    with it.
    """
    schema = json.dumps(instructor.openai_schema(response_model).model_json_schema())

    def model_json_schema(cls: type[BaseModel], *args: Any, **kwargs: Any) -> dict[str, Any]:
        if args or kwargs:
            return generate_json_schema(cls, *args, **kwargs)
        copy: dict[str, Any] = json.loads(schema)  # a fresh dict each time: a request may change its copy
        return copy

    namespace = {
        "__module__": response_model.__module__,
        "__qualname__": response_model.__qualname__,
        "__doc__": response_model.__doc__,
        "model_json_schema": classmethod(model_json_schema),
    }
    prepared: type[T] = type(response_model.__name__, (response_model, instructor.OpenAISchema), namespace)
    return prepared


def _plain(answer: T, response_model: type[T]) -> T:
    """The answer as an instance of ``response_model`` itself, not of Instructor's runtime subclass,
    which cannot be pickled (to a worker process) by its name."""
    if type(answer) is response_model:
        return answer
    return response_model.model_construct(_fields_set=answer.model_fields_set, **dict(answer))


def _outcome_read(call: asyncio.Future[Any]) -> None:
    """Read a cancelled request's outcome, so that an error it ended with is not reported as never retrieved."""
    if not call.cancelled():
        call.exception()


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, (openai.APIConnectionError, _UnusableResponse, _DeadlinePassed)):
        return True  # includes APITimeoutError
    # A server that rejects the request's shape answers the same every time.
    return isinstance(exc, openai.APIStatusError) and exc.status_code in _RETRY_STATUS and not _refuses_response_format(exc)


def _refuses_response_format(exc: BaseException) -> TypeGuard[openai.APIStatusError]:
    """True for an error status that complains about ``response_format`` (or json_schema)."""
    if not isinstance(exc, openai.APIStatusError) or exc.status_code not in (400, 422, 500):
        return False
    text = f"{exc.message} {exc.body}".lower()
    return "response_format" in text or "json_schema" in text


def _wait_before_retry(state: RetryCallState) -> float:
    """Seconds to wait: the server's Retry-After when it gives one, else backoff with jitter."""
    exc = state.outcome.exception() if state.outcome else None
    retry_after = _retry_after_seconds(exc)
    if retry_after is not None:
        return min(retry_after, MAX_RETRY_AFTER_S)
    return min(0.5 * 2.0 ** (state.attempt_number - 1), 20.0) * (0.5 + random.random() / 2)


def _retry_after_seconds(exc: BaseException | None) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            return max(float(value) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        return max(email.utils.parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
    except (TypeError, ValueError):
        return None
