"""What the model is asked, independent of how a backend renders it.

A :class:`Prompt` is either a continuation (text before the cursor, maybe the
text after it for fill-in-the-middle) or an instruction applied to a text
(rewrites).  The local backend renders it with the tokenizer's chat template
and FIM tokens; the remote backend maps it onto /v1/completions or
/v1/chat/completions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

PromptStyle = Literal["auto", "continue", "fim", "chat"]
# Fill-in-the-middle token triples used by open models (Qwen2.5/-Coder, StarCoder, DeepSeek-Coder style).
FIM_TOKENS: tuple[tuple[str, str, str], ...] = (
    ("<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>"),
    ("<fim_prefix>", "<fim_suffix>", "<fim_middle>"),
    ("<｜fim▁begin｜>", "<｜fim▁hole｜>", "<｜fim▁end｜>"),
)


@dataclass(frozen=True)
class Prompt:
    kind: Literal["continue", "instruct"]
    text: str  # prefix to continue, or the text the instruction applies to
    suffix: str = ""  # text after the cursor (continuation only)
    instruction: str = ""
    system: str = ""
    # "auto": FIM when the tokenizer has FIM tokens and there is a suffix, else plain continuation.
    style: PromptStyle = "auto"

    def cache_key(self) -> tuple[str, ...]:
        return (self.kind, self.style, self.system, self.instruction, self.text, self.suffix)


def fim_tokens(tokenizer: Any) -> tuple[str, str, str] | None:
    """The FIM triple whose three tokens are all single tokens in this vocabulary."""
    vocab = tokenizer.get_vocab()
    for triple in FIM_TOKENS:
        if all(t in vocab for t in triple):
            return triple
    return None


def has_chat_template(tokenizer: Any) -> bool:
    return bool(getattr(tokenizer, "chat_template", None))


def chat_messages(prompt: Prompt) -> list[dict[str, str]]:
    messages = []
    if prompt.system:
        messages.append({"role": "system", "content": prompt.system})
    messages.append({"role": "user", "content": f"{prompt.instruction}\n\n{prompt.text}" if prompt.instruction else prompt.text})
    return messages


def plain_instruction(prompt: Prompt) -> str:
    """Instruction format for models without a chat template."""
    head = f"{prompt.system}\n\n" if prompt.system else ""
    return f"{head}Instruction: {prompt.instruction}\n\nText:\n{prompt.text}\n\nRewritten text:\n"


def render(prompt: Prompt, tokenizer: Any) -> str:
    """The prompt as text for a local tokenizer."""
    if prompt.kind == "instruct":
        if prompt.style != "continue" and has_chat_template(tokenizer):
            return str(tokenizer.apply_chat_template(chat_messages(prompt), tokenize=False, add_generation_prompt=True))
        return plain_instruction(prompt)
    triple = fim_tokens(tokenizer)
    use_fim = prompt.style == "fim" or (prompt.style == "auto" and bool(prompt.suffix.strip()) and triple is not None)
    if use_fim and triple is not None:
        pre, suf, mid = triple
        return f"{pre}{prompt.text}{suf}{prompt.suffix}{mid}"
    return prompt.text
