"""A fake model client for unit tests: scripted answers, recorded requests.

``FakeModel`` does what Instructor does with an answer (validate it against
the response model with the validation context, re-ask while re-asks are
left) without any HTTP, so the pipeline around it can be tested in
isolation. Answers are hand-written fixtures, not recordings.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from summarizer.errors import ExtractionError
from summarizer.model.llm import CallLog, Extraction


class FakeModel:
    def __init__(self, *answers: dict[str, Any] | Exception, max_reasks: int = 1, usage: tuple[int, int] = (100, 20)) -> None:
        self.queue: list[dict[str, Any] | Exception] = list(answers)
        self.max_reasks = max_reasks
        self.usage = usage
        self.history: list[list[dict[str, str]]] = []

    def enqueue(self, *answers: dict[str, Any] | Exception) -> None:
        self.queue.extend(answers)

    async def aextract(self, messages: list[dict[str, str]], *, response_model: type[BaseModel], context: dict[str, Any] | None = None) -> Extraction[Any]:
        log = CallLog()
        messages = list(messages)
        for _ in range(self.max_reasks + 1):
            self.history.append(messages)
            log.attempts += 1
            log.prompt_tokens += self.usage[0]
            log.completion_tokens += self.usage[1]
            answer = self.queue.pop(0)
            if isinstance(answer, Exception):
                answer.attempts = log.attempts  # type: ignore[attr-defined]
                raise answer
            try:
                return Extraction(answer=response_model.model_validate(answer, context=context), log=log)
            except ValidationError as exc:
                messages = [*messages, {"role": "user", "content": f"Correct your answer: {exc}"}]
                last = exc
        error = ExtractionError(f"did not validate: {last}", attempts=log.attempts)
        error.prompt_tokens, error.completion_tokens = log.prompt_tokens, log.completion_tokens
        raise error


def answer(**fields: Any) -> dict[str, Any]:
    """A DigestAnswer as a dict, with empty lists for what is not given."""
    base: dict[str, Any] = {"summary": "A summary.", "key_points": [], "actors": [], "quotes": [], "figures": [], "stances": []}
    base.update(fields)
    return base
