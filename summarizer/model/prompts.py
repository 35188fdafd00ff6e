"""Prompt templates: load the Jinja2 files in ``prompts/`` and render chat messages.

The templates are files so they are reviewed like code; ``PROMPT_VERSION``
(``prompts/VERSION``) goes into provenance and cache keys, so bump it with
every change of wording.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, get_args, get_origin

import jinja2
from pydantic import BaseModel

from ..articles import Article
from ..rules import Evidence
from ..schema import DigestAnswer, SummaryAnswer


def _prompts_dir() -> Path:
    # In a wheel the templates are packaged as summarizer/prompt_templates (see
    # pyproject.toml); in a source checkout they sit beside the package.
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "prompt_templates", package.parent / "prompts"):
        if (candidate / "VERSION").is_file():
            return candidate
    raise RuntimeError("prompt templates not found: the installation is incomplete")


PROMPTS_DIR = _prompts_dir()
PROMPT_VERSION = (PROMPTS_DIR / "VERSION").read_text(encoding="utf-8").strip()

QUOTE_PREVIEW_WORDS = 8
"""Candidate quotes are shown by their first words only: the article holds the rest."""

_FENCE_TAG = re.compile(r"<\s*/?\s*(article|candidates)\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(PROMPTS_DIR),
        autoescape=False,  # plain-text prompts; the article is fenced, not escaped
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
    )


TEMPLATES: dict[str, tuple[str, type[BaseModel]]] = {"full": ("digest", DigestAnswer), "summary": ("summary", SummaryAnswer)}
"""Scope -> (template name, answer model)."""


def render_messages(article: Article, *, evidence: Evidence | None = None, scope: str = "full") -> list[dict[str, str]]:
    """The chat messages asking for the ``scope``'s answer model about ``article``.

    Scope "full" asks for a DigestAnswer and lists the rule candidates from
    ``evidence``; scope "summary" asks a small model for the summary only.
    """
    name, answer_model = TEMPLATES[scope]
    candidates = format_candidates(evidence) if evidence and scope == "full" else []
    env = _environment()
    fields = field_guide(answer_model)
    system = env.get_template(f"{name}.system.j2").render(candidates=bool(candidates), fields=fields)
    user = env.get_template(f"{name}.user.j2").render(
        text=fence_article_text(article.text),
        title=_attribute(article.title),
        date=_attribute(article.date),
        candidates=candidates,
        fields=fields,
    )
    return [{"role": "system", "content": system.strip()}, {"role": "user", "content": user.strip()}]


def fence_article_text(text: str) -> str:
    """Neutralise ``<article>`` and ``<candidates>`` tags in article-derived text,
    so that nothing the article says can close (or open) one of the prompt's fences."""
    return _FENCE_TAG.sub(lambda m: m.group(0).replace("<", "<\u200b"), text)


def format_candidates(evidence: Evidence) -> list[str]:
    """One short line per rule-found candidate: ``[Q1] “First words …” (said; Smith)``; reported speech says so: ``[Q2] reported: …``."""
    lines = []
    for quote in evidence.quotes:
        words = quote.text.split()
        preview = " ".join(words[:QUOTE_PREVIEW_WORDS]) + (" …" if len(words) > QUOTE_PREVIEW_WORDS else "")
        hints = "; ".join(h for h in (quote.cue, quote.speaker) if h)
        kind = "" if quote.kind == "direct" else "reported: " if quote.kind == "indirect" else "reported, partly quoted: "
        lines.append(f"[{quote.ref}] {kind}“{preview}”" + (f" ({hints})" if hints else ""))
    lines.extend(f"[{figure.ref}] {figure.match.text}" for figure in evidence.figures)
    lines.extend(f"[{stance.ref}] {stance.holder} {stance.polarity} {stance.target} ({stance.cue})" for stance in evidence.stances)
    if evidence.names:
        # Names need no numbers (actors are answered by name): one line is cheaper.
        lines.append("Names: " + "; ".join(name.name for name in evidence.names))
    return [fence_article_text(line) for line in lines]


def field_guide(model: type[BaseModel]) -> list[tuple[str, str]]:
    """(key, instruction) pairs from the schema's field descriptions.

    List items are named by their keys only: the structured-output schema
    (tools, json_schema or the llama.cpp grammar) already carries their
    descriptions, and repeating them would double the prompt.
    """
    guide = []
    for key, field in model.model_fields.items():
        text = field.description or ""
        item = _list_item_model(field.annotation)
        if item is not None:
            text = f"{text} Objects with: {', '.join(item.model_fields)}."
        guide.append((key, text))
    return guide


def _list_item_model(annotation: Any) -> type[BaseModel] | None:
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
    return None


def _attribute(value: str | None) -> str | None:
    return None if value is None else fence_article_text(value.replace('"', "'").replace("\n", " ")[:300])
