"""A rule plugin on the real corpus: findings per 1000 words by rule, and samples to review.

    python bench/rule_quality.py --plugin grammar-rules|style [CORPUS_DIR] [--samples N] [--dump FILE]

Prints a table (rule, findings, per 1000 words) over every LaTeX/Markdown
manuscript in the corpus, and writes up to N random findings per rule with their
sentence to FILE for review by hand (false alarms are counted there).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "plugins"))

from marginalia_grammar_rules.text import ChunkText  # noqa: E402

from lsp_server.documents import language_for_path  # noqa: E402
from lsp_server.engine import Engine  # noqa: E402
from lsp_server.plugin import Finding, discover  # noqa: E402

PROSE_SUFFIXES = {".tex", ".md", ".qmd", ".rmd", ".markdown"}
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def manuscripts(corpus: Path) -> list[Path]:
    out = []
    for p in sorted(corpus.rglob("*")):
        if p.suffix.lower() in PROSE_SUFFIXES and p.is_file() and "bib-messy" not in p.parts and p != corpus / "README.md":
            out.append(p)
    return out


def context(source: str, f: Finding, width: int = 70) -> str:
    lo, hi = max(0, f.start - width), min(len(source), f.end + width)
    return (source[lo : f.start] + "⟦" + source[f.start : f.end] + "⟧" + source[f.end : hi]).replace("\n", "⏎")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpus"))
    ap.add_argument("--samples", type=int, default=25)
    ap.add_argument("--dump", default="")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--plugin", default="grammar-rules", help="the plugin whose rules are reviewed (grammar-rules, style, …)")
    args = ap.parse_args(argv)
    loaded = discover(include=[args.plugin])
    if args.plugin not in loaded.plugins:
        print(f"plugin {args.plugin} is not available: {loaded.blocked.get(args.plugin, 'not installed')}", file=sys.stderr)
        return 2
    engine = Engine(None, {}, loaded=loaded)
    counts: Counter[str] = Counter()
    found: dict[str, list[tuple[Path, str, Finding]]] = defaultdict(list)
    words = english_words = 0
    for path in manuscripts(Path(args.corpus)):
        text = path.read_text(encoding="utf-8", errors="replace")
        lang_id = language_for_path(path) or "plaintext"
        doc = engine.parse(text, lang_id, uri=path.resolve().as_uri())
        result = engine.check(doc)
        words += sum(len(_WORD.findall(c.text)) for c in doc.chunks)
        if result.language.lower().startswith("en"):
            english_words += sum(len(_WORD.findall(c.text)) for c in doc.chunks if ChunkText(c).looks_english)
        for f in result.findings:
            counts[f.rule] += 1
            found[f.rule].append((path, text, f))
    print(f"{len(manuscripts(Path(args.corpus)))} files, {words} words of prose ({english_words} English; the rules check English only)")
    print(f"{'rule':34} {'findings':>8} {'per 1000 words':>15}")
    for rule, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"{rule:34} {n:8d} {1000 * n / max(english_words, 1):15.2f}")
    print(f"{'total':34} {sum(counts.values()):8d} {1000 * sum(counts.values()) / max(english_words, 1):15.2f}")
    if args.dump:
        rng = random.Random(args.seed)
        with open(args.dump, "w", encoding="utf-8") as out:
            for rule in sorted(found):
                items = found[rule]
                sample = rng.sample(items, min(args.samples, len(items)))
                out.write(f"## {rule}: {len(sample)} of {len(items)}\n")
                for path, text, f in sample:
                    out.write(f"- {path.relative_to(args.corpus)}:{f.start} {context(text, f)}\n")
                out.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
