"""The completion plugin with a real (tiny) model loaded through model.path."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from marginalia_completion import CompletionPlugin, CompletionSettings
from model_factory import tiny_model

from lsp_server.documents import parse_document
from lsp_server.plugin import CheckContext
from lsp_server.runtime import ModelSettings, get_runtime, release_all
from lsp_server.runtime.prompts import Prompt, render


@pytest.fixture
def settings() -> Iterator[CompletionSettings]:
    s = CompletionSettings(model=ModelSettings(path=str(tiny_model("llama")), device="cpu", quantization="none"), min_prefix_chars=3)
    yield s
    release_all()


def _ready(plugin: CompletionPlugin, settings: CompletionSettings) -> None:
    assert plugin.runtime(settings).wait_ready(120), plugin.status()


def ctx(settings: CompletionSettings) -> CheckContext:
    return CheckContext(settings=settings)


def test_first_request_returns_nothing_at_once_and_starts_loading(settings: CompletionSettings) -> None:
    plugin = CompletionPlugin()
    doc = parse_document("The quick brown ", "plaintext")
    t0 = time.monotonic()
    assert list(plugin.inline_complete(doc, len(doc.source), ctx(settings))) == []
    assert time.monotonic() - t0 < 0.5
    ready, line = plugin.status()
    assert not ready and line.startswith("loading")
    _ready(plugin, settings)
    assert plugin.status()[0]


def test_inline_completion_continues_the_sentence_and_stops_at_its_end(settings: CompletionSettings) -> None:
    plugin = CompletionPlugin()
    _ready(plugin, settings)
    doc = parse_document("The quick brown", "plaintext", version=3)
    [s] = plugin.inline_complete(doc, len(doc.source), ctx(settings))
    assert s.text == " fox jumps over the lazy dog."
    assert (s.start, s.end) == (len(doc.source), len(doc.source))


def test_inline_completion_in_latex_prose(settings: CompletionSettings) -> None:
    plugin = CompletionPlugin()
    _ready(plugin, settings)
    src = "In this paper we describe the \n"
    doc = parse_document(src, "latex")
    [s] = plugin.inline_complete(doc, src.index("the \n") + 4, ctx(settings))
    assert s.text == "data and the analysis."


def test_nothing_inside_math(settings: CompletionSettings) -> None:
    plugin = CompletionPlugin()
    _ready(plugin, settings)
    src = "The quick brown $x + y$ fox."
    doc = parse_document(src, "latex")
    assert list(plugin.inline_complete(doc, src.index("+"), ctx(settings))) == []


def test_completion_item_replaces_the_word_being_typed(settings: CompletionSettings) -> None:
    plugin = CompletionPlugin()
    _ready(plugin, settings)
    doc = parse_document("We propose a met", "plaintext")
    [s] = plugin.complete(doc, len(doc.source), ctx(settings))
    assert s.start == len("We propose a ") and s.end == len(doc.source)
    assert s.text == "method for estimating the parameters of a model."
    assert s.filter_text is not None and s.filter_text.startswith("met")


def test_completion_item_can_be_switched_off(settings: CompletionSettings) -> None:
    plugin = CompletionPlugin()
    _ready(plugin, settings)
    settings.completion_item = False
    doc = parse_document("We propose a met", "plaintext")
    assert list(plugin.complete(doc, len(doc.source), ctx(settings))) == []


def test_a_cancelled_request_returns_nothing(settings: CompletionSettings) -> None:
    plugin = CompletionPlugin()
    _ready(plugin, settings)
    doc = parse_document("The results", "plaintext")
    c = ctx(settings)
    c.cancelled.set()
    assert list(plugin.inline_complete(doc, len(doc.source), c)) == []


def test_cancel_mid_generation_frees_the_worker(settings: CompletionSettings) -> None:
    """The server's cancel (here: ctx.cancelled set from another thread) stops decoding."""
    settings.max_new_tokens = 256
    settings.time_limit = 60
    plugin = CompletionPlugin()
    _ready(plugin, settings)
    rt = plugin.runtime(settings)
    doc = parse_document("zzz qqq xxx vvv", "plaintext")
    c = ctx(settings)
    out: list[object] = []
    th = threading.Thread(target=lambda: out.append(list(plugin.inline_complete(doc, len(doc.source), c))))
    th.start()
    deadline = time.monotonic() + 10
    while not (rt.worker is not None and rt.worker.busy) and time.monotonic() < deadline:
        time.sleep(0.005)
    c.cancelled.set()
    th.join(5)
    assert not th.is_alive()
    assert out == [[]]
    assert rt.worker is not None and rt.worker.wait_idle(1.0)


def test_typing_through_a_suggestion_is_served_from_the_cache(settings: CompletionSettings) -> None:
    plugin = CompletionPlugin()
    _ready(plugin, settings)
    first = parse_document("The results show", "plaintext")
    [s] = plugin.inline_complete(first, len(first.source), ctx(settings))
    assert s.text == " that the method is accurate and fast."
    rt = get_runtime(settings.model)
    before = len(rt.cache)
    typed = parse_document("The results show that the", "plaintext")
    [s2] = plugin.inline_complete(typed, len(typed.source), ctx(settings))
    assert s2.text == " method is accurate and fast."
    assert len(rt.cache) == before  # no new generation was needed


def test_model_absent_gives_no_completions_and_a_clear_status(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    settings = CompletionSettings(model=ModelSettings(name="marginalia-tests/absent", device="cpu"))
    plugin = CompletionPlugin()
    doc = parse_document("The quick brown ", "plaintext")
    assert list(plugin.inline_complete(doc, len(doc.source), ctx(settings))) == []
    assert not plugin.runtime(settings).wait_ready(60)
    ready, line = plugin.status()
    assert not ready and "not downloaded" in line
    assert list(plugin.inline_complete(doc, len(doc.source), ctx(settings))) == []
    release_all()


def test_fim_prompt_uses_the_tokenizers_fim_tokens_and_gpt2_falls_back_to_continuation() -> None:
    from transformers import AutoTokenizer

    llama = AutoTokenizer.from_pretrained(str(tiny_model("llama")))
    gpt2 = AutoTokenizer.from_pretrained(str(tiny_model("gpt2")))
    p = Prompt("continue", "The quick", suffix=" the lazy dog.")
    assert render(p, llama) == "<|fim_prefix|>The quick<|fim_suffix|> the lazy dog.<|fim_middle|>"
    assert render(Prompt("continue", "The quick", suffix=" x", style="continue"), llama) == "The quick"
    inst = render(Prompt("instruct", "Teh fox.", instruction="Fix it."), llama)
    assert inst.startswith("<s>user\nFix it.") and inst.endswith("<s>assistant\n")
    del gpt2.chat_template
    assert "Instruction: Fix it." in render(Prompt("instruct", "Teh fox.", instruction="Fix it."), gpt2)


def test_plugin_is_off_by_default_and_declares_its_settings() -> None:
    assert CompletionPlugin.enabled_by_default is False
    assert CompletionPlugin.Settings is CompletionSettings
    from lsp_server.config import from_mapping

    msgs: list[str] = []
    s = from_mapping(CompletionSettings, {"model": {"quantization": "3bit", "path": "/m"}, "max_new_tokens": 0}, "completion", msgs)
    assert s.model.path == "/m" and s.model.quantization == "auto" and s.max_new_tokens == 24
    assert len(msgs) == 2
