"""Spelling suggestions on real-world misspellings: Hunspell's order vs Marginalia's ranking.

    python bench/spelling_eval.py [--limit N] [--hunspell-limit N] [--language en-US] [--book CORPUS]

Prints flagged %, top-1 %, top-3 % and milliseconds per word for plain spylls
(Hunspell's ranking) and for ``marginalia_spelling.ranking.Ranker``.  spylls
suggestions are slow (a few hundred ms a word on a busy machine), so the
baseline runs on the first ``--hunspell-limit`` pairs only; ours runs on all.
First it times ``check_chunk`` (no suggestions) on a 100k-word book made of the corpus.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from marginalia_spelling import SpellingPlugin
from marginalia_spelling.checker import AcceptedWords, Checker
from marginalia_spelling.dictionaries import DICTIONARIES, find_dictionary
from marginalia_spelling.evaluation import EvalResult, evaluate, read_pairs
from marginalia_spelling.ranking import Ranker
from marginalia_spelling.settings import SpellingSettings

from lsp_server.documents import parse_document
from lsp_server.documents.model import Chunk
from lsp_server.plugin import CheckContext

DATA = Path(__file__).resolve().parent / "data" / "spelling_misspellings.tsv"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def row(name: str, r: EvalResult) -> str:
    return f"| {name:<28} | {r.pairs:>5} | {r.pct(r.flagged):7.1f} | {r.pct(r.top1):6.1f} | {r.pct(r.top3):6.1f} | {r.ms_per_word:8.1f} |"


def book_timing(corpus: Path, language: str, words: int = 100_000) -> None:
    """check_chunk over a 100k-word book made of the corpus's English prose (no suggestions)."""
    chunks: list[Chunk] = []
    for path in sorted(corpus.rglob("*")):
        lid = {".tex": "latex", ".md": "markdown", ".qmd": "quarto"}.get(path.suffix)
        if lid and "fr-thesis" not in str(path):
            chunks += parse_document(path.read_text(encoding="utf-8", errors="replace"), lid).chunks
    book: list[Chunk] = []
    count = 0
    while count < words:  # repeat the corpus until the book is long enough, as a long book repeats words
        for c in chunks:
            book.append(c)
            count += len(c.text.split())
            if count >= words:
                break
    plugin = SpellingPlugin()
    ctx = CheckContext(settings=SpellingSettings(), language=language)
    t0 = time.perf_counter()
    plugin.dictionary_for(ctx)
    load = time.perf_counter() - t0
    for label in ("first run", "second run"):
        t0, c0 = time.perf_counter(), time.process_time()
        found = sum(len(plugin.check_chunk(c, ctx)) for c in book)
        print(f"{count} words in {len(book)} paragraphs, {label}: {time.perf_counter() - t0:.2f} s wall, "
              f"{time.process_time() - c0:.2f} s CPU, {found} findings (dictionary load {load:.2f} s, not included)", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--language", default="en-US")
    ap.add_argument("--limit", type=int, default=0, help="pairs for our ranking (0 = all)")
    ap.add_argument("--hunspell-limit", type=int, default=300, help="pairs for the slow spylls baseline (0 = skip)")
    ap.add_argument("--misses", type=int, default=0, help="print this many of our top-1 misses")
    ap.add_argument("--book", type=Path, default=CORPUS, help="corpus folder for the 100k-word check timing ('' = skip)")
    args = ap.parse_args()

    if str(args.book) and args.book.is_dir():
        book_timing(args.book, args.language)
    pairs = read_pairs(args.data)
    if args.limit:
        pairs = pairs[: args.limit]
    source = find_dictionary(args.language)
    if source is None:
        raise SystemExit(f"no Hunspell dictionary for {args.language}")
    t0 = time.perf_counter()
    dictionary = DICTIONARIES.get(source)
    if dictionary is None:
        raise SystemExit(f"{source.dic} could not be loaded")
    print(f"dictionary {source.dic} ({source.origin}) loaded in {time.perf_counter() - t0:.2f} s; {len(pairs)} pairs from {args.data.name}")
    ranker = Ranker(dictionary)
    # "Flagged" as the plugin decides (Hunspell plus derivations and word frequency), mid-sentence.
    checker = Checker(dictionary, SpellingSettings(), AcceptedWords(()), ranker)
    t0 = time.perf_counter()
    hunspell_flagged = sum(not dictionary.lookup(t) for t, _ in pairs)
    plugin_flagged = sum(not checker.accepts(t) for t, _ in pairs)
    print(f"flagged: Hunspell alone {100 * hunspell_flagged / len(pairs):.1f} %, plugin {100 * plugin_flagged / len(pairs):.1f} % "
          f"({1000 * (time.perf_counter() - t0) / len(pairs):.2f} ms/word for both, uncached)")
    print("| ranking                      | pairs | flagged |  top-1 |  top-3 | ms/word  |")
    print("|------------------------------|-------|---------|--------|--------|----------|")
    if args.hunspell_limit:
        sub = pairs[: args.hunspell_limit]
        print(row("spylls (Hunspell order)", evaluate(sub, dictionary.lookup, dictionary.suggest)), flush=True)
        print(row("marginalia, same pairs", evaluate(sub, checker.accepts, lambda w: ranker.suggest(w, 5))), flush=True)
    ours = evaluate(pairs, checker.accepts, lambda w: ranker.suggest(w, 5))
    print(row("marginalia (ours)", ours))
    for typo, right, got in ours.misses[: args.misses]:
        print(f"  {typo} -> {right}: {got}")


if __name__ == "__main__":
    main()
