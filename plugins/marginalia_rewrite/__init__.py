"""Model rewrites of a selection or paragraph, with LaTeX and Markdown markup protected."""

from marginalia_rewrite.plugin import RewritePlugin
from marginalia_rewrite.settings import RewriteSettings

__all__ = ["RewritePlugin", "RewriteSettings"]
