"""``marginalia doctor``: one line per piece, advice for what is missing, exit 1 only for a blocked built-in."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from lint_demo_plugin import DemoPlugin

from lsp_server import doctor
from lsp_server.plugin import LoadedPlugins, Plugin


class _NotReady(Plugin):
    name = "grammar"

    def status(self) -> tuple[bool, str]:
        return False, "LanguageTool is not installed"


def _run(loaded: LoadedPlugins, cwd: Path, monkeypatch: pytest.MonkeyPatch, builtin: set[str]) -> tuple[int, str]:
    monkeypatch.setattr(doctor, "builtin_plugin_names", lambda: builtin)
    out = io.StringIO()
    code = doctor.run_doctor(cwd, out, lambda: loaded, import_torch=False)
    return code, out.getvalue()


def test_healthy_plugins_exit_0_and_report_status(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = LoadedPlugins({"demo": DemoPlugin(), "grammar": _NotReady()}, {"thirdparty": "ImportError: no module x"})
    code, text = _run(loaded, tmp_path, monkeypatch, builtin={"grammar"})
    assert code == 0
    assert "  [ok] demo: ready" in text
    assert "  [--] LanguageTool: LanguageTool is not installed" in text
    assert "  [!!] thirdparty: cannot be loaded: ImportError: no module x" in text
    assert "Python: " in text and "Java" in text and "torch" in text


def test_a_blocked_builtin_plugin_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = LoadedPlugins({}, {"spelling": "AttributeError: no SpellingPlugin"})
    code, text = _run(loaded, tmp_path, monkeypatch, builtin={"spelling"})
    assert code == 1
    assert "[!!] spelling: cannot be loaded: AttributeError: no SpellingPlugin" in text
    assert "-> reinstall marginalia" in text


def test_settings_problems_of_the_workspace_are_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".marginalia.toml").write_text('plugin_time_limit = "soon"\nunknown_thing = 1\n', encoding="utf-8")
    code, text = _run(LoadedPlugins({"demo": DemoPlugin()}, {}), tmp_path, monkeypatch, builtin=set())
    assert code == 0
    assert f"[!!] workspace: {tmp_path}" in text
    assert "marginalia.plugin_time_limit: expected float" in text
    assert "marginalia.unknown_thing: unknown setting" in text


def test_a_plugin_whose_status_raises_is_reported_not_fatal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken(Plugin):
        def status(self) -> tuple[bool, str]:
            raise OSError("disk on fire")

    code, text = _run(LoadedPlugins({"broken": Broken()}, {}), tmp_path, monkeypatch, builtin=set())
    assert code == 0
    assert "[--] broken: status() failed: OSError: disk on fire" in text


@pytest.mark.parametrize(
    ("output", "major"),
    [
        ('openjdk version "17.0.2" 2022-01-18', 17),
        ('java version "1.8.0_292"', 8),
        ('openjdk version "21" 2023-09-19', 21),
        ("garbage", None),
    ],
)
def test_java_version_parsing(output: str, major: int | None) -> None:
    assert doctor.java_version(output) == major


def test_missing_java_gives_advice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None)
    out = io.StringIO()
    doctor.check_java(doctor.Report(out))
    assert "[--] Java: not found" in out.getvalue()
    assert "openjdk-17" in out.getvalue()


def test_doctor_runs_as_a_command(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "lsp_server.cli", "doctor"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=180)
    # Every built-in plugin loads in a complete install (CI's): a blocked one is a bug.
    assert result.returncode == 0, result.stdout
    assert "cannot be loaded" not in result.stdout
    for heading in ("System", "Grammar (LanguageTool)", "Model stack", "Plugins", "Settings"):
        assert f"\n{heading}" in result.stdout
    assert "Traceback" not in result.stderr
