"""The model runtime: loading, quantization, one generation worker, cancellation.

Importing this package is cheap: torch and transformers are imported by the
loader thread the first time a model feature is used.
"""

from lsp_server.runtime.backend import GenerationParams
from lsp_server.runtime.hardware import ModelUnavailable
from lsp_server.runtime.model_runtime import ModelRuntime, State, cancel_generation, get_runtime, release_all
from lsp_server.runtime.prompts import Prompt
from lsp_server.runtime.settings import ModelSettings
from lsp_server.runtime.worker import GenerationResult, Outcome

__all__ = [
    "GenerationParams",
    "GenerationResult",
    "ModelRuntime",
    "ModelSettings",
    "ModelUnavailable",
    "Outcome",
    "Prompt",
    "State",
    "cancel_generation",
    "get_runtime",
    "release_all",
]
