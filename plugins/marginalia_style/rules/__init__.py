"""Every style rule, by id (one rule per module, examples beside it)."""

from __future__ import annotations

from marginalia_style.rules import (
    acronym_before_definition,
    cliche,
    inconsistent_variant,
    intensified_absolute,
    lexical_variety,
    long_sentence,
    passive_voice,
    repeated_word,
    weasel_words,
    wordy_phrase,
)
from marginalia_style.rules.base import DocumentRule, Rule

CHUNK_RULES: tuple[Rule, ...] = tuple(
    m.RULE for m in (long_sentence, lexical_variety, repeated_word, passive_voice, weasel_words, wordy_phrase, cliche, intensified_absolute)
)
DOCUMENT_RULES: tuple[DocumentRule, ...] = (inconsistent_variant.RULE, acronym_before_definition.RULE)
ALL_RULE_IDS: tuple[str, ...] = tuple(r.id for r in CHUNK_RULES) + tuple(r.id for r in DOCUMENT_RULES)

__all__ = ["ALL_RULE_IDS", "CHUNK_RULES", "DOCUMENT_RULES", "DocumentRule", "Rule"]
