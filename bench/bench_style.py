"""Style rules on a long book, with the offline grammar rules and spelling: full check and
one-character edits, engine-level.

    python bench/bench_style.py [BOOK.tex|BOOK.md] [--edits 200] [--language en-US] [--english-only]

Without BOOK, a ~100k-word LaTeX book is built in memory with bench/make_book.py (with
``--english-only``, from its English sources only, every paragraph unique).
Prints a Markdown table:
- full check, cold caches: ``Engine.check`` of the parsed book with style + grammar-rules + spelling,
  and with style alone;
- style rules on every chunk, no cache: the per-paragraph rules' own cost;
- style ``check_document`` on an unchanged book: the document rules' cost per edit once warm;
- one-character edit: parse + check of the whole edited buffer (what the server does per change)
  and check only, with all three plugins and with style alone; the chunk caches re-run the rules
  on one paragraph.
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
from marginalia_grammar_rules import GrammarRulesPlugin  # noqa: E402
from marginalia_grammar_rules.text import forget_readings  # noqa: E402
from marginalia_spelling import SpellingPlugin  # noqa: E402
from marginalia_style import StylePlugin, check_chunk_rules  # noqa: E402

from lsp_server.documents import language_for_path  # noqa: E402
from lsp_server.engine import Engine  # noqa: E402
from lsp_server.plugin import LoadedPlugins, Plugin  # noqa: E402

_WORD = re.compile(r"[^\W\d_]+")


def _book(path: str | None, english_only: bool) -> tuple[str, str]:
    if path:
        p = Path(path)
        return p.read_text(encoding="utf-8"), language_for_path(p) or "plaintext"
    import make_book

    # --english: American English only, every paragraph unique (no chunk-cache hits between repeats).
    return make_book.build(make_book.DEFAULT_CORPUS, 100_000, english=english_only), "latex"


def _p95(xs: list[float]) -> float:
    return sorted(xs)[max(0, round(0.95 * len(xs)) - 1)]


def _pair(xs: list[float]) -> str:
    return f"{statistics.median(xs) * 1000:.1f} / {_p95(xs) * 1000:.1f} ms"


def _ms(x: float) -> str:
    return f"{x * 1000:.0f} ms"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("book", nargs="?")
    ap.add_argument("--edits", type=int, default=200)
    ap.add_argument("--language", default="en-US", help="document language setting (the style rules check English)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--english-only", action="store_true", help="build the book from the English sources only")
    args = ap.parse_args(argv)
    source, lang_id = _book(args.book, args.english_only)

    def engine(plugins: dict[str, Plugin]) -> Engine:
        # A generous time limit: on a busy machine a cold spelling pass can take longer than the editor's 10 s.
        return Engine(None, {"language": args.language, "plugin_time_limit": 300.0}, loaded=LoadedPlugins(plugins, {}))

    style = StylePlugin()
    eng = engine({"style": style, "grammar-rules": GrammarRulesPlugin(), "spelling": SpellingPlugin()})
    eng.check(eng.parse("Warm up the dictionaries.", "markdown", "file:///warm.md"))  # loading Hunspell is not checking
    eng.host.clear_cache()
    forget_readings()  # the token lists grammar-rules and style share: cold as well
    t0 = time.perf_counter()
    doc = eng.parse(source, lang_id, "file:///book", 0)
    t_parse = time.perf_counter() - t0
    words = sum(len(_WORD.findall(c.text)) for c in doc.chunks)
    t0, c0 = time.perf_counter(), time.process_time()
    result = eng.check(doc)
    t_full, c_full = time.perf_counter() - t0, time.process_time() - c0
    style_findings = sum(1 for f in result.findings if f.plugin == "style")

    alone = engine({"style": StylePlugin()})
    forget_readings()
    t0, c0 = time.perf_counter(), time.process_time()
    alone.check(doc)
    t_alone, c_alone = time.perf_counter() - t0, time.process_time() - c0
    forget_readings()
    t0, c0 = time.perf_counter(), time.process_time()
    raw = sum(1 for c in doc.chunks for _ in check_chunk_rules(c))
    t_raw, c_raw = time.perf_counter() - t0, time.process_time() - c0
    ctx = alone.context("style", doc)
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(20):
        list(alone.loaded.plugins["style"].check_document(doc, ctx))
    t_doc, c_doc = (time.perf_counter() - t0) / 20, (time.process_time() - c0) / 20

    rng = random.Random(args.seed)
    timings = time_edits(eng, doc, lang_id, "style", args.edits, rng)
    total, check_only, check_cpu, rechecked = timings.total, timings.check_only, timings.check_cpu, timings.rechecked
    alone_timings = time_edits(alone, doc, lang_id, "style", args.edits, rng)
    alone_check, alone_cpu = alone_timings.check_only, alone_timings.check_cpu
    print(f"book: {len(source) / 1e6:.2f} MB {lang_id}, {len(doc.chunks)} chunks, {words:,} words of prose; "
          f"{len(result.findings)} findings, {style_findings} of them style ({raw} style per-paragraph findings without cache)")
    print()
    print("| measure | wall | CPU of this process |")
    print("|---|---|---|")
    print(f"| parse (LaTeX/Markdown parser) | {_ms(t_parse)} | |")
    print(f"| full check, cold caches: style + grammar-rules + spelling | {_ms(t_full)} | {_ms(c_full)} |")
    print(f"| full check, cold cache: style alone | {_ms(t_alone)} | {_ms(c_alone)} |")
    print(f"| style per-paragraph rules on every chunk, no cache | {_ms(t_raw)} | {_ms(c_raw)} |")
    print(f"| style check_document on the whole book, facts cached | {t_doc * 1000:.1f} ms | {c_doc * 1000:.1f} ms |")
    print(f"| one-char edit: parse + check (3 plugins), p50 / p95 ({args.edits} edits) | {_pair(total)} | |")
    print(f"| one-char edit: check only (3 plugins), p50 / p95 | {_pair(check_only)} | {_pair(check_cpu)} |")
    print(f"| one-char edit: check only, style alone, p50 / p95 | {_pair(alone_check)} | {_pair(alone_cpu)} |")
    print(f"| chunks re-checked by style per edit (median) | {statistics.median(rechecked):.0f} | |")
    eng.shutdown()
    alone.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
