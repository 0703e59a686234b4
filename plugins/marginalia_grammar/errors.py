"""Why LanguageTool cannot be used right now, in words a user can act on."""

from __future__ import annotations

INSTALL_HINT = (
    "run `marginalia languagetool install` (needs internet once), "
    'or set grammar.mode = "remote" with grammar.url pointing at a LanguageTool server'
)


class LanguageToolUnavailable(RuntimeError):
    """LanguageTool is missing, broken or unreachable; the message says what to do."""


class LanguageToolStarting(RuntimeError):
    """The local server is still starting; results follow on the next check."""
