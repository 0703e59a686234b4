"""Recall of the offline grammar rules on seeded mistakes in real English prose.

    python bench/grammar_recall.py [CORPUS_DIR] [--per-kind 200]

Takes paragraphs without markup from the English manuscripts of the corpus,
puts one known mistake into a copy (a/an swapped, a word doubled, "more then",
"could of", "their is", a space before a comma, a sentence in lower case, "!!"),
and counts how often the matching rule reports it at that place.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "plugins"))
sys.path.insert(0, str(REPO / "bench"))

from marginalia_grammar_rules import check_text  # noqa: E402
from marginalia_grammar_rules.text import ChunkText  # noqa: E402
from rule_quality import manuscripts  # noqa: E402

from lsp_server.documents import language_for_path, parse_document  # noqa: E402
from lsp_server.documents.plaintext import parse_plaintext  # noqa: E402

# kind -> (rule, pattern to find a place, replacement builder); the mistake replaces group 1.
Mutation = tuple[str, re.Pattern[str], Callable[[re.Match[str]], str]]
MUTATIONS: dict[str, Mutation] = {
    "a->an": ("a-an", re.compile(r"\b(a) (?=[bcdfgjklmnpqrstvwz][a-z]{2,})"), lambda m: "an"),
    "an->a": ("a-an", re.compile(r"\b(an) (?=[aeio][a-z]{2,})"), lambda m: "a"),
    "doubled": ("doubled-word", re.compile(r"\b(the|of|to|and|in|for|we|this|with) "), lambda m: f"{m.group(1)} {m.group(1)}"),
    "then": ("then-than", re.compile(r"\b(?:more|less|better|rather|larger|smaller|higher|lower|faster) (than)\b"), lambda m: "then"),
    "could of": ("could-of", re.compile(r"\b(?:could|would|should|must) (have)\b"), lambda m: "of"),
    "their is": ("their-there", re.compile(r"\b(There|there) (?=is|are)\b"), lambda m: "their" if m.group(1) == "there" else "Their"),
    "space ,": ("punctuation-space", re.compile(r"[a-z](,) "), lambda m: " ,"),
    "no space .": ("punctuation-space", re.compile(r"[a-z]{2}(\. )(?=[A-Z][a-z]+ )"), lambda m: "."),
    "lower start": ("sentence-case", re.compile(r"[a-z]{3}\. ([A-Z])(?=[a-z]+ [a-z]+ [a-z]+)"), lambda m: m.group(1).lower()),
    "!!": ("repeated-punctuation", re.compile(r"[a-z]{2}(\.)(?= [A-Z])"), lambda m: "!!"),
    "its own": ("its-its", re.compile(r"\b(its) own\b"), lambda m: "it's"),
    "less items": ("fewer-less", re.compile(r"\b(fewer) (?=people|files|lines|steps|errors|parameters|samples)"), lambda m: "less"),
}


def english_paragraphs(corpus: Path) -> list[str]:
    out = []
    for path in manuscripts(corpus):
        doc = parse_document(path.read_text(encoding="utf-8", errors="replace"), language_for_path(path) or "plaintext")
        if (doc.declared_language or "en").lower().startswith("fr"):
            continue
        for c in doc.chunks:
            if c.role == "paragraph" and not any(True for _ in c.placeholders()) and ChunkText(c).looks_english and len(c.text) > 80:
                out.append(c.text)
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpus"))
    ap.add_argument("--per-kind", type=int, default=200)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    paragraphs = english_paragraphs(Path(args.corpus))
    print(f"{len(paragraphs)} English paragraphs without markup\n")
    print("| seeded mistake | rule | seeded | found | recall |")
    print("|---|---|---|---|---|")
    for kind, (rule, pattern, fix) in MUTATIONS.items():
        places = [(t, m) for t in paragraphs for m in pattern.finditer(t)]
        rng.shuffle(places)
        seeded = found = 0
        for text, m in places[: args.per_kind]:
            start, end = m.span(1)
            wrong = fix(m)
            mutated = text[:start] + wrong + text[end:]
            chunk = parse_plaintext(mutated).chunks[0]
            seeded += 1
            hits = [f for f in check_text(chunk) if f.rule == f"grammar-rules.{rule}" and f.start <= start + len(wrong) and f.end >= start]
            found += bool(hits)
        if seeded:
            print(f"| {kind} | {rule} | {seeded} | {found} | {100 * found / seeded:.0f} % |")
        else:
            print(f"| {kind} | {rule} | 0 | - | (no place in the corpus) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
