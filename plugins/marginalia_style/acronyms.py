"""Acronyms in a chunk: where one is defined ("graphics processing unit (GPU)") and where it is used."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from marginalia_style.prose import StyleText

# 2-6 capitals (digits after the first allowed: "MP3" is not, "H2O" is not; keep it to letters), optional plural s.
_ACRONYM = re.compile(r"(?<![\w'’.\\])(?P<acr>[A-Z]{2,6})(?P<plural>s?)(?![\w'’])")
# Section and item numbers (II, IV, XII); "MCMC" is an acronym, not 1900.
_ROMAN = re.compile(r"^X{0,3}(?:IX|IV|V?I{0,3})$")
# Spelt-out words before "(ACR)": letters, hyphens and spaces only.
_WORD_THEN_PAREN = re.compile(r"[^\W\d_]{2,}[ \t\n]*\($")
_ACRONYM_THEN_PAREN = re.compile(r"(?<![\w])[A-Z]{2,}s?[ \t\n]*\($")
_EXPANSION_AFTER = re.compile(r"\s*\(((?:[^\W\d_]+[ \t\n-]*){2,10})\)")
WELL_KNOWN = frozenset(
    ["PDF", "PDFs", "URL", "URLs", "HTML", "XML", "JSON", "YAML", "CSS", "HTTP", "HTTPS", "FTP", "SSH", "DNA", "RNA", "USA", "US", "UK", "EU", "UN", "NASA", "ESA", "ID", "IDs", "TV", "CD", "DVD", "USB", "PC", "OK", "FAQ", "API", "APIs", "ASCII", "UTF", "PNG", "JPEG", "JPG", "GIF", "SVG", "SQL", "CSV", "TSV", "DOI", "DOIs", "ISBN", "ISSN", "ORCID", "GNU", "MIT", "BSD", "GPL", "CC", "PI", "IEEE", "ACM", "ISO", "ANSI", "UNIX", "USD", "EUR", "GMT", "UTC", "AM", "PM", "BC", "AD", "NB", "PS", "IQ", "HIV", "AIDS", "COVID", "NATO", "UNESCO", "CPU", "CPUs", "RAM", "ROM", "OS", "IT", "AI", "LaTeX", "TeX", "README", "TODO", "NOTE", "FIXME", "WARNING", "TIP", "INFO", "IMPORTANT", "CAUTION", "DANGER", "NOT", "AND", "OR", "THE", "FAQ", "MS", "CEO", "PhD", "BSc", "MSc"]
)


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    acronym: str  # without a plural "s"
    text: str
    defines: bool
    expansion: str | None = None  # the spelt-out words of a definition, when their initials match


_SMALL_WORDS = frozenset({"of", "and", "the", "for", "in", "on", "to", "a", "an", "with", "by"})


def _initials(words: list[str]) -> str:
    """Initials of the words that count ("probability of detection" -> "pd"); hyphens split words."""
    parts = [p for w in words for p in re.split(r"[-‐]", w) if p]
    return "".join(p[0] for p in parts if p.lower() not in _SMALL_WORDS).lower()


def _expansion_before(text: StyleText, paren: int, acronym: str) -> str | None:
    """The spelt-out words right before "(ACR)", when their initials spell it."""
    tokens = text.tokens
    hi = bisect.bisect_left(text.token_starts, paren)
    words = [t for t in tokens[max(0, hi - len(acronym) - 6) : hi] if t.end <= paren]
    for k in range(1, min(len(words), len(acronym) + 4) + 1):
        first = words[-k]
        if not first.is_word or first.lower in _SMALL_WORDS:
            continue
        if _initials([t.text for t in words[-k:]]) == acronym.lower():
            start, end = first.start, words[-1].end
            if text.typed_runs(start, end) == [(start, end)] and not text.text[end:paren].strip(" \t\n("):
                return " ".join(text.text[start:end].split())
            return None
    return None


def mentions(text: StyleText) -> list[Mention]:
    out: list[Mention] = []
    s = text.text
    for m in _ACRONYM.finditer(s):
        acr, start, end = m.group("acr"), m.start(), m.end()
        if _ROMAN.match(acr) or text.placeholder_at(start) is not None:
            continue
        expansion = None
        defines = s[start - 1 : start] == "(" and s[end : end + 1] == ")" and _WORD_THEN_PAREN.search(s, max(0, start - 40), start) is not None
        if defines:
            # "(GPU)" after a word defines GPU; an acronym after an acronym or a quote ("HTML" (JSX)) does not.
            expansion = _expansion_before(text, start - 1, acr)
            defines = expansion is not None or not _ACRONYM_THEN_PAREN.search(s, max(0, start - 40), start)
        if not defines:
            follow = _EXPANSION_AFTER.match(s, end)
            if follow is not None and _initials(follow.group(1).split()) == acr.lower():
                defines, expansion = True, " ".join(follow.group(1).split())  # "GPU (graphics processing unit)"
        out.append(Mention(start, end, acr, m.group(), defines, expansion))
    return out


def shouting(text: StyleText) -> bool:
    """Mostly capitals (a heading in capitals, a licence notice): acronyms cannot be told apart there."""
    words = text.words
    caps = sum(1 for w in words if w.text.isupper() and len(w.text) > 1)
    return bool(words) and caps > 0.3 * len(words)
