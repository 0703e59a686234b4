"""Spaces around punctuation: none before , ; : . ! ? and one after it.  Only
spaces the writer typed count: a space the parser put in for dropped markup is
not in the source."""

from __future__ import annotations

import re
from collections.abc import Iterator

from marginalia_grammar_rules.rules.base import Match, Rule, RuleOptions, examples_beside
from marginalia_grammar_rules.text import ChunkText

# "word ," / "word ." followed by a space or the end (not " .NET", not " ...").
_SPACE_BEFORE = re.compile(r"(?<=[A-Za-z\)\]])(?P<bad>[ \t]+)(?P<p>[,;:!?]|\.(?!\.))(?=\s|$)")
# "word.Next", "word,next": two letters, punctuation, a word (not "e.g.", "U.S.", "node.js").
_MISSING_AFTER = re.compile(r"(?<![.\w])(?P<w>[A-Za-z]{2,})(?P<p>[,;]|[.!?](?=[A-Z][a-z]))(?P<n>[A-Za-z]{2,})")


# What every match of each pattern contains, tested first: most paragraphs have neither, and
# these checks are far cheaper than the patterns, which start with a look-behind.
_SPACE_THEN_MARK = tuple(space + mark for space in " \t" for mark in ",;:!?.")
_LETTER_MARK_LETTER = re.compile(r"[A-Za-z][,;.!?][A-Za-z]")


def check(text: ChunkText, options: RuleOptions) -> Iterator[Match]:
    s = text.text
    if any(pair in s for pair in _SPACE_THEN_MARK):
        for m in _SPACE_BEFORE.finditer(s):
            if text.typed(m.start("bad"), m.end("p")):
                yield Match(m.start("bad"), m.end("bad"), f"No space before “{m.group('p')}”.", ("",))
    if _LETTER_MARK_LETTER.search(s) is None:
        return
    for m in _MISSING_AFTER.finditer(s):
        at = m.end("p")
        if text.typed(m.start("w"), m.end("n")) and not _looks_like_code(s, m.start("w"), m.end("n")):
            yield Match(m.start("p"), at, f"Put a space after “{m.group('p')}”.", (m.group("p") + " ",))


def _looks_like_code(s: str, start: int, end: int) -> bool:
    """Identifiers, paths and file names in unmarked text: "self.Foo", "a/b.Txt"."""
    lo = max(0, start - 1)
    before = s[lo:start]
    after = s[end : end + 1]
    return before in ("/", "\\", "_", "@", "#", ":") or after in ("(", "_", "/", "=", ".")


RULE = Rule("punctuation-space", "Missing or extra space around punctuation", check, examples_path=examples_beside(__file__))
