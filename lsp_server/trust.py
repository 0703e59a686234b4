"""What restricted mode (an untrusted workspace) limits, in one line for the editor's log.

The limits themselves live where the settings are read: :func:`lsp_server.config.strip_restricted`
drops the workspace file's settings marked :func:`~lsp_server.config.restricted`, and the engine
does not run plugins that declare ``requires_trust``.
"""

from __future__ import annotations

from lsp_server.engine import Engine

# initializationOptions key with which a client says its workspace is not trusted.
UNTRUSTED_OPTION = "untrustedWorkspace"


def restricted_mode_note(engine: Engine) -> str | None:
    """None for a trusted workspace; else what is limited there and how to lift it."""
    if engine.trusted:
        return None
    where = f" {engine.root}" if engine.root else ""
    parts = [
        f"workspace{where} is not trusted: the server runs in restricted mode. "
        "The workspace's .marginalia.toml / [tool.marginalia] may not choose programs, servers, models, "
        "credentials or dictionary files"
    ]
    if engine.ignored_untrusted:
        parts.append(f" (ignored: {', '.join(engine.ignored_untrusted)})")
    off = sorted(name for name, plugin in engine.loaded.plugins.items() if plugin.requires_trust)
    if off:
        parts.append(f"; {', '.join(off)} {'is' if len(off) == 1 else 'are'} off")
    parts.append(". Spelling, grammar rules, style and citations work as usual; trust the workspace for the rest.")
    return "".join(parts)
