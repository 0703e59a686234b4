"""``marginalia models list | info | pull`` (wired by the CLI to lsp_server.runtime.cli.main)."""

from __future__ import annotations

import json

import pytest
from model_factory import tiny_model

from lsp_server.runtime.cli import main
from lsp_server.runtime.ladder import LADDER, choose, rung_for


def test_list_shows_the_ladder_with_memory(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for rung in LADDER:
        assert rung.hub_id in out
    assert "4bit" in out and "fp32 CPU" in out


def test_list_json_is_machine_readable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = {r["model"]: r for r in data["ladder"]}
    small = rows["Qwen/Qwen2.5-0.5B-Instruct"]["need_bytes"]
    assert small["4bit"] < small["8bit"] < small["bf16"] < small["fp32"]


def test_info_on_a_local_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(tiny_model("gpt2"))]) == 0
    assert "gpt2 model" in capsys.readouterr().out


def test_info_on_a_pickle_folder_explains_the_refusal(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "model.pt").write_bytes(b"x")
    assert main(["info", str(tmp_path)]) == 1
    assert "refused" in capsys.readouterr().out


def test_pull_offline_fails_with_one_clear_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert main(["pull", "marginalia-tests/not-a-model"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("cannot pull marginalia-tests/not-a-model:") and out.count("\n") == 1


def test_usage_error_returns_non_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2


def test_ladder_choice_follows_memory_and_cores() -> None:
    gib = 1024**3
    assert choose(2 * gib, "4bit").hub_id == "Qwen/Qwen2.5-0.5B-Instruct"
    assert choose(5 * gib, "4bit").hub_id == "Qwen/Qwen2.5-3B-Instruct"
    assert choose(80 * gib, "4bit").hub_id == "Qwen/Qwen2.5-7B-Instruct"
    # Plenty of RAM but two cores: speed, not memory, caps the CPU choice.
    assert choose(64 * gib, "fp32", cpu_cores=2).hub_id == "Qwen/Qwen2.5-0.5B-Instruct"
    assert choose(64 * gib, "fp32", cpu_cores=8).hub_id == "Qwen/Qwen2.5-1.5B-Instruct"
    rung = rung_for("qwen/qwen2.5-7b-instruct")
    assert rung is not None and rung.weight_bytes("4bit") < 0.35 * rung.weight_bytes("bf16") + rung.embedding_params_b * 2e9


@pytest.mark.parametrize(
    ("logger", "noise"),
    [
        ("bitsandbytes.backends.cpu.ops", "Failed to load CPU gemm_4bit_forward from kernels-community: No module named 'kernels'."),
        ("bitsandbytes.autograd._functions", "MatMul8bitLt: inputs will be cast from torch.float32 to float16 during quantization"),
    ],
)
def test_bitsandbytes_noise_stays_out_of_the_users_terminal(logger: str, noise: str, caplog: pytest.LogCaptureFixture) -> None:
    """`marginalia models info` printed bitsandbytes' advice to install `kernels` (a package that
    fetches compiled code from the Hub) on AVX-512 BF16 CPUs; the runtime drops that line and
    the int8 cast notice, and nothing else from those loggers."""
    import logging

    import lsp_server.runtime.hardware  # noqa: F401 - registers the filters

    with caplog.at_level(logging.WARNING):
        logging.getLogger(logger).warning(noise)
        logging.getLogger(logger).warning("something else went wrong")
    assert [r.getMessage() for r in caplog.records] == ["something else went wrong"]
