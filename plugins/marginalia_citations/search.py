"""A completion index over every entry of a document's bibliographies.

Built once per set of parsed files (folded, lower-case strings per entry), so a
request is one linear pass of substring tests: a few milliseconds for 7,000
entries.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from marginalia_citations.bibfile import BibEntry, BibFile, expand_value
from marginalia_citations.latex_text import fold

_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True, slots=True)
class Indexed:
    entry: BibEntry
    bib: BibFile
    key: str  # folded key
    authors: str  # " " + folded author/editor names, so " smi" finds a word start
    title: str  # " " + folded title
    year: str


def _field(bib: BibFile, entry: BibEntry, *names: str) -> str:
    for n in names:
        raw = entry.raw(n)
        if raw is not None:
            return expand_value(raw, bib.strings)
    return ""


def _year(bib: BibFile, entry: BibEntry) -> str:
    m = _YEAR.search(_field(bib, entry, "year", "date"))
    return m.group() if m else ""


class SearchIndex:
    def __init__(self, bibs: Sequence[BibFile]) -> None:
        items: list[Indexed] = []
        seen: set[str] = set()
        for bib in bibs:
            for key, e in bib.entries.items():
                if key in seen:
                    continue
                seen.add(key)
                authors = fold(_field(bib, e, "author", "editor")).replace(",", " ").replace(" and ", " ")
                title = fold(_field(bib, e, "title"))
                items.append(Indexed(e, bib, key.lower(), " " + " ".join(authors.split()), " " + " ".join(title.split()), _year(bib, e)))
        self.items = items

    def __len__(self) -> int:
        return len(self.items)

    def search(self, query: str, limit: int = 100) -> list[Indexed]:
        """Best matches first: key prefix, key substring, author or title word, year."""
        q = fold(query.strip())
        if not q:
            return sorted(self.items, key=lambda i: i.key)[:limit]
        word = " " + q
        buckets: list[list[Indexed]] = [[] for _ in range(6)]
        for it in self.items:
            if it.key.startswith(q):
                buckets[0].append(it)
            elif q in it.key:
                buckets[1].append(it)
            elif word in it.authors:
                buckets[2].append(it)
            elif it.year.startswith(q):
                buckets[3].append(it)
            elif word in it.title:
                buckets[4].append(it)
            elif len(q) >= 3 and q in it.title:
                buckets[5].append(it)
        out: list[Indexed] = []
        for b in buckets:
            b.sort(key=lambda i: i.key)
            out.extend(b[: limit - len(out)])
            if len(out) >= limit:
                break
        return out
