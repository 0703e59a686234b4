"""Checks made before anything is started: Java >= 17 and a LanguageTool install.

Both are cheap and bounded (``java -version`` runs under a timeout), so a
missing or broken Java gives one clear message instead of a hang.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from marginalia_grammar.errors import INSTALL_HINT, LanguageToolUnavailable

MIN_JAVA = 17
JAVA_TIMEOUT_S = 10.0
# language_tool_python.utils' JAR_NAMES and LTP_PATH_ENV_VAR, spelt out because importing that
# package (requests, urllib3: about 0.1 s) would slow every server start, LanguageTool or not;
# tests/test_cold_start.py checks they still agree.
JAR_NAMES = ("languagetool-server.jar", "LanguageTool.jar")
LTP_PATH_ENV_VAR = "LTP_PATH"


def __getattr__(name: str) -> str:
    """``LTP_DOWNLOAD_VERSION`` (for the install command) without importing language_tool_python at start."""
    if name == "LTP_DOWNLOAD_VERSION":
        from language_tool_python.download_lt import LTP_DOWNLOAD_VERSION

        return str(LTP_DOWNLOAD_VERSION)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Install:
    directory: Path
    jar: Path
    version: str


def default_install_root() -> Path:
    """Where ``language_tool_python`` (and ``marginalia languagetool install``) put LanguageTool."""
    return Path(os.environ.get(LTP_PATH_ENV_VAR) or Path.home() / ".cache" / "language_tool_python")


def find_install(install_path: str = "") -> Install | None:
    """The newest LanguageTool under ``install_path`` (or the default folder); None if absent."""
    root = Path(install_path).expanduser() if install_path else default_install_root()
    candidates = [root] + (sorted(root.glob("LanguageTool*"), reverse=True) if root.is_dir() else [])
    for directory in candidates:
        for name in JAR_NAMES:
            jar = directory / name
            if jar.is_file():
                version = directory.name.removeprefix("LanguageTool-") if directory.name.startswith("LanguageTool") else "?"
                return Install(directory, jar, version)
    return None


def require_install(install_path: str = "") -> Install:
    found = find_install(install_path)
    if found is None:
        where = Path(install_path).expanduser() if install_path else default_install_root()
        raise LanguageToolUnavailable(f"LanguageTool is not installed (looked in {where}): {INSTALL_HINT}")
    return found


def java_version(java_path: str = "java", timeout: float = JAVA_TIMEOUT_S) -> int:
    """Major version of ``java_path``; raises :class:`LanguageToolUnavailable` with the reason."""
    exe = shutil.which(java_path) if os.sep not in java_path else (java_path if Path(java_path).is_file() else None)
    if exe is None:
        raise LanguageToolUnavailable(
            f"Java not found ({java_path!r}): LanguageTool needs Java {MIN_JAVA} or newer; install it "
            "(e.g. `apt install openjdk-17-jre-headless`) or set grammar.java_path"
        )
    try:
        out = subprocess.run(
            [exe, "-version"], capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise LanguageToolUnavailable(f"`{exe} -version` did not answer within {timeout:g}s; check the Java install") from exc
    except OSError as exc:
        raise LanguageToolUnavailable(f"cannot run Java at {exe}: {exc}") from exc
    text = (out.stderr or "") + (out.stdout or "")
    from language_tool_python.download_lt import parse_java_version  # only when LanguageTool is to run

    try:
        major, minor = parse_java_version(text)
    except SystemExit as exc:  # language_tool_python signals "unparsable" this way
        raise LanguageToolUnavailable(f"cannot tell the Java version of {exe}: {text.strip()[:200]!r}") from exc
    version = minor if major == 1 else major  # "1.8" is Java 8
    if version < MIN_JAVA:
        raise LanguageToolUnavailable(f"Java {version} at {exe} is too old: LanguageTool needs Java {MIN_JAVA} or newer")
    return version


def resolve_java(java_path: str) -> str:
    exe = shutil.which(java_path) if os.sep not in java_path else java_path
    return exe or java_path


__all__ = ["Install", "default_install_root", "find_install", "java_version", "require_install"]
