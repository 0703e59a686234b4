"""The checked-in settings schema (``schema/settings.schema.json``) and its generator.

Editors read the file for completion and validation of ``.marginalia.toml``
and editor settings; a test keeps it equal to what the code generates.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lsp_server.config import schema_json
from lsp_server.plugin import discover

SCHEMA_PATH = Path("schema") / "settings.schema.json"


@dataclass(frozen=True)
class GeneratedSchema:
    text: str
    # Plugins that could not be loaded, so their settings are missing from ``text``.
    blocked: dict[str, str]


def generate() -> GeneratedSchema:
    """The JSON schema of the core's settings and every installed plugin's."""
    loaded = discover()
    return GeneratedSchema(schema_json({name: p.Settings for name, p in loaded.plugins.items()}), loaded.blocked)


def check_schema(path: Path, generated: GeneratedSchema) -> tuple[bool, str]:
    """(True, message) when ``path`` holds exactly the generated schema."""
    try:
        current = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return False, f"{path}: cannot be read ({exc})"
    if current == generated.text:
        return True, f"{path} is up to date"
    return False, f"{path} is out of date; regenerate it with `marginalia schema --output {path}`"
