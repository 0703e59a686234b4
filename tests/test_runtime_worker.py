"""The generation worker: queue, supersede, cancel between steps, limits; and the LRU cache."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from model_factory import tiny_model

from lsp_server.runtime import GenerationParams, ModelRuntime, ModelSettings, Outcome, Prompt
from lsp_server.runtime.backend import Generated, ShouldStop, cut_at_stop
from lsp_server.runtime.cache import CompletionCache
from lsp_server.runtime.worker import GenerationWorker

STEP = 0.02  # seconds per fake decoding step


@dataclass
class StepBackend:
    """Emits one word per ``STEP``, polling ``should_stop`` between steps like a real decoder."""

    description: str = "fake"
    calls: list[str] = field(default_factory=list)
    stopped_after: list[int] = field(default_factory=list)

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def generate(self, prompt: Prompt, params: GenerationParams, should_stop: ShouldStop) -> Generated:
        self.calls.append(prompt.text)
        words: list[str] = []
        for i in range(params.max_new_tokens):
            if should_stop():
                self.stopped_after.append(i)
                return Generated("".join(words), i, True)
            time.sleep(STEP)
            words.append(f" w{i}")
        return Generated("".join(words), params.max_new_tokens, False)

    def close(self) -> None:
        pass


def test_jobs_run_in_order_and_return_their_text() -> None:
    w = GenerationWorker(StepBackend())
    try:
        a = w.submit(Prompt("continue", "a"), GenerationParams(max_new_tokens=3), channel="x", supersede=False)
        b = w.submit(Prompt("continue", "b"), GenerationParams(max_new_tokens=2), channel="x", supersede=False)
        assert a.result(5).text == " w0 w1 w2"
        assert b.result(5).text == " w0 w1"
        assert a.result().outcome is Outcome.DONE and b.result().outcome is Outcome.DONE
    finally:
        w.close()


def test_newer_request_supersedes_running_and_queued_ones() -> None:
    backend = StepBackend()
    w = GenerationWorker(backend)
    try:
        first = w.submit(Prompt("continue", "1"), GenerationParams(max_new_tokens=500), channel="completion")
        time.sleep(5 * STEP)
        second = w.submit(Prompt("continue", "2"), GenerationParams(max_new_tokens=500), channel="completion")
        started = time.monotonic()
        third = w.submit(Prompt("continue", "3"), GenerationParams(max_new_tokens=2), channel="completion")
        assert second.result(1).outcome is Outcome.SUPERSEDED  # answered at once, never ran
        assert first.result(1).outcome is Outcome.SUPERSEDED
        assert third.result(5).outcome is Outcome.DONE
        # The running job stopped within a step or two, not after 500 steps.
        assert time.monotonic() - started < 20 * STEP
        assert backend.calls == ["1", "3"]
    finally:
        w.close()


def test_other_channels_are_not_superseded() -> None:
    w = GenerationWorker(StepBackend())
    try:
        rewrite = w.submit(Prompt("instruct", "r"), GenerationParams(max_new_tokens=3), channel="rewrite")
        completion = w.submit(Prompt("continue", "c"), GenerationParams(max_new_tokens=3), channel="completion")
        assert rewrite.result(5).outcome is Outcome.DONE
        assert completion.result(5).outcome is Outcome.DONE
    finally:
        w.close()


def test_cancel_frees_the_worker_between_steps() -> None:
    backend = StepBackend()
    w = GenerationWorker(backend)
    try:
        job = w.submit(Prompt("continue", "long"), GenerationParams(max_new_tokens=1000), channel="c")
        time.sleep(10 * STEP)
        t0 = time.monotonic()
        assert w.cancel(job) == 1
        assert w.wait_idle(1.0)
        freed = time.monotonic() - t0
        assert freed < 3 * STEP, freed
        res = job.result(1)
        assert res.outcome is Outcome.CANCELLED
        assert res.text.startswith(" w0")  # what was generated before the cancel is kept
        assert 5 <= backend.stopped_after[0] <= 20
    finally:
        w.close()


def test_time_limit_stops_generation() -> None:
    w = GenerationWorker(StepBackend())
    try:
        t0 = time.monotonic()
        res = w.submit(Prompt("continue", "x"), GenerationParams(max_new_tokens=1000), channel="c", time_limit=0.1).result(5)
        assert res.outcome is Outcome.TIMEOUT
        assert time.monotonic() - t0 < 0.1 + 3 * STEP
        assert 0 < res.tokens < 10
    finally:
        w.close()


def test_a_failing_backend_reports_the_error_and_the_worker_survives() -> None:
    class Failing(StepBackend):
        def generate(self, prompt: Prompt, params: GenerationParams, should_stop: ShouldStop) -> Generated:
            if prompt.text == "boom":
                raise RuntimeError("CUDA out of memory")
            return super().generate(prompt, params, should_stop)

    w = GenerationWorker(Failing())
    try:
        bad = w.submit(Prompt("continue", "boom"), GenerationParams(), channel="a", supersede=False).result(5)
        assert bad.outcome is Outcome.ERROR and "out of memory" in bad.error
        good = w.submit(Prompt("continue", "ok"), GenerationParams(max_new_tokens=1), channel="a").result(5)
        assert good.ok
    finally:
        w.close()


def test_real_model_cancel_mid_generation() -> None:
    """The StoppingCriteria checks the event after every decoding step of a real model."""
    rt = ModelRuntime(ModelSettings(path=str(tiny_model("gpt2")), device="cpu", quantization="none"))
    assert rt.wait_ready(120), rt.message
    try:
        params = GenerationParams(max_new_tokens=3000, min_new_tokens=3000)
        job = rt.submit(Prompt("continue", "The quick"), params, channel="c", time_limit=120)
        assert job is not None
        time.sleep(0.3)
        t0 = time.monotonic()
        rt.cancel("c")
        res = job.result(10)
        freed = time.monotonic() - t0
        assert res.outcome is Outcome.CANCELLED
        assert 0 < res.tokens < 3000
        assert freed < 0.5, freed
        assert rt.worker is not None and not rt.worker.busy
    finally:
        rt.close()


def test_runtime_returns_nothing_until_loaded_and_loads_in_the_background() -> None:
    gate = threading.Event()

    def slow_loader(settings: ModelSettings, progress) -> StepBackend:  # type: ignore[no-untyped-def]
        progress(0.4, "weights")
        gate.wait(10)
        return StepBackend()

    rt = ModelRuntime(ModelSettings(), loader=slow_loader)
    t0 = time.monotonic()
    assert rt.submit(Prompt("continue", "x"), GenerationParams(), channel="c", time_limit=1) is None
    assert time.monotonic() - t0 < 0.2  # never blocks the caller
    time.sleep(0.05)
    ready, line = rt.status()
    assert not ready and line.startswith("loading 40%")
    gate.set()
    assert rt.wait_ready(5)
    assert rt.generate(Prompt("continue", "x"), GenerationParams(max_new_tokens=2), channel="c", time_limit=5).text == " w0 w1"
    rt.close()


def test_runtime_cache_serves_the_rest_of_a_completion_as_the_user_types() -> None:
    backend = StepBackend()
    rt = ModelRuntime(ModelSettings(), loader=lambda s, p: backend)
    assert rt.wait_ready(5)
    try:
        params = GenerationParams(max_new_tokens=3)
        first = rt.generate(Prompt("continue", "Hello"), params, channel="c", time_limit=5, use_cache=True)
        assert first.text == " w0 w1 w2"
        typed = rt.generate(Prompt("continue", "Hello w0"), params, channel="c", time_limit=5, use_cache=True)
        assert typed.text == " w1 w2"
        assert backend.calls == ["Hello"]  # served from the cache
        rt.generate(Prompt("continue", "Hello x"), params, channel="c", time_limit=5, use_cache=True)
        assert backend.calls == ["Hello", "Hello x"]  # diverged: a new generation
    finally:
        rt.close()


def test_lru_cache_evicts_the_least_recently_used() -> None:
    c = CompletionCache(size=2)
    c.put("ctx", "a", " one")
    c.put("ctx", "b", " two")
    assert c.get("ctx", "a") == " one"  # touch a: b is now the oldest
    c.put("ctx", "c", " three")
    assert c.get("ctx", "b") is None
    assert c.get("ctx", "a") == " one" and c.get("ctx", "c") == " three"
    assert len(c) == 2


def test_cache_prefix_lookup_needs_the_same_context_and_a_matching_prefix() -> None:
    c = CompletionCache()
    c.put("suffix-1", "The fox", " jumps over")
    assert c.get("suffix-1", "The fox ju") == "mps over"
    assert c.get("suffix-1", "The fox jumps over") is None  # nothing left to suggest
    assert c.get("suffix-2", "The fox ju") is None
    assert c.get("suffix-1", "The fox ra") is None


def test_cut_at_stop_takes_the_earliest_stop() -> None:
    assert cut_at_stop("one. two! three", [". ", "! "]) == ("one. ", True)
    assert cut_at_stop("no stop", [". "]) == ("no stop", False)


def test_prompt_cache_reuse_gives_the_same_tokens_as_a_fresh_prefill() -> None:
    """Consecutive prompts share their prefix's key/value cache; greedy output must not change."""
    rt = ModelRuntime(ModelSettings(path=str(tiny_model("llama")), device="cpu", quantization="none"))
    assert rt.wait_ready(120), rt.message
    from lsp_server.runtime.local import LocalBackend

    backend = rt.backend
    assert isinstance(backend, LocalBackend)
    try:
        prompts = ["The quick brown", "The quick brown fox", "The quick", "We propose a", "The results show that"]
        reused = []
        for text in prompts:
            out = backend.generate(Prompt("continue", text), GenerationParams(max_new_tokens=12), lambda: False)
            reused.append(out.text)
        assert len(backend._prompt.ids) > 0
        backend.reuse_prompt_cache = False
        fresh = [backend.generate(Prompt("continue", t), GenerationParams(max_new_tokens=12), lambda: False).text for t in prompts]
        assert reused == fresh
        assert fresh[0] == " fox jumps over the lazy dog."
    finally:
        rt.close()


def test_cancel_during_a_long_prefill_stops_between_chunks() -> None:
    from lsp_server.runtime import local

    rt = ModelRuntime(ModelSettings(path=str(tiny_model("gpt2")), device="cpu", quantization="none"))
    assert rt.wait_ready(120), rt.message
    backend = rt.backend
    assert isinstance(backend, local.LocalBackend)
    calls = {"n": 0}

    def stop_after_two_chunks() -> bool:
        calls["n"] += 1
        return calls["n"] > 2

    try:
        long_prompt = " ".join(["The quick brown fox jumps over the lazy dog."] * 40)  # > 4 chunks of tokens
        assert backend.count_tokens(long_prompt) > 4 * local.PREFILL_CHUNK
        out = backend.generate(Prompt("continue", long_prompt), GenerationParams(max_new_tokens=5), stop_after_two_chunks)
        assert out.stopped_early and out.text == "" and out.tokens == 0
        assert calls["n"] == 3  # checked before each chunk, stopped before the third
        assert len(backend._prompt.ids) == 2 * local.PREFILL_CHUNK  # the work done is kept for the next request
        five = GenerationParams(max_new_tokens=5, min_new_tokens=5)
        again = backend.generate(Prompt("continue", long_prompt), five, lambda: False)
        backend.reuse_prompt_cache = False
        fresh = backend.generate(Prompt("continue", long_prompt), five, lambda: False)
        assert again.text == fresh.text and again.tokens == 5
    finally:
        rt.close()
