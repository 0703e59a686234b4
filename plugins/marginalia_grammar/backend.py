"""Which LanguageTool to talk to, from the settings: a local server, a remote URL, or none."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from marginalia_grammar.client import LanguageToolClient, shared_client
from marginalia_grammar.errors import INSTALL_HINT, LanguageToolStarting, LanguageToolUnavailable
from marginalia_grammar.local_server import LocalServer, shared_server
from marginalia_grammar.preflight import find_install
from marginalia_grammar.settings import LanguageToolSettings


@dataclass
class Backend:
    """A configured LanguageTool; ``client()`` blocks at most ``wait`` seconds for a local start."""

    settings: LanguageToolSettings
    local: LocalServer | None = None
    _client: LanguageToolClient | None = None

    def client(self, wait: float) -> LanguageToolClient:
        if self.local is not None and self.local.restart_if_dead():
            self._client = None
        if self._client is not None:
            return self._client
        s = self.settings
        if self.local is None:
            self._client = shared_client(
                s.url, username=s.username, api_key=s.api_key, timeout=s.request_timeout, max_concurrent=s.max_concurrent_requests
            )
        else:
            url = self.local.wait(wait)
            self._client = shared_client(url, timeout=s.request_timeout, max_concurrent=s.max_concurrent_requests, local=True)
        return self._client

    def status(self) -> tuple[bool, str]:
        s = self.settings
        if self.local is None:
            return True, f"LanguageTool (remote) at {s.url}" + (" as " + s.username if s.username else "")
        if self.local.ready:
            return True, f"LanguageTool (local) running at {self.local.url}"
        if self.local.error:
            return False, self.local.error
        return True, "LanguageTool (local) is installed; it starts when the first document is checked"


class Backends:
    """Backends by settings, so a settings change gets a fresh one while others keep theirs."""

    def __init__(self) -> None:
        self._by_key: dict[str, Backend | None] = {}
        self._lock = threading.Lock()

    def get(self, s: LanguageToolSettings) -> Backend | None:
        """None when LanguageTool is off (mode "off", or "auto" without an install)."""
        key = repr(s)
        with self._lock:
            if key not in self._by_key:
                self._by_key[key] = _make(s)
            return self._by_key[key]

    def all(self) -> list[Backend]:
        with self._lock:
            return [b for b in self._by_key.values() if b is not None]


def _make(s: LanguageToolSettings) -> Backend | None:
    if s.mode == "off":
        return None
    if s.mode == "remote":
        if not s.url:
            raise LanguageToolUnavailable('grammar.mode is "remote" but grammar.url is empty: set the URL of your LanguageTool server')
        return Backend(s)
    if s.mode == "auto" and s.url:
        return Backend(s)  # a URL the user configured means remote
    if s.mode == "auto" and find_install(s.install_path) is None:
        return None
    return Backend(s, local=shared_server(s.java_path, s.install_path, s.startup_timeout))


def describe_off(s: LanguageToolSettings) -> str:
    if s.mode == "off":
        return 'LanguageTool is off (grammar.mode = "off")'
    return f"LanguageTool is not installed, so grammar checks use the offline rules only: {INSTALL_HINT}"


__all__ = ["Backend", "Backends", "LanguageToolStarting", "LanguageToolUnavailable", "describe_off"]
