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
    logos = [MacroTextSpec(name, simplify_repl=name) for name in ("TeX", "LaTeX", "LaTeXe", "BibTeX", "XeTeX", "XeLaTeX", "LuaTeX", "ConTeXt")]
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
    except Exception:
        out = value.replace("{", "").replace("}", "")
    return " ".join(out.split())


_COMMAND = re.compile(r"\\(?:[A-Za-z]+|.)\s*")
_STRIP = str.maketrans("", "", "{}$~\"'`^")


@lru_cache(maxsize=131072)
def fold(value: str) -> str:
    """Lower-case ASCII-ish text for matching: ``{\\"U}ber {GPU}s`` -> ``uber gpus``.

    Cheap on purpose: the completion index folds every author and title of a
    large file, where pylatexenc would take seconds.
    """
    if value.isascii() and "\\" not in value and "{" not in value:
        return value.lower()
    text = _COMMAND.sub("", value).translate(_STRIP)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()
