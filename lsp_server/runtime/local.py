"""The local backend: transformers + (optionally) bitsandbytes, in this process.

Imported only by the loader thread, so torch and transformers load on first
use of a model feature and never at server start.
"""

from __future__ import annotations

import copy
import inspect
import logging
import threading
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from transformers import (
    AutoModelForCausalLM,
    AutoTokenizer,
    BitsAndBytesConfig,
    DynamicCache,
    StoppingCriteria,
    StoppingCriteriaList,
)

from lsp_server.runtime import cpu_quant
from lsp_server.runtime.backend import Generated, GenerationParams, ShouldStop, cut_at_stop
from lsp_server.runtime.hardware import ModelUnavailable, Placement
from lsp_server.runtime.hub import Progress, check_weights
from lsp_server.runtime.prompts import Prompt, render

log = logging.getLogger(__name__)
# Prompt tokens per forward pass while prefilling: a cancel waits at most one chunk.
PREFILL_CHUNK = 64


# torch deprecates jit.script_method, which transformers still imports: noise in the user's log.
warnings.filterwarnings("ignore", message=r".*torch\.jit\.script_method.*", category=DeprecationWarning)


def quantization_config(quantization: str, device: str) -> BitsAndBytesConfig | None:
    """NF4 with double quantization and bf16 compute, or LLM.int8; None for unquantized."""
    if quantization == "4bit":
        return BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=torch.bfloat16,
        )
    if quantization == "8bit":
        return BitsAndBytesConfig(load_in_8bit=True)
    return None


def unquantized_dtype(device: str) -> torch.dtype:
    # bf16 halves memory on GPUs; on CPUs without bf16 matrix units fp32 is faster.
    return torch.bfloat16 if device == "cuda" else torch.float32


class _StopWhen(StoppingCriteria):
    """Checked by ``generate`` after every decoding step: cancel, deadline, stop strings."""

    def __init__(self, should_stop: ShouldStop, tokenizer: Any, prompt_len: int, stop: tuple[str, ...]) -> None:
        self.should_stop = should_stop
        self.tokenizer = tokenizer
        self.prompt_len = prompt_len
        self.stop = stop
        self.interrupted = False

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor, **kwargs: Any) -> torch.BoolTensor:
        done = False
        if self.should_stop():
            self.interrupted = True
            done = True
        elif self.stop:
            tail = self.tokenizer.decode(input_ids[0, self.prompt_len :], skip_special_tokens=True)
            done = cut_at_stop(tail, self.stop)[1]
        return torch.full((input_ids.shape[0],), done, dtype=torch.bool, device=input_ids.device)  # type: ignore[return-value]


@dataclass
class _PromptCache:
    """Key/value cache of the last prompt: consecutive completions share most of their prefix,
    so only the tokens typed since are prefilled (prefill dominates latency on a CPU)."""

    ids: list[int] = field(default_factory=list)
    cache: Any = None


@dataclass
class LocalBackend:
    model: Any
    tokenizer: Any
    placement: Placement
    source: str
    load_seconds: float
    reuse_prompt_cache: bool = True
    _prompt: _PromptCache = field(default_factory=_PromptCache)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def description(self) -> str:
        q = self.placement.quantization
        how = {"none": "unquantized", cpu_quant.NAME: "int8 (torch dynamic quantization)"}.get(q, q)
        return f"{self.source} on {self.placement.device}, {how}"

    def weight_bytes(self) -> int:
        return int(self.model.get_memory_footprint()) + cpu_quant.packed_bytes(self.model)

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=False).input_ids)

    def generate(self, prompt: Prompt, params: GenerationParams, should_stop: ShouldStop) -> Generated:
        text = render(prompt, self.tokenizer)
        enc = self.tokenizer(text, return_tensors="pt", add_special_tokens=False)
        ids = enc.input_ids.to(self.model.device)
        if ids.shape[1] == 0:  # nothing to condition on: start from BOS if the model has one
            bos = self.tokenizer.bos_token_id if self.tokenizer.bos_token_id is not None else self.tokenizer.eos_token_id
            ids = torch.tensor([[bos]], device=self.model.device)
        with self._lock:
            cache = self._prefill(ids, should_stop)
        if cache is None:
            return Generated("", 0, True)
        mask = torch.ones_like(ids)
        crit = _StopWhen(should_stop, self.tokenizer, ids.shape[1], tuple(params.stop))
        pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else self.tokenizer.eos_token_id
        sampling: dict[str, Any] = {"do_sample": False}
        if params.temperature > 0:
            sampling = {"do_sample": True, "temperature": params.temperature}
        with torch.inference_mode():
            out = self.model.generate(
                input_ids=ids,
                attention_mask=mask,
                max_new_tokens=params.max_new_tokens,
                min_new_tokens=params.min_new_tokens or None,
                stopping_criteria=StoppingCriteriaList([crit]),
                **{self._cache_kwarg: cache},
                pad_token_id=pad,
                top_p=None,
                top_k=None,
                **sampling,
            )
        new = out[0, ids.shape[1] :]
        decoded = self.tokenizer.decode(new, skip_special_tokens=True)
        decoded, _ = cut_at_stop(decoded, params.stop)
        return Generated(decoded, int(new.shape[0]), crit.interrupted)

    @property
    def _cache_kwarg(self) -> str:
        # transformers 5 renamed ``past_key_values`` to ``cache``; 4.x only knows the old name.
        return "cache" if "cache" in inspect.signature(self.model.forward).parameters else "past_key_values"

    def _prefill(self, ids: torch.Tensor, should_stop: ShouldStop) -> Any:
        """A cache holding all prompt tokens but the last, built in chunks (None if stopped)."""
        want = ids[0, :-1].tolist()
        common = 0
        if self.reuse_prompt_cache and self._prompt.cache is not None:
            for a, b in zip(want, self._prompt.ids, strict=False):
                if a != b:
                    break
                common += 1
        if common:
            cache = copy.deepcopy(self._prompt.cache)
            cache.crop(common - cache.get_seq_length())  # a negative count: tokens removed from the end
        else:
            cache = DynamicCache(config=self.model.config)
        with torch.inference_mode():
            for start in range(common, len(want), PREFILL_CHUNK):
                if should_stop():
                    if self.reuse_prompt_cache and start > common:
                        # Keep what was prefilled: the next request (the same prompt, or one typed
                        # further) starts from there, so a slow CPU still converges on an answer.
                        self._prompt = _PromptCache(want[:start], copy.deepcopy(cache))
                    return None
                end = min(start + PREFILL_CHUNK, len(want))
                self.model(input_ids=ids[:, start:end], use_cache=True, logits_to_keep=1, **{self._cache_kwarg: cache})
        if self.reuse_prompt_cache:
            self._prompt = _PromptCache(want, copy.deepcopy(cache))
        return cache

    def close(self) -> None:
        self._prompt = _PromptCache()
        self.model = None
        if self.placement.device == "cuda":
            torch.cuda.empty_cache()


def load(folder: Path, placement: Placement, source: str, progress: Progress | None = None) -> LocalBackend:
    """Load a checked safetensors folder; never runs code shipped with the model."""
    check_weights(folder)
    started = time.perf_counter()
    if progress:
        progress(0.0, "loading tokenizer")
    tokenizer = AutoTokenizer.from_pretrained(str(folder), trust_remote_code=False, local_files_only=True)
    if progress:
        progress(0.2, f"loading weights ({placement.quantization}, {placement.device})")
    kwargs: dict[str, Any] = {
        "use_safetensors": True,
        "trust_remote_code": False,
        "local_files_only": True,
        "device_map": {"": 0} if placement.device == "cuda" else "cpu",
    }
    qc = quantization_config(placement.quantization, placement.device)
    if qc is not None:
        kwargs["quantization_config"] = qc
    else:
        kwargs["dtype"] = unquantized_dtype(placement.device)
    try:
        model = AutoModelForCausalLM.from_pretrained(str(folder), **kwargs)
    except ValueError as exc:  # unknown architecture needing remote code, or a bad config
        raise ModelUnavailable(f"cannot load {source}: {exc}") from exc
    model.eval()
    if placement.quantization == cpu_quant.NAME:
        if progress:
            progress(0.9, "quantizing the weights to int8")
        cpu_quant.quantize(model)
    seconds = time.perf_counter() - started
    if progress:
        progress(1.0, "ready")
    log.info("loaded %s in %.1fs", source, seconds)
    return LocalBackend(model, tokenizer, placement, source, seconds)
