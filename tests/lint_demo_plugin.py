"""A small, deterministic plugin for the CLI and lint tests.

Real plugins are written concurrently and change; these rules do not:

- ``demo.teh`` (warning): the word "teh", replacement "the" given eagerly;
- ``demo.colour`` (info): "colour", replacement "color" offered lazily as an edit action,
  the way the spelling plugin computes suggestions only when asked;
- ``demo.fixme`` (error): "FIXME";
- ``demo.maybe`` (hint): "maybe".

It is registered for subprocess tests through a throw-away distribution on
PYTHONPATH (see :func:`install_demo_distribution`), exactly as a third-party
plugin registers itself.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from lsp_server.documents.model import Chunk, ProseDocument
from lsp_server.engine import Engine
from lsp_server.lint import EngineSpec, build_engine
from lsp_server.plugin import Action, CheckContext, Finding, LoadedPlugins, Plugin, Severity

_RULES = {
    "teh": ("demo.teh", Severity.WARNING, "'teh' is a typo", ("the",)),
    "colour": ("demo.colour", Severity.INFO, "US spelling is 'color'", ()),
    "FIXME": ("demo.fixme", Severity.ERROR, "unfinished text", ()),
    "maybe": ("demo.maybe", Severity.HINT, "hedging word", ()),
}
_WORD = re.compile(r"\b(" + "|".join(_RULES) + r")\b")


class DemoPlugin(Plugin):
    name = "demo"

    def __init__(self) -> None:
        self.action_calls = 0

    def check_chunk(self, chunk: Chunk, ctx: CheckContext) -> Iterable[Finding]:
        for m in _WORD.finditer(chunk.text):
            rule, severity, message, fixes = _RULES[m.group(1)]
            start, end = chunk.to_source(m.start(), m.end())
            explanation = "Typos distract the reader. Fix them before submitting." if rule == "demo.teh" else ""
            yield Finding(start, end, rule, message, severity, fixes, plugin="demo", explanation=explanation)

    def actions(self, doc: ProseDocument, finding: Finding, ctx: CheckContext) -> Iterable[Action]:
        self.action_calls += 1
        if finding.rule == "demo.colour":
            yield Action("Use 'color'", edit=(finding.start, finding.end, "color"))


def demo_engine(spec: EngineSpec) -> Engine:
    """Engine factory for in-process runs (module level, so worker processes can import it)."""
    return build_engine(spec, LoadedPlugins({"demo": DemoPlugin()}, {}))


def install_demo_distribution(site: Path) -> str:
    """Make ``site`` register DemoPlugin under the entry-point group; returns the PYTHONPATH to use."""
    site.mkdir(parents=True, exist_ok=True)
    here = Path(__file__).resolve().parent
    dist = site / "marginalia_demo_plugin-1.0.dist-info"
    dist.mkdir(exist_ok=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: marginalia-demo-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[marginalia.plugins]\ndemo = lint_demo_plugin:DemoPlugin\n")
    return f"{site}{os.pathsep}{here}"
