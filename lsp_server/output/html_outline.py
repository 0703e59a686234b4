"""What the HTML report draws besides findings: each file's headings and its sentence lengths.

Both come from the same parse the checks use (headings are chunks with the role
"heading"), so a section in the chart is a section the parser saw.  Sentence
bounds come from the style plugin's reading of a chunk when it is installed (the
one its long-sentence rule uses); without it, a plain full-stop split.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lsp_server.documents.model import Chunk, ProseDocument

MAX_TITLE = 60
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Chunks that are not running prose: their "sentences" would skew the histogram.
NOT_SENTENCES = frozenset({"heading", "caption"})


@dataclass(frozen=True, slots=True)
class Heading:
    title: str
    line: int  # 1-based
    offset: int  # code points into the source


@dataclass(frozen=True, slots=True)
class Outline:
    headings: tuple[Heading, ...]
    sentence_lengths: tuple[int, ...]  # words per sentence, in document order

    def section_of(self, offset: int) -> int:
        """Index of the heading a source offset falls under; -1 before the first heading."""
        return bisect.bisect_right([h.offset for h in self.headings], offset) - 1


def _title(chunk: Chunk) -> str:
    text = " ".join(chunk.text.split())
    return text if len(text) <= MAX_TITLE else text[: MAX_TITLE - 1] + "…"


def _plain_lengths(text: str) -> list[int]:
    return [n for n in (len(_WORD.findall(s)) for s in _SENTENCE_END.split(text)) if n]


def _sentence_counter() -> Callable[[Chunk], list[int]]:
    try:
        from marginalia_style.prose import StyleText
    except ImportError:
        return lambda chunk: _plain_lengths(chunk.text)

    def count(chunk: Chunk) -> list[int]:
        reading = StyleText(chunk)
        starts = [w.start for w in reading.words]
        lengths = [bisect.bisect_left(starts, s.end) - bisect.bisect_left(starts, s.start) for s in reading.sentences]
        return [n for n in lengths if n]

    return count


def outline(doc: ProseDocument, line_of: Callable[[int], int]) -> Outline:
    """Headings and sentence lengths of ``doc``; ``line_of`` maps an offset to its 1-based line."""
    chunks: Sequence[Chunk] = doc.chunks
    headings = tuple(Heading(_title(c), line_of(c.src_start), c.src_start) for c in chunks if c.role == "heading" and c.text.strip())
    count = _sentence_counter()
    lengths: list[int] = []
    for chunk in chunks:
        if chunk.role not in NOT_SENTENCES:
            lengths.extend(count(chunk))
    return Outline(headings, tuple(lengths))
