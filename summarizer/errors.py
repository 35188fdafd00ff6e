"""The one error tree of the package.

    SummarizerError                 base; every error a user can cause says what to do next
    ├── InputError                  the article or record is unusable (empty, binary, undecodable,
    │                               too long, malformed JSON, missing text, duplicate id)
    ├── ConfigurationError          options that cannot work (unknown mode, missing extra, bad path)
    ├── BackendError                the model endpoint failed after the transport retries
    │   ├── AuthenticationError     the endpoint refused the credentials (401/403)
    │   ├── RateLimitError          still rate-limited (429) after the retries
    │   └── RequestRejectedError    the endpoint refused this one request (400/413/422)
    │       └── ArticleTooLongError the article does not fit the model's context (summarize
    │                               falls back to the rules instead of raising it)
    ├── ExtractionError             the model's answer never validated, after the re-asks
    ├── LocalModelError             the embedded model server could not be started
    ├── RecordTimeoutError          a batch record made no progress for --record-timeout seconds
    │                               (its error line; the batch goes on, exit code 1)
    └── PartialDigestError          with --fail-on-partial, a batch record whose digest lacks a part
                                    of a long article (its error line; the batch goes on, exit code 1)

Dependency errors (openai, httpx, pydantic) are mapped to these in one place,
``summarizer.model.llm``, with ``raise ... from exc``. Messages never contain an API key.
"""

from __future__ import annotations

__all__ = [
    "ArticleTooLongError",
    "AuthenticationError",
    "BackendError",
    "ConfigurationError",
    "ExtractionError",
    "InputError",
    "LocalModelError",
    "PartialDigestError",
    "RateLimitError",
    "RecordTimeoutError",
    "RequestRejectedError",
    "SummarizerError",
]


class SummarizerError(Exception):
    """Base of every error this package raises on purpose.

    ``exit_code`` is what the CLI exits with; ``attempts`` counts model calls made
    before the failure (0 when none was made) and ``prompt_tokens`` /
    ``completion_tokens`` what they cost.
    """

    exit_code = 1

    def __init__(self, message: str, *, attempts: int = 0) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.prompt_tokens = 0
        self.completion_tokens = 0

    @property
    def kind(self) -> str:
        """The short type name used in batch error lines, e.g. ``"InputError"``."""
        return type(self).__name__


class InputError(SummarizerError):
    """The article or record cannot be summarized as given."""

    exit_code = 3


class ConfigurationError(SummarizerError):
    """The options or the environment cannot work together."""

    exit_code = 4


class BackendError(SummarizerError):
    """The model endpoint could not give an answer."""

    exit_code = 5


class AuthenticationError(BackendError):
    """The endpoint refused the credentials."""


class RateLimitError(BackendError):
    """The endpoint kept answering 429 after the retries."""


class RequestRejectedError(BackendError):
    """The endpoint refused this particular request; other articles may go through."""


class ArticleTooLongError(RequestRejectedError):
    """The endpoint refused the request as too long for the model's context.

    ``summarize`` does not raise it: the digest then comes from the rules, with
    a warning, as for an answer that never validated.
    """


class ExtractionError(SummarizerError):
    """The model's answers never passed validation.

    ``last_completion`` holds the raw text of the last answer (may be ``None``).
    """

    exit_code = 6

    def __init__(self, message: str, *, attempts: int = 0, last_completion: str | None = None) -> None:
        super().__init__(message, attempts=attempts)
        self.last_completion = last_completion


class LocalModelError(SummarizerError):
    """The embedded llama.cpp server could not be started or reached."""

    exit_code = 7


class RecordTimeoutError(SummarizerError):
    """A batch record made no progress (no stage finished, no model answer) for the record timeout.

    It becomes the record's error line and the batch goes on (exit code 1, as
    for any failed record); the record's work is abandoned, and a resumed run
    tries it again.
    """


class PartialDigestError(SummarizerError):
    """A digest lacks the model's answer for a part of a long article (``provenance.partial``).

    Raised only where the caller asked for it (``--fail-on-partial``): then the
    record is an error line (exit code 1) instead of a digest with a warning.
    """
