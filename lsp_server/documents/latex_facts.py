"""What a LaTeX buffer declares as a whole, kept across one-character edits.

Besides its prose, a parse needs facts that come from scanning the whole buffer:
the macros it defines, where its body lies, its declared language, and the
bibliographies and files it names.  On a book those scans cost several
milliseconds per keystroke although a keystroke in a paragraph cannot change
any of them.  So the facts of the last parse of each URI are kept, and reused
(positions shifted) when the edit

* inserts and removes no character that markup is made of (``\\ { } % [ ] $``,
  line breaks), so no command, group, comment or line appears or disappears;
* touches none of the places the facts were read from (a definition from its
  command to the end of its body, a bibliography command, an include); and
* has no command that could state a fact shortly before it, where typing could
  complete its name or argument (``\\inpu`` + ``t``).

Anything else scans again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lsp_server.documents import latex_scan
from lsp_server.lru import LRU
from lsp_server.text_diff import changed_span

# Commands that only a preamble or a package holds: a file using them is no body fragment.
PREAMBLE_ONLY = re.compile(
    r"\\(?:usepackage|RequirePackage|documentclass|ProvidesPackage|ProvidesClass|NeedsTeXFormat)(?![A-Za-z])"
)
BEGIN_DOCUMENT = re.compile(r"\\begin\s*\{document\}")
END_DOCUMENT = re.compile(r"\\end\s*\{document\}")
# Characters an edit must not add or remove for the facts to stay as they were.
_MARKUP = frozenset("\\{}%[]$\r\n")
# Every command whose match the facts depend on (a prefix is enough: matching more is only cautious),
# and how far before an edit it may start and still reach it with its arguments.
_FACT_COMMAND = re.compile(
    r"\\(?:(?:re)?newcommand|providecommand|DeclareRobustCommand|[gex]?def|bibliography|addbibresource|addglobalbib"
    r"|usepackage|RequirePackage|documentclass|Provides|NeedsTeXFormat|set(?:main|default)language"
    r"|input|include|subfile|import|subimport|subinput|subinclude)"
)
_REACH = 200
# \begin and \end are everywhere in a book but matter only as \begin{document}: a short reach.
_ENV_COMMAND = re.compile(r"\\(?:begin|end)(?![A-Za-z])")
_ENV_REACH = 32


@dataclass(frozen=True)
class LatexFacts:
    """The whole-buffer facts of one source text."""

    source: str
    definitions: dict[str, latex_scan.MacroDef]
    body: tuple[int, int]
    language: str | None
    bibliographies: tuple[str, ...]
    includes: tuple[tuple[str, str, int, int], ...]
    # Where the facts were read from, so an edit there scans again.
    spans: tuple[tuple[int, int], ...]


def body_span(src: str) -> tuple[int, int]:
    """Between \\begin{document} and \\end{document}; a body fragment is all body."""
    start = 1 if src.startswith("\ufeff") else 0
    end = len(src)
    for m in latex_scan.uncommented(src, BEGIN_DOCUMENT.finditer(src)):
        start = m.end()
        break
    else:
        # No \\begin{document}: an included fragment, all body -- unless it is preamble material
        # (\\usepackage is an error after \\begin{document}), which holds no prose.
        if any(latex_scan.uncommented(src, PREAMBLE_ONLY.finditer(src))):
            return end, end
    for m in latex_scan.uncommented(src, END_DOCUMENT.finditer(src, start)):
        end = m.start()
        break
    return start, end


def scan(source: str) -> LatexFacts:
    """The facts of ``source``, from scratch."""
    spans: list[tuple[int, int]] = []
    definitions = latex_scan.definitions(source, spans)
    start, end = body_span(source)
    language = latex_scan.declared_language(source[:start] if start > 1 else source)
    bibliographies = tuple(latex_scan.bibliographies(source, spans))
    includes = tuple(latex_scan.includes(source))
    spans.extend((s, e) for _, _, s, e in includes)
    return LatexFacts(source, definitions, (start, end), language, bibliographies, includes, tuple(spans))


def after_edit(old: LatexFacts, source: str) -> LatexFacts | None:
    """``old``'s facts carried over to ``source``, or None when the edit may have changed them."""
    before = old.source
    if before is source:
        return old
    prefix, suffix = changed_span(before, source)
    old_end, new_end = len(before) - suffix, len(source) - suffix
    start, end = old.body
    if not start < prefix or old_end > end:  # the preamble (or what follows the body) changed
        return None
    if not _MARKUP.isdisjoint(before[prefix:old_end]) or not _MARKUP.isdisjoint(source[prefix:new_end]):
        return None
    if any(a <= old_end and prefix <= b for a, b in old.spans):
        return None
    if _command_near(before, prefix, old_end) or _command_near(source, prefix, new_end):
        return None
    delta = len(source) - len(before)
    moved = [(a + delta, b + delta) if a >= old_end else (a, b) for a, b in old.spans]
    includes = tuple((c, t, s + delta, e + delta) if s >= old_end else (c, t, s, e) for c, t, s, e in old.includes)
    return LatexFacts(
        source, old.definitions, (start, end + delta), old.language, old.bibliographies, includes, tuple(moved)
    )


def _command_near(text: str, start: int, end: int) -> bool:
    """Whether a fact-stating command begins shortly before ``text[start:end]`` or inside it."""
    for pattern, reach in ((_FACT_COMMAND, _REACH), (_ENV_COMMAND, _ENV_REACH)):
        # The name may run on past the edit (\\inpu|t), so the search does too.
        for m in pattern.finditer(text, max(start - reach, 0), end + 32):
            if m.start() <= end:
                return True
    return False


_LAST: LRU[str, LatexFacts] = LRU(16)  # the last facts of the most recently parsed documents


def facts_for(source: str, uri: str = "") -> LatexFacts:
    """The facts of ``source``; with a ``uri``, carried over from its last version where possible."""
    if not uri:
        return scan(source)
    old = _LAST.get(uri)
    facts = (after_edit(old, source) if old is not None else None) or scan(source)
    _LAST.put(uri, facts)
    return facts


def forget(uri: str) -> None:
    _LAST.pop(uri)
