"""The CPU default: torch's dynamic int8 quantization, through the real loading path."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import torch
from model_factory import SENTENCES, tiny_model

from lsp_server.runtime import GenerationParams, ModelRuntime, ModelSettings, Prompt, State, cpu_quant
from lsp_server.runtime.hardware import auto_rung, place, precision_of
from lsp_server.runtime.local import LocalBackend

pytestmark = pytest.mark.skipif(not cpu_quant.available(), reason="this torch build has no fbgemm int8 kernels")


def _loaded(quantization: str) -> ModelRuntime:
    rt = ModelRuntime(ModelSettings(path=str(tiny_model("llama")), device="cpu", quantization=quantization))  # type: ignore[arg-type]
    assert rt.wait_ready(timeout=120), rt.message
    return rt


def _backend(rt: ModelRuntime) -> LocalBackend:
    assert isinstance(rt.backend, LocalBackend)
    return rt.backend


@pytest.fixture(scope="module")
def plain_and_int8() -> Iterator[tuple[ModelRuntime, ModelRuntime]]:
    plain, int8 = _loaded("none"), _loaded("auto")
    yield plain, int8
    plain.close()
    int8.close()


def test_auto_on_the_cpu_picks_dynamic_int8() -> None:
    placement = place(ModelSettings(device="cpu"))
    assert placement.quantization == cpu_quant.NAME
    assert precision_of(placement) == "int8"
    rung = auto_rung(placement)
    # The fp32 input embedding stays beside the int8 layers: more than bitsandbytes, less than fp32.
    assert rung.weight_bytes("8bit") < rung.weight_bytes("int8") < rung.weight_bytes("fp32")


def test_explicit_choices_are_kept_on_the_cpu() -> None:
    for q in ("none", "8bit", "4bit"):
        assert place(ModelSettings(device="cpu", quantization=q)).quantization == q  # type: ignore[arg-type]


def test_every_linear_layer_is_int8_and_the_weights_shrink(plain_and_int8: tuple[ModelRuntime, ModelRuntime]) -> None:
    plain, int8 = plain_and_int8
    model = _backend(int8).model
    layers = cpu_quant.quantized_layers(model)
    assert len(layers) == 2 * 7 + 1  # q, k, v, o, gate, up, down in both blocks, and the LM head
    assert not [m for m in model.modules() if type(m) is torch.nn.Linear]
    weight = layers[0].weight()
    assert weight.dtype == torch.qint8 and weight.qscheme() == torch.per_channel_affine
    assert "int8" in int8.message and "cpu" in int8.message
    assert _backend(int8).weight_bytes() < 0.6 * _backend(plain).weight_bytes()


def test_int8_logits_stay_close_to_fp32(plain_and_int8: tuple[ModelRuntime, ModelRuntime]) -> None:
    plain, int8 = plain_and_int8
    tok = _backend(plain).tokenizer
    for sentence in SENTENCES:
        ids = tok(sentence, return_tensors="pt", add_special_tokens=False).input_ids
        with torch.inference_mode():
            ref = _backend(plain).model(input_ids=ids).logits
            got = _backend(int8).model(input_ids=ids).logits
        err = (got - ref).abs().max()
        assert err < 0.1 * ref.abs().max(), sentence
        # A logit moved by at most `err` cannot swap a top-1 and top-2 further apart than 2 * err;
        # closer calls (the first token of a sentence) may go either way, and which way depends
        # on the CPU's int8 kernels.
        top2 = ref.topk(2, dim=-1).values
        decisive = (top2[..., 0] - top2[..., 1]) > 2 * err
        assert decisive.sum() >= decisive.numel() // 2, sentence
        assert torch.equal(ref.argmax(-1)[decisive], got.argmax(-1)[decisive]), sentence


@pytest.mark.parametrize(
    ("start", "rest"),
    [("The quick brown", " fox jumps over the lazy dog."), ("We propose a", " method for estimating the parameters of a model.")],
)
def test_int8_continues_with_the_same_greedy_tokens(
    plain_and_int8: tuple[ModelRuntime, ModelRuntime], start: str, rest: str
) -> None:
    for rt in plain_and_int8:
        res = rt.generate(Prompt("continue", start), GenerationParams(max_new_tokens=16, stop=(".",)), channel="q", time_limit=30)
        assert res.ok, res
        assert res.text == rest, rt.message


def test_int8_reuses_the_prompt_cache_while_typing(plain_and_int8: tuple[ModelRuntime, ModelRuntime]) -> None:
    _plain, int8 = plain_and_int8
    backend = _backend(int8)
    params = GenerationParams(max_new_tokens=12, stop=(".",))
    first = backend.generate(Prompt("continue", "The results show that"), params, lambda: False)
    typed = backend.generate(Prompt("continue", "The results show that the method"), params, lambda: False)
    assert first.text == " the method is accurate and fast."
    assert typed.text == " is accurate and fast."
    assert backend._prompt.ids  # the cache of the typed prompt is kept for the next keystroke


def test_gpt2_gets_an_int8_head_and_still_generates() -> None:
    rt = ModelRuntime(ModelSettings(path=str(tiny_model("gpt2")), device="cpu", quantization="auto"))
    assert rt.wait_ready(timeout=120), rt.message
    try:
        assert rt.state is State.READY
        # GPT-2 keeps its projections in Conv1D modules; only its LM head is an nn.Linear.
        assert len(cpu_quant.quantized_layers(_backend(rt).model)) == 1
        res = rt.generate(Prompt("continue", "The quick brown"), GenerationParams(max_new_tokens=8), channel="g", time_limit=30)
        assert res.ok and res.tokens > 0, res
    finally:
        rt.close()


@pytest.mark.parametrize(
    ("preset", "import_torch_first", "expected"),
    [(None, False, "PASSIVE"), ("ACTIVE", False, "ACTIVE"), (None, True, "unset")],
)
def test_openmp_threads_wait_passively_unless_told_otherwise(
    preset: str | None, import_torch_first: bool, expected: str
) -> None:
    """Set before torch loads (OpenMP reads it once); an explicit value and a loaded torch are left alone."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    if preset is not None:
        env["OMP_WAIT_POLICY"] = preset
    code = (
        ("import torch\n" if import_torch_first else "")
        + "import os\nfrom lsp_server.runtime.hardware import prepare_cpu_threads\nprepare_cpu_threads()\n"
        + "print(os.environ.get('OMP_WAIT_POLICY', 'unset'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == expected
