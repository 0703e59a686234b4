"""Inline Markdown (CommonMark + pandoc/Quarto extensions) to prose runs.

One left-to-right pass over a block's :class:`Content`.  Plain text between
special characters is copied verbatim; each construct either keeps its text
(emphasis, links, spans), becomes a placeholder (code, math, citations, URLs),
becomes a chunk of its own (inline footnotes, image alt text), or is dropped
(HTML tags, attributes, Liquid tags, footnote references).

Anything that fails to parse is literal text, as in pandoc, so malformed input
never raises.  Searches for closing delimiters are memoised or precomputed so a
paragraph full of unmatched ``[``, ``$`` or backticks stays linear.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.entities import html5

from lsp_server.documents import placeholders
from lsp_server.documents.markdown_citations import bracket_keys, is_crossref, match_key
from lsp_server.documents.markdown_content import ChunkOps, Content
from lsp_server.documents.markdown_delimiters import Finder, match_brackets, match_code_spans, match_pairs
from lsp_server.documents.model import PieceKind


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Characters that may start a construct.  Kept to a plain character class (plus "www.")
# because the search runs over every character of the document: URLs are found from
# their "://" and e-mail addresses from their "@", then the already emitted scheme or
# local part is taken back (ChunkOps.retract).
_SPECIAL = re.compile(r"[\\`$<\[^@*_~{]|&(?=[#A-Za-z])|!(?=\[)|:(?=//)|(?<![\w./])www\.")
_EMAIL_DOMAIN = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_EMAIL_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-")
_URL_SCHEMES = ("https", "http", "ftp")
_URL_BODY = re.compile(r"[^\s<>`\"]*")
_URL_TRAILING = ".,;:!?'\"*_~"
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_AUTOLINK = re.compile(
    r"<(?:[A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>]*|[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)>"
)
_HTML_OPEN = re.compile(r"<(?P<name>[A-Za-z][A-Za-z0-9-]*)(?:\s+[^<>]*?)?\s*/?>")
_HTML_CLOSE = re.compile(r"</(?P<name>[A-Za-z][A-Za-z0-9-]*)\s*>")
# Pandoc attributes {#id .class key=value}, {-}, {=latex}; kramdown's {: .class}.
_ATTRIBUTES = re.compile(r"\{[ \t]*(?:[#.=:-]|[A-Za-z][\w-]*=)[^{}\n]*\}")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]+\]")
_LATEX_NAME = re.compile(r"[A-Za-z]+\*?")
_LATEX_OPTIONAL = re.compile(r"[ \t]*\[[^\[\]\n]*\]")
_SCRIPT = re.compile(r"~[^\s~\\]+~|\^[^\s^\\\[]+\^")
_BOOKDOWN_REF = re.compile(r"@ref\(([^()\s]+)\)")
_INLINE_R = re.compile(r"^(?:\{r\}|r)\s+")
# Math that only spaces (Fig.$\,$@fig:x) reads as a space, not as a symbol.
_MATH_SPACING = re.compile(r"(?:\\[,;:! >]|\\q?quad|\\hspace\{[^{}]*\}|~|\s)*")

# Tags whose text we keep but which separate words when dropped.
_BLOCKISH_TAGS = _names("br p div li ul ol td th tr hr table blockquote h1 h2 h3 h4 h5 h6 dd dt dl")
_CODE_TAGS = _names("code samp var tt pre")
_DROPPED_TAGS = _names("script style svg math")
_EMPHASIS_CMDS = _names(
    "emph textit textbf textsc textsl textup textrm textsf textmd textnormal underline uline mbox hbox text"
)
_CITE_CMDS = _names(
    "cite citep citet citealt citealp citeauthor citeyear parencite textcite autocite footcite nocite fullcite"
)
_TEXTUAL_CITE_CMDS = _names("citet textcite citeauthor citealt")
_REF_CMDS = _names("ref eqref autoref cref Cref pageref nameref vref")
_MATH_ENVS = _names(
    "equation equation* align align* gather gather* multline multline* eqnarray eqnarray* math displaymath split"
)
_WORD_MACROS = {"ldots": "…", "dots": "…", "LaTeX": "LaTeX", "TeX": "TeX", "ie": "i.e.", "eg": "e.g."}
_MAX_DEPTH = 12
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _is_punct(ch: str) -> bool:
    return ch in _ASCII_PUNCT or (not ch.isalnum() and not ch.isspace() and ch != "")


@dataclass(slots=True)
class Reference:
    """A pandoc citation or cross-reference, in content coordinates."""

    key: str
    start: int
    end: int
    bracketed: bool
    crossref: bool


@dataclass
class InlineScanner:
    """Scans one block's content into ``ChunkOps``; side chunks are appended to ``side``."""

    content: Content
    is_reference: Callable[[str], bool]
    side: list[ChunkOps] = field(default_factory=list)
    refs: list[Reference] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.text = self.content.text
        self.n = len(self.text)
        # Most paragraphs have no code or brackets: skip the matching passes for them.
        self._code = match_code_spans(self.text) if "`" in self.text else {}
        self._brackets = match_brackets(self.text, self._code) if "[" in self.text else {}
        self._find = Finder(self.text, self.n)
        self._dollar_closers: list[int] | None = None
        self._pair_cache: dict[str, dict[int, int]] = {}  # "(" / "{" -> matches, computed on demand

    def _pairs(self, opener: str) -> dict[int, int]:
        pairs = self._pair_cache.get(opener)
        if pairs is None:
            pairs = self._pair_cache[opener] = match_pairs(self.text, opener)
        return pairs

    # -- entry ---------------------------------------------------------------
    def scan(self, out: ChunkOps, start: int = 0, end: int | None = None, depth: int = 0) -> None:
        text = self.text
        end = self.n if end is None else end
        pos = start
        while pos < end:
            m = _SPECIAL.search(text, pos, end)
            if m is None:
                out.text(pos, end)
                return
            i = m.start()
            if i > pos:
                out.text(pos, i)
            try:
                pos = self._construct(m, i, end, out, depth)
            except RecursionError:  # pathological nesting: keep the rest verbatim
                out.text(i, end)
                return
            if pos <= i:  # defensive: always make progress
                out.text(i, i + 1)
                pos = i + 1

    # -- dispatch ------------------------------------------------------------
    def _construct(self, m: re.Match[str], i: int, end: int, out: ChunkOps, depth: int) -> int:
        ch = self.text[i]
        if ch == "w":
            return self._bare_url(i, end, out)
        return _HANDLERS[ch](self, i, end, out, depth)

    # -- constructs ----------------------------------------------------------
    def _backslash(self, i: int, end: int, out: ChunkOps, depth: int) -> int:
        text = self.text
        nxt = text[i + 1] if i + 1 < end else ""
        if nxt in ("\n", "\r"):  # hard line break: the newline stays
            return i + 1
        if nxt == "@":
            m = _BOOKDOWN_REF.match(text, i + 1, end)
            if m is not None:  # bookdown's \@ref(fig:label)
                self.refs.append(Reference(m.group(1), i + 1, m.end(), False, True))
                out.replace(PieceKind.REFERENCE, placeholders.REFERENCE, i, m.end())
                return m.end()
        if nxt and nxt in _ASCII_PUNCT:
            out.text(i + 1, i + 2)  # the escaped character itself
            return i + 2
        if nxt.isascii() and nxt.isalpha():
            return self._latex_command(i, end, out, depth)
        out.text(i, i + 1)
        return i + 1

    def _braced(self, at: int, end: int) -> int:
        """End (past ``}``) of the balanced group starting at ``text[at] == '{'``, or -1."""
        close = self._pairs("{").get(at)
        return close + 1 if close is not None and close < end else -1

    def _skip_optional(self, j: int, end: int) -> int:
        while True:
            m = _LATEX_OPTIONAL.match(self.text, j, end)
            if m is None:
                return j
            j = m.end()

    def _latex_command(self, i: int, end: int, out: ChunkOps, depth: int) -> int:
        text = self.text
        m = _LATEX_NAME.match(text, i + 1, end)
        assert m is not None
        name = m.group(0).rstrip("*")
        j = m.end()
        if name == "begin":
            env_m = re.match(r"\{([^{}\n]+)\}", text[j:end])
            if env_m is not None:
                env = env_m.group(1)
                close = self._find.find("\\end{" + env + "}", j)
                if close >= 0:
                    stop = close + len(env) + 6
                    if env in _MATH_ENVS:
                        out.replace(PieceKind.MATH, placeholders.math_placeholder(text[j:close]), i, stop)
                    else:
                        out.space(i)
                    return stop
                return j + env_m.end()
            return j
        after_opt = self._skip_optional(j, end)
        has_arg = after_opt < end and text[after_opt] == "{"
        arg_end = self._braced(after_opt, end) if has_arg else -1
        if name in _CITE_CMDS and arg_end > 0:
            pos = after_opt + 1
            keys = text[pos : arg_end - 1]
            for part in re.finditer(r"[^,\s]+", keys):
                key = part.group(0)
                self.refs.append(
                    Reference(key, pos + part.start(), pos + part.end(), name not in _TEXTUAL_CITE_CMDS, False)
                )
            prose = placeholders.TEXTUAL_CITATION if name in _TEXTUAL_CITE_CMDS else placeholders.PARENTHETICAL_CITATION
            out.replace(PieceKind.CITATION, prose, i, arg_end)
            return arg_end
        if name in _REF_CMDS and arg_end > 0:
            out.replace(PieceKind.REFERENCE, placeholders.REFERENCE, i, arg_end)
            return arg_end
        if name in ("url", "texttt", "verb") and arg_end > 0:
            kind = PieceKind.URL if name == "url" else PieceKind.CODE
            arg = text[after_opt + 1 : arg_end - 1]
            prose = placeholders.URL if kind is PieceKind.URL else placeholders.word_placeholder(arg)
            out.replace(kind, prose, i, arg_end)
            return arg_end
        if name == "href" and arg_end > 0 and arg_end < end and text[arg_end] == "{" and depth < _MAX_DEPTH:
            text_end = self._braced(arg_end, end)
            if text_end > 0:
                self.scan(out, arg_end + 1, text_end - 1, depth + 1)
                return text_end
        if name == "footnote" and arg_end > 0 and depth < _MAX_DEPTH:
            note = ChunkOps("footnote", self.content)
            self.scan(note, after_opt + 1, arg_end - 1, depth + 1)
            self.side.append(note)
            return arg_end
        if name in _EMPHASIS_CMDS and arg_end > 0 and depth < _MAX_DEPTH:
            self.scan(out, after_opt + 1, arg_end - 1, depth + 1)
            return arg_end
        if name in _WORD_MACROS:
            out.replace(PieceKind.REPLACED, _WORD_MACROS[name], i, j)
            return j
        # Any other command is layout (\hspace{..}, \raisebox{..}{..}): drop it with its arguments.
        stop = after_opt if after_opt > j else j
        while stop < end and text[stop] == "{":
            close = self._braced(stop, end)
            if close < 0:
                break
            stop = close
        return stop

    def _backticks(self, i: int, end: int, out: ChunkOps, depth: int) -> int:
        text = self.text
        close = self._code.get(i)
        j = i
        while j < end and text[j] == "`":
            j += 1
        if close is None or close > end:
            out.text(i, j)
            return j
        run = j - i
        code = text[j : close - run].strip()
        code = _INLINE_R.sub("", code)
        out.replace(PieceKind.CODE, placeholders.word_placeholder(code), i, close)
        return close

    def _closers(self) -> list[int]:
        """Positions of every ``$`` that may close inline math (pandoc's rule)."""
        if self._dollar_closers is None:
            text = self.text
            closers = []
            for m in re.finditer(r"(?<!\$)\$(?!\$)", text):
                j = m.start()
                if j > 0 and not text[j - 1].isspace() and text[j - 1] != "\\":
                    nxt = text[j + 1] if j + 1 < len(text) else ""
                    if not nxt.isdigit():
                        closers.append(j)
            self._dollar_closers = closers
        return self._dollar_closers

    def _dollar(self, i: int, end: int, out: ChunkOps, depth: int) -> int:
        text = self.text
        if text.startswith("$$", i):
            close = self._find.find("$$", i + 2)
            if close >= 0 and close + 2 <= end and text[i + 2 : close].strip():
                out.replace(PieceKind.MATH, placeholders.math_placeholder(text[i + 2 : close]), i, close + 2)
                return close + 2
            out.text(i, i + 2)
            return i + 2
        nxt = text[i + 1] if i + 1 < end else ""
        if not nxt or nxt.isspace():
            out.text(i, i + 1)
            return i + 1
        closers = self._closers()
        k = bisect.bisect_right(closers, i)
        if k < len(closers) and closers[k] < end:
            close = closers[k]
            tex = text[i + 1 : close]
            if _MATH_SPACING.fullmatch(tex):
                out.replace(PieceKind.REPLACED, " ", i, close + 1)
            else:
                out.replace(PieceKind.MATH, placeholders.math_placeholder(tex), i, close + 1)
            return close + 1
        out.text(i, i + 1)
        return i + 1

    def _angle(self, i: int, end: int, out: ChunkOps, depth: int) -> int:
        text = self.text
        if text.startswith("<!--", i):
            close = self._find.find("-->", i + 4)
            if 0 <= close < end:
                return close + 3
            out.text(i, i + 1)
            return i + 1
        m = _AUTOLINK.match(text, i, end)
        if m is not None:
            out.replace(PieceKind.URL, placeholders.URL, i, m.end())
            return m.end()
        m = _HTML_OPEN.match(text, i, end)
        if m is not None:
            name = m.group("name").lower()
            if name in _CODE_TAGS or name in _DROPPED_TAGS or name == "sup":
                close = self._find.find("</" + m.group("name") + ">", m.end())
                if close < 0 or close >= end:
                    close = self._find.find("</" + name + ">", m.end())
                if 0 <= close < end:
                    stop = close + len(name) + 3
                    inner = text[m.end() : close]
                    if name in _CODE_TAGS:
                        out.replace(PieceKind.CODE, placeholders.word_placeholder(html.unescape(inner)), i, stop)
                        return stop
                    if name in _DROPPED_TAGS or not any(c.isalpha() for c in inner):
                        return stop  # script, or a footnote mark such as <sup>1</sup>
            if name in _BLOCKISH_TAGS:
                out.space(i)
            return m.end()
        m = _HTML_CLOSE.match(text, i, end)
        if m is not None:
            if m.group("name").lower() in _BLOCKISH_TAGS:
                out.space(i)
            return m.end()
        out.text(i, i + 1)
        return i + 1

    def _ampersand(self, i: int, end: int, out: ChunkOps, depth: int) -> int:
        m = _ENTITY.match(self.text, i, end)
        if m is not None:
            ent = m.group(0)
            if ent.startswith("&#") or ent[1:] in html5:
                decoded = html.unescape(ent)
                if decoded and decoded != ent:
                    out.replace(PieceKind.REPLACED, decoded, i, m.end())
                    return m.end()
        out.text(i, i + 1)
        return i + 1

    def _link_tail(self, close: int, end: int) -> int:
        """End of ``(dest "title")`` / ``[ref]`` after a ``]`` at ``close``, or -1."""
        text = self.text
        j = close + 1
        if j < end and text[j] == "(":
            paren = self._pairs("(").get(j)
            return paren + 1 if paren is not None and paren < end else -1
        if j < end and text[j] == "[":
            ref_close = self._brackets.get(j)
            if ref_close is not None and ref_close < end and "@" not in text[j:ref_close]:
                return ref_close + 1
        return -1

    def _bracket(self, i: int, end: int, out: ChunkOps, depth: int) -> int:
        text = self.text
        fm = _FOOTNOTE_REF.match(text, i, end)
        if fm is not None:
            return fm.end()
        close = self._brackets.get(i)
        if close is None or close >= end or depth >= _MAX_DEPTH:
            out.text(i, i + 1)
            return i + 1
        tail = self._link_tail(close, end)
        if tail > 0:  # [text](url) or [text][ref]: the text is prose, the target is not
            self.scan(out, i + 1, close, depth + 1)
            return tail
        # A citation holds keys and plain prefixes/locators, no nested brackets.
        plain = text.find("@", i + 1, close) >= 0 and text.find("[", i + 1, close) < 0
        keys = bracket_keys(text, i + 1, close) if plain else None
        if keys is not None:
            crossref_only = True
            for km in keys:
                xref = is_crossref(km.key)
                crossref_only = crossref_only and xref
                self.refs.append(Reference(km.key, km.start, km.end, True, xref))
            if crossref_only:
                out.replace(PieceKind.REFERENCE, placeholders.REFERENCE, i, close + 1)
            else:
                out.replace(PieceKind.CITATION, placeholders.PARENTHETICAL_CITATION, i, close + 1)
            return close + 1
        attr = _ATTRIBUTES.match(text, close + 1, end)
        if attr is not None or self.is_reference(text[i + 1 : close]):
            # A bracketed span [text]{.smallcaps} or a shortcut reference link [text].
            self.scan(out, i + 1, close, depth + 1)
            return attr.end() if attr is not None else close + 1
        out.text(i, i + 1)
        return i + 1

    def _bang(self, i: int, end: int, out: ChunkOps, depth: int) -> int:
        text = self.text
        if i + 1 < end and text[i + 1] == "[":
            close = self._brackets.get(i + 1)
            if close is not None and close < end and depth < _MAX_DEPTH:
                tail = self._link_tail(close, end)
                if tail < 0 and self.is_reference(text[i + 2 : close]):
                    tail = close + 1
                if tail > 0:
                    # Pandoc renders the alt text of a lone image as the figure caption.
                    caption = ChunkOps("caption", self.content)
                    self.scan(caption, i + 2, close, depth + 1)
                    self.side.append(caption)
                    out.space(i)
                    return tail
        out.text(i, i + 1)
        return i + 1

    def _caret(self, i: int, end: int, out: ChunkOps, depth: int) -> int:
        text = self.text
        if i + 1 < end and text[i + 1] == "[":
            close = self._brackets.get(i + 1)
            if close is not None and close < end and depth < _MAX_DEPTH:
                note = ChunkOps("footnote", self.content)
                self.scan(note, i + 2, close, depth + 1)
                self.side.append(note)
                return close + 1
        return self._script(i, end, out)

    def _script(self, i: int, end: int, out: ChunkOps) -> int:
        """Pandoc sub/superscript ``H~2~O``, ``2^10^``: the text stays, the markers go."""
        m = _SCRIPT.match(self.text, i, end)
        if m is None:
            out.text(i, i + 1)  # a literal tilde or caret
            return i + 1
        out.text(i + 1, m.end() - 1)
        return m.end()

    def _colon(self, i: int, end: int, out: ChunkOps, depth: int) -> int:
        """``://`` ends a URL scheme that was emitted as text a moment ago: take it back."""
        text = self.text
        if text.startswith("://", i):
            for scheme in _URL_SCHEMES:
                s = i - len(scheme)
                if (
                    s >= 0
                    and text[s:i].lower() == scheme
                    and (s == 0 or not (text[s - 1].isalnum() or text[s - 1] in "_/"))
                ):
                    stop = self._url_end(s, end)
                    if stop > i and out.retract(s, i):
                        out.replace(PieceKind.URL, placeholders.URL, s, stop)
                        return stop
                    break
        out.text(i, i + 1)
        return i + 1

    def _at(self, i: int, end: int, out: ChunkOps, depth: int) -> int:
        text = self.text
        prev = text[i - 1] if i > 0 else ""
        if prev in _EMAIL_LOCAL and prev != "":
            s = i
            while s > 0 and text[s - 1] in _EMAIL_LOCAL:
                s -= 1
            domain = _EMAIL_DOMAIN.match(text, i + 1, end)
            if prev == "-" and s == i - 1:
                # "-@key": suppress-author citation outside brackets.
                if out.retract(i - 1, i):
                    return self._textual_citation(i, end, out, dash=True)
            elif domain is not None and text[s].isascii() and text[s].isalnum() and out.retract(s, i):
                out.replace(PieceKind.URL, placeholders.URL, s, domain.end())
                return domain.end()
        return self._textual_citation(i, end, out, dash=False)

    def _textual_citation(self, at: int, end: int, out: ChunkOps, *, dash: bool) -> int:
        text = self.text
        start = at - 1 if dash else at
        prev = text[at - 1] if at > 0 else ""
        if not dash and prev and (prev.isalnum() or prev in "_.+@"):
            out.text(at, at + 1)
            return at + 1
        bookdown = _BOOKDOWN_REF.match(text, at, end)
        if bookdown is not None:
            self.refs.append(Reference(bookdown.group(1), at, bookdown.end(), False, True))
            out.replace(PieceKind.REFERENCE, placeholders.REFERENCE, start, bookdown.end())
            return bookdown.end()
        km = match_key(text, at, end)
        if km is None:
            out.text(start, at + 1)
            return at + 1
        stop = km.end
        xref = is_crossref(km.key)
        self.refs.append(Reference(km.key, km.start, km.end, False, xref))
        if xref:
            out.replace(PieceKind.REFERENCE, placeholders.REFERENCE, start, stop)
            return stop
        # "@doe99 [p. 33]": the locator belongs to the citation.
        j = stop + 1 if stop < end and text[stop] == " " else stop
        if j < end and text[j] == "[":
            close = self._brackets.get(j)
            if (
                close is not None
                and close < end
                and "@" not in text[j:close]
                and text[j + 1 : j + 2] != "^"
                and self._link_tail(close, end) < 0
            ):
                stop = close + 1
        prose = placeholders.PARENTHETICAL_CITATION if dash else placeholders.TEXTUAL_CITATION
        out.replace(PieceKind.CITATION, prose, start, stop)
        return stop

    def _emphasis(self, i: int, end: int, out: ChunkOps, depth: int) -> int:
        text = self.text
        ch = text[i]
        j = i
        while j < end and text[j] == ch:
            j += 1
        if ch == "~" and j - i != 2:
            return self._script(i, end, out)
        before = text[i - 1] if i > 0 else " "
        after = text[j] if j < self.n else " "
        left = not after.isspace() and (not _is_punct(after) or before.isspace() or _is_punct(before))
        right = not before.isspace() and (not _is_punct(before) or after.isspace() or _is_punct(after))
        if ch == "_":
            opens = left and (not right or _is_punct(before))
            closes = right and (not left or _is_punct(after))
            delimiter = opens or closes
        else:
            # "**" is never literal in prose, even where authors put a space inside it.
            delimiter = left or right or (ch == "*" and j - i >= 2)
        if not delimiter:
            out.text(i, j)
        return j

    def _brace(self, i: int, end: int, out: ChunkOps, depth: int) -> int:
        text = self.text
        if text.startswith("{%", i) or text.startswith("{{", i):
            closer = "%}" if text[i + 1] == "%" else "}}"
            close = self._find.find(closer, i + 2)
            if close >= 0 and close + 2 <= end:
                out.space(i)
                return close + 2
        m = _ATTRIBUTES.match(text, i, end)
        if m is not None:
            return m.end()
        out.text(i, i + 1)
        return i + 1

    def _url_end(self, i: int, end: int) -> int:
        """End of the bare URL starting at ``i`` (trailing punctuation excluded), or -1."""
        text = self.text
        m = _URL_BODY.match(text, i, end)
        assert m is not None
        stop = m.end()
        # A closing bracket ends the URL unless the URL opened it: (see https://x.org/a_(b)).
        unmatched = {")": text.count(")", i, stop) - text.count("(", i, stop)}
        unmatched["]"] = text.count("]", i, stop) - text.count("[", i, stop)
        while stop > i:
            c = text[stop - 1]
            if c in _URL_TRAILING:
                stop -= 1
            elif c in unmatched and unmatched[c] > 0:
                unmatched[c] -= 1
                stop -= 1
            else:
                break
        body = text[i:stop]
        if text.startswith("www.", i):
            return stop if body.startswith("www.") and "." in body[4:] else -1
        return -1 if body.endswith("://") else stop

    def _bare_url(self, i: int, end: int, out: ChunkOps) -> int:
        stop = self._url_end(i, end)
        if stop < 0:
            out.text(i, i + 1)
            return i + 1
        out.replace(PieceKind.URL, placeholders.URL, i, stop)
        return stop


_Handler = Callable[[InlineScanner, int, int, ChunkOps, int], int]
_HANDLERS: dict[str, _Handler] = {
    "\\": InlineScanner._backslash,
    "`": InlineScanner._backticks,
    "$": InlineScanner._dollar,
    "<": InlineScanner._angle,
    "&": InlineScanner._ampersand,
    "[": InlineScanner._bracket,
    "!": InlineScanner._bang,
    "^": InlineScanner._caret,
    "@": InlineScanner._at,
    "*": InlineScanner._emphasis,
    "_": InlineScanner._emphasis,
    "~": InlineScanner._emphasis,
    "{": InlineScanner._brace,
    ":": InlineScanner._colon,
}
