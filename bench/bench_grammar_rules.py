"""Offline grammar rules on a long book: full check and one-character edits, engine-level.

    python bench/bench_grammar_rules.py [BOOK.tex|BOOK.md] [--edits 200] [--language en-US]

Without BOOK, a ~100k-word LaTeX book is built in memory with bench/make_book.py.
Prints a Markdown table:
- full check (cold cache): ``Engine.check`` of the parsed book with only grammar-rules;
- rules on every chunk, no cache: the rules' own cost, repeated chunks included;
- one-character edit: parse + check of the whole edited buffer, what the server does per
  change; the chunk cache re-runs the rules on the touched paragraph only (check-only also shown).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "plugins"))
sys.path.insert(0, str(REPO / "bench"))

from edit_timing import time_edits  # noqa: E402
from marginalia_grammar_rules import GrammarRulesPlugin, check_text  # noqa: E402
from marginalia_grammar_rules.text import forget_readings  # noqa: E402

from lsp_server.documents import language_for_path  # noqa: E402
from lsp_server.engine import Engine  # noqa: E402
from lsp_server.plugin import LoadedPlugins  # noqa: E402

_WORD = re.compile(r"[^\W\d_]+")


def _book(path: str | None) -> tuple[str, str]:
    if path:
        p = Path(path)
        return p.read_text(encoding="utf-8"), language_for_path(p) or "plaintext"
    import make_book

    return make_book.build(make_book.DEFAULT_CORPUS, 100_000), "latex"


def _p95(xs: list[float]) -> float:
    return sorted(xs)[max(0, round(0.95 * len(xs)) - 1)]


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("book", nargs="?")
    ap.add_argument("--edits", type=int, default=200)
    ap.add_argument("--language", default="en-US", help="document language setting (the rules check English)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    source, lang_id = _book(args.book)

    def engine() -> Engine:
        return Engine(None, {"language": args.language}, loaded=LoadedPlugins({"grammar-rules": GrammarRulesPlugin()}, {}))

    eng = engine()
    t0 = time.perf_counter()
    doc = eng.parse(source, lang_id, "file:///book", 0)
    t_parse = time.perf_counter() - t0
    words = sum(len(_WORD.findall(c.text)) for c in doc.chunks)
    forget_readings()  # cold: no token lists left from an earlier run in this process
    t0, c0 = time.perf_counter(), time.process_time()
    result = eng.check(doc)
    t_full, c_full = time.perf_counter() - t0, time.process_time() - c0
    forget_readings()
    t0, c0 = time.perf_counter(), time.process_time()
    raw = sum(1 for c in doc.chunks for _ in check_text(c))
    t_raw, c_raw = time.perf_counter() - t0, time.process_time() - c0

    rng = random.Random(args.seed)
    timings = time_edits(eng, doc, lang_id, "grammar-rules", args.edits, rng)
    total, check_only, check_cpu, rechecked = timings.total, timings.check_only, timings.check_cpu, timings.rechecked
    print(f"book: {len(source) / 1e6:.2f} MB {lang_id}, {len(doc.chunks)} chunks, {words:,} words of prose; "
          f"{len(result.findings)} findings ({raw} without cache/dedup)")
    print()
    print("| measure | wall | CPU of this process |")
    print("|---|---|---|")
    print(f"| parse (LaTeX/Markdown parser, not the rules) | {t_parse * 1000:.0f} ms | |")
    print(f"| full check, cold cache (Engine.check, grammar-rules only) | {t_full * 1000:.0f} ms | {c_full * 1000:.0f} ms |")
    print(f"| rules on every chunk, no cache | {t_raw * 1000:.0f} ms | {c_raw * 1000:.0f} ms |")
    print(f"| one-char edit: parse + check, p50 / p95 ({args.edits} edits) | {statistics.median(total) * 1000:.1f} / {_p95(total) * 1000:.1f} ms | |")
    print(f"| one-char edit: check only, p50 / p95 | {statistics.median(check_only) * 1000:.1f} / {_p95(check_only) * 1000:.1f} ms "
          f"| {statistics.median(check_cpu) * 1000:.1f} / {_p95(check_cpu) * 1000:.1f} ms |")
    print(f"| chunks re-checked per edit (median) | {statistics.median(rechecked):.0f} | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
