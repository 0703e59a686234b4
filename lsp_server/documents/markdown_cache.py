"""Per-document Markdown parse state, so a keystroke in a long book re-parses a few blocks.

The last parse of a URI is kept as a :class:`MarkdownTrace`: the source, where
each top-level markdown-it block sat, and the chunks, notes and references the
parse produced, all sorted by source position.  The next parse compares the two
sources once (common prefix and suffix), re-parses a *window* of whole
top-level blocks around the edit with the same parser, and splices: what lies
before the window is kept, what lies after it is shifted.  The result is the
document a full parse of the new source gives, or no result at all: then the
caller parses in full.  A fallback is always allowed, a different answer never.

Why a window is enough.  markdown-it parses top-level blocks one after another,
and a block rule reads forward from the line it starts on, never back.  The
window is ``[L, E)`` in lines:

* ``L`` starts an old block and follows a blank line (or is where the body
  starts).  A block before ``L`` ended at that blank line; the rules that look
  past their own end (list, footnote and indented-code continuation, a
  definition list's next term, a table's delimiter row) read at most the three
  lines from ``L`` on, so those must end before the edit.
* ``S`` starts an old block wholly after the edit and ``E`` starts the next
  one, with a blank line before ``E`` (or ``E`` is the end of the source).  The
  window is parsed on exactly the new ``source[L:E]``.  If that parse starts a
  top-level block at ``S``, nothing before ``S`` read past ``E`` (a block
  reading that far would have run over all of ``[S, E)``), so the full parse
  makes the same blocks up to ``S`` and a fresh one at ``S``; from there on the
  text is the old text, so the full parse is the old one, shifted.

What carries state further, and what is done about it:

* front matter and the first line: an edit before the body starts (or in the
  first line, where an opening ``---`` would be) parses in full; so does every
  edit when the source opens with ``---`` that closes nowhere (a closing line
  typed anywhere makes it front matter);
* link reference definitions are read by inline parsing everywhere: an edit
  whose window held one before or holds one after parses in full;
* a raw TeX ``\\begin{x}`` with no ``\\end{x}`` after it looked at every line to
  the end: parse in full when the window has one, or when an earlier one exists
  and the window holds an ``\\end{`` that could now close it;
* fenced code, ``:::`` divs, HTML and Liquid blocks that do not close within
  the window run to its end, so no block starts at ``S``: parse in full.

Footnote definitions, lists, block quotes, tables, setext headings and Quarto
chunk options need nothing more: they are re-parsed with their block, and
their neighbours' look-ahead is covered by the margins above.
"""

from __future__ import annotations

import logging
import re
import threading
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from lsp_server.documents.markdown import (
    FLAVORS,
    FullParse,
    Line,
    Note,
    Ref,
    Walker,
    parse_blocks,
    parse_markdown,
    parse_markdown_full,
    split_refs,
)
from lsp_server.documents.markdown_blocks import UNCLOSED_TEX
from lsp_server.documents.model import Chunk, ProseBuilder, ProseDocument
from lsp_server.lru import LRU
from lsp_server.text_diff import changed_span

log = logging.getLogger(__name__)

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_OPEN_FENCE = re.compile(r"---[ \t]*(?:\r\n|\r|\n)")
# markdown-it's "empty line": spaces and tabs only.
_BLANK = re.compile(r"[ \t]*")
# Old blocks looked at when widening the window; beyond that a full parse is as cheap.
_MAX_WIDEN = 64
# Lines from L that a block ending before L may read (definition list: term, blank, ": ").
_LOOKAHEAD_LINES = 3


@dataclass(frozen=True, slots=True)
class MarkdownTrace:
    """One parse of one source, laid out so that a window of it can be replaced.

    Everything is sorted by source offset; the chunks, notes and references of
    a top-level block lie inside its ``[start, end)``, so those of a window are
    one contiguous slice of each list.
    """

    source: str
    language_id: str
    body_start: int
    guard: int  # an edit before this offset re-parses in full
    starts: list[int]  # top-level blocks: first offset of the first line
    ends: list[int]  # and first offset of the line after the last (non-decreasing)
    references: frozenset[str]
    reference_defs: list[int]  # offsets where link reference definitions start (duplicates too)
    unclosed_tex: list[int]  # offsets of raw TeX \begin lines that found no \end
    chunks: tuple[Chunk, ...]
    chunk_starts: list[int]
    front_notes: tuple[Note, ...]
    body_notes: list[Note]
    citations: list[Ref]
    crossrefs: list[Ref]
    meta_head: dict[str, object]
    declared: str | None

    def document(self, uri: str, version: int | None) -> ProseDocument:
        meta: dict[str, object] = dict(self.meta_head)
        meta["citations"] = list(self.citations)  # copies: a plugin must not edit the trace
        meta["crossrefs"] = list(self.crossrefs)
        return ProseDocument(
            uri=uri,
            source=self.source,
            language_id=self.language_id,
            version=version,
            chunks=self.chunks,
            declared_language=self.declared,
            markup_notes=self.front_notes + tuple(self.body_notes),
            meta=meta,
        )


@dataclass
class ParseStats:
    """What the last parse of a URI did, for tests and benchmarks."""

    mode: str = "none"  # "full", "window" or "unchanged"
    reason: str = ""  # why a full parse, when it was one after an earlier parse
    window_chars: int = 0
    window_lines: int = 0
    blocks_walked: int = 0  # top-level blocks whose prose was rebuilt


@dataclass
class _Entry:
    lock: threading.Lock = field(default_factory=threading.Lock)
    trace: MarkdownTrace | None = None
    stats: ParseStats = field(default_factory=ParseStats)


_STATES: LRU[str, _Entry] = LRU(16)  # parse state of the most recently parsed Markdown documents


class _Fallback(Exception):
    """The window cannot be shown to match a full parse; the message says why."""


def parse_markdown_cached(source: str, uri: str, version: int | None, flavor: str = "markdown") -> ProseDocument:
    """:func:`~lsp_server.documents.markdown.parse_markdown`, re-parsing only around the edit since the last call for ``uri``."""
    language_id = flavor if flavor in FLAVORS else "markdown"
    entry = _STATES.get(uri)
    if entry is None:
        entry = _Entry()
        _STATES.put(uri, entry)
    with entry.lock:
        old = entry.trace
        reason = "first parse"
        if old is not None and old.language_id == language_id:
            if old.source == source:
                entry.stats = ParseStats("unchanged")
                return old.document(uri, version)
            stats = ParseStats("window")
            try:
                trace = reparse_window(old, source, stats)
            except _Fallback as why:
                reason = str(why)
            except Exception:  # a bug here must cost a full parse, never the document
                log.exception("incremental Markdown parse failed on %s; parsing in full", uri)
                reason = "error"
            else:
                entry.trace, entry.stats = trace, stats
                return trace.document(uri, version)
        elif old is not None:
            reason = "language changed"
        doc, entry.trace = _full(source, uri, version, language_id)
        entry.stats = ParseStats("full", reason)
        return doc


def _full(source: str, uri: str, version: int | None, language_id: str) -> tuple[ProseDocument, MarkdownTrace | None]:
    try:
        full = parse_markdown_full(source, uri, version, language_id)
    except Exception:  # noqa: BLE001 - parse_markdown turns the parser bug into a note; keep no state
        return parse_markdown(source, uri, version, language_id), None
    return full.doc, trace_of(full, source, language_id)


def last_parse_stats(uri: str) -> ParseStats:
    entry = _STATES.get(uri)
    return entry.stats if entry is not None else ParseStats()


def forget(uri: str) -> None:
    """Drop the parse state of ``uri`` (the document was closed)."""
    _STATES.pop(uri)


# -- building a trace -------------------------------------------------------------


def _guard(source: str, body_start: int, has_front_matter: bool) -> int:
    """Edits before the returned offset re-parse in full (see the module docstring)."""
    start = 1 if source.startswith("\ufeff") else 0
    opening = _OPEN_FENCE.match(source, start)
    if opening is not None and not has_front_matter:
        # "---" then a blank line is a thematic break, whatever follows (markdown_frontmatter reads
        # 200 characters of that line); otherwise any later "---" line could close it.
        second = _LINE_BREAK.search(source, opening.end())
        if second is None or source[opening.end() : second.start()].strip():
            return len(source) + 1
        return max(second.end(), opening.end() + 200) + 1
    first_break = _LINE_BREAK.search(source, start)
    first_line_end = first_break.end() if first_break else len(source)
    return max(body_start, first_line_end) + 1


def _top_blocks(tokens: Sequence[Token], lines: Sequence[Line], end: int) -> tuple[list[int], list[int], list[int]]:
    """Token index, start and end offsets of each top-level block (the opening token's line range)."""
    index: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, tok in enumerate(tokens):
        if tok.level != 0 or tok.nesting < 0:
            continue
        if tok.map is None:
            raise _Fallback(f"top-level {tok.type} without a line range")
        first, last = tok.map
        index.append(i)
        starts.append(lines[first][0])
        ends.append(lines[last][0] if last < len(lines) else end)
    return index, starts, ends


def _env_lines(env: dict[str, Any]) -> tuple[list[int], list[int]]:
    """First lines of link reference definitions (duplicates too) and of unclosed raw TeX."""
    defs: list[int] = []
    for ref in (env.get("references") or {}).values():
        defs.append(ref["map"][0])
    for ref in env.get("duplicate_refs") or ():
        defs.append(ref["map"][0])
    return sorted(defs), sorted(set(env.get(UNCLOSED_TEX) or ()))


def trace_of(full: FullParse, source: str, language_id: str) -> MarkdownTrace | None:
    body = full.blocks
    try:
        _, starts, ends = _top_blocks(body.tokens, body.lines, len(source))
    except _Fallback:
        return None
    defs, tex = _env_lines(body.env)
    doc = full.doc
    has_front_matter = "front_matter_span" in full.meta_head
    return MarkdownTrace(
        source=source,
        language_id=language_id,
        body_start=full.body_start,
        guard=_guard(source, full.body_start, has_front_matter),
        starts=starts,
        ends=ends,
        references=frozenset((body.env.get("references") or {}).keys()),
        reference_defs=[body.lines[ln][0] for ln in defs],
        unclosed_tex=[body.lines[ln][0] for ln in tex],
        chunks=doc.chunks,
        chunk_starts=[c.src_start for c in doc.chunks],
        front_notes=tuple(full.front_notes),
        body_notes=list(full.body_notes),
        citations=full.citations,
        crossrefs=full.crossrefs,
        meta_head=full.meta_head,
        declared=full.declared,
    )


# -- re-parsing a window ----------------------------------------------------------


def _blank_line_before(text: str, pos: int) -> bool:
    """Is the line that ends just before line start ``pos`` empty (spaces and tabs only)?"""
    end = pos - 1
    if end > 0 and text[end] == "\n" and text[end - 1] == "\r":
        end -= 1
    start = max(text.rfind("\n", 0, end), text.rfind("\r", 0, end)) + 1
    return _BLANK.fullmatch(text, start, end) is not None


def _window_start(old: MarkdownTrace, p: int, body_start: int) -> tuple[int, int]:
    """(index of the first old block in the window, its start offset L)."""
    k = bisect_left(old.ends, p + 1)  # the first block that ends after the edit's first character
    for i in range(k - 1, max(-1, k - 1 - _MAX_WIDEN), -1):
        start = old.starts[i]
        if start <= body_start:
            return i, body_start
        # The lines a block before L may read must end before the edit (one character of slack for "\r\n").
        if len(_LINE_BREAK.findall(old.source, start, max(start, p - 1))) < _LOOKAHEAD_LINES:
            continue
        if _blank_line_before(old.source, start):
            return i, start
    if k - 1 - _MAX_WIDEN < 0:
        return 0, body_start
    raise _Fallback("no safe window start")


def _window_end(old: MarkdownTrace, q_old: int) -> tuple[int, int, int]:
    """(index j of the margin block B_j, its start S, start E of the block after it), or the end of the source for all three."""
    n = len(old.starts)
    first = bisect_left(old.starts, q_old + 2)  # wholly after the edit, its line break too
    for j in range(first, min(n - 1, first + _MAX_WIDEN)):
        e = old.starts[j + 1]
        if _blank_line_before(old.source, e):
            return j, old.starts[j], e
    return n, len(old.source), len(old.source)  # to the end: the window parse is the full parse from L


def _line_count(text: str, start: int, end: int) -> int:
    return len(_LINE_BREAK.findall(text, start, end))


def reparse_window(old: MarkdownTrace, source: str, stats: ParseStats) -> MarkdownTrace:
    """The trace of a full parse of ``source``, from ``old`` and a parse of the edited window only."""
    p, s = changed_span(old.source, source)
    if p < old.guard:
        raise _Fallback("edit in the front matter or the first line")
    d = len(source) - len(old.source)
    q_old = len(old.source) - s
    i, L = _window_start(old, p, old.body_start)
    j, s_old, e_old = _window_end(old, q_old)
    to_end = e_old == len(old.source)
    s_new, e_new = s_old + d, e_old + d
    defs = old.reference_defs
    if bisect_left(defs, L) != bisect_left(defs, s_old):
        raise _Fallback("a link reference definition was in the window")
    tex = old.unclosed_tex
    # An earlier \begin found no \end anywhere after it: only a new one, in the window, could close it.
    if tex and tex[0] < L and "\\end{" in source[L:e_new]:
        raise _Fallback("\\end{ near the edit and an unclosed raw TeX \\begin before it")

    body = parse_blocks(source, L, e_new)
    new_defs, new_tex = _env_lines(body.env)
    s_line = len(body.lines) - 1 if to_end else _line_count(source, L, s_new)
    if new_tex:
        raise _Fallback("an unclosed raw TeX \\begin in the window")
    if any(ln < s_line for ln in new_defs):
        raise _Fallback("a link reference definition in the window")
    index, starts, ends = _top_blocks(body.tokens, body.lines, e_new)
    cut = bisect_left(starts, s_new) if not to_end else len(starts)
    if not to_end and (cut == len(starts) or starts[cut] != s_new):
        raise _Fallback("the window's blocks run into the block after the edit")
    if cut and ends[cut - 1] > s_new:
        raise _Fallback("a window block overlaps the block after the edit")
    stop = index[cut] if cut < len(index) else len(body.tokens)

    builder = ProseBuilder(source)
    walker = Walker(source, body.lines, builder, set(old.references))
    walker.walk(body.tokens[:stop])
    window = builder.build("", old.language_id)
    citations, crossrefs = split_refs(walker.refs_src)

    stats.window_chars = e_new - L
    stats.window_lines = len(body.lines)
    stats.blocks_walked = cut
    return _splice(
        old, source, d, L, s_old, i, j, starts[:cut], ends[:cut], window.chunks, walker.notes, citations, crossrefs
    )


def _splice(
    old: MarkdownTrace,
    source: str,
    d: int,
    L: int,
    s_old: int,
    i: int,
    j: int,
    starts: list[int],
    ends: list[int],
    chunks: tuple[Chunk, ...],
    notes: list[Note],
    citations: list[Ref],
    crossrefs: list[Ref],
) -> MarkdownTrace:
    """Old state before L, the window's from L, old state from S shifted by ``d``."""
    a, b = bisect_left(old.chunk_starts, L), bisect_left(old.chunk_starts, s_old)
    tail = old.chunks[b:]
    moved = tuple(c.moved(d) for c in tail) if d else tail
    new_chunks = old.chunks[:a] + chunks + moved
    chunk_starts = old.chunk_starts[:a] + [c.src_start for c in chunks] + [x + d for x in old.chunk_starts[b:]]
    return MarkdownTrace(
        source=source,
        language_id=old.language_id,
        body_start=old.body_start,
        guard=old.guard,
        starts=old.starts[:i] + starts + [x + d for x in old.starts[j:]],
        ends=old.ends[:i] + ends + [x + d for x in old.ends[j:]],
        references=old.references,
        reference_defs=_shift_after(old.reference_defs, L, s_old, d),
        unclosed_tex=_shift_after(old.unclosed_tex, L, s_old, d),
        chunks=new_chunks,
        chunk_starts=chunk_starts,
        front_notes=old.front_notes,
        body_notes=_splice_spans(old.body_notes, notes, L, s_old, d),
        citations=_splice_refs(old.citations, citations, L, s_old, d),
        crossrefs=_splice_refs(old.crossrefs, crossrefs, L, s_old, d),
        meta_head=old.meta_head,
        declared=old.declared,
    )


def _shift_after(offsets: list[int], L: int, s_old: int, d: int) -> list[int]:
    return offsets[: bisect_left(offsets, L)] + [x + d for x in offsets[bisect_left(offsets, s_old) :]]


def _splice_spans(old: list[Note], new: list[Note], L: int, s_old: int, d: int) -> list[Note]:
    starts = [n[0] for n in old]
    a, b = bisect_left(starts, L), bisect_left(starts, s_old)
    return old[:a] + new + [(x + d, y + d, m) for x, y, m in old[b:]]


def _splice_refs(old: list[Ref], new: list[Ref], L: int, s_old: int, d: int) -> list[Ref]:
    starts = [r[1] for r in old]
    a, b = bisect_left(starts, L), bisect_left(starts, s_old)
    return old[:a] + new + [(k, x + d, y + d, br) for k, x, y, br in old[b:]]


__all__ = [
    "MarkdownTrace",
    "ParseStats",
    "forget",
    "last_parse_stats",
    "parse_markdown_cached",
    "reparse_window",
]
