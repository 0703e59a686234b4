"""Loading through the real path: safetensors folders, quantization, refusals, lazy imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from model_factory import tiny_model

from lsp_server.runtime import GenerationParams, ModelRuntime, ModelSettings, ModelUnavailable, Prompt, State
from lsp_server.runtime.hub import check_weights

REPO = Path(__file__).resolve().parent.parent


def _loaded(settings: ModelSettings) -> ModelRuntime:
    rt = ModelRuntime(settings)
    assert rt.wait_ready(timeout=120), rt.message
    return rt


@pytest.mark.parametrize("arch", ["llama", "gpt2"])
def test_tiny_model_loads_from_path_and_continues_the_sentence(arch: str) -> None:
    rt = _loaded(ModelSettings(path=str(tiny_model(arch)), device="cpu", quantization="none"))
    try:
        assert rt.state is State.READY
        assert "unquantized" in rt.message and "cpu" in rt.message
        res = rt.generate(
            Prompt("continue", "The quick brown"), GenerationParams(max_new_tokens=16, stop=(". ", ".")),
            channel="t", time_limit=30,
        )
        assert res.ok, res
        assert res.text == " fox jumps over the lazy dog."
    finally:
        rt.close()


@pytest.mark.parametrize("quantization", ["8bit", "4bit"])
def test_bitsandbytes_quantizes_on_the_cpu(quantization: str) -> None:
    import bitsandbytes as bnb

    plain = _loaded(ModelSettings(path=str(tiny_model("llama")), device="cpu", quantization="none"))
    rt = _loaded(ModelSettings(path=str(tiny_model("llama")), device="cpu", quantization=quantization))  # type: ignore[arg-type]
    try:
        from lsp_server.runtime.local import LocalBackend

        assert isinstance(rt.backend, LocalBackend) and isinstance(plain.backend, LocalBackend)
        wanted = bnb.nn.Linear8bitLt if quantization == "8bit" else bnb.nn.Linear4bit
        layers = [m for m in rt.backend.model.modules() if isinstance(m, wanted)]
        assert len(layers) == 2 * 7  # q, k, v, o, gate, up, down in each of the two layers
        assert rt.backend.weight_bytes() < plain.backend.weight_bytes()
        res = rt.generate(Prompt("continue", "We propose a"), GenerationParams(max_new_tokens=8), channel="t", time_limit=30)
        assert res.ok and res.tokens > 0, res
    finally:
        rt.close()
        plain.close()


def test_four_bit_is_smaller_than_eight_bit() -> None:
    sizes = {}
    for q in ("8bit", "4bit"):
        rt = _loaded(ModelSettings(path=str(tiny_model("gpt2")), device="cpu", quantization=q))  # type: ignore[arg-type]
        sizes[q] = rt.backend.weight_bytes()  # type: ignore[union-attr]
        rt.close()
    assert sizes["4bit"] < sizes["8bit"]


def test_pickle_only_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "llama"}))
    (tmp_path / "pytorch_model.bin").write_bytes(b"not really a pickle")
    with pytest.raises(ModelUnavailable, match=r"only pickle weights \(pytorch_model\.bin\)"):
        check_weights(tmp_path)
    rt = ModelRuntime(ModelSettings(path=str(tmp_path), device="cpu"))
    assert not rt.wait_ready(timeout=60)
    assert rt.state is State.FAILED
    assert "refused" in rt.message and "safetensors" in rt.message


def test_missing_folder_gives_a_clear_message(tmp_path: Path) -> None:
    rt = ModelRuntime(ModelSettings(path=str(tmp_path / "nowhere"), device="cpu"))
    assert not rt.wait_ready(timeout=60)
    assert "does not exist" in rt.message


def test_remote_code_is_never_run(tmp_path: Path) -> None:
    """A folder asking for its own modelling code must not get it executed."""
    src = tiny_model("gpt2")
    for f in src.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    marker = tmp_path / "code-ran"
    cfg = json.loads((tmp_path / "config.json").read_text())
    cfg["model_type"] = "sneaky"
    cfg["auto_map"] = {"AutoConfig": "sneaky.SneakyConfig", "AutoModelForCausalLM": "sneaky.SneakyModel"}
    (tmp_path / "config.json").write_text(json.dumps(cfg))
    (tmp_path / "sneaky.py").write_text(f"open({str(marker)!r}, 'w').write('x')\n")
    rt = ModelRuntime(ModelSettings(path=str(tmp_path), device="cpu"))
    assert not rt.wait_ready(timeout=60)
    assert rt.state is State.FAILED
    assert not marker.exists()


def test_offline_with_nothing_cached_says_so_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    rt = ModelRuntime(ModelSettings(name="marginalia-tests/not-a-model", device="cpu"))
    assert not rt.wait_ready(timeout=60)
    assert rt.state is State.FAILED
    assert "not downloaded" in rt.message and "HF_HUB_OFFLINE" in rt.message
    assert "marginalia models pull marginalia-tests/not-a-model" in rt.message
    # Asking again does not retry or change the message: one clear message, no loop.
    assert rt.submit(Prompt("continue", "x"), GenerationParams(), channel="t", time_limit=1) is None
    assert rt.state is State.FAILED


def test_bad_hub_id_is_rejected_without_network() -> None:
    rt = ModelRuntime(ModelSettings(name="not a model id!", device="cpu"))
    assert not rt.wait_ready(timeout=60)
    assert "neither" in rt.message


@pytest.mark.skipif(os.environ.get("CUDA_VISIBLE_DEVICES") not in (None, ""), reason="only meaningful without a GPU")
def test_cuda_requested_without_a_gpu_is_a_clear_failure() -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    rt = ModelRuntime(ModelSettings(path=str(tiny_model("gpt2")), device="cuda"))
    assert not rt.wait_ready(timeout=60)
    assert "no CUDA GPU" in rt.message


def test_plugins_and_runtime_import_without_torch() -> None:
    code = (
        "import sys, lsp_server.runtime, lsp_server.runtime.cli, marginalia_completion, marginalia_rewrite\n"
        "from lsp_server.plugin import discover\n"
        "discover(include=['completion', 'rewrite'])\n"
        "heavy = sorted(m for m in ('torch', 'transformers', 'bitsandbytes') if m in sys.modules)\n"
        "print(heavy)\n"
        "sys.exit(1 if heavy else 0)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
