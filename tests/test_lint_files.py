"""Which files lint checks: folders, globs, skipped folders, workspace roots and LaTeX includes."""

from __future__ import annotations

from pathlib import Path

from lsp_server.lint import collect, workspace_root
from lsp_server.lint_files import expand_paths, find_root, is_latex_root


def _touch(path: Path, text: str = "Some prose.\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _names(paths: list[Path], base: Path) -> list[str]:
    return [p.relative_to(base).as_posix() for p in paths]


def test_folders_are_walked_for_known_suffixes_skipping_hidden_and_build_folders(tmp_path: Path) -> None:
    for name in ("a.md", "b.tex", "sub/c.qmd", "sub/d.txt", "refs.bib", "style.sty", "class.cls", "x.py",
                 ".hidden/e.md", "node_modules/f.md", "_site/g.md", "build/h.tex", ".git/i.md", ".dot.md"):
        _touch(tmp_path / name)
    found = expand_paths(["."], tmp_path)
    assert found.errors == []
    assert _names([t.path for t in found.targets], tmp_path) == ["a.md", "b.tex", "refs.bib", "sub/c.qmd", "sub/d.txt"]
    assert [t.language_id for t in found.targets] == ["markdown", "latex", "bibtex", "quarto", "plaintext"]


def test_named_files_are_checked_whatever_their_suffix_and_only_once(tmp_path: Path) -> None:
    _touch(tmp_path / "refs.bib")
    _touch(tmp_path / "notes.weird")
    _touch(tmp_path / "a.md")
    found = expand_paths(["refs.bib", "notes.weird", "a.md", str(tmp_path / "a.md"), "."], tmp_path)
    assert _names([t.path for t in found.targets], tmp_path) == ["refs.bib", "notes.weird", "a.md"]
    assert [t.language_id for t in found.targets] == ["bibtex", "plaintext", "markdown"]


def test_globs_expand_and_missing_paths_are_errors(tmp_path: Path) -> None:
    for name in ("ch/one.md", "ch/two.md", "ch/deep/three.md", "ch/skip.py"):
        _touch(tmp_path / name)
    found = expand_paths(["ch/**/*.md", "missing.md", "nothing*.tex"], tmp_path)
    assert _names([t.path for t in found.targets], tmp_path) == ["ch/deep/three.md", "ch/one.md", "ch/two.md"]
    assert found.errors == ["missing.md: no such file or folder", "nothing*.tex: no file matches this pattern"]


def test_workspace_root_is_the_nearest_folder_with_a_marker(tmp_path: Path) -> None:
    _touch(tmp_path / "book" / ".marginalia.toml", "")
    _touch(tmp_path / "book" / "ch" / "one.md")
    (tmp_path / "other").mkdir()
    assert find_root(tmp_path / "book" / "ch" / "one.md") == tmp_path / "book"
    assert workspace_root(["ch/one.md"], tmp_path / "book") == tmp_path / "book"
    assert workspace_root(["book/ch/*.md"], tmp_path) == tmp_path / "book"
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    assert find_root(tmp_path / "repo") == tmp_path / "repo"


def test_workspace_root_without_a_marker_is_the_current_folder_or_the_paths_own(tmp_path: Path) -> None:
    _touch(tmp_path / "thesis" / "src" / "master.tex")
    (tmp_path / "elsewhere").mkdir()
    assert find_root(tmp_path / "thesis") is None
    assert workspace_root(["thesis/src/master.tex"], tmp_path) == tmp_path.resolve()
    assert workspace_root([str(tmp_path / "thesis" / "src" / "master.tex")], tmp_path / "elsewhere") == (tmp_path / "thesis" / "src").resolve()
    assert workspace_root([str(tmp_path / "thesis")], tmp_path / "elsewhere") == (tmp_path / "thesis").resolve()


def test_latex_root_detection_ignores_comments() -> None:
    assert is_latex_root("\\documentclass{article}\n")
    assert is_latex_root("\\begin {document} x")
    assert not is_latex_root("% \\documentclass{article}\nJust a chapter.")
    assert not is_latex_root("\\section{Intro} text")


def test_a_root_file_brings_in_its_includes_once_and_only_inside_the_workspace(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    _touch(ws / ".marginalia.toml", "")
    _touch(ws / "main.tex", "\\documentclass{book}\n\\begin{document}\n\\include{ch/intro}\n\\input{ch/method.tex}\n"
           "% \\input{ch/commented}\n\\subfile{ch/sub}\n\\import{parts/}{part1}\n\\input{../outside}\n\\input bare\n"
           "\\includeonly{ch/commented}\n\\end{document}\n")
    _touch(ws / "bare.tex", "Bare input.")
    _touch(ws / "ch" / "intro.tex", "Intro \\input{ch/nested} and again \\input{ch/method}.")
    _touch(ws / "ch" / "nested.tex", "Nested text.")
    _touch(ws / "ch" / "method.tex", "Method text.")
    _touch(ws / "ch" / "commented.tex", "Never included.")
    _touch(ws / "ch" / "sub.tex", "\\documentclass[../main]{subfiles}\\begin{document}Sub\\end{document}")
    _touch(ws / "parts" / "part1.tex", "Part one \\subimport{sec/}{deep}.")
    _touch(ws / "parts" / "sec" / "deep.tex", "Relative to parts/.")
    _touch(tmp_path / "outside.tex", "Outside the workspace.")
    (ws / "sneaky.tex").symlink_to(tmp_path / "outside.tex")
    _touch(ws / "main.tex", (ws / "main.tex").read_text(encoding="utf-8") + "\\input{sneaky}\n")
    collection = collect(["main.tex"], ws, ws)
    assert _names([t.path for t in collection.targets], ws) == [
        # Depth first, in reading order.
        "main.tex", "ch/intro.tex", "ch/nested.tex", "ch/method.tex", "ch/sub.tex", "parts/part1.tex",
        "parts/sec/deep.tex", "bare.tex",
    ]
    assert all(t.included_from == ws / "main.tex" for t in collection.targets[1:])


def test_missing_includes_and_cycles_become_notes_not_errors(tmp_path: Path) -> None:
    _touch(tmp_path / "a.tex", "\\documentclass{article}\n\\input{b}\n\\include{vc}\n")
    _touch(tmp_path / "b.tex", "B \\input{a}")  # a cycle, which must end
    found = collect(["a.tex"], tmp_path, tmp_path)
    assert _names([t.path for t in found.targets], tmp_path) == ["a.tex", "b.tex"]
    assert found.errors == []
    assert (tmp_path / "a.tex", 3, "\\include{vc}: file not found") in found.include_problems


def test_include_paths_built_from_macros_follow_their_redefinitions(tmp_path: Path) -> None:
    _touch(tmp_path / "main.tex", "\\documentclass{book}\\newcommand\\chapterpath{}\n\\begin{document}\n"
           "\\include{one/main}\n\\include{two/main}\n\\end{document}")
    for chapter in ("one", "two"):
        _touch(tmp_path / chapter / "main.tex", f"\\renewcommand\\chapterpath{{{chapter}}}\n\\input{{\\chapterpath/body}}")
        _touch(tmp_path / chapter / "body.tex", f"\\input{{\\chapterpath/deeper.tex}} Body of {chapter}.")
        _touch(tmp_path / chapter / "deeper.tex", "Deeper.")
    found = collect(["main.tex"], tmp_path, tmp_path)
    assert _names([t.path for t in found.targets], tmp_path) == [
        "main.tex", "one/main.tex", "one/body.tex", "one/deeper.tex", "two/main.tex", "two/body.tex", "two/deeper.tex",
    ]


def test_a_real_thesis_brings_in_its_two_level_include_tree(corpus_dir: Path) -> None:
    thesis = corpus_dir / "fr-thesis-qeole" / "src"
    found = collect(["master.tex"], thesis, thesis)
    names = _names([t.path for t in found.targets], thesis)
    assert names[:4] == ["master.tex", "Preamble/packages.tex", "Preamble/macros.tex", "Preamble/meta.tex"]
    # \\input{\\chapterpath/dos_class.tex} two levels down, with \\chapterpath set by the chapter.
    assert "Main/EdA/dos_class.tex" in names
    # Every .tex file of the thesis, and the TikZ pictures it inputs, read as LaTeX.
    assert len(names) == len(set(names)) == 46 + 4
    assert {t.language_id for t in found.targets} == {"latex"}
    assert "Main/Jeux/Automata/GoodNode.tikz" in names


def test_every_file_of_a_latex_document_gets_the_language_its_preamble_declares(tmp_path: Path) -> None:
    _touch(tmp_path / "main.tex", "\\documentclass{book}\n\\input{preamble}\n\\begin{document}\n\\include{ch1}\n\\end{document}")
    _touch(tmp_path / "preamble.tex", "\\usepackage{polyglossia}\n\\setdefaultlanguage{french}\n")
    _touch(tmp_path / "ch1.tex", "Bonjour.")
    _touch(tmp_path / "notes.md", "Unrelated.")
    found = collect(["main.tex", "notes.md"], tmp_path, tmp_path)
    assert [(t.path.name, t.document_language) for t in found.targets] == [
        ("main.tex", "fr"), ("preamble.tex", "fr"), ("ch1.tex", "fr"), ("notes.md", None),
    ]


def test_a_root_outside_the_workspace_uses_its_own_folder(tmp_path: Path) -> None:
    _touch(tmp_path / "ws" / ".git" / "HEAD", "")
    _touch(tmp_path / "away" / "main.tex", "\\documentclass{article}\\input{part}")
    _touch(tmp_path / "away" / "part.tex", "Part.")
    found = collect([str(tmp_path / "away" / "main.tex")], tmp_path / "ws", tmp_path / "ws")
    assert [t.path.name for t in found.targets] == ["main.tex", "part.tex"]
    assert found.include_problems == []


def test_a_walked_folder_gives_chapters_the_language_of_their_book(tmp_path: Path) -> None:
    # The walk meets "a-chapters/" before "book/": the chapter is found before its book is.
    _touch(tmp_path / "a-chapters" / "one.tex", "Un.")
    _touch(tmp_path / "book" / "main.tex", "\\documentclass{book}\\usepackage[french]{babel}\\begin{document}"
           "\\include{../a-chapters/one}\\end{document}")
    _touch(tmp_path / "notes.tex", "Not part of the book.")
    found = collect(["."], tmp_path, tmp_path)
    assert [(t.path.name, t.document_language, t.included_from) for t in found.targets] == [
        ("notes.tex", None, None), ("one.tex", "fr", tmp_path / "book" / "main.tex"), ("main.tex", "fr", None),
    ]


def test_a_chapter_named_alone_finds_its_book_through_a_tex_root_line(tmp_path: Path) -> None:
    _touch(tmp_path / "main.tex", "\\documentclass{book}\\usepackage[ngerman]{babel}\\begin{document}"
           "\\include{ch/one}\\end{document}")
    _touch(tmp_path / "ch" / "one.tex", "% !TEX root = ../main.tex\nEins.")
    found = collect(["ch/one.tex"], tmp_path, tmp_path)
    assert [(t.path.name, t.document_language) for t in found.targets] == [("one.tex", "de")]
