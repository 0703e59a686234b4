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
    db.add_context_category("marginalia-bib", prepend=True, macros=[MacroTextSpec("url", simplify_repl="%s")])
    return LatexNodes2Text(latex_context=db, keep_braced_groups=False, math_mode="text")


@lru_cache(maxsize=65536)
def latex_to_text(value: str) -> str:
    """Decode accents, dashes, ties and braces; whitespace collapsed.  Never raises."""
    if not any(c in value for c in "\\{}$~-`'"):
        return " ".join(value.split())
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
