"""LaTeX in field values to Unicode: exact (pylatexenc) for display, cheap for search."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db


@lru_cache(maxsize=1)
def _decoder() -> LatexNodes2Text:
    # The same set-up as bibtexparser's LatexDecodingMiddleware: \url{x} is just x.
    db = get_default_latex_context_db()
    logos = [MacroTextSpec(name, simplify_repl=name) for name in _LOGOS]
    db.add_context_category("marginalia-bib", prepend=True, macros=[MacroTextSpec("url", simplify_repl="%s"), *logos])
    return LatexNodes2Text(latex_context=db, keep_braced_groups=False, math_mode="text")


# Journal macros of aas_macros.sty: NASA ADS exports write journal = {\apj}.
AAS_JOURNALS = {
    "aj": "AJ", "araa": "ARA&A", "apj": "ApJ", "apjl": "ApJL", "apjs": "ApJS", "ao": "Appl. Opt.",
    "apss": "Ap&SS", "aap": "A&A", "aapr": "A&A Rv", "aaps": "A&AS", "azh": "AZh", "baas": "BAAS",
    "icarus": "Icarus", "jcap": "JCAP", "jrasc": "JRASC", "memras": "MmRAS", "mnras": "MNRAS",
    "na": "New A", "nar": "New A Rev.", "pra": "Phys. Rev. A", "prb": "Phys. Rev. B", "prc": "Phys. Rev. C",
    "prd": "Phys. Rev. D", "pre": "Phys. Rev. E", "prl": "Phys. Rev. Lett.", "pasa": "PASA", "pasp": "PASP",
    "pasj": "PASJ", "qjras": "QJRAS", "skytel": "S&T", "solphys": "Sol. Phys.", "sovast": "Soviet Ast.",
    "ssr": "Space Sci. Rev.", "nat": "Nature", "iaucirc": "IAU Circ.", "aplett": "Astrophys. Lett.",
    "physrep": "Phys. Rep.", "physscr": "Phys. Scr.", "procspie": "Proc. SPIE",
}  # fmt: skip
_AAS = re.compile(r"\\(" + "|".join(sorted(AAS_JOURNALS, key=len, reverse=True)) + r")(?![A-Za-z])")


@lru_cache(maxsize=65536)
def latex_to_text(value: str) -> str:
    """Decode accents, dashes, ties and braces; whitespace collapsed.  Never raises."""
    if not any(c in value for c in "\\{}$~-`'"):
        return " ".join(value.split())
    if "\\" in value:
        value = _AAS.sub(lambda m: AAS_JOURNALS[m.group(1)], value)
    try:
        out = _decoder().latex_to_text(value)
    except Exception:  # noqa: BLE001
        out = value.replace("{", "").replace("}", "")
    return " ".join(out.split())


# The accents of plain TeX as combining characters, for :func:`quick_text`.
_ACCENTS = {
    '"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304", ".": "\u0307",
    "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328", "r": "\u030a", "d": "\u0323", "b": "\u0331",
}  # fmt: skip
_ACCENT = re.compile(r"""\\([\"'`^~=.]|[uvHckrdb](?![A-Za-z]))\s*\{?\s*(\\[ij]|[A-Za-z])\s*\}?""")
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "&": "&", "%": "%", "_": "_", "#": "#"}
_NAMED = re.compile(r"\\(?:(ss|o|O|ae|AE|oe|OE|aa|AA|l|L|i|j)(?![A-Za-z])\s?|([&%_#]))")
_DOLLAR = "\ue000"  # a private-use stand-in for an escaped \$ while math $ are dropped
_LOGOS = ("TeX", "LaTeX", "LaTeXe", "BibTeX", "XeTeX", "XeLaTeX", "LuaTeX", "ConTeXt")
_LOGO = re.compile(r"\\(" + "|".join(sorted(_LOGOS, key=len, reverse=True)) + r")(?![A-Za-z])\s?")
_COMMAND = re.compile(r"\\(?:[A-Za-z]+|.)\s*")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


@lru_cache(maxsize=131072)
def quick_text(value: str) -> str:
    """A fast, approximate :func:`latex_to_text` for lists of many entries (completion).

    Handles accents (``{\\"u}``, ``\\'{e}``), special letters, ``--`` and ``~``, and
    drops other commands, keeping their arguments; pylatexenc, exact but ~100x
    slower, is kept for hover and formatting.
    """
    if not any(c in value for c in "\\{}$~-"):
        return " ".join(value.split())
    value = value.replace("\\$", _DOLLAR)
    text = _ACCENT.sub(lambda m: m.group(2).lstrip("\\") + _ACCENTS[m.group(1)], value)  # \\"{\\i} -> ï
    text = _NAMED.sub(lambda m: _LETTERS[m.group(1) or m.group(2)], text)
    text = _LOGO.sub(lambda m: m.group(1), text)
    text = _COMMAND.sub("", text).replace("{", "").replace("}", "").replace("$", "").replace(_DOLLAR, "$")
    text = text.replace("---", "—").replace("--", "–").replace("~", " ")
    return " ".join(unicodedata.normalize("NFC", text).split())


@lru_cache(maxsize=131072)
def fold(value: str) -> str:
    """Lower-case text without accents, for matching: ``{\\"U}ber {GPU}s`` -> ``uber gpus``."""
    if "\\" not in value:
        plain = value.replace("{", "").replace("}", "")
        if plain.isascii():
            return plain.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", quick_text(value))).lower()
