"""What the editor's status bar shows about LanguageTool and the model.

Sent as a ``marginalia/status`` notification (VS Code's status bar reads it;
other clients may ignore it) whenever it changes.  Built from the plugins' own
``status()`` lines, so nothing here knows how a plugin works inside.
"""

from __future__ import annotations

import re
from typing import Any

from lsp_server.engine import Engine

STATUS_NOTIFICATION = "marginalia/status"
# plugin that owns each status-bar item
COMPONENTS = {"languagetool": "grammar", "model": "completion"}
_PERCENT = re.compile(r"(\d{1,3})\s*%")
_OFF_WORDS = (" is off", "not installed", "not configured", "disabled", "no model", "on first use")
_DEVICE = re.compile(r"\b(cuda|cpu|mps)\b", re.IGNORECASE)


def _component(engine: Engine, plugin_name: str) -> dict[str, Any]:
    plugin = engine.loaded.plugins.get(plugin_name)
    if plugin is None:
        blocked = engine.loaded.blocked.get(plugin_name)
        return {"state": "failed", "detail": blocked} if blocked else {"state": "off"}
    if plugin_name not in engine.enabled_plugins():
        untrusted = plugin.requires_trust and not engine.trusted
        return {"state": "off", "detail": "off in an untrusted workspace" if untrusted else "not enabled"}
    try:
        ready, line = plugin.status()
    except Exception as exc:  # noqa: BLE001 - a status line must never break a check
        return {"state": "failed", "detail": f"{type(exc).__name__}: {exc}"}
    low = line.lower()
    out: dict[str, Any] = {"detail": line}
    # Plugins call a component that is deliberately off "ready" (nothing is missing), so the
    # words decide first: loading, starting, off; then the ready flag.
    if "loading" in low:
        out["state"] = "loading"
        percent = _PERCENT.search(line)
        if percent:
            out["progress"] = min(100, int(percent.group(1)))
    elif "starting" in low:
        out["state"] = "starting"
    elif any(word in low for word in _OFF_WORDS):
        out["state"] = "off"
    elif ready:
        out["state"] = "ready"
        device = _DEVICE.search(line)
        if device:
            out["device"] = device.group(1).lower()
    else:
        out["state"] = "failed"
    return out


def status_payload(engine: Engine) -> dict[str, Any]:
    return {key: _component(engine, plugin) for key, plugin in COMPONENTS.items()}
