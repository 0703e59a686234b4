"""A fake OpenAI-compatible server on 127.0.0.1 for tests: streams one piece per event."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Responder = Callable[[str, dict[str, Any]], list[str]]


class FakeOpenAI(ThreadingHTTPServer):
    """Speaks just enough of /v1/completions and /v1/chat/completions (streaming)."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, dict[str, Any], dict[str, str]]] = []
        self.words = [" fox", " jumps", " over", " the", " lazy", " dog.", " Then", " more."]
        # (path, body) -> pieces to stream; the default streams ``words``.
        self.respond: Responder = lambda path, body: self.words
        self.delay = 0.0
        self.sent = 0
        self.closed_early = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _Handler(BaseHTTPRequestHandler):
    server: FakeOpenAI

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append((self.path, body, dict(self.headers)))
        if self.headers.get("Authorization", "") not in ("", "Bearer sk-test"):
            self.send_response(401)
            self.end_headers()
            self.wfile.write(b'{"error": "bad key"}')
            return
        if self.path not in ("/v1/completions", "/v1/chat/completions"):
            self.send_response(404)
            self.end_headers()
            return
        chat = self.path.endswith("chat/completions")
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        try:
            for piece in self.server.respond(self.path, body)[: body.get("max_tokens", 16)]:
                choice = {"delta": {"content": piece}} if chat else {"text": piece}
                self.wfile.write(f"data: {json.dumps({'choices': [choice]})}\n\n".encode())
                self.wfile.flush()
                self.server.sent += 1
                time.sleep(self.server.delay)
            self.wfile.write(b"data: [DONE]\n\n")
        except (BrokenPipeError, ConnectionResetError):
            self.server.closed_early.set()  # the client stopped reading: the cancel path


@contextlib.contextmanager
def fake_openai() -> Iterator[FakeOpenAI]:
    srv = FakeOpenAI()
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
