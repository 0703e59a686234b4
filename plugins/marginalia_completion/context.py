"""What the model sees: prose around the cursor, and where completion is refused.

The cursor is mapped from source to prose through the chunk's pieces: inside a
placeholder (math, code, citation, reference, macro, URL) or in markup the
parser dropped, there is no prose to continue.  Source patterns catch what a
half-typed buffer hides from the parser: a command name or citation key being
typed, an unclosed inline code span.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lsp_server.documents.model import Chunk, PieceKind, ProseDocument

_KIND_REASON = {
    PieceKind.MATH: "math",
    PieceKind.CODE: "code",
    PieceKind.CITATION: "citation",
    PieceKind.REFERENCE: "citation",
    PieceKind.COMMAND: "command",
    PieceKind.URL: "citation",
}
_LATEX_COMMAND = re.compile(r"\\[A-Za-z@]*\*?$")
_LATEX_KEY = re.compile(r"\\[A-Za-z]*(?:cite|ref|label|input|include|url)[A-Za-z]*\*?(?:\[[^\]\n]*\])*\{[^}\n]*$")
_LATEX_MATH_OPEN = re.compile(r"(?<!\\)(?:\\\\)*\$")
_MD_CITATION = re.compile(r"(?:\[[^\]\n]*|(?<![\w.])-?)@[\w:./-]*$")
_MD_LINK_TARGET = re.compile(r"\]\([^)\n]*$")
_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True)
class CompletionContext:
    prefix: str  # prose before the cursor, earlier paragraphs included, within the token budget
    suffix: str  # prose after the cursor, within its budget
    partial: str  # the word being typed (what a completion item replaces)
    paragraph_prefix: str  # the current paragraph's prose before the cursor


def _line_before(source: str, offset: int) -> str:
    return source[source.rfind("\n", 0, offset) + 1 : offset]


def source_block(doc: ProseDocument, offset: int) -> str | None:
    """Why the source around ``offset`` is not prose being written, from the raw text."""
    line = _line_before(doc.source, offset)
    if doc.language_id == "latex":
        if _LATEX_COMMAND.search(line):
            return "command"
        if _LATEX_KEY.search(line):
            return "citation"
        # An odd number of unescaped $ before the cursor on this line: inside inline math.
        if len(_LATEX_MATH_OPEN.findall(line.split("%")[0])) % 2 == 1:
            return "math"
    elif doc.language_id in ("markdown", "quarto", "rmarkdown"):
        if line.count("`") % 2 == 1:
            return "code"
        if _MD_CITATION.search(line):
            return "citation"
        if _MD_LINK_TARGET.search(line):
            return "citation"
        if line.count("$") % 2 == 1:
            return "math"
    return None


def prose_offset(chunk: Chunk, offset: int) -> tuple[int | None, str | None]:
    """(prose offset of source ``offset``, or None with the kind of markup it sits in)."""
    best: int | None = None
    for p in chunk.pieces:
        if not p.src_start <= offset <= p.src_end:
            continue
        if p.kind is PieceKind.TEXT:
            return p.prose_start + (offset - p.src_start), None
        if offset == p.src_start:
            best = p.prose_start if best is None else best
        elif offset == p.src_end:
            best = p.prose_end
        elif p.kind.is_placeholder:
            return None, _KIND_REASON.get(p.kind, "markup")
        else:  # inside a decoded accent or dash: treat as after it
            best = p.prose_end
    if best is None:
        return None, "markup"
    return best, None


_SENTENCE_START = re.compile(r"(?:[.!?]\s+|\n\s*\n\s*)(?=\S)")
_WORD_START = re.compile(r"\s+(?=\S)")


def _anchor(text: str, at: int, step: int) -> int:
    """The first sentence start in ``text[at : at + step]``, else the first word start after ``at``."""
    if at == 0:
        return 0
    m = _SENTENCE_START.search(text, at - 1, at + step)
    if m is not None and m.end() >= at:
        return m.end()
    m = _WORD_START.search(text, at)
    return m.end() if m is not None else len(text)


def _trim_left(text: str, budget: int, count: Callable[[str], int]) -> str:
    """A tail of ``text`` within ``budget`` tokens whose start holds still while the user types.

    The start is chosen from anchors on a grid measured from the beginning of ``text`` (a
    paragraph start, so fixed while typing at the end): every ``budget`` characters, the next
    sentence start (else word start).  Typing moves the start only when the tail outgrows
    the budget, and then by a whole step (about a quarter of the budget), so consecutive
    requests share their prompt prefix and the model's key/value cache of it: on a CPU a
    new 384-token prefill costs seconds, the few tokens typed since the last request almost
    nothing.
    """
    if count(text) <= budget:
        return text
    step = max(1, budget)  # characters: about a quarter of the budget at ~4 characters a token
    # Skip the steps that leave more than 8 characters a token: they cannot fit.
    k = max(0, (len(text) - budget * 8) // step)
    seen = -1
    while True:
        start = _anchor(text, k * step, step)
        if start >= len(text):
            return ""
        if start != seen and count(text[start:]) <= budget:
            return text[start:]
        seen = start
        k += 1


def _trim_right(text: str, budget: int, count: Callable[[str], int]) -> str:
    if budget <= 0:
        return ""
    text = text[: budget * 8]
    while text and count(text) > budget:
        cut = len(text) - max(1, len(text) // 5)
        prev = text.rfind(" ", 0, cut)
        text = text[:prev] if prev > 0 else text[:cut]
    return text


def extract(
    doc: ProseDocument,
    offset: int,
    *,
    before_tokens: int,
    after_tokens: int,
    count_tokens: Callable[[str], int],
    allow_in: frozenset[str] = frozenset(),
) -> tuple[CompletionContext | None, str | None]:
    """(context, None) where completion makes sense, else (None, the reason it does not)."""
    if not 0 <= offset <= len(doc.source):
        return None, "outside the document"
    blocked = source_block(doc, offset)
    if blocked is not None and blocked not in allow_in:
        return None, blocked
    # Parsers leave trailing blanks out of a paragraph: "The quick brown |" continues
    # the prose that ends before the blanks, with one space typed.
    back = offset
    while back > 0 and doc.source[back - 1] in " \t":
        back -= 1
    gap = " " if back < offset else ""
    chunk = doc.chunk_at(offset)
    at, reason = prose_offset(chunk, offset) if chunk is not None else (None, "not in prose")
    if at is not None:
        gap = ""
    elif back < offset and (chunk := doc.chunk_at(back)) is not None:
        at, reason = prose_offset(chunk, back)
    if chunk is None:
        return None, "not in prose"
    if at is None:
        if reason not in allow_in:
            return None, reason
        at = len(chunk.text)  # allowed: continue from the end of the paragraph's prose
    if 0 < offset < len(doc.source) and _WORD_CHAR.match(doc.source[offset]) and _WORD_CHAR.match(doc.source[offset - 1]):
        return None, "in the middle of a word"
    para_before, para_after = chunk.text[:at] + gap, chunk.text[at:]
    idx = doc.chunks.index(chunk)
    earlier = "\n\n".join(c.text for c in doc.chunks[max(0, idx - 3) : idx])
    prefix = _trim_left((earlier + "\n\n" if earlier else "") + para_before, before_tokens, count_tokens)
    later = doc.chunks[idx + 1].text if idx + 1 < len(doc.chunks) else ""
    suffix = _trim_right(para_after + ("\n\n" + later if later else ""), after_tokens, count_tokens)
    m = re.search(r"\w+$", para_before)
    partial = m.group(0) if m else ""
    return CompletionContext(prefix, suffix, partial, para_before), None


_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
_ABBREVIATIONS = frozenset({"e.g", "i.e", "etc", "vs", "cf", "fig", "figs", "eq", "eqs", "al", "sec", "ch", "no", "dr", "mr", "ms", "approx", "resp"})


def finish(text: str, prefix: str, *, stop_at: str, complete: bool) -> str:
    """Clean a raw completion: one paragraph, up to the sentence end, whole words when cut short."""
    text = text.split("\n\n", 1)[0].replace("\n", " ")
    if stop_at == "sentence":
        for m in _SENTENCE_END.finditer(text):
            word = re.search(r"[\w.]*$", text[: m.start()])
            if word is not None and (word.group(0).lower() in _ABBREVIATIONS or len(word.group(0)) == 1):
                continue  # "e.g.", "Fig.", an initial: not the end of the sentence
            text = text[: m.end()]
            complete = True
            break
    if not complete:  # cut by a limit: keep whole words only
        cut = text.rfind(" ")
        text = text[:cut] if cut > 0 else ""
    if not prefix or prefix[-1].isspace():
        text = text.lstrip()
    return text.rstrip()
