"""Which files ``marginalia lint`` checks: paths, folders, globs and LaTeX includes.

Folders are walked for the suffixes the parsers know, skipping what is never a
manuscript (hidden folders, ``node_modules``, build output).  A LaTeX root file
(one with ``\\documentclass`` or ``\\begin{document}``) brings in the files it
``\\input``s, ``\\include``s, ``\\subfile``s or ``\\import``s, as long as they sit
inside the workspace: a book is checked by naming its main file.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lsp_server.documents import SUFFIX_LANGUAGE, language_for_path

# .bib, .sty and .cls hold no manuscript prose; they are checked only when named.
WALKED_SUFFIXES = frozenset(SUFFIX_LANGUAGE) - {".bib", ".sty", ".cls"}
PRUNED_DIRS = frozenset(
    {"node_modules", "_site", "_book", "_freeze", "build", "_build", "dist", "site-packages", "__pycache__", "venv"}
)
ROOT_MARKERS = (".marginalia.toml", "pyproject.toml", ".git")
_GLOB_CHARS = re.compile(r"[*?\[]")
_LATEX_ROOT = re.compile(r"\\documentclass\b|\\begin\s*\{document\}")


@dataclass(frozen=True, slots=True)
class Target:
    """One file to check, with the parser that reads it."""

    path: Path  # absolute
    language_id: str
    # The root file that pulled this one in through \input and friends, if any.
    included_from: Path | None = None
    # The natural language the whole LaTeX document declares (babel/polyglossia often
    # sit in an \input preamble), for files that declare none themselves.
    document_language: str | None = None


@dataclass
class Collection:
    targets: list[Target] = field(default_factory=list)
    # Arguments that named nothing: reported, and the run exits 2.
    errors: list[str] = field(default_factory=list)


def find_root(start: Path) -> Path | None:
    """Nearest folder at or above ``start`` holding a settings file or a repository."""
    here = start if start.is_dir() else start.parent
    for folder in (here, *here.parents):
        if any((folder / marker).exists() for marker in ROOT_MARKERS):
            return folder
    return None


def _pruned(dirname: str) -> bool:
    return dirname.startswith(".") or dirname in PRUNED_DIRS or dirname.endswith((".dist-info", ".egg-info"))


def _walk(folder: Path) -> Iterable[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not _pruned(d))
        for name in sorted(filenames):
            if not name.startswith(".") and Path(name).suffix.lower() in WALKED_SUFFIXES:
                yield Path(dirpath) / name


def _expand_one(arg: str, cwd: Path) -> tuple[list[tuple[Path, bool]], str | None]:
    """(paths, whether each was named explicitly) for one argument, or an error."""
    path = Path(arg) if Path(arg).is_absolute() else cwd / arg
    if path.is_dir():
        return [(p, False) for p in _walk(path)], None
    if path.exists() or path.is_symlink():
        return [(path, True)], None
    if _GLOB_CHARS.search(arg):
        pattern = arg if Path(arg).is_absolute() else str(cwd / arg)
        found: list[tuple[Path, bool]] = []
        for match in sorted(glob.glob(pattern, recursive=True)):
            m = Path(match)
            if m.is_dir():
                found.extend((p, False) for p in _walk(m))
            elif m.suffix.lower() in WALKED_SUFFIXES:
                found.append((m, False))
        if not found:
            return [], f"{arg}: no file matches this pattern"
        return found, None
    return [], f"{arg}: no such file or folder"


def language_of(path: Path) -> str:
    # A file named explicitly with an unknown suffix is read as plain text.
    return language_for_path(path) or "plaintext"


def expand_paths(args: Sequence[str], cwd: Path) -> Collection:
    """Turn command-line arguments into absolute, de-duplicated targets, in order."""
    out = Collection()
    seen: set[Path] = set()
    for arg in args:
        paths, error = _expand_one(arg, cwd)
        if error:
            out.errors.append(error)
        for path, _explicit in paths:
            resolved = Path(os.path.abspath(path))
            if resolved not in seen:
                seen.add(resolved)
                out.targets.append(Target(resolved, language_of(resolved)))
    return out


# --------------------------------------------------------------------------- LaTeX includes


def is_latex_root(source: str) -> bool:
    return _LATEX_ROOT.search(_strip_comments(source)) is not None


def _strip_comments(source: str) -> str:
    return re.sub(r"(?<!\\)%[^\n]*", "", source)


IncludeResolver = Callable[[Path, str], list[Path]]
# Commands whose path is relative to the including file rather than the main one.
_RELATIVE_TO_CURRENT = frozenset({"subimport", "subinputfrom", "subincludefrom"})
_MACRO = re.compile(r"\\([A-Za-z@]+)")


def _tex_file(candidate: Path) -> Path | None:
    if candidate.suffix and candidate.is_file():
        return candidate
    with_tex = candidate.with_name(candidate.name + ".tex")
    if with_tex.is_file():
        return with_tex
    return candidate if candidate.is_file() else None


def scanned_include_resolver(main: Path) -> IncludeResolver:
    """Resolve the include commands the LaTeX parser's scanner finds to existing files.

    LaTeX resolves ``\\input`` paths against the folder it runs in (the main
    file's), so that is tried first, then the including file's folder (the
    subfiles package works that way); ``\\subimport`` and friends are relative
    to the including file.  A missing ``.tex`` suffix is added as LaTeX does.
    """
    from lsp_server.documents.latex_scan import definitions, includes

    # Argument-less macros seen so far: theses write \input{\chapterpath/intro}.
    macros: dict[str, str] = {}

    def expand(name: str) -> str:
        for _ in range(4):  # macros defined through other macros, a few levels deep
            expanded = _MACRO.sub(lambda m: macros.get(m.group(1), m.group(0)), name)
            if expanded == name:
                break
            name = expanded
        return name

    def resolve(path: Path, source: str) -> list[Path]:
        macros.update((k, d.body.strip()) for k, d in definitions(source).items() if d.nargs == 0)
        found: list[Path] = []
        for command, raw, _, _ in includes(source):
            name = expand(raw)
            if command == "includeonly" or not name or "\\" in name:
                continue
            bases = (path.parent,) if command in _RELATIVE_TO_CURRENT else (main.parent, path.parent)
            for base in dict.fromkeys(bases):
                hit = _tex_file(base / name)
                if hit is not None:
                    found.append(hit)
                    break
        return found

    return resolve


def include_resolver(main: Path) -> IncludeResolver:
    """``lsp_server.documents.includes.resolve_includes(path, source)`` when the LaTeX
    package offers one (it may know more, e.g. ``\\graphicspath``-like search paths),
    else the scanner-based resolver above."""
    try:
        from lsp_server.documents import includes  # type: ignore[attr-defined, unused-ignore]
    except ImportError:
        return scanned_include_resolver(main)
    resolver = getattr(includes, "resolve_includes", None)
    if not callable(resolver):
        return scanned_include_resolver(main)

    fallback = scanned_include_resolver(main)

    def resolve(path: Path, source: str) -> list[Path]:
        try:
            return [Path(p) for p in resolver(path, source)]
        except Exception:  # a resolver bug must not cost the user the run
            return fallback(path, source)

    return resolve


def _within(path: Path, folder: Path) -> bool:
    """Inside ``folder`` once symlinks are resolved: a link must not pull in /etc/passwd."""
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True


def follow_includes(
    collection: Collection,
    workspace: Path,
    read: Callable[[Path], str | None],
    resolver: Callable[[Path], IncludeResolver] = include_resolver,
) -> Collection:
    """Add the files LaTeX root files include (recursively), once each, inside ``workspace``.

    ``resolver(main)`` gives the function that lists one file's includes for the
    document whose main file is ``main``.
    """
    from lsp_server.documents.latex_scan import declared_language

    seen = {t.path for t in collection.targets}
    out: list[Target] = []

    def visit(current: Path, text: str, resolve: IncludeResolver, found: list[tuple[Path, str | None]]) -> None:
        # Depth first, in document order, as TeX reads them: macros such as
        # \chapterpath are redefined chapter by chapter.
        for name in resolve(current, text):
            inc = Path(os.path.abspath(name))
            if inc in seen or not _within(inc, workspace):
                continue
            seen.add(inc)
            inc_text = read(inc)
            found.append((inc, declared_language(inc_text) if inc_text else None))
            if inc_text is not None:
                visit(inc, inc_text, resolve, found)

    for target in collection.targets:
        source = read(target.path) if target.language_id == "latex" else None
        if source is None or not is_latex_root(source):
            out.append(target)
            continue
        found: list[tuple[Path, str | None]] = [(target.path, declared_language(source))]
        visit(target.path, source, resolver(target.path), found)
        language = next((lang for _, lang in found if lang), None)
        out.append(Target(target.path, "latex", document_language=language))
        # Whatever its suffix (.tikz, .pgf), an included file is LaTeX.
        out.extend(Target(path, "latex", target.path, language) for path, _ in found[1:])
    return Collection(out, collection.errors)
