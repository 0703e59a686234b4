"""Time the LaTeX parser on a long book: a full parse, and re-parses after one-character edits.

    python bench/make_book.py /tmp/book.tex
    python bench/bench_parse.py /tmp/book.tex [--runs 7] [--edit] [--edits 50]

Prints a Markdown table row.  The full figure is the median of ``--runs``
uncached parses; with ``--edit`` the book is parsed once under a URI and then
edited one character at a time (a random paragraph, seeded), each re-parse
timed: the per-URI block cache re-walks only the touched paragraph.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path

from lsp_server.documents.latex import parse_latex
from lsp_server.documents.latex_cache import reused_blocks
from lsp_server.documents.latex_offsets import offset_map_problems

_WORD = re.compile(r"[^\W\d_]+")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("book", type=Path)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--edit", action="store_true", help="also time re-parses after one-character edits")
    ap.add_argument("--edits", type=int, default=50)
    args = ap.parse_args(argv)
    source = args.book.read_text(encoding="utf-8")

    timings = []
    cpu = []
    doc = parse_latex(source, cache=False)
    for _ in range(args.runs):
        t0, c0 = time.perf_counter(), time.process_time()
        doc = parse_latex(source, cache=False)
        timings.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    problems = offset_map_problems(doc)
    if problems:
        print(f"offset map broken: {problems[:3]}", file=sys.stderr)
        return 1
    words = len(_WORD.findall(doc.prose))
    row = (
        f"| {args.book.name} | {words:,} | {len(source.encode()) / 1e6:.2f} | {len(doc.chunks):,} "
        f"| {statistics.median(timings):.3f} | {statistics.median(cpu):.3f} |"
    )
    # CPU time too: on a shared machine the wall clock also counts waiting for a core.
    header = f"| book | prose words | MB | chunks | full parse s (median of {args.runs}) | full parse CPU s |"
    rule = "|---|---|---|---|---|---|"

    if args.edit:
        uri = args.book.resolve().as_uri()
        parse_latex(source, uri)
        rng = random.Random(42)
        paragraphs = [c for c in doc.chunks if c.role == "paragraph" and len(c.text) > 40]
        edit_times: list[float] = []
        edit_cpu: list[float] = []
        reused = []
        for _ in range(args.edits):
            chunk = rng.choice(paragraphs)
            at = chunk.pieces[0].src_start + 1
            edited = source[:at] + "x" + source[at:]
            for text in (edited, source):  # the edit, then its undo: both one-character edits
                t0, c0 = time.perf_counter(), time.process_time()
                parse_latex(text, uri)
                edit_times.append(time.perf_counter() - t0)
                edit_cpu.append(time.process_time() - c0)
            reused.append(reused_blocks(uri))
        edit_times.sort()
        p95 = edit_times[max(0, int(len(edit_times) * 0.95) - 1)]
        header += " edit p50 ms | edit p95 ms | edit CPU p50 ms | blocks reused |"
        rule += "---|---|---|---|"
        row += (
            f" {statistics.median(edit_times) * 1000:.0f} | {p95 * 1000:.0f} "
            f"| {statistics.median(edit_cpu) * 1000:.0f} | {statistics.median(reused):.0f} |"
        )
    print(header)
    print(rule)
    print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
