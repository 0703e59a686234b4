"""``marginalia`` as a real process: exit codes, formats, options, pass-through commands, startup cost.

The demo plugin is registered through an entry point in a throw-away
distribution on PYTHONPATH, the way any installed plugin is found, and
``--plugins demo`` keeps the (concurrently developed) built-in plugins out.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from lint_demo_plugin import install_demo_distribution

from lsp_server import cli, lint
from lsp_server.cli import parse_config_item
from lsp_server.documents.model import ProseDocument


@pytest.fixture(scope="module")
def demo_pythonpath(tmp_path_factory: pytest.TempPathFactory) -> str:
    return install_demo_distribution(tmp_path_factory.mktemp("demo-site"))


@pytest.fixture
def env(demo_pythonpath: str, tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([demo_pythonpath, *filter(None, [env.get("PYTHONPATH")])])
    env["XDG_CONFIG_HOME"] = str(tmp_path / "xdg")  # never read the user's own dictionary
    env.pop("NO_COLOR", None)
    return env


def marginalia(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lsp_server.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    (root / ".marginalia.toml").write_text("", encoding="utf-8")
    return root


def test_exit_codes_0_1_2(ws: Path, env: dict[str, str]) -> None:
    (ws / "clean.txt").write_text("All good here.", encoding="utf-8")
    (ws / "typo.txt").write_text("Fix teh typo.", encoding="utf-8")
    (ws / "latin1.txt").write_bytes("Caf\xe9 teh".encode("latin-1"))
    (ws / "blob.txt").write_bytes(b"\x00\x01teh")

    ok = marginalia(["lint", "--plugins", "demo", "clean.txt"], ws, env)
    assert (ok.returncode, ok.stdout) == (0, "No problems found in 1 file.\n"), ok.stderr

    found = marginalia(["lint", "--plugins", "demo", "clean.txt", "typo.txt"], ws, env)
    assert found.returncode == 1, found.stderr
    assert found.stdout.splitlines()[0] == "typo.txt:1:5: warning demo.teh 'teh' is a typo [the]"
    assert marginalia(["lint", "--plugins", "demo", "--fail-level", "error", "typo.txt"], ws, env).returncode == 0

    broken = marginalia(["lint", "--plugins", "demo", "--format", "json", "."], ws, env)
    assert broken.returncode == 2
    report = json.loads(broken.stdout)
    # The other files are still checked; each bad one gets one clear message on stderr.
    assert [f["path"] for f in report["files"] if f["findings"]] == ["typo.txt"]
    assert "marginalia: error: latin1.txt: is not valid UTF-8 (byte 0xe9 at byte offset 3)" in broken.stderr
    assert "marginalia: error: blob.txt: looks binary (it contains NUL bytes)" in broken.stderr
    assert "Traceback" not in broken.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["lint"],  # no path
        ["lint", "--format", "xml", "a.txt"],
        ["lint", "--jobs", "0", "a.txt"],
        ["lint", "--fail-level", "hint", "a.txt"],
        ["frobnicate"],
        [],
    ],
)
def test_usage_errors_exit_2(args: list[str], ws: Path, env: dict[str, str]) -> None:
    result = marginalia(args, ws, env)
    assert result.returncode == 2
    assert "usage: marginalia" in result.stderr


def test_bad_option_values_exit_2_with_a_message(ws: Path, env: dict[str, str]) -> None:
    (ws / "a.txt").write_text("teh", encoding="utf-8")
    (ws / "bad.json").write_text("{not json", encoding="utf-8")
    settings = marginalia(["lint", "--settings", "bad.json", "a.txt"], ws, env)
    assert settings.returncode == 2 and "--settings bad.json: cannot be read" in settings.stderr
    config = marginalia(["lint", "--config", "novalue", "a.txt"], ws, env)
    assert config.returncode == 2 and "--config wants KEY=VALUE" in config.stderr
    missing = marginalia(["lint", "--plugins", "demo", "nope.txt"], ws, env)
    assert missing.returncode == 2 and "nope.txt: no such file or folder" in missing.stderr
    tcp = marginalia(["serve", "--tcp", "localhost"], ws, env)
    assert tcp.returncode == 2 and "--tcp wants HOST:PORT" in tcp.stderr


def test_output_file_settings_file_and_config_overrides(ws: Path, env: dict[str, str]) -> None:
    (ws / "a.txt").write_text("teh maybe FIXME colour", encoding="utf-8")
    (ws / "editor.json").write_text(json.dumps({"marginalia": {"disabled_rules": ["demo.fixme"]}}), encoding="utf-8")
    result = marginalia(
        ["lint", "--plugins", "demo", "--settings", "editor.json", "--config", 'diagnostics.severity={"demo.teh" = "error"}',
         "--disable", "demo.colour", "--format", "json", "--output", "out/report.json", "a.txt"],
        ws, env,
    )
    assert result.stdout == ""
    assert result.returncode == 2, result.stderr  # the output folder does not exist
    assert "--output out/report.json: cannot be written" in result.stderr
    (ws / "out").mkdir()
    result = marginalia(
        ["lint", "--plugins", "demo", "--settings", "editor.json", "--config", 'diagnostics.severity={"demo.teh" = "error"}',
         "--disable", "demo.colour", "--format", "json", "--output", "out/report.json", "a.txt"],
        ws, env,
    )
    assert result.returncode == 1, result.stderr
    findings = json.loads((ws / "out" / "report.json").read_text(encoding="utf-8"))["files"][0]["findings"]
    assert [(f["rule"], f["severity"]) for f in findings] == [("demo.teh", "error"), ("demo.maybe", "hint")]


def test_github_and_sarif_formats_from_the_command_line(ws: Path, env: dict[str, str]) -> None:
    (ws / "a, b.txt").write_text("teh", encoding="utf-8")
    gh = marginalia(["lint", "--plugins", "demo", "--format", "github", "a, b.txt"], ws, env)
    assert gh.stdout == ("::warning file=a%2C b.txt,line=1,col=1,endLine=1,endColumn=4,title=demo.teh::"
                         "'teh' is a typo (suggestion: the)\n")
    sarif = marginalia(["lint", "--plugins", "demo", "--format", "sarif", "a, b.txt"], ws, env)
    log = json.loads(sarif.stdout)
    assert log["version"] == "2.1.0"
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a%2C%20b.txt"


def test_jobs_2_prints_the_same_as_jobs_1(ws: Path, env: dict[str, str]) -> None:
    for i in range(5):
        (ws / f"c{i}.txt").write_text(f"Part {i} teh.\r\n\r\n😀 colour {'FIXME ' * i}", encoding="utf-8")
    one = marginalia(["lint", "--plugins", "demo", "--format", "json", "--jobs", "1", "."], ws, env)
    two = marginalia(["lint", "--plugins", "demo", "--format", "json", "--jobs", "2", "."], ws, env)
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    assert json.loads(one.stdout)["summary"]["findings"] == 5 * 2 + sum(range(5))


def test_includes_are_followed_from_a_latex_root(ws: Path, env: dict[str, str]) -> None:
    (ws / "main.tex").write_text("\\documentclass{article}\n\\begin{document}\n\\input{ch/one}\n\\input{gone}\n"
                                 "\\end{document}\n", encoding="utf-8")
    (ws / "ch").mkdir()
    (ws / "ch" / "one.tex").write_text("Chapter one.\n", encoding="utf-8")
    result = marginalia(["lint", "--plugins", "demo", "--format", "json", "main.tex"], ws, env)
    assert [f["path"] for f in json.loads(result.stdout)["files"]] == ["main.tex", "ch/one.tex"]
    # A missing include is worth a note, not a failed run.
    assert "marginalia: main.tex:4: \\input{gone}: file not found" in result.stderr
    assert result.returncode == 0


def test_version_and_help(ws: Path, env: dict[str, str]) -> None:
    version = marginalia(["--version"], ws, env)
    assert version.returncode == 0 and version.stdout.startswith("marginalia ")
    lint_help = marginalia(["lint", "--help"], ws, env)
    assert lint_help.returncode == 0
    assert "2  a usage error, or a file or plugin that could not be checked" in lint_help.stdout


def test_help_does_not_import_heavy_modules(ws: Path, env: dict[str, str]) -> None:
    probe = (
        "import sys, contextlib, io\n"
        "from lsp_server import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    cli.main(['--help'])\n"
        "heavy = [m for m in ('torch', 'transformers', 'lsp_server.engine', 'pygls') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ws, env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


def test_pass_through_commands_forward_their_arguments_or_explain(ws: Path, env: dict[str, str]) -> None:
    (ws / "fake-site" / "marginalia_citations").mkdir(parents=True)
    (ws / "fake-site" / "marginalia_citations" / "__init__.py").write_text("", encoding="utf-8")
    (ws / "fake-site" / "marginalia_citations" / "cli.py").write_text(
        "def main(argv):\n    print('cite got', argv)\n    return 3\n", encoding="utf-8"
    )
    fake_env = dict(env, PYTHONPATH=os.pathsep.join([str(ws / "fake-site"), env["PYTHONPATH"]]))
    cite = marginalia(["cite", "--help", "x"], ws, fake_env)
    assert (cite.returncode, cite.stdout) == (3, "cite got ['--help', 'x']\n")
    # marginalia_grammar exists but has no cli module (yet): a clear message, exit 2.
    probe = (
        "import sys\nsys.modules['marginalia_grammar.cli'] = None\n"
        "from lsp_server import cli\nsys.exit(cli.main(['languagetool', 'status']))\n"
    )
    lt = subprocess.run([sys.executable, "-c", probe], cwd=ws, env=env, capture_output=True, text=True, timeout=60)
    assert lt.returncode == 2
    assert "`marginalia languagetool` is provided by the grammar plugin (marginalia_grammar)" in lt.stderr


def test_stats_without_the_style_plugin_says_so(ws: Path, env: dict[str, str]) -> None:
    (ws / "a.txt").write_text("Clean.", encoding="utf-8")
    probe = (
        "import sys\nsys.modules['marginalia_style.stats'] = None\n"
        "from lsp_server import cli\nsys.exit(cli.main(['lint', '--plugins', 'demo', '--stats', 'a.txt']))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ws, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "--stats needs the style plugin" in result.stderr


def test_config_items_are_read_as_toml_or_strings() -> None:
    assert parse_config_item("language=de-DE") == {"language": "de-DE"}
    assert parse_config_item("spelling.max_suggestions=3") == {"spelling": {"max_suggestions": 3}}
    assert parse_config_item('disabled_rules=["a", "b"]') == {"disabled_rules": ["a", "b"]}
    with pytest.raises(ValueError, match="KEY=VALUE"):
        parse_config_item("=x")


def test_stats_hands_the_parsed_documents_to_the_style_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[ProseDocument] = []
    seen_counts: list[dict[str, int]] = []

    def render(docs: list[ProseDocument], counts: list[dict[str, int]], fmt: str) -> str:
        assert fmt == "text"
        seen.extend(docs)
        seen_counts.extend(counts)
        return f"stats for {len(docs)} documents\n"

    fake = types.ModuleType("marginalia_style.stats")
    fake.render = render  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "marginalia_style.stats", fake)
    monkeypatch.setattr(importlib.import_module("marginalia_style"), "stats", fake, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text("# Title\n\nSome prose here here.\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff")
    code = cli.main(["lint", "--plugins", "grammar-rules", "--stats", "a.md", "bad.txt"])
    out = capsys.readouterr().out
    assert code == 2  # bad.txt
    assert out.endswith("stats for 1 documents\n")
    assert [d.language_id for d in seen] == ["markdown"]
    assert "Some prose here here." in seen[0].prose
    assert seen_counts == [{"grammar-rules.doubled-word": 1}]


@pytest.mark.parametrize("command", ["cite", "models", "languagetool"])
def test_pass_through_commands_reach_their_modules(command: str, ws: Path, env: dict[str, str]) -> None:
    result = marginalia([command, "--help"], ws, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: marginalia {command}")


def _lsp_message(payload: dict[str, object]) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_serve_speaks_lsp_over_stdio(ws: Path, env: dict[str, str]) -> None:
    requests: list[dict[str, object]] = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"processId": None, "rootUri": ws.as_uri(), "capabilities": {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    result = subprocess.run(
        [sys.executable, "-m", "lsp_server.cli", "serve", "--stdio"], cwd=ws, env=env, capture_output=True, timeout=120,
        input=b"".join(_lsp_message(r) for r in requests),
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    responses = {m["id"]: m for m in _read_lsp_messages(result.stdout) if "id" in m}
    assert "textDocumentSync" in responses[1]["result"]["capabilities"]
    assert responses[2]["result"] is None


def _read_lsp_messages(data: bytes) -> list[dict[str, Any]]:
    messages = []
    while data:
        header, _, rest = data.partition(b"\r\n\r\n")
        length = next(int(line.split(b":")[1]) for line in header.split(b"\r\n") if line.lower().startswith(b"content-length"))
        messages.append(json.loads(rest[:length]))
        data = rest[length:]
    return messages


def test_an_internal_error_exits_2_not_1(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(lint, "run_lint", explode)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["lint", "x.txt"]) == 2
    err = capsys.readouterr().err
    assert "RuntimeError: bug" in err and "marginalia: internal error" in err
