"""action.yml and .pre-commit-hooks.yaml: the shell the action runs, and the files the hook takes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent


def _action() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    return data


def _lint_step() -> dict[str, Any]:
    return next(s for s in _action()["runs"]["steps"] if s.get("id") == "lint")


def test_inputs_reach_the_script_only_through_the_environment() -> None:
    """``${{ inputs.x }}`` pasted into a run script is a shell-injection hole."""
    for step in _action()["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step.get("name")
    declared = set(_action()["inputs"])
    used = {m for step in _action()["runs"]["steps"] for m in re.findall(r"inputs\.([\w-]+)", json.dumps(step))}
    assert used <= declared
    assert {"paths", "fail-level", "sarif", "html"} <= used


@pytest.fixture
def action_env(tmp_path: Path) -> dict[str, str]:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    if shutil.which("marginalia", path=env["PATH"]) is None:
        pytest.fail("the marginalia command is not installed beside this Python")
    return env


def _run_step(tmp_path: Path, env: dict[str, str], inputs: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], str]:
    step = _lint_step()
    output = tmp_path / "github_output"
    output.write_text("", encoding="utf-8")
    step_env = {**env, "GITHUB_OUTPUT": str(output)}
    for name, value in step["env"].items():
        match = re.fullmatch(r"\$\{\{ inputs\.([\w-]+) \}\}", value)
        assert match, value
        key = match.group(1)
        step_env[name] = inputs.get(key, str(_action()["inputs"][key].get("default", "")))
    proc = subprocess.run(["bash", "-c", step["run"]], cwd=tmp_path, env=step_env, capture_output=True, text=True, timeout=600)
    return proc, output.read_text(encoding="utf-8")


def test_lint_step_annotates_writes_reports_and_fails(tmp_path: Path, action_env: dict[str, str]) -> None:
    (tmp_path / "notes.md").write_text("# Notes\n\nA sentence with a mispelled word.\n", encoding="utf-8")
    proc, output = _run_step(
        tmp_path, action_env, {"paths": "notes.md", "args": "--plugins spelling", "sarif": "out.sarif", "html": "out.html"}
    )
    assert proc.returncode == 1, proc.stderr
    assert "exit-code=1" in output
    assert re.search(r"^::warning file=notes\.md,line=3,", proc.stdout, re.M), proc.stdout
    sarif = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["results"][0]["ruleId"] == "spelling.misspelled"
    assert "mispelled" in (tmp_path / "out.html").read_text(encoding="utf-8")


def test_lint_step_passes_a_clean_file(tmp_path: Path, action_env: dict[str, str]) -> None:
    (tmp_path / "clean.md").write_text("# Notes\n\nA short and correct sentence.\n", encoding="utf-8")
    proc, output = _run_step(tmp_path, action_env, {"paths": "clean.md", "args": "--plugins spelling"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "exit-code=0" in output
    assert not (tmp_path / "out.sarif").exists()


def test_pre_commit_hook_takes_prose_files_only() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "marginalia")
    assert hook["entry"].split()[:2] == ["marginalia", "lint"]
    pattern = re.compile(hook["files"])
    for name in ("paper.tex", "chapters/one.md", "report.qmd", "analysis.Rmd", "x.rmd", "a.markdown"):
        assert pattern.search(name), name
    for name in ("setup.py", "refs.bib", "notes.txt", "tex/README"):
        assert not pattern.search(name), name
