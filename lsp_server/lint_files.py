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
from typing import TYPE_CHECKING

from lsp_server.documents import SUFFIX_LANGUAGE, language_for_path

if TYPE_CHECKING:
    from lsp_server.lint_exclude import Excluder

# .sty and .cls hold no manuscript prose; they are checked only when named.  .bib files
# are walked: the citation checks (duplicate keys, missing fields) belong in CI too.
WALKED_SUFFIXES = frozenset(SUFFIX_LANGUAGE) - {".sty", ".cls"}
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


def _walk(folder: Path, excluder: Excluder | None = None) -> Iterable[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d for d in dirnames if not _pruned(d) and not (excluder and excluder.excluded(here / d, is_dir=True))
        )
        for name in sorted(filenames):
            walked = not name.startswith(".") and Path(name).suffix.lower() in WALKED_SUFFIXES
            if walked and (excluder is None or not excluder.excluded(here / name)):
                yield here / name


def _expand_one(arg: str, cwd: Path, excluder: Excluder | None = None) -> tuple[list[tuple[Path, bool]], str | None]:
    """(paths, whether each was named explicitly) for one argument, or an error."""
    path = Path(arg) if Path(arg).is_absolute() else cwd / arg
    if path.is_dir():
        return [(p, False) for p in _walk(path, excluder)], None
    if path.exists() or path.is_symlink():
        return [(path, True)], None
    if _GLOB_CHARS.search(arg):
        pattern = arg if Path(arg).is_absolute() else str(cwd / arg)
        found: list[tuple[Path, bool]] = []
        left_out = 0
        for match in sorted(glob.glob(pattern, recursive=True)):
            m = Path(match)
            if m.is_dir():
                found.extend((p, False) for p in _walk(m, excluder))
            elif m.suffix.lower() in WALKED_SUFFIXES:
                if excluder is not None and excluder.excluded(m):
                    left_out += 1
                else:
                    found.append((m, False))
        if not found:
            if left_out:
                return [], f"{arg}: every file this pattern matches is excluded (lint.exclude or .gitignore)"
            return [], f"{arg}: no file matches this pattern"
        return found, None
    return [], f"{arg}: no such file or folder"


def language_of(path: Path) -> str:
    # A file named explicitly with an unknown suffix is read as plain text.
    return language_for_path(path) or "plaintext"


def expand_paths(args: Sequence[str], cwd: Path, excluder: Excluder | None = None) -> Collection:
    """Turn command-line arguments into absolute, de-duplicated targets, in order.

    ``excluder`` leaves out what folders and globs bring; a file named outright is always kept."""
    out = Collection()
    seen: set[Path] = set()
    for arg in args:
        paths, error = _expand_one(arg, cwd, excluder)
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


@dataclass(frozen=True)
class _Document:
    """A LaTeX root file's whole tree, as the LaTeX package's walker reads it."""

    root: Path
    files: list[Path]  # resolved, root first, in reading order
    language: str | None
    workspace: Path


def _document(root: Path, source: str, workspace: Path, read: Callable[[Path], str | None],
              problems: list[tuple[Path, int, str]]) -> _Document:
    from lsp_server.documents.includes import included_files
    from lsp_server.documents.latex_scan import declared_language

    # A root named from outside the run's workspace brings its own (or its folder).
    ws = workspace if _within(root, workspace) else find_root(root) or root.parent
    files, found = included_files(root, ws)
    problems.extend((_as_seen_from(p.file, ws), p.line + 1, p.message) for p in found)
    language = None
    for path in files:  # babel or polyglossia may sit in an \input preamble
        text = source if path == root.resolve() else read(path)
        language = declared_language(text) if text else None
        if language:
            break
    return _Document(root, files, language, ws)


def follow_includes(
    collection: Collection, workspace: Path, read: Callable[[Path], str | None], excluder: Excluder | None = None
) -> Collection:
    """Add the files each LaTeX root file includes, once each, inside ``workspace``.

    The LaTeX package's walker (:func:`lsp_server.documents.includes.included_files`)
    decides what is included; what it could not follow (a generated file that
    is missing, a path out of the workspace) becomes a note.  Every file of a
    document, whether named, found in a folder or included, gets the language
    its preamble declares; a chapter named alone finds its book through a
    ``% !TEX root`` line.
    """
    from lsp_server.documents.includes import find_root as tex_root

    out = Collection([], collection.errors, list(collection.include_problems))
    documents: dict[Path, _Document] = {}  # resolved root -> its document
    member_of: dict[Path, _Document] = {}  # resolved file -> the first document that includes it

    def add_document(root: Path, source: str) -> _Document:
        key = root.resolve()
        if key not in documents:
            doc = _document(root, source, workspace, read, out.include_problems)
            documents[key] = doc
            for path in doc.files:
                member_of.setdefault(path, doc)
        return documents[key]

    own_roots: dict[Path, _Document] = {}
    for target in collection.targets:
        source = read(target.path) if target.language_id == "latex" else None
        if source is None:
            continue
        if is_latex_root(source):
            own_roots[target.path] = add_document(target.path, source)
        else:
            magic_root = tex_root(target.path, workspace)
            root_source = read(magic_root) if magic_root != target.path.resolve() else None
            if root_source is not None and is_latex_root(root_source):
                add_document(magic_root, root_source)

    seen = {t.path.resolve() for t in collection.targets}
    for target in collection.targets:
        doc = member_of.get(target.path.resolve())
        included_from = doc.root if doc is not None and doc.root.resolve() != target.path.resolve() else None
        language = doc.language if doc is not None else None
        out.targets.append(Target(target.path, target.language_id, included_from, language))
        own = own_roots.get(target.path)
        if own is None:
            continue
        for found in own.files[1:]:
            if found not in seen:
                seen.add(found)
                if excluder is not None and excluder.excluded(found):
                    continue  # the chapter still counts as part of the book, but is not checked
                # Whatever its suffix (.tikz, .pgf), an included file is LaTeX.
                out.targets.append(Target(_as_seen_from(found, own.workspace), "latex", own.root, own.language))
    return out
