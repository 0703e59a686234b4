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


_SIMPLE_INCLUDE = re.compile(r"\\(?:input|include|subfile|InputIfFileExists)\s*\{([^{}]+)\}")
_IMPORT = re.compile(r"\\(?:sub)?(?:import|inputfrom|includefrom)\*?\s*\{([^{}]*)\}\s*\{([^{}]+)\}")

IncludeResolver = Callable[[Path, str], list[Path]]


def _tex_file(candidate: Path) -> Path | None:
    if candidate.suffix and candidate.is_file():
        return candidate
    with_tex = candidate.with_name(candidate.name + ".tex")
    if with_tex.is_file():
        return with_tex
    return candidate if candidate.is_file() else None


def regex_include_resolver(main: Path) -> IncludeResolver:
    """Fallback used until the LaTeX parser offers its own include resolver.

    LaTeX resolves ``\\input`` paths against the folder it runs in (the main
    file's), so that is tried first, then the including file's folder (as
    ``\\subimport`` and the subfiles package do); a missing ``.tex`` suffix is
    added as LaTeX does.
    """

    def resolve(path: Path, source: str) -> list[Path]:
        text = _strip_comments(source)
        names = [(Path(), m.group(1).strip()) for m in _SIMPLE_INCLUDE.finditer(text)]
        names += [(Path(m.group(1).strip()), m.group(2).strip()) for m in _IMPORT.finditer(text)]
        found: list[Path] = []
        for folder, name in names:
            for base in dict.fromkeys((main.parent, path.parent)):
                hit = _tex_file(base / folder / name)
                if hit is not None:
                    found.append(hit)
                    break
        return found

    return resolve


def include_resolver(main: Path) -> IncludeResolver:
    """The LaTeX parser's resolver when it is installed, else the regex fallback."""
    try:
        from lsp_server.documents import includes  # type: ignore[attr-defined, unused-ignore]
    except ImportError:
        return regex_include_resolver(main)
    resolver = getattr(includes, "resolve_includes", None)
    if not callable(resolver):
        return regex_include_resolver(main)

    def resolve(path: Path, source: str) -> list[Path]:
        return [Path(p) for p in resolver(path, source)]

    return resolve


def _within(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
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
    seen = {t.path for t in collection.targets}
    out: list[Target] = []
    for target in collection.targets:
        out.append(target)
        if target.language_id != "latex":
            continue
        source = read(target.path)
        if source is None or not is_latex_root(source):
            continue
        resolve = resolver(target.path)
        queue: list[tuple[Path, str]] = [(target.path, source)]
        while queue:
            current, text = queue.pop(0)
            for inc in resolve(current, text):
                inc = Path(os.path.abspath(inc))
                if inc in seen or not _within(inc, workspace):
                    continue
                seen.add(inc)
                out.append(Target(inc, language_of(inc), included_from=target.path))
                inc_text = read(inc) if inc.suffix.lower() in (".tex", ".ltx") else None
                if inc_text is not None:
                    queue.append((inc, inc_text))
    return Collection(out, collection.errors)
