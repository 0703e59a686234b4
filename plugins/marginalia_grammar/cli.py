"""``marginalia languagetool install | status | start | stop``.

Downloading LanguageTool happens here and only here, when the user asks.
"""

from __future__ import annotations

import argparse
import os
import sys

from marginalia_grammar.errors import LanguageToolUnavailable
from marginalia_grammar.local_server import answers, start_detached, state_file, stop_detached
from marginalia_grammar.preflight import LTP_DOWNLOAD_VERSION, default_install_root, find_install, java_version


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="marginalia languagetool", description="Manage the local LanguageTool used by the grammar plugin.")
    sub = p.add_subparsers(dest="action", required=True)
    inst = sub.add_parser("install", help="download LanguageTool (needs internet once)")
    inst.add_argument("--version", default=LTP_DOWNLOAD_VERSION, help="LanguageTool version (default %(default)s)")
    inst.add_argument("--path", default="", help="install folder (default: $LTP_PATH or ~/.cache/language_tool_python)")
    for name, text in (("status", "show Java, the install and a running server"), ("start", "start a shared server on 127.0.0.1"),
                       ("stop", "stop the server `start` started")):
        sp = sub.add_parser(name, help=text)
        if name in ("status", "start"):
            sp.add_argument("--path", default="", help="install folder")
            sp.add_argument("--java", default="java", help="Java executable (default: java on PATH)")
        if name == "start":
            sp.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for start-up")
    return p


def _install(version: str, path: str) -> int:
    from language_tool_python.download_lt import LocalLanguageTool

    if path:
        os.environ["LTP_PATH"] = path  # language_tool_python reads its install folder from here
    target = default_install_root()
    existing = find_install(path)
    if existing is not None and existing.version == version:
        print(f"LanguageTool {version} is already installed in {existing.directory}")
        return 0
    try:
        java_version()
    except LanguageToolUnavailable as exc:
        print(f"warning: {exc} (installing anyway)", file=sys.stderr)
    print(f"downloading LanguageTool {version} into {target} …")
    try:
        target.mkdir(parents=True, exist_ok=True)
        LocalLanguageTool.from_version_name(version).download()
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - network, checksum, disk: all end as one message
        print(
            f"error: could not download LanguageTool {version}: {type(exc).__name__}: {exc}\n"
            "Without internet: download LanguageTool-<version>.zip from https://languagetool.org/download/ on another machine, "
            f"unzip it into {target}, or set grammar.mode = \"remote\" and grammar.url to a LanguageTool server.",
            file=sys.stderr,
        )
        return 1
    found = find_install(path)
    print(f"installed: {found.directory if found else target}")
    return 0


def _status(path: str, java: str) -> int:
    ok = True
    try:
        print(f"java: version {java_version(java)} ({java})")
    except LanguageToolUnavailable as exc:
        ok = False
        print(f"java: {exc}")
    found = find_install(path)
    if found is None:
        ok = False
        print(f"LanguageTool: not installed in {path or default_install_root()} (run `marginalia languagetool install`)")
    else:
        print(f"LanguageTool: {found.version} in {found.directory}")
    try:
        import json

        port = int(json.loads(state_file().read_text(encoding="utf-8"))["port"])
        url = f"http://127.0.0.1:{port}"
        print(f"server: {'running at ' + url if answers(url) else 'recorded at ' + url + ' but not answering'}")
    except (OSError, ValueError, KeyError):
        print("server: none started by `marginalia languagetool start` (the language server starts its own when needed)")
    return 0 if ok else 1


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if args.action == "install":
        return _install(args.version, args.path)
    if args.action == "status":
        return _status(args.path, args.java)
    if args.action == "start":
        try:
            pid, url = start_detached(args.java, args.path, args.timeout)
        except LanguageToolUnavailable as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"LanguageTool running at {url} (pid {pid}); editors and `marginalia lint` will use it")
        return 0
    print(stop_detached())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
