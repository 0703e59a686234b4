"""Sentence completion from a local or remote model (inline ghost text and a completion item)."""

from marginalia_completion.plugin import CompletionPlugin
from marginalia_completion.settings import CompletionSettings

__all__ = ["CompletionPlugin", "CompletionSettings"]
