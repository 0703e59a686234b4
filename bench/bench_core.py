"""Engine-level timings on a long LaTeX book: full check and one-character edits.

Usage: python bench/bench_core.py BOOK.tex [--plugins spelling,grammar-rules] [--edits 200]

Prints a Markdown table.  The one-character-edit figure is parse + check of the
whole edited buffer, which is what the server does per change (debounce excluded);
the chunk cache makes the check re-run only the touched paragraph.
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
    timings = []
    text = source
    for i in range(args.edits):
        chunk = rng.choice(chunks)
        pos = chunk.pieces[0].src_start + 1
        text = text[:pos] + "x" + text[pos:]
        t0 = time.perf_counter()
        d = engine.parse(text, "latex", args.book.as_uri(), i + 2)
        engine.check(d, plugins)
        timings.append(time.perf_counter() - t0)
        text = text[:pos] + text[pos + 1 :]
        doc = d
    timings.sort()
    p50 = statistics.median(timings) * 1000
    p95 = timings[int(len(timings) * 0.95) - 1] * 1000
    print("| book | words | plugins | engine start s | parse s | full check s | findings | edit p50 ms | edit p95 ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    names = ",".join(plugins or engine.enabled_plugins())
    print(
        f"| {args.book.name} | {words} | {names} | {t_engine:.2f} | {t_parse:.2f} | {t_check:.2f} | "
        f"{len(result.findings)} | {p50:.1f} | {p95:.1f} |"
    )
    if result.problems:
        print("problems:", result.problems)
    engine.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
