"""Placeholder words for markup, chosen so the sentence stays grammatical.

A reader says "an $x$" ("an ex") but "a $y$" ("a wye"); LanguageTool and the
offline a/an rule must judge what the reader says, so math, code and macros
become ``X`` (starts with a vowel sound) or ``Y`` (a consonant sound) by the
reading of their first token.  Citations read as ``[1]`` (parenthetical) or
``Smith`` (textual); references as ``1``.  Plugins recognise placeholders by
``Piece.kind``, never by these strings.
"""

from __future__ import annotations

import re

VOWEL_PLACEHOLDER = "X"
CONSONANT_PLACEHOLDER = "Y"
PARENTHETICAL_CITATION = "[1]"
TEXTUAL_CITATION = "Smith"
REFERENCE = "1"
URL = "URL"

# Letter names that start with a vowel sound: "an f", "an x", "an h", "an M".
_VOWEL_LETTER_NAMES = set("aefhilmnorsx")
_GREEK_VOWEL = {"alpha", "epsilon", "varepsilon", "eta", "iota", "omicron", "upsilon", "omega", "imath", "infty", "int", "emptyset", "ell", "hbar", "aleph", "exp", "ln", "log", "arg", "inf", "lim", "max", "min", "mathbb", "mathcal", "mathrm", "mathbf", "mathit", "mathsf", "mathfrak", "operatorname"}
_GREEK_CONSONANT = {"beta", "gamma", "delta", "zeta", "theta", "vartheta", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "phi", "varphi", "chi", "psi", "sum", "prod", "partial", "nabla", "sqrt", "frac", "dfrac", "tfrac", "sin", "cos", "tan", "det", "dim", "sup", "ker"}
# Font and decoration commands are transparent: \mathbf{x} reads as "x".
_TRANSPARENT = {"mathbb", "mathcal", "mathrm", "mathbf", "mathit", "mathsf", "mathfrak", "mathtt", "boldsymbol", "bm", "hat", "bar", "tilde", "vec", "dot", "ddot", "widehat", "widetilde", "overline", "underline", "left", "right", "big", "Big", "bigl", "bigr", "text", "textrm", "textit", "textbf", "operatorname", "displaystyle", "mathop"}
# Wrappers whose multi-letter argument is read as a word or abbreviation: \mathrm{Na}, \text{if}, \mathrm{KL}.
_WORD_WRAPPERS = {"mathrm", "text", "textrm", "textit", "mathit", "operatorname", "mathsf", "textsf"}
_SILENT_H = ("hour", "honest", "honor", "honour", "heir")
_U_CONSONANT = re.compile(r"^(?:uni|use|usu|ut[ei]|ur[aeiou]|uk|eu|one\b|once\b|uran|ubiq)", re.IGNORECASE)
_NUMBER_VOWEL = re.compile(r"^(?:8|11(?!\d{2}(?:\d{3})*\b)|18(?!\d{2}(?:\d{3})*\b)|8\d)")


def starts_with_vowel_sound(word: str) -> bool:
    """Does ``word`` begin with a vowel sound when read aloud (for a/an)?"""
    w = word.strip().lstrip("([{\"'`$\\")
    if not w:
        return False
    if w[0].isdigit():
        return bool(_NUMBER_VOWEL.match(w))
    letters = re.match(r"[A-Za-z]+", w)
    if letters is None:
        return False
    token = letters.group(0)
    # Acronyms and single letters are spelt out: "an SVM", "an x", "a GPU".
    if len(token) == 1 or (token.isupper() and len(token) <= 5 and not re.fullmatch(r"[AEIOU][A-Z]*[AEIOU][A-Z]*", token)):
        return token[0].lower() in _VOWEL_LETTER_NAMES
    low = token.lower()
    if low.startswith(_SILENT_H):
        return True
    if low[0] == "u":
        return not _U_CONSONANT.match(low)
    if low.startswith(("eu", "ewe")) or low.startswith(("one", "once")):
        return False
    return low[0] in "aeio"


def math_reading_starts_with_vowel(tex: str) -> bool:
    """Reading of the first token of a math formula: ``\\alpha`` -> vowel, ``y`` -> consonant."""
    pos = 0
    s = tex.strip().lstrip("$").strip()
    while pos < len(s):
        c = s[pos]
        if c.isspace() or c in "{(|[":
            pos += 1
            continue
        if c == "\\":
            m = re.match(r"\\([A-Za-z]+)", s[pos:])
            if m is None:
                pos += 2
                continue
            name = m.group(1)
            word = re.match(r"\\[A-Za-z]+\s*\{([A-Za-z]{2,})\}", s[pos:])
            if name in _WORD_WRAPPERS and word:
                return starts_with_vowel_sound(word.group(1))  # \mathrm{Na} reads "sodium", not "en-ay"
            if name in _TRANSPARENT:
                pos += m.end()
                continue
            if name in _GREEK_VOWEL:
                return True
            if name in _GREEK_CONSONANT:
                return False
            return starts_with_vowel_sound(name)
        if c.isdigit():
            return bool(_NUMBER_VOWEL.match(s[pos:]))
        if c.isalpha():
            return c.lower() in _VOWEL_LETTER_NAMES
        if c == "-":  # "a -1" reads "a minus one"
            return False
        pos += 1
    return False


def math_placeholder(tex: str) -> str:
    return VOWEL_PLACEHOLDER if math_reading_starts_with_vowel(tex) else CONSONANT_PLACEHOLDER


def word_placeholder(reading: str) -> str:
    """For code and macros: read the text as a word (``if`` -> vowel, ``for`` -> consonant)."""
    return VOWEL_PLACEHOLDER if starts_with_vowel_sound(reading) else CONSONANT_PLACEHOLDER
