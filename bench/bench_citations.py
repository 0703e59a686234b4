"""Citations timings on the 7,166-entry .bib from the corpus: parse, index, completion, hover.

Usage: python bench/bench_citations.py [BIB] [--runs 5] [--requests 200]

BIB defaults to ../shared/corpus/bib-messy-zotero-bbt/test/fixtures/import/
"Unabbreviate on import #1436-3.bib".  Prints a Markdown table:

- parse: bibtexparser's splitter plus our entry table (a fresh parse each run;
  best and median of --runs), and how much of it bibtexparser alone takes;
- index: building the completion index once per parsed set of files;
- a later session: the parse read back from the disk cache (bib_disk_cache), and the
  first completion of a new plugin with and without that cache file (in a
  temporary cache folder, so the user's own cache plays no part, here and below);
- completion: the plugin's whole ``complete`` call (context detection, the
  bibliography lookup with its mtime check, search, items) for --requests
  prefixes drawn from the file's own keys, authors and title words; p50/p95;
- hover: one CSL-formatted reference (APA) through citeproc-py, uncached and cached;
- check_document per keystroke: CPU time after each of --edits one-character edits of a
  600-paragraph LaTeX book citing the file about twice per paragraph (a few keys undefined).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import bibtexparser
from marginalia_citations import CitationsPlugin, CitationsSettings, bib_disk_cache
from marginalia_citations.bibfile import decode_bytes, parse_bib_text
from marginalia_citations.search import SearchIndex

from lsp_server.documents.model import ProseDocument
from lsp_server.engine import Engine
from lsp_server.plugin import CheckContext, LoadedPlugins

REPO = Path(__file__).resolve().parent.parent
DEFAULT_BIB = REPO.parent / "shared" / "corpus" / "bib-messy-zotero-bbt" / "test" / "fixtures" / "import" / "Unabbreviate on import #1436-3.bib"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


FILLER = "We measured the effect again and compared it with earlier work on the same data"


def edit_check_cpu(bib_path: Path, keys: list[str], rng: random.Random, edits: int, paragraphs: int = 600) -> list[float]:
    """CPU seconds of ``check_document`` after each one-character edit of a LaTeX book that cites
    ``bib_path`` (copied into a temporary workspace) about twice per paragraph."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copyfile(bib_path, root / "refs.bib")
        body = []
        for i in range(paragraphs):
            cited = ",".join(rng.sample(keys, 2)) if i % 50 else f"nosuchkey{i}"
            body.append(f"{FILLER} \\citep{{{cited}}}. {FILLER} \\cite{{{rng.choice(keys)}}}.\n")
        source = "\\documentclass{book}\n\\begin{document}\n" + "\n".join(body) + "\\bibliography{refs}\n\\end{document}\n"
        path = root / "book.tex"
        path.write_text(source, encoding="utf-8")
        plugin = CitationsPlugin()
        engine = Engine(root, {}, loaded=LoadedPlugins({"citations": plugin}, {}))
        doc = engine.parse(source, "latex", path.as_uri(), 0)
        ctx = engine.context("citations", doc)
        list(plugin.check_document(doc, ctx))  # parses the .bib once
        cpu = []
        starts = [m.start() for m in re.finditer("measured", source)]
        for version in range(1, edits + 1):
            at = rng.choice(starts) + 3
            edited = engine.parse(source[:at] + "e" + source[at:], "latex", path.as_uri(), version)
            c = time.process_time()
            list(plugin.check_document(edited, ctx))
            cpu.append(time.process_time() - c)
        return cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bib", nargs="?", type=Path, default=DEFAULT_BIB)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--edits", type=int, default=50, help="one-character edits timed for check_document")
    args = ap.parse_args()
    if not args.bib.is_file():
        print(f"no such file: {args.bib}", file=sys.stderr)
        return 2
    text, _, _ = decode_bytes(args.bib.read_bytes())

    splitter_only, parses, parse_cpu = [], [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        bibtexparser.parse_string(text, parse_stack=[])
        splitter_only.append(time.perf_counter() - t)
        t, c = time.perf_counter(), time.process_time()
        bib = parse_bib_text(text, str(args.bib))
        parses.append(time.perf_counter() - t)
        parse_cpu.append(time.process_time() - c)

    t, c = time.perf_counter(), time.process_time()
    index = SearchIndex([bib])
    t_index, c_index = time.perf_counter() - t, time.process_time() - c

    # Completion through the plugin, as the server calls it.
    plugin = CitationsPlugin()
    ctx = CheckContext(settings=CitationsSettings(bibliography=[str(args.bib.resolve())]), workspace_root=args.bib.parent)
    rng = random.Random(7)
    prefixes: list[str] = []
    for it in rng.sample(index.items, min(args.requests, len(index.items))):
        choice = rng.randrange(3)
        words = (it.authors if choice == 1 else it.title).split()
        pool = it.key if choice == 0 or not words else rng.choice(words)
        prefixes.append(pool[: rng.randint(2, max(2, min(5, len(pool))))])
    doc_text = "\\citep{}\n"
    first_doc = ProseDocument("file:///bench/first.tex", doc_text, "latex", 1, ())
    saved_cache_home = os.environ.get("XDG_CACHE_HOME")
    with tempfile.TemporaryDirectory() as cache_home:
        os.environ["XDG_CACHE_HOME"] = cache_home
        t = time.perf_counter()
        list(plugin.complete(first_doc, doc_text.index("}"), ctx))  # parses, keeps the parse on disk, builds the index
        t_first = time.perf_counter() - t
        data = args.bib.read_bytes()
        t, c = time.perf_counter(), time.process_time()
        bib_disk_cache.load(data, str(args.bib), text, "utf-8", None)
        t_disk, c_disk = time.perf_counter() - t, time.process_time() - c
        t = time.perf_counter()
        list(CitationsPlugin().complete(first_doc, doc_text.index("}"), ctx))  # a later session: reads the disk cache
        t_first_later = time.perf_counter() - t
        edit_cpu = edit_check_cpu(args.bib, [it.entry.key for it in index.items], random.Random(11), args.edits)
    if saved_cache_home is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = saved_cache_home
    latencies, cpu, counts = [], [], []
    for prefix in prefixes:
        src = f"\\citep{{a,{prefix}}}\n"
        d = ProseDocument("file:///bench/doc.tex", src, "latex", 1, ())
        t, c = time.perf_counter(), time.process_time()
        items = list(plugin.complete(d, src.index("}"), ctx))
        latencies.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        counts.append(len(items))

    key = index.items[len(index.items) // 2].entry.key
    src = f"\\citet{{{key}}}\n"
    d = ProseDocument("file:///bench/hover.tex", src, "latex", 1, ())
    t = time.perf_counter()
    plugin.hover(d, 8, ctx)
    t_hover = time.perf_counter() - t
    t = time.perf_counter()
    plugin.hover(d, 8, ctx)
    t_hover_cached = time.perf_counter() - t

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Machine: {os.cpu_count()} CPUs, load average {load:.2f} at the end of the run")
    print(f"File: {args.bib.name} ({len(bib.entries)} entries, {len(text) / 1e6:.1f} MB, {len(bib.problems)} problems)\n")
    print("| measure | value |")
    print("|---|---|")
    print(f"| parse, best of {args.runs} | {_ms(min(parses))} |")
    print(f"| parse, median of {args.runs} | {_ms(statistics.median(parses))} |")
    print(f"| parse, CPU time, best of {args.runs} | {_ms(min(parse_cpu))} |")
    print(f"| of which bibtexparser.parse_string alone, best | {_ms(min(splitter_only))} |")
    print(f"| completion index build (CPU time) | {_ms(t_index)} ({_ms(c_index)}) |")
    print(f"| first completion (parse + index + search) | {_ms(t_first)} |")
    print(f"| a later session: parse read back from the disk cache (CPU time) | {_ms(t_disk)} ({_ms(c_disk)}) |")
    print(f"| a later session: first completion (cached parse + index + search) | {_ms(t_first_later)} |")
    print(f"| completion p50 ({len(latencies)} requests) (CPU time) | {_ms(percentile(latencies, 0.5))} ({_ms(percentile(cpu, 0.5))}) |")
    print(f"| completion p95 (CPU time) | {_ms(percentile(latencies, 0.95))} ({_ms(percentile(cpu, 0.95))}) |")
    print(f"| completion max | {_ms(max(latencies))} |")
    print(f"| items per completion, median | {statistics.median(counts):.0f} |")
    print(f"| hover (APA via citeproc-py), first | {_ms(t_hover)} |")
    print(f"| hover, cached | {_ms(t_hover_cached)} |")
    print(f"| check_document after a one-char edit of a 600-paragraph book citing this file, p50 / p95 CPU ({len(edit_cpu)} edits) | {_ms(percentile(edit_cpu, 0.5))} / {_ms(percentile(edit_cpu, 0.95))} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
