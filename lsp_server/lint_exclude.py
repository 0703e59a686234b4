"""Which walked files ``marginalia lint`` leaves out: ``lint.exclude`` patterns and .gitignore.

Patterns are gitignore-style (pathspec's implementation of git's own rules),
relative to the workspace root: ``drafts/``, ``*.generated.tex``, ``!keep.md``.
Inside a git repository the .gitignore files from its top down to a file's
folder apply too, deeper files overriding shallower ones as in git.  Only what
is found by walking a folder, expanding a glob or following a LaTeX include is
left out: a file named on the command line is always checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pathspec import GitIgnoreSpec


def _repository_top(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def _relative(path: Path, folder: Path) -> str | None:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return None


class Excluder:
    """Decides, for absolute resolved paths, whether a walked file or folder is left out."""

    def __init__(self, root: Path, patterns: Sequence[str], respect_gitignore: bool = True) -> None:
        self.root = root.resolve()
        self.patterns = tuple(patterns)
        self._spec = GitIgnoreSpec.from_lines(self.patterns) if self.patterns else None
        self._respect_gitignore = respect_gitignore
        self._gitignores: dict[Path, GitIgnoreSpec | None] = {}
        self._tops: dict[Path, Path | None] = {}

    def excluded(self, path: Path, is_dir: bool = False) -> bool:
        path = path.resolve()
        if self._spec is not None:
            # Outside the workspace, a pattern is matched against the name alone.
            rel = _relative(path, self.root) or path.name
            if self._spec.match_file(rel + "/" if is_dir else rel):
                return True
        return self._respect_gitignore and self._git_ignored(path, is_dir)

    def _gitignore(self, folder: Path) -> GitIgnoreSpec | None:
        if folder not in self._gitignores:
            spec = None
            try:
                lines = (folder / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
                spec = GitIgnoreSpec.from_lines(lines)
            except OSError:
                pass  # no .gitignore here (the usual case), or unreadable: nothing ignored by it
            self._gitignores[folder] = spec
        return self._gitignores[folder]

    def _git_ignored(self, path: Path, is_dir: bool) -> bool:
        parent = path.parent
        if parent not in self._tops:
            self._tops[parent] = _repository_top(parent)
        top = self._tops[parent]
        if top is None:
            return False  # git ignores nothing outside a repository
        verdict = False
        below = parent.relative_to(top)
        for folder in (*reversed(below.parents), below):  # top first, the file's own folder last
            spec = self._gitignore(top / folder)
            if spec is None:
                continue
            rel = path.relative_to(top / folder).as_posix()
            result = spec.check_file(rel + "/" if is_dir else rel)
            if result.include is not None:
                verdict = result.include  # a deeper .gitignore overrides a shallower one
        return verdict
