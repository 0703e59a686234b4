"""``marginalia doctor``: what works, what is missing, and what to do about it.

Each check prints one line as soon as it is known (importing torch takes
seconds; the user should see why the command pauses).  The exit status is 1
only when a built-in plugin cannot be loaded: everything else is optional.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import importlib.util
import platform
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, entry_points, version
from pathlib import Path
from typing import TextIO

from lsp_server.config import read_workspace_file, resolve
from lsp_server.lint_files import find_root
from lsp_server.plugin import ENTRY_POINT_GROUP, LoadedPlugins, Plugin, discover

MIN_JAVA = 17
COMMAND_TIMEOUT_S = 15.0
STATUS_TIMEOUT_S = 20.0
MODEL_PACKAGES = ("torch", "transformers", "accelerate", "bitsandbytes")
OK, MISSING, PROBLEM = "ok", "--", "!!"


class Report:
    """Prints ``[ok] what: detail`` lines, with advice indented under what is missing."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def section(self, title: str) -> None:
        print(f"\n{title}", file=self.out, flush=True)

    def line(self, mark: str, what: str, detail: str = "", advice: str = "") -> None:
        print(f"  [{mark}] {what}" + (f": {detail}" if detail else ""), file=self.out, flush=True)
        if advice:
            print(f"       -> {advice}", file=self.out, flush=True)


def _run(cmd: list[str]) -> tuple[int, str] | None:
    """(exit status, stdout+stderr) or None when the program is missing or hangs."""
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.returncode, (proc.stdout + proc.stderr).strip()


def java_version(output: str) -> int | None:
    """Major version from ``java -version`` output: ``"17.0.2"`` -> 17, ``"1.8.0_292"`` -> 8."""
    m = re.search(r'version "(\d+)(?:\.(\d+))?', output)
    if not m:
        return None
    major = int(m.group(1))
    return int(m.group(2) or 0) if major == 1 else major


def builtin_plugin_names() -> set[str]:
    """Plugins that ship with marginalia itself (third-party ones may be missing harmlessly)."""
    names = set()
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = getattr(ep, "dist", None)
        if dist is not None and (dist.metadata["Name"] or "").lower() == "marginalia":
            names.add(ep.name)
    return names


def plugin_status(plugin: Plugin) -> tuple[bool, str]:
    """A plugin's own status line, with a time limit so a stuck check cannot stall the doctor."""
    pool = cf.ThreadPoolExecutor(1)
    try:
        return pool.submit(plugin.status).result(timeout=STATUS_TIMEOUT_S)
    except cf.TimeoutError:
        return False, f"status() did not answer within {STATUS_TIMEOUT_S:.0f} s"
    except Exception as exc:  # noqa: BLE001 - a broken plugin is exactly what the doctor reports
        return False, f"status() failed: {type(exc).__name__}: {exc}"
    finally:
        pool.shutdown(wait=False)


# --------------------------------------------------------------------------- checks


def check_python(r: Report) -> None:
    r.section("System")
    ok = sys.version_info >= (3, 11)
    r.line(OK if ok else PROBLEM, "Python", f"{platform.python_version()} ({sys.executable})",
           "" if ok else "Marginalia needs Python 3.11 or newer")
    r.line(OK, "Platform", platform.platform())
    try:
        r.line(OK, "Marginalia", version("marginalia"))
    except PackageNotFoundError:
        r.line(PROBLEM, "Marginalia", "not installed as a package", "pip install -e . in the repository")


def check_java(r: Report) -> None:
    java = shutil.which("java")
    if java is None:
        r.line(MISSING, "Java", "not found", f"LanguageTool needs Java {MIN_JAVA}+: e.g. apt install openjdk-{MIN_JAVA}-jre-headless")
        return
    result = _run([java, "-version"])
    major = java_version(result[1]) if result else None
    if major is None:
        r.line(PROBLEM, "Java", f"{java} did not report a version", "check that `java -version` works in this shell")
    elif major < MIN_JAVA:
        r.line(PROBLEM, "Java", f"version {major} at {java}", f"LanguageTool needs Java {MIN_JAVA}+; install a newer JRE")
    else:
        r.line(OK, "Java", f"version {major} at {java}")


def check_languagetool(r: Report, loaded: LoadedPlugins, statuses: dict[str, tuple[bool, str]]) -> None:
    if "grammar" not in statuses:
        why = loaded.blocked.get("grammar", "not installed")
        r.line(MISSING, "LanguageTool", f"grammar plugin unavailable ({why})", "see the plugin list below")
        return
    ready, line = statuses["grammar"]
    r.line(OK if ready else MISSING, "LanguageTool", line, "" if ready else "run `marginalia languagetool --help`")


def check_models(r: Report, import_torch: bool = True) -> None:
    r.section("Model stack (optional: completion and rewriting)")
    for name in MODEL_PACKAGES:
        if importlib.util.find_spec(name) is None:
            r.line(MISSING, name, "not installed", "pip install -e '.[model]' -c constraints-cpu.txt")
            continue
        try:
            r.line(OK, name, version(name))
        except PackageNotFoundError:
            r.line(OK, name, "installed (version unknown)")
    smi = shutil.which("nvidia-smi")
    if smi is None:
        r.line(MISSING, "nvidia-smi", "not found (no NVIDIA driver); models run on the CPU")
    else:
        result = _run([smi, "--query-gpu=name,memory.total", "--format=csv,noheader"])
        gpus = result[1].replace("\n", "; ") if result and result[0] == 0 else "did not answer"
        r.line(OK if result and result[0] == 0 else PROBLEM, "nvidia-smi", gpus)
    if import_torch and importlib.util.find_spec("torch") is not None:
        print("  ...  importing torch to ask about CUDA (takes a few seconds)", file=r.out, flush=True)
        try:
            import torch

            if torch.cuda.is_available():
                r.line(OK, "CUDA", f"{torch.cuda.get_device_name(0)} (CUDA {torch.version.cuda})")
            else:
                r.line(MISSING, "CUDA", f"not available to torch {torch.__version__}; models run on the CPU")
        except Exception as exc:  # noqa: BLE001 - a broken torch install is a finding, not a crash
            r.line(PROBLEM, "CUDA", f"importing torch failed: {type(exc).__name__}: {exc}")


def check_plugins(
    r: Report, loaded: LoadedPlugins, statuses: dict[str, tuple[bool, str]], builtin: set[str]
) -> bool:
    """Print each plugin's status; True when a built-in plugin is blocked."""
    r.section("Plugins")
    for name, (ready, line) in sorted(statuses.items()):
        r.line(OK if ready else MISSING, name, line)
    blocked_builtin = False
    for name, why in sorted(loaded.blocked.items()):
        is_builtin = name in builtin
        blocked_builtin |= is_builtin
        advice = "reinstall marginalia: pip install -e '.[all]'" if is_builtin else "reinstall the package that provides it"
        r.line(PROBLEM, name, f"cannot be loaded: {why}", advice)
    if not loaded.plugins and not loaded.blocked:
        r.line(PROBLEM, "plugins", "none installed", "pip install -e . registers the built-in plugins")
    return blocked_builtin


def check_settings(r: Report, loaded: LoadedPlugins, cwd: Path) -> None:
    r.section("Settings")
    root = find_root(cwd)
    if root is None:
        r.line(MISSING, "workspace", f"no .marginalia.toml, pyproject.toml or .git at or above {cwd}; defaults apply")
        return
    layer, messages = read_workspace_file(root)
    settings = resolve([layer], {name: p.Settings for name, p in loaded.plugins.items()})
    problems = [*messages, *settings.messages]
    r.line(OK if not problems else PROBLEM, "workspace", str(root))
    for message in problems:
        r.line(PROBLEM, "setting", message, "fix it in .marginalia.toml (see `marginalia schema`)")


def run_doctor(
    cwd: Path,
    out: TextIO | None = None,
    discover_plugins: Callable[[], LoadedPlugins] = discover,
    import_torch: bool = True,
) -> int:
    r = Report(out or sys.stdout)
    check_python(r)
    loaded = discover_plugins()
    # Asked once each: a status may probe a server.
    print("  ...  asking each plugin for its status", file=r.out, flush=True)
    statuses = {name: plugin_status(plugin) for name, plugin in loaded.plugins.items()}
    r.section("Grammar (LanguageTool)")
    check_java(r)
    check_languagetool(r, loaded, statuses)
    check_models(r, import_torch)
    blocked = check_plugins(r, loaded, statuses, builtin_plugin_names())
    check_settings(r, loaded, cwd)
    for plugin in loaded.plugins.values():
        with contextlib.suppress(Exception):  # shutting down is best effort here
            plugin.shutdown()
    print("", file=r.out)
    if blocked:
        print("A built-in plugin cannot be loaded (see above): exit status 1.", file=r.out)
        return 1
    return 0
