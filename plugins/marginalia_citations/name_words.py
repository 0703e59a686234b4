"""The words of the names a bibliography lists, for the spell checker to accept.

A paper names the people it cites ("following Rybicki and Press", "the
Foreman-Mackey method"); they are in its .bib already, so flagging them as
misspellings is a false alarm the writer would have to add to a dictionary one
by one.  Every capitalised word of an ``author`` or ``editor`` field is taken,
and the parts of a hyphenated one ("Foreman", "Mackey"); accents are decoded
with the fast decoder used for completion.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from marginalia_citations.bibfile import BibFile
from marginalia_citations.latex_text import quick_text

NAME_FIELDS = ("author", "editor")
_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")


def _words(value: str) -> Iterable[str]:
    for word in _WORD.findall(quick_text(value)):
        if len(word) < 2 or not word[0].isupper() or word.lower() == "others":
            continue
        yield word
        if "-" in word:
            yield from (part for part in word.split("-") if len(part) > 1 and part[0].isupper())


def name_words(bibs: Iterable[BibFile]) -> frozenset[str]:
    """Capitalised words of every author and editor in ``bibs``."""
    out: set[str] = set()
    for bib in bibs:
        for entry in bib.all_entries:
            for name in NAME_FIELDS:
                raw = entry.raw(name)
                if raw:
                    out.update(_words(raw))
    return frozenset(out)
