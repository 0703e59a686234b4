"""Punctuation of i.e. and e.g.: both periods, no space before the comma, and
(optionally, US style) a comma after them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from marginalia_grammar_rules.rules.base import Match, Rule, RuleOptions, examples_beside
from marginalia_grammar_rules.text import ChunkText

_SPACE_COMMA = re.compile(r"\b(?P<abbr>[ie]\.[eg]\.)(?P<bad>\s+,)")
_MISSING_DOT = re.compile(r"(?<![\w.])(?P<bad>(?P<a>[ie])\.?(?P<b>[eg])\.?)(?=[\s,])", re.IGNORECASE)
_NO_COMMA = re.compile(r"\b(?P<abbr>[ie]\.[eg]\.)(?P<bad>)(?=\s+[\w$(\"“])")
_VALID = {("i", "e"), ("e", "g")}


def check(text: ChunkText, options: RuleOptions) -> Iterator[Match]:
    s = text.text
    for m in _SPACE_COMMA.finditer(s):
        if text.typed(m.start("bad"), m.end("bad")):
            yield Match(m.start("bad"), m.end("bad"), f"No space before the comma after “{m.group('abbr')}”.", (",",))
    for m in _MISSING_DOT.finditer(s):
        a, b = m.group("a").lower(), m.group("b").lower()
        word = m.group("bad")
        if (a, b) not in _VALID or word.count(".") == 2 or "." not in word or text.placeholder_at(m.start()) is not None:
            continue  # "ie"/"eg" without any period are words in other languages; only half-punctuated forms
        fixed = f"{a}.{b}."
        yield Match(m.start("bad"), m.end("bad"), f"Write “{fixed}” with both periods.", (fixed,))
    if options.comma_after_ie_eg:
        for m in _NO_COMMA.finditer(s):
            end = m.end("abbr")
            yield Match(m.start("abbr"), end, f"US style puts a comma after “{m.group('abbr')}”.", (m.group("abbr") + ",",))


RULE = Rule("ie-eg", "Punctuation of i.e. and e.g.", check, examples_path=examples_beside(__file__))
