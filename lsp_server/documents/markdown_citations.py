"""Pandoc citation syntax: ``[see @doe99, p. 4; -@roe02]``, ``@doe99 [p. 4]``, ``@{odd key}``.

Pandoc's rule: a key starts with a letter, digit or ``_`` and may contain
alphanumerics, ``_`` and *internal* punctuation (``:.#$%&-+?<>~/``), so the
full stop in ``@doe99.`` ends the sentence, not the key.  Quarto cross-references
(``@fig-map``) and pandoc-crossref ones (``@fig:map``) share the syntax; they are
told apart by their prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A key, after the '@'.  Internal punctuation only: the key must end on a word character.
KEY = re.compile(r"\{(?P<braced>[^{}\n]+)\}|(?P<plain>\w(?:[\w:.#$%&+?<>~/-]*\w)?)")
# Inside brackets: an optional '-' (suppress author) then '@' not glued to a word (e-mail).
BRACKET_KEY = re.compile(r"(?<![\w.+@-])(?P<dash>-?)@")
CROSSREF_PREFIXES = frozenset(
    {
        "fig",
        "tbl",
        "sec",
        "eq",
        "lst",
        "thm",
        "lem",
        "cor",
        "prp",
        "cnj",
        "def",
        "exm",
        "exr",
        "sol",
        "rem",
        "alg",
        "nte",
    }
)
_CROSSREF = re.compile(r"(?P<prefix>[A-Za-z]+)[-:]\S")


def is_crossref(key: str) -> bool:
    """``fig-map`` (Quarto) and ``fig:map`` (pandoc-crossref) are references, not citations."""
    m = _CROSSREF.match(key)
    return m is not None and m.group("prefix").lower() in CROSSREF_PREFIXES


@dataclass(frozen=True, slots=True)
class KeyMatch:
    key: str
    start: int  # offset of '@'
    end: int  # just past the key (or its closing brace)


def match_key(text: str, at: int, end: int) -> KeyMatch | None:
    """The key whose '@' is at ``text[at]``, or None."""
    m = KEY.match(text, at + 1, end)
    if m is None:
        return None
    key = m.group("braced") if m.group("braced") is not None else m.group("plain")
    return KeyMatch(key.strip(), at, m.end())


def bracket_keys(text: str, start: int, end: int) -> list[KeyMatch] | None:
    """Keys of a bracketed citation ``text[start:end]`` (inside the brackets), or None.

    Every ``;``-separated item must carry exactly one key, as pandoc requires;
    otherwise the brackets are ordinary text (``[a; b]``) or a link.
    """
    keys: list[KeyMatch] = []
    item_start = start
    while item_start <= end:
        semi = text.find(";", item_start, end)
        item_end = end if semi < 0 else semi
        found: KeyMatch | None = None
        for m in BRACKET_KEY.finditer(text, item_start, item_end):
            km = match_key(text, m.end() - 1, item_end)
            if km is not None:
                found = km
                break
        if found is None:
            return None
        keys.append(found)
        if semi < 0:
            break
        item_start = semi + 1
    return keys or None
