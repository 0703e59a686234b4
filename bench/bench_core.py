"""Engine-level timings on a long LaTeX book: full check and one-character edits.

Usage: python bench/bench_core.py BOOK.tex [--plugins spelling,grammar-rules] [--edits 200]

Prints a Markdown table.  Each edit types one character into a random paragraph
and then takes it back, as two versions, each parsed and checked whole: what the
server does per change (debounce excluded).  The parse trace and the chunk cache
make both re-walk and re-check only the touched paragraph.  CPU time is given
beside wall time because on a shared machine the wall clock also counts waiting.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from lsp_server.engine import Engine


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("book", type=Path)
    ap.add_argument("--plugins", default="", help="comma-separated plugin names (default: all enabled)")
    ap.add_argument("--edits", type=int, default=200)
    args = ap.parse_args()
    source = args.book.read_text(encoding="utf-8")
    words = len(source.split())
    plugins = [p for p in args.plugins.split(",") if p] or None

    t0 = time.perf_counter()
    engine = Engine(args.book.parent.resolve())
    t_engine = time.perf_counter() - t0
    t0 = time.perf_counter()
    doc = engine.parse(source, "latex", args.book.as_uri())
    t_parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = engine.check(doc, plugins)
    t_check = time.perf_counter() - t0

    rng = random.Random(42)
    chunks = [c for c in doc.chunks if len(c.text) > 40]
    timings, cpu = [], []
    version = 1
    for _ in range(args.edits):
        pos = rng.choice(chunks).pieces[0].src_start + 1
        for text in (source[:pos] + "x" + source[pos:], source):  # the edit, then its undo
            version += 1
            t0, c0 = time.perf_counter(), time.process_time()
            engine.check(engine.parse(text, "latex", args.book.as_uri(), version), plugins)
            timings.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
    timings.sort()
    cpu.sort()
    p50 = statistics.median(timings) * 1000
    p95 = timings[int(len(timings) * 0.95) - 1] * 1000
    cpu50, cpu95 = statistics.median(cpu) * 1000, cpu[int(len(cpu) * 0.95) - 1] * 1000
    print(
        "| book | words | plugins | engine start s | parse s | full check s | findings "
        "| edit p50 ms | edit p95 ms | edit CPU p50 ms | edit CPU p95 ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    names = ",".join(plugins or engine.enabled_plugins())
    print(
        f"| {args.book.name} | {words} | {names} | {t_engine:.2f} | {t_parse:.2f} | {t_check:.2f} | "
        f"{len(result.findings)} | {p50:.1f} | {p95:.1f} | {cpu50:.1f} | {cpu95:.1f} |"
    )
    if result.problems:
        print("problems:", result.problems)
    engine.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
