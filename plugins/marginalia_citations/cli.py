"""``marginalia cite``: formatted reference lists and citation conversion.

    marginalia cite format REFS.bib [--style apa] [--keys k1,k2] [--to text|markdown|html|latex]
    marginalia cite convert FILE --to pandoc|latex [--package natbib|biblatex]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from marginalia_citations.bibfile import BibCache
from marginalia_citations.convert import convert_text
from marginalia_citations.csl_json import to_csl
from marginalia_citations.formatting import OUTPUT_FORMATS, StyleError, format_references, join_references


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="marginalia cite", description="Format references from a .bib file, or convert citations between LaTeX and pandoc.")
    sub = p.add_subparsers(dest="action", required=True)
    f = sub.add_parser("format", help="print a formatted reference list")
    f.add_argument("bib", type=Path, help="the .bib file")
    f.add_argument("--style", default="apa", help="apa, ieee, chicago, mla, vancouver, or a path to a .csl file (default: apa)")
    f.add_argument("--keys", default="", help="comma-separated keys to format (default: every entry)")
    f.add_argument("--to", default="text", choices=OUTPUT_FORMATS, help="output format (default: text)")
    c = sub.add_parser("convert", help="convert citations: \\cite{...} to [@...] (pandoc) or back (latex)")
    c.add_argument("file", type=Path, help="a .tex or Markdown file; '-' reads standard input")
    c.add_argument("--to", required=True, choices=("pandoc", "latex"))
    c.add_argument("--package", default="natbib", choices=("natbib", "biblatex"), help="LaTeX commands to write with --to latex (default: natbib)")
    return p


def _format(args: argparse.Namespace) -> int:
    path: Path = args.bib
    if not path.is_file():
        print(f"marginalia cite: {path}: no such file", file=sys.stderr)
        return 2
    bib = BibCache().load(path)
    for problem in bib.problems:
        print(f"{path}:{problem.line + 1}: warning: {problem.message}", file=sys.stderr)
    if args.keys:
        wanted = [k.strip() for k in args.keys.split(",") if k.strip()]
        missing = [k for k in wanted if bib.get(k) is None]
        if missing:
            print(f"marginalia cite: not in {path.name}: {', '.join(missing)}", file=sys.stderr)
            return 1
        entries = [e for k in wanted if (e := bib.get(k)) is not None]
    else:
        entries = list(bib.entries.values())
    try:
        refs = format_references([to_csl(bib, e) for e in entries], args.style, args.to, Path.cwd())
    except StyleError as exc:
        print(f"marginalia cite: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(join_references(refs, args.to))
    return 0


def _convert(args: argparse.Namespace) -> int:
    if str(args.file) == "-":
        source = sys.stdin.read()
    else:
        try:
            source = args.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"marginalia cite: cannot read {args.file}: {exc}", file=sys.stderr)
            return 2
    sys.stdout.write(convert_text(source, args.to, package=args.package))
    return 0


def main(argv: list[str]) -> int:
    """Entry point for ``marginalia cite ARGS``; returns the exit status."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage message
        return int(exc.code or 0) if isinstance(exc.code, int) else 2
    if args.action == "format":
        return _format(args)
    return _convert(args)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
