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

# An all-caps word that opens like an English syllable may be said as a word (NASA, SHO, FAQ):
# then "a" and "an" are both in use.  Unsayable ones (SVM, MRI, HTML) are spelt out.
_SAYABLE_ACRONYM = re.compile(r"^(?:[B-DF-HJ-NP-TV-Z]|SH|CH|TH|PH|WH|ST|SP|SK|SC|SN|SM|SL|SW|PR|TR|BR|CR|DR|FR|GR|PL|BL|CL|FL|GL)[AEIOU]")
# Letters whose names start with a vowel sound: "an F", "an M", "an X".
_VOWEL_LETTER_NAMES = frozenset("aefhilmnorsx")
_AMBIGUOUS = {"sql", "faq", "url", "hdr", "ui", "uri", "ubuntu", "unix", "historic", "historical", "herb", "one-off"}
# Placeholders whose reading is known: math and macros.  Code ("an `.editorconfig`"), references,
# citations and URLs are not read aloud predictably, so they are not judged.
_PLACEHOLDER_READING = {PieceKind.MATH, PieceKind.COMMAND}
_PLACEHOLDER_NAMES = {PieceKind.MATH: "the math", PieceKind.COMMAND: "the macro's text"}


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
        return starts_with_vowel_sound(tok.text) if tok.placeholder in _PLACEHOLDER_READING else None
    word = tok.text
    if word.lower() in _AMBIGUOUS or word.lower().split("-")[0] in _AMBIGUOUS:
        return None
    head = re.match(r"[A-Za-z]+", word)
    if head and head.group().isupper() and len(head.group()) > 1:
        letters = head.group()
        if _SAYABLE_ACRONYM.match(letters) or letters.startswith("U"):
            return None  # "a NASA"/"an NASA"; "a UE" ("you-ee") but "an UNSC"?
        return letters[0].lower() in _VOWEL_LETTER_NAMES  # spelt out: "an SVM", "an MRI", "a GPU"
    if head is None and not word[0].isdigit():
        return None
    return starts_with_vowel_sound(word)


def check(text: ChunkText, options: RuleOptions) -> Iterator[Match]:
    tokens = text.tokens
    for i, low in enumerate(text.lowers):
        if low != "a" and low != "an":
            continue
        tok = tokens[i]
        if tok.placeholder is not None:
            continue
        if tok.text == "A" and i > 0 and not text.text[tokens[i - 1].end : tok.start].strip():
            continue  # a capital "A" inside a sentence is a label: "vitamin A", "Mau A", "Type A"
        after = text.text[tok.end : tok.end + 1]
        if after in (".", "-", ")", "'", "’"):
            continue  # "a.k.a.", "A-level", "(a)"
        nxt = _next_reading(text, i)
        if nxt is None:
            continue
        vowel = _vowel_sound(nxt)
        if vowel is None:
            continue
        # A placeholder's text ("X") is only a stand-in: name what the writer typed instead.
        what = _PLACEHOLDER_NAMES.get(nxt.placeholder, "the next word") if nxt.placeholder is not None else f"“{nxt.text}”"
        if vowel and low == "a":
            yield Match(tok.start, tok.end, f"Use “an” before {what}, which is read with a vowel sound.", (keep_case(tok.text, "an"),))
        elif not vowel and low == "an":
            yield Match(tok.start, tok.end, f"Use “a” before {what}, which is read with a consonant sound.", (keep_case(tok.text, "a"),))


RULE = Rule("a-an", "Article a/an does not match the sound of the next word", check, examples_path=examples_beside(__file__))
