"""The model layer over real HTTP (a scripted loopback server): modes, bodies, usage."""

from __future__ import annotations

import asyncio
import gc
import json
from typing import Any

import pytest
from pydantic import BaseModel

from summarizer.api import Summarizer
from summarizer.errors import AuthenticationError, BackendError, ConfigurationError
from summarizer.model.llm import BackendConfig, ModelClient, _prepared_model, _retry_after_seconds
from summarizer.schema import DigestAnswer, SummaryAnswer
from summarizer.testing import ScriptedServer, answer, status

MESSAGES = [{"role": "user", "content": "Summarize: it rained."}]
VALID = {"summary": "It rained.", "key_points": []}


def extract(client: ModelClient, messages: list[dict[str, str]], **options: Any) -> Any:
    """One call, from synchronous code as the summarizer makes it: on an event loop."""
    return asyncio.run(client.aextract(messages, **options))


@pytest.mark.parametrize(
    ("base_url", "mode"),
    [
        (None, "tools"),
        ("https://api.openai.com/v1", "tools"),
        ("https://res.openai.azure.com/openai/v1", "tools"),
        ("http://127.0.0.1:11434/v1", "json_schema"),
        ("http://vllm.internal:8000/v1", "json_schema"),
    ],
)
def test_mode_is_chosen_per_backend(base_url: str | None, mode: str) -> None:
    assert BackendConfig(model="m", base_url=base_url).resolved_mode == mode
    assert BackendConfig(model="m", base_url=base_url, mode="md_json").resolved_mode == "md_json"


def test_unknown_mode_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="llama_cpp"):
        BackendConfig(model="m", mode="xml")


def test_host_never_carries_credentials_or_path() -> None:
    assert BackendConfig(model="m", base_url="http://user:secret@10.0.0.5:8080/v1").host == "10.0.0.5:8080"


@pytest.mark.parametrize("mode", ["tools", "json_schema", "json", "md_json", "llama_cpp"])
def test_every_mode_round_trips_through_a_real_http_server(mode: str) -> None:
    with ScriptedServer(default=answer(VALID, usage=(50, 7))) as server:
        client = ModelClient(BackendConfig(model="fake", base_url=server.base_url, mode=mode))
        extraction = extract(client, MESSAGES, response_model=SummaryAnswer)
        body = server.history[0]
    assert extraction.answer.summary == "It rained."
    assert (extraction.log.attempts, extraction.log.prompt_tokens, extraction.log.completion_tokens) == (1, 50, 7)
    assert body["max_tokens"] == 2048 and body["temperature"] == 0.0


def test_llama_cpp_mode_sends_its_own_response_format_and_no_schema_in_the_prompt() -> None:
    with ScriptedServer(default=answer(VALID)) as server:
        extract(ModelClient(BackendConfig(model="fake", base_url=server.base_url, mode="llama_cpp")), MESSAGES, response_model=SummaryAnswer)
        body = server.history[0]
    assert body["response_format"]["type"] == "json_object"
    assert body["response_format"]["schema"] == SummaryAnswer.model_json_schema()
    assert body["repeat_penalty"] == 1.1
    assert body["messages"] == MESSAGES, "the schema must not be pasted into the prompt"


def test_validation_reasks_are_counted_with_their_tokens() -> None:
    check_calls: list[int] = []

    def check(answer: DigestAnswer) -> list[str]:
        check_calls.append(1)
        return ["Quote 'x' is not in the article."] if len(check_calls) == 1 else []

    with ScriptedServer(default=answer(VALID, usage=(40, 5))) as server:
        client = ModelClient(BackendConfig(model="fake", base_url=server.base_url, mode="json_schema", max_reasks=1))
        extraction = extract(client, MESSAGES, response_model=DigestAnswer, context={"check_answer": check})
        second = server.history[1]
    assert extraction.log.attempts == 2 and extraction.log.prompt_tokens == 80
    assert "not in the article" in second["messages"][-1]["content"]


def test_transport_retry_honours_retry_after_and_counts_the_attempt() -> None:
    with ScriptedServer(default=answer(VALID)) as server:
        server.enqueue(status(429, headers={"Retry-After": "0"}), status(503, headers={"Retry-After": "0"}))
        client = ModelClient(BackendConfig(model="fake", base_url=server.base_url, mode="json_schema"))
        extraction = extract(client, MESSAGES, response_model=SummaryAnswer)
    assert extraction.log.attempts == 3 and len(server.history) == 3


class _Response:
    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = headers


class _Error(Exception):
    def __init__(self, headers: dict[str, str]) -> None:
        self.response = _Response(headers)


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after": "3"}, 3.0),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_header_forms(headers: dict[str, str], seconds: float | None) -> None:
    assert _retry_after_seconds(_Error(headers)) == seconds


@pytest.mark.parametrize("base_url", ["not a url", "ftp://x/v1", "127.0.0.1:11434/v1", "http:///v1", "http://host:port/v1"])
def test_a_malformed_base_url_is_a_configuration_error_at_once(base_url: str) -> None:
    with pytest.raises(ConfigurationError, match="not an http\\(s\\) URL with a host"):
        BackendConfig(model="m", base_url=base_url)


def test_a_malformed_base_url_fails_the_python_api_without_a_request() -> None:
    with pytest.raises(ConfigurationError, match="ftp://x/v1"):
        Summarizer(base_url="ftp://x/v1", model="m")


def test_refused_credentials_name_every_place_a_key_comes_from() -> None:
    with ScriptedServer(default=status(401)) as server:
        client = ModelClient(BackendConfig(model="fake", base_url=server.base_url, mode="json_schema"))
        with pytest.raises(AuthenticationError) as caught:
            extract(client, MESSAGES, response_model=SummaryAnswer)
    assert all(name in str(caught.value) for name in ("--api-key", "SUMMARIZER_API_KEY", "OPENAI_API_KEY"))


def test_a_server_refusing_json_schema_is_asked_again_with_json_object_once() -> None:
    refusal = status(500, headers={}, body={"error": {"message": "Input should be 'text' or 'json_object'", "param": "response_format.type"}})
    with ScriptedServer(default=answer(VALID)) as server:
        server.enqueue(refusal)
        client = ModelClient(BackendConfig(model="fake", base_url=server.base_url))
        first = extract(client, MESSAGES, response_model=SummaryAnswer)
        extract(client, MESSAGES, response_model=SummaryAnswer)
        bodies = server.history
    assert first.answer.summary == "It rained." and first.log.attempts == 2, "the refusal is not retried as a 5xx"
    assert bodies[0]["response_format"]["type"] == "json_schema"
    assert [b["response_format"]["type"] for b in bodies[1:]] == ["json_object", "json_object"], "the client remembers the form"


def test_requests_in_flight_when_json_schema_is_refused_are_all_asked_again() -> None:
    """A batch sends several requests before the first refusal comes back; none of them may fail for it."""
    refusal = status(500, headers={}, body={"error": {"message": "Input should be 'text' or 'json_object'", "param": "response_format.type"}})

    async def four_at_once(client: ModelClient) -> list[str]:
        extractions = await asyncio.gather(*(client.aextract(MESSAGES, response_model=SummaryAnswer) for _ in range(4)))
        return [extraction.answer.summary for extraction in extractions]

    with ScriptedServer(default=answer(VALID), delay_s=0.2) as server:
        server.enqueue(*[refusal] * 4)
        client = ModelClient(BackendConfig(model="fake", base_url=server.base_url))
        assert asyncio.run(four_at_once(client)) == ["It rained."] * 4
        bodies = server.history
    assert [b["response_format"]["type"] for b in bodies] == ["json_schema"] * 4 + ["json_object"] * 4


def test_an_explicit_mode_is_never_switched() -> None:
    refusal = status(500, headers={}, body={"error": {"message": "response_format json_schema is not supported"}})
    with ScriptedServer(default=refusal) as server:
        client = ModelClient(BackendConfig(model="fake", base_url=server.base_url, mode="json_schema"))
        with pytest.raises(BackendError, match="HTTP 500") as caught:
            extract(client, MESSAGES, response_model=SummaryAnswer)
        assert len(server.history) == 1
    assert "refuses the request form of --mode json_schema" in str(caught.value) and "try --mode auto" in str(caught.value)


def test_a_multi_line_error_message_is_kept_on_one_line() -> None:
    multi_line = status(503, headers={"Retry-After": "0"}, body={"error": {"message": "1 validation error:\n  body.messages\n    Field required"}})
    with ScriptedServer(default=multi_line) as server:
        client = ModelClient(BackendConfig(model="fake", base_url=server.base_url, mode="json_schema", transport_retries=0))
        with pytest.raises(BackendError) as caught:
            extract(client, MESSAGES, response_model=SummaryAnswer)
    assert "HTTP 503: 1 validation error: body.messages Field required" in str(caught.value)


@pytest.mark.parametrize(
    "content",
    [
        '```json\n{"summary": "It rained.", "key_points": []}\n```',
        'Here is the digest:\n{"summary": "It rained.", "key_points": []}\nHope this helps.',
        '{"summary": "It\nrained.", "key_points": []}',
    ],
    ids=["fenced", "prose-around", "raw-newline"],
)
def test_json_answers_in_loose_packaging_are_accepted_without_a_reask(content: str) -> None:
    with ScriptedServer(default=answer(content)) as server:
        extraction = extract(ModelClient(BackendConfig(model="fake", base_url=server.base_url, mode="json_schema")), MESSAGES, response_model=SummaryAnswer)
    assert extraction.answer.summary.replace("\n", " ") == "It rained." and extraction.log.attempts == 1


@pytest.mark.parametrize(("mode", "carrier"), [("tools", "tools"), ("json_schema", "response_format"), ("llama_cpp", "response_format")])
def test_the_answer_schema_reaches_the_server_in_every_mode(mode: str, carrier: str) -> None:
    with ScriptedServer(default=answer({"summary": "S."})) as server:
        Summarizer(base_url=server.base_url, model="m", mode=mode, scope="summary").summarize("Rain fell in Paris on Monday, officials said.")
    body = server.history[0]
    assert "summary" in json.dumps(body[carrier])
    if mode == "llama_cpp":
        assert body["response_format"]["type"] == "json_object" and body["repeat_penalty"] == 1.1


def _schema_counting_model() -> tuple[type[BaseModel], list[str]]:
    """A new answer model (not prepared before) and the list its JSON schema generations are counted in."""
    generated: list[str] = []

    class CountedAnswer(BaseModel):
        """An answer."""

        summary: str

        @classmethod
        def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> Any:
            generated.append(cls.__name__)
            return handler(core_schema)

    return CountedAnswer, generated


@pytest.mark.parametrize("mode", ["tools", "json_schema", "json", "md_json", "llama_cpp"])
def test_the_answer_schema_is_generated_once_for_all_requests(mode: str) -> None:
    model, generated = _schema_counting_model()
    with ScriptedServer(default=answer({"summary": "S."})) as server:
        client = ModelClient(BackendConfig(model="fake", base_url=server.base_url, mode=mode))
        answers = [extract(client, MESSAGES, response_model=model).answer for _ in range(3)]
        asyncio.run(client.aextract(MESSAGES, response_model=model))
        bodies = server.history
    assert len(generated) == 1, "Instructor asks for the schema on every request: it must be answered from the copy made once"
    assert all(type(a) is model and a.summary == "S." for a in answers)
    assert all(body == bodies[0] for body in bodies)
    if mode == "json_schema":
        assert bodies[0]["response_format"]["json_schema"] == {"name": "CountedAnswer", "schema": model.model_json_schema()}


def test_the_prepared_answer_model_is_built_once_per_model_and_hands_out_fresh_schemas() -> None:
    prepared = _prepared_model(SummaryAnswer)
    assert _prepared_model(SummaryAnswer) is prepared and _prepared_model(DigestAnswer) is not prepared
    assert issubclass(prepared, SummaryAnswer) and prepared.__name__ == "SummaryAnswer" and prepared.__doc__ == SummaryAnswer.__doc__
    first = prepared.model_json_schema()
    first["properties"].clear()  # a request changing its copy
    assert prepared.model_json_schema() == SummaryAnswer.model_json_schema()
    assert prepared.model_json_schema(mode="serialization") == SummaryAnswer.model_json_schema(mode="serialization")


@pytest.mark.parametrize("fails", ["as_the_caller_is_cancelled", "when_it_is_cancelled"])
def test_a_cancelled_caller_is_cancelled_and_leaves_no_unread_request_error(fails: str) -> None:
    # A batch that stops cancels the calls in flight: a call must not swallow that (asyncio.wait_for does on Python 3.11
    # when the request ends at the same moment, and its retry loop went on), nor leave the request's error unread for
    # asyncio to print on the user's terminal ("Task exception was never retrieved").
    reported: list[str] = []

    async def scenario() -> None:
        # Only this test's own errors: the collector may also finish off what earlier tests left behind.
        asyncio.get_running_loop().set_exception_handler(lambda _, context: reported.append(str(context.get("exception"))))
        client = ModelClient(BackendConfig(model="fake", base_url="http://127.0.0.1:9/v1"))
        gate = asyncio.Event()

        async def request() -> None:
            try:
                await gate.wait()
            except asyncio.CancelledError:
                raise RuntimeError("the connection broke as it closed") from None
            raise RuntimeError("the server failed")

        caller = asyncio.ensure_future(client._within_deadline(request()))
        await asyncio.sleep(0)  # the caller waits on its request
        if fails == "as_the_caller_is_cancelled":
            gate.set()
        caller.cancel()
        with pytest.raises(asyncio.CancelledError):
            await caller
        del caller
        for _ in range(3):
            await asyncio.sleep(0)
        gc.collect()

    asyncio.run(scenario())
    assert not [error for error in reported if "the server failed" in error or "the connection broke" in error]


def test_a_client_used_from_two_event_loops_closes_the_first_ones_connections_quietly() -> None:
    # asyncio.run twice on one summarizer: the first loop's HTTP client is closed when the second loop asks, not
    # left to the garbage collector, which would have openai close it on some later loop and print the failure.
    with ScriptedServer(default=answer(VALID)) as server:
        client = ModelClient(BackendConfig(model="fake", base_url=server.base_url, mode="json_schema"))
        answers = [extract(client, MESSAGES, response_model=SummaryAnswer).answer.summary for _ in range(2)]
    reported: list[str] = []

    async def collect() -> None:
        asyncio.get_running_loop().set_exception_handler(lambda _, context: reported.append(str(context.get("exception"))))
        gc.collect()
        for _ in range(3):
            await asyncio.sleep(0)

    asyncio.run(collect())
    assert answers == ["It rained."] * 2
    assert not [error for error in reported if "Event loop is closed" in error]
