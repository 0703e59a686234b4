"""Drive the real language server over stdio and time what a user feels.

    python bench/bench_server.py [--paper PATH] [--book PATH] [--edits 200] [--plugins spelling,grammar-rules]

* cold start: process start -> first publishDiagnostics for a ~10-page paper
  (default: the corpus' good-enough-practices .tex);
* one-character edits in a large book (make one with ``bench/make_book.py``),
  debounce 0: didChange sent -> last byte of the publishDiagnostics for that
  version read off the pipe (not decoded: see :class:`RawClient`), p50/p95/max,
  the same to its first byte, and the server's CPU time per edit;
* resident memory of the server with the book open.

Prints a table; ``--json`` prints the figures as JSON instead.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import re
import statistics
import sys
import time
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import psutil

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PAPER = REPO.parent / "shared" / "corpus" / "good-enough-practices" / "good-enough-practices-for-scientific-computing.tex"
LANGUAGE = {".tex": "latex", ".md": "markdown", ".qmd": "quarto", ".txt": "plaintext"}
CONTENT_LENGTH = re.compile(rb"Content-Length:\s*(\d+)", re.IGNORECASE)
# The server writes a publish's uri and version before its diagnostics.
PUBLISH_HEAD_BYTES = 4096
PUBLISH_METHOD = b'"textDocument/publishDiagnostics"'
PUBLISH_URI = re.compile(rb'"uri":\s*("(?:[^"\\]|\\.)*")')
PUBLISH_VERSION = re.compile(rb'"version":\s*(\d+)')


class RawClient:
    """A JSON-RPC client on the server's stdio that leaves publishDiagnostics undecoded.

    A book's publish is ~600 KB of JSON.  Decoding it in this process (json plus
    pygls' cattrs) costs 20-70 ms on the same two cores, and an editor does that on
    its own time, so a publish is timestamped as soon as its last byte is read and
    only its head is looked at for the uri and version.  Every other message is small
    and decoded as usual.
    """

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        # (uri, version) -> (header seen, body read, body)
        self.published: dict[tuple[str, int | None], tuple[float, float, bytes]] = {}
        self.arrived = asyncio.Event()
        self._next_id = 0
        self._waiting: dict[int, asyncio.Future[Any]] = {}
        self._reader = asyncio.ensure_future(self._read_loop())

    @classmethod
    async def spawn(cls) -> RawClient:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "lsp_server", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
        )
        return cls(proc)

    def _send(self, message: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    async def request(self, method: str, params: Any, timeout: float = 120.0) -> Any:
        self._next_id += 1
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiting[self._next_id] = future
        self._send({"id": self._next_id, "method": method, "params": params})
        return await asyncio.wait_for(future, timeout)

    async def _read_loop(self) -> None:
        stdout = self.proc.stdout
        assert stdout is not None
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while True:
                header = await stdout.readuntil(b"\r\n\r\n")
                seen = time.perf_counter()
                found = CONTENT_LENGTH.search(header)
                if found is None:
                    raise RuntimeError(f"no Content-Length in {header!r}")
                body = await stdout.readexactly(int(found.group(1)))
                read = time.perf_counter()
                head = body[:PUBLISH_HEAD_BYTES]
                if PUBLISH_METHOD in head:
                    uri, version = PUBLISH_URI.search(head), PUBLISH_VERSION.search(head)
                    if uri is not None:
                        key = (json.loads(uri.group(1)), int(version.group(1)) if version else None)
                        self.published.setdefault(key, (seen, read, body))
                        self.arrived.set()
                    continue
                self._dispatch(json.loads(body))

    def _dispatch(self, message: dict[str, Any]) -> None:
        if "method" in message:
            if "id" in message:  # a request from the server (registration, progress): accept it
                self._send({"id": message["id"], "result": None})
            return
        ident = message.get("id")
        future = self._waiting.pop(ident, None) if isinstance(ident, int) else None
        if future is not None and not future.done():
            if "error" in message:
                future.set_exception(RuntimeError(str(message["error"])))
            else:
                future.set_result(message.get("result"))

    async def wait_publish(self, uri: str, version: int | None, timeout: float = 120.0) -> tuple[float, float, bytes]:
        """(header seen, body read, body) of the first publish for ``uri`` at ``version`` (None: any)."""
        deadline = time.perf_counter() + timeout
        while True:
            for (u, v), value in self.published.items():
                if u == uri and (version is None or v == version):
                    return value
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"no diagnostics for {uri} v{version} within {timeout}s")
            self.arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), remaining)


def diagnostic_count(body: bytes) -> int:
    return len(json.loads(body)["params"]["diagnostics"])


def settings_for(plugins: list[str] | None) -> dict[str, Any]:
    settings: dict[str, Any] = {"diagnostics": {"debounce_ms": 0}}
    if plugins is not None:
        everything = {ep.name for ep in entry_points(group="marginalia.plugins")}
        settings["disabled_plugins"] = sorted(everything - set(plugins))
    return settings


async def start(root: Path, settings: dict[str, Any]) -> tuple[RawClient, float]:
    t0 = time.perf_counter()
    client = await RawClient.spawn()
    await client.request(
        "initialize",
        {
            "processId": None,
            "capabilities": {},
            "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "initializationOptions": settings,
        },
    )
    client.notify("initialized", {})
    return client, t0


async def stop(client: RawClient) -> None:
    await client.request("shutdown", None)
    client.notify("exit", None)
    await asyncio.wait_for(client.proc.wait(), 10)
    await client._reader


def open_doc(client: RawClient, path: Path, text: str) -> str:
    uri = path.resolve().as_uri()
    item = {"uri": uri, "languageId": LANGUAGE.get(path.suffix, "plaintext"), "version": 1, "text": text}
    client.notify("textDocument/didOpen", {"textDocument": item})
    return uri


def server_rss_mb() -> float:
    children = psutil.Process().children(recursive=True)
    return sum(c.memory_info().rss for c in children) / 2**20


def server_cpu_s() -> float:
    """CPU seconds the server has used: unlike wall time, not inflated by a busy machine."""
    total = 0.0
    for c in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            t = c.cpu_times()
            total += t.user + t.system
    return total


async def cold_start(paper: Path, plugins: list[str] | None) -> dict[str, Any]:
    client, t0 = await start(paper.parent, settings_for(plugins))
    t_init = time.perf_counter()
    cpu_init = server_cpu_s()
    uri = open_doc(client, paper, paper.read_text(encoding="utf-8"))
    _, at, body = await client.wait_publish(uri, 1)
    cpu = server_cpu_s()
    await stop(client)
    return {"initialize_s": t_init - t0, "initialize_cpu_s": cpu_init, "first_diagnostics_s": at - t0, "first_diagnostics_cpu_s": cpu, "diagnostics": diagnostic_count(body)}


def _edit_points(text: str, n: int, seed: int = 7) -> list[tuple[int, int]]:
    """(line, column) spots inside words of ordinary prose lines, spread over the book."""
    rnd = random.Random(seed)
    lines = text.split("\n")
    prose = [i for i, line in enumerate(lines) if len(line) > 40 and not line.lstrip().startswith(("\\", "%", "$"))]
    return [(i, rnd.randrange(10, len(lines[i]) - 10)) for i in (rnd.choice(prose) for _ in range(n))]


async def book_edits(book: Path, edits: int, plugins: list[str] | None) -> dict[str, Any]:
    text = book.read_text(encoding="utf-8")
    client, _ = await start(book.parent, settings_for(plugins))
    t_open = time.perf_counter()
    uri = open_doc(client, book, text)
    _, at, body = await client.wait_publish(uri, 1, timeout=600)
    first_check = at - t_open
    count = diagnostic_count(body)
    latencies: list[float] = []
    first_bytes: list[float] = []
    cpu_before = server_cpu_s()
    version = 1
    for line, col in _edit_points(text, edits):
        # Type one character, then take it back: the book stays the same size.
        for change in ((col, col, "x"), (col, col + 1, "")):
            version += 1
            rng = {"start": {"line": line, "character": change[0]}, "end": {"line": line, "character": change[1]}}
            sent = time.perf_counter()
            client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": rng, "text": change[2]}]},
            )
            seen, read, _ = await client.wait_publish(uri, version)
            client.published.clear()  # a book's publishes are large; only the next one is waited for
            latencies.append((read - sent) * 1000)
            first_bytes.append((seen - sent) * 1000)
    cpu_per_edit_ms = (server_cpu_s() - cpu_before) * 1000 / max(len(latencies), 1)
    rss = server_rss_mb()
    await stop(client)
    latencies.sort()
    first_bytes.sort()
    return {
        "book_chars": len(text),
        "book_words": len(text.split()),
        "first_check_s": first_check,
        "book_diagnostics": count,
        "edits": len(latencies),
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))],
        "max_ms": latencies[-1],
        "first_byte_p50_ms": statistics.median(first_bytes),
        "first_byte_p95_ms": first_bytes[int(0.95 * (len(first_bytes) - 1))],
        "cpu_per_edit_ms": cpu_per_edit_ms,
        "rss_mb": rss,
    }


def table(rows: list[tuple[str, str]]) -> str:
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paper", type=Path, default=DEFAULT_PAPER)
    parser.add_argument("--book", type=Path, help="a large document (bench/make_book.py writes one)")
    parser.add_argument("--edits", type=int, default=100, help="one-character edits (each is typed and undone)")
    parser.add_argument("--plugins", help="comma-separated plugins to enable (default: the server's defaults)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    plugins = [p for p in args.plugins.split(",") if p] if args.plugins else None
    results: dict[str, Any] = {"plugins": plugins or "defaults", "cold": await cold_start(args.paper, plugins)}
    if args.book:
        results["book"] = await book_edits(args.book, args.edits, plugins)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    cold = results["cold"]
    rows = [
        ("plugins", ",".join(plugins) if plugins else "server defaults"),
        (f"paper ({args.paper.name})", f"{args.paper.stat().st_size / 1024:.0f} KB"),
        ("start -> initialize result", f"{cold['initialize_s'] * 1000:.0f} ms wall, {cold['initialize_cpu_s'] * 1000:.0f} ms server CPU"),
        (
            "start -> first diagnostics",
            f"{cold['first_diagnostics_s'] * 1000:.0f} ms wall, {cold['first_diagnostics_cpu_s'] * 1000:.0f} ms server CPU ({cold['diagnostics']} diagnostics)",
        ),
    ]
    if "book" in results:
        b = results["book"]
        rows += [
            (f"book ({args.book.name})", f"{b['book_words']:,} words, {b['book_chars'] / 1024:.0f} KB"),
            ("book: open -> first diagnostics", f"{b['first_check_s'] * 1000:.0f} ms ({b['book_diagnostics']} diagnostics)"),
            (f"edit -> diagnostics ({b['edits']} edits, debounce 0)", f"p50 {b['p50_ms']:.1f} ms, p95 {b['p95_ms']:.1f} ms, max {b['max_ms']:.1f} ms"),
            ("edit -> first byte of that publish", f"p50 {b['first_byte_p50_ms']:.1f} ms, p95 {b['first_byte_p95_ms']:.1f} ms"),
            ("server CPU per edit", f"{b['cpu_per_edit_ms']:.1f} ms"),
            ("server RSS with the book open", f"{b['rss_mb']:.0f} MB"),
        ]
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
