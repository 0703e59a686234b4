"""What a style rule is: an id, a description, a default severity and a pure check."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from marginalia_grammar_rules.rules.base import HasExamples, Match, examples_beside, keep_case

from lsp_server.documents.model import Chunk
from lsp_server.plugin import Severity
from marginalia_style.facts import DocumentFacts
from marginalia_style.prose import PhraseIndex, StyleText, normalise
from marginalia_style.settings import StyleSettings

CheckFn = Callable[[StyleText, StyleSettings], Iterator[Match]]


@dataclass(frozen=True)
class Rule(HasExamples):
    id: str
    description: str
    check: CheckFn
    severity: Severity = Severity.INFO
    # Chunk roles the rule does not read (table cells and headings are fragments, not prose).
    skip_roles: frozenset[str] = frozenset()
    examples_path: Path | None = field(default=None, compare=False)
    # Why the rule exists, shown on hover (the rule module's docstring).
    explanation: str = field(default="", compare=False)



# A finding of a document rule: the chunk it is in and the match in that chunk's prose offsets.
Located = tuple[Chunk, Match]
ReportFn = Callable[[DocumentFacts, StyleSettings], Iterator[Located]]


@dataclass(frozen=True)
class DocumentRule(HasExamples):
    """A rule that needs the whole document (consistency, definitions), fed by cached chunk facts."""

    id: str
    description: str
    report: ReportFn
    severity: Severity = Severity.INFO
    examples_path: Path | None = field(default=None, compare=False)
    explanation: str = field(default="", compare=False)



FRAGMENT_ROLES = frozenset({"table", "heading", "code"})


_OPEN_QUOTES = ("\"", "“", "‘", "'", "`", "«")
_CLOSE_QUOTES = ("\"", "”", "’", "'", "»")


def quoted(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` a quoted mention (a label called “low hanging fruit”), not a use?"""
    return text[max(0, start - 1) : start].endswith(_OPEN_QUOTES) and text[end : end + 1].startswith(_CLOSE_QUOTES)


def in_quotes(text: str, offset: int, reach: int = 120) -> bool:
    """Is ``offset`` inside a quotation that opened in the last ``reach`` characters
    (“...”, ``...'', "...")?  Quoted words are mentioned, not used."""
    before = text[max(0, offset - reach) : offset]
    curly = before.rfind("“")
    if curly >= 0 and "”" not in before[curly:]:
        return True
    tex = before.rfind("``")
    if tex >= 0 and "''" not in before[tex:]:
        return True
    return before.count('"') % 2 == 1


def phrase_matches(text: StyleText, index: PhraseIndex) -> Iterator[re.Match[str]]:
    """Matches of ``index`` made of typed words only (no placeholder inside), not in quotes."""
    for m in index.finditer(text):
        if text.placeholder_at(m.end() - 1) is None and not quoted(text.text, m.start(), m.end()):
            yield m


def replacement_for(found: str, replacement: str) -> str:
    """``replacement`` with the capitalisation of what it replaces ("In order to" -> "To")."""
    if found.isupper() and len(found) > 1:
        return replacement.upper()
    return keep_case(found, replacement)


def lookup(table: Mapping[str, str], found: str) -> str:
    return table[normalise(found)]


__all__ = ["FRAGMENT_ROLES", "CheckFn", "DocumentRule", "Located", "Match", "PhraseIndex", "Rule", "examples_beside", "in_quotes", "lookup", "normalise", "phrase_matches", "replacement_for"]
