"""Grounded, structured digests of news articles.

    >>> from summarizer import summarize
    >>> result = summarize(open("article.txt").read(), use_llm=False)
    >>> [q.text for q in result.quotes]

Every quote, figure and actor mention in an :class:`ArticleSummary` is located
in ``result.article.text`` by character offsets.
"""

from .api import Summarizer, asummarize, summarize
from .articles import Article, make_article, read_article
from .batch.ray_engine import DigestBatches  # Ray itself loads only when a batch runs on it
from .errors import (
    ArticleTooLongError,
    AuthenticationError,
    BackendError,
    ConfigurationError,
    ExtractionError,
    InputError,
    LocalModelError,
    PartialDigestError,
    RateLimitError,
    RecordTimeoutError,
    RequestRejectedError,
    SummarizerError,
)
from .model.prompts import PROMPT_VERSION
from .schema import SCHEMA_VERSION, Actor, ArticleSummary, Figure, Quote, Stance

__all__ = [
    "PROMPT_VERSION",
    "SCHEMA_VERSION",
    "Actor",
    "Article",
    "ArticleSummary",
    "ArticleTooLongError",
    "AuthenticationError",
    "BackendError",
    "ConfigurationError",
    "DigestBatches",
    "ExtractionError",
    "Figure",
    "InputError",
    "LocalModelError",
    "PartialDigestError",
    "Quote",
    "RateLimitError",
    "RecordTimeoutError",
    "RequestRejectedError",
    "Stance",
    "Summarizer",
    "SummarizerError",
    "asummarize",
    "make_article",
    "read_article",
    "summarize",
]
