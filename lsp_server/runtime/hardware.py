"""Where the model runs and how much room it has there.

torch is imported inside the functions, never at module import: this module is
read by the plugins at startup, the model stack only when a model is used.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from lsp_server.runtime.ladder import Rung, choose
from lsp_server.runtime.settings import ModelSettings


class _DropMessage(logging.Filter):
    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.prefix)


# Registered before anything imports bitsandbytes (this module is the first of the runtime's).
# Its int8 matmul logs on every call that fp32 inputs are cast to fp16.
logging.getLogger("bitsandbytes.autograd._functions").addFilter(_DropMessage("MatMul8bitLt: inputs will be cast"))
# On AVX-512 BF16 CPUs its import asks for the `kernels` package, which fetches compiled code
# from the Hugging Face Hub at run time: we never install that, so the advice is only noise.
logging.getLogger("bitsandbytes.backends.cpu.ops").addFilter(_DropMessage("Failed to load CPU gemm_4bit_forward"))

log = logging.getLogger(__name__)


class ModelUnavailable(RuntimeError):
    """The model cannot be used here; the message says why and what to do."""


@dataclass(frozen=True)
class Placement:
    device: str  # "cuda" | "cpu"
    quantization: str  # "4bit" | "8bit" (bitsandbytes) | "int8-dynamic" (torch, CPU only) | "none"
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


def prepare_cpu_threads() -> None:
    """Make torch's OpenMP threads sleep at barriers instead of spinning; call before torch loads.

    A decoding step passes hundreds of OpenMP barriers.  When other processes (LanguageTool,
    the editor, a build) hold a core, a spinning thread waits out its partner's time slice at
    each of them: on the 2-core machine under a load of 5, two spinning threads took 20 s for
    what one thread did in 3 s, and passive waiting brought two threads back to 4 s.  On a
    quiet machine spinning is faster (24 int8 tokens while typing: 1.9 s against 2.6 s), so
    an explicit ``OMP_WAIT_POLICY`` in the environment wins (bench/MODEL_BENCHMARKS.md).
    """
    if "torch" in sys.modules:
        log.debug("torch is already imported; OMP_WAIT_POLICY is left as it is")
        return
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


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


# Measured with bench/bench_model.py on the 2-core AVX2 machine (bench/MODEL_BENCHMARKS.md):
# torch's dynamic int8 decoded a 0.5B model about twice as fast as fp32 per CPU second and
# prefilled two to three times faster, while bitsandbytes' CPU kernels were slower than fp32
# (8-bit 2.4x, 4-bit 5x the CPU per token) and bf16 prefilled 3-5x slower (no AVX-512 BF16).


def _auto_quantization(device: str) -> str:
    if device == "cuda":
        return "4bit" if bitsandbytes_version() is not None else "none"
    from lsp_server.runtime import cpu_quant

    return cpu_quant.NAME if cpu_quant.available() else "none"


def place(settings: ModelSettings) -> Placement:
    """Pick device and quantization from the settings and the hardware."""
    free_gpu = cuda_free_bytes() if settings.device in ("auto", "cuda") else None
    if settings.device == "cuda" and free_gpu is None:
        raise ModelUnavailable("model.device is \"cuda\" but torch sees no CUDA GPU; set model.device = \"auto\" or \"cpu\"")
    device = "cuda" if free_gpu is not None else "cpu"
    quant: str = settings.quantization
    if quant == "auto":
        quant = _auto_quantization(device)
    if quant in ("4bit", "8bit") and bitsandbytes_version() is None:
        raise ModelUnavailable(f"model.quantization = \"{quant}\" needs bitsandbytes; pip install 'marginalia[model]'")
    return Placement(device, quant, free_gpu if free_gpu is not None else available_ram())


def precision_of(placement: Placement) -> str:
    if placement.quantization in ("4bit", "8bit"):
        return placement.quantization
    if placement.quantization == "int8-dynamic":
        return "int8"
    return "bf16" if placement.device == "cuda" else "fp32"


def auto_rung(placement: Placement) -> Rung:
    cores = None if placement.device == "cuda" else cpu_cores()
    return choose(placement.free_bytes, precision_of(placement), cpu_cores=cores)
