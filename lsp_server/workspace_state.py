"""Files the server writes for the user: dictionary and workspace rule settings.

Everything a code action can do is done here, server-side, so it works in every
editor and is seen by ``marginalia lint`` in CI (LTeX's client-side commands do
nothing outside VS Code).
"""

from __future__ import annotations

import os
from pathlib import Path

import tomlkit

from lsp_server.config import CONFIG_FILE, STATE_DIR

DICTIONARY_FILE = "dictionary.txt"


def user_config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "marginalia"


def workspace_dictionary_path(root: Path) -> Path:
    return root / STATE_DIR / DICTIONARY_FILE


def user_dictionary_path() -> Path:
    return user_config_dir() / DICTIONARY_FILE


def _read_words(path: Path) -> set[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return set()
    return {w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")}


def load_dictionary(root: Path | None, extra: list[str] | None = None) -> frozenset[str]:
    """User dictionary + workspace dictionary + words from settings."""
    words = _read_words(user_dictionary_path())
    if root is not None:
        words |= _read_words(workspace_dictionary_path(root))
    words.update(extra or ())
    return frozenset(words)


def add_to_dictionary(root: Path | None, word: str) -> Path:
    """Append ``word`` to the workspace dictionary (user dictionary without a workspace)."""
    word = word.strip()
    if not word or any(c.isspace() for c in word):
        raise ValueError(f"not a single word: {word!r}")
    path = workspace_dictionary_path(root) if root is not None else user_dictionary_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = _read_words(path)
    if word not in existing:
        with path.open("a", encoding="utf-8") as fh:
            fh.write(word + "\n")
    return path


def _settings_document(root: Path) -> tuple[Path, tomlkit.TOMLDocument, list[str]]:
    """The file that holds workspace settings and the key path of our table in it."""
    own = root / CONFIG_FILE
    pyproject = root / "pyproject.toml"
    if not own.exists() and pyproject.is_file():
        doc = tomlkit.parse(pyproject.read_text(encoding="utf-8"))
        if "marginalia" in doc.get("tool", {}):
            return pyproject, doc, ["tool", "marginalia"]
    doc = tomlkit.parse(own.read_text(encoding="utf-8")) if own.exists() else tomlkit.document()
    return own, doc, []


def add_to_setting_list(root: Path, key: str, value: str) -> Path:
    """Append ``value`` to the list setting ``key`` in the workspace's settings file, keeping its comments."""
    path, doc, prefix = _settings_document(root)
    table: tomlkit.items.Table | tomlkit.TOMLDocument = doc
    for part in prefix:
        if part not in table:
            table[part] = tomlkit.table()
        table = table[part]  # type: ignore[assignment]
    current = table.get(key)
    if current is None:
        arr = tomlkit.array()
        arr.append(value)
        table[key] = arr
    elif value not in list(current):
        current.append(value)
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    return path


def disable_rule(root: Path, rule: str) -> Path:
    return add_to_setting_list(root, "disabled_rules", rule)
