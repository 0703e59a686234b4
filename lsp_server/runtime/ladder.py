"""The ladder of instruct models ``model.name = "auto"`` chooses from.

"Choose the model size for the compute you have; quantize to fit": each rung
records the parameter counts that decide its memory, so the choice and
``marginalia models list`` use the same arithmetic.  Embeddings (and the tied
LM head) stay in 16 bits under bitsandbytes, which matters for small models
whose 152k-token vocabulary is a quarter of their weights.
"""

from __future__ import annotations

from dataclasses import dataclass

GIB = 1024**3
# Bytes per parameter of a quantized linear layer (NF4 with double quantization
# stores ~0.5 byte plus ~0.03 of block constants; LLM.int8 and torch's dynamic int8 one
# byte plus row scales).
BYTES_PER_PARAM = {"4bit": 0.53, "8bit": 1.02, "int8": 1.02, "bf16": 2.0, "fp32": 4.0}
# Bytes per embedding parameter: bitsandbytes keeps embeddings in 16 bits; torch's dynamic
# int8 keeps the fp32 input table and adds an int8 copy of the (tied) LM head.
EMBEDDING_BYTES_PER_PARAM = {"fp32": 4.0, "int8": 5.0}
# KV cache, activations and the CUDA/torch context for a ~1k-token prompt.
RUNTIME_OVERHEAD_BYTES = int(0.6 * GIB)


@dataclass(frozen=True)
class Rung:
    hub_id: str
    params_b: float  # total parameters, billions
    embedding_params_b: float  # input embedding (+ untied LM head), billions
    note: str

    def weight_bytes(self, precision: str) -> int:
        """Weight memory at ``precision`` ("4bit", "8bit", "int8", "bf16", "fp32")."""
        emb = self.embedding_params_b * 1e9
        rest = (self.params_b - self.embedding_params_b) * 1e9
        emb_bpp = EMBEDDING_BYTES_PER_PARAM.get(precision, 2.0)
        return int(emb * emb_bpp + rest * BYTES_PER_PARAM[precision])

    def need_bytes(self, precision: str) -> int:
        return self.weight_bytes(precision) + RUNTIME_OVERHEAD_BYTES


LADDER: tuple[Rung, ...] = (
    Rung("Qwen/Qwen2.5-0.5B-Instruct", 0.494, 0.136, "CPU default; fast enough for completion on 2 cores"),
    Rung("Qwen/Qwen2.5-1.5B-Instruct", 1.54, 0.233, "small GPU (4 GB) or a many-core CPU"),
    Rung("Qwen/Qwen2.5-3B-Instruct", 3.09, 0.311, "6 GB GPU at 4 bit"),
    Rung("Qwen/Qwen2.5-7B-Instruct", 7.62, 1.09, "8 GB GPU at 4 bit, 12 GB at 8 bit"),
)
# Share of free memory a model may take, leaving room for the editor, LanguageTool and the rest.
GPU_SHARE = 0.8
RAM_SHARE = 0.5
# On the CPU speed, not memory, is the limit: decode time grows with parameters,
# so cap the rung by the number of cores (24 tokens in about 2 s is the target).
CPU_CORES_PER_RUNG = (0, 8, 16, 32)


def rung_for(hub_id: str) -> Rung | None:
    return next((r for r in LADDER if r.hub_id.lower() == hub_id.lower()), None)


def choose(free_bytes: int, precision: str, *, cpu_cores: int | None = None) -> Rung:
    """The largest rung whose need fits ``free_bytes`` (the smallest if none fits)."""
    best = LADDER[0]
    for i, rung in enumerate(LADDER):
        if cpu_cores is not None and cpu_cores < CPU_CORES_PER_RUNG[i]:
            break
        share = GPU_SHARE if cpu_cores is None else RAM_SHARE
        if rung.need_bytes(precision) <= free_bytes * share:
            best = rung
    return best
