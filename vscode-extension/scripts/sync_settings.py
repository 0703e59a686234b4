"""Write (or check) the settings that package.json contributes, from the server's schema.

One source of truth: schema/settings.schema.json (``marginalia schema``). Every leaf
setting there becomes a flat ``marginalia.<dotted.key>`` property here, plus the few
settings only the extension reads. Run after changing a setting in the server:

    python vscode-extension/scripts/sync_settings.py          # rewrite package.json
    python vscode-extension/scripts/sync_settings.py --check  # exit 1 if out of date
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent / "package.json"
SCHEMA = HERE.parent.parent / "schema" / "settings.schema.json"
PREFIX = "marginalia."
# Copied as they are from the schema to the contribution.
KEPT = ("type", "default", "enum", "minimum", "maximum", "items", "additionalProperties", "description")

# The server marks each setting that an untrusted workspace may not set (lsp_server.config.restricted)
# with this schema keyword, whose value is the VS Code scope it gets: "machine" (a program to run:
# user settings only) or "machine-overridable" (a server, model, credentials or files: user
# settings, or a trusted workspace's).  VS Code ignores their workspace values in restricted mode.
SCHEMA_RESTRICTED = "x-restricted"
SCHEMA_ALIAS_OF = "x-alias-of"
DEFAULT_SCOPE = "resource"
RESTRICTED_SCOPES = ("machine", "machine-overridable")
UNTRUSTED_DESCRIPTION = (
    "In an untrusted workspace the language server runs in restricted mode: spelling, grammar rules, style and "
    "citations work, but the workspace's settings and .marginalia.toml cannot choose programs, servers, models, "
    "credentials or dictionary files (your user settings still do), and completion and rewrite are off."
)

EXTENSION_ONLY: dict[str, dict[str, Any]] = {
    "marginalia.server.command": {
        "type": "array",
        "items": {"type": "string"},
        "default": [],
        SCHEMA_RESTRICTED: "machine",
        "markdownDescription": (
            "The language server's command line, e.g. `[\"/path/to/venv/bin/python\", \"-m\", \"lsp_server\"]`. "
            "Empty: the Python extension's interpreter (`python -m lsp_server`), else `marginalia serve --stdio` from PATH."
        ),
    },
    "marginalia.trace.server": {
        "type": "string",
        "enum": ["off", "messages", "verbose"],
        "default": "off",
        "scope": "window",
        "description": "Log the messages between VS Code and the server in the Marginalia output.",
    },
}


def leaves(node: dict[str, Any], path: tuple[str, ...] = ()) -> Iterator[tuple[str, dict[str, Any]]]:
    """(dotted key, schema) for every setting; an object with named properties is a group, not a setting."""
    if node.get("type") == "object" and "properties" in node:
        for key, child in node["properties"].items():
            if SCHEMA_ALIAS_OF not in child:  # another name for a section: one VS Code setting each
                yield from leaves(child, (*path, key))
    else:
        yield ".".join(path), node


def scope_of(key: str, node: dict[str, Any]) -> str:
    scope = node.get(SCHEMA_RESTRICTED, node.get("scope", DEFAULT_SCOPE))
    if SCHEMA_RESTRICTED in node and scope not in RESTRICTED_SCOPES:
        raise ValueError(f"{key}: {SCHEMA_RESTRICTED} is {scope!r}, not one of {', '.join(RESTRICTED_SCOPES)}")
    return str(scope)


def contribution(schema: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The ``configuration`` contribution, and the settings restricted in untrusted workspaces."""
    properties: dict[str, Any] = {}
    restricted: list[str] = []
    nodes = [(PREFIX + key, node) for key, node in leaves(schema)] + list(EXTENSION_ONLY.items())
    for key, node in nodes:
        prop = {k: v for k, v in node.items() if k != SCHEMA_RESTRICTED} if key in EXTENSION_ONLY else {
            k: node[k] for k in KEPT if k in node
        }
        if "enum" in prop and "type" not in prop:
            prop["type"] = "string"  # the settings editor needs a type to draw a drop-down
        prop["scope"] = scope_of(key, node)
        if SCHEMA_RESTRICTED in node:
            restricted.append(key)
        properties[key] = prop
    return {"title": "Marginalia", "properties": dict(sorted(properties.items()))}, sorted(restricted)


def updated_package(package: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    out = json.loads(json.dumps(package))
    configuration, restricted = contribution(schema)
    out.setdefault("contributes", {})["configuration"] = configuration
    out.setdefault("capabilities", {})["untrustedWorkspaces"] = {
        "supported": "limited",
        "description": UNTRUSTED_DESCRIPTION,
        "restrictedConfigurations": restricted,
    }
    return out


def render(package: dict[str, Any]) -> str:
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if package.json is out of date")
    args = parser.parse_args(argv)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    current = PACKAGE.read_text(encoding="utf-8")
    wanted = render(updated_package(json.loads(current), schema))
    if args.check:
        if current != wanted:
            print(f"{PACKAGE} is out of date with {SCHEMA}; run {Path(__file__).name}", file=sys.stderr)
            return 1
        print("package.json settings match the schema")
        return 0
    PACKAGE.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
