"""Self-check of a parsed document's offset map (used by tests and benchmarks).

It states the contract every parser must keep, so a violation names itself
instead of surfacing later as a diagnostic underlining the wrong word.
"""

from __future__ import annotations

from lsp_server.documents.model import PieceKind, ProseDocument


def offset_map_problems(doc: ProseDocument) -> list[str]:
    """Every way ``doc`` breaks the contract; empty when it keeps it."""
    problems: list[str] = []
    n = len(doc.source)
    last_start = -1
    for ci, chunk in enumerate(doc.chunks):
        where = f"chunk {ci} ({chunk.text[:30]!r})"
        if chunk.src_start < last_start:
            problems.append(f"{where}: chunks are not in source order")
        last_start = chunk.src_start
        if not chunk.pieces:
            problems.append(f"{where}: no pieces")
            continue
        if chunk.pieces[0].prose_start != 0 or chunk.pieces[-1].prose_end != len(chunk.text):
            problems.append(f"{where}: pieces do not cover the prose")
        prev_end = 0
        for p in chunk.pieces:
            if p.prose_start != prev_end or p.prose_end <= p.prose_start:
                problems.append(f"{where}: piece {p} overlaps, leaves a gap or is empty in the prose")
            prev_end = p.prose_end
            if not 0 <= p.src_start <= p.src_end <= n:
                problems.append(f"{where}: piece {p} lies outside the source")
            if not chunk.src_start <= p.src_start <= p.src_end <= chunk.src_end:
                problems.append(f"{where}: piece {p} lies outside its chunk's span")
            if (
                p.kind is PieceKind.TEXT
                and doc.source[p.src_start : p.src_end] != chunk.text[p.prose_start : p.prose_end]
            ):
                problems.append(f"{where}: verbatim piece {p} differs from its source")
    for a, b, message in doc.markup_notes:
        if not 0 <= a <= b <= n:
            problems.append(f"markup note {message!r} at {a}-{b} lies outside the source")
    return problems
