"""Local mode: pre-flight, start-up under a deadline, one shared server, stopped at shutdown.

A fake ``java`` (a shell script) stands in for Java: it answers ``-version``
and, as the server, either runs the fake LanguageTool on the requested port,
never answers, or exits with an error, so every path runs without a JDK.
"""

from __future__ import annotations

import os
import stat
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import psutil
import pytest
from marginalia_grammar import LanguageToolPlugin
from marginalia_grammar.errors import LanguageToolUnavailable
from marginalia_grammar.local_server import stop_all
from marginalia_grammar.preflight import find_install, java_version
from marginalia_grammar.settings import LanguageToolSettings

from lsp_server.documents import parse_document
from lsp_server.plugin import CheckContext

FAKE_SERVER = Path(__file__).parent / "fakes" / "languagetool_server.py"
DOC = parse_document("We could of known.", "plaintext")


def _java(tmp: Path, behaviour: str, version: str = '17.0.15" 2025-04-15') -> Path:
    """``behaviour``: serve | hang | crash."""
    server = {
        "serve": f'exec "{sys.executable}" "{FAKE_SERVER}" "$@"',
        "hang": "exec sleep 600",
        "crash": 'echo "Error: Could not find or load main class org.languagetool.server.HTTPServer" >&2; exit 1',
    }[behaviour]
    script = tmp / "java"
    script.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "-version" ]; then echo \'openjdk version "{version}\' >&2; exit 0; fi\n'
        f'echo started >> "{tmp / "starts.log"}"\n'
        f"{server}\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def _install(tmp: Path) -> Path:
    d = tmp / "lt" / "LanguageTool-6.8"
    d.mkdir(parents=True)
    (d / "languagetool-server.jar").write_bytes(b"")
    return tmp / "lt"


@pytest.fixture(autouse=True)
def _stop_servers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # no server left by `languagetool start`
    yield
    stop_all()


def _ctx(settings: LanguageToolSettings, limit: float = 10.0) -> CheckContext:
    core = SimpleNamespace(plugin_time_limit=limit, disabled_plugins=["grammar-rules"], disabled_rules=[])

    return CheckContext(settings=settings, core=core)


def test_missing_java_is_one_clear_message(tmp_path: Path) -> None:
    with pytest.raises(LanguageToolUnavailable, match="Java not found"):
        java_version(str(tmp_path / "no" / "java"))
    plugin = LanguageToolPlugin()
    settings = LanguageToolSettings(mode="local", java_path=str(tmp_path / "no" / "java"), install_path=str(_install(tmp_path)))
    t0 = time.monotonic()
    with pytest.raises(LanguageToolUnavailable, match="Java not found"):
        list(plugin.check_chunk(DOC.chunks[0], _ctx(settings)))
    assert time.monotonic() - t0 < 5
    ready, message = plugin.status()
    assert not ready and "Java not found" in message and "grammar.java_path" in message


def test_old_java_is_refused(tmp_path: Path) -> None:
    java = _java(tmp_path, "serve", version='1.8.0_292"')
    with pytest.raises(LanguageToolUnavailable, match=r"Java 8 .* too old"):
        java_version(str(java))


def test_missing_install_says_how_to_install(tmp_path: Path) -> None:
    assert find_install(str(tmp_path / "empty")) is None
    plugin = LanguageToolPlugin()
    settings = LanguageToolSettings(mode="local", java_path=str(_java(tmp_path, "serve")), install_path=str(tmp_path / "empty"))
    with pytest.raises(LanguageToolUnavailable, match="marginalia languagetool install"):
        list(plugin.check_chunk(DOC.chunks[0], _ctx(settings)))
    assert not (tmp_path / "starts.log").exists()  # nothing was started, nothing downloaded


def test_server_that_never_answers_hits_the_startup_deadline(tmp_path: Path) -> None:
    plugin = LanguageToolPlugin()
    settings = LanguageToolSettings(mode="local", java_path=str(_java(tmp_path, "hang")), install_path=str(_install(tmp_path)), startup_timeout=1.5)
    t0 = time.monotonic()
    with pytest.raises(LanguageToolUnavailable, match=r"did not start within 1.5s"):
        list(plugin.check_chunk(DOC.chunks[0], _ctx(settings)))
    assert time.monotonic() - t0 < 5
    # The hung process was killed, and later checks fail at once instead of starting it again.
    t1 = time.monotonic()
    with pytest.raises(LanguageToolUnavailable):
        list(plugin.check_chunk(DOC.chunks[0], _ctx(settings)))
    assert time.monotonic() - t1 < 0.5
    assert (tmp_path / "starts.log").read_text().count("started") == 1
    assert not plugin.status()[0]


def test_start_that_takes_longer_than_a_check_reports_starting(tmp_path: Path) -> None:
    plugin = LanguageToolPlugin()
    settings = LanguageToolSettings(mode="local", java_path=str(_java(tmp_path, "hang")), install_path=str(_install(tmp_path)), startup_timeout=30)
    t0 = time.monotonic()
    with pytest.raises(RuntimeError, match="still starting"):
        list(plugin.check_chunk(DOC.chunks[0], _ctx(settings, limit=1.0)))
    assert time.monotonic() - t0 < 2
    ready, message = plugin.status()
    assert ready and "starts" in message


def test_server_that_crashes_reports_its_error(tmp_path: Path) -> None:
    plugin = LanguageToolPlugin()
    settings = LanguageToolSettings(mode="local", java_path=str(_java(tmp_path, "crash")), install_path=str(_install(tmp_path)))
    with pytest.raises(LanguageToolUnavailable, match="exited at start-up with code 1: Error: Could not find"):
        list(plugin.check_chunk(DOC.chunks[0], _ctx(settings)))


def test_local_server_is_started_once_shared_and_stopped(tmp_path: Path) -> None:
    java = _java(tmp_path, "serve")
    settings = LanguageToolSettings(mode="local", java_path=str(java), install_path=str(_install(tmp_path)))
    first, second = LanguageToolPlugin(), LanguageToolPlugin()
    ready_calls: list[int] = []
    first.on_ready(lambda: ready_calls.append(1))
    found = list(first.check_chunk(DOC.chunks[0], _ctx(settings)))
    assert [f.rule for f in found] == ["grammar.COULD_OF"]
    other = parse_document("They could of known.", "plaintext")
    assert [f.rule for f in second.check_chunk(other.chunks[0], _ctx(settings))] == ["grammar.COULD_OF"]
    assert (tmp_path / "starts.log").read_text().count("started") == 1
    assert ready_calls == [1]  # the host is told once, when the server came up
    ready, message = first.status()
    assert ready and "127.0.0.1" in message
    url = message.rsplit(" ", 1)[1]
    first.shutdown()
    from marginalia_grammar.local_server import answers

    deadline = time.monotonic() + 5
    while answers(url, 0.2) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not answers(url, 0.2)


def test_auto_mode_uses_a_found_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LTP_PATH", str(_install(tmp_path)))
    settings = LanguageToolSettings(java_path=str(_java(tmp_path, "serve")))
    assert settings.mode == "auto"
    found = list(LanguageToolPlugin().check_chunk(DOC.chunks[0], _ctx(settings)))
    assert [f.rule for f in found] == ["grammar.COULD_OF"]
    assert os.environ["LTP_PATH"].endswith("lt")


def test_a_local_server_that_died_is_started_again(tmp_path: Path) -> None:
    import signal

    from marginalia_grammar.local_server import shared_server

    settings = LanguageToolSettings(mode="local", java_path=str(_java(tmp_path, "serve")), install_path=str(_install(tmp_path)))
    plugin = LanguageToolPlugin()
    assert [f.rule for f in plugin.check_chunk(DOC.chunks[0], _ctx(settings))] == ["grammar.COULD_OF"]
    server = shared_server(settings.java_path, settings.install_path, settings.startup_timeout)
    proc = server._proc
    assert proc is not None
    java = _server_process(proc.pid)
    os.kill(java.pid, signal.SIGKILL)
    proc.wait(5)  # the wrapper exits with the server
    other = parse_document("They could of known.", "plaintext")
    assert [f.rule for f in plugin.check_chunk(other.chunks[0], _ctx(settings))] == ["grammar.COULD_OF"]
    assert (tmp_path / "starts.log").read_text().count("started") == 2


def _server_process(wrapper_pid: int) -> psutil.Process:
    """The fake LanguageTool under the wrapper that ties it to its parent."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        found = [p for p in psutil.Process(wrapper_pid).children(recursive=True) if str(FAKE_SERVER) in " ".join(p.cmdline())]
        if found:
            return found[0]
        time.sleep(0.05)
    raise AssertionError("no server process under the wrapper")


CHILD = """
import sys, time
from marginalia_grammar.local_server import LocalServer
server = LocalServer(sys.argv[1], sys.argv[2], 20)
print(server.wait(20), server._proc.pid, flush=True)
time.sleep(600)
"""


@pytest.mark.skipif(os.name != "posix", reason="the wrapper that ties the server to its parent is POSIX-only")
def test_the_server_dies_with_a_killed_parent(tmp_path: Path) -> None:
    """An editor that SIGKILLs its language server must not leave LanguageTool running."""
    import signal
    import subprocess

    from marginalia_grammar.local_server import answers

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    parent = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(_java(tmp_path, "serve")), str(_install(tmp_path))],
        stdout=subprocess.PIPE, text=True, env=env,
    )
    try:
        assert parent.stdout is not None
        url, wrapper = parent.stdout.readline().split()
        server = _server_process(int(wrapper))
        assert answers(url, 1.0)
        parent.send_signal(signal.SIGKILL)
        parent.wait(5)
        server.wait(timeout=5)  # raises psutil.TimeoutExpired if it outlives its parent
        assert not answers(url, 0.5)
    finally:
        parent.kill()
        parent.wait(5)


def test_lint_workers_share_one_local_server(tmp_path: Path) -> None:
    """`lint --jobs N` starts LanguageTool once, in the parent, not once per worker process."""
    from lsp_server.lint import EngineSpec, run_lint

    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(4):
        (docs / f"part{i}.md").write_text(f"Part {i}: we could of known.\n", encoding="utf-8")
    settings = {"grammar": {"mode": "local", "java_path": str(_java(tmp_path, "serve")), "install_path": str(_install(tmp_path))}}
    spec = EngineSpec(docs, settings, plugins=("grammar",), suggestions=False)
    report = run_lint([str(docs)], spec, cwd=docs, jobs=2)
    assert report.all_errors() == []
    assert len(report.files) == 4
    assert all([f.rule for f in file.findings] == ["grammar.COULD_OF"] for file in report.files), report.files
    assert (tmp_path / "starts.log").read_text().count("started") == 1


def test_a_loopback_url_bypasses_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """A team proxy in the environment must not swallow requests to this machine's LanguageTool."""
    from marginalia_grammar.client import LanguageToolClient

    monkeypatch.setenv("http_proxy", "http://proxy.invalid:3128")
    local = LanguageToolClient("http://127.0.0.1:8081")
    remote = LanguageToolClient("https://lt.example.org")
    assert not any(isinstance(h, urllib.request.ProxyHandler) and h.proxies for h in local._opener.handlers)
    assert any(isinstance(h, urllib.request.ProxyHandler) and h.proxies for h in remote._opener.handlers)
