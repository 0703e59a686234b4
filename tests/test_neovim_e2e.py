"""Neovim end to end: Debian's headless nvim runs neovim/lua/marginalia against the real server.

The diagnostic positions expected here are computed from the source text itself
(not copied from a previous run), so a shifted offset map or a UTF-16 slip fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from external_tools import require_tool

REPO = Path(__file__).resolve().parent.parent
INIT = REPO / "tests" / "neovim" / "e2e_init.lua"
MISSPELLED = {"sugest": "suggest", "aproach": "approach", "recieved": "received"}
NEVER_REPORTED = ("mispeling", "teh")  # in a comment and in verbatim


def position(text: str, word: str, followed_by: str = "") -> tuple[int, int, int]:
    """(line, start column, end column) of the only whole-word occurrence of ``word``
    (followed by ``followed_by``); ASCII text, so columns are UTF-16 units too."""
    hits = [
        (n, col)
        for n, line in enumerate(text.splitlines())
        for col in range(len(line))
        if line.startswith(word + followed_by, col)
        and (col == 0 or not line[col - 1].isalpha())
        and not line[col + len(word) : col + len(word) + 1].isalpha()
    ]
    assert len(hits) == 1, f"{word!r} should occur exactly once in the example, found {hits}"
    line, col = hits[0]
    return line, col, col + len(word)


@pytest.fixture(scope="module")
def nvim_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str, str]:
    nvim = require_tool("nvim")
    work = tmp_path_factory.mktemp("nvim")
    shutil.copy(REPO / "examples" / "paper.tex", work / "paper.tex")
    shutil.copy(REPO / "examples" / "references.bib", work / "references.bib")
    (work / ".marginalia.toml").write_text("", encoding="utf-8")  # the workspace root
    out, text_out = work / "result.json", work / "buffer.tex"
    env = {
        **os.environ,
        "MARGINALIA_RUNTIME": str(REPO / "neovim"),
        "MARGINALIA_PYTHON": sys.executable,
        "MARGINALIA_FILE": str(work / "paper.tex"),
        "MARGINALIA_OUT": str(out),
        "MARGINALIA_TEXT_OUT": str(text_out),
        "MARGINALIA_TIMEOUT_MS": "90000",
        "XDG_STATE_HOME": str(work / "state"),  # Neovim's LSP log goes here, not to $HOME
    }
    proc = subprocess.run(
        [nvim, "--headless", "--clean", "-u", str(INIT)],
        env=env, cwd=work, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
    )
    assert out.exists(), f"nvim wrote no result (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["ok"], f"the Neovim run failed: {result.get('error')}\n{proc.stderr}"
    original = (work / "paper.tex").read_text(encoding="utf-8")
    return result, original, text_out.read_text(encoding="utf-8")


def _spelling(diagnostics: list[dict[str, Any]]) -> set[tuple[int, int, int, int]]:
    return {(d["lnum"], d["col"], d["end_lnum"], d["end_col"]) for d in diagnostics if d["code"] == "spelling.misspelled"}


def test_filetype_is_tex(nvim_run: tuple[dict[str, Any], str, str]) -> None:
    result, _, _ = nvim_run
    assert result["filetype"] == "tex"


def test_misspellings_reported_at_exact_positions(nvim_run: tuple[dict[str, Any], str, str]) -> None:
    result, original, _ = nvim_run
    expected = {(line, a, line, b) for line, a, b in (position(original, w) for w in MISSPELLED)}
    assert _spelling(result["before"]) == expected


def test_a_an_reported_at_exact_position(nvim_run: tuple[dict[str, Any], str, str]) -> None:
    result, original, _ = nvim_run
    line, a, b = position(original, "an", followed_by=" model")
    found = {(d["lnum"], d["col"], d["end_col"]) for d in result["before"] if d["code"] == "grammar-rules.a-an"}
    assert found == {(line, a, b)}


def test_comment_and_verbatim_not_reported(nvim_run: tuple[dict[str, Any], str, str]) -> None:
    result, original, _ = nvim_run
    lines = original.splitlines()
    covered = {lines[d["lnum"]][d["col"] : d["end_col"]] for d in result["before"] if d["lnum"] == d["end_lnum"]}
    assert not covered & set(NEVER_REPORTED)


def test_quick_fix_applied_and_diagnostic_cleared(nvim_run: tuple[dict[str, Any], str, str]) -> None:
    result, original, fixed = nvim_run
    assert result["applied"] == "Replace with 'suggest'"
    assert fixed == original.replace("sugest", "suggest", 1)
    line, a, b = position(original, "sugest")
    assert (line, a, line, b) not in _spelling(result["after"])
    assert len(_spelling(result["after"])) == len(MISSPELLED) - 1


def _lua_value(nvim: str, lua: str, tmp_path: Path) -> Any:
    """What the Lua chunk ``lua`` returns, through JSON."""
    out = tmp_path / "value.json"
    script = (
        f"local ok, v = pcall(function() {lua} end) "
        f"vim.fn.writefile({{vim.fn.json_encode({{ok = ok, value = v}})}}, {json.dumps(str(out))})"
    )
    subprocess.run(
        [nvim, "--headless", "--clean", "-c", f"lua {script}", "-c", "qall!"],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL, check=False,
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["ok"], data["value"]
    return data["value"]


def test_lsp_config_file_matches_module_defaults(tmp_path: Path) -> None:
    """lsp/marginalia.lua (Neovim 0.11+) is loaded here, not run by a 0.11 client (Debian
    ships 0.7): it must parse and agree with the older module on what to start and where."""
    nvim = require_tool("nvim")
    config_file = json.dumps(str(REPO / "neovim" / "lsp" / "marginalia.lua"))
    config = _lua_value(nvim, f"return dofile({config_file})", tmp_path)
    rtp = json.dumps(str(REPO / "neovim"))
    defaults = _lua_value(nvim, f"vim.opt.runtimepath:prepend({rtp}) return require('marginalia').defaults", tmp_path)
    for key in ("cmd", "filetypes", "root_markers"):
        assert config[key] == defaults[key], key
    assert config["cmd"] == ["marginalia", "serve", "--stdio"]
    assert "marginalia" in config["settings"]


def test_find_root_prefers_marker_folder(tmp_path: Path) -> None:
    nvim = require_tool("nvim")
    (tmp_path / "book" / "chapters").mkdir(parents=True)
    (tmp_path / "book" / ".marginalia.toml").write_text("", encoding="utf-8")
    chapter = tmp_path / "book" / "chapters" / "one.tex"
    rtp = json.dumps(str(REPO / "neovim"))
    markers = '{".marginalia.toml", ".git"}'
    root = _lua_value(
        nvim, f"vim.opt.runtimepath:prepend({rtp}) return require('marginalia').find_root({json.dumps(str(chapter))}, {markers})",
        tmp_path,
    )
    assert Path(root) == tmp_path / "book"
