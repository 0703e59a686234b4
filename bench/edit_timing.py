"""One-character edits in a long document, timed the way the server meets them.

Shared by the plugin benchmarks: each edit inserts a letter inside a random verbatim
piece of the original text, then parses and checks the whole edited buffer.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

from lsp_server.documents.model import ProseDocument
from lsp_server.engine import Engine


@dataclass
class EditTimings:
    total: list[float] = field(default_factory=list)  # parse + check, wall seconds
    check_only: list[float] = field(default_factory=list)  # check, wall seconds
    check_cpu: list[float] = field(default_factory=list)  # check, CPU seconds of this process
    rechecked: list[int] = field(default_factory=list)  # chunks the plugin was shown


def time_edits(
    engine: Engine, doc: ProseDocument, lang_id: str, plugin: str, edits: int, rng: random.Random
) -> EditTimings:
    pieces = [p for c in doc.chunks for p in c.pieces if p.exact and p.src_end - p.src_start > 2]
    out = EditTimings()
    for version in range(1, edits + 1):
        piece = rng.choice(pieces)
        at = rng.randrange(piece.src_start + 1, piece.src_end)
        edited = doc.source[:at] + "e" + doc.source[at:]
        t0 = time.perf_counter()
        d = engine.parse(edited, lang_id, "file:///book", version)
        t1, c1 = time.perf_counter(), time.process_time()
        r = engine.check(d)
        t2, c2 = time.perf_counter(), time.process_time()
        out.check_cpu.append(c2 - c1)
        out.total.append(t2 - t0)
        out.check_only.append(t2 - t1)
        out.rechecked.append(r.checked_chunks.get(plugin, 0))
    return out
