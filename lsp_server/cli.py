"""The ``marginalia`` command: ``serve``, ``lint``, ``doctor``, ``schema`` and plugin tools.

Startup stays cheap: this module imports only the standard library, and each
subcommand imports what it needs when it runs, so ``marginalia --help`` never
loads plugins, torch or transformers.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lsp_server.lint import EngineSpec, LintReport

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

# name -> (module, help): subcommands that hand their arguments to another package's main(argv).
PASS_THROUGH: dict[str, tuple[str, str, str]] = {
    "cite": ("marginalia_citations.cli", "find, format and check citations", "the citations plugin (marginalia_citations)"),
    "models": ("lsp_server.runtime.cli", "list, download and test local models", "the model runtime (lsp_server.runtime)"),
    "languagetool": ("marginalia_grammar.cli", "install and manage LanguageTool", "the grammar plugin (marginalia_grammar)"),
}

LINT_EPILOG = """\
exit status:
  0  nothing at or above --fail-level (hints never fail)
  1  findings at or above --fail-level
  2  a usage error, or a file or plugin that could not be checked
     (unreadable, binary, not UTF-8, a plugin failure); this wins over 1,
     and the other files are still checked and reported
"""


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("marginalia")
    except PackageNotFoundError:
        return "unknown (not installed)"


class _VersionAction(argparse.Action):
    """Like argparse's "version" action, but reads package metadata only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit", **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        print(f"marginalia {_version()}")
        parser.exit()


def _err(message: str) -> None:
    print(f"marginalia: {message}", file=sys.stderr)


def _setup_logging() -> None:
    import logging

    class OncePerMessage(logging.Filter):
        """Settings are resolved more than once per run; say each problem once."""

        def __init__(self) -> None:
            super().__init__()
            self._seen: set[str] = set()

        def filter(self, record: logging.LogRecord) -> bool:
            text = record.getMessage()
            if text in self._seen:
                return False
            self._seen.add(text)
            return True

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("marginalia: %(message)s"))
    handler.addFilter(OncePerMessage())
    logging.basicConfig(level=logging.WARNING, handlers=[handler])


# --------------------------------------------------------------------------- parser


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="marginalia",
        description="A writing assistant for LaTeX and Markdown: language server and command-line checker.",
    )
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the language server (stdio by default)")
    how = serve.add_mutually_exclusive_group()
    how.add_argument("--stdio", action="store_true", help="talk LSP over stdin/stdout (the default)")
    how.add_argument("--tcp", metavar="HOST:PORT", help="listen on a TCP socket instead")
    serve.add_argument(
        "--untrusted", action="store_true",
        help="restricted mode for a workspace you do not trust: its .marginalia.toml may not choose programs, "
        "servers, models or files to load, and no model runs",
    )

    lint = sub.add_parser(
        "lint",
        help="check files and folders as the editor would, for CI",
        epilog=LINT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lint.add_argument("paths", nargs="+", metavar="PATH", help="files, folders (searched recursively) or globs")
    lint.add_argument("--format", choices=("text", "json", "sarif", "github", "html"), default="text",
                      help="report format (default: text; github prints workflow annotations; "
                      "html is one self-contained page, best with --output)")
    lint.add_argument("--output", "-o", metavar="FILE", help="write the report here instead of stdout")
    lint.add_argument(
        "--fail-level", choices=("info", "warning", "error"), default="warning",
        help="lowest severity that makes the exit status 1 (default: warning)",
    )
    lint.add_argument("--jobs", "-j", type=_jobs, metavar="N", help="processes to use (default: 1 for few files)")
    lint.add_argument("--root", metavar="DIR", help="workspace root (default: nearest folder with "
                      ".marginalia.toml, pyproject.toml or .git, else the current folder)")
    lint.add_argument("--settings", metavar="FILE.json", help="editor-style settings, stronger than the workspace file")
    lint.add_argument("--config", action="append", default=[], metavar="KEY=VALUE",
                      help="one setting, e.g. language=de-DE or spelling.max_suggestions=3 (TOML value); repeatable")
    lint.add_argument("--language", metavar="TAG", help="natural language, e.g. en-GB (default: the document's own)")
    lint.add_argument("--enable", action="append", default=[], metavar="RULE", help="enable a rule or plugin; repeatable")
    lint.add_argument("--disable", action="append", default=[], metavar="RULE", help="disable a rule or plugin; repeatable")
    lint.add_argument("--exclude", action="append", default=[], metavar="PATTERN",
                      help="leave out walked files matching this gitignore-style pattern (adds to lint.exclude); "
                      "repeatable")
    lint.add_argument("--plugins", metavar="A,B", help="run only these plugins")
    lint.add_argument("--no-suggestions", action="store_true", help="skip computing replacements (faster)")
    lint.add_argument("--stats", action="store_true", help="print writing statistics (needs the style plugin)")

    sub.add_parser("doctor", help="say what works and what is missing, and how to fix it")

    schema = sub.add_parser("schema", help="print the JSON schema of every setting")
    action = schema.add_mutually_exclusive_group()
    action.add_argument("--check", metavar="FILE", help="exit 1 if FILE differs from the generated schema")
    action.add_argument("--output", "-o", metavar="FILE", help="write the schema to FILE")

    for name, (_, text, _) in PASS_THROUGH.items():
        sub.add_parser(name, help=text, add_help=False)
    return parser


# --------------------------------------------------------------------------- subcommands


def _run_pass_through(name: str, argv: list[str]) -> int:
    module_name, _, provider = PASS_THROUGH[name]
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        _err(f"`marginalia {name}` is provided by {provider}, which is not available ({exc}).")
        return EXIT_ERROR
    entry: Callable[[list[str]], int] | None = getattr(module, "main", None)
    if entry is None:
        _err(f"{module_name} has no main(argv); `marginalia {name}` cannot run.")
        return EXIT_ERROR
    return int(entry(argv) or 0)


def _cmd_serve(args: argparse.Namespace) -> int:
    address: tuple[str, int] | None = None
    if args.tcp:
        host, sep, port = args.tcp.rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            _err(f"--tcp wants HOST:PORT with a port between 1 and 65535, got {args.tcp!r}")
            return EXIT_ERROR
        address = (host.strip("[]"), int(port))  # [::1]:2087 names an IPv6 host
    try:
        from lsp_server import server  # type: ignore[attr-defined, unused-ignore]
    except ImportError as exc:
        _err(f"the language server module is not available ({exc})")
        return EXIT_ERROR
    if address is not None:
        server.start_tcp(*address, trusted=not args.untrusted)
    else:
        server.start_io(trusted=not args.untrusted)
    return EXIT_OK


def parse_config_item(item: str) -> dict[str, Any]:
    """``a.b=VALUE`` -> ``{"a": {"b": value}}``; VALUE is read as TOML, else as a plain string."""
    import tomllib

    key, sep, raw = item.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ValueError(f"--config wants KEY=VALUE, got {item!r}")
    try:
        value: Any = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    out: dict[str, Any] = {}
    node = out
    parts = key.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value
    return out


def _editor_settings(args: argparse.Namespace) -> dict[str, Any]:
    import json

    from lsp_server.config import deep_merge

    layer: dict[str, Any] = {}
    if args.settings:
        try:
            data = json.loads(Path(args.settings).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"--settings {args.settings}: cannot be read ({exc})") from exc
        if isinstance(data, dict) and isinstance(data.get("marginalia"), dict):
            data = data["marginalia"]  # accept a VS Code-style {"marginalia": {...}} file too
        if not isinstance(data, dict):
            raise ValueError(f"--settings {args.settings}: expected a JSON object")
        layer = data
    for item in args.config:
        layer = deep_merge(layer, parse_config_item(item))
    if args.language:
        layer["language"] = args.language
    return layer


def _stats(report: LintReport, spec: EngineSpec, fmt: str) -> tuple[str | None, list[int]]:
    """Writing statistics from the style plugin
    (``marginalia_style.stats.render(docs, findings_by_rule_per_doc, fmt) -> str``) and the
    indices in ``report.files`` they describe, in order; None when the plugin is missing."""
    try:
        from marginalia_style import stats  # type: ignore[attr-defined, unused-ignore]
    except ImportError:
        _err("--stats needs the style plugin (marginalia_style.stats), which is not available")
        return None, []
    from collections import Counter

    from lsp_server.lint import build_engine, read_source

    engine = build_engine(spec)
    try:
        docs, counts, described = [], [], []
        for i, f in enumerate(report.files):
            text, _ = read_source(f.path) if not (f.errors or f.skipped) else (None, None)
            if text is not None:
                docs.append(engine.parse(text, f.language_id, f.path.as_uri()))
                counts.append(dict(Counter(x.rule for x in f.findings)))
                described.append(i)
    finally:
        engine.shutdown()
    return stats.render(docs, counts, fmt), described


def _json_with_stats(report: LintReport, spec: EngineSpec, cwd: Path) -> tuple[str, int]:
    """``--format json --stats``: one JSON object, each file with its ``stats`` beside its findings."""
    import json

    from lsp_server.output.json_report import as_dict

    data = as_dict(report, cwd)
    rendered, described = _stats(report, spec, "json")
    if rendered is None:
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n", EXIT_ERROR
    for i, entry in zip(described, json.loads(rendered)["files"], strict=True):
        data["files"][i]["stats"] = entry["stats"]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n", EXIT_OK


def _cmd_lint(args: argparse.Namespace) -> int:
    import logging

    from lsp_server.lint import EngineSpec, run_lint, workspace_root
    from lsp_server.output import render
    from lsp_server.plugin import Severity

    _setup_logging()
    # Plugin failures are reported per file by the runner; logging them too would repeat them.
    for quiet in ("lsp_server.dispatch", "lsp_server.plugin"):
        logging.getLogger(quiet).setLevel(logging.CRITICAL)
    cwd = Path.cwd()
    try:
        editor = _editor_settings(args)
    except ValueError as exc:
        _err(str(exc))
        return EXIT_ERROR
    if args.root and not Path(args.root).is_dir():
        _err(f"--root {args.root}: not a folder")
        return EXIT_ERROR
    root = Path(args.root).resolve() if args.root else workspace_root(args.paths, cwd)
    plugins = tuple(p.strip() for p in (args.plugins or "").split(",") if p.strip())
    spec = EngineSpec(root, editor, plugins, tuple(args.enable), tuple(args.disable), not args.no_suggestions, tuple(args.exclude))
    report = run_lint(args.paths, spec, cwd=cwd, jobs=args.jobs)
    for note in report.notes:
        logging.getLogger("marginalia").warning("%s", note)
    for error in report.all_errors():
        _err(f"error: {error}")
    color = args.format == "text" and not args.output and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    stats_code = EXIT_OK
    if args.stats and args.format == "json":
        text, stats_code = _json_with_stats(report, spec, cwd)
    else:
        text = render(report, args.format, cwd, color)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            _err(f"--output {args.output}: cannot be written ({exc.strerror or exc})")
            return EXIT_ERROR
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    code = report.exit_code(Severity.parse(args.fail_level))
    if args.stats and args.format != "json":
        # Other machine-readable reports stay one document: the statistics go to stderr then.
        rendered, _ = _stats(report, spec, "text")
        stream = sys.stdout if args.format == "text" and not args.output else sys.stderr
        if rendered is None:
            stats_code = EXIT_ERROR
        else:
            stream.write(rendered)
    return max(code, stats_code)


def _cmd_doctor(args: argparse.Namespace) -> int:
    import logging

    from lsp_server.doctor import run_doctor

    logging.getLogger("lsp_server.plugin").setLevel(logging.CRITICAL)  # the doctor lists blocked plugins itself
    return run_doctor(Path.cwd())


def _cmd_schema(args: argparse.Namespace) -> int:
    import logging

    from lsp_server.schema_file import check_schema, generate

    logging.getLogger("lsp_server.plugin").setLevel(logging.CRITICAL)  # reported below, once
    generated = generate()
    for name, why in sorted(generated.blocked.items()):
        _err(f"plugin {name} cannot be loaded ({why}); its settings are missing from the schema")
    if args.check:
        ok, message = check_schema(Path(args.check), generated)
        (print if ok else _err)(message)
        return EXIT_OK if ok else EXIT_FINDINGS
    if args.output:
        path = Path(args.output)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(generated.text, encoding="utf-8")
        except OSError as exc:
            _err(f"--output {path}: cannot be written ({exc.strerror or exc})")
            return EXIT_ERROR
        return EXIT_OK
    sys.stdout.write(generated.text)
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "serve": _cmd_serve,
    "lint": _cmd_lint,
    "doctor": _cmd_doctor,
    "schema": _cmd_schema,
}


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    # Pass-through commands take their arguments verbatim, --help included.
    if args_list and args_list[0] in PASS_THROUGH:
        return _run_pass_through(args_list[0], args_list[1:])
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        # `marginalia lint … | head`: the reader left; not an error worth a traceback.
        # Point stdout at /dev/null so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception:  # noqa: BLE001
        import traceback

        # An uncaught exception would exit 1, which CI reads as "findings"; a crash is a 2.
        traceback.print_exc()
        _err("internal error (the traceback above helps a bug report)")
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
