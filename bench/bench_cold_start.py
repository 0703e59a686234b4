"""Where a cold start goes: each phase from process start to a paper's first findings, in a fresh process.

    python bench/bench_cold_start.py [--paper PATH] [--runs 3] [--json] [--pycache DIR]

Each run starts a new interpreter that imports the server, loads every plugin
(as the server does), builds the engine and checks the paper one plugin at a
time, recording CPU and wall time of each phase; the table shows the median
over runs.  CPU time is what to compare on a shared machine (``uptime`` is
printed beside it).  ``bench/bench_server.py`` times the same path end to end
over LSP.

Bytecode: with ``PYTHONDONTWRITEBYTECODE`` set (as in some sandboxes) and an
editable install, every start compiles the project's ~120 modules again, a few
tenths of a second no installed copy pays.  ``--pycache DIR`` runs the children
with bytecode written to and read from ``DIR`` (after one unmeasured warm-up
run), which is what a user's start costs; the header says which was measured.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PAPER = REPO.parent / "shared" / "corpus" / "good-enough-practices" / "good-enough-practices-for-scientific-computing.tex"
DEFAULT_PLUGINS = ("citations", "grammar", "grammar-rules", "spelling", "style")

# Runs in the child: every phase appends (name, cpu seconds, wall seconds).
CHILD = r"""
import json, sys, time
from pathlib import Path
import psutil
start_wall = psutil.Process().create_time()
phases = [("interpreter start", time.process_time(), time.time() - start_wall)]

def phase(name, fn):
    c, w = time.process_time(), time.perf_counter()
    out = fn()
    phases.append((name, time.process_time() - c, time.perf_counter() - w))
    return out

phase("import lsp_server.server", lambda: __import__("lsp_server.server"))
from importlib.metadata import entry_points
from lsp_server.plugin import LoadedPlugins, Plugin
from lsp_server.engine import Engine

plugins = {}
for ep in sorted(entry_points(group="marginalia.plugins"), key=lambda e: e.name):
    obj = phase(f"import plugin {ep.name}", ep.load)
    plugins[ep.name] = obj() if isinstance(obj, type) else obj
paper = Path(sys.argv[1])
wanted = sys.argv[2].split(",")
settings = {"disabled_plugins": sorted(set(plugins) - set(wanted))}
engine = phase("engine", lambda: Engine(paper.parent, settings, LoadedPlugins(plugins, {})))
doc = phase("parse paper", lambda: engine.parse(paper.read_text(encoding="utf-8"), "latex", paper.as_uri(), 1))
total = 0
for name in wanted:
    result = phase(f"first check: {name}", lambda: engine.check(doc, [name]))
    total += len(result.findings) if hasattr(result, "findings") else 0
phases.append(("total (process start to findings)", time.process_time(), time.time() - start_wall))
engine.shutdown()
heavy = sorted(m for m in ("torch", "transformers", "language_tool_python", "spylls", "wordfreq") if m in sys.modules)
print(json.dumps({"phases": phases, "findings": total, "heavy_modules": heavy}))
"""


def child_env(pycache: Path | None) -> dict[str, str]:
    """The children's environment: with ``pycache``, bytecode is cached there whatever the caller's setting."""
    env = dict(os.environ)
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def bytecode_note(env: dict[str, str]) -> str:
    if env.get("PYTHONDONTWRITEBYTECODE"):
        return "no bytecode cache: project modules compiled at every start"
    prefix = env.get("PYTHONPYCACHEPREFIX")
    return f"bytecode cached{f' in {prefix}' if prefix else ''}"


def run_once(paper: Path, plugins: str, env: dict[str, str]) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(paper), plugins], capture_output=True, text=True, check=True, cwd=REPO, env=env
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paper", type=Path, default=DEFAULT_PAPER)
    parser.add_argument("--plugins", default=",".join(DEFAULT_PLUGINS))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--pycache", type=Path, help="cache bytecode in this folder (as an installed copy would)")
    args = parser.parse_args()
    env = child_env(args.pycache)
    if args.pycache is not None:
        run_once(args.paper, args.plugins, env)  # warm-up: writes the bytecode
    runs = [run_once(args.paper, args.plugins, env) for _ in range(max(1, args.runs))]
    names = [p[0] for p in runs[0]["phases"]]
    table = {
        name: (statistics.median(r["phases"][i][1] for r in runs), statistics.median(r["phases"][i][2] for r in runs))
        for i, name in enumerate(names)
    }
    load = os.getloadavg()
    if args.json:
        print(json.dumps({"phases": table, "load_average": load, "runs": len(runs), "heavy_modules": runs[0]["heavy_modules"],
                          "bytecode": bytecode_note(env)}))
        return 0
    print(f"{'phase':44} {'CPU s':>7} {'wall s':>7}   (median of {len(runs)} runs; load average {load[0]:.2f}; {bytecode_note(env)})")
    for name, (cpu, wall) in table.items():
        print(f"{name:44} {cpu:7.3f} {wall:7.3f}")
    print(f"findings: {runs[0]['findings']}; heavy modules imported: {', '.join(runs[0]['heavy_modules']) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
