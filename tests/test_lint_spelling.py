"""lint with the real spelling plugin: same findings as Engine.check, exact positions, lazy suggestions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lsp_server import cli
from lsp_server.lint import EngineSpec, build_engine, run_lint
from lsp_server.output import render
from lsp_server.plugin import Severity

# Emoji, CJK and a CRLF before the misspelling.
SOURCE = "# Title 😀\r\n\r\nWe 中文 tested a new aproach today.\r\n"


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))  # no user dictionary
    root = tmp_path / "ws"
    root.mkdir()
    (root / ".marginalia.toml").write_text('language = "en-US"\n', encoding="utf-8")
    (root / "paper.md").write_bytes(SOURCE.encode())
    return root


def test_lint_equals_engine_check_with_the_spelling_plugin(ws: Path) -> None:
    spec = EngineSpec(ws, plugins=("spelling",))
    report = run_lint(["paper.md"], spec, cwd=ws, jobs=1)
    assert report.all_errors() == []
    engine = build_engine(spec)
    try:
        doc = engine.parse(SOURCE, "markdown", (ws / "paper.md").as_uri())
        expected = engine.check(doc).findings
    finally:
        engine.shutdown()
    got = [x for _, x in report.findings]
    assert [(x.start.offset, x.end.offset, x.rule, x.message) for x in got] == [
        (f.start, f.end, f.rule, f.message) for f in expected
    ]
    assert [x.text for x in got] == ["aproach"]


def test_spelling_finding_positions_and_suggestions_in_json(ws: Path) -> None:
    report = run_lint(["paper.md"], EngineSpec(ws, plugins=("spelling",)), cwd=ws, jobs=1)
    (finding,) = json.loads(render(report, "json", ws))["files"][0]["findings"]
    offset = SOURCE.index("aproach")
    assert finding["rule"] == "spelling.misspelled"
    assert finding["start"] == {"line": 3, "column": len("We 中文 tested a new ") + 1, "offset": offset}
    assert finding["end"]["offset"] == offset + len("aproach")
    assert finding["text"] == "aproach"
    # Spelling computes suggestions lazily (as edit actions); lint asks for them.
    assert finding["replacements"][0] == "approach"
    assert report.exit_code(Severity.WARNING) == 1


def test_a_chapter_is_spelled_in_the_language_of_its_book(ws: Path) -> None:
    (ws / ".marginalia.toml").write_text("", encoding="utf-8")  # language "auto": the document decides
    (ws / "book.tex").write_text("\\documentclass{book}\n\\input{preamble}\n\\begin{document}\n\\include{chapter}\n"
                                 "\\end{document}\n", encoding="utf-8")
    (ws / "preamble.tex").write_text("\\usepackage[british]{babel}\n", encoding="utf-8")
    (ws / "chapter.tex").write_text("The colour of the sea.\n", encoding="utf-8")
    spec = EngineSpec(ws, plugins=("spelling",), suggestions=False)
    as_book = run_lint(["book.tex"], spec, cwd=ws, jobs=1)
    assert [f.path.name for f in as_book.files] == ["book.tex", "preamble.tex", "chapter.tex"]
    assert [x.text for _, x in as_book.findings] == []
    alone = run_lint(["chapter.tex"], spec, cwd=ws, jobs=1)  # named alone, it still finds the book that includes it
    assert [x.text for _, x in alone.findings] == []
    (ws / "loose.tex").write_text("The colour of the sea.\n", encoding="utf-8")
    loose = run_lint(["loose.tex"], spec, cwd=ws, jobs=1)  # no book includes it: en-US, where "colour" is wrong
    assert [x.text for _, x in loose.findings] == ["colour"]


def test_language_option_overrides_the_workspace(ws: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (ws / "gb.md").write_text("The colour of the sea.\n", encoding="utf-8")
    monkeypatch.chdir(ws)
    assert cli.main(["lint", "--plugins", "spelling", "--no-suggestions", "gb.md"]) == 1  # the workspace says en-US
    assert "gb.md:1:5: warning spelling.misspelled 'colour'" in capsys.readouterr().out
    assert cli.main(["lint", "--plugins", "spelling", "--language", "en-GB", "gb.md"]) == 0
    assert capsys.readouterr().out == "No problems found in 1 file.\n"
