"""Tiny causal language models built on the spot, for tests.

A Llama and a GPT-2, a few hundred thousand parameters each, with a byte-level
BPE tokenizer trained here on a handful of sentences and saved as safetensors,
so tests exercise the real loading path (``model.path``) in seconds.  The
models are briefly trained to memorise :data:`SENTENCES`, which makes their
greedy continuations predictable ("The quick brown fox" -> " jumps over the
lazy dog.") without any downloaded weights.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Literal

Arch = Literal["llama", "gpt2"]

SENTENCES = (
    "The quick brown fox jumps over the lazy dog.",
    "We propose a method for estimating the parameters of a model.",
    "The results show that the method is accurate and fast.",
    "In this paper we describe the data and the analysis.",
)
FIM = ("<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>")
SPECIAL = ["<unk>", "<s>", "</s>", "<pad>", *FIM]
# A minimal chat template (ChatML-like) so the chat path is exercised without remote code.
CHAT_TEMPLATE = (
    "{% for m in messages %}<s>{{ m['role'] }}\n{{ m['content'] }}</s>\n{% endfor %}"
    "{% if add_generation_prompt %}<s>assistant\n{% endif %}"
)

_lock = threading.Lock()
_built: dict[str, Path] = {}
_root: Path | None = None


def _workdir() -> Path:
    global _root
    if _root is None:
        _root = Path(tempfile.mkdtemp(prefix="marginalia-tiny-models-"))
        atexit.register(shutil.rmtree, _root, True)
    return _root


def train_tokenizer(texts: list[str], vocab_size: int = 400) -> object:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=SPECIAL, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tok.train_from_iterator(texts, trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
        pad_token="<pad>",
        additional_special_tokens=list(FIM),
    )


def _config(arch: Arch, vocab: int, tokenizer: object) -> object:
    ids = {"bos_token_id": tokenizer.bos_token_id, "eos_token_id": tokenizer.eos_token_id, "pad_token_id": tokenizer.pad_token_id}  # type: ignore[attr-defined]
    if arch == "llama":
        from transformers import LlamaConfig

        return LlamaConfig(
            vocab_size=vocab, hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=2, max_position_embeddings=512, tie_word_embeddings=False, **ids,
        )
    from transformers import GPT2Config

    return GPT2Config(vocab_size=vocab, n_embd=64, n_layer=2, n_head=4, n_positions=512, **ids)


def _memorise(model: object, tokenizer: object, steps: int) -> None:
    """A few hundred optimiser steps on SENTENCES: enough for greedy decoding to recite them."""
    import torch

    eos = tokenizer.eos_token  # type: ignore[attr-defined]
    batch = tokenizer([s + eos for s in SENTENCES], return_tensors="pt", padding=True)  # type: ignore[operator]
    labels = batch.input_ids.masked_fill(batch.attention_mask == 0, -100)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)  # type: ignore[attr-defined]
    model.train()  # type: ignore[attr-defined]
    for _ in range(steps):
        loss = model(input_ids=batch.input_ids, attention_mask=batch.attention_mask, labels=labels).loss  # type: ignore[operator]
        loss.backward()
        opt.step()
        opt.zero_grad()
    model.eval()  # type: ignore[attr-defined]


def build(arch: Arch, folder: Path, *, train_steps: int = 60, chat_template: bool | None = None) -> Path:
    """Write a tiny ``arch`` model with its tokenizer to ``folder`` (safetensors only)."""
    import torch
    from transformers import AutoModelForCausalLM

    torch.manual_seed(0)
    texts = list(SENTENCES) * 20
    tokenizer = train_tokenizer(texts)
    if chat_template if chat_template is not None else arch == "llama":
        tokenizer.chat_template = CHAT_TEMPLATE  # type: ignore[attr-defined]
    tokenizer.padding_side = "right"  # type: ignore[attr-defined]
    config = _config(arch, len(tokenizer), tokenizer)  # type: ignore[arg-type]
    model = AutoModelForCausalLM.from_config(config)
    if train_steps:
        _memorise(model, tokenizer, train_steps)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)  # type: ignore[attr-defined]
    return folder


def tiny_model(arch: Arch = "llama") -> Path:
    """The folder of a tiny model, built once per test session."""
    with _lock:
        if arch not in _built:
            _built[arch] = build(arch, _workdir() / arch)
        return _built[arch]
