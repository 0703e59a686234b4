"""a/an by the sound of the next word, number, acronym or placeholder.

The reading decides, not the spelling: "an hour", "a user", "an 8", "an SVM",
and for markup the placeholder's reading ("an $x$", "a $y$", "an \\SI{8}{\\hour}").
Acronyms that are usually said as a word (NASA, FAQ, SQL) are left alone because
both forms are in use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lsp_server.documents.model import PieceKind
from lsp_server.documents.placeholders import starts_with_vowel_sound
from marginalia_grammar_rules.rules.base import Match, Rule, RuleOptions, examples_beside, keep_case
from marginalia_grammar_rules.text import ChunkText, Token

# A vowel followed by a consonant inside an all-caps word makes it sayable as a word.
_SAYABLE_ACRONYM = re.compile(r"^[A-Z]*[AEIOU][B-DF-HJ-NP-TV-Z]")
_AMBIGUOUS = {"sql", "faq", "url", "hdr", "ui", "uri", "ubuntu", "unix", "historic", "historical", "herb", "one-off"}
# Letters and words that "A" names rather than articles: "vitamin A", "Type A", "Appendix A".
_NAMING = {"vitamin", "type", "class", "group", "part", "appendix", "section", "option", "plan", "grade", "point",
           "letter", "model", "case", "step", "phase", "table", "figure", "fig", "set", "series", "item", "level", "panel"}
# Words a "placeholder" reading cannot judge: citations and references are not said as their digits.
_UNREADABLE = {PieceKind.CITATION, PieceKind.URL}
_PLACEHOLDER_READING = {PieceKind.MATH, PieceKind.COMMAND, PieceKind.CODE, PieceKind.REFERENCE}


def _next_reading(text: ChunkText, i: int) -> Token | None:
    """The token the article is read with, when only spaces separate them."""
    tokens = text.tokens
    if i + 1 >= len(tokens):
        return None
    art, nxt = tokens[i], tokens[i + 1]
    gap = text.text[art.end : nxt.start]
    if gap.strip():
        return None  # punctuation between them: "a, b", "(a) one"
    return nxt


def _vowel_sound(tok: Token) -> bool | None:
    """True/False for the reading of ``tok``; None when unsure."""
    if tok.placeholder is not None:
        if tok.placeholder in _UNREADABLE:
            return None
        return starts_with_vowel_sound(tok.text) if tok.placeholder in _PLACEHOLDER_READING else None
    word = tok.text
    if word.lower() in _AMBIGUOUS or word.lower().split("-")[0] in _AMBIGUOUS:
        return None
    head = re.match(r"[A-Za-z]+", word)
    if head and head.group().isupper() and len(head.group()) > 1 and _SAYABLE_ACRONYM.match(head.group()):
        return None
    if head is None and not word[0].isdigit():
        return None
    return starts_with_vowel_sound(word)


def check(text: ChunkText, options: RuleOptions) -> Iterator[Match]:
    tokens = text.tokens
    for i, tok in enumerate(tokens):
        low = tok.lower
        if low not in ("a", "an") or tok.placeholder is not None:
            continue
        if tok.text == "A" and i > 0 and tokens[i - 1].lower in _NAMING:
            continue
        after = text.text[tok.end : tok.end + 1]
        if after in (".", "-", ")", "'", "’"):
            continue  # "a.k.a.", "A-level", "(a)"
        nxt = _next_reading(text, i)
        if nxt is None:
            continue
        vowel = _vowel_sound(nxt)
        if vowel is None:
            continue
        if vowel and low == "a":
            yield Match(tok.start, tok.end, f"Use “an” before “{nxt.text}”, which starts with a vowel sound.", (keep_case(tok.text, "an"),))
        elif not vowel and low == "an":
            yield Match(tok.start, tok.end, f"Use “a” before “{nxt.text}”, which starts with a consonant sound.", (keep_case(tok.text, "a"),))


RULE = Rule("a-an", "Article a/an does not match the sound of the next word", check, examples_path=examples_beside(__file__))
