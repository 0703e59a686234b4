"""How fast is this machine compared with the one the issues' targets were set on?

    python bench/calibrate.py [--runs 3] [--json]

The core issue quotes one timing "here" that can be repeated: pylatexenc's
walker takes 6.8 s on a 1.5 MB LaTeX book.  This script builds a 1.5 MB book
from the corpus with ``bench/make_book.py``, walks it with pylatexenc (CPU time,
median of ``--runs``) and prints the ratio, so a figure measured here can be
read against a target set there: a factor of 1.7 means this machine does the
same pure-Python work 1.7× faster, and a 1.0 s target there is 0.59 s here.

The factor is approximate (the issue's book had other contents) and holds for
pure-Python work on one core, like the core's parsing and checking; model
inference (matrix multiplication on both cores) is not covered by it.  (The
issues' other figure, spylls suggestions at "about 20 ms per word", cannot be
repeated: its word list is unknown, and spylls' time per word varies 100-fold
between words.)
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The issue's own figure for the workload.
ISSUE_WALKER_S = 6.8
BOOK_WORDS = 190_000  # make_book.py then writes ~1.45 MB


def walker_seconds(book: Path, runs: int) -> tuple[float, float]:
    """(median CPU seconds, size in MB) of pylatexenc's walker over ``book``."""
    from pylatexenc.latexwalker import LatexWalker

    source = book.read_text(encoding="utf-8")
    times = []
    for _ in range(runs):
        start = time.process_time()
        LatexWalker(source, tolerant_parsing=True).get_latex_nodes()
        times.append(time.process_time() - start)
    return statistics.median(times), len(source.encode("utf-8")) / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "book.tex"
        subprocess.run([sys.executable, str(REPO / "bench" / "make_book.py"), "--words", str(BOOK_WORDS), str(book)], check=True, capture_output=True)
        walker, size_mb = walker_seconds(book, args.runs)
    factor = ISSUE_WALKER_S / walker
    result = {"walker_cpu_s": round(walker, 3), "book_mb": round(size_mb, 2), "factor": round(factor, 2)}
    if args.json:
        print(json.dumps(result))
        return 0
    print("| workload | the issue's machine | this machine (CPU, median of runs) | this machine is … faster |")
    print("|---|---|---|---|")
    print(f"| pylatexenc walker, {size_mb:.2f} MB book | {ISSUE_WALKER_S} s | {walker:.2f} s | {factor:.2f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
