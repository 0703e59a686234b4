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
    # Include commands that could not be followed, as (file, 1-based line, message): reported, not fatal.
    include_problems: list[tuple[Path, int, str]] = field(default_factory=list)


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


def _within(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True


def _as_seen_from(path: Path, workspace: Path) -> Path:
    """``path`` (resolved by the include walker) spelled under ``workspace`` as the user gave it."""
    try:
        return workspace / path.relative_to(workspace.resolve())
    except ValueError:
        return path


def follow_includes(collection: Collection, workspace: Path, read: Callable[[Path], str | None]) -> Collection:
    """Add the files each LaTeX root file includes, once each, inside ``workspace``.

    The LaTeX package's walker (:func:`lsp_server.documents.includes.included_files`)
    decides what is included; what it could not follow (a generated file that
    is missing, a path out of the workspace) becomes a note.  Every file of a
    document gets the language its preamble declares.
    """
    from lsp_server.documents.includes import included_files
    from lsp_server.documents.latex_scan import declared_language

    seen = {t.path.resolve() for t in collection.targets}
    out = Collection([], collection.errors, list(collection.include_problems))
    for target in collection.targets:
        source = read(target.path) if target.language_id == "latex" else None
        if source is None or not is_latex_root(source):
            out.targets.append(target)
            continue
        # A root named from outside the run's workspace brings its own (or its folder).
        ws = workspace if _within(target.path, workspace) else find_root(target.path) or target.path.parent
        files, problems = included_files(target.path, ws)
        out.include_problems.extend((_as_seen_from(p.file, ws), p.line + 1, p.message) for p in problems)
        language = None
        for path in files:  # babel or polyglossia may sit in an \input preamble
            text = source if path == target.path.resolve() else read(path)
            language = declared_language(text) if text else None
            if language:
                break
        out.targets.append(Target(target.path, "latex", document_language=language))
        for found in files[1:]:
            if found not in seen:
                seen.add(found)
                # Whatever its suffix (.tikz, .pgf), an included file is LaTeX.
                out.targets.append(Target(_as_seen_from(found, ws), "latex", target.path, language))
    return out
