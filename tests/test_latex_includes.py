"""The include tree of a LaTeX project and its root file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lsp_server.documents.includes import find_root, included_files


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _names(files: list[Path], base: Path) -> list[str]:
    return [f.relative_to(base.resolve()).as_posix() for f in files]


def test_follows_every_include_command_in_reading_order(tmp_path: Path) -> None:
    root = _write(
        tmp_path / "main.tex",
        "\\documentclass{book}\n\\input{preamble}\n\\begin{document}\n"
        "\\include{chapters/one}\n% \\include{commented}\n\\subfile{parts/sub.tex}\n"
        "\\import{shared/}{two}\n\\input three\n\\end{document}\n",
    )
    _write(tmp_path / "preamble.tex", "\\usepackage{x}")
    _write(tmp_path / "chapters" / "one.tex", "One \\input{chapters/nested}")
    _write(tmp_path / "chapters" / "nested.tex", "Nested.")
    _write(tmp_path / "parts" / "sub.tex", "\\subimport{deeper/}{leaf}")
    _write(tmp_path / "parts" / "deeper" / "leaf.tex", "Leaf.")
    _write(tmp_path / "shared" / "two.tex", "Two.")
    _write(tmp_path / "three.tex", "Three.")
    files, problems = included_files(root, tmp_path)
    assert problems == []
    assert _names(files, tmp_path) == [
        "main.tex",
        "preamble.tex",
        "chapters/one.tex",
        "chapters/nested.tex",
        "parts/sub.tex",
        "parts/deeper/leaf.tex",
        "shared/two.tex",
        "three.tex",
    ]


def test_missing_file_is_a_problem_with_its_line(tmp_path: Path) -> None:
    root = _write(tmp_path / "ms.tex", "\\documentclass{article}\n\n\\include{vc}\n\\begin{document}x\\end{document}")
    files, problems = included_files(root, tmp_path)
    assert _names(files, tmp_path) == ["ms.tex"]
    assert [(p.file.name, p.line) for p in problems] == [("ms.tex", 2)]
    assert "\\include{vc}" in problems[0].message and "not found" in problems[0].message


def test_never_leaves_the_workspace(tmp_path: Path) -> None:
    outside = _write(tmp_path / "secret.tex", "Secret.")
    workspace = tmp_path / "ws"
    root = _write(workspace / "main.tex", f"\\input{{../secret}}\n\\input{{{outside}}}\n\\input{{link}}\n")
    os.symlink(outside, workspace / "link.tex")
    files, problems = included_files(root, workspace)
    assert _names(files, workspace) == ["main.tex"]
    assert len(problems) == 3
    assert all("outside the workspace" in p.message for p in problems)


def test_cycles_are_cut_and_reported(tmp_path: Path) -> None:
    root = _write(tmp_path / "a.tex", "\\input{b}\\input{b}")
    _write(tmp_path / "b.tex", "\\input{a}\\input{c}")
    _write(tmp_path / "c.tex", "\\input{c}")
    files, problems = included_files(root, tmp_path)
    assert _names(files, tmp_path) == ["a.tex", "b.tex", "c.tex"]
    assert sorted((p.file.name, "cycle" in p.message) for p in problems) == [("b.tex", True), ("c.tex", True)]


def test_path_macros_in_targets_are_expanded(tmp_path: Path) -> None:
    root = _write(tmp_path / "master.tex", "\\include{Main/Intro/main}")
    _write(
        tmp_path / "Main" / "Intro" / "main.tex",
        "\\renewcommand\\chapterpath{Main/Intro}\n\\input{\\chapterpath/intro.tex}",
    )
    _write(tmp_path / "Main" / "Intro" / "intro.tex", "Intro.")
    files, problems = included_files(root, tmp_path)
    assert problems == []
    assert _names(files, tmp_path)[-1] == "Main/Intro/intro.tex"


def test_unreadable_or_binary_files_do_not_raise(tmp_path: Path) -> None:
    root = _write(tmp_path / "main.tex", "\\input{blob}")
    (tmp_path / "blob.tex").write_bytes(b"\x00\xff\xfe binary \\input{")
    files, problems = included_files(root, tmp_path)
    assert _names(files, tmp_path) == ["main.tex", "blob.tex"]
    assert problems == []


def test_root_outside_workspace_is_refused(tmp_path: Path) -> None:
    root = _write(tmp_path / "elsewhere" / "main.tex", "x")
    files, problems = included_files(root, tmp_path / "ws")
    assert files == [] and "outside the workspace" in problems[0].message


def test_real_thesis_tree(corpus_dir: Path) -> None:
    thesis = corpus_dir / "fr-thesis-qeole" / "src"
    files, problems = included_files(thesis / "master.tex", corpus_dir)
    names = _names(files, thesis)
    assert problems == []
    assert names[:4] == ["master.tex", "Preamble/packages.tex", "Preamble/macros.tex", "Preamble/meta.tex"]
    assert "Main/EdA/dos_attacks.tex" in names and names[-1] == "Back/backcover.tex"
    assert len(names) == len(set(names)) >= 40


def test_celerite_reports_its_missing_generated_file(corpus_dir: Path) -> None:
    files, problems = included_files(corpus_dir / "celerite-paper" / "paper" / "ms.tex", corpus_dir)
    assert [p.message for p in problems] == ["\\include{vc}: file not found"]
    assert len(files) > 1


@pytest.mark.parametrize(
    ("magic", "expected"),
    [
        ("% !TEX root = ../master.tex", "master.tex"),
        ("%!TeX root=../master.tex", "master.tex"),
        ("% !TEX root = ../missing.tex", "chapters/ch.tex"),
        ("% !TEX root = ../../outside.tex", "chapters/ch.tex"),
        ("% nothing here", "chapters/ch.tex"),
    ],
)
def test_find_root_honours_the_magic_line(tmp_path: Path, magic: str, expected: str) -> None:
    ws = tmp_path / "ws"
    _write(ws / "master.tex", "\\include{chapters/ch}")
    _write(tmp_path / "outside.tex", "x")
    chapter = _write(ws / "chapters" / "ch.tex", f"{magic}\nText.")
    assert find_root(chapter, ws).resolve() == (ws / expected).resolve()
