"""Where and how to ask a model: configuration and accounting, no client.

Kept apart from :mod:`summarizer.model.llm` so that everything that only configures
or describes a backend (the CLI's options, ``Summarizer`` settings, provenance)
loads without importing openai and Instructor, which cost half a second.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import urlparse

from ..errors import ConfigurationError

T = TypeVar("T")

MODES = ("auto", "tools", "json_schema", "json", "md_json", "llama_cpp")
"""Ways to ask for structured output. ``llama_cpp`` is llama-cpp-python's server:
it wants ``response_format={"type": "json_object", "schema": ...}``."""


@dataclass(frozen=True)
class BackendConfig:
    """Where and how to ask. ``api_key`` is never printed (``repr`` hides it)."""

    model: str
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    mode: str = "auto"
    timeout_s: float = 120.0
    transport_retries: int = 3
    max_reasks: int = 2
    max_tokens: int = 2048
    temperature: float = 0.0
    extra_params: Mapping[str, Any] = field(default_factory=dict)
    """Sent as-is in every request body, e.g. ``{"repeat_penalty": 1.1}`` for llama.cpp."""

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ConfigurationError(f"unknown mode {self.mode!r}; choose one of: {', '.join(MODES)}")
        if self.base_url is not None:
            _check_base_url(self.base_url)

    @property
    def host(self) -> str:
        """Host and port of the endpoint, for provenance and messages (no path, no credentials)."""
        if not self.base_url:
            return "api.openai.com"
        parsed = urlparse(self.base_url)
        return parsed.hostname + (f":{parsed.port}" if parsed.port else "") if parsed.hostname else "unknown"

    @property
    def resolved_mode(self) -> str:
        if self.mode != "auto":
            return self.mode
        host = self.host
        # Hosted OpenAI and Azure do tool calling best; other OpenAI-compatible
        # servers (Ollama, vLLM, LM Studio, llama.cpp's llama-server) accept
        # response_format json_schema.
        if host == "api.openai.com" or host.endswith(".openai.azure.com"):
            return "tools"
        return "json_schema"


DEFAULT_CONTEXT_TOKENS = 8192
"""The context assumed for a model the table below does not know; ``context_tokens`` overrides it."""
KNOWN_CONTEXT_TOKENS = {
    "gpt-4o": 128_000,
    "gpt-4o-mini": 128_000,
    "gpt-4.1": 1_047_576,
    "gpt-4-turbo": 128_000,
    "gpt-4": 8192,
    "gpt-3.5-turbo": 16_385,
    "o1": 200_000,
    "o3": 200_000,
    "o4-mini": 200_000,
    "llama3": 8192,
    "llama3.1": 128_000,
    "llama3.2": 128_000,
    "llama3.3": 128_000,
    "qwen2.5": 32_768,
    "qwen3": 32_768,
    "mistral": 32_768,
    "mixtral": 32_768,
    "gemma2": 8192,
    "gemma3": 128_000,
    "phi3": 4096,
    "phi4": 16_384,
    "smollm2": 8192,
}
"""Context windows (tokens) of well-known models, by the start of their name: "qwen2.5:7b" and
"openai/gpt-4o-mini-2024-07-18" are found; the longest matching name wins ("llama3.1" over "llama3").
A server may give a model less than this (Ollama's ``num_ctx``): ``context_tokens`` says so."""


def known_context_tokens(model: str) -> int:
    """The context window of ``model`` from :data:`KNOWN_CONTEXT_TOKENS`, else :data:`DEFAULT_CONTEXT_TOKENS`."""
    name = model.lower().rsplit("/", 1)[-1]
    matches = [known for known in KNOWN_CONTEXT_TOKENS if name.startswith(known)]
    return KNOWN_CONTEXT_TOKENS[max(matches, key=len)] if matches else DEFAULT_CONTEXT_TOKENS


def _check_base_url(base_url: str) -> None:
    """Refuse at once a base URL no request can reach (else each call is retried, then reported as unreachable)."""
    try:
        parsed = urlparse(base_url)
        reachable = parsed.scheme.lower() in ("http", "https") and bool(parsed.hostname) and parsed.port != 0
    except ValueError:  # .port raises it for a port that is not a number
        reachable = False
    if not reachable:
        raise ConfigurationError(f"base URL {base_url!r} is not an http(s) URL with a host; pass e.g. --base-url (base_url=) http://127.0.0.1:11434/v1")


@dataclass
class CallLog:
    """Raw calls made for one extraction, and their summed token usage."""

    attempts: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def record(self, response: Any) -> None:
        usage = getattr(response, "usage", None)
        self.prompt_tokens += int(getattr(usage, "prompt_tokens", 0) or 0)
        self.completion_tokens += int(getattr(usage, "completion_tokens", 0) or 0)


@dataclass
class Extraction(Generic[T]):
    """A validated answer and what it cost."""

    answer: T
    log: CallLog
