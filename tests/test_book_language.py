"""A chapter opened alone gets its book's language, in the editor as in lint."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def test_after_the_ttl_an_unchanged_book_is_not_read_again_but_a_changed_preamble_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lsp_server.documents import book_language as bl

    preamble = _write(tmp_path / "preamble.tex", "\\usepackage[french]{babel}\n")
    _write(tmp_path / "main.tex", "\\documentclass{book}\n\\input{preamble}\n\\begin{document}\n\\include{ch/one}\n\\end{document}\n")
    chapter = _write(tmp_path / "ch" / "one.tex", "Texte.\n")
    clock = [1000.0]
    monkeypatch.setattr(bl.time, "monotonic", lambda: clock[0])
    reads: list[Path] = []
    real_read = bl._read
    monkeypatch.setattr(bl, "_read", lambda p: reads.append(p) or real_read(p))
    monkeypatch.setattr(bl, "_cache", {})
    assert bl.book_language(chapter, tmp_path) == "fr"
    assert reads, "the first lookup reads the root"
    reads.clear()
    clock[0] += bl._TTL + 1  # past the TTL: files are stat'ed, not read
    assert bl.book_language(chapter, tmp_path) == "fr"
    assert reads == []
    preamble.write_text("\\usepackage[ngerman]{babel}\n% a longer line, so the size changes too\n", encoding="utf-8")
    clock[0] += 1  # within the TTL the cached answer stands
    assert bl.book_language(chapter, tmp_path) == "fr"
    clock[0] += bl._TTL + 1
    assert bl.book_language(chapter, tmp_path) == "de"
    assert reads, "a changed preamble is read again"
