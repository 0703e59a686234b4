"""`marginalia languagetool …`: install only on request, clear failures, status, start/stop."""

from __future__ import annotations

import socket
import stat
import sys
from pathlib import Path

import pytest
from marginalia_grammar.cli import main
from marginalia_grammar.local_server import answers

FAKE_SERVER = Path(__file__).parent / "fakes" / "languagetool_server.py"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_install_without_network_fails_clearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import language_tool_python.download_lt as dl

    monkeypatch.setattr(dl, "BASE_URL_NEW_RELEASES", f"http://127.0.0.1:{_closed_port()}/{{version}}/")
    monkeypatch.delenv("LTP_PATH", raising=False)
    code = main(["install", "--path", str(tmp_path / "lt")])
    err = capsys.readouterr().err
    assert code == 1
    assert "could not download LanguageTool" in err and "grammar.url" in err and str(tmp_path / "lt") in err
    assert not list((tmp_path / "lt").glob("LanguageTool*"))


def test_status_reports_a_missing_install(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    code = main(["status", "--path", str(tmp_path / "none"), "--java", str(tmp_path / "nojava")])
    out = capsys.readouterr().out
    assert code == 1
    assert "Java not found" in out and "not installed" in out and "marginalia languagetool install" in out


def test_start_and_stop_a_shared_server(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    install = tmp_path / "lt" / "LanguageTool-6.8"
    install.mkdir(parents=True)
    (install / "languagetool-server.jar").write_bytes(b"")
    java = tmp_path / "java"
    java.write_text(
        "#!/bin/sh\n"
        "if [ \"$1\" = \"-version\" ]; then echo 'openjdk version \"21.0.1\"' >&2; exit 0; fi\n"
        f'exec "{sys.executable}" "{FAKE_SERVER}" "$@"\n'
    )
    java.chmod(java.stat().st_mode | stat.S_IEXEC)
    assert main(["start", "--path", str(tmp_path / "lt"), "--java", str(java), "--timeout", "20"]) == 0
    url = capsys.readouterr().out.split(" running at ")[1].split()[0]
    try:
        assert answers(url)
        assert main(["status", "--path", str(tmp_path / "lt"), "--java", str(java)]) == 0
        assert f"running at {url}" in capsys.readouterr().out
    finally:
        assert main(["stop"]) == 0
    assert "stopped LanguageTool" in capsys.readouterr().out
    assert main(["stop"]) == 0
    assert "no LanguageTool server" in capsys.readouterr().out
