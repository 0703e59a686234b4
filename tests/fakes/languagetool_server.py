"""A local stand-in for LanguageTool's HTTP server (/v2/languages, /v2/check).

Responses have the real shape (offset/length in the original annotated text,
message, shortMessage, replacements, context, sentence, rule with category and
urls, type).  A few real-ish rules run deterministically on what was received:
doubled word, a/an, "could of", "their is".  Requests are counted and kept for
assertions; ``delay`` makes it slow, ``require_key`` makes it demand credentials.
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

LANGUAGES = [
    {"name": "English", "code": "en", "longCode": "en"},
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
    {"name": "French", "code": "fr", "longCode": "fr"},
    {"name": "German (Germany)", "code": "de", "longCode": "de-DE"},
]
_CATEGORY_GRAMMAR = {"id": "GRAMMAR", "name": "Grammar"}
_CATEGORY_MISC = {"id": "MISC", "name": "Miscellaneous"}
_CATEGORY_TYPOS = {"id": "TYPOS", "name": "Possible Typo"}


def _plain_and_map(form: dict[str, str]) -> tuple[str, list[tuple[int, int, int, int, bool]], str]:
    """The text the rules read, segments (plain_start, plain_end, orig_start, orig_end, is_text), the original text."""
    if "data" not in form:
        text = form.get("text", "")
        return text, [(0, len(text), 0, len(text), True)], text
    parts = json.loads(form["data"])["annotation"]
    plain: list[str] = []
    orig: list[str] = []
    segs: list[tuple[int, int, int, int, bool]] = []
    p = o = 0
    for part in parts:
        if "text" in part:
            t = part["text"]
            segs.append((p, p + len(t), o, o + len(t), True))
            plain.append(t)
            orig.append(t)
            p += len(t)
            o += len(t)
        else:
            reading = part.get("interpretAs", "")
            markup = part["markup"]
            segs.append((p, p + len(reading), o, o + len(markup), False))
            plain.append(reading)
            orig.append(markup)
            p += len(reading)
            o += len(markup)
    return "".join(plain), segs, "".join(orig)


def _to_orig(pos: int, segs: list[tuple[int, int, int, int, bool]], end: bool) -> int:
    for ps, pe, os_, oe, is_text in segs:
        if ps <= pos < pe or (end and ps < pos <= pe):
            if is_text:
                return os_ + (pos - ps)
            return oe if end else os_
    return segs[-1][3] if segs else pos


def _utf16(text: str, pos: int) -> int:
    """LanguageTool is Java: its offsets count UTF-16 units, not code points."""
    return len(text[:pos].encode("utf-16-le")) // 2


def _match(plain: str, start: int, end: int, message: str, rule: dict[str, Any], replacements: list[str], segs: list[tuple[int, int, int, int, bool]], original: str) -> dict[str, Any]:
    o_start, o_end = _to_orig(start, segs, False), _to_orig(end, segs, True)
    o_start, o_end = _utf16(original, o_start), _utf16(original, o_end)
    sent_start = max(plain.rfind(".", 0, start) + 1, 0)
    sent_end = plain.find(".", end)
    sentence = plain[sent_start : sent_end + 1 if sent_end >= 0 else len(plain)].strip()
    ctx_start = max(0, start - 20)
    return {
        "message": message,
        "shortMessage": rule.get("short", ""),
        "replacements": [{"value": r} for r in replacements],
        "offset": o_start,
        "length": o_end - o_start,
        "context": {"text": plain[ctx_start : end + 20], "offset": start - ctx_start, "length": end - start},
        "sentence": sentence,
        "type": {"typeName": "Other"},
        "rule": {k: v for k, v in rule.items() if k != "short"},
        "ignoreForIncompleteSentence": False,
        "contextForSureMatch": 0,
    }


def run_rules(plain: str, disabled: set[str]) -> list[tuple[int, int, str, dict[str, Any], list[str]]]:
    out: list[tuple[int, int, str, dict[str, Any], list[str]]] = []
    if "ENGLISH_WORD_REPEAT_RULE" not in disabled:
        for m in re.finditer(r"\b(\w+)\s+(\1)\b", plain, re.IGNORECASE):
            if m.group(1).lower() not in ("had", "that"):
                rule = {"id": "ENGLISH_WORD_REPEAT_RULE", "description": "Word repetition (e.g. 'will will')", "issueType": "duplication",
                        "category": _CATEGORY_MISC, "short": "Word repetition"}
                out.append((m.start(), m.end(), "Possible typo: you repeated a word.", rule, [m.group(1)]))
    if "EN_A_VS_AN" not in disabled:
        for m in re.finditer(r"\b([Aa])\s+([aeioAEIOX]\w*)", plain):
            rule = {"id": "EN_A_VS_AN", "description": "Use of 'a' vs. 'an'", "issueType": "misspelling", "category": _CATEGORY_MISC,
                    "urls": [{"value": "https://languagetool.org/insights/post/indefinite-articles/"}]}
            out.append((m.start(1), m.end(1), "Use “an” instead of ‘a’ if the following word starts with a vowel sound.", rule, [m.group(1) + "n"]))
    if "COULD_OF" not in disabled:
        for m in re.finditer(r"\b(could|would|should) (of)\b", plain, re.IGNORECASE):
            rule = {"id": "COULD_OF", "description": "could/would/should of (have)", "issueType": "grammar", "category": _CATEGORY_GRAMMAR}
            out.append((m.start(2), m.end(2), "Did you mean “have”?", rule, ["have", "’ve"]))
    if "THEIR_IS" not in disabled:
        for m in re.finditer(r"\b(their) (is|are)\b", plain):
            rule = {"id": "THEIR_IS", "description": "their is (there is)", "issueType": "grammar", "category": _CATEGORY_GRAMMAR}
            out.append((m.start(1), m.end(1), "Did you mean “there”?", rule, ["there"]))
    if "MORFOLOGIK_RULE_EN_US" not in disabled:
        for m in re.finditer(r"\bteh\b", plain):
            rule = {"id": "MORFOLOGIK_RULE_EN_US", "description": "Possible spelling mistake", "issueType": "misspelling", "category": _CATEGORY_TYPOS}
            out.append((m.start(), m.end(), "Possible spelling mistake found.", rule, ["the"]))
    return out


@dataclass
class FakeLanguageTool:
    delay: float = 0.0
    require_key: tuple[str, str] | None = None
    requests: list[dict[str, str]] = field(default_factory=list)
    url: str = ""
    # Most /v2/check requests being answered at the same time (for the concurrency bound).
    max_in_flight: int = 0
    # "" (a good server), "not-json" (an HTML error page) or "bad-matches" (offsets out of range, fields missing).
    broken: str = ""

    def __post_init__(self) -> None:
        fake = self
        self._in_flight = 0
        self._lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def _send(self, code: int, body: Any) -> None:
                raw = (json.dumps(body) if not isinstance(body, str) else body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json" if not isinstance(body, str) else "text/plain")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _form(self) -> dict[str, str]:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                query = urllib.parse.urlsplit(self.path).query
                pairs = urllib.parse.parse_qsl(body) + urllib.parse.parse_qsl(query)
                return dict(pairs)

            def do_GET(self) -> None:
                self._route(self._form())

            def do_POST(self) -> None:
                self._route(self._form())

            def _route(self, form: dict[str, str]) -> None:
                path = urllib.parse.urlsplit(self.path).path
                with fake._lock:
                    fake._in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake._in_flight)
                try:
                    self._answer(path, form)
                finally:
                    with fake._lock:
                        fake._in_flight -= 1

            def _answer(self, path: str, form: dict[str, str]) -> None:
                if fake.delay:
                    time.sleep(fake.delay)
                if path == "/v2/languages":
                    self._send(200, LANGUAGES)
                elif path == "/v2/check":
                    fake.requests.append(form)
                    if fake.require_key and (form.get("username"), form.get("apiKey")) != fake.require_key:
                        self._send(403, "Error: Authentication failed: wrong API key")
                        return
                    if "text" not in form and "data" not in form:
                        self._send(400, "Error: Missing 'text' or 'data' parameter")
                        return
                    if fake.broken == "not-json":
                        self._send(200, "<html>502 Bad Gateway</html>")
                        return
                    if fake.broken == "bad-matches":
                        self._send(200, {"matches": [{"offset": -5, "length": 3, "rule": {"id": "X"}}, {"offset": 10_000, "length": 2},
                                                     {"message": "no offset"}, "not a dict", {"offset": "2", "length": None}]})
                        return
                    plain, segs, original = _plain_and_map(form)
                    disabled = set(filter(None, form.get("disabledRules", "").split(",")))
                    found = run_rules(plain, disabled)
                    lang = form.get("language", "auto")
                    body = {
                        "software": {"name": "LanguageTool", "version": "6.8-fake", "apiVersion": 1},
                        "language": {"name": lang, "code": lang, "detectedLanguage": {"name": lang, "code": lang}},
                        "matches": [_match(plain, s, e, msg, rule, reps, segs, original) for s, e, msg, rule, reps in found],
                    }
                    self._send(200, body)
                else:
                    self._send(404, "Error: unknown path")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def check_requests(self) -> int:
        return len(self.requests)

    def __enter__(self) -> FakeLanguageTool:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def serve(port: int) -> None:
    """Run on a fixed port until killed: what a fake ``java … HTTPServer --port N`` execs."""
    fake = FakeLanguageTool()
    handler = fake._server.RequestHandlerClass
    fake._server.server_close()
    ThreadingHTTPServer(("127.0.0.1", port), handler).serve_forever()


if __name__ == "__main__":
    import sys

    serve(int(sys.argv[sys.argv.index("--port") + 1]))
