"""Markdown, Quarto and R Markdown buffers to prose chunks with an exact offset map.

Three layers:

* :mod:`markdown_frontmatter` reads the YAML block (metadata, title, abstract);
* :mod:`markdown_blocks` (markdown-it) finds blocks and their line ranges;
* :mod:`markdown_inline` scans each block's text, rebuilt from the source lines
  (:mod:`markdown_content`), so every prose character maps to its source character.

Chunks and roles: paragraph ("paragraph"), heading and div/callout title
("heading"), list-item or definition paragraph ("item"), blockquote paragraph
("quote", often someone else's words), definition term ("term"), table cell
("table": cells are separate phrases, a joined row would read as one run-on
sentence), footnote ("footnote"), and captions ("caption"): image alt text
(pandoc prints it as the figure caption), ``Table:`` captions and Quarto
``#| fig-cap`` chunk options.

``meta``: ``bibliographies`` (front matter), ``citations`` and ``crossrefs`` as
``(key, src_start, src_end, bracketed)`` sorted by position (the span covers
``@key``, or the key of a LaTeX cite command), ``front_matter`` (its top-level scalar and flat-list fields) and
``front_matter_span``.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it.common.utils import normalizeReference
from markdown_it.token import Token

from lsp_server.documents.markdown_blocks import SKIPPED_BLOCKS, block_parser
from lsp_server.documents.markdown_chunk_options import caption_contents
from lsp_server.documents.markdown_content import ChunkOps, Content, emit_chunk
from lsp_server.documents.markdown_frontmatter import parse_front_matter
from lsp_server.documents.markdown_grid_tables import grid_cells
from lsp_server.documents.markdown_inline import InlineScanner
from lsp_server.documents.model import ProseBuilder, ProseDocument

log = logging.getLogger(__name__)

FLAVORS = ("markdown", "quarto", "rmarkdown")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_TABLE_CAPTION = re.compile(r"(?:Table)?:[ \t]")
# Titles of admonitions and callouts: Docusaurus ":::note[Title]" and ":::note Title",
# Quarto '::: {.callout-tip title="Title"}'.
_DIV_TITLE = re.compile(
    r"^:{3,}\s*[\w-]*\[(?P<bracket>[^\]\n]+)\]"
    r"|^:{3,}[ \t]*[A-Za-z][\w-]*[ \t]+(?P<plain>[^{\s:][^{\n]*?)[ \t]*:*[ \t]*$"
    r"|title=\"(?P<quoted>[^\"\n]+)\""
)

# (start, end, offset of the line-break character to copy or -1) per line of the body.
Line = tuple[int, int, int]
Note = tuple[int, int, str]
# (key, src_start, src_end, bracketed): a citation or cross-reference in ``meta``.
Ref = tuple[str, int, int, bool]


def parse_markdown(source: str, uri: str, version: int | None, flavor: str = "markdown") -> ProseDocument:
    """Parse ``source``; never raises (a parser bug becomes a markup note and no prose)."""
    language_id = flavor if flavor in FLAVORS else "markdown"
    try:
        return parse_markdown_unguarded(source, uri, version, language_id)
    except Exception as exc:  # the last line of defence: the server must survive a parser bug
        log.exception("Markdown parser failed on %s", uri)
        note = (0, 0, f"Markdown parser failed ({type(exc).__name__}: {exc}); this document was not checked")
        return ProseBuilder(source).build(uri, language_id, version, markup_notes=[note])


def split_lines(source: str, start: int, end: int | None = None) -> list[Line]:
    """The lines of ``source[start:end]`` (to the end of ``source`` by default), in source offsets."""
    stop = len(source) if end is None else end
    lines: list[Line] = []
    pos = start
    for m in _LINE_BREAK.finditer(source, start, stop):
        lines.append((pos, m.start(), m.end() - 1))
        pos = m.end()
    lines.append((pos, stop, -1))
    return lines


class Walker:
    """Walks markdown-it block tokens and feeds each block's prose to the builder."""

    def __init__(self, source: str, lines: Sequence[Line], builder: ProseBuilder, references: set[str]) -> None:
        self.source = source
        self.lines = lines
        self.builder = builder
        self.references = references
        self.notes: list[tuple[int, int, str]] = []
        self.refs_src: list[tuple[str, int, int, bool, bool]] = []

    def is_reference(self, label: str) -> bool:
        # CommonMark labels are at most 999 characters; longer brackets are never references.
        return bool(self.references) and len(label) < 1000 and normalizeReference(label) in self.references

    # -- content of blocks --------------------------------------------------
    def _line_text(self, ln: int) -> tuple[int, str]:
        ls, le, _ = self.lines[ln]
        return ls, self.source[ls:le]

    def _add_break(self, content: Content, ln: int) -> None:
        if len(content) and ln > 0:
            nl = self.lines[ln - 1][2]
            if nl >= 0:
                content.add(self.source, nl, nl + 1)

    def block_content(self, token: Token, atx: bool) -> Content:
        """The token's inline text, located line by line in the source."""
        content = Content()
        if token.map is None:
            return content
        first, last = token.map
        last = max(last, first + 1)  # deflist terms come with an empty range
        for k, want_raw in enumerate(token.content.split("\n")):
            ln = first + k
            if ln >= last or ln >= len(self.lines):
                break
            want = want_raw.strip()
            if not want:
                continue
            ls, text = self._line_text(ln)
            stripped = text.rstrip()
            if not atx and stripped.endswith(want):
                off = len(stripped) - len(want)
            else:
                hash_at = text.find("#") if atx else -1
                off = text.find(want, hash_at + 1) if atx else text.rfind(want)
                if off < 0:
                    continue  # markdown-it rewrote the line (tab expansion, NUL): skip it
            self._add_break(content, ln)
            content.add(self.source, ls + off, ls + off + len(want))
        return content

    # -- emitting -------------------------------------------------------------
    def emit(self, content: Content, role: str, scan: Callable[[InlineScanner, ChunkOps], None] | None = None) -> None:
        if not len(content):
            return
        scanner = InlineScanner(content, self.is_reference)
        chunk = ChunkOps(role, content)
        if scan is None:
            scanner.scan(chunk)
        else:
            scan(scanner, chunk)
        emit_chunk(chunk, self.builder)
        for side in scanner.side:
            emit_chunk(side, self.builder)
        for ref in scanner.refs:
            start = content.src(ref.start)
            end = content.src_end(ref.end, ref.start)
            self.refs_src.append((ref.key, start, end, ref.bracketed, ref.crossref))

    def table_row(self, row: Token, cells: list[Token]) -> None:
        if row.map is None or row.map[0] >= len(self.lines):
            return
        ls, text = self._line_text(row.map[0])
        cursor = 0
        for cell in cells:
            want = cell.content.strip()
            if not want:
                continue
            at = text.find(want, cursor)
            if at < 0:  # markdown-it unescaped "\|" in the cell text
                want = want.replace("|", "\\|")
                at = text.find(want, cursor)
            if at < 0:
                continue
            content = Content()
            content.add(self.source, ls + at, ls + at + len(want))
            cursor = at + len(want)
            self.emit(content, "table")

    def div_title(self, token: Token) -> None:
        if token.map is None:
            return
        ls, text = self._line_text(token.map[0])
        m = _DIV_TITLE.search(text.lstrip())
        if m is None:
            return
        group = next(g for g in ("bracket", "plain", "quoted") if m.group(g) is not None)
        lead = len(text) - len(text.lstrip())
        content = Content()
        content.add(self.source, ls + lead + m.start(group), ls + lead + m.end(group))
        self.emit(content, "heading")

    def check_fence_closed(self, fence: Token, stack: Sequence[str]) -> None:
        """An unclosed top-level fence swallows the rest of the document: say so."""
        if stack or fence.map is None or not fence.markup:
            return
        first, last = fence.map
        if last - 1 > first and last - 1 < len(self.lines):
            closing = self._line_text(last - 1)[1].strip()
            if closing.startswith(fence.markup) and not closing.strip(fence.markup[0]):
                return
        ls, le, _ = self.lines[first]
        message = "this code fence is never closed: the rest of the document is read as code and not checked"
        self.notes.append((ls, le, message))

    # -- the walk ---------------------------------------------------------------
    def walk(self, tokens: Sequence[Token]) -> None:
        stack: list[str] = []
        i = 0
        n = len(tokens)
        while i < n:
            tok = tokens[i]
            kind = tok.type
            if kind == "tr_open":
                j = i + 1
                cells: list[Token] = []
                while j < n and tokens[j].type != "tr_close":
                    if tokens[j].type == "inline":
                        cells.append(tokens[j])
                    j += 1
                self.table_row(tok, cells)
                i = j + 1
                continue
            if tok.nesting == 1:
                base = kind[:-5] if kind.endswith("_open") else kind
                stack.append(base)
                if kind == "container_div_open":
                    self.div_title(tok)
            elif tok.nesting == -1:
                if stack:
                    stack.pop()
            elif kind == "inline":
                role = _role(stack)
                atx = bool(stack) and stack[-1] == "heading" and i > 0 and tokens[i - 1].markup.startswith("#")
                content = self.block_content(tok, atx)
                caption = _TABLE_CAPTION.match(content.text) if role == "paragraph" else None
                if caption is not None:
                    # Pandoc's "Table: caption" paragraph: the label is markup, the rest a caption.
                    self.emit(content, "caption", functools.partial(_scan_from, caption.end()))
                else:
                    self.emit(content, role)
            elif kind == "grid_table" and tok.map is not None:
                for content in grid_cells(self.source, self.lines, tok.map[0], tok.map[1]):
                    self.emit(content, "table")
            elif kind == "fence":
                self.check_fence_closed(tok, stack)
                for content in caption_contents(self.source, self.lines, tok):
                    self.emit(content, "caption")
            elif kind in SKIPPED_BLOCKS:
                pass
            i += 1


def _scan_from(start: int, scanner: InlineScanner, out: ChunkOps) -> None:
    scanner.scan(out, start)


def _role(stack: Sequence[str]) -> str:
    if "footnote_reference" in stack:
        return "footnote"
    if stack and stack[-1] == "heading":
        return "heading"
    if stack and stack[-1] == "dt":
        return "term"
    if "list_item" in stack or "dd" in stack:
        return "item"
    if "blockquote" in stack:
        return "quote"
    return "paragraph"


def parse_markdown_unguarded(source: str, uri: str, version: int | None, language_id: str) -> ProseDocument:
    """:func:`parse_markdown` without the safety net: tests and benchmarks see parser bugs."""
    return parse_markdown_full(source, uri, version, language_id).doc


@dataclass
class FullParse:
    """A full parse and what :mod:`markdown_cache` needs to re-parse only an edited region next time."""

    doc: ProseDocument
    body_start: int
    front_notes: list[Note]  # front matter notes; they come before the body's
    meta_head: dict[str, object]  # meta read from the front matter
    declared: str | None
    blocks: BodyBlocks
    body_notes: list[Note]
    citations: list[Ref]
    crossrefs: list[Ref]


@dataclass
class BodyBlocks:
    """markdown-it's block tokens for ``source[start:end]``, its lines and its environment."""

    tokens: list[Token]
    lines: list[Line]
    env: dict[str, Any]


def parse_blocks(source: str, start: int, end: int) -> BodyBlocks:
    env: dict[str, Any] = {}
    tokens = block_parser().parse(source[start:end], env)
    return BodyBlocks(tokens, split_lines(source, start, end), env)


def split_refs(refs: Sequence[tuple[str, int, int, bool, bool]]) -> tuple[list[Ref], list[Ref]]:
    """Citations and cross-references as ``meta`` holds them: sorted by position (stable)."""
    citations = [(k, s, e, b) for k, s, e, b, x in refs if not x]
    crossrefs = [(k, s, e, b) for k, s, e, b, x in refs if x]
    return sorted(citations, key=_ref_start), sorted(crossrefs, key=_ref_start)


def _ref_start(ref: Ref) -> int:
    return ref[1]


def parse_markdown_full(source: str, uri: str, version: int | None, language_id: str) -> FullParse:
    builder = ProseBuilder(source)
    start = 1 if source.startswith("\ufeff") else 0
    notes: list[Note] = []
    meta: dict[str, object] = {}
    declared: str | None = None
    fm = parse_front_matter(source, start)
    body_start = start
    lines: list[Line] = []
    walker = Walker(source, lines, builder, set())
    if fm is not None and fm.end == fm.start:
        notes.extend(fm.notes)  # an opening "---" that never closes
    elif fm is not None:
        body_start = fm.end
        notes.extend(fm.notes)
        declared = fm.language
        meta["bibliographies"] = fm.bibliographies
        meta["front_matter"] = fm.plain
        meta["front_matter_span"] = (fm.start, fm.end)
        for role, content in fm.prose:
            walker.emit(content, role)
    meta.setdefault("bibliographies", [])
    meta_head = dict(meta)
    front_notes = list(notes)
    body = parse_blocks(source, body_start, len(source))
    lines.extend(body.lines)
    refs = body.env.get("references")
    if isinstance(refs, dict):
        walker.references = set(refs)
    walker.walk(body.tokens)
    notes.extend(walker.notes)
    citations, crossrefs = split_refs(walker.refs_src)
    meta["citations"] = citations
    meta["crossrefs"] = crossrefs
    doc = builder.build(uri, language_id, version, declared_language=declared, markup_notes=notes, meta=meta)
    return FullParse(doc, body_start, front_notes, meta_head, declared, body, walker.notes, citations, crossrefs)
