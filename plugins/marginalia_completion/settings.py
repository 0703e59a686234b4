"""Settings of the completion plugin (``[completion]`` in .marginalia.toml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from lsp_server.runtime.settings import ModelSettings

BLOCKABLE = ("math", "code", "command", "citation")


@dataclass
class CompletionSettings:
    """Sentence completion from a local or remote model.

    Off by default (it needs model weights); switch it on with
    ``enabled_plugins = ["completion"]``.  ``allow_in`` lists places where
    completion is normally refused: "math", "code", "command", "citation".
    """

    model: ModelSettings = field(default_factory=ModelSettings)
    max_new_tokens: int = field(default=24, metadata={"minimum": 1, "maximum": 256})
    # Tokens of prose before and after the cursor that the model sees.
    context_tokens: int = field(default=384, metadata={"minimum": 16, "maximum": 8192})
    suffix_tokens: int = field(default=96, metadata={"minimum": 0, "maximum": 4096})
    # Seconds one completion may take; a longer one is cut and its whole words kept.
    time_limit: float = field(default=2.5, metadata={"minimum": 0.1, "maximum": 60.0})
    stop_at: Literal["sentence", "paragraph"] = "sentence"
    allow_in: list[str] = field(default_factory=list)
    # No suggestion until the paragraph has this many characters before the cursor.
    min_prefix_chars: int = field(default=12, metadata={"minimum": 0, "maximum": 10000})
    # "continue" sends the text before the cursor; "fim" also the text after it, in the model's
    # fill-in-the-middle tokens; "auto" uses FIM whenever the tokenizer has FIM tokens.  Qwen2.5
    # instruct tokenizers carry FIM tokens but only the Coder models are trained on them, so
    # the default is plain continuation.
    prompt_style: Literal["auto", "continue", "fim"] = "continue"
    # Also answer textDocument/completion with one item (for clients without inline completion).
    completion_item: bool = True
