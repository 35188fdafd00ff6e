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
