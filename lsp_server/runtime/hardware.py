"""Where the model runs and how much room it has there.

torch is imported inside the functions, never at module import: this module is
read by the plugins at startup, the model stack only when a model is used.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from lsp_server.runtime.ladder import Rung, choose
from lsp_server.runtime.settings import ModelSettings


class ModelUnavailable(RuntimeError):
    """The model cannot be used here; the message says why and what to do."""


@dataclass(frozen=True)
class Placement:
    device: str  # "cuda" | "cpu"
    quantization: str  # "4bit" | "8bit" | "none"
    free_bytes: int


def available_ram() -> int:
    """Memory the system can still hand out (MemAvailable, else free pages)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return 0


def cpu_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def cuda_free_bytes() -> int | None:
    """Free memory on the current CUDA device, or None without a usable GPU."""
    import torch

    if not torch.cuda.is_available():
        return None
    free, _total = torch.cuda.mem_get_info()
    return int(free)


def bitsandbytes_version() -> str | None:
    try:
        import bitsandbytes
    except Exception:  # noqa: BLE001 - a broken install is as good as none here
        return None
    return str(getattr(bitsandbytes, "__version__", "?"))


# Measured with bench/bench_model.py on the shared 2-core CPU machine (bench/MODEL_BENCHMARKS.md):
# for the 0.5B rung, bitsandbytes 8-bit took 601 MiB of weights against 1,885 MiB in fp32 and
# was no slower (cold 24 tokens after 512: p50 37 s vs 72 s; while typing, with the prompt
# cache: 11 s vs 26 s); 4-bit was smallest (430 MiB) but decoded slowest.  The machine was
# heavily shared, so the ranking is the finding, not the seconds.
CPU_DEFAULT_QUANTIZATION = "8bit"


def place(settings: ModelSettings) -> Placement:
    """Pick device and quantization from the settings and the hardware."""
    free_gpu = cuda_free_bytes() if settings.device in ("auto", "cuda") else None
    if settings.device == "cuda" and free_gpu is None:
        raise ModelUnavailable("model.device is \"cuda\" but torch sees no CUDA GPU; set model.device = \"auto\" or \"cpu\"")
    device = "cuda" if free_gpu is not None else "cpu"
    quant: str = settings.quantization
    if quant in ("4bit", "8bit") and bitsandbytes_version() is None:
        raise ModelUnavailable(f"model.quantization = \"{quant}\" needs bitsandbytes; pip install 'marginalia[model]'")
    if quant == "auto":
        if device == "cuda":
            quant = "4bit" if bitsandbytes_version() is not None else "none"
        else:
            quant = CPU_DEFAULT_QUANTIZATION if bitsandbytes_version() is not None else "none"
    return Placement(device, quant, free_gpu if free_gpu is not None else available_ram())


def precision_of(placement: Placement) -> str:
    if placement.quantization in ("4bit", "8bit"):
        return placement.quantization
    return "bf16" if placement.device == "cuda" else "fp32"


def auto_rung(placement: Placement) -> Rung:
    cores = None if placement.device == "cuda" else cpu_cores()
    return choose(placement.free_bytes, precision_of(placement), cpu_cores=cores)
