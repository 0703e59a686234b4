"""Build a long LaTeX book from the corpus, deterministically, for parser benchmarks.

The body text of real manuscripts (good-enough-practices, celerite, the French
thesis chapters) is concatenated, each wrapped in ``\\chapter{}``, and repeated
until the book holds at least ``--words`` words.  The preamble carries the
sources' own macro definitions so the body reads as it does in the originals.

    python bench/make_book.py /tmp/book.tex [--words 100000] [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
SOURCES = (
    "good-enough-practices/good-enough-practices-for-scientific-computing.tex",
    "celerite-paper/paper/ms.tex",
    "fr-thesis-qeole/src/Main/Intro/intro.tex",
    "fr-thesis-qeole/src/Main/Structure/issues.tex",
    "fr-thesis-qeole/src/Main/Structure/sensors.tex",
    "fr-thesis-qeole/src/Main/EdA/securite.tex",
    "fr-thesis-qeole/src/Main/EdA/dos_attacks.tex",
    "fr-thesis-qeole/src/Main/EdA/dos_ids.tex",
    "fr-thesis-qeole/src/Main/SelecAleatoire/modelisation.tex",
    "fr-thesis-qeole/src/Main/SelecAleatoire/methode.tex",
    "fr-thesis-qeole/src/Main/Jeux/resolution.tex",
    "fr-thesis-qeole/src/Main/Ccl/ccl.tex",
)
MACRO_FILES = ("fr-thesis-qeole/src/Preamble/macros.tex",)
_BEGIN = re.compile(r"\\begin\{document\}")
_END = re.compile(r"\\end\{document\}")
_DEFINITION_LINE = re.compile(r"^\\(?:re)?newcommand.*$", re.M)
_WORD = re.compile(r"(?<![\\\w])[^\W\d_]+")


def _split(text: str) -> tuple[str, str]:
    """(preamble, body) of a source file; a fragment has no preamble."""
    begin = _BEGIN.search(text)
    if begin is None:
        return "", text
    end = _END.search(text, begin.end())
    return text[: begin.start()], text[begin.end() : end.start() if end else len(text)]


def build(corpus: Path, min_words: int) -> str:
    definitions: list[str] = []
    bodies: list[tuple[str, str]] = []
    for rel in MACRO_FILES:
        definitions.extend(_DEFINITION_LINE.findall((corpus / rel).read_text(encoding="utf-8")))
    for rel in SOURCES:
        preamble, body = _split((corpus / rel).read_text(encoding="utf-8"))
        definitions.extend(line for line in _DEFINITION_LINE.findall(preamble) if line.count("{") == line.count("}"))
        bodies.append((Path(rel).stem, body))
    parts = [
        "\\documentclass{book}",
        "\\usepackage[british]{babel}",
        "\\usepackage{amsmath}",
        *definitions,
        "\\begin{document}",
        "",
    ]
    words = 0
    round_no = 0
    while words < min_words:
        round_no += 1
        for stem, body in bodies:
            parts.append(f"\\chapter{{{stem.replace('_', ' ').title()} part {round_no}}}\n")
            parts.append(body.strip() + "\n")
            words += len(_WORD.findall(body))
    parts.append("\\end{document}\n")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("output", type=Path)
    ap.add_argument("--words", type=int, default=100_000)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    text = build(args.corpus, args.words)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}: {len(text) / 1e6:.2f} MB, ~{len(_WORD.findall(text)):,} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
