"""Hidden false positives: ``.marginalia/false-positives.json`` in the workspace.

Keyed by rule id and the sentence LanguageTool reported, so the same match in
the same sentence stays hidden wherever the sentence moves, and comes back if
the sentence is edited.  A server-side file, so it works in every editor and
in ``marginalia lint``.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from lsp_server.config import STATE_DIR

FILE_NAME = "false-positives.json"
_lock = threading.Lock()
_cache: dict[Path, tuple[int, frozenset[tuple[str, str]]]] = {}


def path_for(root: Path) -> Path:
    return root / STATE_DIR / FILE_NAME


def _normalise(sentence: str) -> str:
    return " ".join(sentence.split())


def load(root: Path | None) -> frozenset[tuple[str, str]]:
    """(rule, sentence) pairs; an unreadable file hides nothing (and is not overwritten blindly)."""
    if root is None:
        return frozenset()
    path = path_for(root)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return frozenset()
    with _lock:
        hit = _cache.get(path)
        if hit is not None and hit[0] == stamp:
            return hit[1]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data.get("hidden", []) if isinstance(data, dict) else []
        pairs = frozenset(
            (str(e["rule"]), _normalise(str(e["sentence"]))) for e in entries if isinstance(e, dict) and "rule" in e and "sentence" in e
        )
    except (OSError, ValueError, UnicodeDecodeError):
        pairs = frozenset()
    with _lock:
        _cache[path] = (stamp, pairs)
    return pairs


def is_hidden(root: Path | None, rule: str, sentence: str) -> bool:
    return (rule, _normalise(sentence)) in load(root)


def token(root: Path | None) -> str:
    """Changes whenever the file does: part of the chunk-cache fingerprint."""
    if root is None:
        return ""
    try:
        return str(path_for(root).stat().st_mtime_ns)
    except OSError:
        return ""


def hide(root: Path, rule: str, sentence: str) -> Path:
    path = path_for(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    data: dict[str, object] = {"version": 1, "hidden": []}
    if path.exists():
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path} is not valid JSON ({exc}); fix or delete it first") from exc
        if isinstance(loaded, dict) and isinstance(loaded.get("hidden"), list):
            data = loaded
    hidden = data["hidden"]
    assert isinstance(hidden, list)
    entry = {"rule": rule, "sentence": _normalise(sentence)}
    if entry not in hidden:
        hidden.append(entry)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path
