"""What `marginalia lint` leaves out: licence files by default, lint.exclude patterns, --exclude, .gitignore."""

from __future__ import annotations

from pathlib import Path

import pytest
from lint_demo_plugin import demo_engine

from lsp_server import cli
from lsp_server.lint import EngineSpec, run_lint
from lsp_server.lint_exclude import Excluder


def _write(path: Path, text: str = "Some prose.\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _checked(tmp_path: Path, *paths: str, exclude: tuple[str, ...] = (), **settings: object) -> list[str]:
    spec = EngineSpec(tmp_path, dict(settings), exclude=exclude)
    report = run_lint(list(paths), spec, cwd=tmp_path, jobs=1, factory=demo_engine)
    assert not report.errors, report.errors
    return sorted(f.path.relative_to(tmp_path).as_posix() for f in report.files)


def test_licence_files_are_left_out_of_a_walk_but_checked_when_named(tmp_path: Path) -> None:
    for name in ("paper.md", "LICENSE.txt", "LICENSE.md", "sub/COPYING.txt", "sub/LICENCE.md", "licensing.md"):
        _write(tmp_path / name)
    assert _checked(tmp_path, ".") == ["licensing.md", "paper.md"]
    assert _checked(tmp_path, "LICENSE.md", "paper.md") == ["LICENSE.md", "paper.md"]


def test_exclude_replaces_the_default_and_extend_exclude_and_the_flag_add_to_it(tmp_path: Path) -> None:
    for name in ("paper.md", "LICENSE.md", "drafts/old.md", "notes/todo.md", "ch/one.generated.tex", "ch/two.tex"):
        _write(tmp_path / name)
    assert _checked(tmp_path, ".", lint={"exclude": ["drafts/"]}) == [
        "LICENSE.md", "ch/one.generated.tex", "ch/two.tex", "notes/todo.md", "paper.md"
    ]
    assert _checked(tmp_path, ".", lint={"extend_exclude": ["drafts/", "*.generated.tex"]}) == [
        "ch/two.tex", "notes/todo.md", "paper.md"
    ]
    assert _checked(tmp_path, ".", exclude=("notes/todo.md", "/ch")) == ["drafts/old.md", "paper.md"]
    # A pattern anchored at the workspace root does not match deeper folders of the same name.
    _write(tmp_path / "deep" / "ch" / "three.md")
    assert "deep/ch/three.md" in _checked(tmp_path, ".", exclude=("/ch",))


def test_globs_are_filtered_and_a_glob_of_only_excluded_files_says_so(tmp_path: Path) -> None:
    _write(tmp_path / "ch" / "one.md")
    _write(tmp_path / "ch" / "two.md")
    assert _checked(tmp_path, "ch/*.md", exclude=("two.md",)) == ["ch/one.md"]
    report = run_lint(["ch/*.md"], EngineSpec(tmp_path, exclude=("*.md",)), cwd=tmp_path, jobs=1, factory=demo_engine)
    assert report.errors == ["ch/*.md: every file this pattern matches is excluded (lint.exclude or .gitignore)"]


def test_gitignore_applies_inside_a_repository_with_deeper_files_overriding(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    _write(repo / ".gitignore", "_output/\n*.tmp.md\nchapters/scratch*\n")
    _write(repo / "chapters" / ".gitignore", "!scratch-keep.md\n")
    for name in ("paper.md", "_output/paper.md", "a.tmp.md", "chapters/one.md", "chapters/scratch1.md", "chapters/scratch-keep.md"):
        _write(repo / name)
    assert _checked(repo, ".") == ["chapters/one.md", "chapters/scratch-keep.md", "paper.md"]
    assert _checked(repo, ".", lint={"respect_gitignore": False}) == [
        "_output/paper.md", "a.tmp.md", "chapters/one.md", "chapters/scratch-keep.md", "chapters/scratch1.md", "paper.md"
    ]


def test_gitignore_outside_a_repository_means_nothing(tmp_path: Path) -> None:
    _write(tmp_path / ".gitignore", "*.md\n")
    _write(tmp_path / "paper.md")
    assert _checked(tmp_path, ".") == ["paper.md"]


def test_an_excluded_chapter_of_a_book_is_not_checked(tmp_path: Path) -> None:
    _write(tmp_path / "main.tex", "\\documentclass{book}\n\\begin{document}\n\\include{ch/one}\n\\include{ch/old}\n\\end{document}\n")
    _write(tmp_path / "ch" / "one.tex", "One.\n")
    _write(tmp_path / "ch" / "old.tex", "Old.\n")
    assert _checked(tmp_path, "main.tex") == ["ch/old.tex", "ch/one.tex", "main.tex"]
    assert _checked(tmp_path, "main.tex", exclude=("ch/old.tex",)) == ["ch/one.tex", "main.tex"]


def test_excluder_matches_folders_and_paths_outside_the_workspace_by_name(tmp_path: Path) -> None:
    ex = Excluder(tmp_path / "ws", ["build/", "*.bak.md"], respect_gitignore=False)
    assert ex.excluded(tmp_path / "ws" / "build", is_dir=True)
    assert not ex.excluded(tmp_path / "ws" / "build")  # a file called build
    assert ex.excluded(tmp_path / "elsewhere" / "x.bak.md")
    assert not ex.excluded(tmp_path / "elsewhere" / "x.md")


def test_exclude_flag_and_workspace_file_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path / ".marginalia.toml", '[lint]\nextend_exclude = ["vendor/"]\n')
    _write(tmp_path / "paper.md", "We saw the the cat in the garden.\n")
    _write(tmp_path / "vendor" / "theirs.md", "We saw the the dog in the garden.\n")
    _write(tmp_path / "appendix.md", "We saw the the bird in the garden.\n")
    monkeypatch.chdir(tmp_path)
    code = cli.main(["lint", "--plugins", "grammar-rules", "--format", "json", "--exclude", "appendix.md", "."])
    out = capsys.readouterr().out
    assert code == 1
    assert "paper.md" in out and "theirs.md" not in out and "appendix.md" not in out
