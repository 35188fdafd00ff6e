"""vcrpy set-up shared by the integration tests that replay recorded HTTP.

Cassettes are JSON with request and response bodies parsed, so a reviewer can
read what the model was asked and what it said. Requests match on method,
path and body (never the port: the embedded server takes a new one each run),
so a prompt change makes the replay fail until the cassette is re-recorded:

    SUMMARIZER_RECORD=all .venv/bin/python -m pytest tests/test_cassettes.py

(record mode ``all`` starts the embedded model; the default ``none`` never
touches the network). Recording replaces a cassette: its old file is removed
first, so a cassette always holds exactly one run.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import vcr

CASSETTES = Path(__file__).resolve().parent.parent / "cassettes"
SECRET_HEADERS = ["authorization", "api-key", "x-api-key", "cookie", "set-cookie", "openai-organization", "openai-project"]


def record_mode() -> str:
    return os.environ.get("SUMMARIZER_RECORD", "none")


class ReadableJSON:
    """vcrpy serializer: JSON, with bodies that hold JSON stored as objects."""

    @staticmethod
    def serialize(cassette: dict[str, Any]) -> str:
        for interaction in cassette["interactions"]:
            for part in (interaction["request"], interaction["response"]):
                holder = part if "body" in part and not isinstance(part["body"], dict) else part.get("body", {})
                key = "body" if holder is part else "string"
                raw = holder.get(key)
                if isinstance(raw, bytes):
                    raw = raw.decode("utf-8")
                try:
                    holder[key] = {"json": json.loads(raw)} if raw else raw
                except (TypeError, ValueError):
                    holder[key] = raw
        return redact(json.dumps(cassette, indent=1, ensure_ascii=False, sort_keys=True)) + "\n"

    @staticmethod
    def deserialize(text: str) -> dict[str, Any]:
        cassette = json.loads(text)
        for interaction in cassette["interactions"]:
            request, response = interaction["request"], interaction["response"]
            if isinstance(request.get("body"), dict) and "json" in request["body"]:
                request["body"] = _compact(request["body"]["json"])
            body = response.get("body", {})
            if isinstance(body.get("string"), dict) and "json" in body["string"]:
                body["string"] = _compact(body["string"]["json"])
        return cassette


KEY_PATTERN = re.compile(r"\b(?:sk|pk|rk)-[A-Za-z0-9_-]{8,}")
KEY_VARIABLES = ("OPENAI_API_KEY", "SUMMARIZER_API_KEY")


def redact(text: str) -> str:
    """Remove anything key-like from a cassette: servers echo keys in error bodies."""
    for name in KEY_VARIABLES:
        value = os.environ.get(name)
        if value and len(value) >= 8:
            text = text.replace(value, "[redacted]")
    return KEY_PATTERN.sub("[redacted]", text)


def _compact(value: Any) -> str:
    # The openai client sends compact JSON; re-dumping the same way makes the
    # recorded body match the live one byte for byte.
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def make_vcr(module: str) -> vcr.VCR:
    """A VCR storing cassettes under cassettes/<module>/."""
    recorder = vcr.VCR(
        cassette_library_dir=str(CASSETTES / module),
        record_mode=record_mode(),
        match_on=["method", "path", "body"],
        filter_headers=SECRET_HEADERS,
        decode_compressed_response=True,
        serializer="readable_json",
        path_transformer=vcr.VCR.ensure_suffix(".json"),
    )
    recorder.register_serializer("readable_json", ReadableJSON)
    return recorder


F = TypeVar("F", bound=Callable[..., Any])


def recorded(recorder: vcr.VCR, name: str) -> Callable[[F], F]:
    """``recorder.use_cassette(name)``, but recording starts from an empty cassette instead of appending to the old one."""

    def decorate(test: F) -> F:
        replay = recorder.use_cassette(name)(test)

        @functools.wraps(test)
        def run(*args: Any, **kwargs: Any) -> Any:
            if record_mode() != "none":
                (Path(recorder.cassette_library_dir or ".") / f"{name}.json").unlink(missing_ok=True)
            return replay(*args, **kwargs)

        return run  # type: ignore[return-value]

    return decorate
