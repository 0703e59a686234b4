"""Two or more spaces between words inside a sentence.

LaTeX and Markdown collapse them when rendering, so this is a hint about the
source, not an error; spaces after a sentence end and indentation are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lsp_server.plugin import Severity
from marginalia_grammar_rules.rules.base import Match, Rule, RuleOptions, examples_beside
from marginalia_grammar_rules.text import ChunkText

_DOUBLE = re.compile(r"(?<=[A-Za-z,;])(?P<bad>  +)(?=[A-Za-z(])")


def check(text: ChunkText, options: RuleOptions) -> Iterator[Match]:
    for m in _DOUBLE.finditer(text.text):
        if text.typed(m.start("bad"), m.end("bad")):
            yield Match(m.start("bad"), m.end("bad"), "Two spaces between words.", (" ",))


RULE = Rule("double-space", "Two spaces between words", check, Severity.HINT, frozenset({"table"}), examples_beside(__file__))
