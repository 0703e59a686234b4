"""A sentence starts with a capital letter.

Only starts after a typed sentence end (. ! ?) are judged, never a chunk's
first word (a paragraph may continue a sentence after display math, a list item
may start lower case).  Abbreviations ("e.g.", "et al.", "vs.", "Fig."),
initials, ellipses, numbered items (arabic, or roman first on a line), placeholders and code-like words
("iOS", "npm_config", "x86") are not sentence starts or not words to capitalise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from marginalia_grammar_rules.rules.base import Match, Rule, RuleOptions, examples_beside
from marginalia_grammar_rules.text import ChunkText

_ABBREVIATIONS = {
    "e.g", "i.e", "al", "vs", "cf", "fig", "figs", "eq", "eqs", "sec", "secs", "etc", "approx", "resp", "no", "nos", "dr",
    "mr", "mrs", "ms", "prof", "ca", "viz", "ch", "chap", "p", "pp", "vol", "vols", "ed", "eds", "ref", "refs", "tab",
    "thm", "lem", "def", "prop", "cor", "alg", "app", "seq", "incl", "w.r.t", "wrt", "st", "op", "cit", "ibid", "jr",
    "sr", "inc", "ltd", "co", "dept", "univ", "est", "min", "max", "avg", "std", "var", "e.v", "a.k.a", "n.b", "p.s",
    "u.s", "u.k", "ph.d", "b.sc", "m.sc", "a.m", "p.m", "ex", "esp", "excl", "lit", "abbr", "num", "nr", "art", "para",
    "sect", "fn", "n", "v", "sp", "spp", "ssp", "subsp", "gen", "et", "cp", "e", "i",
}
# End of sentence, closing quotes or brackets, then space, then a lower-case word.
_START = re.compile(r"(?P<end>[.!?])[\"'”’)\]]*[ \t]*(?:\r?\n[ \t]*)?[ \t]*(?P<word>[a-z][\w'’-]*)")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_DOTTED = re.compile(r"\.\w")
_WORDS = re.compile(r"[^\W\d_]+")
_END = re.compile(r"[.!?]")
# A roman numeral (i to xxxix): many words are spelt like one ("mix", "civil"), so it
# counts as a list number only first on its line.
_ROMAN = re.compile(r"^x{0,3}(?:ix|iv|v?i{0,3})$")


def _sentence_end(s: str, pos: int) -> int:
    m = _END.search(s, pos)
    return m.start() if m else len(s)


def check(text: ChunkText, options: RuleOptions) -> Iterator[Match]:
    s = text.text
    for m in _START.finditer(s):
        end = m.start("end")
        if m.end("end") == m.start("word"):
            continue  # no space: "node.js", "e.g.the"
        if (end > 0 and s[end - 1] in ".…") or s[end : end + 3] == "...":
            continue  # ellipsis
        if not text.typed(end, m.end("end")) or text.placeholder_at(m.start("word")) is not None:
            continue
        before = _WORD_BEFORE.search(s, 0, end)
        prev = before.group(1).lower() if before else ""
        if not prev or prev.rstrip(".") in _ABBREVIATIONS or len(prev) == 1 or "." in prev.strip("."):
            continue  # abbreviation or initial; nothing before (a placeholder ended the sentence)
        if prev.isdigit():
            continue  # "step 3. then": a numbered list written inline
        if _ROMAN.match(prev) and not s[s.rfind("\n", 0, end) + 1 : before.start() if before else end].strip():
            continue  # "   ii. a copyright notice;": a list numbered in roman numerals
        word = m.group("word")
        if len(word) == 1 and word not in ("a", "i"):
            continue  # a label ("b" in \tablenotetext{b}{The ...}) or a variable, not a sentence
        follow = s[m.end("word") : m.end("word") + 2]
        if any(c.isupper() or c.isdigit() or c == "_" for c in word[1:]) or follow[:1] in ("(", "_", "/", ":") or _DOTTED.match(follow):
            continue  # iOS, x86, npm_config, foo(), node.js
        if "-" in word or len(_WORDS.findall(s, m.end("word"), _sentence_end(s, m.end("word")))) < 2:
            continue  # "max-len", or a fragment like a table cell "(sel. sc.)": not a sentence
        yield Match(m.start("word"), m.start("word") + 1, f"A sentence starts with a capital letter: “{word.capitalize()}”.", (word[0].upper(),))


RULE = Rule("sentence-case", "A sentence starts in lower case", check, skip_roles=frozenset({"table"}), examples_path=examples_beside(__file__))
