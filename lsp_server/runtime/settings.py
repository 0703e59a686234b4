"""The ``model`` settings shared by every plugin that uses the model.

Both the completion and the rewrite plugin carry a ``model`` table of this
type; with the same values they share one loaded model (the runtime registry
keys models by these settings), so the defaults never load two.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Literal

from lsp_server.config import restricted

Backend = Literal["local", "openai"]
Quantization = Literal["auto", "4bit", "8bit", "none"]
DeviceChoice = Literal["auto", "cuda", "cpu"]


@dataclass(frozen=True)
class ModelSettings:
    """Which model runs where.

    ``name`` is ``"auto"`` (picked from the ladder by free GPU memory, or RAM on
    the CPU) or a Hugging Face hub id; ``path`` a local folder with safetensors
    weights, which wins over ``name``.  ``quantization = "auto"`` is bitsandbytes
    4-bit on a GPU and torch's dynamic int8 on the CPU (the fastest CPU path
    measured); ``"8bit"`` and ``"4bit"`` are bitsandbytes on either; ``"none"`` is
    bf16 on a GPU and fp32 on the CPU.  ``backend = "openai"`` sends requests
    to any OpenAI-compatible server at ``url`` instead; its key is read from the
    environment variable named by ``api_key_env``, never from a file.
    """

    # Where text goes and which weights load: an untrusted workspace may choose none of these.
    backend: Backend = field(default="local", metadata=restricted())
    name: str = field(default="auto", metadata=restricted())
    path: str = field(default="", metadata=restricted())
    revision: str = field(default="", metadata=restricted())
    quantization: Quantization = "auto"
    device: DeviceChoice = "auto"
    # Download the weights on first use when a network exists (else only the HF cache is used).
    download: bool = True
    # CPU threads for torch; 0 keeps torch's default.
    threads: int = field(default=0, metadata={"minimum": 0, "maximum": 256})
    url: str = field(default="http://127.0.0.1:8000/v1", metadata=restricted())
    api_key_env: str = field(default="", metadata=restricted())
    # Seconds an HTTP request to the remote backend may take.
    request_timeout: float = field(default=30.0, metadata={"minimum": 0.5, "maximum": 600.0})

    def key(self) -> tuple[object, ...]:
        """Identity of the model these settings load (registry key)."""
        return dataclasses.astuple(self)
