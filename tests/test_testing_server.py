"""ScriptedServer: the loopback OpenAI-compatible test seam, over raw HTTP and through Summarizer."""

from __future__ import annotations

import http.client
import json
import socket
import struct
import threading
from typing import Any

import pytest

from summarizer.api import Summarizer
from summarizer.errors import AuthenticationError, BackendError
from summarizer.testing import ScriptedServer, answer, computed, drop_connection, empty_choices, hang, invalid_json_body, status

DIGEST = {"summary": "Rain fell in Paris.", "key_points": ["It rained."], "actors": [], "quotes": [], "figures": [], "stances": []}
ARTICLE = "Rain fell in Paris on Tuesday, the weather service said."


def post(server: ScriptedServer, body: Any, *, timeout: float = 10.0, path: str = "/v1/chat/completions") -> tuple[int, dict[str, str], bytes]:
    """A raw request, so the server is tested without the openai client's retries."""
    port = int(server.base_url.rsplit(":", 1)[1].split("/")[0])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        connection.request("POST", path, body=data, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def chat(**extra: Any) -> dict[str, Any]:
    return {"model": "fake", "messages": [{"role": "user", "content": "hi"}], **extra}


def test_answer_is_json_content_and_usage() -> None:
    with ScriptedServer() as server:
        server.enqueue(answer(DIGEST, usage=(120, 30)))
        code, headers, body = post(server, chat())
    completion = json.loads(body)
    assert code == 200 and headers["content-type"] == "application/json"
    assert json.loads(completion["choices"][0]["message"]["content"]) == DIGEST
    assert completion["choices"][0]["finish_reason"] == "stop"
    assert completion["usage"] == {"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150}
    assert "tool_calls" not in completion["choices"][0]["message"]


def test_answer_becomes_a_tool_call_when_tools_are_offered() -> None:
    tools = [{"type": "function", "function": {"name": "DigestAnswer", "parameters": {"type": "object"}}}]
    with ScriptedServer(default=answer(DIGEST)) as server:
        _, _, body = post(server, chat(tools=tools))
    call = json.loads(body)["choices"][0]["message"]["tool_calls"][0]
    assert call["function"]["name"] == "DigestAnswer"
    assert json.loads(call["function"]["arguments"]) == DIGEST


def test_replies_are_consumed_in_order_then_the_default_answers() -> None:
    with ScriptedServer(default=answer("default")) as server:
        server.enqueue(answer("first"), answer("second"))
        contents = [json.loads(post(server, chat(n=i))[2])["choices"][0]["message"]["content"] for i in range(4)]
        assert server.pending == 0
        assert [request["n"] for request in server.history] == [0, 1, 2, 3]
    assert contents == ["first", "second", "default", "default"]


def test_a_computed_reply_is_made_from_each_request_queued_or_by_default() -> None:
    echo = computed(lambda request: answer(f"you said {request['messages'][-1]['content']}") if request.get("n") != 2 else status(503))
    with ScriptedServer(default=echo) as server:
        server.enqueue(computed(lambda request: answer("queued first")))
        replies = [post(server, {**chat(n=n), "messages": [{"role": "user", "content": f"hi {n}"}]}) for n in range(3)]
    assert [json.loads(body)["choices"][0]["message"]["content"] for _, _, body in replies[:2]] == ["queued first", "you said hi 1"]
    assert replies[2][0] == 503


def test_without_default_an_exhausted_script_is_a_500_that_says_so() -> None:
    with ScriptedServer() as server:
        code, _, body = post(server, chat())
    assert code == 500
    assert "no scripted reply left" in json.loads(body)["error"]["message"]


def test_status_sends_retry_after_by_default_and_an_openai_error_body() -> None:
    with ScriptedServer() as server:
        server.enqueue(status(429), status(503, headers={}, body={"error": {"message": "overloaded"}}))
        first = post(server, chat())
        second = post(server, chat())
    assert first[0] == 429 and first[1]["retry-after"] == "1"
    assert json.loads(first[2])["error"]["message"] == "scripted HTTP 429"
    assert second[0] == 503 and "retry-after" not in second[1]
    assert json.loads(second[2]) == {"error": {"message": "overloaded"}}


def test_empty_choices_and_invalid_json_body() -> None:
    with ScriptedServer() as server:
        server.enqueue(empty_choices(), invalid_json_body())
        _, _, empty = post(server, chat())
        code, _, broken = post(server, chat())
    assert json.loads(empty)["choices"] == []
    assert code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(broken)


def test_drop_connection_closes_without_a_response() -> None:
    with ScriptedServer(default=answer(DIGEST)) as server:
        server.enqueue(drop_connection())
        with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
            post(server, chat())
        assert post(server, chat())[0] == 200  # the server itself is fine
        assert len(server.history) == 2


def test_hang_is_a_read_timeout_for_the_client() -> None:
    with ScriptedServer() as server:
        server.enqueue(hang(30))
        with pytest.raises(TimeoutError):
            post(server, chat(), timeout=0.3)
    # Leaving the block returned: close() cut the 30-second hang short.


def test_requests_are_served_concurrently() -> None:
    outcome: list[object] = []

    def hanging_request() -> None:
        try:
            outcome.append(post(server, chat(), timeout=20))
        except OSError as exc:  # the hang ends when the server closes
            outcome.append(exc)

    with ScriptedServer(default=answer("fast")) as server:
        server.enqueue(hang(30))
        hung = threading.Thread(target=hanging_request)
        hung.start()
        while not server.history:  # wait until the hanging request holds its reply
            threading.Event().wait(0.01)
        code, _, _ = post(server, chat())
        assert code == 200
        assert hung.is_alive() and outcome == []  # answered while the first request still hangs
    hung.join()
    assert isinstance(outcome[0], OSError)


def test_models_route_and_unknown_routes() -> None:
    with ScriptedServer(model="tiny") as server:
        port = int(server.base_url.rsplit(":", 1)[1].split("/")[0])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/v1/models")
        models = json.loads(connection.getresponse().read())
        connection.close()
        assert post(server, chat(), path="/v1/embeddings")[0] == 404
        assert post(server, b"not json")[0] == 400
        assert post(server, chat(stream=True))[0] == 400
        assert server.history == []  # only accepted chat completions are recorded
    assert [model["id"] for model in models["data"]] == ["tiny"]


def test_base_url_needs_a_running_server() -> None:
    server = ScriptedServer()
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.base_url
    with server:
        assert server.base_url.startswith("http://127.0.0.1:") and server.base_url.endswith("/v1")
    server.close()  # idempotent


# -- through the real client stack (openai + instructor + tenacity) -----------


@pytest.mark.parametrize("mode", ["json_schema", "tools", "json", "md_json", "llama_cpp"])
def test_every_structured_output_mode_parses_the_answer(mode: str) -> None:
    with ScriptedServer(default=answer(DIGEST, usage=(50, 5))) as server, Summarizer(base_url=server.base_url, model="fake", mode=mode) as summarizer:
        result = summarizer.summarize(ARTICLE)
    assert result.summary.text == "Rain fell in Paris."
    assert result.provenance.usage.prompt_tokens == 50


def test_retry_after_is_honoured_then_the_answer_arrives() -> None:
    with ScriptedServer(default=answer(DIGEST)) as server, Summarizer(base_url=server.base_url, model="fake") as summarizer:
        server.enqueue(status(429, headers={"Retry-After": "0"}), empty_choices())
        result = summarizer.summarize(ARTICLE)
        assert len(server.history) == 3
    assert result.provenance.attempts == 3


@pytest.mark.parametrize(
    ("reply", "error"),
    [(status(401), AuthenticationError), (status(500, headers={"Retry-After": "0"}), BackendError), (hang(30), BackendError)],
    ids=["401", "500", "hang"],
)
def test_faults_become_the_packages_errors(reply: Any, error: type[Exception]) -> None:
    with ScriptedServer(default=reply) as server, Summarizer(base_url=server.base_url, model="fake", transport_retries=1, timeout_s=1) as summarizer:
        with pytest.raises(error):
            summarizer.summarize(ARTICLE)


def test_a_client_that_resets_the_connection_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    with ScriptedServer() as server:
        server.enqueue(drop_connection())
        with pytest.raises(http.client.RemoteDisconnected):
            post(server, chat())
        port = int(server.base_url.rsplit(":", 1)[1].split("/")[0])
        # A client that gives up mid-request and resets the socket (SO_LINGER 0 sends RST).
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
        server.enqueue(answer(DIGEST))
        assert post(server, chat())[0] == 200  # the server still serves; the reset was handled before this answer
    assert "Traceback" not in capfd.readouterr().err
