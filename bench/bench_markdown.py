"""Markdown parser speed on a long document built from the corpus's real Markdown/Quarto papers.

The papers (pandoc, Quarto, Docusaurus, Jekyll) are concatenated, front matter
removed after the first, and repeated until the document holds ``--words``
words.  Prints a Markdown table: words, block parse alone (markdown-it), full
parse as wall-clock and as CPU time of this process (median of ``--runs``; the
CPU figure is the one to compare on a shared, loaded machine), chunks, prose size.

Then typing: ``--edits`` one-character edits, each typed into a word of a random
paragraph and then undone (two parses per edit), through the per-URI cache
(:mod:`markdown_cache`) as the server parses, against a full parse of the same
versions in the same run: p50/p95 CPU and wall, and how many parses re-parsed a
window rather than the whole book.

    python bench/bench_markdown.py [--words 100000] [--runs 5] [--edits 100] [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time
from pathlib import Path

from lsp_server.documents.markdown import parse_markdown_unguarded
from lsp_server.documents.markdown_blocks import block_parser
from lsp_server.documents.markdown_cache import last_parse_stats, parse_markdown_cached

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
SOURCES = (
    "rescience-pr18-maksimov/article/article.md",
    "rescience-pr24-rostami/article/VRostami_JIto_MDenker_SGruen_2016.md",
    "quarto-paper-marwick/analysis/paper/paper.qmd",
    "md-docs-prettier/docs/options.md",
    "md-docs-prettier/docs/rationale.md",
    "md-docs-prettier/docs/plugins.md",
    "good-enough-practices/index.md",
)
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*\n", re.S)


def build(corpus: Path, min_words: int) -> str:
    bodies = [_FRONT_MATTER.sub("", (corpus / rel).read_text(encoding="utf-8")) for rel in SOURCES]
    parts: list[str] = []
    words = 0
    while words < min_words:
        for body in bodies:
            parts.append(body)
            words += len(body.split())
    return "---\ntitle: Benchmark book\nbibliography: refs.bib\n---\n\n" + "\n\n".join(parts)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--words", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--edits", type=int, default=100, help="one-character edits typed and undone (0: none)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args()
    source = build(args.corpus, args.words)
    parse_markdown_unguarded("warm up", "bench", None, "markdown")
    blocks: list[float] = []
    wall: list[float] = []
    cpu: list[float] = []
    doc = None
    for _ in range(args.runs):
        t0 = time.process_time()
        block_parser().parse(source, {})
        blocks.append(time.process_time() - t0)
        t0, c0 = time.perf_counter(), time.process_time()
        doc = parse_markdown_unguarded(source, "bench", None, "quarto")
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    assert doc is not None
    print(
        "| words | chars | markdown-it blocks, CPU (s) | full parse, CPU median / best (s) "
        "| full parse, wall median (s) | chunks | prose chars |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {len(source.split()):,} | {len(source):,} | {statistics.median(blocks):.3f} "
        f"| {statistics.median(cpu):.3f} / {min(cpu):.3f} | {statistics.median(wall):.3f} "
        f"| {len(doc.chunks):,} | {len(doc.prose):,} |"
    )
    if args.edits:
        typing(source, args.edits, args.seed)
    return 0


def typing_versions(source: str, edits: int, seed: int) -> list[str]:
    """Each edit types one letter into a word of a random paragraph; the next version undoes it."""
    rng = random.Random(seed)
    words = [m.start() for m in re.finditer(r"(?<= )[a-z]{4,}", source)]
    versions: list[str] = []
    for _ in range(edits):
        at = rng.choice(words)
        versions += [source[:at] + "e" + source[at:], source]
    return versions


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def typing(source: str, edits: int, seed: int) -> None:
    uri = "file:///bench-book.qmd"
    versions = typing_versions(source, edits, seed)
    parse_markdown_cached(source, uri, 0, "quarto")
    rows: dict[str, tuple[list[float], list[float]]] = {"incremental": ([], []), "full": ([], [])}
    windows = 0
    for version, text in enumerate(versions, start=1):
        for name in rows:
            t0, c0 = time.perf_counter(), time.process_time()
            if name == "full":
                parse_markdown_unguarded(text, uri, version, "quarto")
            else:
                parse_markdown_cached(text, uri, version, "quarto")
            rows[name][0].append(time.process_time() - c0)
            rows[name][1].append(time.perf_counter() - t0)
            if name == "incremental":
                windows += last_parse_stats(uri).mode == "window"
    print()
    print(f"Typing: {edits} one-character edits typed and undone ({len(versions)} parses), seed {seed}")
    print()
    print("| parse per keystroke | CPU p50 (ms) | CPU p95 (ms) | wall p50 (ms) | wall p95 (ms) | window parses |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, (cpu, wall) in rows.items():
        win = f"{windows}/{len(versions)}" if name == "incremental" else "-"
        print(
            f"| {name} | {1000 * _pct(cpu, 0.5):.1f} | {1000 * _pct(cpu, 0.95):.1f} "
            f"| {1000 * _pct(wall, 0.5):.1f} | {1000 * _pct(wall, 0.95):.1f} | {win} |"
        )


if __name__ == "__main__":
    raise SystemExit(main())
