"""The file tree of a LaTeX project: what a root file pulls in, and which file is the root.

Only paths inside the workspace are followed (a document must not make the
server read ``\\input{/etc/passwd}`` or walk out through a symlink), cycles
are cut, and a missing file is a problem to report, never an exception:
real projects name generated files that are not there (celerite's
``\\include{vc}``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lsp_server.documents.latex_scan import includes

# A file larger than this is not read for includes (a binary or a generated dump).
MAX_BYTES = 16 * 1024 * 1024
_TEX_ROOT = re.compile(r"^\s*%\s*!\s*TeX\s+root\s*=\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
_MAGIC_LINES = 40
_MAX_NESTING = 64
# Simple path macros: \renewcommand\chapterpath{Main/Intro} then \input{\chapterpath/intro}.
_PATH_MACRO = re.compile(
    r"\\(?:(?:re)?newcommand\*?|providecommand\*?|[gex]?def)\s*\{?\s*\\([A-Za-z@]+)\s*\}?\s*\{([^{}\\%\r\n]*)\}"
)
_MACRO_USE = re.compile(r"\\([A-Za-z@]+)(?:\{\})?")


@dataclass(frozen=True, slots=True)
class IncludeProblem:
    """A problem found while following includes; ``line`` is 0-based in ``file``."""

    file: Path
    line: int
    message: str


def _read(path: Path) -> str | None:
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _inside(path: Path, workspace: Path) -> bool:
    try:
        path.resolve().relative_to(workspace)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


# Commands whose target is relative to the including file's folder (subfiles, import's \\sub* forms);
# the others are relative to the root file's folder, where TeX runs.
_RELATIVE_TO_FILE = frozenset({"subfile", "subimport", "subinputfrom", "subincludefrom"})


def _candidates(base: Path, target: str) -> list[Path]:
    """``target`` under ``base``, with ``.tex`` first when the name lacks a TeX suffix (as TeX tries)."""
    name = target.strip().strip('"')
    if not name:
        return []
    if name.endswith((".tex", ".ltx")):
        return [base / name]
    return [base / (name + ".tex"), base / name]


def included_files(root: Path, workspace: Path) -> tuple[list[Path], list[IncludeProblem]]:
    """Files reachable from ``root`` through \\input/\\include/\\subfile/\\import, in reading order.

    ``root`` comes first.  Paths are resolved; a target outside ``workspace``
    (directly, by ``..`` or through a symlink) is reported and not read.
    """
    problems: list[IncludeProblem] = []
    order: list[Path] = []
    try:
        workspace = workspace.resolve()
        root = root.resolve()
    except (OSError, RuntimeError):
        return [], [IncludeProblem(root, 0, "cannot resolve the root file")]
    if not _inside(root, workspace):
        return [], [IncludeProblem(root, 0, "the root file is outside the workspace")]
    seen: set[Path] = set()
    reading: list[Path] = []  # the chain of files being read, to tell a cycle from a repeat
    path_macros: dict[str, str] = {}  # global, as TeX's are, in reading order

    def visit(path: Path) -> None:
        seen.add(path)
        order.append(path)
        text = _read(path)
        if text is None:
            problems.append(IncludeProblem(path, 0, "cannot read this file"))
            return
        reading.append(path)
        events: list[tuple[int, str, str]] = [
            (m.start(), "", m.group(1) + "\0" + m.group(2)) for m in _PATH_MACRO.finditer(text)
        ]
        events += [(start, command, target) for command, target, start, _end in includes(text)]
        for start, command, target in sorted(events):
            if not command:
                name, _, value = target.partition("\0")
                path_macros[name] = value.strip()
                continue
            if command == "includeonly":
                continue
            target = _MACRO_USE.sub(lambda m: path_macros.get(m.group(1), m.group(0)), target)
            line = text.count("\n", 0, start)
            base = path.parent if command in _RELATIVE_TO_FILE else root.parent
            # TeX looks beside the root; writers often mean beside the including file too.
            cands = _candidates(base, target) + (_candidates(path.parent, target) if base != path.parent else [])
            inside = [c for c in cands if _inside(c, workspace)]
            found = next((c.resolve() for c in inside if c.is_file()), None)
            shown = f"\\{command}{{{target}}}"
            if found is None:
                escaped = [c for c in cands if c not in inside]
                outside = escaped and (not inside or any(c.exists() for c in escaped))
                where = "points outside the workspace; not followed" if outside else "file not found"
                problems.append(IncludeProblem(path, line, f"{shown}: {where}"))
            elif found in reading:
                problems.append(
                    IncludeProblem(path, line, f"{shown}: includes a file that is already being read (cycle)")
                )
            elif found not in seen:
                if len(reading) >= _MAX_NESTING:
                    problems.append(IncludeProblem(path, line, f"{shown}: includes nested too deeply; not followed"))
                else:
                    visit(found)
        reading.pop()

    visit(root)
    return order, problems


def find_root(path: Path, workspace: Path | None = None) -> Path:
    """The root file for ``path``: its ``% !TEX root = ...`` magic line if any, else itself.

    A root outside ``workspace`` (when given) or missing is ignored.
    """
    text = _read(path)
    if text is None:
        return path
    head = "\n".join(text.splitlines()[:_MAGIC_LINES])
    m = _TEX_ROOT.search(head)
    if m is None:
        return path
    cand = (path.parent / m.group(1).strip().strip('"')).resolve()
    if workspace is not None and not _inside(cand, workspace.resolve()):
        return path
    return cand if cand.is_file() else path
