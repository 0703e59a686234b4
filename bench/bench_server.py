"""Drive the real language server over stdio and time what a user feels.

    python bench/bench_server.py [--paper PATH] [--book PATH] [--edits 200] [--plugins spelling,grammar-rules]

* cold start: process start -> first publishDiagnostics for a ~10-page paper
  (default: the corpus' good-enough-practices .tex);
* one-character edits in a large book (make one with ``bench/make_book.py``),
  debounce 0: didChange -> publishDiagnostics for that version read off the
  wire, p50/p95/max, and the server's CPU time per edit;
* resident memory of the server with the book open.

Prints a table; ``--json`` prints the figures as JSON instead.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import statistics
import sys
import time
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import psutil
from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.protocol import LanguageServerProtocol

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PAPER = REPO.parent / "shared" / "corpus" / "good-enough-practices" / "good-enough-practices-for-scientific-computing.tex"
LANGUAGE = {".tex": "latex", ".md": "markdown", ".qmd": "quarto", ".txt": "plaintext"}


class BenchProtocol(LanguageServerProtocol):
    """Timestamps publishDiagnostics as soon as its JSON is read.

    pygls then turns thousands of diagnostics into Python objects, which takes
    longer than the server took to send them; an editor does no such thing, so
    that client-side cost is left out of the latency.
    """

    def structure_message(self, data: dict[str, Any]) -> Any:
        if data.get("method") == types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS:
            params = data.get("params", {})
            client = self._server
            assert isinstance(client, BenchClient)
            key = (params.get("uri"), params.get("version"))
            client.published.setdefault(key, (time.perf_counter(), len(params.get("diagnostics", ()))))
        return super().structure_message(data)


class BenchClient(LanguageClient):
    """A bare pygls client that timestamps every publishDiagnostics by (uri, version)."""

    def __init__(self) -> None:
        super().__init__("marginalia-bench", "1", protocol_cls=BenchProtocol)
        self.published: dict[tuple[str, int | None], tuple[float, int]] = {}
        self.arrived = asyncio.Event()

        @self.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_publish(client: BenchClient, params: types.PublishDiagnosticsParams) -> None:
            client.arrived.set()

    async def wait_publish(self, uri: str, version: int | None, timeout: float = 120.0) -> tuple[float, int]:
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


def settings_for(plugins: list[str] | None) -> dict[str, Any]:
    settings: dict[str, Any] = {"diagnostics": {"debounce_ms": 0}}
    if plugins is not None:
        everything = {ep.name for ep in entry_points(group="marginalia.plugins")}
        settings["disabled_plugins"] = sorted(everything - set(plugins))
    return settings


async def start(root: Path, settings: dict[str, Any]) -> tuple[BenchClient, float]:
    client = BenchClient()
    t0 = time.perf_counter()
    await client.start_io(sys.executable, "-m", "lsp_server")
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
            initialization_options=settings,
        )
    )
    client.initialized(types.InitializedParams())
    return client, t0


async def stop(client: BenchClient) -> None:
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()


def open_doc(client: BenchClient, path: Path, text: str) -> str:
    uri = path.resolve().as_uri()
    item = types.TextDocumentItem(uri=uri, language_id=LANGUAGE.get(path.suffix, "plaintext"), version=1, text=text)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
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
    at, count = await client.wait_publish(uri, 1)
    cpu = server_cpu_s()
    await stop(client)
    return {"initialize_s": t_init - t0, "initialize_cpu_s": cpu_init, "first_diagnostics_s": at - t0, "first_diagnostics_cpu_s": cpu, "diagnostics": count}


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
    at, count = await client.wait_publish(uri, 1, timeout=600)
    first_check = at - t_open
    latencies = []
    cpu_before = server_cpu_s()
    version = 1
    for line, col in _edit_points(text, edits):
        # Type one character, then take it back: the book stays the same size.
        for change in ((col, col, "x"), (col, col + 1, "")):
            version += 1
            rng = types.Range(start=types.Position(line=line, character=change[0]), end=types.Position(line=line, character=change[1]))
            sent = time.perf_counter()
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[types.TextDocumentContentChangePartial(range=rng, text=change[2])],
                )
            )
            arrived, _ = await client.wait_publish(uri, version)
            latencies.append((arrived - sent) * 1000)
    cpu_per_edit_ms = (server_cpu_s() - cpu_before) * 1000 / max(len(latencies), 1)
    rss = server_rss_mb()
    await stop(client)
    latencies.sort()
    return {
        "book_chars": len(text),
        "book_words": len(text.split()),
        "first_check_s": first_check,
        "book_diagnostics": count,
        "edits": len(latencies),
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))],
        "max_ms": latencies[-1],
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
            ("server CPU per edit", f"{b['cpu_per_edit_ms']:.1f} ms"),
            ("server RSS with the book open", f"{b['rss_mb']:.0f} MB"),
        ]
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
