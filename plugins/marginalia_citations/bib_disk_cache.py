"""Parsed .bib files kept on disk between sessions, as JSON.

bibtexparser's splitter needs about a second for a 7,000-entry file, and an
editor session starts with that parse every time.  What the parse produced
(entries with their offsets, ``@string`` macros, problems) is stored under the
user's cache folder, named by a hash of the file's bytes and the versions of
bibtexparser and of this format, so an edited file or a new bibtexparser is
parsed afresh.  Only big files are stored: a small one parses faster than its
cache file is read.  The cache holds plain data (JSON, never pickle), and any
error reading or writing it only means parsing again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from marginalia_citations.bibfile import BibEntry, BibFile, BibProblem
from marginalia_citations.gc_pause import gc_paused

log = logging.getLogger(__name__)

FORMAT = 1
MIN_CACHED_BYTES = 256 * 1024
MAX_CACHED_FILES = 32
# Problems added from outside the text (they name the file): never stored.
_NOT_STORED = frozenset({"encoding"})


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "marginalia" / "bib"


def _parser_version() -> str:
    try:
        return version("bibtexparser")
    except PackageNotFoundError:  # pragma: no cover - the plugin depends on it
        return "unknown"


def cache_path(data: bytes) -> Path:
    h = hashlib.blake2b(data, digest_size=20)
    h.update(f"\0{FORMAT}\0{_parser_version()}".encode())
    return cache_dir() / f"{h.hexdigest()}.json"


def worth_caching(data: bytes) -> bool:
    return len(data) >= MIN_CACHED_BYTES


def load(data: bytes, path: str, text: str, encoding: str, encoding_note: str | None) -> BibFile | None:
    """The parse of ``data`` stored earlier, as :func:`parse_bib_text` would give it; None if absent or unreadable."""
    file = cache_path(data)
    with gc_paused():
        return _load(file, path, text, encoding, encoding_note)


def _load(file: Path, path: str, text: str, encoding: str, encoding_note: str | None) -> BibFile | None:
    try:
        stored: dict[str, Any] = json.loads(file.read_text(encoding="utf-8"))
        if stored.get("format") != FORMAT or stored.get("length") != len(text):
            return None
        bib = BibFile(path=path, text=text, encoding=encoding)
        bib.strings = {str(k): str(v) for k, v in stored["strings"].items()}
        if encoding_note:
            bib.problems.append(BibProblem(0, 0, 0, encoding_note, "encoding"))
        bib.problems.extend(BibProblem(int(s), int(e), int(line), str(msg), str(kind)) for s, e, line, msg, kind in stored["problems"])
        bib.problems.sort(key=lambda p: p.start)  # stable: as the parse orders them
        for key, entry_type, fields, line, start, end, key_start in stored["entries"]:
            bib.add(BibEntry(key, entry_type, tuple((name, value) for name, value in fields), line, start, end, path, key_start))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        log.info("ignoring the cached parse %s: %s", file, exc)
        return None
    return bib


def store(data: bytes, bib: BibFile) -> None:
    """Keep the parse of ``data`` for the next session (errors are logged, never raised)."""
    file = cache_path(data)
    payload = {
        "format": FORMAT,
        "length": len(bib.text),
        "strings": bib.strings,
        "problems": [[p.start, p.end, p.line, p.message, p.kind] for p in bib.problems if p.kind not in _NOT_STORED],
        "entries": [[e.key, e.entry_type, e.fields, e.line, e.start, e.end, e.key_start] for e in bib.all_entries],
    }
    temp: str | None = None
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=file.parent, suffix=".tmp", delete=False) as out:
            temp = out.name
            out.write(json.dumps(payload, ensure_ascii=False, separators=(",", ":")))  # one C-level encode: json.dump writes piece by piece, 4x slower
        os.replace(temp, file)  # readers never see half a file
        temp = None
        _trim(file.parent)
    except OSError as exc:
        log.info("cannot keep the parse of %s in %s: %s", bib.path, file.parent, exc)
    finally:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)


def _trim(folder: Path) -> None:
    """Keep the most recently written files only."""
    files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in files[MAX_CACHED_FILES:]:
        old.unlink(missing_ok=True)
