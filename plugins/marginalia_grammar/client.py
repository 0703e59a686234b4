"""The LanguageTool HTTP API (/v2/check, /v2/languages), spoken directly.

Annotated text (the ``data`` parameter) is what lets markup be sent as markup
with a reading, which language_tool_python's client does not offer; the API is
two endpoints, so urllib suffices.  A semaphore bounds concurrent requests per
server, and every request has a timeout.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from marginalia_grammar.errors import LanguageToolUnavailable

# After a connection failure or time-out, requests fail at once for this long instead of each
# paragraph of a long document waiting on a dead server in turn.
RETRY_AFTER_S = 15.0
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class LanguageToolClient:
    def __init__(
        self, base_url: str, *, username: str = "", api_key: str = "", timeout: float = 30.0, max_concurrent: int = 2, local: bool = False
    ) -> None:
        self.base_url = base_url.rstrip("/")
        if self.base_url.endswith("/v2"):
            self.base_url = self.base_url[: -len("/v2")]
        scheme = urllib.parse.urlsplit(self.base_url).scheme
        if scheme not in ("http", "https"):
            raise LanguageToolUnavailable(f"grammar.url {base_url!r} is not an http(s) URL")
        self.username = username
        self.api_key = api_key
        self.timeout = timeout
        self._slots = threading.BoundedSemaphore(max(1, max_concurrent))
        # A local server (ours, or any URL on this machine) is never reached through a proxy; a
        # remote one honours the environment's.
        local = local or urllib.parse.urlsplit(base_url).hostname in LOOPBACK_HOSTS
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({})) if local else urllib.request.build_opener()
        self._languages: list[dict[str, str]] | None = None
        self.requests_sent = 0
        self._down_until = 0.0
        self._down_reason = ""

    def _request(self, path: str, form: dict[str, str] | None) -> Any:
        url = f"{self.base_url}/v2/{path}"
        body = urllib.parse.urlencode(form).encode() if form is not None else None
        req = urllib.request.Request(url, data=body, headers={"Accept": "application/json"})
        with self._slots:
            wait = self._down_until - time.monotonic()
            if wait > 0:
                raise LanguageToolUnavailable(f"{self._down_reason} (retrying in {wait:.0f}s)")
            self.requests_sent += 1
            try:
                with self._opener.open(req, timeout=self.timeout) as resp:
                    raw = resp.read()
            except urllib.error.HTTPError as exc:
                detail = exc.read()[:300].decode("utf-8", "replace").strip()
                raise LanguageToolUnavailable(f"LanguageTool at {self.base_url} answered {exc.code}: {detail or exc.reason}") from exc
            except (urllib.error.URLError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                self._down_reason = f"cannot reach LanguageTool at {self.base_url}: {reason}"
                self._down_until = time.monotonic() + RETRY_AFTER_S
                raise LanguageToolUnavailable(self._down_reason) from exc
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise LanguageToolUnavailable(f"{url} did not answer with JSON; is grammar.url a LanguageTool server?") from exc

    def languages(self) -> list[dict[str, str]]:
        if self._languages is None:
            data = self._request("languages", None)
            if not isinstance(data, list):
                raise LanguageToolUnavailable(f"{self.base_url}/v2/languages did not answer with a list")
            self._languages = [d for d in data if isinstance(d, dict)]
        return self._languages

    def check(self, annotation: dict[str, Any], params: dict[str, str]) -> list[dict[str, Any]]:
        """Matches for one annotated text (``{"annotation": [...]}``)."""
        form = dict(params)
        form["data"] = json.dumps(annotation, ensure_ascii=False)
        if self.username and self.api_key:
            form["username"] = self.username
            form["apiKey"] = self.api_key
        data = self._request("check", form)
        matches = data.get("matches") if isinstance(data, dict) else None
        if not isinstance(matches, list):
            raise LanguageToolUnavailable(f"{self.base_url}/v2/check answered without a list of matches")
        return [m for m in matches if isinstance(m, dict)]


# One client per server and credentials in the process, so the request bound holds across
# every workspace and document, as the local server is shared by all of them.
_CLIENTS: dict[tuple[str, str, str, float, int, bool], LanguageToolClient] = {}
_CLIENTS_LOCK = threading.Lock()


def shared_client(base_url: str, *, username: str = "", api_key: str = "", timeout: float = 30.0, max_concurrent: int = 2, local: bool = False) -> LanguageToolClient:
    key = (base_url, username, api_key, timeout, max_concurrent, local)
    with _CLIENTS_LOCK:
        client = _CLIENTS.get(key)
        if client is None:
            client = _CLIENTS[key] = LanguageToolClient(
                base_url, username=username, api_key=api_key, timeout=timeout, max_concurrent=max_concurrent, local=local
            )
        return client
