"""The OpenAI-compatible backend against a local fake server on 127.0.0.1."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from fake_openai import FakeOpenAI, fake_openai

from lsp_server.runtime import GenerationParams, ModelRuntime, ModelSettings, Outcome, Prompt, State
from lsp_server.runtime.remote import RemoteBackend


@pytest.fixture
def fake_server() -> Iterator[FakeOpenAI]:
    with fake_openai() as srv:
        yield srv


def _runtime(url: str, **kw: Any) -> ModelRuntime:
    rt = ModelRuntime(ModelSettings(backend="openai", url=url, **kw))
    assert rt.wait_ready(5), rt.message
    return rt


def test_completion_endpoint_streams_and_stops_at_the_sentence_end(fake_server: FakeOpenAI) -> None:
    rt = _runtime(fake_server.url, name="tiny")
    try:
        res = rt.generate(
            Prompt("continue", "The quick brown"), GenerationParams(max_new_tokens=8, stop=(". ",)), channel="c", time_limit=5
        )
        assert res.ok and res.text == " fox jumps over the lazy dog. "
        path, body, _ = fake_server.requests[-1]
        assert path == "/v1/completions"
        assert body["prompt"] == "The quick brown" and body["model"] == "tiny" and body["stream"] is True
        assert body["max_tokens"] == 8 and body["stop"] == [". "]
    finally:
        rt.close()


def test_instructions_go_to_chat_completions(fake_server: FakeOpenAI) -> None:
    rt = _runtime(fake_server.url)
    try:
        p = Prompt("instruct", "Teh fox.", instruction="Fix the grammar.", system="You edit prose.")
        res = rt.generate(p, GenerationParams(max_new_tokens=2), channel="r", time_limit=5)
        assert res.text == " fox jumps"
        path, body, _ = fake_server.requests[-1]
        assert path == "/v1/chat/completions"
        assert body["messages"][0] == {"role": "system", "content": "You edit prose."}
        assert body["messages"][1]["content"].startswith("Fix the grammar.") and "Teh fox." in body["messages"][1]["content"]
        assert "model" not in body  # name = auto: the server's default model
    finally:
        rt.close()


def test_api_key_comes_from_the_named_environment_variable(fake_server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARGINALIA_TEST_API_KEY", "sk-test")
    rt = _runtime(fake_server.url, api_key_env="MARGINALIA_TEST_API_KEY")
    try:
        assert rt.generate(Prompt("continue", "x"), GenerationParams(max_new_tokens=1), channel="c", time_limit=5).ok
        assert fake_server.requests[-1][2]["Authorization"] == "Bearer sk-test"
    finally:
        rt.close()


def test_wrong_key_is_reported_not_raised(fake_server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARGINALIA_TEST_API_KEY", "sk-wrong")
    rt = _runtime(fake_server.url, api_key_env="MARGINALIA_TEST_API_KEY")
    try:
        res = rt.generate(Prompt("continue", "x"), GenerationParams(), channel="c", time_limit=5)
        assert res.outcome is Outcome.ERROR and "401" in res.error
    finally:
        rt.close()


def test_only_credential_like_variables_can_be_named() -> None:
    rt = ModelRuntime(ModelSettings(backend="openai", api_key_env="HOME"))
    assert not rt.wait_ready(5)
    assert rt.state is State.FAILED and "must name an environment variable" in rt.message


def test_non_http_urls_are_refused() -> None:
    rt = ModelRuntime(ModelSettings(backend="openai", url="file:///etc/passwd"))
    assert not rt.wait_ready(5)
    assert "must be an http(s) URL" in rt.message


def test_unreachable_server_is_an_error_result(fake_server: FakeOpenAI) -> None:
    url = fake_server.url
    fake_server.shutdown()
    fake_server.server_close()
    backend = RemoteBackend(ModelSettings(backend="openai", url=url, request_timeout=2))
    rt = ModelRuntime(ModelSettings(backend="openai", url=url), loader=lambda s, p: backend)
    assert rt.wait_ready(5)
    try:
        res = rt.generate(Prompt("continue", "x"), GenerationParams(), channel="c", time_limit=5)
        assert res.outcome is Outcome.ERROR and "cannot reach" in res.error
    finally:
        rt.close()


def test_cancel_stops_reading_the_stream(fake_server: FakeOpenAI) -> None:
    fake_server.delay = 0.1
    fake_server.words = [f" w{i}" for i in range(100)]
    rt = _runtime(fake_server.url)
    try:
        job = rt.submit(Prompt("continue", "x"), GenerationParams(max_new_tokens=100), channel="c", time_limit=30)
        assert job is not None
        time.sleep(0.35)
        t0 = time.monotonic()
        rt.cancel()
        res = job.result(5)
        assert res.outcome is Outcome.CANCELLED
        assert time.monotonic() - t0 < 0.5
        assert 1 <= res.tokens < 10
    finally:
        rt.close()
