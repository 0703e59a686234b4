"""The remote backend: any OpenAI-compatible server (vLLM, TGI, llama.cpp, Ollama).

Responses are streamed (server-sent events) so that a cancel or a newer
request stops reading between tokens, as the local backend stops between
decoding steps.  The API key comes from an environment variable whose name is
in the settings, never from a document.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lsp_server.runtime.backend import Generated, GenerationParams, ShouldStop, cut_at_stop
from lsp_server.runtime.hardware import ModelUnavailable
from lsp_server.runtime.prompts import Prompt, chat_messages
from lsp_server.runtime.settings import ModelSettings

# Only variables that look like credentials can be named, so that a workspace file
# cannot make the tool send, say, $HOME or a cloud secret to a server of its choosing.
API_KEY_ENV = re.compile(r"^[A-Z][A-Z0-9_]*(?:API_KEY|TOKEN|_KEY)$")
CHARS_PER_TOKEN = 4  # the server's tokenizer is unknown: a budget estimate is enough


def _api_key(settings: ModelSettings) -> str | None:
    name = settings.api_key_env.strip()
    if not name:
        return None
    if not API_KEY_ENV.match(name):
        raise ModelUnavailable(
            f"model.api_key_env {name!r} must name an environment variable ending in API_KEY, _KEY or TOKEN"
        )
    value = os.environ.get(name)
    if not value:
        raise ModelUnavailable(f"model.api_key_env names {name}, which is not set in the server's environment")
    return value


def _check_url(url: str) -> str:
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ModelUnavailable(f"model.url {url!r} must be an http(s) URL such as http://127.0.0.1:8000/v1")
    return url.rstrip("/")


@dataclass
class RemoteBackend:
    settings: ModelSettings

    def __post_init__(self) -> None:
        self.base = _check_url(self.settings.url)
        self.key = _api_key(self.settings)
        self.model_name = "" if self.settings.name == "auto" else self.settings.name

    @property
    def description(self) -> str:
        return f"{self.model_name or 'default model'} at {self.base}"

    def count_tokens(self, text: str) -> int:
        return (len(text) + CHARS_PER_TOKEN - 1) // CHARS_PER_TOKEN

    def _request(self, path: str, body: dict[str, Any]) -> Any:
        headers = {"Content-Type": "application/json", "Accept": "text/event-stream"}
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        if self.model_name:
            body["model"] = self.model_name
        req = urllib.request.Request(self.base + path, data=json.dumps(body).encode(), headers=headers, method="POST")
        try:
            return urllib.request.urlopen(req, timeout=self.settings.request_timeout)  # the scheme was checked
        except urllib.error.HTTPError as exc:
            detail = exc.read(500).decode("utf-8", "replace")
            raise ModelUnavailable(f"{self.base}{path} answered {exc.code}: {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise ModelUnavailable(f"cannot reach {self.base}{path}: {exc}") from exc

    @staticmethod
    def _events(resp: Any) -> Iterator[dict[str, Any]]:
        for raw in resp:
            line = raw.decode("utf-8", "replace").strip()
            if not line.startswith("data:"):
                continue
            data = line[5:].strip()
            if data == "[DONE]":
                return
            try:
                yield json.loads(data)
            except json.JSONDecodeError:
                continue

    def generate(self, prompt: Prompt, params: GenerationParams, should_stop: ShouldStop) -> Generated:
        body: dict[str, Any] = {"max_tokens": params.max_new_tokens, "temperature": params.temperature, "stream": True}
        if params.stop:
            body["stop"] = list(params.stop)[:4]  # the API accepts at most four
        if prompt.kind == "instruct":
            path, body["messages"] = "/chat/completions", chat_messages(prompt)
        else:
            path, body["prompt"] = "/completions", prompt.text
            if prompt.suffix and prompt.style in ("auto", "fim"):
                body["suffix"] = prompt.suffix
        parts: list[str] = []
        chunks = 0
        interrupted = False
        with self._request(path, body) as resp:
            for event in self._events(resp):
                if should_stop():
                    interrupted = True
                    break
                for choice in event.get("choices", [])[:1]:
                    piece = choice.get("text")
                    if piece is None:
                        piece = (choice.get("delta") or {}).get("content") or ""
                    parts.append(piece)
                    chunks += 1
                if cut_at_stop("".join(parts), params.stop)[1]:
                    break
        text, _ = cut_at_stop("".join(parts), params.stop)
        return Generated(text, chunks, interrupted)

    def close(self) -> None:
        """Nothing is held between requests."""
