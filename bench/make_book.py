"""Build a long LaTeX book from the corpus, deterministically, for parser benchmarks.

The body text of real manuscripts (good-enough-practices, celerite, the French
thesis chapters) is concatenated, each wrapped in ``\\chapter{}``, and repeated
until the book holds at least ``--words`` words.  The preamble carries the
sources' own macro definitions so the body reads as it does in the originals.

    python bench/make_book.py /tmp/book.tex [--words 100000] [--corpus ../shared/corpus] [--english]
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


_PARAGRAPH_END = re.compile(r"(?<=[a-z][.])[ \t]*\n[ \t]*\n")


def _numbered(body: str, counter: list[int]) -> str:
    """Give every prose paragraph a sentence of its own, so no two paragraphs of the
    book are identical and the chunk cache cannot serve a repeat from the first copy."""

    def stamp(m: re.Match[str]) -> str:
        counter[0] += 1
        return f" This is remark number {counter[0]}.\n\n"

    return _PARAGRAPH_END.sub(stamp, body)


def build(corpus: Path, min_words: int, english: bool = False) -> str:
    definitions: list[str] = []
    bodies: list[tuple[str, str]] = []
    sources = [s for s in SOURCES if not (english and s.startswith("fr-"))]
    for rel in MACRO_FILES:
        definitions.extend(_DEFINITION_LINE.findall((corpus / rel).read_text(encoding="utf-8")))
    for rel in sources:
        preamble, body = _split((corpus / rel).read_text(encoding="utf-8"))
        definitions.extend(line for line in _DEFINITION_LINE.findall(preamble) if line.count("{") == line.count("}"))
        bodies.append((Path(rel).stem, body))
    parts = [
        "\\documentclass{book}",
        "\\usepackage[american]{babel}" if english else "\\usepackage[british]{babel}",
        "\\usepackage{amsmath}",
        *definitions,
        "\\begin{document}",
        "",
    ]
    words = 0
    round_no = 0
    counter = [0]
    while words < min_words:
        round_no += 1
        for stem, body in bodies:
            parts.append(f"\\chapter{{{stem.replace('_', ' ').title()} part {round_no}}}\n")
            parts.append((_numbered(body, counter) if english else body).strip() + "\n")
            words += len(_WORD.findall(body))
    parts.append("\\end{document}\n")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("output", type=Path)
    ap.add_argument("--words", type=int, default=100_000)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument(
        "--english",
        action="store_true",
        help="English sources only (American English), every paragraph made unique: the realistic book for whole-check timings",
    )
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    text = build(args.corpus, args.words, args.english)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}: {len(text) / 1e6:.2f} MB, ~{len(_WORD.findall(text)):,} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
