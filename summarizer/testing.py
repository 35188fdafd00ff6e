"""A scripted OpenAI-compatible server on 127.0.0.1: the test seam for anything that calls a model.

Like httpx's ``MockTransport``, it ships with the package so that users and our
own tests can exercise the real HTTP path (openai client, Instructor, retries,
timeouts) without a model or the network::

    from summarizer.testing import ScriptedServer, answer, status

    with ScriptedServer(default=answer({"summary": "It rained."})) as server:
        server.enqueue(status(429, headers={"Retry-After": "0"}))   # first call: rate-limited
        summarizer = Summarizer(base_url=server.base_url, model="fake")
        summarizer.summarize("It rained in Paris.")
        assert len(server.history) == 2                              # the 429, then the answer

Replies are consumed in order by POST /v1/chat/completions; when the queue is
empty the ``default`` reply answers (or, with no default, an HTTP 500 that
says the script ran out). GET /v1/models lists the one model. Every reply
waits ``delay_s`` first, which simulates the model's latency.

Reply kinds: :func:`answer`, :func:`status`, :func:`drop_connection`,
:func:`hang`, :func:`trickle`, :func:`invalid_json_body`, :func:`empty_choices`, and
:func:`computed`, a reply made from the request (to answer each chunk of a
long article about its own text).

:func:`oracle_digests` serves gold data as the model's answers: the ceiling
of the model path (``bench/bench_oracle.py``).
"""

from __future__ import annotations

import collections
import itertools
import json
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .evaluate import GoldArticle
    from .schema import ArticleSummary

__all__ = [
    "Answer",
    "Computed",
    "DropConnection",
    "EmptyChoices",
    "Hang",
    "InvalidJsonBody",
    "Reply",
    "ScriptedServer",
    "Status",
    "Trickle",
    "answer",
    "computed",
    "drop_connection",
    "empty_choices",
    "hang",
    "invalid_json_body",
    "oracle_digests",
    "status",
    "trickle",
]

# --------------------------------------------------------------------------
# Reply kinds
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """A 200 chat completion whose message carries ``content`` (as JSON text when a dict)."""

    content: Mapping[str, Any] | str
    finish_reason: str = "stop"
    usage: tuple[int, int] = (10, 10)


@dataclass(frozen=True)
class Status:
    """An HTTP error status with an OpenAI-style error body."""

    code: int
    headers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({"Retry-After": "1"}))
    body: Mapping[str, Any] | str | None = None


@dataclass(frozen=True)
class DropConnection:
    """Read the request, then close the socket without a response."""


@dataclass(frozen=True)
class Hang:
    """Send nothing for ``seconds`` (a read timeout for the client), then close the socket."""

    seconds: float


@dataclass(frozen=True)
class Trickle:
    """Send the headers, then one byte of body every ``every_s`` for ``seconds``, then close.

    No read ever waits long, so only a deadline on the whole call ends it.
    """

    seconds: float
    every_s: float = 0.2


@dataclass(frozen=True)
class InvalidJsonBody:
    """A 200 response whose body is not JSON."""


@dataclass(frozen=True)
class EmptyChoices:
    """A 200 chat completion with an empty ``choices`` list."""


Reply = Answer | Status | DropConnection | Hang | Trickle | InvalidJsonBody | EmptyChoices


@dataclass(frozen=True)
class Computed:
    """A reply made by ``reply(request)`` from the request's JSON body, on the server's request thread."""

    reply: Callable[[dict[str, Any]], Reply]


def answer(content: Mapping[str, Any] | str, *, finish_reason: str = "stop", usage: tuple[int, int] = (10, 10)) -> Answer:
    """A successful completion; ``usage`` is (prompt_tokens, completion_tokens).

    A dict is sent as JSON text in ``choices[0].message.content`` and, when the
    request offered tools (Instructor's TOOLS mode), also as the arguments of a
    call to the first tool, so every structured-output mode can parse it.
    ``finish_reason="length"`` simulates an answer cut off at max_tokens.
    """
    return Answer(content=content, finish_reason=finish_reason, usage=usage)


def status(code: int, *, headers: Mapping[str, str] | None = None, body: Mapping[str, Any] | str | None = None) -> Status:
    """An HTTP error. ``headers`` default to ``{"Retry-After": "1"}``; ``body`` to an OpenAI error object."""
    return Status(code=code, headers=MappingProxyType(dict({"Retry-After": "1"} if headers is None else headers)), body=body)


def drop_connection() -> DropConnection:
    """The connection closes before any response byte: a connection error for the client."""
    return DropConnection()


def hang(seconds: float) -> Hang:
    """No response for ``seconds``; use a client timeout shorter than that to get a read timeout."""
    return Hang(seconds=seconds)


def trickle(seconds: float, *, every_s: float = 0.2) -> Trickle:
    """A server that answers a byte at a time for ``seconds`` (slower than any read timeout notices)."""
    return Trickle(seconds, every_s)


def invalid_json_body() -> InvalidJsonBody:
    """A 200 with ``Content-Type: application/json`` and a body that does not parse."""
    return InvalidJsonBody()


def computed(reply: Callable[[dict[str, Any]], Reply]) -> Computed:
    """A reply chosen when the request comes: ``reply`` gets the request's JSON body (model, messages,
    ...) and returns any other reply kind. It runs on the server's thread for that request, so it may
    block to hold the request open; it must be thread-safe."""
    return Computed(reply=reply)


def empty_choices() -> EmptyChoices:
    """A well-formed completion with no choices (some proxies send this on overload)."""
    return EmptyChoices()


# --------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------


class ScriptedServer:
    """An OpenAI-compatible HTTP server on 127.0.0.1 that answers from a script.

    Use it as a context manager (or call :meth:`start` and :meth:`close`).
    Thread-safe: requests are served concurrently, each on its own daemon
    thread, and the script may be extended while requests are in flight.
    """

    def __init__(self, *, default: Reply | Computed | None = None, delay_s: float = 0.0, model: str = "fake") -> None:
        self.default = default
        self.delay_s = delay_s
        self.model = model
        self._queue: collections.deque[Reply | Computed] = collections.deque()
        self._history: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._ids = itertools.count(1)
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------

    def start(self) -> ScriptedServer:
        """Bind a free port and serve in a background thread; returns ``self``."""
        if self._httpd is not None:
            return self
        self._stopping.clear()
        self._httpd = _Server(("127.0.0.1", 0), _Handler, scripted=self)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="ScriptedServer", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving; hanging and delayed replies are cut short. Idempotent."""
        if self._httpd is None:
            return
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- script -------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/v1``, the value for ``base_url``/``--base-url``."""
        if self._httpd is None:
            raise RuntimeError("the ScriptedServer is not running: use it as a context manager or call start()")
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def enqueue(self, *replies: Reply | Computed) -> None:
        """Append replies; each chat-completion request consumes the oldest one."""
        with self._lock:
            self._queue.extend(replies)

    @property
    def history(self) -> list[dict[str, Any]]:
        """A copy of the JSON bodies of the chat-completion requests received, oldest first."""
        with self._lock:
            return list(self._history)

    @property
    def pending(self) -> int:
        """Replies still queued."""
        with self._lock:
            return len(self._queue)

    # -- used by the handler ------------------------------------------------

    def _next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self._history.append(body)
            queued = self._queue.popleft() if self._queue else None
        reply = queued or self.default
        if isinstance(reply, Computed):
            return reply.reply(body)
        if reply is not None:
            return reply
        return Status(500, headers={}, body=_error_body("ScriptedServer: no scripted reply left and no default", "server_error"))

    def _wait(self, seconds: float) -> None:
        """Sleep, but wake up when the server closes (so close() never waits on a hang)."""
        if seconds > 0:
            self._stopping.wait(seconds)

    def _completion(self, reply: Answer | EmptyChoices, request: dict[str, Any]) -> dict[str, Any]:
        prompt_tokens, completion_tokens = reply.usage if isinstance(reply, Answer) else (0, 0)
        completion: dict[str, Any] = {
            "id": f"chatcmpl-scripted-{next(self._ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": str(request.get("model") or self.model),
            "choices": [],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": prompt_tokens + completion_tokens},
        }
        if isinstance(reply, Answer):
            completion["choices"] = [{"index": 0, "message": _message(reply, request), "finish_reason": reply.finish_reason, "logprobs": None}]
        return completion


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog of 5 drops connections when a client opens dozens at once.
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], *, scripted: ScriptedServer) -> None:
        super().__init__(address, handler)
        self.scripted = scripted


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps connections alive, as real endpoints do; every response has a Content-Length.
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle's algorithm each answer would wait for a delayed ACK (~40 ms).
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: tests read ``history`` instead of a request log."""

    def handle(self) -> None:
        """Serve the connection; a client that hangs up or resets it (after a
        dropped connection, a timeout, a cancelled batch) is expected, not an error to print."""
        try:
            super().handle()
        except ConnectionError:
            self.close_connection = True

    def do_GET(self) -> None:
        if self.path.rstrip("/").endswith("/models"):
            model = self.server.scripted.model
            self._send_json(200, {"object": "list", "data": [{"id": model, "object": "model", "created": 0, "owned_by": "summarizer.testing"}]})
        else:
            self._send_json(404, _error_body(f"no route GET {self.path}", "not_found"))

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send_json(404, _error_body(f"no route POST {self.path}", "not_found"))
            return
        try:
            request = json.loads(raw or b"null")
        except json.JSONDecodeError:
            request = None
        if not isinstance(request, dict):
            self._send_json(400, _error_body("the request body is not a JSON object", "invalid_request_error"))
            return
        if request.get("stream"):
            self._send_json(400, _error_body("ScriptedServer does not stream", "invalid_request_error"))
            return
        scripted = self.server.scripted
        reply = scripted._next_reply(request)
        scripted._wait(scripted.delay_s)
        self._send_reply(reply, request)

    def _send_reply(self, reply: Reply, request: dict[str, Any]) -> None:
        scripted = self.server.scripted
        if isinstance(reply, (Answer, EmptyChoices)):
            self._send_json(200, scripted._completion(reply, request))
        elif isinstance(reply, Status):
            body = reply.body if reply.body is not None else _error_body(f"scripted HTTP {reply.code}", "scripted_error")
            self._send_json(reply.code, body, headers=reply.headers)
        elif isinstance(reply, InvalidJsonBody):
            self._send_bytes(200, b'{"id": "chatcmpl-broken", "choices": [', content_type="application/json")
        elif isinstance(reply, Trickle):
            self._trickle(reply)
        elif isinstance(reply, Hang):
            scripted._wait(reply.seconds)
            self.close_connection = True
        else:  # DropConnection: nothing written; the socket closes when the handler returns
            self.close_connection = True

    def _trickle(self, reply: Trickle) -> None:
        scripted = self.server.scripted
        self.close_connection = True
        deadline = time.monotonic() + reply.seconds
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            while time.monotonic() < deadline and not scripted._stopping.is_set():
                self.wfile.write(b" ")  # JSON allows leading whitespace: the body stays valid so far
                self.wfile.flush()
                scripted._wait(reply.every_s)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

    def _send_json(self, code: int, body: Mapping[str, Any] | str, *, headers: Mapping[str, str] | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else json.dumps(body).encode("utf-8")
        self._send_bytes(code, data, content_type="application/json", headers=headers)

    def _send_bytes(self, code: int, data: bytes, *, content_type: str, headers: Mapping[str, str] | None = None) -> None:
        try:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (its timeout, or a cancelled batch): nothing to answer.
            self.close_connection = True


def _message(reply: Answer, request: dict[str, Any]) -> dict[str, Any]:
    content = reply.content if isinstance(reply.content, str) else json.dumps(reply.content)
    message: dict[str, Any] = {"role": "assistant", "content": content}
    tools = request.get("tools") or []
    if tools:
        name = tools[0].get("function", {}).get("name", "answer")
        message["tool_calls"] = [{"id": "call_scripted", "type": "function", "function": {"name": name, "arguments": content}}]
    return message


def _error_body(message: str, kind: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}


# --------------------------------------------------------------------------
# The ceiling of the model path
# --------------------------------------------------------------------------


def oracle_digests(gold: Sequence[GoldArticle], *, keep_actors: Callable[[int], bool] = lambda _: True, rejects: bool = True) -> dict[str, ArticleSummary]:
    """Each gold article summarized with its gold as the model's answer, served by a ScriptedServer.

    What a perfect model would answer (:func:`summarizer.evaluate.gold_answer`)
    goes through the whole pipeline (HTTP, Instructor, grounding); scoring the
    result against the same gold measures what the pipeline loses.
    ``keep_actors`` as for ``gold_answer``; ``rejects``: the answer also
    rejects the listed names that are no gold actor, as a perfect model
    shown the list does.
    """
    from .api import Summarizer
    from .evaluate import gold_answer
    from .rules import find_evidence

    digests: dict[str, ArticleSummary] = {}
    with ScriptedServer() as server, Summarizer(base_url=server.base_url, model="oracle", scope="full", max_reasks=0) as summarizer:
        for article in gold:
            listed = find_evidence(article.text or "").names if rejects else ()
            server.enqueue(answer(gold_answer(article, listed_names=listed, keep_actors=keep_actors)))
            digests[article.id] = summarizer.summarize(article.text or "", id=article.id, title=article.title)
    return digests
