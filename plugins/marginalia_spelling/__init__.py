"""Offline spelling: Hunspell dictionaries (bundled en-US/en-GB, installed others) read by spylls,
with suggestions re-ranked by word frequency and a typing-error model."""

from marginalia_spelling.plugin import SpellingPlugin
from marginalia_spelling.settings import SpellingSettings

__all__ = ["SpellingPlugin", "SpellingSettings"]
