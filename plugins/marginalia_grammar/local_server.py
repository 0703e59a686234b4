"""LanguageTool's own HTTP server, run from a local install on 127.0.0.1.

The server is started lazily, once per process, in a background thread with a
hard deadline: if it has not answered ``/v2/languages`` in time, the process is
killed and the reason kept for ``marginalia doctor``.  Nothing here downloads
anything (language_tool_python's ``LanguageTool()`` would download a missing
install and try hundreds of ports on a broken one, which is why the process is
launched here, from the command its server class runs).  A server started by
``marginalia languagetool start`` is reused if it answers.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from marginalia_grammar.errors import LanguageToolStarting, LanguageToolUnavailable
from marginalia_grammar.preflight import Install, java_version, require_install, resolve_java

log = logging.getLogger(__name__)
SERVER_CLASS = "org.languagetool.server.HTTPServer"


def state_file() -> Path:
    """Where ``marginalia languagetool start`` records the server it started."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "marginalia" / "languagetool-server.json"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def answers(url: str, timeout: float = 1.0) -> bool:
    """Does a LanguageTool server answer at ``url`` (``http://127.0.0.1:PORT``)?"""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # local: never via a proxy
    try:
        with opener.open(f"{url}/v2/languages", timeout=timeout) as resp:
            return bool(resp.status == 200 and isinstance(json.loads(resp.read()), list))
    except (OSError, ValueError):
        return False


def server_command(java: str, install: Install, port: int) -> list[str]:
    # Without --public the server accepts connections from this machine only.
    return [java, "-cp", str(install.jar), SERVER_CLASS, "--port", str(port)]


# Runs the server so that it ends with this process however this process ends (an editor that
# SIGKILLs its language server must not leave a 1 GB JVM behind): a watcher reads the pipe whose
# write end only this process holds and kills the server at end of file; the shell waits for the
# server, so it exits, with the server's code, when the server does.  fd 3 keeps the pipe because
# POSIX gives a background job /dev/null as standard input.
_TIED_TO_PARENT = 'exec 3<&0; "$@" </dev/null 3<&- & server=$!; (cat <&3 >/dev/null; kill "$server" 2>/dev/null) & exec 3<&-; wait "$server"'


def tied_to_this_process(cmd: list[str]) -> list[str] | None:
    """``cmd`` wrapped so it cannot outlive this process; None where no POSIX shell exists."""
    if os.name != "posix" or not os.path.exists("/bin/sh"):
        return None
    return ["/bin/sh", "-c", _TIED_TO_PARENT, "marginalia-languagetool", *cmd]


class LocalServer:
    """One LanguageTool server process, started on demand under a deadline."""

    def __init__(self, java_path: str, install_path: str, startup_timeout: float) -> None:
        self.java_path = java_path
        self.install_path = install_path
        self.startup_timeout = startup_timeout
        self.url = ""
        self._proc: subprocess.Popen[bytes] | None = None
        self._ready = threading.Event()
        self._done = threading.Event()  # set when the start attempt ended, either way
        self._error: str | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # -- lifecycle -----------------------------------------------------------
    def start(self) -> None:
        """Begin starting (once); returns at once."""
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._run_start, name="languagetool-start", daemon=True)
            self._thread.start()

    def _run_start(self) -> None:
        try:
            self._start_blocking()
            self._ready.set()
            _notify_ready()
        except LanguageToolUnavailable as exc:
            self._error = str(exc)
            log.warning("LanguageTool: %s", exc)
        except Exception as exc:
            self._error = f"LanguageTool could not be started: {type(exc).__name__}: {exc}"
            log.exception("LanguageTool start failed")
        finally:
            self._done.set()

    def _start_blocking(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        reused = _reusable_server()
        if reused:
            self.url = reused
            return
        install = require_install(self.install_path)
        java_version(self.java_path, timeout=min(10.0, self.startup_timeout))
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        errlog = tempfile.TemporaryFile()  # noqa: SIM115 - kept open while the process lives
        cmd = server_command(resolve_java(self.java_path), install, port)
        log.info("starting LanguageTool: %s", " ".join(cmd))
        tied = tied_to_this_process(cmd)
        self._proc = subprocess.Popen(
            tied or cmd,
            stdin=subprocess.PIPE if tied else subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errlog,
            start_new_session=True,
        )
        atexit.register(self.stop)
        while time.monotonic() < deadline:
            code = self._proc.poll()
            if code is not None:
                errlog.seek(0)
                tail = errlog.read()[-400:].decode("utf-8", "replace").strip()
                _end(self._proc)
                self._proc = None
                raise LanguageToolUnavailable(f"LanguageTool exited at start-up with code {code}: {tail or 'no output'}")
            if answers(self.url, timeout=0.5):
                return
            time.sleep(0.2)
        self.stop()
        raise LanguageToolUnavailable(
            f"LanguageTool did not start within {self.startup_timeout:g}s ({install.directory}); "
            "raise grammar.startup_timeout or check the install"
        )

    def wait(self, timeout: float) -> str:
        """The server's URL once it is up; raises if it failed or is still starting after ``timeout``."""
        self.start()
        self._done.wait(max(0.0, timeout))
        if self._ready.is_set():
            return self.url
        if self._error is not None:
            raise LanguageToolUnavailable(self._error)
        raise LanguageToolStarting("LanguageTool is still starting; grammar results follow on the next check")

    def restart_if_dead(self) -> bool:
        """If the server we started has exited since, forget it so the next :meth:`wait` starts a new one."""
        with self._lock:
            proc = self._proc
            if not self._ready.is_set() or proc is None or proc.poll() is None:
                return False
            log.warning("LanguageTool (pid %s) exited with code %s; starting it again", proc.pid, proc.returncode)
            _end(proc)
            self._proc = None
            self._ready.clear()
            self._done.clear()
            self._thread = None
            self.url = ""
            return True

    @property
    def error(self) -> str | None:
        return self._error

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            _end(proc)


def _signal_group(proc: subprocess.Popen[bytes], sig: int) -> None:
    """``sig`` to the process group the server leads (start_new_session): shell, server, watcher."""
    if os.name != "posix":
        proc.terminate() if sig == signal.SIGTERM else proc.kill()
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


def _end(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server we started: closing its pipe makes the watcher kill it (even if the shell
    was killed on its own); a live group gets SIGTERM, then SIGKILL after 5 s."""
    if proc.stdin is not None:
        with contextlib.suppress(OSError):
            proc.stdin.close()
    if proc.poll() is not None:
        return
    _signal_group(proc, signal.SIGTERM)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        _signal_group(proc, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=5)


def _reusable_server() -> str | None:
    """The URL of a server ``marginalia languagetool start`` left running, if it answers."""
    try:
        data = json.loads(state_file().read_text(encoding="utf-8"))
        url = f"http://127.0.0.1:{int(data['port'])}"
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return url if answers(url) else None


def start_detached(java_path: str, install_path: str, timeout: float) -> tuple[int, str]:
    """For ``marginalia languagetool start``: a server that outlives this process."""
    install = require_install(install_path)
    java_version(java_path)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        server_command(resolve_java(java_path), install, port),
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise LanguageToolUnavailable(f"LanguageTool exited at start-up with code {proc.returncode}")
        if answers(url, timeout=0.5):
            path = state_file()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps({"pid": proc.pid, "port": port, "jar": str(install.jar)}), encoding="utf-8")
            return proc.pid, url
        time.sleep(0.2)
    proc.kill()
    raise LanguageToolUnavailable(f"LanguageTool did not start within {timeout:g}s")


def stop_detached() -> str:
    """Stop the server recorded by :func:`start_detached`; says what happened."""
    path = state_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        pid = int(data["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return "no LanguageTool server was started by `marginalia languagetool start`"
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists() and SERVER_CLASS.encode() not in cmdline.read_bytes():
        path.unlink(missing_ok=True)
        return f"process {pid} is no longer LanguageTool; forgot it"
    try:
        os.kill(pid, 15)
    except ProcessLookupError:
        path.unlink(missing_ok=True)
        return f"LanguageTool (pid {pid}) had already stopped"
    path.unlink(missing_ok=True)
    return f"stopped LanguageTool (pid {pid})"


# Called (without arguments) when a local server has come up, so a host can re-check the open
# documents whose LanguageTool results were "still starting".
_READY_LISTENERS: list[Callable[[], object]] = []


def add_ready_listener(callback: Callable[[], object]) -> None:
    _READY_LISTENERS.append(callback)


def _notify_ready() -> None:
    for cb in list(_READY_LISTENERS):
        try:
            cb()
        except Exception:
            log.exception("LanguageTool ready listener failed")


# One local server per (java, install) per process, shared by every document and engine.
_SERVERS: dict[tuple[str, str, float], LocalServer] = {}
_SERVERS_LOCK = threading.Lock()


def shared_server(java_path: str, install_path: str, startup_timeout: float) -> LocalServer:
    key = (java_path, install_path, startup_timeout)
    with _SERVERS_LOCK:
        server = _SERVERS.get(key)
        if server is None:
            server = _SERVERS[key] = LocalServer(java_path, install_path, startup_timeout)
        return server


def stop_all() -> None:
    with _SERVERS_LOCK:
        servers = list(_SERVERS.values())
        _SERVERS.clear()
    for s in servers:
        s.stop()
