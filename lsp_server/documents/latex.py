"""LaTeX buffer -> prose chunks with an exact offset map.

One pass over the body with a compiled token regex; arguments and
environments are delimited by brace/``\\end`` matching and walked
recursively, so every construct knows its exact source span.  Plain text is
copied verbatim (``Piece`` kind TEXT, ``source[a:b] == prose``); markup that
reads as something else is replaced atomically: accents and TeX ligatures by
the characters they make, math/citations/references/code by the placeholders
of :mod:`lsp_server.documents.placeholders`.

Whitespace reads as TeX reads it: a line break inside a paragraph stays one
exact ``\\n`` (as in the Markdown parser), indentation and runs of spaces fold
to one, a blank line or ``\\par`` ends the chunk.  Headings, captions,
footnotes, list items and table cells are chunks of their own (``Chunk.role``).

The parser never raises on malformed markup: an unclosed brace, ``$`` or
environment is reported in ``markup_notes`` and read as plainly as possible.

Editing a long book re-parses it on every keystroke, so the last parse of each
URI is kept: its :class:`~lsp_server.documents.latex_cache.ParseTrace` lets the
next parse take over everything before and after the edit and walk only the
paragraphs in between, top-level blocks (text between blank lines that are not
inside any group or environment) are also found again by their text, and the
whole-buffer facts (macros, body, bibliographies) carry over
(:mod:`~lsp_server.documents.latex_facts`).  See :class:`BlockCache` for why a
block's prose depends on nothing but its text.
"""

from __future__ import annotations

import re
import unicodedata
from operator import attrgetter

from lsp_server.config import LatexSettings
from lsp_server.documents import latex_facts
from lsp_server.documents.latex_cache import BLANK_LINE, Block, BlockCache, TraceBuilder, cache_for, shift
from lsp_server.documents.latex_commands import (
    ACCENT_MARKS,
    COMMANDS,
    ENVIRONMENTS,
    ESCAPED_CHARS,
    SILENT_SYMBOLS,
    SPACE_SYMBOLS,
    Act,
    Command,
    Env,
    Environment,
)
from lsp_server.documents.latex_macros import MacroReader
from lsp_server.documents.latex_pairs import PairIndex
from lsp_server.documents.latex_scan import BRACE_TOKEN, match_brace
from lsp_server.documents.latex_writer import ChunkWriter
from lsp_server.documents.model import Chunk, PieceKind, ProseDocument
from lsp_server.documents.placeholders import (
    PARENTHETICAL_CITATION,
    REFERENCE,
    TEXTUAL_CITATION,
    URL,
    math_placeholder,
    word_placeholder,
)

_TOKEN = re.compile(
    r"\\(?:[A-Za-z@]+|[^A-Za-z@]|\Z)"
    r"|[{}$%~&#^_]"
    r"|``?|''|---?"
    r"|[\r\n][ \t\r\n]*| [ \t]+|\t[ \t]*"
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]",
    re.S,
)
_TOKEN_GERMAN = re.compile(_TOKEN.pattern + '|"', re.S)
_GERMAN_SHORTHANDS = {
    "a": "ä", "o": "ö", "u": "ü", "A": "Ä", "O": "Ö", "U": "Ü", "s": "ß", "z": "ß", "S": "SS", "Z": "SZ",
    "`": "\u201e", "'": "\u201c", "<": "«", ">": "»", "=": "-", "-": "", "|": "", '"': "", "~": "-",
}  # fmt: skip
_COMMENT = re.compile(r"%[^\r\n]*")
_EOL_AND_INDENT = re.compile(r"(?:\r\n|\n|\r)[ \t]*")
# Whitespace an argument may sit behind: spaces, comments, one line break.
_ARG_GAP = re.compile(r"(?:[ \t]+|%[^\r\n]*|(?:\r\n|\n|\r)(?![ \t]*(?:\r\n|\n|\r)))*")
_BRACKET_TOKEN = re.compile(r"[\]{}]|\\[\]{}%]|%[^\r\n]*|\n[ \t]*\r?\n")
_CONTROL_WORD = re.compile(r"\\(?:[A-Za-z@]+|.)", re.S)
# An unknown command's argument that looks like a key, not words: "sec:intro", "fig_2", "smith2010".
_KEY_LIKE = re.compile(r"[\w.-]*[:_/][\w.:/-]*|(?=[\w-]*\d)(?=[\w-]*[^\W\d_])[\w-]+")
_INLINE_MATH = re.compile(r"(?:[^$\\%\r\n]+|\\.|%[^\r\n]*|(?:\r\n|\n|\r)(?![ \t]*(?:\r\n|\n|\r)))*", re.S)
_DISPLAY_DOLLARS = re.compile(r"(?:[^$\\%]+|\\.|%[^\r\n]*|\$(?!\$))*", re.S)
_PAREN_MATH = re.compile(r"(?:[^\\%]+|\\[^)]|%[^\r\n]*)*", re.S)
_BRACKET_MATH = re.compile(r"(?:[^\\%]+|\\[^\]]|%[^\r\n]*)*", re.S)
_MATH_TAIL = re.compile(r"(?:\s|\\label\s*\{[^{}]*\}|\\(?:nonumber|notag|quad|qquad|[,;!]|\\))+\Z")
_ENV_NAME = re.compile(r"[ \t]*\{([^{}\r\n]{1,80})\}")
_REST_OF_LINE = re.compile(r"[ \t]*([^\s%])?")
_TEXT_ON_NEXT_LINE = re.compile(r"(?:%[^\r\n]*)?(?:\r\n|\n|\r)[ \t]*[^\s\\%]")
_CONDITIONAL = re.compile(r"%[^\r\n]*|\\\\|\\(if[A-Za-z@]*|fi)(?![A-Za-z@])")
_TABU_WIDTH = re.compile(r"\s*(?:to|spread)(?![A-Za-z])[^{}\r\n]*")
_BARE_FILE = re.compile(r"[ \t]*([^\s{}\\%]+)")
_LET = re.compile(r"\s*\\(?:[A-Za-z@]+|.)\s*=?\s*(?:\\(?:[A-Za-z@]+|.)|.)?", re.S)
_DEF_HEAD = re.compile(r"\s*\\(?:[A-Za-z@]+|.)[^{]{0,40}?(?=\{)", re.S)

# Argument signatures of definition commands (the name is one token or a group).
_DEFINITION_ARGS = {
    "newcommand": "sMooM",
    "renewcommand": "sMooM",
    "providecommand": "sMooM",
    "DeclareRobustCommand": "sMooM",
    "newenvironment": "sMooMM",
    "renewenvironment": "sMooMM",
    "newtheorem": "sMoMo",
    "DeclareMathOperator": "sMM",
    "newcolumntype": "MoM",
    "NewDocumentCommand": "MMM",
    "RenewDocumentCommand": "MMM",
    "ProvideDocumentCommand": "MMM",
    "DeclareDocumentCommand": "MMM",
    "NewDocumentEnvironment": "MMMM",
    "newacronym": "oMMM",
    "newglossaryentry": "MM",
    "DeclareAcronym": "MM",
    "acrodef": "MoM",
}
_TWO_ARG_INCLUDES = frozenset({"import", "subimport", "inputfrom", "subinputfrom", "includefrom", "subincludefrom"})
_BOUNDARY_ENVS = frozenset({Env.LIST, Env.FLOAT, Env.TABLE, Env.BLOCK})
_MAX_DEPTH = 150
# Raw (URL) arguments are never longer than this; see latex_pairs for the other scans.
_MAX_SCAN = 20_000
_MAX_BRACKET = 1_000
_ENV_PATTERNS: dict[str, re.Pattern[str]] = {}
_SRC_START = attrgetter("src_start")


def _env_pattern(name: str) -> re.Pattern[str]:
    pat = _ENV_PATTERNS.get(name)
    if pat is None:
        if len(_ENV_PATTERNS) > 512:
            _ENV_PATTERNS.clear()
        pat = re.compile(r"%[^\r\n]*|\\[\\%]|\\(begin|end)[ \t]*\{" + re.escape(name) + r"\}")
        _ENV_PATTERNS[name] = pat
    return pat


def _settings_tables(settings: LatexSettings) -> tuple[dict[str, Command], dict[str, Environment]]:
    """User declarations as table entries; unknown values are ignored."""
    commands: dict[str, Command] = {}
    for raw, value in (settings.commands or {}).items():
        name = str(raw).lstrip("\\").split("{", 1)[0].split("[", 1)[0].strip()
        v = str(value).strip()
        if not name:
            continue
        if v == "ignore":
            commands[name] = Command("*", Act.IGNORE)
        elif v in ("placeholder", "dummy", "vowelDummy", "pluralDummy"):
            commands[name] = Command("*", Act.PLACEHOLDER)
        elif v in ("check", "default"):
            commands[name] = Command("*", Act.INLINE)
        elif v.startswith("check:") and v[6:].strip().isdigit():
            commands[name] = Command("*", Act.INLINE, v[6:].strip())
    environments: dict[str, Environment] = {}
    for raw, value in (settings.environments or {}).items():
        name = str(raw).strip().removeprefix("\\begin").strip("{} ")
        v = str(value).strip()
        if v == "ignore":
            environments[name] = Environment("", Env.SKIP)
        elif v in ("check", "default"):
            environments[name] = Environment("", Env.BLOCK)
    return commands, environments


class _Parser:
    """One walk over one buffer; collects chunks and markup notes."""

    def __init__(
        self,
        src: str,
        commands: dict[str, Command],
        environments: dict[str, Environment],
        macros: MacroReader,
        cache: BlockCache | None = None,
        *,
        german: bool = False,
        trace: TraceBuilder | None = None,
    ) -> None:
        self.src = src
        # babel's German shorthands ("a for ä, "` for „) make '"' markup; elsewhere it is text.
        self.token = _TOKEN_GERMAN if german else _TOKEN
        self.commands = commands
        self.environments = environments
        self.macros = macros
        self.cache = cache
        self.trace = trace  # records (and reuses) the outermost walk's top-level stretches
        self.chunks: list[Chunk] = []
        self.notes: list[tuple[int, int, str]] = []
        self.base_role = "paragraph"
        self.w = ChunkWriter(src)
        self.depth = 0
        self.pairs = PairIndex(src)  # used once a forward scan has failed (see latex_pairs)
        self.unclosed_math: dict[str, tuple[int, int, int]] = {}  # delimiter -> (from, until, end) known to fail
        self.skip_unclosed: dict[str, tuple[int, int]] = {}  # verbatim-like env -> (from, end) with no \end

    # -- chunks ----------------------------------------------------------------
    def note(self, a: int, b: int, message: str) -> None:
        self.notes.append((a, max(a, b), message))

    def end_chunk(self, role: str | None = None) -> None:
        chunk = self.w.chunk()
        if chunk is not None:
            self.chunks.append(chunk)
        self.w = ChunkWriter(self.src, role or self.base_role)

    def side_chunk(self, role: str, a: int, b: int) -> None:
        """Parse ``src[a:b]`` into a chunk of its own, then resume the paragraph."""
        outer = self.w
        self.w = ChunkWriter(self.src, role)
        self.parse(a, b)
        chunk = self.w.chunk()
        if chunk is not None:
            self.chunks.append(chunk)
        self.w = outer

    # -- the walk --------------------------------------------------------------
    def parse(self, pos: int, end: int, *, top: bool = False, table: bool = False) -> None:
        """Walk ``src[pos:end]``; ``top`` marks blank lines there as cacheable block ends."""
        if self.depth > _MAX_DEPTH:
            self.note(pos, end, "markup nested too deeply; its text is not checked")
            return
        self.depth += 1
        src = self.src
        search = self.token.search
        cache = self.cache if top else None
        trace = self.trace if top and self.depth == 1 else None
        if trace is not None:
            trace.boundary(pos, self.chunks, self.notes)
            resumed = trace.resume(pos, self.chunks, self.notes)
            if resumed is not None:
                pos = end if resumed < 0 else resumed
        block_start, chunk_mark, note_mark = pos, len(self.chunks), len(self.notes)
        try:
            while pos < end:
                m = search(src, pos, end)
                if m is None:
                    self.w.text(pos, end)
                    break
                s = m.start()
                tok = m.group()
                c = tok[0]
                if s > pos:
                    if c == "\n" or c == "\r":
                        t = s  # spaces before a line break are not prose
                        while t > pos and src[t - 1] == " ":
                            t -= 1
                        self.w.text(pos, t)
                    else:
                        self.w.text(pos, s)
                pos = m.end()
                if c == "\\":
                    pos = self.command(tok, s, pos, end, table)
                elif c in " \t\r\n":
                    if (tok.count("\n") or tok.count("\r")) >= 2:
                        self.end_chunk()
                        if cache is not None:
                            if len(self.notes) == note_mark and s > block_start:
                                cache.store(Block(src[block_start:s], block_start, tuple(self.chunks[chunk_mark:])))
                            if trace is not None:
                                trace.boundary(pos, self.chunks, self.notes)
                                resumed = trace.resume(pos, self.chunks, self.notes)
                                if resumed is not None:
                                    if resumed < 0:
                                        break  # the rest of the old parse was taken over
                                    pos = resumed
                            block_start, chunk_mark, note_mark = pos, len(self.chunks), len(self.notes)
                            hit = cache.lookup(src, pos, end)
                            if hit is not None:
                                delta = pos - hit.start
                                self.chunks.extend(shift(ch, delta) for ch in hit.chunks)
                                pos += len(hit.text)
                    elif not self.w.blank:
                        # Keep one exact character: a line break stays "\n" (as in the Markdown
                        # parser), so a paragraph's lines merge into one verbatim piece.
                        if c == " " or c == "\n":
                            self.w.text(s, s + 1)
                        elif tok.startswith("\r\n"):
                            self.w.text(s + 1, s + 2)
                        else:
                            self.w.space(s, pos)
                elif c == "%":
                    pos = self.comment(s, end)
                elif c == "$":
                    pos = self.dollar(s, pos, end)
                elif c == "{":
                    close = self.match(s, end)
                    if close is None:
                        self.note(s, s + 1, "unclosed '{'")
                    else:
                        self.parse(s + 1, close - 1, table=table)
                        pos = close
                elif c == "}":
                    self.note(s, pos, "unmatched '}'")
                elif c == "~":
                    self.w.space(s, pos)
                elif c == "`":
                    self.w.put("\u201c" if tok == "``" else "\u2018", s, pos)
                elif c == "'":
                    self.w.put("\u201d", s, pos)
                elif c == '"':
                    pos = self.shorthand(s, pos, end)
                elif c == "-":
                    self.w.put("\u2014" if tok == "---" else "\u2013", s, pos)
                elif c == "&":
                    if table:
                        self.end_chunk()
                    else:
                        self.w.space(s, pos)
                elif c in "#^_":
                    continue
                else:  # control characters, NUL
                    self.w.space(s, pos)
        finally:
            self.depth -= 1

    def shorthand(self, s: int, pos: int, end: int) -> int:
        """A babel German shorthand: ``"a`` -> ä, ``"s`` -> ß, ``"`` `` -> „, ``"-`` -> (a hyphenation hint)."""
        nxt = self.src[pos] if pos < end else ""
        reading = _GERMAN_SHORTHANDS.get(nxt)
        if reading is None:
            self.w.text(s, pos)  # a plain double quote
            return pos
        if reading:
            self.w.put(reading, s, pos + 1)
        return pos + 1

    def comment(self, s: int, end: int) -> int:
        """Skip ``%...`` and, as TeX does, the line break and indentation after it."""
        m = _COMMENT.match(self.src, s, end)
        pos = m.end() if m else s + 1
        eol = _EOL_AND_INDENT.match(self.src, pos, end)
        if eol is None or BLANK_LINE.match(self.src, pos, end):
            return pos  # a blank line after a comment still ends the paragraph
        return eol.end()

    # -- math ------------------------------------------------------------------
    def dollar(self, s: int, pos: int, end: int) -> int:
        src = self.src
        if pos < end and src[pos] == "$":
            stop = self.math_close("$$", _DISPLAY_DOLLARS, pos + 1, end)
            if stop < 0:
                self.note(s, s + 2, "unclosed '$$'")
                return pos + 1
            self.display_math(s, pos + 1, stop, stop + 2)
            return stop + 2
        m = _INLINE_MATH.match(src, pos, end)  # stops at a blank line by itself
        stop = m.end() if m else pos
        if stop < end and src[stop] == "$":
            content = src[pos:stop]
            w = self.w
            if content.lstrip()[:1] in ("_", "^") and not w.blank and w.parts[-1][-1:].isalnum():
                return stop + 1  # a sub/superscript on a word ("CO$_2$", "10$^{-3}$") is no word of its own
            w.put(math_placeholder(content), s, stop + 1, PieceKind.MATH)
            return stop + 1
        self.note(s, pos, "unclosed '$'")
        return pos

    def math_close(self, close: str, body: re.Pattern[str], pos: int, end: int) -> int:
        """Start of the ``close`` delimiter ending math that starts at ``pos``, or -1.

        Math never spans a blank line (TeX ends it there with an error).  A failed
        search is remembered: from anywhere before the blank line (or the end) it
        would fail again, so broken input costs one scan, not one per delimiter.
        """
        known = self.unclosed_math.get(close)
        if known is not None and known[0] <= pos < known[1] and known[2] == end:
            return -1
        src = self.src
        m = body.match(src, pos, end)
        stop = m.end() if m else pos
        if src.startswith(close, stop) and stop + len(close) <= end:
            blank = BLANK_LINE.search(src, pos, stop)
            if blank is None:
                return stop
            self.unclosed_math[close] = (pos, blank.start(), end)
        else:
            self.unclosed_math[close] = (pos, end, end)
        return -1

    def display_math(self, s: int, a: int, b: int, stop: int) -> None:
        """A display formula inside the running sentence; keeps its final punctuation."""
        content = self.src[a:b]
        tail = _MATH_TAIL.search(content)
        j = tail.start() if tail else len(content)
        punct = -1
        if j > 0 and content[j - 1] in ".,;:!?" and (j < 2 or content[j - 2] != "\\"):
            punct = a + j - 1
        self.w.space(s, s)
        if punct >= 0:
            self.w.put(math_placeholder(content), s, punct, PieceKind.MATH)
            self.w.text(punct, punct + 1)
            self.w.pieces[-1][3] = punct + 1
        else:
            self.w.put(math_placeholder(content), s, stop, PieceKind.MATH)

    def delimited_math(self, tok: str, s: int, pos: int, end: int) -> int:
        pattern, close = (_PAREN_MATH, "\\)") if tok == "\\(" else (_BRACKET_MATH, "\\]")
        stop = self.math_close(close, pattern, pos, end)
        if stop < 0:
            self.note(s, pos, f"'{tok}' is never closed by '{close}'")
            return pos
        if tok == "\\(":
            self.w.put(math_placeholder(self.src[pos:stop]), s, stop + 2, PieceKind.MATH)
        else:
            self.display_math(s, pos, stop, stop + 2)
        return stop + 2

    # -- scans that must stay linear on broken input ----------------------------
    def match(self, open_pos: int, end: int) -> int | None:
        """Offset after the ``}`` closing the ``{`` at ``open_pos`` before ``end``."""
        if self.pairs.has("brace"):
            try:
                found = self.pairs.closer("brace", open_pos, end)
            except KeyError:
                return match_brace(self.src, open_pos, end)
            return found[1] if found else None
        close = match_brace(self.src, open_pos, end)
        if close is None:
            self.pairs.build("brace", BRACE_TOKEN, _is_open_brace, _is_close_brace)
        return close

    # -- arguments -------------------------------------------------------------
    def gap(self, p: int, end: int) -> int:
        if p >= end or self.src[p] not in " \t\r\n%":
            return p  # the common case, without a regex call
        m = _ARG_GAP.match(self.src, p, end)
        return m.end() if m else p

    def bracket(self, p: int, end: int) -> int | None:
        """Offset after the ``]`` closing the ``[`` at ``p``.

        As in LaTeX, the first ``]`` outside braces closes it (brackets do not nest).
        An optional argument is short and never spans a paragraph, so the scan stops
        at a blank line or after ``_MAX_BRACKET`` characters: a "[" in running text
        then costs little.
        """
        braces = 0
        for m in _BRACKET_TOKEN.finditer(self.src, p + 1, min(end, p + _MAX_BRACKET)):
            t = m.group()
            if t == "{":
                braces += 1
            elif t == "}":
                braces -= 1
                if braces < 0:
                    return None
            elif t == "]":
                if braces == 0:
                    return m.end()
            elif t[0] == "\n":
                return None  # a blank line
        return None

    def mandatory(self, p: int, end: int, *, raw: bool = False) -> tuple[int, int, int] | None:
        """``(content_start, content_end, after)`` of the argument at ``p`` (after gaps)."""
        src = self.src
        q = self.gap(p, end)
        if q >= end:
            return None
        ch = src[q]
        if ch == "{":
            close = _match_raw(src, q, min(end, q + _MAX_SCAN)) if raw else self.match(q, end)
            if close is None:
                blank = BLANK_LINE.search(src, q, end)
                stop = blank.start() if blank else end
                self.note(q, q + 1, "unclosed '{' in an argument")
                return q + 1, stop, stop
            return q + 1, close - 1, close
        if ch == "\\":
            m = _CONTROL_WORD.match(src, q, end)
            stop = m.end() if m else q + 1
            return q, stop, stop
        if ch in "}[]%" or ch.isspace():
            return None
        return q, q + 1, q + 1

    def read_args(self, spec: str, p: int, end: int) -> tuple[list[tuple[str, int, int]], int]:
        """Consume arguments by signature; returns ``(letter, start, end)`` content spans."""
        src = self.src
        out: list[tuple[str, int, int]] = []
        if spec == "*":  # user-declared: every optional and mandatory argument present
            if p < end and src[p] == "*":
                p += 1
            while True:
                q = self.gap(p, end)
                if q < end and src[q] == "[" and q == p:
                    close = self.bracket(q, end)
                    if close is None:
                        break
                    out.append(("o", q + 1, close - 1))
                    p = close
                elif q < end and src[q] == "{":
                    arg = self.mandatory(q, end)
                    if arg is None:
                        break
                    out.append(("m", arg[0], arg[1]))
                    p = arg[2]
                else:
                    break
            return out, p
        for letter in spec:
            if letter == "s":
                if p < end and src[p] == "*":
                    p += 1
            elif letter == "t":  # tabu's "to <width>" / "spread <width>" before its column spec
                m = _TABU_WIDTH.match(src, p, end)
                if m is not None:
                    p = m.end()
            elif letter == "o":
                q = self.gap(p, end)
                if q < end and src[q] == "[":
                    close = self.bracket(q, end)
                    if close is not None:
                        out.append(("o", q + 1, close - 1))
                        p = close
            else:
                arg = self.mandatory(p, end, raw=letter == "u")
                if arg is None:
                    break
                out.append((letter, arg[0], arg[1]))
                p = arg[2]
        return out, p

    # -- commands --------------------------------------------------------------
    def command(self, tok: str, s: int, pos: int, end: int, table: bool) -> int:
        name = tok[1:]
        if not name:
            return pos
        if len(name) == 1 and not ("a" <= name <= "z" or "A" <= name <= "Z"):
            return self.control_symbol(name, s, pos, end, table)
        if name == "begin":
            return self.environment(s, pos, end)
        if name == "iffalse":
            return self.iffalse(s, pos, end)
        if name == "end":
            m = _ENV_NAME.match(self.src, pos, end)
            stop = m.end() if m else pos
            self.note(s, stop, f"'\\end{{{m.group(1) if m else ''}}}' without a matching \\begin")
            return stop
        spec = self.commands.get(name)
        if spec is None:
            if self.macros.get(name, COMMANDS.get(name)) is not None:
                return self.macro(name, s, pos, end)
            spec = COMMANDS.get(name)
        if spec is None:
            return self.unknown(name, s, pos, end)
        return self.run(name, spec, s, pos, end, table)

    def iffalse(self, s: int, pos: int, end: int) -> int:
        """Skip ``\\iffalse ... \\fi``, the usual way to comment out a passage."""
        if self.pairs.has("if"):
            try:
                found = self.pairs.closer("if", s, end)
            except KeyError:
                found = None
            if found is not None:
                return found[1]
        else:
            depth = 1
            for m in _CONDITIONAL.finditer(self.src, pos, end):
                word = m.group(1)
                if word is None:
                    continue  # a comment or an escaped backslash
                depth += -1 if word == "fi" else 1
                if depth == 0:
                    return m.end()
            self.pairs.build("if", _CONDITIONAL, _is_if, _is_fi)
        self.note(s, pos, "'\\iffalse' without a matching '\\fi'")
        return pos

    def control_symbol(self, ch: str, s: int, pos: int, end: int, table: bool) -> int:
        src = self.src
        w = self.w
        if ch in ESCAPED_CHARS:
            w.put(ESCAPED_CHARS[ch], s, pos)
        elif ch == "\\":
            q = self.gap(pos, end)
            if q < end and src[q] == "*":
                q += 1
            q2 = self.gap(q, end)
            if q2 < end and src[q2] == "[":
                close = self.bracket(q2, end)
                if close is not None:
                    q = close
            if table:
                self.end_chunk()
                return pos if q == pos else q
            w.space(s, pos)
            return q if q > pos and src[pos:q].strip() else pos
        elif ch in ACCENT_MARKS:
            return self.accent(ACCENT_MARKS[ch], s, pos, end)
        elif ch in SPACE_SYMBOLS:
            w.space(s, pos)
        elif ch in "([":
            return self.delimited_math(tok="\\" + ch, s=s, pos=pos, end=end)
        elif ch in ")]":
            self.note(s, pos, f"'\\{ch}' without an opening '\\{'(' if ch == ')' else '['}'")
        elif ch in SILENT_SYMBOLS:
            pass
        return pos

    def accent(self, mark: str, s: int, pos: int, end: int) -> int:
        src = self.src
        q = pos
        while q < end and src[q] in " \t":
            q += 1
        if q >= end:
            return pos
        ch = src[q]
        rest = ""
        if ch == "{":
            close = src.find("}", q, min(end, q + 12))
            if close < 0:
                return pos
            inner = src[q + 1 : close].strip()
            stop = close + 1
            if inner in ("\\i", "\\j", "\\i{}", "\\j{}"):
                base = inner[1]
            elif not inner or inner[0] in "\\{":
                return pos if not inner else q
            else:
                base, rest = inner[0], inner[1:]
        elif ch == "\\":
            m = re.compile(r"\\([ij])(?![A-Za-z])").match(src, q, end)
            if m is None:
                return pos
            base, stop = m.group(1), m.end()
        elif ch.isspace() or ch in "}%$":
            return pos
        else:
            base, stop = ch, q + 1
        self.w.put(unicodedata.normalize("NFC", base + mark) + rest, s, stop)
        return stop

    def run(self, name: str, spec: Command, s: int, pos: int, end: int, table: bool) -> int:
        act = spec.act
        w = self.w
        if act is Act.SYMBOL:
            w.put(spec.text, s, pos)
            if spec.text.isalpha():  # \ss, \o: part of a word, so TeX's eaten space goes too
                while pos < end and self.src[pos] in " \t":
                    pos += 1
            return pos
        if act is Act.IGNORE:
            return self.read_args(spec.args, pos, end)[1]
        if act is Act.INLINE:
            args, after = self.read_args(spec.args, pos, end)
            only = int(spec.text) if spec.text.isdigit() else 0
            mandatory = 0
            for letter, a, b in args:
                if letter == "m":
                    mandatory += 1
                    if not only or mandatory == only:
                        self.parse(a, b)
            return after
        if act is Act.SPACE:
            w.space(s, pos)
            return pos
        if act is Act.NAME:
            w.put(spec.text, s, pos, PieceKind.COMMAND)
            return pos
        if act in (Act.CITE_PAREN, Act.CITE_TEXT):
            args, after = self.read_args(spec.args + "M", pos, end)
            if name.endswith("cites"):  # \cites[pre][post]{a}[pre][post]{b}...
                after = self.read_args("*", after, end)[1]
            if not any(letter == "M" for letter, _, _ in args):
                self.note(s, after, f"'\\{name}' without a key")
                return after
            ph = TEXTUAL_CITATION if act is Act.CITE_TEXT else PARENTHETICAL_CITATION
            w.put(ph, s, after, PieceKind.CITATION)
            return after
        if act is Act.REFERENCE:
            args, after = self.read_args(spec.args, pos, end)
            if args:
                w.put(REFERENCE, s, after, PieceKind.REFERENCE)
            return after
        if act is Act.HEADING or act is Act.SIDE:
            args, after = self.read_args(spec.args, pos, end)
            main = [(a, b) for letter, a, b in args if letter == "m"]
            if act is Act.HEADING:
                self.end_chunk()
            for a, b in main[-1:]:
                self.side_chunk(spec.text, a, b)
            return after
        if act is Act.URL:
            args, after = self.read_args(spec.args, pos, end)
            if args:
                w.put(URL, s, after, PieceKind.URL)
            return after
        if act is Act.HREF:
            args, after = self.read_args(spec.args, pos, end)
            for letter, a, b in args:
                if letter == "m":
                    self.parse(a, b)
            return after
        if act is Act.CODE:
            args, after = self.read_args(spec.args, pos, end)
            for _letter, a, b in args[-1:]:
                w.put(word_placeholder(_reading(self.src[a:b])), s, after, PieceKind.CODE)
            return after
        if act is Act.VERB:
            return self.verb(name, spec, s, pos, end)
        if act is Act.PLACEHOLDER:
            args, after = self.read_args(spec.args, pos, end)
            contents = [self.src[a:b] for letter, a, b in args if letter != "o"]
            if spec.args == "*" or contents:
                w.put(word_placeholder(_reading(contents[0] if contents else name)), s, after, PieceKind.COMMAND)
            return after
        if act is Act.ACRONYM:
            args, after = self.read_args(spec.args, pos, end)
            keys = [self.src[a:b].strip() for letter, a, b in args if letter == "M"]
            if keys:
                key = keys[0]
                reading = key.upper() if key.isalpha() and len(key) <= 5 else key
                w.put(word_placeholder(reading), s, after, PieceKind.COMMAND)
            return after
        if act is Act.MATH:
            args, after = self.read_args(spec.args, pos, end)
            if args:
                w.put(math_placeholder(self.src[args[0][1] : args[0][2]]), s, after, PieceKind.MATH)
            return after
        if act is Act.PAR:
            self.end_chunk()
            return pos
        if act is Act.ITEM:
            args, after = self.read_args(spec.args, pos, end)
            self.end_chunk("item")
            q = self.gap(after, end)
            if q < end and self.src[q] == "[" and name == "item":
                close = self.bracket(q, end)
                if close is not None:
                    self.parse(q + 1, close - 1)
                    if self.w.parts and self.w.parts[-1][-1:].isalnum():
                        self.w.put(":", close - 1, close)  # a description label reads "Term: text"
                    self.w.space(close - 1, close)
                    return close
            return after
        if act is Act.ACCENT:
            return self.accent(spec.text, s, pos, end)
        if act is Act.DEFINITION:
            return self.definition(name, pos, end)
        if act is Act.INCLUDE:
            if name in _TWO_ARG_INCLUDES:
                return self.read_args("sMM", pos, end)[1]
            q = self.gap(pos, end)
            if q < end and self.src[q] == "{":
                return self.read_args("M", q, end)[1]
            m = _BARE_FILE.match(self.src, pos, end) if name == "input" else None
            return m.end() if m else pos
        if act is Act.OPEN_QUOTE:
            w.put(spec.text, s, pos)
            return pos
        if act is Act.CLOSE_QUOTE:
            w.put(spec.text.lstrip("\u00a0") if w.blank else spec.text, s, pos)
            return pos
        return pos  # pragma: no cover - every Act is handled above

    def verb(self, name: str, spec: Command, s: int, pos: int, end: int) -> int:
        src = self.src
        p = self.read_args(spec.args, pos, end)[1]
        if name in ("verb", "Verb") and p < end and src[p] == "*":
            p += 1
        if name == "lstinline":
            p = self.read_args("o", p, end)[1]
        if p >= end or src[p].isspace() or src[p].isalpha():
            self.note(s, p, f"'\\{name}' without a delimiter")
            return p
        delim = src[p]
        if delim == "{" and name != "verb":
            close = _match_raw(src, p, end)
            stop = close - 1 if close is not None else -1
        else:
            eol = len(src)
            for nl in ("\n", "\r"):
                i = src.find(nl, p + 1, end)
                if i >= 0:
                    eol = min(eol, i)
            stop = src.find(delim, p + 1, min(eol, end))
        if stop < 0:
            self.note(s, p + 1, f"'\\{name}' is never closed by '{delim}'")
            return p + 1
        self.w.put(word_placeholder(_reading(src[p + 1 : stop])), s, stop + 1, PieceKind.CODE)
        return stop + 1

    def definition(self, name: str, pos: int, end: int) -> int:
        src = self.src
        if name in ("def", "gdef", "edef", "xdef"):
            m = _DEF_HEAD.match(src, pos, end)
            if m is None:
                return pos
            close = self.match(m.end(), end)
            return close if close is not None else m.end()
        if name == "let":
            m = _LET.match(src, pos, end)
            return m.end() if m else pos
        if name == "newif":
            m = _CONTROL_WORD.match(src, self.gap(pos, end), end)
            return m.end() if m else pos
        return self.read_args(_DEFINITION_ARGS.get(name, "*"), pos, end)[1]

    def unknown(self, name: str, s: int, pos: int, end: int) -> int:
        """Drop an unknown command but check its brace arguments.

        Alone inside a sentence (``de \\dds partiel``) it most likely prints a
        word, so it becomes a placeholder rather than a hole in the sentence.
        """
        args, after = self.read_args("*", pos, end)
        content = False
        drop_cap = False  # the previous argument was one capital letter
        src = self.src
        for letter, a, b in args:
            if letter == "m" and a < b and not _KEY_LIKE.fullmatch(src, a, b):
                # Separate arguments ("\\foo{a}{b}" is not "ab"), except after a drop cap: \\lettrine{L}{es}.
                if content and not drop_cap:
                    self.w.space(a, a)
                content = True
                drop_cap = b - a == 1 and src[a].isupper()
                self.parse(a, b)
        if not content and self.in_sentence(after):
            self.w.put(word_placeholder(name), s, after, PieceKind.COMMAND)
        return after

    def in_sentence(self, after: int) -> bool:
        """Does a command ending at ``after`` sit between words, where it likely prints one?"""
        w = self.w
        if not w.length or (not w.blank and w.parts[-1][-1:].isalnum()):
            return False  # starts a chunk (layout), or glued to a word ("word\\foo")
        rest = _REST_OF_LINE.match(self.src, after)
        if rest is None:
            return False
        if rest.group(1):
            return True  # more on this line
        return _TEXT_ON_NEXT_LINE.match(self.src, rest.end()) is not None

    def macro(self, name: str, s: int, pos: int, end: int) -> int:
        """A macro the document defines itself (see :class:`MacroReader`)."""
        reading = self.macros.reading(name)
        args, after = self.read_args(reading.signature, pos, end)
        spans = [(a, b) for letter, a, b in args if letter == "m"]
        for index, role in reading.text_args:
            if index > len(spans):
                continue
            a, b = spans[index - 1]
            if role == "heading":
                self.end_chunk()
            if role:
                self.side_chunk(role, a, b)
            else:
                self.w.space(a, a)  # "\practice{1a}{Save data}" reads "Save data 1a", not "1aSave"
                self.parse(a, b)
        if reading.prose:
            self.w.put(reading.prose, s, after, PieceKind.COMMAND)
        return after

    # -- environments ----------------------------------------------------------
    def environment(self, s: int, pos: int, end: int) -> int:
        src = self.src
        m = _ENV_NAME.match(src, pos, end)
        if m is None:
            self.note(s, pos, "'\\begin' without an environment name")
            return pos
        name = m.group(1).strip()
        head_end = m.end()
        env = self.environments.get(name) or ENVIRONMENTS.get(name)
        if name == "document":
            return head_end
        if env is not None and env.kind is Env.SKIP:
            unclosed = self.skip_unclosed.get(name)
            if unclosed is not None and unclosed[0] <= head_end and unclosed[1] == end:
                stop = -1  # an earlier search from before here found no \end up to the same end
            else:
                stop = src.find("\\end{" + name + "}", head_end, end)
                if stop < 0:
                    self.skip_unclosed[name] = (head_end, end)
            if stop < 0:
                self.note(s, head_end, f"'\\begin{{{name}}}' is never closed")
                return end
            after = stop + len(name) + 6
            if _at_line_start(src, s):
                self.end_chunk()
            return after
        body_end, after = self.find_end(name, s, head_end, end)
        if body_end < 0:
            self.note(s, head_end, f"'\\begin{{{name}}}' is never closed")
            body_end = after = end
        if env is not None and env.kind is Env.MATH:
            self.display_math(s, head_end, body_end, after)
            return after
        body = self.read_args(env.args if env else "*", head_end, body_end)[1]
        kind = env.kind if env is not None else (Env.BLOCK if _at_line_start(src, s) else Env.INLINE)
        if kind is Env.INLINE:
            self.parse(body, body_end)
            return after
        self.end_chunk()
        if kind is Env.TABLE:
            outer_role = self.base_role
            self.base_role = "table"
            self.w.role = "table"
            self.parse(body, body_end, table=True)
            self.base_role = outer_role
        else:
            self.parse(body, body_end, top=self.depth == 1)
        self.end_chunk()
        return after

    def find_end(self, name: str, begin: int, pos: int, end: int) -> tuple[int, int]:
        """``(start, end)`` of the ``\\end{name}`` closing the ``\\begin`` at ``begin``; (-1, -1) if none."""
        kind = "env:" + name
        if self.pairs.has(kind):
            try:
                found = self.pairs.closer(kind, begin, end)
            except KeyError:
                pass
            else:
                return found or (-1, -1)
        depth = 1
        for m in _env_pattern(name).finditer(self.src, pos, end):
            word = m.group(1)
            if word == "begin":
                depth += 1
            elif word == "end":
                depth -= 1
                if depth == 0:
                    return m.start(), m.end()
        self.pairs.build(kind, _env_pattern(name), _is_begin, _is_end)
        return -1, -1


def _is_open_brace(token: str) -> bool:
    return token == "{"


def _is_close_brace(token: str) -> bool:
    return token == "}"


def _is_begin(word: str) -> bool:
    return word == "begin"


def _is_end(word: str) -> bool:
    return word == "end"


def _is_if(word: str) -> bool:
    return word != "fi"


def _is_fi(word: str) -> bool:
    return word == "fi"


def _match_raw(src: str, open_pos: int, end: int) -> int | None:
    """Matching brace where ``%`` is an ordinary character (URLs, inline code)."""
    depth = 0
    i = open_pos
    while i < end:
        ch = src[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        elif ch == "\n" and src.startswith("\n", i + 1):
            return None
        i += 1
    return None


def _at_line_start(src: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and src[i] in " \t":
        i -= 1
    return i < 0 or src[i] in "\r\n"


def _reading(code: str) -> str:
    """How inline code or a macro argument is read aloud: its first word."""
    return code.replace("\\_", "_").lstrip("\\{ ~")


def _render(body: str, commands: dict[str, Command], environments: dict[str, Environment], macros: MacroReader) -> str:
    """The prose a macro body reads as, on its own."""
    parser = _Parser(body, commands, environments, macros)
    parser.parse(0, len(body))
    parser.end_chunk()
    return " ".join(c.text for c in parser.chunks)


def parse_latex(
    source: str,
    uri: str = "",
    version: int | None = None,
    settings: LatexSettings | None = None,
    *,
    cache: bool = True,
) -> ProseDocument:
    """Parse a LaTeX buffer; never raises on malformed markup.

    With ``cache`` (and a ``uri``), top-level blocks unchanged since the last
    parse of the same URI are reused instead of walked again.
    """
    settings = settings or LatexSettings()
    commands, environments = _settings_tables(settings)
    facts = latex_facts.facts_for(source, uri if cache else "")
    macros = MacroReader(facts.definitions)
    macros.render = lambda body: _render(body, commands, environments, macros)
    start, end = facts.body
    language = facts.language
    german = (language or "").startswith("de")
    fingerprint = (
        tuple(sorted(commands.items(), key=lambda kv: kv[0])),
        tuple(sorted(environments.items(), key=lambda kv: kv[0])),
        macros.fingerprint,
        german,
    )
    block_cache = cache_for(uri, fingerprint) if cache and uri else None
    if block_cache is not None:
        with block_cache.lock:
            block_cache.start()
            trace = TraceBuilder(block_cache.trace, source, (start, end))
            parser = _Parser(source, commands, environments, macros, block_cache, german=german, trace=trace)
            parser.parse(start, end, top=True)
            parser.end_chunk()
            block_cache.rotate(full=trace.reused == 0)
            block_cache.reused += trace.reused
            block_cache.trace = trace.finish(source, (start, end), parser.chunks, parser.notes)
    else:
        parser = _Parser(source, commands, environments, macros, german=german)
        parser.parse(start, end, top=True)
        parser.end_chunk()
    chunks = sorted(parser.chunks, key=_SRC_START)
    meta: dict[str, object] = {
        "bibliographies": list(facts.bibliographies),
        "includes": list(facts.includes),
    }
    return ProseDocument(
        uri=uri,
        source=source,
        language_id="latex",
        version=version,
        chunks=tuple(chunks),
        declared_language=language,
        markup_notes=tuple(sorted(parser.notes)),
        meta=meta,
    )
