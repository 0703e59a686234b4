"""The document rules' results, kept between edits.

``check_document`` runs on every keystroke of a whole book.  The document
rules read only each chunk's cached facts and role, so when an edit leaves
that input as it was (most paragraphs hold no variant spelling or acronym),
the previous matches are reused, mapped to the new chunks by position; only
an edit that changes some facts runs the rules again.  Findings are kept
relative to their chunk, like the host's chunk cache, so a chunk moved by an
edit above it costs a shift, not a new offset mapping.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from lsp_server.documents.model import Chunk
from lsp_server.plugin import Finding
from marginalia_style.facts import DocumentFacts
from marginalia_style.rules.base import DocumentRule, Located, Match
from marginalia_style.settings import StyleSettings

MAX_FINDINGS_KEPT = 20_000
MAX_DOCUMENTS_KEPT = 64  # (document, rule) pairs

# (chunk, rule, match) -> the finding in source offsets
MakeFinding = Callable[[Chunk, DocumentRule, Match], Finding]


class DocumentRuleMemo:
    """Per document and rule: the input last seen and its matches, as (index into the facts list, match)."""

    def __init__(self) -> None:
        self._last: OrderedDict[tuple[str, str], tuple[Hashable, list[tuple[int, Match]]]] = OrderedDict()
        self._findings: dict[tuple[str, str, Match, Hashable], Finding] = {}
        self._lock = threading.Lock()

    def located(self, rule: DocumentRule, facts: DocumentFacts, settings: StyleSettings, document: str = "") -> list[Located]:
        """``rule.report(facts, settings)``, run only when its input changed since the last
        check of ``document`` (a URI: several open files do not evict each other)."""
        # The facts objects come from the facts cache: an unchanged chunk gives the very same
        # object, so comparing the keys is mostly identity tests.
        key = (tuple(f for _, f in facts), tuple(c.role for c, _ in facts), repr(settings))
        slot = (document, rule.id)
        with self._lock:
            hit = self._last.get(slot)
        if hit is not None and hit[0] == key:
            matches = hit[1]
        else:
            index = {id(chunk): i for i, (chunk, _) in enumerate(facts)}
            matches = [(index[id(chunk)], m) for chunk, m in rule.report(facts, settings)]
            with self._lock:
                self._last[slot] = (key, matches)
                self._last.move_to_end(slot)
                while len(self._last) > MAX_DOCUMENTS_KEPT:
                    self._last.popitem(last=False)
        return [(facts[i][0], m) for i, m in matches]

    def finding(self, chunk: Chunk, rule: DocumentRule, m: Match, variant: Hashable, make: MakeFinding) -> Finding:
        """``make(chunk, rule, m)``, built once per chunk content and kept relative to the chunk.

        ``variant`` is whatever else the finding depends on (its severity)."""
        key = (chunk.key, rule.id, m, variant)
        with self._lock:
            relative = self._findings.get(key)
        if relative is None:
            relative = make(chunk, rule, m).shifted(-chunk.src_start)
            with self._lock:
                if len(self._findings) >= MAX_FINDINGS_KEPT:
                    self._findings.clear()
                self._findings[key] = relative
        return relative.shifted(chunk.src_start)
