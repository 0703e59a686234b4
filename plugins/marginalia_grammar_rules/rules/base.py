"""What a rule is: an id, a description, and a pure function over a chunk."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsp_server.plugin import Severity
from marginalia_grammar_rules.text import ChunkText


@dataclass(frozen=True)
class RuleOptions:
    """Per-check switches a rule may read (from the plugin's settings)."""

    comma_after_ie_eg: bool = False


@dataclass(frozen=True, slots=True)
class Match:
    """A problem in prose offsets of the chunk."""

    start: int
    end: int
    message: str
    replacements: tuple[str, ...] = ()


CheckFn = Callable[[ChunkText, RuleOptions], Iterator[Match]]


class HasExamples:
    """Rules keep their incorrect/correct examples as JSON beside their module."""

    examples_path: Path | None

    def examples(self) -> dict[str, Any]:
        if self.examples_path is None:
            return {}
        data: dict[str, Any] = json.loads(self.examples_path.read_text(encoding="utf-8"))
        return data


@dataclass(frozen=True)
class Rule(HasExamples):
    id: str
    description: str
    check: CheckFn
    severity: Severity = Severity.WARNING
    # Chunk roles the rule does not read: table cells are aligned with spaces and are fragments.
    skip_roles: frozenset[str] = frozenset()
    # Where the incorrect/correct examples live (JSON beside the rule's module).
    examples_path: Path | None = field(default=None, compare=False)


def examples_beside(module_file: str) -> Path:
    """``rules/a_an.py`` -> ``rules/a_an.json``."""
    return Path(module_file).with_suffix(".json")


def keep_case(template: str, replacement: str) -> str:
    """Give ``replacement`` the capitalisation of ``template`` ("A" -> "An", "Its" -> "It's")."""
    if template[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement
