"""Settings of the rewrite plugin (``[rewrite]`` in .marginalia.toml)."""

from __future__ import annotations

from dataclasses import dataclass, field

from lsp_server.runtime.settings import ModelSettings


@dataclass
class RewriteSettings:
    """Rewrites of a selection or paragraph (fix grammar, concise, formal, simpler, paraphrase).

    Off by default (it needs model weights); switch it on with
    ``enabled_plugins = ["rewrite"]``.  With the same ``model`` settings as the
    completion plugin both share one loaded model.
    """

    model: ModelSettings = field(default_factory=ModelSettings)
    styles: list[str] = field(default_factory=lambda: ["grammar", "concise", "formal", "simpler", "paraphrase"])
    # Longer selections get no rewrite actions (generation time grows with length).
    max_chars: int = field(default=2000, metadata={"minimum": 20, "maximum": 20000})
    # Seconds a rewrite may take; 0 means "just under the plugin time limit".
    time_limit: float = field(default=0.0, metadata={"minimum": 0.0, "maximum": 600.0})
    # Seconds codeAction/resolve waits for a model that is still loading.
    load_wait: float = field(default=3.0, metadata={"minimum": 0.0, "maximum": 600.0})
    # Model grammar diagnostics: each paragraph is corrected by the model and the changes
    # become findings with the correction as quick fix.  Slow on a CPU, hence off.
    model_grammar: bool = False
    # Paragraphs checked per document check when model_grammar is on (the rest follow on later checks).
    model_grammar_batch: int = field(default=4, metadata={"minimum": 1, "maximum": 1000})
