"""Markup the model must not touch, swapped for ⟦n⟧ markers and checked on the way back.

Before generation every protected span (math, \\cite/\\ref keys, commands and
their braces, comments, inline code, link targets, citations, emphasis
markers) becomes a marker ``⟦n⟧``.  After generation :func:`unmask` puts the
markup back only if every marker survived exactly once; a marker that was
lost is re-inserted when its place is unambiguous, and anything else
(a lost marker with no clear place, a duplicated or invented one, paired
markup reordered, raw markup typed by the model) is rejected with a message.
A rewrite is never applied with markup silently lost or changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lsp_server.documents.model import PieceKind, ProseDocument

OPEN, CLOSE = "⟦", "⟧"
MARKER = re.compile(r"⟦(\d+)⟧")
# What models make of the markers when they almost keep them: [[3]], ⟦ 3 ⟧, 〚3〛.
_NEAR_MARKER = re.compile(r"(?:⟦|\[\[|〚)\s*(\d+)\s*(?:⟧|\]\]|〛)")

_LATEX = re.compile(
    r"""
    (?<!\\)%[^\n]*                                   # comment
  | \$\$.*?\$\$ | (?<!\\)\$(?:\\.|[^$\\])+\$          # math
  | \\\(.*?\\\) | \\\[.*?\\\]
  | \\(?:begin|end)\{[^}]*\}(?:\[[^\]]*\])?(?:\{[^}]*\})*
  | \\[A-Za-z]*(?:cite|ref|label|url|href|input|include|eqref)[A-Za-z]*\*?(?:\[[^\]]*\])*(?:\{[^}]*\})+
  | \\[A-Za-z@]+\*?(?:\[[^\]]*\])*\{                 # \emph{ : the text inside stays prose
  | \\[A-Za-z@]+\*? | \\.                            # other commands, escaped characters
  | [{}~&#^_]
    """,
    re.VERBOSE | re.DOTALL,
)
_MARKDOWN = re.compile(
    r"""
    (`+)[^`]*?\1                                     # inline code
  | \$\$.*?\$\$ | (?<!\\)\$(?:\\.|[^$\\\s])(?:\\.|[^$\\])*\$
  | <!--.*?--> | </?[A-Za-z][^>\n]*>                  # HTML
  | <https?://[^>\s]+>                                # autolink
  | \]\([^)\n]*\) | \]\[[^\]\n]*\] | !?\[(?=[^\]\n]*\][(\[])   # link/image brackets and targets
  | \[[^\]\n]*@[^\]\n]*\] | (?<![\w.])-?@[\w:.-]*\w   # citations
  | \[\^[^\]\n]*\]                                    # footnote reference
  | https?://\S+
  | \*{1,3}(?=\S)|(?<=\S)\*{1,3} | (?<!\w)_{1,3}(?=\S)|(?<=\S)_{1,3}(?!\w)   # emphasis markers
  | \{[#.][^}\n]*\}                                   # pandoc attributes
    """,
    re.VERBOSE | re.DOTALL,
)


class RewriteRejected(ValueError):
    """The model's rewrite broke protected markup; the message says what."""


@dataclass(frozen=True)
class Masked:
    text: str  # the text with markers
    tokens: tuple[str, ...]  # tokens[i] is the markup behind marker i + 1

    def marker(self, i: int) -> str:
        return f"{OPEN}{i + 1}{CLOSE}"


def _pattern(language: str) -> re.Pattern[str] | None:
    if language == "latex":
        return _LATEX
    if language in ("markdown", "quarto", "rmarkdown"):
        return _MARKDOWN
    return None


def parser_spans(doc: ProseDocument, start: int, end: int) -> list[tuple[int, int]]:
    """Source spans in [start, end) that the parser did not copy as plain prose."""
    spans: list[tuple[int, int]] = []
    covered: list[tuple[int, int]] = []
    for chunk in doc.chunks:
        if chunk.src_end <= start or chunk.src_start >= end:
            continue
        for p in chunk.pieces:
            if p.kind is PieceKind.TEXT:
                covered.append((p.src_start, p.src_end))
            elif p.src_end > p.src_start:
                spans.append((p.src_start, p.src_end))
    # Markup between prose pieces (\emph{, }, environments, display math) is protected too.
    pos = start
    for s, e in sorted(covered):
        if s > pos and doc.source[pos:s].strip():
            spans.append((pos, s))
        pos = max(pos, e)
    if pos < end and doc.source[pos:end].strip() and covered:
        spans.append((pos, end))
    return [(max(s, start), min(e, end)) for s, e in spans if s < end and e > start]


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def mask(text: str, language: str, extra: Sequence[tuple[int, int]] = ()) -> Masked:
    """Replace protected markup in ``text`` by markers; ``extra`` spans are offsets into ``text``."""
    if OPEN in text or CLOSE in text:
        raise RewriteRejected(f"the text already contains {OPEN} or {CLOSE}, which rewriting uses for markup")
    pattern = _pattern(language)
    spans = list(extra)
    if pattern is not None:
        spans.extend(m.span() for m in pattern.finditer(text) if m.end() > m.start())
    parts: list[str] = []
    tokens: list[str] = []
    pos = 0
    for s, e in _merge(spans):
        parts.append(text[pos:s])
        tokens.append(text[s:e])
        parts.append(f"{OPEN}{len(tokens)}{CLOSE}")
        pos = e
    parts.append(text[pos:])
    return Masked("".join(parts), tuple(tokens))


def _paired(token: str) -> bool:
    """Markup that opens or closes something: its order relative to other paired markup matters."""
    depth = len(re.findall(r"(?<!\\)\{", token)) - len(re.findall(r"(?<!\\)\}", token))
    if depth != 0 or re.search(r"\\(?:begin|end)\b", token):
        return True
    stripped = token.strip()
    return bool(re.fullmatch(r"!?\[|\]\(.*\)|\]\[.*\]|[*_]{1,3}|</?[A-Za-z][^>]*>", stripped)) and not stripped.startswith("<!--")


def _context_words(text: str, marker: str) -> tuple[str, str]:
    """The word before and after ``marker`` in ``text`` (with the spacing that joins them)."""
    i = text.index(marker)
    before = re.search(r"\S+\s*$", MARKER.sub(" ", text[:i]))
    after = re.match(r"\s*\S+", MARKER.sub(" ", text[i + len(marker) :]))
    return (before.group(0) if before else ""), (after.group(0) if after else "")


def _reinsert(original: Masked, out: str, n: int) -> str | None:
    """Put lost marker ``n`` back where its neighbouring words make its place certain."""
    marker = original.marker(n)
    before, after = _context_words(original.text, marker)
    plain = original.text.strip()
    if plain.startswith(marker):
        return marker + out if not after or out.lstrip().startswith(after.strip()) else None
    if plain.endswith(marker):
        return out + marker if not before or out.rstrip().endswith(before.strip()) else None
    i = original.text.index(marker)
    space_before = original.text[:i][-1:].isspace()
    space_after = original.text[i + len(marker) :][:1].isspace()
    if before and out.count(before) == 1:
        at = out.index(before) + len(before)
        pad = " " if space_after and out[at : at + 1] not in ("", " ", "\n") else ""
        return out[:at] + marker + pad + out[at:]
    if after and out.count(after) == 1:
        at = out.index(after)
        pad = " " if space_before and at > 0 and not out[at - 1].isspace() and not after[:1].isspace() else ""
        return out[:at] + pad + marker + out[at:]
    return None


def _new_markup(text: str, language: str) -> str | None:
    """Raw markup the model typed itself (it must use markers, not invent markup)."""
    pattern = _pattern(language)
    if pattern is None:
        return None
    m = pattern.search(text)
    return m.group(0) if m else None


@dataclass(frozen=True)
class Unmasked:
    text: str
    repairs: tuple[str, ...]  # what was repaired, for the action's title or a log line


def unmask(original: Masked, output: str, language: str) -> Unmasked:
    """Restore markup in the model's ``output``; raise :class:`RewriteRejected` if that is unsafe."""
    repairs: list[str] = []
    normalised = _NEAR_MARKER.sub(lambda m: f"{OPEN}{m.group(1)}{CLOSE}", output)
    if normalised != output:
        repairs.append("normalised marker spelling")
    out = normalised
    found = [int(m.group(1)) - 1 for m in MARKER.finditer(out)]
    n = len(original.tokens)
    invented = sorted({i for i in found if not 0 <= i < n})
    if invented:
        raise RewriteRejected(f"the rewrite invented markup marker(s) {', '.join(original.marker(i) for i in invented)}")
    dupes = sorted({i for i in found if found.count(i) > 1})
    if dupes:
        raise RewriteRejected(f"the rewrite repeated {', '.join(repr(original.tokens[i]) for i in dupes)}")
    for i in range(n):
        if i in found:
            continue
        fixed = _reinsert(original, out, i)
        if fixed is None:
            raise RewriteRejected(f"the rewrite lost {original.tokens[i]!r} and its place is not clear")
        out = fixed
        repairs.append(f"re-inserted {original.tokens[i]!r}")
    order = [int(m.group(1)) - 1 for m in MARKER.finditer(out)]
    paired_order = [i for i in order if _paired(original.tokens[i])]
    if paired_order != sorted(paired_order):
        raise RewriteRejected("the rewrite moved paired markup (braces, environments, links or emphasis) out of order")
    raw = _new_markup(MARKER.sub(" ", out), language)
    if raw is not None:
        raise RewriteRejected(f"the rewrite added markup of its own ({raw!r})")
    restored = MARKER.sub(lambda m: original.tokens[int(m.group(1)) - 1], out)
    return Unmasked(restored, tuple(repairs))
