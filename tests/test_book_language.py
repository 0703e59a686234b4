"""A chapter opened alone gets its book's language, in the editor as in lint."""

from __future__ import annotations

from pathlib import Path

from lsp_server.engine import Engine
from lsp_server.plugin import LoadedPlugins


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _language(ws: Path, chapter: Path) -> str | None:
    engine = Engine(ws, loaded=LoadedPlugins({}, {}))
    return engine.parse(chapter.read_text(encoding="utf-8"), "latex", chapter.as_uri()).declared_language


def test_chapter_included_by_a_root_above_it(tmp_path: Path) -> None:
    _write(tmp_path / "src" / "preamble.tex", "\\usepackage{polyglossia}\n\\setdefaultlanguage{french}\n")
    _write(
        tmp_path / "src" / "master.tex",
        "\\documentclass{book}\n\\input{preamble}\n\\begin{document}\n\\include{Main/Intro/intro}\n\\end{document}\n",
    )
    chapter = _write(tmp_path / "src" / "Main" / "Intro" / "intro.tex", "\\chapter{Intro}\nTexte en français.\n")
    assert _language(tmp_path, chapter) == "fr"


def test_magic_root_line_wins(tmp_path: Path) -> None:
    _write(tmp_path / "book.tex", "\\documentclass{book}\n\\usepackage[ngerman]{babel}\n\\begin{document}\n\\end{document}\n")
    chapter = _write(tmp_path / "ch" / "a.tex", "% !TEX root = ../book.tex\nText.\n")
    assert _language(tmp_path, chapter) == "de"


def test_a_file_no_root_includes_keeps_no_language(tmp_path: Path) -> None:
    _write(tmp_path / "main.tex", "\\documentclass{article}\n\\usepackage[french]{babel}\n\\begin{document}\n\\end{document}\n")
    loose = _write(tmp_path / "notes.tex", "Some notes.\n")
    assert _language(tmp_path, loose) is None


def test_the_corpus_thesis_chapter_is_french(corpus_dir: Path) -> None:
    ws = corpus_dir / "fr-thesis-qeole"
    assert _language(ws, ws / "src" / "Main" / "Intro" / "intro.tex") == "fr"
