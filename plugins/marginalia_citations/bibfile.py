"""Reading .bib files with bibtexparser 2, tolerant of real-world mess.

bibtexparser's splitter does the parsing (it keeps going past broken blocks and
reports them with their line).  We run it with an empty middleware stack:
string expansion (including ``#`` concatenation, which its middleware does not
handle), crossref inheritance and LaTeX decoding happen lazily per field, so a
7,000-entry file is usable as soon as the splitter is done; decoding every
field up front costs twenty times as much and is needed only for the few
entries a user hovers or formats.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from marginalia_citations.gc_pause import gc_paused
from marginalia_citations.latex_text import latex_to_text

if TYPE_CHECKING:
    from bibtexparser.model import Entry, String

log = logging.getLogger(__name__)

MAX_BIB_BYTES = 64 * 1024 * 1024
MONTHS = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
    "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November", "dec": "December",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class FieldSpan:
    """Where one field sits in the file: ``name = value`` spans and the value alone."""

    name: str
    raw_value: str
    start: int  # start of the field name
    value_start: int
    value_end: int


@dataclass(frozen=True, slots=True)
class BibEntry:
    """One ``@type{key, ...}`` block; offsets index the file's text.

    ``fields`` holds (lower-case name, raw value as written); where each field
    sits is worked out only when a check or a fix needs it (:meth:`BibFile.spans`).
    """

    key: str
    entry_type: str  # lower case
    fields: tuple[tuple[str, str], ...]
    line: int  # 0-based line of the ``@``
    start: int
    end: int
    path: str  # file path, or the document URI for an open buffer
    key_start: int = 0

    def raw(self, name: str) -> str | None:
        for k, v in self.fields:
            if k == name:
                return v
        return None

    @property
    def key_span(self) -> tuple[int, int]:
        """The key's offsets: findings about the whole entry point there."""
        return self.key_start, self.key_start + len(self.key)


@dataclass(frozen=True, slots=True)
class BibProblem:
    """Something wrong in the file itself, with its span and 0-based line."""

    start: int
    end: int
    line: int
    message: str
    kind: str  # "syntax" | "duplicate-field" | "encoding" | "too-large"


@dataclass
class BibFile:
    """A parsed .bib: entries by key (first definition wins, as in BibTeX) and every entry in order."""

    path: str
    text: str
    entries: dict[str, BibEntry] = field(default_factory=dict)
    all_entries: list[BibEntry] = field(default_factory=list)
    strings: dict[str, str] = field(default_factory=dict)
    problems: list[BibProblem] = field(default_factory=list)
    encoding: str = "utf-8"
    _lower: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _resolved: dict[tuple[str, str], str | None] = field(default_factory=dict)
    _spans: dict[int, tuple[FieldSpan, ...]] = field(default_factory=dict)

    # -- lookups -------------------------------------------------------------
    def add(self, entry: BibEntry) -> None:
        """Record an entry; the first of several with one key is the one BibTeX uses."""
        self.all_entries.append(entry)
        self.entries.setdefault(entry.key, entry)
        self._lower.setdefault(entry.key.lower(), entry.key)

    def get(self, key: str) -> BibEntry | None:
        hit = self.entries.get(key)
        if hit is None:
            real = self._lower.get(key.lower())
            hit = self.entries.get(real) if real is not None else None
        return hit

    def spans(self, entry: BibEntry) -> tuple[FieldSpan, ...]:
        """Offsets of every field of ``entry`` in :attr:`text` (worked out once per entry)."""
        hit = self._spans.get(entry.start)
        if hit is None or (hit and hit[0].start < entry.start):
            hit = _locate_fields(self.text, entry)
            self._spans[entry.start] = hit
        return hit

    def span(self, entry: BibEntry, name: str) -> FieldSpan | None:
        return next((f for f in self.spans(entry) if f.name == name), None)

    # -- field values ----------------------------------------------------------
    def value(self, entry: BibEntry, name: str, *, inherit: bool = True) -> str | None:
        """The field as BibTeX sees it: macros and ``#`` expanded, outer delimiters gone,
        inner braces and LaTeX kept; inherited through ``crossref`` when absent."""
        name = name.lower()
        cache_key = (f"{entry.key}\0{entry.start}", name if inherit else name + "\0own")
        with self._lock:
            if cache_key in self._resolved:
                return self._resolved[cache_key]
        raw = entry.raw(name)
        out = expand_value(raw, self.strings) if raw is not None else None
        if out is None and inherit:
            out = self._inherited(entry, name)
        with self._lock:
            self._resolved[cache_key] = out
        return out

    def _inherited(self, entry: BibEntry, name: str, depth: int = 0) -> str | None:
        ref = entry.raw("crossref")
        if ref is None or depth > 4:
            return None
        parent = self.get(expand_value(ref, self.strings).strip())
        if parent is None or parent is entry:
            return None
        # biblatex's default inheritance: the parent's title is the child's booktitle.
        source = {"booktitle": "title", "booksubtitle": "subtitle"}.get(name, name)
        if name in ("title", "subtitle", "key", "ids", "crossref"):
            return None
        raw = parent.raw(source) if source != name and parent.raw(name) is None else parent.raw(name)
        if raw is not None:
            return expand_value(raw, self.strings)
        return self._inherited(parent, name, depth + 1)

    def decoded(self, entry: BibEntry, name: str) -> str | None:
        """The field decoded to Unicode (accents, dashes, braces removed)."""
        v = self.value(entry, name)
        return latex_to_text(v) if v is not None else None


# --------------------------------------------------------------------------- values

_SPLIT_HASH = re.compile(r'[{}"#]')


def _split_concatenation(raw: str) -> list[str]:
    """Split ``a # "b" # {c}`` at top-level ``#``."""
    parts: list[str] = []
    depth = 0
    in_quote = False
    last = 0
    for m in _SPLIT_HASH.finditer(raw):
        ch = m.group()
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        elif ch == '"' and depth == 0:
            in_quote = not in_quote
        elif ch == "#" and depth == 0 and not in_quote:
            parts.append(raw[last : m.start()])
            last = m.end()
    parts.append(raw[last:])
    return parts


def expand_value(raw: str, strings: dict[str, str]) -> str:
    """Resolve one raw field value against ``@string`` macros and month names."""
    if "#" not in raw and len(raw) >= 2 and raw[0] == "{" and raw[-1] == "}":
        return raw[1:-1]  # the common case, without the concatenation scanner
    out: list[str] = []
    for part in _split_concatenation(raw):
        p = part.strip()
        if len(p) >= 2 and ((p[0] == "{" and p[-1] == "}") or (p[0] == '"' and p[-1] == '"')):
            out.append(p[1:-1])
        elif p.isdigit():
            out.append(p)
        elif p.lower() in strings:
            out.append(strings[p.lower()])
        elif p.lower() in MONTHS:
            out.append(MONTHS[p.lower()])
        else:
            out.append(p)
    return "".join(out)


# --------------------------------------------------------------------------- decoding files


def decode_bytes(data: bytes) -> tuple[str, str, str | None]:
    """(text, encoding, note).  UTF-8 first (BOM allowed); otherwise cp1252, then latin-1,
    and say so, because a wrong guess shows up as odd accents in references."""
    try:
        return data.decode("utf-8-sig"), "utf-8", None
    except UnicodeDecodeError as exc:
        where = exc.start
    for enc in ("cp1252", "latin-1"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return text, enc, f"not valid UTF-8 (first bad byte at offset {where}); read as {enc}"
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


# --------------------------------------------------------------------------- parsing



def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


@lru_cache(maxsize=4096)
def _field_name_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![^\s,{{(]){re.escape(name)}\s*=\s*", re.I)


def _locate_fields(text: str, entry: BibEntry) -> tuple[FieldSpan, ...]:
    """Find each field's offsets inside the entry's text, in order."""
    spans: list[FieldSpan] = []
    pos = entry.key_start + len(entry.key)
    end = entry.end
    for name, value in entry.fields:
        m = _field_name_pattern(name).search(text, pos, end)
        if m is None:
            spans.append(FieldSpan(name, value, pos, pos, pos))
            continue
        vstart = text.find(value, m.end(), end) if value else m.end()
        if vstart < 0:
            vstart = m.end()
        vend = vstart + len(value)
        spans.append(FieldSpan(name, value, m.start(), vstart, vend))
        pos = vend
    return tuple(spans)


def _block_span(text: str, line_starts: list[int], block_line: int | None, raw: str | None) -> tuple[int, int]:
    line = block_line if block_line is not None and 0 <= block_line < len(line_starts) else 0
    begin = line_starts[line]
    if raw:
        at = text.find(raw, begin, begin + len(raw) + 4096)
        if at >= 0:
            return at, at + len(raw)
    return begin, min(len(text), begin + max(1, len(raw or "")))


def _make_entry(text: str, starts: list[int], e: Entry, path: str) -> BibEntry:
    s, end = _block_span(text, starts, e.start_line, e.raw)
    key_at = text.find(e.key, s, end) if e.key else s
    return BibEntry(
        key=e.key,
        entry_type=e.entry_type.lower(),
        fields=tuple((f.key.lower(), f.value if isinstance(f.value, str) else str(f.value)) for f in e.fields),
        line=e.start_line if e.start_line is not None else 0,
        start=s,
        end=end,
        path=path,
        key_start=key_at if key_at >= 0 else s,
    )


def _first_line(message: str) -> str:
    return " ".join(message.strip().split("\n")[0].split())


def parse_bib_text(text: str, path: str, encoding: str = "utf-8", encoding_note: str | None = None) -> BibFile:
    """Parse a whole file; never raises (a broken block becomes a :class:`BibProblem`)."""
    with gc_paused():
        return _parse_bib_text(text, path, encoding, encoding_note)


def _parse_bib_text(text: str, path: str, encoding: str, encoding_note: str | None) -> BibFile:
    text_lf = text  # CRLF needs no care: offsets index this very string, lines count "\n"
    bib = BibFile(path=path, text=text_lf, encoding=encoding)
    starts = _line_starts(text_lf)
    if encoding_note:
        bib.problems.append(BibProblem(0, 0, 0, encoding_note, "encoding"))
    # Imported on first use: a document without a bibliography never needs it.
    import bibtexparser
    from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, ParsingFailedBlock

    logger = logging.getLogger("bibtexparser")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)  # broken blocks are reported as findings instead
    try:
        library = bibtexparser.parse_string(text_lf, parse_stack=[])
    except Exception as exc:  # noqa: BLE001
        bib.problems.append(BibProblem(0, min(len(text), 1), 0, f"the file could not be parsed: {exc}", "syntax"))
        return bib
    finally:
        logger.setLevel(previous)

    raw_strings: list[String] = list(library.strings)
    for macro in raw_strings:
        bib.strings[macro.key.lower()] = expand_value(macro.value, bib.strings)

    found: list[Entry] = list(library.entries)
    for block in library.failed_blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            dup = block.ignore_error_block
            if isinstance(dup, Entry):
                found.append(dup)
            continue
        s, end = _block_span(text_lf, starts, block.start_line, block.raw)
        line = block.start_line or 0
        if isinstance(block, DuplicateFieldKeyBlock):
            inner = block.ignore_error_block
            if isinstance(inner, Entry):
                found.append(inner)
            names = ", ".join(sorted(block.duplicate_keys))
            bib.problems.append(BibProblem(s, end, line, f"field given twice: {names} (BibTeX keeps the first)", "duplicate-field"))
            continue
        if isinstance(block, ParsingFailedBlock):
            err = block.error
            why = _first_line(str(getattr(err, "abort_reason", "") or err or "syntax error"))
            head = (block.raw or "").split("\n", 1)[0][:60]
            bib.problems.append(BibProblem(s, end, line, f"broken entry `{head}` (line {line + 1}): {why}; it is skipped", "syntax"))
    for entry in sorted((_make_entry(text_lf, starts, e, path) for e in found), key=lambda x: x.start):
        bib.add(entry)  # in file order, so that the first definition of a key wins
    bib.problems.sort(key=lambda p: p.start)
    return bib


# --------------------------------------------------------------------------- cache


class BibCache:
    """Parsed files per path, re-read when (mtime, size) changes; parsed buffers per content."""

    def __init__(self) -> None:
        self._files: dict[str, tuple[tuple[int, int], BibFile]] = {}
        self._buffers: dict[str, tuple[int, BibFile]] = {}
        self._lock = threading.Lock()

    def load(self, path: Path) -> BibFile:
        """Parse ``path`` (or return the cached parse); an unreadable file gives an empty
        :class:`BibFile` whose only problem says why."""
        key = str(path)
        try:
            st = path.stat()
        except OSError as exc:
            return BibFile(path=key, text="", problems=[BibProblem(0, 0, 0, f"cannot read {path}: {exc.strerror}", "syntax")])
        stamp = (st.st_mtime_ns, st.st_size)
        with self._lock:
            hit = self._files.get(key)
            if hit is not None and hit[0] == stamp:
                return hit[1]
        bib = self._read(path, st.st_size)
        with self._lock:
            self._files[key] = (stamp, bib)
        return bib

    @staticmethod
    def _read(path: Path, size: int) -> BibFile:
        key = str(path)
        if size > MAX_BIB_BYTES:
            msg = f"{path.name} is {size // (1024 * 1024)} MiB, more than the {MAX_BIB_BYTES // (1024 * 1024)} MiB read for citations"
            return BibFile(path=key, text="", problems=[BibProblem(0, 0, 0, msg, "too-large")])
        try:
            data = path.read_bytes()
        except OSError as exc:
            return BibFile(path=key, text="", problems=[BibProblem(0, 0, 0, f"cannot read {path}: {exc.strerror}", "syntax")])
        if b"\0" in data[:8192]:
            return BibFile(path=key, text="", problems=[BibProblem(0, 0, 0, f"{path.name} looks like a binary file, not BibTeX", "syntax")])
        text, enc, note = decode_bytes(data)
        note = f"{path.name}: {note}" if note else None
        # A big file parsed in an earlier session is read back from the user's cache (no cycle:
        # that module needs this one's classes).
        from marginalia_citations import bib_disk_cache

        if not bib_disk_cache.worth_caching(data):
            return parse_bib_text(text, key, enc, note)
        bib = bib_disk_cache.load(data, key, text, enc, note)
        if bib is None:
            bib = parse_bib_text(text, key, enc, note)
            if bib.all_entries:  # a parse that found nothing is not worth keeping
                bib_disk_cache.store(data, bib)
        return bib

    def parse_buffer(self, uri: str, text: str) -> BibFile:
        """An open .bib buffer, parsed once per content."""
        h = hash(text)
        with self._lock:
            hit = self._buffers.get(uri)
            if hit is not None and hit[0] == h:
                return hit[1]
        bib = parse_bib_text(text, uri)
        with self._lock:
            if len(self._buffers) > 32:
                self._buffers.clear()
            self._buffers[uri] = (h, bib)
        return bib


@lru_cache(maxsize=1)
def default_cache() -> BibCache:
    return BibCache()
