"""LanguageTool grammar checking: a local LanguageTool server or a remote one, per chunk."""

from marginalia_grammar.plugin import LanguageToolPlugin

__all__ = ["LanguageToolPlugin"]
