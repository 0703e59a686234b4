"""Which .bib files a document uses, found safely inside the workspace.

Declared names come from the document itself (\\bibliography, \\addbibresource,
front matter ``bibliography:``), from what the parsers recorded in
``doc.meta["bibliographies"]``, and from the ``citations.bibliography``
setting.  A LaTeX chapter without its own declaration borrows its root's:
``% !TEX root = ../main.tex`` first, else a ``.tex`` with ``\\documentclass`` in
the same folder or above (never above the workspace root).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

from marginalia_citations.cites import strip_latex_comments

_LATEX_BIB = re.compile(r"\\(?:bibliography|addbibresource|addglobalbib|addsectionbib)\s*(?:\[[^\]]*\])?\s*\{([^}]*)\}")
_TEX_ROOT = re.compile(r"^\s*%\s*!\s*TeX\s+root\s*=\s*(.+?)\s*$", re.I | re.M)
_DOCUMENTCLASS = re.compile(r"^[^%\n]*\\documentclass", re.M)
_INCLUDE = re.compile(r"^[^%\n]*?\\(?:include|input|subfile|import\s*\{[^}]*\})\s*\{([^}]+)\}", re.M)
FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
MAX_ROOT_CANDIDATES = 40
MAX_INCLUDED_FILES = 300
T = TypeVar("T")


@dataclass(frozen=True)
class Declared:
    """A bibliography name as written, where it was written, and how to resolve it."""

    name: str
    start: int  # span in the document where it is declared (0, 0 when from settings)
    end: int
    from_settings: bool = False
    base: Path | None = None  # folder that relative names start from


def uri_to_path(uri: str) -> Path | None:
    if not uri:
        return None
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return Path(url2pathname(unquote(parsed.path)))
    if not parsed.scheme or len(parsed.scheme) == 1:  # a plain path (or C:\...)
        return Path(uri)
    return None


def latex_declarations(source: str) -> list[Declared]:
    out = []
    # Blanking a whole book's comments would cost a millisecond per keystroke: only the
    # line of each declaration is looked at (the blanks keep every offset).
    for m in _LATEX_BIB.finditer(source):
        line_start = source.rfind("\n", 0, m.start()) + 1
        before = source[line_start : m.start()]  # the command's line up to it
        if "%" in before and strip_latex_comments(before) != before:
            continue  # the command itself is commented out
        pos = m.start(1)
        for part in strip_latex_comments(m.group(1)).split(","):
            name = part.strip()
            if name:
                lead = len(part) - len(part.lstrip())
                out.append(Declared(name, pos + lead, pos + lead + len(name)))
            pos += len(part) + 1
    return out


def front_matter_declarations(source: str) -> list[Declared]:
    m = FRONT_MATTER.match(source)
    if not m:
        return []
    import yaml  # only Markdown front matter needs it (60 ms to import)

    try:
        data = yaml.safe_load(m.group(1))
    except yaml.YAMLError:
        return []
    if not isinstance(data, dict):
        return []
    # Case-insensitive, as templates such as ReScience's write "Bibliography:".
    value = next((v for k, v in data.items() if isinstance(k, str) and k.lower() == "bibliography"), None)
    names = [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
    out = []
    for name in names:
        at = source.find(name, m.start(1), m.end(1))
        out.append(Declared(name, max(at, 0), max(at, 0) + len(name) if at >= 0 else 0))
    return out


def quarto_project_declarations(doc_path: Path, root: Path | None) -> list[Declared]:
    """``bibliography:`` of the nearest ``_quarto.yml`` (a Quarto project's shared metadata)."""
    folder = doc_path.parent.resolve()
    root_r = root.resolve() if root is not None else folder
    while folder.is_relative_to(root_r):
        project = folder / "_quarto.yml"
        if project.is_file():
            text = read_text(project, limit=1_000_000)
            import yaml

            try:
                data = yaml.safe_load(text)
            except yaml.YAMLError:
                return []
            value = data.get("bibliography") if isinstance(data, dict) else None
            names = [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
            return [Declared(n, 0, 0, base=folder) for n in names]
        if folder == root_r:
            break
        folder = folder.parent
    return []


def declared_in(source: str, language_id: str, meta: dict[str, object] | None = None) -> list[Declared]:
    """Every bibliography the document names itself, in order, without repeats."""
    found = latex_declarations(source) if language_id == "latex" else front_matter_declarations(source)
    names = {d.name for d in found}
    recorded = (meta or {}).get("bibliographies")
    for extra in recorded if isinstance(recorded, (list, tuple)) else ():
        if isinstance(extra, str) and extra not in names:
            at = source.find(extra)
            found.append(Declared(extra, max(at, 0), max(at, 0) + len(extra) if at >= 0 else 0))
            names.add(extra)
    return found


def resolve_bib_path(name: str, base: Path | None, root: Path | None, *, allow_outside: bool = False) -> Path | None:
    """``name`` relative to the document folder, then the workspace root; only inside the root.

    ``\\bibliography{refs}`` means ``refs.bib``.  Absolute paths are accepted only
    when ``allow_outside`` (they come from the user's own settings).
    """
    raw = Path(name.strip()).expanduser()
    candidates = [raw] if raw.suffix.lower() == ".bib" else [raw.with_name(raw.name + ".bib"), raw]
    root_r = root.resolve() if root is not None else None
    for cand in candidates:
        options = [cand] if cand.is_absolute() else [b / cand for b in (base, root) if b is not None]
        for opt in options:
            try:
                real = opt.resolve()
            except (OSError, RuntimeError):
                continue
            inside = root_r is not None and real.is_relative_to(root_r)
            if root_r is None and base is not None:
                inside = real.is_relative_to(base.resolve())
            if not (inside or (allow_outside and cand.is_absolute())):
                continue
            if real.is_file():
                return real
    return None


def read_text(path: Path, limit: int = 4_000_000) -> str:
    """A LaTeX file's text ("" when unreadable or huge), cached per (mtime, size)."""
    try:
        st = path.stat()
    except OSError:
        return ""
    if st.st_size > limit:
        return ""
    return _read_cached(str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=512)
def _read_cached(path: str, mtime_ns: int, size: int) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def find_root_document(doc_path: Path, source: str, root: Path | None) -> Path | None:
    """The main .tex file a chapter belongs to (see the module docstring)."""
    m = _TEX_ROOT.search(source[:4000])
    return TREE_CACHE.get(("root", str(doc_path), str(root), m.group(1) if m else None), lambda: _find_root(doc_path, source, root))


def _find_root(doc_path: Path, source: str, root: Path | None) -> Path | None:
    m = _TEX_ROOT.search(source[:4000])
    if m:
        cand = (doc_path.parent / m.group(1).strip()).resolve()
        if cand.is_file() and (root is None or cand.is_relative_to(root.resolve())):
            return cand
    if root is None:
        return None
    root_r = root.resolve()
    folder = doc_path.parent.resolve()
    seen = 0
    while folder.is_relative_to(root_r):
        for cand in sorted(folder.glob("*.tex")):
            seen += 1
            if seen > MAX_ROOT_CANDIDATES:
                return None
            if cand == doc_path.resolve():
                continue
            if _DOCUMENTCLASS.search(read_text(cand)) and tree_declarations(cand, root):
                return cand
        if folder == root_r:
            break
        folder = folder.parent
    return None


_MACRO_DEF = re.compile(r"^[^%\n]*?\\(?:(?:re)?newcommand\*?\s*\{?\\([A-Za-z]+)\}?|def\s*\\([A-Za-z]+))\s*\{([^{}\n]*)\}", re.M)
_MACRO_USE = re.compile(r"\\([A-Za-z]+)")


def included_sources(main: Path, root: Path | None, skip: Path | None = None) -> Iterable[tuple[Path, str]]:
    """The text of ``main`` and every file it \\include-s or \\input-s, depth-first, inside the root.

    Include arguments may use simple argument-less macros (``\\input{\\chapterpath/intro}``
    with ``\\renewcommand\\chapterpath{Main/Intro}`` earlier in the including file).
    """
    seen: set[Path] = set()
    stack = [main.resolve()]
    root_r = root.resolve() if root is not None else main.resolve().parent
    base = main.resolve().parent
    macros: dict[str, str] = {}
    while stack and len(seen) < MAX_INCLUDED_FILES:
        path = stack.pop()
        if path in seen or not path.is_relative_to(root_r):
            continue
        seen.add(path)
        text = read_text(path)
        if skip is None or path != skip:
            yield path, text
        found = []
        events = sorted([(m.start(), "def", m) for m in _MACRO_DEF.finditer(text)] + [(m.start(), "inc", m) for m in _INCLUDE.finditer(text)], key=lambda x: x[0])
        for _pos, kind, m in events:
            if kind == "def":
                macros[m.group(1) or m.group(2)] = m.group(3).strip()
                continue
            name = _MACRO_USE.sub(lambda u: macros.get(u.group(1), u.group(0)), m.group(1).strip())
            for cand in (base / name, base / f"{name}.tex", path.parent / name, path.parent / f"{name}.tex"):
                if cand.suffix == ".tex" and cand.is_file():
                    found.append(cand.resolve())
                    break
        stack.extend(reversed(found))


class _Ttl:
    """Results that depend on other files, kept for a few seconds: a document is
    re-checked on every keystroke, but its preamble and chapters change rarely."""

    def __init__(self, seconds: float = 5.0) -> None:
        self.seconds = seconds
        self._data: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        now = time.monotonic()
        with self._lock:
            hit = self._data.get(key)
            if hit is not None and now - hit[0] < self.seconds:
                return hit[1]  # type: ignore[no-any-return]
        value = make()
        with self._lock:
            if len(self._data) > 256:
                self._data.clear()
            self._data[key] = (now, value)
        return value


TREE_CACHE = _Ttl()


def tree_declarations(main: Path, root: Path | None) -> list[Declared]:
    """Bibliographies declared anywhere in ``main`` and the files it includes
    (a preamble in ``\\input{preamble}`` is common); names are relative to ``main``'s folder."""

    def scan() -> list[Declared]:
        out: list[Declared] = []
        for _path, text in included_sources(main, root):
            out.extend(Declared(d.name, 0, 0, base=main.resolve().parent) for d in latex_declarations(text))
        return out

    return TREE_CACHE.get(("decl", str(main), str(root)), scan)


def settings_declarations(names: Sequence[str]) -> list[Declared]:
    return [Declared(n, 0, 0, from_settings=True) for n in names if isinstance(n, str) and n.strip()]
